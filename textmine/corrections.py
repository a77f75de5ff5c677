"""A person's corrections of what the machine found, kept beside the corpus.

A corrections file is plain CSV, one correction per line, reviewable in a
diff or a spreadsheet::

    kind,report,target,value,reason,by,at
    finding,<sha256>,t3.identity:total,false_positive,表中合计含上年结转,王,2026-12-03
    cell,<sha256>,t3.new_received.total,13,原表第3行错位,王,2026-12-03
    item,<sha256>,problem@1204-1251,review;timeliness,,李,2026-12-03

``report`` is the SHA-256 of the report file's bytes (the corpus' ``sha256``
column), so a correction survives a re-tag, a renamed file or a new
corpus made from the same files. ``target`` is the finding's stable id
(``rule:scope``, or the rule alone when the scope is empty), a cell key, or an
item's kind and offsets in the report's text (a finding's id is the key
:func:`textmine.checks.result_key` gives it). ``value``: ``false_positive``
for a finding, a number (or empty: a blank cell) for a cell, category keys or
Chinese names separated by ``;`` for an item.

:func:`apply_corrections` applies a report's corrections to its record, as
``textmine check --corrections`` and the corpus' corrected views
(:mod:`textmine.corpus.lens`) do: a corrected cell takes its value and the
report's checks are run again over the corrected tables (an identity that
now holds passes), a finding marked a false positive gets the status
``dismissed``, an item gets the corrected categories; each changed part
carries ``correction`` (value, reason, by, at).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, replace
from datetime import date
from pathlib import Path

from .data.taxonomy import category_key
from .errors import TextmineError, UnknownCategoryError
from .record import Note, Record

COLUMNS = ("kind", "report", "target", "value", "reason", "by", "at")
KINDS = ("finding", "cell", "item")
FINDING_VERDICTS = ("false_positive",)

_SHA256 = re.compile(r"[0-9a-f]{64}")
_CELL = re.compile(r"t[234]\.[a-z0-9_]+\.[a-z0-9_]+")
_ITEM = re.compile(r"(?P<kind>problem|improvement)@(?P<start>\d+)-(?P<end>\d+)")
_FINDING = re.compile(r"[a-z0-9_.]+(?::.+)?")


class CorrectionsError(TextmineError, ValueError):
    """A corrections file (or one correction) that cannot be used: the
    message names the file, the line and the field."""

    stage = "corrections"


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file (see the module docstring)."""

    kind: str
    report: str
    target: str
    value: str
    reason: str = ""
    by: str = ""
    at: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What the correction is about: a later line with the same key replaces it."""
        return (self.kind, self.report, self.target)

    def number(self) -> float | None:
        """A cell correction's value (None: the cell is blank)."""
        return float(self.value) if self.value else None

    def categories(self) -> list[str]:
        """An item correction's category keys."""
        # A full-width ； too: what a person typing Chinese puts between them.
        return [category_key(part.strip()) for part in re.split("[;；]", self.value) if part.strip()]

    def item_span(self) -> tuple[str, int, int]:
        """An item correction's kind and offsets."""
        m = _ITEM.fullmatch(self.target)
        assert m is not None  # checked when made
        return m["kind"], int(m["start"]), int(m["end"])


def make_correction(
    kind: str, report: str, target: str, value: str, reason: str = "", by: str = "", at: str | None = None
) -> Correction:
    """A checked correction; :class:`CorrectionsError` says which field is wrong."""
    correction = Correction(
        kind,
        report.strip().lower(),
        target.strip(),
        value.strip(),
        reason.strip(),
        by.strip(),
        _iso_date(date.today().isoformat() if at is None else at),
    )
    try:
        _check(correction)
    except CorrectionsError as exc:
        raise CorrectionsError(None, f"{correction.kind} {correction.target}: {exc.message}") from None
    if correction.kind == "item":
        # Keys, whatever the person typed: the file reads the same for everyone.
        correction = replace(correction, value=";".join(correction.categories()))
    return correction


_SLASH_DATE = re.compile(r"(\d{4})[/.年-](\d{1,2})[/.月-](\d{1,2})日?")


def _iso_date(text: str) -> str:
    """A date as a spreadsheet may write it (2026/12/3, 2026.12.03,
    2026年12月3日) in ISO form; anything else as given (checked later)."""
    text = text.strip()
    m = _SLASH_DATE.fullmatch(text)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else text


def _check(c: Correction) -> None:
    if c.kind not in KINDS:
        raise CorrectionsError(None, f"kind {c.kind!r}: one of {', '.join(KINDS)}")
    if not _SHA256.fullmatch(c.report):
        raise CorrectionsError(None, f"report {c.report!r}: the SHA-256 of the report file (64 hex digits)")
    if c.kind == "finding":
        if not _FINDING.fullmatch(c.target):
            raise CorrectionsError(None, f"target {c.target!r}: a finding id, rule:scope (t3.identity:total)")
        if c.value not in FINDING_VERDICTS:
            raise CorrectionsError(None, f"value {c.value!r}: a finding is marked {', '.join(FINDING_VERDICTS)}")
    elif c.kind == "cell":
        if not _CELL.fullmatch(c.target):
            raise CorrectionsError(None, f"target {c.target!r}: a cell key (t3.new_received.total)")
        try:
            number = c.number()
        except ValueError:
            raise CorrectionsError(None, f"value {c.value!r}: a number, or empty for a blank cell") from None
        if number is not None and not math.isfinite(number):
            raise CorrectionsError(None, f"value {c.value!r}: a finite number, or empty for a blank cell")
    else:
        m = _ITEM.fullmatch(c.target)
        if not m or int(m["start"]) >= int(m["end"]):
            raise CorrectionsError(None, f"target {c.target!r}: an item as kind@start-end (problem@120-180)")
        try:
            if not c.categories():
                raise CorrectionsError(None, "value: at least one category (key or Chinese name, ; between)")
        except UnknownCategoryError as exc:
            raise CorrectionsError(None, f"value: {exc.message}") from None
    if c.at:
        try:
            date.fromisoformat(c.at)
        except ValueError:
            raise CorrectionsError(None, f"at {c.at!r}: a date, YYYY-MM-DD") from None


def read_corrections(path: str | Path) -> list[Correction]:
    """The corrections of ``path`` (none when the file does not exist), the
    last line of each key winning; an unusable line is an error naming the
    file and the line."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise CorrectionsError(str(path), "not UTF-8 (save it as CSV UTF-8)") from None
    except OSError as exc:
        raise CorrectionsError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return []
    # A spreadsheet may add empty columns after the last one.
    while header and not header[-1].strip():
        header = header[:-1]
    if tuple(h.strip() for h in header) != COLUMNS:
        raise CorrectionsError(str(path), f"line 1: the header must be {','.join(COLUMNS)}")
    latest: dict[tuple[str, str, str], Correction] = {}
    for row in reader:
        number = reader.line_num  # the record's last line: a quoted reason may span lines
        if not any(cell.strip() for cell in row):
            continue
        while len(row) > len(COLUMNS) and not row[-1].strip():
            row = row[:-1]
        if len(row) != len(COLUMNS):
            raise CorrectionsError(str(path), f"line {number}: {len(row)} fields, {len(COLUMNS)} expected")
        try:
            correction = make_correction(*row)
        except CorrectionsError as exc:
            raise CorrectionsError(str(path), f"line {number}: {exc.message}") from None
        latest.pop(correction.key, None)
        latest[correction.key] = correction
    return list(latest.values())


def write_corrections(path: str | Path, corrections: Iterable[Correction]) -> None:
    """Write ``corrections`` to ``path`` whole (a temporary file renamed into
    place, so a crash leaves the old file)."""
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for correction in corrections:
        writer.writerow(astuple(correction))
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    partial.write_text(buffer.getvalue(), "utf-8")
    partial.replace(path)


def add_correction(path: str | Path, correction: Correction) -> list[Correction]:
    """Add ``correction`` to the file (replacing one with the same key)."""
    kept = [c for c in read_corrections(path) if c.key != correction.key]
    kept.append(correction)
    write_corrections(path, kept)
    return kept


def remove_correction(path: str | Path, kind: str, report: str, target: str) -> list[Correction]:
    """Remove the correction with this key; :class:`CorrectionsError` when there is none."""
    found = read_corrections(path)
    key = (kind, report.strip().lower(), target.strip())
    kept = [c for c in found if c.key != key]
    if len(kept) == len(found):
        raise CorrectionsError(str(path), f"no {kind} correction of {target!r} for report {report[:16]}…")
    write_corrections(path, kept)
    return kept


def corrections_path(db: str | Path) -> Path:
    """Where a corpus' corrections live by default: beside the database."""
    db = Path(db)
    return db.with_name(db.stem + ".corrections.csv")


# The status a finding marked a false positive gets: neither a fail nor a run.
DISMISSED = "dismissed"


@dataclass(frozen=True)
class Applied:
    """What one correction did to a record: ``applied`` is false when it
    matches nothing there (the report was read differently since), and
    ``detail`` says what changed or why nothing did."""

    correction: Correction
    applied: bool
    detail: str


def corrections_of(corrections: Iterable[Correction], sha256: str) -> list[Correction]:
    """The corrections of the report whose bytes hash to ``sha256``."""
    return [c for c in corrections if c.report == sha256]


def _stamp(c: Correction) -> dict[str, str]:
    return {"value": c.value, "reason": c.reason, "by": c.by, "at": c.at}


def _plain_number(value: float | None) -> int | float | None:
    return int(value) if value is not None and float(value).is_integer() else value


def apply_corrections(record: Record, corrections: Sequence[Correction]) -> list[Applied]:
    """Apply ``corrections`` (all of this record's report) to ``record`` in
    place, cells first (their checks run again), then findings, then items,
    and note on the record how many applied."""
    done = correct_cells(record, corrections)
    done += correct_findings_and_items(record, corrections)
    note_corrections(record, done)
    return done


def correct_cells(record: Record, corrections: Sequence[Correction]) -> list[Applied]:
    """The cell corrections; when any applies, the record's own checks run
    again over the corrected tables (findings between two years, which need
    the other year's record, are left to the caller: they keep ``previous``)."""
    from .checks import run_checks
    from .tables import layout_cell_keys

    done: list[Applied] = []
    cells = [c for c in corrections if c.kind == "cell"]
    if not cells:
        return done
    keys = layout_cell_keys(record.meta.get("layout"), record.tables)
    for c in cells:
        table, key = c.target.split(".", 1)
        if key not in keys.get(table, ()):
            done.append(Applied(c, False, f"no cell {c.target} in layout {record.meta.get('layout')}"))
            continue
        old = record.tables.setdefault(table, {}).get(key)
        record.tables[table][key] = _plain_number(c.number())
        done.append(Applied(c, True, f"{c.target}: {old} → {record.tables[table][key]}"))
    if any(a.applied for a in done):
        across = [r for r in record.checks if r.get("previous")]
        record.checks = run_checks(record) + across
        mark_corrected_cells(record, [a.correction for a in done if a.applied])
    return done


def mark_corrected_cells(record: Record, cells: Sequence[Correction]) -> None:
    """Name, on each finding that reads a corrected cell, the cells corrected."""
    corrected = {c.target for c in cells}
    for result in record.checks:
        hit = [k for k in result.get("cells", ()) if k in corrected]
        if hit:
            result["corrected_cells"] = hit


def correct_findings_and_items(record: Record, corrections: Sequence[Correction]) -> list[Applied]:
    """The finding corrections (a false positive gets the status
    ``dismissed``) and the item corrections (new categories)."""
    from .checks import result_key

    done: list[Applied] = []
    for c in corrections:
        if c.kind != "finding":
            continue
        found = [r for r in record.checks if result_key(r) == c.target]
        for result in found:
            result["status_read"] = result["status"]
            result["status"] = DISMISSED
            result["correction"] = _stamp(c)
        was = ", ".join(sorted({r["status_read"] for r in found}))
        done.append(Applied(c, bool(found), f"{c.target} ({was}) dismissed" if found else f"no finding {c.target}"))
    for c in corrections:
        if c.kind != "item":
            continue
        kind, start, end = c.item_span()
        items = record.problems if kind == "problem" else record.improvements
        item = next((i for i in items if i.get("start") == start and i.get("end") == end), None)
        if item is None:
            done.append(Applied(c, False, f"no {kind} item at {start}-{end}"))
            continue
        old = list(item.get("categories") or [])
        item["categories"] = c.categories()
        item["correction"] = _stamp(c)
        # The evidence of a category the person took away goes; a category they
        # gave has the correction as its evidence.
        evidence = item.get("evidence") or {}
        item["evidence"] = {
            key: evidence.get(key) or [{"pattern": "correction", "by": c.by, "reason": c.reason, "at": c.at}]
            for key in item["categories"]
        }
        done.append(Applied(c, True, f"{c.target}: {';'.join(old) or '—'} → {';'.join(item['categories'])}"))
    return done


def note_corrections(record: Record, done: Sequence[Applied]) -> None:
    """A note on the record: how many of its corrections applied, by whom."""
    if not done:
        return
    applied = [a for a in done if a.applied]
    people = sorted({a.correction.by for a in applied if a.correction.by})
    record.notes.append(
        Note(
            "corrections",
            f"{len(applied)} of {len(done)} corrections applied" + (f" (by {', '.join(people)})" if people else ""),
        )
    )
