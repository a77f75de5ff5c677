"""Numbers as Chinese reports write them: Arabic, full-width, Chinese numerals.

Pure functions, no state.  :func:`parse_number` turns the digits of one
number (``2.8``, ``１２``, ``一百二十``, ``两``, ``一万零五``) into a float or
int; :func:`apply_multiplier` multiplies out 万/亿; :data:`FULLWIDTH` maps
full-width digits and signs to ASCII one character for one, so offsets in a
translated text are the offsets in the original.

>>> parse_number("一百二十")
120
>>> parse_number("２.８") * 10000
28000.0
"""

from __future__ import annotations

import re

# One character for one: offsets survive ``text.translate(FULLWIDTH)``.
FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
_FULLWIDTH_PAIRS = tuple((chr(full), chr(half)) for full, half in FULLWIDTH.items())


def to_halfwidth(text: str) -> str:
    """``text.translate(FULLWIDTH)``, fast on a whole report: ``translate``
    looks every character up in a dict (a quarter of a millisecond a
    report), while a ``replace`` per full-width character that occurs scans
    in C.

    >>> to_halfwidth("共１２件，占５０％")
    '共12件,占50%'
    """
    if text.isascii():
        return text
    for full, half in _FULLWIDTH_PAIRS:
        if full in text:
            text = text.replace(full, half)
    return text


_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

# The characters a Chinese numeral is written with (no 万/亿 alone).
CHINESE_DIGITS = "零〇○一二两三四五六七八九十百千"
CHINESE_NUMERAL = f"[{CHINESE_DIGITS}][{CHINESE_DIGITS}万亿]*"
ARABIC_NUMERAL = r"\d+(?:,\d{3})*(?:\.\d+)?"

_ARABIC = re.compile(rf"^{ARABIC_NUMERAL}$")
_DIGIT_STRING = re.compile(r"^[零〇○一二两三四五六七八九]{2,}$")


class NumeralError(ValueError):
    """The text is not a number this module reads."""


def clean_number(value: float) -> int | float:
    """An int when the value is whole, else the float rounded to 6 decimals.

    >>> clean_number(28000.000000001), clean_number(0.1 + 0.2)
    (28000, 0.3)
    """
    if type(value) is int:
        return value  # what the rest does to an int, at once (most counts)
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


def parse_chinese(text: str) -> int:
    """A Chinese numeral: 十三, 两, 一百二十, 一万零五, 三千二百万.

    Digit strings (二〇二一) are read as years, not counts: they raise
    :class:`NumeralError`.
    """
    if not text:
        raise NumeralError("empty numeral")
    if _DIGIT_STRING.match(text):
        raise NumeralError(f"{text!r} is a digit string (a year or a code), not a count")
    total = 0  # finished 万/亿 groups
    section = 0  # the group below the next 万/亿
    digit = None  # the digit waiting for its 十/百/千
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[ch] != 0:
                raise NumeralError(f"two digits in a row in {text!r}")
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        elif ch in _BIG_UNITS:
            group = section + (digit or 0)
            if group == 0 and total == 0:
                raise NumeralError(f"{ch} without a number in {text!r}")
            big = _BIG_UNITS[ch]
            # 三千二百万 multiplies the group; 一亿二千万 adds a lower group.
            total = (total + group) * big if total and big > 10_000 else total + group * big
            section, digit = 0, None
        else:
            raise NumeralError(f"{ch!r} is not a Chinese numeral character in {text!r}")
    return total + section + (digit or 0)


def parse_number(text: str) -> int | float:
    """Arabic (with thousands commas, full-width) or Chinese digits, no unit.

    >>> parse_number("1,270"), parse_number("３５"), parse_number("两")
    (1270, 35, 2)
    """
    t = to_halfwidth(text).strip()
    if _ARABIC.match(t):
        return clean_number(float(t.replace(",", "")))
    return parse_chinese(t)


def date_number(text: str) -> int | None:
    """A year, month or day as dates write it: 13, 十三, 二十一, and years
    digit by digit (二〇二二); None when it is no number.

    >>> date_number("二〇二二"), date_number("十三"), date_number("13"), date_number("年")
    (2022, 13, 13, None)
    """
    if text.isdigit():
        return int(text)
    if _DIGIT_STRING.match(text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    try:
        return parse_chinese(text)
    except NumeralError:
        return None


def apply_multiplier(value: float, multiplier: str) -> int | float:
    """Multiply out a 万/亿 written after the digits: (2.8, "万") → 28000."""
    factor = 1
    for ch in multiplier:
        if ch not in _BIG_UNITS:
            raise NumeralError(f"{ch!r} is not a multiplier (万, 亿)")
        factor *= _BIG_UNITS[ch]
    return clean_number(value * factor)


def ordinal_value(numeral: str) -> int:
    """The number of a heading or item ordinal (一 … 九十九); 0 when it is none."""
    try:
        value = parse_chinese(numeral)
    except NumeralError:
        return 0
    return int(value) if value == int(value) else 0
