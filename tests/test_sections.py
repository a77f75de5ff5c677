"""Tests for textmine.sections: title and numbering variants, chrome, odd
layouts, and regression over the real reports of ../shared/corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SHARED, real_reports
from textmine.read import read
from textmine.record import SECTION_KEYS
from textmine.sections import find_headings, find_sections

REPORTS = SHARED / "corpus" / "reports"
GOLD = SHARED / "corpus" / "gold"

STANDARD = [
    ("overview", "一、总体情况"),
    ("active_disclosure", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
]
BODY = {
    "overview": "2023年，本县主动公开政府信息1200条。\n（一）主动公开情况。全年发布信息。\n（二）依申请公开情况。收到申请13件。",
    "active_disclosure": "第二十条第（一）项\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0",
    "requests": "（七）总计 | 13 | 0 | 0 | 0 | 0 | 0 | 13\n四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
    "review_litigation": "行政复议 | 行政诉讼\n0 | 0 | 0 | 0 | 0",
    "problems": "一是公开意识不强。二是更新不及时。下一步，我们将加强培训。",
    "other": "无。",
}


def build(titles: list[tuple[str, str]] | None = None, *, head: str = "", tail: str = "", sep: str = "\n") -> str:
    titles = titles if titles is not None else STANDARD
    parts = [head] if head else []
    for key, title in titles:
        parts.append(title + sep + BODY[key])
    text = sep.join(parts)
    return text + tail


def keys(text: str) -> list[str]:
    secs, _ = find_sections(text)
    return [s.key for s in secs]


def test_standard_report() -> None:
    text = build()
    secs, notes = find_sections(text)
    assert [(s.key, s.title) for s in secs] == STANDARD
    assert notes == []
    for a, b in zip(secs, secs[1:]):
        assert a.end == b.start
    assert secs[-1].end == len(text)
    for s in secs:
        assert text[s.start : s.end].startswith(s.title)


@pytest.mark.parametrize(
    "key,title",
    [
        ("overview", "一、概述"),
        ("overview", "一、概况"),
        ("overview", "一、2023年政府信息公开工作总体情况"),
        ("active_disclosure", "二、主动公开情况"),
        ("requests", "三、依申请公开政府信息情况"),
        ("requests", "三、依申请公开、不予公开及咨询政府信息情况"),
        ("review_litigation", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
        ("review_litigation", "四、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        ("review_litigation", "四、政府信息公开行政法复议、行政诉讼情况"),  # a real misprint
        ("review_litigation", "四、政府信息公开行政复议和行政诉讼情况"),
        ("review_litigation", "四、政府信息公开行政复议与行政诉讼情况"),
        ("problems", "五、存在的主要问题和改进措施"),
        ("problems", "五、存在的不足及改进措施"),
        ("problems", "五、存在问题及改进情况"),
        ("problems", "五、政府信息公开工作存在的主要问题及改进情况"),
        ("other", "六、其他需要报告的事项"),
        ("other", "六、其他需要说明的事项"),
    ],
)
def test_title_variants(key: str, title: str) -> None:
    titles = [(k, title if k == key else t) for k, t in STANDARD]
    secs, notes = find_sections(build(titles))
    assert [s.key for s in secs] == list(SECTION_KEYS)
    assert next(s for s in secs if s.key == key).title == title
    assert notes == []


CN = "一二三四五六"


@pytest.mark.parametrize(
    "numbering",
    [
        lambda i: f"{CN[i]}、",
        lambda i: f"{CN[i]}．",
        lambda i: f"{CN[i]}.",
        lambda i: f"{CN[i]} 、",
        lambda i: f"（{CN[i]}）",
        lambda i: f"({CN[i]})",
        lambda i: f"第{CN[i]}部分 ",
        lambda i: f"{i + 1}.",
        lambda i: "",
        lambda i: f"  \u3000{CN[i]}、",  # leading whitespace
    ],
    ids=["top", "fullwidth-dot", "dot", "space", "paren-full", "paren-half", "part", "arabic", "none", "indent"],
)
def test_numbering_variants(numbering) -> None:  # type: ignore[no-untyped-def]
    titles = [(k, numbering(i) + t.split("、", 1)[1]) for i, (k, t) in enumerate(STANDARD)]
    text = build(titles)
    secs, notes = find_sections(text)
    assert [s.key for s in secs] == list(SECTION_KEYS), notes
    for s, (_, t) in zip(secs, titles):
        assert s.title == t.strip(" \u3000")


def test_one_line_report() -> None:
    """Like the 平潭 archive files: the whole report on one line, cells run together."""
    text = (
        "某区2021年政府信息公开工作年度报告 本报告包括总体情况、主动公开政府信息情况、"
        "收到和处理政府信息公开申请情况、因政府信息公开申请行政复议、提起行政诉讼的情况、"
        "政府信息公开工作存在的主要问题及改进情况和其他需要报告的事项等六个部分。"
        "一、总体情况2021年，我区主动公开信息。（一）主动公开方面。全年公开。（二）依申请公开方面。收到35件。"
        "二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数行政事业性收费13141.502071"
        "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和）"
        "（七）总计410010143四、结转下年度继续办理2000002 "
        "四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼20102010003100000"
        "五、存在的主要问题及改进情况（一）存在的主要问题:解读形式不够丰富。（二）改进措施：一是丰富形式。"
        "六、其他需要报告的事项2021年，本区未收取信息处理费。 附件下载"
    )
    secs, notes = find_sections(text)
    assert [s.key for s in secs] == list(SECTION_KEYS)
    assert notes == []
    assert secs[0].title == "一、总体情况"
    rl = secs[3]
    assert rl.title == "四、政府信息公开行政复议、行政诉讼情况"
    assert "结转下年度" in text[secs[2].start : secs[2].end]
    assert text[: secs[-1].end].endswith("本区未收取信息处理费。")


def test_preamble_listing_parts_is_not_headings() -> None:
    head = (
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"
    )
    text = build(head=head)
    secs, _ = find_sections(text)
    assert secs[0].start == text.index("一、总体情况")
    assert [s.title for s in secs] == [t for _, t in STANDARD]


def test_preamble_listing_on_own_lines_without_numbers() -> None:
    # The listing wrapped by a PDF: parts may start a line but run on with 、.
    head = "本报告包括\n总体情况、主动公开政府信息情况、\n收到和处理政府信息公开申请情况、其他需要报告的事项等部分。"
    text = build(head=head)
    secs, _ = find_sections(text)
    assert secs[0].start == text.index("一、总体情况")


def test_breadcrumb_chrome_before_title() -> None:
    head = "当前位置:首页\n > 政务公开 > 政府信息公开工作年度报告\n某县人民政府2023年政府信息公开工作年度报告\n发布时间:2024-02-09 17:14"
    text = build(head=head)
    secs, notes = find_sections(text)
    assert secs[0].start == text.index("一、总体情况")
    assert notes == []


@pytest.mark.parametrize(
    "row",
    [
        "四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "| 四、结转下年度继续办理 |  |  | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "四、结转下年度继续办理\n\n0\n\n0\n\n0",
        "四、结转下年度继续办理0000000",
    ],
)
def test_table3_row_is_not_section_four(row: str) -> None:
    text = build().replace(BODY["requests"], "（七）总计 | 13 | 0 | 13\n" + row)
    secs, _ = find_sections(text)
    rl = next(s for s in secs if s.key == "review_litigation")
    assert rl.title == "四、政府信息公开行政复议、行政诉讼情况"
    assert "结转下年度" in text[secs[2].start : secs[2].end]


def test_missing_section_is_noted_not_guessed() -> None:
    titles = [kt for kt in STANDARD if kt[0] != "problems"]
    secs, notes = find_sections(build(titles))
    assert [s.key for s in secs] == ["overview", "active_disclosure", "requests", "review_litigation", "other"]
    assert [n.message for n in notes] == ["section 'problems' (五、存在的主要问题及改进情况) not found"]
    assert notes[0].table == "sections"


def test_empty_text() -> None:
    secs, notes = find_sections("")
    assert secs == []
    assert len(notes) == 6


def test_overview_subheadings_do_not_steal_keys() -> None:
    # (一)主动公开政府信息的情况 / (二)政府信息依申请公开办理情况 inside the overview.
    body = "（一）主动公开政府信息的情况\n全面公开。\n（二）依申请公开政府信息情况\n收到2件。"
    text = build().replace(BODY["overview"], body)
    secs, _ = find_sections(text)
    assert [s.title for s in secs] == [t for _, t in STANDARD]


def test_free_layout_2013() -> None:
    titles = [
        ("overview", "一、概述"),
        ("active_disclosure", "二、主动公开政府信息情况"),
        ("requests", "三、依申请公开、不予公开及咨询政府信息情况"),
    ]
    text = build(titles, sep=" ") + (
        " （四）不予公开政府信息情况。我局无不予公开政府信息情况。"
        " 四、审批事项及处理情况 受理审批事项117件。"
        " 五、申请行政复议、提起行政诉讼和申诉的情况 行政复议0件。"
        " 六、工作人员及信息公开事务支出情况 （一）工作人员情况 兼职人员1人。 附件下载"
    )
    secs, notes = find_sections(text)
    assert [s.key for s in secs] == [
        "overview",
        "active_disclosure",
        "requests",
        "other",
        "review_litigation",
        "other",
    ]
    assert secs[3].title == "四、审批事项及处理情况"
    assert secs[-1].title == "六、工作人员及信息公开事务支出情况"
    assert text[: secs[-1].end].endswith("兼职人员1人。")
    messages = [n.message for n in notes]
    assert "section 'problems' (五、存在的主要问题及改进情况) not found" in messages
    assert any("both map to 'other'" in m for m in messages)


def test_problems_split_into_two_headings_is_one_section() -> None:
    titles = STANDARD[:4] + [("problems", "五、存在的主要问题")]
    text = build(titles) + "\n六、改进措施\n加强培训。\n七、其他需要报告的事项\n无。"
    secs, notes = find_sections(text)
    assert [s.key for s in secs] == list(SECTION_KEYS)
    problems = secs[4]
    assert problems.title == "五、存在的主要问题"
    assert "加强培训" in text[problems.start : problems.end]
    assert secs[5].title == "七、其他需要报告的事项"
    assert notes == []


def test_problems_sub_headings_stay_inside() -> None:
    body = "（一）存在的主要问题：解读不够。\n（二）改进措施：一是加强解读。"
    text = build().replace(BODY["problems"], body)
    secs, _ = find_sections(text)
    p = next(s for s in secs if s.key == "problems")
    assert p.title == "五、存在的主要问题及改进情况"
    assert "加强解读" in text[p.start : p.end]


@pytest.mark.parametrize(
    "tail",
    [
        "\n\n    解读链接:http://example.gov.cn/a.html\n\n责任编辑:管理员\n分享到:\n[  打印本页  |  关闭窗口  ]",
        " 附件下载",
        "\n附件下载\n扫一扫在手机上查看当前页面\n关闭",
        "\n【打印】【关闭】",
    ],
)
def test_trailing_chrome_is_dropped(tail: str) -> None:
    text = build(tail=tail)
    secs, _ = find_sections(text)
    assert text[secs[-1].start : secs[-1].end] == "六、其他需要报告的事项\n无。"


def test_signature_stays_in_last_section() -> None:
    text = build(tail="\n平潭综合实验区社会事业局\n2024年1月26日\n附件下载")
    secs, _ = find_sections(text)
    assert text[: secs[-1].end].endswith("2024年1月26日")


def test_title_wrapped_across_lines() -> None:
    text = build().replace("三、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情\n况")
    secs, _ = find_sections(text)
    assert secs[2].key == "requests"
    assert secs[2].title == "三、收到和处理政府信息公开申请情\n况"


def test_deterministic() -> None:
    text = build(head="本报告包括总体情况、主动公开政府信息情况等六个部分。")
    assert find_sections(text) == find_sections(text)


# --- regression over the real reports ---------------------------------------


def _report_text(path: Path) -> str:
    return read(path).text


def _real_reports() -> list[Path]:
    return [p for p in real_reports() if (GOLD / f"{p.stem}.json").is_file()]


@pytest.mark.skipif(not REPORTS.is_dir(), reason=f"shared corpus not found at {REPORTS}")
@pytest.mark.parametrize("path", _real_reports(), ids=lambda p: p.name)
def test_real_report_sections(path: Path) -> None:
    gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
    text = _report_text(path)
    headings = find_headings(text)
    secs = headings.sections
    found = sorted({s.key for s in secs}, key=SECTION_KEYS.index)
    assert found == gold["sections"]
    # Sections and unmapped headings (收费及减免情况) tile the body.
    every = sorted(secs + headings.unmapped, key=lambda s: s.start)
    for s in every:
        assert text[s.start : s.end].startswith(s.title)
        assert s.start < s.end
    for a, b in zip(every, every[1:]):
        assert a.end == b.start


# --- old layouts: headings mapped where they clearly are a part, else listed ---------

OLD = (
    "一、年度政府信息公开工作概述\n本局按上级部署推进公开。\n"
    "二、政府信息主动公开情况\n全年公开信息30条。\n"
    "三、政府信息依申请公开工作情况\n未收到申请。\n"
    "四、收费及减免情况\n无。\n"
    "五、因政府信息公开申请行政复议、提起行政诉讼的情况\n无。\n"
    "六、存在的问题\n1.公开不及时。\n"
    "七、下一步工作思路\n1.加强培训。\n"
    "八、政府信息公开情况统计表\n指标 单位 数量"
)


def test_old_headings_mapped_and_unmapped() -> None:
    found = find_headings(OLD)
    assert [s.key for s in found.sections] == [
        "overview",
        "active_disclosure",
        "requests",
        "review_litigation",
        "problems",
    ]
    assert [u.title for u in found.unmapped] == ["四、收费及减免情况", "八、政府信息公开情况统计表"]
    # 六、存在的问题 and 七、下一步工作思路 are one section; an unmapped heading ends the one before it.
    problems = next(s for s in found.sections if s.key == "problems")
    assert "七、下一步工作思路" in OLD[problems.start : problems.end]
    requests = next(s for s in found.sections if s.key == "requests")
    assert requests.end == OLD.index("四、收费及减免情况")
    assert any("left unmapped" in n.message for n in found.notes)


@pytest.mark.parametrize(
    "heading,key",
    [
        ("一、总体公开信息情况", "overview"),
        ("二、行政机关主动公开政府信息情况", "active_disclosure"),
        ("三、行政机关收到和处理政府信息公开申请情况", "requests"),
        ("一、政府信息公开工作开展情况", "overview"),
        ("五、主要问题和改进措施", "problems"),
        ("三、存在问题和不足", "problems"),
    ],
)
def test_reworded_and_old_headings(heading: str, key: str) -> None:
    text = f"{heading}\n本段说明情况。\n"
    assert [s.key for s in find_headings(text).sections] == [key]


def test_a_numeral_that_lost_its_comma() -> None:
    text = "本报告依条例编制。一总体情况2023年，本局推进公开。二、主动公开政府信息情况\n略。"
    assert [s.key for s in find_sections(text)[0]] == ["overview", "active_disclosure"]


@pytest.mark.parametrize("heading", ["一 、概 述", "一、基本工作情况", "一、政务公开基本情况"])
def test_old_overview_wordings(heading: str) -> None:
    assert [s.key for s in find_headings(f"{heading}\n本局推进公开。\n").sections] == ["overview"]


@pytest.mark.parametrize("pattern", ["(?:申请|咨询)情况", "概述|基本情况", "[一二]情况", "\\d+情况", ".*情况", ""])
def test_a_title_pattern_must_start_with_a_fixed_character(pattern: str) -> None:
    from textmine.sections.candidates import _fast_pattern

    with pytest.raises(ValueError, match="sections.toml: title pattern"):
        _fast_pattern(pattern)


@pytest.mark.parametrize("pattern", ["概\\s?述", "行政法?复议[^。|]{0,4}?诉讼", "其他(?:事项|情况)", "附(?:表|件)"])
def test_fixed_start_title_patterns_are_kept(pattern: str) -> None:
    from textmine.sections.candidates import _fast_pattern

    assert _fast_pattern(pattern) == pattern


@pytest.mark.parametrize(
    "appendix",
    [
        " 附表： 指标名称 计量单位 本年数 主动公开文件数 件 12",
        " 某县水利局政府信息公开情况统计表 指标名称 计量单位 2012年度 累计数 主动公开文件数 件 12 40",
    ],
)
def test_the_indicator_list_after_the_signature_ends_the_report(appendix: str) -> None:
    """A 2008-2018 report signed and dated, then its indicator list: the
    last section stops before the list (its lines are no improvements)."""
    text = build(STANDARD[:5], sep=" ") + (
        " （一）存在的问题 一是公开栏目更新慢。 （二）改进措施 1、加强栏目维护。 2、充实公开内容。"
        " 某县水利局 二○一三年三月二十日" + appendix
    )
    secs, _ = find_sections(text)
    assert secs[-1].key == "problems"
    body = text[secs[-1].start : secs[-1].end]
    assert body.endswith("二○一三年三月二十日") and "指标名称" not in body


@pytest.mark.parametrize("stem", ["pingtan_czj_2009", "pingtanxian_rkjsj_2013"])
def test_real_old_reports_end_before_their_indicator_list(stem: str) -> None:
    path = SHARED / "corpus" / "reports" / f"{stem}.txt"
    if not path.exists():
        pytest.skip(f"real-report corpus not found at {path.parent} (a user's clone has no ../shared; CI has it)")
    text = read(path).text
    secs, _ = find_sections(text)
    last = secs[-1]
    assert last.key == "problems" and "指标名称" not in text[last.start : last.end]
