"""Where tagging's analysis runs: this process, a process pool, a Dask cluster.

Each runner takes tasks (lists of files, :data:`~textmine.corpus.work.Item`)
and hands back futures of :class:`~textmine.corpus.work.Outcome`, so the run
(:mod:`textmine.corpus.tagging`) feeds and collects them the same way.
Workers are warmed up once (the models loaded) and exit when the run's
process dies.
"""

from __future__ import annotations

import concurrent.futures
import gc
import os
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import TextmineError
from .rows import error_row
from .work import Item, Outcome, WorkOptions, analyze_files, warm_up

__all__ = ["GRACE", "DaskRunner", "DaskUnavailableError", "LocalRunner", "PoolRunner", "task_seconds"]

# Extra seconds the run grants a task beyond its files' time limits before it
# takes the worker for hung (the alarm in the worker should have fired).
GRACE = 30.0


class DaskUnavailableError(TextmineError):
    """``--dask ADDRESS`` names no scheduler textmine can reach."""

    stage = "dask"


class LocalRunner:
    """Runs the work in this process (``workers=1``): no pickling, easy to debug."""

    def __init__(self, options: WorkOptions) -> None:
        self.options = options

    def submit(self, items: list[Item]) -> Any:
        future: Future[Outcome] = Future()
        future.set_result(analyze_files(items, self.options))
        return future

    def wait_some(self, futures: set[Any], timeout: float | None = None) -> tuple[set[Any], set[Any]]:
        return set(futures), set()

    def close(self) -> None:
        pass


class PoolRunner:
    """A process pool; rebuilt if a worker dies or hangs (the files in flight
    then run again one by one, and the one that kills it again is the error)."""

    def __init__(self, workers: int, options: WorkOptions) -> None:
        self.workers = workers
        self.options = options
        self._start()

    def _start(self) -> None:
        import multiprocessing

        # forkserver: the writer holds an open DuckDB connection, which a
        # forked child must not inherit.  The server loads the models once
        # (textmine.corpus.preload); workers fork from it warm.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["textmine.corpus.preload"])
        self.pool = ProcessPoolExecutor(self.workers, mp_context=context, initializer=warm_up, initargs=(os.getpid(),))

    def submit(self, items: list[Item]) -> Any:
        return self.pool.submit(analyze_files, items, self.options)

    def wait_some(self, futures: set[Any], timeout: float | None = None) -> tuple[set[Any], set[Any]]:
        done, pending = wait(futures, timeout=timeout, return_when=FIRST_COMPLETED)
        return set(done), set(pending)

    def restart(self) -> None:
        # A hung worker ignores shutdown: end it, or it holds its memory for good.
        for process in list(getattr(self.pool, "_processes", {}).values()):
            process.kill()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self._start()

    def run_alone(self, item: Item) -> Outcome:
        _, source, sha = item
        future = self.submit([item])
        try:
            return future.result(timeout=task_seconds(self.options, 1))
        except BrokenProcessPool:
            message = "the worker process died analysing this file"
        except concurrent.futures.TimeoutError:
            message = f"took over {self.options.timeout:g} s and did not stop (raise it with --timeout)"
        self.restart()
        return Outcome(errors=[error_row(sha, source, "worker", message)])

    def close(self) -> None:
        self.pool.shutdown(wait=True)


class DaskRunner:
    """The same work on a Dask distributed cluster (``--dask ADDRESS``)."""

    def __init__(self, address: Any, options: WorkOptions) -> None:
        self.options = options
        if hasattr(address, "submit"):
            self.client, self._own = address, False
        else:
            self.client, self._own = _dask_client(address), True
        self.client.run(warm_up)

    @property
    def workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, items: list[Item]) -> Any:
        return self.client.submit(analyze_files, items, self.options, pure=False)

    def wait_some(self, futures: set[Any], timeout: float | None = None) -> tuple[set[Any], set[Any]]:
        from distributed import wait as dask_wait

        done, pending = dask_wait(list(futures), return_when="FIRST_COMPLETED")
        return set(done), set(pending)

    def close(self) -> None:
        if self._own:
            self.client.close()


def _dask_client(address: str) -> Any:
    from distributed import Client

    try:
        return Client(address, timeout=10)
    except Exception as exc:
        # Besides OSError (refused, timed out) and ValueError (not an address),
        # a connect that races its own timeout on a loaded host can end in a bare
        # AssertionError inside distributed (dask/distributed#3412): whatever
        # stops the client from starting, the scheduler cannot be used.
        detail = str(exc) or type(exc).__name__
    # The half-built Client (kept alive by the exception's frames until here)
    # closes itself in __del__.  Left to a later garbage collection, that can
    # run inside the next Client's start, which holds the lock all loop runners share
    # (a class attribute) that close waits for: a hang, seen in the suite.  Collected
    # now, no lock is held.
    gc.collect()
    raise DaskUnavailableError(address, f"cannot reach a Dask scheduler there ({detail})")


def task_seconds(options: WorkOptions, files: int) -> float | None:
    """How long a task of ``files`` files may take before the run takes its worker for hung (None: no limit)."""
    return options.timeout * files + GRACE if options.timeout else None
