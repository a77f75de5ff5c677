"""The synthetic section-五 sets: corpora/annotations/problems.jsonl (training)
and problems_evaluation.jsonl (evaluation only)."""

from __future__ import annotations

import collections
import json
import re

import pytest

from conftest import ROOT, SHARED

PATH = ROOT / "corpora" / "annotations" / "problems.jsonl"
EVALUATION = ROOT / "corpora" / "annotations" / "problems_evaluation.jsonl"
# Per file: the fewest items, and the fewest items of each category.
SIZES = {PATH: (400, 20), EVALUATION: (400, 15)}

# The 15 keys of ../shared/spec/taxonomy.md, hard-coded so the test runs without ../shared.
KEYS = [
    "timeliness",
    "review",
    "coordination",
    "awareness",
    "coverage",
    "interpretation",
    "responsiveness",
    "participation",
    "requests",
    "platforms",
    "capacity",
    "mechanisms",
    "grassroots",
    "innovation",
    "other",
]
NUMBERINGS = {"yishi", "paren", "dun", "arabic", "diyi", "shouxian", "none"}


def _read(path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:  # pragma: no cover - failure message only
                pytest.fail(f"{path.name} line {n} is not JSON: {e}")
    return out


@pytest.fixture(scope="module", params=list(SIZES), ids=lambda p: p.stem)
def items(request) -> list[dict]:
    return _read(request.param)


@pytest.fixture(scope="module", params=list(SIZES), ids=lambda p: p.stem)
def sized(request) -> tuple[list[dict], tuple[int, int]]:
    return _read(request.param), SIZES[request.param]


def test_enough_items(sized):
    items, (least, _) = sized
    assert len(items) >= least


def test_evaluation_items_are_apart_from_the_training_items():
    """Held-out figures need items unlike any the model was fitted on: no
    shared id, text or run of 16 characters."""
    training, evaluation = _read(PATH), _read(EVALUATION)
    assert not {it["id"] for it in training} & {it["id"] for it in evaluation}

    def runs(text: str) -> set[str]:
        return {text[k : k + 16] for k in range(len(text) - 15)}

    seen = set().union(*(runs(it["text"]) for it in training))
    shared = [it["id"] for it in evaluation if runs(it["text"]) & seen]
    assert not shared, f"evaluation items sharing 16 characters with training items: {shared}"


def test_fields(items):
    for it in items:
        assert re.fullmatch(r"a\d{4}", it["id"]), it
        assert it["kind"] in {"problem", "improvement"}, it
        assert it["numbering"] in NUMBERINGS, it
        assert isinstance(it["text"], str) and 15 <= len(it["text"]) <= 220, it
        cats = it["categories"]
        assert cats and len(set(cats)) == len(cats), it
        assert set(cats) <= set(KEYS), it
        if "other" in cats:
            assert it.get("note"), f"{it['id']}: `other` needs a note"
    assert len({it["id"] for it in items}) == len(items)


def test_both_kinds(items):
    kinds = collections.Counter(it["kind"] for it in items)
    assert kinds["problem"] >= 100 and kinds["improvement"] >= 100


def test_every_category_common_enough(sized):
    items, (_, least) = sized
    counts = collections.Counter(c for it in items for c in it["categories"])
    low = {k: counts[k] for k in KEYS if counts[k] < least}
    assert not low, f"categories under {least} items: {low}"


def test_no_duplicate_texts(items):
    dups = [t for t, n in collections.Counter(it["text"] for it in items).items() if n > 1]
    assert not dups, dups


def test_not_copied_from_gold(items):
    gold_dir = SHARED / "corpus" / "gold"
    if not gold_dir.is_dir():
        pytest.skip(f"gold corpus not found at {gold_dir} (a user's clone has no ../shared)")
    gold = set()
    for f in gold_dir.glob("*.json"):
        data = json.loads(f.read_text("utf-8"))
        for key in ("problems", "improvements"):
            gold.update(x["text"] for x in data.get(key) or [])
    assert gold, "no gold problems/improvements found"
    copied = [it["id"] for it in items if it["text"] in gold]
    assert not copied, f"items verbatim in gold: {copied}"
