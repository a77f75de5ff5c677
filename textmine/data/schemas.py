"""The shape of every data file, as pydantic models.

:func:`textmine.data.load_toml` validates each file against its model when it
is loaded, so a misspelt key, a value of the wrong type or a pattern that
does not compile is an error naming the file and the key, never a default
silently taken. The checks that need the code's own vocabulary (a table cell
key, a section key) stay with the code that owns it.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return pattern


def _nonempty(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


Regex = Annotated[str, AfterValidator(_nonempty), AfterValidator(_compiles)]
"""A regular expression that compiles as written."""
Template = Annotated[str, AfterValidator(_nonempty)]
"""A pattern with placeholders (``{AGENCY}``, ``<agency>``) filled in by the code."""
Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]


class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced (a number is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Noted(Strict):
    pattern: Regex
    note: str


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
    quantities: dict[str, str]
    shares: ClaimShares
    sums: ClaimSums
    topics: dict[str, Regex]
    unit_sets: dict[str, list[str]]
    cells: list[CellRule]


# -- furniture.toml ------------------------------------------------------------


class PageNumber(Strict):
    decorated: Regex
    bare: Regex


class Glosses(Strict):
    pattern: Regex


class FurnitureFile(Strict):
    page_number: PageNumber
    glosses: Glosses


# -- item_markers.toml ---------------------------------------------------------


class ItemStyle(Strict):
    name: str
    marker: Regex
    note: str
    after: str | None = None
    ordinals: dict[str, int] | None = None


class PatternOnly(Strict):
    pattern: Regex


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


# -- levels.toml and places.toml -------------------------------------------------

Level = Literal["ministry", "province", "province_dept", "city", "city_dept", "county", "county_dept", "township"]
Tier = Literal["province", "city", "county", "township"]


class Tiers(Strict):
    order: list[Tier]
    levels: dict[Tier, list[Level]]


class SuffixRule(Strict):
    names: list[str]
    tier: Tier
    lowest: Tier | None = None
    highest: Tier | None = None


class SuffixJoin(Strict):
    after: list[str]
    to: list[str]
    gap: Count


class Suffixes(Strict):
    max_body: Count
    rule: list[SuffixRule]
    join: SuffixJoin


class Names(Strict):
    not_in_places: list[str]
    not_places: list[str]
    org_prefixes: list[str]
    connectors: list[str]
    government: Regex
    national: Regex
    national_suffix: Regex
    local_start: Regex


class LevelsFile(Strict):
    levels: dict[Level, str]
    tiers: Tiers
    suffixes: Suffixes
    names: Names


class SpecialPlace(Strict):
    tier: Tier
    parent: str


class PlacesFile(Strict):
    provinces: dict[str, str]
    prefectures: dict[str, list[str]]
    counties: dict[str, str]
    special: dict[str, SpecialPlace]


# -- meta.toml -----------------------------------------------------------------


class MetaParts(Strict):
    AGENCY: Regex
    YEAR: Regex
    REPORT: Regex


class MetaTitle(Strict):
    start: Template
    end: Template
    agency_year: Template
    year_agency: Template
    agency_mid_year: Template
    year_only: Template
    agency_only: Template
    site_separators: Template
    max_joined: Count


class MetaAgency(Strict):
    report_words: Template
    trailing: Template
    ends: Template
    bare: list[str]
    not_words: Template


class MetaBlock(Strict):
    title_keys: list[str]
    agency_keys: list[str]
    date_keys: list[str]
    other_keys: list[str]


class MetaOpening(Strict):
    patterns: list[Template]
    contact: list[Template]
    overview: list[Template]
    overview_reach: Count
    cut: Regex


class MetaSelf(Strict):
    patterns: list[Template]
    reach: Count


class MetaYear(Strict):
    period: Regex


class MetaPublished(Strict):
    header: Regex
    signature: Regex
    signature_window: Count


class MetaFile(Strict):
    parts: MetaParts
    title: MetaTitle
    agency: MetaAgency
    block: MetaBlock
    opening: MetaOpening
    self_: MetaSelf = Field(alias="self")
    year: MetaYear
    published: MetaPublished


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


class ReportLabelsFile(Strict):
    levels: dict[Level, str]
    tiers: dict[Level, str]


SCHEMAS: dict[str, type[BaseModel]] = {
    "claims.toml": ClaimsFile,
    "furniture.toml": FurnitureFile,
    "item_markers.toml": ItemMarkersFile,
    "layouts.toml": LayoutsFile,
    "levels.toml": LevelsFile,
    "meta.toml": MetaFile,
    "places.toml": PlacesFile,
    "problem_patterns.toml": ProblemPatternsFile,
    "reading.toml": ReadingFile,
    "report/labels.toml": ReportLabelsFile,
    "rules.toml": RulesFile,
    "script.toml": ScriptFile,
    "sections.toml": SectionsFile,
    "taxonomy.toml": TaxonomyFile,
}
"""Each data file's model, by its path under ``textmine/data``."""
