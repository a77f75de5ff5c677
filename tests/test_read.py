"""Tests for textmine.read: real corpus files, files made here, bad input."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from textmine.errors import (
    CorruptDocumentError,
    EmptyDocumentError,
    EncodingError,
    GarbledTextError,
    ScannedPdfError,
    TextmineError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from textmine.read import detect_format, read, sniff_format
from textmine.read.canonical import GridBuilder, clean_cell, render_row
from textmine.read.encoding import chinese_plausibility, decode_bytes
from textmine.record import Document, SourceTable

# The corpus is listed at collection time for parametrisation; each test
# still asks for the ``shared_corpus`` fixture, which skips (with the reason)
# when ../shared is absent.
_REPORTS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "reports"
_NAMES = sorted(p.name for p in _REPORTS.iterdir()) if _REPORTS.is_dir() else ["(corpus absent)"]
_TABLED = [n for n in _NAMES if n.endswith((".html", ".docx", ".pdf"))] or ["(corpus absent)"]

NEW_RECEIVED = "本年新收政府信息公开申请数量"


def _gold(corpus: Path, name: str) -> dict:
    return json.loads((corpus / "gold" / f"{Path(name).stem}.json").read_text("utf-8"))


def _row(doc: Document, label: str) -> list[str]:
    for t in doc.tables:
        for row in t.rows:
            if row and label in row[0]:
                return row
    raise AssertionError(f"no table row labelled {label}")


def _numbers_after_label(row: list[str]) -> list[str]:
    """The value cells of a row: everything after the (repeated) label."""
    i = 0
    while i < len(row) and not any(ch.isdigit() for ch in row[i]):
        i += 1
    return row[i:]


def _check_offsets(doc: Document) -> None:
    for t in doc.tables:
        rendering = doc.text[t.start : t.end]
        lines = rendering.split("\n")
        assert len(lines) == len(t.rows)
        assert all(line.startswith("| ") and line.endswith(" |") for line in lines)
        assert len({len(r) for r in t.rows}) == 1, "rows padded to one width"


# --- (1) the real corpus ----------------------------------------------------


@pytest.mark.parametrize("name", _NAMES)
def test_corpus_file_reads(shared_corpus: Path, name: str) -> None:
    doc = read(shared_corpus / "reports" / name)
    gold = _gold(shared_corpus, name)
    # A title may be printed over two lines or with spaces (a PDF's 2023 年).
    assert re.sub(r"\s", "", gold["meta"]["title"]) in re.sub(r"\s", "", doc.text)
    assert doc.format == Path(name).suffix.lstrip(".")
    assert "\r" not in doc.text
    _check_offsets(doc)
    if doc.format in ("txt", "html"):
        assert doc.encoding == "utf-8"


@pytest.mark.parametrize("name", _TABLED)
def test_corpus_tables_match_gold(shared_corpus: Path, name: str) -> None:
    doc = read(shared_corpus / "reports" / name)
    gold = _gold(shared_corpus, name)["tables"]
    assert len(doc.tables) >= 3
    assert any(NEW_RECEIVED in cell for t in doc.tables for row in t.rows for cell in row)
    values = _numbers_after_label(_row(doc, NEW_RECEIVED))
    assert values[0] == str(gold["t3"]["new_received.natural_person"])
    assert values[-1] == str(gold["t3"]["new_received.total"])
    licensing = _row(doc, "行政许可")
    assert licensing[-1] == str(gold["t2"]["licensing.decisions"])  # last column in both layouts
    t4 = next(t for t in doc.tables if t.rows[0][0] == "行政复议")
    expected = [
        "" if gold["t4"].get(f"{g}.{c}") is None else str(gold["t4"][f"{g}.{c}"])
        for g in ("review", "suit_direct", "suit_after_review")
        for c in ("upheld", "corrected", "other", "pending", "total")
    ]
    value_rows = [r for r in t4.rows if any(ch.isdigit() for cell in r for ch in cell)]
    assert value_rows[0] == expected


def test_split_digit_spans_give_whole_numbers(shared_corpus: Path) -> None:
    # pingtan_2020_page writes 20 as <span>2</span><span>0</span>.
    doc = read(shared_corpus / "reports" / "pingtan_2020_page.html")
    gold = _gold(shared_corpus, "pingtan_2020_page.html")["tables"]["t3"]
    values = _numbers_after_label(_row(doc, NEW_RECEIVED))
    assert values[0] == str(gold["new_received.natural_person"]) == "20"
    assert values[-1] == str(gold["new_received.total"]) == "21"


def test_layout_table_is_text_and_inner_tables_are_tables(shared_corpus: Path) -> None:
    doc = read(shared_corpus / "reports" / "pingtan_econ_2021_page.html")
    assert len(doc.tables) == 3
    assert "一、总体情况" in doc.text.split("\n")
    assert not any(len(t.rows) == 1 for t in doc.tables)
    assert doc.hints["html_title"].startswith("平潭综合实验区经济发展局2021年")


def test_pdf_table_split_by_page_break_is_one_grid(shared_corpus: Path) -> None:
    doc = read(shared_corpus / "reports" / "000_c88faac3643766a2_print.pdf")
    t3 = next(t for t in doc.tables if any(NEW_RECEIVED in r[0] for r in t.rows))
    assert len(t3.rows) == 28 and t3.n_cols == 10
    labels = [r[0] for r in t3.rows]
    assert labels[-1] == "四、结转下年度继续办理"
    # the row label spans three grid columns, repeated in the grid
    assert _row(doc, NEW_RECEIVED)[:3] == [_row(doc, NEW_RECEIVED)[0]] * 3
    # wrapped paragraph lines are joined: the claim is not cut by a break
    assert "主动公开政府信息2.8万条" in doc.text


def test_pdf_and_docx_of_one_report_read_alike(shared_corpus: Path) -> None:
    pdf = read(shared_corpus / "reports" / "000_c88faac3643766a2_print.pdf")
    word = read(shared_corpus / "reports" / "000_c88faac3643766a2_word.docx")
    assert [t.rows for t in pdf.tables] == [t.rows for t in word.tables]


def test_seed_txt_keeps_blank_cells(shared_corpus: Path) -> None:
    raw = (shared_corpus / "reports" / "000_c88faac3643766a2.txt").read_text("utf-8")
    doc = read(shared_corpus / "reports" / "000_c88faac3643766a2.txt")
    assert doc.text.count("\xa0") == raw.count("\xa0")
    assert doc.tables == []


# --- (2) files made here ------------------------------------------------------

T3_ROWS = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", ""],
    ["", "自然人", "总计"],
    ["一、本年新收政府信息公开申请数量", "13", "13"],
    ["二、上年结转政府信息公开申请数量", "0", "0"],
]
INTRO = "一、总体情况"
PARA = "2023年全县公开各类政府信息3.1万条，印发政策解读材料47篇。"


def _make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("某县人民政府2023年政府信息公开工作年度报告")
    d.add_paragraph(INTRO)
    d.add_paragraph(PARA)
    table = d.add_table(rows=len(T3_ROWS), cols=3)
    for r, row in enumerate(T3_ROWS):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(0, 1).merge(table.cell(0, 2))  # 申请人情况 over two columns
    table.cell(0, 0).merge(table.cell(1, 0))  # the note over two rows
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    d.save(str(path))


def test_docx_made_here(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    _make_docx(path)
    doc = read(path)
    assert doc.format == "docx"
    lines = doc.text.split("\n")
    assert lines[:3] == ["某县人民政府2023年政府信息公开工作年度报告", INTRO, PARA]
    assert lines[-1] == "三、收到和处理政府信息公开申请情况"
    (t,) = doc.tables
    note = T3_ROWS[0][0]
    assert t.rows == [
        [note, "申请人情况", "申请人情况"],
        [note, "自然人", "总计"],
        T3_ROWS[2],
        T3_ROWS[3],
    ]
    # merged text shows once in the rendering
    assert doc.text[t.start : t.end].split("\n")[:2] == [
        render_row([note, "申请人情况", ""]),
        render_row(["", "自然人", "总计"]),
    ]
    assert doc.text[t.start : t.end].count("申请人情况") == 1


def _make_pdf(path: Path, *, with_table: bool = True, blank: bool = False) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    story: list = []
    if blank:
        story.append(Spacer(1, 20))
    else:
        story += [Paragraph(INTRO, style), Paragraph(PARA * 4, style)]
        if with_table:
            cell = ParagraphStyle("cell", parent=style, fontSize=9, leading=12)
            data = [[Paragraph(c, cell) if c else "" for c in row] for row in T3_ROWS]
            table = Table(data, colWidths=[220, 120, 120])
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("SPAN", (1, 0), (2, 0)),
                        ("SPAN", (0, 0), (0, 1)),
                    ]
                )
            )
            story += [Spacer(1, 10), table, Spacer(1, 10), Paragraph("四、结转下年度继续办理", style)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def test_pdf_made_here(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    _make_pdf(path)
    doc = read(path)
    assert doc.format == "pdf"
    assert doc.text.startswith(INTRO + "\n")
    assert PARA * 4 in doc.text  # wrapped lines joined back
    (t,) = doc.tables
    note = T3_ROWS[0][0]
    assert t.rows == [
        [note, "申请人情况", "申请人情况"],
        [note, "自然人", "总计"],
        T3_ROWS[2],
        T3_ROWS[3],
    ]
    assert doc.text[t.end :].strip() == "四、结转下年度继续办理"


HTML_TABLE = """
<table border=1>
 <tr><td rowspan=2><p>（本列数据的勾稽关系为：第一项加第二项之和，</p><p>等于第三项加第四项之和）</p></td>
     <td colspan=2>申请人情况</td></tr>
 <tr><td>自然人</td><td>总计</td></tr>
 <tr><td>一、本年新收政府信息公开申请数量</td><td><span>1</span><span>3</span></td><td><span>1</span><span>3</span></td></tr>
 <tr><td>二、上年结转政府信息公开申请数量</td><td>0</td><td>&nbsp;0&nbsp;</td></tr>
</table>"""


def _html(charset: str) -> str:
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>某县2023年政府信息公开工作年度报告_年报</title><script>var x = "不是正文";</script>
<style>p {{ color: red }}</style></head>
<body><nav>首页 政务公开</nav><div class="article"><h1>某县2023年政府信息公开工作年度报告</h1>
<p>{INTRO}</p><p><span>2023年全县公开各类政府信息</span><span>3.1</span><span>万条，</span>印发政策解读材料<b>47</b>篇。</p>
<!-- 注释不是正文 -->{HTML_TABLE}<p>四、结转下年度继续办理<br>无。</p></div>
<form><input name=q>搜索</form></body></html>"""


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gbk", "gb18030"), ("gb2312", "gb18030")])
def test_html_made_here(tmp_path: Path, charset: str, encoding: str) -> None:
    path = tmp_path / "r.html"
    # 堃 is in GBK but not GB2312: a page that says gb2312 still decodes it.
    page = _html(charset).replace("某县", "某县堃")
    path.write_bytes(page.encode("gb18030" if charset != "utf-8" else "utf-8"))
    doc = read(path)
    assert doc.encoding == encoding
    assert doc.hints["html_title"] == "某县堃2023年政府信息公开工作年度报告_年报"
    lines = doc.text.split("\n")
    assert lines[:3] == ["某县堃2023年政府信息公开工作年度报告", INTRO, PARA]
    for gone in ("不是正文", "注释", "color", "首页", "搜索"):
        assert gone not in doc.text
    assert lines[-2:] == ["四、结转下年度继续办理", "无。"]
    (t,) = doc.tables
    note = T3_ROWS[0][0]
    assert t.rows == [
        [note, "申请人情况", "申请人情况"],
        [note, "自然人", "总计"],
        T3_ROWS[2],
        T3_ROWS[3],
    ]
    assert doc.text[t.start : t.end].split("\n")[1] == render_row(["", "自然人", "总计"])


def test_html_without_declaration_in_gbk_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "r.htm"
    path.write_bytes(f"<html><body><p>{INTRO}</p><p>{PARA}</p></body></html>".encode("gbk"))
    doc = read(path)
    assert doc.encoding == "gb18030"
    assert doc.text == f"{INTRO}\n{PARA}"


def test_html_xml_declaration_and_unknown_charset(tmp_path: Path) -> None:
    path = tmp_path / "r.xhtml"
    path.write_bytes(
        f'<?xml version="1.0" encoding="utf-8"?><html><head><meta charset="x-nonsense"></head>'
        f"<body><p>{PARA}</p></body></html>".encode()
    )
    assert read(path).text == PARA


# --- (3) encodings and bad input ----------------------------------------------


@pytest.mark.parametrize(
    "encoding, data_encoding, recorded",
    [
        ("utf-8", "utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16", "utf-16-le"),
        ("utf-16-be-bom", "utf-16-be", "utf-16-be"),
        ("gbk", "gbk", "gb18030"),
        ("gb18030", "gb18030", "gb18030"),
    ],
)
def test_txt_encodings(tmp_path: Path, encoding: str, data_encoding: str, recorded: str) -> None:
    text = f"{INTRO}\r\n{PARA}\r\n\r\n二、主动公开政府信息情况\n"
    data = text.encode(data_encoding)
    if encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + data
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    doc = read(path)
    assert doc.text == f"{INTRO}\n{PARA}\n\n二、主动公开政府信息情况\n"
    assert doc.encoding == recorded
    assert "decode_errors" not in doc.hints


def test_utf8_with_a_few_bad_bytes(tmp_path: Path) -> None:
    data = (PARA * 5).encode() + b"\xff\xfe" + (PARA * 5).encode()
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    doc = read(path)
    assert doc.encoding == "utf-8"
    assert doc.hints["decode_errors"] == "2"
    assert doc.text.startswith(PARA)


def test_gbk_is_not_read_as_mojibake(tmp_path: Path) -> None:
    # UTF-8 bytes of Chinese often decode as GB18030 without error; the
    # reverse check: GBK bytes must come out as the original text.
    path = tmp_path / "r.txt"
    path.write_bytes((INTRO + "\n" + PARA).encode("gbk"))
    assert read(path).text == INTRO + "\n" + PARA
    assert not chinese_plausibility(PARA.encode("utf-8").decode("gb18030", errors="replace"))
    assert chinese_plausibility(PARA)


@pytest.mark.parametrize(
    "name, data, error",
    [
        ("empty.txt", b"", EmptyDocumentError),
        ("blank.txt", b" \n\t\r\n \xe3\x80\x80 \n", EmptyDocumentError),
        ("binary.txt", bytes(range(256)) * 8, UnreadableFileError),
        ("noise.txt", b"\x81\x30" * 3 + bytes(range(0x80, 0x100)) * 3, EncodingError),
        ("text.docx", "这不是一个Word文件".encode(), CorruptDocumentError),
        ("text.pdf", "这不是PDF".encode(), CorruptDocumentError),
        ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R", CorruptDocumentError),
        ("empty.html", b"<html><body><script>x()</script></body></html>", EmptyDocumentError),
        ("comment.html", b"<!-- nothing -->", EmptyDocumentError),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UnsupportedFormatError),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, UnsupportedFormatError),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, CorruptDocumentError),
    ],
)
def test_bad_input(tmp_path: Path, name: str, data: bytes, error: type[TextmineError]) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        read(path)
    assert str(path) in str(info.value)
    assert info.value.message


def test_binary_txt_message(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(UnreadableFileError, match="binary file, not text"):
        read(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        read(tmp_path / "nope.txt")
    with pytest.raises(UnreadableFileError, match="directory"):
        read(tmp_path)


def test_truncated_real_pdf(tmp_path: Path) -> None:
    made = tmp_path / "full.pdf"
    _make_pdf(made)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(made.read_bytes()[: made.stat().st_size // 3])
    with pytest.raises(TextmineError):
        read(cut)


def test_blank_pdf_is_scanned(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    _make_pdf(path, blank=True)
    with pytest.raises(ScannedPdfError, match="no text layer"):
        read(path)


def test_cid_garbage_is_garbled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import textmine.read.pdf as pdf_reader

    real = pdf_reader._page_items

    def cid_page(page, stats):  # type: ignore[no-untyped-def]
        items = real(page, stats)
        stats.cid = stats.chars  # as if every glyph came out as (cid:NN)
        return items

    monkeypatch.setattr(pdf_reader, "_page_items", cid_page)
    path = tmp_path / "cid.pdf"
    _make_pdf(path, with_table=False)
    with pytest.raises(GarbledTextError, match="cid"):
        read(path)


def test_zip_that_is_not_docx(tmp_path: Path) -> None:
    path = tmp_path / "z.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(CorruptDocumentError):
        read(path)


def test_docx_with_broken_xml(tmp_path: Path) -> None:
    good = tmp_path / "good.docx"
    _make_docx(good)
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            zout.writestr(item, data)
    with pytest.raises(CorruptDocumentError):
        read(bad)


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    made = tmp_path / "r.pdf"
    _make_pdf(made, with_table=False)
    renamed = tmp_path / "report.bin"
    renamed.write_bytes(made.read_bytes())
    assert read(renamed).format == "pdf"
    plain = tmp_path / "README"
    plain.write_text(PARA, "utf-8")
    assert read(plain).format == "txt"
    assert sniff_format(b"<!DOCTYPE html><html>") == "html"


def test_detect_format_trusts_the_suffix_checked_against_the_bytes() -> None:
    # The suffix is the source's unless given: corpus tagging has bytes and a name.
    page = b"<!DOCTYPE html><html><body>x</body></html>"
    assert detect_format(page, "dir/saved.txt") == "html"  # a saved page named .txt
    assert detect_format(page, "dir/saved.TXT", ".txt") == "html"
    assert detect_format(PARA.encode(), "notes.txt") == "txt"
    assert detect_format(PARA.encode(), "README") == "txt"  # no suffix: sniffed
    with pytest.raises(CorruptDocumentError, match="no %PDF header"):
        detect_format(PARA.encode(), "report.pdf")
    with pytest.raises(UnsupportedFormatError):
        detect_format(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.png")


# --- units --------------------------------------------------------------------


def test_grid_builder_resolves_spans() -> None:
    g = GridBuilder()
    g.place(0, 0, "a", rowspan=2)
    g.place(0, 1, "b", colspan=2)
    g.place(1, 0, "c")  # lands at column 1: column 0 is covered by a
    grid, shown = g.finish()
    assert grid == [["a", "b", "b"], ["a", "c", ""]]
    assert shown == [["a", "b", ""], ["", "c", ""]]


def test_clean_cell_joins_wrapped_chinese() -> None:
    assert clean_cell("三、本年度办\n理结果") == "三、本年度办理结果"
    assert clean_cell("\xa0 0\xa0") == "0"
    assert clean_cell("open\ndata") == "open data"
    assert clean_cell("a|b") == "a｜b"


def test_decode_bytes_declared_gb2312_means_gb18030() -> None:
    got = decode_bytes("堃".encode("gbk"), "x", declared="gb2312")
    assert got.text == "堃" and got.encoding == "gb18030"


def test_source_table_offsets_are_exact(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    path.write_text(_html("utf-8"), "utf-8")
    doc = read(path)
    t: SourceTable = doc.tables[0]
    assert doc.text[t.start] == "|" and doc.text[t.end - 1] == "|"
    assert doc.text[t.start - 2 : t.start] == "\n\n"
    assert doc.text[t.end : t.end + 2] == "\n\n"


# --- page furniture and a mirror's readings --------------------------------------------


def test_page_numbers_dropped_from_text_copies(tmp_path: Path) -> None:
    path = tmp_path / "copy.txt"
    path.write_text("一、总体情况\n- 3 -\n第 4 页 共 9 页\n—5—\n12\n第6頁\n正文。\n", encoding="utf-8")
    text = read(path).text
    assert text == "一、总体情况\n12\n正文。\n"  # a bare number may be a table cell: kept


def test_pinyin_readings_dropped(tmp_path: Path) -> None:
    path = tmp_path / "mirror.html"
    path.write_text(
        "<html><body><p>某(mǒu)县(xiàn)财政局2023年政府信息公(gōng)开工作年度报告</p>"
        "<table><tr><td>规(guī)章</td><td>3</td></tr></table><p>项目(一)与(a)保留</p></body></html>",
        encoding="utf-8",
    )
    text = read(path).text
    assert "某县财政局2023年政府信息公开工作年度报告" in text
    assert "| 规章 | 3 |" in text
    assert "项目(一)与(a)保留" in text


def test_running_headers_beside_page_numbers_dropped(tmp_path: Path) -> None:
    header = "某县人民政府2023年政府信息公开工作年度报告"
    lines = [header, "一、总体情况", "正文。", "0", "- 2 -", header, "3", "0", "第 3 页", header, "0", "5"]
    path = tmp_path / "copy.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The title at the top stays; its copies by the page numbers go; a cell "0" by them stays.
    assert read(path).text == f"{header}\n一、总体情况\n正文。\n0\n3\n0\n0\n5" + "\n"


# --- UTF-16 without a byte-order mark -------------------------------------------

_SAMPLE_TXT = sorted((Path(__file__).resolve().parents[1] / "corpora" / "sample" / "reports").glob("*.txt"))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("sample", _SAMPLE_TXT[:4], ids=lambda p: p.name)
def test_utf16_without_bom_reads_like_utf8(tmp_path: Path, sample: Path, encoding: str) -> None:
    as_utf8 = read(sample)
    path = tmp_path / sample.name
    path.write_bytes(sample.read_text("utf-8").encode(encoding))  # Python writes no BOM for -le/-be
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    doc = read(path)
    assert doc.text == as_utf8.text
    assert doc.encoding == encoding
    assert "decode_errors" not in doc.hints
    assert sniff_format(path.read_bytes()) == "txt"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_html_is_sniffed_and_read(tmp_path: Path, encoding: str) -> None:
    page = f"<html><body><p>{INTRO}</p><p>{PARA}</p></body></html>"
    path = tmp_path / "report"  # no suffix: the bytes decide
    path.write_bytes(page.encode(encoding))
    doc = read(path)
    assert doc.format == "html"
    assert doc.text == f"{INTRO}\n{PARA}"
    assert doc.encoding == encoding


def test_binary_with_zero_bytes_is_still_binary() -> None:
    from textmine.read.encoding import looks_binary, utf16_without_bom

    # Zero bytes all at even offsets, but what they decode to is no text.
    for data in (bytes(range(256)) * 8, b"\x00\x01\x02" * 100, b"\x00\xff" * 500, bytes(1000)):
        assert utf16_without_bom(data) is None
        assert looks_binary(data)
    # Ordinary text that happens to hold one NUL is not taken for UTF-16.
    assert utf16_without_bom(PARA.encode() + b"\x00" + PARA.encode()) is None


# --- DOCX: the body read as a stream ---------------------------------------------


def _body_by_tree(path: Path) -> tuple[str, list[list[list[str]]]]:
    """The text and tables the block walker makes of the whole body tree."""
    from docx.oxml.parser import parse_xml

    from textmine.read.canonical import TextBuilder
    from textmine.read.docx import _BODY, _walk

    with zipfile.ZipFile(path) as z:
        root = parse_xml(z.read("word/document.xml"))
    out = TextBuilder()
    _walk(root.find(_BODY), out)
    text, tables = out.build()
    return text, [t.rows for t in tables]


def _with_body_extras(path: Path) -> None:
    """Wrap the made DOCX's first table in a content control, add a layout
    table holding a paragraph and a data table, and a paragraph inside
    customXml (not a block: the walker skips it)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["word/document.xml"].decode()
    start, end = xml.index("<w:tbl>"), xml.index("</w:tbl>") + len("</w:tbl>")
    table = xml[start:end]
    cell = f"<w:tc><w:p><w:r><w:t>{PARA}</w:t></w:r></w:p>{table}<w:p/></w:tc>"
    layout = f"<w:tbl><w:tr>{cell}</w:tr></w:tbl>"
    xml = (
        xml[:start]
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{table}</w:sdtContent></w:sdt>"
        + layout
        + '<w:customXml w:element="x"><w:p><w:r><w:t>不读</w:t></w:r></w:p></w:customXml>'
        + xml[end:]
    )
    assert f'xmlns:w="{w}"' in xml
    parts["word/document.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_docx_stream_reads_as_the_whole_tree(tmp_path: Path) -> None:
    path = tmp_path / "r.docx"
    _make_docx(path)
    _with_body_extras(path)
    doc = read(path)
    text, tables = _body_by_tree(path)
    assert doc.text == text
    assert [t.rows for t in doc.tables] == tables
    assert len(doc.tables) == 2 and PARA in doc.text.split("\n")
    assert "不读" not in doc.text


def test_docx_title_and_wrong_main_part(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "r.docx"
    d = docx.Document()
    d.add_paragraph(PARA)
    d.core_properties.title = "某县2023年年报"
    d.save(str(path))
    assert read(path).hints["docx_title"] == "某县2023年年报"
    # A macro-enabled main part is not what python-docx (or this reader) opens.
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(CorruptDocumentError, match="not a Word document"):
        read(path)


def test_deeply_nested_report_is_a_report(tmp_path: Path) -> None:
    """Past 255 levels libxml2's tree lost the page (read as "not a report",
    then as no text at all); a browser shows it, and so is it read."""
    from textmine.pipeline import analyze

    sample = Path(__file__).resolve().parents[1] / "corpora" / "sample" / "reports" / "syn001_2024.html"
    page = sample.read_text("utf-8")
    deep = tmp_path / "deep.html"
    deep.write_text(page.replace("<body>", "<body>" + "<div>" * 3000, 1), "utf-8")
    assert analyze(deep).tables == analyze(sample).tables


def test_encrypted_pdf_says_so(tmp_path: Path) -> None:
    """pdfplumber wraps pdfminer's password error; the reader unwraps it
    (it used to come out as a "broken PDF")."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(100, 700, "locked")
    c.save()
    with pytest.raises(UnreadableFileError, match="encrypted PDF"):
        read(path)


def test_a_file_of_page_furniture_only_is_empty(tmp_path: Path) -> None:
    """A text that is nothing but a page number (found by hypothesis: 0/0)
    is refused as empty, naming the file, not read as an empty report."""
    from textmine.errors import EmptyDocumentError

    path = tmp_path / "page.txt"
    path.write_text("0/0", "utf-8")
    with pytest.raises(EmptyDocumentError, match="page furniture") as err:
        read(path)
    assert str(path) in str(err.value)
