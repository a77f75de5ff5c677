"""Shared fixtures: the real-report corpus in ../shared, when present."""

from __future__ import annotations

import faulthandler
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "corpora" / "sample"


def shared_path() -> Path:
    if not (SHARED / "corpus" / "gold").is_dir():
        pytest.skip(f"real-report corpus not found at {SHARED}/corpus (a user's clone has no ../shared; CI has it)")
    return SHARED


@pytest.fixture
def shared_corpus() -> Path:
    """``../shared/corpus``, or skip with the reason."""
    return shared_path() / "corpus"


def gold_for(report: Path) -> dict:
    gold = report.parent.parent / "gold" / f"{report.stem}.json"
    return json.loads(gold.read_text("utf-8"))


def real_reports() -> list[Path]:
    """Every report in ../shared/corpus/reports (empty when absent)."""
    folder = SHARED / "corpus" / "reports"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def sample_reports() -> list[Path]:
    folder = SAMPLE / "reports"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def meta_of(text: str, hints: dict[str, str] | None = None) -> dict:
    """The meta of a text, its sections found first (as the pipeline does)."""
    from textmine.meta import extract_meta
    from textmine.sections import find_sections

    sections, _ = find_sections(text)
    meta, _ = extract_meta(text, sections, hints)
    return meta


def stored_rows(db: Path, query: str) -> list[tuple]:
    """``query``'s rows from the corpus database ``db``, opened read-only."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


# A test that hangs ends the run with every thread's traceback instead of
# holding CI for its whole time limit.  A watchdog thread, not SIGALRM: the
# per-file timeouts of textmine.corpus.work use that timer themselves.
TEST_HANG_SECONDS = 300


@pytest.fixture(autouse=True)
def _hang_watchdog():
    faulthandler.dump_traceback_later(TEST_HANG_SECONDS, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()
