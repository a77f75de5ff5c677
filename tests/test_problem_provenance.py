"""Every alternative of every rule pattern earns its place on training data.

issue 12: patterns written against the real gold made the rule layer look
better than it is.  An alternative (a top-level ``|`` branch of a pattern
in ``problem_patterns.toml``) must fire on at least one item of our own
annotations or of the real reports used for training, or a phrase the
taxonomy itself gives for its category (``taxonomy.toml``: ``name`` and
``phrasing``); the reports listed as evaluation data in
``corpora/annotations/problem_splits.toml`` may not be its only support.
"""

from __future__ import annotations

import re

from conftest import ROOT, shared_path
from textmine.data import load_toml
from textmine.problems.rules import alternatives, category_patterns
from textmine.problems.train import evaluation_reports, load_annotations, load_gold_items

ANNOTATIONS = ROOT / "corpora" / "annotations" / "problems.jsonl"
SPLITS = ROOT / "corpora" / "annotations" / "problem_splits.toml"


def _taxonomy_phrases() -> dict[str, list[str]]:
    return {c["key"]: [c["name"], *c.get("phrasing", [])] for c in load_toml("taxonomy.toml")["category"]}


def _unsupported(training: list[str], evaluation: list[str]) -> tuple[list[str], list[str]]:
    only_evaluation, nowhere = [], []
    phrases = _taxonomy_phrases()
    for category in category_patterns():
        for source, _ in category.patterns:
            for alternative in alternatives(source):
                rx = re.compile(alternative)
                if any(rx.search(t) for t in [*training, *phrases[category.key]]):
                    continue
                where = only_evaluation if any(rx.search(t) for t in evaluation) else nowhere
                where.append(f"{category.key}: {alternative}")
    return only_evaluation, nowhere


def test_alternatives_split_at_the_top_level_only() -> None:
    assert alternatives(r"(?:发布|公开)滞后|[^|]{0,3}不及时|村\(居\)|a\|b") == [
        r"(?:发布|公开)滞后",
        r"[^|]{0,3}不及时",
        r"村\(居\)",
        r"a\|b",
    ]
    for category in category_patterns():
        for source, _ in category.patterns:
            assert "|".join(alternatives(source)) == source


def test_every_pattern_alternative_fires_on_training_data() -> None:
    shared = shared_path()
    items = load_annotations(ANNOTATIONS) + load_gold_items(shared / "corpus" / "gold", evaluation_reports(SPLITS))
    training = [i.text for i in items if i.source != "real-evaluation"]
    evaluation = [i.text for i in items if i.source == "real-evaluation"]
    assert evaluation, f"no evaluation report of {SPLITS.name} found in ../shared/corpus/gold"
    only_evaluation, nowhere = _unsupported(training, evaluation)
    assert not only_evaluation, f"pattern alternatives that fire only on evaluation reports: {only_evaluation}"
    assert not nowhere, f"pattern alternatives that fire on no training item: {nowhere}"
