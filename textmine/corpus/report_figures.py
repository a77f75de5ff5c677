"""The report page's figures: the query rows of :mod:`textmine.corpus.report_data`
as the page lays them out (:mod:`textmine.corpus.report`).

Shares become percentages, categories get their colours and the line chart
its most admitted ones, reports their level's label and the findings to link
to, each embedded text the spans it marks.  No HTML here.

>>> percent(1, 3), percent(0, 0), share_text(None)
('33%', '—', '—')
"""

from __future__ import annotations

import math
from typing import Any

from ..data.taxonomy import taxonomy_labels
from ..messages import in_language
from ..metrics import wilson_interval
from .report_data import Finding, Report, level_label, level_names

# One colour per taxonomy category, in taxonomy order; `other` last and grey.
PALETTE: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#7f7f7f",
)

# Categories drawn in the line chart; the table lists all.
LINE_SERIES = 6

# A year with fewer reports makes shares of 0% or 100% out of one or two
# reports: the table shows it, the chart leaves it out (as `summary`'s trend).
MIN_CHART_REPORTS = 3

# Reading verdicts and the groups of the reading tables, as the page names them.
VERDICT_NAMES = {"good": "良好", "check": "需核对", "poor": "较差"}
READING_GROUP_NAMES = {"format": "格式", "level": "层级", "year": "年度"}

# The viewer's lists of findings beside a report's text: kind → heading, in this order.
FINDING_GROUPS = (
    ("problem", "存在的问题"),
    ("improvement", "改进措施"),
    ("check", "未通过的检查"),
    ("dismissed", "已人工排除的检查"),
    ("claim", "与表格对应的数字"),
)

# Check statuses as the page names them (the stored values are English).
STATUS_NAMES = {"pass": "通过", "fail": "未通过", "skip": "跳过", "dismissed": "已人工排除"}


def category_colors() -> dict[str, str]:
    """Category key → its colour on the page: :data:`PALETTE` in taxonomy order, ``other`` grey."""
    keys = list(taxonomy_labels())
    colors = {key: PALETTE[i % len(PALETTE)] for i, key in enumerate(k for k in keys if k != "other")}
    colors["other"] = PALETTE[-1]
    return colors


def percent(k: int, n: int) -> str:
    """``k`` of ``n`` as a whole percentage (— when ``n`` is 0)."""
    return f"{100 * k / n:.0f}%" if n else "—"


def _missing(value: Any) -> bool:
    """None or NaN (a DataFrame's missing number)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def share_text(value: Any) -> str:
    """A share (0–1) as a whole percentage (— when missing)."""
    return "—" if _missing(value) else f"{100 * value:.0f}%"


def overview_figures(ov: dict[str, Any]) -> dict[str, Any]:
    """The overview's derived figures: the span of years, the report counts
    per year (the column chart), per level (top down) and per format, and
    check results by status."""
    years = [row["year"] for row in ov["years"] if row["year"] is not None]
    checks = ov["checks"]
    levels = level_names()
    order = {key: i for i, key in enumerate(levels)}
    by_level = sorted(
        ov["levels"], key=lambda r: (r["level"] is None, order.get(r["level"], len(order)), r["level"] or "")
    )
    return {
        "span": f"{min(years)}–{max(years)}" if years else "—",
        "fails": checks.get("fail", 0),
        "year_columns": [(str(r["year"]) if r["year"] is not None else "未知", r["n"]) for r in ov["years"]],
        "levels": [(level_label(r["level"], levels), r["n"]) for r in by_level],
        "formats": [(r["format"] or "未知", r["n"]) for r in ov["formats"]],
        "statuses": [
            (STATUS_NAMES[status], checks.get(status, 0))
            for status in ("pass", "fail", "skip", "dismissed")
            if status != "dismissed" or checks.get(status)
        ],
        # The errors table lists the first few; the heading says so when there are more.
        "errors_listed": len(ov["error_rows"]) if ov["errors"] > len(ov["error_rows"]) else None,
    }


def interval(k: int, n: int) -> str:
    """The 95 % Wilson interval of ``k`` of ``n`` as the page prints it (``12–35%``)."""
    if not n:
        return "—"
    low, high = wilson_interval(k, n)
    return f"{100 * low:.0f}–{100 * high:.0f}%"


def category_figures(
    years: list[int],
    totals: dict[int, int],
    counts: dict[str, dict[int, int]],
    names: dict[str, str],
    colors: dict[str, str],
) -> dict[str, Any] | None:
    """The problem categories' figures (from :func:`category_shares`), None
    when there is nothing to count: the line chart's years, series and notes
    (the :data:`LINE_SERIES` most admitted categories, years with at least
    :data:`MIN_CHART_REPORTS` reports), and the table's rows, every category
    in taxonomy order, a share per year (its percentage and the cell's tint)."""
    if not years or not counts:
        return None
    overall = {c: sum(by_year.values()) for c, by_year in counts.items()}
    ranked = sorted(overall, key=lambda c: (-overall[c], list(names).index(c) if c in names else 99, c))
    top = ranked[:LINE_SERIES]
    charted = [y for y in years if totals[y] >= MIN_CHART_REPORTS] or years
    series = [
        (
            names.get(c, c),
            colors.get(c, PALETTE[-1]),
            [counts[c].get(y, 0) / totals[y] if totals[y] else None for y in charted],
        )
        for c in top
    ]
    all_n = sum(totals.values())
    rows = []
    for c in [k for k in names if k in counts] + [k for k in counts if k not in names]:
        cells = []
        for y in years:
            k, n = counts[c].get(y, 0), totals[y]
            alpha = 0.75 * k / n if n else 0
            cells.append(
                {"k": k, "n": n, "alpha": f"{alpha:.2f}", "percent": percent(k, n), "interval": interval(k, n)}
            )
        rows.append(
            {
                "category": c,
                "cells": cells,
                "percent": percent(overall[c], all_n),
                "interval": interval(overall[c], all_n),
            }
        )
    return {
        "drawn": len(top),
        "charted": charted,
        "series": series,
        "notes": [f"n={totals[y]}" for y in charted],
        "left_out": "、".join(str(y) for y in years if y not in charted),
        "years": years,
        "totals": [totals[y] for y in years],
        "all": all_n,
        "rows": rows,
    }


def check_bars(rule_rows: list[dict[str, Any]]) -> list[tuple[str, float, str]]:
    """The bar chart of failing rules: ``(rule, fails, tooltip)``, most fails first."""
    return [
        (r["rule"], r["fails"], f"{r['rule']}: {r['fails']} 次未通过，涉及 {r['reports']} 份报告")
        for r in rule_rows
        if r["fails"]
    ]


def _first_problem(embedded: dict[str, Report], report_id: str, category: str) -> tuple[Report, Finding] | None:
    """The embedded report and its first problem item of ``category``, to link to (None: no link)."""
    report = embedded.get(report_id)
    finding = report.first_finding(category=category) if report else None
    return (report, finding) if finding and report else None


def recurrence_figures(rows: list[dict[str, Any]], embedded: dict[str, Report]) -> list[dict[str, Any]]:
    """:func:`recurrences` with, for each year, the item to link to (when its text is embedded)."""
    return [
        {
            **r,
            "previous_link": _first_problem(embedded, r["previous"], r["category"]),
            "report_link": _first_problem(embedded, r["report"], r["category"]),
        }
        for r in rows
    ]


def reading_figures(quality: dict[str, Any], embedded: dict[str, Report]) -> dict[str, Any]:
    """How well the reports were read (:func:`textmine.corpus.quality.quality_data`)
    as the page shows it: verdict counts, one table per grouping, and the
    reports to look at, with their shares as percentages."""
    levels = level_names()
    groups = []
    for by, df in quality["by"].items():
        rows = []
        for r in df.to_dict("records"):
            value = r[by]
            name = "未知" if _missing(value) else (level_label(value, levels) if by == "level" else str(value))
            rows.append(
                {
                    "name": name,
                    "reports": r["reports"],
                    "good": r["good"],
                    "check": r["check"],
                    "poor": r["poor"],
                    "good_share": share_text(r["good_share"]),
                    "cell_share": share_text(r["cell_share"]),
                }
            )
        groups.append({"by": by, "title": READING_GROUP_NAMES[by], "rows": rows})
    to_check = [
        {
            "report": r["report"],
            "embedded": r["report"] in embedded,
            "verdict": r["verdict"],
            "verdict_name": VERDICT_NAMES.get(r["verdict"], r["verdict"]),
            "agency": r["agency"] or "",
            "file": str(r["source"]).rsplit("/", 1)[-1],
            "year": "" if _missing(r["year"]) else str(int(r["year"])),
            "format": r["format"] or "",
            "cell_share": share_text(r["cell_share"]),
            "reasons": "；".join(in_language(reason, "zh") for reason in r["reasons"]),
        }
        for r in quality["to_check"].to_dict("records")
    ]
    return {"overview": quality["overview"], "groups": groups, "to_check": to_check}


def report_table(rows: list[Report]) -> list[dict[str, Any]]:
    """The report table's rows: each report with its level's label, its
    categories and its failed rules, each with the finding to link to (or None)."""
    levels = level_names()
    return [
        {
            "report": r,
            "level": level_label(r.level, levels),
            "categories": [(c, r.first_finding(category=c)) for c in r.categories],
            "fail_rules": [(rule, r.first_finding(rule=rule)) for rule in r.fail_rules],
        }
        for r in rows
    ]


def text_spans(r: Report) -> list[tuple[int, int, str, int | None]]:
    """What the report's text marks: ``(start, end, css, finding)`` for each
    section title found where its offsets say (finding None) and each finding with offsets."""
    text = r.text or ""
    spans: list[tuple[int, int, str, int | None]] = []
    for _, title, start, _ in r.sections:
        if title and start is not None and text[start : start + len(title)] == title:
            spans.append((start, start + len(title), "sec", None))
    for f in r.findings:
        if f.start is not None and f.end is not None:
            spans.append((f.start, f.end, f.css, f.n))
    return spans


def doc_figures(r: Report) -> dict[str, Any]:
    """One embedded report in the viewer: its line of facts and its findings
    by kind (:data:`FINDING_GROUPS`), each with the detail the list shows (an
    item's text cut to 60 characters, a check's or a claim's message)."""
    meta = [
        v
        for v in (
            r.agency,
            r.region,
            r.year,
            f"发布 {r.published}" if r.published else None,
            f"版式 {r.layout}" if r.layout else None,
            r.source,
        )
        if v
    ]
    groups = []
    for kind, heading in FINDING_GROUPS:
        found = [f for f in r.findings if f.kind == kind]
        if not found:
            continue
        details = []
        for f in found:
            excerpt = f.text if len(f.text) <= 60 else f.text[:60] + "…"
            details.append((f, excerpt + f.corrected if kind in ("problem", "improvement") else f.message))
        groups.append({"heading": heading, "findings": details})
    return {"report": r, "text": r.text or "", "meta": meta, "groups": groups}
