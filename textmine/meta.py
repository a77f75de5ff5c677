"""Report metadata: title, agency, region, level, year and publication date.

Everything is read from the head of the report (the text before the first
section), from what the reader learnt outside the body (``hints``: an HTML
``<title>``), and, for the publication date, from a signature date at the
end.  The patterns live in ``data/meta.toml``.

Region and level of government come from the agency name alone
(:func:`parse_agency`): a chain of places recognised by the table of real
places (``data/places.toml``: the 34 provincial-level divisions, the 333
prefecture-level ones, county-level cities and a few counties) or, for any
other name, fictional ones included, by its suffix (``data/levels.toml``);
then what follows the places (人民政府 or a department's name).  The level
values and their meanings are listed in ``levels.toml`` ([levels]).

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

__all__ = ["extract_meta", "infer_level", "infer_region", "parse_agency", "parse_date"]

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


@lru_cache(maxsize=1)
def meta_rules() -> _MetaRules:
    """The compiled patterns of ``meta.toml`` (loaded once, lazily)."""
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


# --- places: region and level of government ----------------------------------


@dataclass(frozen=True)
class _Suffix:
    """A place suffix's tier: alone ``tier``; after a place one below it, within ``highest``..``lowest``."""

    tier: int
    highest: int
    lowest: int


@dataclass(frozen=True)
class PlaceRules:
    """``levels.toml`` and ``places.toml``, ready to use (see :func:`place_rules`)."""

    tiers: tuple[str, ...]
    tier_levels: tuple[tuple[str, str], ...]  # per tier: (government, department) level
    suffixes: tuple[tuple[str, _Suffix], ...]  # longest first
    max_body: int
    join_after: tuple[str, ...]
    join_to: tuple[str, ...]
    join_gap: int
    known: dict[str, int]  # place in places.toml -> tier
    municipalities: frozenset[str]
    parent: dict[str, str]
    not_in_places: tuple[str, ...]
    not_places: frozenset[str]
    org_prefixes: tuple[str, ...]  # longest first
    connectors: tuple[str, ...]
    government: re.Pattern[str]
    national: re.Pattern[str]
    national_suffix: re.Pattern[str]
    local_start: re.Pattern[str]

    @property
    def township(self) -> int:
        return len(self.tiers) - 1


@lru_cache(maxsize=1)
def place_rules() -> PlaceRules:
    """The suffix rules of ``levels.toml`` and the places of ``places.toml`` (loaded once, lazily)."""
    lv, pl = load_toml("levels.toml"), load_toml("places.toml")
    tiers = tuple(lv["tiers"]["order"])
    idx = {name: i for i, name in enumerate(tiers)}
    suffixes = []
    for rule in lv["suffixes"]["rule"]:
        tier = idx[rule["tier"]]
        spec = _Suffix(tier, idx[rule.get("highest", rule["tier"])], idx[rule.get("lowest", rule["tier"])])
        suffixes += [(name, spec) for name in rule["names"]]
    known: dict[str, int] = {}
    parent: dict[str, str] = {}
    for name in pl["provinces"]:
        known[name] = idx["province"]
    for province, names in pl["prefectures"].items():
        for name in names:
            known[name], parent[name] = idx["city"], province
    for name, up in pl["counties"].items():
        known[name], parent[name] = idx["county"], up
    for name, entry in pl["special"].items():
        known[name], parent[name] = idx[entry["tier"]], entry["parent"]
    names = lv["names"]
    join = lv["suffixes"]["join"]
    return PlaceRules(
        tiers=tiers,
        tier_levels=tuple(tuple(lv["tiers"]["levels"][t]) for t in tiers),  # type: ignore[misc]
        suffixes=tuple(sorted(suffixes, key=lambda s: len(s[0]), reverse=True)),
        max_body=int(lv["suffixes"]["max_body"]),
        join_after=tuple(join["after"]),
        join_to=tuple(sorted(join["to"], key=len, reverse=True)),
        join_gap=int(join["gap"]),
        known=known,
        municipalities=frozenset(n for n, kind in pl["provinces"].items() if kind == "municipality"),
        parent=parent,
        not_in_places=tuple(names["not_in_places"]),
        not_places=frozenset(names["not_places"]),
        org_prefixes=tuple(sorted(names["org_prefixes"], key=len, reverse=True)),
        connectors=tuple(sorted(names["connectors"], key=len, reverse=True)),
        government=re.compile(names["government"]),
        national=re.compile(names["national"]),
        national_suffix=re.compile(names["national_suffix"]),
        local_start=re.compile(names["local_start"]),
    )


@dataclass(frozen=True)
class AgencyName:
    """An agency name read as ``prefix`` + places + ``rest``.

    ``places`` are ``(name, tier)`` pairs, tiers indexing :attr:`PlaceRules.tiers`
    (0 province … 3 township); ``prefix`` a national body named before a local
    branch's places (国家税务总局); ``rest`` what follows the places (人民政府,
    教育局).  A name without places keeps all of itself in ``rest``.
    """

    prefix: str
    places: tuple[tuple[str, int], ...]
    rest: str


_NAME_NOISE = re.compile(r"[\s\u3000\xa0（）()〔〕【】]")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _scan_place(s: str, pos: int, rules: PlaceRules) -> tuple[str, _Suffix] | None:
    """The shortest run of CJK characters at ``pos`` ending in a place suffix."""
    stop = min(len(s), pos + rules.max_body)
    for end in range(pos + 1, stop + 1):
        if not _is_cjk(s[end - 1]) or s.startswith(rules.not_in_places, end - 1):
            return None
        for suffix, spec in rules.suffixes:
            if s.startswith(suffix, end):
                tail = end + len(suffix)
                if any(s.startswith(rules.not_in_places, i) for i in range(end, tail)):
                    return None
                if suffix in rules.join_after:
                    tail = _join(s, tail, rules)
                    spec = _suffix_at_end(s[:tail], rules) or spec
                return s[pos:tail], spec
    return None


def _join(s: str, tail: int, rules: PlaceRules) -> int:
    """Where a place ending at ``tail`` in 乡/镇 really ends (安乡|县, 东乡|族自治县)."""
    for gap in range(rules.join_gap + 1):
        at = tail + gap
        if not all(_is_cjk(ch) for ch in s[tail:at]) or s.startswith(rules.not_in_places, at - 1 if gap else at):
            break
        for to in rules.join_to:
            if s.startswith(to, at) and not s.startswith(rules.not_in_places, at):
                return at + len(to)
    return tail


def _suffix_at_end(name: str, rules: PlaceRules) -> _Suffix | None:
    return next((spec for suffix, spec in rules.suffixes if name.endswith(suffix)), None)


def _match_place(s: str, pos: int, prev: int, rules: PlaceRules) -> tuple[str, int] | None:
    """The place at ``pos`` and its tier, after a place of tier ``prev`` (-1: none)."""
    for n in range(min(len(s) - pos, 16), 1, -1):
        if s[pos : pos + n] in rules.known:
            return s[pos : pos + n], rules.known[s[pos : pos + n]]
    found = _scan_place(s, pos, rules)
    if not found or found[0] in rules.not_places:
        return None
    name, spec = found
    tier = spec.tier if prev < 0 else min(max(prev + 1, spec.highest), spec.lowest)
    return name, tier


def parse_agency(agency: str | None, rules: PlaceRules | None = None) -> AgencyName | None:
    """Split an agency name into national prefix, places and rest.

    >>> parse_agency("定西市通渭县人民政府")
    AgencyName(prefix='', places=(('定西市', 1), ('通渭县', 2)), rest='人民政府')
    """
    if not agency:
        return None
    rules = rules or place_rules()
    s = _NAME_NOISE.sub("", agency)
    prefix = next((p for p in rules.org_prefixes if s.startswith(p)), "")
    pos, prev = len(prefix), -1
    places: list[tuple[str, int]] = []
    while pos < len(s):
        at, found = pos, _match_place(s, pos, prev, rules)
        if found is None and places:  # 朝阳区|人民政府|望京街道
            connector = next((c for c in rules.connectors if s.startswith(c, pos)), None)
            if connector:
                at = pos + len(connector)
                found = _match_place(s, at, prev, rules)
        if found is None or found[1] <= prev:
            break
        places.append(found)
        pos = at + len(found[0])
        # A municipality is a province and a city at once: its districts are county-level.
        prev = found[1] + (1 if found[0] in rules.municipalities else 0)
    if not places:
        return AgencyName("", (), s)
    return AgencyName(prefix, tuple(places), s[pos:])


def complete_places(places: list[str], rules: PlaceRules | None = None) -> list[str]:
    """``places`` with the parents ``places.toml`` knows put in front of, or
    between, them: [通渭县] -> [甘肃省, 定西市, 通渭县]; [浙江省, 义乌市] ->
    [浙江省, 金华市, 义乌市].  A chain that disagrees with the table is kept
    as written."""
    rules = rules or place_rules()
    out: list[str] = []
    for place in places:
        ancestors: list[str] = []
        up = rules.parent.get(place)
        while up and up not in ancestors:
            ancestors.insert(0, up)
            up = rules.parent.get(up)
        if not out:
            out.extend(ancestors)
        elif out[-1] in ancestors:
            out.extend(ancestors[ancestors.index(out[-1]) + 1 :])
        out.append(place)
    return out


def infer_region(agency: str | None, rules: PlaceRules | None = None) -> str | None:
    """The administrative area the agency belongs to, when it can be inferred.

    >>> infer_region("定西市通渭县人民政府"), infer_region("市财政局")
    ('甘肃省定西市通渭县', None)
    """
    return _region_of(parse_agency(agency, rules), rules)


def _region_of(parts: AgencyName | None, rules: PlaceRules | None = None) -> str | None:
    if parts is None or not parts.places:
        return None
    return "".join(complete_places([p for p, _ in parts.places], rules))


def infer_level(agency: str | None, rules: PlaceRules | None = None) -> str | None:
    """The agency's level of government (the values of ``levels.toml`` [levels]), or None.

    >>> infer_level("通渭县人民政府"), infer_level("杭州市财政局"), infer_level("生态环境部")
    ('county', 'city_dept', 'ministry')
    """
    rules = rules or place_rules()
    return _level_of(parse_agency(agency, rules), rules)


def _level_of(parts: AgencyName | None, rules: PlaceRules) -> str | None:
    if parts is None:
        return None
    if not parts.places:
        name = parts.rest
        bare = next((name[len(p) :] for p in rules.org_prefixes if name.startswith(p)), name)
        if rules.national.match(name) or rules.national.match(bare):
            return "ministry"
        if rules.national_suffix.search(name) and not rules.local_start.match(name):
            return "ministry"
        return None
    government, department = rules.tier_levels[parts.places[-1][1]]
    is_government = not parts.prefix and (not parts.rest or rules.government.fullmatch(parts.rest))
    return government if is_government else department


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
    """``{"title", "agency", "region", "level", "year", "published", "layout": None}`` and notes.

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
    places = place_rules()
    parts = parse_agency(agency, places)
    region, level = _region_of(parts, places), _level_of(parts, places)
    year = find_year(title, text, head, sections, rules)
    if year is None:
        notes.append(Note(table="meta", message="no report year in the title, the 统计期限 or the overview"))
    published, _source = find_published(head, text, sections, hints, rules)
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
