"""Claims: the numbers the narrative states, with their unit (spec/output.md).

Regex first, on the raw text (segmenters split ``2.8万条`` and ``23.4%``):
one pattern finds an optional approximation word, a number (Arabic,
full-width or Chinese), a range partner, a 万/亿 multiplier, 余/多 and the
unit.  Text inside the tables (``table_spans``) is skipped, and the
``[not_claims]`` patterns of ``data/claims.toml`` drop ordinals, document and
article numbers, titles like 二十条措施.  The subject is the clause before the
number, trimmed of leading fillers (全年, 共, 累计); when nothing before the
number says what is counted (梳理出4个片区) the words after the unit are taken.
Which table quantity a claim restates (``cell``, ``expr``, ``readings``)
is :mod:`textmine.claim_quantities`' part.

>>> [c["value"] for c in extract_claims("全年主动公开政府信息2.8万条，办结率100%。", [], {})]
[28000, 100]

Scoring claims against gold is :mod:`textmine.scoring`'s part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from textmine.claim_quantities import Listing, finish, link, readings_for, topic_at
from textmine.data import load_toml
from textmine.numerals import (
    ARABIC_NUMERAL,
    CHINESE_DIGITS,
    CHINESE_NUMERAL,
    NumeralError,
    apply_multiplier,
    clean_number,
    parse_number,
    to_halfwidth,
)
from textmine.record import Section

CLAIM_FIELDS = (
    "text",
    "start",
    "end",
    "section",
    "subject",
    "value",
    "unit",
    "kind",
    "approx",
    "cell",
    "expr",
    "readings",
)


@dataclass(frozen=True)
class _Config:
    claim: re.Pattern[str]
    unit_kind: Mapping[str, str]
    money: Mapping[str, float]
    # Each of the [not_claims] lists as one pattern of alternatives: one
    # scan of the window instead of one per pattern.
    not_before: re.Pattern[str]
    not_from: re.Pattern[str]
    not_before_chinese: re.Pattern[str]
    delimiters: re.Pattern[str]
    clause_delimiters: re.Pattern[str]
    leading: re.Pattern[str]
    max_chars: int
    max_after: int
    # The words after a unit that belong to the claim: hanzi, digits and
    # points up to a delimiter, at most ``max_after`` of them.
    words_after: re.Pattern[str]
    # A subject ending in one of these says not what is counted.
    weak_end: re.Pattern[str]
    # A bracket opening with these words right after a number: what it includes.
    includes: tuple[str, ...]
    # 成 (tenths) is a rate only after this.
    tenths_before: re.Pattern[str]


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _any_of(patterns: Sequence[str]) -> re.Pattern[str]:
    """One pattern that matches where any of ``patterns`` does; ``(?!)``,
    which never matches, for none."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


@lru_cache(maxsize=1)
def _config() -> _Config:
    data = load_toml("claims.toml")
    units, money, approx = data["units"], data["money"], data["approx"]
    num = rf"(?:(?<![\d.]){ARABIC_NUMERAL}|{CHINESE_NUMERAL})"
    unit_alt = _alternation([*units, *money])
    # A claim opens with an approximation word or a number.  The pattern
    # opens with an optional group, which makes the engine try all of it at
    # every character of a report; the look-ahead for those first characters
    # lets it pass over every other character at once.
    first_chars = re.escape("".join(sorted({w[0] for w in approx["before"]})) + CHINESE_DIGITS)
    claim = re.compile(
        rf"(?=[\d{first_chars}])"
        rf"(?P<pre>{_alternation(approx['before'])})?"
        rf"(?:百分之(?P<pct>{num})"
        rf"|(?P<num>{num})(?:(?P<rsep>[至到~～\-－—]|、)(?P<num2>{num})(?=[万亿]?(?:{_alternation(approx['after_number'])})?(?:{unit_alt}|%)))?"
        rf"(?P<mult>[万亿])?(?P<ax>{_alternation(approx['after_number'])})?"
        rf"(?P<unit>%|{unit_alt})?)"
        rf"(?P<post>{_alternation(approx['after_unit'])})?"
    )
    nc = data["not_claims"]
    subj = data["subject"]
    max_after = int(subj["max_after"])
    return _Config(
        claim=claim,
        unit_kind=dict(units),
        money=dict(money),
        not_before=_any_of(nc["before"]),
        not_from=_any_of(nc["from_number"]),
        not_before_chinese=_any_of(nc.get("before_chinese", [])),
        delimiters=re.compile(subj["delimiters"]),
        clause_delimiters=re.compile(subj["clause_delimiters"]),
        leading=re.compile(rf"^(?:{'|'.join(subj['leading'])})+"),
        max_chars=int(subj["max_chars"]),
        max_after=max_after,
        words_after=re.compile(rf"(?:(?!{subj['delimiters']}){_AFTER.pattern}){{0,{max_after}}}"),
        weak_end=re.compile(rf"(?:{'|'.join(re.escape(w) for w in subj['weak_end'])})$"),
        includes=tuple(bracket + word for bracket in "（(" for word in subj["includes"]),
        tenths_before=re.compile(data["tenths"]["before"]),
    )


def counting_words() -> tuple[str, ...]:
    """Every word that may follow a claim's number: units, money, %, 万/亿, 余/多."""
    cfg = _config()
    return (*cfg.unit_kind, *cfg.money, "%", "％", "万", "亿", "余", "多")


def _section_at(sections: Sequence[Section], pos: int) -> str | None:
    for s in sections:
        if s.start <= pos < s.end:
            return s.key
    return None


def _in_spans(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _narrative_matches(
    pattern: re.Pattern[str], text: str, spans: Sequence[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` outside ``spans``: a report's tables hold most
    of its numbers, and none of them is a claim.  (Look-behinds still see
    the text before each stretch.)"""
    pos = 0
    for a, b in sorted(spans):
        if a > pos:
            yield from pattern.finditer(text, pos, a)
        pos = max(pos, b)
    yield from pattern.finditer(text, pos)


_CLOSERS = {"）": "（", ")": "(", "”": "“", "》": "《", "】": "【", "’": "‘"}


@lru_cache(maxsize=8)
def _last_stop(delimiters: str, over_brackets: bool) -> re.Pattern[str]:
    """Matches up to and including the last of ``delimiters`` (a pattern of
    one character: a class) or, ``over_brackets``, of the closing brackets:
    ``.*`` runs to the end of the window and gives back one character at a
    time, in C, which a loop in Python did here before."""
    closers = "|[" + re.escape("".join(_CLOSERS)) + "]" if over_brackets else ""
    return re.compile(rf"(?s:.*)(?:{delimiters}{closers})")


def _clause_start(text: str, pos: int, lo: int, delimiters: re.Pattern[str], *, over_brackets: bool = False) -> int:
    """Start of the clause that ends at ``pos``: after the last of
    ``delimiters``, not before ``lo``; with ``over_brackets``, a bracket or
    quotation closing inside the clause is passed over whole."""
    last_stop = _last_stop(delimiters.pattern, over_brackets)  # a str key: a Pattern hashes its code
    end = pos
    while (m := last_stop.match(text, lo, end)) is not None:
        i = m.end() - 1
        opener = _CLOSERS.get(text[i]) if over_brackets else None
        if opener is not None and (j := text.rfind(opener, lo, i)) >= 0:
            end = j  # the bracketed words are part of the clause
            continue
        if delimiters.match(text, i):
            return i + 1
        end = i  # a closing bracket without its opening one, and no delimiter
    return lo


def _context(text: str, pos: int, end: int, floor: int, delimiters: re.Pattern[str], cfg: _Config) -> tuple[int, int]:
    """The words that say what the number at ``pos`` restates: its clause,
    untrimmed, reaching back over a bracket or quotation that closes inside
    it (危及“三安全一稳定”3件, 行政事业性收费（…）共计286.4万元), and a
    bracket right after it that says what the number includes
    (64件（含上年结转5件）).  Returns its start and end."""
    start = _clause_start(text, pos, max(floor, pos - 2 * cfg.max_chars), delimiters, over_brackets=True)
    after = end
    if text.startswith(cfg.includes, end):
        close = text.find("）" if text[end] == "（" else ")", end, end + 24)
        after = close + 1 if close > 0 else end
    return start, after


# A character of the words after a unit that belong to the claim (6期《问政平潭》).
_AFTER = re.compile(r"[\u4e00-\u9fff\d.]")


def extract_claims(
    text: str,
    sections: Sequence[Section],
    table_spans: Mapping[str, tuple[int, int]],
    *,
    tables: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Every number with a unit in the narrative of ``text``.

    Each claim is a dict with :data:`CLAIM_FIELDS`; ``text[start:end]`` is
    the claim's ``text``.  Numbers inside ``table_spans`` are not claims.
    A claim that restates a table quantity has its key in ``cell``, the
    arithmetic it implies in ``expr``, and, when its words allow several
    quantities (收到申请13件: new requests, or with those carried over?),
    all of them in ``readings``: the table decides
    (:func:`textmine.checks.text.resolve_readings`).  With ``tables``
    (``record.tables``), only quantities the report's tables hold are kept:
    a 2011 report has no table 3, so its 办结129件 speaks of no cell.
    """
    cfg = _config()
    norm = to_halfwidth(text)  # same length: offsets hold
    spans = [tuple(v) for v in table_spans.values()]
    claims: list[dict[str, Any]] = []
    last_end = 0
    listing: Listing | None = None
    for m in _narrative_matches(cfg.claim, norm, spans):
        pct, mult, unit = m.group("pct", "mult", "unit")
        has_mult = mult is not None
        if pct is None and unit is None and not has_mult:
            continue
        nstart = m.start("pct") - 3 if pct else m.start("num")
        if _in_spans(nstart, spans):
            continue
        if cfg.not_before.search(norm, max(0, nstart - 12), nstart):
            continue
        if cfg.not_from.match(norm, nstart):
            continue
        if not norm[nstart].isdigit() and cfg.not_before_chinese.search(norm, max(0, nstart - 6), nstart):
            continue
        if m.group("pct") is None and unit is None and has_mult:
            # 139.7万 without a unit: a count only when a clause ends there.
            after = norm[m.end() : m.end() + 1]
            if after and not cfg.delimiters.match(after) or m.group("ax") is not None:
                continue
        # A subject never reaches back into a table (its last row runs into the narrative).
        floor = max([last_end, *(b for a, b in spans if b <= nstart)])
        claims_here = _claims_from_match(text, norm, m, nstart, floor, sections, cfg)
        if claims_here:
            if len(claims_here) == 1:
                listing = link(claims_here[0], claims, norm, listing)
            claims.extend(claims_here)
            last_end = m.end()  # the next subject starts after this number, not after its words
    finish(claims, tables)
    return claims


def _claims_from_match(
    text: str,
    norm: str,
    m: re.Match[str],
    nstart: int,
    last_end: int,
    sections: Sequence[Section],
    cfg: _Config,
) -> list[dict[str, Any]]:
    quantity = _quantity(norm, m, nstart, cfg)
    if quantity is None:
        return []
    values, kind, unit, out_unit = quantity
    approx = bool(m.group("pre") or m.group("ax") or m.group("post"))
    lead = m.start("pre") if m.group("pre") else nstart
    cstart, subject, end = _subject(text, norm, m, lead, last_end, unit, cfg)
    span_text = text[cstart:end]
    readings: tuple[str, ...] = ()
    topic = None
    ctx_start, ctx_end = _context(norm, lead, end, last_end, cfg.delimiters, cfg)
    wide_start = ctx_start
    if kind in ("count", "money", "rate") and len(values) == 1:
        topic = topic_at(norm, cstart, end)
        readings = readings_for(norm[ctx_start:ctx_end], kind, unit, topic)
        if not readings or "分别" in norm[ctx_start:nstart]:
            # The words before a 、 (and a 分别 list's subjects) belong to the claim too.
            wide_start, wide_end = _context(norm, lead, end, last_end, cfg.clause_delimiters, cfg)
        if not readings and wide_start < ctx_start:
            # 申请人逾期不补正、视为放弃申请的2件: the words before a 、 tell.
            readings = readings_for(norm[wide_start:wide_end], kind, unit, topic)
    section = _section_at(sections, nstart)
    return [
        {
            "text": span_text,
            "start": cstart,
            "end": end,
            "section": section,
            "subject": subject,
            "value": v,
            "unit": out_unit,
            "kind": kind,
            "approx": approx,
            "cell": None,
            "expr": None,
            "readings": list(readings),
            "_ctx_start": ctx_start,
            "_wide_start": wide_start,
            "_nstart": nstart,
            "_topic": topic,
        }
        for v in values
    ]


def _quantity(norm: str, m: re.Match[str], nstart: int, cfg: _Config) -> tuple[list[int | float], str, str, str] | None:
    """The values a match states (one, or both ends of a range), their kind,
    the unit as written (``%`` for 百分之) and the unit they are given in
    (元 for money, % for a rate); None when a number does not parse or
    成 is not a share."""
    unit = m.group("unit") or ""
    mult = m.group("mult") or ""
    try:
        if m.group("pct") is not None:
            numbers = [parse_number(m.group("pct"))]
            unit = "%"
        else:
            numbers = [parse_number(m.group("num"))]
            if m.group("num2") is not None:
                numbers.append(parse_number(m.group("num2")))
    except NumeralError:
        return None
    if unit == "%":
        kind, factor, out_unit = "rate", 1, "%"
    elif cfg.unit_kind.get(unit) == "tenths":
        # 约占九成: a share in tenths, only after 占 (一成不变, 建成 are words).
        if not cfg.tenths_before.search(norm, max(0, nstart - 4), nstart):
            return None
        kind, factor, out_unit = "rate", 10, "%"
    elif unit in cfg.money:
        kind, factor, out_unit = "money", cfg.money[unit], "元"
    else:
        kind, factor, out_unit = cfg.unit_kind.get(unit, "count"), 1, unit
    values = [clean_number(apply_multiplier(n, mult) * factor) for n in numbers]
    return values, kind, unit, out_unit


def _subject(
    text: str, norm: str, m: re.Match[str], lead: int, last_end: int, unit: str, cfg: _Config
) -> tuple[int, str, int]:
    """Where the claim starts, its subject and where it ends: the clause
    before the number (or its approximation word, at ``lead``), trimmed of
    leading fillers, and the words after a counting unit."""
    cstart = _clause_start(norm, lead, max(last_end, lead - cfg.max_chars), cfg.delimiters)
    left = norm[cstart:lead]
    trimmed = cfg.leading.sub("", left)
    cstart += len(left) - len(trimmed)
    subject = text[cstart:lead]
    end = m.end()
    if unit not in ("%", *cfg.money):
        # 梳理出4个片区, 开展6期《问政平潭》: the words after the unit, up to the
        # clause's end, belong to the claim; when the words before the number
        # say nothing (梳理出), they are what is counted.
        j = end
        if norm.startswith("《", j):
            close = norm.find("》", j, j + 40)
            j = close + 1 if close > 0 else j
        # No further than max_after characters past the unit.
        j = max(j, min(cfg.words_after.match(norm, j).end(), end + cfg.max_after))  # type: ignore[union-attr]
        if j > end:
            if len(subject) < 3 or cfg.weak_end.search(subject):
                subject = text[m.end() : j].strip("《》")
            end = j
    return cstart, subject, end
