"""A forms report built and written, and the forms corpus."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpora import conditions
from corpora.forms.body import (
    HEADING_RE,
    arabic_subheadings,
    filler_column,
    inject,
    old_headings,
    rework_headings,
    runin_subheadings,
    spacer_table,
)
from corpora.forms.catalogue import FORMS, plan_forms
from corpora.forms.head import build_head, symbol_agency
from corpora.generate import (
    EXT,
    Report,
    Spec,
    dump_json,
    encodable,
    finish_gold,
    make_report,
    write_manifest,
)
from corpora.render import (
    Block,
    Table,
    write_docx,
    write_html,
    write_pdf,
    write_txt,
)


def _fmt_for(forms: tuple[str, ...], rng: random.Random) -> str:
    fmts = set(FORMS[forms[0]].formats)
    for name in forms[1:]:
        fmts &= set(FORMS[name].formats)
    return rng.choice(sorted(fmts))


def _spec_for(forms: tuple[str, ...], fmt: str, rng: random.Random) -> tuple[Spec, str | None]:
    """The sample generator's spec and forced layout for these forms."""
    s = set(forms)
    layout = "2019" if "table_2019" in s else None
    if "headings_old" in s:
        return Spec(
            fmt, rng.choice(["pipe", "cell_per_line"]) if fmt == "txt" else "", free=True, plain_head=True
        ), None
    flattening = ""
    encoding = "utf-8"
    if fmt == "txt":
        if "table_pipe" in s:
            flattening = rng.choice(["pipe", "pipe_open"])
        elif "table_cell_lines" in s:
            flattening = rng.choice(["cell_pipe", "cell_bars", "cell_per_line"])
        elif "table_empty_columns" in s:
            flattening = "cell_pipe"
        elif "table_split_header" in s:
            flattening = "split_headers"
        elif "table_page_break" in s:
            flattening = "cell_per_line"
        elif "table_tabs_gbk" in s:
            flattening, encoding = "tabs", "gbk"
        elif "table_spacer" in s:
            flattening = "pipe"
        else:
            flattening = rng.choice(["pipe", "cell_per_line", "cell_pipe", "pipe_open"])
    return Spec(fmt, flattening, encoding, plain_head=True), layout


def _tamper_for(forms: tuple[str, ...]) -> Callable[..., list[str]] | None:
    s = set(forms)
    if "table_empty_columns" in s:

        def empty_columns(rng: random.Random, t2: dict, t3: dict, t4: dict) -> list[str]:
            for key in list(t3):
                row, col = key.rsplit(".", 1)
                if col in ("business", "research", "nonprofit", "legal_service", "other_org"):
                    t3[key] = None
            for key in list(t3):
                row, col = key.rsplit(".", 1)
                if col == "total":
                    t3[key] = t3[f"{row}.natural_person"]
            return [
                "Table 3: the five organisation columns are printed empty in every row (null in gold); "
                "总计 equals 自然人."
            ]

        return empty_columns
    if "table_tabs_gbk" in s:

        def some_blanks(rng: random.Random, t2: dict, t3: dict, t4: dict) -> list[str]:
            keys = sorted(k for k in t3 if k.rsplit(".", 1)[1] in ("research", "nonprofit", "legal_service"))
            blanked = rng.sample(keys, 12)
            for k in blanked:
                t3[k] = None
            return [
                f"Table 3: {len(blanked)} organisation cells printed blank (null in gold): "
                + ", ".join(sorted(blanked))
                + "."
            ]

        return some_blanks
    return None


def make_forms_report(i: int, seed: int, forms: tuple[str, ...]) -> tuple[Report, dict[str, Any]]:
    """One report carrying ``forms``: the report (blocks, gold) and how to write it."""
    rng = random.Random(f"textmine-forms-{seed}-{i}")
    fmt = _fmt_for(forms, rng)
    spec, layout = _spec_for(forms, fmt, rng)
    rep = make_report(i, seed * 1000 + 17, spec, force_layout=layout, tamper=_tamper_for(forms), rid=f"form{i:03d}")
    rep.id = f"form{i:03d}_{rep.gold['meta']['year']}"
    rep.gold["id"] = rep.id
    s = set(forms)
    gold = rep.gold
    meta = gold["meta"]
    agency, year = meta["agency"], meta["year"]
    published = f"{year + 1}-01-{rng.randint(5, 28):02d}" if meta["published"] is None else meta["published"]
    old_agency = agency
    if "title_symbols" in s:
        new = symbol_agency(agency, rng)
        rep.blocks = [b.replace(agency, new) if isinstance(b, str) else b for b in rep.blocks]
        for c in gold.get("claims", []):
            c["text"] = c["text"].replace(agency, new)
        agency = new
        meta["agency"] = new
    head, title, dated = build_head(s, rep, old_agency, agency, year, published, rng)
    body = rep.blocks[2:]
    opening = head.opening or (rep.blocks[1] if isinstance(rep.blocks[1], str) else "")
    sections = list(gold["sections"])
    if "headings_old" in s:
        body, sections = old_headings(body, rng)
    elif {"headings_reworded", "headings_numbering"} & s:
        body = rework_headings(body, sections, s, rng)
    if "subheadings_arabic" in s:
        body = arabic_subheadings(body)
    if "subheadings_runin" in s:
        body = runin_subheadings(body)
    if "table_spacer" in s:
        body = [
            spacer_table(b, rng) if isinstance(b, Table) and b.rows and b.rows[0][0].text.startswith("第二十条") else b
            for b in body
        ]
        body = [
            filler_column(b) if isinstance(b, Table) and b.rows and "勾稽" in b.rows[0][0].text else b for b in body
        ]
    if "injected_words" in s:
        items = [it["text"][:20] for kind in ("problems", "improvements") for it in gold.get(kind, [])]
        body = [
            inject(b, rng)
            if isinstance(b, str) and len(b) > 60 and not HEADING_RE.match(b) and not any(t in b for t in items)
            else b
            for b in body
        ]
    blocks: list[Block] = [*head.before, *head.title_lines, *head.after]
    if opening:
        blocks.append(opening)
    blocks += body
    rep.blocks = blocks
    meta["title"] = title
    meta["published"] = published if (dated or meta["published"] is not None) else None
    gold["sections"] = sections
    if "headings_old" in s:
        meta["layout"] = "free"
    rep.title = title or ""
    rep.notes.insert(0, "Forms: " + ", ".join(forms) + " (corpora/forms.md).")
    how = {
        "fmt": fmt,
        "flattening": spec.flattening,
        "encoding": spec.encoding,
        "forms": forms,
        "page_title": None if title else f"{agency}门户网站",
        "seed": rng.randrange(1 << 30),
    }
    if "traditional" in s:
        conditions.traditional_gold(gold)
    return rep, how


def write_forms_report(rep: Report, how: dict[str, Any], reports_dir: Path) -> str:
    """Write the report as its forms say; return the file name."""
    forms = set(how["forms"])
    rng = random.Random(how["seed"])
    claims = [c["text"] for c in rep.gold.get("claims", [])]

    def post(text: str) -> str:
        if "table_page_break" in forms:
            text = conditions.page_breaks(text, rng, header=rep.title if rng.random() < 0.6 else "")
        if "pdf_line_breaks" in forms:
            text = conditions.hard_breaks(text, claims, rng)
        if "indent_spaces" in forms:
            text = conditions.indent(text, rng)
        if "garbled_marks" in forms:
            text = conditions.garble(text)
        if "traditional" in forms:
            text = conditions.to_traditional(text)
        if "pinyin_glosses" in forms:
            text = conditions.glosses(text, rng)
        return text

    fmt = how["fmt"]
    fname = f"{rep.id}.{EXT[fmt]}"
    path = reports_dir / fname
    blocks = encodable(rep.blocks, how["encoding"])
    if fmt == "txt":
        write_txt(blocks, path, flattening=how["flattening"], encoding=how["encoding"], seed=rep.render_seed, post=post)
    elif fmt == "html":
        write_html(
            blocks,
            path,
            encoding=how["encoding"],
            title=rep.title or None,
            chrome=False,
            page_title=how["page_title"],
            seed=rep.render_seed,
            post=post,
        )
    elif fmt == "docx":
        write_docx(blocks, path)
    else:
        frames = "pdf_frames" in forms
        write_pdf(
            blocks,
            path,
            frames=frames,
            page_numbers=frames,
            running_header=rep.title if frames and rng.random() < 0.5 else "",
            split_rows=frames,
        )
    return fname


# ------------------------------------------------------------------ corpus
def generate_forms(out_dir: str | Path, n: int = 180, seed: int = 13) -> list[dict[str, Any]]:
    """Write ``n`` reports covering every form into ``out_dir``; return the manifest rows."""
    out = Path(out_dir)
    for sub in ("reports", "gold"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
        (out / sub).mkdir(parents=True)
    rows = []
    for i, forms in enumerate(plan_forms(n, seed)):
        rep, how = make_forms_report(i, seed, forms)
        fname = write_forms_report(rep, how, out / "reports")
        gold = finish_gold(rep, fname)
        gold["forms"] = list(forms)
        dump_json(gold, out / "gold" / f"{rep.id}.json")
        rows.append(
            {
                "id": rep.id,
                "file": f"reports/{fname}",
                "format": how["fmt"],
                "layout": gold["meta"]["layout"],
                "forms": ",".join(forms),
            }
        )
    write_manifest(out / "manifest.tsv", rows, ("id", "file", "format", "layout", "forms"))
    return rows
