"""How well each report was read: cells, identities, sections, one verdict.

A researcher with ten thousand reports needs to know which figures rest on
well-read reports and which reports to send to a person.  ``assess_reading``
looks at what the stages left on the record:

- cells: of the cells the report's table layout has, how many were read
  (a value, or a blank the report prints: ``/``, ``—``, an empty cell), how
  many hold values, how many were not read (a row not found, a run of digits
  left ambiguous);
- identities: the table identities (勾稽关系, row totals, table 4's sums) that
  hold, fail or could not run;
- sections: the six parts found and missing, and headings left unmapped;
- meta: title, agency and year found or not;

and gives one verdict, ``good``, ``check`` or ``poor``, with every reason
that made it.  Thresholds are data (``data/reading.toml``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .data import load_toml
from .record import SECTION_KEYS, Record
from .tables import layout_cell_keys, load_layouts

__all__ = ["VERDICTS", "assess_reading", "reading_rules"]

VERDICTS = ("good", "check", "poor")


@dataclass(frozen=True)
class ReadingRules:
    identity_rules: frozenset[str]
    poor_cell_share: float
    poor_min_sections: int
    poor_min_sections_free: int
    check_cell_share: float
    check_max_identity_fails: int
    check_max_identity_skip_share: float


@lru_cache(maxsize=1)
def reading_rules() -> ReadingRules:
    """``reading.toml``'s thresholds (loaded once, lazily; checked on load)."""
    d = load_toml("reading.toml")
    rules = ReadingRules(
        identity_rules=frozenset(d["identities"]["rules"]),
        poor_cell_share=float(d["poor"]["cell_share"]),
        poor_min_sections=int(d["poor"]["min_sections"]),
        poor_min_sections_free=int(d["poor"]["min_sections_free"]),
        check_cell_share=float(d["check"]["cell_share"]),
        check_max_identity_fails=int(d["check"]["max_identity_fails"]),
        check_max_identity_skip_share=float(d["check"]["max_identity_skip_share"]),
    )
    if rules.poor_cell_share > rules.check_cell_share:
        raise ValueError("reading.toml: [poor] cell_share must not exceed [check] cell_share")
    return rules


@lru_cache(maxsize=8)
def _optional_rows(layout: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    layouts = load_layouts()
    return tuple(
        (table, row.key, tuple(row.cell_keys()))
        for table in ("t2", "t3")
        for row in getattr(layouts, table)[layout].rows
        if row.optional
    )


def _cells(record: Record) -> dict[str, Any]:
    layout = record.meta.get("layout")
    expected = layout_cell_keys(layout, record.tables)
    # Optional rows (规章) the report left out entirely are not cells it failed to read.
    not_printed = [
        key for table, key, cells in _optional_rows(layout) if record.tables.get(table, {}).keys().isdisjoint(cells)
    ]
    out: dict[str, Any] = {
        "expected": 0,
        "read": 0,
        "values": 0,
        "blank": 0,
        "not_read": 0,
        "not_printed": not_printed,
        "by_table": {},
    }
    for table, keys in expected.items():
        got = record.tables.get(table, {})
        if not_printed:
            keys = tuple(k for k in keys if k.rpartition(".")[0] not in not_printed)
        read = got.keys() & set(keys)
        values = len([k for k in read if got[k] is not None])
        part = {"expected": len(keys), "read": len(read), "values": values, "blank": len(read) - values}
        out["by_table"][table] = part
        for k in ("expected", "read", "values", "blank"):
            out[k] += part[k]
    out["not_read"] = out["expected"] - out["read"]
    out["share"] = round(out["read"] / out["expected"], 4) if out["expected"] else None
    return out


def _identities(record: Record, rules: ReadingRules) -> dict[str, int]:
    counts = Counter([c["status"] for c in record.checks if c["rule"] in rules.identity_rules and c["scope"] != "all"])
    return {"pass": counts.get("pass", 0), "fail": counts.get("fail", 0), "skip": counts.get("skip", 0)}


def assess_reading(record: Record, fmt: str | None = None) -> dict[str, Any]:
    """The ``reading`` part of a record (see the module doc).

    >>> from textmine.record import Record
    >>> assess_reading(Record(source="x.txt", meta={"layout": None}))["verdict"]
    'poor'
    """
    rules = reading_rules()
    layout = record.meta.get("layout")
    tabular = layout in ("2021", "2019")
    cells = _cells(record) if tabular else None
    identities = _identities(record, rules)
    found = [s.key for s in record.sections]
    sections = {
        "found": [k for k in SECTION_KEYS if k in found],
        "missing": [k for k in SECTION_KEYS if k not in found],
        "unmapped": [h.title for h in record.unmapped_headings],
    }
    meta_missing = [k for k in ("title", "agency", "year") if not record.meta.get(k)]
    poor: list[str] = []
    check: list[str] = []
    if layout is None:
        poor.append("no table layout recognised (neither the 2021 nor the 2019 form, and no year before 2019)")
    if cells is not None:
        share = cells["share"] or 0.0
        missing_tables = [t for t, part in cells["by_table"].items() if part["expected"] and not part["read"]]
        if missing_tables:
            poor.append(f"table(s) {', '.join(t[1] for t in missing_tables)} not read at all")
        if share < rules.poor_cell_share:
            poor.append(f"only {cells['read']} of {cells['expected']} table cells read ({share:.0%})")
        elif share < rules.check_cell_share:
            check.append(f"{cells['not_read']} of {cells['expected']} table cells not read (see table_notes)")
    min_sections = rules.poor_min_sections if tabular else rules.poor_min_sections_free
    if len(sections["found"]) < min_sections:
        poor.append(f"only {len(sections['found'])} of the six sections found")
    elif tabular and sections["missing"]:
        check.append(f"section(s) not found: {', '.join(sections['missing'])}")
    if "agency" in meta_missing and "year" in meta_missing:
        poor.append("neither the agency nor the year found")
    elif "agency" in meta_missing or "year" in meta_missing:
        check.append(f"{' and '.join(k for k in meta_missing if k != 'title')} not found")
    if identities["fail"] > rules.check_max_identity_fails:
        check.append(
            f"{identities['fail']} table identit{'y' if identities['fail'] == 1 else 'ies'} fail "
            "(a reporting error or a misread cell: see checks)"
        )
    run = identities["pass"] + identities["fail"]
    if (
        tabular
        and identities["skip"]
        and identities["skip"] > rules.check_max_identity_skip_share * (run + identities["skip"])
    ):
        check.append(f"{identities['skip']} table identities could not run (blank or unread cells)")
    verdict = "poor" if poor else "check" if check else "good"
    return {
        "verdict": verdict,
        "reasons": poor + check,
        "format": fmt,
        "script": record.script,
        "cells": cells,
        "identities": identities,
        "sections": sections,
        "meta_missing": meta_missing,
    }
