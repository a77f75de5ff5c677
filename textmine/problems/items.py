"""Cut section 五 (存在的主要问题及改进情况) into problem and improvement items.

An item is one numbered statement (一是…, （一）…, 1. …, 首先，…) with the
sentences that explain it, or, where a zone has no numbering, one sentence
or ；-clause.  Every item is a span of the record text:
``text == record_text[start:end]``, surrounding whitespace stripped and the
numbering marker kept (as the gold files keep it).

How the section body is read (the markers and phrases are data, in
``data/item_markers.toml``, compiled by :mod:`.markers`):

1. ``无`` / ``暂无`` alone → no items.
2. Sub-headings (（一）存在的主要问题, （二）改进措施, 七、下一步工作思路 …)
   and improvement cues (下一步…, 针对上述问题…, 2022年，我局将…,
   为做好…工作，下一阶段我们将…) cut the body into zones.  A zone before any
   of them holds problems; a cue turns the rest into improvements; a
   heading sets its zone's kind.  A numbered heading may run into its text
   (（二）改进措施一是…, a copy that lost the line break).  Headings are
   never items; a cue sentence is an item only in an unnumbered zone and
   only when it is not a preamble.
3. In a zone, the numbering style whose ordinal-1 marker comes first wins
   (an outer （一） beats the 一是 nested inside it); every boundary match of
   that style starts an item (一是 also after a comma: …不高，二是…).  Text
   before the first marker is a preamble.  The seed's bare 是 stands for
   一是 when 二是 follows and no 一是 exists.
4. A zone without numbering gives one item per sentence or ；-clause, minus
   preambles (lead-ins ending with ：, …仍存在一些不足。, …取得了一定成绩。,
   pledges to implement the 条例 that name no area); a ；-clause with no
   subject of its own (未…, 并…) stays with the clause before it.  A problem
   sentence that lists problems after a preamble (…存在一些不足，如A，B，C。
   / …主要存在A、B、C等问题。) gives one item per problem when each names a
   shortcoming.  In a zone with end marks, a line break without one is a
   wrapped line (a PDF's), not the end of an item.

Example
-------
>>> from textmine.record import Section
>>> text = "五、存在的主要问题及改进情况\\n一是更新不及时。二是解读不够。下一步，我们将：一是加强更新。"
>>> [(i["kind"], i["text"]) for i in split_items(text, Section("problems", "五、存在的主要问题及改进情况", 0, len(text)))]
[('problem', '一是更新不及时。'), ('problem', '二是解读不够。'), ('improvement', '一是加强更新。')]
"""

from __future__ import annotations

import re
from itertools import pairwise

from textmine.record import Section

from .markers import ItemMarkers, item_markers

__all__ = ["item_markers", "split_items"]

PROBLEM = "problem"
IMPROVEMENT = "improvement"

# Characters after which an item, heading or cue may start.
_BOUNDARY = frozenset("。；;：:！!？?\n\r \t\u3000\xa0”’」）)")
_STRIP = " \t\r\n\u3000\xa0\ufeff"
_ENDS = "。；;！!？?"
# One sentence or clause of an unnumbered zone: up to and including its end
# mark (and a closing quote right after it), or a colon that ends a lead-in.
# A zone that has end marks was wrapped by its source where a line ends
# without one (a PDF's lines), so there a line break ends nothing.
_PIECE = re.compile(r"[^。；;！!？?\n：:]*(?:[。；;！!？?][”’」]?|[：:]|\n|$)")
_PIECE_WRAPPED = re.compile(r"[^。；;！!？?：:]*(?:[。；;！!？?][”’」]?|[：:]|$)")
# Where a list inside a sentence is cut: at its commas, else at its 、.
_LIST_SEPARATORS = ("，,", "、")


def _at_boundary(text: str, pos: int, zone_start: int, after: frozenset[str] = frozenset()) -> bool:
    if pos <= zone_start:
        return True
    return text[pos - 1] in _BOUNDARY or text[pos - 1] in after


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def _item(text: str, start: int, end: int, kind: str) -> dict | None:
    """The item ``text[start:end]`` (whitespace stripped), or None if empty."""
    s, e = _strip_span(text, start, end)
    if e <= s:
        return None
    return {"kind": kind, "text": text[s:e], "start": s, "end": e}


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
            if _at_boundary(text, m.start(), start, style.after)
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
    firsts = [
        (hits[0][0] if hits[0][1] == 1 else min(p for p, n in hits if n == 1), name)
        for name, hits in found.items()
        if any(n == 1 for _, n in hits)
    ]
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


def _numbered_items(text: str, starts: list[int], end: int, kind: str) -> list[dict]:
    items = [_item(text, a, b, kind) for a, b in pairwise(starts + [end])]
    return [it for it in items if it]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences, ；-clauses and colon lead-ins of an unnumbered zone."""
    wrapped = any(c in _ENDS for c in text[start:end])
    out = []
    for m in (_PIECE_WRAPPED if wrapped else _PIECE).finditer(text, start, end):
        s, e = _strip_span(text, m.start(), m.end())
        if e > s and text[s:e].strip("。；;！!？?：:，, "):
            out.append((s, e))
    return out


def _list_parts(piece: str) -> list[tuple[int, int]]:
    """Spans of ``piece`` cut at its commas (at 、 if it has none), the
    separators left out."""
    for seps in _LIST_SEPARATORS:
        if any(c in piece for c in seps):
            parts, pos = [], 0
            for i, c in enumerate(piece):
                if c in seps:
                    parts.append((pos, i))
                    pos = i + 1
            parts.append((pos, len(piece)))
            return parts
    return [(0, len(piece))]


def _list_start(piece: str, rules: ItemMarkers) -> tuple[int, int, bool] | None:
    """Where the first intro of ``piece`` starts and its list starts, and
    whether the words up to the list are left out of an unsplit item."""
    found = [(m.start(), m.end(), intro.cut) for intro in rules.intros if (m := intro.regex.search(piece))]
    return min(found) if found else None


def _opens_list(piece: str, rules: ItemMarkers) -> bool:
    """Does the lead-in ``piece`` end with an intro and a colon (…不足，如：)?
    Then the sentence after it is a list; after 存在以下问题： each sentence
    is one problem."""
    if piece[-1] not in "：:":
        return False
    return any(m.end() == len(piece) for intro in rules.intros for m in intro.regex.finditer(piece))


def _listed(text: str, s: int, e: int, after_lead: bool, kind: str, rules: ItemMarkers) -> list[dict]:
    """The problems a sentence lists (one item each), or the sentence as one
    item.  ``after_lead``: the sentence follows a lead-in that ends with an
    intro (…如：), so all of it is the list.  Words before an intro must be
    a preamble (…还有一些不足，如…): after a named problem
    (栏目更新不及时，如…) the list only gives examples of it, and the
    sentence stays whole."""
    piece = text[s:e]
    opened = (0, 0, True) if after_lead else _list_start(piece, rules)
    whole = [it for it in [_item(text, s, e, kind)] if it]
    if opened is None:
        return whole
    head, body, cut = opened
    before = piece[:head].strip(_STRIP + "，,")
    if before and not _is_preamble(before, rules):
        return whole
    parts = [(s + body + a, s + body + b) for a, b in _list_parts(piece[body:])]
    texts = [text[a:b].strip(_STRIP) for a, b in parts]
    if len(parts) >= 2 and all(t and rules.deficiency.search(t) and not rules.continuation.match(t) for t in texts):
        return [it for a, b in parts if (it := _item(text, a, b, kind))]
    return [it for it in [_item(text, s + body, e, kind)] if it] if cut else whole


def _unnumbered_items(text: str, start: int, end: int, kind: str, rules: ItemMarkers) -> list[dict]:
    """One item per sentence or ；-clause, minus preambles; a ；-clause that
    continues the one before (未…, 并…) joins it; a problem sentence that
    lists problems gives one item per problem."""
    items: list[dict] = []
    after_lead = False  # the piece before was a lead-in ending with an intro (…如：)
    in_clauses = False  # the piece before ended with ；: this one is a clause, not a sentence
    joinable = False  # the piece before is the last item and ended with ；
    for s, e in _pieces(text, start, end):
        piece = text[s:e]
        ends_clause = piece[-1] in "；;"
        if joinable and rules.continuation.match(piece):
            items[-1] = _item(text, items[-1]["start"], e, kind) or items[-1]
        elif _is_preamble(piece, rules):
            after_lead, in_clauses, joinable = _opens_list(piece, rules), ends_clause, False
            continue
        elif kind == PROBLEM and not in_clauses and not ends_clause:
            items.extend(_listed(text, s, e, after_lead, kind, rules))
        elif it := _item(text, s, e, kind):
            items.append(it)
        after_lead, in_clauses, joinable = False, ends_clause, ends_clause
    return items


def _zone_items(text: str, start: int, end: int, kind: str, rules: ItemMarkers) -> list[dict]:
    starts = _markers(text, start, end, rules)
    if starts:
        return _numbered_items(text, starts, end, kind)
    return _unnumbered_items(text, start, end, kind, rules)


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
