"""What a corpus database says as a whole: recurring problems and failing checks.

Every figure is computed in SQL over the stored tables and returned as a
pandas DataFrame; :mod:`textmine.corpus.summary_format` writes them as
``textmine summary`` prints them (terminal tables, JSON, CSV).  Two rules
hold everywhere:

* Copies are skipped: a report with ``duplicate_of`` set is the same agency
  and year as another file, which is counted in its place.
* The denominator of a problem share is the reports that *answer* the
  question: non-duplicate reports whose section 五 (``problems``) was found,
  or that have at least one problem item.  A report whose section 五 says
  无 counts, admitting nothing; a report whose section 五 was not found is
  left out, since its silence says nothing.

>>> from textmine import corpus
>>> db = corpus.open("corpus.duckdb")               # doctest: +SKIP
>>> category_shares(db, by="year")                   # doctest: +SKIP
>>> repeat_offenders(db)                             # doctest: +SKIP
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..data.taxonomy import taxonomy_labels
from ..errors import TextmineError
from .frames import connection_of, frame, is_missing, json_records, plain, source_of
from .grouping import GROUPINGS, finish_groups, group_column, group_order

if TYPE_CHECKING:
    import pandas as pd


# Reports that answer "which problems?": see the module docstring.
DENOMINATOR = "non-duplicate reports whose section 五 (problems) was found or that list a problem item"

_ANSWERED = """
    answered AS (
        SELECT r.* FROM reports r
        WHERE r.duplicate_of IS NULL
          AND (EXISTS (SELECT 1 FROM sections s WHERE s.report = r.id AND s.key = 'problems')
               OR EXISTS (SELECT 1 FROM items i WHERE i.report = r.id AND i.kind = 'problem'))
    )"""

_CATEGORIES = """
    cats AS (SELECT unnest(c) AS category, generate_subscripts(c, 1) AS pos FROM (SELECT ?::VARCHAR[] AS c))"""


# A larger ``top`` than any table has rows means "every row"; beyond it a
# count would overflow DuckDB's 64-bit LIMIT (``--top 10**30``).
MAX_TOP = 2**31 - 1


def clamp_top(top: int | None) -> int | None:
    """``top`` as a row count DuckDB and pandas take: None (or 0) for the
    default, at most :data:`MAX_TOP`.  A negative count is a ValueError."""
    if not top:
        return None
    if top < 0:
        raise ValueError(f"top must be a positive number of rows, not {top}")
    return min(int(top), MAX_TOP)


class UnknownCategoryError(TextmineError, ValueError):
    """A category key that is not in the taxonomy."""

    stage = "summary"


def _categories(con: Any) -> list[str]:
    """Taxonomy keys, then any other key the database holds (sorted)."""
    keys = list(taxonomy_labels())
    found = [row[0] for row in con.execute("SELECT DISTINCT category FROM problem_categories ORDER BY 1").fetchall()]
    return keys + [k for k in found if k not in keys]


def require_category(corpus: Any, category: str) -> None:
    """Raise :class:`UnknownCategoryError`, listing the categories, when
    ``category`` is not a taxonomy key nor in the database."""
    known = _categories(connection_of(corpus))
    if category not in known:
        raise UnknownCategoryError(source_of(corpus), f"no category {category!r}; categories: {', '.join(known)}")


def _with_labels(df: pd.DataFrame, after: str = "category") -> pd.DataFrame:
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
    share`` (share in 0–1; denominator: :data:`DENOMINATOR`), ordered by
    group, then share (highest first), then taxonomy order.
    """
    con = connection_of(corpus)
    g = group_column(by)
    df = frame(
        con,
        f"""
        WITH {_ANSWERED}, {_CATEGORIES},
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
        [_categories(con)],
    )
    return _with_labels(finish_groups(df, by))


def category_trend(corpus: Any, min_reports: int = 3) -> pd.DataFrame:
    """Each category's share overall and by year, with its trend.

    The trend is the least-squares slope of the yearly share against the
    year, in percentage points per year, over the years with at least
    ``min_reports`` reports (only those years get a column; a trend needs
    two of them, else it is null).

    Returns
    -------
    DataFrame with columns ``category, label, admitting, reports, share,
    trend_pp, years`` (how many years the trend used) and one share column
    per year (``"2021"``, …), ordered by share (highest first).
    """
    con = connection_of(corpus)
    shares = f"""
        WITH {_ANSWERED}, {_CATEGORIES},
        per_year AS (SELECT year, count(*) AS reports FROM answered WHERE year IS NOT NULL
                     GROUP BY year HAVING count(*) >= ?),
        admits AS (SELECT r.year, pc.category, count(*) AS admitting
                   FROM answered r JOIN problem_categories pc ON pc.report = r.id GROUP BY ALL),
        shares AS (SELECT c.category, c.pos, y.year, coalesce(a.admitting, 0) / y.reports AS share
                   FROM per_year y CROSS JOIN cats c
                   LEFT JOIN admits a ON a.year = y.year AND a.category = c.category)"""
    params = [_categories(con), min_reports]
    yearly = frame(con, shares + " SELECT category, year, share FROM shares ORDER BY pos, year", params)
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
    if not yearly.empty:
        wide = yearly.pivot(index="category", columns="year", values="share")
        wide.columns = [str(int(y)) for y in wide.columns]
        df = df.merge(wide, left_on="category", right_index=True, how="left")
    return df.reset_index(drop=True)


def category_examples(
    corpus: Any, category: str, limit: int = 5, *, width: int = 80, kind: str = "problem"
) -> pd.DataFrame:
    """Quotes of ``category``: items that admit it, with their sources.

    Items come from different agencies first (one per agency, newest year
    first), then more of each.  ``quote`` is the item's text cut to
    ``width`` characters; ``match`` the first pattern match that labelled
    it (null when only the model did); ``start``/``end`` are offsets in the
    report's text (:meth:`Corpus.text`).

    Raises
    ------
    UnknownCategoryError
        When ``category`` is not a taxonomy key nor in the database.
    """
    con = connection_of(corpus)
    require_category(corpus, category)
    limit = clamp_top(limit) or 0
    df = frame(
        con,
        """
        SELECT i.report, r.source, r.agency, r.region, r.level, r.year, i.kind, i.idx, i.start, i."end",
               i.text, i.evidence
        FROM items i JOIN reports r ON r.id = i.report
        WHERE r.duplicate_of IS NULL AND i.kind = ? AND list_contains(i.categories, ?)
        ORDER BY row_number() OVER (PARTITION BY coalesce(r.agency_key, r.id)
                                    ORDER BY r.year DESC NULLS LAST, r.source, i.idx),
                 r.year DESC NULLS LAST, r.source, i.idx
        LIMIT ?
    """,
        [kind, category, limit],
    )
    df.insert(df.columns.get_loc("text"), "quote", [_shorten(t, width) for t in df["text"]])
    df["match"] = [_first_match(e, category) for e in df["evidence"]]
    return df.drop(columns=["text", "evidence"])


def _shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_match(evidence: str | None, category: str) -> str | None:
    try:
        found = json.loads(evidence or "{}").get(category, [])
    except json.JSONDecodeError:
        return None
    return next((e["match"] for e in found if e.get("match")), None)


def repeat_offenders(corpus: Any, min_years: int = 2) -> pd.DataFrame:
    """Agencies that admit the same problem category in consecutive years.

    Built on the ``recurrences`` view (a category admitted again the year
    after): consecutive recurrences chain into one run.

    Returns
    -------
    DataFrame with columns ``agency_key, agency`` (latest name), ``region,
    level, category, label, first, last, run`` (years in the run, ≥ 2),
    ``years`` (list) and ``reports`` (their ids, oldest first), runs of at
    least ``min_years`` years, longest first.
    """
    con = connection_of(corpus)
    df = frame(
        con,
        """
        WITH rec AS (SELECT DISTINCT agency_key, category, year FROM recurrences),
        islands AS (SELECT *, year - row_number() OVER (PARTITION BY agency_key, category ORDER BY year) AS island
                    FROM rec),
        runs AS (SELECT agency_key, category, min(year) - 1 AS first, max(year) AS last
                 FROM islands GROUP BY agency_key, category, island)
        SELECT runs.agency_key, arg_max(r.agency, r.year) AS agency, arg_max(r.region, r.year) AS region,
               arg_max(r.level, r.year) AS level, runs.category, runs.first, runs.last,
               (runs.last - runs.first + 1)::BIGINT AS run,
               list(r.year ORDER BY r.year) AS years, list(r.id ORDER BY r.year) AS reports
        FROM runs JOIN reports r ON r.agency_key = runs.agency_key AND r.year BETWEEN runs.first AND runs.last
                                AND r.duplicate_of IS NULL
        GROUP BY ALL
        HAVING run >= ?
        ORDER BY run DESC, runs.last DESC, runs.agency_key, runs.category
    """,
        [min_years],
    )
    for column in ("years", "reports"):
        df[column] = [list(v) for v in df[column]]
    return _with_labels(df).reset_index(drop=True)


def failing_rules(corpus: Any, by: str | None = None) -> pd.DataFrame:
    """Which check rules fail most, and where.

    Per rule (and group): ``fails``, ``passes``, ``skips``, ``runs``
    (pass + fail: a skip is not a run), ``fail_share`` (fails / runs, null
    without runs), ``reports`` (with any result of the rule) and
    ``reports_failing``, and one failing example (the first by source and
    scope): its report, source, scope, cells, left and right values and
    message.  Duplicate reports are skipped.  Ordered by group, fails
    (most first), fail share, rule.
    """
    con = connection_of(corpus)
    g = group_column(by)
    df = frame(
        con,
        f"""
        WITH c AS (
            SELECT ch.*, {g} AS grp, r.agency, r.year AS report_year, r.source
            FROM checks ch JOIN reports r ON r.id = ch.report
            WHERE r.duplicate_of IS NULL
        ),
        agg AS (
            SELECT grp, arg_max(agency, report_year) AS agency, rule, min(severity) AS severity,
                   count(*) FILTER (WHERE status = 'fail') AS fails,
                   count(*) FILTER (WHERE status = 'pass') AS passes,
                   count(*) FILTER (WHERE status = 'skip') AS skips,
                   count(DISTINCT report) AS reports,
                   count(DISTINCT report) FILTER (WHERE status = 'fail') AS reports_failing
            FROM c GROUP BY grp, rule
        ),
        ex AS (
            SELECT grp, rule, report, source, scope, cells, lhs, rhs, message,
                   row_number() OVER (PARTITION BY grp, rule ORDER BY source, scope NULLS FIRST, report) AS n
            FROM c WHERE status = 'fail'
        )
        SELECT agg.grp, agg.agency, agg.rule, agg.severity, agg.fails, agg.passes, agg.skips,
               agg.fails + agg.passes AS runs,
               CASE WHEN agg.fails + agg.passes > 0 THEN agg.fails / (agg.fails + agg.passes) END AS fail_share,
               agg.reports, agg.reports_failing,
               ex.report AS example_report, ex.source AS example_source, ex.scope AS example_scope,
               ex.cells AS example_cells, ex.lhs AS example_lhs, ex.rhs AS example_rhs,
               ex.message AS example_message
        FROM agg LEFT JOIN ex ON ex.grp IS NOT DISTINCT FROM agg.grp AND ex.rule = agg.rule AND ex.n = 1
        ORDER BY {group_order(by, "agg.grp")} agg.fails DESC, fail_share DESC NULLS LAST, agg.rule
    """,
    )
    df["example_cells"] = [None if v is None or is_missing(v) else list(v) for v in df["example_cells"]]
    return finish_groups(df, by).reset_index(drop=True)


def corpus_overview(corpus: Any) -> pd.DataFrame:
    """One row: ``reports`` (files stored), ``duplicates``, ``counted``
    (reports minus duplicates), ``with_problems`` (the share denominator),
    ``errors`` (files that failed), ``first_year``/``last_year``, ``no_year``,
    and ``formats``/``levels``: dicts of counted reports per format and level
    (``null`` for reports whose level is unknown)."""
    import pandas as pd

    con = connection_of(corpus)
    df = frame(
        con,
        f"""
        WITH {_ANSWERED}
        SELECT count(*) AS reports,
               count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates,
               count(*) FILTER (WHERE duplicate_of IS NULL) AS counted,
               (SELECT count(*) FROM answered) AS with_problems,
               (SELECT count(*) FROM errors) AS errors,
               min(year) FILTER (WHERE duplicate_of IS NULL) AS first_year,
               max(year) FILTER (WHERE duplicate_of IS NULL) AS last_year,
               count(*) FILTER (WHERE duplicate_of IS NULL AND year IS NULL) AS no_year
        FROM reports
    """,
    )
    counts = {}
    for column in ("format", "level"):
        rows = con.execute(f"""
            SELECT coalesce({column}, 'null'), count(*) FROM reports WHERE duplicate_of IS NULL
            GROUP BY 1 ORDER BY 2 DESC, 1
        """).fetchall()
        counts[column + "s"] = dict(rows)
    row = {k: plain(v) for k, v in df.iloc[0].items()}
    return pd.DataFrame([{**row, **counts}])


def shares_table(corpus: Any, *, by: str | None = None, category: str | None = None) -> pd.DataFrame:
    """The main table (``textmine summary --csv``): :func:`category_shares`
    grouped ``by``, only ``category``'s rows when given."""
    if category is not None:
        require_category(corpus, category)
    df = category_shares(connection_of(corpus), by=by)
    if category is not None:
        df = df[df["category"] == category]
    return df


def summary_data(
    corpus: Any, *, by: str | None = None, category: str | None = None, top: int | None = None, min_reports: int = 3
) -> dict[str, Any]:
    """Every part of the summary as DataFrames (and the overview as a dict).

    Keys: ``overview``, ``trend`` (overall shares with the trend and yearly
    shares), ``by`` (shares by the grouping, or None), ``repeat_offenders``,
    ``failing_rules``, ``failing_rules_by`` (by the grouping, default
    level), ``reading`` (how well the reports were read: verdicts by format,
    level and year, the reports to look at; :mod:`textmine.corpus.quality`),
    and with ``category`` a ``category`` dict: its ``by_year``
    shares, ``by`` group shares, ``examples`` and ``repeat_offenders``.
    ``top`` cuts the example list (default 5); the tables are whole.
    """
    from . import quality  # on use: it brings in the store's imports

    top = clamp_top(top)
    con = connection_of(corpus)
    if category is not None:
        require_category(corpus, category)
    where = by or "level"
    data: dict[str, Any] = {
        "overview": json_records(corpus_overview(con))[0],
        "trend": category_trend(con, min_reports=min_reports),
        "by": category_shares(con, by=by) if by else None,
        "repeat_offenders": repeat_offenders(con),
        "failing_rules": failing_rules(con),
        "failing_rules_by": failing_rules(con, by=where),
        "failing_rules_by_key": GROUPINGS[where],
        "reading": quality.quality_data(con, limit=max(top or 20, 20)),
        "category": None,
    }
    if category is not None:
        years = category_shares(con, by="year")
        grouped = data["by"] if by else None
        offenders = data["repeat_offenders"]
        data["category"] = {
            "key": category,
            "label": taxonomy_labels().get(category, category),
            "overall": data["trend"][data["trend"]["category"] == category].reset_index(drop=True),
            "by_year": years[years["category"] == category].reset_index(drop=True),
            "by": None if grouped is None else grouped[grouped["category"] == category].reset_index(drop=True),
            "examples": category_examples(con, category, limit=top or 5),
            "repeat_offenders": offenders[offenders["category"] == category].reset_index(drop=True),
        }
    return data
