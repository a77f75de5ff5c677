"""The rule layer (textmine/problems/rules.py), extract_items and scoring.score_items."""

from __future__ import annotations

import re

import pytest

from conftest import SAMPLE, gold_for, real_reports, sample_reports, shared_path
from textmine.data import load_toml
from textmine.problems import extract_items
from textmine.problems.rules import CATEGORIES, RuleClassifier, category_patterns
from textmine.scoring import score_items


def _labels(text: str) -> set[str]:
    return set(RuleClassifier().fit().predict([text])[0])


def test_estimator_conventions() -> None:
    clf = RuleClassifier(categories=["review"], use_other=False)
    assert clf.categories == ["review"] and clf.use_other is False
    assert clf.fit(["x"], [["review"]]) is clf
    assert clf.classes_ == ["review"]
    assert clf.predict(["审核把关不严，网站更新不及时。"]) == [["review"]]
    with pytest.raises(ValueError, match="unknown categories"):
        RuleClassifier(categories=["nope"]).fit()


def test_pattern_file_keys_are_the_taxonomy() -> None:
    data = load_toml("problem_patterns.toml")
    assert set(data) == set(CATEGORIES)
    for key, entry in data.items():
        for p in entry["patterns"]:
            re.compile(p["regex"])
            assert p.get("note"), f"{key}: pattern {p['regex']!r} has no note"
    assert category_patterns() is category_patterns()  # compiled once


@pytest.mark.parametrize(
    "text, expected",
    [
        ("网站更新不及时，部分栏目长期未更新。", {"timeliness"}),
        ("解读材料跟进不及时。", {"interpretation"}),  # late interpretation is interpretation alone
        ("回应社会关切不及时。", {"responsiveness"}),
        ("严格落实“三审三校”制度，坚持先审后发。", {"review"}),  # enforcing a rule is the area's key
        ("健全考核评估办法，定期通报工作情况。", {"mechanisms"}),
        ("政务新媒体各自为政，与网站口径不一致。", {"coordination", "platforms"}),
        ("公开意识不强，存在怕公开、选择性公开倾向。", {"awareness"}),
        ("对照标准目录动态调整主动公开事项清单。", {"coverage"}),
        ("依申请公开答复不规范，存在法律风险。", {"requests"}),
        ("工作人员多为兼职，业务培训不够。", {"capacity"}),
        ("将政务公开纳入干部教育培训内容，围绕审核发布要求开展专题培训。", {"capacity"}),
        ("乡镇（街道）和村（社区）公开内容不够规范。", {"grassroots"}),
        ("开拓创新不够，特色亮点不多。", {"innovation"}),
        ("广泛征求社会意见，常态化开展政府开放日活动。", {"participation"}),
        ("积极争取工作经费，规范档案资料管理。", {"other"}),
        ("持续认真贯彻落实各项决策部署。", set()),  # nothing fires: empty, not other
    ],
)
def test_rules(text: str, expected: set[str]) -> None:
    assert _labels(text) == expected


def test_explain_gives_traceable_evidence() -> None:
    text = "一是审核把关不严，网站更新不及时。"
    ev = RuleClassifier().fit().explain(text)
    assert set(ev) == {"review", "timeliness"}
    for items in ev.values():
        for e in items:
            assert set(e) == {"pattern", "match", "start", "end"}
            assert text[e["start"] : e["end"]] == e["match"]
            assert re.search(e["pattern"], e["match"])


def test_other_only_when_nothing_else_fires() -> None:
    assert _labels("加强经费保障，完善考核办法。") == {"mechanisms"}


def test_score_items_overlap_rule() -> None:
    gold = {"problems": [{"text": "政务公开队伍建设有待进一步加强", "categories": ["capacity"]}], "improvements": []}
    pred = {
        "problems": [{"text": "政务公开队伍建设有待进一步加强；", "categories": ["capacity", "review"]}],
        "improvements": [{"text": "多余的一项。", "categories": []}],
    }
    s = score_items(pred, gold)
    assert s["items"]["tp"] == 1 and s["items"]["fp"] == 1 and s["items"]["fn"] == 0
    assert s["labels"]["micro"]["precision"] == 0.5 and s["labels"]["micro"]["recall"] == 1.0
    assert s["per_category"]["review"]["fp"] == 1
    # same text but other kind: no match
    swapped = {"problems": [], "improvements": pred["problems"]}
    assert score_items(swapped, gold)["items"]["tp"] == 0


def _corpus_scores(paths) -> dict:
    from textmine.pipeline import analyze

    preds, golds = [], []
    for path in paths:
        record = analyze(path)
        problems, improvements = extract_items(record)
        for it in problems + improvements:
            for evs in it["evidence"].values():
                for e in evs:
                    assert record.text[e["start"] : e["end"]] == e["match"]
        preds.append({"problems": problems, "improvements": improvements})
        golds.append(gold_for(path))
    return score_items(preds, golds)


def test_real_reports_rule_layer() -> None:
    shared_path()
    paths = [p for p in real_reports() if "problems" in gold_for(p) or "improvements" in gold_for(p)]
    s = _corpus_scores(paths)
    assert s["items"]["f1"] >= 0.9
    assert s["labels"]["micro"]["f1"] >= 0.85


def test_sample_reports_rule_layer() -> None:
    paths = sample_reports()
    if not paths:
        pytest.skip(f"sample corpus not found at {SAMPLE}")
    s = _corpus_scores(paths)
    assert s["items"]["f1"] >= 0.9
    assert s["labels"]["micro"]["f1"] >= 0.85
