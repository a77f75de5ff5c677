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
from dataclasses import dataclass
from typing import Any

from ..corrections import (
    DISMISSED,
    Applied,
    Correction,
    CorrectionsError,
    apply_corrections,
    corrections_of,
    corrections_path,
    make_correction,
    read_corrections,
)
from ..record import Record, Section
from .filters import ReportFilter
from .rows import check_row, record_rows, to_batch
from .schema import TABLES, VIEWS_DDL

# Tables whose rows a correction can change.
_CORRECTED = ("cells", "checks", "items")

__all__ = ["DISMISSED", "Lens", "focus", "stored_corrections"]


@dataclass(frozen=True)
class Lens:
    """What :func:`focus` did: the filter, and each correction with its outcome."""

    filter: ReportFilter | None
    applied: tuple[tuple[str | None, Applied], ...] = ()  # (report id or None when not stored, outcome)
    corrections_from: str | None = None

    @property
    def n_applied(self) -> int:
        return sum(outcome.applied for _, outcome in self.applied)

    def describe(self, lang: str = "en") -> str:
        """The lens in words, ``lang`` en or zh (empty: every report, as tagged)."""
        parts = [self.filter.describe(lang)] if self.filter is not None else []
        if self.applied:
            n, m, source = self.n_applied, len(self.applied), self.corrections_from
            parts.append(
                f"已应用更正 {n}/{m} 条（{source}）" if lang == "zh" else f"{n} of {m} corrections applied ({source})"
            )
        return " · ".join(p for p in parts if p)


def stored_corrections(path: str | os.PathLike[str], con: Any) -> tuple[list[Correction], str | None]:
    """A corpus' corrections and where they come from: the file beside it
    (:func:`~textmine.corrections.corrections_path`) when there is one, else
    the database's ``corrections`` table (a database copied without its file)."""
    file = corrections_path(path)
    if file.exists():
        return read_corrections(file), str(file)
    if "corrections" not in _present(con, _store(con)):
        return [], None
    rows = con.execute(
        f'SELECT kind, sha256, target, value, reason, "by", "at" FROM {_store(con)}.corrections'
    ).fetchall()
    try:
        found = [make_correction(*(v or "" for v in row)) for row in rows]
    except CorrectionsError as exc:
        raise CorrectionsError(f"{path}: table corrections", exc.message) from None
    return found, f"{path}: table corrections" if found else None


def _store(con: Any) -> str:
    name = con.execute("SELECT current_database()").fetchone()[0]
    return '"' + name.replace('"', '""') + '".main'


def _present(con: Any, store: str) -> set[str]:
    catalog = store.rsplit(".", 1)[0].strip('"').replace('""', '"')
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? AND table_schema = 'main'",
        [catalog],
    ).fetchall()
    return {r[0] for r in rows}


def focus(
    con: Any, where: ReportFilter | None = None, corrections: Sequence[Correction] = (), source: str | None = None
) -> Lens:
    """Make ``con`` read the reports ``where`` selects, with ``corrections``
    applied (``source``: where they came from, for :meth:`Lens.describe`).
    With neither, ``con`` is left as it is."""
    where = where if where is not None and not where.is_empty() else None
    if where is None and not corrections:
        return Lens(None)
    store = _store(con)
    present = _present(con, store)
    base = {t: f"{store}.{t}" for t in TABLES if t in present}
    applied: list[tuple[str | None, Applied]] = []
    if corrections:
        applied = _correct(con, store, corrections, base)
    items = base.get("items", f"{store}.items")
    categories = (
        f"(SELECT DISTINCT i.report, c.category FROM {items} i, UNNEST(i.categories) AS c(category) "
        "WHERE i.kind = 'problem')"
    )
    condition, params = (where or ReportFilter()).where("r", categories=categories)
    if where is None:
        # Corrections alone: every report, duplicates included, as the stored tables hold them.
        condition, params = "TRUE", []
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE lens_ids AS SELECT r.id FROM {store}.reports r WHERE {condition}", params
    )
    for table, relation in base.items():
        if table in ("errors", "corrections", "schema_info"):
            continue
        key = "id" if table == "reports" else "report"
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {relation} WHERE {key} IN (SELECT id FROM lens_ids)"
        )
    con.execute(VIEWS_DDL.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW"))
    return Lens(where, tuple(applied), source)


def _correct(
    con: Any, store: str, corrections: Sequence[Correction], base: dict[str, str]
) -> list[tuple[str | None, Applied]]:
    """Apply ``corrections`` report by report; point ``base`` at the
    corrected relations and record the outcomes in ``applied_corrections``."""
    import pyarrow as pa

    by_sha = {sha: rid for sha, rid in con.execute(f"SELECT sha256, id FROM {store}.reports").fetchall()}
    applied: list[tuple[str | None, Applied]] = []
    fixed: dict[str, list[tuple[Any, ...]]] = {t: [] for t in _CORRECTED}
    ids = []
    for sha in sorted({c.report for c in corrections}):
        mine = corrections_of(corrections, sha)
        rid = by_sha.get(sha)
        if rid is None:
            applied += [(None, Applied(c, False, "no stored report has these bytes")) for c in mine]
            continue
        record = stored_record(con, store, rid)
        applied += [(rid, outcome) for outcome in apply_corrections(record, mine)]
        rows = record_rows(record, sha256=sha, fmt="", size=0)
        fixed["cells"] += rows["cells"]
        fixed["items"] += rows["items"]
        fixed["checks"] += [check_row(rid, c, c.get("previous")) for c in record.checks]
        ids.append(rid)
    con.register("lens_fixed_ids", pa.table({"id": pa.array(ids, pa.string())}))
    for table in _CORRECTED:
        con.register(f"lens_fixed_{table}", pa.Table.from_batches([to_batch(table, fixed[table])]))
        base[table] = (
            f"(SELECT * FROM {base[table]} WHERE report NOT IN (SELECT id FROM lens_fixed_ids) "
            f"UNION ALL BY NAME SELECT * FROM lens_fixed_{table})"
        )
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
    names = ("report", "kind", "sha256", "target", "value", "reason", "by", "at", "applied", "detail")
    columns = list(zip(*rows)) if rows else [() for _ in names]
    con.register("lens_applied", pa.table(dict(zip(names, [list(c) for c in columns]))))
    con.execute("CREATE OR REPLACE TEMP VIEW applied_corrections AS SELECT * FROM lens_applied")
    return applied


def stored_record(con: Any, store: str, rid: str) -> Record:
    """Report ``rid`` read back from the stored tables into a record (a
    finding between two years keeps its ``previous`` report)."""

    def rows(query: str) -> list[dict[str, Any]]:
        cursor = con.execute(query, [rid])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    meta = rows(f"SELECT * FROM {store}.reports WHERE id = ?")[0]
    text = con.execute(f"SELECT text FROM {store}.texts WHERE report = ?", [rid]).fetchone()
    record = Record(
        source=meta["source"],
        meta={k: meta[k] for k in ("title", "agency", "region", "level", "year", "layout")},
        text=text[0] if text else "",
    )
    record.meta["published"] = meta["published"].isoformat() if meta["published"] else None
    record.sections = [
        Section(r["key"], r["title"], r["start"], r["end"])
        for r in rows(f'SELECT key, title, start, "end" FROM {store}.sections WHERE report = ? ORDER BY start')
    ]
    for cell in rows(f"SELECT tbl, key, value, raw FROM {store}.cells WHERE report = ?"):
        key = cell["key"].split(".", 1)[1]
        value = cell["value"]
        whole = value is not None and float(value).is_integer()
        record.tables.setdefault(cell["tbl"], {})[key] = int(value) if whole else value
        if cell["raw"] is not None:
            record.cells_raw.setdefault(cell["tbl"], {})[key] = cell["raw"]
    record.claims = [
        {**c, "readings": list(c["readings"] or []) if "readings" in c else []}
        for c in rows(f"SELECT * EXCLUDE (report, idx) FROM {store}.claims WHERE report = ? ORDER BY idx")
    ]
    for c in rows(f"SELECT * EXCLUDE (report) FROM {store}.checks WHERE report = ?"):
        record.checks.append({**c, "left": c.pop("lhs"), "right": c.pop("rhs"), "cells": list(c["cells"] or [])})
    for item in rows(
        f'SELECT kind, text, start, "end", categories, evidence FROM {store}.items WHERE report = ? ORDER BY idx'
    ):
        kind = item.pop("kind")
        item["categories"] = list(item["categories"] or [])
        item["evidence"] = json.loads(item["evidence"] or "{}")
        (record.problems if kind == "problem" else record.improvements).append(item)
    return record
