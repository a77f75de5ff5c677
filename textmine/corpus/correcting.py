"""``textmine correct``: add, list and remove a corpus' corrections.

The corrections file beside the corpus (:func:`~textmine.corrections.corrections_path`)
is what a person edits and reviews; the database's ``corrections`` table is
refreshed from it after each change (and by every ``tag``), so SQL users see
the same lines.  A report is named as a person has it at hand: its id (the
16 hex digits every table uses), its SHA-256, its source as stored, or the
report file itself.

>>> add("corpus.duckdb", "1a2b3c4d5e6f7a8b", "t3.identity:total", reason="表中合计含上年结转")  # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corrections import (
    Applied,
    Correction,
    CorrectionsError,
    corrections_path,
    make_correction,
    read_corrections,
    remove_correction,
    write_corrections,
)
from .store import CorpusDatabaseError, connect, sync_corrections
from .work import sha256_of

_CELL = re.compile(r"t[234]\.")
_ITEM = re.compile(r"(?:problem|improvement)@")


def correction_kind(target: str) -> str:
    """What ``target`` names: a ``cell`` key (t3.…), an ``item``
    (problem@120-180), else a ``finding`` (rule:scope)."""
    if _ITEM.match(target):
        return "item"
    if _CELL.match(target) and ":" not in target and target.count(".") >= 2:
        return "cell"
    return "finding"


@dataclass(frozen=True)
class Outcome:
    """A change to the corrections: the file, the correction, what it did
    in the corpus (None after a removal), whether the table followed, and
    the report counted in place of this one when it is a duplicate."""

    file: Path
    correction: Correction
    applied: Applied | None
    table_synced: bool
    duplicate_of: str | None = None


@dataclass(frozen=True)
class StoredReport:
    sha256: str
    id: str | None  # None: not stored (a correction of it can only be removed)
    duplicate_of: str | None = None


_SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def resolve_report(db: str | os.PathLike[str], ref: str, *, stored: bool = True) -> StoredReport:
    """The stored report ``ref`` names (id, SHA-256, stored source, or a
    report file); :class:`CorrectionsError` otherwise.  With ``stored``
    False, a SHA-256 that no stored report has is taken as it is (to remove
    a correction left over from a report no longer in the corpus)."""
    con = connect(db, read_only=True)
    try:
        query = "SELECT sha256, id, duplicate_of FROM reports WHERE {} ORDER BY duplicate_of NULLS FIRST LIMIT 1"
        row = con.execute(query.format("id = lower(?) OR sha256 = lower(?) OR source = ?"), [ref, ref, ref]).fetchone()
        if row is None and Path(ref).is_file():
            row = con.execute(query.format("sha256 = ?"), [sha256_of(Path(ref).read_bytes())]).fetchone()
    finally:
        con.close()
    if row is not None:
        return StoredReport(*row)
    if not stored and _SHA256.fullmatch(ref):
        return StoredReport(ref.lower(), None)
    raise CorrectionsError(str(db), f"no stored report {ref!r} (give its id, SHA-256, source or file)")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer of a corrections file at a time (two `correct add` at once
    would each write the file without the other's line)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks in the standard library
        yield
        return
    with open(path.with_name(path.name + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _file(db: str | os.PathLike[str], file: str | os.PathLike[str] | None) -> Path:
    """The corrections file to change.  A database copied without its file
    still holds its corrections in its table: the file starts from them, so
    the next change does not lose them."""
    path = Path(file) if file is not None else corrections_path(db)
    if file is None and not path.exists():
        from .lens import stored_corrections

        con = connect(db, read_only=True)
        try:
            found, _ = stored_corrections(db, con)
        finally:
            con.close()
        if found:
            write_corrections(path, found)
    return path


def _sync(db: str | os.PathLike[str]) -> bool:
    """Refresh the table; False when the corpus is busy (a ``tag`` running:
    it refreshes the table itself when it starts next)."""
    try:
        con = connect(db)
    except CorpusDatabaseError:
        return False
    try:
        sync_corrections(con, db)
    finally:
        con.close()
    return True


def _outcome(db: str | os.PathLike[str], corrections: list[Correction], correction: Correction) -> Applied | None:
    """What ``correction`` does with the other corrections of its report."""
    from .api import Corpus

    mine = [c for c in corrections if c.report == correction.report]
    with Corpus(db, corrections=mine) as corpus:
        return next((a for _, a in corpus.lens.applied if a.correction.key == correction.key), None)


def add(
    db: str | os.PathLike[str],
    ref: str,
    target: str,
    value: str | None = None,
    *,
    reason: str = "",
    by: str = "",
    file: str | os.PathLike[str] | None = None,
    force: bool = False,
) -> Outcome:
    """Add (or replace) the correction of ``target`` in report ``ref``;
    ``value`` defaults to ``false_positive`` for a finding.  A correction
    that matches nothing in the report (a misspelt key, offsets of no item),
    or that dismisses a finding that does not fail, is refused unless
    ``force``."""
    kind = correction_kind(target)
    if value is None:
        if kind != "finding":
            raise CorrectionsError(None, f"{target}: a {kind} correction needs a value")
        value = "false_positive"
    report = resolve_report(db, ref)
    correction = make_correction(kind, report.sha256, target, value, reason, by)
    path = _file(db, file)
    with _locked(path):
        kept = [c for c in read_corrections(path) if c.key != correction.key] + [correction]
        applied = _outcome(db, kept, correction)
        if not force and applied is not None and not applied.applied:
            raise CorrectionsError(
                str(db), f"{target}: {applied.detail} in report {report.id}; not saved (--force saves it)"
            )
        if not force and applied is not None and kind == "finding" and "(fail)" not in applied.detail:
            raise CorrectionsError(
                str(db),
                f"{target}: {applied.detail.replace(' dismissed', '')} does not fail; not saved (--force saves it)",
            )
        write_corrections(path, kept)
    synced = path != corrections_path(db) or _sync(db)
    return Outcome(path, correction, applied, synced, report.duplicate_of)


def remove(db: str | os.PathLike[str], ref: str, target: str, *, file: str | os.PathLike[str] | None = None) -> Outcome:
    """Remove the correction of ``target`` in report ``ref`` (which need not
    be stored any more, given by its SHA-256)."""
    report = resolve_report(db, ref, stored=False)
    path = _file(db, file)
    kind = correction_kind(target)
    with _locked(path):
        gone = next((c for c in read_corrections(path) if c.key == (kind, report.sha256, target)), None)
        remove_correction(path, kind, report.sha256, target)
    assert gone is not None  # remove_correction raised otherwise
    return Outcome(path, gone, None, path != corrections_path(db) or _sync(db))


def listing(db: str | os.PathLike[str], file: str | os.PathLike[str] | None = None) -> Any:
    """Every correction with its report's id and source, whether it applies
    and what it changes (a DataFrame)."""
    from .api import Corpus

    with Corpus(db, corrections=file if file is not None else True) as corpus:
        applied = corpus.applied
        if applied.empty:
            return applied
        sources = corpus.sql("SELECT id AS report, source FROM reports")
    return applied.merge(sources, on="report", how="left")


def corrected_items(db: str | os.PathLike[str], file: str | os.PathLike[str] | None = None) -> list[Any]:
    """The section-五 items a person re-labelled in corpus ``db`` (its own
    corrections, or ``file``'s), as training items (:class:`textmine.problems.train.Item`,
    ``source`` ``corrections``, grouped by report); corrections that match no
    stored item are left out."""
    from ..problems.train import Item
    from .api import Corpus

    out = []
    with Corpus(db, corrections=file if file is not None else True) as corpus:
        for rid, applied in corpus.lens.applied:
            c = applied.correction
            if c.kind != "item" or not applied.applied:
                continue
            kind, start, end = c.item_span()
            row = corpus.con.execute(
                'SELECT text FROM items WHERE report = ? AND kind = ? AND start = ? AND "end" = ?',
                [rid, kind, start, end],
            ).fetchone()
            if row is not None:
                out.append(Item(row[0], tuple(c.categories()), kind=kind, group=f"report:{rid}", source="corrections"))
    return out
