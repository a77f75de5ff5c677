"""Report filters (textmine.corpus.filters): the rows a filtered corpus holds
equal a plain-pandas selection over the whole database."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from textmine.corpus import open as open_corpus
from textmine.corpus.filters import FilterError, ReportFilter
from textmine.data.taxonomy import category_key
from textmine.errors import UnknownCategoryError
from textmine.metrics import wilson_interval

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "reports"
SERIES = ROOT / "corpora" / "series" / "reports"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from textmine.corpus import tag

    path = tmp_path_factory.mktemp("filters") / "corpus.duckdb"
    series = sorted(p for p in SERIES.iterdir() if p.suffix == ".txt")[:24] if SERIES.is_dir() else []
    result = tag([SAMPLE, *series], path, workers=1)
    assert result.tagged > 0 and result.errors == 0, result
    return path


@pytest.fixture(scope="module")
def whole(db: Path) -> dict[str, pd.DataFrame]:
    with open_corpus(db) as c:
        return {name: c.table(name) for name in ("reports", "items", "checks", "cells")}


def _expected(whole: dict[str, pd.DataFrame], f: ReportFilter) -> set[str]:
    r = whole["reports"]
    keep = r["duplicate_of"].isna()
    low, high = f.years()
    if low is not None:
        keep &= r["year"] >= low
    if high is not None:
        keep &= r["year"] <= high
    if f.region:
        keep &= r["region"].fillna("").str.contains(f.region, regex=False)
    if f.level:
        keep &= r["level"] == f.level
    if f.agency:
        keep &= r["agency"].fillna("").str.contains(f.agency, regex=False)
    if f.category:
        items = whole["items"]
        admits = items[(items["kind"] == "problem") & items["categories"].map(lambda c: f.category in list(c))]
        keep &= r["id"].isin(set(admits["report"]))
    return set(r.loc[keep, "id"])


def _filters(whole: dict[str, pd.DataFrame]) -> list[dict]:
    # The most frequent values, so that each filter selects several reports.
    r = whole["reports"][whole["reports"]["duplicate_of"].isna()]
    regions = r["region"].dropna()
    region = regions.value_counts().index[0]
    province = regions.map(lambda x: x[: x.index("省") + 1] if "省" in x else x[:3]).value_counts().index[0]
    agency = r["agency"].dropna().map(lambda x: x[-4:]).value_counts().index[0]
    year = int(r["year"].dropna().value_counts().index[0]) - 1
    return [
        {"year": year},
        {"since": year + 1},
        {"until": year + 1},
        {"since": year, "until": year + 2, "level": "county"},
        {"region": province},
        {"region": region},
        {"agency": agency},
        {"category": "timeliness"},
        {"category": "审核把关不严"},
        {"since": year + 1, "category": "platforms", "region": province},
    ]


def test_every_filtered_table_holds_the_rows_pandas_selects(db: Path, whole: dict[str, pd.DataFrame]) -> None:
    for where in _filters(whole):
        f = ReportFilter(**where)
        want = _expected(whole, f)
        with open_corpus(db, **where) as c:
            assert set(c.reports["id"]) == want, where
            for name in ("items", "checks", "cells"):
                got = c.table(name)
                expected = whole[name][whole[name]["report"].isin(want)]
                assert len(got) == len(expected), (where, name)
                assert set(got["report"]) <= want


def test_some_filter_selects_a_proper_part(whole: dict[str, pd.DataFrame]) -> None:
    # Otherwise the comparison above could pass on filters that do nothing.
    sizes = [len(_expected(whole, ReportFilter(**w))) for w in _filters(whole)]
    assert sum(n > 0 for n in sizes) >= len(sizes) - 1, sizes
    assert len(set(sizes)) > 3 and max(sizes) < len(whole["reports"]), sizes


def test_categories_are_keys_or_their_chinese_names() -> None:
    assert category_key("review") == "review"
    assert category_key("审核把关不严") == "review"
    with pytest.raises(UnknownCategoryError, match="no category 'nope'.*review"):
        ReportFilter(category="nope")


def test_impossible_filters_are_refused_with_the_reason() -> None:
    with pytest.raises(FilterError, match="no level 'village'"):
        ReportFilter(level="village")
    with pytest.raises(FilterError, match="from 2024 to 2021"):
        ReportFilter(since=2024, until=2021)


def test_a_filter_says_what_it_selects() -> None:
    assert ReportFilter().describe() == ""
    assert ReportFilter(year=2023).describe() == "2023"
    assert ReportFilter(since=2021, until=2023, level="city").describe() == "2021–2023 · level city"


@pytest.mark.parametrize(
    ("k", "n", "low", "high"), [(0, 10, 0.0, 0.278), (10, 10, 0.722, 1.0), (50, 100, 0.404, 0.596)]
)
def test_wilson_interval_matches_the_published_values(k: int, n: int, low: float, high: float) -> None:
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=1e-3)
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_filtered_shares_equal_pandas_over_the_selected_reports(db: Path, whole: dict[str, pd.DataFrame]) -> None:
    # What `summary --since … --region …` prints: the category shares over the
    # selected reports, recomputed here from the unfiltered tables.
    from textmine.corpus.summary import category_shares

    with open_corpus(db) as c:
        sections = c.table("sections")
    for where in _filters(whole):
        ids = _expected(whole, ReportFilter(**where))
        answered = {r for r in ids if r in set(sections.loc[sections["key"] == "problems", "report"])} | {
            r for r, k in zip(whole["items"]["report"], whole["items"]["kind"]) if k == "problem" and r in ids
        }
        problems = whole["items"][(whole["items"]["kind"] == "problem") & whole["items"]["report"].isin(answered)]
        admitting = {}
        for report, cats in zip(problems["report"], problems["categories"]):
            for cat in set(cats):
                admitting.setdefault(cat, set()).add(report)
        with open_corpus(db, **where) as c:
            shares = category_shares(c)
        for row in shares.itertuples():
            assert row.reports == len(answered), where
            assert row.admitting == len(admitting.get(row.category, ())), (where, row.category)
            assert (row.share_low, row.share_high) == pytest.approx(wilson_interval(row.admitting, row.reports))
