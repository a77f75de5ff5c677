"""Which reports a summary, a page or a notebook is about.

One :class:`ReportFilter` is turned into one SQL condition over the
``reports`` table, so the CLI (``summary``/``report`` options), the HTML page
and :func:`textmine.corpus.open` select the same rows.

>>> f = ReportFilter(since=2021, region="福建省", category="审核把关不严")
>>> f.describe()
'2021 onward · region 福建省 · category review (审核把关不严)'
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from ..data import load_toml
from ..data.taxonomy import category_key, taxonomy_labels
from ..errors import TextmineError
from .labels import phrase


class FilterError(TextmineError, ValueError):
    """A filter value that selects nothing by construction (an unknown level,
    a ``since`` after ``until``; an unknown category is
    :class:`~textmine.errors.UnknownCategoryError`)."""

    stage = "summary"


@lru_cache(maxsize=1)
def _levels() -> dict[str, str]:
    """Level key → its description (``levels.toml``)."""
    return dict(load_toml("levels.toml")["levels"])


@dataclass(frozen=True)
class ReportFilter:
    """Reports of a year range, a region (a province or city includes what
    lies under it), a level, an agency (substring of its name) and that admit
    a problem category. Duplicates (another format of a stored report) are
    always left out, as every summary does."""

    year: int | None = None
    since: int | None = None
    until: int | None = None
    region: str | None = None
    level: str | None = None
    agency: str | None = None
    category: str | None = None

    def __post_init__(self) -> None:
        if self.category is not None:
            object.__setattr__(self, "category", category_key(self.category))
        if self.level is not None and self.level not in _levels():
            raise FilterError(None, f"no level {self.level!r}; levels: {', '.join(_levels())}")
        low, high = self.years()
        if low is not None and high is not None and low > high:
            raise FilterError(None, f"the years run from {low} to {high}: nothing lies between")

    def years(self) -> tuple[int | None, int | None]:
        """The first and last year selected (None: open)."""
        if self.year is not None:
            return (max(self.year, self.since or self.year), min(self.year, self.until or self.year))
        return self.since, self.until

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

    def where(self, alias: str = "r", categories: str = "problem_categories") -> tuple[str, list[Any]]:
        """The SQL condition over ``reports AS alias`` and its parameters;
        ``categories``: the relation of each report's problem categories."""
        terms = [f"{alias}.duplicate_of IS NULL"]
        params: list[Any] = []
        low, high = self.years()
        if low is not None:
            terms.append(f"{alias}.year >= ?")
            params.append(low)
        if high is not None:
            terms.append(f"{alias}.year <= ?")
            params.append(high)
        if self.region:
            # Regions are stored whole (甘肃省定西市通渭县): a province or a city
            # given alone selects every report under it.
            terms.append(f"strpos({alias}.region, ?) > 0")
            params.append(self.region)
        if self.level:
            terms.append(f"{alias}.level = ?")
            params.append(self.level)
        if self.agency:
            terms.append(f"strpos({alias}.agency, ?) > 0")
            params.append(self.agency)
        if self.category:
            terms.append(f"EXISTS (SELECT 1 FROM {categories} pc WHERE pc.report = {alias}.id AND pc.category = ?)")
            params.append(self.category)
        return " AND ".join(terms), params

    def describe(self, lang: str = "en") -> str:
        """The filter in words (``lang`` en or zh; the words are
        ``summary.toml``'s), for a page or an export (empty: every report)."""
        low, high = self.years()
        parts = []
        if low is not None and low == high:
            parts.append(phrase("filter_year", lang, year=low))
        elif high is None and low is not None:
            parts.append(phrase("filter_since", lang, year=low))
        elif low is None and high is not None:
            parts.append(phrase("filter_until", lang, year=high))
        elif low is not None:
            parts.append(phrase("filter_years", lang, low=low, high=high))
        for name in ("region", "level", "agency"):
            value = getattr(self, name)
            if value:
                parts.append(phrase(f"filter_{name}", lang, value=value))
        if self.category:
            parts.append(phrase("filter_category", lang, key=self.category, label=taxonomy_labels()[self.category]))
        return " · ".join(parts)
