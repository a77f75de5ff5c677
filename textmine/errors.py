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


class LimitExceededError(TextmineError):
    """A file over one of the bounds that keep memory and time in check
    (:class:`textmine.read.limits.ReadLimits`, ``tag``'s time limit).

    ``bound`` names the bound (``max-pages``, ``max-expanded-mb``,
    ``max-file-mb``, ``timeout``: the CLI flag that changes it, without dashes).
    """

    def __init__(self, source: str | None, message: str, *, bound: str) -> None:
        self.bound = bound
        super().__init__(source, message)

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in pool workers: keyword-only arguments must survive pickling.
        return (_limit_error, (self.source, self.message, self.bound))


def _limit_error(source: str | None, message: str, bound: str) -> LimitExceededError:
    return LimitExceededError(source, message, bound=bound)


class DataFileError(TextmineError, ValueError):
    """A data file shipped with textmine (or given in its place) does not fit
    its schema: a misspelt key, a wrong type, a pattern that does not compile."""

    stage = "data"


class UnknownCategoryError(TextmineError, ValueError):
    """A problem category that is neither a taxonomy key nor its Chinese name."""

    stage = "taxonomy"
