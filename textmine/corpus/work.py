"""The unit of work of a tagging run: a few files' bytes in, their rows out.

Runs in a worker process or on a Dask worker, so it takes and returns plain
data (bytes in, Arrow record batches out), never an open file or a database
handle.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TextmineError
from .rows import Batches, Rows, error_row, record_rows, rows_to_arrow


# One file of a task: its bytes, its path (as given), the hash of its bytes.
Item = tuple[bytes, str, str]


@dataclass
class Outcome:
    """What a task (one or a few files) gave: the rows of the reports it
    analysed, as one record batch per table, and an ``errors`` row per file
    that failed.  A few files per task keep the per-task cost of a process
    pool or a Dask cluster (pickling, waking the writer) small."""

    tagged: int = 0
    tables: Batches = field(default_factory=dict)
    errors: list[tuple[Any, ...]] = field(default_factory=list)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyze_files(items: list[Item]) -> Outcome:
    """Read and analyse each file of ``items``; a failure becomes an
    ``errors`` row naming the file and the stage, and the others go on."""
    rows: Rows = defaultdict(list)
    outcome = Outcome()
    for data, source, sha256 in items:
        report_rows, error = analyze_file_bytes(data, source, sha256)
        if error is not None:
            outcome.errors.append(error)
            continue
        for table, table_rows in report_rows.items():
            rows[table].extend(table_rows)
        outcome.tagged += 1
    outcome.tables = rows_to_arrow(rows)
    return outcome


def analyze_file_bytes(data: bytes, source: str, sha256: str) -> tuple[Rows, tuple[Any, ...] | None]:
    """One report's rows, or no rows and its ``errors`` row."""
    from ..pipeline import analyze_document
    from ..read import _format_for, read_bytes

    stage = "read"
    try:
        fmt = _format_for(data, Path(source).suffix.lower(), source)
        document = read_bytes(data, source, fmt)
        stage = "analyze"
        record = analyze_document(document)
        stage = "store"
        return record_rows(record, sha256=sha256, fmt=fmt, size=len(data)), None
    except TextmineError as exc:
        where = getattr(exc, "stage", stage) if stage != "read" else "read"
        return {}, error_row(sha256, source, where, exc.message)
    except Exception as exc:  # a bug: keep the batch going, keep the evidence
        return {}, error_row(sha256, source, stage, f"{type(exc).__name__}: {exc}")


def warm_up() -> None:
    """Load what every report needs once per worker, before the first one."""
    from ..pipeline import STAGES  # noqa: F401
    from ..problems.combined import default_classifier
    from ..problems.model import domain_tokenizer
    from .schema import arrow_schemas

    default_classifier()
    domain_tokenizer()
    arrow_schemas()
