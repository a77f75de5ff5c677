"""Cell texts: what a cell says (a number, blank, a dash) and how the text
between two row labels breaks into cell tokens in each flattening."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Characters a run of cell values may hold in any flattening: digits, the
# separators (space, tab, no-break space, ideographic space, pipe, newline),
# decimal point, minus and dash signs, thousands commas, 元/万元.
VALUE_CHARS = set("0123456789０１２３４５６７８９.．-－—–/／|｜ \t\n\r\xa0\u3000,，元万")
DASHES = {"/", "／", "—", "–", "-", "－", "——", "--", "无", "\\"}
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SPACES = " \t\xa0\u3000\r"
_PIPE = re.compile(r"[|｜]")


class Token(NamedTuple):
    """One piece of a row's value text.

    ``kind`` is ``num`` (a run of digits that may hold one or more cells),
    ``dash`` (an explicit empty cell: ``/``, ``—``), ``blank`` (an empty
    cell the flattening shows as such: an empty pipe cell) or ``maybe``
    (a whitespace-only line: a blank cell in some flattenings, padding in
    others).  A named tuple: every cell of every row makes one, and a
    frozen dataclass is several times slower to make.
    """

    kind: str
    text: str


def normalise_digits(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), keeping 元/万."""
    if text.isascii():
        return text  # NFKC leaves ASCII as it is; most cells are
    return unicodedata.normalize("NFKC", text).replace("．", ".").replace("－", "-")


_VALUE_RUN = re.compile("[" + re.escape("".join(sorted(VALUE_CHARS))) + "]*")


def value_prefix(text: str) -> str:
    """The longest prefix of ``text`` made of value characters."""
    return _VALUE_RUN.match(text).group()  # type: ignore[union-attr]  # * always matches


def value_run_end(text: str, pos: int, bound: int) -> int:
    """Where the run of value characters that starts at ``pos`` ends (before ``bound``)."""
    return _VALUE_RUN.match(text, pos, bound).end()  # type: ignore[union-attr]


def tokenize(value_text: str) -> list[Token]:
    """Break the text between a row label and what follows into tokens.

    A run that ends in ``4.`` or ``4、`` ends with the next row's numbering,
    cut from its label by a line or page break (``4.保`` / ``护第三方合法权益``):
    no cell ends so, and it is dropped."""
    tokens = _tokens(value_text)
    if tokens and tokens[-1].kind == "num" and tokens[-1].text[-1:] in ".、":
        tokens.pop()
    return tokens


def _tokens(value_text: str) -> list[Token]:
    if "|" in value_text or "｜" in value_text:
        return _pipe_tokens(value_text)
    tokens: list[Token] = []
    lines = value_text.split("\n")
    multi_line = len(lines) > 1
    for i, line in enumerate(lines):
        # The first and last lines are the rest of the label's line and the
        # start of the next label's: their spaces are layout, not cells.
        count = line.strip(_SPACES)
        if count.isdigit() and count.isascii():
            tokens.append(Token("num", count))  # most lines: one plain count, however spaced or tabbed
            continue
        inner = 0 < i < len(lines) - 1
        if "\t" in line.strip(_SPACES.replace("\t", "")):
            tokens.extend(_tab_tokens(line))
            continue
        if not line.strip(_SPACES):
            # A line of nothing but spaces between cells of a
            # one-cell-per-line flattening may be a blank cell; an empty
            # line is only a separator.
            if multi_line and inner and line.strip("\r"):
                tokens.append(Token("maybe", line))
            continue
        tokens.extend(_cell_tokens(line, in_grid=False))
    return tokens


def _pipe_tokens(value_text: str) -> list[Token]:
    """Cells separated by pipes, on one line or over many: ``| 0 | 0 |``,
    ``0 |`` lines with an empty cell as a lone `` |``, or cells between
    ``|`` lines.  Whatever stands before the first pipe and after the last
    is a cell only when it holds something (else it is the label's rest or
    the next row's start); every other blank stretch is an empty cell."""
    pieces = _PIPE.split(value_text)
    tokens: list[Token] = []
    last = len(pieces) - 1
    for i, piece in enumerate(pieces):
        if (i == 0 or i == last) and not piece.strip(_SPACES + "\n"):
            continue
        tokens.extend(_cell_tokens(piece.replace("\n", " "), in_grid=True))
    return tokens


def _tab_tokens(line: str) -> list[Token]:
    """Tab-separated cells: each field a cell, an empty field a blank cell;
    the field before the first tab is the label's rest unless it holds a value."""
    fields = line.split("\t")
    if fields and not fields[0].strip(_SPACES):
        fields = fields[1:]
    while fields and not fields[-1].strip(_SPACES):
        fields.pop()
    tokens: list[Token] = []
    for field in fields:
        tokens.extend(_cell_tokens(field, in_grid=True))
    return tokens


def _cell_tokens(text: str, *, in_grid: bool) -> list[Token]:
    stripped = text.strip(_SPACES + "\n")
    if not stripped:
        return [Token("blank", text)] if in_grid else []
    out: list[Token] = []
    for piece in stripped.split():
        if piece.isascii() and piece.isdigit():
            out.append(Token("num", piece))  # most cells: a plain count, nothing to normalise
            continue
        piece = normalise_digits(piece).strip("\xa0\u3000")
        if not piece:
            continue
        if piece in DASHES or set(piece) <= {"-", "—", "/", "–"}:
            out.append(Token("dash", piece))
        elif _THOUSANDS.match(piece):
            out.append(Token("num", piece.replace(",", "")))
        else:
            piece = piece.replace(",", "").replace("，", "")
            if piece.endswith("万元"):
                # 1.2万元 in a money cell: keep as 元 so one conversion applies.
                try:
                    yuan = round(float(piece[:-2]) * 10000, 6)
                except ValueError:
                    continue
                piece = f"{yuan:g}元" if yuan != int(yuan) else f"{int(yuan)}元"
            out.append(Token("num", piece))
    return out


def parse_number(text: str, *, money: bool = False) -> int | float | None:
    """The value of one cell's text; money cells end up in 万元.

    ``元`` marks a money cell written in yuan (251000元 → 25.1).
    """
    if not money and text.isascii() and text.isdigit():
        # Most cells: a plain count.
        try:
            return int(text)
        except ValueError:  # more digits than int() reads
            return None
    t = normalise_digits(text).strip().replace(",", "")
    in_yuan = t.endswith("元")
    if in_yuan:
        t = t[:-1]
    t = t.removesuffix("万")
    try:
        value: int | float = float(t) if "." in t else int(t)
    except ValueError:
        return None
    if in_yuan and money:
        value = value / 10000
    if money:
        return float(value) if not float(value).is_integer() else value
    return value
