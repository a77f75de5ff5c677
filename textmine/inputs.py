"""What a command is given, file by file: the reports to analyse, and every
other input accounted for once, with its reason.

Files named on the command line are taken as they are; folders are walked
(sorted, depth first, links to folders followed once) for files with a
report suffix.  A named input that does not exist, a link to nothing, a FIFO
or device, a folder that cannot be opened: each becomes an
:class:`InputFile` with its ``problem``, which the caller reports (``tag``
stores it as an ``errors`` row).  Files in folders that are not reports
(pictures, spreadsheets, hidden files) are counted in ``ignored`` by reason.

File names are stored as :func:`~textmine.record.source_name` gives them: the name the file
system gives, with any byte that is not valid UTF-8 (a GBK name from a
Windows zip, say) written as ``\\xNN``, so that every name can be printed,
stored and searched.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .read import SUFFIX_FORMATS, not_regular_file
from .record import source_name

# Reports in formats textmine cannot read: walked like the others so that
# each gets an error row saying what to do, never skipped without a word.
LEGACY_SUFFIXES = frozenset({".doc", ".wps", ".rtf"})


@dataclass(frozen=True)
class InputFile:
    """One input: a regular file to read (``problem`` None) or what could
    not be read, with why."""

    path: Path
    problem: str | None = None

    @property
    def source(self) -> str:
        return source_name(self.path)


def file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or None when it can (opening a
    FIFO would block for ever, so nothing is opened here)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "a link to a file that does not exist" if os.path.islink(path) else "no such file"
    except OSError as exc:
        return f"cannot open: {exc.strerror or exc}"
    return not_regular_file(mode)


def iter_inputs(inputs: Iterable[str | os.PathLike[str]], ignored: Counter[str] | None = None) -> Iterator[InputFile]:
    """Every input of a run, in order; ``ignored`` counts what folders held
    that is not a report (by suffix, ``hidden``, ``a folder seen before``)."""
    ignored = ignored if ignored is not None else Counter()
    seen: set[tuple[int, int]] = set()
    for item in inputs:
        path = Path(item)
        if os.path.isdir(path):
            yield from _walk(path, seen, ignored)
        else:
            yield InputFile(path, file_problem(path))


def _walk(top: Path, seen: set[tuple[int, int]], ignored: Counter[str]) -> Iterator[InputFile]:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
            if (info.st_dev, info.st_ino) in seen:  # a link back into the tree
                ignored["a folder seen before"] += 1
                continue
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            yield InputFile(folder, f"cannot open this folder: {exc.strerror or exc}")
            continue
        subfolders: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                ignored["hidden"] += 1
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                subfolders.append(path)
                continue
            suffix = path.suffix.lower()
            if suffix in SUFFIX_FORMATS or suffix in LEGACY_SUFFIXES:
                yield InputFile(path, file_problem(path))
            else:
                ignored[suffix or "no suffix"] += 1
        stack.extend(reversed(subfolders))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows a link: a linked folder is walked (once)
    except OSError:
        return False
