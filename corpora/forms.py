"""The forms real report pages take (``corpora/forms.md``), reproduced with our
own agencies, words and numbers, each with its gold.

    python -m corpora.forms --out build/forms --n 180 --seed 13

writes ``reports/``, ``gold/`` (shaped like ``corpora/sample/gold``) and
``manifest.tsv`` (id, file, format, layout, forms).  Every form of
:data:`FORMS` is produced several times; a report carries one to four forms
of different families (a title form, a head, a table flattening, a text
condition).  Each form is described in ``forms.md`` with how many of the
real pages read show it; the sentences and numbers here are ours.

A report starts as a sample report without page chrome
(:func:`corpora.generate.make_report` with ``plain_head``); the forms then
rebuild its head (furniture, metadata block, title lines, opening), reword
its headings, reshape its tables and, at writing, rewrite its text.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

from corpora import conditions
from corpora.generate import (
    CN_NUM,
    EXT,
    Report,
    Spec,
    dump_json,
    finish_gold,
    encodable,
    make_report,
    write_manifest,
)
from corpora.render import (
    Block,
    Cell,
    Table,
    write_docx,
    write_html,
    write_pdf,
    write_txt,
)

__all__ = ["FORMS", "FAMILIES", "Form", "generate_forms", "make_forms_report", "plan_forms"]


@dataclass(frozen=True)
class Form:
    """One form: its family (at most one form of a family per report), the
    formats it is written in, and what it is, in a line."""

    family: str
    formats: tuple[str, ...]
    what: str


FAMILIES = ("title", "head", "block", "opening", "headings", "tables", "layout", "text", "gloss")

FORMS: dict[str, Form] = {
    # --- title
    "title_one_line": Form("title", ("txt", "html"), "agency, year and report words on one line"),
    "title_du": Form("title", ("txt", "html"), "the year written 2023年度"),
    "title_year_first": Form("title", ("txt", "html"), "the year before the agency"),
    "title_two_lines": Form("title", ("txt", "html", "pdf"), "the agency on one line, year and report words on the next"),
    "title_space": Form("title", ("txt", "html"), "a space between the agency and the year"),
    "title_report_words": Form("title", ("txt", "html"), "other report words: 年报, 信息公开年度报告, 政务公开工作年度报告"),
    "title_symbols": Form("title", ("txt", "html"), "quotes, brackets, + or ASCII letters in the agency's name"),
    "title_no_agency": Form("title", ("txt", "html"), "a title naming no agency; the block or the opening names it"),
    "title_repeated": Form("title", ("txt", "html"), "the title printed twice, as page heading and article heading"),
    "title_none": Form("title", ("txt",), "no title line; the opening sentence names agency and year"),
    "title_year_bare": Form("title", ("txt", "html"), "the year without 年 before the report words"),
    # --- head furniture
    "breadcrumb": Form("head", ("txt", "html"), "a 当前位置 / 您的位置 path before the title"),
    "source_date": Form("head", ("txt", "html"), "a 来源 / 发布时间 / 浏览次数 line by the title"),
    "font_size": Form("head", ("txt", "html"), "字号 大 中 小 controls by the title"),
    "nav_share": Form("head", ("txt", "html"), "site menu words, share and print buttons around the title"),
    "bullet_meta": Form("head", ("txt", "html"), "publication facts as bulleted lines"),
    "column_label": Form("head", ("txt", "html"), "the column's name alone on a line above the title"),
    # --- metadata block
    "block_table": Form("block", ("txt", "html"), "索引号 | … | 发布机构 | … as table rows, some cells shifted"),
    "block_list": Form("block", ("txt", "html"), "索引号：… lines, bulleted, a value under its key"),
    # --- opening sentence
    "opening_publish": Form("opening", ("txt", "html"), "现公布XX2023年度…年度报告 names agency and year"),
    "opening_compiled": Form("opening", ("txt", "html"), "本报告…由XX编制 names the agency"),
    # --- headings
    "headings_reworded": Form("headings", ("txt", "html"), "main headings in other words"),
    "headings_numbering": Form("headings", ("txt",), "headings numbered 一. 一． or run into their first sentence"),
    "headings_old": Form("headings", ("txt", "html"), "the 2008–2018 free layout's headings, fee and appendix parts"),
    "subheadings_runin": Form("headings", ("txt", "html"), "（一）主动公开情况。 run into its paragraph"),
    "subheadings_arabic": Form("headings", ("txt", "html"), "the overview's parts numbered 1. 2. 3."),
    # --- tables
    "table_pipe": Form("tables", ("txt",), "| a | b | rows, on one line or a cell to a line"),
    "table_spacer": Form("tables", ("html", "txt"), "colspans leave a spacer column, empty in some rows"),
    "table_cell_lines": Form("tables", ("txt",), "a cell to a line, ended by | or parted by | lines"),
    "table_empty_columns": Form("tables", ("txt",), "table 3's organisation columns empty in every row"),
    "table_split_header": Form("tables", ("txt",), "header cells broken over two lines"),
    "table_2019": Form("layout", ("txt", "html", "pdf"), "the 2019 layout's tables"),
    "table_page_break": Form("tables", ("txt",), "a PDF copied to text: page numbers and a split label in table 3"),
    "table_tabs_gbk": Form("tables", ("txt",), "GBK text, tables as tab-separated rows with blank cells"),
    "pdf_frames": Form("tables", ("pdf",), "a PDF whose text sits in one-column boxes, tables across pages"),
    # --- text
    "traditional": Form("text", ("txt", "html"), "the whole page in traditional script"),
    "indent_spaces": Form("text", ("txt",), "paragraphs indented with ideographic or plain spaces"),
    "pdf_line_breaks": Form("text", ("txt",), "hard line breaks inside paragraphs"),
    "odd_dates": Form("text", ("txt", "html"), "the publication date as 2024.01.05 or 二〇二四年一月五日"),
    "injected_words": Form("text", ("txt", "html"), "advertising words slipped into the narrative"),
    "garbled_marks": Form("text", ("txt",), "?? where a copy lost ideographic spaces"),
    "pinyin_glosses": Form("gloss", ("txt", "html"), "a mirror's pinyin readings after characters: 濟(jì)南"),
}

# Forms that take the agency out of the title.
_NEEDS_AGENCY = {"title_no_agency", "title_none"}

# ------------------------------------------------------------------ our words
_NAV = ["设为首页 | 加入收藏 | 无障碍浏览 | 长者模式", "首页  政务公开  办事服务  互动交流  数据开放",
        "网站地图 | 手机版 | 简体 | 繁體"]
_SHARE = ["分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】", "扫一扫在手机打开当前页  打印  关闭"]
_LABELS = ["政府信息公开年报", "信息公开年报", "年度报告", "政府信息公开"]
_CRUMBS = ["当前位置：首页 > 政务公开 > 政府信息公开年报", "您的位置：首页 » 信息公开 » 年度报告",
           "当前位置: 首页 > 政府信息公开 > 法定主动公开内容 > 年报", "您当前所在位置：网站首页 > 公开年报 > 正文"]
_FONT = ["【字号：大 中 小】", "字体：[大] [中] [小]", "【字体大小：大 中 小】  【打印】"]
_EDITORS = ["李青", "王越", "陈宁", "赵岚"]
_TOPICS = ["政务公开", "综合政务", "其他", "年度报告"]
_ADS = ["（星河竞技官网推荐）", "蓝鲸棋牌", "【云帆体育APP】", "金桥娱乐城"]
_WORDS = ["互联网+政务服务", "放管服", "一网通办", "数字政府"]


def _opening_publish(agency: str, year: int) -> str:
    return (f"依照《中华人民共和国政府信息公开条例》和年度报告格式的要求，现公布{agency}{year}年度政府信息公开工作"
            f"年度报告。报告分为总体情况、主动公开政府信息情况等六个部分，所列数据的统计期限为{year}年1月1日至"
            f"{year}年12月31日。")


def _opening_compiled(agency: str, year: int) -> str:
    return (f"本年度报告依据《中华人民共和国政府信息公开条例》及上级有关通知要求，由{agency}汇集各科室数据编制而成。"
            f"报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止，如有疑问请与本机关办公室联系。")


# ------------------------------------------------------------------ planning
def plan_forms(n: int, seed: int) -> list[tuple[str, ...]]:
    """The forms of each of ``n`` reports: every form leads about the same
    number of reports, and most reports carry forms of other families too."""
    rng = random.Random(f"textmine-forms-plan-{seed}")
    names = list(FORMS)
    plans: list[tuple[str, ...]] = []
    for i in range(n):
        lead = names[i % len(names)]
        chosen = [lead]
        families = {FORMS[lead].family}
        # Every table flattening in both layouts: every other time it leads, the 2019 one.
        if FORMS[lead].family == "tables" and (i // len(names)) % 2 == 1:
            chosen.append("table_2019")
            families.add("layout")
        for _ in range(rng.randint(0, 3)):
            other = rng.choice(names)
            if FORMS[other].family in families or not _compatible(chosen + [other]):
                continue
            chosen.append(other)
            families.add(FORMS[other].family)
        # A report without the agency in its title names it elsewhere: an
        # opening sentence or a block, else (as the sample's overviews all do)
        # the overview's first sentence.
        if _NEEDS_AGENCY & set(chosen) and not {"block_table", "block_list", "opening_publish",
                                                 "opening_compiled"} & set(chosen) and rng.random() < 0.5:
            chosen.append("opening_publish" if "opening" not in families else "block_list")
        plans.append(tuple(chosen))
    return plans


def _compatible(forms: list[str]) -> bool:
    fmts = set(FORMS[forms[0]].formats)
    for name in forms[1:]:
        fmts &= set(FORMS[name].formats)
    if not fmts:
        return False
    s = set(forms)
    # Old (2008–2018) reports have no standard tables.
    if "headings_old" in s and (FORMS_TABLES | {"table_2019"}) & s:
        return False
    return True


FORMS_TABLES = {k for k, f in FORMS.items() if f.family == "tables"}


# ------------------------------------------------------------------ building
@dataclass
class _Head:
    """The head a report's forms build: lines before and after the title."""

    before: list[Block] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    after: list[Block] = field(default_factory=list)
    opening: str = ""


def _fmt_for(forms: tuple[str, ...], rng: random.Random) -> str:
    fmts = set(FORMS[forms[0]].formats)
    for name in forms[1:]:
        fmts &= set(FORMS[name].formats)
    return rng.choice(sorted(fmts))


def _spec_for(forms: tuple[str, ...], fmt: str, rng: random.Random) -> tuple[Spec, Optional[str]]:
    """The sample generator's spec and forced layout for these forms."""
    s = set(forms)
    layout = "2019" if "table_2019" in s else None
    if "headings_old" in s:
        return Spec(fmt, rng.choice(["pipe", "cell_per_line"]) if fmt == "txt" else "", free=True, plain_head=True), None
    flattening = ""
    encoding = "utf-8"
    if fmt == "txt":
        if "table_pipe" in s:
            flattening = rng.choice(["pipe", "pipe_open"])
        elif "table_cell_lines" in s:
            flattening = rng.choice(["cell_pipe", "cell_bars", "cell_per_line"])
        elif "table_empty_columns" in s:
            flattening = "cell_pipe"
        elif "table_split_header" in s:
            flattening = "split_headers"
        elif "table_page_break" in s:
            flattening = "cell_per_line"
        elif "table_tabs_gbk" in s:
            flattening, encoding = "tabs", "gbk"
        elif "table_spacer" in s:
            flattening = "pipe"
        else:
            flattening = rng.choice(["pipe", "cell_per_line", "cell_pipe", "pipe_open"])
    return Spec(fmt, flattening, encoding, plain_head=True), layout


def _tamper_for(forms: tuple[str, ...]) -> Optional[Callable[..., list[str]]]:
    s = set(forms)
    if "table_empty_columns" in s:
        def empty_columns(rng: random.Random, t2: dict, t3: dict, t4: dict) -> list[str]:
            for key in list(t3):
                row, col = key.rsplit(".", 1)
                if col in ("business", "research", "nonprofit", "legal_service", "other_org"):
                    t3[key] = None
            for key in list(t3):
                row, col = key.rsplit(".", 1)
                if col == "total":
                    t3[key] = t3[f"{row}.natural_person"]
            return ["Table 3: the five organisation columns are printed empty in every row (null in gold); "
                    "总计 equals 自然人."]
        return empty_columns
    if "table_tabs_gbk" in s:
        def some_blanks(rng: random.Random, t2: dict, t3: dict, t4: dict) -> list[str]:
            keys = sorted(k for k in t3 if k.rsplit(".", 1)[1] in ("research", "nonprofit", "legal_service"))
            blanked = rng.sample(keys, 12)
            for k in blanked:
                t3[k] = None
            return [f"Table 3: {len(blanked)} organisation cells printed blank (null in gold): "
                    + ", ".join(sorted(blanked)) + "."]
        return some_blanks
    return None


def _symbol_agency(name: str, rng: random.Random) -> str:
    """The agency's name with quotes, brackets, + or ASCII letters in it."""
    m = re.match(r"^.*[省市县区]", name)
    place = m.group(0) if m else name[:3]
    kind = rng.choice(["quote", "bracket", "ascii", "ampersand"])
    if kind == "quote":
        return f"{place}“{rng.choice(_WORDS)}”服务中心"
    if kind == "bracket":
        return f"{place}（{rng.choice(['综合', '联合', '临时'])}）行政服务中心"
    if kind == "ampersand":
        return f"{place}科技&人才服务中心"
    return f"{place}{rng.choice(['5G', 'AI', 'XR'])}产业园管理委员会"


def _block_rows(agency: str, published: str, title: str | None, rng: random.Random) -> list[list[str]]:
    index = f"{rng.randint(10, 99)}{rng.randint(1000000, 9999999)}/{published[:4]}-{rng.randint(1, 99999):05d}"
    rows = [["索引号", index, "发文字号", ""]]
    if rng.random() < 0.5:
        rows.append(["关键词", "发布机构", agency, ""])  # a shifted row, as misaligned blocks print it
    else:
        rows.append(["发布机构", agency, "主题分类", rng.choice(_TOPICS)])
    rows.append(["发文日期", published, "有效性", "有效"])
    if title and rng.random() < 0.6:
        rows.append(["信息名称", title, "", ""])
    return rows


def _block_list(agency: str, published: str, title: str | None, rng: random.Random) -> list[str]:
    index = f"{rng.randint(100, 999)}/{published[:4]}-{rng.randint(1, 9999):04d}"
    bullet = rng.choice(["", "- ", "• "])
    under = rng.random() < 0.3
    pairs = [("索引号", index), ("发布机构", agency), ("发布日期", published)]
    if title and rng.random() < 0.6:
        pairs.append(("信息名称", title))
    lines: list[str] = []
    for key, value in pairs:
        if under:
            lines += [f"{bullet}{key}：", f"    {value}"]
        else:
            lines.append(f"{bullet}{key}：{value}")
    return lines


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
_HEADING = re.compile(r"^(?P<num>[一二三四五六七八九十]{1,2})(?P<sep>[、.．，]\s?)(?P<title>.+)$")
_SUB = re.compile(r"^(?P<num>[（(][一二三四五六七八九十][）)])(?P<rest>.+)$")


def _rework_headings(blocks: list[Block], sections: list[str], forms: set[str], rng: random.Random) -> list[Block]:
    """Main headings (one per gold section, in order) in other words, numbers or places."""
    out: list[Block] = []
    k = 0
    pending_runin: Optional[str] = None
    for b in blocks:
        if isinstance(b, str) and k < len(sections):
            m = _HEADING.match(b)
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


def _old_headings(blocks: list[Block], rng: random.Random) -> tuple[list[Block], list[str]]:
    """A free-layout report's headings in the old forms (fee part, appendix)."""
    out: list[Block] = []
    k = 0
    keys: list[str] = []
    for b in blocks:
        if isinstance(b, str) and _HEADING.match(b) and len(b) <= 40 and k < len(_OLD):
            m = _HEADING.match(b)
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


def _arabic_subheadings(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    n = 0
    for b in blocks:
        if isinstance(b, str):
            m = _SUB.match(b)
            if m and n < 5 and b.startswith(("（", "(")) and any(w in b[:12] for w in ("主动公开", "依申请", "管理", "平台", "监督")):
                n += 1
                out.append(f"{n}.{m.group('rest')}")
                continue
            if _HEADING.match(b) and n:
                n = 99  # only the overview's parts
        out.append(b)
    return out


def _runin_subheadings(blocks: list[Block]) -> list[Block]:
    """Sub-headings on their own line run into the paragraph after them."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if isinstance(b, str) and isinstance(prev, str) and _SUB.match(prev) and len(prev) <= 24 and not _SUB.match(b):
            out[-1] = f"{prev.rstrip('。')}。{b}"
            continue
        out.append(b)
    return out


def _spacer_table(table: Table, rng: random.Random) -> Table:
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


def _filler_column(table: Table) -> Table:
    """An empty cell after every row (a grid's trailing filler)."""
    return Table([row + [Cell("")] for row in table.rows])


def _head(forms: set[str], rep: Report, old_agency: str, agency: str, year: int, published: str,
          rng: random.Random) -> tuple[_Head, Optional[str], bool]:
    """The head blocks, the gold title, and whether a date is printed in the head."""
    head = _Head()
    title = rep.title.replace(old_agency, agency)
    du = "年度" if "年度" in title else "年"
    dated = False
    if "title_du" in forms:
        du = "年度"
        title = f"{agency}{year}年度政府信息公开工作年度报告"
    lines = [title]
    if "title_year_first" in forms:
        title = f"{year}{du}{agency}政府信息公开工作年度报告"
        lines = [title]
    elif "title_two_lines" in forms:
        lines = [agency, f"{year}{du}政府信息公开工作年度报告"]
        title = "".join(lines)
    elif "title_space" in forms:
        title = f"{agency} {year}{du}政府信息公开工作年度报告"
        lines = [title]
    elif "title_report_words" in forms:
        title = f"{agency}{year}{du}" + rng.choice(["政府信息公开年报", "信息公开年度报告", "政务公开工作年度报告",
                                                     "政府信息公开工作年报"])
        lines = [title]
    elif "title_year_bare" in forms:
        title = f"{agency}{year}政府信息公开工作年度报告"
        lines = [title]
    elif "title_no_agency" in forms:
        title = f"{year}{du}政府信息公开工作年度报告"
        lines = [title]
    elif "title_none" in forms:
        title, lines = None, []
    head.title_lines = lines
    if "title_repeated" in forms and lines:
        head.before.append(lines[0] if len(lines) == 1 else "".join(lines))
        head.before.append(rng.choice(_FONT + _SHARE))
    # Furniture
    if "nav_share" in forms:
        head.before.insert(0, rng.choice(_NAV))
        head.after.append(rng.choice(_SHARE))
    if "column_label" in forms:
        head.before.append(rng.choice(_LABELS))
    if "breadcrumb" in forms:
        head.before.insert(0 if "nav_share" not in forms else 1, rng.choice(_CRUMBS))
    date_text = published
    if "odd_dates" in forms:
        y, m, d = published.split("-")
        date_text = rng.choice([f"{y}.{m}.{d}", f"{y}年{int(m)}月{int(d)}日", _cn_date(int(y), int(m), int(d))])
    if "source_date" in forms or "odd_dates" in forms:
        src = rng.choice([agency, "本网", "办公室"])
        line = rng.choice([f"来源：{src}  发布时间：{date_text}  浏览次数：{rng.randint(20, 900)}",
                           f"发布日期：{date_text}    来源：{src}",
                           f"发布时间:{date_text} {rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}  作者：{rng.choice(_EDITORS)}"])
        (head.after if rng.random() < 0.7 else head.before).append(line)
        dated = True
    if "font_size" in forms:
        head.after.append(rng.choice(_FONT))
    if "bullet_meta" in forms:
        mark = rng.choice(["- ", "• ", "· "])
        head.after += [f"{mark}发布时间：{date_text}", f"{mark}来源：{agency}", f"{mark}编辑：{rng.choice(_EDITORS)}"]
        dated = True
    # Metadata block
    if "block_table" in forms:
        rows = _block_rows(agency, published, title, rng)
        head.before.append(Table([[Cell(c) for c in row] for row in rows]))
        dated = True
    elif "block_list" in forms:
        head.before += _block_list(agency, published, title, rng)
        dated = True
    # Opening
    if "opening_publish" in forms:
        head.opening = _opening_publish(agency, year)
    elif "opening_compiled" in forms:
        head.opening = _opening_compiled(agency, year)
    return head, title, dated


def _cn_date(y: int, m: int, d: int) -> str:
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        return ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")

    return "".join(digits[int(ch)] for ch in str(y)) + f"年{small(m)}月{small(d)}日"


def make_forms_report(i: int, seed: int, forms: tuple[str, ...]) -> tuple[Report, dict[str, Any]]:
    """One report carrying ``forms``: the report (blocks, gold) and how to write it."""
    rng = random.Random(f"textmine-forms-{seed}-{i}")
    fmt = _fmt_for(forms, rng)
    spec, layout = _spec_for(forms, fmt, rng)
    rep = make_report(i, seed * 1000 + 17, spec, force_layout=layout, tamper=_tamper_for(forms),
                      rid=f"form{i:03d}")
    rep.id = f"form{i:03d}_{rep.gold['meta']['year']}"
    rep.gold["id"] = rep.id
    s = set(forms)
    gold = rep.gold
    meta = gold["meta"]
    agency, year = meta["agency"], meta["year"]
    published = f"{year + 1}-01-{rng.randint(5, 28):02d}" if meta["published"] is None else meta["published"]
    old_agency = agency
    if "title_symbols" in s:
        new = _symbol_agency(agency, rng)
        rep.blocks = [b.replace(agency, new) if isinstance(b, str) else b for b in rep.blocks]
        for c in gold.get("claims", []):
            c["text"] = c["text"].replace(agency, new)
        agency = new
        meta["agency"] = new
    head, title, dated = _head(s, rep, old_agency, agency, year, published, rng)
    body = rep.blocks[2:]
    opening = head.opening or (rep.blocks[1] if isinstance(rep.blocks[1], str) else "")
    sections = list(gold["sections"])
    if "headings_old" in s:
        body, sections = _old_headings(body, rng)
    elif {"headings_reworded", "headings_numbering"} & s:
        body = _rework_headings(body, sections, s, rng)
    if "subheadings_arabic" in s:
        body = _arabic_subheadings(body)
    if "subheadings_runin" in s:
        body = _runin_subheadings(body)
    if "table_spacer" in s:
        body = [_spacer_table(b, rng) if isinstance(b, Table) and b.rows and b.rows[0][0].text.startswith("第二十条") else b
                for b in body]
        body = [_filler_column(b) if isinstance(b, Table) and b.rows and "勾稽" in b.rows[0][0].text else b
                for b in body]
    if "injected_words" in s:
        items = [it["text"][:20] for kind in ("problems", "improvements") for it in gold.get(kind, [])]
        body = [_inject(b, rng) if isinstance(b, str) and len(b) > 60 and not _HEADING.match(b)
                and not any(t in b for t in items) else b for b in body]
    blocks: list[Block] = [*head.before, *head.title_lines, *head.after]
    if opening:
        blocks.append(opening)
    blocks += body
    rep.blocks = blocks
    meta["title"] = title
    meta["published"] = published if (dated or meta["published"] is not None) else None
    gold["sections"] = sections
    if "headings_old" in s:
        meta["layout"] = "free"
    rep.title = title or ""
    rep.notes.insert(0, "Forms: " + ", ".join(forms) + " (corpora/forms.md).")
    how = {"fmt": fmt, "flattening": spec.flattening, "encoding": spec.encoding, "forms": forms,
           "page_title": None if title else f"{agency}门户网站", "seed": rng.randrange(1 << 30)}
    if "traditional" in s:
        conditions.traditional_gold(gold)
    return rep, how


def _inject(paragraph: str, rng: random.Random) -> str:
    cut = paragraph.find("。")
    if cut < 0:
        return paragraph
    return paragraph[: cut + 1] + rng.choice(_ADS) + paragraph[cut + 1 :]


def write_forms_report(rep: Report, how: dict[str, Any], reports_dir: Path) -> str:
    """Write the report as its forms say; return the file name."""
    forms = set(how["forms"])
    rng = random.Random(how["seed"])
    claims = [c["text"] for c in rep.gold.get("claims", [])]

    def post(text: str) -> str:
        if "table_page_break" in forms:
            text = conditions.page_breaks(text, rng, header=rep.title if rng.random() < 0.6 else "")
        if "pdf_line_breaks" in forms:
            text = conditions.hard_breaks(text, claims, rng)
        if "indent_spaces" in forms:
            text = conditions.indent(text, rng)
        if "garbled_marks" in forms:
            text = conditions.garble(text)
        if "traditional" in forms:
            text = conditions.to_traditional(text)
        if "pinyin_glosses" in forms:
            text = conditions.glosses(text, rng)
        return text

    fmt = how["fmt"]
    fname = f"{rep.id}.{EXT[fmt]}"
    path = reports_dir / fname
    blocks = encodable(rep.blocks, how["encoding"])
    if fmt == "txt":
        write_txt(blocks, path, flattening=how["flattening"], encoding=how["encoding"], seed=rep.render_seed, post=post)
    elif fmt == "html":
        write_html(blocks, path, encoding=how["encoding"], title=rep.title or None, chrome=False,
                   page_title=how["page_title"], seed=rep.render_seed, post=post)
    elif fmt == "docx":
        write_docx(blocks, path)
    else:
        frames = "pdf_frames" in forms
        write_pdf(blocks, path, frames=frames, page_numbers=frames,
                  running_header=rep.title if frames and rng.random() < 0.5 else "", split_rows=frames)
    return fname


# ------------------------------------------------------------------ corpus
def generate_forms(out_dir: str | Path, n: int = 180, seed: int = 13) -> list[dict[str, Any]]:
    """Write ``n`` reports covering every form into ``out_dir``; return the manifest rows."""
    out = Path(out_dir)
    for sub in ("reports", "gold"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
        (out / sub).mkdir(parents=True)
    rows = []
    for i, forms in enumerate(plan_forms(n, seed)):
        rep, how = make_forms_report(i, seed, forms)
        fname = write_forms_report(rep, how, out / "reports")
        gold = finish_gold(rep, fname)
        gold["forms"] = list(forms)
        dump_json(gold, out / "gold" / f"{rep.id}.json")
        rows.append({"id": rep.id, "file": f"reports/{fname}", "format": how["fmt"],
                     "layout": gold["meta"]["layout"], "forms": ",".join(forms)})
    write_manifest(out / "manifest.tsv", rows, ("id", "file", "format", "layout", "forms"))
    return rows


def main(argv: Optional[list[str]] = None) -> None:
    ap = argparse.ArgumentParser(description="Write the forms corpus: every form of corpora/forms.md, with gold.")
    ap.add_argument("--out", default="build/forms")
    ap.add_argument("--n", type=int, default=180)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    rows = generate_forms(args.out, n=args.n, seed=args.seed)
    counts: dict[str, int] = {}
    for r in rows:
        for form in r["forms"].split(","):
            counts[form] = counts.get(form, 0) + 1
    print(f"{len(rows)} reports in {args.out}; forms: " + json.dumps(counts, ensure_ascii=False))


if __name__ == "__main__":
    main()
