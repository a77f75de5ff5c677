"""The summary as files (textmine.corpus.exports, `summary --format`): each
format read back, headers in the chosen language, the filter on the first
sheet, years without a column listed; shares with intervals, trends with
their test."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from textmine.cli import main
from textmine.corpus import open as open_corpus
from textmine.corpus.exports import column_names, summary_tables, table_name, write_summary
from textmine.corpus.summary import category_trend, summary_data, year_counts
from textmine.data import load_toml
from textmine.metrics import trend_test, wilson_interval

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample" / "reports"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from textmine.corpus import tag

    path = tmp_path_factory.mktemp("exports") / "corpus.duckdb"
    result = tag([SAMPLE], path, workers=1)
    assert result.tagged > 0 and result.errors == 0, result
    return path


@pytest.fixture(scope="module")
def data(db: Path) -> dict:
    with open_corpus(db, since=2019) as c:
        return summary_data(c, by="level", category="审核把关不严", min_reports=3)


def test_every_column_and_table_has_a_name_in_each_language(data: dict) -> None:
    labels = load_toml("summary.toml")
    for name, df in summary_tables(data).items():
        assert name in labels["tables"], name
        for column in df.columns:
            assert str(column).isdigit() or column in labels["columns"], (name, column)


def test_shares_carry_their_interval_and_trends_their_test(db: Path) -> None:
    with open_corpus(db) as c:
        trend = category_trend(c, min_reports=2)
        yearly = c.sql("SELECT DISTINCT year FROM reports WHERE year IS NOT NULL")
    assert len(yearly) > 2
    for row in trend.itertuples():
        assert (row.share_low, row.share_high) == pytest.approx(wilson_interval(row.admitting, row.reports))
        assert row.share_low <= row.share <= row.share_high
    # The trend's p-value is the Cochran–Armitage test of the yearly counts the table shows.
    years = [c for c in trend.columns if c.isdigit()]
    assert years and trend["trend_p"].notna().any()
    with open_corpus(db) as c:
        counts = year_counts(c, min_reports=2)
    shown = counts[counts["shown"]]
    row = trend[trend["trend_p"].notna()].iloc[0]
    admitting = [round(row[str(int(y))] * n) for y, n in zip(shown["year"], shown["reports"])]
    assert row["trend_p"] == pytest.approx(trend_test(list(shown["year"]), admitting, list(shown["reports"])))


def test_years_with_few_reports_are_listed_not_dropped(data: dict) -> None:
    years = data["years"]
    hidden = years[~years["shown"]]
    assert (hidden["reports"] < 3).all() and (years.loc[years["shown"], "reports"] >= 3).all()
    about = summary_tables(data)["about"].set_index("item")["value"]
    for year in hidden["year"].dropna():
        assert f"{int(year)} (" in about["years_without_column"]
    assert about["filter"] == "2019 onward"


def test_csv_folder_holds_every_table_read_back_by_pandas(data: dict, tmp_path: Path) -> None:
    written = write_summary(data, "csv", tmp_path / "out", lang="en")
    tables = summary_tables(data)
    assert [p.stem for p in written] == list(tables)
    trend = pd.read_csv(tmp_path / "out" / "trend.csv", encoding="utf-8-sig")
    assert list(trend.columns) == list(tables["trend"].columns)  # keys, what scripts read
    write_summary(data, "csv", tmp_path / "zh", lang="zh")
    zh = pd.read_csv(tmp_path / "zh" / "trend.csv", encoding="utf-8-sig")
    assert list(zh.columns) == column_names(list(tables["trend"].columns), "zh")
    assert list(trend["admitting"]) == list(tables["trend"]["admitting"])


def test_xlsx_has_a_sheet_per_table_with_chinese_headers_and_the_filter_first(data: dict, tmp_path: Path) -> None:
    import openpyxl

    path = write_summary(data, "xlsx", tmp_path / "summary.xlsx", lang="zh")[0]
    book = openpyxl.load_workbook(path, read_only=True)
    tables = summary_tables(data)
    assert book.sheetnames == [table_name(name, "zh")[:31] for name in tables]
    assert book.sheetnames[0] == "说明"
    about = {row[0]: row[1] for row in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert about["filter_zh"] == "2019年起"
    header = next(book[table_name("trend", "zh")].iter_rows(max_row=1, values_only=True))
    assert header[:5] == ("类别", "名称", "承认数", "报告数", "占比")
    sheet = pd.read_excel(path, sheet_name=table_name("trend", "zh"))
    assert list(sheet["承认数"]) == list(tables["trend"]["admitting"])


def test_json_export_is_the_object_summary_json_prints(data: dict, tmp_path: Path) -> None:
    path = write_summary(data, "json", tmp_path / "s.json")[0]
    payload = json.loads(path.read_text("utf-8"))
    assert payload["about"]["filter"].startswith("2019 onward")
    assert {"trend", "years", "failing_rules", "category"} <= set(payload)


def test_summary_command_filters_and_exports(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["summary", str(db), "--since", "2019", "--admitting", "审核把关不严"])
    assert out.exit_code == 0, out.output
    assert "Selected: 2019 onward · category review (审核把关不严)" in out.output
    assert "95% interval" in out.output and "trend p" in out.output
    zh = runner.invoke(main, ["summary", str(db), "--lang", "zh", "--level", "county"])
    assert zh.exit_code == 0 and "范围：层级 county" in zh.output and "占比的分母" in zh.output
    book = tmp_path / "s.xlsx"
    done = runner.invoke(main, ["summary", str(db), "--format", "xlsx", "--out", str(book), "--year", "2021"])
    assert done.exit_code == 0, done.output
    assert pd.read_excel(book, sheet_name="说明").shape[0] > 5
    refused = runner.invoke(main, ["summary", str(db), "--format", "xlsx"])
    assert refused.exit_code == 2 and "--out" in refused.output
    csv_zh = runner.invoke(main, ["summary", str(db), "--csv", "--lang", "zh"])
    assert csv_zh.exit_code == 0 and csv_zh.output.startswith("类别,名称,承认数,报告数,占比,")
    unknown = runner.invoke(main, ["summary", str(db), "--admitting", "nope"])
    assert unknown.exit_code == 2 and "no category 'nope'" in unknown.output
