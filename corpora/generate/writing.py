"""Writing a built report, its gold and manifests to files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpora.generate.model import Report
from corpora.render import Block, write_docx, write_html, write_pdf, write_txt

EXT = {"txt": "txt", "html": "html", "docx": "docx", "pdf": "pdf"}


# Page-chrome characters a GBK page cannot hold, as GBK sites write them.
GBK_STAND_INS = {"»": ">"}


def encodable(blocks: list[Block], encoding: str) -> list[Block]:
    """``blocks`` with the paragraphs ``encoding`` cannot hold patched by
    GBK_STAND_INS (the breadcrumb ``首页 » …`` would crash a GBK write).
    Paragraphs that encode are left alone, so existing output is unchanged."""
    if encoding.lower() in ("utf-8", "utf8"):
        return blocks
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, str):
            try:
                b.encode(encoding)
            except UnicodeEncodeError:
                for ch, stand_in in GBK_STAND_INS.items():
                    b = b.replace(ch, stand_in)
        out.append(b)
    return out


def write_report(rep: Report, reports_dir: Path) -> str:
    """Write ``rep`` into ``reports_dir`` as its spec says; return the file name."""
    sp = rep.spec
    fname = f"{rep.id}.{EXT[sp.fmt]}"
    path = reports_dir / fname
    if sp.fmt == "txt":
        write_txt(
            encodable(rep.blocks, sp.encoding),
            path,
            flattening=sp.flattening,
            encoding=sp.encoding,
            seed=rep.render_seed,
        )
    elif sp.fmt == "html":
        write_html(
            encodable(rep.blocks, sp.encoding),
            path,
            encoding=sp.encoding,
            title=rep.title,
            chrome=sp.chrome,
            split_digits=sp.split_digits,
            seed=rep.render_seed,
        )
    elif sp.fmt == "docx":
        write_docx(rep.blocks, path)
    else:
        write_pdf(rep.blocks, path)
    return fname


def dump_json(obj: Any, path: Path) -> None:
    """``obj`` as the gold files print it: UTF-8, Chinese unescaped, indent 1."""
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_manifest(path: Path, rows: list[dict[str, Any]], columns: Sequence[str]) -> None:
    """``rows`` as a tab-separated file with a header line of ``columns``."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("\t".join(columns) + "\n")
        for r in rows:
            f.write("\t".join(str(r[c]) for c in columns) + "\n")
