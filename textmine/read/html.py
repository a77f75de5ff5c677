"""HTML pages: the report's text in reading order, its ``<table>``s as grids.

Government pages are Word exports pasted into a CMS: every character sits in
``<span>``s (one page splits ``20`` into ``<span>2</span><span>0</span>``),
paragraphs are ``<p class=MsoNormal>``, and the article may sit inside a
layout table.  So: block elements break lines, inline elements never do; a
table that contains tables is layout (its cells are read as running text and
the inner tables as tables); any other table with more than one cell is data.

Pages nest deeply (a CMS template's wrappers, or thousands of ``<font>``
tags a Word export never closed), and a browser shows their text at any
depth.  libxml2 stops building its tree at 256 levels (2048 with
``huge_tree``) and drops the rest of the page, so the tree is built from the
parser's events by an ``etree.TreeBuilder`` target instead, which has no
such limit; the walk over the tree keeps its own stack, so no depth
overflows Python's.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from textmine.errors import CorruptDocumentError, EmptyDocumentError
from textmine.read.canonical import (
    GridBuilder,
    TextBuilder,
    clean_cell,
    is_wide,
    normalize_newlines,
)
from textmine.read.encoding import decode_bytes, require_text
from textmine.record import Document

# Elements whose content is never report text: code, embedded frames, forms
# (search boxes, font-size switchers), navigation bars.
_DROP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "form",
        "nav",
        "template",
        "object",
        "embed",
        "select",
        "option",
        "button",
        "textarea",
        "svg",
        "canvas",
        "map",
        "head",
        "audio",
        "video",
    }
)
# Elements that start and end a line.  Everything else (span, font, b, a,
# o:p, u, strong, ...) is inline and adds no break.
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "title",
    }
)
# A page's charset declaration: <meta charset=…>, <meta http-equiv=…
# content="text/html; charset=…">, or an XML declaration's encoding.
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)|<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
# C0 controls other than tab/newline/CR: libxml2 mangles or rejects them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# HTML collapses runs of these; the no-break space is not among them.
_HTML_WS = re.compile(r"[ \t\n\r\f]+")
_NUMBER = re.compile(r"\s*(\d+)")
# Sniffed region for the charset declaration; government pages carry long
# heads (dozens of <meta name=…> lines) before it.
_SNIFF_BYTES = 8192


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if not m:
        return None
    return (m.group(1) or m.group(2)).decode("ascii", "replace")


def _collapse(text: str) -> str:
    """Collapse HTML whitespace the way a browser shows it: one space, or
    nothing for a source line break next to a Chinese character (CSS's
    segment-break rule, widened to either side: Chinese has no word spaces,
    and 2.8<newline>万条 must stay 2.8万条).  No-break spaces become plain
    spaces and are kept, since they are the page's own spacing."""

    def repl(m: re.Match[str]) -> str:
        run = m.group(0)
        if "\n" in run or "\r" in run:
            s, e = m.start(), m.end()
            if s > 0 and e < len(text) and (is_wide(text[s - 1]) or is_wide(text[e])):
                return ""
        return " "

    return _HTML_WS.sub(repl, text).replace("\xa0", " ").strip()


def _span(value: str | None) -> int:
    m = _NUMBER.match(value or "")
    return int(m.group(1)) if m else 1


def _tag(el: etree._Element) -> str | None:
    """Lower-case local tag name; None for comments and processing
    instructions (whose tag is a function, not a string)."""
    tag = el.tag
    if not isinstance(tag, str):
        return None
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


class _Walker:
    """Walks an element tree, emitting lines and tables into a TextBuilder."""

    def __init__(self, out: TextBuilder) -> None:
        self.out = out
        self.buf: list[str] = []

    def flush(self) -> None:
        if self.buf:
            text = _collapse("".join(self.buf))
            self.buf = []
            if text:
                self.out.line(text)

    def walk(self, el: etree._Element) -> None:
        """Emit ``el`` and its subtree; iterative, so any depth is safe."""
        todo: list[tuple[str, etree._Element]] = [("enter", el)]
        while todo:
            step, node = todo.pop()
            if step == "tail":
                if node.tail:
                    self.buf.append(node.tail)
            elif step == "leave":
                self.flush()  # only blocks are left through
            else:
                self._enter(node, todo)

    def _enter(self, el: etree._Element, todo: list[tuple[str, etree._Element]]) -> None:
        """Emit what ``el`` itself holds and queue its children, each followed
        by its tail, then (for a block) the line break that ends it."""
        tag = _tag(el)
        if tag is None or tag in _DROP:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table" and self._data_table(el):
            return
        if tag == "pre":
            self.flush()
            for line in normalize_newlines(el.text_content()).split("\n"):
                self.out.line(line.replace("\xa0", " "))
            return
        block = tag in _BLOCK
        if block:
            self.flush()
            todo.append(("leave", el))
        if el.text:
            self.buf.append(el.text)
        for child in reversed(el):
            todo.append(("tail", child))
            todo.append(("enter", child))

    def _data_table(self, table: etree._Element) -> bool:
        """Emit ``table`` as a table if it is data; False leaves a layout table
        to be walked as ordinary blocks."""
        if any(_tag(d) == "table" for d in table.iterdescendants()):
            return False
        rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        cells = [[c for c in row if _tag(c) in ("td", "th")] for row in rows]
        if sum(len(r) for r in cells) <= 1:
            return False
        self.flush()
        for cap in table.xpath("./caption"):
            self.walk(cap)
        grid = GridBuilder()
        n_rows = len(cells)
        for r, row in enumerate(cells):
            col = 0
            for cell in row:
                rowspan = _span(cell.get("rowspan"))
                if rowspan == 0:  # HTML: span to the end of the table
                    rowspan = n_rows - r
                col = grid.place(r, col, cell_text(cell), min(rowspan, n_rows - r), _span(cell.get("colspan")) or 1)
        g, shown = grid.finish(n_rows)
        self.out.table(g, shown)
        return True


def cell_text(cell: etree._Element) -> str:
    """A cell's text on one line: its own paragraphs joined without a break
    (a label wrapped over two ``<p>``s reads as one label)."""
    sub = TextBuilder()
    w = _Walker(sub)
    if cell.text:
        w.buf.append(cell.text)
    for child in cell:
        w.walk(child)
        if child.tail:
            w.buf.append(child.tail)
    w.flush()
    text, _ = sub.build()
    return clean_cell(text)


def _parse(text: str, source: str) -> etree._Element:
    text = _CONTROL.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise EmptyDocumentError(source, "no HTML content (Document is empty)")
    # The tree is built by a parser target, which libxml2's depth limit does
    # not reach; it makes lxml.html's element classes (text_content()).
    # huge_tree: no 10 MB cap on one text node (the file's size is capped).
    builder = etree.TreeBuilder(parser=lxml.html.HTMLParser())
    parser = etree.HTMLParser(target=builder, huge_tree=True)
    try:
        root = etree.fromstring(text, parser)
    except etree.XMLSyntaxError as e:
        if "missing toplevel element" in str(e):  # the builder's word for an empty page
            raise EmptyDocumentError(source, "no HTML content (Document is empty)") from e
        raise CorruptDocumentError(source, f"cannot parse HTML: {e}") from e
    except (etree.LxmlError, ValueError) as e:
        raise CorruptDocumentError(source, f"cannot parse HTML: {e}") from e
    if root is None or not isinstance(root.tag, str):  # nothing, or a lone comment
        raise EmptyDocumentError(source, "no HTML content (Document is empty)")
    return root


def read_html(data: bytes, source: str) -> Document:
    decoded = decode_bytes(data, source, declared=declared_charset(data))
    require_text(decoded.text, source)
    root = _parse(decoded.text, source)
    hints = dict(decoded.hints)
    title = root.find(".//title")
    if title is not None:
        t = _collapse(title.text_content())
        if t:
            hints["html_title"] = t
    out = TextBuilder()
    body = root.find("body")
    w = _Walker(out)
    w.walk(body if body is not None else root)
    w.flush()
    text, tables = out.build()
    if not text.strip():
        raise EmptyDocumentError(source, "the HTML page has no visible text")
    return Document(source=source, text=text, format="html", tables=tables, encoding=decoded.encoding, hints=hints)
