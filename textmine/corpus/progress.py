"""A rich progress bar around :func:`textmine.corpus.tag` (quiet when not a TTY)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from ..inputs import iter_inputs
from .tagging import TagResult, tag


def tag_with_progress(
    inputs: Iterable[str | os.PathLike[str]], db: str | os.PathLike[str], **options: Any
) -> TagResult:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    inputs = list(inputs)
    console = Console(stderr=True)
    if not console.is_terminal:
        return tag(inputs, db, **options)
    # Counting first costs a directory walk, and buys an ETA.
    total = sum(1 for _ in iter_inputs(inputs))
    columns = (
        TextColumn("tagging"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("tag", total=total, rate="")

        def advance(done: int, _total: int) -> None:
            speed = bar.tasks[task].speed
            bar.update(task, completed=done, rate=f"{speed:6.1f} reports/s" if speed else "")

        return tag(inputs, db, progress=advance, total=total, **options)
