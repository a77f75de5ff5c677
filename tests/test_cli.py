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
    for key in ("schema", "source", "meta", "sections", "tables", "table_notes", "claims", "checks", "problems", "improvements"):
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
