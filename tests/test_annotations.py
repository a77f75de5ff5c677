"""The synthetic section-五 training set in corpora/annotations/problems.jsonl."""

from __future__ import annotations

import collections
import json
import re

import pytest

from conftest import ROOT, SHARED

PATH = ROOT / "corpora" / "annotations" / "problems.jsonl"

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


@pytest.fixture(scope="module")
def items() -> list[dict]:
    out = []
    for n, line in enumerate(PATH.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:  # pragma: no cover - failure message only
                pytest.fail(f"line {n} is not JSON: {e}")
    return out


def test_enough_items(items):
    assert len(items) >= 400


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


def test_every_category_common_enough(items):
    counts = collections.Counter(c for it in items for c in it["categories"])
    low = {k: counts[k] for k in KEYS if counts[k] < 20}
    assert not low, f"categories under 20 items: {low}"


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
