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

>>> write_report("corpus.duckdb", "report.html")      # doctest: +SKIP
PosixPath('report.html')
"""

from __future__ import annotations

import html
import os
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .. import __version__
from ..data import load_toml
from ..data.taxonomy import taxonomy_labels
from .quality import quality_data
from .store import GENERATOR_MARK, OutputError, OutputExistsError

# One colour per taxonomy category, in taxonomy order; `other` last and grey.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#7f7f7f",
)

# The section a table sits in: where a table check without text offsets points.
TABLE_SECTIONS: dict[str, tuple[str, str]] = {
    "t2": ("active_disclosure", "表二"),
    "t3": ("requests", "表三"),
    "t4": ("review_litigation", "表四"),
}

LINE_SERIES = 6  # categories drawn in the line chart; the table lists all

# A year with fewer reports makes shares of 0% or 100% out of one or two
# reports: the table shows it, the chart leaves it out (as `summary`'s trend).
MIN_CHART_REPORTS = 3


_MARK_WITHIN = 4096


def write_report(db_path: str | os.PathLike[str], out_path: str | os.PathLike[str], *,
                 max_texts: int = 200, max_rows: int = 5000, force: bool = False) -> Path:
    """Write the HTML report of the corpus database ``db_path`` to ``out_path``.

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
    from .api import open as open_corpus

    out = Path(out_path)
    check_output(out, db_path, force=force)
    with open_corpus(db_path) as corpus:
        page = render_report(corpus.con, title=Path(db_path).name, max_texts=max_texts, max_rows=max_rows)
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


# --------------------------------------------------------------------------- data


@dataclass
class Finding:
    """Something the text viewer can show: a span of the text (or none)."""

    n: int
    kind: str                 # problem | improvement | check | claim
    label: str
    text: str = ""
    message: str = ""
    categories: list[str] = field(default_factory=list)
    rule: str | None = None
    start: int | None = None
    end: int | None = None
    css: str = ""             # the class its span gets in the text


@dataclass
class Report:
    id: str
    title: str | None
    agency: str | None
    region: str | None
    level: str | None
    year: int | None
    published: str | None
    layout: str | None
    source: str
    format: str | None
    categories: list[str] = field(default_factory=list)
    fail_rules: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sections: list[tuple[str, str, int, int]] = field(default_factory=list)
    text: str | None = None

    def first_finding(self, *, category: str | None = None, rule: str | None = None) -> Finding | None:
        for finding in self.findings:
            if category is not None and finding.kind == "problem" and category in finding.categories:
                return finding
            if rule is not None and finding.kind == "check" and finding.rule == rule:
                return finding
        return None


def _rows(con: Any, query: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = con.execute(query, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _scalar(con: Any, query: str, params: list[Any] | None = None) -> Any:
    """The first column of the first row, or None when there is no row."""
    row = con.execute(query, params or []).fetchone()
    return row[0] if row else None


_LIVE = "SELECT * FROM reports WHERE duplicate_of IS NULL"


def overview(con: Any) -> dict[str, Any]:
    """Counts for the page's head: reports, duplicates, errors, years, levels, findings."""
    live = f"({_LIVE}) r"
    return {
        "reports": _scalar(con, f"SELECT count(*) FROM {live}"),
        "duplicates": _scalar(con, "SELECT count(*) FROM reports WHERE duplicate_of IS NOT NULL"),
        "errors": _scalar(con, "SELECT count(*) FROM errors"),
        "agencies": _scalar(con, f"SELECT count(DISTINCT agency_key) FROM {live}"),
        "years": _rows(con, f"SELECT year, count(*) AS n FROM {live} GROUP BY year ORDER BY year NULLS LAST"),
        "levels": _rows(con, f"SELECT level, count(*) AS n FROM {live} GROUP BY level ORDER BY n DESC, level"),
        "formats": _rows(con, f"SELECT format, count(*) AS n FROM {live} GROUP BY format ORDER BY n DESC, format"),
        "problems": _scalar(con, f"SELECT count(*) FROM items i JOIN {live} ON r.id = i.report WHERE i.kind = 'problem'"),
        "improvements": _scalar(
            con, f"SELECT count(*) FROM items i JOIN {live} ON r.id = i.report WHERE i.kind = 'improvement'"),
        "claims": _scalar(con, f"SELECT count(*) FROM claims c JOIN {live} ON r.id = c.report"),
        "checks": {row["status"]: row["n"] for row in _rows(
            con, f"SELECT status, count(*) AS n FROM checks c JOIN {live} ON r.id = c.report GROUP BY status")},
        "tagged_at": _scalar(con, "SELECT max(tagged_at) FROM reports"),
        "error_rows": _rows(con, 'SELECT source, stage, message FROM errors ORDER BY source LIMIT 50'),
    }


def category_shares(con: Any) -> tuple[list[int], dict[int, int], dict[str, dict[int, int]]]:
    """Years, the reports of each year that answer section 五, and per
    category the reports of each year admitting it: the figures of
    :func:`textmine.corpus.summary.category_shares` by year, so the page and
    ``textmine summary`` agree."""
    from .summary import category_shares as shares_by

    df = shares_by(con, by="year")
    df = df[df["year"].notna()]
    totals = {int(year): int(n) for year, n in df.groupby("year")["reports"].first().items()}
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for row in df[df["admitting"] > 0].itertuples():
        counts[row.category][int(row.year)] = int(row.admitting)
    return sorted(totals), totals, dict(counts)


def rule_counts(con: Any) -> list[dict[str, Any]]:
    """Per rule: fails, reports failing, skips, passes (most fails first), as
    :func:`textmine.corpus.summary.failing_rules` counts them."""
    from .summary import failing_rules

    df = failing_rules(con)
    return [{"rule": r.rule, "fails": int(r.fails), "reports": int(r.reports_failing), "skips": int(r.skips),
             "passes": int(r.passes), "severity": r.severity} for r in df.itertuples()]


def recurrences(con: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Problem categories an agency admits again the year after."""
    return _rows(con, """
        SELECT agency, region, year, category, report, previous FROM recurrences
        ORDER BY agency_key, year, category LIMIT ?""", [limit])


def reports(con: Any, *, max_texts: int, max_rows: int) -> tuple[list[Report], int]:
    """The report table's rows (first ``max_rows``; the first ``max_texts``
    with text and findings) and the number of reports in all."""
    total = _scalar(con, f"SELECT count(*) FROM ({_LIVE})")
    rows = _rows(con, f"""
        SELECT id, title, agency, region, level, year, CAST(published AS VARCHAR) AS published, layout, source, format
        FROM ({_LIVE}) ORDER BY agency_key NULLS LAST, year NULLS LAST, id LIMIT ?""", [max_rows])
    out = [Report(**row) for row in rows]
    by_id = {r.id: r for r in out}
    if not out:
        return out, total
    ids = list(by_id)
    for row in _rows(con, "SELECT report, category FROM problem_categories WHERE report IN (SELECT UNNEST(?))", [ids]):
        by_id[row["report"]].categories.append(row["category"])
    for row in _rows(con, """SELECT DISTINCT report, rule FROM checks
                              WHERE status = 'fail' AND report IN (SELECT UNNEST(?)) ORDER BY rule""", [ids]):
        by_id[row["report"]].fail_rules.append(row["rule"])
    order = {key: i for i, key in enumerate(taxonomy_labels())}
    for report in out:
        report.categories.sort(key=lambda c: (order.get(c, len(order)), c))
    for report in out[:max_texts]:
        _load_findings(con, report)
    return out, total


def _load_findings(con: Any, report: Report) -> None:
    names = taxonomy_labels()
    report.text = _scalar(con, "SELECT text FROM texts WHERE report = ?", [report.id]) or ""
    report.sections = [(r["key"], r["title"] or "", r["start"], r["end"]) for r in _rows(
        con, 'SELECT key, title, start, "end" FROM sections WHERE report = ? ORDER BY start', [report.id])]
    findings = report.findings
    for kind, word in (("problem", "问题"), ("improvement", "改进")):
        for i, item in enumerate(_rows(con, """SELECT text, start, "end", categories FROM items
                                              WHERE report = ? AND kind = ? ORDER BY idx""", [report.id, kind])):
            cats = list(item["categories"] or [])
            findings.append(Finding(len(findings), kind, f"{word} {i + 1}", text=item["text"] or "",
                                    categories=cats, start=item["start"], end=item["end"], css=kind,
                                    message="、".join(names.get(c, c) for c in cats)))
    sections = {key: (start, end) for key, _, start, end in report.sections}
    for check in _rows(con, """SELECT rule, scope, severity, lhs, rhs, cells, message, text, start, "end" FROM checks
                              WHERE report = ? AND status = 'fail' ORDER BY rule, scope""", [report.id]):
        label = f"{check['rule']} {check['scope'] or ''}".strip()
        start, end, css, where = check["start"], check["end"], "fail", ""
        if start is None:
            tables = {cell.split(".", 1)[0] for cell in (check["cells"] or [])}
            table = next((t for t in ("t3", "t4", "t2") if t in tables), None)
            if table and TABLE_SECTIONS[table][0] in sections:
                (start, end), css = sections[TABLE_SECTIONS[table][0]], "area"
                where = f"（{TABLE_SECTIONS[table][1]}所在章节）"
        values = ""
        if check["lhs"] is not None or check["rhs"] is not None:
            values = f"左 {_number(check['lhs'])} ≠ 右 {_number(check['rhs'])}；"
        findings.append(Finding(len(findings), "check", label, text=check["text"] or "", rule=check["rule"],
                                message=f"{values}{check['message'] or ''}{where}", start=start, end=end, css=css))
    for claim in _rows(con, """SELECT text, start, "end", value, unit, cell FROM claims
                              WHERE report = ? AND cell IS NOT NULL ORDER BY idx""", [report.id]):
        findings.append(Finding(len(findings), "claim", claim["text"] or "", text=claim["text"] or "",
                                message=f"{_number(claim['value'])}{claim['unit'] or ''} → {claim['cell']}",
                                start=claim["start"], end=claim["end"], css="claim"))


def _number(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- html helpers


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _pct(k: int, n: int) -> str:
    return f"{100 * k / n:.0f}%" if n else "—"


def _category_colors() -> dict[str, str]:
    keys = list(taxonomy_labels())
    colors = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(k for k in keys if k != "other")}
    colors["other"] = PALETTE[-1]
    return colors


def _chip(category: str, names: dict[str, str], colors: dict[str, str], link: str = "") -> str:
    style = f' style="--c:{colors.get(category, PALETTE[-1])}"'
    title = f' title="{_e(category)}"'
    text = _e(names.get(category, category))
    if link:
        return f'<a class="chip finding"{style}{title} {link}>{text}</a>'
    return f'<span class="chip"{style}{title}>{text}</span>'


def _finding_link(report: Report, finding: Finding) -> str:
    return f'href="#f-{_e(report.id)}-{finding.n}" data-doc="{_e(report.id)}" data-f="{finding.n}"'


# --------------------------------------------------------------------------- charts (inline SVG)


def line_chart(years: list[int], series: list[tuple[str, str, list[float | None]]], *,
               notes: list[str] | None = None, width: int = 880, height: int = 340,
               title: str = "") -> str:
    """An SVG line chart of shares (0–1): one ``(label, colour, values)`` per
    series, values aligned with ``years`` (``None`` leaves a gap)."""
    left, right, top, bottom = 48, 230, 16, 48
    pw, ph = width - left - right, height - top - bottom
    parts = [f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{_e(title)}">', f"<title>{_e(title)}</title>"]

    def x(i: int) -> float:
        return left + (pw / 2 if len(years) == 1 else i * pw / (len(years) - 1))

    def y(v: float) -> float:
        return top + ph * (1 - v)

    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line class="grid" x1="{left}" x2="{left + pw}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.0%}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{left + pw}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>')
    step = max(1, -(-len(years) // 14))  # at most ~14 year labels
    for i, year in enumerate(years):
        if i % step == 0 or i == len(years) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{top + ph + 16}" text-anchor="middle">{_e(year)}</text>')
            if notes:
                parts.append(f'<text class="value" x="{x(i):.1f}" y="{top + ph + 31}" text-anchor="middle">'
                             f'{_e(notes[i])}</text>')
    for s, (label, color, values) in enumerate(series):
        runs: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(v):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(f'<polyline class="series" data-series="{s}" stroke="{color}" points="{" ".join(run)}"/>')
        for i, v in enumerate(values):
            if v is not None:
                parts.append(f'<circle class="point" data-series="{s}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" '
                             f'fill="{color}"><title>{_e(label)} {_e(years[i])}: {v:.0%}</title></circle>')
        ly = top + 10 + s * 22
        lx = left + pw + 20
        parts.append(f'<line x1="{lx}" x2="{lx + 22}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="3"/>')
        parts.append(f'<text x="{lx + 28}" y="{ly + 4}">{_e(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(bars: list[tuple[str, float, str]], *, width: int = 880, label_width: int = 170,
              css: str = "bar", title: str = "") -> str:
    """A horizontal SVG bar chart: one ``(label, value, tooltip)`` per bar."""
    row, top = 26, 8
    height = top * 2 + row * max(1, len(bars))
    peak = max((value for _, value, _ in bars), default=0) or 1
    pw = width - label_width - 60
    parts = [f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{_e(title)}">', f"<title>{_e(title)}</title>"]
    for i, (label, value, tip) in enumerate(bars):
        y = top + i * row
        w = max(1.0, pw * value / peak)
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{_e(label)}</text>')
        parts.append(f'<rect class="{css}" x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 8}">'
                     f"<title>{_e(tip)}</title></rect>")
        parts.append(f'<text class="value" x="{label_width + w + 6:.1f}" y="{y + 17}">{_e(_number(value))}</text>')
    parts.append(f'<line class="axis" x1="{label_width}" x2="{label_width}" y1="{top}" y2="{height - top}"/>')
    parts.append("</svg>")
    return "".join(parts)


def column_chart(columns: list[tuple[str, float]], *, width: int = 880, height: int = 180, title: str = "") -> str:
    """A vertical SVG bar chart: one ``(label, value)`` per column."""
    left, top, bottom = 40, 14, 26
    ph = height - top - bottom
    pw = width - left - 10
    peak = max((v for _, v in columns), default=0) or 1
    slot = pw / max(1, len(columns))
    bar = min(48.0, slot * 0.7)
    step = max(1, -(-len(columns) // 20))
    parts = [f'<svg class="chart column-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{_e(title)}">', f"<title>{_e(title)}</title>"]
    for i, (label, value) in enumerate(columns):
        h = max(1.0, ph * value / peak)
        cx = left + slot * (i + 0.5)
        parts.append(f'<rect class="bar" x="{cx - bar / 2:.1f}" y="{top + ph - h:.1f}" width="{bar:.1f}" '
                     f'height="{h:.1f}"><title>{_e(label)}: {_e(_number(value))}</title></rect>')
        parts.append(f'<text class="value" x="{cx:.1f}" y="{top + ph - h - 3:.1f}" text-anchor="middle">'
                     f"{_e(_number(value))}</text>")
        if i % step == 0:
            parts.append(f'<text x="{cx:.1f}" y="{height - 8}" text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - 10}" y1="{top + ph}" y2="{top + ph}"/>')
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- text with marked spans


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
                {f"f{clean[i][3]}" for i in active if clean[i][3] is not None}, key=lambda c: int(c[1:]))
            out.append(f'<span class="{" ".join(classes)}">{chunk}</span>')
        else:
            out.append(chunk)
    return "".join(out)


# --------------------------------------------------------------------------- the page


def render_report(con: Any, *, title: str = "corpus", max_texts: int = 200, max_rows: int = 5000) -> str:
    """The whole page as a string, from an open corpus connection."""
    names = taxonomy_labels()
    colors = _category_colors()
    rules = {rule["id"]: rule.get("description", "") for rule in load_toml("rules.toml")["rule"]}
    ov = overview(con)
    years, totals, counts = category_shares(con)
    rule_rows = rule_counts(con)
    report_rows, total = reports(con, max_texts=max_texts, max_rows=max_rows)
    embedded = {r.id: r for r in report_rows if r.text is not None}
    recur = recurrences(con)
    quality = quality_data(con, limit=100)

    body = [
        _head_html(title, ov),
        '<nav class="toc"><a href="#overview">概况</a><a href="#categories">问题类别</a>'
        '<a href="#checks">检查</a><a href="#recurrences">反复出现的问题</a><a href="#reading">读取质量</a>'
        '<a href="#reports">报告</a></nav>',
        "<main>",
        _overview_html(ov),
        _categories_html(years, totals, counts, names, colors),
        _checks_html(rule_rows, rules),
        _recurrences_html(recur, names, colors, embedded),
        _reading_html(quality, embedded),
        _reports_html(report_rows, total, max_texts, max_rows, names, colors),
        _viewer_html([r for r in report_rows if r.text is not None], names, colors),
        "</main>",
        f"<footer>textmine {_e(__version__)} · 数据截至 {_e(str(ov['tagged_at'] or '')[:19])} · "
        "本页不引用任何外部资源（样式、脚本与图表均内嵌）。</footer>",
    ]
    css, js = _resource("report.css"), _resource("report.js")
    csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'{GENERATOR_MARK} {_e(__version__)}">'
        f"<title>政府信息公开工作年度报告语料 — {_e(title)}</title>"
        f"<style>{css}</style></head><body>\n"
        + "\n".join(body)
        + f"\n<script>{_script_safe(js)}</script>\n</body></html>\n"
    )


def _script_safe(js: str) -> str:
    return js.replace("</", "<\\/")


def _head_html(title: str, ov: dict[str, Any]) -> str:
    return (f'<header class="page"><h1>政府信息公开工作年度报告 · 语料报告</h1>'
            f"<p>{_e(title)}：{ov['reports']} 份报告，{ov['agencies']} 个机关；由 textmine 生成</p></header>")


def _card(value: Any, label: str, bad: bool = False) -> str:
    return f'<div class="card{" bad" if bad else ""}"><b>{_e(value)}</b><span>{_e(label)}</span></div>'


def _overview_html(ov: dict[str, Any]) -> str:
    years = [row["year"] for row in ov["years"] if row["year"] is not None]
    span = f"{min(years)}–{max(years)}" if years else "—"
    checks = ov["checks"]
    parts = ['<section class="part" id="overview"><h2>概况</h2><div class="cards">',
             _card(ov["reports"], "份报告（不含重复）"), _card(ov["agencies"], "个机关"), _card(span, "年度"),
             _card(ov["problems"], "条问题"), _card(ov["improvements"], "条改进措施"), _card(ov["claims"], "个数字陈述"),
             _card(checks.get("fail", 0), "项检查未通过", bad=bool(checks.get("fail"))),
             _card(ov["errors"], "个文件读取失败", bad=bool(ov["errors"])), "</div>"]
    if ov["duplicates"]:
        parts.append(f'<p class="note">另有 {ov["duplicates"]} 个重复文件（同一机关同一年度的另一格式），统计时跳过。</p>')
    parts.append("<h3>各年度报告数</h3>")
    parts.append(column_chart([(str(r["year"]) if r["year"] is not None else "未知", r["n"]) for r in ov["years"]],
                              title="各年度报告数"))
    parts.append('<div class="cards">')
    levels = level_names()
    order = {key: i for i, key in enumerate(levels)}
    by_level = sorted(ov["levels"], key=lambda r: (r["level"] is None, order.get(r["level"], len(order)), r["level"] or ""))
    level_rows = "".join(f"<tr><td>{_e(_level(r['level'], levels))}</td><td class='num'>{r['n']}</td></tr>"
                         for r in by_level)
    format_rows = "".join(f"<tr><td>{_e(r['format'] or '未知')}</td><td class='num'>{r['n']}</td></tr>"
                          for r in ov["formats"])
    status_rows = "".join(f"<tr><td>{_e(s)}</td><td class='num'>{checks.get(s, 0)}</td></tr>"
                          for s in ("pass", "fail", "skip"))
    parts.append(f"<div><h3>政府层级</h3><table><tr><th>层级</th><th class='num'>报告</th></tr>{level_rows}</table></div>"
                 f"<div><h3>文件格式</h3><table><tr><th>格式</th><th class='num'>报告</th></tr>{format_rows}</table></div>"
                 f"<div><h3>检查结果</h3><table><tr><th>状态</th><th class='num'>次数</th></tr>{status_rows}</table></div>"
                 "</div>")
    if ov["error_rows"]:
        rows = "".join(f"<tr><td>{_e(r['source'])}</td><td>{_e(r['stage'])}</td><td>{_e(r['message'])}</td></tr>"
                       for r in ov["error_rows"])
        more = f"（列出前 {len(ov['error_rows'])} 个）" if ov["errors"] > len(ov["error_rows"]) else ""
        parts.append(f'<h3>读取失败的文件{more}</h3><div class="wrap"><table id="errors"><tr><th>文件</th><th>阶段</th>'
                     f"<th>原因</th></tr>{rows}</table></div>")
    parts.append("</section>")
    return "".join(parts)


def level_names() -> dict[str, str]:
    """meta.level value → the Chinese label the page shows (``data/report/labels.toml``)."""
    import tomllib

    return tomllib.loads(_resource("labels.toml"))["levels"]


def level_tiers() -> dict[str, str]:
    """meta.level value → its tier (省级, 市级 …: a government and its departments together)."""
    import tomllib

    return tomllib.loads(_resource("labels.toml"))["tiers"]


def _level(level: str | None, names: dict[str, str] | None = None) -> str:
    if level is None or level == "":
        return "未注明"
    return (names if names is not None else level_names()).get(level, level)


def _resource(name: str) -> str:
    return resources.files("textmine.data").joinpath("report", name).read_text("utf-8")


def _categories_html(years: list[int], totals: dict[int, int], counts: dict[str, dict[int, int]],
                     names: dict[str, str], colors: dict[str, str]) -> str:
    parts = ['<section class="part" id="categories"><h2>问题类别：各年度承认该问题的报告比例</h2>']
    if not years or not counts:
        parts.append('<p class="note">没有可统计的问题条目。</p></section>')
        return "".join(parts)
    overall = {c: sum(by_year.values()) for c, by_year in counts.items()}
    ranked = sorted(overall, key=lambda c: (-overall[c], list(names).index(c) if c in names else 99, c))
    top = ranked[:LINE_SERIES]
    charted = [y for y in years if totals[y] >= MIN_CHART_REPORTS] or years
    series = [(names.get(c, c), colors.get(c, PALETTE[-1]),
               [counts[c].get(y, 0) / totals[y] if totals[y] else None for y in charted]) for c in top]
    left_out = [str(y) for y in years if y not in charted]
    parts.append(f'<p class="note">每条线是一个问题类别：当年报告中，第五部分“存在的主要问题”含该类别的报告所占比例'
                 f'（重复文件不计；分母为找到第五部分的报告）。图中为最常见的 {len(top)} 类，下表列出全部类别'
                 + (f"；报告少于 {MIN_CHART_REPORTS} 份的年度（{'、'.join(left_out)}）只列在表中" if left_out else "")
                 + "。</p>")
    parts.append(line_chart(charted, series, notes=[f"n={totals[y]}" for y in charted],
                            title="问题类别占比（按年度）"))
    head = "".join(f"<th class='num'>{_e(y)}</th>" for y in years)
    rows = []
    for c in [k for k in names if k in counts] + [k for k in counts if k not in names]:
        cells = []
        for y in years:
            k, n = counts[c].get(y, 0), totals[y]
            alpha = 0.75 * k / n if n else 0
            cells.append(f"<td class='num' style='background:rgba(224,49,49,{alpha:.2f})' "
                         f"title='{k}/{n}'>{_pct(k, n)}</td>")
        all_n = sum(totals.values())
        rows.append(f"<tr><td>{_chip(c, names, colors)} <small>{_e(c)}</small></td>{''.join(cells)}"
                    f"<td class='num'>{_pct(overall[c], all_n)}</td></tr>")
    parts.append(f'<div class="wrap"><table class="heat" id="category-table"><tr><th>类别</th>{head}'
                 f"<th class='num'>全部</th></tr>{''.join(rows)}"
                 f"<tr><th>报告数</th>{''.join(f'<th class=num>{totals[y]}</th>' for y in years)}"
                 f"<th class='num'>{sum(totals.values())}</th></tr></table></div></section>")
    return "".join(parts)


def _checks_html(rule_rows: list[dict[str, Any]], rules: dict[str, str]) -> str:
    parts = ['<section class="part" id="checks"><h2>检查：未通过的规则</h2>']
    failing = [r for r in rule_rows if r["fails"]]
    if failing:
        parts.append(bar_chart([(r["rule"], r["fails"], f"{r['rule']}: {r['fails']} 次未通过，涉及 {r['reports']} 份报告")
                                for r in failing], css="bar fail", title="各规则未通过次数"))
    else:
        parts.append('<p class="note">没有未通过的检查。</p>')
    rows = "".join(
        f"<tr><td><code>{_e(r['rule'])}</code></td><td>{_e(rules.get(r['rule'], ''))}</td><td>{_e(r['severity'])}</td>"
        f"<td class='num'>{r['fails']}</td><td class='num'>{r['reports']}</td><td class='num'>{r['skips']}</td>"
        f"<td class='num'>{r['passes']}</td></tr>" for r in rule_rows)
    parts.append('<div class="wrap"><table id="rule-table"><tr><th>规则</th><th>要求</th><th>级别</th>'
                 "<th class='num'>未通过</th><th class='num'>涉及报告</th><th class='num'>跳过</th>"
                 f"<th class='num'>通过</th></tr>{rows}</table></div></section>")
    return "".join(parts)


def _recurrences_html(rows: list[dict[str, Any]], names: dict[str, str], colors: dict[str, str],
                      embedded: dict[str, Report]) -> str:
    parts = ['<section class="part" id="recurrences"><h2>反复出现的问题：同一机关次年再次承认</h2>']
    if not rows:
        parts.append('<p class="note">语料中没有同一机关相邻两年承认同一类问题的情况（需要同一机关连续两年的报告）。</p>'
                     "</section>")
        return "".join(parts)

    def link(report_id: str, category: str, text: str) -> str:
        report = embedded.get(report_id)
        finding = report.first_finding(category=category) if report else None
        return f"<a {_finding_link(report, finding)}>{_e(text)}</a>" if finding and report else _e(text)

    body = "".join(
        f"<tr><td>{_e(r['agency'])}<br><small>{_e(r['region'] or '')}</small></td>"
        f"<td>{_chip(r['category'], names, colors)}</td>"
        f"<td>{link(r['previous'], r['category'], str(r['year'] - 1))}</td>"
        f"<td>{link(r['report'], r['category'], str(r['year']))}</td></tr>" for r in rows)
    parts.append('<div class="wrap"><table id="recurrence-table"><tr><th>机关</th><th>类别</th><th>上一年</th>'
                 f"<th>本年</th></tr>{body}</table></div></section>")
    return "".join(parts)


def _missing(value: Any) -> bool:
    """None or NaN (a DataFrame's missing number)."""
    return value is None or (isinstance(value, float) and value != value)


def _share(value: Any) -> str:
    return "—" if _missing(value) else f"{100 * value:.0f}%"


_VERDICT_NAMES = {"good": "良好", "check": "需核对", "poor": "较差"}
_READING_GROUP_NAMES = {"format": "格式", "level": "层级", "year": "年度"}


def _reading_html(quality: dict[str, Any], embedded: dict[str, Report]) -> str:
    """How well the reports were read (textmine.corpus.quality): verdicts by
    format, level and year, and the reports a person should look at."""
    ov = quality["overview"]
    parts = ['<section class="part" id="reading"><h2>读取质量：哪些报告需要人工核对</h2><div class="cards">',
             _card(ov["good"], "份读取良好"), _card(ov["check"], "份需核对", bad=bool(ov["check"])),
             _card(ov["poor"], "份读取较差", bad=bool(ov["poor"]))]
    if ov["not_assessed"]:
        parts.append(_card(ov["not_assessed"], "份未评估（旧版本标注）"))
    parts.append("</div><p class=\"note\">良好：表格单元格全部读出、各部分齐全、勾稽关系成立；需核对：有未读出的单元格、"
                 "缺少部分或勾稽关系不成立（可能是报告本身的错误）；较差：表格大多未读出或缺少多数部分。</p>")
    levels = level_names()
    for by, df in quality["by"].items():
        rows = []
        for r in df.to_dict("records"):
            value = r[by]
            name = "未知" if _missing(value) else (_level(value, levels) if by == "level" else str(value))
            cell, good = _share(r["cell_share"]), _share(r["good_share"])
            rows.append(f"<tr><td>{_e(name)}</td><td class='num'>{r['reports']}</td><td class='num'>{r['good']}</td>"
                        f"<td class='num'>{r['check']}</td><td class='num'>{r['poor']}</td><td class='num'>{good}</td>"
                        f"<td class='num'>{cell}</td></tr>")
        parts.append(f"<h3>按{_READING_GROUP_NAMES[by]}</h3><div class=\"wrap\"><table id=\"reading-{by}\"><tr>"
                     f"<th>{_READING_GROUP_NAMES[by]}</th><th class='num'>报告</th><th class='num'>良好</th>"
                     "<th class='num'>需核对</th><th class='num'>较差</th><th class='num'>良好比例</th>"
                     f"<th class='num'>单元格读出</th></tr>{''.join(rows)}</table></div>")
    worst = quality["to_check"]
    rows = []
    for r in worst.to_dict("records"):
        view = (f'<a href="#doc-{_e(r["report"])}" data-doc="{_e(r["report"])}">查看正文</a>'
                if r["report"] in embedded else "")
        cell = _share(r["cell_share"])
        year = "" if _missing(r["year"]) else str(int(r["year"]))
        rows.append(f"<tr class=\"verdict-{_e(r['verdict'])}\"><td>{_e(_VERDICT_NAMES.get(r['verdict'], r['verdict']))}</td>"
                    f"<td>{_e(r['agency'] or '')}<br><small>{_e(str(r['source']).rsplit('/', 1)[-1])}</small></td>"
                    f"<td class='num'>{_e(year)}</td><td>{_e(r['format'] or '')}</td><td class='num'>{cell}</td>"
                    f"<td>{_e('；'.join(r['reasons']))}</td><td>{view}</td></tr>")
    if rows:
        parts.append(f"<h3>需要人工核对的报告（前 {len(rows)} 份，较差在前）</h3><div class=\"wrap\">"
                     "<table id=\"reading-check\"><tr><th>结论</th><th>机关 / 文件</th><th class='num'>年度</th>"
                     f"<th>格式</th><th class='num'>单元格读出</th><th>原因</th><th>正文</th></tr>{''.join(rows)}</table></div>")
    else:
        parts.append('<p class="note">所有报告都读取良好。</p>')
    parts.append("</section>")
    return "".join(parts)


def _reports_html(rows: list[Report], total: int, max_texts: int, max_rows: int,
                  names: dict[str, str], colors: dict[str, str]) -> str:
    parts = ['<section class="part" id="reports-part"><h2>报告及其问题</h2>',
             '<p class="note">类别标签和规则名都可点击：下方打开该报告正文并高亮对应段落。'
             '<span class="legend"><span><i style="background:#fff3bf"></i>问题</span>'
             '<span><i style="background:#d3f9d8"></i>改进</span><span><i style="background:#ffc9c9"></i>未通过的检查</span>'
             '<span><i style="border-bottom:2px dotted #1c7ed6"></i>与表格对应的数字</span></span></p>']
    shown = len(rows)
    with_text = sum(1 for r in rows if r.text is not None)
    if with_text < total:
        parts.append(f'<p class="warn">为控制页面大小，只嵌入了表中前 {with_text} 份报告的正文（共 {total} 份；'
                     f"max_texts={max_texts}）。其余报告只列出类别与检查结果。</p>")
    if shown < total:
        parts.append(f'<p class="warn">表中只列出前 {shown} 份报告（共 {total} 份；max_rows={max_rows}）。</p>')
    parts.append('<p><input id="filter" type="search" placeholder="筛选：机关、地区、年度、类别、规则…"></p>')
    body = []
    levels = level_names()
    for r in rows:
        chips = []
        for c in r.categories:
            finding = r.first_finding(category=c)
            chips.append(_chip(c, names, colors, _finding_link(r, finding) if finding else ""))
        fails = []
        for rule in r.fail_rules:
            finding = r.first_finding(rule=rule)
            attrs = _finding_link(r, finding) if finding else ""
            fails.append(f'<a class="rule finding" {attrs}>{_e(rule)}</a>' if attrs else
                         f'<span class="rule">{_e(rule)}</span>')
        view = (f'<a href="#doc-{_e(r.id)}" data-doc="{_e(r.id)}">查看正文</a>' if r.text is not None else "未嵌入")
        body.append(
            f'<tr id="row-{_e(r.id)}"><td class="agency" title="{_e(r.title)}">{_e(r.agency or r.title or r.source)}'
            f"<small>{_e(r.region or '')}</small></td><td class='num'>{_e(r.year if r.year is not None else '')}</td>"
            f"<td>{_e(_level(r.level, levels))}</td><td>{''.join(chips) or '<small>—</small>'}</td>"
            f"<td>{''.join(fails) or '<small>—</small>'}</td><td>{view}</td></tr>")
    parts.append('<div class="wrap"><table id="reports"><thead><tr><th>机关</th><th>年度</th><th>层级</th>'
                 f"<th>问题类别</th><th>未通过的检查</th><th>正文</th></tr></thead><tbody>{''.join(body)}"
                 "</tbody></table></div></section>")
    return "".join(parts)


def _viewer_html(rows: list[Report], names: dict[str, str], colors: dict[str, str]) -> str:
    parts = ['<section class="part" id="viewer"><h2>正文与发现</h2>'
             '<p class="note">在上表点击类别、规则或“查看正文”后，报告正文显示在这里。</p>']
    for r in rows:
        parts.append(_doc_html(r, names, colors))
    parts.append("</section>")
    return "".join(parts)


_GROUPS = (("problem", "存在的问题"), ("improvement", "改进措施"), ("check", "未通过的检查"), ("claim", "与表格对应的数字"))


def _doc_html(r: Report, names: dict[str, str], colors: dict[str, str]) -> str:
    text = r.text or ""
    spans: list[tuple[int, int, str, int | None]] = []
    for _, title, start, _ in r.sections:
        if title and start is not None and text[start:start + len(title)] == title:
            spans.append((start, start + len(title), "sec", None))
    for f in r.findings:
        if f.start is not None and f.end is not None:
            spans.append((f.start, f.end, f.css, f.n))
    meta = " · ".join(_e(v) for v in (r.agency, r.region, r.year, f"发布 {r.published}" if r.published else None,
                                      f"版式 {r.layout}" if r.layout else None, r.source) if v)
    groups = []
    for kind, heading in _GROUPS:
        items = [f for f in r.findings if f.kind == kind]
        if not items:
            continue
        lis = []
        for f in items:
            chips = "".join(_chip(c, names, colors) for c in f.categories)
            excerpt = f.text if len(f.text) <= 60 else f.text[:60] + "…"
            where = "" if f.start is not None else "<small>（正文中无对应位置）</small>"
            detail = excerpt if kind in ("problem", "improvement") else f.message
            lis.append(f'<li><a class="finding" {_finding_link(r, f)}><b>{_e(f.label)}</b> {chips}'
                       f'<span class="msg">{_e(detail)}</span></a>{where}</li>')
        groups.append(f"<h4>{heading}（{len(items)}）</h4><ol>{''.join(lis)}</ol>")
    if not groups:
        groups.append('<p class="note">此报告没有问题条目或未通过的检查。</p>')
    return (f'<article class="doc" id="doc-{_e(r.id)}" data-report="{_e(r.id)}"><header><h3>{_e(r.title or r.source)}</h3>'
            f'<p>{meta} · <a href="#row-{_e(r.id)}">↑ 回到报告表</a></p></header>'
            f'<div class="doc-body"><nav class="findings">{"".join(groups)}</nav>'
            f'<div class="text" tabindex="0">{render_text(text, spans, f"f-{r.id}")}</div></div></article>')


def report_stats(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Size facts of a written page (for the CLI's one-line summary)."""
    page = Path(path).read_text("utf-8")
    return {"bytes": len(page.encode("utf-8")), "docs": page.count('<article class="doc"')}


__all__ = [
    "GENERATOR_MARK", "OutputError", "OutputExistsError", "bar_chart", "check_output", "column_chart",
    "is_report_page", "level_names", "level_tiers", "line_chart", "render_report", "render_text", "report_stats",
    "write_atomic", "write_report",
]
