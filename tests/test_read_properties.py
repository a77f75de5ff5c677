"""Property: whatever bytes a file holds, ``read`` returns a Document or
raises a TextmineError — never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textmine.errors import TextmineError
from textmine.read import read
from textmine.record import Document

# Bytes with a realistic start: each container's magic, so the parsers get
# past the first check and meet garbage inside.
_PREFIXES = [
    b"",
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"<html><body>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    "<table><tr><td rowspan=9999>报告".encode(),
]

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"f{suffix}"
        path.write_bytes(data)
        try:
            doc = read(path)
        except TextmineError as e:
            assert e.message and str(path) in str(e)
            return
        assert isinstance(doc, Document)
        assert doc.text.strip()
        for t in doc.tables:
            assert 0 <= t.start <= t.end <= len(doc.text)
            assert len({len(r) for r in t.rows}) <= 1


@_SETTINGS
@given(
    prefix=st.sampled_from(_PREFIXES),
    body=st.binary(max_size=2000),
    suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf", ".bin", ""]),
)
def test_arbitrary_bytes(prefix: bytes, body: bytes, suffix: str) -> None:
    _check(prefix + body, suffix)


@_SETTINGS
@given(
    text=st.text(max_size=300),
    suffix=st.sampled_from([".txt", ".html"]),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_arbitrary_text(text: str, suffix: str, encoding: str) -> None:
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # lone surrogates
        return
    _check(data, suffix)


@_SETTINGS
@given(
    cells=st.lists(
        st.lists(
            st.sampled_from(["", "0", "13", "申请", "&nbsp;", "<span>1</span><span>2</span>"]), min_size=1, max_size=5
        ),
        min_size=1,
        max_size=6,
    ),
    spans=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), max_size=10),
)
def test_html_tables_with_odd_spans(cells: list[list[str]], spans: list[tuple[int, int]]) -> None:
    it = iter(spans)
    rows = []
    for row in cells:
        tds = []
        for c in row:
            rs, cs = next(it, (1, 1))
            tds.append(f'<td rowspan="{rs}" colspan="{cs}">{c}</td>')
        rows.append("<tr>" + "".join(tds) + "</tr>")
    page = f"<html><body><p>标题</p><table>{''.join(rows)}</table></body></html>"
    _check(page.encode(), ".html")


# A report page as a site serves it (from the sample corpus, made by
# corpora/generate), read once unnested.
_SAMPLE_PAGE = Path(__file__).resolve().parents[1] / "corpora" / "sample" / "reports" / "syn001_2024.html"


def _nested(page: str, depth: int, tag: str, closed: bool) -> str:
    """``page`` with its body's content inside ``depth`` ``tag``s (left open
    when not ``closed``, as a Word export leaves its <font>s)."""
    closing = f"</{tag}>" * depth if closed else ""
    return page.replace("<body>", "<body>" + f"<{tag}>" * depth, 1).replace("</body>", closing + "</body>", 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    depth=st.integers(1, 3000), tag=st.sampled_from(["div", "section", "span", "font", "center"]), closed=st.booleans()
)
def test_html_reads_alike_at_any_depth(depth: int, tag: str, closed: bool) -> None:
    from textmine.read import read_bytes

    page = _SAMPLE_PAGE.read_text("utf-8")
    flat = read_bytes(page.encode(), "flat.html", "html")
    deep = read_bytes(_nested(page, depth, tag, closed).encode(), "deep.html", "html")
    assert deep.text == flat.text
    assert [t.rows for t in deep.tables] == [t.rows for t in flat.tables]
