"""Cut section 五 (存在的主要问题及改进情况) into problem and improvement items.

An item is one numbered statement (一是…, （一）…, 1. …, 首先，…) with the
sentences that explain it, or, where a zone has no numbering, one sentence
or ；-clause.  Every item is a span of the record text:
``text == record_text[start:end]``, surrounding whitespace stripped and the
numbering marker kept (as the gold files keep it).

How the section body is read (the markers and phrases are data, in
``data/item_markers.toml``):

1. ``无`` / ``暂无`` alone → no items.
2. Sub-headings (（一）存在的主要问题, （二）改进措施, 下一步工作打算 …) and
   improvement cues (下一步…, 针对上述问题…, 2022年，我局将…) cut the body
   into zones.  A zone before any of them holds problems; a cue turns the
   rest into improvements; a heading sets its zone's kind.  Headings are
   never items; a cue sentence is an item only in an unnumbered zone and
   only when it is not a preamble.
3. In a zone, the numbering style whose ordinal-1 marker comes first wins
   (an outer （一） beats the 一是 nested inside it); every boundary match of
   that style starts an item.  Text before the first marker is a preamble.
   The seed's bare 是 stands for 一是 when 二是 follows and no 一是 exists.
4. A zone without numbering gives one item per sentence or ；-clause, minus
   preambles (lead-ins ending with ：, …仍存在一些不足。, pledges to
   implement the 条例 that name no area).

Example
-------
>>> from textmine.record import Section
>>> text = "五、存在的主要问题及改进情况\\n一是更新不及时。二是解读不够。下一步，我们将：一是加强更新。"
>>> [(i["kind"], i["text"]) for i in split_items(text, Section("problems", "五、存在的主要问题及改进情况", 0, len(text)))]
[('problem', '一是更新不及时。'), ('problem', '二是解读不够。'), ('improvement', '一是加强更新。')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from textmine.data import load_toml
from textmine.numerals import ordinal_value
from textmine.record import Section

__all__ = ["item_markers", "split_items"]

PROBLEM = "problem"
IMPROVEMENT = "improvement"

# Characters after which an item, heading or cue may start.
_BOUNDARY = set("。；;：:！!？?\n\r \t\u3000\xa0”’」）)")
_STRIP = " \t\r\n\u3000\xa0\ufeff"
# One sentence or clause of an unnumbered zone: up to and including its end
# mark (and a closing quote right after it), or a colon that ends a lead-in.
_PIECE = re.compile(r"[^。；;！!？?\n：:]*(?:[。；;！!？?][”’」]?|[：:]|\n|$)")


@dataclass(frozen=True)
class _Style:
    name: str
    regex: re.Pattern[str]
    ordinals: tuple[tuple[str, int], ...] = ()

    def ordinal(self, n: str) -> int:
        for word, value in self.ordinals:
            if word == n:
                return value
        if n.isdigit():
            return int(n)
        return ordinal_value(n)


@dataclass(frozen=True)
class ItemMarkers:
    """The compiled contents of ``data/item_markers.toml``."""

    styles: tuple[_Style, ...]
    sloppy_shi: re.Pattern[str]
    headings: tuple[tuple[str, re.Pattern[str]], ...]
    cues: tuple[re.Pattern[str], ...]
    preambles: tuple[re.Pattern[str], ...]
    empty: re.Pattern[str]


@lru_cache(maxsize=1)
def item_markers() -> ItemMarkers:
    """Load and compile ``item_markers.toml`` once."""
    data = load_toml("item_markers.toml")
    styles = tuple(
        _Style(
            name=entry["name"],
            regex=re.compile(entry["marker"]),
            ordinals=tuple(entry.get("ordinals", {}).items()),
        )
        for entry in data["style"]
    )
    headings = []
    for entry in data["heading"]:
        if entry["kind"] not in (PROBLEM, IMPROVEMENT):
            raise ValueError(f"item_markers.toml: heading kind {entry['kind']!r}; valid: problem, improvement")
        headings.append((entry["kind"], re.compile(entry["pattern"])))
    return ItemMarkers(
        styles=styles,
        sloppy_shi=re.compile(data["sloppy_shi"]["marker"]),
        headings=tuple(headings),
        cues=tuple(re.compile(e["pattern"]) for e in data["cue"]),
        preambles=tuple(re.compile(e["pattern"]) for e in data["preamble"]),
        empty=re.compile(data["empty"]["pattern"]),
    )


def _at_boundary(text: str, pos: int, zone_start: int) -> bool:
    if pos <= zone_start:
        return True
    return text[pos - 1] in _BOUNDARY


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def _body_span(text: str, section: Section) -> tuple[int, int]:
    start, end = section.start, min(section.end, len(text))
    if section.title and text.startswith(section.title, start):
        start += len(section.title)
    return start, end


def _zones(text: str, start: int, end: int, rules: ItemMarkers) -> list[tuple[int, int, str]]:
    """Split the body into (start, end, kind) zones at headings and cues."""
    heads: list[tuple[int, int, str]] = []
    for kind, rx in rules.headings:
        for m in rx.finditer(text, start, end):
            if m.end() > m.start() and _at_boundary(text, m.start(), start):
                heads.append((m.start(), m.end(), kind))
    heads.sort()
    kept: list[tuple[int, int, str]] = []
    for h in heads:
        if not kept or h[0] >= kept[-1][1]:
            kept.append(h)
    # Zones between headings; the first one (before any heading) holds problems.
    raw: list[tuple[int, int, str]] = []
    pos, kind = start, PROBLEM
    for h_start, h_end, h_kind in kept:
        raw.append((pos, h_start, kind))
        pos, kind = h_end, h_kind
    raw.append((pos, end, kind))
    zones: list[tuple[int, int, str]] = []
    for z_start, z_end, z_kind in raw:
        if z_kind == PROBLEM:
            cue = _first_cue(text, z_start, z_end, rules)
            if cue is not None:
                zones.append((z_start, cue, PROBLEM))
                z_start, z_kind = cue, IMPROVEMENT
        zones.append((z_start, z_end, z_kind))
    return [z for z in zones if text[z[0] : z[1]].strip(_STRIP)]


def _first_cue(text: str, start: int, end: int, rules: ItemMarkers) -> int | None:
    best: int | None = None
    for rx in rules.cues:
        for m in rx.finditer(text, start, end):
            if best is not None and m.start() >= best:
                break
            if _at_boundary(text, m.start(), start) and m.start() > start:
                best = m.start()
                break
    return best


def _markers(text: str, start: int, end: int, rules: ItemMarkers) -> list[int]:
    """Start offsets of the zone's items, in the zone's numbering style."""
    found: dict[str, list[tuple[int, int]]] = {}
    for style in rules.styles:
        hits = [
            (m.start(), style.ordinal(m.group("n")))
            for m in style.regex.finditer(text, start, end)
            if _at_boundary(text, m.start(), start)
        ]
        if hits:
            found[style.name] = hits
    shi = found.get("shi", [])
    if shi and not any(n == 1 for _, n in shi):
        first_two = min((p for p, n in shi if n == 2), default=None)
        if first_two is not None:
            sloppy = [
                m.start()
                for m in rules.sloppy_shi.finditer(text, start, first_two)
                if _at_boundary(text, m.start(), start)
            ]
            if sloppy:
                found["shi"] = [(sloppy[-1], 1)] + shi
    firsts = [(hits[0][0] if hits[0][1] == 1 else min(p for p, n in hits if n == 1), name)
              for name, hits in found.items() if any(n == 1 for _, n in hits)]
    if firsts:
        first_pos, name = min(firsts)
    else:
        many = [(len(h), -h[0][0], name) for name, h in found.items() if len(h) >= 2]
        if not many:
            return []
        name = max(many)[2]
        first_pos = found[name][0][0]
    return [p for p, _ in found[name] if p >= first_pos]


def _is_preamble(piece: str, rules: ItemMarkers) -> bool:
    return any(rx.search(piece) for rx in rules.preambles)


def _zone_items(text: str, start: int, end: int, kind: str, rules: ItemMarkers) -> list[dict]:
    items: list[dict] = []
    starts = _markers(text, start, end, rules)
    if starts:
        bounds = starts + [end]
        for a, b in pairwise(bounds):
            s, e = _strip_span(text, a, b)
            if e > s:
                items.append({"kind": kind, "text": text[s:e], "start": s, "end": e})
        return items
    for m in _PIECE.finditer(text, start, end):
        if m.end() == m.start():
            continue
        s, e = _strip_span(text, m.start(), m.end())
        piece = text[s:e]
        if e <= s or not piece.strip("。；;！!？?：:，, "):
            continue
        if _is_preamble(piece, rules):
            continue
        items.append({"kind": kind, "text": piece, "start": s, "end": e})
    return items


def split_items(text: str, section: Section | None) -> list[dict]:
    """Items of section 五, in text order.

    Parameters
    ----------
    text : str
        The record text (``record.text``); offsets refer to it.
    section : Section or None
        The ``problems`` section (``record.section("problems")``); ``None``
        gives no items.

    Returns
    -------
    list of dict
        ``{"kind": "problem" | "improvement", "text", "start", "end"}`` with
        ``text == text[start:end]``.
    """
    if section is None:
        return []
    rules = item_markers()
    start, end = _body_span(text, section)
    body = text[start:end]
    if not body.strip(_STRIP) or rules.empty.match(body):
        return []
    items: list[dict] = []
    for z_start, z_end, kind in _zones(text, start, end, rules):
        items.extend(_zone_items(text, z_start, z_end, kind, rules))
    return items
