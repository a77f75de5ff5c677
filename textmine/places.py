"""Places and levels of government, read from an agency's name.

Region and level of government come from the agency name alone
(:func:`parse_agency`): a chain of places recognised by the table of real
places (``data/places.toml``: the 34 provincial-level divisions, the 333
prefecture-level ones, county-level cities and a few counties) or, for any
other name, fictional ones included, by its suffix (``data/levels.toml``);
then what follows the places (人民政府 or a department's name).  The level
values and their meanings are listed in ``levels.toml`` ([levels]).

:func:`agency_key` is the same reading turned into the key that links one
agency's reports across years (in a command line and in the corpus database).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textmine.data import load_toml
from textmine.record import Record

__all__ = [
    "AgencyName",
    "PlaceRules",
    "agency_key",
    "agency_key_of",
    "complete_places",
    "infer_level",
    "infer_region",
    "level_of",
    "parse_agency",
    "place_rules",
    "region_of",
]


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
    return region_of(parse_agency(agency, rules), rules)


def region_of(parts: AgencyName | None, rules: PlaceRules | None = None) -> str | None:
    if parts is None or not parts.places:
        return None
    return "".join(complete_places([p for p, _ in parts.places], rules))


def infer_level(agency: str | None, rules: PlaceRules | None = None) -> str | None:
    """The agency's level of government (the values of ``levels.toml`` [levels]), or None.

    >>> infer_level("通渭县人民政府"), infer_level("杭州市财政局"), infer_level("生态环境部")
    ('county', 'city_dept', 'ministry')
    """
    rules = rules or place_rules()
    return level_of(parse_agency(agency, rules), rules)


def level_of(parts: AgencyName | None, rules: PlaceRules) -> str | None:
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


# Spaces and the bracketed notes some titles carry do not make another agency.
_NOISE = re.compile(r"[\s\u3000（）()]")


def agency_key(record: Record) -> str | None:
    """:func:`agency_key_of` the record's ``meta.agency`` and ``meta.region``."""
    return agency_key_of(record.meta.get("agency"), record.meta.get("region"))


def agency_key_of(agency: str | None, region: str | None) -> str | None:
    """The key that links one agency's reports across years: the name without
    spaces or brackets, its leading places replaced by the full ``region``
    when the region ends with them.

    So 甘肃省定西市通渭县人民政府, 定西市通渭县人民政府 and 通渭县人民政府, each
    with region 甘肃省定西市通渭县, share one key; without a region (or with
    one that does not end with the name's places) the key is the cleaned name.

    >>> agency_key_of("定西市通渭县 人民政府", "甘肃省定西市通渭县")
    '甘肃省定西市通渭县人民政府'
    >>> agency_key_of("市财政局", None)
    '市财政局'
    """
    if not agency:
        return None
    name = _NOISE.sub("", agency)
    parts = parse_agency(name) if region else None
    if parts and parts.places:
        region = _NOISE.sub("", region)
        if region.endswith("".join(place for place, _ in parts.places)):
            return parts.prefix + region + parts.rest
    return name or None
