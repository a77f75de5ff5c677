"""textmine.title: the title and agency wherever a page puts them (our own
agencies and numbers; the forms are those of corpora/forms.md)."""

from __future__ import annotations

import pytest

from conftest import meta_of
from textmine.meta import extract_meta
from textmine.sections import find_sections
from textmine.title import agency_from_title, find_title, looks_like_agency, metadata_block, normalise_title

BODY = "\n一、总体情况\n2023年，本机关持续推进政务公开。\n二、主动公开政府信息情况\n略。"


@pytest.mark.parametrize(
    "head,title,agency",
    [
        ("某县财政局2023年政府信息公开工作年度报告", "某县财政局2023年政府信息公开工作年度报告", "某县财政局"),
        ("2023年度某区民政局政府信息公开工作年度报告", "2023年度某区民政局政府信息公开工作年度报告", "某区民政局"),
        ("某市统计局\n2023年政府信息公开工作年度报告", "某市统计局2023年政府信息公开工作年度报告", "某市统计局"),
        ("某市统计局\n\n2023 年政府信息公开工作年度报告", "某市统计局2023年政府信息公开工作年度报告", "某市统计局"),
        ("某区水务局 2024年度政府信息公开工作年度报告", "某区水务局 2024年度政府信息公开工作年度报告", "某区水务局"),
        ("某县人民政府2022年政府信息公开年报", "某县人民政府2022年政府信息公开年报", "某县人民政府"),
        ("某县人民政府2022年度信息公开年度报告", "某县人民政府2022年度信息公开年度报告", "某县人民政府"),
        ("某局2022政府信息公开工作年度报告", "某局2022政府信息公开工作年度报告", "某局"),
        ("某市“互联网+政务服务”中心2023年政府信息公开工作年度报告", None, "某市“互联网+政务服务”中心"),
        ("某市科技&人才服务中心2023年政府信息公开工作年度报告", None, "某市科技&人才服务中心"),
        ("某市XR产业园管理委员会2023年政府信息公开工作年度报告", None, "某市XR产业园管理委员会"),
        (
            "首页 > 年报 > 某县教育局2023年政府信息公开工作年度报告",
            "某县教育局2023年政府信息公开工作年度报告",
            "某县教育局",
        ),
        ("??某县教育局2023年政府信息公开工作年度报告", "某县教育局2023年政府信息公开工作年度报告", "某县教育局"),
        # a breadcrumb run into the title (a page flattened to one line)
        (
            "首页 » 公开 » 政府信息公开工作年度报告某省农业厅2024年度政府信息公开工作年度报告来源：办公室",
            "某省农业厅2024年度政府信息公开工作年度报告",
            "某省农业厅",
        ),
    ],
)
def test_title_forms(head: str, title: str | None, agency: str) -> None:
    found = find_title(head + BODY)
    assert found.title == (title or head)
    assert found.agency == agency


def test_a_column_label_is_no_title() -> None:
    found = find_title("政府信息公开年报\n某县司法局2023年度政府信息公开工作年度报告")
    assert found.title == "某县司法局2023年度政府信息公开工作年度报告"


def test_a_broken_sentence_is_never_a_title() -> None:
    # A text copy of a PDF broke the opening sentence after 公布某: the rest of the
    # line starts like a title but runs on into the sentence.
    head = "根据条例规定，现公布某\n县交通运输局2023年度政府信息公开工作年度报告。本报告分为六个部分。"
    found = find_title(head)
    assert found.title is None
    assert found.agency == "某县交通运输局"
    assert found.opening_year == 2023


@pytest.mark.parametrize(
    "head,agency",
    [
        ("根据《条例》规定，现公布某县人民政府2022年度政府信息公开工作年度报告。", "某县人民政府"),
        ("本年度报告依据条例要求，由某省水利厅编制。全文包括六个部分。", "某省水利厅"),
        ("本报告按照条例要求，由某区民政局综合各项数据编制。", "某区民政局"),
        ("本报告依据条例，由某镇人民政府汇集各办数据编制而成。", "某镇人民政府"),
        ("本年报是根据条例要求，由某县财政局编制的2018年度政府信息公开年度报告。", "某县财政局"),
    ],
)
def test_agency_from_the_opening_sentence(head: str, agency: str) -> None:
    found = find_title(head)
    assert (found.title, found.agency, found.agency_source) == (None, agency, "opening")


def test_agency_from_the_overview_when_nothing_else_names_it() -> None:
    found = find_title("本报告依照条例编制。", after="2023年，某县司法局坚持依法公开…")
    assert (found.agency, found.agency_source) == ("某县司法局", "overview")
    # "the whole city" is no agency
    assert find_title("", after="2023年，全市坚持依法公开…").agency is None


def test_metadata_block_as_rows() -> None:
    head = (
        "| 标 题 | 某自治区某委员会2025年政府信息公开工作年度报告 | ||\n"
        "| 索引号 | 00/2026-00001 | 文 号 | |\n"
        "| 发布机构 | 发布日期 | 2026-01-20 17:56:13 | |\n"
        "关键词 | 发布机构 | 某区交通局 | |"
    )
    block = metadata_block(head)
    assert block["标题"] == "某自治区某委员会2025年政府信息公开工作年度报告"
    assert block["索引号"] == "00/2026-00001"
    # A key followed by another key has no value; the first value of a key wins.
    assert block["发布日期"] == "2026-01-20 17:56:13"
    assert block["发布机构"] == "某区交通局"
    assert "文号" not in block


def test_metadata_block_as_lists() -> None:
    head = "  • 信息索引号:\n\n    001/2025-1\n\n  • 信息名称:\n\n    2024年政府信息公开工作年度报告\n\n  • 发布机构:\n\n    某市交通运输局\n"
    block = metadata_block(head)
    assert block["信息名称"] == "2024年政府信息公开工作年度报告"
    assert block["发布机构"] == "某市交通运输局"
    found = find_title(head)
    assert (found.title, found.agency, found.agency_source) == (
        "2024年政府信息公开工作年度报告",
        "某市交通运输局",
        "block",
    )


def test_block_date_is_the_publication_date() -> None:
    text = (
        "索引号\t001/2025-1\t发布机构\t某局\n发文日期\t2025-01-27\t有效性\t有效\n某局2024年政府信息公开工作年度报告"
        + BODY
    )
    meta = meta_of(text)
    assert meta["published"] == "2025-01-27"
    assert meta["agency"] == "某局"


@pytest.mark.parametrize(
    "date,iso", [("2024.01.05", "2024-01-05"), ("二〇二四年一月五日", "2024-01-05"), ("2024年1月5日", "2024-01-05")]
)
def test_odd_dates_in_the_source_line(date: str, iso: str) -> None:
    text = f"某局2023年政府信息公开工作年度报告\n来源：本网  发布时间：{date}  浏览次数：12" + BODY
    assert meta_of(text)["published"] == iso


def test_no_title_gives_null_title_and_a_note() -> None:
    text = "根据条例，现公布某县林业局2023年度政府信息公开工作年度报告。" + BODY
    sections, _ = find_sections(text)
    meta, notes = extract_meta(text, sections)
    assert meta["title"] is None and meta["agency"] == "某县林业局" and meta["year"] == 2023
    messages = [n.message for n in notes]
    assert "no report title found before the first section" in messages
    assert any("read from the opening sentence" in m for m in messages)


def test_normalise_title() -> None:
    assert normalise_title(" 某局 2023 年 度政府信息公开工作年度报告：") == "某局 2023年度政府信息公开工作年度报告"


@pytest.mark.parametrize(
    "name,ok", [("某县财政局", True), ("政府", False), ("全市", False), ("根据条例现公布某局", False), ("某", False)]
)
def test_looks_like_agency(name: str, ok: bool) -> None:
    assert looks_like_agency(name) is ok


def test_agency_from_title_of_a_title_without_agency() -> None:
    assert agency_from_title("2023年政府信息公开工作年度报告") is None


def test_the_year_inside_the_report_words() -> None:
    found = find_title("某部政府信息公开工作2021年度报告 二维码\n来源：本网")
    assert found.title == "某部政府信息公开工作2021年度报告" and found.agency == "某部"
    assert meta_of("某部政府信息公开工作2021年度报告\n一、总体情况\n略。")["year"] == 2021


def test_the_fuller_of_two_titles() -> None:
    # A page heading names the bureau short; the article's heading names it whole.
    head = "2018年水务局政府信息公开工作年度报告\n发布时间:2019-01-08\n2018年某市水务局政府信息公开工作年度报告\n"
    found = find_title(head)
    assert (found.title, found.agency) == ("2018年某市水务局政府信息公开工作年度报告", "某市水务局")


@pytest.mark.parametrize(
    "head,after,agency,source",
    [
        ("本报告依照条例编制。如有疑问，请与某县工信局办公室联系（电话：0000-1234567）。", "", "某县工信局", "contact"),
        ("本报告依照条例编制。", "2020年，在区委、区政府的正确领导下，区国资委贯彻落实条例…", "区国资委", "overview"),
        ("本报告依照条例编制。", "(一)主动公开情况。2022年某市教育局全面贯彻落实条例…", "某市教育局", "overview"),
        (
            "根据条例，特公布2022年某市人力资源和社会保障局信息公开工作年度报告。",
            "",
            "某市人力资源和社会保障局",
            "opening",
        ),
    ],
)
def test_agency_from_the_contact_or_the_first_sentences(head: str, after: str, agency: str, source: str) -> None:
    found = find_title(head, after=after)
    assert (found.agency, found.agency_source) == (agency, source)


def test_the_note_names_the_contact_sentence() -> None:
    text = "本报告依照条例编制。如有疑问，请与某县工信局办公室联系。\n一、总体情况\n2023年全年公开信息。"
    sections, _ = find_sections(text)
    meta, notes = extract_meta(text, sections)
    assert meta["agency"] == "某县工信局"
    assert "agency '某县工信局' read from the contact sentence" in [n.message for n in notes]


def test_we_and_our_banner_name_no_agency() -> None:
    head = "发布机构 | 政府办公室 | 文 号 | |\n根据条例，特向社会公布我旗2021年度信息公开年度报告。"
    found = find_title(head)
    assert (found.agency, found.agency_source) == ("政府办公室", "block")


def test_a_report_that_names_itself_is_read_without_headings(tmp_path) -> None:
    from textmine.errors import NotAReportError
    from textmine.pipeline import analyze

    report = tmp_path / "cut.txt"
    report.write_text(
        "根据条例要求，特编制某局2016年政府信息公开年度报告。全文包括基本情况等七个部分。\n本局全年公开信息三十条。",
        encoding="utf-8",
    )
    record = analyze(report)
    assert record.reading["verdict"] == "poor" and record.meta["agency"] == "某局"
    news = tmp_path / "news.txt"
    news.write_text("日前，某市发布了2023年政府信息公开工作年度报告，全市主动公开信息五千条。", encoding="utf-8")
    with pytest.raises(NotAReportError):
        analyze(news)
