"""The unit of work of a tagging run: a few files' bytes in, their rows out.

Runs in a worker process or on a Dask worker, so it takes and returns plain
data (bytes in, Arrow record batches out), never an open file or a database
handle.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import TextmineError
from ..read import DEFAULT_LIMITS, DEFAULT_TIMEOUT, ReadLimits, took_too_long
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


@dataclass(frozen=True)
class WorkOptions:
    """The bounds every file of a run is read under (sent with each task)."""

    limits: ReadLimits = DEFAULT_LIMITS
    timeout: float | None = DEFAULT_TIMEOUT


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def analyze_files(items: list[Item], options: WorkOptions = WorkOptions()) -> Outcome:
    """Read and analyse each file of ``items``; a failure becomes an
    ``errors`` row naming the file and the stage, and the others go on."""
    rows: Rows = defaultdict(list)
    outcome = Outcome()
    for data, source, sha256 in items:
        report_rows, error = analyze_file_bytes(data, source, sha256, options)
        if error is not None:
            outcome.errors.append(error)
            continue
        for table, table_rows in report_rows.items():
            rows[table].extend(table_rows)
        outcome.tagged += 1
    outcome.tables = rows_to_arrow(rows)
    return outcome


def analyze_file_bytes(
    data: bytes, source: str, sha256: str, options: WorkOptions = WorkOptions()
) -> tuple[Rows, tuple[Any, ...] | None]:
    """One report's rows, or no rows and its ``errors`` row."""
    from ..pipeline import analyze_document
    from ..read import detect_format, read_bytes

    stage = "read"
    try:
        with time_limit(options.timeout, source):
            fmt = detect_format(data, source)
            document = read_bytes(data, source, fmt, options.limits)
            stage = "analyze"
            record = analyze_document(document)
            stage = "store"
            return record_rows(record, sha256=sha256, fmt=fmt, size=len(data)), None
    except _Timeout:
        return {}, error_row(sha256, source, stage, took_too_long(source, options.timeout or 0).message)
    except TextmineError as exc:
        where = getattr(exc, "stage", stage) if stage != "read" else "read"
        return {}, error_row(sha256, source, where, exc.message)
    except Exception as exc:  # noqa: BLE001 - a bug: keep the batch going, keep the evidence
        return {}, error_row(sha256, source, stage, f"{type(exc).__name__}: {exc}")


class _Timeout(BaseException):
    """Raised by the alarm: a BaseException, so that no reader's ``except
    Exception`` can mistake it for a broken file."""


@contextmanager
def time_limit(seconds: float | None, source: str) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`_Timeout`.

    A real-time alarm, so it needs the main thread of a process (a pool
    worker, or ``tag --workers 1``); elsewhere (Dask runs tasks in threads)
    the block runs unbounded.  A pool worker that does not stop for the
    alarm is replaced by the run (``textmine.corpus.tagging``).
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: Any) -> None:
        raise _Timeout(source)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def warm_up(parent_pid: int | None = None) -> None:
    """Load what every report needs once per worker, before the first one;
    with ``parent_pid``, exit when that process is gone (a ``kill -9`` of
    ``textmine tag`` must not leave its workers running)."""
    if parent_pid is not None:
        threading.Thread(target=_exit_with, args=(parent_pid,), name="textmine-parent-watch", daemon=True).start()
    from ..pipeline import STAGES  # noqa: F401
    from ..problems import default_classifier, domain_tokenizer
    from .schema import arrow_schemas

    classifier = default_classifier()
    if classifier.model is not None and classifier.model.words_ is not None:
        domain_tokenizer()  # a model trained with jieba tokens segments every item
    arrow_schemas()


def _exit_with(parent_pid: int, interval: float = 0.5) -> None:
    # Pool workers are the forkserver's children, not the run's, so the
    # kernel's parent-death signal cannot tell them: watch the run's pid.
    while True:
        time.sleep(interval)
        try:
            os.kill(parent_pid, 0)
        except (ProcessLookupError, PermissionError):  # gone, or its pid now someone else's
            os._exit(1)
