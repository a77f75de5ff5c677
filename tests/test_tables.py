"""Tables 2–4 from every flattening, and from the real reports."""

from __future__ import annotations

import pytest

from conftest import gold_for, real_reports, shared_path
from textmine.record import Section
from textmine.tables import extract_tables
from textmine.tables.layouts import load_layouts

T3_LABELS = [
    ("new_received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied.state_secret", "1.属于国家秘密"),
    ("denied.law_forbids", "2.其他法律行政法规禁止公开"),
    ("denied.security_stability", "3.危及“三安全一稳定”"),
    ("denied.third_party", "4.保护第三方合法权益"),
    ("denied.internal_affairs", "5.属于三类内部事务信息"),
    ("denied.process_info", "6.属于四类过程性信息"),
    ("denied.enforcement_file", "7.属于行政执法案卷"),
    ("denied.inquiry", "8.属于行政查询事项"),
    ("unavailable.not_held", "1.本机关不掌握相关政府信息"),
    ("unavailable.must_create", "2.没有现成信息需要另行制作"),
    ("unavailable.unclear", "3.补正后申请内容仍不明确"),
    ("not_processed.petition", "1.信访举报投诉类申请"),
    ("not_processed.repeated", "2.重复申请"),
    ("not_processed.publication", "3.要求提供公开出版物"),
    ("not_processed.excessive", "4.无正当理由大量反复申请"),
    ("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.other", "3.其他"),
    ("handled_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
]
# Headers that stand between rows in the printed table.
T3_GROUPS = {
    "granted": "三、本年度办理结果",
    "denied.state_secret": "（三）不予公开",
    "unavailable.not_held": "（四）无法提供",
    "not_processed.petition": "（五）不予处理",
    "other.no_correction": "（六）其他处理",
}
T3_HEADER = [
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
]


def t3_values() -> dict[str, list[int]]:
    """A consistent table 3: every identity holds."""
    rows = {key: [0] * 7 for key, _ in T3_LABELS}

    def put(key: str, values: list[int]) -> None:
        rows[key] = values[:6] + [sum(values[:6])]

    put("new_received", [64, 0, 0, 2, 0, 4])
    put("carried_over", [3, 1, 0, 0, 0, 0])
    put("granted", [27, 0, 0, 2, 0, 1])
    put("partly_granted", [5, 0, 0, 0, 0, 0])
    put("denied.third_party", [11, 0, 0, 0, 0, 0])
    put("unavailable.not_held", [22, 1, 0, 0, 0, 3])
    put("handled_total", [65, 1, 0, 2, 0, 4])
    put("carried_forward", [2, 0, 0, 0, 0, 0])
    return rows


def render_t3(style: str, values: dict[str, list[int]]) -> str:
    lines = ["三、收到和处理政府信息公开申请情况"]
    if style == "run_together":
        out = "".join(T3_HEADER)
        for key, label in T3_LABELS:
            out += T3_GROUPS.get(key, "") + label + "".join(str(v) for v in values[key])
        return lines[0] + out + "四、政府信息公开行政复议、行政诉讼情况"
    sep = {"pipe": " | ", "tabs": "\t", "spaces": "   "}.get(style)
    if style == "cell_per_line":
        lines += T3_HEADER
    else:
        lines.append(sep.join(T3_HEADER))
    for key, label in T3_LABELS:
        if key in T3_GROUPS:
            lines.append(T3_GROUPS[key])
        cells = [str(v) for v in values[key]]
        if style == "cell_per_line":
            lines += [label, *cells]
        elif style == "pipe":
            lines.append("| " + " | ".join([label, *cells]) + " |")
        else:
            lines.append(sep.join([label, *cells]))
    joiner = "\n\n" if style == "cell_per_line" else "\n"
    return joiner.join(lines) + joiner + "四、政府信息公开行政复议、行政诉讼情况"


def sections_for(text: str) -> list[Section]:
    start = text.index("三、收到和处理")
    end = text.index("四、政府信息公开行政复议")
    return [Section("requests", "三、收到和处理政府信息公开申请情况", start, end)]


@pytest.mark.parametrize("style", ["cell_per_line", "pipe", "tabs", "spaces", "run_together"])
def test_table3_every_flattening(style: str) -> None:
    values = t3_values()
    text = "二、主动公开政府信息情况\n第二十条第（一）项 本年制发件数\n" + render_t3(style, values)
    result = extract_tables(text, sections_for(text), year=2022)
    assert result.layout == "2021"
    columns = load_layouts().t3["2021"].rows[0].columns
    for key, _ in T3_LABELS:
        for col, want in zip(columns, values[key]):
            assert result.tables["t3"][f"{key}.{col}"] == want, (style, key, col)


def test_blank_cells_stay_blank_in_pipe_rows() -> None:
    values = t3_values()
    text = render_t3("pipe", values).replace("| 3 | 1 | 0 | 0 | 0 | 0 | 4 |", "| 3 | 1 |  | / | 0 | 0 | 4 |")
    result = extract_tables(text, sections_for(text), year=2022)
    t3 = result.tables["t3"]
    assert t3["carried_over.research"] is None and "carried_over.research" in t3
    assert t3["carried_over.nonprofit"] is None
    assert t3["carried_over.legal_service"] == 0
    assert result.cells_raw["t3"]["carried_over.nonprofit"] == "/"


def test_ambiguous_run_is_blank_with_a_note() -> None:
    text = "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件693665三、收到"
    sections = [Section("active_disclosure", "二、主动公开政府信息情况", 0, text.index("三、收到"))]
    result = extract_tables(text, sections, year=2021)
    t2 = result.tables["t2"]
    assert [t2[f"regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert "normative_documents.issued" not in t2
    note = next(n for n in result.notes if "normative_documents.issued" in n.cells)
    assert "693665" in note.message and "69/3/665" not in note.message or "splits" in note.message


def test_table4_run_together_uses_group_sums() -> None:
    text = "四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计10203120001200000五、存在的主要问题"
    sections = [Section("review_litigation", "四、", 0, text.index("五、"))]
    result = extract_tables(text, sections, year=2021)
    t4 = result.tables["t4"]
    assert [t4[f"review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] == [1, 0, 2, 0, 3]
    assert t4["suit_direct.upheld"] == 12 and t4["suit_direct.total"] == 12
    assert t4["suit_after_review.total"] == 0


def test_table4_cut_short_fills_in_order() -> None:
    values = "\n".join(["0", "1", " 0", " 0", "1", " 0", " 0", " 0", " 0"])
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\n结果维持\n尚未\n审结\n总计\n"
        + values
        + "\n五、存在的主要问题"
    )
    sections = [Section("review_litigation", "四、", 0, text.index("五、"))]
    result = extract_tables(text, sections, year=2023)
    t4 = result.tables["t4"]
    assert t4["review.corrected"] == 1 and t4["review.total"] == 1
    assert t4["suit_direct.pending"] == 0
    assert t4.get("suit_direct.total") is None and t4.get("suit_after_review.total") is None
    assert any("9 of 15" in n.message for n in result.notes)


def test_free_layout_has_no_tables() -> None:
    result = extract_tables("一、概述\n本局2013年信息公开工作……", [], year=2013)
    assert result.layout == "free"
    assert all(not cells for cells in result.tables.values())
    assert result.notes


def test_shared_blank_column_from_colspan_is_dropped() -> None:
    """A Word export's colspan leaves an empty cell in the same place in every row."""
    values = t3_values()
    text = render_t3("pipe", values)
    lines = []
    for line in text.split("\n"):
        cells = line.split(" | ")
        if line.startswith("| ") and len(cells) == 8 and cells[1].strip().isdigit():
            cells.insert(2, "")  # an empty column after 自然人
        lines.append(" | ".join(cells))
    text = "\n".join(lines)
    result = extract_tables(text, sections_for(text), year=2022)
    assert result.tables["t3"]["new_received.business"] == 0
    assert result.tables["t3"]["new_received.total"] == 70
    assert result.tables["t3"]["granted.nonprofit"] == 2


def test_deterministic() -> None:
    text = render_t3("run_together", t3_values())
    a = extract_tables(text, sections_for(text), year=2022)
    b = extract_tables(text, sections_for(text), year=2022)
    assert a.tables == b.tables and [n.message for n in a.notes] == [n.message for n in b.notes]


# ------------------------------------------------------------- real reports
@pytest.mark.parametrize("report", real_reports() or [None], ids=lambda p: p.name if p else "absent")
def test_real_reports_no_wrong_cell(report) -> None:
    """Separated cells all right; run-together ones right or blank with a note."""
    shared_path()
    from textmine.pipeline import analyze

    record = analyze(report)
    gold = gold_for(report)
    wrong = []
    right = total = 0
    for table, cells in (gold.get("tables") or {}).items():
        for key, want in cells.items():
            got = record.tables[table].get(key)
            total += 1
            if got is None:
                right += want is None
                continue
            if want is None or abs(float(got) - float(want)) > 1e-6:
                wrong.append((table, key, got, want))
            else:
                right += 1
    assert not wrong, wrong
    if "tables" not in gold:
        assert any("free layout" in n.message for n in record.table_notes)
    elif report.suffix == ".txt" and "pingtan_" in report.name and report.stem.count("_") == 1:
        # Cells run together: most are recovered, the rest blank with a note.
        assert sum(record.recovered_cells.values()) >= 150
        assert right / total >= 0.9
        blank = {k for n in record.table_notes for k in n.cells}
        assert all(
            f"{k}" in blank
            for t, cells in gold["tables"].items()
            for k, v in cells.items()
            if v is not None and record.tables[t].get(k) is None
        ), "every blank cell is named by a note"
    elif total:
        assert right == total


# --- reading by header position, and the flattenings of other sites -----------------

T2_SPACER = (
    "二、主动公开政府信息情况\n"
    "| 第二十条第（一）项 |  |  |  |  |\n"
    "| 信息内容 | 本年新制作数量 | 本年新公开数量 |  | 对外公开总数量 |\n"
    "| 规章 | 7 | 7 |  | 215 |\n"
    "| 规范性文件 | 12 |  | 11 | 64 |\n"
    "| 第二十条第（五）项 |  |  |  |  |\n"
    "| 信息内容 | 上一年项目数量 |  | 本年增/减 | 处理决定数量 |\n"
    "| 行政许可 | 3 |  | 1 | 6 |\n"
    "| 其他对外管理服务事项 |  | 2 | -1 | 9 |\n"
    "三、收到和处理政府信息公开申请情况\n略。"
)


def test_spacer_columns_read_by_header_position() -> None:
    # The header's merged cell leaves a spacer column, empty in some rows and
    # holding the value in others; a person reads by the header above.
    start = T2_SPACER.index("三、")
    sections = [Section("active_disclosure", "二、主动公开政府信息情况", 0, start)]
    t2 = extract_tables(T2_SPACER, sections, year=2020).tables["t2"]
    assert [t2[f"regulations.{c}"] for c in ("made", "published", "public_total")] == [7, 7, 215]
    assert [t2[f"normative_documents.{c}"] for c in ("made", "published", "public_total")] == [12, 11, 64]
    assert [t2[f"licensing.{c}"] for c in ("previous", "change", "decisions")] == [3, 1, 6]
    assert [t2[f"other_services.{c}"] for c in ("previous", "change", "decisions")] == [2, -1, 9]


def _t3_cell_pipe(values: dict[str, list[int | None]]) -> str:
    """One cell a line ending in ' |', an empty cell a lone ' |'."""
    lines = ["三、收到和处理政府信息公开申请情况", *(f"{h} |" for h in T3_HEADER)]
    for key, label in T3_LABELS:
        if key in T3_GROUPS:
            lines.append(f"{T3_GROUPS[key]} |")
        lines.append(f"{label} |")
        lines += [" |" if v is None else f"{v} |" for v in values[key]]
    return "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况"


def test_columns_empty_in_every_row_read_as_blanks() -> None:
    values: dict[str, list[int | None]] = {}
    for key, row in t3_values().items():
        values[key] = [row[0], None, None, None, None, None, row[0]]
    text = _t3_cell_pipe(values)
    result = extract_tables(text, sections_for(text), year=2022)
    t3 = result.tables["t3"]
    assert len(t3) == 175
    assert t3["new_received.natural_person"] == 64 and t3["new_received.total"] == 64
    assert all(t3[f"{key}.business"] is None for key, _ in T3_LABELS)
    assert result.cells_raw["t3"]["granted.business"].strip() == ""


def test_tab_rows_with_blank_cells_keep_their_columns() -> None:
    values = t3_values()
    header = [
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
    ]
    lines = ["三、收到和处理政府信息公开申请情况", *header]
    for key, label in T3_LABELS:
        cells = [str(v) for v in values[key]]
        if key == "new_received":
            cells[2] = cells[4] = ""  # research and legal_service printed blank
        lines.append("\t".join([label, "", "", *cells]))
    text = "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况"
    t3 = extract_tables(text, sections_for(text), year=2022).tables["t3"]
    assert t3["new_received.research"] is None and t3["new_received.legal_service"] is None
    assert t3["new_received.nonprofit"] == 2 and t3["new_received.other_org"] == 4 and t3["new_received.total"] == 70
    assert t3["carried_over.business"] == 1


def test_a_label_cut_by_a_page_and_the_next_rows_numbering() -> None:
    from textmine.read.canonical import canonical_plain_text

    values = t3_values()
    text = render_t3("cell_per_line", values)
    text = text.replace("1.本机关不掌握相关政府信息", "1.本机关不掌\n- 4 -\n握相关政府信息")
    text = text.replace("\n\n4.保护第三方合法权益", "\n\n4.保\n\n第 5 页\n护第三方合法权益")
    text = canonical_plain_text(text)
    assert "- 4 -" not in text and "第 5 页" not in text
    t3 = extract_tables(text, sections_for(text), year=2022).tables["t3"]
    assert [t3[f"unavailable.not_held.{c}"] for c in ("natural_person", "total")] == [22, 26]
    assert [t3[f"denied.security_stability.{c}"] for c in ("natural_person", "total")] == [0, 0]
    assert t3["denied.third_party.natural_person"] == 11


def test_an_unrecognised_label_is_read_by_its_place() -> None:
    values = t3_values()
    lines = [
        "三、收到和处理政府信息公开申请情况",
        "| | | | 自然人 | 法人或其他组织 | | | | | 总计 |",
        "| | | | | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | |",
    ]
    for key, label in T3_LABELS:
        if key == "denied.law_forbids":
            label = "2.其他法律行政止公开"  # a text layer ate two characters
        lines.append("| " + " | ".join([label, "", "", *map(str, values[key])]) + " |")
    text = "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况"
    result = extract_tables(text, sections_for(text), year=2022)
    assert result.tables["t3"]["denied.law_forbids.total"] == 0
    assert result.tables["t3"]["denied.state_secret.total"] == 0
    assert any("not recognised" in n.message and "denied.law_forbids" in n.cells[0] for n in result.notes)


def test_a_2021_table_with_the_2019_single_other_row() -> None:
    values = t3_values()
    lines = ["三、收到和处理政府信息公开申请情况", " | ".join(T3_HEADER)]
    for key, label in T3_LABELS:
        if key.startswith("other."):
            if key == "other.no_correction":
                lines.append("| " + " | ".join(["（六）其他处理", *(["0"] * 7)]) + " |")
            continue
        lines.append("| " + " | ".join([label, *map(str, values[key])]) + " |")
    text = "\n".join(lines) + "\n四、政府信息公开行政复议、行政诉讼情况"
    result = extract_tables(text, sections_for(text), year=2022)  # no cue either way: the year decides
    t3 = result.tables["t3"]
    assert result.layout == "2021"
    assert t3["other.total.total"] == 0 and "other.other.total" not in t3
    layout = load_layouts().t3["2021"]
    assert layout.variants_in(t3) == ("other.total",)
    rows = layout.row_keys(layout.variants_in(t3))
    assert "other.total" in rows and "other.other" not in rows
