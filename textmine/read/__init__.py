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
import stat
import sys
import types
from pathlib import Path
from typing import BinaryIO

from textmine.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    LimitExceededError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from textmine.read.encoding import bom_encoding, looks_binary, utf16_without_bom
from textmine.read.limits import (
    DEFAULT_LIMITS,
    DEFAULT_TIMEOUT,
    MB,
    ReadLimits,
    file_too_big,
    format_mb,
    took_too_long,
)
from textmine.record import Document, source_name

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_TIMEOUT",
    "MB",
    "SUFFIX_FORMATS",
    "ReadLimits",
    "detect_format",
    "not_regular_file",
    "read",
    "read_bytes",
    "read_file_bytes",
    "read_stream_bytes",
    "read_text",
    "sniff_format",
    "took_too_long",
]

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
# Longer than any path a file system takes (PATH_MAX is 4096 on Linux).
_LONGEST_PATH = 4096
TEXT_SOURCE = "<text>"  # the name a report read from a str carries unless given one
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<table", b"<meta", b"<div", b"<p>")


def _has_pdf_magic(data: bytes) -> bool:
    # The PDF spec lets junk precede the header; readers look in the first KiB.
    return b"%PDF-" in data[:1024]


def _is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def sniff_format(data: bytes) -> str | None:
    """Guess ``pdf``, ``docx``, ``html`` or ``txt`` from the bytes alone
    (text in UTF-16 without a byte-order mark too); None when they are none
    of these."""
    if _has_pdf_magic(data):
        return "pdf"
    if _is_zip(data):
        return "docx" if b"word/" in data[:65536] else None
    if data.startswith(_OLE_MAGIC):
        return None
    head = data[:4096]
    marked = bom_encoding(head)
    if marked is not None:
        # A page saved with a byte-order mark is a page still.
        encoding, length = marked
        lower = head[length:].decode(encoding, errors="ignore").lower().encode("utf-8")
        return "html" if any(m in lower for m in _HTML_MARKERS) else "txt"
    if looks_binary(head):
        return None
    lower = _markup_view(head).lower()
    if any(m in lower for m in _HTML_MARKERS):
        return "html"
    return "txt"


def _markup_view(head: bytes) -> bytes:
    """``head`` as bytes its ASCII markup can be found in: a UTF-16 page
    without a byte-order mark spells ``<html`` with a zero byte after each letter."""
    encoding = utf16_without_bom(head)
    return head.decode(encoding, errors="ignore").encode("utf-8") if encoding else head


def _starts_like_html(data: bytes) -> bool:
    head = _markup_view(data[:512]).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def detect_format(data: bytes, source: str, suffix: str | None = None) -> str:
    """The format (``txt``, ``html``, ``docx`` or ``pdf``) to read ``data``
    as: the one its suffix names (``suffix``, by default ``source``'s), checked
    against the bytes, else the one the bytes look like (:func:`sniff_format`).

    Raises :class:`~textmine.errors.CorruptDocumentError` when the bytes
    contradict the suffix (a ``.pdf`` without a PDF header, a ``.docx`` that
    is no zip) and :class:`~textmine.errors.UnsupportedFormatError` when they
    are none of the four formats.
    """
    if suffix is None:
        suffix = Path(source).suffix.lower()
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
        raise UnsupportedFormatError(source, f"cannot read this {kind}; textmine reads .txt, .html, .docx and .pdf")
    return sniffed


def read_bytes(data: bytes, source: str, fmt: str, limits: ReadLimits | None = None) -> Document:
    """Read ``data`` as format ``fmt`` (``txt``, ``html``, ``docx``, ``pdf``);
    ``source`` names it in errors and in the Document.

    ``limits`` bound the file's size, what its compressed parts may expand to
    and a PDF's pages (None: :data:`DEFAULT_LIMITS`); a file over one raises
    :class:`~textmine.errors.LimitExceededError`.
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    if len(data) > limits.max_file_bytes:
        raise file_too_big(source, len(data), limits)
    # Readers are imported on use: pdfplumber and python-docx are slow to
    # import, and a run over text reports never needs them.
    if fmt == "txt":
        from textmine.read.txt import read_txt as reader
    elif fmt == "html":
        from textmine.read.html import read_html as reader
    elif fmt == "docx":
        from textmine.read.docx import read_docx as reader
    elif fmt == "pdf":
        from textmine.read.pdf import read_pdf as reader
    else:
        raise UnsupportedFormatError(source, f"unknown format {fmt!r}; choose txt, html, docx or pdf")
    document = reader(data, source) if fmt in ("txt", "html") else reader(data, source, limits)
    if not document.text.strip():
        # Text that was all page furniture (a lone 1/3 page number): nothing to read.
        raise EmptyDocumentError(source, "nothing but page furniture (page numbers) in the file")
    return document


# What a path is when it is not a regular file; opening a FIFO blocks until
# a writer comes, and a device may never end.
_FILE_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular_file(mode: int) -> str | None:
    """Why a file of ``mode`` cannot be read as a report, or None if it can."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "a special file")
    return f"not a regular file ({kind})"


def _open_error(source: str, e: OSError) -> UnreadableFileError:
    if isinstance(e, FileNotFoundError):
        return UnreadableFileError(source, "no such file")
    if isinstance(e, IsADirectoryError):
        return UnreadableFileError(source, "is a directory, not a file")
    return UnreadableFileError(source, f"cannot open: {e.strerror or e}")


def read_file_bytes(path: str | os.PathLike[str], limits: ReadLimits | None = None) -> bytes:
    """The bytes of the file at ``path``, read as :func:`read` reads them:
    its kind and size checked by ``stat`` before it is opened (a FIFO,
    socket or device is refused, a file over ``max_file_bytes`` too), and
    again on the open file, which may have been swapped in between.

    For callers that need the bytes themselves (to hash them) before
    :func:`read_bytes`.
    """
    _refuse_text_as_path(path)
    source = source_name(path)
    return _read_file(Path(path), source, DEFAULT_LIMITS if limits is None else limits)


def read_stream_bytes(stream: BinaryIO, source: str, limits: ReadLimits | None = None) -> bytes:
    """The bytes of an open stream (standard input, a pipe) up to the file
    size limit; a stream over it raises
    :class:`~textmine.errors.LimitExceededError` without being read to its end."""
    limits = DEFAULT_LIMITS if limits is None else limits
    try:
        data = _read_at_most(stream, 0, limits.max_file_bytes + 1)
    except OSError as e:
        raise UnreadableFileError(source, f"cannot read: {e.strerror or e}") from e
    if len(data) > limits.max_file_bytes:
        # Only one byte past the limit was read: the stream's size is unknown.
        raise LimitExceededError(
            source,
            f"more than {format_mb(limits.max_file_bytes)} given, over the limit (raise it with --max-file-mb)",
            bound="max-file-mb",
        )
    if not data:
        raise EmptyDocumentError(source, "nothing was given (0 bytes)")
    return data


def _read_file(path: Path, source: str, limits: ReadLimits) -> bytes:
    """See :func:`read_file_bytes`."""
    try:
        info = os.stat(path)
    except OSError as e:
        raise _open_error(source, e) from e
    why = not_regular_file(info.st_mode)
    if why is not None:
        raise UnreadableFileError(source, why)
    if info.st_size > limits.max_file_bytes:
        raise file_too_big(source, info.st_size, limits)
    # Non-blocking, so that a FIFO put in the file's place cannot hang the
    # open; reads of a regular file ignore the flag.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        raise _open_error(source, e) from e
    with os.fdopen(fd, "rb") as f:
        why = not_regular_file(os.fstat(f.fileno()).st_mode)
        if why is not None:
            raise UnreadableFileError(source, why)
        try:
            data = _read_at_most(f, info.st_size, limits.max_file_bytes + 1)
        except OSError as e:
            raise UnreadableFileError(source, f"cannot read: {e.strerror or e}") from e
    if len(data) > limits.max_file_bytes:
        raise file_too_big(source, len(data), limits)
    return data


def _read_at_most(f: BinaryIO, size: int, most: int) -> bytes:
    """Up to ``most`` bytes of a file ``stat`` says holds ``size``.

    ``read(n)`` allocates ``n`` bytes before reading, so the file's own size
    is asked for (and one byte more, to see whether it grew since), not the
    limit; only a file that did grow (or reports no size, as /proc files do)
    is read on in pieces up to ``most``.
    """
    first = f.read(min(size, most - 1) + 1)
    if len(first) <= size:
        return first
    parts, total = [first], len(first)
    while total < most:
        part = f.read(min(1 << 20, most - total))
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def read(path: str | os.PathLike[str], limits: ReadLimits | None = None) -> Document:
    """Read a report file into a :class:`Document`.

    ``limits`` bound the file's size, what its compressed parts may expand
    to and a PDF's pages (None: :data:`DEFAULT_LIMITS`).  The size and kind
    are checked before the file is opened: a FIFO, socket or device is
    refused, never read.

    Raises a :class:`~textmine.errors.TextmineError` subclass for every
    failure: missing or unreadable file, unsupported format, broken
    container, undecodable text, empty document, scanned PDF, a file over a
    limit (:class:`~textmine.errors.LimitExceededError`).
    """
    limits = DEFAULT_LIMITS if limits is None else limits
    _refuse_text_as_path(path)
    p = Path(path)
    source = source_name(path)
    data = _read_file(p, source, limits)
    if not data:
        raise EmptyDocumentError(source, "empty file (0 bytes)")
    return read_bytes(data, source, detect_format(data, source, p.suffix.lower()), limits)


def read_text(
    text: str,
    source: str | os.PathLike[str] = TEXT_SOURCE,
    limits: ReadLimits | None = None,
    fmt: str | None = None,
) -> Document:
    """Read a report already in memory as a string (a page's markup or its
    plain text, as scraped or pasted) into a :class:`Document`, as
    :func:`read` reads a file holding it; ``source`` names it in the
    Document and in errors.

    ``fmt`` (``html`` or ``txt``) says how to read it; by default the
    suffix of ``source`` says (``.html``, ``.txt`` …), else the text: markup
    near its start makes it a page.  A str decoded with ``surrogateescape``
    is read from its original bytes.

    >>> read_text("一、总体情况\n本年主动公开信息12条。", source="notes").source
    'notes'
    """
    if not isinstance(text, str):
        raise TypeError(f"read_text() takes the report's text as a str, not {type(text).__name__}")
    if not isinstance(source, (str, os.PathLike)):
        raise TypeError(f"read_text() takes source as a str or a path, not {type(source).__name__}")
    source = source_name(source)
    try:
        data = text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError as e:
        raise UnreadableFileError(source, f"the text holds a lone surrogate at character {e.start}") from e
    if not data.strip():
        raise EmptyDocumentError(source, "empty text")
    if fmt is None:
        named = SUFFIX_FORMATS.get(Path(source.split("?")[0]).suffix.lower())
        fmt = named if named in ("html", "txt") else ("html" if sniff_format(data) == "html" else "txt")
    elif fmt not in ("html", "txt"):
        raise ValueError(f"read_text() reads fmt 'html' or 'txt', not {fmt!r}")
    return read_bytes(data, source, fmt, limits)


def _refuse_text_as_path(path: str | os.PathLike[str]) -> None:
    # A report's text handed to read()/analyze() would otherwise be "a file
    # name too long" with the whole report as its name.
    name = os.fspath(path)
    if isinstance(name, str) and ("\n" in name or len(name) > _LONGEST_PATH) and not os.path.exists(name):
        raise UnreadableFileError(
            f"<a str of {len(name):,} characters>",
            "this is a report's text, not a file's path: use textmine.analyze_text(text) "
            "(or textmine.read.read_text(text)) for a report in memory",
        )


class _CallableModule(types.ModuleType):
    """This subpackage, callable as :func:`read`.

    Importing ``textmine.read.*`` binds the name ``read`` of the ``textmine``
    package to this subpackage, hiding the function of the same name; so
    ``textmine.read(path)`` reads whichever of the two it finds, whatever
    was imported first.
    """

    def __call__(self, path: str | os.PathLike[str], limits: ReadLimits | None = None) -> Document:
        return read(path, limits)


sys.modules[__name__].__class__ = _CallableModule
