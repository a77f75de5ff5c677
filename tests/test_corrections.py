"""Corrections files (textmine.corrections): one checked line each,
the last line of a key wins, every bad line named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from textmine.checks import result_key
from textmine.corrections import (
    COLUMNS,
    CorrectionsError,
    add_correction,
    corrections_path,
    make_correction,
    read_corrections,
    remove_correction,
)

SHA = "ab" * 32


def test_a_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    rows = [
        make_correction("finding", SHA, "t3.identity:total", "false_positive", "表内合计含结转", "王", "2026-12-01"),
        make_correction("cell", SHA, "t3.new_received.total", "13", "错位"),
        make_correction("item", SHA.upper(), "problem@120-180", "审核把关不严; timeliness", by="李"),
    ]
    for row in rows:
        add_correction(path, row)
    back = read_corrections(path)
    assert back == [rows[0], rows[1], rows[2]]
    assert back[2].report == SHA and back[2].categories() == ["review", "timeliness"]
    assert back[1].number() == 13.0 and back[2].item_span() == ("problem", 120, 180)
    assert path.read_text("utf-8").splitlines()[0] == ",".join(COLUMNS)


def test_the_last_line_of_a_key_wins_and_remove_takes_it_out(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    add_correction(path, make_correction("cell", SHA, "t3.new_received.total", "13"))
    add_correction(path, make_correction("cell", SHA, "t3.new_received.total", ""))
    (only,) = read_corrections(path)
    assert only.value == "" and only.number() is None
    remove_correction(path, "cell", SHA, "t3.new_received.total")
    assert read_corrections(path) == []
    with pytest.raises(CorrectionsError, match="no cell correction"):
        remove_correction(path, "cell", SHA, "t3.new_received.total")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            f"cell,{SHA},t3.new_received.total,thirteen,,,",
            "line 2: cell t3.new_received.total: value 'thirteen': a number",
        ),
        (f"finding,{SHA},t3.identity:total,wrong,,,", "line 2: finding t3.identity:total: value 'wrong'"),
        (f"item,{SHA},problem@180-120,review,,,", "line 2: item problem@180-120: target 'problem@180-120'"),
        (f"item,{SHA},problem@1-20,nope,,,", "line 2: item problem@1-20: value: no category 'nope'"),
        ("cell,abc,t3.new_received.total,1,,,", "line 2: cell t3.new_received.total: report 'abc'"),
        (f"cells,{SHA},t3.new_received.total,1,,,", "line 2: cells t3.new_received.total: kind 'cells'"),
        (f"cell,{SHA},t3.new_received.total,1,,", "line 2: 6 fields"),
        (f"cell,{SHA},t3.new_received.total,1,,,2026-13-01", "line 2: cell t3.new_received.total: at '2026-13-01'"),
    ],
)
def test_a_bad_line_names_the_file_the_line_and_the_field(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "c.csv"
    path.write_text(",".join(COLUMNS) + "\n" + line + "\n", "utf-8")
    with pytest.raises(CorrectionsError) as caught:
        read_corrections(path)
    assert str(caught.value).startswith(f"{path}: {message}")


def test_a_wrong_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("kind,report,value\n", "utf-8")
    with pytest.raises(CorrectionsError, match="line 1: the header"):
        read_corrections(path)


def test_names_and_ids() -> None:
    assert corrections_path("build/corpus.duckdb") == Path("build/corpus.corrections.csv")
    # A finding's target is the id the checks give it.
    assert result_key({"rule": "t3.identity", "scope": "total"}) == "t3.identity:total"
    assert result_key({"rule": "doc.year", "scope": ""}) == "doc.year"
    assert read_corrections("/nonexistent/c.csv") == []


def test_spreadsheet_dates_and_separators_are_taken(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        ",".join(COLUMNS)
        + ",,\n"  # a spreadsheet's trailing empty columns
        + f"cell,{SHA},t3.new_received.total,13,,,2026/12/3,,\n"
        + f"item,{SHA},problem@1-20,更新不及时；review,,,\n",
        "utf-8",
    )
    cell, item = read_corrections(path)
    assert cell.at == "2026-12-03"
    assert item.value == "timeliness;review" and item.at == ""  # an empty date stays empty
