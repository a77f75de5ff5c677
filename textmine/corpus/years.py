"""The cross-year pass over a corpus database.

1. Copies: several files of one agency and year (the same report as HTML and
   as text) keep one report counted; the others get ``duplicate_of``.
2. Each agency's report is linked to its report of the year before (same
   ``agency_key``: normalised agency name + region) and the cross-year checks
   (``year.carry``, ``year.in_force``) run on the pair, stored in ``checks``
   with ``previous`` set.  The pass replaces its own earlier results, so it
   can run after every tagging run.

Recurring problems need no pass: the ``recurrences`` view joins the years.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from ..checks import check_across_years, load_rules, tables_of
from ..record import Record
from .rows import check_row
from .store import insert_rows, transaction

# Pairs whose cells are loaded at once: bounded memory on a national corpus.
_CHUNK = 500


def mark_duplicates(con: Any) -> int:
    """Set ``duplicate_of`` on all but one report per (agency_key, year): the
    one kept has the most cells (then the first source).  Returns how many."""
    with transaction(con):
        con.execute("UPDATE reports SET duplicate_of = NULL WHERE duplicate_of IS NOT NULL")
        con.execute("""
            UPDATE reports SET duplicate_of = ranked.keep
            FROM (
                SELECT r.id, first_value(r.id) OVER w AS keep, row_number() OVER w AS rank
                FROM reports r LEFT JOIN (SELECT report, count(*) AS n FROM cells GROUP BY report) c ON c.report = r.id
                WHERE r.agency_key IS NOT NULL AND r.year IS NOT NULL
                WINDOW w AS (PARTITION BY r.agency_key, r.year ORDER BY coalesce(c.n, 0) DESC, r.source, r.id)
            ) AS ranked
            WHERE reports.id = ranked.id AND ranked.rank > 1
        """)
    return con.execute("SELECT count(*) FROM reports WHERE duplicate_of IS NOT NULL").fetchone()[0]


_PAIRS = """
    SELECT p.id AS previous, r.id AS report, row_number() OVER (ORDER BY r.agency_key, r.year) - 1 AS n
    FROM reports r
    JOIN reports p ON p.agency_key = r.agency_key AND p.year = r.year - 1
    WHERE r.duplicate_of IS NULL AND p.duplicate_of IS NULL
"""


@lru_cache(maxsize=1)
def cross_year_tables() -> tuple[str, ...]:
    """The tables the cross-year rules read."""
    return tuple(sorted({t for rule in load_rules() if rule.expr and rule.across for t in tables_of(rule)}))


@lru_cache(maxsize=1)
def cross_year_key_patterns() -> tuple[str, ...]:
    """The cells the cross-year rules read, as SQL LIKE patterns over
    ``cells.key`` (a rule's scope, ``{col}`` or ``{item}``, as ``%``)."""
    patterns = set()
    for rule in load_rules():
        if rule.expr and rule.across:
            for ref in re.findall(r"(t[234](?:\.(?:\w+|\{\w+\}))+)", rule.expr):
                patterns.add(re.sub(r"\{\w+\}", "%", ref))
    return tuple(sorted(patterns))


def _select_year_cells(con: Any) -> None:
    """``_year_cells``: the cells the cross-year rules read, and one number of
    each table they read, if it has any (a rule skips a table with no values
    at all), for every report in a pair.  One scan of ``cells`` for the pass:
    a tenth of the cells, where a scan per chunk of pairs was most of it."""
    patterns = cross_year_key_patterns()
    wanted = " OR ".join("key LIKE ?" for _ in patterns)
    paired = "SELECT report FROM _year_pairs UNION SELECT previous FROM _year_pairs"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _year_cells AS
            SELECT report, tbl, key, value FROM cells WHERE report IN ({paired}) AND ({wanted})
            UNION ALL
            SELECT report, tbl, min(key), arg_min(value, key) FROM cells
            WHERE report IN ({paired}) AND value IS NOT NULL AND list_contains(?, tbl)
            GROUP BY report, tbl""",
        [*patterns, list(cross_year_tables())],
    )


def _records(con: Any, first: int, last: int) -> dict[str, Record]:
    """Just enough of each report in pairs ``first``..``last`` (exclusive)
    for the cross-year checks: its meta and the cells ``_year_cells`` holds."""
    records: dict[str, Record] = {}
    ids = f"""SELECT previous AS id FROM _year_pairs WHERE n >= {first:d} AND n < {last:d}
              UNION SELECT report FROM _year_pairs WHERE n >= {first:d} AND n < {last:d}"""
    for rid, source, key, year, layout in con.execute(
        f"SELECT id, source, agency_key, year, layout FROM reports JOIN ({ids}) USING (id)"
    ).fetchall():
        # Linked by agency_key: two spellings of one agency are one agency here.
        records[rid] = Record(source=source, meta={"agency": key, "year": year, "layout": layout})
    for rid, table, key, value in con.execute(
        f"SELECT report, tbl, key, value FROM _year_cells JOIN ({ids}) ON report = id"
    ).fetchall():
        records[rid].tables.setdefault(table, {})[key.split(".", 1)[1]] = _as_stored(value)
    return records


def _as_stored(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def link_years_in_db(con: Any) -> dict[str, int]:
    """Run the whole pass; returns counts (duplicates, pairs, year checks).

    The year checks are replaced in one transaction, a chunk of pairs at a
    time, so memory stays flat however many years and agencies there are."""
    duplicates = mark_duplicates(con)
    by_status: dict[str, int] = defaultdict(int)
    with transaction(con):
        con.execute("DELETE FROM checks WHERE previous IS NOT NULL")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _year_pairs AS {_PAIRS}")
        n_pairs = con.execute("SELECT count(*) FROM _year_pairs").fetchone()[0]
        _select_year_cells(con)
        for first in range(0, n_pairs, _CHUNK):
            records = _records(con, first, first + _CHUNK)
            chunk = con.execute(
                "SELECT previous, report FROM _year_pairs WHERE n >= ? AND n < ? ORDER BY n", [first, first + _CHUNK]
            ).fetchall()
            rows = [
                check_row(current, check, previous=previous)
                for previous, current in chunk
                for check in check_across_years(records[previous], records[current])
            ]
            insert_rows(con, "checks", rows)
            for row in rows:
                by_status[row[3]] += 1
        con.execute("DROP TABLE _year_cells")
        con.execute("DROP TABLE _year_pairs")
    return {"duplicates": duplicates, "pairs": n_pairs, **{f"year_{k}": v for k, v in by_status.items()}}
