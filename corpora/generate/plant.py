"""Planted disagreements: a narrative number that misstates its table, as
real reports do now and then; the gold notes it and its check fails."""

from __future__ import annotations

import random
from typing import Any

from corpora.generate.fill import MARK_RE
from corpora.generate.keys import quantity_value, table_layout, yuan
from corpora.generate.tables import fmt_num

PLANT_SHARE = 0.15  # tabular reports whose narrative misstates one table quantity


def plant_disagreement(
    rng: random.Random, claims: list[dict[str, Any]], tables: dict[str, dict[str, Any]], layout: str, notes: list[str]
) -> dict[int, str]:
    """Make one claim that restates a table quantity (any family) state a
    wrong number, clearly outside the check's tolerance and fitting none of
    its readings; note it.  Returns ``{claim id: number as printed}`` for
    :func:`unmark`."""
    lay = table_layout(tables["t3"])
    candidates = []
    for c in claims:
        if "_id" not in c:
            continue
        truths = [quantity_value(k, tables, lay) for k in c.get("readings") or [c["cell"]]]
        if all(t is not None for t in truths):
            candidates.append((c, truths))
    if not candidates:
        return {}
    keys = sorted({c["cell"] for c, _ in candidates})
    key = rng.choice(keys)  # any family alike, not the most restated one mostly
    c, truths = rng.choice([(c, t) for c, t in candidates if c["cell"] == key])
    truth = quantity_value(c["cell"], tables, lay)
    assert truth is not None
    shown_before = c["text"][len(c["_before"]) : len(c["text"]) - len(c["_after"])]
    value: float | int
    if c["kind"] == "rate":
        decimals = len(shown_before.partition(".")[2])
        for _ in range(100):
            wrong = truth + rng.choice([3, 5, 8, 12, 20]) * rng.choice([-1, 1])
            if 0 <= wrong <= 100 and all(abs(wrong - t) > 2 for t in truths):
                break
        shown = f"{wrong:.{decimals}f}"
        value = float(shown) if decimals else int(shown)
    elif c["kind"] == "money":  # the truth is in 万元; the claim's value in 元
        for _ in range(100):
            wan = round(truth * rng.choice([1.2, 1.5, 2.0, 0.5]) + rng.choice([1, 5, 20]), 2)
            if abs(wan - truth) > max(1.0, 0.1 * truth):
                break
        value = yuan(wan)
        shown = fmt_num(wan) if c["_unit"] == "万元" else fmt_num(value)
    else:
        t = int(truth)
        for _ in range(100):
            delta = rng.choice([2, 3, 5, 10])
            if t >= 100:
                delta = max(delta, round(t * rng.choice([0.05, 0.1, 0.2])))
            wrong_count = t - delta if delta <= t and rng.random() < 0.4 else t + delta
            if all(abs(wrong_count - x) >= 2 for x in truths):
                break
        value = wrong_count
        shown = str(wrong_count)
    was = c["text"]
    c["text"] = c["_before"] + shown + c["_after"]
    c["value"] = value
    c["approx"] = False
    printed = fmt_num(round(truth, 4)) + ("%" if c["kind"] == "rate" else " 万元" if c["kind"] == "money" else "")
    notes.append(
        f"Narrative states {c['text']!r} where the tables give {printed} for {c['cell']} "
        f"(written {was!r}): a planted disagreement, kept as printed; text.table:{c['cell']} fails."
    )
    return {c["_id"]: shown}


def unmark(block: str, planted: dict[int, str]) -> str:
    """``block`` without the claim marks of :func:`fill`, planted numbers in place."""
    return MARK_RE.sub(lambda m: planted.get(int(m.group(1)), m.group(2)), block)
