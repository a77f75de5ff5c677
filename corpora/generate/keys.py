"""The keys the gold uses: table cells per layout, and the quantities a
narrative number may restate (a cell, a sum stated as one number, a share).

The generator computes the quantities itself from the tables it printed, so
the gold stays independent of the textmine code it scores.
"""

from __future__ import annotations

from typing import Any

T3_COLS = ["natural_person", "business", "research", "nonprofit", "legal_service", "other_org", "total"]
T3_ORG_LABELS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

DENIED = [
    ("state_secret", "1.属于国家秘密"),
    ("law_forbids", "2.其他法律行政法规禁止公开"),
    ("security_stability", "3.危及“三安全一稳定”"),
    ("third_party", "4.保护第三方合法权益"),
    ("internal_affairs", "5.属于三类内部事务信息"),
    ("process_info", "6.属于四类过程性信息"),
    ("enforcement_file", "7.属于行政执法案卷"),
    ("inquiry", "8.属于行政查询事项"),
]
UNAVAILABLE = [
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("must_create", "2.没有现成信息需要另行制作"),
    ("unclear", "3.补正后申请内容仍不明确"),
]
NOT_PROCESSED = [
    ("petition", "1.信访举报投诉类申请"),
    ("repeated", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("excessive", "4.无正当理由大量反复申请"),
    ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
]
OTHER_2021 = [
    ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
]


def t3_result_rows(layout: str) -> list[str]:
    rows = ["granted", "partly_granted"]
    rows += [f"denied.{k}" for k, _ in DENIED]
    rows += [f"unavailable.{k}" for k, _ in UNAVAILABLE]
    rows += [f"not_processed.{k}" for k, _ in NOT_PROCESSED]
    rows += [f"other.{k}" for k, _ in OTHER_2021] if layout == "2021" else ["other.total"]
    return rows


def t3_rows(layout: str) -> list[str]:
    return ["new_received", "carried_over"] + t3_result_rows(layout) + ["handled_total", "carried_forward"]


T2_KEYS = {
    "2021": [
        "regulations.issued",
        "regulations.repealed",
        "regulations.in_force",
        "normative_documents.issued",
        "normative_documents.repealed",
        "normative_documents.in_force",
        "licensing.decisions",
        "penalty.decisions",
        "coercion.decisions",
        "fees.amount",
    ],
    "2019": [
        "regulations.made",
        "regulations.published",
        "regulations.public_total",
        "normative_documents.made",
        "normative_documents.published",
        "normative_documents.public_total",
        *[
            f"{r}.{c}"
            for r in ("licensing", "other_services", "penalty", "coercion")
            for c in ("previous", "change", "decisions")
        ],
        "fees.previous",
        "fees.change",
        "procurement.projects",
        "procurement.amount",
    ],
}
T4_GROUPS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_KEYS = [f"{g}.{c}" for g in T4_GROUPS for c in T4_COLS]


def layout_for(year: int) -> str:
    """The table layout of a report year (2019 on): 2019 layout up to 2020."""
    return "2019" if year <= 2020 else "2021"


# ------------------------------------------------------- table quantities
#
# What a narrative number may restate (the keys of textmine's claims: a cell,
# a sum the narrative states as one number, a share of the handled total).

SHARE_OF = "t3.handled_total.total"
T3_GROUPS = {"denied": DENIED, "unavailable": UNAVAILABLE, "not_processed": NOT_PROCESSED}


def table_layout(t3: dict[str, Any]) -> str:
    """The layout table 3's keys are of (a ``free`` report draws 2021-layout tables)."""
    return "2021" if "other.no_correction.total" in t3 else "2019"


def quantity_terms(key: str, layout: str) -> list[str] | None:
    """The cells (``t3.granted.total``) whose sum quantity ``key`` is; None
    when the layout has no such quantity.  Shares are not sums (quantity_value)."""
    t, _, rest = key.partition(".")
    if key == "t3.received.total":
        return ["t3.new_received.total", "t3.carried_over.total"]
    if key == "t3.new_received.organisations":
        return [f"t3.new_received.{c}" for c in T3_COLS[1:-1]]
    if key == "t3.granted_or_partly.total":
        return ["t3.granted.total", "t3.partly_granted.total"]
    for group, items in T3_GROUPS.items():
        if key == f"t3.{group}.total":
            return [f"t3.{group}.{k}.total" for k, _ in items]
    if key == "t3.other.total":  # every 其他处理 row: three in the 2021 layout, one in the 2019 layout
        return [f"t3.other.{k}.total" for k, _ in OTHER_2021] if layout == "2021" else ["t3.other.total.total"]
    if key == "t4.corrected.total":
        return [f"t4.{g}.corrected" for g in T4_GROUPS]
    if t == "t4" and rest.startswith("suit."):
        col = rest.removeprefix("suit.")
        return [f"t4.suit_direct.{col}", f"t4.suit_after_review.{col}"]
    return [key]


def quantity_value(key: str, tables: dict[str, dict[str, Any]], layout: str) -> float | None:
    """Quantity ``key`` over ``tables`` (unprefixed cell keys per table); None
    when a cell it needs is blank or missing.  ``<row>.share`` is
    100 × ``<row>.total`` / the handled total (None when that is 0)."""
    if key.endswith(".share"):
        part = quantity_value(key.removesuffix(".share"), tables, layout)
        whole = quantity_value(SHARE_OF, tables, layout)
        return None if part is None or not whole else 100 * part / whole
    terms = quantity_terms(key, layout)
    if terms is None:
        return None
    total: float = 0
    for term in terms:
        t, _, cell = term.partition(".")
        v = tables.get(t, {}).get(cell)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        total += v
    return total


def yuan(wan: float) -> float | int:
    """An amount in 万元 as 元 (to the fen)."""
    y = round(float(wan) * 10000, 2)
    return int(y) if y == int(y) else y
