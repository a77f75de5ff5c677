"""Writers for a synthetic report given as *blocks*.

A report is a list of blocks; each block is either a paragraph (``str``) or a
:class:`Table`.  A table lists, per row, only the cells that *start* in that
row (the HTML convention): positions covered by an earlier ``rowspan`` /
``colspan`` are omitted.

Writers:

* :func:`write_txt` — plain text with one of the flattenings in
  :data:`FLATTENINGS` (each seen in real reports).
* :func:`write_html` — a web page with real ``<table>`` markup, optional page
  chrome, optional digits split across ``<span>`` elements.
* :func:`write_docx` — python-docx, merged cells via ``cell.merge``.
* :func:`write_pdf` — reportlab platypus, CJK font ``STSong-Light``.

All writers are deterministic: the only randomness (which blank cells become
``\\xa0``, where spaces are inserted, …) comes from a ``random.Random`` seeded
by the ``seed`` argument.
"""

from __future__ import annotations

import html
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, Union

__all__ = [
    "Cell",
    "Table",
    "Block",
    "FLATTENINGS",
    "SPLIT_HEADER_CELLS",
    "grid",
    "is_heading",
    "write_txt",
    "write_html",
    "write_docx",
    "write_pdf",
]


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)

    @property
    def ncols(self) -> int:
        g = grid(self)
        return len(g[0]) if g else 0


Block = Union[str, Table]

FLATTENINGS: tuple[str, ...] = (
    "cell_per_line",
    "pipe",
    "tabs",
    "spaces",
    "split_headers",
    "run_together",
    "cell_pipe",
    "cell_bars",
    "pipe_open",
)

# Header cells that the ``split_headers`` flattening breaks over two lines
# (as narrow table columns do when a report is copied out of a PDF/Word file).
SPLIT_HEADER_CELLS: frozenset[str] = frozenset(
    {
        "结果维持", "结果纠正", "其他结果", "尚未审结",
        "商业企业", "科研机构", "社会公益组织", "法律服务机构",
        "本年制发件数", "本年废止件数", "现行有效件数",
        "本年新制作数量", "本年新公开数量", "对外公开总数量",
        "上一年项目数量", "处理决定数量", "本年处理决定数量",
        "采购项目数量", "采购总金额",
    }
)

_HEADING_RE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．，,]")
_SUBHEADING_RE = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_NUM_RE = re.compile(r"^-?\d[\d.,]*(?:元|万元)?$")


def is_heading(text: str) -> bool:
    """A top-level section heading such as ``一、总体情况``."""
    return bool(_HEADING_RE.match(text)) and len(text) <= 40


def _is_subheading(text: str) -> bool:
    return bool(_SUBHEADING_RE.match(text)) and len(text) <= 24


def grid(table: Table) -> list[list[tuple[Cell, bool] | None]]:
    """Expand a table to a full grid.

    Each position holds ``(cell, is_origin)``: the cell covering it and whether
    the cell starts there; ``None`` where no cell covers a position (a ragged
    row).
    """
    occupied: dict[tuple[int, int], tuple[Cell, bool]] = {}
    ncols = 0
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied[(r + dr, c + dc)] = (cell, dr == 0 and dc == 0)
            c += cell.colspan
            ncols = max(ncols, c)
    nrows = len(table.rows)
    return [[occupied.get((r, c)) for c in range(ncols)] for r in range(nrows)]


def _origins(table: Table) -> list[list[tuple[int, int, Cell]]]:
    """Per row, ``(row, col, cell)`` for the cells starting in that row."""
    g = grid(table)
    out: list[list[tuple[int, int, Cell]]] = []
    for r, row in enumerate(g):
        out.append([(r, c, pos[0]) for c, pos in enumerate(row) if pos and pos[1]])
    return out


def _is_gbk(encoding: str) -> bool:
    return encoding.lower().replace("-", "").replace("_", "") in {"gbk", "gb2312", "cp936", "gb18030"}


def _encode(text: str, encoding: str) -> bytes:
    if _is_gbk(encoding):
        text = text.replace("\xa0", "\u3000")
    return text.encode(encoding)


# --------------------------------------------------------------------------- txt


def _blank_cell(rng: random.Random) -> str:
    return rng.choice(["\xa0", "", " ", "\xa0"])


def _txt_cell_per_line(blocks: Sequence[Block], rng: random.Random, split: bool) -> str:
    lines: list[str] = []
    sep_blank = not split
    for b in blocks:
        if isinstance(b, str):
            lines.append(b)
            if sep_blank:
                lines.append("")
                if rng.random() < 0.15:
                    lines.extend(["\xa0", ""])
            continue
        if split:
            lines.append("")
        for row in _origins(b):
            for _, _, cell in row:
                t = cell.text
                if t == "":
                    t = _blank_cell(rng)
                elif split and t in SPLIT_HEADER_CELLS and rng.random() < 0.8:
                    k = 2 if len(t) <= 5 else len(t) // 2
                    t = t[:k] + "\n" + t[k:]
                elif rng.random() < 0.03 and _NUM_RE.match(t):
                    t = " " + t  # stray leading space, as in copied web tables
                lines.append(t)
                if sep_blank:
                    lines.append("")
        if split:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _txt_grid_rows(table: Table) -> list[list[str]]:
    """Expanded grid: text at a span's origin, empty string where covered."""
    rows: list[list[str]] = []
    for row in grid(table):
        rows.append([(pos[0].text if pos[1] else "") if pos else "" for pos in row])
    return rows


def _txt_pipe(blocks: Sequence[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, str):
            out.append(b)
            out.append("")
            continue
        for row in _txt_grid_rows(b):
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _txt_lines(blocks: Sequence[Block], table_lines: Callable[[Table], list[str]]) -> str:
    """Paragraphs as lines, each table as ``table_lines(table)``."""
    out: list[str] = []
    for b in blocks:
        out.extend([b] if isinstance(b, str) else table_lines(b))
    return "\n".join(out) + "\n"


def _txt_tabs(blocks: Sequence[Block]) -> str:
    return _txt_lines(blocks, lambda t: ["\t".join(row).rstrip("\t") for row in _txt_grid_rows(t)])


def _txt_spaces(blocks: Sequence[Block], rng: random.Random) -> str:
    def rows(table: Table) -> list[str]:
        out = []
        for row in _origins(table):
            line = ""
            for i, (_, _, c) in enumerate(row):
                if i:
                    line += " " * rng.randint(2, 8)
                line += c.text
            out.append(line.rstrip())
        return out

    return _txt_lines(blocks, rows)


def _txt_run_together(blocks: Sequence[Block], rng: random.Random) -> str:
    pieces: list[str] = []
    for i, b in enumerate(blocks):
        if isinstance(b, str):
            pieces.append(b)
        else:
            rows = []
            for row in _origins(b):
                cells = []
                for j, (_, _, c) in enumerate(row):
                    if j and rng.random() < 0.04:
                        cells.append(" ")
                    cells.append(c.text)
                rows.append("".join(cells))
            pieces.append("".join(r + (" " if rng.random() < 0.05 else "") for r in rows))
        if i < len(blocks) - 1:
            r = rng.random()
            pieces.append("\n" if r < 0.06 else (" " if r < 0.55 else ""))
    return "".join(pieces).rstrip() + "\n"


def _txt_cell_lines(blocks: Sequence[Block], lines: Callable[[Cell], list[str]]) -> str:
    """Paragraphs as lines, each table cell (where it starts) as ``lines(cell)``."""
    return _txt_lines(blocks, lambda t: [ln for row in _origins(t) for _, _, cell in row for ln in lines(cell)])


def _cell_pipe(cell: Cell) -> list[str]:
    """`` |`` ends a cell (a lone `` |`` is an empty one); the positions a
    colspan covers follow as one line of pipes (``|||``)."""
    out = [f"{cell.text} |" if cell.text else " |"]
    if cell.colspan > 1:
        out.append("|" * (cell.colspan - 1))
    return out


def _cell_bar(cell: Cell) -> list[str]:
    """The cell, then a line holding ``|`` (an empty cell is an empty line)."""
    return [cell.text, "|"]


def _txt_pipe_open(blocks: Sequence[Block]) -> str:
    """Pipe rows whose cells each start a new line: ``| `` then `` text  | ``
    per cell (a page's table copied cell by cell)."""
    return _txt_lines(blocks, lambda t: [ln for row in _txt_grid_rows(t) for ln in ["| ", *(f" {c}  | " for c in row)]])


def write_txt(
    blocks: Sequence[Block],
    path: str | Path,
    *,
    flattening: str,
    encoding: str = "utf-8",
    seed: int = 0,
    post: Callable[[str], str] | None = None,
) -> None:
    """Write blocks as plain text.

    Flattenings (see :data:`FLATTENINGS`):

    ``cell_per_line``
        every paragraph and every table cell on its own line, each followed by
        an empty line; blank cells are written as ``\\xa0``, a space or an
        empty line; a few stray ``\\xa0`` paragraphs (like the seed report).
    ``pipe``
        tables as ``| a | b | c |`` rows of the *expanded* grid (a spanned
        cell's text at its first position, covered positions empty).
    ``tabs``
        tables as expanded-grid rows with cells separated by ``\\t``
        (trailing empty cells dropped).
    ``spaces``
        one table row per line, only the cells that start in that row,
        separated by runs of 2–8 spaces; blank cells collapse into the run.
    ``split_headers``
        one cell per line, no blank lines between, header cells from
        :data:`SPLIT_HEADER_CELLS` usually broken over two lines
        (``结果`` / ``纠正``).
    ``run_together``
        the report on a few lines: blocks joined by nothing or a space and
        occasionally a newline; table cells concatenated with no separator
        (``行政规范性文件8855698``; ``2648-18538``), now and then a stray
        space.
    ``cell_pipe``
        one cell per line ending in `` |``, an empty cell a lone `` |``,
        a colspan's covered positions a line of pipes.
    ``cell_bars``
        one cell per line, cells parted by lines holding ``|``.
    ``pipe_open``
        expanded-grid pipe rows with every cell on a new line.

    ``post`` rewrites the whole text before it is encoded (the forms of
    ``corpora/forms.py``: page numbers, hard line breaks, traditional script).
    """
    rng = random.Random(seed)
    if flattening == "cell_per_line":
        text = _txt_cell_per_line(blocks, rng, split=False)
    elif flattening == "split_headers":
        text = _txt_cell_per_line(blocks, rng, split=True)
    elif flattening == "pipe":
        text = _txt_pipe(blocks)
    elif flattening == "tabs":
        text = _txt_tabs(blocks)
    elif flattening == "spaces":
        text = _txt_spaces(blocks, rng)
    elif flattening == "run_together":
        text = _txt_run_together(blocks, rng)
    elif flattening == "cell_pipe":
        text = _txt_cell_lines(blocks, _cell_pipe)
    elif flattening == "cell_bars":
        text = _txt_cell_lines(blocks, _cell_bar)
    elif flattening == "pipe_open":
        text = _txt_pipe_open(blocks)
    else:
        raise ValueError(f"unknown flattening {flattening!r}; one of {FLATTENINGS}")
    if post is not None:
        text = post(text)
    Path(path).write_bytes(_encode(text, encoding))


# -------------------------------------------------------------------------- html

_NAV = ["首页", "政务公开", "政务服务", "互动交流", "数据发布", "专题专栏"]

_SCRIPT_HEAD = (
    '<script type="text/javascript" src="/js/jquery.min.js"></script>\n'
    '<script type="text/javascript">var _siteId = "site0001"; var _pageType = "article";</script>\n'
)
_SCRIPT_TAIL = (
    "<script>\n"
    "(function(){var s=document.createElement('script');s.src='/js/stat.js?v=3';"
    "document.body.appendChild(s);})();\n"
    "function printPage(){window.print();}\n"
    "</script>\n"
)


def _digits_spans(text: str, rng: random.Random) -> str:
    """Split a number across inline spans: per digit or in two chunks."""
    if len(text) < 2:
        return f"<span>{html.escape(text)}</span>"
    if rng.random() < 0.5:
        return "".join(f"<span>{html.escape(ch)}</span>" for ch in text)
    k = rng.randint(1, len(text) - 1)
    return (
        f'<span style="font-family:宋体">{html.escape(text[:k])}</span>'
        f'<span style="font-family:宋体">{html.escape(text[k:])}</span>'
    )


def _html_cell_content(text: str, rng: random.Random, split_digits: bool, msword: bool) -> str:
    if text == "":
        return "&nbsp;"
    if split_digits and _NUM_RE.match(text) and rng.random() < 0.5:
        inner = _digits_spans(text, rng)
    else:
        inner = html.escape(text)
    if msword:
        return f'<p class="MsoNormal" align="center" style="text-align:center"><span style="font-size:10.5pt">{inner}</span></p>'
    return inner


_PARA_NUM_RE = re.compile(r"\d{2,}")


def _html_para(text: str, rng: random.Random, split_digits: bool) -> str:
    body = html.escape(text)
    if split_digits and rng.random() < 0.3:
        m = _PARA_NUM_RE.search(body)
        if m:
            body = body[: m.start()] + _digits_spans(m.group(0), rng) + body[m.end():]
    if is_heading(text):
        return f'<p style="text-indent:2em"><strong>{body}</strong></p>'
    if _is_subheading(text):
        return f'<p style="text-indent:2em"><b>{body}</b></p>'
    return f'<p style="text-indent:2em;line-height:1.8">{body}</p>'


def write_html(
    blocks: Sequence[Block],
    path: str | Path,
    *,
    encoding: str = "utf-8",
    title: str | None = None,
    chrome: bool = True,
    split_digits: bool = False,
    declare_charset: str | None = "auto",
    seed: int = 0,
    page_title: str | None = None,
    post: Callable[[str], str] | None = None,
) -> None:
    """Write blocks as an HTML page.

    ``title`` goes to ``<title>`` and a paragraph equal to it is rendered as
    the article heading (``<h1>``); default: the first paragraph.
    ``chrome`` wraps the article in site furniture (nav bar, breadcrumbs
    element, share bar, footer, scripts).  ``declare_charset``: ``"auto"``
    declares the encoding (``gbk`` pages declare ``gbk`` or ``gb2312``),
    ``None`` omits ``<meta charset>``, any other string is declared as given.
    ``split_digits`` splits some numbers in table cells (and a few in
    paragraphs) across inline ``<span>``s.  ``page_title`` replaces the
    ``<title>`` text (a page whose head names only the site); ``post``
    rewrites the page's text before it is encoded.
    """
    rng = random.Random(seed)
    if title is None:
        title = next((b for b in blocks if isinstance(b, str) and "报告" in b), "政府信息公开工作年度报告")
    if declare_charset == "auto":
        declare_charset = (rng.choice(["gbk", "gb2312"]) if _is_gbk(encoding) else "utf-8")
    msword = rng.random() < 0.5
    parts: list[str] = ["<!DOCTYPE html>", "<html>", "<head>"]
    if declare_charset:
        if rng.random() < 0.5:
            parts.append(f'<meta charset="{declare_charset}">')
        else:
            parts.append(f'<meta http-equiv="Content-Type" content="text/html; charset={declare_charset}">')
    parts.append(f"<title>{html.escape(page_title if page_title is not None else title)}</title>")
    if chrome:
        parts.append('<link rel="stylesheet" href="/css/style.css">')
        parts.append(_SCRIPT_HEAD.rstrip("\n"))
    parts.append("</head>")
    parts.append("<body>")
    if chrome:
        parts.append('<div class="header"><div class="logo"><img src="/images/logo.png" alt=""></div>')
        parts.append('<ul class="nav">' + "".join(f'<li><a href="#">{n}</a></li>' for n in _NAV) + "</ul></div>")
        parts.append('<div class="search"><input type="text" placeholder="请输入关键字"><button>搜索</button></div>')
    parts.append('<div class="article">')
    for b in blocks:
        if isinstance(b, str):
            if b == title:
                parts.append(f'<h1 class="article-title">{html.escape(b)}</h1>')
            else:
                parts.append(_html_para(b, rng, split_digits))
            continue
        tstyle = rng.choice(
            [
                'border="1" cellspacing="0" cellpadding="0"',
                'class="MsoNormalTable" border="1" cellspacing="0" style="border-collapse:collapse;width:100%"',
                'width="600" border="1"',
            ]
        )
        parts.append(f"<table {tstyle}>")
        parts.append("<tbody>")
        for row in _origins(b):
            tds = []
            for _, _, c in row:
                attrs = ""
                if c.rowspan > 1:
                    attrs += f' rowspan="{c.rowspan}"'
                if c.colspan > 1:
                    attrs += f' colspan="{c.colspan}"'
                tds.append(f"<td{attrs}>{_html_cell_content(c.text, rng, split_digits, msword)}</td>")
            parts.append("<tr>" + "".join(tds) + "</tr>")
        parts.append("</tbody>")
        parts.append("</table>")
    parts.append("</div>")
    if chrome:
        parts.append(
            '<div class="share">分享到：<a href="#" class="wx">微信</a><a href="#" class="wb">微博</a>'
            '<a href="#" class="qq">QQ空间</a></div>'
        )
        parts.append('<div class="tools"><a href="javascript:printPage()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>')
        parts.append('<div class="footer"><p>主办：本站编辑部　网站标识码：0000000000</p><p>技术支持：信息中心</p></div>')
        parts.append(_SCRIPT_TAIL.rstrip("\n"))
    parts.append("</body>")
    parts.append("</html>")
    text = "\n".join(parts) + "\n"
    if post is not None:
        text = post(text)
    Path(path).write_bytes(_encode(text, encoding))


# -------------------------------------------------------------------------- docx


def write_docx(blocks: Sequence[Block], path: str | Path, *, table_xml: bool = False) -> None:
    """Write blocks as a Word document with real merged cells.

    ``table_xml`` writes each table as one piece of WordprocessingML
    (:func:`_docx_table_xml`) instead of python-docx's ``cell()``/``merge()``,
    which re-scan the whole table on every call (~0.8 s a report): the series
    corpora of thousands of reports need it; the sample keeps the default so
    its bytes do not change.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), "宋体")
    if table_xml:
        doc.styles["Table Grid"]  # noqa: B018 -- fails early if the template lost the style the tables name

    title_done = False
    for b in blocks:
        if isinstance(b, str):
            p = doc.add_paragraph()
            run = p.add_run(b)
            if not title_done and "报告" in b and len(b) < 80 and not is_heading(b):
                title_done = True
                run.bold = True
                run.font.size = Pt(16)
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif is_heading(b):
                run.bold = True
            continue
        if table_xml:
            doc.element.body._insert_tbl(parse_xml(_docx_table_xml(b)))
            doc.add_paragraph()
            continue
        g = grid(b)
        nrows, ncols = len(g), len(g[0]) if g else 0
        t = doc.add_table(rows=nrows, cols=ncols)
        t.style = "Table Grid"
        for r, row in enumerate(_origins(b)):
            for rr, c, cell in row:
                target = t.cell(rr, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(t.cell(rr + cell.rowspan - 1, c + cell.colspan - 1))
                target.text = cell.text
                for para in target.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9)
        doc.add_paragraph()
    buf = io.BytesIO()
    doc.save(buf)
    Path(path).write_bytes(_fixed_zip(buf.getvalue()))


def _docx_table_xml(table: Table, width: int = 8640) -> str:
    """``w:tbl`` markup for a table: spans as ``w:gridSpan``/``w:vMerge``,
    9-pt text, style Table Grid, ``width`` twips shared by the columns."""
    from docx.oxml.ns import nsdecls

    g = grid(table)
    ncols = len(g[0]) if g else 0
    col_w = width // max(1, ncols)
    origin = {id(cell): (r, c) for row in _origins(table) for r, c, cell in row}
    trs: list[str] = []
    for r, row in enumerate(g):
        tcs: list[str] = []
        for c, pos in enumerate(row):
            if pos is None:  # a ragged row: an empty cell
                tcs.append(f'<w:tc><w:tcPr><w:tcW w:w="{col_w}" w:type="dxa"/></w:tcPr><w:p/></w:tc>')
                continue
            cell = pos[0]
            r0, c0 = origin[id(cell)]
            if c != c0:
                continue  # inside the span of the cell to its left
            pr = f'<w:tcW w:w="{col_w * cell.colspan}" w:type="dxa"/>'
            if cell.colspan > 1:
                pr += f'<w:gridSpan w:val="{cell.colspan}"/>'
            if cell.rowspan > 1:
                pr += '<w:vMerge w:val="restart"/>' if r == r0 else "<w:vMerge/>"
            text = cell.text if r == r0 else ""
            run = f'<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>' if text else ""
            tcs.append(f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{run}</w:p></w:tc>")
        trs.append("<w:tr>" + "".join(tcs) + "</w:tr>")
    return (
        f"<w:tbl {nsdecls('w')}>"
        '<w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/></w:tblPr>'
        "<w:tblGrid>" + f'<w:gridCol w:w="{col_w}"/>' * ncols + "</w:tblGrid>"
        + "".join(trs) + "</w:tbl>"
    )


def _fixed_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps so the output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- pdf

_FONT = "STSong-Light"


def _pdf_escape(text: str) -> str:
    return html.escape(text, quote=False)


def _col_widths(table: Table, total: float) -> list[float]:
    g = grid(table)
    ncols = len(g[0]) if g else 0
    need = [4.5] * ncols
    for row in g:
        for c, pos in enumerate(row):
            if pos and pos[1] and pos[0].colspan == 1:
                cap = 5 if pos[0].rowspan > 2 else 11
                need[c] = max(need[c], min(len(pos[0].text), cap) + 1.0)
    s = sum(need)
    return [total * n / s for n in need]


SPLIT_TABLE_MIN_START = 72  # points a table split inside its rows needs at a page's foot to start there


def write_pdf(blocks: Sequence[Block], path: str | Path, *, frames: bool = False, page_numbers: bool = False,
              running_header: str = "", split_rows: bool = False) -> None:
    """Write blocks as a PDF (reportlab platypus, ``STSong-Light``).

    ``frames`` sets the running text inside ruled one-column boxes, a row per
    paragraph (some sites publish a Word file whose text sits in a table);
    ``page_numbers`` prints ``- N -`` at the foot of every page, and
    ``running_header`` a line at the head of every page after the first;
    ``split_rows`` lets a page break cut a table row (its label in two),
    though not the table's first rows at a page's foot: a table starts on the
    next page when less than SPLIT_TABLE_MIN_START points are left (reportlab
    would otherwise draw the cut header row over the paragraph before it)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import CondPageBreak, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    from reportlab import rl_config

    rl_config.invariant = 1
    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))

    body = ParagraphStyle("body", fontName=_FONT, fontSize=10.5, leading=17, wordWrap="CJK", firstLineIndent=21, spaceAfter=4)
    head = ParagraphStyle("head", parent=body, firstLineIndent=0, fontSize=11.5, leading=18, spaceBefore=6)
    title_st = ParagraphStyle("title", parent=body, firstLineIndent=0, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=10)
    cell_st = ParagraphStyle("cell", fontName=_FONT, fontSize=7.5, leading=9.5, wordWrap="CJK", alignment=TA_CENTER)

    width = A4[0] - 36 * mm
    story: list = []
    frame: list[list] = []

    def close_frame() -> None:
        if frame:
            box = RLTable([row[:] for row in frame], colWidths=[width])
            box.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                     ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(box)
            frame.clear()

    title_done = False
    for b in blocks:
        if isinstance(b, str):
            if not b.strip():
                story.append(Spacer(1, 6))
                continue
            if not title_done and "报告" in b and len(b) < 80 and not is_heading(b):
                title_done = True
                close_frame()
                story.append(Paragraph(_pdf_escape(b), title_st))
            elif frames and title_done:
                frame.append([Paragraph(_pdf_escape(b), head if is_heading(b) else body)])
            elif is_heading(b):
                story.append(Paragraph(_pdf_escape(b), head))
            else:
                story.append(Paragraph(_pdf_escape(b), body))
            continue
        close_frame()
        g = grid(b)
        nrows, ncols = len(g), len(g[0]) if g else 0
        data: list[list] = [["" for _ in range(ncols)] for _ in range(nrows)]
        style: list[tuple] = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), _FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 7.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        for row in _origins(b):
            for r, c, cell in row:
                data[r][c] = Paragraph(_pdf_escape(cell.text), cell_st) if cell.text else ""
                if cell.rowspan > 1 or cell.colspan > 1:
                    style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
        t = RLTable(data, colWidths=_col_widths(b, width), splitInRow=1 if split_rows else 0)
        if split_rows:
            story.append(CondPageBreak(SPLIT_TABLE_MIN_START))
        t.setStyle(TableStyle(style))
        story.append(t)
        story.append(Spacer(1, 8))
    close_frame()
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title="", author="", creator="", producer="", subject="", invariant=1,
    )

    def number(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 9)
        if page_numbers:
            canvas.drawCentredString(A4[0] / 2, 10 * mm, f"- {doc.page} -")
        if running_header and doc.page > 1:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 11 * mm, running_header)
        canvas.restoreState()

    if page_numbers or running_header:
        doc.build(story, onFirstPage=number, onLaterPages=number)
    else:
        doc.build(story)


def iter_paragraphs(blocks: Iterable[Block]) -> Iterable[str]:
    """The paragraph blocks, in order (helper for callers and tests)."""
    for b in blocks:
        if isinstance(b, str):
            yield b
