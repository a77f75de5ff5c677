"""What the report page shows (``textmine report``): its queries, and the
labels it gives stored values.

The queries read the corpus database, duplicates skipped as everywhere;
:mod:`textmine.corpus.report_figures` turns their rows into what the page
lays out, :mod:`textmine.corpus.report` and its templates lay it out.

>>> level_label("city_dept"), level_label(None)
('市级部门', '未注明')
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..data import load_toml
from ..data.taxonomy import taxonomy_labels
from ..messages import in_language

# The section a table sits in: where a table check without text offsets points.
TABLE_SECTIONS: dict[str, tuple[str, str]] = {
    "t2": ("active_disclosure", "表二"),
    "t3": ("requests", "表三"),
    "t4": ("review_litigation", "表四"),
}


# --------------------------------------------------------------------------- queries


@dataclass
class Finding:
    """Something the text viewer can show: a span of the text (or none)."""

    n: int
    kind: str  # problem | improvement | check | claim
    label: str
    text: str = ""
    message: str = ""
    categories: list[str] = field(default_factory=list)
    rule: str | None = None
    start: int | None = None
    end: int | None = None
    css: str = ""  # the class its span gets in the text
    id: str = ""  # what a correction quotes: rule:scope, kind@start-end (textmine correct)
    corrected: str = ""  # who corrected it, when and why (empty: as tagged)


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
        "problems": _scalar(
            con, f"SELECT count(*) FROM items i JOIN {live} ON r.id = i.report WHERE i.kind = 'problem'"
        ),
        "improvements": _scalar(
            con, f"SELECT count(*) FROM items i JOIN {live} ON r.id = i.report WHERE i.kind = 'improvement'"
        ),
        "claims": _scalar(con, f"SELECT count(*) FROM claims c JOIN {live} ON r.id = c.report"),
        "checks": {
            row["status"]: row["n"]
            for row in _rows(
                con, f"SELECT status, count(*) AS n FROM checks c JOIN {live} ON r.id = c.report GROUP BY status"
            )
        },
        "tagged_at": _scalar(con, "SELECT max(tagged_at) FROM reports"),
        "error_rows": _rows(con, "SELECT source, stage, message FROM errors ORDER BY source LIMIT 50"),
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
    return [
        {
            "rule": r.rule,
            "fails": int(r.fails),
            "reports": int(r.reports_failing),
            "skips": int(r.skips),
            "passes": int(r.passes),
            "severity": r.severity,
        }
        for r in df.itertuples()
    ]


def recurrences(con: Any, limit: int = 200) -> list[dict[str, Any]]:
    """Problem categories an agency admits again the year after."""
    return _rows(
        con,
        """
        SELECT agency, region, year, category, report, previous FROM recurrences
        ORDER BY agency_key, year, category LIMIT ?""",
        [limit],
    )


def reports(con: Any, *, max_texts: int, max_rows: int) -> tuple[list[Report], int]:
    """The report table's rows (first ``max_rows``; the first ``max_texts``
    with text and findings) and the number of reports in all."""
    total = _scalar(con, f"SELECT count(*) FROM ({_LIVE})")
    rows = _rows(
        con,
        f"""
        SELECT id, title, agency, region, level, year, CAST(published AS VARCHAR) AS published, layout, source, format
        FROM ({_LIVE}) ORDER BY agency_key NULLS LAST, year NULLS LAST, id LIMIT ?""",
        [max_rows],
    )
    out = [Report(**row) for row in rows]
    by_id = {r.id: r for r in out}
    if not out:
        return out, total
    ids = list(by_id)
    for row in _rows(con, "SELECT report, category FROM problem_categories WHERE report IN (SELECT UNNEST(?))", [ids]):
        by_id[row["report"]].categories.append(row["category"])
    for row in _rows(
        con,
        """SELECT DISTINCT report, rule FROM checks
                              WHERE status = 'fail' AND report IN (SELECT UNNEST(?)) ORDER BY rule""",
        [ids],
    ):
        by_id[row["report"]].fail_rules.append(row["rule"])
    order = {key: i for i, key in enumerate(taxonomy_labels())}
    for report in out:
        report.categories.sort(key=lambda c: (order.get(c, len(order)), c))
    corrected = _corrections(con)
    for report in out[:max_texts]:
        _load_findings(con, report, corrected.get(report.id, {}))
    return out, total


def _load_findings(con: Any, report: Report, corrected: dict[tuple[str, str], dict[str, Any]]) -> None:
    report.text = _scalar(con, "SELECT text FROM texts WHERE report = ?", [report.id]) or ""
    report.sections = [
        (r["key"], r["title"] or "", r["start"], r["end"])
        for r in _rows(
            con, 'SELECT key, title, start, "end" FROM sections WHERE report = ? ORDER BY start', [report.id]
        )
    ]
    _item_findings(con, report, corrected)
    _check_findings(con, report, corrected)
    _claim_findings(con, report)


def _corrections(con: Any) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """The corrections applied, by report and (kind, target): present when
    the page is made through a lens with corrections (:mod:`.lens`)."""
    if not _scalar(con, "SELECT count(*) FROM duckdb_views() WHERE view_name = 'applied_corrections'"):
        return {}
    by_report: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for r in _rows(con, "SELECT * FROM applied_corrections WHERE applied"):
        by_report[r["report"]][(r["kind"], r["target"])] = r
    return by_report


def _corrected_by(row: dict[str, Any] | None) -> str:
    if row is None:
        return ""
    who = "、".join(v for v in (row["by"], row["at"]) if v)
    why = f"：{row['reason']}" if row["reason"] else ""
    return f"〔已人工更正{f'（{who}）' if who else ''}{why}〕"


def _item_findings(con: Any, report: Report, corrected: dict[tuple[str, str], dict[str, Any]]) -> None:
    names = taxonomy_labels()
    findings = report.findings
    for kind, word in (("problem", "问题"), ("improvement", "改进")):
        items = _rows(
            con,
            'SELECT text, start, "end", categories FROM items WHERE report = ? AND kind = ? ORDER BY idx',
            [report.id, kind],
        )
        for i, item in enumerate(items):
            cats = list(item["categories"] or [])
            correction = corrected.get(("item", f"{kind}@{item['start']}-{item['end']}"))
            findings.append(
                Finding(
                    len(findings),
                    kind,
                    f"{word} {i + 1}",
                    text=item["text"] or "",
                    categories=cats,
                    start=item["start"],
                    end=item["end"],
                    css=kind,
                    message="、".join(names.get(c, c) for c in cats),
                    id=f"{kind}@{item['start']}-{item['end']}",
                    corrected=_corrected_by(correction),
                )
            )


def _check_findings(con: Any, report: Report, corrected: dict[tuple[str, str], dict[str, Any]]) -> None:
    """Failed checks, and those a person dismissed as false positives, each
    with its id (``rule:scope``, what a correction quotes)."""
    sections = {key: (start, end) for key, _, start, end in report.sections}
    checks = _rows(
        con,
        """SELECT rule, scope, status, severity, lhs, rhs, cells, message, text, start, "end" FROM checks
           WHERE report = ? AND status IN ('fail', 'dismissed') ORDER BY rule, scope""",
        [report.id],
    )
    for check in checks:
        finding_id = f"{check['rule']}:{check['scope']}" if check["scope"] else check["rule"]
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
        dismissed = ""
        if check["status"] == "dismissed":
            css = "area"
            dismissed = "〔已标记为误报〕" + _corrected_by(corrected.get(("finding", finding_id)))
        message = in_language(check["message"] or "", "zh")
        if values and message == values.rstrip("；"):
            message = ""  # the values are the whole message (左 431 ≠ 右 432)
        report.findings.append(
            Finding(
                len(report.findings),
                "dismissed" if check["status"] == "dismissed" else "check",
                finding_id,
                text=check["text"] or "",
                rule=check["rule"],
                message=f"{dismissed}{values}{message}{where}",
                start=start,
                end=end,
                css=css,
                id=finding_id,
            )
        )


def _claim_findings(con: Any, report: Report) -> None:
    claims = _rows(
        con,
        'SELECT text, start, "end", value, unit, cell FROM claims WHERE report = ? AND cell IS NOT NULL ORDER BY idx',
        [report.id],
    )
    for claim in claims:
        report.findings.append(
            Finding(
                len(report.findings),
                "claim",
                claim["text"] or "",
                text=claim["text"] or "",
                message=f"{_number(claim['value'])}{claim['unit'] or ''} → {claim['cell']}",
                start=claim["start"],
                end=claim["end"],
                css="claim",
            )
        )


def _number(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- labels


def asset_text(name: str) -> str:
    """A file of ``textmine/data/report/`` (labels, CSS, JavaScript, the page's templates) as text."""
    return resources.files("textmine.data").joinpath("report", name).read_text("utf-8")


def level_names() -> dict[str, str]:
    """meta.level value → the Chinese label the page shows (``data/report/labels.toml``)."""
    import tomllib

    return tomllib.loads(asset_text("labels.toml"))["levels"]


def level_tiers() -> dict[str, str]:
    """meta.level value → its tier (省级, 市级 …: a government and its departments together)."""
    import tomllib

    return tomllib.loads(asset_text("labels.toml"))["tiers"]


def level_label(level: str | None, names: dict[str, str] | None = None) -> str:
    """The Chinese label of a stored level (``names``: :func:`level_names`, read when not given)."""
    if level is None or level == "":
        return "未注明"
    return (names if names is not None else level_names()).get(level, level)


def rule_descriptions(lang: str = "zh") -> dict[str, str]:
    """Check rule id → what it requires (``rules.toml``), in ``lang`` (zh or en)."""
    key = "description_zh" if lang == "zh" else "description"
    return {rule["id"]: rule[key] for rule in load_toml("rules.toml")["rule"]}
