"""textmine.corpus.summary and summary_format: every figure against a plain-pandas recomputation.

Two databases: the sample corpus (plus the series corpus when present) tagged
once per module, whose figures are recomputed in pandas from the stored
tables; and a hand-made one whose answers are known in advance (duplicates,
a report without section 五, runs with a gap, a rule that only skips).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from textmine.cli import main
from textmine.corpus import open as open_corpus
from textmine.corpus.schema import COLUMNS
from textmine.corpus.store import CorpusDatabaseError, connect, insert_rows
from textmine.corpus.summary import (
    MAX_TOP,
    UnknownCategoryError,
    category_examples,
    category_shares,
    category_trend,
    corpus_overview,
    failing_rules,
    repeat_offenders,
    summary_data,
)
from textmine.corpus.summary_format import render_summary, summary_json
from textmine.data.taxonomy import taxonomy_labels

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "reports"
SERIES = ROOT / "corpora" / "series" / "reports"
SERIES_FILES = 60


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from textmine.corpus import tag

    path = tmp_path_factory.mktemp("summary") / "corpus.duckdb"
    # The series corpus (same agencies over several years), when generated: its
    # first files by name, so the module stays fast on a large one.
    series = sorted(p for p in SERIES.iterdir() if p.is_file())[:SERIES_FILES] if SERIES.is_dir() else []
    inputs = [SAMPLE, *series]
    result = tag(inputs, path, workers=1)
    assert result.tagged > 0 and result.errors == 0, result
    return path


@pytest.fixture(scope="module")
def corpus(db: Path):
    with open_corpus(db) as c:
        yield c


@pytest.fixture(scope="module")
def tables(corpus) -> dict[str, pd.DataFrame]:
    return {name: corpus.table(name) for name in ("reports", "sections", "items", "checks")}


# --- the recomputation, in plain pandas ---------------------------------------


def _key(value):
    """Group keys comparable across pandas and DuckDB: NaN/None → None, floats of years → int."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


def _answered(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    reports = t["reports"][t["reports"]["duplicate_of"].isna()]
    with_section = set(t["sections"].loc[t["sections"]["key"] == "problems", "report"])
    with_items = set(t["items"].loc[t["items"]["kind"] == "problem", "report"])
    return reports[reports["id"].isin(with_section | with_items)]


def _admitted(t: dict[str, pd.DataFrame]) -> set[tuple[str, str]]:
    """(report, category) pairs: the report lists a problem item of the category."""
    problems = t["items"][t["items"]["kind"] == "problem"]
    return {(report, cat) for report, cats in zip(problems["report"], problems["categories"]) for cat in cats}


def _expected_shares(t: dict[str, pd.DataFrame], column: str | None) -> dict[tuple, tuple[int, int]]:
    answered = _answered(t)
    admitted = _admitted(t)
    categories = list(taxonomy_labels()) + sorted({c for _, c in admitted} - set(taxonomy_labels()))
    groups = [(None, answered)] if column is None else answered.groupby(column, dropna=False)
    expected = {}
    for group, rows in groups:
        for cat in categories:
            n = sum((rid, cat) in admitted for rid in rows["id"])
            expected[(_key(group), cat)] = (n, len(rows))
    return expected


@pytest.mark.parametrize(
    "by,column", [(None, None), ("year", "year"), ("level", "level"), ("region", "region"), ("agency", "agency_key")]
)
def test_category_shares_equal_pandas(corpus, tables, by, column) -> None:
    df = category_shares(corpus, by=by)
    expected = _expected_shares(tables, column)
    got = {}
    for row in df.to_dict("records"):
        key = (None if column is None else _key(row[column]), row["category"])
        assert key not in got, f"row {key} twice"
        got[key] = (row["admitting"], row["reports"])
        assert row["share"] == pytest.approx(row["admitting"] / row["reports"])
        assert row["label"] == taxonomy_labels().get(row["category"], row["category"])
    assert got == expected


def test_category_shares_include_every_category(corpus) -> None:
    df = category_shares(corpus)
    assert list(taxonomy_labels()) == [k for k in taxonomy_labels() if k in set(df["category"])]
    assert len(df) == len(set(df["category"]))
    assert list(df["share"]) == sorted(df["share"], reverse=True)


def test_category_trend_equals_least_squares(corpus, tables) -> None:
    min_reports = 2
    df = category_trend(corpus, min_reports=min_reports)
    answered = _answered(tables)
    admitted = _admitted(tables)
    sizes = answered.groupby("year").size()
    years = sorted(int(y) for y, n in sizes.items() if n >= min_reports)
    assert [c for c in df.columns if c.isdigit()] == [str(y) for y in years]
    assert list(df["share"]) == sorted(df["share"], reverse=True)
    for row in df.to_dict("records"):
        shares = []
        for year in years:
            ids = answered.loc[answered["year"] == year, "id"]
            shares.append(sum((rid, row["category"]) in admitted for rid in ids) / len(ids))
            assert row[str(year)] == pytest.approx(shares[-1])
        assert row["years"] == len(years)
        if len(years) >= 2:
            assert row["trend_pp"] == pytest.approx(100 * np.polyfit(years, shares, 1)[0], abs=1e-9)
        else:
            assert pd.isna(row["trend_pp"])


def _expected_rules(t: dict[str, pd.DataFrame], column: str | None) -> dict[tuple, dict]:
    reports = t["reports"][t["reports"]["duplicate_of"].isna()]
    checks = t["checks"].merge(reports, left_on="report", right_on="id", suffixes=("", "_r"))
    keys = ["rule"] if column is None else [column, "rule"]
    expected = {}
    for key, rows in checks.groupby(keys, dropna=False):
        key = (None, key[0]) if column is None else (_key(key[0]), key[1])
        fails = int((rows["status"] == "fail").sum())
        passes = int((rows["status"] == "pass").sum())
        expected[key] = {
            "fails": fails,
            "passes": passes,
            "skips": int((rows["status"] == "skip").sum()),
            "runs": fails + passes,
            "fail_share": fails / (fails + passes) if fails + passes else None,
            "reports": rows["report"].nunique(),
            "reports_failing": rows.loc[rows["status"] == "fail", "report"].nunique(),
            "first_failing_source": min(rows.loc[rows["status"] == "fail", "source"], default=None),
            "failing": {
                (r, s)
                for r, s in zip(
                    rows.loc[rows["status"] == "fail", "report"], rows.loc[rows["status"] == "fail", "scope"]
                )
            },
        }
    return expected


@pytest.mark.parametrize("by,column", [(None, None), ("level", "level"), ("year", "year"), ("region", "region")])
def test_failing_rules_equal_pandas(corpus, tables, by, column) -> None:
    df = failing_rules(corpus, by=by)
    expected = _expected_rules(tables, column)
    assert len(df) == len(expected)
    for row in df.to_dict("records"):
        want = expected[(None if column is None else _key(row[column]), row["rule"])]
        for field in ("fails", "passes", "skips", "runs", "reports", "reports_failing"):
            assert row[field] == want[field], (row["rule"], field)
        if want["fail_share"] is None:
            assert pd.isna(row["fail_share"])
        else:
            assert row["fail_share"] == pytest.approx(want["fail_share"])
        if want["fails"]:
            assert row["example_source"] == want["first_failing_source"]
            assert (row["example_report"], row["example_scope"]) in want["failing"]
        else:
            assert pd.isna(row["example_report"])
    if by is None:
        assert list(df["fails"]) == sorted(df["fails"], reverse=True)


def _expected_runs(t: dict[str, pd.DataFrame]) -> set[tuple]:
    """Runs of consecutive years in which one agency admits one category."""
    reports = t["reports"][
        t["reports"]["duplicate_of"].isna() & t["reports"]["agency_key"].notna() & t["reports"]["year"].notna()
    ]
    admitted = _admitted(t)
    years: dict[tuple[str, str], set[int]] = {}
    for rid, key, year in zip(reports["id"], reports["agency_key"], reports["year"]):
        for report, cat in admitted:
            if report == rid:
                years.setdefault((key, cat), set()).add(int(year))
    runs = set()
    for (key, cat), ys in years.items():
        ordered = sorted(ys)
        start = prev = ordered[0]
        for y in [*ordered[1:], None]:
            if y is not None and y == prev + 1:
                prev = y
                continue
            if prev > start:
                runs.add((key, cat, start, prev, prev - start + 1))
            if y is not None:
                start = prev = y
    return runs


def test_repeat_offenders_equal_pandas(corpus, tables) -> None:
    df = repeat_offenders(corpus)
    got = {(r["agency_key"], r["category"], r["first"], r["last"], r["run"]) for r in df.to_dict("records")}
    assert len(got) == len(df)
    assert got == _expected_runs(tables)
    for row in df.to_dict("records"):
        assert row["years"] == list(range(row["first"], row["last"] + 1))
        assert len(row["reports"]) == row["run"]
    assert list(df["run"]) == sorted(df["run"], reverse=True)
    longest = int(df["run"].max()) if len(df) else 2
    assert repeat_offenders(corpus, min_years=longest + 1).empty


def test_overview_counts(corpus, tables) -> None:
    ov = corpus_overview(corpus).iloc[0]
    reports = tables["reports"]
    counted = reports[reports["duplicate_of"].isna()]
    assert ov["reports"] == len(reports)
    assert ov["duplicates"] == reports["duplicate_of"].notna().sum()
    assert ov["counted"] == len(counted)
    assert ov["with_problems"] == len(_answered(tables))
    assert ov["first_year"] == counted["year"].min() and ov["last_year"] == counted["year"].max()
    assert ov["formats"] == counted["format"].value_counts().to_dict()
    assert sum(ov["levels"].values()) == len(counted)


def test_examples_quote_their_sources(corpus) -> None:
    top = category_shares(corpus).iloc[0]["category"]
    df = category_examples(corpus, top, limit=3, width=30)
    assert 0 < len(df) <= 3
    for row in df.to_dict("records"):
        assert len(row["quote"]) <= 30
        text = corpus.text(row["report"])
        assert " ".join(text[row["start"] : row["end"]].split()).startswith(row["quote"].rstrip("…"))
        assert row["source"] in set(corpus.reports["source"])
        assert (
            top
            in corpus.sql(
                "SELECT categories FROM items WHERE report = ? AND idx = ? AND kind = 'problem'",
                [row["report"], row["idx"]],
            ).iloc[0]["categories"]
        )
    with pytest.raises(UnknownCategoryError, match="no category 'nope'"):
        category_examples(corpus, "nope")


def test_unknown_grouping(corpus) -> None:
    with pytest.raises(ValueError, match="cannot group by 'province'"):
        category_shares(corpus, by="province")


# --- a hand-made database with known answers -----------------------------------


def _insert(con, table: str, rows: list[dict]) -> None:
    insert_rows(con, table, [tuple(row.get(c) for c in COLUMNS[table]) for row in rows])


@pytest.fixture(scope="module")
def handmade(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("handmade") / "known.duckdb"
    con = connect(path)
    reports, sections, items, checks = [], [], [], []

    def report(rid, key, year, level, region, problems, section=True, duplicate_of=None):
        reports.append(
            {
                "id": rid,
                "sha256": rid * 4,
                "source": f"{rid}.txt",
                "format": "txt",
                "agency": key + "局",
                "agency_key": key,
                "region": region,
                "level": level,
                "year": year,
                "duplicate_of": duplicate_of,
            }
        )
        sections.append({"report": rid, "key": "overview", "title": "一、总体情况", "start": 0, "end": 10})
        if section:
            sections.append({"report": rid, "key": "problems", "title": "五、存在的主要问题", "start": 10, "end": 90})
        for n, cats in enumerate(problems):
            items.append(
                {
                    "report": rid,
                    "kind": "problem",
                    "idx": n,
                    "text": f"{'一二三'[n]}是问题{'、'.join(cats)}。",
                    "start": 20 + 10 * n,
                    "end": 29 + 10 * n,
                    "categories": cats,
                    "evidence": "{}",
                }
            )
        items.append(
            {
                "report": rid,
                "kind": "improvement",
                "idx": 0,
                "text": "加强培训。",
                "start": 80,
                "end": 85,
                "categories": ["capacity"],
                "evidence": "{}",
            }
        )

    report("a2019", "A", 2019, "county", "R1", [["timeliness", "review"]])
    report("a2020", "A", 2020, "county", "R1", [["timeliness"]])
    report("a2020copy", "A", 2020, "county", "R1", [["awareness"]], duplicate_of="a2020")
    report("a2021", "A", 2021, "county", "R1", [["timeliness"], ["review"]])
    report("a2023", "A", 2023, "county", "R1", [["review"]])
    report("b2020", "B", 2020, "city", "R2", [["review"]])
    report("b2021", "B", 2021, "city", "R2", [["review", "platforms"]])
    report("b2022", "B", 2022, "city", "R2", [])  # section 五 says 无: counted, admits nothing
    report("c2021", "C", 2021, None, None, [], section=False)  # section 五 not found: not counted

    def check(rid, rule, status, scope="total"):
        checks.append(
            {
                "report": rid,
                "rule": rule,
                "scope": scope,
                "status": status,
                "severity": "error",
                "lhs": 3.0,
                "rhs": 4.0 if status == "fail" else 3.0,
                "cells": ["t3.a.total"],
                "message": f"{rule} {status}",
            }
        )

    check("a2019", "t3.identity", "fail")
    check("a2019", "t3.identity", "pass", "natural_person")
    check("a2020", "t3.identity", "pass")
    check("a2020copy", "t3.identity", "fail")
    check("b2020", "t3.identity", "fail")
    check("b2020", "doc.year", "skip")
    for table, rows in (("reports", reports), ("sections", sections), ("items", items), ("checks", checks)):
        _insert(con, table, rows)
    con.close()
    return path


def test_handmade_shares(handmade: Path) -> None:
    with open_corpus(handmade) as c:
        df = category_shares(c).set_index("category")
        assert df.loc["timeliness", ["admitting", "reports"]].tolist() == [3, 7]
        assert df.loc["review", ["admitting", "reports"]].tolist() == [5, 7]
        assert df.loc["awareness", "admitting"] == 0  # only the duplicate admits it
        assert df.loc["capacity", "admitting"] == 0  # an improvement is not an admission
        assert len(df) == len(taxonomy_labels())
        by_year = category_shares(c, by="year")
        sizes = by_year.groupby("year")["reports"].first().to_dict()
        assert sizes == {2019: 1, 2020: 2, 2021: 2, 2022: 1, 2023: 1}
        by_level = category_shares(c, by="level")
        assert list(dict.fromkeys(by_level["level"])) == ["city", "county"]  # top-down order
        trend = category_trend(c, min_reports=2).set_index("category")
        assert trend.loc["review", ["2020", "2021"]].tolist() == [0.5, 1.0]
        assert trend.loc["review", "trend_pp"] == pytest.approx(50.0)


def test_handmade_repeat_offenders(handmade: Path) -> None:
    with open_corpus(handmade) as c:
        df = repeat_offenders(c)
    rows = [(r["agency_key"], r["category"], r["years"], r["run"], r["reports"]) for r in df.to_dict("records")]
    assert rows == [
        ("A", "timeliness", [2019, 2020, 2021], 3, ["a2019", "a2020", "a2021"]),
        ("B", "review", [2020, 2021], 2, ["b2020", "b2021"]),
    ]


def test_handmade_failing_rules(handmade: Path) -> None:
    with open_corpus(handmade) as c:
        df = failing_rules(c).set_index("rule")
        ov = corpus_overview(c).iloc[0]
    row = df.loc["t3.identity"]
    assert (row["fails"], row["passes"], row["runs"], row["reports"], row["reports_failing"]) == (2, 2, 4, 3, 2)
    assert row["fail_share"] == 0.5
    assert (row["example_report"], row["example_scope"], row["example_cells"]) == ("a2019", "total", ["t3.a.total"])
    assert df.loc["doc.year", "runs"] == 0 and pd.isna(df.loc["doc.year", "fail_share"])
    assert list(df.index) == ["t3.identity", "doc.year"]
    assert (ov["reports"], ov["duplicates"], ov["counted"], ov["with_problems"]) == (9, 1, 8, 7)
    assert ov["levels"] == {"county": 4, "city": 3, "null": 1}


# --- the command ------------------------------------------------------------------


def _run(*args: str):
    return CliRunner().invoke(main, ["summary", *args])


def test_cli_terminal(db: Path, corpus) -> None:
    result = _run(str(db))
    assert result.exit_code == 0, result.output
    top = category_shares(corpus).iloc[0]
    for text in (
        "Problems admitted",
        top["category"],
        top["label"],
        "Same problem year after year",
        "the rules that fail most",
        "Where they fail: by level",
    ):
        assert text in result.output
    assert "section 五" in result.output.splitlines()[3]


def test_cli_by_and_category(db: Path, corpus) -> None:
    top = category_shares(corpus).iloc[0]["category"]
    result = _run(str(db), "--by", "region", "--category", top, "--top", "3")
    assert result.exit_code == 0, result.output
    assert "By region" in result.output and f"{top} {taxonomy_labels()[top]} by year" in result.output
    example = category_examples(corpus, top, limit=1).iloc[0]
    assert Path(example["source"]).name in result.output
    assert f"({example['start']}–{example['end']})" in result.output


def test_cli_json(db: Path, corpus) -> None:
    result = _run(str(db), "--json", "--by", "level", "--category", "review")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "overview",
        "trend",
        "by",
        "repeat_offenders",
        "failing_rules",
        "failing_rules_by",
        "category",
        "denominator",
    ):
        assert key in data
    shares = category_shares(corpus)
    assert {r["category"]: r["admitting"] for r in data["trend"]} == dict(zip(shares["category"], shares["admitting"]))
    assert {r["rule"]: r["fails"] for r in data["failing_rules"]} == dict(
        zip(failing_rules(corpus)["rule"], failing_rules(corpus)["fails"])
    )
    assert data["category"]["key"] == "review" and data["category"]["label"] == "审核把关不严"
    assert all(e["quote"] for e in data["category"]["examples"])


def test_cli_csv_is_the_shares_table(db: Path, corpus) -> None:
    result = _run(str(db), "--csv", "--by", "year")
    assert result.exit_code == 0, result.output
    got = pd.read_csv(io.StringIO(result.output))
    want = category_shares(corpus, by="year")
    assert list(got.columns) == list(want.columns)
    assert got["admitting"].tolist() == want["admitting"].tolist()
    assert got["share"].tolist() == pytest.approx(want["share"].tolist())
    one = pd.read_csv(io.StringIO(_run(str(db), "--csv", "--category", "review").output))
    assert one["category"].tolist() == ["review"]


@pytest.mark.parametrize("make", ["missing", "text", "duckdb", "own-reports", "empty"])
def test_cli_not_a_corpus(tmp_path: Path, make: str) -> None:
    path = tmp_path / "not.duckdb"
    if make == "text":
        path.write_text("hello", "utf-8")
    elif make == "empty":
        path.write_bytes(b"")
    elif make in ("duckdb", "own-reports"):
        import duckdb

        # A `reports` table of its own once passed for a corpus (a traceback followed).
        table = "reports" if make == "own-reports" else "t"
        duckdb.connect(str(path)).execute(f"CREATE TABLE {table} (a INTEGER)").close()
    result = _run(str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}") and len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(CorpusDatabaseError):
        open_corpus(path)


def test_cli_usage_errors(db: Path) -> None:
    assert _run(str(db), "--json", "--csv").exit_code == 2
    result = _run(str(db), "--category", "nope")
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {db}: no category 'nope'")


# --- --top of any size ---------------------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(top=st.one_of(st.integers(min_value=1, max_value=50), st.integers(min_value=1)))
@example(top=10**30)
@example(top=2**63)
def test_any_top_is_every_row_at_most(corpus, top: int) -> None:
    """A --top larger than any table (10**30) means every row; it once
    overflowed DuckDB's 64-bit LIMIT with a traceback."""
    data = summary_data(corpus, top=top, category="review")
    text = render_summary(data, top=top)
    assert "Problems admitted" in text
    json.loads(summary_json(data))
    everything = category_examples(corpus, "review", limit=MAX_TOP)
    assert len(data["category"]["examples"]) == min(top, len(everything))


def test_top_huge_on_the_command_line(db: Path) -> None:
    result = _run(str(db), "--top", str(10**30), "--category", "review")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
