"""The sample corpus (``corpora/sample``): ``n`` reports in a fixed rotation
of formats and flattenings, their gold, a manifest and the broken set."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from corpora.generate.broken import write_broken
from corpora.generate.gold import finish_gold
from corpora.generate.model import Report, Spec
from corpora.generate.report import make_report
from corpora.generate.writing import dump_json, write_manifest, write_report

PATTERN: list[Spec] = [
    Spec("txt", "cell_per_line"),
    Spec("html", chrome=True),
    Spec("docx"),
    Spec("pdf"),
    Spec("txt", "pipe"),
    Spec("html", encoding="gbk", chrome=True, split_digits=True),
    Spec("txt", "run_together"),
    Spec("txt", "tabs"),
    Spec("docx"),
    Spec("pdf"),
    Spec("txt", "tabs", encoding="gbk"),
    Spec("html"),
    Spec("txt", "split_headers"),
    Spec("html", chrome=True, split_digits=True),
    Spec("pdf"),
    Spec("txt", "cell_per_line", encoding="gbk"),
    Spec("docx"),
    Spec("txt", "pipe"),
    Spec("html", encoding="gbk"),
    Spec("txt", "run_together"),
    Spec("pdf"),
    Spec("html", chrome=True),
    Spec("txt", "spaces"),
    Spec("docx", free=True),
    Spec("txt", "split_headers", encoding="gbk"),
    Spec("html", split_digits=True),
    Spec("pdf"),
    Spec("txt", "run_together", free=True),
    Spec("docx"),
    Spec("html", chrome=True, free=True),
]


def generate(out_dir: str | Path, n: int = 30, seed: int = 7, broken: bool = True) -> list[dict[str, Any]]:
    """Write ``n`` synthetic reports (and the broken set) into ``out_dir``.

    Returns the manifest rows.
    """
    out = Path(out_dir)
    for sub in ("reports", "gold", "broken"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for i in range(n):
        spec = PATTERN[i % len(PATTERN)]
        rep = make_report(i, seed, spec)
        fname = write_report(rep, out / "reports")
        gold = finish_gold(rep, fname)
        dump_json(gold, out / "gold" / f"{rep.id}.json")
        rows.append(manifest_row(spec, rep, fname, gold, manifest_note(spec, rep)))
    write_manifest(out / "manifest.tsv", rows, ("id", "file", "format", "layout", "flattening", "encoding", "notes"))
    if broken:
        write_broken(out / "broken", seed)
    return rows


def manifest_row(spec: Spec, rep: Report, fname: str, gold: dict[str, Any], notes: str, **more: Any) -> dict[str, Any]:
    """One manifest line of a written report; ``more`` columns (a series' own) come before the notes."""
    return {
        "id": rep.id,
        "file": f"reports/{fname}",
        "format": spec.fmt,
        "layout": gold["meta"]["layout"],
        "flattening": spec.flattening or "-",
        "encoding": spec.encoding if spec.fmt in ("txt", "html") else "-",
        **more,
        "notes": notes,
    }


def manifest_note(spec: Spec, rep: Report) -> str:
    """The manifest's notes column: the agency and what is odd about the file."""
    bits = [rep.gold["meta"]["agency"]]
    if spec.chrome:
        bits.append("page chrome")
    if spec.split_digits:
        bits.append("split digits")
    if spec.free:
        bits.append("free layout, no tables")
    if any("Narrative states" in n for n in rep.notes):
        bits.append("narrative disagrees with a table")
    if any("元 (" in n for n in rep.notes):
        bits.append("procurement in 元")
    return "; ".join(bits)
