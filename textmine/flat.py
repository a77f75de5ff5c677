"""A text without its line breaks, with offsets mapped back.

Titles and row labels wrapped by a PDF line break (收到和处理政府信息公开申请情\\n况,
（四）无\\n法提供) match in the flat view; every offset a caller reports is
one of the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

__all__ = ["FlatView"]

_BREAK = re.compile(r"[\r\n]")


class FlatView:
    """The text without line breaks, with offsets mapped back.

    Titles wrapped by a PDF line break (收到和处理政府信息公开申请情\\n况) match
    in the flat view; every offset reported is one of the original text.
    """

    __slots__ = ("_breaks", "_gaps", "flat")

    def __init__(self, text: str) -> None:
        # Split and measured in C: a regex match object per line break cost
        # more than all the rest of a view.
        lines = _BREAK.split(text) if "\r" in text else text.split("\n")
        # The k-th break at original offset p sits before flat offset p - k:
        # the length of the lines before it.
        self._gaps = list(accumulate(map(len, lines[:-1])))
        self._breaks = [gap + k for k, gap in enumerate(self._gaps)]
        self.flat = "".join(lines)

    def orig(self, f: int) -> int:
        """Original offset of the character at flat offset ``f``."""
        return f + bisect_right(self._gaps, f)

    def flat_offset(self, o: int) -> int:
        """Flat offset of original offset ``o`` (a break maps to what follows it)."""
        return o - bisect_left(self._breaks, o)

    def orig_end(self, f_end: int) -> int:
        """Original (exclusive) end offset for a flat (exclusive) end."""
        return self.orig(f_end - 1) + 1 if f_end > 0 else 0
