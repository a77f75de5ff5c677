"""Tests for the synthetic sample generator (corpora/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpora.generate import T3_COLS, T4_GROUPS, generate, t3_result_rows, t3_rows
from corpora.render import Cell, Table, grid, write_txt

N = 12  # covers every format, layouts 2019/2021/free via the pattern prefix


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, n=N, seed=3, broken=True)
    return out


def _golds(root: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "gold").glob("*.json"))]


def test_deterministic(sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(again, n=N, seed=3, broken=True)
    for p in sorted((sample / "reports").iterdir()):
        if p.suffix in (".txt", ".html"):
            assert p.read_bytes() == (again / "reports" / p.name).read_bytes(), p.name
    for p in sorted((sample / "gold").iterdir()):
        assert p.read_text(encoding="utf-8") == (again / "gold" / p.name).read_text(encoding="utf-8"), p.name
    assert (sample / "manifest.tsv").read_text() == (again / "manifest.tsv").read_text()


def test_seed_changes_output(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    generate(other, n=2, seed=4, broken=False)
    a = json.loads(next((sample / "gold").glob("syn000_*.json")).read_text(encoding="utf-8"))
    b = json.loads(next((other / "gold").glob("syn000_*.json")).read_text(encoding="utf-8"))
    assert a["meta"] != b["meta"] or a.get("tables") != b.get("tables")


def test_manifest(sample: Path) -> None:
    lines = (sample / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["id", "file", "format", "layout", "flattening", "encoding", "notes"]
    rows = [line.split("\t") for line in lines[1:]]
    assert len(rows) == N
    assert {r[2] for r in rows} == {"txt", "html", "docx", "pdf"}
    for r in rows:
        assert (sample / r[1]).exists()
        assert (sample / "gold" / f"{r[0]}.json").exists()


def test_gold_shape_and_identities(sample: Path) -> None:
    for g in _golds(sample):
        assert g["source"].startswith("reports/")
        layout = g["meta"]["layout"]
        assert g["meta"]["title"].startswith(g["meta"]["agency"])
        assert str(g["meta"]["year"]) in g["meta"]["title"]
        if layout == "free":
            assert "tables" not in g
            continue
        assert layout == ("2019" if g["meta"]["year"] <= 2020 else "2021")
        t3, t4 = g["tables"]["t3"], g["tables"]["t4"]
        assert set(t3) == {f"{r}.{c}" for r in t3_rows(layout) for c in T3_COLS}
        for c in T3_COLS:
            assert (
                t3[f"new_received.{c}"] + t3[f"carried_over.{c}"]
                == t3[f"handled_total.{c}"] + t3[f"carried_forward.{c}"]
            )
            assert sum(t3[f"{r}.{c}"] for r in t3_result_rows(layout)) == t3[f"handled_total.{c}"]
        for r in t3_rows(layout):
            assert sum(t3[f"{r}.{c}"] for c in T3_COLS[:-1]) == t3[f"{r}.total"]
        for grp in T4_GROUPS:
            assert sum(t4[f"{grp}.{c}"] for c in ("upheld", "corrected", "other", "pending")) == t4[f"{grp}.total"]
        assert (
            all(v == "pass" for k, v in g["checks"].items() if not k.startswith("text.table")) or "BROKEN" in g["notes"]
        )
        if layout == "2021":
            assert isinstance(g["tables"]["t2"]["fees.amount"], (int, float))
            assert "other.no_correction.total" in t3
        else:
            assert "other.total.total" in t3 and "procurement.amount" in g["tables"]["t2"]


def _report_text(sample: Path, g: dict) -> str:
    p = sample / g["source"]
    if p.suffix == ".txt":
        raw = p.read_bytes()
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("gbk")
    if p.suffix == ".html":
        raw = p.read_bytes()
        enc = "gbk" if b"charset=gb" in raw[:400] or b'charset="gb' in raw[:400] else "utf-8"
        import re

        return re.sub(r"<[^>]+>", "", raw.decode(enc))
    if p.suffix == ".docx":
        import docx

        return "\n".join(par.text for par in docx.Document(str(p)).paragraphs)
    import pdfplumber

    with pdfplumber.open(str(p)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_every_file_opens_and_holds_title(sample: Path) -> None:
    for g in _golds(sample):
        text = _report_text(sample, g)
        flat = text.replace("\n", "")
        assert g["meta"]["title"] in flat, g["id"]


def test_claims_and_items_in_text(sample: Path) -> None:
    for g in _golds(sample):
        if not g["source"].endswith((".txt", ".docx")):
            continue
        text = _report_text(sample, g)
        for c in g["claims"]:
            assert c["text"] in text, (g["id"], c["text"])
        for it in g["problems"] + g["improvements"]:
            assert it["text"] in text, (g["id"], it["text"])
            assert it["categories"]


def test_docx_has_merged_tables(sample: Path) -> None:
    import docx

    for p in (sample / "reports").glob("*.docx"):
        d = docx.Document(str(p))
        g = json.loads((sample / "gold" / f"{p.stem}.json").read_text(encoding="utf-8"))
        if g["meta"]["layout"] == "free":
            assert not d.tables
            continue
        assert len(d.tables) == 3
        xml = d.tables[1]._tbl.xml
        assert "w:gridSpan" in xml and "w:vMerge" in xml


def test_gbk_files_are_gbk(sample: Path) -> None:
    rows = [line.split("\t") for line in (sample / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    gbk = [r for r in rows if r[5] == "gbk"]
    assert gbk
    for r in gbk:
        raw = (sample / r[1]).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert "政府信息公开" in raw.decode("gbk")


def test_broken_set(sample: Path) -> None:
    b = sample / "broken"
    assert (b / "README.md").exists()
    rows = [line.split("\t") for line in (b / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    files = {r[1] for r in rows}
    for f in (
        "empty.txt",
        "binary.txt",
        "news_article.html",
        "corrupt_docx.docx",
        "corrupt_pdf.pdf",
        "no_text.pdf",
        "missing_cells.txt",
        "wrong_totals.html",
        "truncated_t3.txt",
        "gbk_undeclared.txt",
    ):
        assert f in files and (b / f).exists(), f
    assert (b / "empty.txt").stat().st_size == 0
    with pytest.raises(Exception):  # noqa: B017 - python-docx raises a different kind per version
        import docx

        docx.Document(str(b / "corrupt_docx.docx"))
    import pdfplumber

    with pdfplumber.open(str(b / "no_text.pdf")) as pdf:
        assert not (pdf.pages[0].extract_text() or "").strip()
    wt = json.loads((b / "gold" / "wrong_totals.json").read_text(encoding="utf-8"))
    assert wt["checks"]["t3.identity:total"] == "fail" and wt["checks"]["t4.sum:review"] == "fail"
    mc = json.loads((b / "gold" / "missing_cells.json").read_text(encoding="utf-8"))
    assert mc["tables"]["t4"]["suit_after_review.total"] is None
    tr = json.loads((b / "gold" / "truncated_t3.json").read_text(encoding="utf-8"))
    assert tr["sections"][-1] == "requests" and tr["tables"]["t3"]["carried_forward.total"] is None
    raw = (b / "gbk_undeclared.txt").read_bytes()
    assert b"charset" not in raw
    raw.decode("gbk")


def test_render_flattenings(tmp_path: Path) -> None:
    t = Table(
        [
            [Cell("行政复议", colspan=2), Cell("总计", rowspan=2)],
            [Cell("结果维持"), Cell("结果纠正")],
            [Cell("3"), Cell("-1"), Cell("2")],
        ]
    )
    assert len(grid(t)[0]) == 3 and grid(t)[1][2] is not None
    blocks = ["标题", t, "正文"]
    out = {}
    for fl in ("cell_per_line", "pipe", "tabs", "spaces", "split_headers", "run_together"):
        p = tmp_path / f"{fl}.txt"
        write_txt(blocks, p, flattening=fl)
        out[fl] = p.read_text(encoding="utf-8")
    assert "| 行政复议 |  | 总计 |" in out["pipe"]
    assert "行政复议\t\t总计" in out["tabs"]
    assert "3-12" in out["run_together"]
    assert "结果\n纠正" in out["split_headers"] or "结果\n维持" in out["split_headers"]
    assert "\n3\n\n-1\n\n2\n" in out["cell_per_line"]
    with pytest.raises(ValueError):
        write_txt(blocks, tmp_path / "x.txt", flattening="nope")
