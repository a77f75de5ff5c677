"""Schemas of the files that read a report: layouts, sections, furniture, claims, checks."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Count, Noted, PatternOnly, Regex, Share, Strict

# -- furniture.toml ------------------------------------------------------------


class PageNumber(Strict):
    decorated: Regex
    bare: Regex


class Glosses(Strict):
    pattern: Regex


class PdfText(Strict):
    heading: Regex
    frame_heading: Regex


class FurnitureFile(Strict):
    page_number: PageNumber
    glosses: Glosses
    pdf: PdfText


# -- layouts.toml ---------------------------------------------------------------


class Row(Strict):
    key: str
    labels: list[str]
    columns: list[str] | None = None
    optional: bool | None = None
    signed: list[str] | None = None
    money: list[str] | None = None


class Variant(Strict):
    key: str
    labels: list[str]
    replaces: list[str]


class Table2Layout(Strict):
    cues: list[str]
    headers: dict[str, Regex]
    rows: list[Row]


class Table3Columns(Strict):
    columns: list[str]
    total_column: str
    first_row_cue: Regex
    headers: dict[str, Regex]


class Table3Layout(Strict):
    cues: list[str]
    rows: list[Row]
    variants: list[Variant] = []


class Table3Identities(Strict):
    handled_parts_exclude: list[str]


class Table4Layout(Strict):
    header_end: list[str]
    groups: list[str]
    columns: list[str]
    cues: list[str]


class Anchors(Strict):
    t2: Regex
    t3: Regex
    t4: Regex
    t4_end: Regex


class LayoutsFile(Strict):
    prefix: PatternOnly
    t2_2021: Table2Layout
    t2_2019: Table2Layout
    t3: Table3Columns
    t3_2021: Table3Layout
    t3_2019: Table3Layout
    t3_identities: Table3Identities
    t4: Table4Layout
    anchors: Anchors


# -- claims.toml ---------------------------------------------------------------


class ClaimApprox(Strict):
    before: list[str]
    after_number: list[str]
    after_unit: list[str]


class NotClaims(Strict):
    before: list[str]
    before_chinese: list[str]
    from_number: list[str]


class ClaimSubject(Strict):
    delimiters: str
    clause_delimiters: str
    leading: list[str]
    max_chars: Count
    max_after: Count
    weak_end: list[str]
    includes: list[str]


class ClaimTenths(Strict):
    before: Regex


class ClaimShares(Strict):
    suffix: Regex
    of: Regex
    not_of: list[str]
    of_previous: Regex


class ClaimSums(Strict):
    words: Regex
    whole_of: list[str]
    whole: Regex


class CellRule(Strict):
    pattern: Regex
    cell: str | None = None
    readings: list[str] | None = None
    units: str | None = None
    kind: Literal["count", "money", "rate", "any"] | None = None
    forbid: Regex | None = None
    topic: str | None = None


class ClaimsFile(Strict):
    units: dict[str, str]
    money: dict[str, int]
    approx: ClaimApprox
    not_claims: NotClaims
    subject: ClaimSubject
    tenths: ClaimTenths
    quantities: dict[str, str]
    shares: ClaimShares
    sums: ClaimSums
    topics: dict[str, Regex]
    unit_sets: dict[str, list[str]]
    cells: list[CellRule]


# -- reading.toml ----------------------------------------------------------------


class ReadingIdentities(Strict):
    rules: list[str]


class ReadingPoor(Strict):
    cell_share: Share
    min_sections: Count
    min_sections_free: Count


class ReadingCheck(Strict):
    cell_share: Share
    max_identity_fails: Count
    max_identity_skip_share: Share


class ReadingFile(Strict):
    identities: ReadingIdentities
    poor: ReadingPoor
    check: ReadingCheck


# -- rules.toml --------------------------------------------------------------------


class CheckRule(Strict):
    id: str
    description: str
    description_zh: str
    severity: Literal["error", "warning", "info"]
    for_: str | None = Field(None, alias="for")
    expr: str | None = None
    tolerance: float | None = None
    across: bool | None = None
    values: list[str] | None = None
    layouts: list[str] | None = None
    relative_tolerance: float | None = None
    approx_tolerance: float | None = None


class RulesFile(Strict):
    rule: list[CheckRule]


# -- script.toml, sections.toml, report/labels.toml -----------------------------------


class ScriptFile(Strict):
    min_changed: Count
    min_share: Share
    frequent: list[str]


class SectionTitle(Strict):
    key: str
    pattern: Regex | list[Regex]
    weight: float
    note: str
    prefix: Regex | None = None
    free: bool | None = None
    merge: bool | None = None


class SectionsFile(Strict):
    standard: dict[str, str]
    title: list[SectionTitle]
    chrome: list[Noted]
