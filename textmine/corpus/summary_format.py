"""The corpus summary as ``textmine summary`` prints it: rich tables for the
terminal (plain text, no colour), one JSON object, or the main table as CSV.

The figures come from :mod:`textmine.corpus.summary`; this module only lays
them out.

>>> from textmine import corpus
>>> from textmine.corpus.summary import summary_data
>>> db = corpus.open("corpus.duckdb")                        # doctest: +SKIP
>>> print(render_summary(summary_data(db, by="level")))      # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from ..data.taxonomy import taxonomy_labels
from .frames import is_missing, json_records
from .grouping import GROUP_NAMES, GROUPINGS
from .summary import DENOMINATOR, clamp_top, shares_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_summary", "summary_csv", "summary_json"]


def summary_json(data: dict[str, Any]) -> str:
    """:func:`~textmine.corpus.summary.summary_data` as one JSON object (DataFrames as lists of records)."""

    def convert(value: Any) -> Any:
        if hasattr(value, "to_dict") and hasattr(value, "columns"):
            return json_records(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    payload = {k: convert(v) for k, v in data.items() if k != "failing_rules_by_key"}
    payload["denominator"] = DENOMINATOR
    payload["failing_rules_by_key"] = data["failing_rules_by_key"]
    return json.dumps(payload, ensure_ascii=False, indent=1)


def summary_csv(corpus: Any, *, by: str | None = None, category: str | None = None) -> str:
    """The main table as CSV: :func:`~textmine.corpus.summary.shares_table`
    (the category shares grouped ``by``, only ``category``'s rows when given)."""
    buffer = io.StringIO()
    shares_table(corpus, by=by, category=category).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


# --- terminal ----------------------------------------------------------------


def _pct(value: Any) -> str:
    return "—" if value is None or is_missing(value) else f"{100 * float(value):.0f}%"


def _pp(value: Any) -> str:
    return "—" if value is None or is_missing(value) else f"{float(value):+.1f}"


def _text(value: Any) -> str:
    return "—" if value is None or is_missing(value) else str(value)


def render_summary(data: dict[str, Any], *, top: int | None = None, width: int = 140) -> str:
    """:func:`~textmine.corpus.summary.summary_data` as readable rich tables (plain text, no colour).

    ``top`` limits the rows of every table (default: all categories, 10
    rows elsewhere)."""
    from rich.console import Console
    from rich.table import Table

    top = clamp_top(top)
    n = top or 10
    labels = taxonomy_labels()
    ov = data["overview"]
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=False, color_system=None, markup=False, emoji=False, highlight=False
    )
    years = f"{ov['first_year']}–{ov['last_year']}" if ov["first_year"] is not None else "no year"
    console.print(
        f"{ov['counted']} reports ({ov['duplicates']} duplicate files skipped, {ov['errors']} errors), {years}"
    )
    console.print(f"  formats: {_counts(ov['formats'])}")
    console.print(f"  levels:  {_counts(ov['levels'])}")
    console.print(f"Shares of {ov['with_problems']} reports: {DENOMINATOR}.")

    trend = data["trend"]
    year_cols = [c for c in trend.columns if c.isdigit()][-8:]
    table = Table(title="Problems admitted — share of reports, by year, trend (pp/year)", title_justify="left")
    for head, justify in [
        ("category", "left"),
        ("中文", "left"),
        ("admitting", "right"),
        ("share", "right"),
        ("trend", "right"),
        *[(y, "right") for y in year_cols],
    ]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for row in trend.head(top or len(trend)).to_dict("records"):
        table.add_row(
            row["category"],
            row["label"],
            str(row["admitting"]),
            _pct(row["share"]),
            _pp(row["trend_pp"]),
            *[_pct(row[y]) for y in year_cols],
        )
    console.print(table)

    if data["by"] is not None:
        console.print(_by_table(data["by"], n, labels))

    console.print(_offenders_table(data["repeat_offenders"], n))
    console.print(_rules_table(data["failing_rules"], n))
    console.print(_rules_where_table(data["failing_rules_by"], data["failing_rules_by_key"], n))
    if data.get("reading") is not None:
        for item in _reading_tables(data["reading"], n):
            console.print(item)

    if data["category"] is not None:
        for item in _category_tables(data["category"], n):
            console.print(item)
    return buffer.getvalue().rstrip("\n")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "—"


def _reading_tables(quality: dict[str, Any], n: int) -> list[Any]:
    """The reading part of the summary as rich tables: verdicts by format,
    level and year, and the reports to look at."""
    from rich.table import Table

    from .quality import READING_GROUPS

    ov = quality["overview"]
    out: list[Any] = [
        f"\nReading: {ov['good']} good, {ov['check']} to check, {ov['poor']} poor"
        + (f", {ov['not_assessed']} not assessed (tagged before reading was recorded)" if ov["not_assessed"] else "")
    ]
    for by in READING_GROUPS:
        df = quality["by"][by]
        table = Table(title=f"Reading quality by {by}", title_justify="left")
        for head in (by, "reports", "good", "check", "poor", "good share", "cells read", "identities failing"):
            table.add_column(head, justify="left" if head == by else "right")
        for row in df.head(max(n, 12)).to_dict("records"):
            table.add_row(
                _text(row[by]),
                str(row["reports"]),
                str(row["good"]),
                str(row["check"]),
                str(row["poor"]),
                _pct(row["good_share"]),
                _pct(row["cell_share"]),
                str(row["identities_fail"]),
            )
        out.append(table)
    worst = quality["to_check"]
    table = Table(title=f"Reports to look at first ({len(worst)} shown)", title_justify="left")
    for head in ("verdict", "source", "agency", "year", "cells read", "why"):
        table.add_column(head)
    for row in worst.head(n).to_dict("records"):
        table.add_row(
            row["verdict"],
            str(row["source"]).rsplit("/", 1)[-1],
            str(row["agency"] or "—"),
            _text(None if is_missing(row["year"]) else int(row["year"])),
            _pct(row["cell_share"]),
            "; ".join(row["reasons"][:2]),
        )
    if worst.empty:
        table.add_row("—", "every report was read well", "", "", "", "")
    out.append(table)
    return out


def _group_name(row: dict[str, Any], key: str) -> str:
    if key == "agency_key":
        return _text(row.get("agency") or row.get("agency_key"))
    return _text(row.get(key))


def _by_table(df: pd.DataFrame, n: int, labels: dict[str, str]) -> Any:
    from rich.table import Table

    key = next(c for c in df.columns if c in GROUPINGS.values())
    name = GROUP_NAMES[key]
    table = Table(title=f"By {name}: the categories most admitted (top {n} groups by reports)", title_justify="left")
    table.add_column(name)
    table.add_column("reports", justify="right")
    table.add_column("most admitted")
    groups = df.groupby(key, dropna=False, sort=False)
    ordered = sorted(groups, key=lambda kv: -int(kv[1]["reports"].iloc[0]))[:n]
    for _, rows in ordered:
        first = rows.iloc[0].to_dict()
        admitted = rows[rows["admitting"] > 0].head(5)
        top = " · ".join(
            f"{labels.get(r.category, r.category)} {r.admitting} ({_pct(r.share)})" for r in admitted.itertuples()
        )
        table.add_row(_group_name(first, key), str(first["reports"]), top or "—")
    return table


def _offenders_table(df: pd.DataFrame, n: int) -> Any:
    from rich.table import Table

    table = Table(title=f"Same problem year after year ({len(df)} runs)", title_justify="left")
    for head in ("agency", "region", "category", "中文", "years", "run"):
        table.add_column(head, justify="right" if head == "run" else "left")
    for row in df.head(n).to_dict("records"):
        table.add_row(
            _text(row["agency"]),
            _text(row["region"]),
            row["category"],
            row["label"],
            f"{row['first']}–{row['last']}",
            str(row["run"]),
        )
    if df.empty:
        table.add_row("—", "", "", "", "", "")
    return table


def _rules_table(df: pd.DataFrame, n: int) -> Any:
    from rich.table import Table

    table = Table(title="Checks: the rules that fail most (skips are not runs)", title_justify="left")
    for head, justify in [
        ("rule", "left"),
        ("fails", "right"),
        ("runs", "right"),
        ("fail share", "right"),
        ("reports failing", "right"),
        ("example", "left"),
    ]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for row in df[df["fails"] > 0].head(n).to_dict("records"):
        table.add_row(
            row["rule"],
            str(row["fails"]),
            str(row["runs"]),
            _pct(row["fail_share"]),
            f"{row['reports_failing']}/{row['reports']}",
            _example(row),
        )
    if not (df["fails"] > 0).any():
        table.add_row("no rule fails", "", "", "", "", "")
    return table


def _example(row: dict[str, Any]) -> str:
    source = str(row["example_source"]).rsplit("/", 1)[-1]
    scope = f" [{row['example_scope']}]" if row["example_scope"] and not is_missing(row["example_scope"]) else ""
    if row["example_lhs"] is not None and not is_missing(row["example_lhs"]):
        detail = f"{_num(row['example_lhs'])} ≠ {_num(row['example_rhs'])}"
    else:
        detail = _text(row["example_message"])
    cells = row["example_cells"] or []
    if cells == [row["example_scope"]]:
        cells = []
    more = f" ({', '.join(cells[:2])}{'…' if len(cells) > 2 else ''})" if cells else ""
    return f"{source}{scope}: {detail}{more}"


def _num(value: Any) -> str:
    if value is None or is_missing(value):
        return "—"
    return f"{float(value):g}"


def _rules_where_table(df: pd.DataFrame, key: str, n: int) -> Any:
    from rich.table import Table

    failing = df[df["fails"] > 0].sort_values(["fails", "fail_share"], ascending=False, kind="stable")
    table = Table(title=f"Where they fail: by {GROUP_NAMES[key]}", title_justify="left")
    for head, justify in [
        (GROUP_NAMES[key], "left"),
        ("rule", "left"),
        ("fails", "right"),
        ("runs", "right"),
        ("fail share", "right"),
        ("reports failing", "right"),
    ]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for row in failing.head(n).to_dict("records"):
        table.add_row(
            _group_name(row, key),
            row["rule"],
            str(row["fails"]),
            str(row["runs"]),
            _pct(row["fail_share"]),
            f"{row['reports_failing']}/{row['reports']}",
        )
    if failing.empty:
        table.add_row("—", "no rule fails", "", "", "", "")
    return table


def _category_tables(part: dict[str, Any], n: int) -> list[Any]:
    from rich.table import Table

    out: list[Any] = []
    overall = part["overall"]
    if not overall.empty:
        row = overall.iloc[0]
        out.append(
            f"\n{part['key']} {part['label']}: admitted by {row['admitting']} of {row['reports']} reports "
            f"({_pct(row['share'])}), trend {_pp(row['trend_pp'])} pp/year"
        )
    years = Table(title=f"{part['key']} {part['label']} by year", title_justify="left")
    for head in ("year", "admitting", "reports", "share"):
        years.add_column(head, justify="right")
    for r in part["by_year"].to_dict("records"):
        years.add_row(_text(r["year"]), str(r["admitting"]), str(r["reports"]), _pct(r["share"]))
    out.append(years)
    if part["by"] is not None:
        df = part["by"]
        key = next(c for c in df.columns if c in GROUPINGS.values())
        grouped = Table(title=f"{part['key']} {part['label']} by {GROUP_NAMES[key]}", title_justify="left")
        for head in (GROUP_NAMES[key], "admitting", "reports", "share"):
            grouped.add_column(head, justify="right" if head in ("admitting", "reports", "share") else "left")
        ordered = df.sort_values(["share", "reports"], ascending=False, kind="stable")
        for r in ordered.head(n).to_dict("records"):
            grouped.add_row(_group_name(r, key), str(r["admitting"]), str(r["reports"]), _pct(r["share"]))
        out.append(grouped)
    quotes = Table(title=f"{part['key']} {part['label']}: what reports say", title_justify="left")
    for head in ("agency", "year", "quote", "source (offsets)"):
        quotes.add_column(head)
    for r in part["examples"].to_dict("records"):
        source = str(r["source"]).rsplit("/", 1)[-1]
        quotes.add_row(_text(r["agency"]), _text(r["year"]), r["quote"], f"{source} ({r['start']}–{r['end']})")
    if part["examples"].empty:
        quotes.add_row("—", "", "no report admits it", "")
    out.append(quotes)
    if not part["repeat_offenders"].empty:
        out.append(_offenders_table(part["repeat_offenders"], n))
    return out
