"""``textmine correct``: a person's corrections of a corpus (add, list, remove)."""

from __future__ import annotations

from pathlib import Path

import click

from . import _echo, _echo_json, main

_DB = click.argument("db", type=click.Path(dir_okay=False, path_type=Path))
_FILE = click.option(
    "--file",
    "file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The corrections file [default: DB's, beside it: <name>.corrections.csv].",
)


@main.group()
def correct() -> None:
    """Correct what the machine got wrong in a corpus database: mark a
    check finding a false positive, set a table cell, change an item's
    categories.

    Corrections are lines of a CSV file beside the database (plain and
    reviewable; copied into its `corrections` table), keyed by the report
    file's SHA-256, so a re-tag keeps them.  `summary`, `report` and
    `textmine.corpus.open` apply them: a corrected cell runs its report's
    checks again.
    """


@correct.command("add")
@_DB
@click.argument("report")
@click.argument("target")
@click.argument("value", required=False)
@click.option("--reason", default="", help="Why (shown with the corrected finding).")
@click.option("--by", "by", default="", help="Who corrects.")
@click.option(
    "--force",
    is_flag=True,
    help="Save a correction that matches nothing in the report, or dismisses a finding that passes.",
)
@_FILE
def add_command(
    db: Path, report: str, target: str, value: str | None, reason: str, by: str, force: bool, file: Path | None
) -> None:
    """Add a correction to DB's REPORT (its id, SHA-256, source, or the file).

    TARGET is a finding id (t3.identity:total, doc.published; the report
    page and `check` show them; VALUE is then false_positive, the default),
    a cell key (t3.new_received.total; VALUE a number, or '' for a blank
    cell), or an item as kind@start-end (problem@1204-1251; VALUE its
    categories, keys or Chinese names, ';' between).  A correction of the
    same target replaces the earlier one.  One that matches nothing (a
    misspelt key, offsets of no item) or dismisses a finding that does not
    fail is refused (exit status 2) unless --force.
    """
    from ..corpus.correcting import add

    outcome = add(db, report, target, value, reason=reason, by=by, file=file, force=force)
    _echo(f"{outcome.file}: {outcome.correction.kind} {target} of report {outcome.correction.report[:16]} saved")
    if outcome.applied is not None:
        verb = "applies" if outcome.applied.applied else "matches nothing"
        _echo(f"  {verb}: {outcome.applied.detail}")
    if outcome.duplicate_of:
        _echo(
            f"note: this file is a duplicate of report {outcome.duplicate_of}, which the summaries count in its "
            "place: correct that report for the figures to change",
            err=True,
        )
    if not outcome.table_synced:
        _echo(f"note: {db} is in use; its corrections table follows the file at the next `textmine tag`", err=True)


@correct.command("list")
@_DB
@_FILE
@click.option("--json", "as_json", is_flag=True, help="Print the corrections as JSON lines.")
def list_command(db: Path, file: Path | None, as_json: bool) -> None:
    """List DB's corrections: each with its report, whether it still applies
    (the report may have been read differently since) and what it changes."""
    import json

    from ..corpus.correcting import listing
    from ..corpus.frames import json_records

    df = listing(db, file)
    if as_json:
        for row in json_records(df):
            _echo_json(json.dumps(row, ensure_ascii=False))
        return
    if df.empty:
        _echo("no corrections")
        return
    for row in df.itertuples():
        state = "applies" if row.applied else "STALE  "
        who = f" — {row.by}" if row.by else ""
        why = f": {row.reason}" if row.reason else ""
        report = row.report if isinstance(row.report, str) else f"{row.sha256[:16]} (not stored)"
        _echo(f"{state} {row.kind:7} {report} {row.target} = {row.value}{who}{why}")
        _echo(f"        {row.detail}")
    _echo(f"{int(df['applied'].sum())} of {len(df)} corrections apply")


@correct.command("remove")
@_DB
@click.argument("report")
@click.argument("target")
@_FILE
def remove_command(db: Path, report: str, target: str, file: Path | None) -> None:
    """Remove the correction of TARGET in DB's REPORT."""
    from ..corpus.correcting import remove

    outcome = remove(db, report, target, file=file)
    _echo(f"{outcome.file}: {outcome.correction.kind} {target} of report {outcome.correction.report[:16]} removed")
    if not outcome.table_synced:
        _echo(f"note: {db} is in use; its corrections table follows the file at the next `textmine tag`", err=True)
