"""Canonical text: the one string every later offset refers to.

Readers of structured formats (HTML, DOCX, PDF) assemble their text through
:class:`TextBuilder`, which places each real table into the text as one line
per row (``| a | b |``, the same shape as the pipe-table text reports) and
records the table's offsets.  Plain-text files go through
:func:`canonical_plain_text`, which changes as little as possible, because
their layout (blank lines, no-break-space cells) is itself evidence that the
table stage reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from textmine.data import load_toml
from textmine.record import SourceTable

# Newline spellings seen in the wild: CRLF (Windows), lone CR (old Mac
# exports), and the Unicode line/paragraph separators and form feed some
# converters emit between pages.
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_ODD_NEWLINE_CHARS = "\r\u2028\u2029\x0b\x0c\x85"
# Trailing blanks on a plain-text line are layout, but a no-break space or
# ideographic space may be a blank table cell of its own, so only ASCII
# space and tab are stripped from plain text.
_TRAILING_ASCII_BLANKS = re.compile(r"[ \t]+$", re.MULTILINE)
_WS_RUN = re.compile(r"\s+")
CELL_SEPARATOR = " | "


def normalize_newlines(text: str) -> str:
    """Turn every newline spelling into ``\\n``."""
    if not any(ch in text for ch in _ODD_NEWLINE_CHARS):
        return text  # most texts: a few ``in`` tests cost far less than the regex's scan
    return _NEWLINES.sub("\n", text)


@lru_cache(maxsize=1)
def page_number_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``furniture.toml``'s page-number lines: decorated (- 4 -, 第4页) and bare."""
    d = load_toml("furniture.toml")["page_number"]
    return re.compile(d["decorated"], re.MULTILINE), re.compile(d["bare"])


@lru_cache(maxsize=1)
def gloss_pattern() -> re.Pattern[str]:
    """``furniture.toml``'s pinyin readings after characters (濟(jì)南)."""
    return re.compile(load_toml("furniture.toml")["glosses"]["pattern"])


# A reading always holds a tone-marked vowel: texts without one are left alone at once.
_TONE_MARK = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


def drop_glosses(text: str) -> str:
    """``text`` without the pinyin readings a mirror site put after characters."""
    if not _TONE_MARK.search(text):
        return text
    return gloss_pattern().sub("", text)


def _strip_trailing_blanks(text: str) -> str:
    """``text`` without ASCII spaces and tabs at the ends of its lines (a
    text with none, most, is not scanned by the regex)."""
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):
        return _TRAILING_ASCII_BLANKS.sub("", text)
    return text


def canonical_plain_text(text: str) -> str:
    """The canonical form of a plain-text report: newlines unified, a leading
    BOM dropped, trailing ASCII blanks stripped, and the page-number lines of
    a PDF copied to text (- 4 -, 第4页 共9页) dropped: they split table rows
    and labels (（四）无 / - 4 - / 法提供).  Nothing else is touched."""
    text = text.removeprefix("\ufeff")
    text = drop_glosses(_strip_trailing_blanks(normalize_newlines(text)))
    decorated, _ = page_number_patterns()
    if decorated.search(text):
        text = "\n".join(_without_page_furniture(text.split("\n"), decorated))
    return text


# A running header or footer stands this close to a page number, and recurs.
_RUNNING_GAP = 2
_RUNNING_MIN = 2
_RUNNING_MAX_CHARS = 60
_RUNNING_MIN_CJK = 4
_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")


def _without_page_furniture(lines: list[str], page_number: re.Pattern[str]) -> list[str]:
    """``lines`` without page-number lines and the running header or footer
    lines printed beside them on several pages (the report's title, the
    agency's name): both split a table when a PDF is copied to text."""
    numbered = [i for i, line in enumerate(lines) if page_number.fullmatch(line)]
    near = {j for i in numbered for j in range(i - _RUNNING_GAP, i + _RUNNING_GAP + 1)} - set(numbered)
    counts: dict[str, int] = {}
    for j in near:
        line = lines[j].strip() if 0 <= j < len(lines) else ""
        # Words, not a table cell: a running line names something (a cell "0" recurs too).
        if len(line) <= _RUNNING_MAX_CHARS and len(_CJK_CHARS.findall(line)) >= _RUNNING_MIN_CJK:
            counts[line] = counts.get(line, 0) + 1
    running = {text for text, n in counts.items() if n >= _RUNNING_MIN}
    drop = set(numbered) | {j for j in near if 0 <= j < len(lines) and lines[j].strip() in running}
    return [line for i, line in enumerate(lines) if i not in drop]


def is_wide(ch: str) -> bool:
    """True for characters of East Asian scripts and full-width punctuation,
    between which a line break is not a word space (CSS Text 3's segment
    break rule): 办理\\n结果 reads 办理结果."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK punctuation, kana, hanzi
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= o <= 0xFE4F  # vertical-form punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF  # extension B and beyond
        or ch in "“”‘’—…·"
    )


def join_break(left: str, right: str) -> str:
    """The separator a soft line break between ``left`` and ``right`` stands
    for: nothing between Chinese text or digits split from their unit
    (2.8\\n万条), one space between two Latin words."""
    if not left or not right:
        return ""
    a, b = left[-1], right[0]
    if a.isascii() and b.isascii() and a.isalnum() and b.isalnum():
        return " "
    return ""


def join_lines(lines: Sequence[str]) -> str:
    """Join the visual lines of one wrapped paragraph or table cell."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        out = out + join_break(out, line) + line if out else line
    return out


def clean_cell(text: str) -> str:
    """One table cell as a single line: wrapped lines joined, every other run
    of blanks (no-break spaces included) one space, ends stripped.  A ``|``
    inside a cell becomes ``｜`` so the rendered row stays splittable."""
    text = join_lines(normalize_newlines(drop_glosses(text)).split("\n"))
    return _WS_RUN.sub(" ", text).strip().replace("|", "｜")


def render_row(cells: Sequence[str]) -> str:
    """``| a | b |``: the row shape the pipe-table text reports use, so one
    text-table parser serves both."""
    return "| " + CELL_SEPARATOR.join(cells) + " |"


class TextBuilder:
    """Assembles canonical text line by line and keeps table offsets right.

    Blank lines collapse to one; a table is set off by a blank line on each
    side.  Offsets are computed once, in :meth:`build`, from line lengths.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        # (grid, first line index, last line index + 1) per table
        self._tables: list[tuple[list[list[str]], int, int]] = []

    def line(self, text: str) -> None:
        """Append one line of running text (stripped; a blank one is a
        paragraph gap)."""
        text = drop_glosses(text).strip()
        if text:
            self._lines.append(text)
        else:
            self.blank()

    def extend_last(self, text: str) -> bool:
        """Glue ``text`` onto the last line (a paragraph wrapped across
        lines); False when there is no running-text line to extend."""
        if not self._lines or not self._lines[-1] or self._ends_in_table():
            return False
        last = self._lines[-1]
        text = drop_glosses(text)
        self._lines[-1] = last + join_break(last, text) + text.strip()
        return True

    def blank(self) -> None:
        if self._lines and self._lines[-1] != "":
            self._lines.append("")

    def _ends_in_table(self) -> bool:
        return bool(self._tables) and self._tables[-1][2] == len(self._lines)

    def table(self, grid: list[list[str]], rendered: list[list[str]]) -> None:
        """Append a table: ``grid`` is what :class:`SourceTable` keeps (spans
        repeated), ``rendered`` the same shape with covered positions blank,
        which is what the text shows, so a merged label is read once."""
        if not grid:
            return
        self.blank()
        first = len(self._lines)
        self._lines.extend(render_row(r) for r in rendered)
        self._tables.append((grid, first, len(self._lines)))
        self.blank()

    def build(self) -> tuple[str, list[SourceTable]]:
        lines = self._lines
        while lines and lines[-1] == "":
            lines.pop()
        starts: list[int] = []
        pos = 0
        for ln in lines:
            starts.append(pos)
            pos += len(ln) + 1
        text = "\n".join(lines)
        tables = [
            SourceTable(rows=grid, start=starts[a], end=starts[b - 1] + len(lines[b - 1]))
            for grid, a, b in self._tables
        ]
        return text, tables


class GridBuilder:
    """Resolves row and column spans into a rectangular grid.

    Cells are placed in reading order; ``place`` skips positions already
    covered by a rowspan above, as HTML's table model does.  Covered positions
    repeat the spanning cell's text in :attr:`grid` and are blank in
    :attr:`rendered`.
    """

    # Guard against absurd spans (rowspan="99999" in a broken page) eating
    # memory: no real report table is anywhere near this wide.
    MAX_SPAN = 200

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], tuple[str, bool]] = {}
        self._n_rows = 0
        self._n_cols = 0

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> int:
        """Put a cell at the first free column ≥ ``col`` of ``row``; return
        the column after it."""
        while (row, col) in self._cells:
            col += 1
        rowspan = max(1, min(rowspan, self.MAX_SPAN))
        colspan = max(1, min(colspan, self.MAX_SPAN))
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                if (r, c) not in self._cells:
                    self._cells[(r, c)] = (text, r == row and c == col)
        self._n_rows = max(self._n_rows, row + rowspan)
        self._n_cols = max(self._n_cols, col + colspan)
        return col + colspan

    def set(self, row: int, col: int, text: str, origin: bool) -> None:
        """Set one position directly (readers that resolve spans themselves)."""
        self._cells[(row, col)] = (text, origin)
        self._n_rows = max(self._n_rows, row + 1)
        self._n_cols = max(self._n_cols, col + 1)

    def get(self, row: int, col: int) -> str | None:
        hit = self._cells.get((row, col))
        return hit[0] if hit else None

    def free(self, row: int, col: int) -> bool:
        return (row, col) not in self._cells

    def finish(self, n_rows: int | None = None) -> tuple[list[list[str]], list[list[str]]]:
        """The grid and its rendering, every row padded to the same width;
        rows that a rowspan ran past the table's end are cut at ``n_rows``."""
        n = self._n_rows if n_rows is None else n_rows
        grid: list[list[str]] = []
        shown: list[list[str]] = []
        for r in range(n):
            g_row: list[str] = []
            s_row: list[str] = []
            for c in range(self._n_cols):
                text, origin = self._cells.get((r, c), ("", True))
                g_row.append(text)
                s_row.append(text if origin else "")
            grid.append(g_row)
            shown.append(s_row)
        return grid, shown
