"""The two objects every stage shares: the read ``Document`` and the ``Record``.

``Document`` is what a reader returns: the canonical plain text (every offset
in a record refers to it) and the tables the source really had as tables.
``Record`` is the contract of ``spec/output.md``: stages add to it, and
:meth:`Record.to_dict` gives the JSON every other tool reads.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

SCHEMA_VERSION = 1

SECTION_KEYS: tuple[str, ...] = (
    "overview",
    "active_disclosure",
    "requests",
    "review_litigation",
    "problems",
    "other",
)


def source_name(path: str | os.PathLike[str]) -> str:
    """``path`` as the name a record carries (``Document.source``): the name
    the file system gives, with each byte that is not valid UTF-8 (a GBK name
    from a Windows zip, say) written as ``\\xNN``, so that every name can be
    printed, stored and searched.

    >>> source_name(os.fsdecode(b"r\\xb1\\xa8.txt"))
    'r\\\\xb1\\\\xa8.txt'
    """
    name = os.fspath(path)
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no file system byte made
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


@dataclass
class SourceTable:
    """A table as the source laid it out: a grid of cell texts, spans resolved.

    ``rows[i][j]`` is the text of the cell at row ``i``, column ``j``; a cell
    covered by a rowspan or colspan repeats the spanning cell's text, so every
    row has the same length.  ``start``/``end`` locate the table's rendering
    inside :attr:`Document.text`.
    """

    rows: list[list[str]]
    start: int = 0
    end: int = 0

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    """A report as read: canonical text plus real tables.

    ``format`` is ``txt``, ``html``, ``docx`` or ``pdf``; ``encoding`` the
    encoding the bytes were decoded from (text formats only); ``hints`` holds
    what a reader learnt outside the body (an HTML ``<title>``, say).
    """

    source: str
    text: str
    format: str
    tables: list[SourceTable] = field(default_factory=list)
    encoding: str | None = None
    hints: dict[str, str] = field(default_factory=dict)


@dataclass
class Section:
    key: str
    title: str
    start: int
    end: int


@dataclass
class Note:
    """Something a stage could not do, or did with doubt.  ``table`` is ``t2``,
    ``t3``, ``t4`` for table notes, else the stage name."""

    table: str
    message: str
    cells: list[str] = field(default_factory=list)


@dataclass
class Record:
    """One analysed report (``spec/output.md``, ``schema: 1``)."""

    source: str
    meta: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, dict[str, Any]] = field(default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}})
    table_notes: list[Note] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    improvements: list[dict[str, Any]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    # Headings that are plainly headings but none of the six parts (收费及减免情况).
    unmapped_headings: list[Section] = field(default_factory=list)
    # Raw text of every table cell found, keyed like ``tables``: the evidence
    # behind each value (a blank, a ``/``, a run the splitter resolved).
    cells_raw: dict[str, dict[str, str]] = field(default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}})
    # Cells cut out of runs of digits that lost their separators, per table.
    recovered_cells: dict[str, int] = field(default_factory=dict)
    # Where tables 2–4 lie in the text (start, end): not narrative.
    table_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    text: str = field(default="", repr=False)
    # "traditional" when the text was read in its simplified reading (script.py).
    script: str = "simplified"
    # How well the report was read (textmine/reading.py): verdict, reasons, cells, identities, sections.
    reading: dict[str, Any] = field(default_factory=dict)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def section_text(self, key: str) -> str:
        s = self.section(key)
        return self.text[s.start : s.end] if s else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "source": self.source,
            "meta": dict(self.meta),
            "sections": [asdict(s) for s in self.sections],
            "tables": {k: dict(v) for k, v in self.tables.items()},
            "table_notes": [asdict(n) for n in self.table_notes],
            "claims": list(self.claims),
            "checks": list(self.checks),
            "problems": list(self.problems),
            "improvements": list(self.improvements),
            "notes": [asdict(n) for n in self.notes],
            "unmapped_headings": [asdict(h) for h in self.unmapped_headings],
            "reading": dict(self.reading),
            "cells_raw": {k: dict(v) for k, v in self.cells_raw.items()},
            "recovered_cells": dict(self.recovered_cells),
            "table_spans": {k: list(v) for k, v in self.table_spans.items()},
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)
