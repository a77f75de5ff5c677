"""The gold record's derived parts: its check statuses (from its own cells
and claims, not from textmine) and its notes and source, once written."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from corpora.generate.keys import T3_COLS, T4_COLS, T4_GROUPS, quantity_value, t3_result_rows, t3_rows, table_layout
from corpora.generate.model import Report


def check_status(vals: list[Any], ok: Callable[[], bool]) -> str:
    """skip when a value is blank (not a number), else pass or fail by ``ok``."""
    return "skip" if any(not isinstance(v, (int, float)) for v in vals) else "pass" if ok() else "fail"


def derive_checks(gold: dict[str, Any]) -> dict[str, str]:
    """Check results derived from gold cells and claims (``rule:scope`` → status)."""
    out: dict[str, str] = {}
    tables = gold.get("tables")
    if not tables:
        return out
    t3, t4 = tables["t3"], tables["t4"]
    layout = gold["meta"]["layout"]
    status = check_status
    for c in T3_COLS:
        a = [
            t3.get(f"new_received.{c}"),
            t3.get(f"carried_over.{c}"),
            t3.get(f"handled_total.{c}"),
            t3.get(f"carried_forward.{c}"),
        ]
        out[f"t3.identity:{c}"] = status(a, lambda: a[0] + a[1] == a[2] + a[3])
    for c in T3_COLS:
        parts = [t3.get(f"{r}.{c}") for r in t3_result_rows(layout)]
        tot = t3.get(f"handled_total.{c}")
        out[f"t3.handled_sum:{c}"] = status(parts + [tot], lambda: sum(parts) == tot)
    for r in t3_rows(layout):
        vals = [t3.get(f"{r}.{c}") for c in T3_COLS]
        out[f"t3.row_total:{r}"] = status(vals, lambda: sum(vals[:-1]) == vals[-1])
    for g in T4_GROUPS:
        vals = [t4.get(f"{g}.{c}") for c in T4_COLS]
        out[f"t4.sum:{g}"] = status(vals, lambda: sum(vals[:-1]) == vals[-1])
    # text.table: one status per quantity key, fail if any claim of it fails, else pass if any passes
    rank = {"fail": 0, "pass": 1, "skip": 2}
    for cl in gold.get("claims", []):
        got = claim_check(cl, tables, table_layout(t3))
        if got is None:
            continue
        key = f"text.table:{got[0]}"
        if key not in out or rank[got[1]] < rank[out[key]]:
            out[key] = got[1]
    return out


def claim_check(claim: dict[str, Any], tables: dict[str, dict[str, Any]], layout: str) -> tuple[str, str] | None:
    """The quantity key and status ``text.table`` should give ``claim``:
    with several readings, the first the number fits; when it fits none and
    all could be computed, a fail on its ``cell``; else a skip on the first
    that could not be computed (a blank cell)."""
    cell = claim.get("cell")
    if not cell:
        return None
    results = [(k, _agreement(claim, quantity_value(k, tables, layout))) for k in claim.get("readings") or [cell]]
    for key, status in results:
        if status == "pass":
            return key, status
    if len(results) == 1:
        return results[0]
    if all(status == "fail" for _, status in results):
        return cell, "fail"
    return next(k for k, status in results if status == "skip"), "skip"


def _agreement(claim: dict[str, Any], truth: float | None) -> str:
    """pass, fail or skip (no truth): a share within half a unit of its last
    printed digit, money in 元 against 万元, an approximate figure within 10%."""
    value = claim.get("value")
    if truth is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return "skip"
    if claim.get("kind") == "rate":
        m = re.search(r"(\d+(?:\.(\d+))?)\s*%", str(claim.get("text", "")))
        tolerance = 0.5 / 10 ** len((m.group(2) or "") if m else "")
    else:
        if claim.get("unit") == "元":
            value = value / 10000
        tolerance = 1e-6 * max(1.0, abs(truth))
        if claim.get("approx"):
            tolerance = max(tolerance, 0.1 * abs(truth))
    return "pass" if abs(value - truth) <= tolerance + 1e-9 else "fail"


def finish_gold(rep: Report, fname: str, prefix: str = "reports/") -> dict[str, Any]:
    """``rep``'s gold once written as ``fname``: its source, notes (how it was
    printed first) and derived checks."""
    g = rep.gold
    g["source"] = prefix + fname
    sp = rep.spec
    if sp.fmt == "txt" and sp.flattening:
        rep.notes.insert(0, f"Text flattening '{sp.flattening}', encoding {sp.encoding}.")
    elif sp.fmt == "html":
        rep.notes.insert(
            0,
            f"HTML, encoding {sp.encoding}"
            + (", page chrome" if sp.chrome else "")
            + (", digits split across <span>s" if sp.split_digits else "")
            + ".",
        )
    else:
        rep.notes.insert(
            0, f"{sp.fmt.upper()} with real tables." if g["meta"]["layout"] != "free" else f"{sp.fmt.upper()}."
        )
    if g["meta"]["published"] is None:
        rep.notes.append("No publication date in the document (published null).")
    g["notes"] = " ".join(rep.notes)
    g["checks"] = derive_checks(g)
    return g
