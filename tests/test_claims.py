"""Claims: numbers with units in the narrative (textmine/claims.py)."""

from __future__ import annotations

import pytest

from conftest import gold_for, real_reports, sample_reports, shared_path
from textmine.claims import CLAIM_FIELDS, extract_claims
from textmine.pipeline import analyze
from textmine.scoring import score_claims


def one(text):
    claims = extract_claims(text, [], {})
    assert len(claims) == 1, claims
    assert set(claims[0]) == set(CLAIM_FIELDS)
    assert text[claims[0]["start"] : claims[0]["end"]] == claims[0]["text"]
    return claims[0]


@pytest.mark.parametrize(
    "text, value, unit, kind, approx",
    [
        ("收到政府信息公开申请13件。", 13, "件", "count", False),
        ("收到政府信息公开申请１３件。", 13, "件", "count", False),
        ("被申请行政复议十三件。", 13, "件", "count", False),
        ("开展专项检查两次。", 2, "次", "count", False),
        ("处理信息一百二十条。", 120, "条", "count", False),
        ("主动公开政府信息2.8万条。", 28000, "条", "count", False),
        ("办结率100%。", 100, "%", "rate", False),
        ("满意率为98.5％。", 98.5, "%", "rate", False),
        ("满意率达百分之九十八。", 98, "%", "rate", False),
        ("行政事业性收费1270万元。", 12_700_000, "元", "money", False),
        ("收费1.2亿元。", 120_000_000, "元", "money", False),
        ("收取信息处理费100元。", 100, "元", "money", False),
        ("推送信息9500余条。", 9500, "条", "count", True),
        ("参训人员400多人次。", 400, "人次", "count", True),
        ("审核信息约2700条。", 2700, "条", "count", True),
        ("公开信息近3500条。", 3500, "条", "count", True),
        ("阅读量超过89万人次。", 890000, "人次", "count", True),
        ("培训人员500人以上。", 500, "人", "count", True),
        ("等候时间缩至19分钟。", 19, "分钟", "other", False),
    ],
)
def test_one_claim(text, value, unit, kind, approx):
    c = one(text)
    assert (c["value"], c["unit"], c["kind"], c["approx"]) == (value, unit, kind, approx)


@pytest.mark.parametrize(
    "text",
    [
        "统计期限为2021年1月1日至2021年12月31日。",
        "根据《通知》（国办发〔2021〕30号）要求。",
        "依据条例第二十条规定。",
        "一是加强领导，第一时间回复。",
        "本报告共分六个部分。",
        "落实“二十条措施”。",
        "拨打12345热线，邮编350400，电话0591-24300000。",
        "严格执行三审三校制度。",
        "二〇二一年度报告。",
        "按照统一部署，做到不漏一条。",
    ],
)
def test_not_claims(text):
    assert extract_claims(text, [], {}) == []


def test_range_and_list_give_one_claim_each():
    assert [c["value"] for c in extract_claims("每次培训3至5件。", [], {})] == [3, 5]
    assert [c["value"] for c in extract_claims("其中自然人4件、法人7件。", [], {})] == [4, 7]


def test_subject_and_cells():
    text = "全年共收到政府信息公开申请13件，办结12件，结转下年度1件。被申请行政复议2件。收取信息处理费100元，行政事业性收费35万元。"
    claims = {c["value"]: c for c in extract_claims(text, [], {})}
    assert claims[13]["subject"] == "收到政府信息公开申请" and claims[13]["cell"] == "t3.new_received.total"
    assert claims[12]["cell"] == "t3.handled_total.total"
    assert claims[1]["cell"] == "t3.carried_forward.total"
    assert claims[2]["cell"] == "t4.review.total"
    assert claims[100]["cell"] is None  # 信息处理费 is not table 2's 行政事业性收费
    assert claims[350000]["cell"] == "t2.fees.amount"


def test_rate_has_no_cell():
    assert one("满意率98%。")["cell"] is None


def test_tables_drop_cells_they_do_not_hold():
    (c,) = extract_claims("办结12件。", [], {}, tables={"t2": {}, "t3": {}, "t4": {}})
    assert c["cell"] is None


def test_numbers_in_tables_are_skipped():
    text = "收到申请13件。表格 新收申请 13 件 30件"
    table_start = text.index("表格")
    claims = extract_claims(text, [], {"t3": (table_start, len(text))})
    assert [c["value"] for c in claims] == [13]


def test_score_claims():
    gold = [{"text": "办结9件", "value": 9}, {"text": "4个片区", "value": 4}]
    pred = [{"text": "共办结9件", "value": 9}, {"text": "梳理出4个片区", "value": 4}, {"text": "x5件", "value": 5}]
    s = score_claims(pred, gold)
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 0)


def test_deterministic():
    text = "收到申请13件，办结率100%。"
    assert extract_claims(text, [], {}) == extract_claims(text, [], {})


def _corpus_score(reports):
    total = {"tp": 0, "fp": 0, "fn": 0}
    for path in reports:
        record = analyze(path)
        pred = extract_claims(record.text, record.sections, record.table_spans, tables=record.tables)
        for c in pred:
            assert record.text[c["start"] : c["end"]] == c["text"]
        s = score_claims(pred, gold_for(path)["claims"])
        for k in total:
            total[k] += s[k]
    precision = total["tp"] / ((total["tp"] + total["fp"]) or 1)
    recall = total["tp"] / ((total["tp"] + total["fn"]) or 1)
    return precision, recall, total


def test_real_reports_meet_the_bar():
    shared_path()
    # hongze_2023_print.pdf's gold has no claims (see ../shared/corpus/README.md).
    reports = [
        p for p in real_reports() if (p.parent.parent / "gold" / f"{p.stem}.json").exists() and "claims" in gold_for(p)
    ]
    precision, recall, total = _corpus_score(reports)
    assert precision >= 0.95 and recall >= 0.92, total


def test_sample_corpus_meets_the_bar():
    reports = sample_reports()
    if not reports:
        pytest.skip("corpora/sample/reports not found")
    precision, recall, total = _corpus_score(reports)
    assert precision >= 0.95 and recall >= 0.92, total
