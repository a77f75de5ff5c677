"""What a corpus database says as a whole: recurring problems and failing checks.

Every figure is computed in SQL over the stored tables and returned as a
pandas DataFrame; :func:`render_summary` and :func:`summary_json` format them
for ``textmine summary``.  Two rules hold everywhere:

* Copies are skipped: a report with ``duplicate_of`` set is the same agency
  and year as another file, which is counted in its place.
* The denominator of a problem share is the reports that *answer* the
  question: non-duplicate reports whose section 五 (``problems``) was found,
  or that have at least one problem item.  A report whose section 五 says
  无 counts, admitting nothing; a report whose section 五 was not found is
  left out, since its silence says nothing.

>>> from textmine import corpus
>>> db = corpus.open("corpus.duckdb")               # doctest: +SKIP
>>> category_shares(db, by="year")                   # doctest: +SKIP
>>> repeat_offenders(db)                             # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from ..data.taxonomy import taxonomy_labels
from ..errors import TextmineError

if TYPE_CHECKING:
    import pandas as pd

# Groupings ``--by`` accepts: the column of ``reports`` each one groups by.
GROUPINGS: dict[str, str] = {"year": "year", "region": "region", "level": "level", "agency": "agency_key"}

# The column each grouping adds → the grouping's name, for titles.
_GROUP_NAMES: dict[str, str] = {column: name for name, column in GROUPINGS.items()}

# Administrative levels from the top down, for ordering (null last).
LEVEL_ORDER: tuple[str, ...] = (
    "ministry", "province", "province_dept", "city", "city_dept", "county", "county_dept", "township",
)

# Reports that answer "which problems?": see the module docstring.
DENOMINATOR = "non-duplicate reports whose section 五 (problems) was found or that list a problem item"

_ANSWERED = """
    answered AS (
        SELECT r.* FROM reports r
        WHERE r.duplicate_of IS NULL
          AND (EXISTS (SELECT 1 FROM sections s WHERE s.report = r.id AND s.key = 'problems')
               OR EXISTS (SELECT 1 FROM items i WHERE i.report = r.id AND i.kind = 'problem'))
    )"""

_CATEGORIES = """
    cats AS (SELECT unnest(c) AS category, generate_subscripts(c, 1) AS pos FROM (SELECT ?::VARCHAR[] AS c))"""


# A larger ``top`` than any table has rows means "every row"; beyond it a
# count would overflow DuckDB's 64-bit LIMIT (``--top 10**30``).
MAX_TOP = 2**31 - 1


def clamp_top(top: int | None) -> int | None:
    """``top`` as a row count DuckDB and pandas take: None (or 0) for the
    default, at most :data:`MAX_TOP`.  A negative count is a ValueError."""
    if not top:
        return None
    if top < 0:
        raise ValueError(f"top must be a positive number of rows, not {top}")
    return min(int(top), MAX_TOP)


class UnknownCategoryError(TextmineError, ValueError):
    """A category key that is not in the taxonomy."""

    stage = "summary"


def _con(corpus: Any) -> Any:
    """The DuckDB connection of a :class:`~textmine.corpus.api.Corpus`, or
    ``corpus`` itself when it already is one."""
    return getattr(corpus, "con", corpus)


def _source(corpus: Any) -> str | None:
    """The database file, for error messages (None for a bare connection)."""
    return getattr(corpus, "path", None)


def _df(con: Any, query: str, params: list[Any] | None = None) -> pd.DataFrame:
    return con.execute(query, params or []).df()


def _categories(con: Any) -> list[str]:
    """Taxonomy keys, then any other key the database holds (sorted)."""
    keys = list(taxonomy_labels())
    found = [row[0] for row in con.execute("SELECT DISTINCT category FROM problem_categories ORDER BY 1").fetchall()]
    return keys + [k for k in found if k not in keys]


def _group(by: str | None) -> str:
    if by is None:
        return "NULL"
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}; choose one of: {', '.join(GROUPINGS)}")
    return f"r.{GROUPINGS[by]}"


def _group_order(by: str | None, column: str) -> str:
    """ORDER BY terms for a group column: levels top-down, nulls last."""
    if by is None:
        return ""
    if by == "level":
        cases = " ".join(f"WHEN '{lv}' THEN {n}" for n, lv in enumerate(LEVEL_ORDER))
        return f"CASE {column} {cases} ELSE {len(LEVEL_ORDER)} END, {column} NULLS LAST, "
    return f"{column} NULLS LAST, "


def _finish_groups(df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """Rename ``grp`` to the grouping's column (``agency_key`` keeps the
    latest agency name beside it); drop it when not grouped."""
    if by is None:
        return df.drop(columns=["grp", "agency"], errors="ignore")
    df = df.rename(columns={"grp": GROUPINGS[by]})
    if by != "agency":
        df = df.drop(columns=["agency"], errors="ignore")
    return df


def _with_labels(df: pd.DataFrame, after: str = "category") -> pd.DataFrame:
    labels = taxonomy_labels()
    df.insert(df.columns.get_loc(after) + 1, "label", [labels.get(k, k) for k in df[after]])
    return df


def category_shares(corpus: Any, by: str | None = None) -> pd.DataFrame:
    """Per category (every taxonomy key, zeros included): the reports
    admitting it as a problem, the reports in the group, and the share.

    Parameters
    ----------
    corpus : Corpus or DuckDB connection
    by : None, "year", "region", "level" or "agency"
        Group the reports; ``agency`` groups by ``agency_key`` and adds the
        agency's latest name.

    Returns
    -------
    DataFrame with columns ``[group…,] category, label, admitting, reports,
    share`` (share in 0–1; denominator: :data:`DENOMINATOR`), ordered by
    group, then share (highest first), then taxonomy order.
    """
    con = _con(corpus)
    g = _group(by)
    df = _df(con, f"""
        WITH {_ANSWERED}, {_CATEGORIES},
        groups AS (SELECT {g} AS grp, count(*) AS reports, arg_max(r.agency, r.year) AS agency
                   FROM answered r GROUP BY ALL),
        admits AS (SELECT {g} AS grp, pc.category, count(*) AS admitting
                   FROM answered r JOIN problem_categories pc ON pc.report = r.id GROUP BY ALL)
        SELECT g.grp, g.agency, c.category, coalesce(a.admitting, 0)::BIGINT AS admitting, g.reports,
               coalesce(a.admitting, 0) / g.reports AS share
        FROM groups g CROSS JOIN cats c
        LEFT JOIN admits a ON a.grp IS NOT DISTINCT FROM g.grp AND a.category = c.category
        ORDER BY {_group_order(by, 'g.grp')} share DESC, c.pos
    """, [_categories(con)])
    return _with_labels(_finish_groups(df, by))


def category_trend(corpus: Any, min_reports: int = 3) -> pd.DataFrame:
    """Each category's share overall and by year, with its trend.

    The trend is the least-squares slope of the yearly share against the
    year, in percentage points per year, over the years with at least
    ``min_reports`` reports (only those years get a column; a trend needs
    two of them, else it is null).

    Returns
    -------
    DataFrame with columns ``category, label, admitting, reports, share,
    trend_pp, years`` (how many years the trend used) and one share column
    per year (``"2021"``, …), ordered by share (highest first).
    """
    con = _con(corpus)
    shares = f"""
        WITH {_ANSWERED}, {_CATEGORIES},
        per_year AS (SELECT year, count(*) AS reports FROM answered WHERE year IS NOT NULL
                     GROUP BY year HAVING count(*) >= ?),
        admits AS (SELECT r.year, pc.category, count(*) AS admitting
                   FROM answered r JOIN problem_categories pc ON pc.report = r.id GROUP BY ALL),
        shares AS (SELECT c.category, c.pos, y.year, coalesce(a.admitting, 0) / y.reports AS share
                   FROM per_year y CROSS JOIN cats c
                   LEFT JOIN admits a ON a.year = y.year AND a.category = c.category)"""
    params = [_categories(con), min_reports]
    yearly = _df(con, shares + " SELECT category, year, share FROM shares ORDER BY pos, year", params)
    trend = _df(con, shares + """
        SELECT category, CASE WHEN count(*) >= 2 THEN 100 * regr_slope(share, year) END AS trend_pp,
               count(*) AS years
        FROM shares GROUP BY category
    """, params)
    overall = category_shares(con)
    df = overall.merge(trend, on="category", how="left")
    df["years"] = df["years"].fillna(0).astype(int)
    if not yearly.empty:
        wide = yearly.pivot(index="category", columns="year", values="share")
        wide.columns = [str(int(y)) for y in wide.columns]
        df = df.merge(wide, left_on="category", right_index=True, how="left")
    return df.reset_index(drop=True)


def category_examples(corpus: Any, category: str, limit: int = 5, *, width: int = 80,
                      kind: str = "problem") -> pd.DataFrame:
    """Quotes of ``category``: items that admit it, with their sources.

    Items come from different agencies first (one per agency, newest year
    first), then more of each.  ``quote`` is the item's text cut to
    ``width`` characters; ``match`` the first pattern match that labelled
    it (null when only the model did); ``start``/``end`` are offsets in the
    report's text (:meth:`Corpus.text`).

    Raises
    ------
    UnknownCategoryError
        When ``category`` is not a taxonomy key nor in the database.
    """
    con = _con(corpus)
    known = _categories(con)
    if category not in known:
        raise UnknownCategoryError(_source(corpus), f"no category {category!r}; categories: {', '.join(known)}")
    limit = clamp_top(limit) or 0
    df = _df(con, """
        SELECT i.report, r.source, r.agency, r.region, r.level, r.year, i.kind, i.idx, i.start, i."end",
               i.text, i.evidence
        FROM items i JOIN reports r ON r.id = i.report
        WHERE r.duplicate_of IS NULL AND i.kind = ? AND list_contains(i.categories, ?)
        ORDER BY row_number() OVER (PARTITION BY coalesce(r.agency_key, r.id)
                                    ORDER BY r.year DESC NULLS LAST, r.source, i.idx),
                 r.year DESC NULLS LAST, r.source, i.idx
        LIMIT ?
    """, [kind, category, limit])
    df.insert(df.columns.get_loc("text"), "quote", [_shorten(t, width) for t in df["text"]])
    df["match"] = [_first_match(e, category) for e in df["evidence"]]
    return df.drop(columns=["text", "evidence"])


def _shorten(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _first_match(evidence: str | None, category: str) -> str | None:
    try:
        found = json.loads(evidence or "{}").get(category, [])
    except json.JSONDecodeError:
        return None
    return next((e["match"] for e in found if e.get("match")), None)


def repeat_offenders(corpus: Any, min_years: int = 2) -> pd.DataFrame:
    """Agencies that admit the same problem category in consecutive years.

    Built on the ``recurrences`` view (a category admitted again the year
    after): consecutive recurrences chain into one run.

    Returns
    -------
    DataFrame with columns ``agency_key, agency`` (latest name), ``region,
    level, category, label, first, last, run`` (years in the run, ≥ 2),
    ``years`` (list) and ``reports`` (their ids, oldest first), runs of at
    least ``min_years`` years, longest first.
    """
    con = _con(corpus)
    df = _df(con, """
        WITH rec AS (SELECT DISTINCT agency_key, category, year FROM recurrences),
        islands AS (SELECT *, year - row_number() OVER (PARTITION BY agency_key, category ORDER BY year) AS island
                    FROM rec),
        runs AS (SELECT agency_key, category, min(year) - 1 AS first, max(year) AS last
                 FROM islands GROUP BY agency_key, category, island)
        SELECT runs.agency_key, arg_max(r.agency, r.year) AS agency, arg_max(r.region, r.year) AS region,
               arg_max(r.level, r.year) AS level, runs.category, runs.first, runs.last,
               (runs.last - runs.first + 1)::BIGINT AS run,
               list(r.year ORDER BY r.year) AS years, list(r.id ORDER BY r.year) AS reports
        FROM runs JOIN reports r ON r.agency_key = runs.agency_key AND r.year BETWEEN runs.first AND runs.last
                                AND r.duplicate_of IS NULL
        GROUP BY ALL
        HAVING run >= ?
        ORDER BY run DESC, runs.last DESC, runs.agency_key, runs.category
    """, [min_years])
    for column in ("years", "reports"):
        df[column] = [list(v) for v in df[column]]
    return _with_labels(df).reset_index(drop=True)


def failing_rules(corpus: Any, by: str | None = None) -> pd.DataFrame:
    """Which check rules fail most, and where.

    Per rule (and group): ``fails``, ``passes``, ``skips``, ``runs``
    (pass + fail: a skip is not a run), ``fail_share`` (fails / runs, null
    without runs), ``reports`` (with any result of the rule) and
    ``reports_failing``, and one failing example (the first by source and
    scope): its report, source, scope, cells, left and right values and
    message.  Duplicate reports are skipped.  Ordered by group, fails
    (most first), fail share, rule.
    """
    con = _con(corpus)
    g = _group(by)
    df = _df(con, f"""
        WITH c AS (
            SELECT ch.*, {g} AS grp, r.agency, r.year AS report_year, r.source
            FROM checks ch JOIN reports r ON r.id = ch.report
            WHERE r.duplicate_of IS NULL
        ),
        agg AS (
            SELECT grp, arg_max(agency, report_year) AS agency, rule, min(severity) AS severity,
                   count(*) FILTER (WHERE status = 'fail') AS fails,
                   count(*) FILTER (WHERE status = 'pass') AS passes,
                   count(*) FILTER (WHERE status = 'skip') AS skips,
                   count(DISTINCT report) AS reports,
                   count(DISTINCT report) FILTER (WHERE status = 'fail') AS reports_failing
            FROM c GROUP BY grp, rule
        ),
        ex AS (
            SELECT grp, rule, report, source, scope, cells, lhs, rhs, message,
                   row_number() OVER (PARTITION BY grp, rule ORDER BY source, scope NULLS FIRST, report) AS n
            FROM c WHERE status = 'fail'
        )
        SELECT agg.grp, agg.agency, agg.rule, agg.severity, agg.fails, agg.passes, agg.skips,
               agg.fails + agg.passes AS runs,
               CASE WHEN agg.fails + agg.passes > 0 THEN agg.fails / (agg.fails + agg.passes) END AS fail_share,
               agg.reports, agg.reports_failing,
               ex.report AS example_report, ex.source AS example_source, ex.scope AS example_scope,
               ex.cells AS example_cells, ex.lhs AS example_lhs, ex.rhs AS example_rhs,
               ex.message AS example_message
        FROM agg LEFT JOIN ex ON ex.grp IS NOT DISTINCT FROM agg.grp AND ex.rule = agg.rule AND ex.n = 1
        ORDER BY {_group_order(by, 'agg.grp')} agg.fails DESC, fail_share DESC NULLS LAST, agg.rule
    """)
    df["example_cells"] = [None if v is None or _isna(v) else list(v) for v in df["example_cells"]]
    return _finish_groups(df, by).reset_index(drop=True)


def _isna(value: Any) -> bool:
    """A missing scalar (None, NaN, NA, NaT); never true of a list or array."""
    import pandas as pd

    if isinstance(value, (list, tuple, dict)) or getattr(value, "ndim", 0) > 0:
        return False
    return bool(pd.isna(value))


def corpus_overview(corpus: Any) -> pd.DataFrame:
    """One row: ``reports`` (files stored), ``duplicates``, ``counted``
    (reports minus duplicates), ``with_problems`` (the share denominator),
    ``errors`` (files that failed), ``first_year``/``last_year``, ``no_year``,
    and ``formats``/``levels``: dicts of counted reports per format and level
    (``null`` for reports whose level is unknown)."""
    import pandas as pd

    con = _con(corpus)
    df = _df(con, f"""
        WITH {_ANSWERED}
        SELECT count(*) AS reports,
               count(*) FILTER (WHERE duplicate_of IS NOT NULL) AS duplicates,
               count(*) FILTER (WHERE duplicate_of IS NULL) AS counted,
               (SELECT count(*) FROM answered) AS with_problems,
               (SELECT count(*) FROM errors) AS errors,
               min(year) FILTER (WHERE duplicate_of IS NULL) AS first_year,
               max(year) FILTER (WHERE duplicate_of IS NULL) AS last_year,
               count(*) FILTER (WHERE duplicate_of IS NULL AND year IS NULL) AS no_year
        FROM reports
    """)
    counts = {}
    for column in ("format", "level"):
        rows = con.execute(f"""
            SELECT coalesce({column}, 'null'), count(*) FROM reports WHERE duplicate_of IS NULL
            GROUP BY 1 ORDER BY 2 DESC, 1
        """).fetchall()
        counts[column + "s"] = dict(rows)
    row = {k: _plain(v) for k, v in df.iloc[0].items()}
    return pd.DataFrame([{**row, **counts}])


def _plain(value: Any) -> Any:
    """numpy scalars and missing values as plain Python (JSON-ready)."""
    if value is None or _isna(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


# --- output ------------------------------------------------------------------

def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (NaN → null, numpy → Python)."""
    out = []
    for row in df.to_dict("records"):
        out.append({str(k): _json_value(v) for k, v in row.items()})
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0):
        return [_json_value(v) for v in list(value)]
    return _plain(value)


def summary_data(corpus: Any, *, by: str | None = None, category: str | None = None,
                 top: int | None = None, min_reports: int = 3) -> dict[str, Any]:
    """Every part of the summary as DataFrames (and the overview as a dict).

    Keys: ``overview``, ``trend`` (overall shares with the trend and yearly
    shares), ``by`` (shares by the grouping, or None), ``repeat_offenders``,
    ``failing_rules``, ``failing_rules_by`` (by the grouping, default
    level), ``reading`` (how well the reports were read: verdicts by format,
    level and year, the reports to look at; :mod:`textmine.corpus.quality`),
    and with ``category`` a ``category`` dict: its ``by_year``
    shares, ``by`` group shares, ``examples`` and ``repeat_offenders``.
    ``top`` cuts the example list (default 5); the tables are whole.
    """
    from . import quality  # imports this module's helpers

    top = clamp_top(top)
    con = _con(corpus)
    if category is not None and category not in _categories(con):
        raise UnknownCategoryError(_source(corpus), f"no category {category!r}; categories: {', '.join(_categories(con))}")
    where = by or "level"
    data: dict[str, Any] = {
        "overview": _records(corpus_overview(con))[0],
        "trend": category_trend(con, min_reports=min_reports),
        "by": category_shares(con, by=by) if by else None,
        "repeat_offenders": repeat_offenders(con),
        "failing_rules": failing_rules(con),
        "failing_rules_by": failing_rules(con, by=where),
        "failing_rules_by_key": GROUPINGS[where],
        "reading": quality.quality_data(con, limit=max(top or 20, 20)),
        "category": None,
    }
    if category is not None:
        years = category_shares(con, by="year")
        grouped = data["by"] if by else None
        offenders = data["repeat_offenders"]
        data["category"] = {
            "key": category,
            "label": taxonomy_labels().get(category, category),
            "overall": data["trend"][data["trend"]["category"] == category].reset_index(drop=True),
            "by_year": years[years["category"] == category].reset_index(drop=True),
            "by": None if grouped is None else grouped[grouped["category"] == category].reset_index(drop=True),
            "examples": category_examples(con, category, limit=top or 5),
            "repeat_offenders": offenders[offenders["category"] == category].reset_index(drop=True),
        }
    return data


def summary_json(data: dict[str, Any]) -> str:
    """:func:`summary_data` as one JSON object (DataFrames as lists of records)."""
    def convert(value: Any) -> Any:
        if hasattr(value, "to_dict") and hasattr(value, "columns"):
            return _records(value)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        return value

    payload = {k: convert(v) for k, v in data.items() if k != "failing_rules_by_key"}
    payload["denominator"] = DENOMINATOR
    payload["failing_rules_by_key"] = data["failing_rules_by_key"]
    return json.dumps(payload, ensure_ascii=False, indent=1)


def summary_csv(corpus: Any, *, by: str | None = None, category: str | None = None) -> str:
    """The main table as CSV: :func:`category_shares` (grouped ``by``, only
    ``category``'s rows when given)."""
    con = _con(corpus)
    if category is not None and category not in _categories(con):
        raise UnknownCategoryError(_source(corpus), f"no category {category!r}; categories: {', '.join(_categories(con))}")
    df = category_shares(con, by=by)
    if category is not None:
        df = df[df["category"] == category]
    buffer = io.StringIO()
    df.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


# --- terminal ----------------------------------------------------------------

def _pct(value: Any) -> str:
    return "—" if value is None or _isna(value) else f"{100 * float(value):.0f}%"


def _pp(value: Any) -> str:
    return "—" if value is None or _isna(value) else f"{float(value):+.1f}"


def _text(value: Any) -> str:
    return "—" if value is None or _isna(value) else str(value)


def render_summary(data: dict[str, Any], *, top: int | None = None, width: int = 140) -> str:
    """:func:`summary_data` as readable rich tables (plain text, no colour).

    ``top`` limits the rows of every table (default: all categories, 10
    rows elsewhere)."""
    from rich.console import Console
    from rich.table import Table

    top = clamp_top(top)
    n = top or 10
    labels = taxonomy_labels()
    ov = data["overview"]
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None, markup=False,
                      emoji=False, highlight=False)
    years = f"{ov['first_year']}–{ov['last_year']}" if ov["first_year"] is not None else "no year"
    console.print(f"{ov['counted']} reports ({ov['duplicates']} duplicate files skipped, {ov['errors']} errors), "
                  f"{years}")
    console.print(f"  formats: {_counts(ov['formats'])}")
    console.print(f"  levels:  {_counts(ov['levels'])}")
    console.print(f"Shares of {ov['with_problems']} reports: {DENOMINATOR}.")

    trend = data["trend"]
    year_cols = [c for c in trend.columns if c.isdigit()][-8:]
    table = Table(title="Problems admitted — share of reports, by year, trend (pp/year)", title_justify="left")
    for head, justify in [("category", "left"), ("中文", "left"), ("admitting", "right"), ("share", "right"),
                          ("trend", "right"), *[(y, "right") for y in year_cols]]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for row in trend.head(top or len(trend)).to_dict("records"):
        table.add_row(row["category"], row["label"], str(row["admitting"]), _pct(row["share"]), _pp(row["trend_pp"]),
                      *[_pct(row[y]) for y in year_cols])
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
            table.add_row(_text(row[by]), str(row["reports"]), str(row["good"]), str(row["check"]), str(row["poor"]),
                          _pct(row["good_share"]), _pct(row["cell_share"]), str(row["identities_fail"]))
        out.append(table)
    worst = quality["to_check"]
    table = Table(title=f"Reports to look at first ({len(worst)} shown)", title_justify="left")
    for head in ("verdict", "source", "agency", "year", "cells read", "why"):
        table.add_column(head)
    for row in worst.head(n).to_dict("records"):
        table.add_row(row["verdict"], str(row["source"]).rsplit("/", 1)[-1], str(row["agency"] or "—"),
                      _text(None if _isna(row["year"]) else int(row["year"])),
                      _pct(row["cell_share"]), "; ".join(row["reasons"][:2]))
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
    name = _GROUP_NAMES[key]
    table = Table(title=f"By {name}: the categories most admitted (top {n} groups by reports)", title_justify="left")
    table.add_column(name)
    table.add_column("reports", justify="right")
    table.add_column("most admitted")
    groups = df.groupby(key, dropna=False, sort=False)
    ordered = sorted(groups, key=lambda kv: -int(kv[1]["reports"].iloc[0]))[:n]
    for _, rows in ordered:
        first = rows.iloc[0].to_dict()
        admitted = rows[rows["admitting"] > 0].head(5)
        top = " · ".join(f"{labels.get(r.category, r.category)} {r.admitting} ({_pct(r.share)})"
                         for r in admitted.itertuples())
        table.add_row(_group_name(first, key), str(first["reports"]), top or "—")
    return table


def _offenders_table(df: pd.DataFrame, n: int) -> Any:
    from rich.table import Table

    table = Table(title=f"Same problem year after year ({len(df)} runs)", title_justify="left")
    for head in ("agency", "region", "category", "中文", "years", "run"):
        table.add_column(head, justify="right" if head == "run" else "left")
    for row in df.head(n).to_dict("records"):
        table.add_row(_text(row["agency"]), _text(row["region"]), row["category"], row["label"],
                      f"{row['first']}–{row['last']}", str(row["run"]))
    if df.empty:
        table.add_row("—", "", "", "", "", "")
    return table


def _rules_table(df: pd.DataFrame, n: int) -> Any:
    from rich.table import Table

    table = Table(title="Checks: the rules that fail most (skips are not runs)", title_justify="left")
    for head, justify in [("rule", "left"), ("fails", "right"), ("runs", "right"), ("fail share", "right"),
                          ("reports failing", "right"), ("example", "left")]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for row in df[df["fails"] > 0].head(n).to_dict("records"):
        table.add_row(row["rule"], str(row["fails"]), str(row["runs"]), _pct(row["fail_share"]),
                      f"{row['reports_failing']}/{row['reports']}", _example(row))
    if not (df["fails"] > 0).any():
        table.add_row("no rule fails", "", "", "", "", "")
    return table


def _example(row: dict[str, Any]) -> str:
    source = str(row["example_source"]).rsplit("/", 1)[-1]
    scope = f" [{row['example_scope']}]" if row["example_scope"] and not _isna(row["example_scope"]) else ""
    if row["example_lhs"] is not None and not _isna(row["example_lhs"]):
        detail = f"{_num(row['example_lhs'])} ≠ {_num(row['example_rhs'])}"
    else:
        detail = _text(row["example_message"])
    cells = row["example_cells"] or []
    if cells == [row["example_scope"]]:
        cells = []
    more = f" ({', '.join(cells[:2])}{'…' if len(cells) > 2 else ''})" if cells else ""
    return f"{source}{scope}: {detail}{more}"


def _num(value: Any) -> str:
    if value is None or _isna(value):
        return "—"
    return f"{float(value):g}"


def _rules_where_table(df: pd.DataFrame, key: str, n: int) -> Any:
    from rich.table import Table

    failing = df[df["fails"] > 0].sort_values(["fails", "fail_share"], ascending=False, kind="stable")
    table = Table(title=f"Where they fail: by {_GROUP_NAMES[key]}", title_justify="left")
    for head, justify in [(_GROUP_NAMES[key], "left"), ("rule", "left"), ("fails", "right"), ("runs", "right"),
                          ("fail share", "right"), ("reports failing", "right")]:
        table.add_column(head, justify=justify)  # type: ignore[arg-type]
    for row in failing.head(n).to_dict("records"):
        table.add_row(_group_name(row, key), row["rule"], str(row["fails"]), str(row["runs"]),
                      _pct(row["fail_share"]), f"{row['reports_failing']}/{row['reports']}")
    if failing.empty:
        table.add_row("—", "no rule fails", "", "", "", "")
    return table


def _category_tables(part: dict[str, Any], n: int) -> list[Any]:
    from rich.table import Table

    out: list[Any] = []
    overall = part["overall"]
    if not overall.empty:
        row = overall.iloc[0]
        out.append(f"\n{part['key']} {part['label']}: admitted by {row['admitting']} of {row['reports']} reports "
                   f"({_pct(row['share'])}), trend {_pp(row['trend_pp'])} pp/year")
    years = Table(title=f"{part['key']} {part['label']} by year", title_justify="left")
    for head in ("year", "admitting", "reports", "share"):
        years.add_column(head, justify="right")
    for r in part["by_year"].to_dict("records"):
        years.add_row(_text(r["year"]), str(r["admitting"]), str(r["reports"]), _pct(r["share"]))
    out.append(years)
    if part["by"] is not None:
        df = part["by"]
        key = next(c for c in df.columns if c in GROUPINGS.values())
        grouped = Table(title=f"{part['key']} {part['label']} by {_GROUP_NAMES[key]}", title_justify="left")
        for head in (_GROUP_NAMES[key], "admitting", "reports", "share"):
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
