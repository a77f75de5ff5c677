"""first_characters: the characters a regex match starts with, never too few."""

from __future__ import annotations

import re

import pytest

from textmine.claim_quantities import _mapping
from textmine.first_chars import first_characters, last_characters


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("行政许可|许可决定", {"行", "许"}),
        ("(?:行政)?许可", {"行", "许"}),
        ("(?:率|比例)(?:为|达)?[\\d一二]", {"率", "比"}),
        ("(?:ab)*c", {"a", "c"}),
        ("(?=ab)a|(?<=x)y", {"a", "y"}),
        ("^规章[^，。；]*废止", {"规"}),
        ("[a-c]d", {"a", "b", "c"}),
    ],
)
def test_known_first_characters(pattern: str, expected: set[str]) -> None:
    assert first_characters(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\d+件",  # a category
        "[^a]b",  # a negated class
        ".x",  # any character
        "[\u4e00-\u9fff]",  # a class too wide to list
        "a|b*",  # may match the empty string
        "(?i)abc",  # case folding
        "(?>ab)c",  # an atomic group: not read, so no filter
    ],
)
def test_unknown_or_empty_gives_no_filter(pattern: str) -> None:
    assert first_characters(pattern) is None


TEXTS = [
    "制发规范性文件5件，废止3件",
    "收到政府信息公开申请13件，其中上年结转2件",
    "行政复议1件，行政诉讼0件；被纠错0件",
    "予以公开21件，占35%",
    "办结率100%",
    "因申请人逾期未缴纳信息处理费终止办理1件",
]


def test_every_mapping_rule_matches_only_from_its_first_characters() -> None:
    for rule in _mapping().cells:
        first = first_characters(rule.pattern.pattern)
        if first is None:
            continue
        for text in TEXTS:
            for i in range(len(text)):
                m = rule.pattern.search(text, i)
                if m:
                    assert m.end() > m.start() and text[m.start()] in first, (rule.pattern.pattern, text)


def test_a_pattern_the_parser_rejects_gives_no_filter() -> None:
    with pytest.raises(re.error):
        re.compile("(")
    assert first_characters("(") is None


def test_last_characters_of_an_optional_prefix() -> None:
    prefix = "(?:\\d{4}年度?)?(?:政府信息公开)?(?:工作)?"
    assert last_characters(prefix) is None  # it may match the empty string
    assert last_characters(prefix, of_nonempty=True) == {"年", "度", "开", "作"}
    assert last_characters("规章|规范性文件") == {"章", "件"}


def test_section_prefixes_end_only_with_their_last_characters() -> None:
    from textmine.sections import section_rules

    for variant in section_rules().variants:
        if variant.prefix is None or variant.prefix_last is None:
            continue
        for text in ("2023年政府信息公开工作", "政务公开的", "因政府信息公开被申请", "行政机关", "下一步的", *TEXTS):
            for end in range(1, len(text) + 1):
                m = variant.prefix.search(text, 0, end)
                if m and m.end() > m.start():
                    assert text[m.end() - 1] in variant.prefix_last, (variant.prefix.pattern, text[:end])
