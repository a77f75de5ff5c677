"""``tag(inputs, db)``: a folder of reports into the corpus database.

The main process walks the inputs, hashes each file's bytes and skips what
the database already holds; the analysis runs in a process pool (or on a
Dask cluster) with a bounded number of files in flight, so memory does not
grow with the corpus; the main process alone writes, a batch of reports per
transaction.  A file that fails becomes an ``errors`` row and the run goes
on.  After the last batch, the cross-year pass links each agency's years.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..read import SUFFIX_FORMATS
from .rows import error_row
from .store import CorpusWriter, connect
from .work import Item, Outcome, analyze_files, sha256_of, warm_up

# Files per task: enough that pickling, waking the writer and a Dask task's
# overhead are paid once for several reports; few enough that the progress
# bar moves and a worker crash has few suspects.
CHUNK = 8


@dataclass
class TagResult:
    """What a run did (the counts the CLI prints)."""

    files: int = 0
    tagged: int = 0
    skipped: int = 0          # already in the database (same bytes)
    duplicates: int = 0       # same bytes as another file of this run
    errors: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (source, stage, message)

    @property
    def rate(self) -> float:
        return self.tagged / self.seconds if self.seconds else 0.0


def iter_report_files(inputs: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named on the command line as they are; folders walked (sorted)
    for files with a report suffix, hidden files and folders left out."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and Path(name).suffix.lower() in SUFFIX_FORMATS:
                        yield Path(root) / name
        else:
            yield path


class _LocalRunner:
    """Runs the work in this process (``workers=1``): no pickling, easy to debug."""

    def submit(self, items: list[Item]) -> Any:
        future: Future[Outcome] = Future()
        future.set_result(analyze_files(items))
        return future

    def wait_some(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        return set(futures), set()

    def close(self) -> None:
        pass


class _PoolRunner:
    """A process pool; rebuilt if a worker dies (the files in flight then
    become errors, the rest go on)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._start()

    def _start(self) -> None:
        import multiprocessing

        # forkserver: the writer holds an open DuckDB connection, which a
        # forked child must not inherit.  The server loads the models once
        # (textmine.corpus.preload); workers fork from it warm.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["textmine.corpus.preload"])
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=warm_up)

    def submit(self, items: list[Item]) -> Any:
        return self.pool.submit(analyze_files, items)

    def wait_some(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        done, pending = wait(futures, return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self._start()

    def close(self) -> None:
        self.pool.shutdown(wait=True)


def _run_alone(runner: _PoolRunner, item: Item) -> Outcome:
    try:
        return runner.submit([item]).result()
    except BrokenProcessPool:
        runner.restart()
        _, source, sha = item
        return Outcome(errors=[error_row(sha, source, "worker", "the worker process died analysing this file")])


class _DaskRunner:
    """The same work on a Dask distributed cluster (``--dask ADDRESS``)."""

    def __init__(self, address: Any) -> None:
        from distributed import Client

        self.client = address if hasattr(address, "submit") else Client(address)
        self._own = not hasattr(address, "submit")
        self.client.run(warm_up)

    def submit(self, items: list[Item]) -> Any:
        return self.client.submit(analyze_files, items, pure=False)

    def wait_some(self, futures: set[Any]) -> tuple[set[Any], set[Any]]:
        from distributed import wait as dask_wait

        done, pending = dask_wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def close(self) -> None:
        if self._own:
            self.client.close()


def tag(
    inputs: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    *,
    workers: int | None = None,
    dask: Any = None,
    batch_size: int = 200,
    chunk_size: int = CHUNK,
    retry_errors: bool = False,
    progress: Callable[[int, int], None] | None = None,
    total: int | None = None,
) -> TagResult:
    """Tag every report of ``inputs`` (files or folders) into the database ``db``.

    ``workers``: processes (default: all cores; 1 runs in this process).
    ``dask``: a scheduler address or a ``distributed.Client``; overrides ``workers``.
    ``progress(done, total)`` is called as files are done.
    ``chunk_size``: files per task sent to a worker.
    ``retry_errors``: analyse again the files that failed in an earlier run.
    """
    from .years import link_years_in_db

    started = time.perf_counter()
    result = TagResult()
    con = connect(db)
    # The writer inserts small batches while the workers use every core:
    # DuckDB's own threads would only contend with them (half the CPU per
    # report with one).  The cross-year pass gets them back.
    con.execute("SET threads TO 1")
    writer = CorpusWriter(con, batch_size=batch_size)
    if retry_errors:
        con.execute("DELETE FROM errors")
    done = writer.done()
    seen: set[str] = set()
    n_workers = workers or os.cpu_count() or 1
    runner: Any
    if dask is not None:
        runner = _DaskRunner(dask)
        in_flight_max = 3 * max(1, len(runner.client.scheduler_info().get("workers", {})) or 1)
    elif n_workers == 1:
        runner = _LocalRunner()
        in_flight_max = 1
    else:
        runner = _PoolRunner(n_workers)
        in_flight_max = 8 * n_workers
    futures: dict[Any, list[Item]] = {}
    chunk: list[Item] = []
    finished = 0

    def collect(outcome: Outcome) -> None:
        nonlocal finished
        if outcome.errors:
            writer.add_rows({"errors": outcome.errors}, reports=len(outcome.errors))
            result.errors += len(outcome.errors)
            result.failures.extend((error[1], error[2], error[3]) for error in outcome.errors)
        writer.add(outcome.tables, reports=outcome.tagged)
        result.tagged += outcome.tagged
        finished += outcome.tagged + len(outcome.errors)
        if progress:
            progress(finished, total or 0)

    def skip() -> None:
        nonlocal finished
        finished += 1
        if progress:
            progress(finished, total or 0)

    def submit() -> None:
        if chunk:
            futures[runner.submit(list(chunk))] = list(chunk)
            chunk.clear()
            drain(in_flight_max - 1)

    def drain(limit: int) -> None:
        while len(futures) > limit:
            finished_now, _ = runner.wait_some(set(futures))
            suspects: list[Item] = []
            for future in finished_now:
                if future not in futures:
                    continue
                items = futures.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    suspects.extend(items)
                    continue
                except Exception as exc:
                    message = f"{type(exc).__name__}: {exc}"
                    outcome = Outcome(errors=[error_row(sha, source, "worker", message) for _, source, sha in items])
                collect(outcome)
            if suspects:
                # A worker died (a crash in a native library) and took the
                # pool with it: every file in flight is a suspect.  Each runs
                # alone in a fresh pool; the one that kills it again is the error.
                suspects.extend(item for items in futures.values() for item in items)
                futures.clear()
                runner.restart()
                for item in suspects:
                    collect(_run_alone(runner, item))

    try:
        for path in iter_report_files(inputs):
            result.files += 1
            source = str(path)
            try:
                data = path.read_bytes()
            except OSError as exc:
                collect(Outcome(errors=[error_row(None, source, "read", f"cannot open: {exc.strerror or exc}")]))
                continue
            sha = sha256_of(data)
            if sha in done:
                result.skipped += 1
                skip()
                continue
            if sha in seen:
                result.duplicates += 1
                skip()
                continue
            seen.add(sha)
            chunk.append((data, source, sha))
            if len(chunk) >= chunk_size:
                submit()
        submit()
        drain(0)
    finally:
        writer.flush()
        runner.close()
    con.execute("RESET threads")
    link_years_in_db(con)
    con.close()
    result.seconds = time.perf_counter() - started
    return result
