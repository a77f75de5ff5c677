"""The patterns of ``data/meta.toml`` that find a report's title and agency,
compiled once (:func:`title_rules`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textmine.data import load_toml

# Blanks of any kind, collapsed or dropped in titles, agencies and block values.
BLANKS = re.compile(r"[\s\u3000\xa0]+")


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
