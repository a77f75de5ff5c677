"""The bounds one file may take when read: what keeps a worker's memory flat
whatever the input (a 1 GB stream in a 1 MB PDF, a DOCX whose XML expands to
gigabytes, a PDF of thousands of pages).

A file over a bound raises :class:`~textmine.errors.LimitExceededError`
naming the bound and the flag that raises it.  The defaults are documented in
the README ("Reliability"); ``textmine analyze`` and ``tag`` take
``--max-file-mb``, ``--max-expanded-mb`` and ``--max-pages``.
"""

from __future__ import annotations

from dataclasses import dataclass

from textmine.errors import LimitExceededError

MB = 1024 * 1024

# Seconds one file may take in `tag` (read and analysed) before it becomes an
# error row (``--timeout``; enforced by textmine.corpus.work.time_limit).
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class ReadLimits:
    """``max_file_bytes``: the file itself; ``max_expanded_bytes``: what its
    compressed parts (DOCX XML, PDF streams) may expand to, in all;
    ``max_pages``: pages of a PDF."""

    max_file_bytes: int = 200 * MB
    max_expanded_bytes: int = 256 * MB
    max_pages: int = 1000

    @classmethod
    def from_mb(
        cls, *, max_file_mb: float | None = None, max_expanded_mb: float | None = None, max_pages: int | None = None
    ) -> ReadLimits:
        """Limits from the CLI's units; None keeps a default."""
        default = cls()
        return cls(
            max_file_bytes=int(max_file_mb * MB) if max_file_mb is not None else default.max_file_bytes,
            max_expanded_bytes=int(max_expanded_mb * MB) if max_expanded_mb is not None else default.max_expanded_bytes,
            max_pages=max_pages if max_pages is not None else default.max_pages,
        )


DEFAULT_LIMITS = ReadLimits()


def format_mb(n: int) -> str:
    """``n`` bytes in the CLI's unit: ``256 MB``, ``1.5 MB``, ``0.01 MB``."""
    mb = n / MB
    if mb >= 10 or mb == int(mb):
        return f"{mb:,.0f} MB"
    return f"{mb:.2g} MB" if mb < 0.1 else f"{mb:.1f} MB"


# One wording per bound, so every reader says the same thing.


def file_too_big(source: str, size: int, limits: ReadLimits) -> LimitExceededError:
    return LimitExceededError(
        source,
        f"{format_mb(size)} file, over the limit of {format_mb(limits.max_file_bytes)} (raise it with --max-file-mb)",
        bound="max-file-mb",
    )


def too_many_pages(source: str, pages: int | None, limits: ReadLimits) -> LimitExceededError:
    """``pages``: the count, or None when counting stopped at the limit."""
    if pages is None:
        said = f"more than {limits.max_pages} pages, the limit"
    else:
        said = f"{pages:,} pages, over the limit of {limits.max_pages}"
    return LimitExceededError(source, f"{said} (raise it with --max-pages)", bound="max-pages")


def expands_too_far(source: str, what: str, size: int | None, limits: ReadLimits) -> LimitExceededError:
    """``what`` expands to ``size`` bytes (None: decoding stopped at the limit)."""
    limit = format_mb(limits.max_expanded_bytes)
    if size is None:
        said = f"{what} expand to more than {limit}, the limit"
    else:
        said = f"{what} expand to {format_mb(size)}, over the limit of {limit}"
    return LimitExceededError(source, f"{said} (raise it with --max-expanded-mb)", bound="max-expanded-mb")


def took_too_long(source: str, seconds: float) -> LimitExceededError:
    return LimitExceededError(source, f"took over {seconds:g} s (raise it with --timeout)", bound="timeout")
