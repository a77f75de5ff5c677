"""Report metadata: title, agency, region, year and publication date.

Everything is read from the head of the report (the text before the first
section), from what the reader learnt outside the body (``hints``: an HTML
``<title>``), and, for the publication date, from a signature date at the
end.  The patterns and the small table of places live in
``data/meta.toml``.

Title sources, first found wins:

1. a ``标题:`` header line (archive exports carry the page's own title);
2. the HTML ``<title>`` minus the site's suffix
   (``…年度报告_政府信息公开年报_平潭综合实验区党工委管委会``);
3. a report title in the text before the first section.

The page's title comes first because the archive and the page name a report
the way its publisher filed it (平潭综合实验区2019年度…), while the body
heading is often a shortened form (…2019年…, without 度); the gold
annotations follow the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from textmine.data import load_toml
from textmine.record import Note, Section

__all__ = ["extract_meta", "infer_region", "parse_date"]

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR_RX = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_PARTS = re.compile(r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*[-/.年]\s*(?P<m>[\d一二三四五六七八九十]{1,3})\s*[-/.月]\s*(?P<d>[\d一二三四五六七八九十]{1,3})")
_SPACES = re.compile(r"[\s\u3000\xa0]+")
# Without sections, the head is the first stretch of the text.
_HEAD_FALLBACK = 3000
_MIN_YEAR, _MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class _MetaRules:
    title: re.Pattern[str]
    title_header: re.Pattern[str]
    site_sep: re.Pattern[str]
    report_words: re.Pattern[str]
    agency_trailing: re.Pattern[str]
    period: re.Pattern[str]
    published_header: re.Pattern[str]
    signature: re.Pattern[str]
    signature_window: int
    place: re.Pattern[str]
    org_prefixes: tuple[str, ...]
    not_places: frozenset[str]
    provinces: frozenset[str]
    parent: dict[str, str]


@lru_cache(maxsize=1)
def meta_rules() -> _MetaRules:
    """The compiled patterns and place table of ``meta.toml`` (loaded once, lazily)."""
    d = load_toml("meta.toml")
    return _MetaRules(
        title=re.compile(d["title"]["pattern"]),
        title_header=re.compile(d["title"]["header"], re.MULTILINE),
        site_sep=re.compile(d["title"]["site_separators"]),
        report_words=re.compile(d["agency"]["report_words"]),
        agency_trailing=re.compile(d["agency"]["trailing"]),
        period=re.compile(d["year"]["period"]),
        published_header=re.compile(d["published"]["header"]),
        signature=re.compile(d["published"]["signature"], re.MULTILINE),
        signature_window=int(d["published"]["signature_window"]),
        place=re.compile(d["region"]["place"]),
        org_prefixes=tuple(sorted(d["region"]["org_prefixes"], key=len, reverse=True)),
        not_places=frozenset(d["region"]["not_places"]),
        provinces=frozenset(d["region"]["provinces"]),
        parent=dict(d["region"]["parent"]),
    )


def _cn_int(s: str) -> int | None:
    """Small numbers as dates write them: 13, 十三, 二十一, 二〇二二 (digit by digit)."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        tens, _, units = s.partition("十")
        t = _CN_DIGIT.get(tens, -1) if tens else 1
        u = _CN_DIGIT.get(units, -1) if units else 0
        return None if t < 0 or u < 0 else t * 10 + u
    digits = [_CN_DIGIT.get(ch) for ch in s]
    if any(x is None for x in digits):
        return None
    return int("".join(str(x) for x in digits))


def parse_date(s: str) -> str | None:
    """ISO date of ``2024-02-09``, ``2024年2月9日``, ``二〇二二年一月十三日``; None if invalid.

    >>> parse_date("2024-02-09 17:14"), parse_date("2023-02-30")
    ('2024-02-09', None)
    """
    m = _DATE_PARTS.search(s)
    if not m:
        return None
    y, mo, d = (_cn_int(m.group(k)) for k in ("y", "m", "d"))
    if y is None or mo is None or d is None or not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def _clean_title(s: str) -> str:
    return _SPACES.sub("", s).strip("：:，,。 ")


def _title_from_html(html_title: str, rules: _MetaRules) -> str | None:
    for part in rules.site_sep.split(html_title):
        part = _clean_title(part)
        if "报告" in part and rules.title.search(part):
            return part
    return None


def find_title(head: str, hints: dict[str, str], rules: _MetaRules | None = None) -> str | None:
    """The report's title: 标题 header, else HTML <title>, else a title in ``head``."""
    rules = rules or meta_rules()
    m = rules.title_header.search(head)
    if m:
        t = _clean_title(m.group("title"))
        if t:
            return t
    html_title = hints.get("html_title")
    if html_title:
        t = _title_from_html(html_title, rules)
        if t:
            return t
    # Spaces split a breadcrumb from the title; the pattern itself allows one
    # after the year (…2013年 信息公开年度报告).
    m = rules.title.search(head)
    return _clean_title(m.group(0)) if m else None


def agency_from_title(title: str, rules: _MetaRules | None = None) -> str | None:
    """The title minus year and report words (定西市通渭县人民政府)."""
    rules = rules or meta_rules()
    t = _clean_title(title)
    ym = _YEAR_RX.search(t)
    if ym and ym.start() > 0:
        agency = t[: ym.start()]
    else:
        # Year first (2023年XX局政府信息公开工作年度报告) or no year at all.
        agency = rules.report_words.sub("", t[ym.end() :] if ym else t)
        agency = re.sub(r"^度", "", agency)
    agency = rules.agency_trailing.sub("", agency).strip("：:，,、 ")
    return agency or None


def infer_region(agency: str | None, rules: _MetaRules | None = None) -> str | None:
    """The administrative area the agency belongs to, when it can be inferred.

    >>> infer_region("定西市通渭县人民政府")
    '甘肃省定西市通渭县'
    """
    if not agency:
        return None
    rules = rules or meta_rules()
    places: list[str] = []
    pos = next((len(p) for p in rules.org_prefixes if agency.startswith(p)), 0)
    while pos < len(agency):
        m = rules.place.match(agency, pos)
        if not m or m.group(0) in rules.not_places:
            break
        places.append(m.group(0))
        pos = m.end()
    if not places:
        return None
    if places[0] not in rules.provinces:
        province = rules.parent.get(places[0])
        if province:
            places.insert(0, province)
    return "".join(places)


def find_year(title: str | None, text: str, head: str, sections: list[Section], rules: _MetaRules) -> int | None:
    """Year from the title, else the 统计期限, else the overview's first 20XX年."""
    if title:
        m = _YEAR_RX.search(title)
        if m:
            return int(m.group(1))
    pm = rules.period.search(text)
    if pm:
        return int(pm.group("y1"))
    overview = next((s for s in sections if s.key == "overview"), None)
    span = text[overview.start : overview.end] if overview else head
    m = _YEAR_RX.search(span)
    return int(m.group(1)) if m else None


def find_published(
    head: str, text: str, sections: list[Section], hints: dict[str, str], rules: _MetaRules
) -> tuple[str | None, str | None]:
    """ISO publication date and where it came from (``header``, ``hint``, ``signature``)."""
    for m in rules.published_header.finditer(head):
        iso = parse_date(m.group("date"))
        if iso:
            return iso, "header"
    for key in ("published", "pubdate", "date"):
        if hints.get(key):
            iso = parse_date(hints[key])
            if iso:
                return iso, "hint"
    body_end = sections[-1].end if sections else len(text)
    tail_start = max(sections[-1].start if sections else 0, body_end - rules.signature_window)
    last: str | None = None
    for m in rules.signature.finditer(text, tail_start, body_end):
        iso = parse_date(m.group("date"))
        if iso:
            last = iso
    return (last, "signature") if last else (None, None)


def extract_meta(
    text: str, sections: list[Section], hints: dict[str, str] | None = None
) -> tuple[dict[str, Any], list[Note]]:
    """``{"title", "agency", "region", "year", "published", "layout": None}`` and notes.

    ``sections`` are those of :func:`textmine.sections.find_sections` (the head
    is the text before the first one); ``hints`` what the reader found outside
    the body (``html_title``).  ``layout`` is left to the tables stage.

    >>> meta, _ = extract_meta("某县人民政府2023年政府信息公开工作年度报告\\n发布时间:2024-02-09", [])
    >>> meta["agency"], meta["year"], meta["published"]
    ('某县人民政府', 2023, '2024-02-09')
    """
    rules = meta_rules()
    hints = hints or {}
    head_end = sections[0].start if sections else min(len(text), _HEAD_FALLBACK)
    head = text[:head_end]
    notes: list[Note] = []

    title = find_title(head, hints, rules)
    if title is None:
        notes.append(Note(table="meta", message="no report title found before the first section"))
    agency = agency_from_title(title, rules) if title else None
    region = infer_region(agency, rules)
    year = find_year(title, text, head, sections, rules)
    if year is None:
        notes.append(Note(table="meta", message="no report year in the title, the 统计期限 or the overview"))
    published, _source = find_published(head, text, sections, hints, rules)
    meta = {
        "title": title,
        "agency": agency,
        "region": region,
        "year": year,
        "published": published,
        "layout": None,
    }
    return meta, notes
