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
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

import click

from .. import __version__

if TYPE_CHECKING:
    from ..read import ReadLimits
    from ..record import Record

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
        from ..errors import TextmineError

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
    from ..read import MB, ReadLimits

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
    from ..read import ReadLimits

    return ReadLimits.from_mb(max_file_mb=max_file_mb, max_expanded_mb=max_expanded_mb, max_pages=max_pages)


def _records(
    inputs: tuple[Path, ...],
    failed: list[str],
    limits: ReadLimits,
    corrections: Path | None = None,
    stdin_as: str | None = None,
) -> Iterator[Record]:
    """Analyse each input in turn (folders walked for reports); an input that
    cannot be read prints one line naming it and the reason, is added to
    ``failed``, and the rest go on.  With ``corrections`` (a corrections
    file), each report's own are applied to its record."""
    import hashlib

    from ..corrections import apply_corrections, corrections_of, read_corrections
    from ..errors import TextmineError
    from ..inputs import iter_inputs
    from ..pipeline import analyze as analyze_file

    known = read_corrections(corrections) if corrections is not None else []

    if any(str(item) == STDIN for item in inputs):
        # Read first, once, however often `-` is given: a stream can be read only once.
        try:
            data, record = _stdin_record(limits, stdin_as)
            if known:
                apply_corrections(record, corrections_of(known, hashlib.sha256(data).hexdigest()))
            yield record
        except TextmineError as exc:
            failed.append(exc.source)
            _echo(f"error: {exc}", err=True)
        inputs = tuple(item for item in inputs if str(item) != STDIN)
    ignored: Counter[str] = Counter()
    for entry in iter_inputs(inputs, ignored):
        if entry.problem is not None:
            failed.append(entry.source)
            _echo(f"error: {entry.source}: {entry.problem}", err=True)
            continue
        try:
            record = analyze_file(entry.path, limits=limits)
            if known:
                apply_corrections(record, corrections_of(known, hashlib.sha256(entry.path.read_bytes()).hexdigest()))
            yield record
        except TextmineError as exc:
            failed.append(entry.source)
            _echo(f"error: {exc}", err=True)
    if ignored:
        _echo(f"note: not reports, left out: {_counts(ignored)}", err=True)


STDIN = "-"  # an input naming standard input
STDIN_SOURCE = "<stdin>"


def _stdin() -> BinaryIO | None:
    # The bytes under sys.stdin (click's runner replaces sys.stdin in tests);
    # None when the process has no standard input.
    return getattr(sys.stdin, "buffer", sys.stdin)


def _stdin_record(limits: ReadLimits, fmt: str | None) -> tuple[bytes, Record]:
    """The report piped in on standard input, its bytes and its record,
    read as ``fmt`` or as its bytes look; a terminal is refused rather than
    waited on."""
    from ..errors import UnreadableFileError, UnsupportedFormatError
    from ..pipeline import analyze_document
    from ..read import read_bytes, read_stream_bytes, sniff_format

    stream = _stdin()
    if stream is None:
        raise UnreadableFileError(STDIN_SOURCE, "standard input is closed")
    if stream.isatty():
        command = click.get_current_context().info_name
        raise UnreadableFileError(
            STDIN_SOURCE, f"standard input is a terminal: pipe a report in (… | textmine {command} -)"
        )
    data = read_stream_bytes(stream, STDIN_SOURCE, limits)
    fmt = fmt or sniff_format(data)
    if fmt is None:
        raise UnsupportedFormatError(
            STDIN_SOURCE, "what was piped in is not text, a web page, a DOCX or a PDF (an old .doc? save it as .docx)"
        )
    return data, analyze_document(read_bytes(data, STDIN_SOURCE, fmt, limits))


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
_stdin_option = click.option(
    "--stdin-as",
    type=click.Choice(["txt", "html", "docx", "pdf"]),
    default=None,
    help="Read `-` (standard input) as this format [default: as its bytes look].",
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
@_stdin_option
@_limits_options
def analyze(inputs: tuple[Path, ...], as_json: bool, as_text: bool, stdin_as: str | None, **limits: Any) -> None:
    """Analyse each report INPUT (.txt, .html, .docx, .pdf; a folder: the
    reports in it; `-`: the report piped in on standard input, read once and
    before the files).

    By default prints a readable summary per report, starting with how well
    it was read (good, check or poor, with the reasons).  An input that
    cannot be read prints one line naming it and the reason on stderr; the
    others go on, and the exit status is 1.  With ``--text``, a control
    character of the text is printed as U+FFFD, so offsets still count right.
    """
    from ..record_view import format_record

    failed: list[str] = []
    done = 0
    for record in _records(inputs, failed, _limits(**limits), stdin_as=stdin_as):
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
@click.option(
    "--corrections",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A corrections file (`textmine correct`): each report's own are applied, a dismissed finding shown as such.",
)
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of the findings."
)
@_stdin_option
@_limits_options
def check(
    inputs: tuple[Path, ...], as_json: bool, corrections: Path | None, lang: str, stdin_as: str | None, **limits: Any
) -> None:
    """Audit each report INPUT (a file, a folder, `-` for standard input):
    the tables' identities (勾稽关系), the narrative's numbers against the
    tables, the document, and — when several years of one agency are given
    — this year against last.

    Prints fails first, each with left and right values, the cells and the
    sentence.  A finding a person dismissed (--corrections) shows who and
    why, and no longer fails.  Exit status 1 when any check fails or any
    input cannot be read (the others are checked), so an office can use it
    in scripts.
    """
    from ..linking import link_years
    from ..record_view import format_checks

    unreadable: list[str] = []
    records = list(_records(inputs, unreadable, _limits(**limits), corrections, stdin_as))
    link_years(records)
    failed = False
    for record in records:
        failed |= any(c["status"] == "fail" for c in record.checks)
        if as_json:
            _echo_json(record.to_json())
        else:
            _echo(format_checks(record, lang=lang))
    _finish(unreadable, len(records), also_failed=failed)


@main.command()
@_inputs_argument
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object per report: its problems and improvements."
)
@_stdin_option
@_limits_options
def problems(inputs: tuple[Path, ...], as_json: bool, stdin_as: str | None, **limits: Any) -> None:
    """List the problems each report INPUT (a file, a folder, `-` for
    standard input) admits in section 五 and the improvements it promises,
    each with its categories (spec/taxonomy.md) and the evidence that
    decided them."""
    import json

    from ..record_view import format_problems

    failed: list[str] = []
    done = 0
    for record in _records(inputs, failed, _limits(**limits), stdin_as=stdin_as):
        done += 1
        if as_json:
            payload = {"source": record.source, "problems": record.problems, "improvements": record.improvements}
            _echo_json(json.dumps(payload, ensure_ascii=False))
        else:
            _echo(format_problems(record))
    _finish(failed, done)


# The other commands register themselves on `main` when their modules load.
from . import corpus_commands, correct_commands, model_commands  # noqa: E402, F401
