"""textmine.script: a report in traditional script is read like its simplified
original, with every offset into the text as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE
from corpora.conditions import to_traditional
from textmine.pipeline import analyze
from textmine.script import is_traditional, to_simplified


def test_simplified_text_is_left_alone() -> None:
    assert to_simplified("本机关不掌握相关政府信息，行政复议和诉讼情况，无法提供。") is None


def test_conversion_keeps_the_length() -> None:
    text = to_traditional("本年度新收政府信息公开申请数量为十三件，办理结果见下表；行政复议一件。")
    simplified = to_simplified(text)
    assert simplified is not None and len(simplified) == len(text)
    assert simplified == "本年度新收政府信息公开申请数量为十三件，办理结果见下表；行政复议一件。"


def test_a_few_traditional_characters_do_not_make_a_traditional_text() -> None:
    text = "本机关不掌握相关政府信息。" * 20 + "於是"
    converted = to_simplified(text)
    assert converted is None
    assert not is_traditional(text, text.replace("於", "于"))


@pytest.mark.parametrize("name", ["syn000_2022.txt", "syn001_2024.html", "syn005_2025.html"])
def test_a_traditional_copy_reads_like_its_original(tmp_path: Path, name: str) -> None:
    source = SAMPLE / "reports" / name
    raw = source.read_bytes()
    encoding = "utf-8" if name.endswith(".txt") else ("gbk" if b"charset=gb" in raw[:4096].lower() else "utf-8")
    copy = tmp_path / name
    copy.write_bytes(to_traditional(raw.decode(encoding)).encode("utf-8" if encoding == "utf-8" else "gb18030"))
    original, traditional = analyze(source), analyze(copy)
    assert traditional.script == "traditional" and original.script == "simplified"
    assert traditional.meta == original.meta
    assert [s.key for s in traditional.sections] == [s.key for s in original.sections]
    assert traditional.tables == original.tables
    assert [c["value"] for c in traditional.claims] == [c["value"] for c in original.claims]
    # Quoted text is the text as given, at its offsets.
    for claim in traditional.claims:
        assert traditional.text[claim["start"] : claim["end"]] == claim["text"]
    for item in traditional.problems + traditional.improvements:
        assert traditional.text[item["start"] : item["end"]] == item["text"]
    assert any("traditional script" in n.message for n in traditional.notes)
    assert traditional.reading["script"] == "traditional"
