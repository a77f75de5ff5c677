"""What textmine refuses to open or overwrite, and says so in one line.

The corpus database (``textmine.corpus.store.connect``): only a textmine
corpus is opened, an older one is upgraded in one transaction, anything else
is refused before a byte of it changes; every DuckDB connection is offline;
a database held by another run is named with its process.  Output files
(``write_report``, ``export_parquet``): the page never replaces what is not
an earlier page, is written atomically, and an unwritable folder is one line.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from textmine.cli import main
from textmine.corpus import open as open_corpus
from textmine.corpus import schema, store
from textmine.corpus.api import Corpus
from textmine.corpus.report import GENERATOR_MARK, is_report_page, write_report
from textmine.corpus.schema import (
    COLUMNS,
    DDL,
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    Migration,
    tables_at,
)
from textmine.corpus.store import (
    OFFLINE,
    CorpusDatabaseError,
    OutputError,
    OutputExistsError,
    connect,
    export_parquet,
    open_duckdb,
)
from textmine.errors import TextmineError

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- helpers


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(exc: pytest.ExceptionInfo[TextmineError], path: Path) -> str:
    """The error's text, checked to be one line that names ``path``."""
    text = str(exc.value)
    assert "\n" not in text, text
    assert text.startswith(f"{path}: "), text
    return text


def _assert_current_corpus(db: Path) -> None:
    """Opened for writing, ``db`` is a corpus of this schema version, whole."""
    con = connect(db)
    try:
        assert con.execute("SELECT max(version) FROM schema_info").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()
    assert set(TABLES) <= _tables_of(db)


def _tables_of(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()


def _duckdb_file(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


def _corpus(path: Path) -> Path:
    connect(path).close()
    return path


def _unwritable_folder(tmp_path: Path) -> Path:
    """A folder no file can be made in: a read-only one, or (as root, who
    ignores modes) a system folder that refuses new files; else skip."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    for candidate in (folder, Path("/sys")):
        try:
            (candidate / "probe").touch()
        except OSError:
            return candidate
        (candidate / "probe").unlink()
    pytest.skip("no folder here refuses new files (root on a writable /sys)")


# --------------------------------------------------------------------------- what is a corpus


@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("own", ["notes", "reports"])
def test_a_duckdb_database_that_is_not_a_corpus_is_refused_untouched(tmp_path: Path, own: str, read_only: bool) -> None:
    # "reports": a table of its own named like ours once took the DDL halfway.
    db = _duckdb_file(tmp_path / "notes.duckdb", f"CREATE TABLE {own} (a INTEGER)", f"INSERT INTO {own} VALUES (1)")
    before = _digest(db)
    with pytest.raises(CorpusDatabaseError) as exc:
        connect(db, read_only=read_only)
    text = _one_line(exc, db)
    assert "a DuckDB database, but not a textmine corpus" in text
    assert ("give a new file to --db" in text) is not read_only
    assert _tables_of(db) == {own} and _digest(db) == before
    with pytest.raises(CorpusDatabaseError, match="not a textmine corpus"):
        Corpus(db)


def _sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (a)")
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("make", "said"),
    [
        ("text", "a text file"),
        ("sqlite", "a SQLite database"),
        ("page", "a textmine report page"),
        ("html", "an HTML page"),
        ("pdf", "a PDF"),
        ("binary", "unknown contents"),
    ],
)
def test_a_file_that_is_not_duckdb_is_refused_untouched(tmp_path: Path, make: str, said: str) -> None:
    db = tmp_path / "x.duckdb"
    if make == "sqlite":
        _sqlite(db)
    else:
        db.write_bytes(
            {
                "text": b"my notes on the reports\n" * 20,
                "page": f'<!DOCTYPE html>\n<html><head>{GENERATOR_MARK} 0.1">'.encode(),
                "html": b"<!doctype html><html><body>hi</body></html>",
                "pdf": b"%PDF-1.7\n" + bytes(range(256)),
                "binary": bytes(range(256)) * 4,
            }[make]
        )
    before = _digest(db)
    for read_only in (False, True):
        with pytest.raises(CorpusDatabaseError) as exc:
            connect(db, read_only=read_only)
        assert f"not a DuckDB database ({said})" in _one_line(exc, db)
    assert _digest(db) == before


def test_a_sqlite_file_never_reaches_duckdb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB, given a SQLite file, fetches its sqlite extension from the
    network: the file is refused by its first bytes, before DuckDB sees it."""
    db = tmp_path / "other.sqlite"
    _sqlite(db)

    def no_duckdb(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"duckdb.connect{args}")

    monkeypatch.setattr(duckdb, "connect", no_duckdb)
    for read_only in (False, True):
        with pytest.raises(CorpusDatabaseError, match="a SQLite database"):
            connect(db, read_only=read_only)


@pytest.mark.parametrize("make", ["missing", "zero-bytes", "empty-duckdb"])
def test_a_new_or_empty_file_becomes_a_corpus(tmp_path: Path, make: str) -> None:
    db = tmp_path / "new.duckdb"
    if make == "zero-bytes":
        db.write_bytes(b"")  # what mktemp or touch leave
    elif make == "empty-duckdb":
        _duckdb_file(db)
    if make != "missing":
        with pytest.raises(CorpusDatabaseError, match="not a textmine corpus|an empty file"):
            connect(db, read_only=True)  # read-only makes nothing
    _assert_current_corpus(db)
    with open_corpus(db) as corpus:
        assert len(corpus.reports) == 0


def test_a_missing_database_or_folder_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    with pytest.raises(CorpusDatabaseError) as exc:
        open_corpus(missing)
    assert "no such corpus database" in _one_line(exc, missing)
    nowhere = tmp_path / "no-folder" / "corpus.duckdb"
    with pytest.raises(CorpusDatabaseError) as exc:
        connect(nowhere)
    assert "no folder" in _one_line(exc, nowhere)
    with pytest.raises(CorpusDatabaseError) as exc:
        connect(tmp_path)
    assert "a folder" in _one_line(exc, tmp_path)


def test_a_corpus_of_a_newer_textmine_is_refused(tmp_path: Path) -> None:
    db = _corpus(tmp_path / "future.duckdb")
    _duckdb_file(db, f"UPDATE schema_info SET version = {SCHEMA_VERSION + 1}")
    before = _digest(db)
    for read_only in (False, True):
        with pytest.raises(CorpusDatabaseError) as exc:
            connect(db, read_only=read_only)
        assert _one_line(exc, db).endswith(f"made by a newer textmine (schema {SCHEMA_VERSION + 1}); upgrade textmine")
    assert _digest(db) == before


def test_a_corpus_without_its_version_or_a_table_is_refused(tmp_path: Path) -> None:
    # Tables but no version row: what a run killed at its very start once left.
    unfinished = _duckdb_file(tmp_path / "unfinished.duckdb", DDL)
    with pytest.raises(CorpusDatabaseError) as exc:
        connect(unfinished)
    assert "without a textmine schema version" in _one_line(exc, unfinished)
    broken = _corpus(tmp_path / "broken.duckdb")
    _duckdb_file(broken, "DROP TABLE cells")
    with pytest.raises(CorpusDatabaseError) as exc:
        connect(broken, read_only=True)
    assert "without its cells table" in _one_line(exc, broken)


# --------------------------------------------------------------------------- schema versions


def test_the_migrations_lead_to_the_schema_version() -> None:
    assert [step.to_version for step in MIGRATIONS] == list(range(2, SCHEMA_VERSION + 1))
    assert tables_at(SCHEMA_VERSION) == TABLES
    assert "reading" not in tables_at(1) and set(tables_at(1)) < set(TABLES)
    new = duckdb_columns(DDL)
    for step in MIGRATIONS:
        # A new corpus is made at the latest version by DDL alone.
        if step.adds:
            assert step.sql.strip() in DDL, step.description
        for table, column in step.columns:
            assert column in new[table], step.description


def duckdb_columns(ddl: str) -> dict[str, list[str]]:
    con = open_duckdb(":memory:")
    try:
        con.execute(ddl)
        return {t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in TABLES}
    finally:
        con.close()


def test_a_version_2_corpus_gains_the_claims_columns(tmp_path: Path) -> None:
    db = _corpus(tmp_path / "v2.duckdb")
    _duckdb_file(
        db,
        "ALTER TABLE claims DROP COLUMN expr",
        "ALTER TABLE claims DROP COLUMN readings",
        "UPDATE schema_info SET version = 2",
    )
    connect(db).close()
    con = open_duckdb(db, read_only=True)
    try:
        columns = [r[0] for r in con.execute("DESCRIBE claims").fetchall()]
        assert columns == list(COLUMNS["claims"])
        assert con.execute("SELECT max(version) FROM schema_info").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()


def _version_1(path: Path) -> Path:
    _corpus(path)
    return _duckdb_file(
        path,
        "DROP TABLE reading",
        "ALTER TABLE claims DROP COLUMN expr",
        "ALTER TABLE claims DROP COLUMN readings",
        "UPDATE schema_info SET version = 1",
    )


def test_a_version_1_corpus_is_upgraded_for_writing_only(tmp_path: Path) -> None:
    db = _version_1(tmp_path / "old.duckdb")
    connect(db, read_only=True).close()
    assert "reading" not in _tables_of(db)
    _assert_current_corpus(db)


def test_a_failed_upgrade_leaves_the_corpus_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = _version_1(tmp_path / "old.duckdb")
    broken = Migration(SCHEMA_VERSION + 1, "a step that fails", "CREATE TABLE added (a INTEGER); SELECT * FROM nowhere")
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(store, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(CorpusDatabaseError) as exc:
        connect(db)
    assert "cannot upgrade the corpus from schema 1 (left as it was)" in _one_line(exc, db)
    monkeypatch.undo()
    assert not {"reading", "added"} & _tables_of(db)
    con = connect(db, read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_info").fetchone()[0] == 1
    finally:
        con.close()


# --------------------------------------------------------------------------- offline


def test_every_connection_is_offline(tmp_path: Path) -> None:
    assert OFFLINE == {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    db = _corpus(tmp_path / "corpus.duckdb")
    for con in (open_duckdb(), connect(db, read_only=True)):
        try:
            settings = dict(
                con.execute(
                    "SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', "
                    "'autoload_known_extensions')"
                ).fetchall()
            )
        finally:
            con.close()
        assert settings == {"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}


def test_a_sqlite_file_attached_by_hand_fetches_nothing(tmp_path: Path) -> None:
    sqlite = tmp_path / "other.sqlite"
    _sqlite(sqlite)
    con = open_duckdb()
    try:
        home = con.execute("SELECT current_setting('extension_directory')").fetchone()[0]
        extensions = Path(home) if home else Path.home() / ".duckdb" / "extensions"
        before = sorted(extensions.rglob("*")) if extensions.exists() else []
        with pytest.raises(duckdb.Error):
            con.execute(f"ATTACH '{sqlite}' AS other (TYPE sqlite)")
    finally:
        con.close()
    assert (sorted(extensions.rglob("*")) if extensions.exists() else []) == before


def test_duckdb_is_connected_to_in_one_place() -> None:
    """Every connection goes through duck.open_duckdb (offline settings)."""
    found = []
    for folder in ("textmine", "notebooks", "bench"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".ipynb") and "duckdb.connect(" in path.read_text("utf-8"):
                found.append(str(path.relative_to(ROOT)))
    assert found == ["textmine/corpus/duck.py"]


# --------------------------------------------------------------------------- another run holds it

_HOLD = """
import sys
from textmine.corpus.store import connect
con = connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A corpus another process has open for writing (as a `tag` does)."""
    db = _corpus(tmp_path / "corpus.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        yield db, holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)


def test_a_database_held_by_another_run_is_named_with_its_process(held: tuple[Path, int]) -> None:
    from textmine.corpus import tag

    db, pid = held
    said = f"another textmine run (process {pid}) is using this database; wait for it to finish"
    for opening in (
        lambda: connect(db),
        lambda: connect(db, read_only=True),
        lambda: open_corpus(db),
        lambda: tag([ROOT / "corpora" / "sample" / "reports"], db, workers=1),
    ):
        with pytest.raises(CorpusDatabaseError) as exc:
            opening()
        assert _one_line(exc, db) == f"{db}: {said}"
    result = CliRunner().invoke(main, ["summary", str(db)])
    assert result.exit_code == 2 and result.stderr.strip() == f"error: {db}: {said}"


@pytest.mark.parametrize(
    ("message", "said"),
    [
        (
            (
                'IO Error: Could not set lock on file "/x/c.duckdb": Conflicting lock is held in /usr/bin/python3.12 '
                "(PID 4242) by user me. See also https://duckdb.org/docs/stable/connect/concurrency"
            ),
            "another textmine run (process 4242) is using this database; wait for it to finish",
        ),
        (
            (
                'IO Error: Could not set lock on file "/x/c.duckdb": Conflicting lock is held in /opt/bin/duckdb (PID 77). '
                "See also https://duckdb.org/docs/connect/concurrency"
            ),
            "another program (duckdb, process 77) is using this database; close it first",
        ),
        (
            'IO Error: Could not set lock on file "/nfs/c.duckdb": Conflicting lock is held in PID 0. See also …',
            "another textmine run (a process on another machine) is using this database; wait for it to finish",
        ),
        (
            'IO Error: Could not set lock on file "/x/c.duckdb": Resource temporarily unavailable',
            "another process is using this database; wait for it to finish",
        ),
        (
            'IO Error: Could not set lock on file "/smb/c.duckdb": Operation not supported. See also …',
            "cannot lock the file (Operation not supported); a network folder may not support locks",
        ),
        (
            'IO Error: The file "/x/c.duckdb" exists, but it is not a valid DuckDB database file!\nmore\nlines',
            'cannot open as a DuckDB database: The file "/x/c.duckdb" exists, but it is not a valid DuckDB database file!',
        ),
    ],
)
def test_duckdb_open_errors_become_one_line(message: str, said: str) -> None:
    assert store._open_problem(message) == said


# --------------------------------------------------------------------------- export


def test_export_to_a_folder_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    db = _corpus(tmp_path / "corpus.duckdb")
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    folder = _unwritable_folder(tmp_path)
    con = connect(db, read_only=True)
    try:
        for target in (a_file / "export", folder, folder / "export"):
            with pytest.raises(OutputError) as exc:
                export_parquet(con, target)
            _one_line(exc, target)
            assert exc.value.stage == "output"
        assert {p.name for p in export_parquet(con, tmp_path / "new" / "export")} == {f"{t}.parquet" for t in TABLES}
    finally:
        con.close()


# --------------------------------------------------------------------------- the report page


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return _corpus(tmp_path / "corpus.duckdb")


def test_the_page_never_replaces_a_file_that_is_not_a_page(db: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.html"
    notes.write_text("<html><body>my own page</body></html>", "utf-8")
    with pytest.raises(OutputExistsError) as exc:
        write_report(db, notes)
    assert "exists and is not a textmine report page; --force overwrites it" in _one_line(exc, notes)
    assert notes.read_text("utf-8") == "<html><body>my own page</body></html>"
    assert write_report(db, notes, force=True) == notes and is_report_page(notes)


def test_the_page_replaces_an_earlier_page_or_an_empty_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_report(db, out)
    write_report(db, out)  # an earlier page: replaced without force
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    write_report(db, empty)
    assert is_report_page(out) and is_report_page(empty) and empty.stat().st_size > 0


def test_the_page_never_replaces_the_corpus(db: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.html"
    os.link(db, link)
    before = _digest(db)
    for out in (db, link):
        for force in (False, True):
            with pytest.raises(OutputExistsError) as exc:
                write_report(db, out, force=force)
            assert "is the corpus database itself" in _one_line(exc, out)
    assert _digest(db) == before
    result = CliRunner().invoke(main, ["report", str(db), "--out", str(db)])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    connect(db, read_only=True).close()


def test_a_failed_write_leaves_the_old_file(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = write_report(db, tmp_path / "report.html")
    before = _digest(out)

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OutputError) as exc:
        write_report(db, out)
    assert "No space left on device" in _one_line(exc, out)
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.duckdb", "report.html"]  # no temp file left


def test_the_page_into_a_folder_that_cannot_be_written_is_one_line(db: Path, tmp_path: Path) -> None:
    folder = _unwritable_folder(tmp_path)
    with pytest.raises(OutputError) as exc:
        write_report(db, folder / "report.html")
    _one_line(exc, folder)
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    with pytest.raises(OutputError) as exc:
        write_report(db, a_file / "report.html")
    _one_line(exc, a_file)
    with pytest.raises(OutputExistsError, match="is a folder"):
        write_report(db, tmp_path)
    # A folder that does not exist yet is made, as before.
    assert write_report(db, tmp_path / "new" / "report.html").is_file()


def test_the_page_gets_the_usual_file_mode(db: Path, tmp_path: Path) -> None:
    umask = os.umask(0o022)
    os.umask(umask)
    out = write_report(db, tmp_path / "report.html")
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_page_mark_is_looked_for_in_the_first_bytes_only(tmp_path: Path) -> None:
    late = tmp_path / "late.html"
    late.write_text("<html>" + " " * 8192 + f'{GENERATOR_MARK} 0.1">', "utf-8")
    early = tmp_path / "early.html"
    early.write_text(f'<!DOCTYPE html><html><head>{GENERATOR_MARK} 0.1">' + "x" * 100_000, "utf-8")
    assert not is_report_page(late) and is_report_page(early)
    assert not is_report_page(tmp_path / "missing.html")


def test_tag_into_a_database_that_is_not_a_corpus_is_one_line(tmp_path: Path) -> None:
    notes = _duckdb_file(tmp_path / "notes.duckdb", "CREATE TABLE reports (a INTEGER)")
    before = _digest(notes)
    result = CliRunner().invoke(main, ["tag", str(ROOT / "corpora" / "sample" / "reports"), "--db", str(notes)])
    assert result.exit_code == 2
    assert re.fullmatch(
        rf"error: {re.escape(str(notes))}: a DuckDB database, but not a textmine corpus; "
        r"give a new file to --db",
        result.stderr.strip(),
    )
    assert _digest(notes) == before
