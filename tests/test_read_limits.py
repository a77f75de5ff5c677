"""Tests for the bounds on reading (textmine.read.limits): file size, what
compressed parts expand to, PDF pages, and files that are not files.

Every input is made here: PDFs by hand or with reportlab, DOCX packages with
zipfile, in our own words.
"""

from __future__ import annotations

import os
import pickle
import socket
import threading
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textmine.errors import (
    CorruptDocumentError,
    LimitExceededError,
    ScannedPdfError,
    TextmineError,
    UnreadableFileError,
)
from textmine.read import read, read_bytes, read_file_bytes
from textmine.read.limits import DEFAULT_LIMITS, MB, ReadLimits

_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KB = 1024
PARA = "本区全年主动公开政府信息3120条，受理依申请公开47件，均按期答复。"


def _traced_peak(work: Callable[[], object]) -> int:
    """Peak bytes Python allocated while ``work`` ran."""
    tracemalloc.start()
    try:
        try:
            work()
        except TextmineError:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _assert_limit(info: pytest.ExceptionInfo[LimitExceededError], bound: str) -> None:
    assert info.value.bound == bound
    assert f"--{bound}" in info.value.message
    again = pickle.loads(pickle.dumps(info.value))  # raised in pool workers
    assert (again.bound, again.message) == (bound, info.value.message)


# --- the file ------------------------------------------------------------------


@_SETTINGS
@given(limit=st.integers(1, 4 * KB), size=st.integers(1, 8 * KB))
def test_file_size_is_checked_before_reading(tmp_path_factory: pytest.TempPathFactory, limit: int, size: int) -> None:
    path = tmp_path_factory.mktemp("size") / "r.txt"
    path.write_bytes((PARA.encode() * (size // len(PARA.encode()) + 1))[:size])
    limits = ReadLimits(max_file_bytes=limit)
    if size <= limit:
        try:
            read(path, limits)
        except LimitExceededError:  # pragma: no cover - the failure this test is for
            pytest.fail("a file within the limit was refused")
        except TextmineError:
            pass  # a cut multibyte character may make it undecodable: not this test's business
        return
    with pytest.raises(LimitExceededError) as info:
        read(path, limits)
    _assert_limit(info, "max-file-mb")
    with pytest.raises(LimitExceededError):
        read_bytes(path.read_bytes(), str(path), "txt", limits)


def test_oversized_file_is_not_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    opened: list[object] = []
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    with pytest.raises(LimitExceededError, match=r"over the limit of .* \(raise it with --max-file-mb\)"):
        read(path, ReadLimits(max_file_bytes=1000))
    assert not opened


def test_fifo_is_refused_without_opening(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    caught: list[BaseException] = []

    def reader() -> None:
        try:
            read(fifo)
        except BaseException as e:  # noqa: BLE001 - handed to the test thread
            caught.append(e)

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    t.join(10)
    if t.is_alive():  # blocked in open(): give it a writer so the thread can end
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("read() opened the FIFO and blocked")
    (error,) = caught
    assert isinstance(error, UnreadableFileError)
    assert "not a regular file (a FIFO)" in error.message


def test_socket_and_device_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(UnreadableFileError, match=r"not a regular file \(a socket\)"):
            read(path)
    if os.path.exists("/dev/zero"):  # endless: reading it would never stop
        with pytest.raises(UnreadableFileError, match=r"not a regular file \(a character device\)"):
            read("/dev/zero")
        with pytest.raises(UnreadableFileError, match=r"not a regular file \(a character device\)"):
            read_file_bytes("/dev/zero")


def test_read_file_bytes(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes(PARA.encode())
    assert read_file_bytes(path) == PARA.encode()
    with pytest.raises(LimitExceededError):
        read_file_bytes(path, ReadLimits(max_file_bytes=10))
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_file_bytes(tmp_path / "gone.txt")


def test_limits_reach_analyze(tmp_path: Path) -> None:
    from textmine.pipeline import analyze

    path = tmp_path / "r.txt"
    path.write_text(PARA * 10, "utf-8")
    with pytest.raises(LimitExceededError) as info:
        analyze(path, limits=ReadLimits(max_file_bytes=100))
    assert info.value.stage == "read"
    _assert_limit(info, "max-file-mb")


def test_from_mb_and_defaults() -> None:
    assert ReadLimits.from_mb() == DEFAULT_LIMITS
    limits = ReadLimits.from_mb(max_file_mb=1.5, max_expanded_mb=2, max_pages=7)
    assert limits == ReadLimits(max_file_bytes=int(1.5 * MB), max_expanded_bytes=2 * MB, max_pages=7)


# --- PDF -------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (numbered from 1; 1 is the catalog) with a true xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _zeros_deflated(size: int) -> bytes:
    """A zlib stream that inflates to ``size`` zero bytes (about 1,000:1)."""
    deflate = zlib.compressobj(9)
    block = bytes(MB)
    parts = [deflate.compress(block) for _ in range(size // MB)]
    parts.append(deflate.compress(bytes(size % MB)))
    parts.append(deflate.flush())
    return b"".join(parts)


def _bomb_pdf(inflated: int, *, pages: int = 1, declared_pages: int | None = None) -> bytes:
    """One page whose content stream inflates to ``inflated`` bytes of zeros
    (blanks to a PDF parser), then ``pages - 1`` empty pages."""
    stream = _zeros_deflated(inflated)
    n = 3 + pages  # catalog, page tree, the stream, the pages
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, declared_pages or pages),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800]%s >>" % (b" /Contents 3 0 R" if i == 0 else b"")
        for i in range(pages)
    ]
    assert len(objects) == n
    return _pdf(objects)


def test_pdf_stream_bomb_is_refused_in_little_memory() -> None:
    bomb = _bomb_pdf(256 * MB)  # a quarter of a MB of PDF (a GB takes 4 times as long to make)
    assert len(bomb) < MB
    limits = ReadLimits(max_expanded_bytes=16 * MB)

    def work() -> None:
        with pytest.raises(LimitExceededError) as info:
            read_bytes(bomb, "bomb.pdf", "pdf", limits)
        _assert_limit(info, "max-expanded-mb")
        assert "more than 16 MB" in info.value.message

    # The stream is never inflated past the limit: 16 MB and the file, not 256 MB.
    assert _traced_peak(work) < 48 * MB


@_SETTINGS
@given(limit=st.integers(4 * KB, 64 * KB), over=st.integers(-4 * KB, 4 * KB))
def test_pdf_streams_within_the_limit_are_read(limit: int, over: int) -> None:
    data = _bomb_pdf(limit + over)
    limits = ReadLimits(max_expanded_bytes=limit)
    if over > 0:
        with pytest.raises(LimitExceededError) as info:
            read_bytes(data, "s.pdf", "pdf", limits)
        _assert_limit(info, "max-expanded-mb")
    else:  # decoded whole; a page of blanks has no text layer
        with pytest.raises(ScannedPdfError):
            read_bytes(data, "s.pdf", "pdf", limits)


def test_stream_cap_does_not_leak_outside_reading() -> None:
    """Outside read_pdf, and in other threads during it, pdfminer decodes as before."""
    from pdfminer import pdftypes
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    from textmine.read.pdfstreams import bounded_streams

    originals = (pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode)

    def stream() -> PDFStream:
        raw = _zeros_deflated(64 * KB)
        return PDFStream({"Filter": LIT("FlateDecode"), "Length": len(raw)}, raw)

    seen: list[int] = []
    with bounded_streams(1 * KB) as budget:
        assert pdftypes.zlib is not originals[0]
        other = threading.Thread(target=lambda: seen.append(len(stream().get_data())))
        other.start()
        other.join()
        with pytest.raises(Exception):  # noqa: B017 - pdfminer's wrapping varies; the flag is the contract
            stream().get_data()
        assert budget.exceeded
    assert seen == [64 * KB]
    assert (pdftypes.zlib, pdftypes.lzwdecode, pdftypes.rldecode) == originals
    assert len(stream().get_data()) == 64 * KB


def test_runlength_and_lzw_are_counted() -> None:
    from pdfminer.pdftypes import PDFStream
    from pdfminer.psparser import LIT

    from textmine.read.pdfstreams import OverBudget, bounded_streams

    # RunLength: (257 - 129) = 128 copies of the next byte, 512 times: 64 KiB.
    runs = b"\x81\x00" * 512 + b"\x80"
    with bounded_streams(64 * KB):
        assert len(PDFStream({"Filter": LIT("RunLengthDecode")}, runs).get_data()) == 64 * KB
    with bounded_streams(64 * KB - 1) as budget, pytest.raises(OverBudget):
        PDFStream({"Filter": LIT("RunLengthDecode")}, runs).get_data()
    assert budget.exceeded
    # LZW: clear-table code, then 'A' (65) repeated; 9-bit codes, MSB first.
    codes = [256] + [65] * 2000 + [257]
    bits = "".join(format(c, "09b") for c in codes)
    lzw = (
        int(bits, 2).to_bytes((len(bits) + 7) // 8, "big")
        if len(bits) % 8 == 0
        else int(bits + "0" * (8 - len(bits) % 8), 2).to_bytes((len(bits) + 7) // 8, "big")
    )
    with bounded_streams(100) as budget, pytest.raises(OverBudget):
        PDFStream({"Filter": LIT("LZWDecode")}, lzw).get_data()
    assert budget.exceeded


@_SETTINGS
@given(pages=st.integers(1, 12), limit=st.integers(1, 12))
def test_pdf_page_limit(pages: int, limit: int) -> None:
    data = _bomb_pdf(16, pages=pages)
    limits = ReadLimits(max_pages=limit)
    if pages <= limit:
        with pytest.raises(ScannedPdfError):  # read, but blank
            read_bytes(data, "p.pdf", "pdf", limits)
        return
    with pytest.raises(LimitExceededError) as info:
        read_bytes(data, "p.pdf", "pdf", limits)
    _assert_limit(info, "max-pages")
    assert info.value.message == f"{pages:,} pages, over the limit of {limit} (raise it with --max-pages)"


def test_pdf_page_limit_does_not_walk_a_huge_page_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tree claims 1,204 pages; counting stops one past the limit."""
    from pdfminer.pdfpage import PDFPage

    made = []
    real = PDFPage.__init__

    def counting(self: PDFPage, *args: object, **kwargs: object) -> None:
        made.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(PDFPage, "__init__", counting)
    data = _bomb_pdf(16, pages=40, declared_pages=1204)
    with pytest.raises(LimitExceededError, match=r"^p\.pdf: 1,204 pages, over the limit of 5 \(raise it"):
        read_bytes(data, "p.pdf", "pdf", ReadLimits(max_pages=5))
    assert len(made) == 6


def _text_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    story: list = []
    for n in range(pages):
        story += [Paragraph(f"第{n + 1}页 {PARA * 8}", style) for _ in range(2)] + [PageBreak()]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def test_pdf_memory_is_flat_in_pages(tmp_path: Path) -> None:
    """Each page is released once read: four times the pages must not take
    anywhere near four times the memory (before, each page's layout and
    text map stayed until the end: 0.6 MB a page here)."""
    few, many = tmp_path / "few.pdf", tmp_path / "many.pdf"
    _text_pdf(few, 2)
    _text_pdf(many, 8)
    read(few)  # imports and caches outside the measurement
    peak_few = _traced_peak(lambda: read(few))
    peak_many = _traced_peak(lambda: read(many))
    assert read(many).hints["pages"] == "8"
    assert peak_many < 1.5 * peak_few + 1 * MB, (peak_few, peak_many)


# --- DOCX ------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_package(path: Path, body_xml: Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]) -> None:
    """A Word package made by python-docx, its ``word/document.xml`` written
    by ``body_xml`` (to the open zip, under the given entry)."""
    import docx

    base = path.with_suffix(".base.docx")
    d = docx.Document()
    d.add_paragraph(PARA)
    d.save(str(base))
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename == "word/document.xml":
                body_xml(zout, zipfile.ZipInfo("word/document.xml"))
            else:
                zout.writestr(item, zin.read(item.filename))


def _padded_body(padding: int) -> Callable[[zipfile.ZipFile, zipfile.ZipInfo], None]:
    """A body of one paragraph whose text run holds ``padding`` spaces,
    streamed into the zip (never whole in memory)."""

    def write(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w") as f:
            f.write(f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t xml:space="preserve">{PARA}'.encode())
            block = b" " * MB
            for _ in range(padding // MB):
                f.write(block)
            f.write(b" " * (padding % MB))
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")

    return write


def test_docx_bomb_is_refused_in_little_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    _docx_package(path, _padded_body(256 * MB))
    assert path.stat().st_size < MB
    limits = ReadLimits(max_expanded_bytes=8 * MB)

    def work() -> None:
        with pytest.raises(LimitExceededError) as info:
            read(path, limits)
        _assert_limit(info, "max-expanded-mb")
        assert "word/document.xml" in info.value.message

    assert _traced_peak(work) < 32 * MB  # not 256 MB


def _lie_about_size(path: Path, member: str, declared: int) -> None:
    """Rewrite ``member``'s uncompressed size in both zip headers to ``declared``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        local = z.getinfo(member).header_offset
    size = declared.to_bytes(4, "little")
    data[local + 22 : local + 26] = size  # local file header: the size at byte 22
    end = data.rindex(b"PK\x05\x06")  # end of central directory: where the directory starts
    pos = int.from_bytes(data[end + 16 : end + 20], "little")
    while data[pos : pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = (int.from_bytes(data[pos + i : pos + i + 2], "little") for i in (28, 30, 32))
        if data[pos + 46 : pos + 46 + name_len] == member.encode():
            data[pos + 24 : pos + 28] = size  # central directory entry: the size at byte 24
            break
        pos += 46 + name_len + extra_len + comment_len
    else:
        raise AssertionError(f"{member} not in the central directory")
    path.write_bytes(bytes(data))


@_SETTINGS
@given(limit=st.integers(128 * KB, MB), padding=st.integers(0, 2 * MB), lie=st.booleans())
def test_docx_expansion_limit(tmp_path_factory: pytest.TempPathFactory, limit: int, padding: int, lie: bool) -> None:
    path = tmp_path_factory.mktemp("docx") / "r.docx"
    _docx_package(path, _padded_body(padding))
    if lie:  # the zip claims the body is small; only reading it tells
        _lie_about_size(path, "word/document.xml", 100)
    limits = ReadLimits(max_expanded_bytes=limit)
    if padding > limit:
        with pytest.raises(LimitExceededError) as info:
            read(path, limits)
        _assert_limit(info, "max-expanded-mb")
    elif padding + 64 * KB > limit:  # the package's other parts may or may not tip it over
        try:
            assert read(path, limits).text.startswith(PARA)
        except (LimitExceededError, CorruptDocumentError) as e:
            assert isinstance(e, LimitExceededError) or lie
    elif lie:
        with pytest.raises(CorruptDocumentError, match="where the zip says 100"):
            read(path, limits)
    else:
        assert read(path, limits).text.startswith(PARA)
