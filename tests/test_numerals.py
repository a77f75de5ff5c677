"""Chinese and Arabic number parsing (textmine/numerals.py)."""

from __future__ import annotations

import pytest

from textmine.numerals import NumeralError, apply_multiplier, clean_number, parse_chinese, parse_number


@pytest.mark.parametrize(
    "text, value",
    [
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十三", 13),
        ("二十", 20),
        ("二十二", 22),
        ("一百二十", 120),
        ("一百零八", 108),
        ("三千二百", 3200),
        ("一万零五", 10005),
        ("三千二百万", 32_000_000),
        ("一亿二千万", 120_000_000),
        ("〇", 0),
        ("零", 0),
    ],
)
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["二〇二一", "二零二三", "三四", "", "万", "件"])
def test_not_a_count(text):
    with pytest.raises(NumeralError):
        parse_chinese(text)


@pytest.mark.parametrize(
    "text, value",
    [("13", 13), ("１３", 13), ("2.8", 2.8), ("２．８", 2.8), ("1,270", 1270), ("100.00", 100), ("两", 2)],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "value, mult, out",
    [(2.8, "万", 28000), (1.2, "亿", 120_000_000), (6950.6, "万", 69_506_000), (102.9186, "万", 1_029_186), (5, "", 5)],
)
def test_multiplier_rounds_floats(value, mult, out):
    got = apply_multiplier(value, mult)
    assert got == out and isinstance(got, int)


def test_clean_number():
    assert clean_number(0.1 + 0.2) == 0.3
    assert clean_number(219062.78) == 219062.78
