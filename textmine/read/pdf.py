"""PDF reports: running text in reading order, ruled tables as grids.

pdfplumber finds ruled tables per page (``find_tables``).  Its ``extract()``
returns ``None`` for every position a merged cell covers, so grids are built
here from the cells' boxes instead: the distinct x edges of a table's cells
are its columns and the distinct y edges its rows, and a cell fills every
position its box covers.  A table broken by a page break comes back as two
tables with different column sets (table 3 of the 2021 layout: one label
column on the first page, three on the next); when a table is the last thing
on a page and another of the same width is the first thing on the next,
they are joined into one grid over the union of their column edges.

Text outside tables is read line by line; a line that runs to the right
margin continues into the next unindented line (the PDF wrapped a
paragraph), so a phrase such as 主动公开政府信息2.8万条 is not cut by a
line break.

Memory stays flat in the number of pages: each page is closed (pdfplumber
drops its layout, objects and text map) as soon as its lines and table parts
are taken, a PDF of more than ``max_pages`` pages is refused before any page
is read, and what pdfminer may decode is capped (:mod:`.pdfstreams`).
"""

from __future__ import annotations

import bisect
import io
import re
from dataclasses import dataclass, field
from typing import Any

from textmine.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    GarbledTextError,
    ScannedPdfError,
    TextmineError,
    UnreadableFileError,
)
from textmine.read.canonical import (
    GridBuilder,
    TextBuilder,
    clean_cell,
    page_number_patterns,
)
from textmine.read.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    expands_too_far,
    too_many_pages,
)
from textmine.record import Document

# Distances in PDF points (1/72 inch).
_EDGE_TOLERANCE = 2.0  # cell edges closer than this are the same grid line
_SAME_WIDTH = 3.0  # table boxes this close in x are the same table's parts
# Above this share of (cid:NN) glyphs, the text is not text.
_MAX_CID_SHARE = 0.3
# A numbered heading starts a new paragraph even after a full-width line.
_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．，]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[章节条部分])")
# Page furniture: the page numbers printed in a page's top and bottom bands
# (data/furniture.toml), and lines of punctuation only (a text layer's stray 、).
_MARGIN_BAND = 0.09
_NO_WORDS = re.compile(r"^[\W_]+$")
# A one-cell row of a ruled frame is running text (a report set inside
# one-column boxes) when it reads as text: long, punctuated, or a heading.
_FRAME_TEXT_MIN = 15
_FRAME_PUNCT = re.compile(r"[。，；：！？,;]")
_FRAME_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．，]|[（(][一二三四五六七八九十]+[）)])")


@dataclass
class _Line:
    text: str
    top: float
    x0: float
    x1: float
    height: float
    left: float  # the page's text margins, for the wrap test
    right: float
    band: bool = False  # in the page's top or bottom band (a running header or footer?)
    # (x0, x1, text) of each character: to place a table row's remainder by column.
    chars: tuple[tuple[float, float, str], ...] = ()
    frame: bool = False  # read from a one-column text frame
    bottom: float = 0.0


@dataclass
class _TablePart:
    top: float
    x0: float
    x1: float
    bottom: float = 0.0
    # (x0, x1, first row, row after last, text) per real cell
    cells: list[tuple[float, float, int, int, str]] = field(default_factory=list)
    n_rows: int = 0
    first_on_page: bool = False
    last_on_page: bool = False


@dataclass
class _PageStats:
    chars: int = 0
    cid: int = 0


def _edges(values: list[float]) -> list[float]:
    """Sorted distinct values, those within _EDGE_TOLERANCE merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _EDGE_TOLERANCE:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    """Index of the edge nearest ``v``."""
    i = bisect.bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return len(edges) - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


def _table_part(
    table: Any, texts: list[list[str | None]], first: int = 0, last: int | None = None
) -> _TablePart:
    """The rows ``first``..``last`` (exclusive) of a pdfplumber table as a part
    (``texts``: the table's ``extract()``)."""
    last = len(table.rows) if last is None else last
    boxes: list[tuple[tuple[float, float, float, float], str]] = []
    for i, row in enumerate(table.rows):
        if not first <= i < last:
            continue
        for j, bbox in enumerate(row.cells):
            if bbox is None:
                continue
            text = texts[i][j] if i < len(texts) and j < len(texts[i]) else None
            boxes.append((bbox, clean_cell(text or "")))
    ys = _edges([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes])
    top = min((b[1] for b, _ in boxes), default=table.bbox[1])
    bottom = max((b[3] for b, _ in boxes), default=table.bbox[3])
    part = _TablePart(top=top, x0=table.bbox[0], x1=table.bbox[2], bottom=bottom, n_rows=max(0, len(ys) - 1))
    for (x0, top, x1, bottom), text in boxes:
        r0 = _index(ys, top)
        r1 = max(r0 + 1, _index(ys, bottom))
        part.cells.append((x0, x1, r0, r1, text))
    return part


def _grid(parts: list[_TablePart]) -> tuple[list[list[str]], list[list[str]]]:
    """One grid over parts stacked top to bottom, columns from the union of
    their cells' x edges, so a merged label column on one page and three
    label columns on the next line up."""
    xs = _edges([c[0] for p in parts for c in p.cells] + [c[1] for p in parts for c in p.cells])
    grid = GridBuilder()
    offset = 0
    for p in parts:
        for x0, x1, r0, r1, text in p.cells:
            c0 = _index(xs, x0)
            c1 = max(c0 + 1, _index(xs, x1))
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if grid.free(offset + r, c):
                        grid.set(offset + r, c, text, origin=(r == r0 and c == c0))
        offset += p.n_rows
    return grid.finish(offset)


def _is_frame_row(table: Any, i: int, texts: list[list[str | None]]) -> bool:
    """Is row ``i`` one cell across the whole table holding running text?"""
    cells = [c for c in table.rows[i].cells if c is not None]
    if len(cells) != 1:
        return False
    x0, _, x1, _ = cells[0]
    if abs(x0 - table.bbox[0]) > _SAME_WIDTH or abs(x1 - table.bbox[2]) > _SAME_WIDTH:
        return False
    text = clean_cell(next((t for t in texts[i] if t), "") if i < len(texts) else "")
    return len(text) >= _FRAME_TEXT_MIN or bool(_FRAME_PUNCT.search(text) or _FRAME_HEADING.match(text))


def _frame_rows(table: Any, texts: list[list[str | None]]) -> tuple[int, int]:
    """How many rows at the top and at the bottom of ``table`` are text frames."""
    n = len(table.rows)
    top = 0
    while top < n and _is_frame_row(table, top, texts):
        top += 1
    bottom = 0
    while bottom < n - top and _is_frame_row(table, n - 1 - bottom, texts):
        bottom += 1
    return top, bottom


def _frame_lines(page: Any, table: Any, rows: range) -> list[_Line]:
    """The visual lines inside a table's frame rows, as running text lines."""
    out: list[_Line] = []
    for i in rows:
        cell = next(c for c in table.rows[i].cells if c is not None)
        # Characters at a line's end may overhang the frame's rule: widen the box a little.
        x0, top, x1, bottom = cell
        box = (max(page.bbox[0], x0 - _EDGE_TOLERANCE * 3), top, min(page.bbox[2], x1 + _EDGE_TOLERANCE * 3), bottom)
        region = page.within_bbox(box, relative=False, strict=False)
        for ln in region.extract_text_lines(strip=True, return_chars=False):
            if ln["text"].strip():
                out.append(_Line(ln["text"], ln["top"], ln["x0"], ln["x1"], ln["bottom"] - ln["top"], 0.0, 0.0,
                                 frame=True, bottom=ln["bottom"]))
    if out:
        # The frame's own text block sets the margins of the wrap test.
        left, right = min(ln.x0 for ln in out), max(ln.x1 for ln in out)
        for ln in out:
            ln.left, ln.right = left, right
    return out


def _in_band(ln: dict[str, Any], page: Any) -> bool:
    return ln["top"] < page.height * _MARGIN_BAND or ln["bottom"] > page.height * (1 - _MARGIN_BAND)


def _is_furniture(ln: dict[str, Any], page: Any) -> bool:
    text = ln["text"].strip()
    if _NO_WORDS.match(text):
        return True
    decorated, bare = page_number_patterns()
    return _in_band(ln, page) and bool(decorated.fullmatch(text) or bare.fullmatch(text))


def _drop_running_lines(pages: list[list[_Line | _TablePart]]) -> None:
    """Drop the header and footer lines that recur in the band of several
    pages (the report's title or the agency's name on every page) from every
    page but the first, then mark again which table is first or last on its
    page, so tables join across."""
    seen: dict[str, set[int]] = {}
    for n, items in enumerate(pages):
        for it in items:
            if isinstance(it, _Line) and it.band:
                seen.setdefault(it.text.strip(), set()).add(n)
    running = {text for text, on in seen.items() if len(on) >= 2}
    # A header that only repeats the title (one or two lines at the head of page 1)
    # is running even in a two-page report.
    first = [it.text.strip() for it in pages[0][:2] if isinstance(it, _Line)] if pages else []
    titles = {"".join(first[:k]).replace(" ", "") for k in (1, 2) if len(first) >= k}
    running |= {text for text, on in seen.items() if 0 not in on and text.replace(" ", "") in titles}
    if not running:
        return
    # The first page keeps its lines: a title in its top band is the title.
    for n, items in enumerate(pages[1:], 1):
        kept = [it for it in items if not (isinstance(it, _Line) and it.band and it.text.strip() in running)]
        _mark_page_ends(kept)
        pages[n] = kept


def _page_items(page: Any, stats: _PageStats) -> list[_Line | _TablePart]:
    chars = page.chars
    stats.chars += sum(1 for c in chars if not c["text"].isspace())
    stats.cid += sum(1 for c in chars if c["text"].startswith("(cid:"))
    tables = [t for t in page.find_tables() if t.cells]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx = (obj["x0"] + obj["x1"]) / 2
        cy = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    raw = page.filter(outside).extract_text_lines(strip=True, return_chars=True) if boxes else \
        page.extract_text_lines(strip=True, return_chars=True)
    raw = [ln for ln in raw if ln["text"].strip() and not _is_furniture(ln, page)]
    left = min((ln["x0"] for ln in raw), default=0.0)
    right = max((ln["x1"] for ln in raw), default=0.0)
    if 0 < left < page.width / 2:
        # Margins are symmetric in practice; this keeps one overflowing line
        # (a long URL) from moving the right margin past the wrapped lines.
        right = min(right, page.width - left)
    items: list[_Line | _TablePart] = [
        _Line(ln["text"], ln["top"], ln["x0"], ln["x1"], ln["bottom"] - ln["top"], left, right, _in_band(ln, page),
              tuple((c["x0"], c["x1"], c["text"]) for c in ln["chars"]), bottom=ln["bottom"])
        for ln in raw
    ]
    for t in tables:
        texts = t.extract()
        top, bottom = _frame_rows(t, texts)
        n = len(t.rows)
        items.extend(_frame_lines(page, t, range(0, top)))
        if top + bottom < n:
            items.append(_table_part(t, texts, top, n - bottom))
        items.extend(_frame_lines(page, t, range(n - bottom, n)))
    items.sort(key=lambda it: it.top)
    _mark_page_ends(items)
    return items


def _mark_page_ends(items: list[_Line | _TablePart]) -> None:
    """Mark the table that opens the page and the one that ends it (they may join across pages)."""
    for it in items:
        if isinstance(it, _TablePart):
            it.first_on_page = it.last_on_page = False
    if items and isinstance(items[0], _TablePart):
        items[0].first_on_page = True
    if items and isinstance(items[-1], _TablePart):
        items[-1].last_on_page = True


def _drop_unused_chars(items: list[_Line | _TablePart]) -> None:
    """Keep the characters only of lines before a page's first table or after
    its last: only they can be part of a row a page break cut (see
    :func:`_mend_split_rows`).  Per-character boxes are most of what a page's
    lines weigh, and every page's lines wait in memory until all are read."""
    parts = [i for i, it in enumerate(items) if isinstance(it, _TablePart)]
    for i, it in enumerate(items):
        if isinstance(it, _Line) and not (parts and (i < parts[0] or i > parts[-1])):
            it.chars = ()


def _continues(prev: _Line, line: _Line) -> bool:
    """Is ``line`` the wrapped continuation of ``prev``?"""
    full = prev.x1 >= prev.right - 1.5 * max(prev.height, 1.0)
    unindented = line.x0 <= line.left + 0.5 * max(line.height, 1.0)
    return full and unindented and not _HEADING.match(line.text)


def _same_width(a: _TablePart, b: _TablePart) -> bool:
    return abs(a.x0 - b.x0) <= _SAME_WIDTH and abs(a.x1 - b.x1) <= _SAME_WIDTH


def _joins(last: _TablePart | None, part: _TablePart) -> bool:
    """Does ``part`` go on the table ``last`` ended a page with?"""
    return last is not None and last.last_on_page and part.first_on_page and _same_width(last, part)


_NUMBER_RUN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def _values_line(ln: _Line) -> bool:
    """A line holding a row's values cut from their cells: three numbers or
    more, apart (0 0 0 2; 度办理结 232 0 0 0 6 0 2)."""
    return len(_NUMBER_RUN.findall(ln.text)) >= 3


def _within(ln: _Line, part: _TablePart) -> bool:
    return not ln.frame and part.x0 - _SAME_WIDTH <= ln.x0 and ln.x1 <= part.x1 + _SAME_WIDTH


def _adjacent(lines: list[_Line], edge: float, *, below: bool) -> list[_Line]:
    """The lines that follow one another from ``edge`` (a table's bottom, or
    its top when ``below`` is False), each within a line's height of the last."""
    ordered = sorted(lines, key=lambda ln: ln.top if below else -ln.top)
    out: list[_Line] = []
    for ln in ordered:
        gap = ln.top - edge if below else edge - ln.bottom
        # A cut row keeps its cell padding: up to three line heights from the rule.
        if gap > 3.0 * max(ln.height, 1.0):
            break
        out.append(ln)
        edge = ln.bottom if below else ln.top
    return out


def _row_remainder(lines: list[_Line], parts: list[_TablePart]) -> _TablePart:
    """The lines of a row a page break cut (its rules did not make it a cell)
    as one grid row: each character in the column of the table its place
    falls in."""
    cells = [c for p in parts for c in p.cells]
    xs = _edges([c[0] for c in cells] + [c[1] for c in cells])
    texts: dict[int, list[str]] = {}
    for ln in lines:  # in reading order: the part under the table, then the part over the next
        for x0, x1, ch in ln.chars:
            column = min(max(bisect.bisect_right(xs, (x0 + x1) / 2) - 1, 0), max(len(xs) - 2, 0))
            texts.setdefault(column, []).append(ch)
    row = _TablePart(top=lines[0].top, x0=parts[-1].x0, x1=parts[-1].x1, n_rows=1,
                     first_on_page=True, last_on_page=True)
    columns = sorted(texts)
    # The label's words spread over the label columns: one label cell, up to the first number.
    label = []
    while columns and not any(ch.isdigit() for ch in texts[columns[0]]):
        label.append(columns.pop(0))
    if label:
        row.cells.append((xs[label[0]], xs[min(label[-1] + 1, len(xs) - 1)], 0, 1,
                          clean_cell("".join(ch for c in label for ch in texts[c]))))
    for column in columns:
        row.cells.append((xs[column], xs[min(column + 1, len(xs) - 1)], 0, 1, clean_cell("".join(texts[column]))))
    return row


def _mend_split_rows(pages: list[list[_Line | _TablePart]]) -> None:
    """A row a page break cut often loses its rules: its top part is lines
    under the table at a page's foot, its rest lines over the table at the
    next page's head.  Gather both into one grid row between the two parts,
    so the table joins across the break and the row keeps its label and values."""
    for n in range(len(pages) - 1):
        here, there = pages[n], pages[n + 1]
        last_i = max((i for i, it in enumerate(here) if isinstance(it, _TablePart)), default=None)
        first_i = next((i for i, it in enumerate(there) if isinstance(it, _TablePart)), None)
        if last_i is None or first_i is None:
            continue
        last, first = here[last_i], there[first_i]
        assert isinstance(last, _TablePart) and isinstance(first, _TablePart)
        if not _same_width(last, first):
            continue
        tail = [it for it in here[last_i + 1 :] if isinstance(it, _Line)]
        head = [it for it in there[:first_i] if isinstance(it, _Line)]
        if len(tail) != len(here) - last_i - 1 or len(head) != first_i:
            continue  # something else stands between the two parts
        top_part = _adjacent([ln for ln in tail if _within(ln, last)], last.bottom, below=True)
        rest = _adjacent([ln for ln in head if _within(ln, first)], first.top, below=False)
        # A cut row leaves its top part under the table, or its values over the next
        # part; a heading with no values beside it is no row (一、本年新收… has them).
        if len(top_part) != len(tail) or len(rest) != len(head) or not (top_part or any(map(_values_line, rest))):
            continue
        lines = top_part + rest
        if any(_HEADING.match(ln.text) for ln in lines) and not any(map(_values_line, lines)):
            continue
        remainder = _row_remainder(sorted(top_part, key=lambda ln: ln.top) + sorted(rest, key=lambda ln: ln.top),
                                   [last, first])
        pages[n] = here[: last_i + 1] + [remainder]
        pages[n + 1] = there[first_i:]
        last.last_on_page = True
        first.first_on_page = True


def _assemble(pages: list[list[_Line | _TablePart]]) -> TextBuilder:
    out = TextBuilder()
    pending: list[_TablePart] = []  # parts of the table being built
    prev_line: _Line | None = None

    def flush_table() -> None:
        if pending:
            grid, shown = _grid(pending)
            out.table(grid, shown)
            pending.clear()

    for items in pages:
        for it in items:
            if isinstance(it, _TablePart):
                if not _joins(pending[-1] if pending else None, it):
                    flush_table()
                pending.append(it)
                prev_line = None
                continue
            flush_table()
            if prev_line is not None and _continues(prev_line, it) and out.extend_last(it.text):
                pass
            else:
                out.line(it.text)
            prev_line = it
    flush_table()
    return out


def _declared_pages(pdf: Any) -> int | None:
    """The page count the page tree's root declares (``/Count``), if any."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
    except Exception:  # noqa: BLE001 - a missing or broken tree root only loses the count
        return None
    return count if isinstance(count, int) else None


def _check_page_count(pdf: Any, source: str, limits: ReadLimits) -> None:
    """Refuse a PDF of more than ``limits.max_pages`` pages, counting no
    further than one past the limit (a page tree may claim millions)."""
    from pdfminer.pdfpage import PDFPage

    for n, _ in enumerate(PDFPage.create_pages(pdf.doc), 1):
        if n > limits.max_pages:
            declared = _declared_pages(pdf)
            raise too_many_pages(source, declared if declared is not None and declared >= n else None, limits)


def _open(data: bytes, source: str) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError, PdfminerException) as e:
        # pdfplumber wraps what pdfminer raised on opening.
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableFileError(source, "encrypted PDF; remove the password first") from e
        raise


def _read_pages(data: bytes, source: str, limits: ReadLimits, stats: _PageStats) -> list[list[_Line | _TablePart]]:
    """Every page's lines and table parts, each page closed once read.

    The PDF object is left to the garbage collector, not closed: its
    ``close()`` (pdfplumber 0.11) walks the whole page tree again to close
    pages already closed here, which on a PDF refused for its page count is
    the very walk the count avoided.  The stream is our BytesIO, nothing to
    release.
    """
    pdf = _open(data, source)
    _check_page_count(pdf, source, limits)
    if not pdf.pages:
        raise EmptyDocumentError(source, "the PDF has no pages")
    pages = []
    for page in pdf.pages:
        try:
            items = _page_items(page, stats)
        finally:
            page.close()
        _drop_unused_chars(items)
        pages.append(items)
    return pages


def read_pdf(data: bytes, source: str, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    # pdfplumber (and pdfminer under it) is imported on use: slow to import,
    # needed only for PDFs.
    from textmine.read.pdfstreams import bounded_streams

    stats = _PageStats()
    with bounded_streams(limits.max_expanded_bytes) as budget:
        try:
            pages = _read_pages(data, source, limits, stats)
            _drop_running_lines(pages)
            _mend_split_rows(pages)
        except TextmineError:
            raise
        except Exception as e:  # noqa: BLE001 - damaged page trees and streams surface anywhere
            if budget.exceeded:
                raise expands_too_far(source, "its compressed streams", None, limits) from e
            raise CorruptDocumentError(source, f"broken PDF ({type(e).__name__}: {e})") from e
        if budget.exceeded:  # pdfminer swallowed the refusal somewhere
            raise expands_too_far(source, "its compressed streams", None, limits)
    if stats.chars == 0:
        raise ScannedPdfError(source, "no text layer (a scanned PDF?); run OCR first")
    if stats.cid > _MAX_CID_SHARE * stats.chars:
        raise GarbledTextError(
            source,
            f"{stats.cid} of {stats.chars} glyphs are (cid:NN) codes: the fonts have no Unicode map; "
            "run OCR instead",
        )
    text, tables = _assemble(pages).build()
    if not text.strip():
        raise EmptyDocumentError(source, "the PDF's text layer is blank")
    hints: dict[str, str] = {"pages": str(len(pages))}
    if stats.cid:
        hints["cid_glyphs"] = str(stats.cid)
    return Document(source=source, text=text, format="pdf", tables=tables, hints=hints)
