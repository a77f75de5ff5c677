"""Writing the corpus database: the schema, what is done, batches in transactions."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import TextmineError
from .rows import Batches, Rows, rows_to_arrow, to_batch
from .schema import COLUMNS, DDL, SCHEMA_VERSION, TABLES, arrow_schemas


class CorpusDatabaseError(TextmineError):
    """The database file cannot be opened or is not a textmine corpus."""

    stage = "database"


def connect(path: str | os.PathLike[str], *, read_only: bool = False) -> Any:
    """A DuckDB connection to the corpus at ``path`` (created with its schema
    unless ``read_only``)."""
    import duckdb

    path = Path(path)
    if read_only and not path.exists():
        raise CorpusDatabaseError(str(path), "no such corpus database (make one with `textmine tag INPUT... --db FILE`)")
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise CorpusDatabaseError(str(path), f"cannot open as a DuckDB database: {exc}") from exc
    if read_only:
        if not has_table(con, "reports"):
            con.close()
            raise CorpusDatabaseError(str(path), "a DuckDB file, but not a textmine corpus (no `reports` table)")
        return con
    con.execute(DDL)
    if con.execute("SELECT count(*) FROM schema_info").fetchone()[0] == 0:
        con.execute("INSERT INTO schema_info VALUES (?, ?)", [SCHEMA_VERSION, dt.datetime.now()])
    else:
        # The DDL has added what an older schema lacked (schema.py lists the versions).
        con.execute("UPDATE schema_info SET version = ? WHERE version < ?", [SCHEMA_VERSION, SCHEMA_VERSION])
    return con


def has_table(con: Any, name: str) -> bool:
    """Whether the database holds table ``name`` (an older schema may lack one)."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])


class CorpusWriter:
    """Buffers record batches and writes them in one transaction per batch
    of reports.

    A report's rows and its ``reports`` row travel in the same transaction,
    so a crash loses whole reports (those not yet flushed), never half of one.
    """

    def __init__(self, con: Any, batch_size: int = 200) -> None:
        self.con = con
        self.batch_size = batch_size
        self._batches: dict[str, list[Any]] = {t: [] for t in TABLES}
        self._pending = 0

    def done(self) -> set[str]:
        """Hashes already stored, as reports or as errors."""
        stored = self.con.execute("SELECT sha256 FROM reports UNION SELECT sha256 FROM errors WHERE sha256 IS NOT NULL")
        return {row[0] for row in stored.fetchall()}

    def add_rows(self, rows: Rows, reports: int = 1) -> None:
        """Rows as plain tuples: ``reports`` reports' (or errors')."""
        self.add(rows_to_arrow(rows), reports=reports)

    def add(self, batches: Batches, reports: int = 1) -> None:
        """The rows of ``reports`` whole reports as record batches
        (:func:`~textmine.corpus.rows.rows_to_arrow`)."""
        for table, batch in batches.items():
            self._batches[table].append(batch)
        self._pending += reports
        if self._pending >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        import pyarrow as pa

        schemas = arrow_schemas()
        with transaction(self.con):
            for table, batches in self._batches.items():
                if batches:
                    insert_arrow(self.con, table, pa.Table.from_batches(batches, schemas[table]))
        self._batches = {t: [] for t in TABLES}
        self._pending = 0


@contextmanager
def transaction(con: Any) -> Iterator[None]:
    """All or nothing: a crash inside leaves the database as it was."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def insert_rows(con: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Append ``rows`` (in :data:`COLUMNS` order) to ``table`` through Arrow:
    one insert per table and batch instead of one per row."""
    if rows:
        import pyarrow as pa

        insert_arrow(con, table, pa.Table.from_batches([to_batch(table, rows)]))


def insert_arrow(con: Any, table: str, data: Any) -> None:
    """Append an Arrow table with :data:`COLUMNS` ``[table]`` to ``table``."""
    name = f"_insert_{table}"
    con.register(name, data)
    try:
        quoted = ", ".join(f'"{c}"' for c in COLUMNS[table])
        con.execute(f"INSERT INTO {table} ({quoted}) SELECT {quoted} FROM {name}")
    finally:
        con.unregister(name)


def export_parquet(con: Any, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Every table as ``OUT_DIR/<table>.parquet``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        target = out / f"{table}.parquet"
        con.execute(f"COPY {table} TO '{_sql_string(str(target))}' (FORMAT parquet)")
        written.append(target)
    return written


def _sql_string(s: str) -> str:
    return s.replace("'", "''")
