"""Tables 2, 3 and 4 of a report, from its canonical text, as cell maps.

Each table is read from its own stretch of text (the section that holds it,
or the text between the tables' anchors when sections are missing).  Cells
that the text leaves ambiguous are left blank, with a note that says why
and which readings were possible; a blank is never a 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..record import Note, Section
from .grid import GridText, row_cells
from .joint import solve_table3
from .layouts import Layouts, RowSpec, TableLayout, load_layouts
from .odd_rows import apply_variants, infer_unlabelled_rows
from .rows import (
    RowHit,
    RowReading,
    agreed_cells,
    describe_candidates,
    drop_shared_blank_columns,
    locate_rows,
    read_row,
)
from .split import EMPTY_MARK, cell_value, row_total_prune, splittings
from .values import Token, parse_number, tokenize, value_prefix

_SECTION_OF = {"t2": "active_disclosure", "t3": "requests", "t4": "review_litigation"}


@dataclass
class TablesResult:
    layout: str | None
    tables: dict[str, dict[str, Any]] = field(default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}})
    cells_raw: dict[str, dict[str, str]] = field(default_factory=lambda: {"t2": {}, "t3": {}, "t4": {}})
    notes: list[Note] = field(default_factory=list)
    # How many cells were cut out of run-together digits, per table.
    recovered: dict[str, int] = field(default_factory=dict)
    # Where each table's rows lie in the text: narrative stages skip them.
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def extract_tables(text: str, sections: list[Section], *, year: int | None = None) -> TablesResult:
    """Read tables 2–4 from ``text`` (see module doc)."""
    layouts = load_layouts()
    regions = _regions(text, sections)
    layout = detect_layout(text, regions, year)
    result = TablesResult(layout=layout)
    if layout is None:
        result.notes.append(Note("tables", "no table layout recognised and no year to infer it from"))
        return result
    if layout == "free":
        result.notes.append(Note("tables", "free layout: the report has no standard tables 2–4"))
        return result
    # Pipe or tab rows anywhere in the tables' text: read them as grids too.
    spans = [text[r[0] : r[1]] for r in (regions.get("t2"), regions.get("t3")) if r]
    grid = GridText(text) if any("|" in t or "｜" in t or "\t" in t for t in spans) else None
    _read_table2(text, regions.get("t2"), layouts.t2[layout], result, grid)
    _read_table3(text, regions.get("t3"), layouts.t3[layout], result, grid)
    _read_table4(text, regions.get("t4"), layouts, result)
    return result


# ----------------------------------------------------------------- regions
def _regions(text: str, sections: list[Section]) -> dict[str, tuple[int, int]]:
    """Where each table's text lies: its section, else between anchors."""
    by_key = {s.key: s for s in sections}
    regions: dict[str, tuple[int, int]] = {}
    for table, key in _SECTION_OF.items():
        if key in by_key:
            s = by_key[key]
            regions[table] = (s.start, s.end)
    # Without sections, fall back on the tables' own anchors, each looked
    # for after the one before (the preamble names 行政复议 too).
    anchors: dict[str, int] = {}
    pos = 0
    layouts = load_layouts()
    for table, pattern in layouts.anchors:
        m = pattern.search(text, pos)
        if m:
            anchors[table] = m.start()
            pos = m.end()
    ends = sorted(anchors.values())
    for table, start in anchors.items():
        if table in regions:
            continue
        later = [e for e in ends if e > start]
        end = later[0] if later else len(text)
        if table == "t4":
            stop = layouts.t4_end.search(text, start)
            end = stop.start() if stop else min(len(text), start + 3000)
        regions[table] = (start, end)
    return regions


def detect_layout(text: str, regions: dict[str, tuple[int, int]], year: int | None) -> str | None:
    """``2021``, ``2019`` or ``free``: by the labels the tables use, else by year."""
    layouts = load_layouts()
    scope = text
    if regions:
        scope = text[min(r[0] for r in regions.values()) : max(r[1] for r in regions.values())]
    score = {
        name: sum(scope.count(cue) for cue in layouts.t2[name].cues + layouts.t3[name].cues)
        for name in ("2021", "2019")
    }
    if score["2021"] or score["2019"]:
        return "2021" if score["2021"] >= score["2019"] else "2019"
    if (year is not None and year < 2019) or not regions:
        return "free"
    if year is not None:
        return "2021" if year >= 2021 else "2019"
    return None


# ------------------------------------------------------------------- cells
def _store(result: TablesResult, table: str, key: str, piece: str, *, money: bool) -> None:
    _store_cell(result.cells_raw[table], result.tables[table], key, piece, money)


def _store_cell(raw: dict[str, str], cells: dict[str, Any], key: str, piece: str, money: bool) -> None:
    """A cell's text and value (None for an empty-cell mark)."""
    if piece.startswith(EMPTY_MARK):
        raw[key] = piece[len(EMPTY_MARK) :]
        cells[key] = None
        return
    raw[key] = piece
    cells[key] = parse_number(piece, money=money)


def _store_reading(
    result: TablesResult, table: str, spec: RowSpec, reading: RowReading, chosen: list[str | None]
) -> None:
    keys = spec.cell_keys()
    ambiguous = [k for k, p in zip(keys, chosen) if p is None]
    raw, cells = result.cells_raw[table], result.tables[table]
    for key, col, piece in zip(keys, spec.columns, chosen):
        if piece is not None and piece.isdigit() and piece.isascii() and len(piece) < 20 and col not in spec.money:
            raw[key], cells[key] = piece, int(piece)  # most cells: a plain count, as parse_number reads it
        elif piece is not None:
            _store_cell(raw, cells, key, piece, col in spec.money)
    if reading.cut:
        result.recovered[table] = result.recovered.get(table, 0) + len(keys) - len(ambiguous)
    if ambiguous:
        result.notes.append(
            Note(
                table,
                f"{spec.key}: '{reading.source}' splits {len(reading.candidates)} ways "
                f"({describe_candidates(reading.candidates)}); "
                f"{len(ambiguous)} cell(s) left blank",
                ambiguous,
            )
        )


def _note_missing(result: TablesResult, table: str, keys: list[str], why: str) -> None:
    if keys:
        result.notes.append(Note(table, why, keys))


def _line_start(text: str, pos: int) -> int:
    """The start of ``pos``'s line, so a table's header line is covered whole."""
    return text.rfind("\n", 0, pos) + 1


def _record_span(result: TablesResult, table: str, text: str, hits: list[RowHit], region: tuple[int, int]) -> None:
    if hits:
        # The header stands on the lines just before the first row, inside
        # the table's own region (a one-line file has no line start to use).
        start = max(_line_start(text, hits[0].label_start), region[0])
        if table == "t3":
            start = max(text.rfind("\n\n", 0, start), start - 400, region[0])
        result.spans[table] = (start, hits[-1].value_end)


def _note_missing_rows(result: TablesResult, table: str, missing: list[RowSpec]) -> None:
    if missing:
        names = ", ".join(spec.key for spec in missing)
        keys = [k for spec in missing for k in spec.cell_keys()]
        result.notes.append(Note(table, f"{len(missing)} row(s) not found: {names}", keys))


def _summary(result: TablesResult, table: str, expected: list[str]) -> None:
    cells = result.tables[table]
    found = [k for k in expected if cells.get(k) is not None]
    if len(found) < len(expected):
        blank = [k for k in expected if k in cells and cells[k] is None]
        missing = [k for k in expected if k not in cells]
        parts = [f"{len(found)} of {len(expected)} cells hold a value"]
        if blank:
            parts.append(f"{len(blank)} printed blank or '/'")
        if missing:
            parts.append(f"{len(missing)} not read (row missing, cut short, or ambiguous: see the notes above)")
        result.notes.append(Note(table, "; ".join(parts), missing))


# ----------------------------------------------------------------- table 2
def _grid_reading(grid: GridText | None, hit: RowHit, layout: TableLayout) -> RowReading | None:
    """The row read under its column headers, when it is a grid row (grid.py)."""
    if grid is None:
        return None
    cells = row_cells(grid, hit.label_start, hit.spec.columns, layout.headers)
    if cells is None:
        return None
    source = " ".join("(blank)" if c.startswith(EMPTY_MARK) else c for c in cells)
    return RowReading([cells], None, source)


def _tokens_of(text: str, hit: RowHit, grid: GridText | None) -> list[Token]:
    """A hit's value tokens, made here when locate_rows left them (grid texts)."""
    if grid is not None and not hit.tokens:
        hit.tokens = tokenize(text[hit.value_start : hit.value_end])
    return hit.tokens


def _read_table2(
    text: str, region: tuple[int, int] | None, layout: TableLayout, result: TablesResult, grid: GridText | None
) -> None:
    if region is None:
        _note_missing(result, "t2", layout.cell_keys(), "table 2 not found (no section 二 and no 第二十条 anchor)")
        return
    hits, missing = locate_rows(text, region[0], region[1], layout.rows, tokenize_values=grid is None)
    hits, missing = infer_unlabelled_rows(grid, layout, hits, missing, result.notes)
    _record_span(result, "t2", text, hits, region)
    _note_missing_rows(result, "t2", missing)
    for hit in hits:
        spec = hit.spec
        reading = _grid_reading(grid, hit, layout) or read_row(
            _tokens_of(text, hit, grid), spec.columns, signed=spec.signed, money=spec.money
        )
        if not reading.candidates:
            _note_missing(result, "t2", spec.cell_keys(), f"{spec.key}: {reading.problem} ('{reading.source}')")
            continue
        _store_reading(result, "t2", spec, reading, agreed_cells(reading.candidates))
    _summary(result, "t2", layout.cell_keys())


# ----------------------------------------------------------------- table 3
def _read_table3(
    text: str, region: tuple[int, int] | None, layout: TableLayout, result: TablesResult, grid: GridText | None
) -> None:
    if region is None:
        _note_missing(result, "t3", layout.cell_keys(), "table 3 not found (no section 三 and no 本年新收 row)")
        return
    hits, missing = locate_rows(text, region[0], region[1], layout.rows, tokenize_values=grid is None)
    hits, missing = apply_variants(text, layout, hits, missing, result.notes)
    hits, missing = infer_unlabelled_rows(grid, layout, hits, missing, result.notes)
    _record_span(result, "t3", text, hits, region)
    _note_missing_rows(result, "t3", missing)
    readings: dict[str, tuple[RowHit, RowReading]] = {}
    n = len(layout.rows[0].columns)
    by_grid = {id(hit): _grid_reading(grid, hit, layout) for hit in hits}
    by_tokens = [hit for hit in hits if by_grid[id(hit)] is None]
    token_rows = dict(
        zip(map(id, by_tokens), drop_shared_blank_columns([_tokens_of(text, hit, grid) for hit in by_tokens], n))
    )
    for hit in hits:
        spec = hit.spec
        reading = by_grid[id(hit)] or read_row(
            token_rows[id(hit)], spec.columns, prune=row_total_prune(len(spec.columns))
        )
        if not reading.candidates:
            _note_missing(result, "t3", spec.cell_keys(), f"{spec.key}: {reading.problem} ('{reading.source}')")
            continue
        readings[spec.key] = (hit, reading)
    chosen = solve_table3(layout, {k: r for k, (_, r) in readings.items()})
    for key, (hit, reading) in readings.items():
        _store_reading(result, "t3", hit.spec, reading, chosen[key])
    _summary(result, "t3", layout.cell_keys(layout.variants_in(result.tables["t3"])))


# ----------------------------------------------------------------- table 4
def _read_table4(text: str, region: tuple[int, int] | None, layouts: Layouts, result: TablesResult) -> None:
    t4 = layouts.t4
    keys = t4.cell_keys()
    if region is None:
        _note_missing(result, "t4", keys, "table 4 not found (no section 四 and no 行政复议/行政诉讼 header)")
        return
    start, end = region
    last = None
    for pattern in t4.header_end:
        for m in pattern.finditer(text, start, end):
            if last is None or m.end() > last.end():
                last = m
    if last is None:
        _note_missing(result, "t4", keys, "table 4 header (…尚未审结 总计) not found")
        return
    header = dict(layouts.anchors)["t4"].search(text, start, last.end())
    pos = last.end()
    while pos < end and not text[pos].isdigit() and text[pos] not in "|｜/／—－-０１２３４５６７８９":
        pos += 1
    run = value_prefix(text[pos:end])
    tokens = tokenize(run)
    head = header.start() if header else last.start()
    result.spans["t4"] = (max(_line_start(text, head), start), pos + len(run.rstrip()))
    group = len(t4.columns)
    definite = [t for t in tokens if t.kind != "maybe"]
    source = " ".join(t.text.strip() for t in definite)

    def prune(cells: list[str]) -> bool:
        # Check a group of five the moment it is complete.
        if len(cells) % group:
            return True
        vals = [cell_value(c) for c in cells[-group:]]
        return any(v is None for v in vals) or sum(vals[:-1]) == vals[-1]

    reading = read_row(definite, tuple(keys), prune=prune)
    if reading.candidates:
        chosen = agreed_cells(reading.candidates)
        for key, piece in zip(keys, chosen):
            if piece is not None:
                _store(result, "t4", key, piece, money=False)
        if reading.cut:
            result.recovered["t4"] = result.recovered.get("t4", 0) + sum(p is not None for p in chosen)
            blank = [k for k, p in zip(keys, chosen) if p is None]
            if blank:
                result.notes.append(
                    Note(
                        "t4",
                        f"'{source}' splits {len(reading.candidates)} ways "
                        f"({describe_candidates(reading.candidates)}); {len(blank)} cell(s) left blank",
                        blank,
                    )
                )
    elif _cut_short(tokens, definite, len(keys), prune):
        # Fewer values than cells, none can be cut further, no blank cell
        # could have hidden among them, and every complete group sums: the
        # table was cut short (the seed's table 4 prints 9 of 15); the values
        # fill the cells in order and the rest stay blank.
        for key, tok in zip(keys, definite):
            _store(result, "t4", key, tok.text if tok.kind == "num" else EMPTY_MARK + tok.text, money=False)
        result.notes.append(
            Note(
                "t4",
                f"{len(definite)} of {len(keys)} values printed; they fill the cells in order, "
                f"the last {len(keys) - len(definite)} are blank",
                keys[len(definite) :],
            )
        )
        return
    else:
        _note_missing(result, "t4", keys, f"table 4: {reading.problem or 'no values'} ('{source}')")
        return
    _summary(result, "t4", keys)


def _cut_short(tokens: list[Token], definite: list[Token], n: int, prune: Callable[[list[str]], bool]) -> bool:
    if not definite or len(definite) >= n or len(definite) != len(tokens):
        return False
    if any(t.kind != "num" or list(splittings([t.text], 1)) != [[t.text]] for t in definite):
        return False
    cells: list[str] = []
    for token in definite:
        cells.append(token.text)
        if not prune(cells):
            return False
    return True
