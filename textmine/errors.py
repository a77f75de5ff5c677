"""The errors textmine raises: one family, each naming the file and the problem.

Callers (the CLI, the corpus tagger) catch :class:`TextmineError` and turn it
into one line; anything else escaping a reader or a stage is a bug.
"""

from __future__ import annotations


class TextmineError(Exception):
    """Base of every error textmine raises on purpose.

    ``source`` is the file (or other origin) the error is about, ``stage`` the
    pipeline stage that raised it (``read``, ``sections``, ...).
    """

    stage = "read"

    def __init__(self, source: str | None, message: str) -> None:
        self.source = source
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class UnreadableFileError(TextmineError):
    """The file cannot be opened or decoded at all."""


class EmptyDocumentError(TextmineError):
    """The file holds no text (empty, whitespace only, or no text layer)."""


class UnsupportedFormatError(TextmineError):
    """The file's kind is not one textmine reads."""


class EncodingError(TextmineError):
    """The bytes decode in no supported encoding without mojibake."""


class CorruptDocumentError(TextmineError):
    """A DOCX or PDF whose container is broken."""


class ScannedPdfError(TextmineError):
    """A PDF without a text layer: a scan, which needs OCR first."""


class GarbledTextError(TextmineError):
    """Extracted text is mostly ``(cid:NN)`` glyph ids or replacement marks."""


class NotAReportError(TextmineError):
    """Readable text, but not an annual report (no sections, no tables)."""

    stage = "sections"
