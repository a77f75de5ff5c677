"""Schemas of section 五's files: item markers, rule patterns, the taxonomy."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, RootModel

from .base import Noted, PatternOnly, Regex, Strict

# -- item_markers.toml ---------------------------------------------------------


class ItemStyle(Strict):
    name: str
    marker: Regex
    note: str
    after: str | None = None
    ordinals: dict[str, int] | None = None


class SloppyShi(Strict):
    marker: Regex
    note: str


class ItemHeading(Noted):
    kind: Literal["problem", "improvement"]


class Intro(Noted):
    cut: bool


class ItemList(Strict):
    deficiency: Regex
    continuation: Regex
    note: str


class ItemMarkersFile(Strict):
    style: list[ItemStyle]
    sloppy_shi: SloppyShi
    heading_prefix: PatternOnly
    heading: list[ItemHeading]
    heading_end: Noted
    heading_runin: Noted
    agency: PatternOnly
    cue: list[Noted]
    preamble: list[Noted]
    intro: list[Intro]
    list_: ItemList = Field(alias="list")
    empty: Noted


# -- problem_patterns.toml and taxonomy.toml -------------------------------------


class RulePattern(Strict):
    regex: Regex
    note: str


class CategoryPatterns(Strict):
    patterns: list[RulePattern]
    unless: Regex | None = None


class ProblemPatternsFile(RootModel[dict[str, CategoryPatterns]]):
    model_config = ConfigDict(strict=True, frozen=True)


class Category(Strict):
    key: str
    name: str
    phrasing: list[str]


class TaxonomyFile(Strict):
    version: str
    category: list[Category]
