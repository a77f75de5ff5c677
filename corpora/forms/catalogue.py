"""The catalogue of forms (``corpora/forms.md``) and which forms each report carries."""

from __future__ import annotations

import random
from dataclasses import dataclass


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
    "title_two_lines": Form(
        "title", ("txt", "html", "pdf"), "the agency on one line, year and report words on the next"
    ),
    "title_space": Form("title", ("txt", "html"), "a space between the agency and the year"),
    "title_report_words": Form(
        "title", ("txt", "html"), "other report words: 年报, 信息公开年度报告, 政务公开工作年度报告"
    ),
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
        if (
            _NEEDS_AGENCY & set(chosen)
            and not {"block_table", "block_list", "opening_publish", "opening_compiled"} & set(chosen)
            and rng.random() < 0.5
        ):
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
