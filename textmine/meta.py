"""Report metadata: title, agency, region, level, year and publication date.

Everything is read from the head of the report (the text before the first
section), from what the reader learnt outside the body (``hints``: an HTML
``<title>``), and, for the publication date, from a signature date at the
end.  The patterns live in ``data/meta.toml``.

Title and agency: :mod:`textmine.title` (the title wherever the page puts
it, the metadata block, the opening sentence).  Region and level of
government: :mod:`textmine.places`, from the agency's name.  Year: the
title's, else the 统计期限, else the year the opening sentence names, else
the overview's first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from textmine.data import load_toml
from textmine.numerals import date_number
from textmine.places import infer_level, infer_region, level_of, parse_agency, place_rules, region_of
from textmine.record import Note, Section
from textmine.title import agency_from_title, find_title, title_rules

__all__ = ["agency_from_title", "extract_meta", "infer_level", "infer_region", "parse_agency", "parse_date"]

_YEAR_RX = re.compile(r"((?:19|20)\d{2})\s*年")
_DATE_PARTS = re.compile(
    r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*[-/.年]\s*(?P<m>[\d一二三四五六七八九十]{1,3})\s*[-/.月]\s*(?P<d>[\d一二三四五六七八九十]{1,3})"
)
# Without sections, the head is the first stretch of the text.
_HEAD_FALLBACK = 3000
_MIN_YEAR, _MAX_YEAR = 1990, 2100


@dataclass(frozen=True)
class _MetaRules:
    title_year: re.Pattern[str]
    period: re.Pattern[str]
    published_header: re.Pattern[str]
    signature: re.Pattern[str]
    signature_window: int


@lru_cache(maxsize=1)
def meta_rules() -> _MetaRules:
    """The year and date patterns of ``meta.toml`` (loaded once, lazily)."""
    d = load_toml("meta.toml")
    return _MetaRules(
        title_year=re.compile(d["parts"]["YEAR"]),
        period=re.compile(d["year"]["period"]),
        published_header=re.compile(d["published"]["header"]),
        signature=re.compile(d["published"]["signature"], re.MULTILINE),
        signature_window=int(d["published"]["signature_window"]),
    )


def parse_date(s: str) -> str | None:
    """ISO date of ``2024-02-09``, ``2024年2月9日``, ``二〇二二年一月十三日``; None if invalid.

    >>> parse_date("2024-02-09 17:14"), parse_date("2023-02-30")
    ('2024-02-09', None)
    """
    m = _DATE_PARTS.search(s)
    if not m:
        return None
    y, mo, d = (date_number(m.group(k)) for k in ("y", "m", "d"))
    if y is None or mo is None or d is None or not (_MIN_YEAR <= y <= _MAX_YEAR):
        return None
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def find_year(
    title: str | None,
    text: str,
    head: str,
    sections: list[Section],
    rules: _MetaRules,
    opening_year: int | None = None,
) -> int | None:
    """Year from the title, else the 统计期限, else the opening sentence's
    (现公布XX2023年…), else the overview's first 20XX年."""
    if title:
        m = rules.title_year.search(title)
        if m:
            return int(m.group("year"))
    pm = rules.period.search(text)
    if pm:
        return int(pm.group("y1"))
    if opening_year is not None:
        return opening_year
    overview = next((s for s in sections if s.key == "overview"), None)
    span = text[overview.start : overview.end] if overview else head
    m = _YEAR_RX.search(span)
    return int(m.group(1)) if m else None


def find_published(
    head: str,
    text: str,
    sections: list[Section],
    hints: dict[str, str],
    rules: _MetaRules,
    block: dict[str, str] | None = None,
) -> tuple[str | None, str | None]:
    """ISO publication date and where it came from (``header``, ``block``, ``hint``, ``signature``)."""
    for m in rules.published_header.finditer(head):
        iso = parse_date(m.group("date"))
        if iso:
            return iso, "header"
    for key in title_rules().date_keys:
        iso = parse_date((block or {}).get(key, ""))
        if iso:
            return iso, "block"
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


# Where an agency not in the title was read, as its note says.
_AGENCY_SOURCES = {
    "opening": "the opening sentence",
    "block": "the page's metadata block",
    "contact": "the contact sentence",
    "overview": "the overview's first sentence",
}


def extract_meta(
    text: str, sections: list[Section], hints: dict[str, str] | None = None, unmapped: list[Section] | None = None
) -> tuple[dict[str, Any], list[Note]]:
    """``{"title", "agency", "region", "level", "year", "published", "layout": None}`` and notes.

    ``sections`` are those of :func:`textmine.sections.find_sections` (the head
    is the text before the first one); ``hints`` what the reader found outside
    the body (``html_title``); ``unmapped`` the headings of no section (the
    body, where a signature date is looked for, runs to their end too).
    ``layout`` is left to the tables stage.

    >>> meta, _ = extract_meta("某县人民政府2023年政府信息公开工作年度报告\\n发布时间:2024-02-09", [])
    >>> meta["agency"], meta["year"], meta["published"]
    ('某县人民政府', 2023, '2024-02-09')
    """
    rules = meta_rules()
    hints = hints or {}
    head_end = sections[0].start if sections else min(len(text), _HEAD_FALLBACK)
    head = text[:head_end]
    notes: list[Note] = []

    found = find_title(head, hints, after=text[head_end : head_end + 600])
    title, agency = found.title, found.agency
    if title is None:
        notes.append(Note(table="meta", message="no report title found before the first section"))
    where = _AGENCY_SOURCES.get(found.agency_source or "")
    if agency is not None and where:
        notes.append(Note(table="meta", message=f"agency {agency!r} read from {where}"))
    places = place_rules()
    parts = parse_agency(agency, places)
    region, level = region_of(parts, places), level_of(parts, places)
    year = find_year(title, text, head, sections, rules, found.opening_year)
    if year is None:
        notes.append(Note(table="meta", message="no report year in the title, the 统计期限 or the overview"))
    every = sorted([*sections, *(unmapped or [])], key=lambda s: s.start)
    published, _source = find_published(head, text, every, hints, rules, found.block)
    meta = {
        "title": title,
        "agency": agency,
        "region": region,
        "level": level,
        "year": year,
        "published": published,
        "layout": None,
    }
    return meta, notes
