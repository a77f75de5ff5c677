"""Tests for textmine.meta: title, agency, region, year, publication date,
inline cases and regression over the real reports of ../shared/corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED, meta_of, real_reports
from textmine.meta import agency_from_title, extract_meta, infer_region, parse_date
from textmine.read import read
from textmine.sections import find_sections

REPORTS = SHARED / "corpus" / "reports"
GOLD = SHARED / "corpus" / "gold"

SECTIONS = (
    "一、总体情况\n2023年，本县主动公开政府信息1200条。\n"
    "二、主动公开政府信息情况\n略。\n三、收到和处理政府信息公开申请情况\n略。\n"
    "四、政府信息公开行政复议、行政诉讼情况\n略。\n五、存在的主要问题及改进情况\n略。\n"
    "六、其他需要报告的事项\n无。"
)


@pytest.mark.parametrize(
    "raw,iso",
    [
        ("2024-02-09 17:14", "2024-02-09"),
        ("2024-2-9", "2024-02-09"),
        ("2024/01/05", "2024-01-05"),
        ("2022年1月13日", "2022-01-13"),
        ("2022年1月13 日", "2022-01-13"),
        ("二〇二二年一月十三日", "2022-01-13"),
        ("二〇二四年十二月三十一日", "2024-12-31"),
        ("2023-02-30", None),  # no such day
        ("2023年13月1日", None),
        ("1899-01-01", None),
        ("无日期", None),
    ],
)
def test_parse_date(raw: str, iso: str | None) -> None:
    assert parse_date(raw) == iso


@pytest.mark.parametrize(
    "title,agency",
    [
        ("定西市通渭县人民政府2023年政府信息公开工作年度报告", "定西市通渭县人民政府"),
        ("平潭综合实验区2019年度政府信息公开工作年度报告", "平潭综合实验区"),
        ("青屿新区国土资源局2013年信息公开年度报告", "青屿新区国土资源局"),
        ("某市教育局关于2023年政府信息公开工作年度报告", "某市教育局"),
        ("2023年某市教育局政府信息公开工作年度报告", "某市教育局"),
        ("某县财政局政府信息公开工作年度报告", "某县财政局"),
    ],
)
def test_agency_from_title(title: str, agency: str) -> None:
    assert agency_from_title(title) == agency


@pytest.mark.parametrize(
    "agency,region",
    [
        ("定西市通渭县人民政府", "甘肃省定西市通渭县"),
        ("平潭综合实验区经济发展局", "福建省平潭综合实验区"),
        ("国家税务总局平潭综合实验区税务局", "福建省平潭综合实验区"),
        ("福建省人民政府办公厅", "福建省"),
        ("武汉市江岸区教育局", "湖北省武汉市江岸区"),
        ("酒泉市肃州区人民政府", "甘肃省酒泉市肃州区"),  # every prefecture is in places.toml
        ("白沙市东湖区人民政府", "白沙市东湖区"),  # a place unknown to the table: not guessed
        ("通渭县平襄镇人民政府", "甘肃省定西市通渭县平襄镇"),
        ("杭州市住房和城乡建设局", "浙江省杭州市"),  # 城乡 is no place
        ("杭州市市场监督管理局", "浙江省杭州市"),
        ("市财政局", None),  # the place is missing
        ("某市城市管理局", "某市"),  # 城市 is no place
        ("教育部", None),
        (None, None),
    ],
)
def test_infer_region(agency: str | None, region: str | None) -> None:
    assert infer_region(agency) == region


def test_seed_like_page() -> None:
    text = (
        "当前位置:首页\n > 政务公开 > 政府信息公开工作年度报告\n"
        "定西市通渭县人民政府2023年政府信息公开工作年度报告\n\n"
        "发布时间:2024-02-09 17:14 字号:[ ] 视力保护色:\n"
        "报告数据统计时段为2023年1月1日至2023年12月31日。\n" + SECTIONS
    )
    assert meta_of(text) == {
        "title": "定西市通渭县人民政府2023年政府信息公开工作年度报告",
        "agency": "定西市通渭县人民政府",
        "region": "甘肃省定西市通渭县",
        "level": "county",
        "year": 2023,
        "published": "2024-02-09",
        "layout": None,
    }


def test_title_header_wins_over_body_heading() -> None:
    # The archive's 标题 line (with 年度) is how the page names the report;
    # the body heading drops 度.
    text = (
        "标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20 15:22\n"
        "平潭综合实验区2019年政府信息公开工作年度报告 根据《条例》编制。" + SECTIONS
    )
    assert meta_of(text)["title"] == "平潭综合实验区2019年度政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "html_title",
    [
        "青屿新区2021年度政府信息公开工作年度报告_政府信息公开年报_青屿新区党工委管委会",
        "青屿新区2021年度政府信息公开工作年度报告 - 青屿新区党工委管委会",
        "青屿新区2021年度政府信息公开工作年度报告",
    ],
)
def test_html_title_hint_minus_site_suffix(html_title: str) -> None:
    text = "当前位置： 首页政务公开 青屿新区2021年政府信息公开工作年度报告\n" + SECTIONS
    meta = meta_of(text, {"html_title": html_title})
    assert meta["title"] == "青屿新区2021年度政府信息公开工作年度报告"
    assert meta["agency"] == "青屿新区"


def test_body_title_with_space_and_breadcrumb() -> None:
    text = (
        "当前位置： 首页政务公开信息公开专栏政府信息公开年报 青屿新区国土资源局2013年 信息公开年度报告 "
        "来源：青屿县人民政府 时间：2014-02-25 00:00 " + SECTIONS
    )
    meta = meta_of(text)
    # The title as printed (the gold of ../shared keeps such a space); the agency without it.
    assert meta["title"] == "青屿新区国土资源局2013年 信息公开年度报告"
    assert meta["agency"] == "青屿新区国土资源局"
    assert meta["published"] == "2014-02-25"
    assert meta["year"] == 2013


def test_year_from_statistics_period() -> None:
    text = "某县政府信息公开工作年度报告\n本报告数据的统计区间自2021年1月1日起至2021年12月31日止。\n" + SECTIONS
    assert meta_of(text)["year"] == 2021


def test_year_from_overview() -> None:
    text = "某县政府信息公开工作年度报告\n" + SECTIONS
    assert meta_of(text)["year"] == 2023


def test_published_from_signature() -> None:
    text = "某县人民政府2023年政府信息公开工作年度报告\n" + SECTIONS + "\n某县人民政府\n2024年1月26日\n"
    assert meta_of(text)["published"] == "2024-01-26"


def test_published_header_wins_over_signature() -> None:
    text = (
        "某局2021年政府信息公开工作年度报告\n时间：2022-01-19 09:28\n"
        + SECTIONS
        + "\n某局 2022年1月13 日 某局办公室 2022年1月13日印发"
    )
    assert meta_of(text)["published"] == "2022-01-19"


def test_invalid_header_date_is_not_used() -> None:
    text = "某县人民政府2022年政府信息公开工作年度报告\n发布时间:2023-02-30\n" + SECTIONS
    assert meta_of(text)["published"] is None


def test_nothing_found() -> None:
    meta, notes = extract_meta("无标题的文字。", [])
    assert meta == {
        "title": None,
        "agency": None,
        "region": None,
        "level": None,
        "year": None,
        "published": None,
        "layout": None,
    }
    assert {n.table for n in notes} == {"meta"}


def test_deterministic() -> None:
    text = "某县人民政府2023年政府信息公开工作年度报告\n发布时间:2024-02-09\n" + SECTIONS
    assert meta_of(text) == meta_of(text)


# --- regression over the real reports ---------------------------------------


def _report(path: Path) -> tuple[str, dict[str, str]]:
    doc = read(path)
    return doc.text, doc.hints


def _real_reports() -> list[Path]:
    return [p for p in real_reports() if (GOLD / f"{p.stem}.json").is_file()]


@pytest.mark.skipif(not REPORTS.is_dir(), reason=f"shared corpus not found at {REPORTS}")
@pytest.mark.parametrize("path", _real_reports(), ids=lambda p: p.name)
def test_real_report_meta(path: Path) -> None:
    gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))["meta"]
    text, hints = _report(path)
    secs, _ = find_sections(text)
    meta, _ = extract_meta(text, secs, hints)
    # A gold without a field (hongze_2023_print: no published) does not judge it.
    fields = [k for k in ("title", "agency", "year", "published") if k in gold]
    got = {k: meta[k] for k in fields}
    want = {k: gold[k] for k in fields}
    assert got == want
    assert meta["layout"] is None
