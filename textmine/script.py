"""Reports in traditional script, read like their simplified originals.

Mirror sites convert whole reports to traditional script (政府資訊公開工作年度報告,
本機關不掌握相關政府信息).  Every pattern textmine has is written in simplified
script, so such a text is converted with OpenCC's ``t2s`` before the stages
run, character for character: the converted text has the same length, and
every offset found in it is an offset into the text as given.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["is_traditional", "to_simplified"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
# A text is traditional when at least this share of its Chinese characters
# (and this many) change under t2s; a simplified report changes almost none
# (t2s leaves simplified characters alone).
MIN_SHARE = 0.02
MIN_CHANGED = 8


@lru_cache(maxsize=1)
def _converter() -> Any:
    # Imported on use: OpenCC loads its dictionaries when the converter is made.
    import opencc

    return opencc.OpenCC("t2s")


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
    cjk = len(_CJK.findall(text))
    changed = sum(1 for a, b in zip(text, converted) if a != b)
    return cjk > 0 and changed >= MIN_CHANGED and changed >= MIN_SHARE * cjk


def to_simplified(text: str) -> str | None:
    """The simplified reading of a traditional-script ``text`` (same length),
    or None when the text is not in traditional script.

    >>> to_simplified("本機關不掌握相關政府資訊，行政複議與訴訟情況，無法提供的申請。")
    '本机关不掌握相关政府资讯，行政复议与诉讼情况，无法提供的申请。'
    >>> to_simplified("本机关不掌握相关政府信息") is None
    True
    """
    converted = _convert_same_length(text)
    return converted if is_traditional(text, converted) else None
