"""Schemas of the files that name an agency: its title and metadata, places, levels."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Count, Regex, Strict, Template

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


# -- report/labels.toml --------------------------------------------------------------


class ReportLabelsFile(Strict):
    levels: dict[Level, str]
    tiers: dict[Level, str]


# -- summary.toml ---------------------------------------------------------------


class Bilingual(Strict):
    zh: str
    en: str


class SummaryLabelsFile(Strict):
    tables: dict[str, Bilingual]
    columns: dict[str, Bilingual]
    phrases: dict[str, Bilingual]
    findings: dict[str, Bilingual]


# -- messages_zh.toml -----------------------------------------------------------


class MessagePattern(Strict):
    en: Regex
    zh: str


class MessagesFile(Strict):
    message: list[MessagePattern]
