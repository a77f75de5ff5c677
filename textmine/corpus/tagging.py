"""``tag(inputs, db)``: a folder of reports into the corpus database.

The main process walks the inputs, hashes each file's bytes and skips what
the database already holds; the analysis runs in a process pool (or on a
Dask cluster) with a bounded number of files and bytes in flight, so memory
does not grow with the corpus; the main process alone writes, a batch of
reports per transaction.  A file that fails becomes an ``errors`` row and the
run goes on; every input that is not analysed is accounted for once.  After
the last batch, the cross-year pass links each agency's years.

Bounds: each file is read under :class:`~textmine.read.limits.ReadLimits`
and a time limit (``timeout`` seconds, enforced in the worker by an alarm
and, should a worker hang where the alarm cannot reach, by the run, which
replaces the pool); workers exit when the run's process dies.  Where the
work runs (this process, a pool, Dask) is :mod:`textmine.corpus.runners`.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from ..errors import LimitExceededError, TextmineError
from ..inputs import InputFile, iter_inputs
from ..read import DEFAULT_LIMITS, ReadLimits, read_file_bytes
from .rows import error_row
from .runners import DaskRunner, LocalRunner, PoolRunner, task_seconds
from .store import CorpusWriter, connect, sync_corrections
from .work import DEFAULT_TIMEOUT, Item, Outcome, WorkOptions, sha256_of

# Files per task: enough that pickling, waking the writer and a Dask task's
# overhead are paid once for several reports; few enough that the progress
# bar moves and a worker crash has few suspects.
CHUNK = 8

# File bytes sent to workers and not yet analysed: what bounds the run's
# memory when files are large (a task always goes, however large its file).
BYTES_IN_FLIGHT = 256 * 1024 * 1024

# DuckDB's memory in the writer: batches of 500 reports and the cross-year
# pass fit well inside; beyond it DuckDB spills to a temporary folder.
WRITER_MEMORY_MB = 128


@dataclass
class TagResult:
    """What a run did (the counts the CLI prints)."""

    files: int = 0
    tagged: int = 0
    skipped: int = 0  # already in the database (same bytes)
    duplicates: int = 0  # same bytes as another file of this run
    errors: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source, stage, message)
    ignored: Counter[str] = field(default_factory=Counter)  # not reports, found in folders: by reason

    @property
    def rate(self) -> float:
        return self.tagged / self.seconds if self.seconds else 0.0


class _TagRun:
    """One run: feeds files to the runner, collects what comes back, writes."""

    def __init__(
        self,
        con: Any,
        runner: Any,
        *,
        in_flight_max: int,
        batch_size: int,
        chunk_size: int,
        options: WorkOptions,
        progress: Callable[[int, int], None] | None,
        total: int | None,
    ) -> None:
        self.con = con
        self.runner = runner
        self.writer = CorpusWriter(con, batch_size=batch_size)
        self.in_flight_max = in_flight_max
        self.chunk_size = chunk_size
        self.options = options
        self.progress = progress
        self.total = total or 0
        self.result = TagResult()
        self.done = self.writer.done()
        # Inputs that could not even be hashed are known by name alone: a
        # rerun replaces their row instead of adding another.
        self.unhashed = {row[0] for row in con.execute("SELECT source FROM errors WHERE sha256 IS NULL").fetchall()}
        self.unhashed_now: set[str] = set()
        self.seen: set[str] = set()
        self.futures: dict[Any, list[Item]] = {}
        self.chunk: list[Item] = []
        self.bytes_in_flight = 0
        self.finished = 0

    def add(self, entry: InputFile) -> None:
        self.result.files += 1
        source = entry.source
        if source in self.unhashed:
            self.con.execute("DELETE FROM errors WHERE sha256 IS NULL AND source = ?", [source])
            self.unhashed.discard(source)
        if entry.problem is not None:
            self.add_unhashed(source, "input", entry.problem)
            return
        try:
            # As the readers read: the size checked before the file is
            # opened, and a FIFO swapped in since the walk cannot hang the run.
            data = read_file_bytes(entry.path, self.options.limits)
        except LimitExceededError as exc:
            self.add_oversized(entry, exc.message)
            return
        except TextmineError as exc:
            self.add_unhashed(source, "read", exc.message)
            return
        sha = sha256_of(data)
        if self.known(sha):
            return
        self.chunk.append((data, source, sha))
        self.bytes_in_flight += len(data)
        if len(self.chunk) >= self.chunk_size or self.bytes_in_flight > BYTES_IN_FLIGHT:
            self.submit()

    def add_unhashed(self, source: str, stage: str, message: str) -> None:
        """An ``errors`` row for an input whose bytes could not be read, once
        per run however often the input is given."""
        if source in self.unhashed_now:
            self.result.duplicates += 1
            self.advance(1)
            return
        self.unhashed_now.add(source)
        self.collect(Outcome(errors=[error_row(None, source, stage, message)]))

    def add_oversized(self, entry: InputFile, message: str) -> None:
        """A file over the size limit: hashed in pieces (so a rerun knows it),
        never read whole."""
        digest = hashlib.sha256()
        try:
            with open(entry.path, "rb") as f:
                while piece := f.read(1 << 20):
                    digest.update(piece)
        except OSError as exc:
            self.add_unhashed(entry.source, "read", f"cannot open: {exc.strerror or exc}")
            return
        sha = digest.hexdigest()
        if self.known(sha):
            return
        self.collect(Outcome(errors=[error_row(sha, entry.source, "read", message)]))

    def known(self, sha: str) -> bool:
        """Whether these bytes are stored already or came earlier in this run
        (counted so); otherwise they are now seen."""
        if sha in self.done:
            self.result.skipped += 1
        elif sha in self.seen:
            self.result.duplicates += 1
        else:
            self.seen.add(sha)
            return False
        self.advance(1)
        return True

    def submit(self) -> None:
        if self.chunk:
            self.futures[self.runner.submit(list(self.chunk))] = list(self.chunk)
            self.chunk.clear()
            self.drain(self.in_flight_max - 1)

    def drain(self, limit: int) -> None:
        while self.futures and (len(self.futures) > limit or self.bytes_in_flight > BYTES_IN_FLIGHT):
            watch = task_seconds(self.options, self.chunk_size)
            finished_now, _ = self.runner.wait_some(set(self.futures), timeout=watch)
            if not finished_now:  # every worker hung past the alarm: replace them
                self.rerun_alone()
                continue
            suspects: list[Item] = []
            for future in finished_now:
                items = self.futures.pop(future, None)
                if items is None:
                    continue
                self.bytes_in_flight -= sum(len(item[0]) for item in items)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    suspects.extend(items)
                    continue
                except Exception as exc:  # noqa: BLE001 - whatever a worker raised, its files are the error
                    message = f"{type(exc).__name__}: {exc}"
                    outcome = Outcome(errors=[error_row(sha, source, "worker", message) for _, source, sha in items])
                self.collect(outcome)
            if suspects:
                self.rerun_alone(suspects)

    def rerun_alone(self, suspects: list[Item] | None = None) -> None:
        """A worker died (a crash in a native library, taking the pool with
        it) or hung: every file in flight is a suspect, and each runs alone
        in a fresh pool."""
        suspects = list(suspects or [])
        suspects.extend(item for items in self.futures.values() for item in items)
        self.futures.clear()
        self.bytes_in_flight = 0
        self.runner.restart()
        for item in suspects:
            self.collect(self.runner.run_alone(item))

    def collect(self, outcome: Outcome) -> None:
        if outcome.errors:
            self.writer.add_rows({"errors": outcome.errors}, reports=len(outcome.errors))
            self.result.errors += len(outcome.errors)
            self.result.failures.extend((error[1], error[2], error[3]) for error in outcome.errors)
        self.writer.add(outcome.tables, reports=outcome.tagged)
        self.result.tagged += outcome.tagged
        self.advance(outcome.tagged + len(outcome.errors))

    def advance(self, files: int) -> None:
        self.finished += files
        if self.progress:
            self.progress(self.finished, self.total)

    def finish(self) -> None:
        self.submit()
        self.drain(0)


def _prepare_writer(con: Any, db: str | os.PathLike[str], *, retry_errors: bool) -> None:
    """Settings for the writer, then what a run starts by: the corrections
    table refreshed from the file beside the corpus (a hand-edited file
    reaches SQL users), the errors cleared for ``retry_errors``."""
    # The writer inserts small batches while the workers use every core:
    # DuckDB's own threads would only contend with them (half the CPU per
    # report with one).  The cross-year pass gets them back.
    con.execute("SET threads TO 1")
    # DuckDB would otherwise keep the blocks it writes cached, up to 80%
    # of the machine: the writer's memory grew with the database
    # (bench/bench_corpus.py: 289 MB at 2,000 reports, 445 MB at 10,000).
    con.execute(f"SET memory_limit = '{WRITER_MEMORY_MB}MB'")
    sync_corrections(con, db)
    if retry_errors:
        con.execute("DELETE FROM errors")


def tag(
    inputs: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    *,
    workers: int | None = None,
    dask: Any = None,
    batch_size: int = 500,
    chunk_size: int = CHUNK,
    retry_errors: bool = False,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> TagResult:
    """Tag every report of ``inputs`` (files or folders) into the database ``db``.

    ``workers``: processes (default: all cores; 1 runs in this process).
    ``dask``: a scheduler address or a ``distributed.Client``; overrides ``workers``.
    ``progress(done, total)`` is called as files are done.
    ``chunk_size``: files per task sent to a worker.
    ``retry_errors``: analyse again the files that failed in an earlier run.
    ``limits``, ``timeout``: the bounds each file is read under (a file
    over one becomes an error row naming it).

    Raises :class:`~textmine.errors.TextmineError` when nothing can be done
    (the database refused, the Dask scheduler unreachable): then the
    database file is left as it was.
    """
    from .years import link_years_in_db

    started = time.perf_counter()
    options = WorkOptions(limits=limits, timeout=timeout)
    n_workers = workers or os.cpu_count() or 1
    runner: Any
    # The runner first: an unreachable scheduler must not leave a new, empty database behind.
    if dask is not None:
        runner = DaskRunner(dask, options)
        in_flight_max = 3 * runner.workers
    elif n_workers == 1:
        runner, in_flight_max = LocalRunner(options), 1
    else:
        runner, in_flight_max = PoolRunner(n_workers, options), 8 * n_workers
    try:
        con = connect(db)
    except BaseException:
        runner.close()
        raise
    try:
        _prepare_writer(con, db, retry_errors=retry_errors)
        run = _TagRun(
            con,
            runner,
            in_flight_max=in_flight_max,
            batch_size=batch_size,
            chunk_size=chunk_size,
            options=options,
            progress=progress,
            total=total,
        )
        try:
            for entry in iter_inputs(inputs, run.result.ignored):
                run.add(entry)
            run.finish()
        finally:
            run.writer.flush()
            runner.close()
        con.execute("RESET threads")
        link_years_in_db(con)
    finally:
        con.close()
    run.result.seconds = time.perf_counter() - started
    return run.result
