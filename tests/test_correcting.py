"""A person's corrections end to end: `textmine correct` adds, lists and
removes them; the corpus read through them (textmine.corpus.lens) gives the
corrected cells (their checks run again), dismissed findings and re-labelled
items to `summary`, `report`, `check` and `textmine.corpus.open`; a re-tag
keeps them; corrected items train the classifier."""

from __future__ import annotations

import json
import shutil
from datetime import date
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
    assert "已人工排除的检查（1）" in html and "未通过的检查（4）" in html
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
    with open_corpus(db) as c:
        evidence = c.sql(
            "SELECT evidence FROM items WHERE report = ? AND start = ?", [item["report"], int(item["start"])]
        )
    assert json.loads(evidence["evidence"].iloc[0]) == {
        "innovation": [{"pattern": "correction", "by": "", "reason": "", "at": date.today().isoformat()}]
    }
    assert after == before + (0 if admits_already else 1)
    # A corrected item trains the classifier: its stored text, the corrected categories.
    (trained,) = corrected_items(db)
    assert trained.text == item["text"] and trained.categories == ("innovation",) and trained.source == "corrections"


def test_corrections_survive_a_retag_and_go_when_removed(db: Path) -> None:
    rid = _wrong(db)
    _run("correct", "add", db, rid, "t3.identity:total", "--by", "李")
    refused = CliRunner().invoke(main, ["correct", "add", str(db), rid, "problem@1-5", "timeliness"])
    assert refused.exit_code == 2 and "no problem item at 1-5" in refused.output and "--force" in refused.output
    _run("correct", "add", db, rid, "problem@1-5", "timeliness", "--force")
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


def test_a_database_without_its_file_keeps_its_corrections(db: Path) -> None:
    rid = _wrong(db)
    _run("correct", "add", db, rid, "t3.identity:total", "--by", "李")
    _run("correct", "add", db, rid, "t3.identity:natural_person", "--by", "李")
    corrections_path(db).unlink()  # the database copied alone: its table still holds them
    assert "2 of 2 corrections applied" in _run("summary", db)
    _run("correct", "add", db, rid, "t3.handled_sum:total", "--by", "李")
    assert len(read_corrections(corrections_path(db))) == 3
    assert stored_rows_count(db) == 3


def stored_rows_count(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM corrections").fetchone()[0]
    finally:
        con.close()


def test_what_cannot_be_a_correction_is_refused_and_not_saved(db: Path) -> None:
    rid = _wrong(db)
    for args, message in [
        ((rid, "t3.new_received.total", "nan"), "a finite number"),
        ((rid, "t3.new_received.total", "1e400"), "a finite number"),
        ((rid, "t3.new_received.totl", "5"), "no cell t3.new_received.totl"),
        ((rid, "t3.identity:totl"), "no finding t3.identity:totl"),
        ((rid, "doc.sections"), "does not fail"),
    ]:
        result = CliRunner().invoke(main, ["correct", "add", str(db), *args])
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    assert read_corrections(corrections_path(db)) == []
    assert "no corrections" in _run("correct", "list", db)


def test_a_correction_of_a_report_no_longer_stored_is_listed_and_removed(db: Path) -> None:
    gone = "0" * 64
    path = corrections_path(db)
    path.write_text(f"kind,report,target,value,reason,by,at\nfinding,{gone},t3.identity:total,false_positive,,,\n")
    listing = _run("correct", "list", db)
    assert "STALE" in listing and "0000000000000000 (not stored)" in listing
    _run("correct", "remove", db, gone, "t3.identity:total")
    assert read_corrections(path) == []


def test_corrections_count_within_the_selection(db: Path) -> None:
    rid = _wrong(db)
    _run("correct", "add", db, rid, "t3.identity:total")
    with open_corpus(db) as c:
        year = int(c.reports.set_index("id").loc[rid, "year"])
    with open_corpus(db, year=year) as c:
        assert c.lens.n_applied == 1 and c.lens.outside == 0
    with open_corpus(db, year=year + 1) as c:
        assert c.lens.applied == () and c.lens.outside == 1
    assert "corrections applied" not in _run("summary", db, "--year", year + 1)


def test_a_database_whose_name_holds_quotes_is_filtered(db: Path) -> None:
    odd = db.with_name('x"q".duckdb')
    shutil.copyfile(db, odd)
    with open_corpus(odd) as c:
        years = c.reports["year"].dropna().astype(int)
    year = int(years.mode()[0])
    with open_corpus(odd, year=year) as c:
        assert set(c.reports["year"]) == {year}


def test_a_duplicate_is_said_and_the_selection_keeps_duplicates_to_skip(db: Path, tmp_path: Path) -> None:
    original = sorted((SAMPLE / "reports").glob("*.txt"))[0]
    copy = tmp_path / "copy" / original.name
    copy.parent.mkdir()
    copy.write_bytes(original.read_bytes() + b"\n")  # other bytes, the same agency and year
    tag([copy], db, workers=1)
    with open_corpus(db) as c:
        dup = c.reports[c.reports["duplicate_of"].notna()]
        year = int(dup["year"].iloc[0])
    assert len(dup) == 1  # one of the two files (which one: the linking decides)
    result = CliRunner().invoke(main, ["correct", "add", str(db), dup["sha256"].iloc[0], "doc.published", "--force"])
    assert result.exit_code == 0 and "duplicate of report" in result.output
    summary = _run("summary", db, "--year", year, "--no-corrections")
    assert "(1 duplicate files skipped" in summary


def test_a_corrected_cell_runs_the_checks_between_two_years_again(tmp_path: Path) -> None:
    series = ROOT / "corpora" / "series" / "reports"
    files = sorted(series.glob("ser0001_*"))
    if len(files) < 2:
        pytest.skip("the series corpus is not generated")
    db = tmp_path / "series.duckdb"
    tag(files, db, workers=1)
    with open_corpus(db) as c:
        carry = c.sql(
            "SELECT report, previous, status FROM checks WHERE rule = 'year.carry' AND scope = 'total' "
            "AND previous IS NOT NULL ORDER BY report LIMIT 1"
        ).iloc[0]
        value = c.sql(
            "SELECT value FROM cells WHERE report = ? AND key = 't3.carried_forward.total'", [carry["previous"]]
        )["value"].iloc[0]
    assert carry["status"] == "pass"
    # The earlier report's 结转下年度 corrected: the later report's 上年结转 no longer carries it.
    _run("correct", "add", db, carry["previous"], "t3.carried_forward.total", str(int(value) + 7), "--force")
    with open_corpus(db) as c:
        again = c.sql(
            "SELECT status, lhs, rhs FROM checks WHERE report = ? AND rule = 'year.carry' AND scope = 'total'",
            [carry["report"]],
        ).iloc[0]
    assert again["status"] == "fail" and again["rhs"] == int(value) + 7


def test_corrected_items_of_held_out_reports_stay_out_of_training() -> None:
    from textmine.problems.train import Item, with_corrections

    items = [
        Item("甲项问题的原文", ("review",), group="real:a", source="real-evaluation"),
        Item("乙项问题的原文", ("timeliness",), group="real:b", source="real"),
    ]
    corrected = [
        Item("甲项问题的原文", ("coverage",), group="report:1", source="corrections"),
        Item("乙项问题的原文", ("coverage",), group="report:2", source="corrections"),
        Item("丙项新的问题", ("platforms",), group="report:2", source="corrections"),
    ]
    out, dropped = with_corrections(items, corrected)
    assert dropped == 1
    by_text = {i.text: i for i in out}
    assert by_text["甲项问题的原文"].categories == ("review",)  # held out: untouched
    assert by_text["乙项问题的原文"].categories == ("coverage",) and by_text["乙项问题的原文"].group == "real:b"
    assert by_text["丙项新的问题"].source == "corrections" and len(out) == 3


def test_cells_filled_in_by_a_person_count_as_read(db: Path) -> None:
    """A report flagged `check` for three cells it could not read (a run of
    digits that splits many ways) reads as good once a person gives them:
    its `reading` row is assessed again through the corrections, not kept
    from the tagging."""
    report = SAMPLE / "reports" / "syn006_2025.txt"
    for key, value in (("issued", "7"), ("repealed", "2"), ("in_force", "18634")):
        _run("correct", "add", db, report, f"t2.normative_documents.{key}", value, "--by", "王", "--reason", "原表")

    def reading(**kw) -> dict:
        with open_corpus(db, **kw) as c:
            rows = c.sql(
                "SELECT r.* FROM reading r JOIN reports p ON p.id = r.report WHERE p.source = ?", [str(report)]
            )
        return rows.iloc[0].to_dict()

    corrected, tagged = reading(), reading(corrections=False)
    assert tagged["verdict"] == "check" and tagged["cells_read"] == tagged["cells_expected"] - 3
    assert corrected["verdict"] == "good" and list(corrected["reasons"]) == []
    assert corrected["cells_read"] == corrected["cells_expected"] == tagged["cells_expected"]
    assert list(corrected["unmapped_headings"]) == list(tagged["unmapped_headings"])
    assert corrected["script"] == tagged["script"]
