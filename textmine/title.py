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
``data/meta.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from textmine.data import load_toml

__all__ = [
    "TitleFind",
    "agency_from_title",
    "find_title",
    "metadata_block",
    "names_itself",
    "normalise_title",
    "title_rules",
]

_WS = re.compile(r"[\s\u3000\xa0]+")
# A space inside a year (2023 年, 2023年 度) is a PDF's glyph spacing, not the title's.
_YEAR_GAPS = re.compile(r"(?<=\d)\s+(?=年)|(?<=年)\s+(?=度)|(?<=\d)\s+(?=\d)")
_ENDS = "：:，,。；; |｜"
_BLOCK_MARKS = re.compile(r"[:：|｜\t]")
_A_YEAR = re.compile(r"(?:19|20)\d{2}")
_BLOCK_LINE = 24
# How far before its separator a key may start (the longest key, letter-spaced).
_KEY_REACH = 12


@dataclass(frozen=True)
class TitleRules:
    """The compiled patterns of ``meta.toml`` for titles and agencies."""

    agency_year: re.Pattern[str]
    year_agency: re.Pattern[str]
    agency_mid_year: re.Pattern[str]
    year_only: re.Pattern[str]
    agency_only: re.Pattern[str]
    site_sep: re.Pattern[str]
    max_joined: int
    report_words: re.Pattern[str]
    agency_trailing: re.Pattern[str]
    agency_ends: re.Pattern[str]
    not_words: re.Pattern[str]
    bare: frozenset[str]
    title_keys: tuple[str, ...]
    agency_keys: tuple[str, ...]
    date_keys: tuple[str, ...]
    block_key: re.Pattern[str]
    openings: tuple[re.Pattern[str], ...]
    opening_cut: re.Pattern[str]
    contact: tuple[re.Pattern[str], ...]
    overview: tuple[re.Pattern[str], ...]
    overview_reach: int
    self_reference: re.Pattern[str]
    self_reach: int


def _fill(pattern: str, parts: dict[str, str]) -> str:
    for name, value in parts.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


@lru_cache(maxsize=1)
def title_rules() -> TitleRules:
    """``meta.toml``'s title, agency, block and opening patterns (loaded once, lazily)."""
    d = load_toml("meta.toml")
    parts = d["parts"]
    t, a, b = d["title"], d["agency"], d["block"]
    start, end = t["start"], t["end"]
    keys = list(b["title_keys"]) + list(b["agency_keys"]) + list(b["date_keys"]) + list(b["other_keys"])
    # Longest key first, so 发布机构 is not read as 机构; a key may be letter-spaced (标 题, 有 效 性).
    key_alt = "|".join(r"[ \u3000]?".join(re.escape(ch) for ch in k) for k in sorted(set(keys), key=len, reverse=True))
    return TitleRules(
        agency_year=re.compile(start + _fill(t["agency_year"], parts) + end),
        year_agency=re.compile(start + _fill(t["year_agency"], parts) + end),
        agency_mid_year=re.compile(start + _fill(t["agency_mid_year"], parts) + end),
        year_only=re.compile(_fill(t["year_only"], parts)),
        agency_only=re.compile(_fill(t["agency_only"], parts)),
        site_sep=re.compile(t["site_separators"]),
        max_joined=int(t["max_joined"]),
        report_words=re.compile(a["report_words"]),
        agency_trailing=re.compile(a["trailing"]),
        agency_ends=re.compile(a["ends"]),
        not_words=re.compile(a["not_words"]),
        bare=frozenset(a["bare"]),
        title_keys=tuple(b["title_keys"]),
        agency_keys=tuple(b["agency_keys"]),
        date_keys=tuple(b["date_keys"]),
        block_key=re.compile(rf"(?:^|(?<=[\s|｜•·\-]))(?P<key>{key_alt})\s*(?:[:：]|(?=\s*[|｜\t])|$)\s*[|｜]?"),
        openings=tuple(re.compile(_fill(p, parts)) for p in d["opening"]["patterns"]),
        opening_cut=re.compile(d["opening"]["cut"]),
        contact=tuple(re.compile(_fill(p, parts)) for p in d["opening"]["contact"]),
        overview=tuple(re.compile(_fill(p, parts)) for p in d["opening"]["overview"]),
        overview_reach=int(d["opening"]["overview_reach"]),
        self_reference=re.compile("|".join(f"(?:{p})" for p in d["self"]["patterns"])),
        self_reach=int(d["self"]["reach"]),
    )


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
    s = _YEAR_GAPS.sub("", _WS.sub(" ", s).strip())
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
    t = _WS.sub("", title)
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


# ------------------------------------------------------------------ metadata block
def metadata_block(head: str, rules: TitleRules | None = None) -> dict[str, str]:
    """The key → value pairs of the page's metadata block, first value of a key wins.

    Reads ``key：value`` (several on one line: 来源：XX 发布时间：…), pipe rows
    (``| 索引号 | … | 发布机构 | XX厅 |``) and bullet lines; a value never runs
    into the next key, and a key followed directly by another key has no value
    (a misaligned block: ``关键词 | 发布机构 | XX局``).

    >>> metadata_block("索引号 | 001/2025 | 发布机构 | 某省某厅 | 发文日期 | 2025-01-27 |")["发布机构"]
    '某省某厅'
    """
    rules = rules or title_rules()
    out: dict[str, str] = {}
    lines = head.split("\n")
    for n, line in enumerate(lines):
        if len(line) > _BLOCK_LINE and not _BLOCK_MARKS.search(line):
            continue  # a paragraph: a key stands before a colon, a pipe or a tab, or alone on a short line
        hits = _block_keys(line, rules)
        for i, m in enumerate(hits):
            end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
            value = line[m.end() : end]
            value = value.split("|")[0].split("｜")[0] if "|" in value or "｜" in value else value
            value = _WS.sub(" ", value).strip(" :：-—•·")
            if not value and i + 1 == len(hits) and not line[m.end() :].strip(" \t|｜:："):
                # A bulleted list may put the value on the next non-empty line.
                value = _next_value(lines, n + 1, rules)
            key = _WS.sub("", m.group("key"))
            if value and key not in out:
                out[key] = value
    return out


def _block_keys(line: str, rules: TitleRules) -> list[re.Match[str]]:
    """The block keys of one line.  A key stands before a separator (or ends a
    short line), so the key pattern is tried only just before each separator."""
    if len(line) > _BLOCK_LINE:
        hits: list[re.Match[str]] = []
        last = 0
        for sep in _BLOCK_MARKS.finditer(line):
            m = rules.block_key.search(line, max(last, sep.start() - _KEY_REACH), sep.end() + 1)
            while m is not None and m.start() < sep.start() - _KEY_REACH:
                m = rules.block_key.search(line, m.end(), sep.end() + 1)
            if m is not None and m.start() >= last:
                hits.append(m)
                last = m.end()
        return hits
    return list(rules.block_key.finditer(line))


def _next_value(lines: list[str], start: int, rules: TitleRules) -> str:
    for line in lines[start : start + 3]:
        text = _WS.sub(" ", line).strip(" :：-—•·|｜")
        if text:
            return "" if rules.block_key.search(line) else text
    return ""


def _block_title(block: dict[str, str], rules: TitleRules) -> str | None:
    for key in rules.title_keys:
        value = block.get(key)
        if value and _is_title(value, rules):
            return normalise_title(value)
    return None


def _block_agency(block: dict[str, str], rules: TitleRules) -> str | None:
    for key in rules.agency_keys:
        value = _WS.sub("", block.get(key, ""))
        if looks_like_agency(value, rules):
            return value
    return None


# ------------------------------------------------------------------ title lines
def _is_title(s: str, rules: TitleRules) -> bool:
    t = _WS.sub("", s)
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
    agency = _WS.sub("", m.group("agency"))
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
    if m and not rules.not_words.search(m.group("agency")) and _WS.sub("", m.group("agency")) not in rules.bare:
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
            _WS.sub("", a), rules
        ):
            return normalise_title(joined)
    return None


def _sentence_agency(
    text: str, patterns: tuple[re.Pattern[str], ...], rules: TitleRules
) -> tuple[str | None, int | None]:
    """The agency (and year) the first of ``patterns`` to name one finds in ``text``."""
    for pattern in patterns:
        for m in pattern.finditer(text):
            agency = _WS.sub("", m.group("agency"))
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
