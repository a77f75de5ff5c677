"""Step 1 of finding a report's headings: the candidates.

Every match of a title variant of ``data/sections.toml``, with the numbering
in front of it and its position, scored by how specific the wording is, how
strong the numbering is and where it stands (see :mod:`textmine.sections`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textmine.data import load_toml
from textmine.first_chars import last_characters
from textmine.flat import FlatView
from textmine.numerals import ordinal_value
from textmine.record import SECTION_KEYS

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
class SectionRules:
    variants: tuple[_Variant, ...]
    chrome: re.Pattern[str]
    numbering: tuple[tuple[str, re.Pattern[str]], ...]
    standard: dict[str, str]


@dataclass
class Candidate:
    key: str
    start: int  # offset of the numbering (or title) in the original text
    title_end: int  # end of the title in the original text
    num: int | None
    style: str | None
    score: float  # everything but the numeral-sequence bonus
    free: bool
    merge: bool


@lru_cache(maxsize=1)
def section_rules() -> SectionRules:
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
    return SectionRules(variants, chrome, numbering, dict(data["standard"]))


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


def find_candidates(text: str, rules: SectionRules) -> list[Candidate]:
    view = FlatView(text)
    flat = view.flat
    found: dict[tuple[int, str], Candidate] = {}
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
            cand = Candidate(var.key, start, title_end, num, style, score, var.free, var.merge)
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
