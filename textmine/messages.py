"""The Chinese of textmine's English messages (notes, table notes, reading
reasons, check findings), for the reader who reads Chinese.

The messages are written in English where they are made; their Chinese is a
catalogue of patterns (``data/messages_zh.toml``) applied when one is shown,
so a message is written once and a new one without Chinese shows in English
(a test lists any message the corpora give that has none).

>>> in_language("431 ≠ 432", "zh")
'左 431 ≠ 右 432'
>>> in_language("only 3 of 6 sections found", "en")
'only 3 of 6 sections found'
"""

from __future__ import annotations

import re
from functools import lru_cache

from .data import load_toml


@lru_cache(maxsize=1)
def _catalogue() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(m["en"]), m["zh"]) for m in load_toml("messages_zh.toml")["message"])


def chinese(message: str) -> str | None:
    """``message`` in Chinese, or None when the catalogue has no pattern for it."""
    for pattern, template in _catalogue():
        m = pattern.fullmatch(message)
        if m is not None:
            # A group that is itself a message (the reason after a claim) is translated in turn.
            return template.format(**{k: chinese(v) or v for k, v in m.groupdict(default="").items()})
    for separator, joiner in (("; ", "；"), (", ", "，")):
        if separator in message:
            parts = [chinese(part) for part in message.split(separator)]
            if all(parts):
                return joiner.join(p for p in parts if p)
    return None


def in_language(message: str, lang: str) -> str:
    """``message`` in ``lang`` (en: as written; zh: its Chinese when the
    catalogue has it, else as written)."""
    if lang != "zh" or not message:
        return message
    return chinese(message) or message
