"""The table layouts of ``data/layouts.toml`` as objects."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from ..data import load_toml
from ..first_chars import with_first_character_gate


@dataclass(frozen=True)
class RowSpec:
    """One row of a table layout: its key prefix, label patterns, columns."""

    key: str
    labels: tuple[re.Pattern[str], ...]
    columns: tuple[str, ...]
    signed: frozenset[str] = frozenset()
    money: frozenset[str] = frozenset()
    # Often left out by agencies it does not concern (see layouts.toml).
    optional: bool = False

    def cell_keys(self) -> list[str]:
        return list(self._cell_keys)

    @cached_property
    def _cell_keys(self) -> tuple[str, ...]:
        return tuple(f"{self.key}.{c}" for c in self.columns)

    @cached_property
    def any_label(self) -> re.Pattern[str]:
        """The labels as one pattern of alternatives: its leftmost match is the
        earliest match of any label, the first label's where two start
        together, as searching for each label and keeping the earliest is;
        one scan of a table's text instead of one per label."""
        return re.compile(with_first_character_gate("|".join(f"(?:{label.pattern})" for label in self.labels)))


@dataclass(frozen=True)
class RowVariant:
    """A row some reports print in place of layout rows (the 2019 form's single
    （六）其他处理 row in a 2021-form table 3)."""

    spec: RowSpec
    replaces: tuple[str, ...]


@dataclass(frozen=True)
class TableLayout:
    name: str  # "t2_2021", "t3_2019", ...
    table: str  # "t2", "t3", "t4"
    rows: tuple[RowSpec, ...]
    cues: tuple[str, ...]
    # Column key -> the pattern of its header cell, for grids (textmine/tables/grid.py).
    headers: dict[str, re.Pattern[str]] = field(default_factory=dict)
    variants: tuple[RowVariant, ...] = ()

    def cell_keys(self, variants: Collection[str] = ()) -> list[str]:
        """Every cell key of the layout; the rows of the ``variants`` named
        (row keys, see :meth:`variants_in`) replace the rows they stand for."""
        keys = list(self._layout_cell_keys)
        for variant in self._variants(variants):
            at = next(i for i, k in enumerate(keys) if k.startswith(variant.replaces[0] + "."))
            keys = [k for k in keys if not any(k.startswith(r + ".") for r in variant.replaces)]
            keys[at:at] = variant.spec.cell_keys()
        return keys

    def row_keys(self, variants: Collection[str] = ()) -> list[str]:
        """Row keys in layout order, the ``variants`` named in place of what they replace."""
        keys = [row.key for row in self.rows]
        for variant in self._variants(variants):
            at = keys.index(variant.replaces[0])
            keys = [k for k in keys if k not in variant.replaces]
            keys.insert(at, variant.spec.key)
        return keys

    def variants_in(self, cells: Mapping[str, Any] | None) -> tuple[str, ...]:
        """The keys of the variant rows a table's ``cells`` hold."""
        if not cells:
            return ()
        return tuple(v.spec.key for v in self.variants if any(k in cells for k in v.spec.cell_keys()))

    def _variants(self, keys: Collection[str]) -> list[RowVariant]:
        return [v for v in self.variants if v.spec.key in keys]

    @cached_property
    def _layout_cell_keys(self) -> tuple[str, ...]:
        # On the layout itself: a cache keyed by its rows would hash each
        # row's compiled label patterns at every call.
        return tuple(k for row in self.rows for k in row._cell_keys)


@dataclass(frozen=True)
class Table4Layout:
    groups: tuple[str, ...]
    columns: tuple[str, ...]
    header_end: tuple[re.Pattern[str], ...]
    cues: tuple[str, ...]

    def cell_keys(self) -> list[str]:
        return [f"{g}.{c}" for g in self.groups for c in self.columns]


@dataclass(frozen=True)
class Layouts:
    t2: dict[str, TableLayout]  # by layout year: "2021", "2019"
    t3: dict[str, TableLayout]
    t4: Table4Layout
    t3_first_row_cue: re.Pattern[str]
    # Table anchors for reports whose sections are not found, in order.
    anchors: tuple[tuple[str, re.Pattern[str]], ...]
    t4_end: re.Pattern[str]


@lru_cache(maxsize=1)
def load_layouts() -> Layouts:
    raw = load_toml("layouts.toml")
    prefix = raw["prefix"]["pattern"]
    t3_columns = tuple(raw["t3"]["columns"])

    def row_spec(row: dict[str, Any], columns: tuple[str, ...] | None) -> RowSpec:
        return RowSpec(
            key=row["key"],
            # The numbering prefix belongs to the label, so that the
            # previous row's value text ends where it starts.
            labels=tuple(re.compile(with_first_character_gate(prefix + lab)) for lab in row["labels"]),
            columns=tuple(row.get("columns", columns or ())),
            signed=frozenset(row.get("signed", ())),
            money=frozenset(row.get("money", ())),
            optional=bool(row.get("optional", False)),
        )

    def table(name: str, columns: tuple[str, ...] | None = None, headers: dict[str, str] | None = None) -> TableLayout:
        spec = raw[name]
        rows = tuple(row_spec(row, columns) for row in spec["rows"])
        variants = tuple(RowVariant(row_spec(v, columns), tuple(v["replaces"])) for v in spec.get("variants", ()))
        known = {r.key for r in rows}
        for v in variants:
            if not set(v.replaces) <= known:
                raise ValueError(f"layouts.toml [{name}]: variant {v.spec.key} replaces unknown rows {v.replaces}")
        header_map = headers if headers is not None else spec.get("headers", {})
        columns_used = {c for r in rows for c in r.columns}
        if set(header_map) - columns_used:
            raise ValueError(
                f"layouts.toml [{name}]: headers for unknown columns {sorted(set(header_map) - columns_used)}"
            )
        return TableLayout(
            name,
            name[:2],
            rows,
            tuple(spec.get("cues", ())),
            {c: re.compile(p) for c, p in header_map.items()},
            variants,
        )

    t4 = raw["t4"]
    return Layouts(
        t2={"2021": table("t2_2021"), "2019": table("t2_2019")},
        t3={
            "2021": table("t3_2021", t3_columns, raw["t3"]["headers"]),
            "2019": table("t3_2019", t3_columns, raw["t3"]["headers"]),
        },
        t4=Table4Layout(
            groups=tuple(t4["groups"]),
            columns=tuple(t4["columns"]),
            header_end=tuple(re.compile(p) for p in t4["header_end"]),
            cues=tuple(t4["cues"]),
        ),
        t3_first_row_cue=re.compile(raw["t3"]["first_row_cue"]),
        anchors=tuple((t, re.compile(raw["anchors"][t])) for t in ("t2", "t3", "t4")),
        t4_end=re.compile(raw["anchors"]["t4_end"]),
    )


def layout_cell_keys(
    layout: str | None, tables: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, tuple[str, ...]]:
    """Every cell key tables 2–4 have in ``layout`` (none for the free layout);
    with a record's ``tables``, a variant row it printed replaces the rows it
    stands for (see :meth:`TableLayout.cell_keys`)."""
    if layout not in ("2021", "2019"):
        return {"t2": (), "t3": (), "t4": ()}
    return _cell_keys(layout, load_layouts().t3[layout].variants_in((tables or {}).get("t3")))


@lru_cache(maxsize=16)
def _cell_keys(layout: str, variants: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    layouts = load_layouts()
    return {
        "t2": tuple(layouts.t2[layout].cell_keys()),
        "t3": tuple(layouts.t3[layout].cell_keys(variants)),
        "t4": tuple(layouts.t4.cell_keys()),
    }
