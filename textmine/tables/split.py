"""Split runs of table digits that lost their separators into cells.

Some archives flatten a table row to ``行政规范性文件8855698`` (88 / 55 / 698)
or ``2648-18538`` (2648 / −18 / 538).  A run splits into ``n`` cells in
many ways; only the table's own constraints (row totals, column sums) pick
one.  This module enumerates the well-formed splittings; choosing among
them is the caller's business, and a run that stays ambiguous is left
blank there, never guessed.

A cell is well formed when it is ``0``, or has no leading zero; it holds at
most one decimal point, not at either end; a minus sign only opens a cell,
and only in a column that may be negative.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

# Counts in these tables stay well below a billion; money cells carry
# decimals and the 元 sign and are allowed more digits.
MAX_INT_DIGITS = 9
MAX_MONEY_CHARS = 16
# Beyond this many splittings of one row, enumerating is pointless: the row
# is ambiguous whatever the constraints.
MAX_CANDIDATES = 20000


# An explicit empty cell (``/``, ``—``, an empty pipe cell) travels through
# the splitter as one atom that opens with this mark and is never cut.
EMPTY_MARK = "\x01"


def is_well_formed(piece: str, *, signed: bool = False, money: bool = False) -> bool:
    """Whether ``piece`` can be one cell's text."""
    if piece.isascii() and piece.isdigit():
        # Most pieces, and every piece the splitter cuts from a run of digits.
        return (len(piece) == 1 or piece[0] != "0") and len(piece) <= (MAX_MONEY_CHARS if money else MAX_INT_DIGITS)
    if not piece:
        return False
    if piece.startswith(EMPTY_MARK):
        return True
    body = piece
    if body.startswith("-"):
        if not signed:
            return False
        body = body[1:]
        if not body or body == "0":
            return False
    if money and body.endswith("元"):
        body = body[:-1]
    if not body or "元" in body:
        return False
    if body.count(".") > 1 or body[0] == "." or body[-1] == ".":
        return False
    whole = body.split(".", 1)[0]
    if len(whole) > 1 and whole[0] == "0":
        return False
    if "." in body and not money:
        # Counts are whole numbers; a decimal in a count column is not a
        # splitting, it is a different table.
        return False
    if not money and len(body) > MAX_INT_DIGITS:
        return False
    return len(body) <= MAX_MONEY_CHARS and body.replace(".", "").isdigit()


def cell_value(piece: str) -> int | float | None:
    """The number a well-formed cell text stands for (money stays as written);
    None for an explicit empty cell."""
    if piece.isdigit():
        return int(piece)  # most cells: a plain count
    if piece.startswith(EMPTY_MARK):
        return None
    body = piece.removesuffix("元")
    return float(body) if "." in body else int(body)


def splittings(
    chunks: Sequence[str],
    n: int,
    *,
    signed: Sequence[bool] | None = None,
    money: Sequence[bool] | None = None,
    accept: Callable[[list[str]], bool] | None = None,
    prune: Callable[[list[str]], bool] | None = None,
    limit: int = MAX_CANDIDATES,
) -> Iterator[list[str]]:
    """Yield every way to cut ``chunks`` into exactly ``n`` well-formed cells.

    ``chunks`` are runs already separated in the source (by a space, say):
    a cut always falls between two chunks, and maybe inside them.  A minus
    sign always opens a new cell.  ``signed[i]``/``money[i]`` say what
    column ``i`` may hold; ``prune(partial)`` returns False to abandon a
    prefix early, ``accept(cells)`` filters complete splittings.  At most
    ``limit`` splittings are yielded.

    >>> list(splittings(["2648-18538"], 3, signed=[False, True, False], accept=lambda c: c[2] == "538"))
    [['2648', '-18', '538']]
    """
    signed = signed or [False] * n
    money = money or [False] * n
    atoms = _atoms(chunks)
    if not atoms or n <= 0:
        return
    produced = 0
    # Characters left from atom i on: a cut must leave at least one for
    # every column still to fill, and no more than they can hold.
    left_after = [0] * (len(atoms) + 1)
    for i in range(len(atoms) - 1, -1, -1):
        left_after[i] = left_after[i + 1] + len(atoms[i])
    widest = max(MAX_MONEY_CHARS if any(money) else MAX_INT_DIGITS + 1, 1)
    if left_after[0] < n or len(atoms) > n:
        return

    def walk(atom: int, offset: int, cells: list[str]) -> Iterator[list[str]]:
        nonlocal produced
        if produced >= limit:
            return
        col = len(cells)
        if atom == len(atoms):
            if col == n and (accept is None or accept(cells)):
                produced += 1
                yield list(cells)
            return
        if col == n:
            return
        text = atoms[atom]
        if text.startswith(EMPTY_MARK):
            cells.append(text)
            if prune is None or prune(cells):
                yield from walk(atom + 1, 0, cells)
            cells.pop()
            return
        rest = text[offset:]
        remaining = left_after[atom] - offset
        for end in _piece_ends(rest, remaining, n - col - 1, widest, signed=signed[col], money=money[col]):
            cells.append(rest[:end])
            if prune is None or prune(cells):
                if end == len(rest):
                    yield from walk(atom + 1, 0, cells)
                else:
                    yield from walk(atom, offset + end, cells)
            cells.pop()
            if produced >= limit:
                return

    yield from walk(0, 0, [])


def _atoms(chunks: Sequence[str]) -> list[str]:
    """The chunks broken at the places a cut is forced: chunk boundaries and
    before each minus sign."""
    atoms: list[str] = []
    for chunk in chunks:
        parts = chunk.replace("-", "\x00-").split("\x00")
        atoms.extend(p for p in parts if p)
    return atoms


def _piece_ends(rest: str, remaining: int, cols_after: int, widest: int, *, signed: bool, money: bool) -> Iterator[int]:
    """The lengths of the well-formed cells that may open ``rest``, shortest
    first, when ``remaining`` characters are left for this column and the
    ``cols_after`` columns after it, each at most ``widest`` wide."""
    # A piece so short that the columns after it cannot hold what is left
    # is never tried (the last column takes all that is left).
    shortest = max(1, remaining - cols_after * widest)
    for end in range(shortest, min(len(rest), widest) + 1):
        after = remaining - end
        if after < cols_after:
            break
        piece = rest[:end]
        if not is_well_formed(piece, signed=signed, money=money):
            if piece.lstrip("-").startswith("0") and piece not in ("0", "-0") and not money:
                # Every longer piece starts with the same zero.
                break
            continue
        yield end


def row_total_prune(n: int) -> Callable[[list[str]], bool]:
    """A prune for rows whose last cell is the sum of the others."""

    def prune(cells: list[str]) -> bool:
        if len(cells) == n and "".join(cells).isdigit():
            # Cells cut from a run of digits (most): counts, as cell_value reads them.
            return sum(map(int, cells[:-1])) == int(cells[-1])
        if len(cells) == n:
            values = [cell_value(c) for c in cells]
            if any(v is None for v in values):
                return True  # a blank cell leaves the row total unchecked
            return sum(values[:-1]) == values[-1]
        return True

    return prune
