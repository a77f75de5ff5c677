"""Table 3's ambiguous rows read jointly: the readings of rows whose digits
ran together are chosen by the table's column identities (新收 + 结转 =
总计 + 结转下年度, Σ results = 总计), never guessed.
"""

from __future__ import annotations

import itertools

from .layouts import TableLayout
from .rows import RowReading, agreed_cells
from .split import cell_value

# Joint readings of table 3 beyond which the constraints are not searched.
MAX_JOINT = 200_000


def solve_table3(layout: TableLayout, readings: dict[str, RowReading]) -> dict[str, list[str | None]]:
    """Choose among the rows' readings with the table's column identities.

    Rows with one reading are fixed; the ambiguous ones are tried jointly
    against 新收 + 结转 = 总计 + 结转下年度 and Σ results = 总计 for every
    column.  A real report may break an identity as printed, so if no
    joint reading satisfies both, each is tried alone, then none; the cells
    all surviving readings agree on are kept.
    """
    ambiguous = [k for k, r in readings.items() if len(r.candidates) > 1]
    chosen = {k: agreed_cells(r.candidates) for k, r in readings.items()}
    if not ambiguous:
        return chosen
    space = 1
    for k in ambiguous:
        space *= len(readings[k].candidates)
    if space > MAX_JOINT:
        return chosen
    fixed = {k: r.candidates[0] for k, r in readings.items() if len(r.candidates) == 1}
    parts = [
        r.key for r in layout.rows if r.key not in ("new_received", "carried_over", "handled_total", "carried_forward")
    ]
    n = len(layout.rows[0].columns)

    def col(rows: dict[str, list[str]], key: str, c: int) -> int | float | None:
        row = rows.get(key)
        return None if row is None else cell_value(row[c])

    def identity(rows: dict[str, list[str]]) -> bool:
        for c in range(n):
            vals = [col(rows, k, c) for k in ("new_received", "carried_over", "handled_total", "carried_forward")]
            if any(v is None for v in vals):
                continue
            if vals[0] + vals[1] != vals[2] + vals[3]:
                return False
        return True

    def handled_sum(rows: dict[str, list[str]]) -> bool:
        for c in range(n):
            total = col(rows, "handled_total", c)
            vals = [col(rows, k, c) for k in parts]
            if total is None or any(v is None for v in vals):
                continue
            if sum(vals) != total:
                return False
        return True

    for test in (lambda r: identity(r) and handled_sum(r), identity, handled_sum):
        solutions: list[dict[str, list[str]]] = []
        for combo in itertools.product(*(readings[k].candidates for k in ambiguous)):
            rows = dict(fixed)
            rows.update(zip(ambiguous, combo))
            if test(rows):
                solutions.append(rows)
        if solutions:
            for k in ambiguous:
                chosen[k] = agreed_cells([s[k] for s in solutions])
                # Keep the surviving readings for the note.
                survivors = {tuple(s[k]) for s in solutions}
                readings[k].candidates = [list(c) for c in survivors]
            return chosen
    return chosen
