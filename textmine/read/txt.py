"""Plain-text reports: decode, unify newlines, nothing more.

A text report has no real tables (its tables are lines of cells, pipes or
runs of digits, which the table stage parses), so ``Document.tables`` is
empty and the text keeps its blank lines and no-break-space cells.
"""

from __future__ import annotations

from textmine.read.canonical import canonical_plain_text
from textmine.read.encoding import decode_bytes, require_text
from textmine.record import Document


def read_txt(data: bytes, source: str) -> Document:
    decoded = decode_bytes(data, source)
    require_text(decoded.text, source)
    text = canonical_plain_text(decoded.text)
    return Document(source=source, text=text, format="txt", encoding=decoded.encoding, hints=dict(decoded.hints))
