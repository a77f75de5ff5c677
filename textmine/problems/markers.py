"""The markers and phrases that cut section 五 into items, from
``data/item_markers.toml``: numbering styles, headings, improvement cues,
preambles and list intros, checked and compiled once (:func:`item_markers`).
How they are used is :mod:`.items`' part."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from textmine.data import load_toml
from textmine.first_chars import with_first_character_gate
from textmine.numerals import ordinal_value


@dataclass(frozen=True)
class Style:
    name: str
    regex: re.Pattern[str]
    ordinals: tuple[tuple[str, int], ...] = ()
    # Characters after which this style's markers may start an item too.
    after: frozenset[str] = frozenset()

    def ordinal(self, n: str) -> int:
        for word, value in self.ordinals:
            if word == n:
                return value
        if n.isdigit():
            return int(n)
        return ordinal_value(n)


@dataclass(frozen=True)
class Intro:
    """Words that open a list of problems inside a sentence."""

    regex: re.Pattern[str]
    # Leave the words up to the list out of an item the list does not split.
    cut: bool


@dataclass(frozen=True)
class ItemMarkers:
    """The compiled contents of ``data/item_markers.toml``."""

    styles: tuple[Style, ...]
    sloppy_shi: re.Pattern[str]
    headings: tuple[tuple[str, re.Pattern[str]], ...]
    cues: tuple[re.Pattern[str], ...]
    preambles: tuple[re.Pattern[str], ...]
    intros: tuple[Intro, ...]
    deficiency: re.Pattern[str]
    continuation: re.Pattern[str]
    empty: re.Pattern[str]


def _compile(pattern: object, where: str) -> re.Pattern[str]:
    """A data pattern compiled, or a ValueError that names its place."""
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(f"item_markers.toml: {where}: a non-empty pattern string is required")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"item_markers.toml: {where}: {exc}") from exc


def _styles(data: dict) -> tuple[Style, ...]:
    styles = []
    for i, entry in enumerate(data["style"]):
        regex = _compile(entry.get("marker"), f"style {i + 1} marker")
        if "n" not in regex.groupindex:
            raise ValueError(f"item_markers.toml: style {entry.get('name')!r}: the marker needs a group (?P<n>…)")
        styles.append(
            Style(
                name=entry["name"],
                regex=regex,
                ordinals=tuple(entry.get("ordinals", {}).items()),
                after=frozenset(entry.get("after", "")),
            )
        )
    return tuple(styles)


def _headings(data: dict) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each heading's wording behind the optional numbering, followed by
    what may follow a heading (more after a numbered one, see the data
    file); one 。：: after it belongs to the heading."""
    prefix = _compile(data["heading_prefix"]["pattern"], "heading_prefix").pattern
    end = _compile(data["heading_end"]["pattern"], "heading_end").pattern
    runin = _compile(data["heading_runin"]["pattern"], "heading_runin").pattern
    headings = []
    for i, entry in enumerate(data["heading"]):
        wording = _compile(entry.get("pattern"), f"heading {i + 1}").pattern
        # (?(num)…): the run-in ending is tried only after a numbering.
        pattern = f"(?P<num>{prefix})?(?:{wording})(?:(?={end})|(?(num)(?={runin})|(?!)))[。：:]?"
        # Gated: the optional numbering would make the engine try it all at every character.
        headings.append((entry["kind"], _compile(with_first_character_gate(pattern), f"heading {i + 1}")))
    return tuple(headings)


def _cues(data: dict) -> tuple[re.Pattern[str], ...]:
    """The cue patterns, ``<agency>`` replaced by the ``[agency]`` pattern."""
    agency = _compile(data["agency"]["pattern"], "agency").pattern
    return tuple(
        _compile(str(e.get("pattern")).replace("<agency>", agency), f"cue {i + 1}") for i, e in enumerate(data["cue"])
    )


@lru_cache(maxsize=1)
def item_markers() -> ItemMarkers:
    """Load, check and compile ``item_markers.toml`` once."""
    data = load_toml("item_markers.toml")
    intros = []
    for i, entry in enumerate(data["intro"]):
        intros.append(Intro(_compile(entry.get("pattern"), f"intro {i + 1}"), entry["cut"]))
    return ItemMarkers(
        styles=_styles(data),
        sloppy_shi=_compile(data["sloppy_shi"]["marker"], "sloppy_shi"),
        headings=_headings(data),
        cues=_cues(data),
        preambles=tuple(_compile(e.get("pattern"), f"preamble {i + 1}") for i, e in enumerate(data["preamble"])),
        intros=tuple(intros),
        deficiency=_compile(data["list"]["deficiency"], "list deficiency"),
        continuation=_compile(data["list"]["continuation"], "list continuation"),
        empty=_compile(data["empty"]["pattern"], "empty"),
    )
