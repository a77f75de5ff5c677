"""Word (.docx) reports: body paragraphs and tables in document order.

The body is walked as XML, because ``Document.paragraphs`` and
``Document.tables`` lose the interleaving, and spans are resolved here from
``w:gridSpan``/``w:vMerge`` so the grid is exactly what the table's layout
grid says.

A DOCX is a zip, and its XML may expand a thousandfold: a 1 MB file can hold
a ``word/document.xml`` of gigabytes.  So the package is not handed to
python-docx, which reads every part whole and parses the body into one tree.
The few parts needed ([Content_Types].xml, the package relationships, the
main document, the core properties) are read here, each through a stream
that counts what it inflates against ``max_expanded_bytes`` and stops there
whatever the zip's directory claims, and the body is parsed as a stream
(lxml's pull parser with python-docx's element classes): each top-level
paragraph or table is read as soon as it is complete and then freed, so
memory holds one block of the body, never the whole tree.
"""

from __future__ import annotations

import copy
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from itertools import chain
from typing import Any

from lxml import etree

from textmine.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    LimitExceededError,
    TextmineError,
)
from textmine.read.canonical import GridBuilder, TextBuilder, clean_cell
from textmine.read.limits import DEFAULT_LIMITS, ReadLimits, expands_too_far
from textmine.record import Document

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _q(name: str) -> str:
    return f"{{{_W}}}{name}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_q(n) for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_BODY = _q("body")
_VAL = _q("val")

# Open Packaging Conventions: where a package says what its parts are.
_CONTENT_TYPES = "[Content_Types].xml"
_PACKAGE_RELS = "_rels/.rels"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_RT_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CT_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# Inflated a piece at a time: no more than this is decompressed past the limit.
_CHUNK = 1 << 16


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


def _emit_block(block: Any, out: TextBuilder) -> None:
    """One ``w:p`` or ``w:tbl`` of a body (or of a layout table's cell)."""
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


def _walk(container: Any, out: TextBuilder) -> None:
    for block in _block_children(container):
        _emit_block(block, out)


@dataclass
class _Package:
    """The zip, and what its parts have inflated to so far against the limit."""

    zf: zipfile.ZipFile
    source: str
    limits: ReadLimits
    inflated: int = 0

    def chunks(self, name: str) -> Iterator[bytes]:
        """Part ``name`` a piece at a time, refused once the package's parts
        pass ``max_expanded_bytes``, whatever size the zip declares."""
        try:
            info = self.zf.getinfo(name)
        except KeyError as e:
            raise CorruptDocumentError(self.source, f"broken DOCX package: no part {name}") from e
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # zipfile inflates other methods without a bound; Word writes none of them.
            raise CorruptDocumentError(
                self.source,
                f"broken DOCX package: {name} is compressed with method {info.compress_type}, which Word does not use",
            )
        if self.inflated + info.file_size > self.limits.max_expanded_bytes:
            raise expands_too_far(self.source, f"its parts up to {name}", self.inflated + info.file_size, self.limits)
        # The declared size may lie, and zipfile trusts it: a member read whole
        # inflates in one call up to 1 GB before it is cut to the declared size.
        # Read with no size of its own, in pieces, and count what comes out.
        unbounded = copy.copy(info)
        unbounded.file_size = 1 << 62
        size = 0
        with self.zf.open(unbounded) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                self.inflated += len(chunk)
                if self.inflated > self.limits.max_expanded_bytes:
                    raise expands_too_far(self.source, f"its parts up to {name}", None, self.limits)
                yield chunk
        if size != info.file_size:
            raise CorruptDocumentError(
                self.source, f"broken DOCX package: {name} holds {size:,} bytes where the zip says {info.file_size:,}"
            )

    def xml(self, name: str) -> Any:
        """A small part (content types, relationships, properties), parsed whole."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        return etree.fromstring(b"".join(self.chunks(name)), parser)

    def content_type(self, partname: str, types: Any) -> str | None:
        """``partname``'s content type: its override, else its extension's default."""
        for o in types.iterchildren(f"{{{_CT_NS}}}Override"):
            if (o.get("PartName") or "").lower() == partname.lower():
                return o.get("ContentType")
        ext = posixpath.splitext(partname)[1].lstrip(".").lower()
        for d in types.iterchildren(f"{{{_CT_NS}}}Default"):
            if (d.get("Extension") or "").lower() == ext:
                return d.get("ContentType")
        return None


def _package_targets(package: _Package) -> dict[str, str]:
    """Relationship type → the part it names, from the package's relationships."""
    rels = package.xml(_PACKAGE_RELS)
    targets: dict[str, str] = {}
    for rel in rels.iterchildren(f"{{{_RELS_NS}}}Relationship"):
        if rel.get("TargetMode") == "External" or not rel.get("Target"):
            continue
        partname = posixpath.normpath(posixpath.join("/", rel.get("Target")))
        targets.setdefault(rel.get("Type") or "", partname)
    return targets


def _body_blocks(chunks: Iterator[bytes]) -> Iterator[Any]:
    """The body's top-level ``w:p`` and ``w:tbl`` elements, each complete,
    in order, looking through content controls (as :func:`_block_children`);
    each is freed once the caller has it, so the tree never grows past one."""
    # Imported with python-docx: its element classes give paragraphs their text.
    from docx.oxml.parser import element_class_lookup

    # Only paragraph and table ends are reported (one Python call per
    # paragraph, not per run and text): most are blocks, the rest sit in cells.
    parser = etree.XMLPullParser(events=("end",), tag=(_P, _TBL), remove_blank_text=True, resolve_entities=False)
    parser.set_element_class_lookup(element_class_lookup)
    for chunk in chain(chunks, [b""]):
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()
        for _, el in parser.read_events():
            if _is_block(el):
                yield el
                _free(el)


def _is_block(el: Any) -> bool:
    """Is ``el`` a child of the body, directly or through content controls
    (the first ``w:sdtContent`` of each ``w:sdt``, as find() takes it)?"""
    parent = el.getparent()
    while parent is not None and parent.tag == _SDT_CONTENT:
        sdt = parent.getparent()
        if sdt is None or sdt.tag != _SDT or sdt.find(_SDT_CONTENT) is not parent:
            return False
        parent = sdt.getparent()
    return (
        parent is not None
        and parent.tag == _BODY
        and parent.getparent() is not None
        and parent.getparent().getparent() is None
    )


def _free(el: Any) -> None:
    """Drop a read block and the siblings before it from the growing tree."""
    el.clear()
    parent = el.getparent()
    while el.getprevious() is not None:
        del parent[0]


def _read_package(data: bytes, source: str, limits: ReadLimits) -> Document:
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptDocumentError(source, f"broken DOCX package ({type(e).__name__}: {e})") from e
    package = _Package(zf, source, limits)
    types = package.xml(_CONTENT_TYPES)
    targets = _package_targets(package)
    main = targets.get(_RT_DOCUMENT)
    if main is None:
        raise CorruptDocumentError(source, "broken DOCX package: no main document part")
    content_type = package.content_type(main, types)
    if content_type != _CT_DOCUMENT:
        raise CorruptDocumentError(source, f"not a Word document: its main part is {content_type or 'untyped'}")
    out = TextBuilder()
    try:
        for block in _body_blocks(package.chunks(main.lstrip("/"))):
            _emit_block(block, out)
    except RecursionError as e:
        raise CorruptDocumentError(source, "DOCX tables nested too deeply to read") from e
    text, tables = out.build()
    if not text.strip():
        raise EmptyDocumentError(source, "the DOCX body holds no text")
    hints: dict[str, str] = {}
    title = _core_title(package, targets.get(_RT_CORE))
    if title:
        hints["docx_title"] = title
    return Document(source=source, text=text, format="docx", tables=tables, hints=hints)


def _core_title(package: _Package, partname: str | None) -> str:
    """``dc:title`` of the core properties; a broken part only loses the title."""
    if partname is None:
        return ""
    try:
        found = package.xml(partname.lstrip("/")).find(_DC_TITLE)
    except LimitExceededError:
        raise
    except Exception:  # noqa: BLE001 - a broken docProps part must not stop reading the body
        return ""
    return (found.text or "").strip() if found is not None else ""


def read_docx(data: bytes, source: str, limits: ReadLimits = DEFAULT_LIMITS) -> Document:
    try:
        return _read_package(data, source, limits)
    except TextmineError:
        raise
    except (zipfile.BadZipFile, etree.XMLSyntaxError, EOFError, RuntimeError, NotImplementedError) as e:
        # Bad CRCs, truncated members, encrypted members, malformed XML.
        raise CorruptDocumentError(source, f"broken DOCX ({type(e).__name__}: {e})") from e
    except Exception as e:  # noqa: BLE001 - malformed parts surface as many exception kinds
        raise CorruptDocumentError(source, f"cannot read the DOCX ({type(e).__name__}: {e})") from e
