"""Nothing lost, nothing hangs: odd names, odd files, hung and orphaned
workers, honest exit codes (issue 11; the readers' bounds are in
test_read_limits.py, the database's safety in test_corpus_safety.py)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import stored_rows
from textmine.cli import main, printable
from textmine.corpus import tag
from textmine.inputs import iter_inputs
from textmine.record import source_name

duckdb = pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "reports"
TEXT_REPORTS = sorted(SAMPLE.glob("*.txt"))
GBK_NAME = "年度报告".encode("gbk") + b".txt"  # not valid UTF-8: a name from a Windows zip


_stored = stored_rows


def _folder(tmp_path: Path, n: int = 3) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in TEXT_REPORTS[:n]:
        shutil.copy(path, folder / path.name)
    return folder


def _write_bytes_name(folder: Path, name: bytes, data: bytes) -> Path:
    target = os.path.join(os.fsencode(folder), name)
    with open(target, "wb") as f:
        f.write(data)
    return Path(os.fsdecode(target))


# 1. Names that are not UTF-8 --------------------------------------------------


def test_a_gbk_file_name_is_stored_and_the_batch_is_whole(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    _write_bytes_name(folder, GBK_NAME, TEXT_REPORTS[3].read_bytes())
    _write_bytes_name(folder, "坏的".encode("gbk") + b".pdf", b"not a pdf at all")
    db = tmp_path / "c.duckdb"
    result = tag([folder], db, workers=1)
    assert (result.tagged, result.errors) == (4, 1)
    sources = {row[0] for row in _stored(db, "SELECT source FROM reports")}
    assert os.fsdecode(os.path.join(os.fsencode(folder), GBK_NAME)) not in sources  # not the surrogates
    # Each byte that is not UTF-8 as \\xNN (two of these happen to be a valid UTF-8 pair).
    assert str(folder / GBK_NAME.decode("utf-8", "backslashreplace")) in sources
    assert "\\xc4\\xea" in GBK_NAME.decode("utf-8", "backslashreplace")
    (error,) = _stored(db, "SELECT source, stage FROM errors")
    assert error == (str(folder / ("坏的".encode("gbk") + b".pdf").decode("utf-8", "backslashreplace")), "read")
    # The cross-year pass ran, and a rerun repeats nothing.
    again = tag([folder], db, workers=1)
    assert (again.tagged, again.errors, again.skipped) == (0, 0, 5)


def test_analyze_json_of_a_gbk_name_is_valid_utf8(tmp_path: Path) -> None:
    path = _write_bytes_name(tmp_path, GBK_NAME, TEXT_REPORTS[0].read_bytes())
    result = CliRunner().invoke(main, ["analyze", "--json", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout_bytes.decode("utf-8"))
    assert record["source"] == source_name(path) and "\\xc4" in record["source"]


@given(st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\0" not in b and b not in (b".", b"..")))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_name_a_file_system_allows_gives_a_valid_utf8_source(tmp_path: Path, name: bytes) -> None:
    path = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), name)))
    shown = source_name(path)
    shown.encode("utf-8")  # never raises
    assert shown == str(path) or "\\x" in shown


# 6, 8. Every input accounted for once -----------------------------------------


def test_a_fifo_is_an_error_row_and_the_run_does_not_block(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    os.mkfifo(folder / "pipe.txt")
    db = tmp_path / "c.duckdb"
    result = tag([folder, folder / "pipe.txt"], db, workers=1)  # in a folder and named
    assert result.tagged == 2
    assert _stored(db, "SELECT stage, message FROM errors") == [("input", "not a regular file (a FIFO)")]


def test_unhashable_inputs_are_recorded_once_over_reruns(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 1)
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    db = tmp_path / "c.duckdb"
    for _ in range(3):
        tag([folder, tmp_path / "missing.html"], db, workers=1)
    rows = _stored(db, "SELECT source, message FROM errors ORDER BY source")
    assert rows == [
        (str(folder / "gone.txt"), "a link to a file that does not exist"),
        (str(tmp_path / "missing.html"), "no such file"),
    ]
    # Once the file is there, its old error row goes.
    shutil.copy(TEXT_REPORTS[5], tmp_path / "missing.html")
    tag([folder, tmp_path / "missing.html"], db, workers=1)
    assert [r[0] for r in _stored(db, "SELECT source FROM errors")] == [str(folder / "gone.txt")]


def test_an_unreadable_folder_is_an_error_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _folder(tmp_path, 1)
    locked = folder / "locked"
    locked.mkdir()
    scandir = os.scandir

    def refuse_locked(path):  # type: ignore[no-untyped-def]
        # chmod 0 does not stop root (CI runs as root): refuse as the kernel would.
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    result = tag([folder], tmp_path / "c.duckdb", workers=1)
    assert result.tagged == 1
    assert result.failures == [(str(locked), "input", "cannot open this folder: Permission denied")]


def test_walking_accounts_for_links_legacy_files_and_the_rest(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(TEXT_REPORTS[4], elsewhere / "linked.txt")
    (folder / "link").symlink_to(elsewhere, target_is_directory=True)
    (folder / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    result = tag([folder], db, workers=1)
    assert result.tagged == 3  # the two, and the one behind the link
    assert [(Path(s).name, stage) for s, stage, _ in result.failures] == [("old.doc", "read")]
    assert "legacy Office file" in result.failures[0][2]
    assert result.ignored == {".jpg": 1, "hidden": 1, "a folder seen before": 1}
    # The .doc is known by its bytes: a rerun does not add it again.
    tag([folder], db, workers=1)
    assert _stored(db, "SELECT count(*) FROM errors") == [(1,)]


def test_iter_inputs_follows_the_order_of_a_sorted_walk(tmp_path: Path) -> None:
    for name in ("b/2.txt", "b/1.txt", "a/z.txt", "c.txt", "a/sub/y.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    walked = [e.path.relative_to(tmp_path).as_posix() for e in iter_inputs([tmp_path])]
    assert walked == ["c.txt", "a/z.txt", "a/sub/y.html", "b/1.txt", "b/2.txt"]


# 5 (tag's part). A time limit for every file -----------------------------------


def test_a_file_over_the_time_limit_is_an_error_row_and_the_run_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textmine import pipeline

    real = pipeline.analyze_document

    def slow_on_one(document, *args, **kwargs):  # type: ignore[no-untyped-def]
        if document.source.endswith("SLOW.txt"):
            while True:  # pure Python: only the alarm stops it
                pass
        return real(document, *args, **kwargs)

    monkeypatch.setattr(pipeline, "analyze_document", slow_on_one)
    folder = _folder(tmp_path, 2)
    (folder / "SLOW.txt").write_bytes(TEXT_REPORTS[6].read_bytes())
    result = tag([folder], tmp_path / "c.duckdb", workers=1, timeout=0.5)
    assert result.tagged == 2
    ((source, stage, message),) = result.failures
    assert source.endswith("SLOW.txt") and stage == "analyze"
    assert message == "took over 0.5 s (raise it with --timeout)"


def _hangs_past_the_alarm(items, options):  # type: ignore[no-untyped-def]
    from textmine.corpus.work import analyze_files

    if any("HANG" in source for _, source, _ in items):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as a stuck native call would
        time.sleep(3600)
    return analyze_files(items, options)


def test_a_worker_hung_past_its_alarm_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textmine.corpus import runners

    folder = _folder(tmp_path, 4)
    (folder / "HANG.txt").write_bytes(TEXT_REPORTS[7].read_bytes())
    monkeypatch.setattr(runners, "GRACE", 2.0)
    monkeypatch.setattr(
        runners.PoolRunner, "submit", lambda self, items: self.pool.submit(_hangs_past_the_alarm, items, self.options)
    )
    started = time.monotonic()
    result = tag([folder], tmp_path / "c.duckdb", workers=2, chunk_size=2, timeout=1.0)
    assert time.monotonic() - started < 60
    assert result.tagged == 4
    assert [(Path(s).name, stage) for s, stage, _ in result.failures] == [("HANG.txt", "worker")]
    assert "did not stop" in result.failures[0][2]


# 7. Workers end with their run ------------------------------------------------

_TAGGER = """
import sys
from textmine.corpus import tag

def progress(done, total):
    print(done, flush=True)

if __name__ == "__main__":
    tag(sys.argv[2:], sys.argv[1], workers=2, chunk_size=1, batch_size=2, progress=progress)
"""


def test_kill_9_of_tag_ends_its_workers_too(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    folder = tmp_path / "in"
    folder.mkdir()
    for path in [*TEXT_REPORTS, *sorted(SAMPLE.glob("*.html"))]:
        shutil.copy(path, folder / path.name)
    script = tmp_path / "tagger.py"
    script.write_text(_TAGGER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "k.duckdb"), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if int(line) >= 3:
            break
    children = psutil.Process(proc.pid).children(recursive=True)
    assert len(children) >= 3  # the forkserver and two workers (and the resource tracker)
    proc.kill()
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=20)
    for child in alive:
        child.kill()
    assert not alive, [c.cmdline()[-1][:60] for c in alive]


# 9, 10. Exit codes and each input on its own ------------------------------------


def test_analyze_goes_on_past_a_missing_file_and_walks_folders(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    result = CliRunner().invoke(
        main, ["analyze", "--json", str(TEXT_REPORTS[5]), str(tmp_path / "missing.txt"), str(folder)]
    )
    assert result.exit_code == 1
    sources = [json.loads(line)["source"] for line in result.stdout.splitlines()]
    assert sources == [str(TEXT_REPORTS[5]), *(str(folder / p.name) for p in TEXT_REPORTS[:2])]
    assert f"error: {tmp_path / 'missing.txt'}: no such file" in result.stderr
    assert "1 of 4 input(s) failed" in result.stderr


@pytest.mark.parametrize("command", ["analyze", "check", "problems"])
def test_the_exit_code_rule_for_commands_over_files(command: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    runner = CliRunner()
    assert runner.invoke(main, [command, str(TEXT_REPORTS[0])]).exit_code in (0, 1)  # check: 1 = a check failed
    assert runner.invoke(main, [command, str(TEXT_REPORTS[0]), str(bad)]).exit_code == 1
    assert runner.invoke(main, [command]).exit_code == 2  # usage


def test_tag_exits_1_when_a_file_failed_and_0_when_all_were_done(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 2)
    db = tmp_path / "c.duckdb"
    runner = CliRunner()
    ok = runner.invoke(main, ["tag", str(folder), "--db", str(db), "--workers", "1"])
    assert ok.exit_code == 0, ok.output
    (folder / "broken.docx").write_bytes(b"not a zip")
    failed = runner.invoke(main, ["tag", str(folder), "--db", str(db), "--workers", "1"])
    assert failed.exit_code == 1 and "broken.docx" in failed.stderr
    refused = runner.invoke(main, ["tag", str(folder), "--db", str(folder / TEXT_REPORTS[0].name)])
    assert refused.exit_code == 2 and refused.stderr.startswith("error: ")
    assert len(refused.stderr.strip().splitlines()) == 1


# 11. eval never scores nothing ---------------------------------------------------


def test_eval_with_gold_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "unrelated.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path), str(TEXT_REPORTS[0])])
    assert result.exit_code == 2
    assert "no gold record matches" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"tables": [1]}', "\udcff"])
def test_eval_names_a_malformed_gold_file(tmp_path: Path, content: str) -> None:
    gold = tmp_path / f"{TEXT_REPORTS[0].stem}.json"
    gold.write_bytes(content.encode("utf-8", "surrogateescape"))
    result = CliRunner().invoke(main, ["eval", str(tmp_path), str(TEXT_REPORTS[0])])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {gold}: ") and "Traceback" not in result.output


# 12. The public API whatever was imported first ------------------------------------


@pytest.mark.parametrize("first", ["textmine.read.docx", "textmine.read", "textmine.pipeline", "textmine"])
def test_read_and_analyze_whatever_the_import_order(first: str) -> None:
    docx = min(SAMPLE.glob("*.docx"))
    code = (
        f"import {first}, textmine; textmine.analyze({str(TEXT_REPORTS[0])!r}); "
        f"print(textmine.read({str(docx)!r}).format, textmine.read.read_bytes.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["docx", "read_bytes"]


# 14. A report cannot drive the terminal -------------------------------------------

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\x7f"


def test_control_sequences_in_a_report_are_not_printed(tmp_path: Path) -> None:
    text = TEXT_REPORTS[0].read_text("utf-8").replace("。", ESCAPES + "。")
    path = tmp_path / f"esc{ESCAPES[:4]}.txt"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    for args in (["analyze"], ["problems"], ["check"], ["analyze", "--text"]):
        result = runner.invoke(main, [*args, str(path)])
        assert result.exit_code in (0, 1), result.output
        assert not any(c in result.output for c in "\x1b\x07\x9b\x7f"), args
    # JSON keeps the data whole, escaped.
    record = json.loads(runner.invoke(main, ["analyze", "--json", str(path)]).output)
    assert "\x1b]0;owned\x07" in record["problems"][0]["text"] or ESCAPES in json.dumps(record, ensure_ascii=False)
    raw = runner.invoke(main, ["analyze", "--json", str(path)]).output
    assert "\x9b" not in raw and "\\u009b" in raw


def test_analyze_text_keeps_offsets_when_it_hides_control_characters(tmp_path: Path) -> None:
    text = TEXT_REPORTS[0].read_text("utf-8").replace("。", "\x1b[31m。", 3)
    path = tmp_path / "esc.txt"
    path.write_text(text, encoding="utf-8")
    runner = CliRunner()
    shown = runner.invoke(main, ["analyze", "--text", str(path)]).output
    record = json.loads(runner.invoke(main, ["analyze", "--json", str(path)]).output)
    for section in record["sections"]:
        assert shown[section["start"] : section["end"]].replace("\ufffd", "") == printable(
            record_text(path)[section["start"] : section["end"]]
        )


def record_text(path: Path) -> str:
    import textmine

    return textmine.analyze(path).text


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=50))
def test_printable_leaves_no_control_character(text: str) -> None:
    shown = printable(text)
    assert all(c in "\n\t" or not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in shown)


# 15 (this side). Dask addresses ------------------------------------------------------


@pytest.mark.parametrize("address", ["not a url", "tcp://127.0.0.1:9"])
def test_an_unreachable_dask_scheduler_is_one_line_and_leaves_no_database(address: str, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    db = tmp_path / "c.duckdb"
    result = CliRunner().invoke(main, ["tag", str(TEXT_REPORTS[0]), "--db", str(db), "--dask", address])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {address}: cannot reach a Dask scheduler")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not db.exists()


def test_python_m_textmine_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "textmine", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    for command in main.commands:
        assert f"  {command} " in out


def test_tag_export_to_a_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    db = tmp_path / "c.duckdb"
    result = CliRunner().invoke(
        main, ["tag", str(TEXT_REPORTS[0]), "--db", str(db), "--workers", "1", "--export", str(blocker / "parquet")]
    )
    assert result.exit_code == 1  # the tagging was done; the export was not
    assert result.stderr.strip().startswith("error: ") and "Traceback" not in result.output
    assert _stored(db, "SELECT count(*) FROM reports") == [(1,)]


def test_tag_never_reads_a_file_over_the_size_limit_whole(tmp_path: Path) -> None:
    from textmine.read.limits import ReadLimits

    folder = _folder(tmp_path, 2)
    (folder / "huge.txt").write_bytes(b"x" * 3_000_000)
    db = tmp_path / "c.duckdb"
    result = tag([folder], db, workers=1, limits=ReadLimits(max_file_bytes=1_000_000))
    assert result.tagged == 2
    assert result.failures == [
        (str(folder / "huge.txt"), "read", "2.9 MB file, over the limit of 1.0 MB (raise it with --max-file-mb)")
    ]
    assert tag([folder], db, workers=1, limits=ReadLimits(max_file_bytes=1_000_000)).errors == 0  # known by its hash
    cli = CliRunner().invoke(main, ["analyze", str(folder / "huge.txt"), "--max-file-mb", "1"])
    assert cli.exit_code == 1 and "--max-file-mb" in cli.stderr


@pytest.mark.parametrize("command", ["analyze", "check", "problems", "tag"])
def test_inputs_without_a_report_file_are_nothing_done(command: str, tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    extra = ["--db", str(tmp_path / "c.duckdb"), "--workers", "1"] if command == "tag" else []
    result = CliRunner().invoke(main, [command, str(tmp_path), *extra])
    assert result.exit_code == 2
    assert "error: no report file among the inputs" in result.stderr


def test_summary_of_a_corpus_holding_control_sequences_prints_none(tmp_path: Path) -> None:
    text = TEXT_REPORTS[0].read_text("utf-8").replace("。", ESCAPES + "。")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"esc{ESCAPES[:4]}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "c.duckdb"
    tag([folder], db, workers=1)
    runner = CliRunner()
    for args in ([], ["--category", "timeliness"], ["--csv"]):
        result = runner.invoke(main, ["summary", str(db), *args])
        assert result.exit_code == 0, result.output
        assert not any(c in result.output for c in "\x1b\x07\x9b\x7f"), args


# Real reports (../shared/corpus): the bounds and the odd names on what users bring -------


def _real(suffix: str) -> Path:
    from conftest import real_reports, shared_path

    shared_path()  # skips, saying why, in a clone without ../shared
    return next(p for p in real_reports() if p.suffix == suffix)


def test_real_reports_under_gbk_names_are_read_as_under_their_own(tmp_path: Path) -> None:
    from textmine import analyze

    reports = [_real(suffix) for suffix in (".pdf", ".docx", ".html", ".txt")]
    folder = tmp_path / "in"
    folder.mkdir()
    for i, path in enumerate(reports):
        _write_bytes_name(folder, f"报告{i}".encode("gbk") + path.suffix.encode(), path.read_bytes())
    db = tmp_path / "c.duckdb"
    result = tag([folder], db, workers=1)
    assert (result.tagged, result.errors) == (len(reports), 0)
    stored = sorted(
        _stored(db, "SELECT agency, year, (SELECT count(*) FROM cells c WHERE c.report = r.id) FROM reports r"), key=str
    )
    expected = []
    for path in reports:
        record = analyze(path)
        n_cells = sum(len(cells) for cells in record.tables.values())
        expected.append((record.meta["agency"], record.meta["year"], n_cells))
    assert stored == sorted(expected, key=str)


def test_real_files_over_a_bound_are_error_rows_naming_it(tmp_path: Path) -> None:
    from textmine.read.limits import ReadLimits

    pdf, docx, txt = _real(".pdf"), _real(".docx"), _real(".txt")
    db = tmp_path / "c.duckdb"
    result = tag(
        [pdf, docx, txt],
        db,
        workers=1,
        limits=ReadLimits(max_pages=1, max_expanded_bytes=20_000, max_file_bytes=10_000_000),
    )
    assert result.tagged == 1  # the text report: nothing in it to expand, no pages
    messages = {Path(source).suffix: message for source, _, message in result.failures}
    assert "(raise it with --max-pages)" in messages[".pdf"]
    assert "(raise it with --max-expanded-mb)" in messages[".docx"]


def test_a_real_html_report_nested_deep_reads_as_the_page_itself(tmp_path: Path) -> None:
    from textmine import analyze

    page = _real(".html")
    raw = page.read_bytes()
    body = raw.lower().find(b"<body")
    start = raw.index(b">", body) + 1
    end = raw.lower().rfind(b"</body>")
    nested = raw[:start] + b"<div>" * 400 + raw[start:end] + b"</div>" * 400 + raw[end:]
    deep = tmp_path / page.name
    deep.write_bytes(nested)
    plain, wrapped = analyze(page), analyze(deep)
    assert wrapped.tables == plain.tables
    assert [s.key for s in wrapped.sections] == [s.key for s in plain.sections]
