"""Splitting section 五 into items (textmine/problems/items.py)."""

from __future__ import annotations

import pytest

from conftest import SAMPLE, gold_for, real_reports, sample_reports, shared_path
from textmine.problems import split_items
from textmine.record import Section
from textmine.scoring import score_items

TITLE = "五、存在的主要问题及改进情况"


def _split(body: str) -> list[tuple[str, str]]:
    text = "前文。\n" + TITLE + "\n" + body
    sec = Section("problems", TITLE, text.index(TITLE), len(text))
    items = split_items(text, sec)
    for it in items:
        assert text[it["start"] : it["end"]] == it["text"]
    return [(it["kind"][0], it["text"]) for it in items]


CASES = {
    "shi": (
        "但仍存在一些不足。一是公开意识不强。二是更新不及时。下一步，我们将：一是强化意识。二是加快更新。",
        [("p", "一是公开意识不强。"), ("p", "二是更新不及时。"), ("i", "一是强化意识。"), ("i", "二是加快更新。")],
    ),
    "sloppy_shi": (
        "一是审核不严。\n下一步，我们将继续完善制度。是提高发布质量。二是健全机制。",
        [("p", "一是审核不严。"), ("i", "是提高发布质量。"), ("i", "二是健全机制。")],
    ),
    "paren_subheadings": (
        "（一）存在的问题\n（一）平台功能不完善。（二）解读形式单一。\n（二）改进措施\n（一）优化平台。（二）丰富解读。",
        [
            ("p", "（一）平台功能不完善。"),
            ("p", "（二）解读形式单一。"),
            ("i", "（一）优化平台。"),
            ("i", "（二）丰富解读。"),
        ],
    ),
    "ascii_paren": (
        "(一)存在问题。2024年，我局仍存在一定不足。一是意识不强。\n(二)改进措施。2025年，我局将补短板。一是强化意识。",
        [("p", "一是意识不强。"), ("i", "一是强化意识。")],
    ),
    "arabic_inline": (
        "（一）存在问题：主要表现在：1.政策解读比例较低；2.反馈不规范。\n（二）改进措施：1.丰富解读；2.及时反馈。",
        [("p", "1.政策解读比例较低；"), ("p", "2.反馈不规范。"), ("i", "1.丰富解读；"), ("i", "2.及时反馈。")],
    ),
    "arabic_dun_and_decimal": (
        "1、覆盖率仅2.5%。2、人员不足。针对上述问题，下一步将：1、扩大覆盖。",
        [("p", "1、覆盖率仅2.5%。"), ("p", "2、人员不足。"), ("i", "1、扩大覆盖。")],
    ),
    "dun": (
        "一、更新不及时。二、审核不严。今后，我们将从以下方面改进：一、加快更新。",
        [("p", "一、更新不及时。"), ("p", "二、审核不严。"), ("i", "一、加快更新。")],
    ),
    "di": (
        "第一，更新不及时。第二，审核不严。改进措施：第一，加快更新。",
        [("p", "第一，更新不及时。"), ("p", "第二，审核不严。"), ("i", "第一，加快更新。")],
    ),
    "first_then_last": (
        "首先，更新不及时。其次，审核不严。最后，人员不足。\n下一步工作打算\n首先，加快更新。最后，加强培训。",
        [
            ("p", "首先，更新不及时。"),
            ("p", "其次，审核不严。"),
            ("p", "最后，人员不足。"),
            ("i", "首先，加快更新。"),
            ("i", "最后，加强培训。"),
        ],
    ),
    "unnumbered_semicolons": (
        "2025年，本区公开工作稳步推进，但也有一些不足，如：队伍建设有待加强；平台互动功能仍有不足。下一步整改措施：一是强化队伍建设。",
        [("p", "队伍建设有待加强；"), ("p", "平台互动功能仍有不足。"), ("i", "一是强化队伍建设。")],
    ),
    "unnumbered_sentences_and_area_preamble": (
        "2021年，我局工作规范有序，但在办事指南的更新上还不够及时。2022年，我局将通过定期核对、专人维护等方式加快指南更新。",
        [
            ("p", "2021年，我局工作规范有序，但在办事指南的更新上还不够及时。"),
            ("i", "2022年，我局将通过定期核对、专人维护等方式加快指南更新。"),
        ],
    ),
    "generic_pledge_is_preamble": (
        "个别栏目长时间没有更新。\n下一步，某县人民政府将认真贯彻落实《条例》，进一步提升政务公开工作质量。加快栏目更新。",
        [("p", "个别栏目长时间没有更新。"), ("i", "加快栏目更新。")],
    ),
    "nested_numbering_stays_inside": (
        "（一）加强审核。一是三审三校；二是先审后发。（二）加强培训。",
        [("p", "（一）加强审核。一是三审三校；二是先审后发。"), ("p", "（二）加强培训。")],
    ),
    "nested_arabic_stays_inside": (
        "（一）加强审核。1、三审三校；2、先审后发。（二）加强培训。",
        [("p", "（一）加强审核。1、三审三校；2、先审后发。"), ("p", "（二）加强培训。")],
    ),
    "headings_run_into_text": (
        (
            "（一）存在问题本单位工作虽有进步，但仍有短板：一是栏目更新慢。二是解读单薄。"
            "（二）改进措施一是加快栏目更新。二是丰富解读。"
        ),
        [("p", "一是栏目更新慢。"), ("p", "二是解读单薄。"), ("i", "一是加快栏目更新。"), ("i", "二是丰富解读。")],
    ),
    "heading_run_into_a_year_and_a_sentence": (
        (
            "（一）存在的不足2024年，我们也认识到不足。1.甲栏目不够完善。2.乙窗口人手不足。"
            "（二）下一步工作打算改进措施：一是完善甲栏目。"
        ),
        [("p", "1.甲栏目不够完善。"), ("p", "2.乙窗口人手不足。"), ("i", "一是完善甲栏目。")],
    ),
    "numbered_heading_wording_as_a_subject_is_an_item": (
        "（一）改进措施落实不到位。（二）考核机制不健全。下一步，我们将：一是狠抓落实。",
        [("p", "（一）改进措施落实不到位。"), ("p", "（二）考核机制不健全。"), ("i", "一是狠抓落实。")],
    ),
    "old_layout_section_heading_inside": (
        "1.台账不全。2.培训偏少。七、下一步工作思路1.建立台账。2.增加培训。",
        [("p", "1.台账不全。"), ("p", "2.培训偏少。"), ("i", "1.建立台账。"), ("i", "2.增加培训。")],
    ),
    "shi_after_comma": (
        "工作虽有起色，但还有如下问题：一是公开内容不够全面，二是回应不够及时。我单位将继续改进：一是扩大公开范围。",
        [("p", "一是公开内容不够全面，"), ("p", "二是回应不够及时。"), ("i", "一是扩大公开范围。")],
    ),
    "comma_list_after_colon_then_paren_improvements": (
        (
            "本单位工作有所进步，但仍存在一些不足，如：考核机制尚未健全，窗口人员业务不熟，宣传渠道单一等。"
            "为做好公开工作，下阶段我单位将抓好三项工作：（一）健全考核。细化指标。（二）强化培训。"
        ),
        [
            ("p", "考核机制尚未健全"),
            ("p", "窗口人员业务不熟"),
            ("p", "宣传渠道单一等。"),
            ("i", "（一）健全考核。细化指标。"),
            ("i", "（二）强化培训。"),
        ],
    ),
    "comma_list_after_ru_in_the_sentence": (
        (
            "今年工作平稳，但仍存在一些不足之处，如办事指南更新有待加快，解读数量还不够多，互动回应还需进一步加强。"
            "下一步，我们将：一是加快更新。"
        ),
        [
            ("p", "办事指南更新有待加快"),
            ("p", "解读数量还不够多"),
            ("p", "互动回应还需进一步加强。"),
            ("i", "一是加快更新。"),
        ],
    ),
    "dun_list_before_deng_wenti": (
        (
            "全年工作有序推进，但距群众期盼还有一定差距，主要存在公开意识不够强、解读能力不足、平台建设滞后等问题。"
            "下一步，我们将从三方面改进：一是强化意识；二是提升能力。"
        ),
        [
            ("p", "公开意识不够强"),
            ("p", "解读能力不足"),
            ("p", "平台建设滞后等问题。"),
            ("i", "一是强化意识；"),
            ("i", "二是提升能力。"),
        ],
    ),
    "list_of_clauses_about_one_subject_stays_whole": (
        (
            "今年工作虽有进步，也有一些困难和问题。比如，信息员人手紧张，对业务规则理解不深，审核把关有待加强。"
            "下一步将加强培训。"
        ),
        [("p", "信息员人手紧张，对业务规则理解不深，审核把关有待加强。"), ("i", "下一步将加强培训。")],
    ),
    "examples_of_a_named_problem_stay_with_it": (
        "部分栏目更新不及时，如通知公告栏目长期未更新，办事指南栏目内容不全。下一步将加强栏目维护。",
        [
            ("p", "部分栏目更新不及时，如通知公告栏目长期未更新，办事指南栏目内容不全。"),
            ("i", "下一步将加强栏目维护。"),
        ],
    ),
    "one_problem_after_ru": (
        "本年度公开工作取得明显成效。同时也有一些不足，如个别答复超出期限。今后我单位将继续完善答复流程。",
        [("p", "个别答复超出期限。"), ("i", "今后我单位将继续完善答复流程。")],
    ),
    "achievement_sentence_is_a_preamble": (
        "一年来，本单位公开工作稳步推进，取得较好成果。不过还存在主动公开深度有待拓展等问题。明年，我单位将拓展公开深度。",
        [("p", "不过还存在主动公开深度有待拓展等问题。"), ("i", "明年，我单位将拓展公开深度。")],
    ),
    "purpose_clause_opens_improvements": (
        "一是宣传不够。二是意识不强。为了进一步做好公开工作，我单位在今后工作中将加大宣传力度。",
        [
            ("p", "一是宣传不够。"),
            ("p", "二是意识不强。"),
            ("i", "为了进一步做好公开工作，我单位在今后工作中将加大宣传力度。"),
        ],
    ),
    "clause_without_subject_stays_with_the_one_before": (
        "（一）存在的主要问题：解读质量偏低，解读材料仅包括背景和要点；未采用图解等形式。（二）改进措施：一是提升解读质量。",
        [("p", "解读质量偏低，解读材料仅包括背景和要点；未采用图解等形式。"), ("i", "一是提升解读质量。")],
    ),
    "clauses_with_their_own_subjects_stay_apart": (
        "栏目信息更新不及时；对群众关切回应不够。下一步将加快更新。",
        [("p", "栏目信息更新不及时；"), ("p", "对群众关切回应不够。"), ("i", "下一步将加快更新。")],
    ),
    "wrapped_lines": (
        "工作中还存在以下问题：\n甲栏目的更新时限不够明确，部分信\n息发布滞后。\n改进措施：\n明确更新时限，定期\n巡查栏目。\n落实责任人。",
        [
            ("p", "甲栏目的更新时限不够明确，部分信\n息发布滞后。"),
            ("i", "明确更新时限，定期\n巡查栏目。"),
            ("i", "落实责任人。"),
        ],
    ),
    "sentences_after_a_plain_lead_in_stay_whole": (
        "工作中还存在以下问题：\n对基层的指导不够，各单位进展不平衡。\n栏目设置不够合理。",
        [("p", "对基层的指导不够，各单位进展不平衡。"), ("p", "栏目设置不够合理。")],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_numbering_styles(name: str) -> None:
    body, expected = CASES[name]
    assert _split(body) == expected


@pytest.mark.parametrize("body", ["无", "无。", "暂无", "\n暂无。\n", "无其他需要报告的问题。"])
def test_nothing_to_report_gives_no_items(body: str) -> None:
    assert _split(body) == []


def test_no_section_gives_no_items() -> None:
    assert split_items("任何文本", None) == []


def test_deterministic() -> None:
    body = CASES["shi"][0]
    assert _split(body) == _split(body)


def _corpus_item_f1(paths) -> dict:
    from textmine.pipeline import analyze

    preds, golds = [], []
    for path in paths:
        gold = gold_for(path)
        record = analyze(path)
        items = split_items(record.text, record.section("problems"))
        preds.append(
            {
                "problems": [i for i in items if i["kind"] == "problem"],
                "improvements": [i for i in items if i["kind"] == "improvement"],
            }
        )
        golds.append(gold)
    return score_items(preds, golds)["items"]


def test_real_reports_item_f1() -> None:
    """Every real report with gold items is split at item F1 ≥ 0.95."""
    shared_path()
    paths = [p for p in real_reports() if "problems" in gold_for(p) or "improvements" in gold_for(p)]
    assert paths
    scores = {p.stem: _corpus_item_f1([p])["f1"] for p in paths}
    below = {name: round(f1, 3) for name, f1 in scores.items() if f1 < 0.95}
    assert below == {}, f"item F1 below 0.95: {below}"


def test_sample_reports_item_f1() -> None:
    paths = sample_reports()
    if not paths:
        pytest.skip(f"sample corpus not found at {SAMPLE}")
    assert _corpus_item_f1(paths)["f1"] >= 0.9


def test_real_item_offsets_are_exact() -> None:
    shared_path()
    from textmine.pipeline import analyze

    for path in real_reports():
        record = analyze(path)
        for it in split_items(record.text, record.section("problems")):
            assert record.text[it["start"] : it["end"]] == it["text"], path.name
            assert it["text"] == it["text"].strip(), path.name


@pytest.mark.parametrize(
    ("where", "change", "message"),
    [
        ("cue", lambda d: d["cue"].append({"pattern": "下一步("}), "cue"),
        ("style", lambda d: d["style"][0].update(marker="一是"), "group"),
        ("intro", lambda d: d["intro"][0].update(cut="yes"), "cut"),
        ("heading", lambda d: d["heading"][0].update(kind="other"), r"heading\.0\.kind"),
    ],
)
def test_marker_data_is_checked_when_loaded(monkeypatch: pytest.MonkeyPatch, where: str, change, message: str) -> None:
    from textmine.data import load_toml, validate
    from textmine.problems import markers

    data = load_toml("item_markers.toml")
    change(data)
    monkeypatch.setattr(markers, "load_toml", lambda name: validate(name, data))
    markers.item_markers.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            markers.item_markers()
    finally:
        monkeypatch.undo()
        markers.item_markers.cache_clear()
