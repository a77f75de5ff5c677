"""What rules and quantities are evaluated over: the cell values of one or
two records, under their keys (``t3.granted.total``, ``prev.t3.…``), and
every key their layouts define (a key defined but not read is blank, not
unknown)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from ..expressions import Keys
from ..record import Record
from ..tables import load_layouts


def layout_name(record: Record) -> str | None:
    """The record's standard layout (2021 or 2019), None for any other."""
    layout = record.meta.get("layout")
    return layout if layout in ("2021", "2019") else None


def _universe(record: Record, prefix: str = "") -> Keys:
    """Every cell key (with its table) the record's layout defines, plus the
    variant rows it printed (a 2021-form table 3's single 其他处理 row).  The
    layout's own rows stay: left blank, they make a sum over them skip, as the
    gold has it (the table cannot say how its one row splits)."""
    name = layout_name(record)
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
