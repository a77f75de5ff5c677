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

import io
import re
from dataclasses import dataclass
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
    TextBuilder,
    page_number_patterns,
)
from textmine.read.limits import (
    DEFAULT_LIMITS,
    ReadLimits,
    expands_too_far,
    too_many_pages,
)
from textmine.read.pdf_tables import (
    Line,
    TablePart,
    frame_lines,
    frame_rows,
    grid,
    headings,
    joins,
    mend_split_rows,
    table_part,
)
from textmine.record import Document

# Above this share of (cid:NN) glyphs, the text is not text.
_MAX_CID_SHARE = 0.3
# Page furniture: the page numbers printed in a page's top and bottom bands
# (data/furniture.toml), and lines of punctuation only (a text layer's stray 、).
_MARGIN_BAND = 0.09
_NO_WORDS = re.compile(r"^[\W_]+$")


@dataclass
class _PageStats:
    chars: int = 0
    cid: int = 0


def _in_band(ln: dict[str, Any], page: Any) -> bool:
    return ln["top"] < page.height * _MARGIN_BAND or ln["bottom"] > page.height * (1 - _MARGIN_BAND)


def _is_furniture(ln: dict[str, Any], page: Any) -> bool:
    text = ln["text"].strip()
    if _NO_WORDS.match(text):
        return True
    decorated, bare = page_number_patterns()
    return _in_band(ln, page) and bool(decorated.fullmatch(text) or bare.fullmatch(text))


def _drop_running_lines(pages: list[list[Line | TablePart]]) -> None:
    """Drop the header and footer lines that recur in the band of several
    pages (the report's title or the agency's name on every page) from every
    page but the first, then mark again which table is first or last on its
    page, so tables join across."""
    seen: dict[str, set[int]] = {}
    for n, items in enumerate(pages):
        for it in items:
            if isinstance(it, Line) and it.band:
                seen.setdefault(it.text.strip(), set()).add(n)
    running = {text for text, on in seen.items() if len(on) >= 2}
    # A header that only repeats the title (one or two lines at the head of page 1)
    # is running even in a two-page report.
    first = [it.text.strip() for it in pages[0][:2] if isinstance(it, Line)] if pages else []
    titles = {"".join(first[:k]).replace(" ", "") for k in (1, 2) if len(first) >= k}
    running |= {text for text, on in seen.items() if 0 not in on and text.replace(" ", "") in titles}
    if not running:
        return
    # The first page keeps its lines: a title in its top band is the title.
    for n, items in enumerate(pages[1:], 1):
        kept = [it for it in items if not (isinstance(it, Line) and it.band and it.text.strip() in running)]
        _mark_page_ends(kept)
        pages[n] = kept


def _page_items(page: Any, stats: _PageStats) -> list[Line | TablePart]:
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

    raw = (
        page.filter(outside).extract_text_lines(strip=True, return_chars=True)
        if boxes
        else page.extract_text_lines(strip=True, return_chars=True)
    )
    raw = [ln for ln in raw if ln["text"].strip() and not _is_furniture(ln, page)]
    left = min((ln["x0"] for ln in raw), default=0.0)
    right = max((ln["x1"] for ln in raw), default=0.0)
    if 0 < left < page.width / 2:
        # Margins are symmetric in practice; this keeps one overflowing line
        # (a long URL) from moving the right margin past the wrapped lines.
        right = min(right, page.width - left)
    items: list[Line | TablePart] = [
        Line.from_pdfplumber(
            ln, left, right, band=_in_band(ln, page), chars=tuple((c["x0"], c["x1"], c["text"]) for c in ln["chars"])
        )
        for ln in raw
    ]
    for t in tables:
        texts = t.extract()
        top, bottom = frame_rows(t, texts)
        n = len(t.rows)
        items.extend(frame_lines(page, t, range(0, top)))
        if top + bottom < n:
            items.append(table_part(t, texts, top, n - bottom))
        items.extend(frame_lines(page, t, range(n - bottom, n)))
    items.sort(key=lambda it: it.top)
    _mark_page_ends(items)
    return items


def _mark_page_ends(items: list[Line | TablePart]) -> None:
    """Mark the table that opens the page and the one that ends it (they may join across pages)."""
    for it in items:
        if isinstance(it, TablePart):
            it.first_on_page = it.last_on_page = False
    if items and isinstance(items[0], TablePart):
        items[0].first_on_page = True
    if items and isinstance(items[-1], TablePart):
        items[-1].last_on_page = True


def _drop_unused_chars(items: list[Line | TablePart]) -> None:
    """Keep the characters only of lines before a page's first table or after
    its last: only they can be part of a row a page break cut (see
    :func:`mend_split_rows`).  Per-character boxes are most of what a page's
    lines weigh, and every page's lines wait in memory until all are read."""
    parts = [i for i, it in enumerate(items) if isinstance(it, TablePart)]
    for i, it in enumerate(items):
        if isinstance(it, Line) and not (parts and (i < parts[0] or i > parts[-1])):
            it.chars = ()


def _continues(prev: Line, line: Line) -> bool:
    """Is ``line`` the wrapped continuation of ``prev``?"""
    full = prev.x1 >= prev.right - 1.5 * max(prev.height, 1.0)
    unindented = line.x0 <= line.left + 0.5 * max(line.height, 1.0)
    return full and unindented and not headings()[0].match(line.text)


def _assemble(pages: list[list[Line | TablePart]]) -> TextBuilder:
    out = TextBuilder()
    pending: list[TablePart] = []  # parts of the table being built
    prev_line: Line | None = None

    def flush_table() -> None:
        if pending:
            cells, shown = grid(pending)
            out.table(cells, shown)
            pending.clear()

    for items in pages:
        for it in items:
            if isinstance(it, TablePart):
                if not joins(pending[-1] if pending else None, it):
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


def _read_pages(data: bytes, source: str, limits: ReadLimits, stats: _PageStats) -> list[list[Line | TablePart]]:
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
            mend_split_rows(pages)
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
            f"{stats.cid} of {stats.chars} glyphs are (cid:NN) codes: the fonts have no Unicode map; run OCR instead",
        )
    text, tables = _assemble(pages).build()
    if not text.strip():
        raise EmptyDocumentError(source, "the PDF's text layer is blank")
    hints: dict[str, str] = {"pages": str(len(pages))}
    if stats.cid:
        hints["cid_glyphs"] = str(stats.cid)
    return Document(source=source, text=text, format="pdf", tables=tables, hints=hints)
