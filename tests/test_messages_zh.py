"""Every message textmine writes has its Chinese (textmine/data/messages_zh.toml):
the notes, table notes, reading reasons and check findings of the sample,
series and (when present) real corpora, all of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import real_reports
from textmine.errors import TextmineError
from textmine.linking import link_years
from textmine.messages import chinese, in_language
from textmine.pipeline import analyze

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = [
    ROOT / "corpora" / "sample" / "reports",
    ROOT / "corpora" / "sample" / "broken",
    ROOT / "corpora" / "series" / "reports",
]


def _messages() -> dict[str, str]:
    """Each distinct message (digits and quoted names made one) → an example, with where it came from."""
    files = [
        p
        for folder in FOLDERS
        if folder.is_dir()
        for p in sorted(folder.iterdir())
        if p.suffix in (".txt", ".html", ".docx", ".pdf")
    ]
    records = []
    for path in files + real_reports():
        try:
            records.append(analyze(path))
        except TextmineError:
            continue
    link_years(records)
    found: dict[str, str] = {}
    for record in records:
        texts = [n.message for n in record.notes + record.table_notes]
        texts += list(record.reading.get("reasons", []))
        texts += [c["message"] for c in record.checks if c.get("message")]
        for text in texts:
            found.setdefault(re.sub(r"\d+", "N", text), text)
    return found


def test_every_message_of_the_corpora_has_its_chinese() -> None:
    messages = _messages()
    assert len(messages) > 60
    missing = [m for m in messages.values() if chinese(m) is None]
    assert missing == []


def test_a_chinese_message_keeps_its_numbers_and_keys() -> None:
    zh = chinese("t3.identity: 3 of 40 table cells not read (see table_notes)")
    assert zh is None  # a pattern matches whole messages only
    zh = chinese("3 of 40 table cells not read (see table_notes)")
    assert zh == "40 个表格单元格中有 3 个未读出（见表格说明）"
    assert (
        in_language("published 2024-03-02, after the deadline 2024-01-31", "zh")
        == "发布于 2024-03-02，晚于截止日期 2024-01-31"
    )
    assert in_language("anything new", "zh") == "anything new"  # no pattern: as written
    assert in_language("431 ≠ 432", "en") == "431 ≠ 432"


@pytest.mark.parametrize("text", ["", "; ", "none"])
def test_edge_messages(text: str) -> None:
    assert in_language(text, "zh") in (text, "无")
