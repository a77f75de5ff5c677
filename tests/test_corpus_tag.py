"""Tagging a corpus into DuckDB: resumable, errors isolated, same rows on every path."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")

from conftest import stored_rows  # noqa: E402
from textmine.corpus import open as open_corpus  # noqa: E402
from textmine.corpus import tag  # noqa: E402
from textmine.corpus.store import CorpusDatabaseError, connect  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
SHARED = ROOT.parent / "shared" / "corpus" / "reports"
TEXT_REPORTS = sorted((SAMPLE / "reports").glob("*.txt"))


_stored = stored_rows


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "sample.duckdb"
    result = tag([SAMPLE / "reports"], db, workers=1)
    assert result.tagged == 30 and result.errors == 0
    return db


def test_every_report_stored_once_with_its_parts(sample_db: Path) -> None:
    with open_corpus(sample_db) as corpus:
        reports = corpus.reports
        assert len(reports) == 30 and reports.sha256.is_unique
        assert set(reports.format) == {"txt", "html", "docx", "pdf"}
        for table in ("sections", "cells", "claims", "checks", "items"):
            assert set(corpus.table(table).report) <= set(reports.id), table
        # A stored record equals the record the pipeline makes.
        from textmine.pipeline import analyze

        row = reports[reports.source.str.endswith("syn000_2022.txt")].iloc[0]
        stored, fresh = corpus.record(row.id), analyze(row.source)
        assert stored["meta"]["agency"] == fresh.meta["agency"]
        assert stored["tables"]["t3"]["new_received.total"] == fresh.tables["t3"]["new_received.total"]
        assert [c["text"] for c in stored["claims"]] == [c["text"] for c in fresh.claims]
        assert [p["categories"] for p in stored["problems"]] == [p["categories"] for p in fresh.problems]
        text = corpus.text(row.id)
        item = stored["problems"][0]
        assert text[item["start"] : item["end"]] == item["text"]


def test_a_rerun_skips_what_is_stored(sample_db: Path) -> None:
    result = tag([SAMPLE / "reports"], sample_db, workers=1)
    assert (result.tagged, result.skipped, result.errors) == (0, 30, 0)
    assert _stored(sample_db, "SELECT count(*) FROM reports") == [(30,)]


def test_a_corrupt_file_mid_batch_goes_to_errors_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, path in enumerate(TEXT_REPORTS[:4]):
        shutil.copy(path, folder / f"{i:02d}_{path.name}")
    # Sorted between the good ones: a DOCX that is not a zip, and a PDF cut short.
    (folder / "01b_broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(SAMPLE / "broken" / "corrupt_pdf.pdf", folder / "02b_cut.pdf")
    db = tmp_path / "c.duckdb"
    result = tag([folder], db, workers=2)
    assert (result.tagged, result.errors) == (4, 2)
    errors = _stored(db, "SELECT source, stage, message FROM errors ORDER BY source")
    assert [Path(s).name for s, _, _ in errors] == ["01b_broken.docx", "02b_cut.pdf"]
    assert all(stage == "read" and message for _, stage, message in errors)
    # Errors count as done; --retry-errors tries them again.
    assert tag([folder], db, workers=1).skipped == 6
    again = tag([folder], db, workers=1, retry_errors=True)
    assert (again.tagged, again.errors) == (0, 2)
    assert _stored(db, "SELECT count(*) FROM errors") == [(2,)]


def test_not_a_report_is_an_error_with_its_stage(tmp_path: Path) -> None:
    db = tmp_path / "n.duckdb"
    tag([SAMPLE / "broken" / "news_article.html"], db, workers=1)
    assert _stored(db, "SELECT stage FROM errors") == [("is_report",)]


_KILLABLE = """
import sys
from textmine.corpus import tag
def progress(done, total):
    print(done, flush=True)
if __name__ == "__main__":
    tag(sys.argv[2:], sys.argv[1], workers=1, batch_size=3, progress=progress)
"""


def test_kill_9_mid_run_then_rerun_has_every_report_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in TEXT_REPORTS:
        shutil.copy(path, folder / path.name)
    script = tmp_path / "tagger.py"
    script.write_text(_KILLABLE, encoding="utf-8")
    db = tmp_path / "k.duckdb"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(folder)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if int(line) >= 7:  # two batches written, a third in the buffer
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    stored_before = _stored(db, "SELECT count(*) FROM reports")[0][0]
    assert 0 < stored_before < len(TEXT_REPORTS)
    result = tag([folder], db, workers=1)
    assert result.skipped == stored_before and result.tagged == len(TEXT_REPORTS) - stored_before
    rows = _stored(db, "SELECT count(*), count(DISTINCT sha256) FROM reports")
    assert rows == [(len(TEXT_REPORTS), len(TEXT_REPORTS))]
    # No half-written report: every report has its sections and cells.
    orphans = _stored(
        db, "SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM sections s WHERE s.report = r.id)"
    )
    assert orphans == [(0,)]


def _content(db: Path) -> list[tuple]:
    return _stored(
        db,
        """
        SELECT r.sha256, r.agency, r.year, r.level, count(DISTINCT c.key), count(DISTINCT i.idx)
        FROM reports r LEFT JOIN cells c ON c.report = r.id LEFT JOIN items i ON i.report = r.id
        GROUP BY ALL ORDER BY 1
    """,
    )


def test_process_pool_and_dask_store_the_same_rows(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    files = TEXT_REPORTS[:5]
    one, pool, on_dask = tmp_path / "one.duckdb", tmp_path / "pool.duckdb", tmp_path / "dask.duckdb"
    tag(files, one, workers=1)
    tag(files, pool, workers=2)
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = tag(files, on_dask, dask=client)
    assert result.tagged == 5
    assert _content(one) == _content(pool) == _content(on_dask)


def test_export_writes_every_table_as_parquet(sample_db: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    from textmine.corpus.schema import TABLES
    from textmine.corpus.store import export_parquet

    con = connect(sample_db)
    try:
        written = export_parquet(con, tmp_path / "pq")
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()
    assert {p.stem for p in written} == set(TABLES)
    for path in written:
        assert pq.read_table(path).num_rows == counts[path.stem]


def test_opening_what_is_not_a_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusDatabaseError, match="no such corpus database"):
        open_corpus(tmp_path / "missing.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CorpusDatabaseError, match="junk.duckdb"):
        open_corpus(junk)
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INTEGER)").close()
    with pytest.raises(CorpusDatabaseError, match="not a textmine corpus"):
        open_corpus(other)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is absent (a clone without the shared data)")
def test_the_whole_shared_corpus_tags_without_a_crash(tmp_path: Path) -> None:
    db = tmp_path / "shared.duckdb"
    files = [p for p in SHARED.iterdir() if p.is_file()]
    result = tag([SHARED], db, workers=2)
    assert result.errors == 0 and result.tagged == len(files)
    # Copies of one report in several formats: one counted, the rest duplicates.
    kept = _stored(
        db,
        "SELECT agency_key, year, count(*) FROM reports WHERE duplicate_of IS NULL GROUP BY 1, 2 HAVING count(*) > 1",
    )
    assert kept == []
    assert _stored(db, "SELECT count(*) FROM reports WHERE duplicate_of IS NOT NULL")[0][0] > 0
    # Consecutive years of one agency are linked and checked.
    carried = _stored(db, "SELECT status, count(*) FROM checks WHERE rule = 'year.carry' GROUP BY 1")
    assert dict(carried).get("pass", 0) > 0 and "fail" not in dict(carried)


def _dies_on_killme(items: list) -> object:
    """A task that kills its worker process (as a crash in a native library
    would) when it holds a file named KILLME."""
    from textmine.corpus.work import analyze_files

    if any("KILLME" in source for _, source, _ in items):
        os._exit(3)
    return analyze_files(items)


def test_a_worker_that_dies_costs_only_its_own_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textmine.corpus import runners

    folder = tmp_path / "in"
    folder.mkdir()
    for path in TEXT_REPORTS[:7]:
        shutil.copy(path, folder / path.name)
    (folder / "KILLME.txt").write_bytes(TEXT_REPORTS[7].read_bytes())
    monkeypatch.setattr(runners.PoolRunner, "submit", lambda self, items: self.pool.submit(_dies_on_killme, items))
    db = tmp_path / "c.duckdb"
    result = tag([folder], db, workers=2, chunk_size=3)
    # The chunk that held KILLME, and every other in flight, ran again file by file.
    assert result.tagged == 7 and result.errors == 1
    assert [(Path(source).name, stage) for source, stage, _ in result.failures] == [("KILLME.txt", "worker")]
    assert len(_stored(db, "SELECT id FROM reports")) == 7
    assert _stored(db, "SELECT stage, message FROM errors") == [
        ("worker", "the worker process died analysing this file")
    ]


def test_the_year_pass_on_stored_cells_equals_the_checks_on_whole_records(tmp_path: Path) -> None:
    """The pass reads only the cells its rules read (and one number per table):
    its findings are those of check_across_years over the full records."""
    from textmine.checks import check_across_years
    from textmine.corpus.rows import check_row
    from textmine.pipeline import analyze

    files = sorted((ROOT / "corpora" / "series" / "reports").glob("*"))
    db = tmp_path / "s.duckdb"
    tag(files, db, workers=1)
    stored = _stored(
        db,
        """
        SELECT p.source, r.source, c.rule, c.scope, c.status, c.lhs, c.rhs, c.cells, c.message FROM checks c
        JOIN reports r ON r.id = c.report JOIN reports p ON p.id = c.previous ORDER BY ALL""",
    )
    assert len({(row[0], row[1]) for row in stored}) >= len(files) // 2
    records = {str(path): analyze(path) for path in files}
    expected = sorted(
        (previous, current, *(row[i] for i in (1, 2, 3, 5, 6, 7, 8)))
        for previous, current in {(row[0], row[1]) for row in stored}
        for row in (check_row("", c) for c in check_across_years(records[previous], records[current]))
    )
    assert stored == expected
