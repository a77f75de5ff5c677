"""A record as rows of the corpus tables (:data:`textmine.corpus.schema.COLUMNS`).

Plain tuples of plain values, turned into one Arrow record batch per table
(:func:`rows_to_arrow`) where they are made: batches cross from a worker
process (or a Dask worker) to the writer as a few buffers, and the writer
needs no textmine objects.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..places import agency_key_of
from ..record import Record
from .schema import arrow_schemas

if TYPE_CHECKING:
    import pyarrow as pa

Rows = dict[str, list[tuple[Any, ...]]]
Batches = dict[str, "pa.RecordBatch"]


def report_id(sha256: str) -> str:
    """A report's key: the first 16 hex digits of the hash of its bytes."""
    return sha256[:16]


def split_cell_key(key: str) -> tuple[str, str]:
    """``denied.state_secret.total`` → (``denied.state_secret``, ``total``)."""
    row, _, col = key.rpartition(".")
    return (row, col) if row else (key, "")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def record_rows(record: Record, *, sha256: str, fmt: str, size: int) -> Rows:
    """Every table's rows for one analysed report."""
    rid = report_id(sha256)
    meta = record.meta
    published = meta.get("published")
    rows: Rows = {
        "reports": [
            (
                rid,
                sha256,
                record.source,
                fmt,
                size,
                meta.get("title"),
                meta.get("agency"),
                agency_key_of(meta.get("agency"), meta.get("region")),
                meta.get("region"),
                meta.get("level"),
                meta.get("year"),
                dt.date.fromisoformat(published) if published else None,
                meta.get("layout"),
                len(record.text),
                json.dumps([asdict(n) for n in record.notes], ensure_ascii=False),
                dt.datetime.now(),
                __version__,
                None,
            )
        ],
        "texts": [(rid, record.text)],
        "sections": [(rid, s.key, s.title, s.start, s.end) for s in record.sections],
        "table_notes": [(rid, n.table, n.message, list(n.cells)) for n in record.table_notes],
    }
    rows["cells"] = cell_rows(rid, record)
    rows["claims"] = [
        (
            rid,
            i,
            c["text"],
            c["start"],
            c["end"],
            c["section"],
            c["subject"],
            _number(c["value"]),
            c["unit"],
            c["kind"],
            bool(c["approx"]),
            c["cell"],
            c.get("expr"),
            list(c.get("readings") or []),
        )
        for i, c in enumerate(record.claims)
    ]
    rows["checks"] = [check_row(rid, c) for c in record.checks]
    rows["items"] = item_rows(rid, record)
    rows["reading"] = [reading_row(rid, record.reading)] if record.reading else []
    return rows


def cell_rows(rid: str, record: Record) -> list[tuple[Any, ...]]:
    """The ``cells`` rows of a record: every cell with a value or printed text."""
    cells = []
    for table, values in record.tables.items():
        raw = record.cells_raw.get(table, {})
        for key in sorted(set(values) | set(raw)):
            row, col = split_cell_key(key)
            cells.append((rid, table, row, col, f"{table}.{key}", _number(values.get(key)), raw.get(key)))
    return cells


def item_rows(rid: str, record: Record) -> list[tuple[Any, ...]]:
    """The ``items`` rows of a record: its problems, then its improvements."""
    return [
        (
            rid,
            kind,
            i,
            it["text"],
            it["start"],
            it["end"],
            list(it["categories"]),
            json.dumps(it.get("evidence", {}), ensure_ascii=False),
        )
        for kind, items in (("problem", record.problems), ("improvement", record.improvements))
        for i, it in enumerate(items)
    ]


def reading_row(rid: str, reading: dict[str, Any]) -> tuple[Any, ...]:
    cells = reading.get("cells") or {}
    ident = reading.get("identities") or {}
    sections = reading.get("sections") or {}
    return (
        rid,
        reading["verdict"],
        list(reading.get("reasons", [])),
        cells.get("expected"),
        cells.get("read"),
        cells.get("values"),
        cells.get("share"),
        ident.get("pass"),
        ident.get("fail"),
        ident.get("skip"),
        list(sections.get("found", [])),
        list(sections.get("missing", [])),
        list(sections.get("unmapped", [])),
        reading.get("script"),
    )


def check_row(rid: str, check: dict[str, Any], previous: str | None = None) -> tuple[Any, ...]:
    return (
        rid,
        check["rule"],
        check["scope"],
        check["status"],
        check["severity"],
        _number(check.get("left")),
        _number(check.get("right")),
        list(check.get("cells", [])),
        check.get("message", ""),
        check.get("text"),
        check.get("start"),
        check.get("end"),
        previous,
    )


def error_row(sha256: str | None, source: str, stage: str, message: str) -> tuple[Any, ...]:
    return (sha256, source, stage, message, dt.datetime.now())


def to_batch(table: str, rows: list[tuple[Any, ...]]) -> pa.RecordBatch:
    """``rows`` (in :data:`~textmine.corpus.schema.COLUMNS` order) as one
    record batch with the table's schema."""
    import pyarrow as pa

    schema = arrow_schemas()[table]
    columns = list(zip(*rows)) if rows else [() for _ in schema]
    return pa.record_batch([pa.array(col, type=f.type) for col, f in zip(columns, schema)], schema=schema)


def rows_to_arrow(rows: Rows) -> Batches:
    """Every non-empty table of ``rows`` as a record batch."""
    return {table: to_batch(table, table_rows) for table, table_rows in rows.items() if table_rows}
