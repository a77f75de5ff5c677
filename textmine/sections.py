"""Find the six sections of a report: where each starts, its title as written.

A report's headings are found in two steps:

1. *Candidates*: every match of a title variant of ``data/sections.toml``,
   with the numbering in front of it (一、 一． 一. （一） (一) 1. 第一部分 or
   none) and its position (line start, after a sentence end, or inside a
   run of text, as in the one-line 平潭 archive files).  A candidate gets a
   score from how specific the wording is, how strong the numbering is and
   where it stands.  Unnumbered wordings in running text (the preamble that
   *lists* the six parts) and table cells are not candidates at all.
2. *Selection*: the best-scoring sequence of candidates (dynamic programming
   over text order) in which numerals rise strictly and the standard keys
   come in their order.  A numeral that equals the heading's place in the
   sequence, or its key's place in the standard form, earns a bonus, so the
   overview's （一）主动公开情况 loses to the real 二、主动公开政府信息情况 and
   the table-3 row 四、结转下年度继续办理 never passes for section 四.

Sections run from their title's start to the next section's start; the last
one ends where trailing page chrome (责任编辑, 分享到, 附件下载 …) begins.

Repeated keys (a rule, since old free layouts map two headings to one key):
consecutive headings of one key are merged into one section (title and start
of the first, end of the last), e.g. 存在问题 / 改进措施 split into two
headings.  Headings of one key separated by another key stay separate
entries, in text order (2013: 四、审批事项 and 六、工作人员及支出 are both
``other``, with 五、行政复议 between them), so no text falls outside a section;
:meth:`textmine.record.Record.section` returns the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textmine.data import load_toml
from textmine.first_chars import last_characters
from textmine.flat import FlatView
from textmine.numerals import ordinal_value
from textmine.record import SECTION_KEYS, Note, Section

__all__ = ["Headings", "find_headings", "find_sections", "section_rules"]


# Numbering that may stand right before a title, tried on the text just in
# front of the title match.  ``style`` decides how much the numbering is worth.
_NUMBERING: tuple[tuple[str, str], ...] = (
    ("part", r"第\s*(?P<n>[一二三四五六七八九十]{1,2})\s*(?:部分|章|节)\s*[、：:．.]?\s*$"),
    ("paren", r"[（(]\s*(?P<n>[一二三四五六七八九十]{1,2})\s*[）)]\s*[、．.]?\s*$"),
    ("top", r"(?<![一二三四五六七八九十是])(?P<n>[一二三四五六七八九十]{1,2})\s*[、．.，,：:]\s*$"),
    ("arabic", r"(?<![\d.．０-９])(?P<n>[1-9１-９])\s*[、．.]\s*$"),
    # 一总体情况: a numeral with its separator lost (archive copies drop 、).
    ("bare", r"(?:^|(?<=[。；;！!？?\s]))(?P<n>[一二三四五六七八九十]{1,2})$"),
)
_STYLE_SCORE = {"part": 3.0, "top": 3.0, "paren": 1.0, "arabic": 0.5, "bare": 1.0, None: 0.0}
# A heading that is plainly one but none of the six parts (收费及减免情况).
UNMAPPED = "none"

# How far back of a title its numbering may start (第 十 部分 、 plus spaces),
# and how far back its optional prefix words may reach.
_LOOKBACK = 10
_PREFIX_LOOKBACK = 24
_SENTENCE_END = set('。；;！!？?：:）)」”"】]>')
_SPACE = " \t\u3000\xa0"
_MIN_SCORE = 3.0
# Safety valve for pathological texts: keep only this many candidates.
_MAX_CANDIDATES = 120


@dataclass(frozen=True)
class _Variant:
    key: str
    regex: re.Pattern[str]
    prefix: re.Pattern[str] | None
    weight: float
    free: bool
    merge: bool
    # The characters the prefix's words end with (None: unknown): before any
    # other character the prefix search can only find nothing.
    prefix_last: frozenset[str] | None = None


@dataclass(frozen=True)
class _Rules:
    variants: tuple[_Variant, ...]
    chrome: re.Pattern[str]
    numbering: tuple[tuple[str, re.Pattern[str]], ...]
    standard: dict[str, str]


@dataclass
class _Candidate:
    key: str
    start: int  # offset of the numbering (or title) in the original text
    title_end: int  # end of the title in the original text
    num: int | None
    style: str | None
    score: float  # everything but the numeral-sequence bonus
    free: bool
    merge: bool


@lru_cache(maxsize=1)
def section_rules() -> _Rules:
    """The compiled title variants and chrome patterns (loaded once, lazily)."""
    data = load_toml("sections.toml")
    variants = tuple(
        _Variant(
            key=entry["key"],
            regex=re.compile(_fast_pattern(pattern)),
            prefix=re.compile(f"(?:{entry['prefix']})$") if entry.get("prefix") else None,
            weight=float(entry.get("weight", 1)),
            free=bool(entry.get("free", False)),
            merge=bool(entry.get("merge", False)),
            prefix_last=last_characters(entry["prefix"], of_nonempty=True) if entry.get("prefix") else None,
        )
        for entry in data["title"]
        for pattern in ([entry["pattern"]] if isinstance(entry["pattern"], str) else entry["pattern"])
    )
    unknown = {v.key for v in variants} - set(SECTION_KEYS) - {UNMAPPED}
    if unknown:
        raise ValueError(f"sections.toml: unknown section keys {sorted(unknown)}; valid: {SECTION_KEYS + (UNMAPPED,)}")
    chrome_alt = "|".join(f"(?:{c['pattern']})" for c in data["chrome"])
    chrome = re.compile(rf"(?:^|(?<=[\s|]))(?:{chrome_alt})", re.MULTILINE)
    numbering = tuple((style, re.compile(rx)) for style, rx in _NUMBERING)
    return _Rules(variants, chrome, numbering, dict(data["standard"]))


def _fast_pattern(pattern: str) -> str:
    """``pattern``, checked to start with a fixed character and to hold no
    ``|`` outside a group: the regex engine then jumps between occurrences of
    that character, where a leading class or alternation makes it try every
    position of every report (five times slower)."""
    depth = 0
    escaped = in_class = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            break
    else:
        if pattern[:1] and pattern[0] not in "\\([.^$*+?{":
            return pattern
    raise ValueError(
        f"sections.toml: title pattern {pattern!r} must start with a fixed character and hold no | outside a group "
        "(write its alternatives as a list of patterns)"
    )


@lru_cache(maxsize=1)
def _numbering_ends() -> frozenset[str] | None:
    """The characters a numbering ends with, spaces after it aside (None: unknown)."""
    ends = [last_characters(rx.replace(r"\s*", ""), of_nonempty=True) for _, rx in _NUMBERING]
    return None if None in ends else frozenset().union(*ends)


def _may_end_prefix(var: _Variant, ch: str) -> bool:
    """Whether the variant's prefix words may end with ``ch``: a search of
    the window before a title tries the whole prefix at each of its places,
    and mostly finds nothing (一、 stands before the title)."""
    return var.prefix_last is None or ch in var.prefix_last


def _line_bounds(text: str, start: int, end: int) -> tuple[str, str]:
    """The text before ``start`` and after ``end`` on their own lines."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    if le < 0:
        le = len(text)
    # Only a short stretch matters; long one-line files stay cheap.
    return text[max(ls, start - 60) : start], text[end : min(le, end + 60)]


def _candidates(text: str, rules: _Rules) -> list[_Candidate]:
    view = FlatView(text)
    flat = view.flat
    found: dict[tuple[int, str], _Candidate] = {}
    for var in rules.variants:
        for m in var.regex.finditer(flat):
            f_start = m.start()
            if var.prefix is not None and f_start and _may_end_prefix(var, flat[f_start - 1]):
                w0 = max(0, f_start - _PREFIX_LOOKBACK)
                pm = var.prefix.search(flat, w0, f_start)
                if pm:
                    f_start = pm.start()
            title_start = view.orig(f_start)
            title_end = view.orig_end(m.end())
            # Numbering is looked up in the original text: a line break before
            # 3. must stay a boundary (the flat view would glue it to a cell).
            w0 = max(0, title_start - _LOOKBACK)
            window = text[w0:title_start]
            style: str | None = None
            num: int | None = None
            start = title_start
            # A window ending (spaces aside) as no numbering can holds none: five searches spared.
            unnumbered = (ends := _numbering_ends()) is not None and window.rstrip()[-1:] not in ends
            for name, rx in () if unnumbered else rules.numbering:
                nm = rx.search(window)
                if nm:
                    style = name
                    num = int(nm.group("n")) if name == "arabic" else ordinal_value(nm.group("n"))
                    start = w0 + nm.start()
                    break
            before, after = _line_bounds(text, start, title_end)
            score = _score(var, style, before, after)
            if score is None:
                continue
            cand = _Candidate(var.key, start, title_end, num, style, score, var.free, var.merge)
            slot = (start, var.key)
            old = found.get(slot)
            # Two variants of one key on one heading: keep the better reading.
            if old is None or (cand.score, cand.title_end) > (old.score, old.title_end):
                found[slot] = cand
    cands = sorted(found.values(), key=lambda c: (c.start, -c.score))
    if len(cands) > _MAX_CANDIDATES:
        keep = sorted(cands, key=lambda c: -c.score)[:_MAX_CANDIDATES]
        cands = sorted(keep, key=lambda c: (c.start, -c.score))
    return cands


def _score(var: _Variant, style: str | None, before: str, after: str) -> float | None:
    """Credibility of one title match, or None when it cannot be a heading."""
    stripped_before = before.rstrip(_SPACE)
    at_line_start = stripped_before.strip(_SPACE) == ""
    # A table cell (pipe-rendered row) is never a section heading.
    if after.lstrip(_SPACE).startswith("|") or stripped_before.endswith("|"):
        return None
    if style is None:
        # Unnumbered: only a heading standing alone on its line (the preamble
        # "本报告包括总体情况、主动公开政府信息情况…" runs inside a sentence).
        if not at_line_start or var.free or var.weight < 2:
            return None
        rest = after.strip(_SPACE + "：:")
        if rest:
            return None
        return var.weight + 3.0
    if var.free and style not in ("top", "part"):
        return None
    if style == "bare" and var.weight < 2:
        return None
    score = var.weight + _STYLE_SCORE[style]
    prev = stripped_before[-1:] if stripped_before else ""
    if at_line_start:
        score += 2.0
    elif prev in _SENTENCE_END or before.endswith(tuple(_SPACE)):
        score += 1.0
    elif prev.isdigit() or prev in "元%":
        # Run-together table cells end right before the next heading in the
        # one-line archive files (…行政事业性收费24252.311082三、收到…).
        score += 0.5
    elif style != "top":
        score -= 1.5
    rest = after.strip(_SPACE)
    if not rest:
        # A heading alone on its line.
        score += 1.0
    elif rest.startswith(("、", "，", ",")):
        # An item of an enumeration, not a heading.
        score -= 4.0
    elif rest.startswith(("。", "；")):
        # A run-in heading (（一）主动公开情况。全年…) is a sub-level's style.
        score -= 1.5
    return score


def _rank(key: str) -> int:
    """A key's place in the standard form (1–6); 0 for an unmapped heading."""
    return SECTION_KEYS.index(key) + 1 if key != UNMAPPED else 0


def _numeral_bonus(cand: _Candidate, last_num: int, last_style: str | None) -> float:
    """Credit for numbering that continues the sequence (一 after 无, 二 after 一 …)
    or that equals the key's place in the standard form (四 for 行政复议)."""
    if cand.num is None:
        return 0.0 if last_style is None else -1.5
    rank = _rank(cand.key)
    bonus = 0.0
    if cand.num == last_num + 1:
        bonus += 3.0
    if cand.num == rank and not cand.free:
        bonus += 2.0
    if bonus == 0.0:
        bonus = -3.0
    # Sections share one numbering style; a change hints at a sub-heading.
    if cand.style != last_style:
        bonus -= 1.5
    return bonus


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Best in-order sequence of headings (dynamic programming).

    A state is (last candidate, last standard key rank, last numeral);
    candidates are few (tens), so the state space stays small.
    """
    State = tuple[int, int, int]
    root: State = (-1, 0, 0)
    # state -> (score, chain of candidate indexes)
    best: dict[State, tuple[float, tuple[int, ...]]] = {root: (0.0, ())}
    by_end: list[tuple[int, State]] = [(-1, root)]
    for ci, c in enumerate(cands):
        rank = _rank(c.key)
        new_states: list[tuple[State, tuple[float, tuple[int, ...]]]] = []
        for end, state in by_end:
            if end > c.start:
                continue
            last_i, last_rank, last_num = state
            if c.num is not None and c.num <= last_num:
                continue
            if c.merge:
                if last_i < 0 or cands[last_i].key != c.key:
                    continue
                new_rank = last_rank
            elif c.free:
                new_rank = last_rank
            else:
                if rank <= last_rank:
                    continue
                new_rank = rank
            gain = c.score + _numeral_bonus(c, last_num, cands[last_i].style if last_i >= 0 else c.style)
            if gain < _MIN_SCORE:
                continue
            score0, chain = best[state]
            key = (ci, new_rank, c.num if c.num is not None else last_num)
            new_states.append((key, (score0 + gain, chain + (ci,))))
        for key, val in new_states:
            old = best.get(key)
            if old is None or val[0] > old[0]:
                if old is None:
                    by_end.append((c.title_end, key))
                best[key] = val
    # Ties go to the shorter chain: a doubtful extra heading must earn its place.
    _, chain = max(best.values(), key=lambda v: (v[0], -len(v[1])))
    return [cands[i] for i in chain]


def _body_end(text: str, after: int, rules: _Rules) -> int:
    m = rules.chrome.search(text, after)
    end = m.start() if m else len(text)
    while end > after and (text[end - 1].isspace() or text[end - 1] in "|[【"):
        end -= 1
    return end


@dataclass
class Headings:
    """What :func:`find_headings` found: the six-key ``sections``, the
    headings that are plainly headings but none of the six parts
    (``unmapped``, key ``"none"``: 收费及减免情况, 附表), and notes."""

    sections: list[Section]
    unmapped: list[Section]
    notes: list[Note]


def find_headings(text: str) -> Headings:
    """The report's headings in text order: sections, unmapped headings, notes.

    An unmapped heading ends the section before it, so its text is in no
    section.

    >>> h = find_headings("一、概述\\n好。\\n二、收费及减免情况\\n无。")
    >>> [s.key for s in h.sections], [u.title for u in h.unmapped]
    (['overview'], ['二、收费及减免情况'])
    """
    rules = section_rules()
    chosen = _select(_candidates(text, rules))
    # Consecutive headings of one key are one section (see the module doc).
    heads: list[_Candidate] = []
    for c in chosen:
        if heads and heads[-1].key == c.key and c.key != UNMAPPED:
            continue
        heads.append(c)
    sections: list[Section] = []
    unmapped: list[Section] = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else _body_end(text, h.title_end, rules)
        entry = Section(key=h.key, title=text[h.start : h.title_end], start=h.start, end=end)
        (unmapped if h.key == UNMAPPED else sections).append(entry)
    notes: list[Note] = []
    found = {s.key for s in sections}
    for key in SECTION_KEYS:
        if key not in found:
            notes.append(Note(table="sections", message=f"section '{key}' ({rules.standard[key]}) not found"))
    for u in unmapped:
        notes.append(Note(table="sections", message=f"heading {u.title!r} is none of the six parts; left unmapped"))
    seen: dict[str, Section] = {}
    for s in sections:
        if s.key in seen:
            notes.append(
                Note(
                    table="sections",
                    message=f"headings {seen[s.key].title!r} and {s.title!r} both map to "
                    f"'{s.key}'; kept as two entries in text order",
                )
            )
        else:
            seen[s.key] = s
    return Headings(sections, unmapped, notes)


def find_sections(text: str) -> tuple[list[Section], list[Note]]:
    """The report's sections in text order, and notes on what is missing
    (see :func:`find_headings`, which also returns the unmapped headings).

    >>> secs, notes = find_sections("一、总体情况\\n好。\\n二、主动公开政府信息情况\\n略。")
    >>> [(s.key, s.title) for s in secs]
    [('overview', '一、总体情况'), ('active_disclosure', '二、主动公开政府信息情况')]
    >>> notes[0].message
    "section 'requests' (三、收到和处理政府信息公开申请情况) not found"
    """
    found = find_headings(text)
    return found.sections, found.notes
