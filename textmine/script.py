"""Reports in traditional script, read like their simplified originals.

Mirror sites convert whole reports to traditional script (政府資訊公開工作年度報告,
本機關不掌握相關政府信息).  Every pattern textmine has is written in simplified
script, so such a text is converted with OpenCC's ``t2s`` before the stages
run, character for character: the converted text has the same length, and
every offset found in it is an offset into the text as given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data import load_toml

__all__ = ["is_traditional", "script_rules", "to_simplified"]

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class ScriptRules:
    """``script.toml``: a text is traditional when at least ``min_share`` of
    its Chinese characters (and ``min_changed`` of them) change under t2s; a
    simplified report changes almost none (t2s leaves simplified characters
    alone).  ``frequent`` finds the candidates in one search."""

    frequent: re.Pattern[str]
    min_changed: int
    min_share: float


@lru_cache(maxsize=1)
def script_rules() -> ScriptRules:
    d = load_toml("script.toml")
    chars = "".join(d["frequent"])
    bad = [ch for ch in chars if not _CJK.fullmatch(ch)]
    if bad or not chars:
        raise ValueError(f"script.toml: `frequent` must hold Chinese characters only (found {bad!r})")
    return ScriptRules(re.compile(f"[{re.escape(chars)}]"), int(d["min_changed"]), float(d["min_share"]))


@lru_cache(maxsize=1)
def _converter() -> Any:
    # Imported on use: OpenCC loads its dictionaries when the converter is made.
    import opencc

    return opencc.OpenCC("t2s.json")


def _convert_same_length(text: str) -> str:
    """``text`` in simplified script, one character for one.

    A phrase conversion that changes the length (rare in t2s) is undone by
    converting those characters one at a time."""
    cc = _converter()
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        conv = cc.convert(ch)
        chars.append(conv if len(conv) == 1 else ch)
    return "".join(chars)


def is_traditional(text: str, converted: str) -> bool:
    """Whether ``text`` reads as traditional script, given its t2s conversion."""
    rules = script_rules()
    cjk = len(_CJK.findall(text))
    changed = sum(1 for a, b in zip(text, converted) if a != b)
    return cjk > 0 and changed >= rules.min_changed and changed >= rules.min_share * cjk


def to_simplified(text: str) -> str | None:
    """The simplified reading of a traditional-script ``text`` (same length),
    or None when the text is not in traditional script.

    >>> to_simplified("本機關不掌握相關政府資訊，行政複議與訴訟情況，無法提供的申請。")
    '本机关不掌握相关政府资讯，行政复议与诉讼情况，无法提供的申请。'
    >>> to_simplified("本机关不掌握相关政府信息") is None
    True
    """
    rules = script_rules()
    if len(rules.frequent.findall(text)) < rules.min_changed:
        return None
    converted = _convert_same_length(text)
    return converted if is_traditional(text, converted) else None
