"""The whole pipeline on the sample corpus, its broken variants and the real
reports: records match gold, bad input gets one clear error, the batch goes on."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE, real_reports, sample_reports
from textmine.cli import main
from textmine.errors import NotAReportError, TextmineError
from textmine.evaluate import evaluate
from textmine.pipeline import analyze

BROKEN = SAMPLE / "broken"


def _broken_manifest() -> list[dict[str, str]]:
    with (BROKEN / "manifest.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_sample_corpus_matches_its_gold() -> None:
    scores = evaluate(SAMPLE / "gold", sample_reports())
    summary = scores.summary()
    assert summary["files"] == len(sample_reports()) >= 30
    assert summary["errors"] == 0
    assert summary["sections_f1"] >= 0.98
    assert summary["meta_accuracy"] >= 0.95
    assert summary["cells_wrong"] == 0
    for f in scores.files:
        # Every file whose cells are separated reads in full.
        if f.recovered == 0 and f.cells_total:
            assert f.cell_accuracy >= 0.99, f.file


@pytest.mark.parametrize("row", _broken_manifest(), ids=lambda r: r["id"])
def test_broken_input_is_an_error_or_a_record_with_notes(row: dict[str, str]) -> None:
    path = BROKEN / row["file"]
    if row["gold"] == "yes":
        record = analyze(path)
        gold = json.loads((BROKEN / "gold" / f"{path.stem}.json").read_text("utf-8"))
        for table, cells in gold.get("tables", {}).items():
            for key, want in cells.items():
                got = record.tables[table].get(key)
                # Blank stays blank; nothing read is wrong.
                assert got is None or (want is not None and abs(got - want) < 1e-6), (table, key, got, want)
        if row["kind"] in ("missing_cells", "truncated"):
            assert record.table_notes
        return
    with pytest.raises(TextmineError) as info:
        analyze(path)
    message = str(info.value)
    assert row["file"] in message
    if row["kind"] == "not_a_report":
        assert isinstance(info.value, NotAReportError)


def test_batch_goes_on_past_broken_files() -> None:
    files = sorted(p for p in BROKEN.iterdir() if p.is_file() and p.suffix != ".md" and p.suffix != ".tsv")
    good = sample_reports()[:2]
    result = CliRunner().invoke(main, ["analyze", "--json", *map(str, files), *map(str, good)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    failing = sum(1 for r in _broken_manifest() if r["gold"] == "no")
    assert len(errors) == failing
    assert len(records) == len(files) - failing + len(good)


@pytest.mark.parametrize("report", real_reports() or [None], ids=lambda p: p.name if p else "absent")
def test_every_real_report_yields_tables_or_says_why(report: Path | None) -> None:
    if report is None:
        pytest.skip("real-report corpus (../shared/corpus) absent")
    record = analyze(report)
    has_tables = all(record.tables[t] for t in ("t2", "t3", "t4"))
    assert has_tables or record.table_notes


def test_same_input_same_record() -> None:
    path = sample_reports()[0]
    assert analyze(path).to_json() == analyze(path).to_json()


def test_a_report_held_in_a_string_is_analysed_as_its_file_is() -> None:
    """analyze_text: a scraped page or a pasted text, read as the file
    holding it would be (markup as a page); only the source differs."""
    import textmine
    from textmine.read import read_text

    for path in (SAMPLE / "reports" / "syn001_2024.html", next(p for p in sample_reports() if p.suffix == ".txt")):
        text = path.read_text("utf-8")
        from_file, from_text = analyze(path).to_dict(), textmine.analyze_text(text, source="pasted").to_dict()
        assert from_text["source"] == "pasted" and from_file["source"] == str(path)
        for key in ("meta", "sections", "tables", "problems", "improvements", "claims"):
            assert from_text[key] == from_file[key], (path.name, key)
    assert read_text("一、总体情况\n本年主动公开信息12条。").source == "<text>"
    with pytest.raises(TypeError, match="str"):
        read_text(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TextmineError, match="empty text") as caught:
        read_text(" \n ", source="form field")
    assert caught.value.source == "form field"


@pytest.mark.parametrize("text", ["一、总体情况\n本年主动公开信息12条。", "报告" * 3000])
def test_a_report_text_given_as_a_path_gets_a_short_clear_error(text: str) -> None:
    """analyze(text) used to fail with "File name too long" and the whole
    report as the file's name."""
    from textmine.errors import UnreadableFileError

    for given in (text, Path(text)):
        with pytest.raises(UnreadableFileError) as caught:
            analyze(given)
        message = str(caught.value)
        assert "analyze_text" in message and len(message) < 300, message
        assert f"{len(text):,} characters" in caught.value.source


def test_a_string_is_read_as_its_source_or_format_says(tmp_path: Path) -> None:
    """The review's cases: a page behind a byte-order mark is a page; a page
    fragment without the usual markers is a page when its source says .html
    or fmt says html; a plain text that mentions <div> stays text when its
    source says .txt; a str decoded with surrogateescape is read from its
    bytes; a path is a source; an existing file with a newline in its name
    is read, not taken for text."""
    from textmine.errors import UnreadableFileError
    from textmine.read import read, read_text, sniff_format

    page = (SAMPLE / "reports" / "syn001_2024.html").read_text("utf-8")
    assert sniff_format(b"\xef\xbb\xbf" + page.encode("utf-8")) == "html"
    assert read_text("\ufeff" + page).tables == read_text(page).tables != []
    fragment = page[page.index("<body") :].replace("<body", "<section", 1)
    fragment = (
        "<p style='x'>" + "。" * 5000 + "</p>" + fragment.replace("<div", "<span").replace("<p>", "<p class='a'>")
    )
    assert read_text(fragment).format == "txt"  # nothing near its start says page
    assert read_text(fragment, source="https://example.gov.cn/a/2023.html?from=list").format == "html"
    assert read_text(fragment, fmt="html").format == "html"
    plain = "一、总体情况\n网页中的<div>标签不是本报告的格式。\n二、主动公开政府信息情况\n"
    assert read_text(plain, source="notes.txt").format == "txt"
    gbk = (SAMPLE / "reports" / "syn005_2025.html").read_bytes()
    escaped = gbk.decode("utf-8", errors="surrogateescape")
    assert (
        read_text(escaped, source=SAMPLE / "reports" / "syn005_2025.html").text
        == read(SAMPLE / "reports" / "syn005_2025.html").text
    )
    assert read_text(plain, source=Path("x") / "y.txt").source == str(Path("x") / "y.txt")
    with pytest.raises(UnreadableFileError, match="lone surrogate"):
        read_text("一、总体情况\ud800")
    odd = tmp_path / "a\nb.txt"
    odd.write_text(plain, "utf-8")
    assert read(str(odd)).source == str(odd)


def test_real_reports_held_in_strings_or_piped_in_read_as_their_files() -> None:
    """Every real text and HTML report (GBK pages among them), its bytes
    decoded as a scraper without the encoding would (surrogateescape) and
    given to analyze_text, and one of each piped to `textmine analyze -`:
    the records equal analyze(path)'s but for the source."""
    import json

    import textmine

    reports = [p for p in real_reports() if p.suffix in (".txt", ".html")]
    if not reports:
        pytest.skip("real-report corpus not found (a user's clone has no ../shared; CI has it)")
    keys = ("meta", "sections", "tables", "problems", "improvements", "claims", "reading")
    for path in reports:
        from_file = analyze(path).to_dict()
        text = path.read_bytes().decode("utf-8", errors="surrogateescape")
        from_text = textmine.analyze_text(text, source=path).to_dict()
        assert {k: from_text[k] for k in keys} == {k: from_file[k] for k in keys}, path.name
    for suffix in (".txt", ".html"):
        path = next(p for p in reports if p.suffix == suffix)
        piped = CliRunner().invoke(main, ["analyze", "--json", "-"], input=path.read_bytes())
        assert piped.exit_code == 0, piped.output
        record, from_file = json.loads(piped.output), analyze(path).to_dict()
        assert record["source"] == "<stdin>"
        assert {k: record[k] for k in keys} == {k: from_file[k] for k in keys}, path.name
