"""The rules of ``data/rules.toml``: each loaded once, its expression parsed
per scope, and the result dict every check returns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..data import load_toml
from ..expressions import Expression, parse


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
def rule_by_id(rule_id: str) -> Rule:
    """The rule of ``rules.toml`` with this id."""
    return next(r for r in load_rules() if r.id == rule_id)


def tables_of(rule: Rule) -> set[str]:
    """The tables (t2, t3, t4) an expression rule reads, this year's or the previous year's."""
    assert rule.expr
    return set(_tables_read(rule.expr))


@lru_cache(maxsize=64)
def _tables_read(expr: str) -> frozenset[str]:
    return frozenset(re.findall(r"(?:prev\.)?(t[234])\.", expr))


def rule_result(
    rule: Rule,
    scope: str,
    status: str,
    left: Any,
    right: Any,
    cells: list[str],
    message: str,
    severity: str | None = None,
) -> dict[str, Any]:
    """One result of ``rule`` (its severity unless ``severity`` says otherwise)."""
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
