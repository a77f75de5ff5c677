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
from ..messages import in_language
from .frames import is_missing, json_records
from .grouping import GROUP_NAMES, GROUPINGS
from .labels import column_names, phrase
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


def summary_csv(corpus: Any, *, by: str | None = None, category: str | None = None, lang: str = "en") -> str:
    """The main table as CSV: :func:`~textmine.corpus.summary.shares_table`
    (the category shares grouped ``by``, only ``category``'s rows when given),
    headers as column keys, or in Chinese with ``lang`` zh."""
    df = shares_table(corpus, by=by, category=category)
    if lang == "zh":  # in English the column keys, which scripts read
        df.columns = column_names([str(c) for c in df.columns], lang)
    buffer = io.StringIO()
    df.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


# --- terminal ----------------------------------------------------------------


def _pct(value: Any) -> str:
    return "—" if value is None or is_missing(value) else f"{100 * float(value):.0f}%"


def _interval(low: Any, high: Any) -> str:
    if low is None or is_missing(low):
        return "—"
    return f"{100 * float(low):.0f}–{100 * float(high):.0f}%"


def _pp(value: Any) -> str:
    return "—" if value is None or is_missing(value) else f"{float(value):+.1f}"


def _p(value: Any) -> str:
    if value is None or is_missing(value):
        return "—"
    return "<0.001" if value < 0.001 else f"{float(value):.3f}"


def _text(value: Any) -> str:
    return "—" if value is None or is_missing(value) else str(value)


def _table(title: str, heads: list[str], lang: str, right: tuple[str, ...] = ()) -> Any:
    """A rich table titled ``title`` with the columns ``heads`` (keys of
    ``summary.toml``'s columns) named in ``lang``; ``right``: right-aligned."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for key, name in zip(heads, column_names(heads, lang)):
        table.add_column(name, justify="right" if key in right else "left")
    return table


def render_summary(data: dict[str, Any], *, top: int | None = None, width: int = 140, lang: str = "en") -> str:
    """:func:`~textmine.corpus.summary.summary_data` as readable rich tables
    (plain text, no colour), in ``lang`` (en or zh).

    ``top`` limits the rows of every table (default: all categories, 10
    rows elsewhere)."""
    from rich.console import Console

    top = clamp_top(top)
    n = top or 10
    ov = data["overview"]
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, force_terminal=False, color_system=None, markup=False, emoji=False, highlight=False
    )
    about = data.get("about") or {}
    lens = [about.get("filter_zh" if lang == "zh" else "filter") or ""]
    if about.get("corrections"):
        applied, every, source = about["corrections_applied"], about["corrections"], about["corrections_from"]
        lens.append(phrase("corrections", lang, applied=applied, all=every, source=source))
    if any(lens):
        console.print(phrase("lens", lang, lens=" · ".join(x for x in lens if x)))
    years = f"{ov['first_year']}–{ov['last_year']}" if ov["first_year"] is not None else "—"
    console.print(
        phrase("overview", lang, counted=ov["counted"], duplicates=ov["duplicates"], errors=ov["errors"], years=years)
    )
    console.print(phrase("formats", lang, counts=_counts(ov["formats"])))
    console.print(phrase("levels", lang, counts=_counts(ov["levels"])))
    console.print(phrase("denominator", lang, n=ov["with_problems"], denominator=DENOMINATOR))
    console.print(_trend_table(data["trend"], top, lang))
    hidden = data["years"][~data["years"]["shown"]] if data.get("years") is not None else None
    if hidden is not None and not hidden.empty:
        listed = ", ".join(f"{_year(y)} ({r})" for y, r in zip(hidden["year"], hidden["reports"]))
        console.print(phrase("hidden_years", lang, min=about.get("min_reports", "?"), years=listed))
    console.print(phrase("intervals", lang))

    if data["by"] is not None:
        console.print(_by_table(data["by"], n, lang))
    console.print(_offenders_table(data["repeat_offenders"], n, lang))
    console.print(_rules_table(data["failing_rules"], n, lang))
    console.print(_rules_where_table(data["failing_rules_by"], data["failing_rules_by_key"], n, lang))
    if data.get("reading") is not None:
        for item in _reading_tables(data["reading"], n, lang):
            console.print(item)
    if data["category"] is not None:
        for item in _category_tables(data["category"], n, lang):
            console.print(item)
    return buffer.getvalue().rstrip("\n")


def _year(value: Any) -> str:
    return "—" if value is None or is_missing(value) else str(int(value))


def _trend_table(trend: pd.DataFrame, top: int | None, lang: str) -> Any:
    year_cols = [c for c in trend.columns if c.isdigit()][-8:]
    heads = ["category", "label", "admitting", "reports", "share", "interval", "trend_pp", "trend_p"]
    table = _table(phrase("trend_title", lang), heads, lang, right=tuple(heads[2:]))
    for y in year_cols:
        table.add_column(y, justify="right")
    for row in trend.head(top or len(trend)).to_dict("records"):
        table.add_row(
            row["category"],
            row["label"],
            str(row["admitting"]),
            str(row["reports"]),
            _pct(row["share"]),
            _interval(row["share_low"], row["share_high"]),
            _pp(row["trend_pp"]),
            _p(row["trend_p"]),
            *[_pct(row[y]) for y in year_cols],
        )
    return table


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "—"


def _group(key: str, lang: str) -> str:
    """A grouping's name (``agency_key`` → agency) in ``lang``."""
    return column_names([GROUP_NAMES.get(key, key)], lang)[0]


def _reading_tables(quality: dict[str, Any], n: int, lang: str) -> list[Any]:
    """The reading part of the summary as rich tables: verdicts by format,
    level and year, and the reports to look at."""
    from .quality import READING_GROUPS

    ov = quality["overview"]
    line = "\n" + phrase("reading", lang, good=ov["good"], check=ov["check"], poor=ov["poor"])
    out: list[Any] = [line + (phrase("not_assessed", lang, n=ov["not_assessed"]) if ov["not_assessed"] else "")]
    for by in READING_GROUPS:
        df = quality["by"][by]
        heads = [by, "reports", "good", "check", "poor", "good_share", "interval", "cell_share", "identities_fail"]
        table = _table(phrase("reading_by", lang, by=_group(by, lang)), heads, lang, right=tuple(heads[1:]))
        for row in df.head(max(n, 12)).to_dict("records"):
            table.add_row(
                _text(row[by]),
                str(row["reports"]),
                str(row["good"]),
                str(row["check"]),
                str(row["poor"]),
                _pct(row["good_share"]),
                _interval(row["good_share_low"], row["good_share_high"]),
                _pct(row["cell_share"]),
                str(row["identities_fail"]),
            )
        out.append(table)
    worst = quality["to_check"]
    heads = ["verdict", "source", "agency", "year", "cell_share", "why"]
    table = _table(phrase("to_check", lang, n=len(worst)), heads, lang)
    for row in worst.head(n).to_dict("records"):
        table.add_row(
            row["verdict"],
            str(row["source"]).rsplit("/", 1)[-1],
            str(row["agency"] or "—"),
            _text(None if is_missing(row["year"]) else int(row["year"])),
            _pct(row["cell_share"]),
            "; ".join(in_language(r, lang) for r in row["reasons"][:2]),
        )
    if worst.empty:
        table.add_row("—", phrase("read_well", lang), "", "", "", "")
    out.append(table)
    return out


def _group_name(row: dict[str, Any], key: str) -> str:
    if key == "agency_key":
        return _text(row.get("agency") or row.get("agency_key"))
    return _text(row.get(key))


def _by_table(df: pd.DataFrame, n: int, lang: str) -> Any:
    labels = taxonomy_labels()
    key = next(c for c in df.columns if c in GROUPINGS.values())
    table = _table(
        phrase("by_title", lang, name=_group(key, lang), n=n),
        [GROUP_NAMES[key], "reports", "most_admitted"],
        lang,
        ("reports",),
    )
    groups = df.groupby(key, dropna=False, sort=False)
    ordered = sorted(groups, key=lambda kv: -int(kv[1]["reports"].iloc[0]))[:n]
    for _, rows in ordered:
        first = rows.iloc[0].to_dict()
        admitted = rows[rows["admitting"] > 0].head(5)
        top = " · ".join(
            f"{labels.get(r.category, r.category)} {r.admitting} ({_pct(r.share)}, {_interval(r.share_low, r.share_high)})"
            for r in admitted.itertuples()
        )
        table.add_row(_group_name(first, key), str(first["reports"]), top or "—")
    return table


def _offenders_table(df: pd.DataFrame, n: int, lang: str) -> Any:
    heads = ["agency", "region", "category", "label", "years_range", "run"]
    table = _table(phrase("offenders", lang, n=len(df)), heads, lang, ("run",))
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


def _rules_table(df: pd.DataFrame, n: int, lang: str) -> Any:
    heads = ["rule", "fails", "runs", "fail_share", "interval", "reports_failing", "example"]
    table = _table(phrase("rules", lang), heads, lang, right=tuple(heads[1:6]))
    for row in df[df["fails"] > 0].head(n).to_dict("records"):
        table.add_row(
            row["rule"],
            str(row["fails"]),
            str(row["runs"]),
            _pct(row["fail_share"]),
            _interval(row["fail_share_low"], row["fail_share_high"]),
            f"{row['reports_failing']}/{row['reports']}",
            _example(row, lang),
        )
    if not (df["fails"] > 0).any():
        table.add_row(phrase("no_rule_fails", lang), "", "", "", "", "", "")
    return table


def _example(row: dict[str, Any], lang: str) -> str:
    source = str(row["example_source"]).rsplit("/", 1)[-1]
    scope = f" [{row['example_scope']}]" if row["example_scope"] and not is_missing(row["example_scope"]) else ""
    if row["example_lhs"] is not None and not is_missing(row["example_lhs"]):
        detail = f"{_num(row['example_lhs'])} ≠ {_num(row['example_rhs'])}"
    else:
        detail = in_language(_text(row["example_message"]), lang)
    cells = row["example_cells"] or []
    if cells == [row["example_scope"]]:
        cells = []
    more = f" ({', '.join(cells[:2])}{'…' if len(cells) > 2 else ''})" if cells else ""
    return f"{source}{scope}: {detail}{more}"


def _num(value: Any) -> str:
    if value is None or is_missing(value):
        return "—"
    return f"{float(value):g}"


def _rules_where_table(df: pd.DataFrame, key: str, n: int, lang: str) -> Any:
    failing = df[df["fails"] > 0].sort_values(["fails", "fail_share"], ascending=False, kind="stable")
    heads = [GROUP_NAMES[key], "rule", "fails", "runs", "fail_share", "interval", "reports_failing"]
    table = _table(phrase("rules_where", lang, name=_group(key, lang)), heads, lang, right=tuple(heads[2:]))
    for row in failing.head(n).to_dict("records"):
        table.add_row(
            _group_name(row, key),
            row["rule"],
            str(row["fails"]),
            str(row["runs"]),
            _pct(row["fail_share"]),
            _interval(row["fail_share_low"], row["fail_share_high"]),
            f"{row['reports_failing']}/{row['reports']}",
        )
    if failing.empty:
        table.add_row("—", phrase("no_rule_fails", lang), "", "", "", "", "")
    return table


def _category_tables(part: dict[str, Any], n: int, lang: str) -> list[Any]:
    out: list[Any] = []
    names = {"key": part["key"], "label": part["label"]}
    overall = part["overall"]
    if not overall.empty:
        row = overall.iloc[0]
        out.append(
            "\n"
            + phrase(
                "category_line",
                lang,
                **names,
                admitting=row["admitting"],
                reports=row["reports"],
                share=_pct(row["share"]),
                interval=_interval(row["share_low"], row["share_high"]),
                trend=_pp(row["trend_pp"]),
                p=_p(row["trend_p"]),
            )
        )
    heads = ["year", "admitting", "reports", "share", "interval"]
    years = _table(phrase("category_by_year", lang, **names), heads, lang, right=tuple(heads))
    for r in part["by_year"].to_dict("records"):
        years.add_row(
            _text(r["year"]),
            str(r["admitting"]),
            str(r["reports"]),
            _pct(r["share"]),
            _interval(r["share_low"], r["share_high"]),
        )
    out.append(years)
    if part["by"] is not None:
        df = part["by"]
        key = next(c for c in df.columns if c in GROUPINGS.values())
        heads = [GROUP_NAMES[key], "admitting", "reports", "share", "interval"]
        grouped = _table(
            phrase("category_by", lang, **names, name=_group(key, lang)), heads, lang, right=tuple(heads[1:])
        )
        ordered = df.sort_values(["share", "reports"], ascending=False, kind="stable")
        for r in ordered.head(n).to_dict("records"):
            grouped.add_row(
                _group_name(r, key),
                str(r["admitting"]),
                str(r["reports"]),
                _pct(r["share"]),
                _interval(r["share_low"], r["share_high"]),
            )
        out.append(grouped)
    quotes = _table(phrase("category_quotes", lang, **names), ["agency", "year", "quote", "source"], lang)
    for r in part["examples"].to_dict("records"):
        source = str(r["source"]).rsplit("/", 1)[-1]
        quotes.add_row(_text(r["agency"]), _text(r["year"]), r["quote"], f"{source} ({r['start']}–{r['end']})")
    if part["examples"].empty:
        quotes.add_row("—", "", phrase("nobody_admits", lang), "")
    out.append(quotes)
    if not part["repeat_offenders"].empty:
        out.append(_offenders_table(part["repeat_offenders"], n, lang))
    return out
