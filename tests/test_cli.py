"""The click layer: every command works through CliRunner and is documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import shared_path
from textmine.cli import main
from textmine.record import SECTION_KEYS


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    return shared_path() / "seeds" / "000_c88faac3643766a2.txt"


def test_every_command_is_documented() -> None:
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 20, name
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_analyze_summary(seed: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(seed)])
    assert result.exit_code == 0, result.output
    assert "定西市通渭县人民政府" in result.output
    assert "layout 2021" in result.output


def test_analyze_json_is_the_contract(seed: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", "--json", str(seed)])
    record = json.loads(result.output.splitlines()[0])
    for key in (
        "schema",
        "source",
        "meta",
        "sections",
        "tables",
        "table_notes",
        "claims",
        "checks",
        "problems",
        "improvements",
    ):
        assert key in record
    assert record["schema"] == 1
    assert [s["key"] for s in record["sections"]] == list(SECTION_KEYS)
    assert record["tables"]["t3"]["new_received.total"] == 13
    assert record["meta"]["published"] == "2024-02-09"


def test_analyze_text_offsets_refer_to_it(seed: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["analyze", "--text", str(seed)]).output
    record = json.loads(runner.invoke(main, ["analyze", "--json", str(seed)]).output)
    for section in record["sections"]:
        assert text[section["start"] :].startswith(section["title"])


def test_bad_file_is_one_line_and_the_rest_go_on(seed: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["analyze", "--json", str(empty), str(seed)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any(line.startswith("error:") and "empty.txt" in line for line in lines)
    assert any(line.startswith("{") for line in lines)
    assert "Traceback" not in result.output


def test_eval_on_real_gold() -> None:
    corpus = shared_path() / "corpus"
    files = [str(p) for p in sorted((corpus / "reports").glob("pingtan_2023*"))]
    result = CliRunner().invoke(main, ["eval", "--json", str(corpus / "gold"), *files])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["cells_wrong"] == 0
    assert summary["sections_f1"] >= 0.98


def test_check_fails_on_a_real_breach_with_its_evidence() -> None:
    report = shared_path() / "corpus" / "reports" / "pingtan_2020.txt"
    result = CliRunner().invoke(main, ["check", str(report)])
    assert result.exit_code == 1
    first = result.output.splitlines()[3]
    assert "FAIL" in first and "t3.handled_sum:natural_person" in first and "26" in first and "20" in first
    assert "t3.handled_total.natural_person" in result.output


def test_check_json_and_a_clean_report_exits_0() -> None:
    from conftest import SAMPLE

    report = SAMPLE / "reports" / "syn000_2022.txt"
    result = CliRunner().invoke(main, ["check", "--json", str(report)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    statuses = {c["status"] for c in record["checks"]}
    assert statuses <= {"pass", "skip"} and "pass" in statuses
    text_checks = [c for c in record["checks"] if c["rule"] == "text.table"]
    assert text_checks, "the sample report restates table numbers in its narrative"
    for c in text_checks:
        assert c["cells"] and "start" in c and "end" in c


def test_check_links_two_years_of_one_agency(tmp_path: Path) -> None:
    from conftest import SAMPLE

    gold = json.loads((SAMPLE / "gold" / "syn000_2022.json").read_text("utf-8"))
    report = SAMPLE / "reports" / "syn000_2022.txt"
    text = report.read_text("utf-8")
    year = gold["meta"]["year"]
    later = tmp_path / "next.txt"
    later.write_text(text.replace(f"{year}年", f"{year + 1}年"), "utf-8")
    result = CliRunner().invoke(main, ["check", "--json", str(report), str(later)])
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    rules = {c["rule"] for c in records[1]["checks"]}
    assert "year.carry" in rules


def test_eval_reports_claims_and_checks() -> None:
    corpus = shared_path() / "corpus"
    files = [str(p) for p in sorted((corpus / "reports").iterdir())]
    result = CliRunner().invoke(main, ["eval", "--json", str(corpus / "gold"), *files])
    summary = json.loads(result.output)["summary"]
    assert summary["claims_precision"] >= 0.95 and summary["claims_recall"] >= 0.92
    assert summary["checks_agreement"] >= 0.99
    assert summary["cells_wrong"] == 0


def test_train_writes_a_model_its_metrics_and_its_card(tmp_path: Path) -> None:
    """`textmine train` on a small set of our annotations (no real reports):
    a loadable model, the metrics it was judged by, the card computed from them."""
    from textmine.problems.card import model_card
    from textmine.problems.model import ProblemClassifier
    from textmine.problems.train import taxonomy

    root = Path(__file__).resolve().parents[1]
    lines = (root / "corpora" / "annotations" / "problems.jsonl").read_text("utf-8").splitlines()
    unseen = (root / "corpora" / "annotations" / "problems_evaluation.jsonl").read_text("utf-8").splitlines()
    annotations = tmp_path / "ann.jsonl"
    # Five evaluation items slipped into the training file: left out of training, and said.
    annotations.write_text("\n".join(lines[::6] + unseen[:5]) + "\n", "utf-8")
    out = tmp_path / "m"
    result = CliRunner().invoke(
        main, ["train", "--annotations", str(annotations), "--real-gold", str(tmp_path / "absent"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "training on our annotations alone" in result.output and "grouped CV model" in result.output
    assert "5 items of --annotations are evaluation annotations too: left out of training" in result.output
    metrics = json.loads((out / "problems.json").read_text("utf-8"))
    assert metrics["training"]["items"] == len(lines[::6])
    # Held out without real reports: our annotations kept for evaluation alone, never trained on.
    held = metrics["held_out"]["model"]
    assert held["annotations"]["items"] == held["all"]["items"] == len(unseen) and "real" not in held
    assert metrics["training"]["evaluation_annotations"]["items"] == len(unseen)
    assert metrics["training"]["evaluation_annotations"]["left_out_of_training"] == 5
    assert len(metrics["cv_repeats"]["all"]["micro_f1"]) == len(metrics["cv_repeats"]["seeds"]) == 3
    assert (out / "problems.md").read_text("utf-8") == model_card(metrics, taxonomy()[1])
    model = ProblemClassifier.load(out / "problems.skops")
    assert model.predict(["网站栏目长期未更新，信息发布滞后。"])[0]
    again = CliRunner().invoke(main, ["train", "--annotations", str(annotations), "--out", str(out)])
    assert again.exit_code != 0 and "exists" in again.output


SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "sample"


def test_problems_lists_the_items_of_section_five_with_their_categories() -> None:
    # Our own sample report (present in every clone); its gold lists the items.
    report = next(p for p in sorted((SAMPLE / "reports").iterdir()) if p.suffix == ".txt")
    gold = json.loads((SAMPLE / "gold" / f"{report.stem}.json").read_text("utf-8"))
    runner = CliRunner()
    result = runner.invoke(main, ["problems", "--json", str(report)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output.splitlines()[0])
    assert payload["source"] == str(report)
    got = [it["text"] for it in payload["problems"] + payload["improvements"]]
    want = [it["text"] for it in gold["problems"] + gold["improvements"]]
    assert len(got) == len(want) and want
    assert all(it["categories"] for it in payload["problems"] + payload["improvements"])
    text = runner.invoke(main, ["problems", str(report)]).output
    assert payload["problems"][0]["text"][:10] in text


def test_python_dash_m_textmine_lists_every_command() -> None:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "textmine", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert all(f"  {name} " in out for name in main.commands)


def test_a_report_piped_in_on_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """`-` reads the report from standard input (a page fetched with curl,
    say), once however often it is named, beside the files; a terminal is
    refused rather than waited on, an empty pipe named."""
    import textmine.cli

    report = next(p for p in sorted((SAMPLE / "reports").iterdir()) if p.suffix == ".html")
    data = report.read_bytes()
    piped = CliRunner().invoke(main, ["analyze", "--json", "-", str(report), "-"], input=data)
    assert piped.exit_code == 0, piped.output
    first, second = (json.loads(line) for line in piped.output.splitlines())
    assert first["source"] == "<stdin>" and second["source"] == str(report)
    assert first["tables"] == second["tables"] and first["problems"] == second["problems"]
    empty = CliRunner().invoke(main, ["check", "-"], input=b"")
    assert empty.exit_code == 1 and "<stdin>: nothing was given" in empty.output

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(textmine.cli, "_stdin", lambda: Terminal())
    waited = CliRunner().invoke(main, ["problems", "-"])
    assert waited.exit_code == 1 and "standard input is a terminal" in waited.output


def test_standard_input_closed_over_the_limit_or_named_as_a_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """The review's cases: no standard input at all is one line, not a
    traceback; a pipe over --max-file-mb says more than the limit (its size
    is never read to the end); --stdin-as reads a fragment as a page."""
    import textmine.cli

    over = CliRunner().invoke(main, ["analyze", "--max-file-mb", "0.001", "-"], input=b"x" * 5000)
    assert over.exit_code == 1 and "<stdin>: more than" in over.output and "--max-file-mb" in over.output
    page = next(p for p in sorted((SAMPLE / "reports").iterdir()) if p.suffix == ".html").read_text("utf-8")
    fragment = ("<p style='x'>" + "。" * 2000 + "</p>" + page[page.index("<body") :]).encode("utf-8")
    as_page = CliRunner().invoke(main, ["analyze", "--json", "--stdin-as", "html", "-"], input=fragment)
    assert as_page.exit_code == 0 and json.loads(as_page.output)["tables"]["t3"]
    monkeypatch.setattr(textmine.cli, "_stdin", lambda: None)
    closed = CliRunner().invoke(main, ["check", "-"])
    assert closed.exit_code == 1 and "<stdin>: standard input is closed" in closed.output


def test_train_refuses_a_broken_splits_file_in_one_line(tmp_path: Path) -> None:
    splits = tmp_path / "splits.toml"
    splits.write_text('[evaluation]\nannotations = "gone.jsonl"\n', "utf-8")
    result = CliRunner().invoke(main, ["train", "--splits", str(splits), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and "gone.jsonl" in result.output and "Traceback" not in result.output
