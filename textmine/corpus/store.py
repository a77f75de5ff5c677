"""Writing the corpus database: the schema, what is done, batches in transactions.

:func:`connect` is the one way into a corpus: it refuses what is not one
(before changing a byte of it), brings an older corpus up to date, and says
in one line when another run holds the file.  Every DuckDB connection is
offline (:func:`open_duckdb`)."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import TextmineError
from .duck import OFFLINE as OFFLINE
from .duck import open_duckdb as open_duckdb
from .rows import Batches, Rows, rows_to_arrow, to_batch
from .schema import (
    COLUMNS,
    DDL,
    SCHEMA_VERSION,
    TABLES,
    arrow_schemas,
    migrations_from,
    tables_at,
)


class CorpusDatabaseError(TextmineError):
    """The database file cannot be opened or is not a textmine corpus."""

    stage = "database"


class OutputError(TextmineError):
    """An output file or folder (``--out``, ``--export``) cannot be written."""

    stage = "output"


class OutputExistsError(OutputError):
    """The output file exists and is not one textmine may replace."""


# Every report page says it was made by textmine (in its head, within its
# first bytes): the mark that lets `write_report` replace an earlier page and
# nothing else, and that names a page given to --db.
GENERATOR_MARK = '<meta name="generator" content="textmine'

# A DuckDB file starts with an 8-byte checksum, then these bytes.
_DUCKDB_MAGIC = b"DUCK"

_MAKE_ONE = "make one with `textmine tag INPUT... --db FILE`"


def connect(path: str | os.PathLike[str], *, read_only: bool = False) -> Any:
    """A DuckDB connection to the corpus at ``path``.

    For writing, a missing or empty file (0 bytes, or a DuckDB database
    without any table) becomes a new corpus; a corpus of an older schema is
    brought up to date (:data:`~textmine.corpus.schema.MIGRATIONS`, one
    transaction).  Anything else is refused before a byte of it changes:
    a file that is not DuckDB (text, SQLite, a report page), a DuckDB
    database that is not a textmine corpus, a corpus made by a newer
    textmine.  ``read_only`` applies the same checks and changes nothing.

    Raises :class:`CorpusDatabaseError` (one line naming ``path``), also
    when another process holds the database (a ``tag`` running).
    """
    path = Path(path)
    advice = _MAKE_ONE if read_only else "give a new file to --db"
    kind = _file_kind(path, advice)
    if kind != "duckdb" and read_only:
        what = "no such corpus database" if kind == "missing" else "an empty file, not a textmine corpus"
        raise CorpusDatabaseError(str(path), f"{what} ({_MAKE_ONE})")
    if kind == "empty":
        # Nothing to lose (a file made by mktemp or touch), and DuckDB will
        # not start a database in a 0-byte file.
        path.unlink()
    if kind != "duckdb" and not path.parent.is_dir():
        raise CorpusDatabaseError(str(path), f"cannot create the database: no folder {path.parent}")
    con = _open(path, read_only=read_only)
    try:
        _prepare(con, path, read_only=read_only, advice=advice)
    except BaseException:
        con.close()
        raise
    return con


def _file_kind(path: Path, advice: str) -> str:
    """``missing``, ``empty`` or ``duckdb``, read off the first bytes; any
    other file is refused here (saying ``advice``), before DuckDB opens it:
    DuckDB would try to fetch an extension for a SQLite file."""
    try:
        with path.open("rb") as file:
            head = file.read(512)
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        raise CorpusDatabaseError(str(path), "a folder, not a database file") from None
    except OSError as exc:
        raise CorpusDatabaseError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if not head:
        return "empty"
    if head[8:12] == _DUCKDB_MAGIC:
        return "duckdb"
    raise CorpusDatabaseError(str(path), f"not a DuckDB database ({_describe(head)}); {advice}")


def _describe(head: bytes) -> str:
    """What a file that is not DuckDB seems to be, from its first bytes."""
    start = head.lstrip().lower()
    if head.startswith(b"SQLite format 3\x00"):
        return "a SQLite database"
    if GENERATOR_MARK.encode() in head:
        return "a textmine report page"
    if start.startswith((b"<!doctype html", b"<html")):
        return "an HTML page"
    if head.startswith(b"%PDF"):
        return "a PDF"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP file, such as a DOCX"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A cut at the end of the 512 bytes is still text.
        if exc.start < len(head) - 3:
            return "unknown contents"
    return "a text file"


def _open(path: Path, *, read_only: bool) -> Any:
    import duckdb

    try:
        return open_duckdb(path, read_only=read_only)
    except duckdb.Error as exc:
        raise CorpusDatabaseError(str(path), _open_problem(str(exc))) from exc


# DuckDB's words when another process holds the file: 'Could not set lock on
# file "…": Conflicting lock is held in /usr/bin/python3 (PID 1234) by user
# me. See also …' (the program and user may be missing, PID 0 on NFS); before
# DuckDB 0.10, '…: Resource temporarily unavailable'.
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?:(?P<program>\S+) )?\(?PID (?P<pid>\d+)")
_LOCK_FAILED = re.compile(r'Could not set lock on file "[^"]*": (?P<reason>[^.\n]*)')


def _open_problem(message: str) -> str:
    """DuckDB's (multi-line, technical) reason a file did not open, as one line."""
    holder = _LOCK_HOLDER.search(message)
    if holder:
        pid = int(holder["pid"])
        program = Path(holder["program"] or "").name
        # PID 0: a network file system that cannot say who holds the lock.
        process = f"process {pid}" if pid else "a process on another machine"
        if program and not program.startswith(("python", "textmine")):
            return f"another program ({program}, {process}) is using this database; close it first"
        return f"another textmine run ({process}) is using this database; wait for it to finish"
    failed = _LOCK_FAILED.search(message)
    if failed:
        if "temporarily unavailable" in failed["reason"]:
            return "another process is using this database; wait for it to finish"
        return f"cannot lock the file ({failed['reason']}); a network folder may not support locks"
    if "different configuration" in message:
        return "already open in this process with other settings; close that connection first"
    return f"cannot open as a DuckDB database: {_first_line(message)}"


def _first_line(message: str) -> str:
    """The first line of a DuckDB message, without its class ("IO Error: ")."""
    line = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return re.sub(r"^[A-Z][A-Za-z ]* Error: ", "", line)


def _prepare(con: Any, path: Path, *, read_only: bool, advice: str) -> None:
    """Check that ``con`` holds a corpus this textmine can use; for writing,
    make an empty database a corpus and bring an older one up to date."""
    import duckdb

    if not read_only and _is_empty(con):
        try:
            _create(con)
        except duckdb.Error as exc:
            raise CorpusDatabaseError(str(path), f"cannot make the corpus: {_first_line(str(exc))}") from exc
        return
    tables = _tables(con)
    version = _schema_version(con, path, tables, advice)
    if version > SCHEMA_VERSION:
        raise CorpusDatabaseError(str(path), f"made by a newer textmine (schema {version}); upgrade textmine")
    missing = [t for t in tables_at(version) if t not in tables]
    if missing:
        raise CorpusDatabaseError(
            str(path),
            f"a textmine corpus (schema {version}) without its "
            f"{', '.join(missing)} table{'s' if len(missing) > 1 else ''}",
        )
    if version < SCHEMA_VERSION and not read_only:
        try:
            _migrate(con, version)
        except duckdb.Error as exc:
            raise CorpusDatabaseError(
                str(path), f"cannot upgrade the corpus from schema {version} (left as it was): {_first_line(str(exc))}"
            ) from exc


def _tables(con: Any) -> set[str]:
    """Tables and views of the database's main schema (a corpus' place)."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema = 'main'"
    ).fetchall()
    return {row[0] for row in rows}


def _is_empty(con: Any) -> bool:
    """No table or view in any schema: nothing of anyone's to spoil (a
    database DuckDB has just made, or one a killed run left at its start)."""
    query = "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database()"
    return con.execute(query).fetchone()[0] == 0


def _schema_version(con: Any, path: Path, tables: set[str], advice: str) -> int:
    """The corpus' ``schema_info.version``; a database without one is not a
    corpus (every corpus textmine wrote has it)."""
    import duckdb

    if "schema_info" not in tables:
        raise CorpusDatabaseError(str(path), f"a DuckDB database, but not a textmine corpus; {advice}")
    try:
        version = con.execute("SELECT max(version) FROM schema_info").fetchone()[0]
    except duckdb.Error:
        version = None
    if not isinstance(version, int):
        # Before schema_info was filled in the same transaction as the tables,
        # a run killed at its start could leave it empty: no reports either.
        raise CorpusDatabaseError(str(path), f"a DuckDB database without a textmine schema version; {advice}")
    return version


def _create(con: Any) -> None:
    """The whole schema and its version, in one transaction."""
    with transaction(con):
        con.execute(DDL)
        con.execute("INSERT INTO schema_info VALUES (?, ?)", [SCHEMA_VERSION, dt.datetime.now()])


def _migrate(con: Any, version: int) -> None:
    """Bring a corpus at ``version`` up to :data:`SCHEMA_VERSION`: every step
    and the new number in one transaction (all or nothing)."""
    with transaction(con):
        for step in migrations_from(version):
            con.execute(step.sql)
        con.execute("UPDATE schema_info SET version = ?", [SCHEMA_VERSION])


def has_table(con: Any, name: str) -> bool:
    """Whether the database holds table ``name`` (an older schema may lack one)."""
    return bool(
        con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]
    )


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


def sync_corrections(con: Any, db: str | os.PathLike[str]) -> int | None:
    """Make the ``corrections`` table a copy of the corrections file beside
    ``db`` (one transaction); None, and the table left alone, when there is
    no file.  A bad line raises
    :class:`~textmine.corrections.CorrectionsError` before anything changes."""
    from ..corrections import corrections_path, read_corrections

    path = corrections_path(db)
    if not path.exists():
        return None
    rows = [(c.kind, c.report, c.target, c.value, c.reason, c.by, c.at) for c in read_corrections(path)]
    with transaction(con):
        con.execute("DELETE FROM corrections")
        insert_rows(con, "corrections", rows)
    return len(rows)


def export_parquet(con: Any, out_dir: str | os.PathLike[str]) -> list[Path]:
    """Every table as ``OUT_DIR/<table>.parquet`` (the folder made if need be).

    Raises :class:`OutputError`, naming the folder, when it cannot be made
    or written in."""
    import duckdb

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(out), f"cannot make the export folder: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK):
        raise OutputError(str(out), "cannot write in this folder (read-only); give another --export folder")
    written = []
    for table in TABLES:
        target = out / f"{table}.parquet"
        try:
            con.execute(f"COPY {table} TO '{_sql_string(str(target))}' (FORMAT parquet)")
        except duckdb.IOException as exc:
            # The folder turned out unwritable (a read-only mount, a full disk).
            raise OutputError(str(out), f"cannot write {target.name}: {_first_line(str(exc))}") from None
        written.append(target)
    return written


def _sql_string(s: str) -> str:
    return s.replace("'", "''")
