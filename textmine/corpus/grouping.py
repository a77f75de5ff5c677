"""The groups a corpus is summarised by (``--by``) and their SQL.

The summary (:mod:`textmine.corpus.summary`), its terminal tables and the
reading-quality tables (:mod:`textmine.corpus.quality`) group reports the
same way: by a column of ``reports``, administrative levels from the top
down, missing values last.

>>> group_column("region")
'r.region'
>>> level_order("r.level").split(" WHEN ")[:3]
['CASE r.level', "'ministry' THEN 0", "'province' THEN 1"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# Groupings ``--by`` accepts: the column of ``reports`` each one groups by.
GROUPINGS: dict[str, str] = {"year": "year", "region": "region", "level": "level", "agency": "agency_key"}

# The column each grouping adds → the grouping's name, for titles.
GROUP_NAMES: dict[str, str] = {column: name for name, column in GROUPINGS.items()}

# Administrative levels from the top down, for ordering (null last).
LEVEL_ORDER: tuple[str, ...] = (
    "ministry",
    "province",
    "province_dept",
    "city",
    "city_dept",
    "county",
    "county_dept",
    "township",
)


def group_column(by: str | None) -> str:
    """The SQL expression a query groups ``reports r`` by (``NULL``: one group)."""
    if by is None:
        return "NULL"
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of: {', '.join(GROUPINGS)}")
    return f"r.{GROUPINGS[by]}"


def level_order(column: str) -> str:
    """ORDER BY terms for a column of levels: top down, unknown levels after
    the known, then by name, nulls last."""
    cases = " ".join(f"WHEN '{lv}' THEN {n}" for n, lv in enumerate(LEVEL_ORDER))
    return f"CASE {column} {cases} ELSE {len(LEVEL_ORDER)} END, {column} NULLS LAST"


def group_order(by: str | None, column: str) -> str:
    """ORDER BY terms for a group column, ending in a comma for the terms
    that follow: levels top-down, nulls last; nothing when not grouped."""
    if by is None:
        return ""
    if by == "level":
        return f"{level_order(column)}, "
    return f"{column} NULLS LAST, "


def finish_groups(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Rename ``grp`` to the grouping's column (``agency_key`` keeps the
    latest agency name beside it); drop it when not grouped."""
    if by is None:
        return df.drop(columns=["grp", "agency"], errors="ignore")
    df = df.rename(columns={"grp": GROUPINGS[by]})
    if by != "agency":
        df = df.drop(columns=["agency"], errors="ignore")
    return df
