"""Rows a table prints otherwise than its layout says.

- A *variant* row printed in place of layout rows none of which was found:
  a 2021-form table 3 that prints the 2019 form's single （六）其他处理 row
  (``layouts.toml`` ``variants``).
- An *unlabelled* row: a grid row whose label a text layer garbled
  (2.其他法律行政止公开), read by its place between two rows that were found.

Each is read like any other row afterwards, and leaves a note.
"""

from __future__ import annotations

import re

from ..record import Note
from .grid import GridText, lines_between, row_cells
from .layouts import RowSpec, TableLayout
from .rows import RowHit, locate_rows, value_span
from .values import tokenize

__all__ = ["apply_variants", "infer_unlabelled_rows"]

_CJK = re.compile(r"[\u4e00-\u9fff]")


def apply_variants(
    text: str, layout: TableLayout, hits: list[RowHit], missing: list[RowSpec], notes: list[Note]
) -> tuple[list[RowHit], list[RowSpec]]:
    """Rows printed in place of layout rows none of which was found (the 2019
    form's single （六）其他处理 row in a 2021-form table 3)."""
    for variant in layout.variants:
        gone = [spec for spec in missing if spec.key in variant.replaces]
        if len(gone) != len(variant.replaces):
            continue
        order = [r.key for r in layout.rows]
        first, last = order.index(variant.replaces[0]), order.index(variant.replaces[-1])
        before = [h for h in hits if order.index(h.spec.key) < first]
        after = [h for h in hits if order.index(h.spec.key) > last]
        lo = before[-1].label_end if before else 0
        hi = after[0].label_start if after else len(text)
        found, _ = locate_rows(text, lo, hi, (variant.spec,), first_with_values=True)
        if not found or not any(t.kind == "num" for t in found[0].tokens):
            continue
        hit = found[0]
        # The row before keeps its own values only.
        if before:
            prev = before[-1]
            prev.value_start, prev.value_end = value_span(text, prev.label_end, hit.label_start)
            prev.tokens = tokenize(text[prev.value_start : prev.value_end])
        hits = before + [hit] + after
        missing = [spec for spec in missing if spec.key not in variant.replaces]
        notes.append(
            Note(
                "t3",
                f"{variant.spec.key}: the table prints one '{text[hit.label_start : hit.label_end]}' row "
                f"where its layout has {', '.join(variant.replaces)}; read as {variant.spec.key}",
                variant.spec.cell_keys(),
            )
        )
    return hits, missing


def infer_unlabelled_rows(
    grid: GridText | None, layout: TableLayout, hits: list[RowHit], missing: list[RowSpec], notes: list[Note]
) -> tuple[list[RowHit], list[RowSpec]]:
    """Rows whose label was not recognised (a text layer that ate characters:
    2.其他法律行政止公开), read by their place: when the grid lines with values
    between two found rows are exactly as many as the layout rows missing
    between them, each takes its row in order."""
    if grid is None or not missing or not layout.headers:
        return hits, missing
    order = layout.row_keys({h.spec.key for h in hits})
    specs = {r.key: r for r in layout.rows} | {v.spec.key: v.spec for v in layout.variants}
    found_at = {h.spec.key: h for h in hits}
    added: list[RowHit] = []
    for a, b in zip(hits, hits[1:]):
        ia, ib = order.index(a.spec.key), order.index(b.spec.key)
        gap = [specs[order[i]] for i in range(ia + 1, ib) if order[i] not in found_at]
        if not gap or len(gap) != ib - ia - 1:
            continue
        lines = lines_between(grid, a.label_start, b.label_start)
        if len(lines) != len(gap):
            continue
        for spec, line in zip(gap, lines):
            hit = RowHit(spec, line.start, line.start, line.start, line.end)
            if row_cells(grid, line.start, spec.columns, layout.headers) is None:
                break
            added.append(hit)
            label = "/".join(c for c in line.cells if _CJK.search(c))
            notes.append(
                Note(
                    layout.table,
                    f"{spec.key}: row label not recognised ('{label}'); read by its place between "
                    f"{a.spec.key} and {b.spec.key}",
                    spec.cell_keys(),
                )
            )
    if not added:
        return hits, missing
    keys = {h.spec.key for h in added}
    merged = sorted(hits + added, key=lambda h: order.index(h.spec.key))
    return merged, [spec for spec in missing if spec.key not in keys]
