"""textmine.reading (how well a report was read) and its place in the corpus:
the record, the database's `reading` table, the summary and the HTML page."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import SAMPLE, gold_for, real_reports, shared_path
from textmine.cli import main
from textmine.corpus.schema import SCHEMA_VERSION
from textmine.pipeline import analyze
from textmine.reading import VERDICTS, assess_reading
from textmine.record import Note, Record, Section
from textmine.tables.layouts import layout_cell_keys

SIX = ["overview", "active_disclosure", "requests", "review_litigation", "problems", "other"]


def _record(
    layout: str | None = "2021",
    *,
    read: float = 1.0,
    sections: list[str] = SIX,
    fails: int = 0,
    skips: int = 0,
    agency: str | None = "某县财政局",
    year: int | None = 2023,
) -> Record:
    record = Record(source="x.txt", meta={"layout": layout, "agency": agency, "year": year, "title": None})
    record.sections = [Section(k, k, i * 10, i * 10 + 10) for i, k in enumerate(sections)]
    if layout in ("2021", "2019"):
        for table, keys in layout_cell_keys(layout).items():
            keep = keys[: round(len(keys) * read)]
            record.tables[table] = {k: 0 for k in keep}
    record.checks = (
        [{"rule": "t3.identity", "scope": "total", "status": "pass"}] * 20
        + [{"rule": "t3.row_total", "scope": "granted", "status": "fail"}] * fails
        + [{"rule": "t4.sum", "scope": "review", "status": "skip"}] * skips
    )
    return record


def test_a_report_read_whole_is_good() -> None:
    reading = assess_reading(_record())
    assert reading["verdict"] == "good" and reading["reasons"] == []
    assert reading["cells"]["share"] == 1.0
    assert reading["cells"]["read"] == reading["cells"]["expected"] == 200
    assert reading["identities"] == {"pass": 20, "fail": 0, "skip": 0}


@pytest.mark.parametrize(
    "kwargs,verdict,reason",
    [
        ({"read": 0.9}, "check", "table cells not read"),
        ({"fails": 1}, "check", "table identity fail"),
        ({"sections": SIX[:5]}, "check", "section(s) not found: other"),
        ({"agency": None}, "check", "agency not found"),
        ({"skips": 20}, "check", "could not run"),
        ({"read": 0.4}, "poor", "table cells read"),
        ({"sections": SIX[:2]}, "poor", "only 2 of the six sections"),
        ({"agency": None, "year": None}, "poor", "neither the agency nor the year"),
        ({"layout": None}, "poor", "no table layout recognised"),
    ],
)
def test_verdicts_and_their_reasons(kwargs: dict, verdict: str, reason: str) -> None:
    reading = assess_reading(_record(**kwargs))
    assert reading["verdict"] == verdict
    assert any(reason in r for r in reading["reasons"]), reading["reasons"]


def test_free_layout_has_no_cells_and_needs_fewer_sections() -> None:
    reading = assess_reading(_record("free", sections=["overview", "active_disclosure"]))
    assert reading["cells"] is None and reading["verdict"] == "good"
    assert assess_reading(_record("free", sections=["overview"]))["verdict"] == "poor"


def test_an_optional_row_left_out_is_not_printed_not_unread() -> None:
    record = _record()
    for key in [k for k in record.tables["t2"] if k.startswith("regulations.")]:
        del record.tables["t2"][key]
    reading = assess_reading(record)
    assert reading["verdict"] == "good"
    assert reading["cells"]["not_printed"] == ["regulations"]
    assert reading["cells"]["expected"] == 197


def test_unmapped_headings_and_script_are_reported() -> None:
    record = _record("free", sections=["overview", "active_disclosure", "requests"])
    record.unmapped_headings = [Section("none", "四、收费及减免情况", 40, 50)]
    record.script = "traditional"
    reading = assess_reading(record)
    assert reading["sections"]["unmapped"] == ["四、收费及减免情况"]
    assert reading["script"] == "traditional"
    assert set(reading) >= {"verdict", "reasons", "cells", "identities", "sections", "meta_missing", "format"}


def test_every_verdict_is_known() -> None:
    for kwargs in ({}, {"read": 0.9}, {"read": 0.1}):
        assert assess_reading(_record(**kwargs))["verdict"] in VERDICTS


# --- on real and sample reports ------------------------------------------------


def test_sample_reports_read_well() -> None:
    paths = sorted((SAMPLE / "reports").iterdir())
    verdicts = [analyze(p).reading["verdict"] for p in paths]
    assert "poor" not in verdicts
    assert verdicts.count("good") >= 0.9 * len(verdicts)


def test_real_reports_reading_matches_what_was_read() -> None:
    shared_path()
    for path in real_reports():
        gold = gold_for(path)
        record = analyze(path)
        reading = record.reading
        assert reading["format"] == path.suffix.lstrip(".")
        assert reading["sections"]["found"] == [k for k in SIX if k in gold["sections"]]
        if reading["verdict"] == "good" and reading["cells"]:
            # A good report's every gold cell is read (a value or a printed blank).
            for table, cells in (gold.get("tables") or {}).items():
                assert all(record.tables[table].get(k) == v for k, v in cells.items() if v is not None), path.name


def test_run_together_reports_with_ambiguous_cells_need_a_look() -> None:
    shared_path()
    record = analyze(next(p for p in real_reports() if p.name == "pingtan_2019.txt"))
    assert record.reading["verdict"] == "check"
    assert record.reading["cells"]["not_read"] > 0


def test_reading_in_the_json_record(tmp_path: Path) -> None:
    path = sorted((SAMPLE / "reports").iterdir())[0]
    out = CliRunner().invoke(main, ["analyze", "--json", str(path)])
    assert out.exit_code == 0, out.output
    record = json.loads(out.output.splitlines()[0])
    assert record["reading"]["verdict"] in VERDICTS
    text = CliRunner().invoke(main, ["analyze", str(path)]).output
    assert "reading" in text and record["reading"]["verdict"] in text


# --- the corpus database, the summary, the page --------------------------------


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from textmine.corpus import tag

    path = tmp_path_factory.mktemp("reading") / "corpus.duckdb"
    result = tag([SAMPLE / "reports"], path, workers=1)
    assert result.errors == 0
    return path


def test_database_holds_every_reading(tagged: Path) -> None:
    con = duckdb.connect(str(tagged), read_only=True)
    try:
        n_reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
        rows = con.execute("SELECT report, verdict, cell_share, reasons FROM reading").fetchall()
        version = con.execute("SELECT max(version) FROM schema_info").fetchone()[0]
    finally:
        con.close()
    assert len(rows) == n_reports
    assert {r[1] for r in rows} <= set(VERDICTS)
    assert version == SCHEMA_VERSION


def test_quality_figures_equal_pandas(tagged: Path) -> None:
    from textmine.corpus import open as open_corpus
    from textmine.corpus.quality import reading_quality, reports_to_check

    with open_corpus(tagged) as db:
        reports, reading = db.reports, db.reading
        for by in ("format", "level", "year"):
            got = reading_quality(db, by)
            merged = reports[reports.duplicate_of.isna()].merge(reading, left_on="id", right_on="report", how="left")
            want = merged.groupby(by, dropna=False).agg(
                reports=("id", "size"), good=("verdict", lambda v: int((v == "good").sum()))
            )
            for row in got.itertuples():
                key = getattr(row, by)
                match = want.loc[want.index.isna()] if pd.isna(key) else want.loc[[key]]
                assert int(match["reports"].iloc[0]) == row.reports
                assert int(match["good"].iloc[0]) == row.good
        worst = reports_to_check(db, limit=None)
        flagged = reading[reading.verdict.isin(["check", "poor"])]
        assert set(worst["report"]) == set(flagged["report"])
        order = [{"poor": 0, "check": 1}[v] for v in worst["verdict"]]
        assert order == sorted(order)


def test_version_1_database_gains_the_table(tmp_path: Path, tagged: Path) -> None:
    from textmine.corpus import open as open_corpus
    from textmine.corpus.quality import reading_overview
    from textmine.corpus.store import connect

    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute(f"ATTACH '{tagged}' AS src (READ_ONLY)")
    for table in (
        "schema_info",
        "reports",
        "texts",
        "sections",
        "cells",
        "table_notes",
        "claims",
        "checks",
        "items",
        "errors",
    ):
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
    # Version 1 had neither the reading table nor the claims' expr and readings.
    con.execute("ALTER TABLE claims DROP COLUMN expr")
    con.execute("ALTER TABLE claims DROP COLUMN readings")
    con.execute("UPDATE schema_info SET version = 1")
    con.close()
    # Read-only, a version-1 file answers: its reports are not assessed.
    with open_corpus(old) as db:
        overview = reading_overview(db)
    assert overview["not_assessed"] > 0 and overview["good"] == 0
    # Opened for writing, it gains the table and the version.
    con = connect(old)
    try:
        assert con.execute("SELECT count(*) FROM reading").fetchone()[0] == 0
        assert con.execute("SELECT max(version) FROM schema_info").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()


def test_summary_and_page_show_reading(tagged: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["summary", str(tagged)])
    assert text.exit_code == 0, text.output
    assert "Reading quality by format" in text.output and "Reports to look at first" in text.output
    data = json.loads(runner.invoke(main, ["summary", "--json", str(tagged)]).output)
    overview = data["reading"]["overview"]
    assert sum(overview.values()) == data["overview"]["counted"]
    assert {row["format"] for row in data["reading"]["by"]["format"]} == set(data["overview"]["formats"])
    page = tmp_path / "page.html"
    out = runner.invoke(main, ["report", str(tagged), "--out", str(page)])
    assert out.exit_code == 0, out.output
    html = page.read_text("utf-8")
    assert 'id="reading"' in html and 'id="reading-format"' in html
    assert f"<b>{overview['good']}</b><span>份读取良好</span>" in html


def test_notes_survive_assessment() -> None:
    record = _record()
    record.notes.append(Note("read", "something"))
    assess_reading(record)
    assert record.notes[-1].message == "something"
