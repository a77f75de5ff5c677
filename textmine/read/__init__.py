"""Readers: a report file in, a :class:`~textmine.record.Document` out.

``read(path)`` picks the reader from the file's suffix and checks it against
the bytes (a ``.docx`` that is not a zip, a ``.pdf`` without ``%PDF``, is
corrupt); an unknown suffix is sniffed.  Every failure is a
:class:`~textmine.errors.TextmineError` naming the file.

>>> doc = read("report.html")                    # doctest: +SKIP
>>> doc.text[doc.tables[0].start:doc.tables[0].end]  # doctest: +SKIP
'| 第二十条第（一）项 |  |  |  |\\n| 信息内容 | 本年制发件数 | …'
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

from textmine.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from textmine.read.encoding import bom_encoding, looks_binary
from textmine.record import Document, source_name

__all__ = ["read", "read_bytes", "sniff_format", "SUFFIX_FORMATS"]

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.wps
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<div", b"<p>")


def _has_pdf_magic(data: bytes) -> bool:
    # The PDF spec lets junk precede the header; readers look in the first KiB.
    return b"%PDF-" in data[:1024]


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def sniff_format(data: bytes) -> str | None:
    """Guess ``pdf``, ``docx``, ``html`` or ``txt`` from the bytes alone;
    None when they are none of these."""
    if _has_pdf_magic(data):
        return "pdf"
    if _is_zip(data):
        return "docx" if b"word/" in data[:65536] else None
    if data.startswith(_OLE_MAGIC):
        return None
    head = data[:4096]
    if bom_encoding(head) is None and looks_binary(head):
        return None
    lower = head.lower()
    if bom_encoding(head) is None and any(m in lower for m in _HTML_MARKERS):
        return "html"
    return "txt"


def _starts_like_html(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _format_for(data: bytes, suffix: str, source: str) -> str:
    fmt = SUFFIX_FORMATS.get(suffix)
    if fmt == "docx":
        if data.startswith(_OLE_MAGIC):
            raise CorruptDocumentError(source, "an old binary Word (.doc) file named .docx; save it as .docx")
        if not _is_zip(data):
            raise CorruptDocumentError(source, "not a DOCX: the file is not a zip container")
    elif fmt == "pdf" and not _has_pdf_magic(data):
        raise CorruptDocumentError(source, "not a PDF: no %PDF header")
    if fmt == "txt" and _starts_like_html(data):
        # A saved web page named .txt: its markup is not the report's text.
        return "html"
    if fmt is not None:
        return fmt
    sniffed = sniff_format(data)
    if sniffed is None:
        kind = "legacy Office file (.doc)" if data.startswith(_OLE_MAGIC) else f"'{suffix or 'no suffix'}' file"
        raise UnsupportedFormatError(
            source, f"cannot read this {kind}; textmine reads .txt, .html, .docx and .pdf"
        )
    return sniffed


def read_bytes(data: bytes, source: str, fmt: str, limits: object = None) -> Document:
    """Read ``data`` as format ``fmt`` (``txt``, ``html``, ``docx``, ``pdf``);
    ``source`` names it in errors and in the Document."""
    # Readers are imported on use: pdfplumber and python-docx are slow to
    # import, and a run over text reports never needs them.
    if fmt == "txt":
        from textmine.read.txt import read_txt

        return read_txt(data, source)
    if fmt == "html":
        from textmine.read.html import read_html

        return read_html(data, source)
    if fmt == "docx":
        from textmine.read.docx import read_docx

        return read_docx(data, source)
    if fmt == "pdf":
        from textmine.read.pdf import read_pdf

        return read_pdf(data, source)
    raise UnsupportedFormatError(source, f"unknown format {fmt!r}; choose txt, html, docx or pdf")


def read(path: str | os.PathLike[str], limits: object = None) -> Document:
    """Read a report file into a :class:`Document`.

    Raises a :class:`~textmine.errors.TextmineError` subclass for every
    failure: missing or unreadable file, unsupported format, broken
    container, undecodable text, empty document, scanned PDF.
    """
    p = Path(path)
    source = source_name(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError as e:
        raise UnreadableFileError(source, "no such file") from e
    except IsADirectoryError as e:
        raise UnreadableFileError(source, "is a directory, not a file") from e
    except OSError as e:
        raise UnreadableFileError(source, f"cannot open: {e.strerror or e}") from e
    if not data:
        raise EmptyDocumentError(source, "empty file (0 bytes)")
    return read_bytes(data, source, _format_for(data, p.suffix.lower(), source))


class _CallableModule(types.ModuleType):
    """This subpackage, callable as :func:`read`.

    Importing ``textmine.read.*`` binds the name ``read`` of the ``textmine``
    package to this subpackage, hiding the function of the same name; so
    ``textmine.read(path)`` reads whichever of the two it finds, whatever
    was imported first.
    """

    def __call__(self, path: str | os.PathLike[str], limits: object = None) -> Document:
        return read(path, limits)


sys.modules[__name__].__class__ = _CallableModule
