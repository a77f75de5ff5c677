"""Word (.docx) reports: body paragraphs and tables in document order.

python-docx opens the package (and so validates it); the body is then walked
as XML, because ``Document.paragraphs`` and ``Document.tables`` lose the
interleaving, and spans are resolved here from ``w:gridSpan``/``w:vMerge``
so the grid is exactly what the table's layout grid says.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from textmine.errors import CorruptDocumentError, EmptyDocumentError
from textmine.read.canonical import GridBuilder, TextBuilder, clean_cell
from textmine.record import Document

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_q(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_VAL = _q("val")


def _int_val(el: Any, path: str, default: int) -> int:
    found = el.find(path)
    if found is None:
        return default
    try:
        return max(0, int(found.get(_VAL, default)))
    except ValueError:
        return default


def _paragraph_text(p: Any) -> str:
    # Imported here, with python-docx, only when a .docx is read.
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text


def _block_children(container: Any) -> list[Any]:
    """``w:p`` and ``w:tbl`` children in order, looking through content
    controls (``w:sdt``), which wrap whole tables in some templates."""
    out: list[Any] = []
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            out.append(child)
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                out.extend(_block_children(content))
    return out


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs (and any nested table's) joined into one line."""
    lines = [_paragraph_text(p) for p in tc.iter(_P)]
    return clean_cell("\n".join(lines))


def _has_nested_table(tbl: Any) -> bool:
    return any(True for _ in tbl.iterdescendants(_TBL))


def _table_grid(tbl: Any) -> tuple[list[list[str]], list[list[str]]]:
    """Resolve ``w:gridSpan`` (horizontal) and ``w:vMerge`` (vertical) merges.

    A ``vMerge`` cell without ``val="restart"`` continues the cell above: it
    takes that cell's text and is blank in the rendering.  ``w:gridBefore``
    skips leading grid columns of a row.
    """
    grid = GridBuilder()
    rows = [tr for tr in tbl.iterchildren(_TR)]
    for r, tr in enumerate(rows):
        col = _int_val(tr, f"{_q('trPr')}/{_q('gridBefore')}", 0)
        for tc in tr.iterchildren(_TC):
            span = max(1, _int_val(tc, f"{_q('tcPr')}/{_q('gridSpan')}", 1))
            span = min(span, GridBuilder.MAX_SPAN)
            vmerge = tc.find(f"{_q('tcPr')}/{_q('vMerge')}")
            continues = vmerge is not None and vmerge.get(_VAL, "continue") != "restart"
            above = grid.get(r - 1, col) if r > 0 else None
            if continues and above is not None:
                for c in range(col, col + span):
                    grid.set(r, c, grid.get(r - 1, c) or above, origin=False)
            else:
                text = _cell_text(tc)
                for c in range(col, col + span):
                    grid.set(r, c, text, origin=(c == col))
            col += span
    return grid.finish(len(rows))


def _walk(container: Any, out: TextBuilder) -> None:
    for block in _block_children(container):
        if block.tag == _P:
            out.line(_paragraph_text(block))
        elif _has_nested_table(block):
            # A layout table: its cells hold running text and real tables.
            for tr in block.iterchildren(_TR):
                for tc in tr.iterchildren(_TC):
                    _walk(tc, out)
        else:
            grid, shown = _table_grid(block)
            if sum(1 for row in grid for _ in row) > 1:
                out.table(grid, shown)
            else:
                for row in grid:
                    out.line(" ".join(row))


def read_docx(data: bytes, source: str) -> Document:
    # python-docx is imported on use: it is slow to import and most runs
    # never see a .docx.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError) as e:
        raise CorruptDocumentError(source, f"broken DOCX package ({type(e).__name__}: {e})") from e
    except Exception as e:  # noqa: BLE001 - lxml/python-docx raise many kinds on bad XML
        raise CorruptDocumentError(source, f"cannot open DOCX ({type(e).__name__}: {e})") from e
    out = TextBuilder()
    try:
        _walk(body, out)
    except RecursionError as e:
        raise CorruptDocumentError(source, "DOCX tables nested too deeply to read") from e
    except Exception as e:  # noqa: BLE001 - malformed body XML surfaces as many exception kinds
        raise CorruptDocumentError(source, f"cannot read the DOCX body ({type(e).__name__}: {e})") from e
    text, tables = out.build()
    if not text.strip():
        raise EmptyDocumentError(source, "the DOCX body holds no text")
    hints: dict[str, str] = {}
    try:
        title = (document.core_properties.title or "").strip()
    except Exception:  # noqa: BLE001 - a broken docProps part must not stop reading the body
        title = ""
    if title:
        hints["docx_title"] = title
    return Document(source=source, text=text, format="docx", tables=tables, hints=hints)
