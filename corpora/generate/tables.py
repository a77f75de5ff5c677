"""Tables 2–4: the numbers an agency's year draws, every identity holding,
and the tables as printed (``Table`` blocks for :mod:`corpora.render`).

Every function here takes the report's RNG and draws in a fixed order: the
order of calls is part of the output.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from corpora.generate.agencies import SCALE, Agency
from corpora.generate.keys import (
    DENIED,
    NOT_PROCESSED,
    OTHER_2021,
    T3_COLS,
    T3_ORG_LABELS,
    T4_COLS,
    T4_GROUPS,
    T4_KEYS,
    UNAVAILABLE,
    t3_result_rows,
    t3_rows,
)
from corpora.render import Cell, Table

# --------------------------------------------------------------- table numbers


def gen_t2(
    rng: random.Random,
    ag: Agency,
    layout: str,
    *,
    makes_rules: bool | None = None,
    in_force: dict[str, int] | None = None,
) -> dict[str, Any]:
    """Table 2 cells.

    ``makes_rules`` fixes whether the agency issues 规章 (a series keeps it
    per agency); ``in_force`` (2021 layout) is last year's 现行有效件数 per
    row, so this year's is last year's + 制发 − 废止 (``year.in_force``).
    Without them the draws are those of the sample corpus.
    """
    s = SCALE[ag.level]
    if makes_rules is None:
        makes_rules = ag.level in ("province", "city", "national") and ag.kind in ("gov", "dept") and rng.random() < 0.5
    small = ag.level == "town"

    def r(lo: int, hi: int) -> int:
        return rng.randint(lo, hi)

    if layout == "2021":
        t: dict[str, Any] = {}
        ri = r(0, 6) if makes_rules else 0
        t["regulations.issued"] = ri
        t["regulations.repealed"] = r(0, 3) if makes_rules else 0
        t["regulations.in_force"] = ri + r(10, 120) if makes_rules else 0
        ni = r(0, 3) if small else r(0, max(4, s // 3))
        t["normative_documents.issued"] = ni
        t["normative_documents.repealed"] = r(0, max(1, ni))
        t["normative_documents.in_force"] = ni + (r(0, 12) if small else r(5, s * 4))
        t["licensing.decisions"] = 0 if small and rng.random() < 0.6 else r(0, s * 120)
        t["penalty.decisions"] = r(0, 5) if small else r(0, s * 25)
        t["coercion.decisions"] = r(0, 2) if small else r(0, s * 3)
        t["fees.amount"] = 0 if rng.random() < 0.3 else round(rng.uniform(0.5, s * 60), rng.choice([0, 1, 2, 2, 4, 6]))
        if in_force is not None:
            _carry_in_force(t, in_force)
        return t
    t = {}
    for row, mk in (("regulations", makes_rules), ("normative_documents", True)):
        made = (r(0, 6) if mk else 0) if row == "regulations" else (r(0, 3) if small else r(0, max(4, s // 3)))
        t[f"{row}.made"] = made
        t[f"{row}.published"] = made
        t[f"{row}.public_total"] = made + (r(5, s * 4) if (row == "normative_documents" or mk) else 0)
    for row, mult in (("licensing", 4), ("other_services", 2), ("penalty", 3), ("coercion", 1)):
        prev = r(0, 5) if small else r(0, s * mult)
        t[f"{row}.previous"] = prev
        t[f"{row}.change"] = 0 if rng.random() < 0.6 else r(-min(prev, 30), 30)
        t[f"{row}.decisions"] = r(0, 10) if small else r(0, s * 40)
    t["fees.previous"] = r(0, 5) if small else r(0, 60)
    t["fees.change"] = 0 if rng.random() < 0.7 else r(-min(t["fees.previous"], 5), 3)
    t["procurement.projects"] = r(0, 5) if small else r(0, s * 3)
    t["procurement.amount"] = (
        0 if t["procurement.projects"] == 0 else round(rng.uniform(1, 400 * t["procurement.projects"]), 2)
    )
    return t


def _carry_in_force(t: dict[str, Any], previous: dict[str, int]) -> None:
    """Make 现行有效件数 last year's stock + 制发 − 废止 (废止 capped by the stock)."""
    for row in ("regulations", "normative_documents"):
        stock = previous[row] + t[f"{row}.issued"]
        t[f"{row}.repealed"] = min(t[f"{row}.repealed"], stock)
        t[f"{row}.in_force"] = stock - t[f"{row}.repealed"]


RESULT_WEIGHTS_BASE = {
    "granted": 30,
    "partly_granted": 8,
    "denied.state_secret": 0.3,
    "denied.law_forbids": 0.6,
    "denied.security_stability": 0.3,
    "denied.third_party": 1.5,
    "denied.internal_affairs": 1.2,
    "denied.process_info": 1.5,
    "denied.enforcement_file": 0.8,
    "denied.inquiry": 1.2,
    "unavailable.not_held": 20,
    "unavailable.must_create": 2.5,
    "unavailable.unclear": 3,
    "not_processed.petition": 3,
    "not_processed.repeated": 3,
    "not_processed.publication": 0.5,
    "not_processed.excessive": 0.7,
    "not_processed.confirmation": 0.6,
    "other.no_correction": 2,
    "other.unpaid_fee": 0.3,
    "other.other": 2,
    "other.total": 4,
}


def gen_t3(
    rng: random.Random, ag: Agency, layout: str, *, carried_over: dict[str, int] | None = None
) -> dict[str, Any]:
    """Table 3 cells, every identity holding.

    ``carried_over`` fixes 上年结转 per applicant column (a series passes last
    year's 结转下年度); without it the column's carry-over is drawn as in the
    sample corpus.
    """
    s = SCALE[ag.level]
    rows = t3_rows(layout)
    results = t3_result_rows(layout)
    weights = [RESULT_WEIGHTS_BASE[k] for k in results]
    t: dict[str, Any] = {}
    zero_year = rng.random() < 0.12
    for col in T3_COLS[:-1]:
        if zero_year:
            new = 0
        elif col == "natural_person":
            new = rng.randint(0, s * 2)
        elif col == "business":
            new = rng.randint(0, max(1, s // 5)) if rng.random() < 0.6 else 0
        elif col == "legal_service":
            new = rng.randint(0, max(1, s // 10)) if rng.random() < 0.3 else 0
        else:
            new = rng.randint(0, 2) if rng.random() < 0.15 else 0
        if carried_over is not None:
            co = carried_over[col]
        else:
            co = rng.randint(0, max(0, new // 6)) if rng.random() < 0.4 else 0
        avail = new + co
        cf = rng.randint(0, max(0, avail // 8)) if avail and rng.random() < 0.4 else 0
        handled = avail - cf
        counts = dict.fromkeys(results, 0)
        for k in rng.choices(results, weights=weights, k=handled):
            counts[k] += 1
        t[f"new_received.{col}"] = new
        t[f"carried_over.{col}"] = co
        for k in results:
            t[f"{k}.{col}"] = counts[k]
        t[f"handled_total.{col}"] = handled
        t[f"carried_forward.{col}"] = cf
    for row in rows:
        t[f"{row}.total"] = sum(t[f"{row}.{c}"] for c in T3_COLS[:-1])
    return {f"{row}.{col}": t[f"{row}.{col}"] for row in rows for col in T3_COLS}


def gen_t4(rng: random.Random, ag: Agency) -> dict[str, Any]:
    s = SCALE[ag.level]
    t: dict[str, Any] = {}
    for g in T4_GROUPS:
        active = rng.random() < (0.5 if s >= 30 else 0.2)
        vals = [rng.randint(0, max(1, s // (20 if g == "review" else 40))) if active else 0 for _ in range(4)]
        if active and g == "review":
            vals[1] = rng.randint(0, 2)
        for c, v in zip(T4_COLS[:4], vals):
            t[f"{g}.{c}"] = v
        t[f"{g}.total"] = sum(vals)
    return t


# -------------------------------------------------------------- printed tables


def fmt_num(v: Any) -> str:
    """A number as a cell prints it: floats without trailing zeros, None empty."""
    if v is None:
        return ""
    if isinstance(v, float):
        s = f"{v:.6f}".rstrip("0").rstrip(".")
        return s
    return str(v)


def build_t2(layout: str, disp: dict[str, str], paren: Callable[[str], str]) -> Table:
    C = Cell
    if layout == "2021":
        rows = [
            [C(f"第二十条第{paren('一')}项", colspan=4)],
            [C("信息内容"), C("本年制发件数"), C("本年废止件数"), C("现行有效件数")],
            [
                C("规章"),
                C(disp["regulations.issued"]),
                C(disp["regulations.repealed"]),
                C(disp["regulations.in_force"]),
            ],
            [
                C("行政规范性文件"),
                C(disp["normative_documents.issued"]),
                C(disp["normative_documents.repealed"]),
                C(disp["normative_documents.in_force"]),
            ],
            [C(f"第二十条第{paren('五')}项", colspan=4)],
            [C("信息内容"), C("本年处理决定数量", colspan=3)],
            [C("行政许可"), C(disp["licensing.decisions"], colspan=3)],
            [C(f"第二十条第{paren('六')}项", colspan=4)],
            [C("信息内容"), C("本年处理决定数量", colspan=3)],
            [C("行政处罚"), C(disp["penalty.decisions"], colspan=3)],
            [C("行政强制"), C(disp["coercion.decisions"], colspan=3)],
            [C(f"第二十条第{paren('八')}项", colspan=4)],
            [C("信息内容"), C("本年收费金额（单位：万元）", colspan=3)],
            [C("行政事业性收费"), C(disp["fees.amount"], colspan=3)],
        ]
        return Table(rows)
    rows = [
        [C(f"第二十条第{paren('一')}项", colspan=4)],
        [C("信息内容"), C("本年新制作数量"), C("本年新公开数量"), C("对外公开总数量")],
        [C("规章")] + [C(disp[f"regulations.{k}"]) for k in ("made", "published", "public_total")],
        [C("规范性文件")] + [C(disp[f"normative_documents.{k}"]) for k in ("made", "published", "public_total")],
        [C(f"第二十条第{paren('五')}项", colspan=4)],
        [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("处理决定数量")],
        [C("行政许可")] + [C(disp[f"licensing.{k}"]) for k in ("previous", "change", "decisions")],
        [C("其他对外管理服务事项")] + [C(disp[f"other_services.{k}"]) for k in ("previous", "change", "decisions")],
        [C(f"第二十条第{paren('六')}项", colspan=4)],
        [C("信息内容"), C("上一年项目数量"), C("本年增/减"), C("处理决定数量")],
        [C("行政处罚")] + [C(disp[f"penalty.{k}"]) for k in ("previous", "change", "decisions")],
        [C("行政强制")] + [C(disp[f"coercion.{k}"]) for k in ("previous", "change", "decisions")],
        [C(f"第二十条第{paren('八')}项", colspan=4)],
        [C("信息内容"), C("上一年项目数量"), C("本年增/减", colspan=2)],
        [C("行政事业性收费"), C(disp["fees.previous"]), C(disp["fees.change"], colspan=2)],
        [C(f"第二十条第{paren('九')}项", colspan=4)],
        [C("信息内容"), C("采购项目数量"), C("采购总金额", colspan=2)],
        [C("政府集中采购"), C(disp["procurement.projects"]), C(disp["procurement.amount"], colspan=2)],
    ]
    return Table(rows)


def build_t3(layout: str, disp: dict[str, str], paren: Callable[[str], str]) -> Table:
    C = Cell

    def vals(row: str) -> list[Cell]:
        return [C(disp[f"{row}.{c}"]) for c in T3_COLS]

    n_results = 2 + len(DENIED) + len(UNAVAILABLE) + len(NOT_PROCESSED) + (3 if layout == "2021" else 1) + 1
    rows: list[list[Cell]] = [
        [
            C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
            C("申请人情况", colspan=7),
        ],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
        [C(x) for x in T3_ORG_LABELS],
        [C("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new_received"),
        [C("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over"),
        [C("三、本年度办理结果", rowspan=n_results), C(f"{paren('一')}予以公开", colspan=2)] + vals("granted"),
        [C(f"{paren('二')}部分公开{paren('区分处理的，只计这一情形，不计其他情形')}", colspan=2)]
        + vals("partly_granted"),
    ]
    for group, label, items in (
        ("denied", "三", DENIED),
        ("unavailable", "四", UNAVAILABLE),
        ("not_processed", "五", NOT_PROCESSED),
    ):
        title = {"denied": "不予公开", "unavailable": "无法提供", "not_processed": "不予处理"}[group]
        for i, (k, lab) in enumerate(items):
            head = [C(f"{paren(label)}{title}", rowspan=len(items))] if i == 0 else []
            rows.append(head + [C(lab)] + vals(f"{group}.{k}"))
    if layout == "2021":
        for i, (k, lab) in enumerate(OTHER_2021):
            head = [C(f"{paren('六')}其他处理", rowspan=3)] if i == 0 else []
            rows.append(head + [C(lab)] + vals(f"other.{k}"))
    else:
        rows.append([C(f"{paren('六')}其他处理", colspan=2)] + vals("other.total"))
    rows.append([C(f"{paren('七')}总计", colspan=2)] + vals("handled_total"))
    rows.append([C("四、结转下年度继续办理", colspan=3)] + vals("carried_forward"))
    return Table(rows)


def build_t4(disp: dict[str, str]) -> Table:
    C = Cell
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return Table(
        [
            [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
            [C(h, rowspan=2) for h in heads] + [C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
            [C(h) for h in heads] * 2,
            [C(disp[k]) for k in T4_KEYS],
        ]
    )


def cell_display(rng: random.Random, cells: dict[str, Any], key_money: set[str]) -> dict[str, str]:
    """Each cell's printed text; a blank cell (None) is printed empty, ``/`` or ``—``."""
    disp: dict[str, str] = {}
    for k, v in cells.items():
        if v is None:
            disp[k] = rng.choice(["", "", "/", "—"])
        else:
            disp[k] = fmt_num(v)
    return disp
