"""A corpus database as one self-contained HTML page (``textmine report``).

The page has an overview (reports, years, levels, errors), the share of
reports admitting each problem category by year (an SVG line chart and a
table), check failures by rule (an SVG bar chart and a table), agencies that
admit the same problem again, and a table of reports with their problem
categories and failed checks.  Every finding links into the report's text,
where problem and improvement items, claims and checks are marked by their
offsets; a click highlights the finding and scrolls to it.

Nothing on the page is fetched: CSS, JavaScript and the charts (SVG made
here) are inline, and a Content-Security-Policy forbids any request.  The
page skips duplicates (``reports.duplicate_of``) and embeds the texts of at
most ``max_texts`` reports, saying so.

Where its parts are: the queries in :mod:`~textmine.corpus.report_data`,
the figures made of them in :mod:`~textmine.corpus.report_figures`, the SVG
charts in :mod:`~textmine.corpus.report_charts`, the page's layout in Jinja2
templates (``textmine/data/report/*.html.jinja``); here the page is put
together, its report texts marked (:func:`render_text`) and written.

>>> write_report("corpus.duckdb", "report.html")      # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

import html
import os
import re
import secrets
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .. import __version__
from ..data.taxonomy import taxonomy_labels
from .filters import ReportFilter
from .quality import quality_data
from .report_charts import bar_chart, column_chart, line_chart
from .report_data import (
    asset_text,
    category_shares,
    overview,
    recurrences,
    reports,
    rule_counts,
    rule_descriptions,
)
from .report_figures import (
    MIN_CHART_REPORTS,
    PALETTE,
    category_colors,
    category_figures,
    check_bars,
    doc_figures,
    overview_figures,
    reading_figures,
    recurrence_figures,
    report_table,
    text_spans,
)
from .store import GENERATOR_MARK, OutputError, OutputExistsError

__all__ = [
    "GENERATOR_MARK",
    "OutputError",
    "OutputExistsError",
    "check_output",
    "is_report_page",
    "page_context",
    "render_report",
    "render_text",
    "report_stats",
    "write_atomic",
    "write_report",
]

# How far into a file is_report_page looks for the generator mark.
_MARK_WITHIN = 4096


def write_report(
    db_path: str | os.PathLike[str],
    out_path: str | os.PathLike[str],
    *,
    max_texts: int = 200,
    max_rows: int = 5000,
    force: bool = False,
    where: ReportFilter | None = None,
    corrections: bool | str | os.PathLike[str] = True,
    lang: str = "zh",
) -> Path:
    """Write the HTML report of the corpus database ``db_path`` to ``out_path``.

    ``where`` selects the reports and ``corrections`` applies a person's
    corrections, as :class:`~textmine.corpus.api.Corpus` takes them; the page
    says which.  ``lang``: the language of the rule descriptions (the page
    itself is Chinese).

    ``max_texts`` caps the reports whose text is embedded (the first of the
    report table), ``max_rows`` the rows of the report table.  An existing
    ``out_path`` is replaced only when it is an earlier textmine page (or
    empty), or with ``force``; never when it is ``db_path`` itself.  The page
    is written to a temporary file beside ``out_path`` and renamed over it,
    so a failure leaves the old file as it was.

    Raises
    ------
    CorpusDatabaseError
        When ``db_path`` is missing or not a corpus.
    OutputExistsError
        When ``out_path`` exists and may not be replaced.
    OutputError
        When ``out_path``'s folder cannot be made or written in.
    """
    from .api import Corpus

    out = Path(out_path)
    check_output(out, db_path, force=force)
    with Corpus(db_path, where, corrections) as corpus:
        page = render_report(
            corpus.con,
            title=Path(db_path).name,
            max_texts=max_texts,
            max_rows=max_rows,
            lens=corpus.lens.describe("zh"),
            lang=lang,
        )
    write_atomic(out, page.encode("utf-8"))
    return out


def check_output(out: Path, db_path: str | os.PathLike[str], *, force: bool = False) -> None:
    """Refuse ``out`` when writing the page there would destroy something:
    the corpus itself (even with ``force``), a folder, or any file that is
    not an earlier page (without ``force``)."""
    if _same_file(out, Path(db_path)):
        raise OutputExistsError(str(out), "is the corpus database itself; give another --out")
    if out.is_dir():
        raise OutputExistsError(str(out), "is a folder; give a file name to --out")
    if out.exists() and not force and not is_report_page(out):
        raise OutputExistsError(str(out), "exists and is not a textmine report page; --force overwrites it")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def is_report_page(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a page textmine wrote (or empty): its first bytes
    carry :data:`GENERATOR_MARK`.  Reads at most a few KB."""
    try:
        with open(path, "rb") as file:
            head = file.read(_MARK_WITHIN)
    except OSError:
        return False
    return not head or GENERATOR_MARK.encode() in head


def write_atomic(out: Path, data: bytes) -> None:
    """``data`` to ``out`` all at once: written beside it, then renamed over
    it, so a reader (or a failure) never sees half a page.

    Raises :class:`OutputError` naming the folder or the file."""
    if out.is_symlink():
        out = out.resolve()  # replace the file the link points to, keep the link
    folder = out.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(str(folder), f"cannot make the folder for {out.name}: {exc.strerror or exc}") from None
    temp = folder / f".{out.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        # O_EXCL: never through someone's file or link; mode 0o666 less the
        # umask, as a plain open would give (a temp file module gives 0o600).
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise OutputError(str(folder), f"cannot write in this folder: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temp, out)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OutputError(str(out), f"cannot write: {exc.strerror or exc}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- the page


def render_report(
    con: Any, *, title: str = "corpus", max_texts: int = 200, max_rows: int = 5000, lens: str = "", lang: str = "zh"
) -> str:
    """The whole page as a string, from an open corpus connection (``lens``:
    which reports and corrections it shows, in words)."""
    context = page_context(con, title=title, max_texts=max_texts, max_rows=max_rows, lang=lang)
    context["lens"] = lens
    return _templates().get_template("page.html.jinja").render(context)


def page_context(con: Any, *, title: str, max_texts: int, max_rows: int, lang: str = "zh") -> dict[str, Any]:
    """What the page's templates show: the queries' rows, their figures and
    the charts drawn from them (SVG), each embedded text with its findings marked."""
    names = taxonomy_labels()
    colors = category_colors()
    ov = overview(con)
    ov_figures = overview_figures(ov)
    categories = category_figures(*category_shares(con), names, colors)
    rule_rows = rule_counts(con)
    bars = check_bars(rule_rows)
    report_rows, total = reports(con, max_texts=max_texts, max_rows=max_rows)
    embedded = {r.id: r for r in report_rows if r.text is not None}
    docs = [doc_figures(r) for r in report_rows if r.text is not None]
    for doc in docs:
        doc["marked_text"] = Markup(render_text(doc["text"], text_spans(doc["report"]), f"f-{doc['report'].id}"))
    # The charts escape their text themselves: the page places them as they are.
    charts = {
        "years": Markup(column_chart(ov_figures["year_columns"], title="各年度报告数")),
        "categories": None
        if categories is None
        else Markup(
            line_chart(
                categories["charted"], categories["series"], notes=categories["notes"], title="问题类别占比（按年度）"
            )
        ),
        "checks": Markup(bar_chart(bars, css="bar fail", title="各规则未通过次数")) if bars else None,
    }
    return {
        "title": title,
        "version": __version__,
        "generator_mark": Markup(GENERATOR_MARK),
        "css": Markup(asset_text("report.css")),
        # "</" would end the script element early.
        "js": Markup(asset_text("report.js").replace("</", "<\\/")),
        "names": names,
        "colors": colors,
        "other_color": PALETTE[-1],
        "ov": ov,
        "ov_figures": ov_figures,
        "as_of": str(ov["tagged_at"] or "")[:19],
        "categories": categories,
        "min_chart_reports": MIN_CHART_REPORTS,
        "rule_rows": rule_rows,
        "rules": rule_descriptions(lang),
        "lens": "",
        "recurrences": recurrence_figures(recurrences(con), embedded),
        "reading": reading_figures(quality_data(con, limit=100), embedded),
        "table": report_table(report_rows),
        "total": total,
        "max_texts": max_texts,
        "max_rows": max_rows,
        "docs": docs,
        "charts": charts,
    }


def _join_lines(source: str) -> str:
    """A template as written across lines, as one line: each line break and
    the indentation after it dropped (see the head of page.html.jinja)."""
    return re.sub(r"\n[ \t]*", "", source)


class _TemplateLoader(jinja2.BaseLoader):
    """The page's templates, from ``textmine/data/report/`` (package data), lines joined."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        try:
            source = asset_text(template)
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(template) from None
        return _join_lines(source), None, lambda: True


def _as_html(value: Any) -> Any:
    """How a value shows on the page: markup (a chart, a macro's output) as
    it is; anything else as text, escaped as :func:`html.escape` escapes it
    (quotes too), None as nothing."""
    if hasattr(value, "__html__"):
        return value
    return Markup(html.escape("" if value is None else str(value), quote=True))


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    # Autoescape on; the finalize hook escapes first, so the page escapes as
    # html.escape does (markupsafe writes &#39; and &#34; for quotes).
    return jinja2.Environment(
        loader=_TemplateLoader(),
        autoescape=True,
        finalize=_as_html,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
    )


# --------------------------------------------------------------------------- text with marked spans


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render_text(text: str, spans: list[tuple[int, int, str, int | None]], anchor: str) -> str:
    """``text`` as escaped HTML with each ``(start, end, css, finding)`` span
    marked: overlapping spans split the text into segments, each segment a
    ``<span>`` with the classes of the spans covering it (finding ``n`` adds
    class ``fn``), and an empty ``<span id="{anchor}-n">`` where finding ``n``
    starts."""
    size = len(text)
    clean = []
    for start, end, css, n in spans:
        if start is None or end is None:
            continue
        start, end = max(0, min(int(start), size)), max(0, min(int(end), size))
        clean.append((start, max(start, end), css, n))
    bounds = sorted({0, size, *(s for s, _, _, _ in clean), *(e for _, e, _, _ in clean)})
    starting: dict[int, list[int]] = defaultdict(list)
    for i, (start, _, _, _) in enumerate(clean):
        starting[start].append(i)
    out: list[str] = []
    active: set[int] = set()
    anchored: set[int] = set()
    for a, b in zip(bounds, bounds[1:] + [size]):
        for i in starting.get(a, ()):
            n = clean[i][3]
            if n is not None and n not in anchored:
                anchored.add(n)
                out.append(f'<span class="anchor {_e(clean[i][2])}-start" id="{_e(anchor)}-{n}"></span>')
        active = {i for i in active if clean[i][1] > a} | {i for i in starting.get(a, ()) if clean[i][1] > a}
        if b <= a:
            continue
        chunk = _e(text[a:b])
        if active:
            classes = sorted({clean[i][2] for i in active}) + sorted(
                {f"f{clean[i][3]}" for i in active if clean[i][3] is not None}, key=lambda c: int(c[1:])
            )
            out.append(f'<span class="{" ".join(classes)}">{chunk}</span>')
        else:
            out.append(chunk)
    return "".join(out)


def report_stats(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Size facts of a written page (for the CLI's one-line summary)."""
    page = Path(path).read_text("utf-8")
    return {"bytes": len(page.encode("utf-8")), "docs": page.count('<article class="doc"')}
