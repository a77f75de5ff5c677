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

from ..data.taxonomy import category_key, taxonomy_labels
from ..errors import UnknownCategoryError
from .frames import connection_of, frame, insert_interval, is_missing, json_records, plain, source_of
from .grouping import GROUPINGS, finish_groups, group_column, group_order
from .shares import (
    ANSWERED,
    DENOMINATOR,
    categories_of,
    category_shares,
    category_trend,
    with_labels,
    year_counts,
)

__all__ = [
    "DENOMINATOR",
    "UnknownCategoryError",
    "category_examples",
    "category_shares",
    "category_trend",
    "corpus_overview",
    "failing_rules",
    "repeat_offenders",
    "require_category",
    "shares_table",
    "summary_data",
    "year_counts",
]

if TYPE_CHECKING:
    import pandas as pd


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


def require_category(corpus: Any, category: str) -> str:
    """``category`` (a key, or the taxonomy's Chinese name) as a key; raise
    :class:`~textmine.errors.UnknownCategoryError`, listing the categories,
    when it is neither a taxonomy category nor a key the database holds."""
    known = categories_of(connection_of(corpus))
    if category in known:
        return category
    try:
        return category_key(category, source_of(corpus))
    except UnknownCategoryError:
        raise UnknownCategoryError(
            source_of(corpus), f"no category {category!r}; categories: {', '.join(known)}"
        ) from None


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
    category = require_category(corpus, category)
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
    return with_labels(df).reset_index(drop=True)


def failing_rules(corpus: Any, by: str | None = None) -> pd.DataFrame:
    """Which check rules fail most, and where.

    Per rule (and group): ``fails``, ``passes``, ``skips``, ``runs``
    (pass + fail: a skip is not a run), ``fail_share`` (fails / runs, null
    without runs), ``reports`` (with any result of the rule) and
    ``reports_failing``, and one failing example (the first by source and
    scope): its report, source, scope, cells, left and right values and
    message.  ``fail_share_low``/``fail_share_high``: its 95 % Wilson
    interval.  Duplicate reports are skipped.  Ordered by group, fails
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
    insert_interval(df, "fail_share", df["fails"], df["runs"])
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
        WITH {ANSWERED}
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
        category = require_category(corpus, category)
    df = category_shares(connection_of(corpus), by=by)
    if category is not None:
        df = df[df["category"] == category]
    return df


def about(corpus: Any, *, min_reports: int = 3) -> dict[str, Any]:
    """What a summary's figures are of: the database, the filter and the
    corrections applied (a :class:`~textmine.corpus.api.Corpus`'s lens), the
    denominator of the shares and the fewest reports a year's share needs."""
    lens = getattr(corpus, "lens", None)
    return {
        "database": source_of(corpus),
        "filter": lens.filter.describe() if lens is not None and lens.filter is not None else "",
        "filter_zh": lens.filter.describe("zh") if lens is not None and lens.filter is not None else "",
        "corrections_applied": lens.n_applied if lens is not None else 0,
        "corrections": len(lens.applied) if lens is not None else 0,
        "corrections_from": lens.corrections_from if lens is not None else None,
        "denominator": DENOMINATOR,
        "min_reports": min_reports,
        "interval": "95% Wilson score interval; trend_p: Cochran–Armitage test against no change",
    }


def summary_data(
    corpus: Any, *, by: str | None = None, category: str | None = None, top: int | None = None, min_reports: int = 3
) -> dict[str, Any]:
    """Every part of the summary as DataFrames (and the overview as a dict).

    Keys: ``about`` (what the figures are of: :func:`about`),
    ``overview``, ``trend`` (overall shares with the trend and yearly
    shares), ``years`` (each year's reports, and whether it has a column), ``by`` (shares by the grouping, or None), ``repeat_offenders``,
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
        category = require_category(corpus, category)
    where = by or "level"
    data: dict[str, Any] = {
        "overview": json_records(corpus_overview(con))[0],
        "about": about(corpus, min_reports=min_reports),
        "trend": category_trend(con, min_reports=min_reports),
        "years": year_counts(con, min_reports=min_reports),
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
