"""A text without its line breaks, with offsets mapped back.

Titles and row labels wrapped by a PDF line break (收到和处理政府信息公开申请情\\n况,
（四）无\\n法提供) match in the flat view; every offset a caller reports is
one of the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = ["FlatView"]


class FlatView:
    """The text without line breaks, with offsets mapped back.

    Titles wrapped by a PDF line break (收到和处理政府信息公开申请情\\n况) match
    in the flat view; every offset reported is one of the original text.
    """

    __slots__ = ("flat", "_breaks", "_gaps")

    def __init__(self, text: str) -> None:
        self._breaks = breaks = [m.start() for m in re.finditer(r"[\r\n]", text)]
        # The k-th break at original offset p sits before flat offset p - k.
        self._gaps = [p - k for k, p in enumerate(breaks)]
        self.flat = text.replace("\n", "").replace("\r", "") if breaks else text

    def orig(self, f: int) -> int:
        """Original offset of the character at flat offset ``f``."""
        return f + bisect_right(self._gaps, f)

    def flat_offset(self, o: int) -> int:
        """Flat offset of original offset ``o`` (a break maps to what follows it)."""
        return o - bisect_left(self._breaks, o)

    def orig_end(self, f_end: int) -> int:
        """Original (exclusive) end offset for a flat (exclusive) end."""
        return self.orig(f_end - 1) + 1 if f_end > 0 else 0
