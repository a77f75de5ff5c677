"""A report's body reshaped by its forms: headings reworded, renumbered or
in the old (2008–2018) forms, sub-headings run in or numbered 1. 2., table 2
with a spacer column, table 3 with a filler column, advertising words
slipped into the narrative."""

from __future__ import annotations

import random
import re

from corpora.generate import CN_NUM
from corpora.render import Block, Cell, Table

_REWORDED = {
    "overview": ["总体公开信息情况", "政府信息公开工作总体情况"],
    "active_disclosure": ["行政机关主动公开政府信息情况", "政府信息主动公开情况"],
    "requests": ["行政机关收到和处理政府信息公开申请情况"],
    "review_litigation": ["政府信息公开行政复议和行政诉讼情况", "因政府信息公开工作被申请行政复议、提起行政诉讼情况"],
    "problems": ["政府信息公开工作存在的主要问题及改进情况", "存在的问题及改进措施"],
    "other": ["其他需要说明的事项", "其他事项"],
}
_OLD = [
    ("overview", ["概述", "年度政府信息公开工作概述"]),
    ("active_disclosure", ["政府信息主动公开情况", "主动公开政府信息的情况"]),
    ("requests", ["依申请公开政府信息情况", "政府信息依申请公开工作情况"]),
    (None, ["收费及减免情况", "政府信息公开的收费及减免情况"]),
    ("review_litigation", ["因政府信息公开申请行政复议、提起行政诉讼的情况", "行政复议和诉讼情况"]),
    ("problems", ["存在的主要问题和改进措施", "主要问题和改进措施"]),
    (None, ["附表", "政府信息公开情况统计表"]),
]
HEADING_RE = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,2})(?P<sep>[、.．，]\s?)(?P<title>.+)$")
_SUB = re.compile(r"^(?P<num>[（(][一二三四五六七八九十][）)])(?P<rest>.+)$")


def rework_headings(blocks: list[Block], sections: list[str], forms: set[str], rng: random.Random) -> list[Block]:
    """Main headings (one per gold section, in order) in other words, numbers or places."""
    out: list[Block] = []
    k = 0
    pending_runin: str | None = None
    for b in blocks:
        if isinstance(b, str) and k < len(sections):
            m = HEADING_RE.match(b)
            if m and len(b) <= 40:
                key = sections[k]
                k += 1
                title = m.group("title")
                if "headings_reworded" in forms:
                    title = rng.choice(_REWORDED[key])
                num, sep = m.group("num"), m.group("sep")
                if "headings_numbering" in forms:
                    sep = rng.choice([".", "．", "，"])
                    if rng.random() < 0.5 and key not in ("active_disclosure", "requests", "review_litigation"):
                        pending_runin = f"{num}{sep}{title}"
                        continue
                out.append(f"{num}{sep}{title}")
                continue
        if pending_runin is not None and isinstance(b, str):
            out.append(f"{pending_runin} {b}")
            pending_runin = None
            continue
        out.append(b)
    if pending_runin is not None:
        out.append(pending_runin)
    return out


def old_headings(blocks: list[Block], rng: random.Random) -> tuple[list[Block], list[str]]:
    """A free-layout report's headings in the old forms (fee part, appendix)."""
    out: list[Block] = []
    k = 0
    keys: list[str] = []
    for b in blocks:
        if isinstance(b, str) and HEADING_RE.match(b) and len(b) <= 40 and k < len(_OLD):
            m = HEADING_RE.match(b)
            assert m is not None
            key, titles = _OLD[k]
            k += 1
            out.append(f"{CN_NUM[k - 1]}{m.group('sep')}{rng.choice(titles)}")
            if key:
                keys.append(key)
            continue
        out.append(b)
    # The appendix: an indicator list after the last part.
    if k < len(_OLD):
        out.append(f"{CN_NUM[k]}、{rng.choice(_OLD[-1][1])}")
        out.append("指标名称 计量单位 本年度 主动公开信息数 条 见上文 依申请公开信息数 件 见上文")
    order = ["overview", "active_disclosure", "requests", "review_litigation", "problems", "other"]
    return out, [key for key in order if key in keys]


def arabic_subheadings(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    n = 0
    for b in blocks:
        if isinstance(b, str):
            m = _SUB.match(b)
            if (
                m
                and n < 5
                and b.startswith(("（", "("))
                and any(w in b[:12] for w in ("主动公开", "依申请", "管理", "平台", "监督"))
            ):
                n += 1
                out.append(f"{n}.{m.group('rest')}")
                continue
            if HEADING_RE.match(b) and n:
                n = 99  # only the overview's parts
        out.append(b)
    return out


def runin_subheadings(blocks: list[Block]) -> list[Block]:
    """Sub-headings on their own line run into the paragraph after them."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, str) and isinstance(prev, str) and _SUB.match(prev) and len(prev) <= 24 and not _SUB.match(b):
            out[-1] = f"{prev.rstrip('。')}。{b}"
            continue
        out.append(b)
    return out


def spacer_table(table: Table, rng: random.Random) -> Table:
    """Table 2 with a spacer column after grid column ``j``: header cells over
    it get one more column, values stand left or right of it, row by row."""
    j = rng.choice([1, 2])
    rows: list[list[Cell]] = []
    for row in table.rows:
        new: list[Cell] = []
        col = 0
        header = bool(row) and row[0].text == "信息内容"
        for cell in row:
            span = range(col, col + cell.colspan)
            if j in span and (cell.colspan > 1 or header or len(row) == 1):
                new.append(Cell(cell.text, cell.rowspan, cell.colspan + 1))
            elif col == j:
                if rng.random() < 0.5:
                    new += [Cell(cell.text), Cell("")]
                else:
                    new += [Cell(""), Cell(cell.text)]
            else:
                new.append(cell)
            col += cell.colspan
        rows.append(new)
    return Table(rows)


def filler_column(table: Table) -> Table:
    """An empty cell after every row (a grid's trailing filler)."""
    return Table([row + [Cell("")] for row in table.rows])


# Advertising a hijacked page slips into the text (``injected_words``).
_ADS = ["（星河竞技官网推荐）", "蓝鲸棋牌", "【云帆体育APP】", "金桥娱乐城"]


def inject(paragraph: str, rng: random.Random) -> str:
    """``paragraph`` with advertising words after its first sentence."""
    cut = paragraph.find("。")
    if cut < 0:
        return paragraph
    return paragraph[: cut + 1] + rng.choice(_ADS) + paragraph[cut + 1 :]
