"""The report's title and agency, wherever a page puts them.

Sites print a report's name in many ways (``corpora/forms.md`` counts
them): on one line (定西市通渭县人民政府2023年…年度报告), year first
(2023年度XX区民政局…), over two lines (the agency, then 2023年…年度报告),
with a space, ending in 年报, inside a breadcrumb, or not at all.  Around it
stand page furniture (breadcrumbs, 来源/发布时间 lines, share bars) and often
a metadata block (索引号 | … | 发布机构 | XX厅 | 发文日期 | …).

Title, first found wins:

1. a title key of the metadata block or an archive header (``标题:``,
   ``信息名称：``): the page names the report the way its publisher filed it;
2. the HTML ``<title>`` minus the site's name;
3. a title line in the head of the text (one line, or two lines joined).

Agency: the title's, else the one the opening sentence names
(现公布XX2023年…年度报告; 本年度报告由XX编制), else the metadata block's
发布机构 (or another publisher key), else the one the contact sentence
names (请与XX局办公室联系), else the overview's first sentence's
(2023年，XX局坚持…).  ``title`` stays None when no title line
exists: a sentence is never taken for a title.  All patterns are in
``data/meta.toml`` (compiled by :mod:`.rules`); the metadata block is read by
:mod:`.block`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .block import metadata_block
from .rules import BLANKS, TitleRules, title_rules

__all__ = [
    "TitleFind",
    "agency_from_title",
    "find_title",
    "metadata_block",
    "names_itself",
    "normalise_title",
    "title_rules",
]

# A space inside a year (2023 年, 2023年 度) is a PDF's glyph spacing, not the title's.
_YEAR_GAPS = re.compile(r"(?<=\d)\s+(?=年)|(?<=年)\s+(?=度)|(?<=\d)\s+(?=\d)")
_ENDS = "：:，,。；; |｜"
_A_YEAR = re.compile(r"(?:19|20)\d{2}")


def names_itself(text: str, rules: TitleRules | None = None) -> bool:
    """Does the text's opening call it an annual report (特编制…年度报告, 本年报由…)?

    >>> names_itself("根据条例，特编制本局2016年政府信息公开年度报告。"), names_itself("日前，某市发布了年度报告。")
    (True, False)
    """
    rules = rules or title_rules()
    return bool(rules.self_reference.search(text, 0, rules.self_reach))


def normalise_title(s: str) -> str:
    """A title as printed, on one line: blanks collapsed to one space,
    spaces inside the year dropped, stray punctuation at the ends stripped.

    >>> normalise_title("  某局 2023 年度政府信息公开工作年度报告： ")
    '某局 2023年度政府信息公开工作年度报告'
    """
    s = _YEAR_GAPS.sub("", BLANKS.sub(" ", s).strip())
    return s.strip(_ENDS)


def looks_like_agency(name: str | None, rules: TitleRules | None = None) -> bool:
    """Does ``name`` read as an agency's name (XX局, XX县人民政府), not a phrase?"""
    rules = rules or title_rules()
    if not name or not 2 <= len(name) <= 40 or name in rules.bare:
        return False
    return bool(rules.agency_ends.search(name)) and not rules.not_words.search(name)


def agency_from_title(title: str, rules: TitleRules | None = None) -> str | None:
    """The title minus year and report words (定西市通渭县人民政府).

    >>> agency_from_title("2023年度某区民政局政府信息公开工作年度报告")
    '某区民政局'
    """
    rules = rules or title_rules()
    t = BLANKS.sub("", title)
    m = rules.agency_year.match(t) or rules.year_agency.match(t) or rules.agency_mid_year.match(t)
    if m:
        agency = m.group("agency")
    else:
        m = rules.agency_only.fullmatch(t)
        agency = m.group("agency") if m else rules.report_words.sub("", t)
    agency = rules.agency_trailing.sub("", agency).strip(_ENDS + "、")
    if not agency or agency in rules.bare or rules.not_words.search(agency) or rules.year_only.fullmatch(t):
        return None
    return agency


def _block_title(block: dict[str, str], rules: TitleRules) -> str | None:
    for key in rules.title_keys:
        value = block.get(key)
        if value and _is_title(value, rules):
            return normalise_title(value)
    return None


def _block_agency(block: dict[str, str], rules: TitleRules) -> str | None:
    for key in rules.agency_keys:
        value = BLANKS.sub("", block.get(key, ""))
        if looks_like_agency(value, rules):
            return value
    return None


# ------------------------------------------------------------------ title lines
def _is_title(s: str, rules: TitleRules) -> bool:
    t = BLANKS.sub("", s)
    return bool(
        rules.agency_year.fullmatch(t)
        or rules.year_agency.fullmatch(t)
        or rules.agency_mid_year.fullmatch(t)
        or rules.year_only.fullmatch(t)
        or rules.agency_only.fullmatch(t)
    )


def _title_from_html(html_title: str, rules: TitleRules) -> str | None:
    for part in rules.site_sep.split(html_title):
        part = normalise_title(part)
        if _is_title(part, rules) and (rules.year_only.fullmatch(part) is None):
            return part
    return None


def _match_agency(m: re.Match[str], rules: TitleRules) -> bool:
    agency = BLANKS.sub("", m.group("agency"))
    return not rules.not_words.search(agency) and agency != "度" and agency not in rules.bare


def _title_in_line(line: str, rules: TitleRules) -> str | None:
    """A title standing in one line: the whole line, or after a breadcrumb."""
    best: tuple[int, str] | None = None
    for pattern in (rules.agency_year, rules.year_agency, rules.agency_mid_year):
        for m in pattern.finditer(line):
            found = _glued(m, pattern, rules) if not _match_agency(m, rules) else (m.start(), m.group(0))
            if found and (best is None or found[0] < best[0]):
                best = found
                break
    if best is not None:
        return normalise_title(best[1])
    stripped = line.strip(" \t\u3000\xa0?")
    if rules.year_only.fullmatch(stripped):
        return normalise_title(stripped)
    m = rules.agency_only.fullmatch(stripped)
    if m and not rules.not_words.search(m.group("agency")) and BLANKS.sub("", m.group("agency")) not in rules.bare:
        return normalise_title(stripped)
    return None


_REPORT_WORDS = re.compile(r"(?:报告|年报)")


def _glued(m: re.Match[str], pattern: re.Pattern[str], rules: TitleRules) -> tuple[int, str] | None:
    """A title run into the breadcrumb before it (…» 政府信息公开工作年度报告某厅2025年度…报告):
    the title after the breadcrumb's last report words, when that is one."""
    agency = m.group("agency")
    last = None
    for last in _REPORT_WORDS.finditer(agency):  # noqa: B007 - keeps the last match
        pass
    if last is None or last.end() >= len(agency):
        return None
    start = m.start("agency") + last.end()
    again = pattern.match(m.string[start : m.end()])
    if again is None or again.end() != m.end() - start or not _match_agency(again, rules):
        return None
    return start, again.group(0)


def _fuller(later: str, first: str, rules: TitleRules) -> bool:
    """Is ``later`` the same title as ``first`` with a longer agency name?"""
    a, b = agency_from_title(first, rules), agency_from_title(later, rules)
    year = _A_YEAR.search(first)
    return bool(a and b and a != b and a in b and year and year.group(0) in later)


def _title_over_lines(lines: list[str], rules: TitleRules) -> str | None:
    """A title broken over two lines: 洪泽区人民政府 / 2023年政府信息公开工作年度报告
    (blank lines between them do not count)."""
    lines = [ln.strip(" \t\u3000\xa0?") for ln in lines]
    lines = [ln for ln in lines if ln]
    for a, b in zip(lines, lines[1:]):
        if len(a) + len(b) > rules.max_joined:
            continue
        joined = a + b
        if (rules.agency_year.fullmatch(joined) or rules.year_agency.fullmatch(joined)) and looks_like_agency(
            BLANKS.sub("", a), rules
        ):
            return normalise_title(joined)
    return None


def _sentence_agency(
    text: str, patterns: tuple[re.Pattern[str], ...], rules: TitleRules
) -> tuple[str | None, int | None]:
    """The agency (and year) the first of ``patterns`` to name one finds in ``text``."""
    for pattern in patterns:
        for m in pattern.finditer(text):
            agency = BLANKS.sub("", m.group("agency"))
            cut = rules.opening_cut.search(agency, 2)
            agency = agency[: cut.start()] if cut else agency
            if looks_like_agency(agency, rules):
                year = m.groupdict().get("year")
                return agency, int(year) if year else None
    return None, None


@dataclass(frozen=True)
class TitleFind:
    """What :func:`find_title` found, and where each part came from: the
    title from ``block``, ``html``, ``line`` or ``lines``; the agency from
    the ``title``, the ``opening`` sentence, the ``block``, the ``contact``
    sentence or the ``overview``'s first sentence; None: not found."""

    title: str | None
    agency: str | None
    title_source: str | None = None
    agency_source: str | None = None
    # A year named by the opening sentence (现公布XX2023年…), when the title
    # named no agency and the opening was read.
    opening_year: int | None = None
    # The page's metadata block (key → value), for the date keys.
    block: dict[str, str] = field(default_factory=dict)


def find_title(
    head: str, hints: dict[str, str] | None = None, rules: TitleRules | None = None, after: str = ""
) -> TitleFind:
    """The report's title and agency from the head of its text (see the module doc).

    >>> find_title("首页 > 年报\\n洪泽区人民政府\\n2023 年政府信息公开工作年度报告\\n本报告…").title
    '洪泽区人民政府2023年政府信息公开工作年度报告'
    >>> found = find_title("根据条例，现公布某市统计局2023年政府信息公开工作年度报告。")
    >>> found.title, found.agency
    (None, '某市统计局')
    """
    rules = rules or title_rules()
    hints = hints or {}
    block = metadata_block(head, rules)
    title, source = _block_title(block, rules), "block"
    if title is None and hints.get("html_title"):
        title, source = _title_from_html(hints["html_title"], rules), "html"
    lines = head.split("\n")
    if title is None:
        for line in lines:
            found = _title_in_line(line, rules)
            if found is None:
                continue
            if title is None:
                title, source = found, "line"
            elif _fuller(found, title, rules):
                # A page heading then the article's fuller title (…水务局 / …某市水务局).
                title = found
    joined = _title_over_lines(lines, rules)
    if joined and (title is None or (source == "line" and rules.year_only.fullmatch(title))):
        title, source = joined, "lines"
    agency = agency_from_title(title, rules) if title else None
    agency_source = "title" if agency else None
    opening_year = None
    if agency is None:
        # An opening sentence may be broken over lines by the page.
        opening, opening_year = _sentence_agency(head.replace("\n", ""), rules.openings, rules)
        if opening:
            agency, agency_source = opening, "opening"
    if agency is None:
        agency = _block_agency(block, rules)
        agency_source = "block" if agency else None
    body = head + after[: rules.overview_reach]
    for source, patterns in (("contact", rules.contact), ("overview", rules.overview)):
        if agency is None:
            agency, _ = _sentence_agency(body, patterns, rules)
            agency_source = source if agency else None
    return TitleFind(title, agency, source if title else None, agency_source, opening_year, block)
