"""The checks stage: every rule of ``spec/checks.md`` over one record.

Rules are data (``data/rules.toml``): the table identities are expressions
over cell keys, evaluated by :mod:`textmine.expressions`; the cell, text
and document checks are code here and in :mod:`.document`, with their
severity and tolerances taken from the same file.

>>> results = run_checks(record)                    # doctest: +SKIP
>>> [r for r in results if r["status"] == "fail"]   # doctest: +SKIP

Each result is a dict ``rule, scope, status (pass|fail|skip), severity,
left, right, cells, message``; text checks add the claim's ``text``,
``start`` and ``end``.  A check never passes on a blank cell: it skips and
``message`` names the blank.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..data import load_toml
from ..expressions import Expression, Keys, evaluate, is_number, parse
from ..places import agency_key
from ..quantities import quantity
from ..record import Record
from ..tables import load_layouts
from .document import DOCUMENT_CHECKS
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
]


@dataclass(frozen=True)
class Rule:
    """One entry of ``rules.toml``."""

    id: str
    description: str
    severity: str
    expr: str | None = None
    scope_var: str | None = None
    values: tuple[str, ...] = ()
    tolerance: float = 0.0
    layouts: tuple[str, ...] = ("2021", "2019")
    across: bool = False
    options: tuple[tuple[str, Any], ...] = ()
    description_zh: str = ""  # the same in Chinese, for the page and `--lang zh` (issue 15)

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)

    def expression(self, scope: str) -> Expression:
        assert self.expr is not None
        return _scoped_expression(self.expr, self.scope_var, scope)


@lru_cache(maxsize=256)
def _scoped_expression(expr: str, scope_var: str | None, scope: str) -> Expression:
    """``expr`` with its scope variable set to ``scope``, parsed (the same few
    dozen for every report)."""
    text = expr.replace("{" + scope_var + "}", scope) if scope_var else expr
    return parse(text)


_KNOWN = {"id", "description", "description_zh", "severity", "expr", "for", "values", "tolerance", "layouts", "across"}


@lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """The rules of ``data/rules.toml``, validated once."""
    rules = []
    for entry in load_toml("rules.toml")["rule"]:
        rule = Rule(
            id=entry["id"],
            description=entry.get("description", ""),
            description_zh=entry.get("description_zh", ""),
            severity=entry["severity"],
            expr=entry.get("expr"),
            scope_var=entry.get("for"),
            values=tuple(entry.get("values", ())),
            tolerance=float(entry.get("tolerance", 0.0)),
            layouts=tuple(entry.get("layouts", ("2021", "2019"))),
            across=bool(entry.get("across", False)),
            options=tuple((k, v) for k, v in entry.items() if k not in _KNOWN),
        )
        if rule.expr:
            rule.expression(rule.values[0] if rule.values else "x")  # fail early on a bad expression
        rules.append(rule)
    return tuple(rules)


@lru_cache(maxsize=64)
def _rule(rule_id: str) -> Rule:
    return next(r for r in load_rules() if r.id == rule_id)


# ------------------------------------------------------------------ helpers


def _result(
    rule: Rule,
    scope: str,
    status: str,
    left: Any,
    right: Any,
    cells: list[str],
    message: str,
    severity: str | None = None,
) -> dict[str, Any]:
    return {
        "rule": rule.id,
        "scope": scope,
        "status": status,
        "severity": severity or rule.severity,
        "left": left,
        "right": right,
        "cells": cells,
        "message": message,
    }


def _layout_name(record: Record) -> str | None:
    layout = record.meta.get("layout")
    return layout if layout in ("2021", "2019") else None


def _universe(record: Record, prefix: str = "") -> Keys:
    """Every cell key (with its table) the record's layout defines, plus the
    variant rows it printed (a 2021-form table 3's single 其他处理 row).  The
    layout's own rows stay: left blank, they make a sum over them skip, as the
    gold has it (the table cannot say how its one row splits)."""
    name = _layout_name(record)
    variants = load_layouts().t3[name].variants_in(record.tables.get("t3")) if name else ()
    return _layout_universe(name, prefix, variants)


@lru_cache(maxsize=16)
def _layout_universe(name: str | None, prefix: str, variants: tuple[str, ...] = ()) -> Keys:
    layouts = load_layouts()
    keys: list[str] = []
    if name:
        t3_keys = layouts.t3[name].cell_keys()
        t3_keys += [k for k in layouts.t3[name].cell_keys(variants) if k not in t3_keys]
        keys += [f"t2.{k}" for k in layouts.t2[name].cell_keys()]
        keys += [f"t3.{k}" for k in t3_keys]
    keys += [f"t4.{k}" for k in layouts.t4.cell_keys()]
    return Keys(prefix + k for k in keys)


def _values(record: Record, prefix: str = "") -> dict[str, Any]:
    values: dict[str, Any] = {}
    for t, cells in record.tables.items():
        names = _key_names(prefix, t)
        for k, v in cells.items():
            name = names.get(k)
            if name is None:
                name = names[k] = f"{prefix}{t}.{k}"
            values[name] = v
    return values


@lru_cache(maxsize=16)
def _key_names(prefix: str, table: str) -> dict[str, str]:
    """Cell key → its full name (``prev.t3.granted.total``), filled as keys
    are met: every report names the same few hundred, and a name made once
    also hashes once."""
    return {}


def _scopes(rule: Rule, record: Record) -> list[str]:
    layouts = load_layouts()
    if rule.scope_var == "col":
        return list(layouts.t3["2021"].rows[0].columns)
    if rule.scope_var == "row":
        # The layout's rows, and a variant row the report printed besides them.
        t3 = layouts.t3[_layout_name(record) or "2021"]
        rows = [row.key for row in t3.rows]
        return rows + [k for k in t3.row_keys(t3.variants_in(record.tables.get("t3"))) if k not in rows]
    if rule.scope_var == "group":
        return list(layouts.t4.groups)
    return list(rule.values) or [""]


def tables_of(rule: Rule) -> set[str]:
    """The tables (t2, t3, t4) an expression rule reads, this year's or the previous year's."""
    assert rule.expr
    return set(_tables_read(rule.expr))


@lru_cache(maxsize=64)
def _tables_read(expr: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?:prev\.)?(t[234])\.", expr))


# ------------------------------------------------------------------ tables


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
        if rec.meta.get("layout") and _layout_name(rec) is None and any(t != "t4" for t in tables_of(rule)):
            return [
                _result(
                    rule,
                    "all",
                    "skip",
                    None,
                    None,
                    [],
                    f"{who} report has no standard table layout ({rec.meta.get('layout')})",
                )
            ]
        if _layout_name(rec) and _layout_name(rec) not in rule.layouts:
            return [
                _result(
                    rule,
                    "all",
                    "skip",
                    None,
                    None,
                    [],
                    f"rule applies to the {'/'.join(rule.layouts)} layout; {who} report follows {_layout_name(rec)}",
                )
            ]
        for table in sorted(tables_of(rule)):
            if not any(is_number(v) for v in rec.tables.get(table, {}).values()):
                return [_result(rule, "all", "skip", None, None, [], f"{who} report has no table {table[1]} values")]
    values, universe_t = operands if operands is not None else cell_operands(records)
    results = []
    for scope in _scopes(rule, current):
        outcome = evaluate(rule.expression(scope), values, universe_t, tolerance=rule.tolerance)
        results.append(
            _result(rule, scope, outcome.status, outcome.left, outcome.right, outcome.cells, outcome.message)
        )
    return results


def cell_operands(records: Mapping[str, Record]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Every cell value of ``records`` (keys with their prefix: '' or 'prev.')
    and the keys their layouts define: what rules and quantities are evaluated over."""
    values: dict[str, Any] = {}
    universes: list[Keys] = []
    for prefix, rec in records.items():
        values.update(_values(rec, prefix))
        universes.append(_universe(rec, prefix))
    # One record's universe is its layout's, the same object report after report.
    return values, universes[0] if len(universes) == 1 else Keys(k for keys in universes for k in keys)


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
    rule = _rule("cells.valid")
    layouts = load_layouts()
    name = _layout_name(record) or "2021"
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
                results.append(_result(rule, cell, "fail", value, None, [cell], problem))
    if not results:
        if n:
            results.append(_result(rule, "all", "pass", n, None, [], f"{n} cells valid"))
        else:
            results.append(_result(rule, "all", "skip", 0, None, [], "no table cells"))
    return results


# ------------------------------------------------------------------ text


@lru_cache(maxsize=1)
def _tolerances() -> Tolerances:
    rule = _rule("text.table")
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
    rule = _rule("text.table")
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
        res = _result(
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
            results.append(_result(rule, "all", "skip", None, None, [], reason))
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
