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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..corrections import (
    Applied,
    Correction,
    CorrectionsError,
    add_correction,
    corrections_path,
    make_correction,
    read_corrections,
    remove_correction,
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
    in the corpus (None after a removal), and whether the table followed."""

    file: Path
    correction: Correction
    applied: Applied | None
    table_synced: bool


def resolve_report(db: str | os.PathLike[str], ref: str) -> tuple[str, str]:
    """The SHA-256 and id of the stored report ``ref`` names (id, SHA-256,
    stored source, or a report file); :class:`CorrectionsError` otherwise."""
    con = connect(db, read_only=True)
    try:
        row = con.execute(
            "SELECT sha256, id FROM reports WHERE id = lower(?) OR sha256 = lower(?) OR source = ? "
            "ORDER BY duplicate_of NULLS FIRST LIMIT 1",
            [ref, ref, ref],
        ).fetchone()
        if row is None and Path(ref).is_file():
            row = con.execute(
                "SELECT sha256, id FROM reports WHERE sha256 = ?", [sha256_of(Path(ref).read_bytes())]
            ).fetchone()
    finally:
        con.close()
    if row is None:
        raise CorrectionsError(str(db), f"no stored report {ref!r} (give its id, SHA-256, source or file)")
    return row[0], row[1]


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


def _outcome(db: str | os.PathLike[str], file: Path, correction: Correction) -> Applied | None:
    from .api import Corpus

    with Corpus(db, corrections=file) as corpus:
        for _, applied in corpus.lens.applied:
            if applied.correction.key == correction.key:
                return applied
    return None


def add(
    db: str | os.PathLike[str],
    ref: str,
    target: str,
    value: str | None = None,
    *,
    reason: str = "",
    by: str = "",
    file: str | os.PathLike[str] | None = None,
) -> Outcome:
    """Add (or replace) the correction of ``target`` in report ``ref``;
    ``value`` defaults to ``false_positive`` for a finding."""
    kind = correction_kind(target)
    if value is None:
        if kind != "finding":
            raise CorrectionsError(None, f"{target}: a {kind} correction needs a value")
        value = "false_positive"
    sha, _ = resolve_report(db, ref)
    path = Path(file) if file is not None else corrections_path(db)
    correction = make_correction(kind, sha, target, value, reason, by)
    add_correction(path, correction)
    return Outcome(path, correction, _outcome(db, path, correction), path != corrections_path(db) or _sync(db))


def remove(db: str | os.PathLike[str], ref: str, target: str, *, file: str | os.PathLike[str] | None = None) -> Outcome:
    """Remove the correction of ``target`` in report ``ref``."""
    sha, _ = resolve_report(db, ref)
    path = Path(file) if file is not None else corrections_path(db)
    kind = correction_kind(target)
    gone = next((c for c in read_corrections(path) if c.key == (kind, sha, target)), None)
    remove_correction(path, kind, sha, target)
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
