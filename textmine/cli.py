"""The ``textmine`` command: a thin click layer over the library.

Each command parses options, calls the API and formats the output; a
:class:`~textmine.errors.TextmineError` becomes one line naming the file,
and the batch goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__

if TYPE_CHECKING:
    from .record import Record

def _records(files: tuple[Path, ...], failed: list[Path]) -> Iterator[Record]:
    """Analyse each file in turn; a file that cannot be read prints one line
    naming it and the reason, is added to ``failed``, and the rest go on."""
    from .errors import TextmineError
    from .pipeline import analyze as analyze_file

    for path in files:
        try:
            yield analyze_file(path)
        except TextmineError as exc:
            failed.append(path)
            click.echo(f"error: {exc}", err=True)


_files_argument = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="textmine")
def main() -> None:
    """Read, check and classify 政府信息公开工作年度报告 (government
    information-disclosure annual reports)."""


@main.command()
@_files_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per line (spec/output.md).")
@click.option("--text", "as_text", is_flag=True, help="Print the canonical text that record offsets refer to.")
def analyze(files: tuple[Path, ...], as_json: bool, as_text: bool) -> None:
    """Analyse each report FILE (.txt, .html, .docx, .pdf).

    By default prints a readable summary per report, starting with how well
    it was read (good, check or poor, with the reasons).  A file that cannot
    be read prints one line naming it and the reason on stderr; the others go
    on, and the exit status is 1 when any failed.
    """
    from .summary import format_record

    failed: list[Path] = []
    for record in _records(files, failed):
        if as_json:
            click.echo(record.to_json())
        elif as_text:
            click.echo(record.text)
        else:
            click.echo(format_record(record))
    if failed:
        click.echo(f"{len(failed)} of {len(files)} file(s) failed", err=True)
        sys.exit(1)


@main.command()
@_files_argument
@click.option("--json", "as_json", is_flag=True, help="Print one record per line with its checks.")
def check(files: tuple[Path, ...], as_json: bool) -> None:
    """Audit each report FILE: the tables' identities (勾稽关系), the
    narrative's numbers against the tables, the document, and — when
    several years of one agency are given — this year against last.

    Prints fails first, each with left and right values, the cells and the
    sentence.  Exit status 1 when any check fails (2 when a file cannot be
    read), so an office can use it in scripts.
    """
    from .linking import link_years
    from .summary import format_checks

    unreadable: list[Path] = []
    records = list(_records(files, unreadable))
    link_years(records)
    failed = False
    for record in records:
        failed |= any(c["status"] == "fail" for c in record.checks)
        click.echo(record.to_json() if as_json else format_checks(record))
    if unreadable:
        sys.exit(2)
    if failed:
        sys.exit(1)


@main.command()
@_files_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per report: its problems and improvements.")
def problems(files: tuple[Path, ...], as_json: bool) -> None:
    """List the problems each report FILE admits in section 五 and the
    improvements it promises, each with its categories (spec/taxonomy.md)
    and the evidence that decided them."""
    import json

    from .summary import format_problems

    failed: list[Path] = []
    for record in _records(files, failed):
        if as_json:
            payload = {"source": record.source, "problems": record.problems, "improvements": record.improvements}
            click.echo(json.dumps(payload, ensure_ascii=False))
        else:
            click.echo(format_problems(record))
    if failed:
        sys.exit(1)


@main.command()
@click.option("--annotations", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=Path("corpora/annotations/problems.jsonl"), show_default=True,
              help="Our labelled items (JSON lines).")
@click.option("--sample-gold", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("corpora/sample/gold"), show_default=True, help="Gold records of the sample corpus.")
@click.option("--real-gold", type=click.Path(file_okay=False, path_type=Path),
              default=Path("../shared/corpus/gold"), show_default=True,
              help="Real gold records, for evaluation only (skipped when absent).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("models/problems.skops"), show_default=True, help="Where to write the model (and its .md card).")
def train(annotations: Path, sample_gold: Path, real_gold: Path, out: Path) -> None:
    """Train the section-五 classifier on our annotations and the sample's
    gold (deterministic), cross-validate rules, model and combined, score
    them on the real gold, and write the skops model and its model card."""
    from .problems.train import MODES, train_default

    scores = train_default(annotations, sample_gold, real_gold, out)
    click.echo(f"trained on {scores['n_train']} items → {out} (card: {out.with_suffix('.md')})")
    for mode in MODES:
        cv = scores["cv"][mode]
        line = f"  {mode:9} CV micro-F1 {cv['micro_f1']:.3f} macro-F1 {cv['macro_f1']:.3f}"
        if scores["real"]:
            real = scores["real"][mode]
            line += f"   real gold micro-F1 {real['micro_f1']:.3f} macro-F1 {real['macro_f1']:.3f}"
        click.echo(line)


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@_files_argument
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(gold_dir: Path, files: tuple[Path, ...], as_json: bool) -> None:
    """Score FILES against the gold records in GOLD_DIR (matched by stem).

    Reports sections F1, meta accuracy, and table cells right / blank /
    wrong per file; a cell left blank with a note is not wrong.
    """
    import json

    from .evaluate import evaluate
    from .summary import format_scores

    scores = evaluate(gold_dir, list(files))
    if as_json:
        click.echo(json.dumps(scores.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_scores(scores))


if __name__ == "__main__":  # pragma: no cover
    main()


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--db", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The corpus database (DuckDB; created if absent, added to if present).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes to analyse with [default: all cores; 1 runs in this process].")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Run on an existing Dask distributed cluster (tcp://host:8786) instead of local processes.")
@click.option("--export", "export_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write every table as DIR/<table>.parquet.")
@click.option("--retry-errors", is_flag=True, help="Analyse again the files an earlier run put in `errors`.")
@click.option("--batch", "batch_size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Reports written per transaction.")
def tag(inputs: tuple[Path, ...], db: Path, workers: int | None, dask_address: str | None, export_dir: Path | None,
        retry_errors: bool, batch_size: int) -> None:
    """Tag every report under INPUT... (files or folders) into a corpus database.

    Reports are keyed by a hash of their bytes: a rerun skips what is stored,
    and a run killed half-way loses only the reports in flight.  A file that
    fails goes to the `errors` table and the run goes on.
    """
    from .corpus.progress import tag_with_progress
    from .corpus.store import connect, export_parquet
    from .errors import TextmineError

    try:
        result = tag_with_progress(inputs, db, workers=workers, dask=dask_address, batch_size=batch_size,
                                   retry_errors=retry_errors)
    except TextmineError as exc:  # the database itself: nothing can be stored
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(
        f"{db}: {result.tagged} tagged, {result.skipped} already stored, {result.duplicates} duplicate files, "
        f"{result.errors} errors ({result.files} files in {result.seconds:.1f} s, {result.rate:.1f} reports/s)"
    )
    for source, stage, message in result.failures[:20]:
        click.echo(f"error: {source}: {message} [{stage}]", err=True)
    if len(result.failures) > 20:
        click.echo(f"… and {len(result.failures) - 20} more in the errors table", err=True)
    if export_dir is not None:
        con = connect(db)
        try:
            written = export_parquet(con, export_dir)
        finally:
            con.close()
        click.echo(f"exported {len(written)} tables to {export_dir}")


@main.command()
@click.argument("db", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", type=click.Choice(["region", "level", "agency", "year"]), default=None,
              help="Also show the problem shares by this group (and where checks fail by it; default level).")
@click.option("--category", metavar="KEY", default=None,
              help="Drill into one category (spec/taxonomy.md key): by year, by group, quotes with their sources.")
@click.option("--json", "as_json", is_flag=True, help="Print every part as one JSON object.")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print the main table as CSV: problem shares per category (grouped --by; --category's rows only).")
@click.option("--top", type=click.IntRange(min=1), default=None,
              help="Rows per table [default: all categories, 10 elsewhere; 5 quotes].")
@click.option("--min-reports", type=click.IntRange(min=1), default=3, show_default=True,
              help="Years with fewer reports get no column and no weight in the trend.")
def summary(db: Path, by: str | None, category: str | None, as_json: bool, as_csv: bool, top: int | None,
            min_reports: int) -> None:
    """Summarise the corpus database DB (made by `textmine tag`).

    Recurring problems: for each category, the share of reports admitting
    it, by year with its trend (percentage points per year); agencies that
    admit the same problem year after year; and the check rules that fail
    most, and where.  Shares count non-duplicate reports whose section 五
    was found.  Then how well the reports were read: verdicts by format,
    level and year, and the reports to look at first.  Exit status 2 when DB
    is missing or not a corpus.
    """
    from .corpus.api import Corpus
    from .corpus.summary import render_summary, summary_csv, summary_data, summary_json
    from .errors import TextmineError

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    try:
        with Corpus(db) as corpus:
            if as_csv:
                click.echo(summary_csv(corpus, by=by, category=category), nl=False)
                return
            data = summary_data(corpus, by=by, category=category, top=top, min_reports=min_reports)
    except TextmineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(summary_json(data))
    else:
        import shutil

        click.echo(render_summary(data, top=top, width=max(100, shutil.get_terminal_size((140, 40)).columns)))


@main.command()
@click.argument("db", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("report.html"),
              show_default=True, help="The HTML file to write.")
@click.option("--max-texts", type=click.IntRange(min=0), default=200, show_default=True,
              help="Embed the text of at most this many reports (the page says when it caps).")
def report(db: Path, out: Path, max_texts: int) -> None:
    """Write a corpus database DB as one self-contained HTML page: overview,
    problem-category shares by year, check failures by rule, recurring
    problems, reading quality (the reports a person should look at), and
    every report's findings highlighted in its text.

    Nothing on the page is fetched from anywhere (inline CSS, JavaScript and
    SVG charts).  Exit status 2 when DB is missing or not a corpus.
    """
    from .corpus.report import report_stats, write_report
    from .errors import TextmineError

    try:
        path = write_report(db, out, max_texts=max_texts)
    except TextmineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    stats = report_stats(path)
    click.echo(f"{path}: {stats['bytes'] / 1e6:.1f} MB, {stats['docs']} report texts embedded")
