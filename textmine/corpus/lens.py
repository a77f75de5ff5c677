"""A corpus as a person reads it: the reports a filter selects, corrected.

:func:`focus` turns a read-only connection to a corpus into one whose
tables (``reports``, ``cells``, ``checks``, ``items``, … and the views
``problem_categories`` and ``recurrences``) hold only the reports a
:class:`~textmine.corpus.filters.ReportFilter` selects, with a person's
corrections applied (:mod:`textmine.corrections`).  It does so with
temporary views of the same names, which DuckDB reads before the stored
tables: every query of :mod:`~textmine.corpus.summary`, the report page and
:class:`~textmine.corpus.api.Corpus` runs unchanged over the lens, so the
CLI, the page and a notebook count the same rows.  Nothing is written to
the database.

A corrected report is read back into a record, corrected there (a cell
correction runs its checks again) and its ``cells``, ``checks`` and
``items`` rows replaced; the table ``applied_corrections`` says, per
correction, whether it matched anything and what it changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..corrections import (
    DISMISSED,
    Applied,
    Correction,
    CorrectionsError,
    correct_cells,
    correct_findings_and_items,
    corrections_of,
    corrections_path,
    make_correction,
    mark_corrected_cells,
    read_corrections,
)
from ..record import Record, Section
from .filters import ReportFilter
from .labels import phrase
from .rows import cell_rows, check_row, item_rows, reading_row, to_batch
from .schema import TABLES, VIEWS_DDL

# Tables whose rows a correction can change (`reading`: a corrected cell or
# a dismissed identity can change how well the report counts as read).
_CORRECTED = ("cells", "checks", "items", "reading")

__all__ = ["DISMISSED", "Lens", "focus", "stored_corrections"]


@dataclass(frozen=True)
class Lens:
    """What :func:`focus` did: the filter, and each correction of the
    selected reports with its outcome (``outside``: corrections of reports
    the filter leaves out, not applied)."""

    filter: ReportFilter | None
    applied: tuple[tuple[str | None, Applied], ...] = ()  # (report id or None when not stored, outcome)
    corrections_from: str | None = None
    outside: int = 0

    @property
    def n_applied(self) -> int:
        return sum(outcome.applied for _, outcome in self.applied)

    def describe(self, lang: str = "en") -> str:
        """The lens in words, ``lang`` en or zh (empty: every report, as tagged)."""
        parts = [self.filter.describe(lang)] if self.filter is not None else []
        if self.applied:
            parts.append(
                phrase("corrections", lang, applied=self.n_applied, all=len(self.applied), source=self.corrections_from)
            )
        return " · ".join(p for p in parts if p)


def stored_corrections(path: str | os.PathLike[str], con: Any) -> tuple[list[Correction], str | None]:
    """A corpus' corrections and where they come from: the file beside it
    (:func:`~textmine.corrections.corrections_path`) when there is one, else
    the database's ``corrections`` table (a database copied without its file)."""
    file = corrections_path(path)
    if file.exists():
        return read_corrections(file), str(file)
    catalog = _catalog(con)
    if "corrections" not in _present(con, catalog):
        return [], None
    rows = con.execute(f'SELECT kind, sha256, target, value, reason, "by", "at" FROM {_store(catalog)}.corrections')
    try:
        found = [make_correction(*(v or "" for v in row)) for row in rows.fetchall()]
    except CorrectionsError as exc:
        raise CorrectionsError(f"{path}: table corrections", exc.message) from None
    return found, f"{path}: table corrections" if found else None


def _catalog(con: Any) -> str:
    return con.execute("SELECT current_database()").fetchone()[0]


def _store(catalog: str) -> str:
    return '"' + catalog.replace('"', '""') + '".main'


def _present(con: Any, catalog: str) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main'",
        [catalog],
    ).fetchall()
    return {r[0] for r in rows}


def focus(
    con: Any, where: ReportFilter | None = None, corrections: Sequence[Correction] = (), source: str | None = None
) -> Lens:
    """Make ``con`` read the reports ``where`` selects (with the duplicates
    of those reports, which every figure skips as the unfiltered corpus
    does), with ``corrections`` applied (``source``: where they came from,
    for :meth:`Lens.describe`).  With neither, ``con`` is left as it is."""
    where = where if where is not None and not where.is_empty() else None
    if where is None and not corrections:
        return Lens(None)
    catalog = _catalog(con)
    store = _store(catalog)
    base = {t: f"{store}.{t}" for t in TABLES if t in _present(con, catalog)}
    applied: list[tuple[str | None, Applied]] = []
    if corrections:
        # Only the reports the filter can select are corrected (a category
        # filter reads the corrected items, so it is applied after).
        scope = None
        if where is not None:
            condition, params = replace(where, category=None).where("r")
            scope = {
                r[0] for r in con.execute(f"SELECT r.id FROM {store}.reports r WHERE {condition}", params).fetchall()
            }
        applied = _correct(con, store, corrections, base, scope)
    items = base.get("items", f"{store}.items")
    categories = (
        f"(SELECT DISTINCT i.report, c.category FROM {items} i, UNNEST(i.categories) AS c(category) "
        "WHERE i.kind = 'problem')"
    )
    if where is None:
        # Corrections alone: every report, duplicates included, as the stored tables hold them.
        con.execute(f"CREATE OR REPLACE TEMP TABLE lens_ids AS SELECT id FROM {store}.reports")
    else:
        condition, params = where.where("r", categories=categories)
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE lens_ids AS
                WITH chosen AS (SELECT r.id FROM {store}.reports r WHERE {condition})
                SELECT id FROM chosen
                UNION SELECT d.id FROM {store}.reports d WHERE d.duplicate_of IN (SELECT id FROM chosen)""",
            params,
        )
    for table, relation in base.items():
        if table in ("errors", "corrections", "schema_info"):
            continue
        key = "id" if table == "reports" else "report"
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {relation} WHERE {key} IN (SELECT id FROM lens_ids)"
        )
    con.execute(VIEWS_DDL.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))
    selected = {r[0] for r in con.execute("SELECT id FROM lens_ids").fetchall()}
    inside = [(rid, a) for rid, a in applied if (rid in selected if rid is not None else where is None)]
    _register_applied(con, inside)
    return Lens(where, tuple(inside), source, outside=len(corrections) - len(inside))


def _correct(
    con: Any, store: str, corrections: Sequence[Correction], base: dict[str, str], scope: set[str] | None
) -> list[tuple[str | None, Applied]]:
    """Apply ``corrections`` to the reports of ``scope`` (None: every one)
    and point ``base`` at the corrected relations.  Cells first, in every
    report; then the findings between two years of each pair a corrected
    cell touches run again; then findings and items."""
    import pyarrow as pa

    by_sha = dict(con.execute(f"SELECT sha256, id FROM {store}.reports").fetchall())
    mine = {
        by_sha[sha]: corrections_of(corrections, sha)
        for sha in sorted({c.report for c in corrections})
        if sha in by_sha and (scope is None or by_sha[sha] in scope)
    }
    unstored = [
        (None, Applied(c, False, "no stored report has these bytes")) for c in corrections if c.report not in by_sha
    ]
    records = stored_records(con, store, list(mine))
    done = {rid: correct_cells(records[rid], found) for rid, found in mine.items()}
    changed = {rid: [a.correction for a in outcomes if a.applied] for rid, outcomes in done.items()}
    touched = _recheck_years(con, store, records, {rid: cells for rid, cells in changed.items() if cells})
    for rid, found in mine.items():
        done[rid] += correct_findings_and_items(records[rid], found)
    fixed: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _CORRECTED}
    ids = sorted(set(mine) | touched)
    readings = _readings(con, store, ids, records, mine) if "reading" in base else {}
    for rid in ids:
        record = records[rid]
        fixed["cells"] += cell_rows(rid, record)
        fixed["items"] += item_rows(rid, record)
        fixed["checks"] += [check_row(rid, c, c.get("previous")) for c in record.checks]
        fixed["reading"] += readings.get(rid, [])
    con.register("lens_fixed_ids", pa.table({"id": pa.array(ids, pa.string())}))
    for table in _CORRECTED:
        if table not in base:  # a corpus tagged before the table existed
            continue
        con.register(f"lens_fixed_{table}", pa.Table.from_batches([to_batch(table, fixed[table])]))
        base[table] = (
            f"(SELECT * FROM {base[table]} WHERE report NOT IN (SELECT id FROM lens_fixed_ids) "
            f"UNION ALL BY NAME SELECT * FROM lens_fixed_{table})"
        )
    return [(rid, a) for rid, outcomes in done.items() for a in outcomes] + unstored


def _readings(
    con: Any, store: str, ids: list[str], records: dict[str, Record], corrected: dict[str, Any]
) -> dict[str, list[tuple[Any, ...]]]:
    """The ``reading`` rows of reports ``ids``: assessed again for a report
    a correction changed (cells read, identities that fail), the stored row
    for the others.  What a stored record lacks (the headings left
    unmapped, the script) comes from the stored row."""
    from ..reading import assess_reading

    cursor = con.execute(f"SELECT * FROM {store}.reading WHERE report IN (SELECT UNNEST(?))", [ids])
    names = [d[0] for d in cursor.description]
    stored = {row[0]: row for row in cursor.fetchall()}
    out: dict[str, list[tuple[Any, ...]]] = {}
    for rid in ids:
        if rid not in stored:
            out[rid] = []
            continue
        if rid not in corrected:
            out[rid] = [stored[rid]]
            continue
        was = dict(zip(names, stored[rid]))
        reading = assess_reading(records[rid])
        reading["sections"]["unmapped"] = list(was["unmapped_headings"] or [])
        reading["script"] = was["script"]
        out[rid] = [reading_row(rid, reading)]
    return out


def _recheck_years(con: Any, store: str, records: dict[str, Record], changed: dict[str, list[Correction]]) -> set[str]:
    """Run again the findings between two years of every pair of reports one
    of whose cells was corrected (``changed``: report → its applied cell
    corrections; ``records`` gains the other year's report); returns the
    reports whose rows changed besides the corrected ones."""
    from ..checks import check_across_years

    if not changed:
        return set()
    ids = list(changed)
    pairs = con.execute(
        f"""SELECT DISTINCT report, previous FROM {store}.checks WHERE previous IS NOT NULL
            AND (report IN (SELECT UNNEST(?)) OR previous IN (SELECT UNNEST(?)))""",
        [ids, ids],
    ).fetchall()
    records.update(stored_records(con, store, [r for pair in pairs for r in pair if r not in records]))
    touched = set()
    for current, previous in pairs:
        record = records[current]
        fresh = [{**c, "previous": previous} for c in check_across_years(records[previous], record)]
        record.checks = [c for c in record.checks if c.get("previous") != previous] + fresh
        mark_corrected_cells(record, changed.get(current, []) + changed.get(previous, []))
        touched.add(current)
    return touched - set(changed)


def _register_applied(con: Any, applied: list[tuple[str | None, Applied]]) -> None:
    """The ``applied_corrections`` view: each correction, its report, whether it applied and what it did."""
    import pyarrow as pa

    names = ("report", "kind", "sha256", "target", "value", "reason", "by", "at", "applied", "detail")
    rows = [
        (
            rid,
            a.correction.kind,
            a.correction.report,
            a.correction.target,
            a.correction.value,
            a.correction.reason,
            a.correction.by,
            a.correction.at,
            a.applied,
            a.detail,
        )
        for rid, a in applied
    ]
    columns = list(zip(*rows)) if rows else [() for _ in names]
    types = [pa.bool_() if name == "applied" else pa.string() for name in names]
    con.register("lens_applied", pa.table({n: pa.array(list(c), t) for n, c, t in zip(names, columns, types)}))
    con.execute("CREATE OR REPLACE TEMP VIEW applied_corrections AS SELECT * FROM lens_applied")


def stored_record(con: Any, store: str, rid: str) -> Record:
    """Report ``rid`` read back from the stored tables into a record (a
    finding between two years keeps its ``previous`` report)."""
    return stored_records(con, store, [rid])[rid]


def stored_records(con: Any, store: str, ids: Sequence[str]) -> dict[str, Record]:
    """Reports ``ids`` read back from the stored tables into records, one
    query per table whatever their number."""
    if not ids:
        return {}
    ids = list(dict.fromkeys(ids))

    def rows(query: str) -> dict[str, list[dict[str, Any]]]:
        cursor = con.execute(query, [ids])
        names = [d[0] for d in cursor.description]
        out: dict[str, list[dict[str, Any]]] = {rid: [] for rid in ids}
        for values in cursor.fetchall():
            row = dict(zip(names, values))
            out[row.pop("report")].append(row)
        return out

    wanted = "report IN (SELECT UNNEST(?))"
    metas = rows(f"SELECT id AS report, * EXCLUDE (id) FROM {store}.reports WHERE id IN (SELECT UNNEST(?))")
    texts = rows(f"SELECT report, text FROM {store}.texts WHERE {wanted}")
    sections = rows(f'SELECT report, key, title, start, "end" FROM {store}.sections WHERE {wanted} ORDER BY start')
    cells = rows(f"SELECT report, tbl, key, value, raw FROM {store}.cells WHERE {wanted}")
    claims = rows(f"SELECT * EXCLUDE (idx) FROM {store}.claims WHERE {wanted} ORDER BY report, idx")
    checks = rows(f"SELECT * FROM {store}.checks WHERE {wanted}")
    items = rows(
        f'SELECT report, kind, text, start, "end", categories, evidence FROM {store}.items WHERE {wanted} ORDER BY report, idx'
    )
    records = {}
    for rid in ids:
        meta = metas[rid][0]
        record = Record(
            source=meta["source"],
            meta={k: meta[k] for k in ("title", "agency", "region", "level", "year", "layout")},
            text=texts[rid][0]["text"] if texts[rid] else "",
        )
        record.meta["published"] = meta["published"].isoformat() if meta["published"] else None
        record.sections = [Section(r["key"], r["title"], r["start"], r["end"]) for r in sections[rid]]
        for cell in cells[rid]:
            key, value = cell["key"].split(".", 1)[1], cell["value"]
            whole = value is not None and float(value).is_integer()
            record.tables.setdefault(cell["tbl"], {})[key] = int(value) if whole else value
            if cell["raw"] is not None:
                record.cells_raw.setdefault(cell["tbl"], {})[key] = cell["raw"]
        record.claims = [{**c, "readings": list(c.get("readings") or [])} for c in claims[rid]]
        record.checks = [
            {**c, "left": c.pop("lhs"), "right": c.pop("rhs"), "cells": list(c["cells"] or [])} for c in checks[rid]
        ]
        for item in items[rid]:
            kind = item.pop("kind")
            item["categories"] = list(item["categories"] or [])
            item["evidence"] = json.loads(item["evidence"] or "{}")
            (record.problems if kind == "problem" else record.improvements).append(item)
        records[rid] = record
    return records
