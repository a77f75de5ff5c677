"""The broken set (``corpora/sample/broken``): damaged and non-report inputs
a reader must survive — blank cells, wrong totals, a report cut inside table
3, an undeclared GBK page, empty and binary files, a news article, truncated
docx and pdf, a pdf without a text layer — with a manifest, a README and,
for the files that are still reports, gold."""

from __future__ import annotations

import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpora.generate.gold import finish_gold
from corpora.generate.keys import T3_COLS, T4_COLS, T4_KEYS, t3_rows
from corpora.generate.model import Report, Spec
from corpora.generate.phrases import PHRASES
from corpora.generate.report import make_report
from corpora.generate.writing import dump_json, encodable, write_manifest, write_report
from corpora.render import Block, Table, write_docx, write_html, write_pdf


def _tamper_missing(rng: random.Random, t2: dict[str, Any], t3: dict[str, Any], t4: dict[str, Any]) -> list[str]:
    blanked = []
    for g in ("suit_after_review",):
        for c in T4_COLS:
            t4[f"{g}.{c}"] = None
    for c in T4_COLS[:4]:
        if rng.random() < 0.5:
            t4[f"suit_direct.{c}"] = None
            blanked.append(f"t4.suit_direct.{c}")
    keys = [k for k in t3 if not k.endswith(".total") and not k.endswith(".natural_person")]
    for k in rng.sample(keys, 6):
        t3[k] = None
        blanked.append(f"t3.{k}")
    return [
        "BROKEN: table cells printed blank. Table 4 复议后起诉 block blank (5 cells) and "
        + (", ".join(blanked))
        + " blank; all null in gold (blank is not 0); checks on them skip."
    ]


def _tamper_totals(rng: random.Random, t2: dict[str, Any], t3: dict[str, Any], t4: dict[str, Any]) -> list[str]:
    d = rng.choice([1, 2, 3])
    t3["handled_total.natural_person"] += d
    t3["handled_total.total"] += d
    t4["review.total"] += 1
    return [
        f"BROKEN: wrong totals printed and kept as printed: t3 （七）总计 natural_person and total are {d} too high "
        "(t3.identity and t3.handled_sum fail for natural_person and total; row totals hold); "
        "t4 行政复议 总计 is 1 more than its four parts (t4.sum:review fails)."
    ]


def _write_docx_bytes(blocks: list[Block]) -> bytes:
    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "x.docx"
        write_docx(blocks, p)
        return p.read_bytes()


def _write_pdf_bytes(blocks: list[Block]) -> bytes:
    with tempfile.TemporaryDirectory() as td:
        p = Path(td) / "x.pdf"
        write_pdf(blocks, p)
        return p.read_bytes()


def _blank_pdf(path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rl_config.invariant = 1
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    # a "scanned" page: grey background and dark bars where text lines were
    c.setFillGray(0.93)
    c.rect(30, 30, w - 60, h - 60, stroke=0, fill=1)
    rng = random.Random(11)
    c.setFillGray(0.35)
    y = h - 90
    while y > 80:
        c.rect(70, y, rng.uniform(250, w - 140), 7, stroke=0, fill=1)
        y -= 18
    c.showPage()
    c.save()


@dataclass
class _Listing:
    """The broken set's manifest rows, and gold for the entries that are still reports."""

    bdir: Path
    entries: list[dict[str, str]] = field(default_factory=list)

    def add(self, file: str, kind: str, expect: str, notes: str, gold: dict[str, Any] | None = None) -> None:
        self.entries.append(
            {
                "id": Path(file).stem,
                "file": file,
                "kind": kind,
                "gold": "yes" if gold else "no",
                "expect": expect,
                "notes": notes,
            }
        )
        if gold:
            dump_json(gold, self.bdir / "gold" / f"{Path(file).stem}.json")


def write_broken(bdir: Path, seed: int) -> list[dict[str, str]]:
    """Write the damaged and non-report files of ``broken/`` with manifest and README."""
    bdir.mkdir(parents=True, exist_ok=True)
    (bdir / "gold").mkdir(exist_ok=True)
    listing = _Listing(bdir)
    _damaged_reports(listing, seed)
    _not_reports(listing, seed)
    write_manifest(bdir / "manifest.tsv", listing.entries, ("id", "file", "kind", "gold", "expect", "notes"))
    (bdir / "README.md").write_text(_readme(listing.entries), encoding="utf-8")
    return listing.entries


def _damaged_reports(listing: _Listing, seed: int) -> None:
    """Reports with something wrong (1–4): blank cells, wrong totals, cut
    inside table 3, an undeclared GBK page named .txt; each with gold."""
    bdir, add = listing.bdir, listing.add
    # 1. cells missing
    rep = make_report(
        901, seed, Spec("txt", "cell_per_line"), force_layout="2021", tamper=_tamper_missing, rid="missing_cells"
    )
    write_report(rep, bdir)
    g = finish_gold(rep, "missing_cells.txt", "broken/")
    add(
        "missing_cells.txt",
        "missing_cells",
        "report; blank cells read as null, not 0",
        "t4 复议后起诉 block and six t3 cells blank (\\xa0 / empty lines)",
        g,
    )

    # 2. wrong totals
    rep = make_report(
        902, seed, Spec("html", chrome=True), force_layout="2021", tamper=_tamper_totals, rid="wrong_totals"
    )
    write_report(rep, bdir)
    g = finish_gold(rep, "wrong_totals.html", "broken/")
    add(
        "wrong_totals.html",
        "wrong_totals",
        "report; t3.identity/t3.handled_sum fail (natural_person,total), t4.sum:review fails",
        "printed totals kept as printed",
        g,
    )

    # 3. cut off in the middle of table 3
    rep = make_report(903, seed, Spec("txt", "cell_per_line"), force_layout="2021", rid="truncated_t3")
    _cut_inside_t3(rep)
    write_report(rep, bdir)
    g = finish_gold(rep, "truncated_t3.txt", "broken/")
    add(
        "truncated_t3.txt",
        "truncated",
        "report, incomplete: t3 partial, t4 missing; a note, not a crash",
        "cut after 5.属于三类内部事务信息 (3 of 7 values)",
        g,
    )

    # 4. GBK page, no charset declared, saved as .txt
    rep = make_report(904, seed, Spec("html", encoding="gbk", chrome=True), force_layout="2019", rid="gbk_undeclared")
    write_html(
        encodable(rep.blocks, "gbk"),
        bdir / "gbk_undeclared.txt",
        encoding="gbk",
        title=rep.title,
        chrome=True,
        declare_charset=None,
        seed=rep.render_seed,
    )
    rep.notes.insert(
        0,
        "BROKEN: an HTML page encoded in GBK with no <meta charset>, saved with a .txt name; encoding must be detected from the bytes.",
    )
    g = finish_gold(rep, "gbk_undeclared.txt", "broken/")
    add(
        "gbk_undeclared.txt",
        "gbk_undeclared",
        "report (HTML markup in a .txt, GBK, no declaration)",
        "detect encoding and markup",
        g,
    )


def _cut_inside_t3(rep: Report) -> None:
    """End ``rep`` inside table 3, after the first three values of one row,
    and cut its gold to what survives: later t3 cells and all of t4 null,
    sections 四–六, problems and the claims after the cut gone."""
    k = next(j for j, b in enumerate(rep.blocks) if isinstance(b, Table) and b.rows[0][0].text[1:3] == "本列")
    t3tab = rep.blocks[k]
    assert isinstance(t3tab, Table)
    keep_rows = 12
    cut = Table([list(r) for r in t3tab.rows[:keep_rows]])
    cut.rows[-1] = cut.rows[-1][:4]  # label + 3 values of the last row
    rep.blocks = rep.blocks[:k] + [cut]
    layout = rep.gold["meta"]["layout"]
    rows = t3_rows(layout)
    kept: dict[str, Any] = {}
    for r_i, row in enumerate(rows):
        for c_i, col in enumerate(T3_COLS):
            key = f"{row}.{col}"
            printed = r_i < keep_rows - 4 or (r_i == keep_rows - 4 and c_i < 3)
            kept[key] = rep.gold["tables"]["t3"][key] if printed else None
    rep.gold["tables"]["t3"] = kept
    rep.gold["tables"]["t4"] = {k2: None for k2 in T4_KEYS}
    rep.gold["sections"] = ["overview", "active_disclosure", "requests"]
    body = "\n".join(b for b in rep.blocks if isinstance(b, str))
    rep.gold["claims"] = [c for c in rep.gold["claims"] if c["text"] in body]
    rep.gold["problems"], rep.gold["improvements"] = [], []
    rep.gold["meta"]["published"] = (
        rep.gold["meta"]["published"] if any(isinstance(b, str) and "发布" in b for b in rep.blocks[:4]) else None
    )
    rep.notes = [n for n in rep.notes if not n.startswith("Section 五")]
    rep.notes.append(
        f"BROKEN: file ends inside table 3, after the {rows[keep_rows - 4]} row's first three values; later t3 cells and all of t4 are null, sections 四–六 absent."
    )


def _not_reports(listing: _Listing, seed: int) -> None:
    """Inputs that are not (readable) reports (5–10): empty, binary, a news
    article, truncated docx and pdf, a pdf without a text layer."""
    bdir, add = listing.bdir, listing.add
    # 5. empty file
    (bdir / "empty.txt").write_bytes(b"")
    add("empty.txt", "empty", "error: empty input", "0 bytes")

    # 6. binary file
    (bdir / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(seed).randbytes(3000))
    add("binary.txt", "binary", "error: not text", "PNG-like header and random bytes, named .txt")

    # 7. a news article, not a report
    city = random.Random(seed + 5).choice(PHRASES["cities"])
    news = [s.format(city=city, date="2024-03-18") for s in PHRASES["news_article"]]
    write_html(news, bdir / "news_article.html", title=news[0], chrome=True, seed=seed)
    add(
        "news_article.html",
        "not_a_report",
        "not a report (no 年度报告 title, no sections, no tables)",
        "a 政务公开 news item from the same kind of site",
    )

    # 8. corrupt docx
    rep = make_report(905, seed, Spec("docx"), force_layout="2021", rid="corrupt_docx")
    data = _write_docx_bytes(rep.blocks)
    (bdir / "corrupt_docx.docx").write_bytes(data[: len(data) // 2])
    add("corrupt_docx.docx", "corrupt_docx", "error: truncated zip", "a valid report docx cut to half its bytes")

    # 9. corrupt pdf
    data = _write_pdf_bytes(rep.blocks)
    (bdir / "corrupt_pdf.pdf").write_bytes(data[: len(data) // 2])
    add(
        "corrupt_pdf.pdf",
        "corrupt_pdf",
        "error: truncated pdf",
        "a valid report pdf cut to half its bytes (no xref/trailer)",
    )

    # 10. pdf without a text layer
    _blank_pdf(bdir / "no_text.pdf")
    add(
        "no_text.pdf",
        "no_text_pdf",
        "error or empty text: page has no text layer (needs OCR)",
        "one page of grey bars drawn as vector shapes, no text objects",
    )


def _readme(entries: list[dict[str, str]]) -> str:
    """``broken/README.md``: what each file is and what a reader should do with it."""
    lines = [
        "# Broken and non-report inputs (synthetic)",
        "",
        "Generated by `python -m corpora.generate` (see `../../README.md`). Each file is",
        "listed in `manifest.tsv` with what a reader should do with it; files that are",
        "still reports have a gold record in `gold/` (same stem; `source` is `broken/<file>`).",
        "",
        "| file | kind | expected behaviour |",
        "|---|---|---|",
    ]
    for e in entries:
        lines.append(f"| `{e['file']}` | {e['kind']} | {e['expect']} |")
    lines += [
        "",
        "Gold conventions: a blank or missing cell is `null`; wrong printed totals are kept",
        "as printed and their `checks` say `fail`; the truncated report has only the",
        "sections, cells and claims that survive the cut.",
    ]
    return "\n".join(lines) + "\n"
