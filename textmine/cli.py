"""The ``textmine`` command: a thin click layer over the library.

Each command parses options, calls the API and formats the output.  One rule
for exit codes, in every command: 0 all done; 1 some inputs failed (or, for
``check``, some check failed) and the rest were done; 2 nothing could be done
(a usage error, a database refused).  A :class:`~textmine.errors.TextmineError`
becomes one line naming the file: about one input, the others go on; about
the command itself, it ends with 2.  What is printed for a person has
control characters removed (a report cannot drive the terminal).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .read import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from .read import ReadLimits
    from .record import Record

EXIT_OK, EXIT_SOME_FAILED, EXIT_NOTHING_DONE = 0, 1, 2

# C0 controls but tab and newline, DEL, C1 controls: what can move a cursor,
# retitle a window or rewrite the screen.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_C1 = re.compile(r"[\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters removed (newlines and tabs kept)."""
    return _CONTROL.sub("", text)


def _echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    click.echo(printable(text), err=err, nl=nl)


def _echo_json(text: str) -> None:
    # json.dumps escapes C0 controls but leaves DEL and C1 raw: escape them
    # too, so the data stays whole and the terminal untouched.
    click.echo(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


class _Main(click.Group):
    """The group: a TextmineError or an OSError that ends a command is one
    line and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import TextmineError

        try:
            return super().invoke(ctx)
        except TextmineError as exc:
            _echo(f"error: {exc}", err=True)
            sys.exit(EXIT_NOTHING_DONE)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _echo(f"error: {where}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_NOTHING_DONE)


def _limits_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--max-file-mb``, ``--max-expanded-mb``, ``--max-pages``: the bounds
    one file is read under (textmine.read.limits)."""
    from .read import MB, ReadLimits

    default = ReadLimits()
    options = [
        click.option(
            "--max-file-mb",
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            help=f"Refuse a file larger than this [default: {default.max_file_bytes // MB}].",
        ),
        click.option(
            "--max-expanded-mb",
            type=click.FloatRange(min=0, min_open=True),
            default=None,
            help="Refuse a DOCX or PDF whose compressed parts expand to more than this "
            f"[default: {default.max_expanded_bytes // MB}].",
        ),
        click.option(
            "--max-pages",
            type=click.IntRange(min=1),
            default=None,
            help=f"Refuse a PDF with more pages [default: {default.max_pages}].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _limits(max_file_mb: float | None, max_expanded_mb: float | None, max_pages: int | None) -> ReadLimits:
    from .read import ReadLimits

    return ReadLimits.from_mb(max_file_mb=max_file_mb, max_expanded_mb=max_expanded_mb, max_pages=max_pages)


def _records(inputs: tuple[Path, ...], failed: list[str], limits: ReadLimits) -> Iterator[Record]:
    """Analyse each input in turn (folders walked for reports); an input that
    cannot be read prints one line naming it and the reason, is added to
    ``failed``, and the rest go on."""
    from .errors import TextmineError
    from .inputs import iter_inputs
    from .pipeline import analyze as analyze_file

    ignored: Counter[str] = Counter()
    for entry in iter_inputs(inputs, ignored):
        if entry.problem is not None:
            failed.append(entry.source)
            _echo(f"error: {entry.source}: {entry.problem}", err=True)
            continue
        try:
            yield analyze_file(entry.path, limits=limits)
        except TextmineError as exc:
            failed.append(entry.source)
            _echo(f"error: {exc}", err=True)
    if ignored:
        _echo(f"note: not reports, left out: {_counts(ignored)}", err=True)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in counter.most_common())


def _nothing_to_do() -> NoReturn:
    _echo("error: no report file among the inputs (.txt, .html, .docx, .pdf)", err=True)
    sys.exit(EXIT_NOTHING_DONE)


def _finish(failed: list[str], done: int, *, also_failed: bool = False) -> NoReturn:
    """Exit by the rule: 0 all done, 1 some inputs failed (or ``also_failed``:
    a check failed), 2 no report among the inputs at all."""
    if not failed and not done:
        _nothing_to_do()
    if failed:
        _echo(f"{len(failed)} of {len(failed) + done} input(s) failed", err=True)
    sys.exit(EXIT_SOME_FAILED if failed or also_failed else EXIT_OK)


_inputs_argument = click.argument(
    "inputs", metavar="INPUT...", nargs=-1, required=True, type=click.Path(path_type=Path)
)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="textmine")
def main() -> None:
    """Read, check and classify 政府信息公开工作年度报告 (government
    information-disclosure annual reports)."""


@main.command()
@_inputs_argument
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per line (spec/output.md).")
@click.option("--text", "as_text", is_flag=True, help="Print the canonical text that record offsets refer to.")
@_limits_options
def analyze(inputs: tuple[Path, ...], as_json: bool, as_text: bool, **limits: Any) -> None:
    """Analyse each report INPUT (.txt, .html, .docx, .pdf; a folder: the
    reports in it).

    By default prints a readable summary per report, starting with how well
    it was read (good, check or poor, with the reasons).  An input that
    cannot be read prints one line naming it and the reason on stderr; the
    others go on, and the exit status is 1.  With ``--text``, a control
    character of the text is printed as U+FFFD, so offsets still count right.
    """
    from .record_view import format_record

    failed: list[str] = []
    done = 0
    for record in _records(inputs, failed, _limits(**limits)):
        done += 1
        if as_json:
            _echo_json(record.to_json())
        elif as_text:
            click.echo(_CONTROL.sub("\ufffd", record.text))
        else:
            _echo(format_record(record))
    _finish(failed, done)


@main.command()
@_inputs_argument
@click.option("--json", "as_json", is_flag=True, help="Print one record per line with its checks.")
@_limits_options
def check(inputs: tuple[Path, ...], as_json: bool, **limits: Any) -> None:
    """Audit each report INPUT: the tables' identities (勾稽关系), the
    narrative's numbers against the tables, the document, and — when
    several years of one agency are given — this year against last.

    Prints fails first, each with left and right values, the cells and the
    sentence.  Exit status 1 when any check fails or any input cannot be
    read (the others are checked), so an office can use it in scripts.
    """
    from .linking import link_years
    from .record_view import format_checks

    unreadable: list[str] = []
    records = list(_records(inputs, unreadable, _limits(**limits)))
    link_years(records)
    failed = False
    for record in records:
        failed |= any(c["status"] == "fail" for c in record.checks)
        if as_json:
            _echo_json(record.to_json())
        else:
            _echo(format_checks(record))
    _finish(unreadable, len(records), also_failed=failed)


@main.command()
@_inputs_argument
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object per report: its problems and improvements."
)
@_limits_options
def problems(inputs: tuple[Path, ...], as_json: bool, **limits: Any) -> None:
    """List the problems each report INPUT admits in section 五 and the
    improvements it promises, each with its categories (spec/taxonomy.md)
    and the evidence that decided them."""
    import json

    from .record_view import format_problems

    failed: list[str] = []
    done = 0
    for record in _records(inputs, failed, _limits(**limits)):
        done += 1
        if as_json:
            payload = {"source": record.source, "problems": record.problems, "improvements": record.improvements}
            _echo_json(json.dumps(payload, ensure_ascii=False))
        else:
            _echo(format_problems(record))
    _finish(failed, done)


@main.command()
@click.option(
    "--annotations",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=Path("corpora/annotations/problems.jsonl"),
    show_default=True,
    help="Our labelled items (JSON lines).",
)
@click.option(
    "--real-gold",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/corpus/gold"),
    show_default=True,
    help="Gold records of real reports: their labelled items train too (skipped when absent).",
)
@click.option(
    "--splits",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("corpora/annotations/problem_splits.toml"),
    show_default=True,
    help="Which real reports are evaluation data (scored held out).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write problems.skops, problems.json and the card problems.md into "
    "[default: a new build/trained-<time>/].",
)
@click.option(
    "--install",
    is_flag=True,
    help="Also replace the shipped model: copy the files into the project's models/ (what the package ships).",
)
def train(annotations: Path, real_gold: Path, splits: Path, out: Path | None, install: bool) -> None:
    """Train the section-五 classifier on our annotations and the real
    reports' labelled items (deterministic); cross-validate it grouped by
    report against the rule layer and a text-only model, score it held out
    on the evaluation reports, and write the skops model, its metrics and
    its model card.

    The shipped model is replaced only with --install (run from the project's
    root, where models/ is)."""
    import datetime as dt
    import shutil

    from .problems import MODEL_FILE, SOURCE_MODELS
    from .problems.train import train_default

    if out is None:
        out = Path("build") / f"trained-{dt.datetime.now():%Y%m%d-%H%M%S}"
    model = out / MODEL_FILE
    if model.exists():
        raise click.UsageError(f"{model} exists; choose another --out folder")
    if not real_gold.is_dir():
        _echo(f"note: no real gold at {real_gold}: training on our annotations alone", err=True)
    metrics = train_default(annotations, real_gold, splits, model)
    _echo(f"trained on {metrics['training']['items']} items → {model} (card: {model.with_suffix('.md')})")
    from .record_view import format_training

    _echo(format_training(metrics))
    if install:
        if not SOURCE_MODELS.is_dir():
            raise click.UsageError(
                f"no project models/ folder at {SOURCE_MODELS}: --install works in a source checkout"
            )
        for source in (model, model.with_suffix(".json"), model.with_suffix(".md")):
            shutil.copyfile(source, SOURCE_MODELS / source.name)
        _echo(f"installed: {SOURCE_MODELS / MODEL_FILE} replaced (reinstall the package for a non-editable install)")


@main.command("eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def eval_command(gold_dir: Path, files: tuple[Path, ...], as_json: bool) -> None:
    """Score FILES against the gold records in GOLD_DIR (matched by stem).

    Reports sections F1, meta accuracy, and table cells right / blank /
    wrong per file; a cell left blank with a note is not wrong.  Exit
    status 2 when no file has a gold record or a gold record is malformed
    (named); 1 when a file with gold could not be read.
    """
    import json

    from .evaluate import evaluate
    from .problems import shipped_metrics
    from .record_view import format_scores, format_training

    scores = evaluate(gold_dir, list(files))
    metrics = shipped_metrics()
    if as_json:
        _echo_json(json.dumps({**scores.to_dict(), "model": metrics}, ensure_ascii=False, indent=1))
    else:
        _echo(format_scores(scores))
        if metrics:
            _echo(format_training(metrics, "shipped section-五 model, from its training"))
    sys.exit(EXIT_SOME_FAILED if any(f.error for f in scores.files) else EXIT_OK)


@main.command("eval-claims")
@click.argument("annotations", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--split", default=None, help="Score only the passages of this split (dev, heldout2, …).")
@click.option(
    "--misses", "show_misses", is_flag=True, help="List every claim missed, extra, or mapped to another quantity."
)
def eval_claims_command(annotations: Path, split: str | None, show_misses: bool) -> None:
    """Score claims and the table quantities they are mapped to against
    ANNOTATIONS, a JSON-lines file of annotated passages
    (corpora/annotations/claims.jsonl).

    Claim precision/recall count a claim right when its number and words
    match; cell precision/recall, when it is also mapped to the annotated
    quantity (or names it among its readings: the table chooses).
    """
    from .evaluate import score_claim_annotations

    result = score_claim_annotations(annotations, split)
    if not result["passages"]:
        raise click.UsageError(f"{annotations}: no passage in split {split!r}")
    _echo(
        f"{annotations.name} [{split or 'all'}] passages {result['passages']}  "
        f"claims precision {result['precision']:.4f}  recall {result['recall']:.4f}  "
        f"cells precision {result['cell_precision']:.4f}  recall {result['cell_recall']:.4f} "
        f"({result['cells_right']} right of {result['cells_pred']} mapped, {result['cells_gold']} annotated)"
    )
    if show_misses:
        for miss in result["misses"]:
            _echo(f"  {miss}")


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
    from .corpus.progress import tag_with_progress

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
    from .corpus.store import connect, export_parquet
    from .errors import TextmineError

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
    help="Drill into one category (spec/taxonomy.md key): by year, by group, quotes with their sources.",
)
@click.option("--json", "as_json", is_flag=True, help="Print every part as one JSON object.")
@click.option(
    "--csv",
    "as_csv",
    is_flag=True,
    help="Print the main table as CSV: problem shares per category (grouped --by; --category's rows only).",
)
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
    help="Years with fewer reports get no column and no weight in the trend.",
)
def summary(
    db: Path, by: str | None, category: str | None, as_json: bool, as_csv: bool, top: int | None, min_reports: int
) -> None:
    """Summarise the corpus database DB (made by `textmine tag`).

    Recurring problems: for each category, the share of reports admitting
    it, by year with its trend (percentage points per year); agencies that
    admit the same problem year after year; and the check rules that fail
    most, and where.  Shares count non-duplicate reports whose section 五
    was found.  Then how well the reports were read: verdicts by format,
    level and year, and the reports to look at first.  Exit status 2 when DB
    is missing or not a corpus.
    """
    import shutil

    from .corpus.api import Corpus
    from .corpus.summary import summary_data
    from .corpus.summary_format import render_summary, summary_csv, summary_json

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    with Corpus(db) as corpus:
        if as_csv:
            _echo(summary_csv(corpus, by=by, category=category), nl=False)
            return
        data = summary_data(corpus, by=by, category=category, top=top, min_reports=min_reports)
    if as_json:
        _echo_json(summary_json(data))
    else:
        _echo(render_summary(data, top=top, width=max(100, shutil.get_terminal_size((140, 40)).columns)))


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
def report(db: Path, out: Path, max_texts: int, force: bool) -> None:
    """Write a corpus database DB as one self-contained HTML page: overview,
    problem-category shares by year, check failures by rule, recurring
    problems, reading quality (the reports a person should look at), and
    every report's findings highlighted in its text.

    Nothing on the page is fetched from anywhere (inline CSS, JavaScript and
    SVG charts).  An existing --out that is not an earlier report page (a
    database, a report) is refused unless --force.  Exit status 2 when DB
    is missing or not a corpus, or --out cannot be written.
    """
    from .corpus.report import report_stats, write_report

    path = write_report(db, out, max_texts=max_texts, force=force)
    stats = report_stats(path)
    _echo(f"{path}: {stats['bytes'] / 1e6:.1f} MB, {stats['docs']} report texts embedded")


if __name__ == "__main__":  # pragma: no cover
    main()
