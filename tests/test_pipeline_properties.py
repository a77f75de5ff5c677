"""Mangled reports through the parsers: a record or a TextmineError, never
anything else."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_tables import render_t3, t3_values

from conftest import real_reports
from textmine.errors import TextmineError
from textmine.pipeline import analyze_document
from textmine.record import Document

SYNTHETIC = (
    "某县人民政府2022年政府信息公开工作年度报告\n一、总体情况\n主动公开政府信息1200条。\n"
    "二、主动公开政府信息情况\n第二十条第（一）项\n规章 | 0 | 0 | 0\n行政规范性文件 | 3 | 1 | 12\n"
    + render_t3("pipe", t3_values())
    + "\n结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0\n"
    "五、存在的主要问题及改进情况\n一是公开意识不强。\n六、其他需要报告的事项\n无。\n"
)


def _texts() -> list[str]:
    texts = [SYNTHETIC]
    for path in real_reports():
        if path.suffix == ".txt":
            texts.append(path.read_text("utf-8"))
    return texts


TEXTS = _texts()


def _analyze(text: str) -> None:
    try:
        record = analyze_document(Document(source="mangled.txt", text=text, format="txt"))
    except TextmineError as exc:
        assert "mangled.txt" in str(exc)
        return
    for table in record.tables.values():
        for value in table.values():
            assert value is None or isinstance(value, (int, float))
    for section in record.sections:
        assert 0 <= section.start <= section.end <= len(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(TEXTS) - 1), st.data())
def test_cut_anywhere(index: int, data: st.DataObject) -> None:
    text = TEXTS[index]
    cut = data.draw(st.integers(0, len(text)))
    _analyze(text[:cut])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(TEXTS) - 1), st.integers(0, 2**32 - 1), st.floats(0.0, 0.5))
def test_lines_dropped_and_shuffled(index: int, seed: int, share: float) -> None:
    rng = random.Random(seed)
    lines = TEXTS[index].split("\n")
    kept = [line for line in lines if rng.random() >= share]
    # Shuffle a window of lines: cells out of order.
    if len(kept) > 4:
        i = rng.randrange(len(kept) - 3)
        window = kept[i : i + rng.randint(2, 20)]
        rng.shuffle(window)
        kept[i : i + len(window)] = window
    _analyze("\n".join(kept))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(TEXTS) - 1), st.integers(0, 2**32 - 1))
def test_digits_mangled(index: int, seed: int) -> None:
    rng = random.Random(seed)
    chars = list(TEXTS[index])
    for _ in range(30):
        i = rng.randrange(len(chars))
        if chars[i].isdigit():
            chars[i] = rng.choice("0123456789-./ ")
    _analyze("".join(chars))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_arbitrary_text(text: str) -> None:
    _analyze(text)
