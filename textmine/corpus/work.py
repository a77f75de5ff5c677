"""The unit of work of a tagging run: one file's bytes in, its rows out.

Runs in a worker process or on a Dask worker, so it takes and returns plain
data (bytes and tuples), never an open file or a database handle.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TextmineError
from .rows import Rows, error_row, record_rows


@dataclass
class Outcome:
    """What one file gave: its rows, or one ``errors`` row."""

    source: str
    sha256: str | None
    rows: Rows = field(default_factory=dict)
    error: tuple[Any, ...] | None = None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyze_file_bytes(data: bytes, source: str, sha256: str) -> Outcome:
    """Read and analyse one report; any failure becomes an ``errors`` row
    naming the stage, so the batch goes on."""
    from ..pipeline import analyze_document
    from ..read import _format_for, read_bytes

    stage = "read"
    try:
        fmt = _format_for(data, Path(source).suffix.lower(), source)
        document = read_bytes(data, source, fmt)
        stage = "analyze"
        record = analyze_document(document)
        stage = "store"
        return Outcome(source, sha256, record_rows(record, sha256=sha256, fmt=fmt, size=len(data)))
    except TextmineError as exc:
        where = getattr(exc, "stage", stage) if stage != "read" else "read"
        return Outcome(source, sha256, error=error_row(sha256, source, where, exc.message))
    except Exception as exc:  # a bug: keep the batch going, keep the evidence
        return Outcome(source, sha256, error=error_row(sha256, source, stage, f"{type(exc).__name__}: {exc}"))


def warm_up() -> None:
    """Load what every report needs once per worker, before the first one."""
    from ..pipeline import STAGES  # noqa: F401
    from ..problems.combined import default_classifier
    from ..problems.model import domain_tokenizer

    default_classifier()
    domain_tokenizer()


def read_input(path: str | os.PathLike[str]) -> bytes:
    return Path(path).read_bytes()
