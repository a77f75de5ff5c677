"""How many reports admit each problem category: shares with their
intervals, by year with a trend and its test.

A share's denominator is the reports that *answer* the question
(:data:`DENOMINATOR`): non-duplicate reports whose section 五 was found, or
that list a problem item; a report whose section 五 says 无 counts,
admitting nothing.  Every share carries its 95 % Wilson interval
(``share_low``/``share_high``) and its n (``reports``); a trend, the
p-value of the Cochran–Armitage test against no change (``trend_p``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..data.taxonomy import taxonomy_labels
from ..metrics import trend_test
from .frames import connection_of, frame, insert_interval
from .grouping import finish_groups, group_column, group_order

if TYPE_CHECKING:
    import pandas as pd

# Reports that answer "which problems?": see the module docstring.
DENOMINATOR = "non-duplicate reports whose section 五 (problems) was found or that list a problem item"

ANSWERED = """
    answered AS (
        SELECT r.* FROM reports r
        WHERE r.duplicate_of IS NULL
          AND (EXISTS (SELECT 1 FROM sections s WHERE s.report = r.id AND s.key = 'problems')
               OR EXISTS (SELECT 1 FROM items i WHERE i.report = r.id AND i.kind = 'problem'))
    )"""

_CATEGORIES = """
    cats AS (SELECT unnest(c) AS category, generate_subscripts(c, 1) AS pos FROM (SELECT ?::VARCHAR[] AS c))"""


def categories_of(con: Any) -> list[str]:
    """Taxonomy keys, then any other key the database holds (sorted)."""
    keys = list(taxonomy_labels())
    found = [row[0] for row in con.execute("SELECT DISTINCT category FROM problem_categories ORDER BY 1").fetchall()]
    return keys + [k for k in found if k not in keys]


def with_labels(df: pd.DataFrame, after: str = "category") -> pd.DataFrame:
    labels = taxonomy_labels()
    df.insert(df.columns.get_loc(after) + 1, "label", [labels.get(k, k) for k in df[after]])
    return df


def category_shares(corpus: Any, by: str | None = None) -> pd.DataFrame:
    """Per category (every taxonomy key, zeros included): the reports
    admitting it as a problem, the reports in the group, and the share.

    Parameters
    ----------
    corpus : Corpus or DuckDB connection
    by : None, "year", "region", "level" or "agency"
        Group the reports; ``agency`` groups by ``agency_key`` and adds the
        agency's latest name.

    Returns
    -------
    DataFrame with columns ``[group…,] category, label, admitting, reports,
    share, share_low, share_high`` (share in 0–1 with its 95 % Wilson
    interval; denominator: :data:`DENOMINATOR`), ordered by group, then
    share (highest first), then taxonomy order.
    """
    con = connection_of(corpus)
    g = group_column(by)
    df = frame(
        con,
        f"""
        WITH {ANSWERED}, {_CATEGORIES},
        groups AS (SELECT {g} AS grp, count(*) AS reports, arg_max(r.agency, r.year) AS agency
                   FROM answered r GROUP BY ALL),
        admits AS (SELECT {g} AS grp, pc.category, count(*) AS admitting
                   FROM answered r JOIN problem_categories pc ON pc.report = r.id GROUP BY ALL)
        SELECT g.grp, g.agency, c.category, coalesce(a.admitting, 0)::BIGINT AS admitting, g.reports,
               coalesce(a.admitting, 0) / g.reports AS share
        FROM groups g CROSS JOIN cats c
        LEFT JOIN admits a ON a.grp IS NOT DISTINCT FROM g.grp AND a.category = c.category
        ORDER BY {group_order(by, "g.grp")} share DESC, c.pos
    """,
        [categories_of(con)],
    )
    df = with_labels(finish_groups(df, by))
    return insert_interval(df, "share", df["admitting"], df["reports"])


def category_trend(corpus: Any, min_reports: int = 3) -> pd.DataFrame:
    """Each category's share overall and by year, with its trend.

    The trend is the least-squares slope of the yearly share against the
    year, in percentage points per year, over the years with at least
    ``min_reports`` reports (only those years get a column, :func:`year_counts`
    lists the others; a trend needs two of them, else it is null), and
    ``trend_p`` the p-value of the Cochran–Armitage test of those years'
    counts against no change.

    Returns
    -------
    DataFrame with columns ``category, label, admitting, reports, share,
    share_low, share_high, trend_pp, trend_p, years`` (how many years the
    trend used) and one share column per year (``"2021"``, …), ordered by
    share (highest first).
    """
    con = connection_of(corpus)
    shares = f"""
        WITH {ANSWERED}, {_CATEGORIES},
        per_year AS (SELECT year, count(*) AS reports FROM answered WHERE year IS NOT NULL
                     GROUP BY year HAVING count(*) >= ?),
        admits AS (SELECT r.year, pc.category, count(*) AS admitting
                   FROM answered r JOIN problem_categories pc ON pc.report = r.id GROUP BY ALL),
        shares AS (SELECT c.category, c.pos, y.year, coalesce(a.admitting, 0) AS admitting, y.reports,
                          coalesce(a.admitting, 0) / y.reports AS share
                   FROM per_year y CROSS JOIN cats c
                   LEFT JOIN admits a ON a.year = y.year AND a.category = c.category)"""
    params = [categories_of(con), min_reports]
    yearly = frame(
        con, shares + " SELECT category, year, admitting, reports, share FROM shares ORDER BY pos, year", params
    )
    trend = frame(
        con,
        shares
        + """
        SELECT category, CASE WHEN count(*) >= 2 THEN 100 * regr_slope(share, year) END AS trend_pp,
               count(*) AS years
        FROM shares GROUP BY category
    """,
        params,
    )
    overall = category_shares(con)
    df = overall.merge(trend, on="category", how="left")
    df["years"] = df["years"].fillna(0).astype(int)
    tests = {
        category: trend_test(list(rows["year"]), list(rows["admitting"]), list(rows["reports"]))
        for category, rows in yearly.groupby("category", sort=False)
    }
    df.insert(df.columns.get_loc("trend_pp") + 1, "trend_p", [tests.get(c) for c in df["category"]])
    if not yearly.empty:
        wide = yearly.pivot(index="category", columns="year", values="share")
        wide.columns = [str(int(y)) for y in wide.columns]
        df = df.merge(wide, left_on="category", right_index=True, how="left")
    return df.reset_index(drop=True)


def year_counts(corpus: Any, min_reports: int = 3) -> pd.DataFrame:
    """Every year of the answering reports: ``year, reports`` and ``shown``
    (whether it has the ``min_reports`` a yearly share needs); reports
    without a year are a row of their own (``year`` null, never shown)."""
    con = connection_of(corpus)
    return frame(
        con,
        f"""
        WITH {ANSWERED}
        SELECT year, count(*) AS reports, year IS NOT NULL AND count(*) >= ? AS shown
        FROM answered GROUP BY year ORDER BY year NULLS LAST
    """,
        [min_reports],
    )
