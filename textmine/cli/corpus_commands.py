"""The commands over a corpus database: tag, summary, report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..read import DEFAULT_TIMEOUT
from . import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    _counts,
    _echo,
    _echo_json,
    _inputs_argument,
    _limits,
    _limits_options,
    _nothing_to_do,
    main,
)


@main.command()
@_inputs_argument
@click.option(
    "--db",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The corpus database (DuckDB; created if absent, added to if it is a textmine corpus).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes to analyse with [default: all cores; 1 runs in this process].",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    default=None,
    help="Run on an existing Dask distributed cluster (tcp://host:8786) instead of local processes.",
)
@click.option(
    "--export",
    "export_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write every table as DIR/<table>.parquet.",
)
@click.option("--retry-errors", is_flag=True, help="Analyse again the files an earlier run put in `errors`.")
@click.option(
    "--batch",
    "batch_size",
    type=click.IntRange(min=1),
    default=500,
    show_default=True,
    help="Reports written per transaction.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds one file may take (read and analysed) before it becomes an error row.",
)
@_limits_options
def tag(
    inputs: tuple[Path, ...],
    db: Path,
    workers: int | None,
    dask_address: str | None,
    export_dir: Path | None,
    retry_errors: bool,
    batch_size: int,
    timeout: float | None,
    **limits: Any,
) -> None:
    """Tag every report under INPUT... (files or folders) into a corpus database.

    Reports are keyed by a hash of their bytes: a rerun skips what is stored,
    and a run killed half-way loses only the reports in flight.  A file that
    fails (or is over a bound: size, expansion, pages, time) goes to the
    `errors` table with its reason and the run goes on; exit status 1 then.
    """
    from ..corpus.progress import tag_with_progress

    result = tag_with_progress(
        inputs,
        db,
        workers=workers,
        dask=dask_address,
        batch_size=batch_size,
        retry_errors=retry_errors,
        limits=_limits(**limits),
        timeout=timeout,
    )
    _echo(
        f"{db}: {result.tagged} tagged, {result.skipped} already stored, {result.duplicates} duplicate files, "
        f"{result.errors} errors ({result.files} files in {result.seconds:.1f} s, {result.rate:.1f} reports/s)"
    )
    if result.ignored:
        _echo(f"not reports, left out: {_counts(result.ignored)}")
    for source, stage, message in result.failures[:20]:
        _echo(f"error: {source}: {message} [{stage}]", err=True)
    if len(result.failures) > 20:
        _echo(f"… and {len(result.failures) - 20} more in the errors table", err=True)
    if not result.files:
        _nothing_to_do()
    exported = export_dir is None or _export(db, export_dir)
    sys.exit(EXIT_SOME_FAILED if result.errors or not exported else EXIT_OK)


def _export(db: Path, export_dir: Path) -> bool:
    """``tag --export``: the tagging is done whatever happens here, so a
    folder that cannot be written is one line and exit status 1, not 2."""
    from ..corpus.store import connect, export_parquet
    from ..errors import TextmineError

    try:
        con = connect(db, read_only=True)
        try:
            written = export_parquet(con, export_dir)
        finally:
            con.close()
    except TextmineError as exc:
        _echo(f"error: {exc}", err=True)
        return False
    _echo(f"exported {len(written)} tables to {export_dir}")
    return True


def _filter_options(*, category_alias: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options that select reports (textmine.corpus.filters.ReportFilter),
    the same on `summary` and `report`."""
    admitting = ("--admitting", "--category") if category_alias else ("--admitting",)
    options = [
        click.option("--year", type=int, default=None, help="Only reports of this year."),
        click.option("--since", type=int, default=None, help="Only reports of this year or later."),
        click.option("--until", type=int, default=None, help="Only reports of this year or earlier."),
        click.option(
            "--region",
            default=None,
            help="Only reports of this region (a province or city includes what lies under it).",
        ),
        click.option("--level", default=None, help="Only reports of this level (province, city_dept, township …)."),
        click.option("--agency", default=None, help="Only reports of agencies whose name contains this."),
        click.option(
            *admitting,
            "admitting",
            metavar="CATEGORY",
            default=None,
            help="Only reports admitting this problem category (key or Chinese name: review, 审核把关不严).",
        ),
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def _report_filter(admitting: str | None, **where: Any) -> Any:
    from ..corpus.filters import ReportFilter

    return ReportFilter(category=admitting, **where)


_LANG = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of headers and rule descriptions [default: en in the terminal, zh in a workbook or page].",
)


@main.command()
@click.argument("db", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["region", "level", "agency", "year"]),
    default=None,
    help="Also show the problem shares by this group (and where checks fail by it; default level).",
)
@click.option(
    "--category",
    metavar="KEY",
    default=None,
    help="Drill into one category (key or Chinese name): by year, by group, quotes with their sources.",
)
@_filter_options(category_alias=False)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "xlsx"]),
    default="table",
    show_default=True,
    help="table: terminal tables; json: one object; csv: the main table (with --out DIR: every table, one file "
    "each); xlsx: a workbook, a sheet per table (needs --out).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write there instead of printing (a folder for csv, a file for json and xlsx).",
)
@_LANG
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--csv", "as_csv", is_flag=True, help="Same as --format csv.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help="Rows per table [default: all categories, 10 elsewhere; 5 quotes].",
)
@click.option(
    "--min-reports",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Years with fewer reports get no column and no weight in the trend (they are listed as such).",
)
@click.option("--no-corrections", is_flag=True, help="Ignore the corpus' corrections: the figures as tagged.")
def summary(
    db: Path,
    by: str | None,
    category: str | None,
    fmt: str,
    out: Path | None,
    lang: str | None,
    as_json: bool,
    as_csv: bool,
    top: int | None,
    min_reports: int,
    no_corrections: bool,
    **where: Any,
) -> None:
    """Summarise the corpus database DB (made by `textmine tag`).

    Recurring problems: for each category, the share of reports admitting
    it (with its 95% Wilson interval and n), by year with its trend
    (percentage points per year, and the p-value of a test against no
    change); agencies that admit the same problem year after year; and the
    check rules that fail most, and where.  Shares count non-duplicate
    reports whose section 五 was found.  Then how well the reports were
    read: verdicts by format, level and year, and the reports to look at
    first.  The filters (--year … --admitting) select the reports every
    figure is about; the corpus' corrections (`textmine correct`) are
    applied.  Exit status 2 when DB is missing or not a corpus.
    """
    import shutil

    from ..corpus.api import Corpus
    from ..corpus.exports import write_summary
    from ..corpus.summary import summary_data
    from ..corpus.summary_format import render_summary, summary_csv, summary_json

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    fmt = "json" if as_json else "csv" if as_csv else fmt
    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx needs --out FILE.xlsx")
    if fmt == "table" and out is not None:
        raise click.UsageError("--out needs --format json, csv or xlsx")
    with Corpus(db, _report_filter(**where), corrections=not no_corrections) as corpus:
        if fmt == "csv" and out is None:
            _echo(summary_csv(corpus, by=by, category=category, lang=lang or "en"), nl=False)
            return
        data = summary_data(corpus, by=by, category=category, top=top, min_reports=min_reports)
    if out is not None:
        written = write_summary(data, fmt, out, lang=lang or "zh")
        _echo(f"{out}: {len(written)} {'files' if len(written) > 1 else 'file'} written ({fmt})")
    elif fmt == "json":
        _echo_json(summary_json(data))
    else:
        width = max(100, shutil.get_terminal_size((140, 40)).columns)
        _echo(render_summary(data, top=top, width=width, lang=lang or "en"))


@main.command()
@click.argument("db", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--max-texts",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Embed the text of at most this many reports (the page says when it caps).",
)
@click.option("--force", is_flag=True, help="Overwrite --out even when it is not an earlier textmine report page.")
@_filter_options(category_alias=True)
@_LANG
@click.option("--no-corrections", is_flag=True, help="Ignore the corpus' corrections: the findings as tagged.")
def report(
    db: Path, out: Path, max_texts: int, force: bool, lang: str | None, no_corrections: bool, **where: Any
) -> None:
    """Write a corpus database DB as one self-contained HTML page: overview,
    problem-category shares by year, check failures by rule, recurring
    problems, reading quality (the reports a person should look at), and
    every report's findings highlighted in its text, each with the id a
    correction quotes.  The filters (--year … --admitting, or --category)
    select the reports; the page says which, and how many corrections
    (`textmine correct`) it applied.

    Nothing on the page is fetched from anywhere (inline CSS, JavaScript and
    SVG charts).  An existing --out that is not an earlier report page (a
    database, a report) is refused unless --force.  Exit status 2 when DB
    is missing or not a corpus, or --out cannot be written.
    """
    from ..corpus.report import report_stats, write_report

    path = write_report(
        db,
        out,
        max_texts=max_texts,
        force=force,
        where=_report_filter(**where),
        corrections=not no_corrections,
        lang=lang or "zh",
    )
    stats = report_stats(path)
    _echo(f"{path}: {stats['bytes'] / 1e6:.1f} MB, {stats['docs']} report texts embedded")
