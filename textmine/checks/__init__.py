"""The checks stage: every rule of ``spec/checks.md`` over one record.

Rules are data (``data/rules.toml``, loaded by :mod:`.rules`): the table
identities are expressions over cell keys (:mod:`.operands`), evaluated by
:mod:`textmine.expressions`; the cell, text and document checks are code
here and in :mod:`.document`, with their severity and tolerances taken from
the same file.

>>> results = run_checks(record)                    # doctest: +SKIP
>>> [r for r in results if r["status"] == "fail"]   # doctest: +SKIP

Each result is a dict ``rule, scope, status (pass|fail|skip), severity,
left, right, cells, message``; text checks add the claim's ``text``,
``start`` and ``end``.  A check never passes on a blank cell: it skips and
``message`` names the blank.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ..expressions import evaluate, is_number
from ..places import agency_key
from ..quantities import quantity
from ..record import Record
from ..tables import load_layouts
from .document import DOCUMENT_CHECKS
from .operands import cell_operands, layout_name
from .rules import Rule, load_rules, rule_by_id, rule_result, tables_of
from .text import MONEY_CELLS, Comparison, Tolerances, compare, judge

__all__ = [
    "Rule",
    "aggregate",
    "cell_operands",
    "check_across_years",
    "check_cells",
    "check_tables",
    "check_text",
    "load_rules",
    "resolve_readings",
    "result_key",
    "run_checks",
    "sort_findings",
    "tables_of",
]


# ------------------------------------------------------------------ tables


def _scopes(rule: Rule, record: Record) -> list[str]:
    layouts = load_layouts()
    if rule.scope_var == "col":
        return list(layouts.t3["2021"].rows[0].columns)
    if rule.scope_var == "row":
        # The layout's rows, and a variant row the report printed besides them.
        t3 = layouts.t3[layout_name(record) or "2021"]
        rows = [row.key for row in t3.rows]
        return rows + [k for k in t3.row_keys(t3.variants_in(record.tables.get("t3"))) if k not in rows]
    if rule.scope_var == "group":
        return list(layouts.t4.groups)
    return list(rule.values) or [""]


def _run_expression_rule(
    rule: Rule,
    records: Mapping[str, Record],
    current: Record,
    operands: tuple[dict[str, Any], tuple[str, ...]] | None = None,
) -> list[dict[str, Any]]:
    """Evaluate ``rule`` for each scope; ``records`` maps key prefix ('' or 'prev.') to a record.
    ``operands``: the records' cell values and key universe, when the caller made them once."""
    for prefix, rec in records.items():
        who = "the previous year's" if prefix else "the"
        if rec.meta.get("layout") and layout_name(rec) is None and any(t != "t4" for t in tables_of(rule)):
            return [
                rule_result(
                    rule,
                    "all",
                    "skip",
                    None,
                    None,
                    [],
                    f"{who} report has no standard table layout ({rec.meta.get('layout')})",
                )
            ]
        if layout_name(rec) and layout_name(rec) not in rule.layouts:
            return [
                rule_result(
                    rule,
                    "all",
                    "skip",
                    None,
                    None,
                    [],
                    f"rule applies to the {'/'.join(rule.layouts)} layout; {who} report follows {layout_name(rec)}",
                )
            ]
        for table in sorted(tables_of(rule)):
            if not any(is_number(v) for v in rec.tables.get(table, {}).values()):
                return [
                    rule_result(rule, "all", "skip", None, None, [], f"{who} report has no table {table[1]} values")
                ]
    values, universe_t = operands if operands is not None else cell_operands(records)
    results = []
    for scope in _scopes(rule, current):
        outcome = evaluate(rule.expression(scope), values, universe_t, tolerance=rule.tolerance)
        results.append(
            rule_result(rule, scope, outcome.status, outcome.left, outcome.right, outcome.cells, outcome.message)
        )
    return results


def check_tables(
    record: Record, operands: tuple[dict[str, Any], tuple[str, ...]] | None = None
) -> list[dict[str, Any]]:
    """The table identities (``t3.identity``, ``t3.handled_sum``, ``t3.row_total``, ``t4.sum``);
    ``operands``: the record's :func:`cell_operands`, when the caller made them."""
    results: list[dict[str, Any]] = []
    records = {"": record}
    operands = operands or cell_operands(records)
    for rule in load_rules():
        if rule.expr and not rule.across:
            results += _run_expression_rule(rule, records, record, operands)
    return results


def check_cells(record: Record) -> list[dict[str, Any]]:
    """``cells.valid``: a fail per bad cell, or one pass with scope ``all``."""
    rule = rule_by_id("cells.valid")
    layouts = load_layouts()
    name = layout_name(record) or "2021"
    signed = {f"t2.{row.key}.{c}" for row in layouts.t2[name].rows for c in row.signed}
    money = {f"t2.{row.key}.{c}" for row in layouts.t2[name].rows for c in row.money}
    results = []
    n = 0
    for table, cells in record.tables.items():
        raw = record.cells_raw.get(table, {}) if record.cells_raw else {}
        for key, value in cells.items():
            if value is None:
                continue
            n += 1
            # Most cells are plain whole counts: judged without building their full key
            # (a 0 must still have been printed, not read from a blank).
            if type(value) is int and value >= 0 and (value or str(raw.get(key, "0")).strip()):
                continue
            cell = f"{table}.{key}"
            problem = None
            if not is_number(value):
                problem = f"{cell} holds {value!r}, not a number"
            elif cell in money or cell in MONEY_CELLS:
                if value < 0 or not math.isfinite(value):
                    problem = f"money {cell} = {value} is negative"
            elif not float(value).is_integer():
                problem = f"count {cell} = {value} is not whole"
            elif value < 0 and cell not in signed:
                problem = f"count {cell} = {value} is negative"
            elif value == 0 and key in raw and not str(raw[key]).strip():
                problem = f"{cell} is blank in the report but read as 0"
            if problem:
                results.append(rule_result(rule, cell, "fail", value, None, [cell], problem))
    if not results:
        if n:
            results.append(rule_result(rule, "all", "pass", n, None, [], f"{n} cells valid"))
        else:
            results.append(rule_result(rule, "all", "skip", 0, None, [], "no table cells"))
    return results


# ------------------------------------------------------------------ text


@lru_cache(maxsize=1)
def _tolerances() -> Tolerances:
    rule = rule_by_id("text.table")
    return Tolerances(
        money=float(rule.tolerance),
        money_share=float(rule.option("relative_tolerance", 0.0)),
        approx_share=float(rule.option("approx_tolerance", 0.1)),
    )


def check_text(
    record: Record,
    claims: Iterable[Mapping[str, Any]] | None = None,
    operands: tuple[dict[str, Any], tuple[str, ...]] | None = None,
) -> list[dict[str, Any]]:
    """``text.table``: every claim with a ``cell`` against the quantity it
    restates (:mod:`.text`), one result per claim; ``scope`` is the quantity's
    key, ``cells`` the table cells it reads.  ``operands``: the record's
    :func:`cell_operands`, when the caller made them."""
    rule = rule_by_id("text.table")
    tol = _tolerances()
    values, universe = operands or cell_operands({"": record})
    results = []
    for claim in record.claims if claims is None else claims:
        if not claim.get("cell"):
            continue
        rate = claim.get("kind") == "rate" or claim.get("unit") == "%"
        if not is_number(claim.get("value")):
            why = "has no number"
        elif rate != bool(quantity(str(claim["cell"])).of):
            why = "is a rate and the quantity a count, or the other way round"
        else:
            why = None
        if why:
            comparison = Comparison(str(claim["cell"]), "skip", claim.get("value"), None, (), ())
            message = f"claim {claim.get('text')!r} {why}"
        else:
            comparison, message = judge(claim, values, universe, tol)
        res = rule_result(
            rule, comparison.key, comparison.status, comparison.left, comparison.right, list(comparison.cells), message
        )
        res.update({"text": claim.get("text"), "start": claim.get("start"), "end": claim.get("end")})
        results.append(res)
    return results


def resolve_readings(record: Record) -> None:
    """Point each claim with several ``readings`` at the one its table bears
    out (收到申请15件 with 13 new and 2 carried over: ``t3.received.total``);
    a claim that fits none keeps its first reading."""
    from ..claim_quantities import point_at

    tol = _tolerances()
    operands = None  # made for the first claim with a choice: most reports have none
    for claim in record.claims:
        if len(claim.get("readings") or ()) > 1 and is_number(claim.get("value")):
            values, universe = operands = operands or cell_operands({"": record})
            fits = [k for k in claim["readings"] if compare(claim, k, values, universe, tol).status == "pass"]
            if fits:
                point_at(claim, fits[0])


# ------------------------------------------------------------------ stage API


def run_checks(record: Record) -> list[dict[str, Any]]:
    """Every single-record rule over ``record``: tables, cells, text, document."""
    operands = cell_operands({"": record})
    results = check_tables(record, operands)
    results += check_cells(record)
    results += check_text(record, operands=operands)
    for rule in load_rules():
        check = DOCUMENT_CHECKS.get(rule.id)
        if check:
            results.append(check(record, rule.severity))
    return results


def check_across_years(previous: Record, current: Record) -> list[dict[str, Any]]:
    """``year.carry`` and ``year.in_force`` between two reports of one agency.

    Skips, with the reason, when the agencies differ or the years are not
    consecutive.
    """
    results: list[dict[str, Any]] = []
    reason = None
    a, b = previous.meta.get("agency"), current.meta.get("agency")
    ya, yb = previous.meta.get("year"), current.meta.get("year")
    # One agency spelled with or without its province is one agency.
    if not a or not b or agency_key(previous) != agency_key(current):
        reason = f"not the same agency ({a!r} vs {b!r})"
    elif not ya or not yb or int(yb) != int(ya) + 1:
        reason = f"years {ya} and {yb} are not consecutive"
    for rule in load_rules():
        if not (rule.expr and rule.across):
            continue
        if reason:
            results.append(rule_result(rule, "all", "skip", None, None, [], reason))
        else:
            results += _run_expression_rule(rule, {"": current, "prev.": previous}, current)
    return results


# ------------------------------------------------------------------ ordering

_STATUS_RANK = {"fail": 0, "skip": 1, "pass": 2}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def sort_findings(results: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Fails first (errors, then warnings, then info), then skips, then passes; stable otherwise."""
    return sorted(
        results,
        key=lambda r: (_STATUS_RANK.get(r.get("status", ""), 3), _SEVERITY_RANK.get(r.get("severity", ""), 3)),
    )


def result_key(result: Mapping[str, Any]) -> str:
    """The gold key of a result: ``rule:scope``, or ``rule`` when the scope is empty."""
    return f"{result['rule']}:{result['scope']}" if result.get("scope") else str(result["rule"])


def aggregate(results: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """One status per ``rule:scope``: fail if any result fails, else pass if any passes, else skip."""
    seen: dict[str, set[str]] = {}
    for r in results:
        seen.setdefault(result_key(r), set()).add(r["status"])
    return {k: "fail" if "fail" in v else "pass" if "pass" in v else "skip" for k, v in seen.items()}
