"""Narrative numbers mapped to the table quantity they restate, and checked.

Sentences here are our own, one per wording family of
corpora/claims_phrasings.md; the figures the check compares are in
tests/test_checks_mutation.py (every mapped number, changed, is caught).
"""

from __future__ import annotations

import pytest
from test_checks import make_record

from textmine.checks import check_text, resolve_readings
from textmine.claims import extract_claims
from textmine.quantities import cells_of, quantity, value_of


def mapped(text: str) -> list[tuple[float, str | None]]:
    return [(c["value"], c["cell"]) for c in extract_claims(text, [], {})]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # table 3: requests in, out, and their outcomes
        ("本年新收政府信息公开申请18件。", [(18, "t3.new_received.total")]),
        ("全年共收到政府信息公开申请18件。", [(18, "t3.new_received.total")]),
        (
            "上年结转申请2件，结转下年度继续办理3件。",
            [(2, "t3.carried_over.total"), (3, "t3.carried_forward.total")],
        ),
        ("另有1件转入下一年度办理。", [(1, "t3.carried_forward.total")]),
        ("截至年底仍有2件尚在办理期限内。", [(2, "t3.carried_forward.total")]),
        (
            "其中自然人申请15件，法人或其他组织申请3件。",
            [
                (15, "t3.new_received.natural_person"),
                (3, "t3.new_received.organisations"),
            ],
        ),
        ("已全部办结，共答复申请17件。", [(17, "t3.handled_total.total")]),
        (
            "予以公开9件，部分公开2件，不予公开1件，无法提供4件，不予处理1件。",
            [
                (9, "t3.granted.total"),
                (2, "t3.partly_granted.total"),
                (1, "t3.denied.total"),
                (4, "t3.unavailable.total"),
                (1, "t3.not_processed.total"),
            ],
        ),
        ("予以公开和部分公开共11件。", [(11, "t3.granted_or_partly.total")]),
        (
            "予以公开5件，部分公开2件，不予公开1件，无法提供3件，合计11件。",
            [
                (5, "t3.granted.total"),
                (2, "t3.partly_granted.total"),
                (1, "t3.denied.total"),
                (3, "t3.unavailable.total"),
                (11, "t3.handled_total.total"),
            ],
        ),
        (
            "予以公开9件，部分公开2件，二者合计11件。",
            [(9, "t3.granted.total"), (2, "t3.partly_granted.total"), (11, "t3.granted_or_partly.total")],
        ),
        # neighbours: a 分别 list, another row in the same column, a year for 上年
        (
            "全县行政许可、行政处罚决定数量分别为1200件、35件。",
            [(1200, "t2.licensing.decisions"), (35, "t2.penalty.decisions")],
        ),
        ("收到政府信息公开申请13件，群众诉求5件。", [(13, "t3.new_received.total"), (5, None)]),
        ("本年新收申请4件，2024年转结1件。", [(4, "t3.new_received.total"), (1, "t3.carried_over.total")]),
        ("另有2件转入2026年办理。", [(2, "t3.carried_forward.total")]),
        ("因政府信息公开被复议纠错或诉讼败诉共2件。", [(2, "t4.corrected.total")]),
        ("属于本机关不掌握相关政府信息的3件。", [(3, "t3.unavailable.not_held.total")]),
        ("其他处理2件。", [(2, "t3.other.total")]),
        # shares of the handled total
        (
            "予以公开9件，占答复总数的52.9%。",
            [(9, "t3.granted.total"), (52.9, "t3.granted.total.share")],
        ),
        # table 2
        (
            "本年度制发规范性文件5件，废止2件，现行有效31件。",
            [
                (5, "t2.normative_documents.issued"),
                (2, "t2.normative_documents.repealed"),
                (31, "t2.normative_documents.in_force"),
            ],
        ),
        ("印发行政规范性文件4份。", [(4, "t2.normative_documents.issued")]),
        ("出台政府规章1件。", [(1, "t2.regulations.issued")]),
        (
            "作出行政许可决定1200件，行政处罚决定35件，行政强制决定2件。",
            [
                (1200, "t2.licensing.decisions"),
                (35, "t2.penalty.decisions"),
                (2, "t2.coercion.decisions"),
            ],
        ),
        ("收取行政事业性收费3.5万元。", [(35000, "t2.fees.amount")]),
        (
            "政府集中采购项目6个，采购总金额120万元。",
            [(6, "t2.procurement.projects"), (1_200_000, "t2.procurement.amount")],
        ),
        # table 4: cases and their results, by the sentence's topic
        (
            "被申请行政复议3件，其中维持2件、纠正1件。",
            [
                (3, "t4.review.total"),
                (2, "t4.review.upheld"),
                (1, "t4.review.corrected"),
            ],
        ),
        (
            "被提起行政诉讼2件，其中败诉1件，尚未审结1件。",
            [(2, "t4.suit.total"), (1, "t4.suit.corrected"), (1, "t4.suit.pending")],
        ),
        ("未经复议直接起诉的行政诉讼1件。", [(1, "t4.suit_direct.total")]),
        ("全年被纠错0件。", [(0, "t4.corrected.total")]),
        # no cell: these count something no table holds
        ("收到群众诉求48件，办结率100%。", [(48, None), (100, None)]),
        ("主动公开政府信息2300条。", [(2300, None)]),
        ("不予公开信息数12条。", [(12, None)]),
        ("收取信息处理费100元。", [(100, None)]),
        ("制发规章和规范性文件5件。", [(5, None)]),
    ],
)
def test_wording_maps_to_its_quantity(sentence: str, expected: list) -> None:
    assert mapped(sentence) == expected


def test_a_claim_carries_the_arithmetic_it_implies() -> None:
    (claim,) = extract_claims("予以公开和部分公开共11件。", [], {})
    assert claim["expr"] == "t3.granted.total + t3.partly_granted.total"
    (claim,) = extract_claims("无法提供4件。", [], {})
    assert claim["expr"] == "sum(t3.unavailable.*.total)"


def test_a_quantity_the_layout_lacks_is_no_cell() -> None:
    # 2019 layout: 制发 is the 新制作 column; a 2021 key it lacks is dropped.
    t2_2019 = {
        "normative_documents.made": 3,
        "normative_documents.published": 3,
        "normative_documents.public_total": 9,
    }
    (claim,) = extract_claims("制发规范性文件3件。", [], {}, tables={"t2": t2_2019, "t3": {}, "t4": {}})
    assert claim["cell"] == "t2.normative_documents.made"
    (claim,) = extract_claims(
        "政府集中采购项目6个。",
        [],
        {},
        tables={"t2": {"fees.amount": 1}, "t3": {}, "t4": {}},
    )
    assert claim["cell"] is None


def test_sums_and_shares_are_evaluated_over_the_cells() -> None:
    values = {
        "t3.denied.state_secret.total": 1,
        "t3.denied.third_party.total": 2,
        "t3.handled_total.total": 12,
    }
    universe = [*values, "t3.granted.total"]
    got = value_of(quantity("t3.denied.total"), values, universe)
    assert (got.value, got.cells) == (
        3,
        ("t3.denied.state_secret.total", "t3.denied.third_party.total"),
    )
    assert value_of(quantity("t3.denied.total.share"), values, universe).value == 25
    blank = value_of(quantity("t3.granted.total.share"), values, universe)
    assert blank.value is None and blank.blank == ("t3.granted.total",)
    assert cells_of(quantity("t2.procurement.amount"), universe) == ()


def _record_with(text: str, layout: str = "2021", **t3: int):
    record = make_record(layout=layout)
    for key, value in t3.items():
        record.tables["t3"][key] = value
    record.text = text
    record.claims = extract_claims(text, [], {}, tables=record.tables)
    resolve_readings(record)
    return record


def test_the_table_decides_between_readings() -> None:
    # 4 new requests (make_record), 2 carried over: 6 is new plus carried over.
    record = _record_with(
        "收到政府信息公开申请6件。",
        **{"carried_over.total": 2, "carried_over.natural_person": 2},
    )
    (claim,) = record.claims
    assert claim["cell"] == "t3.received.total"
    assert claim["readings"] == ["t3.new_received.total", "t3.received.total"]
    (result,) = check_text(record)
    assert (result["status"], result["scope"]) == ("pass", "t3.received.total")


def test_a_number_that_fits_no_reading_fails_naming_each() -> None:
    record = _record_with("收到政府信息公开申请9件。", **{"carried_over.total": 2})
    (result,) = check_text(record)
    assert (result["status"], result["scope"], result["left"]) == (
        "fail",
        "t3.new_received.total",
        9,
    )
    assert "t3.new_received.total = 4" in result["message"] and "t3.received.total" in result["message"]
    assert set(result["cells"]) == {"t3.new_received.total", "t3.carried_over.total"}


def test_a_reading_that_cannot_be_computed_makes_the_check_skip() -> None:
    record = _record_with("收到政府信息公开申请9件。", **{"carried_over.total": None})
    (result,) = check_text(record)
    assert result["status"] == "skip"
    assert "t3.carried_over.total is blank" in result["message"]


def test_a_sum_the_narrative_states_is_checked_with_its_cells() -> None:
    record = _record_with("予以公开和部分公开共5件。", **{"partly_granted.total": 1})
    (result,) = check_text(record)
    assert (result["status"], result["left"], result["right"]) == ("pass", 5, 5)
    assert result["cells"] == ["t3.granted.total", "t3.partly_granted.total"]
    record = _record_with("予以公开和部分公开共6件。", **{"partly_granted.total": 1})
    (result,) = check_text(record)
    assert result["status"] == "fail" and "t3.granted.total + t3.partly_granted.total = 5" in result["message"]


@pytest.mark.parametrize(
    ("printed", "status"),
    [("50%", "pass"), ("50.0%", "pass"), ("49.6%", "fail"), ("51%", "fail")],
)
def test_a_share_is_good_to_half_its_last_printed_digit(printed: str, status: str) -> None:
    # handled 4, granted 4 in make_record: make it 2 of 4.
    record = _record_with(f"予以公开2件，占{printed}。", **{"granted.total": 2, "partly_granted.total": 2})
    share = [r for r in check_text(record) if r["scope"] == "t3.granted.total.share"]
    assert [r["status"] for r in share] == [status]


def test_money_in_yuan_against_a_cell_in_wan() -> None:
    record = make_record()
    record.text = "收取行政事业性收费28300元。"
    record.claims = extract_claims(record.text, [], {}, tables=record.tables)
    (result,) = check_text(record)
    assert (result["status"], result["left"], result["right"]) == ("pass", 2.83, 2.83)


def test_other_handling_is_the_2019_row_or_the_sum_of_the_2021_rows() -> None:
    q = quantity("t3.other.total")
    rows_2021 = {"t3.other.no_correction.total": 1, "t3.other.unpaid_fee.total": 0, "t3.other.other.total": 2}
    assert value_of(q, rows_2021).value == 3
    assert value_of(q, {"t3.other.total.total": 4, "t3.handled_total.total": 9}).value == 4


def test_sums_and_shares_on_a_real_report() -> None:
    """A real narrative that states outcome sums and their shares: each is
    mapped to its derived quantity and agrees with the table."""
    from conftest import shared_path
    from textmine.pipeline import analyze

    path = shared_path() / "corpus" / "reports" / "pingtan_2023.txt"
    results = {r["scope"]: r["status"] for r in analyze(path).checks if r["rule"] == "text.table"}
    for key in (
        "t3.granted_or_partly.total",
        "t3.granted_or_partly.total.share",
        "t3.denied.total",
        "t3.denied.total.share",
        "t3.unavailable.total",
        "t3.not_processed.total",
    ):
        assert results.get(key) == "pass", (key, results)
