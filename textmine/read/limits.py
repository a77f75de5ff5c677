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

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """``max_file_bytes``: the file itself; ``max_expanded_bytes``: what its
    compressed parts (DOCX XML, PDF streams) may expand to, in all;
    ``max_pages``: pages of a PDF."""

    max_file_bytes: int = 200 * MB
    max_expanded_bytes: int = 256 * MB
    max_pages: int = 1000

    @classmethod
    def from_mb(cls, *, max_file_mb: float | None = None, max_expanded_mb: float | None = None,
                max_pages: int | None = None) -> ReadLimits:
        """Limits from the CLI's units; None keeps a default."""
        default = cls()
        return cls(
            max_file_bytes=int(max_file_mb * MB) if max_file_mb is not None else default.max_file_bytes,
            max_expanded_bytes=int(max_expanded_mb * MB) if max_expanded_mb is not None
            else default.max_expanded_bytes,
            max_pages=max_pages if max_pages is not None else default.max_pages,
        )


DEFAULT_LIMITS = ReadLimits()
