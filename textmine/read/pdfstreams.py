"""A cap on what pdfminer may decode while one PDF is read.

pdfminer decodes a stream whole (``zlib.decompress(data)`` in
``PDFStream.decode``) and keeps the result on the stream object, so a 1 MB
PDF holding a stream of zeros that inflates to 1 GB takes that gigabyte, and
more while it is being built.  Inside :func:`bounded_streams`, the three
decoders of ``pdfminer.pdftypes`` that expand their input without bound are
replaced by ones that count their output against one budget per file and stop
at the limit before producing more:

- Flate: ``zlib.decompressobj().decompress(data, max_length)`` a megabyte at
  a time, so a stream over the budget is dropped having taken no more than
  the budget and a megabyte;
- LZW: pdfminer's own decoder, chunk by chunk;
- RunLength: the output's size is summed from the run headers before decoding.

What is over the budget raises :class:`OverBudget` inside pdfminer; pdfminer
and pdfplumber wrap or even swallow exceptions, so the reader asks
:attr:`StreamBudget.exceeded` afterwards rather than relying on the exception
reaching it.

Scope: the replacements are installed while at least one read is inside
:func:`bounded_streams` (counted under a lock) and put back when the last one
leaves, and the budget lives in a :class:`~contextvars.ContextVar`.  Code that
uses pdfminer in another thread, or outside a read, finds no budget and gets
pdfminer's own decoding, unbounded, exactly as before.
"""

from __future__ import annotations

import io
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from types import ModuleType
from typing import Any

# Inflated this much at a time, so a stream over the budget costs at most this past it.
_PIECE = 1 << 20


class OverBudget(Exception):
    """Decoding would pass the file's limit (raised inside pdfminer)."""


@dataclass
class StreamBudget:
    """Bytes the decoders may still produce for one file."""

    limit: int
    used: int = 0
    exceeded: bool = False

    @property
    def room(self) -> int:
        return max(0, self.limit - self.used)

    def spend(self, n: int) -> None:
        """Count ``n`` bytes of output, or raise :class:`OverBudget`; once over,
        every later decode fails too, so pdfminer cannot carry on past it."""
        if self.exceeded or n > self.room:
            self.exceeded = True
            raise OverBudget(f"decoded streams pass {self.limit} bytes")
        self.used += n


_BUDGET: ContextVar[StreamBudget | None] = ContextVar("textmine_pdf_stream_budget", default=None)


class _CountingDecompressor:
    """A ``zlib`` decompress object whose output is counted (pdfminer feeds
    one a damaged stream byte by byte in ``decompress_corrupted``)."""

    def __init__(self, inner: Any, budget: StreamBudget) -> None:
        self._inner = inner
        self._budget = budget

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        cap = self._budget.room + 1
        out: bytes = self._inner.decompress(data, min(max_length, cap) if max_length else cap)
        self._budget.spend(len(out))
        return out

    def flush(self, *args: Any) -> bytes:
        out: bytes = self._inner.flush(*args)
        self._budget.spend(len(out))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return zlib.decompress(data, wbits, bufsize)
        return _inflate_within(data, wbits, budget)

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> Any:
        inner = zlib.decompressobj(*args, **kwargs)
        budget = _BUDGET.get()
        return inner if budget is None else _CountingDecompressor(inner, budget)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _inflate_within(data: bytes, wbits: int, budget: StreamBudget) -> bytes:
    """``zlib.decompress(data)``, a piece at a time, each piece counted: a
    stream over the budget is dropped having taken no more than the budget
    (one call with the budget as ``max_length`` would build its output in
    blocks and join them, twice the budget at the peak)."""
    inflater = zlib.decompressobj(wbits)
    pieces = []
    pending = data
    while not inflater.eof:
        piece = inflater.decompress(pending, _PIECE)
        pending = inflater.unconsumed_tail
        if not piece and not pending:
            # What zlib.decompress says, so pdfminer's repair path runs as before.
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        budget.spend(len(piece))
        pieces.append(piece)
    return b"".join(pieces)


def _runlength_size(data: bytes) -> int:
    """What RunLengthDecode makes of ``data``, from its run headers alone."""
    size = i = 0
    while i < len(data):
        length = data[i]
        if length == 128:  # end of data
            break
        if length < 128:
            size += length + 1
            i += length + 2
        else:
            size += 257 - length
            i += 2
    return size


@dataclass
class _Patch:
    """pdfminer's originals while the bounded decoders stand in; ``readers``
    counts the reads inside :func:`bounded_streams`."""

    readers: int = 0
    originals: dict[str, Any] | None = None


_LOCK = threading.Lock()
_PATCH = _Patch()


def _replacements(originals: dict[str, Any]) -> dict[str, Any]:
    lzwdecode, rldecode = originals["lzwdecode"], originals["rldecode"]

    def bounded_lzwdecode(data: bytes) -> bytes:
        budget = _BUDGET.get()
        if budget is None:
            return lzwdecode(data)
        from pdfminer.lzw import LZWDecoder

        chunks = []
        for chunk in LZWDecoder(io.BytesIO(data)).run():
            budget.spend(len(chunk))
            chunks.append(chunk)
        return b"".join(chunks)

    def bounded_rldecode(data: bytes) -> bytes:
        budget = _BUDGET.get()
        if budget is not None:
            budget.spend(_runlength_size(data))
        return rldecode(data)

    return {"zlib": _BoundedZlib(), "lzwdecode": bounded_lzwdecode, "rldecode": bounded_rldecode}


def _install(pdftypes: ModuleType) -> None:
    with _LOCK:
        if _PATCH.readers == 0:
            originals = {name: getattr(pdftypes, name) for name in ("zlib", "lzwdecode", "rldecode")}
            for name, value in _replacements(originals).items():
                setattr(pdftypes, name, value)
            _PATCH.originals = originals
        _PATCH.readers += 1


def _uninstall(pdftypes: ModuleType) -> None:
    with _LOCK:
        _PATCH.readers -= 1
        if _PATCH.readers == 0 and _PATCH.originals is not None:
            for name, value in _PATCH.originals.items():
                setattr(pdftypes, name, value)
            _PATCH.originals = None


@contextmanager
def bounded_streams(limit: int) -> Iterator[StreamBudget]:
    """Cap what pdfminer decodes in this context (thread or task) at
    ``limit`` bytes in all, for as long as the block runs."""
    from pdfminer import pdftypes

    budget = StreamBudget(limit)
    _install(pdftypes)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)
        _uninstall(pdftypes)
