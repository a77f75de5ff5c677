"""How well a corpus was read: reading verdicts by format, level and year,
and the reports most in need of a human look.

Every report of the ``reading`` table carries a verdict (``good``, ``check``,
``poor``; :mod:`textmine.reading`).  A report tagged before the table existed
(schema version 1) has none: it counts as ``not_assessed``.  Duplicates are
skipped, as everywhere in the summary.

>>> from textmine import corpus
>>> db = corpus.open("corpus.duckdb")         # doctest: +SKIP
>>> reading_quality(db, by="format")           # doctest: +SKIP
>>> reports_to_check(db, limit=20)             # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .frames import connection_of, insert_interval
from .grouping import level_order
from .store import has_table

if TYPE_CHECKING:
    import pandas as pd

# Groupings of the reading table: the column of ``reports`` each groups by.
READING_GROUPS: dict[str, str] = {"format": "format", "level": "level", "year": "year"}
_VERDICT_ORDER = "CASE q.verdict WHEN 'poor' THEN 0 WHEN 'check' THEN 1 ELSE 2 END"


def _reading_table(con: Any) -> str:
    """The reading table, or an empty stand-in for a version-1 database."""
    if has_table(con, "reading"):
        return "reading"
    return (
        "(SELECT NULL::VARCHAR AS report, NULL::VARCHAR AS verdict, NULL::VARCHAR[] AS reasons, "
        "NULL::DOUBLE AS cell_share, NULL::INTEGER AS identities_fail WHERE false)"
    )


def reading_quality(corpus: Any, by: str = "format") -> pd.DataFrame:
    """Per group (``format``, ``level`` or ``year``): ``reports``, how many
    are ``good``, ``check``, ``poor`` and ``not_assessed``, ``good_share``
    (of the assessed, with its 95 % Wilson interval ``good_share_low``/``_high``), ``cell_share`` (mean share of table cells read, over
    reports with standard tables) and ``identities_fail`` (table identities
    that fail, summed).  Ordered by the group; levels from the top down."""
    if by not in READING_GROUPS:
        raise ValueError(f"cannot group reading quality by {by!r}; choose one of: {', '.join(READING_GROUPS)}")
    con = connection_of(corpus)
    column = f"r.{READING_GROUPS[by]}"
    order = level_order(column) if by == "level" else f"{column} NULLS LAST"
    df = con.execute(f"""
        SELECT {column} AS {by}, count(*) AS reports,
               count(*) FILTER (WHERE q.verdict = 'good') AS good,
               count(*) FILTER (WHERE q.verdict = 'check') AS "check",
               count(*) FILTER (WHERE q.verdict = 'poor') AS poor,
               count(*) FILTER (WHERE q.verdict IS NULL) AS not_assessed,
               CASE WHEN count(q.verdict) > 0
                    THEN count(*) FILTER (WHERE q.verdict = 'good') / count(q.verdict) END AS good_share,
               avg(q.cell_share) AS cell_share,
               CAST(coalesce(sum(q.identities_fail), 0) AS BIGINT) AS identities_fail
        FROM reports r LEFT JOIN {_reading_table(con)} q ON q.report = r.id
        WHERE r.duplicate_of IS NULL
        GROUP BY {column} ORDER BY {order}
    """).df()
    return insert_interval(df, "good_share", df["good"], df["reports"] - df["not_assessed"])


def reports_to_check(corpus: Any, limit: int | None = 20) -> pd.DataFrame:
    """The reports most in need of a human look: ``poor`` first, then
    ``check``; within each, the fewest table cells read first, then the most
    reasons.  Columns: ``report``, ``source``, ``agency``, ``year``,
    ``format``, ``verdict``, ``cell_share``, ``identities_fail``,
    ``reasons``."""
    con = connection_of(corpus)
    limit_sql = f"LIMIT {int(limit)}" if limit else ""
    df = con.execute(f"""
        SELECT r.id AS report, r.source, r.agency, r.year, r.format, q.verdict, q.cell_share,
               q.identities_fail, q.reasons
        FROM reports r JOIN {_reading_table(con)} q ON q.report = r.id
        WHERE r.duplicate_of IS NULL AND q.verdict IN ('poor', 'check')
        ORDER BY {_VERDICT_ORDER}, q.cell_share NULLS FIRST, len(q.reasons) DESC, r.source
        {limit_sql}
    """).df()
    df["reasons"] = [list(v) if v is not None else [] for v in df["reasons"]]
    return df


def reading_overview(corpus: Any) -> dict[str, int]:
    """Counts of good / check / poor / not_assessed over the counted reports."""
    con = connection_of(corpus)
    row = con.execute(f"""
        SELECT count(*) FILTER (WHERE q.verdict = 'good'), count(*) FILTER (WHERE q.verdict = 'check'),
               count(*) FILTER (WHERE q.verdict = 'poor'), count(*) FILTER (WHERE q.verdict IS NULL)
        FROM reports r LEFT JOIN {_reading_table(con)} q ON q.report = r.id
        WHERE r.duplicate_of IS NULL
    """).fetchone()
    return dict(zip(("good", "check", "poor", "not_assessed"), (int(v) for v in row)))


def quality_data(corpus: Any, limit: int | None = 20) -> dict[str, Any]:
    """Every part of the reading summary: ``overview``, ``by`` (format,
    level, year) and ``to_check``."""
    return {
        "overview": reading_overview(corpus),
        "by": {by: reading_quality(corpus, by) for by in READING_GROUPS},
        "to_check": reports_to_check(corpus, limit),
    }
