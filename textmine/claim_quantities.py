"""Which table quantity a claim restates: the ``[[cells]]`` rules of
``data/claims.toml`` over a claim's words, and what its neighbours tell.

A claim's own clause is tried first (予以公开21件 → ``t3.granted.total``);
a clause that names no quantity takes it from the claims before it in its
sentence: the next subject of a 分别 list, a share of the count before it
(占35%), a sum of the two before it (二者合计), or another column or row of
the one before it (制发规范性文件5件，废止3件).  Words that allow several
quantities keep them all in ``readings``; the report's table decides
(:func:`textmine.checks.resolve_readings`).  Keys are those of
:mod:`textmine.quantities`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from textmine.data import load_toml
from textmine.first_chars import first_characters
from textmine.quantities import cells_of, known_keys, quantity, sum_of
from textmine.tables import layout_cell_keys


@dataclass(frozen=True)
class _CellRule:
    pattern: re.Pattern[str]
    readings: tuple[str, ...]  # empty: the words speak of no cell
    kind: str  # count, money, rate or any (the schema checks): the claims the rule applies to
    forbid: re.Pattern[str] | None
    units: frozenset[str] | None
    topic: str | None
    # The characters a match of ``pattern`` starts with (None: unknown): a
    # clause with none of them is passed over without a search.
    first: frozenset[str] | None = None


@dataclass(frozen=True)
class _Mapping:
    cells: tuple[_CellRule, ...]
    topics: re.Pattern[str]
    # The same words without the named groups: a pattern whose alternatives
    # all open with a fixed character lets the regex engine jump between
    # those characters, where the named groups make it try every position.
    topic_words: re.Pattern[str]
    share_of_previous: re.Pattern[str]
    sums: re.Pattern[str]
    whole_of: frozenset[str]
    whole: str
    share_suffix: str
    not_shares: frozenset[str]


@lru_cache(maxsize=1)
def _mapping() -> _Mapping:
    data = load_toml("claims.toml")
    shares = data["shares"]
    return _Mapping(
        cells=_cell_rules(data),
        topics=re.compile("|".join(f"(?P<{name}>{p})" for name, p in data["topics"].items())),
        topic_words=re.compile("|".join(data["topics"].values())),
        share_of_previous=re.compile(shares["of_previous"]),
        sums=re.compile(data["sums"]["words"]),
        whole_of=frozenset(data["sums"]["whole_of"]),
        whole=data["sums"]["whole"],
        share_suffix="." + shares["suffix"],
        not_shares=frozenset(shares["not_of"]),
    )


def _cell_rules(data: Mapping[str, Any]) -> tuple[_CellRule, ...]:
    """The ``[[cells]]`` rules, each checked against the keys it may name."""
    known = set(known_keys())
    for layout in ("2021", "2019"):
        known |= {f"{t}.{k}" for t, keys in layout_cell_keys(layout).items() for k in keys}
    unit_sets = {name: frozenset(units) for name, units in data["unit_sets"].items()}
    rules = []
    for i, rule in enumerate(data["cells"], 1):
        where = f"claims.toml [[cells]] rule {i} ({rule.get('pattern')!r})"
        readings = tuple(rule["readings"]) if "readings" in rule else ((rule["cell"],) if rule.get("cell") else ())
        unknown = [k for k in readings if k not in known]
        if unknown:
            raise ValueError(f"{where}: {', '.join(unknown)} is neither a table cell nor a [quantities] key")
        kind = rule.get("kind", "count")
        if rule.get("units") is not None and rule["units"] not in unit_sets:
            raise ValueError(f"{where}: units {rule['units']!r} is not a set of [unit_sets]")
        if rule.get("topic") is not None and rule["topic"] not in data["topics"]:
            raise ValueError(f"{where}: topic {rule['topic']!r} is not one of [topics]")
        rules.append(
            _CellRule(
                pattern=re.compile(rule["pattern"]),
                readings=readings,
                kind=kind,
                forbid=re.compile(rule["forbid"]) if rule.get("forbid") else None,
                units=unit_sets[rule["units"]] if rule.get("units") else None,
                topic=rule.get("topic"),
                first=first_characters(rule["pattern"]),
            )
        )
    return tuple(rules)


def _readings_for(
    clause: str,
    kind: str,
    unit: str,
    topic: str | None,
    cfg: _Mapping,
    skip: Collection[str] = (),
) -> tuple[str, ...]:
    """The quantities a claim of ``kind`` and ``unit`` whose clause reads
    ``clause`` may restate (first rule that fits, passing over rules that name
    ``skip``; empty: none).  A rate takes a count rule's quantity as its share
    of the handled total (予以公开占比35%)."""
    chars = set(clause)
    for rule, fits in _candidates(kind, unit, topic):
        if rule.first is not None and rule.first.isdisjoint(chars):
            continue  # the clause holds no character a match starts with: most rules, told without a search
        if skip and set(rule.readings) & set(skip):
            continue
        if not rule.pattern.search(clause) or (rule.forbid and rule.forbid.search(clause)):
            continue
        return rule.readings if fits else _shares(rule.readings, cfg)
    return ()


@lru_cache(maxsize=512)
def _candidates(kind: str, unit: str, topic: str | None) -> tuple[tuple[_CellRule, bool], ...]:
    """The rules, in order, that may give a claim of ``kind``, ``unit`` and
    ``topic`` its quantity, each with whether it fits as it is (else: as a
    share, for a rate); most rules are for another kind or unit."""
    out = []
    for rule in _mapping().cells:
        fits = rule.kind in ("any", kind) and (rule.units is None or kind != "count" or unit in rule.units)
        if (fits or (kind == "rate" and rule.kind == "count")) and rule.topic in (
            None,
            topic,
        ):
            out.append((rule, fits))
    return tuple(out)


def _shares(readings: Sequence[str], cfg: _Mapping) -> tuple[str, ...]:
    return tuple(
        k + cfg.share_suffix
        for k in readings
        if k.startswith("t3.") and k.endswith(".total") and k not in cfg.not_shares
    )


_SENTENCE_ENDS = "。；;！!？?\n"
_SENTENCE_END = re.compile(f"[{_SENTENCE_ENDS}]")
# Up to and including the last sentence end: ``.*`` runs to the end of the
# window and gives back in C, one search where a search per end character was.
_UP_TO_LAST_SENTENCE_END = re.compile(f"(?s:.*)[{_SENTENCE_ENDS}]")


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``text[pos]`` starts (at most 400 characters back)."""
    lo = max(0, pos - 400)
    m = _UP_TO_LAST_SENTENCE_END.match(text, lo, pos)
    return m.end() if m else lo


def _topic(text: str, start: int, end: int, cfg: _Mapping) -> str | None:
    """The last topic word (行政复议 or 行政诉讼) in ``text[start:end]``."""
    last = None
    for last in cfg.topic_words.finditer(text, start, end):  # noqa: B007 - keeps the last match
        pass
    if last is None:
        return None
    # The same match, read with the named groups to tell its topic.
    return cfg.topics.match(text, last.start(), end).lastgroup  # type: ignore[union-attr]


@lru_cache(maxsize=4096)
def _fits_tables(key: str, universe: frozenset[str]) -> bool:
    return bool(cells_of(quantity(key), universe))


@lru_cache(maxsize=16)
def _universe(keys_by_table: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[str]:
    """Every ``table.key`` of ``keys_by_table``: built once per layout, and one
    object for it, so that :func:`_fits_tables` finds its cached answers by
    an identity test, not by comparing every key."""
    return frozenset(f"{t}.{k}" for t, keys in keys_by_table for k in keys)


@dataclass
class Listing:
    """行政许可、行政处罚、行政强制决定分别为8.6万件、1.9万件和420件: the
    subjects a 分别 list names, in order, and the one the next number takes."""

    items: list[str]
    next: int
    sentence_start: int


_RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|有|占)?")
_LIST_SEPARATORS = re.compile(r"[、和及与]|以及")
_BARE = re.compile(r"[、和及与以\s]*")
_NUMERAL = re.compile(r"[\d零一二两三四五六七八九十百千]")


def _link(
    claim: dict[str, Any],
    claims: Sequence[dict[str, Any]],
    norm: str,
    cfg: _Mapping,
    listing: Listing | None,
) -> Listing | None:
    """Give ``claim`` the quantity its neighbours tell: the next subject of a
    分别 list, a share of the count before it, a sum of the two before it, or
    another column of the row before it.  Returns the list still open."""
    nstart = claim["_nstart"]
    at = _RESPECTIVELY.search(norm, claim["_wide_start"], nstart)
    if at and not _NUMERAL.search(norm, at.end(), nstart):
        items = [x for x in _LIST_SEPARATORS.split(norm[claim["_wide_start"] : at.start()]) if x]
        if len(items) >= 2:
            listing = Listing(items, 1, _sentence_start(norm, nstart))
            claim["readings"] = list(_listed(listing, 0, claim, cfg))
            return listing
    if (
        listing is not None
        and listing.next < len(listing.items)
        and _sentence_start(norm, nstart) == listing.sentence_start
        and _BARE.fullmatch(norm, claim["_ctx_start"], nstart)
    ):
        claim["readings"] = list(_listed(listing, listing.next, claim, cfg))
        listing.next += 1
        return listing
    previous = claims[-1] if claims else None
    if claim["readings"]:
        return None
    if (
        previous is not None
        and claim["kind"] == "rate"
        and previous["readings"]
        and not _SENTENCE_END.search(norm, previous["end"], claim["start"])
        and cfg.share_of_previous.match(norm, claim["start"])
    ):
        # 予以公开21件，占35%: a share of what the count before it restates.
        claim["readings"] = list(_shares(previous["readings"], cfg))
    elif cfg.sums.search(norm, claim["_ctx_start"], claim["_nstart"]):
        _sum_of_previous(claim, claims, norm, cfg)
    else:
        named = next(
            (c for c in reversed(claims[-4:]) if c["readings"] and c["kind"] != "rate"),
            None,
        )
        if named is not None:
            _continue_row(claim, named, norm, cfg)
    return None


def _listed(listing: Listing, i: int, claim: Mapping[str, Any], cfg: _Mapping) -> tuple[str, ...]:
    """The quantity of the ``i``-th subject of a 分别 list (the last subject
    carries the words they share: …行政强制决定数量)."""
    item = listing.items[i]
    for words in (item, item + listing.items[-1]):
        readings = _readings_for(words, claim["kind"], claim["unit"], claim["_topic"], cfg)
        if readings:
            return readings
    return ()


def _sum_of_previous(claim: dict[str, Any], claims: Sequence[Mapping[str, Any]], norm: str, cfg: _Mapping) -> bool:
    """予以公开9件，部分公开2件，二者合计11件 (or 两项合计占36%): the sum of
    the two counts before it in the sentence, when ``[quantities]`` has it;
    after three or more outcomes of table 3, their whole (the handled total)."""
    in_sentence = [
        c
        for c in claims[-12:]
        if c["readings"] and c["kind"] != "rate" and not _SENTENCE_END.search(norm, c["end"], claim["start"])
    ]
    parts = {".".join(c["readings"][0].split(".")[:2]) for c in in_sentence}
    if claim["kind"] != "rate" and len(in_sentence) >= 3 and parts <= cfg.whole_of:
        claim["readings"] = [cfg.whole]  # the outcomes listed before it, all of them
        return True
    counts = in_sentence[-2:]
    if len(counts) < 2:
        return False
    key = sum_of(counts[0]["readings"][0], counts[1]["readings"][0])
    if key is None and claim["kind"] == "rate" and counts[-1]["readings"][0].startswith("t3."):
        # 予以公开和部分公开共33件，两项合计占44.0%: the count before is the sum.
        key = counts[-1]["readings"][0]
    if key is None:
        return False
    claim["readings"] = list(_shares([key], cfg)) if claim["kind"] == "rate" else [key]
    return bool(claim["readings"])


def _continue_row(claim: dict[str, Any], previous: Mapping[str, Any], norm: str, cfg: _Mapping) -> None:
    """制发规范性文件5件，废止3件: a clause that names no quantity continues
    the row of the one before it in the sentence, in another column."""
    if _SENTENCE_END.search(norm, previous["end"], claim["start"]):
        return
    named = previous.get("_row_named_by") or norm[previous["start"] : previous["end"]]
    joined = named + norm[claim["start"] : claim["end"]]
    topic = _topic(norm, _sentence_start(norm, claim["start"]), claim["end"], cfg)
    used = [*previous["readings"], *previous.get("_row_used", ())]
    readings = _readings_for(joined, claim["kind"], claim["unit"], topic, cfg, skip=used)
    # Another column of the same row (制发规范性文件5件，废止3件).
    rows = {k.rpartition(".")[0] for k in previous["readings"]}
    if readings and not set(readings) & set(previous["readings"]) and {k.rpartition(".")[0] for k in readings} <= rows:
        claim["readings"] = list(readings)
        claim["_row_named_by"] = named
        claim["_row_used"] = used


def point_at(claim: dict[str, Any], key: str | None) -> None:
    """Point ``claim`` at quantity ``key``: its ``cell`` and ``expr``."""
    claim["cell"] = key
    claim["expr"] = quantity(key).arithmetic if key else None


# ------------------------------------------------------------------ used by textmine.claims


def readings_for(clause: str, kind: str, unit: str, topic: str | None) -> tuple[str, ...]:
    """The quantities a claim of ``kind`` and ``unit`` whose words are
    ``clause`` may restate (empty: none)."""
    return _readings_for(clause, kind, unit, topic, _mapping())


def topic_at(text: str, start: int, end: int) -> str | None:
    """The topic (``review``, ``suit``) of the sentence around ``text[start:end]``, as far as ``end``."""
    return _topic(text, _sentence_start(text, start), end, _mapping())


def link(
    claim: dict[str, Any],
    claims: Sequence[dict[str, Any]],
    norm: str,
    listing: Listing | None,
) -> Listing | None:
    """:func:`_link` with the rules of ``claims.toml``."""
    return _link(claim, claims, norm, _mapping(), listing)


def finish(claims: list[dict[str, Any]], tables: Mapping[str, Mapping[str, Any]] | None) -> None:
    """Drop the working fields (``_…``), keep the readings ``tables`` can hold (all
    without tables), and point each claim at its first reading."""
    universe = _universe(tuple((t, tuple(cells)) for t, cells in tables.items())) if tables is not None else None
    for c in claims:
        for working in [k for k in c if k.startswith("_")]:
            del c[working]
        if universe is not None:
            c["readings"] = [k for k in c["readings"] if _fits_tables(k, universe)]
        point_at(c, c["readings"][0] if c["readings"] else None)
        if len(c["readings"]) < 2:
            c["readings"] = []
