"""Generate the synthetic sample corpus of 政府信息公开工作年度报告.

    python -m corpora.generate --out corpora/sample --n 30 --seed 7

writes ``reports/`` (txt, html, docx, pdf), ``gold/<stem>.json`` (shaped like
``../shared/corpus/gold/*.json``), ``manifest.tsv`` and, unless
``--no-broken``, ``broken/`` (damaged and non-report files with their own
manifest and README).  Everything is synthetic: invented places and agencies,
wording from ``corpora/phrases.json``.  Output is deterministic given the seed.

    python -m corpora.generate --out corpora/series --series 12 --years 2021-2024 --seed 11

writes an *agency series* instead (:func:`generate_series`): each agency
reports every year, table 3 carries over from year to year, table 2's
现行有效件数 chains, problems recur; ``gold/_links.json`` holds the expected
cross-year statuses.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from corpora.render import Block, Cell, Table, write_docx, write_html, write_pdf, write_txt

PHRASES: dict[str, Any] = json.loads((Path(__file__).parent / "phrases.json").read_text(encoding="utf-8"))

CN_NUM = "一二三四五六七八九十"

# ----------------------------------------------------------------- table keys

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
        "regulations.issued", "regulations.repealed", "regulations.in_force",
        "normative_documents.issued", "normative_documents.repealed", "normative_documents.in_force",
        "licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.amount",
    ],
    "2019": [
        "regulations.made", "regulations.published", "regulations.public_total",
        "normative_documents.made", "normative_documents.published", "normative_documents.public_total",
        *[f"{r}.{c}" for r in ("licensing", "other_services", "penalty", "coercion") for c in ("previous", "change", "decisions")],
        "fees.previous", "fees.change", "procurement.projects", "procurement.amount",
    ],
}
T4_GROUPS = ["review", "suit_direct", "suit_after_review"]
T4_COLS = ["upheld", "corrected", "other", "pending", "total"]
T4_KEYS = [f"{g}.{c}" for g in T4_GROUPS for c in T4_COLS]


def layout_for(year: int) -> str:
    """The table layout of a report year (2019 on): 2019 layout up to 2020."""
    return "2019" if year <= 2020 else "2021"

# ------------------------------------------------------------------- agencies


@dataclass
class Agency:
    name: str      # as the title names it
    region: Optional[str]
    level: str     # national | province | city | county | town
    kind: str      # gov | dept | town | street
    city: str = ""


def make_agency(rng: random.Random) -> Agency:
    p = PHRASES
    prov, city, county = rng.choice(p["provinces"]), rng.choice(p["cities"]), rng.choice(p["counties"] + p["districts"])
    roll = rng.random()
    if roll < 0.05:
        return Agency(rng.choice(p["national_agencies"]), None, "national", "dept", city)
    if roll < 0.13:
        return Agency(f"{prov}人民政府", prov, "province", "gov", city)
    if roll < 0.23:
        return Agency(f"{prov}{rng.choice(p['province_departments'])}", prov, "province", "dept", city)
    if roll < 0.33:
        name = f"{prov}{city}人民政府" if rng.random() < 0.4 else f"{city}人民政府"
        return Agency(name, prov + city, "city", "gov", city)
    if roll < 0.48:
        return Agency(f"{city}{rng.choice(p['city_departments'])}", prov + city, "city", "dept", city)
    if roll < 0.63:
        name = f"{city}{county}人民政府"
        return Agency(name, prov + city + county, "county", "gov", city)
    if roll < 0.80:
        dep = rng.choice(p["county_departments"])
        name = f"{county}{dep}" if rng.random() < 0.6 else f"{city}{county}{dep}"
        return Agency(name, prov + city + county, "county", "dept", city)
    if roll < 0.92:
        town = rng.choice(p["towns"])
        name = f"{county}{town}人民政府" if rng.random() < 0.7 else f"{city}{county}{town}人民政府"
        return Agency(name, prov + city + county + town, "town", "town", city)
    street = rng.choice(p["streets"])
    return Agency(f"{county}{street}办事处", prov + city + county + street, "town", "street", city)


SCALE = {"national": 400, "province": 250, "city": 80, "county": 30, "town": 6}

# ------------------------------------------------------------- table numbers


def gen_t2(
    rng: random.Random,
    ag: Agency,
    layout: str,
    *,
    makes_rules: Optional[bool] = None,
    in_force: Optional[dict[str, int]] = None,
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
    t["procurement.amount"] = 0 if t["procurement.projects"] == 0 else round(rng.uniform(1, 400 * t["procurement.projects"]), 2)
    return t


def _carry_in_force(t: dict[str, Any], previous: dict[str, int]) -> None:
    """Make 现行有效件数 last year's stock + 制发 − 废止 (废止 capped by the stock)."""
    for row in ("regulations", "normative_documents"):
        stock = previous[row] + t[f"{row}.issued"]
        t[f"{row}.repealed"] = min(t[f"{row}.repealed"], stock)
        t[f"{row}.in_force"] = stock - t[f"{row}.repealed"]


RESULT_WEIGHTS_BASE = {
    "granted": 30, "partly_granted": 8,
    "denied.state_secret": 0.3, "denied.law_forbids": 0.6, "denied.security_stability": 0.3, "denied.third_party": 1.5,
    "denied.internal_affairs": 1.2, "denied.process_info": 1.5, "denied.enforcement_file": 0.8, "denied.inquiry": 1.2,
    "unavailable.not_held": 20, "unavailable.must_create": 2.5, "unavailable.unclear": 3,
    "not_processed.petition": 3, "not_processed.repeated": 3, "not_processed.publication": 0.5,
    "not_processed.excessive": 0.7, "not_processed.confirmation": 0.6,
    "other.no_correction": 2, "other.unpaid_fee": 0.3, "other.other": 2, "other.total": 4,
}


def gen_t3(rng: random.Random, ag: Agency, layout: str, *, carried_over: Optional[dict[str, int]] = None) -> dict[str, Any]:
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


# ------------------------------------------------------------ table layouts


def _fmt_num(v: Any) -> str:
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
            [C("规章"), C(disp["regulations.issued"]), C(disp["regulations.repealed"]), C(disp["regulations.in_force"])],
            [C("行政规范性文件"), C(disp["normative_documents.issued"]), C(disp["normative_documents.repealed"]), C(disp["normative_documents.in_force"])],
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
        [C("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), C("申请人情况", colspan=7)],
        [C("自然人", rowspan=2), C("法人或其他组织", colspan=5), C("总计", rowspan=2)],
        [C(x) for x in T3_ORG_LABELS],
        [C("一、本年新收政府信息公开申请数量", colspan=3)] + vals("new_received"),
        [C("二、上年结转政府信息公开申请数量", colspan=3)] + vals("carried_over"),
        [C("三、本年度办理结果", rowspan=n_results), C(f"{paren('一')}予以公开", colspan=2)] + vals("granted"),
        [C(f"{paren('二')}部分公开{paren('区分处理的，只计这一情形，不计其他情形')}", colspan=2)] + vals("partly_granted"),
    ]
    for group, label, items in (("denied", "三", DENIED), ("unavailable", "四", UNAVAILABLE), ("not_processed", "五", NOT_PROCESSED)):
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
    return Table([
        [C("行政复议", colspan=5), C("行政诉讼", colspan=10)],
        [C(h, rowspan=2) for h in heads] + [C("未经复议直接起诉", colspan=5), C("复议后起诉", colspan=5)],
        [C(h) for h in heads] * 2,
        [C(disp[k]) for k in T4_KEYS],
    ])


# --------------------------------------------------------------- claim text

CN_DIGITS = "零一二三四五六七八九"


def to_cn(n: int, liang: bool = False) -> str:
    if n == 2 and liang:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")


# ------------------------------------------------------- table quantities
#
# What a narrative number may restate (the keys of textmine's claims: a cell,
# a sum the narrative states as one number, a share of the handled total).
# The generator computes them itself from the tables it printed: the gold
# stays independent of the code it scores.

SHARE_OF = "t3.handled_total.total"
T3_GROUPS = {"denied": DENIED, "unavailable": UNAVAILABLE, "not_processed": NOT_PROCESSED}


def table_layout(t3: dict[str, Any]) -> str:
    """The layout table 3's keys are of (a ``free`` report draws 2021-layout tables)."""
    return "2021" if "other.no_correction.total" in t3 else "2019"


def quantity_terms(key: str, layout: str) -> Optional[list[str]]:
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


def quantity_value(key: str, tables: dict[str, dict[str, Any]], layout: str) -> Optional[float]:
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


def _share_text(rng: random.Random, share: float) -> str:
    """A share as a report prints it: whole percent or one decimal."""
    decimals = 1 if share < 1 or rng.random() < 0.6 else 0
    return f"{share:.{decimals}f}"


# Slot → (quantity key, readings) of the count slots the table_claims templates use.
T3_SLOTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "new": ("t3.new_received.total", ()),
    "new_amb": ("t3.new_received.total", ("t3.new_received.total", "t3.received.total")),
    "carried": ("t3.carried_over.total", ()),
    "np": ("t3.new_received.natural_person", ()),
    "org": ("t3.new_received.organisations", ()),
    "biz": ("t3.new_received.business", ()),
    "handled": ("t3.handled_total.total", ()),
    "granted": ("t3.granted.total", ()),
    "partly": ("t3.partly_granted.total", ()),
    "gp": ("t3.granted_or_partly.total", ()),
    "denied": ("t3.denied.total", ()),
    "unavail": ("t3.unavailable.total", ()),
    "nproc": ("t3.not_processed.total", ()),
    "cf": ("t3.carried_forward.total", ()),
}
# Share slots: <count slot>_share.
SHARE_SLOTS = ("granted", "partly", "gp", "denied", "unavail", "nproc")
T4_SLOTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "review": ("t4.review.total", ()),
    "sd": ("t4.suit_direct.total", ()),
    "sar": ("t4.suit_after_review.total", ()),
    "suit": ("t4.suit.total", ("t4.suit.total", "t4.suit_direct.total")),
    "corr_all": ("t4.corrected.total", ()),
}
T4_REVIEW_RESULTS = {"r_upheld": "upheld", "r_corrected": "corrected", "r_other": "other", "r_pending": "pending"}
T2_SLOTS: dict[str, dict[str, str]] = {
    "2021": {
        "nd_issued": "normative_documents.issued", "nd_repealed": "normative_documents.repealed",
        "nd_in_force": "normative_documents.in_force", "lic": "licensing.decisions",
        "pen": "penalty.decisions", "coe": "coercion.decisions",
    },
    "2019": {
        "nd_made": "normative_documents.made", "lic": "licensing.decisions",
        "pen": "penalty.decisions", "coe": "coercion.decisions",
    },
}


def t34_vars(rng: random.Random, t3: dict[str, Any], t4: dict[str, Any], tabular: bool) -> dict[str, Var]:
    """The slots of the table 3 and 4 templates that have a value: each a
    ``Var`` whose ``cell`` is its quantity key (None in a report without tables)."""
    tables = {"t3": t3, "t4": t4}
    layout = table_layout(t3)
    out: dict[str, Var] = {}

    def put(slot: str, key: str, readings: tuple[str, ...] = ()) -> Optional[float]:
        v = quantity_value(key, tables, layout)
        if v is not None:
            out[slot] = Var(v, cell=key if tabular else None, readings=readings if tabular else (), free=False)
        return v

    for slot, (key, readings) in T3_SLOTS.items():
        put(slot, key, readings)
    put("otherh", "t3.other.total")
    carried = quantity_value("t3.carried_over.total", tables, layout)
    if carried:  # 含上年结转 only when something was carried over
        put("received", "t3.received.total")
        put("received_amb", "t3.received.total", ("t3.new_received.total", "t3.received.total"))
    for slot in SHARE_SLOTS:
        count = out.get(slot)
        row = T3_SLOTS[slot][0]
        share = quantity_value(f"{row}.share", tables, layout)
        if count is None or not count.value or share is None:
            continue
        shown = _share_text(rng, share)
        value = float(shown) if "." in shown else int(shown)
        out[f"{slot}_share"] = Var(value, kind="rate", cell=f"{row}.share" if tabular else None, shown=shown, free=False)
    for slot, (key, readings) in T4_SLOTS.items():
        put(slot, key, readings)
    if quantity_value("t4.review.total", tables, layout):  # results of reviews there were
        for slot, col in T4_REVIEW_RESULTS.items():
            put(slot, f"t4.review.{col}")
    if quantity_value("t4.suit.total", tables, layout):
        put("s_corrected", "t4.suit.corrected", ("t4.suit.corrected", "t4.suit_direct.corrected"))
    return out


def t2_vars(t2: dict[str, Any], disp: dict[str, str], layout: str, tabular: bool) -> dict[str, Var]:
    """The slots of the table 2 templates that have a value (as printed:
    call after the table's cells are final)."""
    out: dict[str, Var] = {}

    def put(slot: str, cell: str, **kw: Any) -> None:
        v = t2.get(cell)
        if isinstance(v, (int, float)):
            out[slot] = Var(v, cell=f"t2.{cell}" if tabular else None, free=False, **kw)

    for slot, cell in T2_SLOTS[layout].items():
        put(slot, cell)
    if layout == "2021":
        if isinstance(t2["regulations.in_force"], int) and t2["regulations.in_force"] > 0:  # the 规章 row, when filled
            for slot, col in (("reg_issued", "issued"), ("reg_repealed", "repealed"), ("reg_in_force", "in_force")):
                put(slot, f"regulations.{col}")
        fee = t2["fees.amount"]
        if isinstance(fee, (int, float)) and fee:
            put("fee", "fees.amount", kind="money", shown=disp["fees.amount"])
            put("fee_yuan", "fees.amount", kind="money")
            out["fee_yuan"].value = _yuan(fee)
    else:
        if isinstance(t2["regulations.public_total"], int) and t2["regulations.public_total"] > 0:
            put("reg_made", "regulations.made")
        if isinstance(t2["procurement.projects"], int) and t2["procurement.projects"] > 0:
            put("proj", "procurement.projects")
            put("pamt", "procurement.amount", kind="money")
            put("pamt_yuan", "procurement.amount", kind="money")
            out["pamt_yuan"].value = _yuan(t2["procurement.amount"])
    return out


def _yuan(wan: float) -> float | int:
    """An amount in 万元 as 元 (to the fen)."""
    y = round(float(wan) * 10000, 2)
    return int(y) if y == int(y) else y


def _ready(template: str, vars_: dict[str, Var], ctx: dict[str, str]) -> bool:
    """Every slot of ``template`` has a value."""
    return all(name in vars_ or name in ctx for name in SLOT_RE.findall(template))


def _ready_families(bank: dict[str, list[str]], vars_: dict[str, Var], ctx: dict[str, str]) -> dict[str, list[str]]:
    out = {fam: [t for t in ts if _ready(t, vars_, ctx)] for fam, ts in bank.items()}
    return {fam: ts for fam, ts in out.items() if ts}


# Families of which a paragraph states at most one (they restate one number).
T3_INTAKE = ("new", "received", "received_with_carried")
T4_GROUPS_OF_FAMILIES = (
    (("review", "review_results", "review_and_suit"), 0.85),
    (("suit", "suit_split", "suit_lost"), 0.7),
    (("corrected",), 0.35),
)


def _numbers(template: str, vars_: dict[str, Var]) -> int:
    """How many numbers ``template`` states."""
    return sum(1 for name in SLOT_RE.findall(template) if name in vars_)


def t2_paragraph(
    rng: random.Random, layout: str, vars_: dict[str, Var], ctx: dict[str, str], *,
    opener: bool = True, max_numbers: Optional[int] = None,
) -> Optional[str]:
    """Sentences restating table 2 (a template for ``say``): one to three
    families, or one of at most ``max_numbers`` numbers; None when none fits."""
    bank = PHRASES["table_claims"][f"t2_{layout}"]
    if max_numbers is not None:
        bank = {f: [t for t in ts if _numbers(t, vars_) <= max_numbers] for f, ts in bank.items()}
    fams = _ready_families(bank, vars_, ctx)
    if not fams:
        return None
    names = list(fams)
    k = 1 if max_numbers is not None else rng.randint(1, 3)
    chosen = sorted(rng.sample(names, min(len(names), k)), key=names.index)
    body = "".join(rng.choice(fams[f]) for f in chosen)
    return (rng.choice(PHRASES["table_claim_openers"]["t2"]) if opener else "") + body


def t3_paragraph(
    rng: random.Random, vars_: dict[str, Var], ctx: dict[str, str], *,
    opener: bool = True, max_numbers: Optional[int] = None, intake: bool = True,
) -> Optional[str]:
    """Clauses restating table 3, joined into sentences (a template for
    ``say``): an intake clause (unless not ``intake``: the words before
    state it) and two to six other families, or clauses of at most
    ``max_numbers`` numbers in one sentence; None when none fits."""
    fams = _ready_families(PHRASES["table_claims"]["t3"], vars_, ctx)
    if not intake:
        fams = {f: ts for f, ts in fams.items() if f not in T3_INTAKE}
    intake_fams = [f for f in T3_INTAKE if f in fams]
    rest = [f for f in fams if f not in T3_INTAKE]
    if max_numbers is not None:
        clauses: list[str] = []
        budget = max_numbers
        for f in sorted(rng.sample(list(fams), min(len(fams), 2)), key=list(fams).index):
            fits = [t for t in fams[f] if _numbers(t, vars_) <= budget]
            if fits:
                clauses.append(rng.choice(fits))
                budget -= _numbers(clauses[-1], vars_)
        sentences = [clauses]
    else:
        chosen = [rng.choice(intake_fams)] if intake_fams and rng.random() < 0.85 else []
        chosen += sorted(rng.sample(rest, min(len(rest), rng.randint(2, 6))), key=rest.index)
        sentences = [[]]
        for f in chosen:
            sentences[-1].append(rng.choice(fams[f]))
            if rng.random() < 0.35:
                sentences.append([])
    body = "".join("，".join(s) + "。" for s in sentences if s)
    if not body:
        return None
    return (rng.choice(PHRASES["table_claim_openers"]["t3"]) if opener else "") + body


def t4_paragraph(
    rng: random.Random, vars_: dict[str, Var], ctx: dict[str, str], *, opener: bool = True, after_table: bool = False,
) -> Optional[str]:
    """Sentences restating table 4 (a template for ``say``): one of each group
    of families drawn, the results in the sentence that names their topic.
    ``after_table``: an opening sentence, and no template with 审结 or 总计
    (table 4's header ends with the last of them: the reader would start
    the table's values there)."""
    bank = PHRASES["table_claims"]["t4"]
    if after_table:
        bank = {f: [t for t in ts if "审结" not in t and "总计" not in t] for f, ts in bank.items()}
    fams = _ready_families(bank, vars_, ctx)
    chosen: list[str] = []
    for group, share in T4_GROUPS_OF_FAMILIES:
        ready = [f for f in group if f in fams and not (f == "suit" and "review_and_suit" in chosen)]
        if ready and rng.random() < share:
            chosen.append(rng.choice(ready))
    if not chosen:
        return None
    body = "".join(rng.choice(fams[f]) for f in chosen)
    return (rng.choice(PHRASES["table_claim_openers"]["t4"]) if opener and after_table else "") + body


@dataclass
class Var:
    value: float | int
    kind: str = "count"        # count | rate | money
    cell: Optional[str] = None   # the quantity key the number restates (a cell, a sum, a share)
    shown: Optional[str] = None  # fixed display text (cell-mapped money, a share's rounding)
    free: bool = True            # may be rounded / approximated / written in 万 or Chinese
    readings: tuple[str, ...] = ()  # the quantities the words allow, when several (gold ``readings``)


UNIT_RE = re.compile(r"(万元|人次|元|条|件|篇|项|次|个|%)")
SPAN_RE = re.compile(r"\[([^\]]*)\]")
SLOT_RE = re.compile(r"\{(\w+)\}")
# A cell-mapped number in the text as ``fill`` writes it: ``\ue000<id>\ue001<number>\ue002``,
# so that a planted disagreement can replace it once the report is written
# (:func:`_plant`); :func:`_unmark` leaves the number alone.
MARK_RE = re.compile("\ue000(\\d+)\ue001([^\ue002]*)\ue002")


def fill(
    template: str, vars_: dict[str, Var], rng: random.Random, ctx: dict[str, str], first_id: int = 0
) -> tuple[str, list[dict[str, Any]]]:
    """Fill a claim template; return the text and the claims (spans in [ ]).

    A claim that restates a table quantity gets its key as ``cell`` (and
    ``readings`` when the words allow several); its number is marked in the
    text (MARK_RE, id ``first_id`` + its index) and the claim keeps the words
    around it (``_id``, ``_before``, ``_after``, ``_unit``) for :func:`_plant`.
    """
    claims: list[dict[str, Any]] = []
    for k, v in ctx.items():
        template = template.replace("{" + k + "}", v)

    def span(m: re.Match[str]) -> str:
        inner = m.group(1)
        sm = SLOT_RE.search(inner)
        if not sm:
            return inner
        var = vars_[sm.group(1)]
        after = inner[sm.end():]
        before = inner[: sm.start()]
        um = UNIT_RE.match(after)
        unit_txt = um.group(1) if um else ""
        value: float | int = var.value
        approx = bool(re.search(r"(约|近|超过)$", before))
        shown: str
        if var.shown is not None:
            shown = var.shown
        elif var.kind == "rate":
            shown = _fmt_num(value)
        elif var.kind == "money":
            shown = _fmt_num(value)
        else:
            iv = int(value)
            roll = rng.random()
            if var.free and iv >= 10000 and roll < 0.5:
                iv = round(iv, -3)
                shown = f"{iv / 10000:.1f}万".replace(".0万", "万")
            elif var.free and iv >= 300 and roll < 0.25 and not approx:
                iv = (iv // 100) * 100
                mark = rng.choice(["余", "多", "约", "近"])
                if mark in ("余", "多"):
                    shown = f"{iv}{mark}"
                else:
                    shown = f"{mark}{iv}"
                approx = True
            elif 1 <= iv <= 30 and roll < 0.25 and unit_txt not in ("%",):
                shown = to_cn(iv, liang=unit_txt in ("个", "次", "项"))
            else:
                shown = str(iv)
            value = iv
        if approx and not re.search(r"(约|近|超过)$", before) and not shown[-1] in "余多" and shown[0] not in "约近":
            approx = False
        if after.startswith("以上") or (unit_txt and after[len(unit_txt):].startswith("以上")):
            approx = True
        text = before + shown + after
        unit = unit_txt
        kind = var.kind
        if unit_txt == "万元":
            value = round(float(var.value) * 10000, 2)
            if value == int(value):
                value = int(value)
            unit, kind = "元", "money"
        elif unit_txt == "元":
            kind = "money"
        elif unit_txt == "%":
            kind = "rate"
        c: dict[str, Any] = {"text": text, "value": value, "unit": unit, "kind": kind, "approx": approx}
        if var.cell:
            c["cell"] = var.cell
            if var.readings:
                c["readings"] = list(var.readings)
            ident = first_id + len(claims)
            c.update({"_id": ident, "_before": before, "_after": after, "_unit": unit_txt})
            claims.append(c)
            return f"{before}\ue000{ident}\ue001{shown}\ue002{after}"
        claims.append(c)
        return text

    out = SPAN_RE.sub(span, template)
    return out, claims


# ---------------------------------------------------------------- report model


@dataclass
class Spec:
    fmt: str
    flattening: str = ""
    encoding: str = "utf-8"
    chrome: bool = False
    split_digits: bool = False
    free: bool = False
    # No page chrome in the blocks: corpora/forms.py builds the head itself.
    plain_head: bool = False


PATTERN: list[Spec] = [
    Spec("txt", "cell_per_line"), Spec("html", chrome=True), Spec("docx"), Spec("pdf"),
    Spec("txt", "pipe"), Spec("html", encoding="gbk", chrome=True, split_digits=True), Spec("txt", "run_together"),
    Spec("txt", "tabs"), Spec("docx"), Spec("pdf"),
    Spec("txt", "tabs", encoding="gbk"), Spec("html"), Spec("txt", "split_headers"),
    Spec("html", chrome=True, split_digits=True), Spec("pdf"), Spec("txt", "cell_per_line", encoding="gbk"),
    Spec("docx"), Spec("txt", "pipe"), Spec("html", encoding="gbk"), Spec("txt", "run_together"),
    Spec("pdf"), Spec("html", chrome=True), Spec("txt", "spaces"), Spec("docx", free=True),
    Spec("txt", "split_headers", encoding="gbk"), Spec("html", split_digits=True), Spec("pdf"),
    Spec("txt", "run_together", free=True), Spec("docx"), Spec("html", chrome=True, free=True),
]


@dataclass
class Report:
    id: str
    spec: Spec
    blocks: list[Block]
    gold: dict[str, Any]
    title: str
    render_seed: int
    notes: list[str] = field(default_factory=list)


@dataclass
class YearPlan:
    """What an agency series fixes for one report; ``make_report`` draws the rest."""

    agency: Agency
    year: int
    t2: dict[str, Any]
    t3: dict[str, Any]
    t4: dict[str, Any]
    problems: list[dict[str, Any]]  # items of PHRASES["problems"] the report admits
    rng_name: str                   # names the report's own RNG (wording, layout)
    notes: list[str] = field(default_factory=list)  # for the gold notes (a deliberate break)


def _paren_fn(rng: random.Random) -> Callable[[str], str]:
    full = rng.random() < 0.8
    return (lambda s: f"（{s}）") if full else (lambda s: f"({s})")


def _heading(num: int, sep: str, title: str) -> str:
    return f"{CN_NUM[num - 1]}{sep}{title}"


def _numbered_items(
    rng: random.Random,
    bank: list[dict[str, Any]],
    k: int,
    style: str,
    paren: Callable[[str], str],
    picks: Optional[list[dict[str, Any]]] = None,
) -> list[tuple[str, list[str]]]:
    # ``picks`` (bank items chosen by the caller) replaces the random sample
    picks = rng.sample(bank, k) if picks is None else picks
    dot = rng.choice([".", "．", "、", "."])
    out: list[tuple[str, list[str]]] = []
    for i, it in enumerate(picks):
        core = f"{it['head']}。{it['body']}"
        if style == "shi":
            t = f"{CN_NUM[i]}是{core}"
        elif style == "paren":
            t = f"{paren(CN_NUM[i])}{core}"
        elif style == "arabic":
            t = f"{i + 1}{dot}{core}"
        elif style == "first":
            word = PHRASES["problem_first"][i] if i < len(picks) - 1 or i == 0 else "最后"
            t = f"{word}，{core}"
        else:  # unnumbered
            t = it["body"]
        out.append((t, list(it["cats"])))
    return out


def _problems_section(
    rng: random.Random,
    agency: str,
    paren: Callable[[str], str],
    problem_picks: Optional[list[dict[str, Any]]] = None,
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]], str]:
    """Paragraphs of section 五 plus gold problems/improvements and a note.

    ``problem_picks``: the problem-bank items to admit (a series chooses them
    so that categories recur); default a random 2–4.
    """
    pstyle = rng.choice(["shi", "shi", "paren", "arabic", "first", "plain"])
    istyle = rng.choice(["shi", "shi", "paren", "arabic", "first", "plain"])
    k = len(problem_picks) if problem_picks is not None else rng.randint(2, 4)
    probs = _numbered_items(rng, PHRASES["problems"], k, pstyle, paren, problem_picks)
    imps = _numbered_items(rng, PHRASES["improvements"], rng.randint(2, 4), istyle, paren)
    paras: list[str] = []
    subheads = rng.random() < 0.35
    heads = rng.choice(PHRASES["problems_subheads"])
    layout_one_para = rng.random() < 0.5
    intro_p = rng.choice(PHRASES["problem_intros"])
    intro_i = rng.choice(PHRASES["improvement_intros"]).replace("{agency}", agency)
    if subheads:
        paras.append(f"{paren('一')}{heads[0]}")
    if layout_one_para:
        paras.append((intro_p + "".join(t for t, _ in probs)).strip())
    else:
        if intro_p:
            paras.append(intro_p)
        paras.extend(t for t, _ in probs)
    if subheads:
        paras.append(f"{paren('二')}{heads[1]}")
        intro_i = intro_i if rng.random() < 0.5 else ""
    if layout_one_para:
        paras.append((intro_i + "".join(t for t, _ in imps)).strip())
    else:
        if intro_i:
            paras.append(intro_i)
        paras.extend(t for t, _ in imps)
    gp = [{"text": t, "categories": c} for t, c in probs]
    gi = [{"text": t, "categories": c} for t, c in imps]
    note = f"Section 五: problems numbered '{pstyle}', improvements '{istyle}'" + (f", sub-headings {heads[0]}/{heads[1]}" if subheads else "") + "."
    return paras, gp, gi, note


def _cell_display(rng: random.Random, cells: dict[str, Any], key_money: set[str]) -> dict[str, str]:
    disp: dict[str, str] = {}
    for k, v in cells.items():
        if v is None:
            disp[k] = rng.choice(["", "", "/", "—"])
        else:
            disp[k] = _fmt_num(v)
    return disp


def _chrome_blocks(rng: random.Random, ag: Agency, published: str, time_s: str) -> tuple[list[str], list[str]]:
    top = [rng.choice(PHRASES["chrome_top"])]
    src = ag.name if rng.random() < 0.5 else rng.choice(["办公室", "政务公开办", ag.name + "办公室"])
    meta = rng.choice(PHRASES["chrome_meta"]).format(date=published, time=time_s, source=src)
    bottom = [s.format(editor=rng.choice(PHRASES["editors"])) for s in rng.choice(PHRASES["chrome_bottom"])]
    return top + [meta], bottom


Tamper = Callable[[random.Random, dict[str, Any], dict[str, Any], dict[str, Any]], list[str]]


def make_report(
    i: int,
    seed: int,
    spec: Spec,
    *,
    force_layout: Optional[str] = None,
    tamper: Optional[Tamper] = None,
    rid: Optional[str] = None,
    plan: Optional[YearPlan] = None,
) -> Report:
    """Build one report: blocks and gold.

    ``tamper(rng, t2, t3, t4)`` may alter the generated cells before the
    tables are printed (blank cells = ``None``, wrong totals); it returns notes.
    ``plan`` (agency series) fixes the agency, year, table cells and admitted
    problems; everything else (wording, layout details) is drawn as usual
    from an RNG named by the plan.
    """
    rng = random.Random(plan.rng_name if plan else f"textmine-sample-{seed}-{i}")
    ag = plan.agency if plan else make_agency(rng)
    if plan is not None:
        year = plan.year
        layout = layout_for(year)
    elif spec.free:
        year = rng.randint(2010, 2018)
        layout = "free"
    else:
        year = rng.randint(2019, 2025) if force_layout is None else (rng.randint(2019, 2020) if force_layout == "2019" else rng.randint(2021, 2025))
        layout = "2019" if year <= 2020 else "2021"
    rid = rid or f"syn{i:03d}_{year}"
    paren = _paren_fn(rng)
    sep = rng.choice(["、"] * 6 + [".", "．", "、 "])
    notes: list[str] = list(plan.notes) if plan else []
    ctx = {"agency": ag.name, "year": str(year)}
    claims: list[dict[str, Any]] = []

    # publication date
    month = 1 if rng.random() < 0.8 else rng.choice([2, 3])
    day = rng.randint(5, 31) if month == 1 else rng.randint(1, 28)
    published = f"{year + 1}-{month:02d}-{day:02d}"
    time_s = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"

    du = "年度" if rng.random() < 0.4 else "年"
    title = f"{ag.name}{year}{du}政府信息公开工作年度报告"
    if spec.free and rng.random() < 0.3:
        title = f"{ag.name}{year}年政府信息公开年度报告"

    use_chrome = spec.chrome or rng.random() < 0.3
    chrome_top, chrome_bottom = _chrome_blocks(rng, ag, published, time_s) if use_chrome else ([], [])
    signature = (not use_chrome) and rng.random() < 0.5
    pub_known = use_chrome or signature
    if spec.plain_head:
        # Drawn as usual (so the RNG runs alike), then dropped: the forms add their own.
        chrome_top, chrome_bottom, pub_known = [], [], signature

    blocks: list[Block] = []
    if chrome_top:
        if rng.random() < 0.5:
            blocks.extend(chrome_top)
            blocks.append(title)
        else:
            blocks.append(chrome_top[0])
            blocks.append(title)
            blocks.append(chrome_top[1])
    else:
        blocks.append(title)

    # numbers
    if plan is not None:
        # copies: printing may blank or round cells of this report only
        t2, t3, t4 = dict(plan.t2), dict(plan.t3), dict(plan.t4)
    else:
        t2 = gen_t2(rng, ag, layout if layout != "free" else "2021")
        t3 = gen_t3(rng, ag, layout if layout != "free" else "2021")
        t4 = gen_t4(rng, ag)
    tabular = layout != "free"
    if tamper is not None:
        notes.extend(tamper(rng, t2, t3, t4))

    s = SCALE[ag.level]
    info = rng.randint(s * 20, s * 600)
    vars_: dict[str, Var] = {
        "info": Var(info), "policy": Var(rng.randint(3, s * 3)), "news": Var(rng.randint(20, s * 100)),
        "catalog": Var(rng.randint(10, 300)), "jiedu": Var(rng.randint(2, s * 2)), "jierate": Var(rng.randint(20, 80), kind="rate"),
        "audit": Var(rng.randint(4, 200)), "cleanup": Var(rng.randint(3, s * 3)), "info2": Var(rng.randint(s * 20, s * 500)),
        "site": Var(rng.randint(s * 20, s * 700)), "xmt": Var(rng.randint(1, 12)), "spots": Var(rng.randint(1, 20)),
        "msgs": Var(rng.randint(5, s * 40)), "ontime": Var(rng.choice([100, 100, 99.5, 98.6, 97]), kind="rate"),
        "satis": Var(rng.choice([100, 99, 98.7, 96.5, 95]), kind="rate"), "push": Var(rng.randint(50, s * 150)),
        "reads": Var(rng.randint(5, 90) * 10000), "train": Var(rng.randint(1, 8)), "trainees": Var(rng.randint(20, 600)),
        "checks": Var(rng.randint(1, 6)), "meetings": Var(rng.randint(1, 5)),
        "done": Var(rng.choice([100, 100, 100, 98.2]), kind="rate"),
        "infofee": Var(rng.choice([20, 45, 100, 160, 300]), kind="money"),
    }
    # a narrative number that disagrees with its table (real reports do this): _plant, at the end
    plant = tabular and rng.random() < PLANT_SHARE

    used: set[str] = set()

    def say(template: str) -> str:
        # a free number stated twice would be an odd coincidence: draw a new one
        for name in SLOT_RE.findall(template):
            v = vars_.get(name)
            if v is not None and name in used and v.free and v.kind == "count":
                vars_[name] = Var(max(1, int(v.value * rng.uniform(0.2, 0.9))))
            used.add(name)
        text, cl = fill(template, vars_, rng, ctx, first_id=len(claims))
        claims.extend(cl)
        return text

    def bank(group: str) -> list[str]:
        """The overview templates of ``group`` whose every slot has a value."""
        return [t for t in PHRASES["overview_claims"][group] if _ready(t, vars_, ctx)]

    sections: list[str] = []
    problems: list[dict[str, Any]] = []
    improvements: list[dict[str, Any]] = []

    blocks.append(rng.choice(PHRASES["free_preambles"] if spec.free else PHRASES["preambles"]).format(**ctx))

    if not spec.free:
        st = PHRASES["section_titles"]
        # table 2 as it will be printed: the narrative restates what the table prints
        t2_disp = _cell_display(rng, t2, set())
        if layout == "2021" and isinstance(t2["fees.amount"], float) and rng.random() < 0.3:
            t2_disp["fees.amount"] = f"{t2['fees.amount']:.2f}"
            # The gold is what the table prints, not the unrounded draw.
            t2["fees.amount"] = float(t2_disp["fees.amount"])
        if layout == "2019" and t2["procurement.amount"] and rng.random() < 0.5:
            yuan = round(t2["procurement.amount"] * 10000, 2)
            t2_disp["procurement.amount"] = f"{yuan:.2f}元"
            notes.append(f"procurement.amount printed in 元 ({t2_disp['procurement.amount']}); gold converted to 万元.")
        # an agency without some duties prints '/' in those cells (null in gold)
        if ag.level == "town" and rng.random() < 0.5:
            for k in ("regulations.issued", "regulations.repealed", "regulations.in_force") if layout == "2021" else ("regulations.made", "regulations.published", "regulations.public_total"):
                t2[k] = None
                t2_disp[k] = rng.choice(["/", "—", ""])
            notes.append("Table 2 规章 row printed blank or '/' (the agency makes no 规章): null in gold.")
        vars_.update(t34_vars(rng, t3, t4, tabular))
        vars_.update(t2_vars(t2, t2_disp, layout, tabular))
        # 一 overview: its 主动公开 and 依申请公开 parts may restate the tables at length
        sections.append("overview")
        blocks.append(_heading(1, sep, rng.choice(st["overview"])))
        blocks.append(rng.choice(PHRASES["overview_intros"]).format(**ctx))
        mode = rng.choice(["heading", "inline", "inline", "none"])
        subs = PHRASES["overview_subsections"] if rng.random() < 0.75 else PHRASES["overview_subsections_alt"]
        groups = ["active", "requests", "management", "platform", "supervision"]
        restated = {
            "active": t2_paragraph(rng, layout, vars_, ctx, opener=False) if rng.random() < 0.6 else None,
            "requests": "".join(filter(None, [
                t3_paragraph(rng, vars_, ctx, opener=False, intake=False) if rng.random() < 0.7 else None,
                t4_paragraph(rng, vars_, ctx, opener=False) if rng.random() < 0.5 else None,
            ])),
        }
        if mode == "none":
            for g in ("active", "requests"):
                blocks.append(say(rng.choice(bank(g)) + (restated[g] or "")))
        else:
            for j, g in enumerate(groups):
                sents = rng.sample(bank(g), min(len(bank(g)), rng.randint(1, 2)))
                body = "".join(say(x) for x in sents) + (say(restated[g]) if restated.get(g) else "")
                if mode == "heading":
                    blocks.append(f"{paren(CN_NUM[j])}{subs[j]}")
                    blocks.append(body)
                else:
                    blocks.append(f"{paren(CN_NUM[j])}{subs[j]}。{body}")
        # Between two tables a remark is short (two numbers at most): a PDF
        # line holding three numbers under a table that a page break ends is
        # read as a row the break cut (textmine.read.pdf._mend_split_rows).
        # 二 table 2
        sections.append("active_disclosure")
        blocks.append(_heading(2, sep, rng.choice(st["active_disclosure"])))
        intro = rng.choice(PHRASES["t2_intros"])
        if intro:
            blocks.append(intro)
        blocks.append(build_t2(layout, t2_disp, paren))
        para = t2_paragraph(rng, layout, vars_, ctx, max_numbers=2) if rng.random() < 0.4 else None
        if para:
            blocks.append(say(para))
        # 三 table 3
        sections.append("requests")
        blocks.append(_heading(3, sep, rng.choice(st["requests"])))
        intro = rng.choice(PHRASES["t3_intros"])
        if intro:
            blocks.append(intro)
        t3_disp = _cell_display(rng, t3, set())
        blocks.append(build_t3(layout, t3_disp, paren))
        para = t3_paragraph(rng, vars_, ctx, max_numbers=2) if rng.random() < 0.5 else None
        if para:
            blocks.append(say(para))
        # 四 table 4: after it no 审结 or 总计 (table 4's header ends with the last of them)
        sections.append("review_litigation")
        blocks.append(_heading(4, sep, rng.choice(st["review_litigation"])))
        intro = rng.choice(PHRASES["t4_intros"])
        if intro:
            blocks.append(intro)
        t4_disp = _cell_display(rng, t4, set())
        blocks.append(build_t4(t4_disp))
        roll = rng.random()
        none = t4["review.total"] == 0 and t4["suit_direct.total"] == 0 and t4["suit_after_review.total"] == 0
        if none and roll < 0.4:
            blocks.append(rng.choice(PHRASES["t4_none"]))
        elif roll < (0.7 if none else 0.75):
            para = t4_paragraph(rng, vars_, ctx, after_table=True)
            if para:
                blocks.append(say(para))
        # 五
        sections.append("problems")
        blocks.append(_heading(5, sep, rng.choice(st["problems"])))
        paras, problems, improvements, note = _problems_section(rng, ag.name, paren, plan.problems if plan else None)
        blocks.extend(paras)
        notes.append(note)
        # 六
        sections.append("other")
        blocks.append(_heading(6, sep, rng.choice(st["other"])))
        roll = rng.random()
        if roll < 0.45:
            blocks.append(rng.choice(PHRASES["other_none"]))
        elif roll < 0.8:
            blocks.append(rng.choice(PHRASES["other_fee_none"]).format(**ctx))
        else:
            blocks.append(say(PHRASES["other_fee_some"][0]))
        if rng.random() < 0.2:
            blocks.append(rng.choice(PHRASES["other_extra"]).format(**ctx))
        tables = {"t2": t2, "t3": t3, "t4": t4}
    else:
        tables = None
        vars_.update(t34_vars(rng, t3, t4, tabular))  # numbers a report without tables states (no cell)
        num = 0
        seen: list[str] = []
        for key, titles in PHRASES["free_section_titles"]:
            num += 1
            blocks.append(_heading(num, sep, rng.choice(titles)))
            if key not in seen:
                seen.append(key)
            if num == 1:
                blocks.append(rng.choice(PHRASES["overview_intros"]).format(**ctx))
                blocks.append(say(rng.choice(PHRASES["overview_claims"]["supervision"][:2])))
            elif key == "active_disclosure":
                blocks.append(say(rng.choice(PHRASES["overview_claims"]["active"])))
                blocks.append(say(rng.choice(PHRASES["overview_claims"]["platform"])))
            elif key == "requests":
                blocks.append(say(rng.choice(bank("requests"))))
            elif num == 4:
                blocks.append(rng.choice(PHRASES["other_fee_none"]).format(**ctx))
            elif key == "review_litigation":
                blocks.append(rng.choice(PHRASES["t4_none"]) if t4["review.total"] == 0 else say(PHRASES["free_review_claim"]))
            elif key == "problems":
                paras, problems, improvements, note = _problems_section(rng, ag.name, paren)
                blocks.extend(paras)
                notes.append(note)
            else:
                blocks.append(rng.choice(PHRASES["other_none"]))
        order = ["overview", "active_disclosure", "requests", "review_litigation", "problems", "other"]
        sections = [k for k in order if k in seen]
        notes.append("Free layout (pre-2019): seven sections, no standard tables; 四 (收费) and 七 both map to 'other'.")

    if signature:
        blocks.append(ag.name)
        blocks.append(f"{year + 1}年{month}月{day}日")
    blocks.extend(chrome_bottom)

    planted = _plant(rng, claims, {"t2": t2, "t3": t3, "t4": t4}, layout, notes) if plant else {}
    blocks = [_unmark(b, planted) if isinstance(b, str) else b for b in blocks]
    for c in claims:
        for k in ("_id", "_before", "_after", "_unit"):
            c.pop(k, None)

    gold: dict[str, Any] = {
        "id": rid,
        "source": "",
        "synthetic": True,
        "meta": {
            "title": title,
            "agency": ag.name,
            "region": ag.region,
            "year": year,
            "published": published if pub_known else None,
            "layout": layout,
        },
        "sections": sections,
    }
    if tables is not None:
        gold["tables"] = {
            "t2": {k: tables["t2"][k] for k in T2_KEYS[layout]},
            "t3": {k: tables["t3"][k] for k in (f"{r}.{c}" for r in t3_rows(layout) for c in T3_COLS)},
            "t4": {k: tables["t4"][k] for k in T4_KEYS},
        }
    gold["claims"] = claims
    gold["problems"] = problems
    gold["improvements"] = improvements
    gold["notes"] = ""
    rep = Report(rid, spec, blocks, gold, title, rng.randrange(1 << 30), notes)
    return rep


# ------------------------------------------------------ planted disagreements

PLANT_SHARE = 0.15  # tabular reports whose narrative misstates one table quantity


def _plant(
    rng: random.Random, claims: list[dict[str, Any]], tables: dict[str, dict[str, Any]], layout: str, notes: list[str]
) -> dict[int, str]:
    """Make one claim that restates a table quantity (any family) state a
    wrong number, clearly outside the check's tolerance and fitting none of
    its readings; note it.  Returns ``{claim id: number as printed}`` for
    :func:`_unmark`."""
    lay = table_layout(tables["t3"])
    candidates = []
    for c in claims:
        if "_id" not in c:
            continue
        truths = [quantity_value(k, tables, lay) for k in c.get("readings") or [c["cell"]]]
        if all(t is not None for t in truths):
            candidates.append((c, truths))
    if not candidates:
        return {}
    keys = sorted({c["cell"] for c, _ in candidates})
    key = rng.choice(keys)  # any family alike, not the most restated one mostly
    c, truths = rng.choice([(c, t) for c, t in candidates if c["cell"] == key])
    truth = quantity_value(c["cell"], tables, lay)
    assert truth is not None
    shown_before = c["text"][len(c["_before"]) : len(c["text"]) - len(c["_after"])]
    value: float | int
    if c["kind"] == "rate":
        decimals = len(shown_before.partition(".")[2])
        for _ in range(100):
            wrong = truth + rng.choice([3, 5, 8, 12, 20]) * rng.choice([-1, 1])
            if 0 <= wrong <= 100 and all(abs(wrong - t) > 2 for t in truths):
                break
        shown = f"{wrong:.{decimals}f}"
        value = float(shown) if decimals else int(shown)
    elif c["kind"] == "money":  # the truth is in 万元; the claim's value in 元
        for _ in range(100):
            wan = round(truth * rng.choice([1.2, 1.5, 2.0, 0.5]) + rng.choice([1, 5, 20]), 2)
            if abs(wan - truth) > max(1.0, 0.1 * truth):
                break
        value = _yuan(wan)
        shown = _fmt_num(wan) if c["_unit"] == "万元" else _fmt_num(value)
    else:
        t = int(truth)
        for _ in range(100):
            delta = rng.choice([2, 3, 5, 10])
            if t >= 100:
                delta = max(delta, round(t * rng.choice([0.05, 0.1, 0.2])))
            wrong_count = t - delta if delta <= t and rng.random() < 0.4 else t + delta
            if all(abs(wrong_count - x) >= 2 for x in truths):
                break
        value = wrong_count
        shown = str(wrong_count)
    was = c["text"]
    c["text"] = c["_before"] + shown + c["_after"]
    c["value"] = value
    c["approx"] = False
    printed = _fmt_num(round(truth, 4)) + ("%" if c["kind"] == "rate" else " 万元" if c["kind"] == "money" else "")
    notes.append(
        f"Narrative states {c['text']!r} where the tables give {printed} for {c['cell']} "
        f"(written {was!r}): a planted disagreement, kept as printed; text.table:{c['cell']} fails."
    )
    return {c["_id"]: shown}


def _unmark(block: str, planted: dict[int, str]) -> str:
    """``block`` without the claim marks of :func:`fill`, planted numbers in place."""
    return MARK_RE.sub(lambda m: planted.get(int(m.group(1)), m.group(2)), block)


# -------------------------------------------------------------------- checks


def _status(vals: list[Any], ok: Callable[[], bool]) -> str:
    """skip when a value is blank (not a number), else pass or fail by ``ok``."""
    return "skip" if any(not isinstance(v, (int, float)) for v in vals) else "pass" if ok() else "fail"


def derive_checks(gold: dict[str, Any]) -> dict[str, str]:
    """Check results derived from gold cells and claims (``rule:scope`` → status)."""
    out: dict[str, str] = {}
    tables = gold.get("tables")
    if not tables:
        return out
    t3, t4 = tables["t3"], tables["t4"]
    layout = gold["meta"]["layout"]
    status = _status
    for c in T3_COLS:
        a = [t3.get(f"new_received.{c}"), t3.get(f"carried_over.{c}"), t3.get(f"handled_total.{c}"), t3.get(f"carried_forward.{c}")]
        out[f"t3.identity:{c}"] = status(a, lambda: a[0] + a[1] == a[2] + a[3])
    for c in T3_COLS:
        parts = [t3.get(f"{r}.{c}") for r in t3_result_rows(layout)]
        tot = t3.get(f"handled_total.{c}")
        out[f"t3.handled_sum:{c}"] = status(parts + [tot], lambda: sum(parts) == tot)
    for r in t3_rows(layout):
        vals = [t3.get(f"{r}.{c}") for c in T3_COLS]
        out[f"t3.row_total:{r}"] = status(vals, lambda: sum(vals[:-1]) == vals[-1])
    for g in T4_GROUPS:
        vals = [t4.get(f"{g}.{c}") for c in T4_COLS]
        out[f"t4.sum:{g}"] = status(vals, lambda: sum(vals[:-1]) == vals[-1])
    # text.table: one status per quantity key, fail if any claim of it fails, else pass if any passes
    rank = {"fail": 0, "pass": 1, "skip": 2}
    for cl in gold.get("claims", []):
        got = claim_check(cl, tables, table_layout(t3))
        if got is None:
            continue
        key = f"text.table:{got[0]}"
        if key not in out or rank[got[1]] < rank[out[key]]:
            out[key] = got[1]
    return out


def claim_check(claim: dict[str, Any], tables: dict[str, dict[str, Any]], layout: str) -> Optional[tuple[str, str]]:
    """The quantity key and status ``text.table`` should give ``claim``:
    with several readings, the first the number fits; when it fits none and
    all could be computed, a fail on its ``cell``; else a skip on the first
    that could not be computed (a blank cell)."""
    cell = claim.get("cell")
    if not cell:
        return None
    results = [(k, _agreement(claim, quantity_value(k, tables, layout))) for k in claim.get("readings") or [cell]]
    for key, status in results:
        if status == "pass":
            return key, status
    if len(results) == 1:
        return results[0]
    if all(status == "fail" for _, status in results):
        return cell, "fail"
    return next(k for k, status in results if status == "skip"), "skip"


def _agreement(claim: dict[str, Any], truth: Optional[float]) -> str:
    """pass, fail or skip (no truth): a share within half a unit of its last
    printed digit, money in 元 against 万元, an approximate figure within 10%."""
    value = claim.get("value")
    if truth is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return "skip"
    if claim.get("kind") == "rate":
        m = re.search(r"(\d+(?:\.(\d+))?)\s*%", str(claim.get("text", "")))
        tolerance = 0.5 / 10 ** len((m.group(2) or "") if m else "")
    else:
        if claim.get("unit") == "元":
            value = value / 10000
        tolerance = 1e-6 * max(1.0, abs(truth))
        if claim.get("approx"):
            tolerance = max(tolerance, 0.1 * abs(truth))
    return "pass" if abs(value - truth) <= tolerance + 1e-9 else "fail"


# ------------------------------------------------------------------- writing

EXT = {"txt": "txt", "html": "html", "docx": "docx", "pdf": "pdf"}


# Page-chrome characters a GBK page cannot hold, as GBK sites write them.
GBK_STAND_INS = {"»": ">"}


def encodable(blocks: list[Block], encoding: str) -> list[Block]:
    """``blocks`` with the paragraphs ``encoding`` cannot hold patched by
    GBK_STAND_INS (the breadcrumb ``首页 » …`` would crash a GBK write).
    Paragraphs that encode are left alone, so existing output is unchanged."""
    if encoding.lower() in ("utf-8", "utf8"):
        return blocks
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, str):
            try:
                b.encode(encoding)
            except UnicodeEncodeError:
                for ch, stand_in in GBK_STAND_INS.items():
                    b = b.replace(ch, stand_in)
        out.append(b)
    return out


def write_report(rep: Report, reports_dir: Path) -> str:
    sp = rep.spec
    fname = f"{rep.id}.{EXT[sp.fmt]}"
    path = reports_dir / fname
    if sp.fmt == "txt":
        write_txt(encodable(rep.blocks, sp.encoding), path, flattening=sp.flattening, encoding=sp.encoding, seed=rep.render_seed)
    elif sp.fmt == "html":
        write_html(encodable(rep.blocks, sp.encoding), path, encoding=sp.encoding, title=rep.title, chrome=sp.chrome, split_digits=sp.split_digits, seed=rep.render_seed)
    elif sp.fmt == "docx":
        write_docx(rep.blocks, path)
    else:
        write_pdf(rep.blocks, path)
    return fname


def _finish_gold(rep: Report, fname: str, prefix: str = "reports/") -> dict[str, Any]:
    g = rep.gold
    g["source"] = prefix + fname
    sp = rep.spec
    if sp.fmt == "txt" and sp.flattening:
        rep.notes.insert(0, f"Text flattening '{sp.flattening}', encoding {sp.encoding}.")
    elif sp.fmt == "html":
        rep.notes.insert(0, f"HTML, encoding {sp.encoding}" + (", page chrome" if sp.chrome else "") + (", digits split across <span>s" if sp.split_digits else "") + ".")
    else:
        rep.notes.insert(0, f"{sp.fmt.upper()} with real tables." if g["meta"]["layout"] != "free" else f"{sp.fmt.upper()}.")
    if g["meta"]["published"] is None:
        rep.notes.append("No publication date in the document (published null).")
    g["notes"] = " ".join(rep.notes)
    g["checks"] = derive_checks(g)
    return g


def _dump(obj: Any, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_manifest(path: Path, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    """``rows`` as a tab-separated file with a header line of ``columns``."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join(columns) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in columns) + "\n")


def generate(out_dir: str | Path, n: int = 30, seed: int = 7, broken: bool = True) -> list[dict[str, Any]]:
    """Write ``n`` synthetic reports (and the broken set) into ``out_dir``.

    Returns the manifest rows.
    """
    out = Path(out_dir)
    for sub in ("reports", "gold", "broken"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for i in range(n):
        spec = PATTERN[i % len(PATTERN)]
        rep = make_report(i, seed, spec)
        fname = write_report(rep, out / "reports")
        gold = _finish_gold(rep, fname)
        _dump(gold, out / "gold" / f"{rep.id}.json")
        rows.append({
            "id": rep.id, "file": f"reports/{fname}", "format": spec.fmt, "layout": gold["meta"]["layout"],
            "flattening": spec.flattening or "-", "encoding": spec.encoding if spec.fmt in ("txt", "html") else "-",
            "notes": _manifest_note(spec, rep),
        })
    write_manifest(out / "manifest.tsv", rows, ("id", "file", "format", "layout", "flattening", "encoding", "notes"))
    if broken:
        write_broken(out / "broken", seed)
    return rows


def _manifest_note(spec: Spec, rep: Report) -> str:
    bits = [rep.gold["meta"]["agency"]]
    if spec.chrome:
        bits.append("page chrome")
    if spec.split_digits:
        bits.append("split digits")
    if spec.free:
        bits.append("free layout, no tables")
    if any("Narrative states" in n for n in rep.notes):
        bits.append("narrative disagrees with a table")
    if any("元 (" in n for n in rep.notes):
        bits.append("procurement in 元")
    return "; ".join(bits)


# -------------------------------------------------------------------- broken


def _tamper_missing(rng: random.Random, t2: dict[str, Any], t3: dict[str, Any], t4: dict[str, Any]) -> list[str]:
    blanked = []
    for g in ("suit_after_review",):
        for c in T4_COLS:
            t4[f"{g}.{c}"] = None
    for c in T4_COLS[:4]:
        if rng.random() < 0.5:
            t4[f"suit_direct.{c}"] = None
            blanked.append(f"t4.suit_direct.{c}")
    keys = [k for k in t3 if not k.endswith(".total") and not k.endswith(".natural_person")]
    for k in rng.sample(keys, 6):
        t3[k] = None
        blanked.append(f"t3.{k}")
    return [
        "BROKEN: table cells printed blank. Table 4 复议后起诉 block blank (5 cells) and "
        + (", ".join(blanked)) + " blank; all null in gold (blank is not 0); checks on them skip."
    ]


def _tamper_totals(rng: random.Random, t2: dict[str, Any], t3: dict[str, Any], t4: dict[str, Any]) -> list[str]:
    d = rng.choice([1, 2, 3])
    t3["handled_total.natural_person"] += d
    t3["handled_total.total"] += d
    t4["review.total"] += 1
    return [
        f"BROKEN: wrong totals printed and kept as printed: t3 （七）总计 natural_person and total are {d} too high "
        "(t3.identity and t3.handled_sum fail for natural_person and total; row totals hold); "
        "t4 行政复议 总计 is 1 more than its four parts (t4.sum:review fails)."
    ]


def _write_docx_bytes(blocks: list[Block]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "x.docx"
        write_docx(blocks, p)
        return p.read_bytes()


def _write_pdf_bytes(blocks: list[Block]) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "x.pdf"
        write_pdf(blocks, p)
        return p.read_bytes()


def _blank_pdf(path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    # a "scanned" page: grey background and dark bars where text lines were
    c.setFillGray(0.93)
    c.rect(30, 30, w - 60, h - 60, stroke=0, fill=1)
    rng = random.Random(11)
    c.setFillGray(0.35)
    y = h - 90
    while y > 80:
        c.rect(70, y, rng.uniform(250, w - 140), 7, stroke=0, fill=1)
        y -= 18
    c.showPage()
    c.save()


def write_broken(bdir: Path, seed: int) -> list[dict[str, str]]:
    """Write the damaged and non-report files of ``broken/`` with manifest and README."""
    bdir.mkdir(parents=True, exist_ok=True)
    (bdir / "gold").mkdir(exist_ok=True)
    entries: list[dict[str, str]] = []

    def add(file: str, kind: str, expect: str, notes: str, gold: Optional[dict[str, Any]] = None) -> None:
        entries.append({"id": Path(file).stem, "file": file, "kind": kind, "gold": "yes" if gold else "no", "expect": expect, "notes": notes})
        if gold:
            _dump(gold, bdir / "gold" / f"{Path(file).stem}.json")

    # 1. cells missing
    rep = make_report(901, seed, Spec("txt", "cell_per_line"), force_layout="2021", tamper=_tamper_missing, rid="missing_cells")
    write_report(rep, bdir)
    g = _finish_gold(rep, "missing_cells.txt", "broken/")
    add("missing_cells.txt", "missing_cells", "report; blank cells read as null, not 0", "t4 复议后起诉 block and six t3 cells blank (\\xa0 / empty lines)", g)

    # 2. wrong totals
    rep = make_report(902, seed, Spec("html", chrome=True), force_layout="2021", tamper=_tamper_totals, rid="wrong_totals")
    write_report(rep, bdir)
    g = _finish_gold(rep, "wrong_totals.html", "broken/")
    add("wrong_totals.html", "wrong_totals", "report; t3.identity/t3.handled_sum fail (natural_person,total), t4.sum:review fails", "printed totals kept as printed", g)

    # 3. cut off in the middle of table 3
    rep = make_report(903, seed, Spec("txt", "cell_per_line"), force_layout="2021", rid="truncated_t3")
    k = next(j for j, b in enumerate(rep.blocks) if isinstance(b, Table) and b.rows[0][0].text[1:3] == "本列")
    t3tab = rep.blocks[k]
    assert isinstance(t3tab, Table)
    keep_rows = 12
    cut = Table([list(r) for r in t3tab.rows[:keep_rows]])
    cut.rows[-1] = cut.rows[-1][:4]  # label + 3 values of the last row
    rep.blocks = rep.blocks[:k] + [cut]
    layout = rep.gold["meta"]["layout"]
    rows = t3_rows(layout)
    kept: dict[str, Any] = {}
    for r_i, row in enumerate(rows):
        for c_i, col in enumerate(T3_COLS):
            key = f"{row}.{col}"
            printed = r_i < keep_rows - 4 or (r_i == keep_rows - 4 and c_i < 3)
            kept[key] = rep.gold["tables"]["t3"][key] if printed else None
    rep.gold["tables"]["t3"] = kept
    rep.gold["tables"]["t4"] = {k2: None for k2 in T4_KEYS}
    rep.gold["sections"] = ["overview", "active_disclosure", "requests"]
    body = "\n".join(b for b in rep.blocks if isinstance(b, str))
    rep.gold["claims"] = [c for c in rep.gold["claims"] if c["text"] in body]
    rep.gold["problems"], rep.gold["improvements"] = [], []
    rep.gold["meta"]["published"] = rep.gold["meta"]["published"] if any(isinstance(b, str) and "发布" in b for b in rep.blocks[:4]) else None
    rep.notes = [n for n in rep.notes if not n.startswith("Section 五")]
    rep.notes.append(f"BROKEN: file ends inside table 3, after the {rows[keep_rows - 4]} row's first three values; later t3 cells and all of t4 are null, sections 四–六 absent.")
    write_report(rep, bdir)
    g = _finish_gold(rep, "truncated_t3.txt", "broken/")
    add("truncated_t3.txt", "truncated", "report, incomplete: t3 partial, t4 missing; a note, not a crash", "cut after 5.属于三类内部事务信息 (3 of 7 values)", g)

    # 4. GBK page, no charset declared, saved as .txt
    rep = make_report(904, seed, Spec("html", encoding="gbk", chrome=True), force_layout="2019", rid="gbk_undeclared")
    write_html(encodable(rep.blocks, "gbk"), bdir / "gbk_undeclared.txt", encoding="gbk", title=rep.title, chrome=True, declare_charset=None, seed=rep.render_seed)
    rep.notes.insert(0, "BROKEN: an HTML page encoded in GBK with no <meta charset>, saved with a .txt name; encoding must be detected from the bytes.")
    g = _finish_gold(rep, "gbk_undeclared.txt", "broken/")
    add("gbk_undeclared.txt", "gbk_undeclared", "report (HTML markup in a .txt, GBK, no declaration)", "detect encoding and markup", g)

    # 5. empty file
    (bdir / "empty.txt").write_bytes(b"")
    add("empty.txt", "empty", "error: empty input", "0 bytes")

    # 6. binary file
    (bdir / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(seed).randbytes(3000))
    add("binary.txt", "binary", "error: not text", "PNG-like header and random bytes, named .txt")

    # 7. a news article, not a report
    city = random.Random(seed + 5).choice(PHRASES["cities"])
    news = [s.format(city=city, date="2024-03-18") for s in PHRASES["news_article"]]
    write_html(news, bdir / "news_article.html", title=news[0], chrome=True, seed=seed)
    add("news_article.html", "not_a_report", "not a report (no 年度报告 title, no sections, no tables)", "a 政务公开 news item from the same kind of site")

    # 8. corrupt docx
    rep = make_report(905, seed, Spec("docx"), force_layout="2021", rid="corrupt_docx")
    data = _write_docx_bytes(rep.blocks)
    (bdir / "corrupt_docx.docx").write_bytes(data[: len(data) // 2])
    add("corrupt_docx.docx", "corrupt_docx", "error: truncated zip", "a valid report docx cut to half its bytes")

    # 9. corrupt pdf
    data = _write_pdf_bytes(rep.blocks)
    (bdir / "corrupt_pdf.pdf").write_bytes(data[: len(data) // 2])
    add("corrupt_pdf.pdf", "corrupt_pdf", "error: truncated pdf", "a valid report pdf cut to half its bytes (no xref/trailer)")

    # 10. pdf without a text layer
    _blank_pdf(bdir / "no_text.pdf")
    add("no_text.pdf", "no_text_pdf", "error or empty text: page has no text layer (needs OCR)", "one page of grey bars drawn as vector shapes, no text objects")

    write_manifest(bdir / "manifest.tsv", entries, ("id", "file", "kind", "gold", "expect", "notes"))
    lines = [
        "# Broken and non-report inputs (synthetic)",
        "",
        "Generated by `python -m corpora.generate` (see `../../README.md`). Each file is",
        "listed in `manifest.tsv` with what a reader should do with it; files that are",
        "still reports have a gold record in `gold/` (same stem; `source` is `broken/<file>`).",
        "",
        "| file | kind | expected behaviour |",
        "|---|---|---|",
    ]
    for e in entries:
        lines.append(f"| `{e['file']}` | {e['kind']} | {e['expect']} |")
    lines += [
        "",
        "Gold conventions: a blank or missing cell is `null`; wrong printed totals are kept",
        "as printed and their `checks` say `fail`; the truncated report has only the",
        "sections, cells and claims that survive the cut.",
    ]
    (bdir / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return entries


# -------------------------------------------------------------------- series
#
# One agency reporting over consecutive years.  The tables chain the way the
# cross-year rules (``year.carry``, ``year.in_force`` in
# textmine/data/rules.toml) expect, a few agency-years break the carry-over on
# purpose, and section 五 keeps admitting some of last year's problems.

SERIES_FORMATS: tuple[str, ...] = ("txt", "html", "docx")  # default: pdf rendering is slow
CARRY_BREAK_SHARE = 0.05   # agency-years whose 上年结转 deliberately disagrees with last year
PROBLEM_RECURRENCE = 0.55  # chance that each of last year's problem categories is admitted again
CHRONIC_WEIGHT = 4.0       # an agency's chronic categories are this much likelier among new problems
HOME_SPEC_SHARE = 0.7      # an agency's site usually publishes the same way every year
AGENCY_DRAWS = 500         # redraws allowed for a name not yet used before giving up

# (spec, weight): mostly txt in every flattening and html; a few docx and pdf.
SERIES_SPECS: list[tuple[Spec, float]] = [
    (Spec("txt", "cell_per_line"), 10), (Spec("txt", "pipe"), 8), (Spec("txt", "tabs"), 8),
    (Spec("txt", "spaces"), 6), (Spec("txt", "split_headers"), 6), (Spec("txt", "run_together"), 7),
    (Spec("txt", "cell_per_line", encoding="gbk"), 3), (Spec("txt", "tabs", encoding="gbk"), 2),
    (Spec("html"), 8), (Spec("html", chrome=True), 9), (Spec("html", split_digits=True), 4),
    (Spec("html", chrome=True, split_digits=True), 4), (Spec("html", encoding="gbk", chrome=True), 4),
    (Spec("html", encoding="gbk", chrome=True, split_digits=True), 2),
    (Spec("docx"), 5), (Spec("pdf"), 3),
]

SERIES_MANIFEST_COLS = ["id", "file", "format", "layout", "flattening", "encoding", "series", "year", "notes"]


def series_years(years: range | tuple[int, ...] | list[int]) -> list[int]:
    """Validate the years of a series: consecutive, from 2019 on (tabular layouts)."""
    ys = [int(y) for y in years]
    if not ys:
        raise ValueError("years is empty")
    if ys != list(range(ys[0], ys[0] + len(ys))):
        raise ValueError(f"years must be consecutive and ascending, got {ys}; for 2020 to 2024 pass range(2020, 2025)")
    if ys[0] < 2019:
        raise ValueError(f"series years start in 2019 or later (the tabular layouts), got {ys[0]}")
    return ys


def parse_years(text: str) -> range:
    """``2020-2024`` (inclusive) or a single year ``2022``."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not m:
        raise ValueError(f"years must look like 2020-2024, got {text!r}")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise ValueError(f"years run backwards: {text!r}")
    return range(first, last + 1)


def series_formats(formats: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    fs = tuple(f.strip() for f in formats.split(",")) if isinstance(formats, str) else tuple(formats)
    bad = [f for f in fs if f not in EXT]
    if bad or not fs:
        raise ValueError(f"unknown format(s) {bad}; choose from {', '.join(EXT)}" if bad else "no formats given")
    return fs


def series_agencies(n: int, seed: int) -> list[Agency]:
    """``n`` agencies with distinct names, drawn like the sample's.

    Names are unique because linking goes by agency name; one RNG draws them
    in order, so the first ``k`` agencies are the same for any ``n >= k``.
    """
    rng = random.Random(f"textmine-series-{seed}-agencies")
    seen: set[str] = set()
    out: list[Agency] = []
    for a in range(n):
        for _ in range(AGENCY_DRAWS):
            ag = make_agency(rng)
            if ag.name not in seen:
                break
        else:
            raise ValueError(f"the phrase bank ran out of distinct agency names after {a} agencies")
        seen.add(ag.name)
        out.append(ag)
    return out


def _draw_spec(rng: random.Random, formats: tuple[str, ...]) -> Spec:
    pool = [(s, w) for s, w in SERIES_SPECS if s.fmt in formats]
    return rng.choices([s for s, _ in pool], weights=[w for _, w in pool])[0]


def _break_carry(rng: random.Random, carried: dict[str, int], prev_year: int) -> str:
    """Make one column's 上年结转 disagree with last year's 结转下年度; return the note."""
    col = "natural_person" if rng.random() < 0.8 else rng.choice(T3_COLS[1:-1])
    was = carried[col]
    carried[col] = 0 if was and rng.random() < 0.4 else was + rng.choice([1, 2, 3, 5])
    return (
        f"Cross-year: carried_over.{col} is {carried[col]} where the {prev_year} report's carried_forward.{col} "
        f"is {was} (deliberate); year.carry fails for {col} and total (gold/_links.json)."
    )


def _pick_problems(rng: random.Random, chronic: tuple[str, ...], previous: Optional[set[str]]) -> list[dict[str, Any]]:
    """Problem-bank items for one year.

    Each of last year's categories is kept with chance PROBLEM_RECURRENCE and
    the kept ones are the only ones of last year's that come back, so the share
    recurring stays near that chance; the rest are new, leaning to the
    agency's chronic categories.
    """
    bank: list[dict[str, Any]] = PHRASES["problems"]
    k = rng.randint(2, 4)
    prev = previous or set()
    keep = {c for c in sorted(prev) if rng.random() < PROBLEM_RECURRENCE}
    picks: list[dict[str, Any]] = []
    for c in sorted(keep):
        if any(c in it["cats"] for it in picks):
            continue
        clean = [it for it in bank if c in it["cats"] and set(it["cats"]) & prev <= keep and it not in picks]
        picks.append(rng.choice(clean or [it for it in bank if c in it["cats"]]))
    fresh = [it for it in bank if not set(it["cats"]) & prev and it not in picks]
    while len(picks) < k and fresh:
        weights = [CHRONIC_WEIGHT if set(it["cats"]) & set(chronic) else 1.0 for it in fresh]
        it = rng.choices(fresh, weights=weights)[0]
        fresh.remove(it)
        picks.append(it)
    rng.shuffle(picks)
    return picks


def plan_agency(index: int, ag: Agency, years: list[int], seed: int, formats: tuple[str, ...]) -> list[tuple[Spec, YearPlan]]:
    """Format and fixed content of each of an agency's reports, year by year."""
    rng = random.Random(f"textmine-series-{seed}-{index}")
    makes_rules = ag.level in ("province", "city", "national") and ag.kind in ("gov", "dept") and rng.random() < 0.5
    categories = sorted({c for it in PHRASES["problems"] for c in it["cats"]})
    chronic = tuple(rng.sample(categories, 2))
    home = _draw_spec(rng, formats)
    out: list[tuple[Spec, YearPlan]] = []
    prev: Optional[YearPlan] = None
    for year in years:
        spec = home if rng.random() < HOME_SPEC_SHARE else _draw_spec(rng, formats)
        layout = layout_for(year)
        notes: list[str] = []
        carried: Optional[dict[str, int]] = None
        in_force: Optional[dict[str, int]] = None
        if prev is not None:
            carried = {c: prev.t3[f"carried_forward.{c}"] for c in T3_COLS[:-1]}
            if rng.random() < CARRY_BREAK_SHARE:
                notes.append(_break_carry(rng, carried, prev.year))
            if layout == "2021" and layout_for(prev.year) == "2021":
                in_force = {row: prev.t2[f"{row}.in_force"] for row in ("regulations", "normative_documents")}
        t2 = gen_t2(rng, ag, layout, makes_rules=makes_rules, in_force=in_force)
        t3 = gen_t3(rng, ag, layout, carried_over=carried)
        t4 = gen_t4(rng, ag)
        prev_cats = {c for it in prev.problems for c in it["cats"]} if prev else None
        problems = _pick_problems(rng, chronic, prev_cats)
        prev = YearPlan(ag, year, t2, t3, t4, problems, f"textmine-series-{seed}-{index}-{year}", notes)
        out.append((spec, prev))
    return out


def cross_year_checks(prev: dict[str, Any], cur: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per rule, the ``scope → status`` textmine's year.* rules should give
    for two consecutive gold records of one agency (as
    ``textmine.checks.check_across_years`` scopes them)."""
    p3, c3 = prev["tables"]["t3"], cur["tables"]["t3"]
    carry = {}
    for c in T3_COLS:
        a, b = c3[f"carried_over.{c}"], p3[f"carried_forward.{c}"]
        carry[c] = _status([a, b], lambda: a == b)
    if cur["meta"]["layout"] != "2021" or prev["meta"]["layout"] != "2021":
        # the rule is for the 2021 layout only: one skip for the pair
        return {"year.carry": carry, "year.in_force": {"all": "skip"}}
    p2, c2 = prev["tables"]["t2"], cur["tables"]["t2"]
    in_force = {}
    for row in ("regulations", "normative_documents"):
        v = [p2[f"{row}.in_force"], c2[f"{row}.issued"], c2[f"{row}.repealed"], c2[f"{row}.in_force"]]
        in_force[row] = _status(v, lambda: v[0] + v[1] - v[2] == v[3])
    return {"year.carry": carry, "year.in_force": in_force}


def _link_entries(series: str, prev: dict[str, Any], cur: dict[str, Any]) -> list[dict[str, Any]]:
    """One ``_links.json`` entry per cross-year rule; ``checks`` is keyed
    ``rule:scope`` like a gold record's ``checks`` map."""
    out = []
    for rule, scopes in cross_year_checks(prev, cur).items():
        statuses = set(scopes.values())
        status = "fail" if "fail" in statuses else "pass" if "pass" in statuses else "skip"
        out.append({
            "series": series, "agency": cur["meta"]["agency"], "year": cur["meta"]["year"],
            "previous": prev["id"], "report": cur["id"], "rule": rule, "status": status,
            "checks": {f"{rule}:{scope}": st for scope, st in scopes.items()},
        })
    return out


def _write_series_report(rep: Report, reports_dir: Path) -> str:
    if rep.spec.fmt != "docx":
        return write_report(rep, reports_dir)
    fname = f"{rep.id}.docx"
    write_docx(rep.blocks, reports_dir / fname, table_xml=True)
    return fname


def _series_readme(agencies: int, years: list[int], seed: int, formats: tuple[str, ...]) -> str:
    return "\n".join([
        "# Agency series (synthetic)",
        "",
        f"{agencies} agencies, each reporting every year {years[0]}–{years[-1]} ({agencies * len(years)} reports); "
        f"seed {seed}; formats {', '.join(formats)}. Regenerate with",
        "",
        f"    python -m corpora.generate --out <dir> --series {agencies} --years {years[0]}-{years[-1]} --seed {seed} --formats {','.join(formats)}",
        "",
        "- `reports/serAAAA_YEAR.*`: agency AAAA's report for YEAR; `gold/serAAAA_YEAR.json`: its gold record",
        "  (same shape as `corpora/sample/gold`); `manifest.tsv`: id, file, format, layout, flattening,",
        "  encoding, series, year, notes.",
        "- Across years: 上年结转 (t3 carried_over) equals last year's 结转下年度 (carried_forward) in every",
        "  column; from two consecutive 2021-layout years on, t2 现行有效件数 = last year's + 制发 − 废止.",
        f"  About {CARRY_BREAK_SHARE:.0%} of agency-years break the carry-over on purpose (manifest notes",
        "  `carry-over broken`).",
        "- `gold/_links.json`: `links`, one entry per agency, year (after the first) and cross-year rule",
        "  with the expected status (`pass`/`fail`/`skip`) overall and per scope (`checks`, keyed",
        "  `year.carry:<column>`, `year.in_force:<row>` or `year.in_force:all`) as textmine's",
        "  cross-year checks give them when both reports are read together.",
        f"- Section 五: each of last year's problem categories comes back with chance {PROBLEM_RECURRENCE};",
        "  new ones lean to two chronic categories per agency.",
    ]) + "\n"


def generate_series(
    out_dir: str | Path,
    agencies: int,
    years: range | tuple[int, ...] | list[int],
    seed: int,
    formats: tuple[str, ...] | list[str] | str = SERIES_FORMATS,
) -> list[dict[str, Any]]:
    """Write ``agencies`` agencies × ``years`` reports, their gold, the
    cross-year links (``gold/_links.json``) and ``manifest.tsv`` into ``out_dir``.

    Returns the manifest rows.

    >>> rows = generate_series("/tmp/ser", 2, range(2021, 2023), seed=1, formats=("txt",))  # doctest: +SKIP
    >>> [r["id"] for r in rows]  # doctest: +SKIP
    ['ser0000_2021', 'ser0000_2022', 'ser0001_2021', 'ser0001_2022']
    """
    ys = series_years(years)
    fs = series_formats(formats)
    if agencies < 1:
        raise ValueError(f"agencies must be at least 1, got {agencies}")
    out = Path(out_dir)
    for sub in ("reports", "gold", "broken"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "reports").mkdir(parents=True)
    (out / "gold").mkdir(parents=True)
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for a, ag in enumerate(series_agencies(agencies, seed)):
        series = f"ser{a:04d}"
        prev_gold: Optional[dict[str, Any]] = None
        for spec, plan in plan_agency(a, ag, ys, seed, fs):
            rep = make_report(a, seed, spec, rid=f"{series}_{plan.year}", plan=plan)
            fname = _write_series_report(rep, out / "reports")
            gold = _finish_gold(rep, fname)
            _dump(gold, out / "gold" / f"{rep.id}.json")
            if prev_gold is not None:
                links += _link_entries(series, prev_gold, gold)
            note = _manifest_note(spec, rep) + ("; carry-over broken" if plan.notes else "")
            rows.append({
                "id": rep.id, "file": f"reports/{fname}", "format": spec.fmt, "layout": gold["meta"]["layout"],
                "flattening": spec.flattening or "-", "encoding": spec.encoding if spec.fmt in ("txt", "html") else "-",
                "series": series, "year": plan.year, "notes": note,
            })
            prev_gold = gold
    write_manifest(out / "manifest.tsv", rows, SERIES_MANIFEST_COLS)
    # a mapping rather than a bare list: tools that read every gold/*.json call .get on it
    _dump({"_comment": "cross-year rule statuses per agency and year (see README.md)", "links": links}, out / "gold" / "_links.json")
    (out / "README.md").write_text(_series_readme(agencies, ys, seed, fs), encoding="utf-8")
    return rows


def _years_arg(text: str) -> range:
    try:
        years = parse_years(text)
        series_years(years)
        return years
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _formats_arg(text: str) -> tuple[str, ...]:
    try:
        return series_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Optional[list[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="corpora/sample")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-broken", dest="broken", action="store_false", help="skip the broken/ variants")
    ap.add_argument("--broken", dest="broken", action="store_true", help="write the broken/ variants (default)")
    ap.add_argument("--series", type=int, metavar="AGENCIES",
                    help="agency series: AGENCIES agencies, one report each per year of --years (no broken/; --n ignored)")
    ap.add_argument("--years", type=_years_arg, default=parse_years("2020-2024"), metavar="FIRST-LAST",
                    help="years of each series, inclusive (default 2020-2024)")
    ap.add_argument("--formats", type=_formats_arg, default=SERIES_FORMATS,
                    help=f"series formats, comma-separated from {','.join(EXT)} (default {','.join(SERIES_FORMATS)}; pdf is slow)")
    ap.set_defaults(broken=True)
    a = ap.parse_args(argv)
    if a.series is not None:
        if a.series < 1:
            ap.error(f"--series needs at least 1 agency, got {a.series}")
        start = time.perf_counter()
        rows = generate_series(a.out, a.series, a.years, a.seed, a.formats)
        took = time.perf_counter() - start
        print(f"wrote {len(rows)} reports ({a.series} agencies × {a.years[0]}–{a.years[-1]}) to {a.out} in {took:.1f} s")
        return
    rows = generate(a.out, a.n, a.seed, broken=a.broken)
    print(f"wrote {len(rows)} reports to {a.out}" + (" (+ broken/)" if a.broken else ""))


if __name__ == "__main__":
    main()
