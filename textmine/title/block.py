"""The metadata block of a report's page (索引号 | … | 发布机构 | XX厅 |
发文日期 | …): its key → value pairs, the keys being those of ``meta.toml``."""

from __future__ import annotations

import re

from .rules import BLANKS, TitleRules, title_rules

_BLOCK_MARKS = re.compile(r"[:：|｜\t]")
_BLOCK_LINE = 24
# How far before its separator a key may start (the longest key, letter-spaced).
_KEY_REACH = 12


def metadata_block(head: str, rules: TitleRules | None = None) -> dict[str, str]:
    """The key → value pairs of the page's metadata block, first value of a key wins.

    Reads ``key：value`` (several on one line: 来源：XX 发布时间：…), pipe rows
    (``| 索引号 | … | 发布机构 | XX厅 |``) and bullet lines; a value never runs
    into the next key, and a key followed directly by another key has no value
    (a misaligned block: ``关键词 | 发布机构 | XX局``).

    >>> metadata_block("索引号 | 001/2025 | 发布机构 | 某省某厅 | 发文日期 | 2025-01-27 |")["发布机构"]
    '某省某厅'
    """
    rules = rules or title_rules()
    out: dict[str, str] = {}
    lines = head.split("\n")
    for n, line in enumerate(lines):
        if len(line) > _BLOCK_LINE and not _BLOCK_MARKS.search(line):
            continue  # a paragraph: a key stands before a colon, a pipe or a tab, or alone on a short line
        hits = _block_keys(line, rules)
        for i, m in enumerate(hits):
            end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
            value = line[m.end() : end]
            value = value.split("|")[0].split("｜")[0] if "|" in value or "｜" in value else value
            value = BLANKS.sub(" ", value).strip(" :：-—•·")
            if not value and i + 1 == len(hits) and not line[m.end() :].strip(" \t|｜:："):
                # A bulleted list may put the value on the next non-empty line.
                value = _next_value(lines, n + 1, rules)
            key = BLANKS.sub("", m.group("key"))
            if value and key not in out:
                out[key] = value
    return out


def _block_keys(line: str, rules: TitleRules) -> list[re.Match[str]]:
    """The block keys of one line.  A key stands before a separator (or ends a
    short line), so the key pattern is tried only just before each separator."""
    if len(line) > _BLOCK_LINE:
        hits: list[re.Match[str]] = []
        last = 0
        for sep in _BLOCK_MARKS.finditer(line):
            m = rules.block_key.search(line, max(last, sep.start() - _KEY_REACH), sep.end() + 1)
            while m is not None and m.start() < sep.start() - _KEY_REACH:
                m = rules.block_key.search(line, m.end(), sep.end() + 1)
            if m is not None and m.start() >= last:
                hits.append(m)
                last = m.end()
        return hits
    return list(rules.block_key.finditer(line))


def _next_value(lines: list[str], start: int, rules: TitleRules) -> str:
    for line in lines[start : start + 3]:
        text = BLANKS.sub(" ", line).strip(" :：-—•·|｜")
        if text:
            return "" if rules.block_key.search(line) else text
    return ""
