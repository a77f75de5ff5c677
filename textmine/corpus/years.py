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


def year_pairs(con: Any) -> list[tuple[str, str]]:
    """(previous, current) report ids of one agency in consecutive years."""
    return con.execute("""
        SELECT p.id, r.id FROM reports r
        JOIN reports p ON p.agency_key = r.agency_key AND p.year = r.year - 1
        WHERE r.duplicate_of IS NULL AND p.duplicate_of IS NULL
        ORDER BY r.agency_key, r.year
    """).fetchall()


@lru_cache(maxsize=1)
def cross_year_tables() -> tuple[str, ...]:
    """The tables the cross-year rules read: whole, since a rule may skip on a
    table with no values at all."""
    return tuple(sorted({t for rule in load_rules() if rule.expr and rule.across for t in tables_of(rule)}))


def _records(con: Any, ids: list[str]) -> dict[str, Record]:
    """Just enough of each stored report for the cross-year checks: its
    meta and the tables those rules read."""
    records: dict[str, Record] = {}
    placeholders = ", ".join("?" for _ in ids)
    tables = cross_year_tables()
    for rid, source, key, year, layout in con.execute(
        f"SELECT id, source, agency_key, year, layout FROM reports WHERE id IN ({placeholders})", ids
    ).fetchall():
        # Linked by agency_key: two spellings of one agency are one agency here.
        records[rid] = Record(source=source, meta={"agency": key, "year": year, "layout": layout})
    for rid, table, key, value in con.execute(
        f"SELECT report, tbl, key, value FROM cells WHERE report IN ({placeholders}) AND list_contains(?, tbl)",
        [*ids, list(tables)]
    ).fetchall():
        cell = key.split(".", 1)[1]
        records[rid].tables.setdefault(table, {})[cell] = _as_stored(value)
    return records


def _as_stored(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def link_years_in_db(con: Any) -> dict[str, int]:
    """Run the whole pass; returns counts (duplicates, pairs, year checks).

    The year checks are replaced in one transaction, a chunk of pairs at a
    time, so memory stays flat however many years and agencies there are."""
    duplicates = mark_duplicates(con)
    pairs = year_pairs(con)
    by_status: dict[str, int] = defaultdict(int)
    with transaction(con):
        con.execute("DELETE FROM checks WHERE previous IS NOT NULL")
        for i in range(0, len(pairs), _CHUNK):
            chunk = pairs[i : i + _CHUNK]
            records = _records(con, sorted({rid for pair in chunk for rid in pair}))
            rows = [check_row(current, check, previous=previous)
                    for previous, current in chunk
                    for check in check_across_years(records[previous], records[current])]
            insert_rows(con, "checks", rows)
            for row in rows:
                by_status[row[3]] += 1
    return {"duplicates": duplicates, "pairs": len(pairs), **{f"year_{k}": v for k, v in by_status.items()}}
