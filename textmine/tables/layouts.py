"""The table layouts of ``data/layouts.toml`` as objects."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..data import load_toml


@dataclass(frozen=True)
class RowSpec:
    """One row of a table layout: its key prefix, label patterns, columns."""

    key: str
    labels: tuple[re.Pattern[str], ...]
    columns: tuple[str, ...]
    signed: frozenset[str] = frozenset()
    money: frozenset[str] = frozenset()

    def cell_keys(self) -> list[str]:
        return [f"{self.key}.{c}" for c in self.columns]


@dataclass(frozen=True)
class TableLayout:
    name: str  # "t2_2021", "t3_2019", ...
    table: str  # "t2", "t3", "t4"
    rows: tuple[RowSpec, ...]
    cues: tuple[str, ...]

    def cell_keys(self) -> list[str]:
        return [k for row in self.rows for k in row.cell_keys()]


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

    def table(name: str, columns: tuple[str, ...] | None = None) -> TableLayout:
        spec = raw[name]
        rows = []
        for row in spec["rows"]:
            rows.append(
                RowSpec(
                    key=row["key"],
                    # The numbering prefix belongs to the label, so that the
                    # previous row's value text ends where it starts.
                    labels=tuple(re.compile(prefix + lab) for lab in row["labels"]),
                    columns=tuple(row.get("columns", columns or ())),
                    signed=frozenset(row.get("signed", ())),
                    money=frozenset(row.get("money", ())),
                )
            )
        return TableLayout(name, name[:2], tuple(rows), tuple(spec.get("cues", ())))

    t4 = raw["t4"]
    return Layouts(
        t2={"2021": table("t2_2021"), "2019": table("t2_2019")},
        t3={"2021": table("t3_2021", t3_columns), "2019": table("t3_2019", t3_columns)},
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


def layout_cell_keys(layout: str | None) -> dict[str, list[str]]:
    """Every cell key tables 2–4 have in ``layout`` (none for the free layout)."""
    if layout not in ("2021", "2019"):
        return {"t2": [], "t3": [], "t4": []}
    layouts = load_layouts()
    return {
        "t2": layouts.t2[layout].cell_keys(),
        "t3": layouts.t3[layout].cell_keys(),
        "t4": layouts.t4.cell_keys(),
    }
