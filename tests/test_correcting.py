"""A person's corrections end to end: `textmine correct` adds, lists and
removes them; the corpus read through them (textmine.corpus.lens) gives the
corrected cells (their checks run again), dismissed findings and re-labelled
items to `summary`, `report`, `check` and `textmine.corpus.open`; a re-tag
keeps them; corrected items train the classifier."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import SHARED
from textmine.checks import run_checks
from textmine.cli import main
from textmine.corpus import open as open_corpus
from textmine.corpus import tag
from textmine.corpus.correcting import corrected_items, correction_kind
from textmine.corpus.lens import stored_record
from textmine.corpus.rows import check_row
from textmine.corpus.summary import category_shares, failing_rules
from textmine.corrections import corrections_path, read_corrections

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"
WRONG = SAMPLE / "broken" / "wrong_totals.html"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("correcting") / "corpus.duckdb"
    result = tag([SAMPLE / "reports", WRONG], path, workers=1)
    assert result.tagged > 0 and result.errors == 0, result
    return path


@pytest.fixture
def db(tagged: Path, tmp_path: Path) -> Path:
    # Each test corrects its own copy.
    copy = tmp_path / "corpus.duckdb"
    shutil.copyfile(tagged, copy)
    return copy


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def _status(db: Path, report: str, finding: str, **kw) -> str:
    rule, _, scope = finding.partition(":")
    with open_corpus(db, **kw) as c:
        rows = c.sql("SELECT status FROM checks WHERE report = ? AND rule = ? AND scope = ?", [report, rule, scope])
    return rows["status"].iloc[0]


def _wrong(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT id FROM reports WHERE source = ?", [str(WRONG)]).fetchone()[0]
    finally:
        con.close()


def test_a_stored_report_read_back_gives_its_stored_checks_again(tagged: Path) -> None:
    # The ground a cell correction stands on: its report's checks, run again
    # over the stored record with nothing corrected, are the stored ones.
    con = duckdb.connect(str(tagged), read_only=True)
    store = f'"{con.execute("SELECT current_database()").fetchone()[0]}".main'
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM reports").fetchall()]
        for rid in ids:
            record = stored_record(con, store, rid)
            stored = sorted(repr(check_row(rid, c)) for c in record.checks if not c.get("previous"))
            again = sorted(repr(check_row(rid, c)) for c in run_checks(record))
            assert stored == again, rid
    finally:
        con.close()
    assert len(ids) > 20


def test_targets_say_their_kind() -> None:
    assert correction_kind("t3.new_received.total") == "cell"
    assert correction_kind("t3.identity:total") == "finding"
    assert correction_kind("doc.published") == "finding"
    assert correction_kind("problem@10-40") == "item"


def test_a_corrected_cell_runs_its_checks_again(db: Path) -> None:
    rid = _wrong(db)
    assert _status(db, rid, "t3.identity:natural_person") == "fail"
    before = failing_rules(open_corpus(db).con).set_index("rule").loc["t3.identity", "fails"]
    out = _run("correct", "add", db, str(WRONG), "t3.new_received.natural_person", "387", "--by", "王", "--reason", "r")
    assert "applies: t3.new_received.natural_person: 386 → 387" in out
    assert _status(db, rid, "t3.identity:natural_person") == "pass"
    assert _status(db, rid, "t3.identity:natural_person", corrections=False) == "fail"
    with open_corpus(db) as c:
        after = failing_rules(c).set_index("rule").loc["t3.identity", "fails"]
        assert c.cells.set_index(["report", "key"]).loc[(rid, "t3.new_received.natural_person"), "value"] == 387
        assert c.applied["applied"].all()
    assert after == before - 1
    # The summary says it applied it.
    assert "1 of 1 corrections applied" in _run("summary", db)


def test_a_dismissed_finding_shows_who_and_why_and_no_longer_fails(db: Path, tmp_path: Path) -> None:
    rid = _wrong(db)
    _run("correct", "add", db, rid, "t3.identity:total", "--by", "李", "--reason", "表中合计含上年结转")
    assert _status(db, rid, "t3.identity:total") == "dismissed"
    with open_corpus(db) as c:
        rules = failing_rules(c).set_index("rule")
    with open_corpus(db, corrections=False) as c:
        tagged = failing_rules(c).set_index("rule")
    assert rules.loc["t3.identity", "fails"] == tagged.loc["t3.identity", "fails"] - 1
    page = tmp_path / "page.html"
    _run("report", db, "--out", page)
    html = page.read_text("utf-8")
    assert "已标记为误报" in html and "表中合计含上年结转" in html and "t3.identity:total" in html
    assert "本页范围：已应用更正 1/1 条" in html and "95%区间" in html
    # `check` on the file itself, with the corrections file.
    result = CliRunner().invoke(main, ["check", str(WRONG), "--corrections", str(corrections_path(db))])
    assert "DISMISSED" in result.output and "corrected (李, " in result.output and "表中合计含上年结转" in result.output
    assert result.exit_code == 1  # other identities still fail


def test_a_relabelled_item_changes_the_shares(db: Path) -> None:
    with open_corpus(db) as c:
        items = c.items
    item = items[(items["kind"] == "problem") & items["categories"].map(lambda x: "innovation" not in list(x))].iloc[0]
    target = f"problem@{item['start']}-{item['end']}"
    before = category_shares(open_corpus(db).con).set_index("category").loc["innovation", "admitting"]
    admits_already = "innovation" in set(
        items.loc[(items["report"] == item["report"]) & (items["kind"] == "problem"), "categories"].explode()
    )
    _run("correct", "add", db, item["report"], target, "创新特色不足")
    with open_corpus(db) as c:
        after = category_shares(c).set_index("category").loc["innovation", "admitting"]
        got = c.sql("SELECT categories FROM items WHERE report = ? AND start = ?", [item["report"], int(item["start"])])
    assert list(got["categories"].iloc[0]) == ["innovation"]
    assert after == before + (0 if admits_already else 1)
    # A corrected item trains the classifier: its stored text, the corrected categories.
    (trained,) = corrected_items(db)
    assert trained.text == item["text"] and trained.categories == ("innovation",) and trained.source == "corrections"


def test_corrections_survive_a_retag_and_go_when_removed(db: Path) -> None:
    rid = _wrong(db)
    _run("correct", "add", db, rid, "t3.identity:total", "--by", "李")
    _run("correct", "add", db, rid, "problem@1-5", "timeliness")
    tag([SAMPLE / "reports", WRONG], db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    assert sorted(con.execute("SELECT kind, target FROM corrections").fetchall()) == [
        ("finding", "t3.identity:total"),
        ("item", "problem@1-5"),
    ]
    con.close()
    listing = _run("correct", "list", db)
    assert "STALE" in listing and "no problem item at 1-5" in listing and "1 of 2 corrections apply" in listing
    assert _status(db, rid, "t3.identity:total") == "dismissed"
    _run("correct", "remove", db, rid, "t3.identity:total")
    _run("correct", "remove", db, rid, "problem@1-5")
    assert _status(db, rid, "t3.identity:total") == "fail"
    assert read_corrections(corrections_path(db)) == []
    assert "no corrections" in _run("correct", "list", db)


def test_bad_corrections_are_named_by_file_and_line(db: Path) -> None:
    path = corrections_path(db)
    path.write_text("kind,report,target,value,reason,by,at\nfinding,abc,t3.identity:total,false_positive,,,\n", "utf-8")
    result = CliRunner().invoke(main, ["summary", str(db)])
    assert result.exit_code == 2
    assert f"{path}: line 2: finding t3.identity:total: report 'abc'" in result.output
    missing = CliRunner().invoke(main, ["correct", "add", str(db), "nope", "t3.identity:total"])
    assert missing.exit_code == 2 and "no stored report 'nope'" in missing.output


def test_training_with_corrections_reports_the_held_out_figures_without_them(db: Path, tmp_path: Path) -> None:
    from textmine.problems.train import Item, load_annotations, train_default

    if not (SHARED / "corpus" / "gold").is_dir():
        pytest.skip(f"real-report corpus not found at {SHARED}/corpus (the held-out reports are there)")
    annotations = tmp_path / "few.jsonl"
    lines = (ROOT / "corpora" / "annotations" / "problems.jsonl").read_text("utf-8").splitlines()
    annotations.write_text("\n".join(lines[:240]) + "\n", "utf-8")
    assert len(load_annotations(annotations)) == 240
    corrected = [Item("个别栏目信息更新不及时", ("timeliness",), group="report:x", source="corrections")]
    metrics = train_default(
        annotations,
        SHARED / "corpus" / "gold",
        ROOT / "corpora" / "annotations" / "problem_splits.toml",
        tmp_path / "m" / "problems.skops",
        corrected=corrected,
    )
    assert metrics["corrections"]["items"] == 1
    assert metrics["training"]["by_source"]["corrections"] == 1
    before, after = metrics["corrections"]["held_out_before"], metrics["held_out"]
    assert set(before) == set(after) and before["model"]["all"]["items"] == after["model"]["all"]["items"]
    card = (tmp_path / "m" / "problems.md").read_text("utf-8")
    assert "## Corrections: 1 corrected items in the training data" in card
