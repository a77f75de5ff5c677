"""One report, built: its blocks (paragraphs and tables) and its gold record.

:func:`make_report` draws everything from one RNG named by the report
(sample index and seed, or a series plan) in a fixed order — agency and
year, head, table numbers, narrative numbers, body, planted disagreement —
so the same arguments always give the same report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from corpora.generate.agencies import make_agency
from corpora.generate.draft import Draft
from corpora.generate.keys import T2_KEYS, T3_COLS, T4_KEYS, layout_for, t3_rows
from corpora.generate.model import Report, Spec, Tamper, YearPlan
from corpora.generate.phrases import PHRASES
from corpora.generate.plant import PLANT_SHARE, plant_disagreement, unmark
from corpora.generate.sections import free_body, tabular_body
from corpora.generate.tables import gen_t2, gen_t3, gen_t4
from corpora.generate.text import chrome_blocks, free_vars, paren_fn
from corpora.render import Block


def make_report(
    i: int,
    seed: int,
    spec: Spec,
    *,
    force_layout: str | None = None,
    tamper: Tamper | None = None,
    rid: str | None = None,
    plan: YearPlan | None = None,
) -> Report:
    """Build one report: blocks and gold.

    ``tamper(rng, t2, t3, t4)`` may alter the generated cells before the
    tables are printed (blank cells = ``None``, wrong totals); it returns notes.
    ``plan`` (agency series) fixes the agency, year, table cells and admitted
    problems; everything else (wording, layout details) is drawn as usual
    from an RNG named by the plan.
    """
    rng = random.Random(plan.rng_name if plan else f"textmine-sample-{seed}-{i}")
    ag = plan.agency if plan else make_agency(rng)
    year, layout = _year_and_layout(rng, spec, force_layout, plan)
    rid = rid or f"syn{i:03d}_{year}"
    paren = paren_fn(rng)
    sep = rng.choice(["、"] * 6 + [".", "．", "、 "])
    d = Draft(
        rng,
        ag,
        year,
        layout,
        paren,
        sep,
        ctx={"agency": ag.name, "year": str(year)},
        notes=list(plan.notes) if plan else [],
    )
    head = _draw_head(d, spec)
    d.blocks.extend(head.blocks)

    # numbers
    if plan is not None:
        # copies: printing may blank or round cells of this report only
        t2, t3, t4 = dict(plan.t2), dict(plan.t3), dict(plan.t4)
    else:
        t2 = gen_t2(rng, ag, layout if layout != "free" else "2021")
        t3 = gen_t3(rng, ag, layout if layout != "free" else "2021")
        t4 = gen_t4(rng, ag)
    tabular = layout != "free"
    if tamper is not None:
        d.notes.extend(tamper(rng, t2, t3, t4))
    d.vars_ = free_vars(rng, ag)
    # a narrative number that disagrees with its table (real reports do this): planted at the end
    plant = tabular and rng.random() < PLANT_SHARE

    d.blocks.append(rng.choice(PHRASES["free_preambles"] if spec.free else PHRASES["preambles"]).format(**d.ctx))
    tables: dict[str, dict[str, Any]] | None
    if not spec.free:
        sections, problems, improvements = tabular_body(d, t2, t3, t4, plan)
        tables = {"t2": t2, "t3": t3, "t4": t4}
    else:
        tables = None
        sections, problems, improvements = free_body(d, t3, t4)

    if head.signature:
        d.blocks.append(ag.name)
        d.blocks.append(f"{year + 1}年{head.month}月{head.day}日")
    d.blocks.extend(head.chrome_bottom)

    planted = plant_disagreement(rng, d.claims, {"t2": t2, "t3": t3, "t4": t4}, layout, d.notes) if plant else {}
    blocks = [unmark(b, planted) if isinstance(b, str) else b for b in d.blocks]
    for c in d.claims:
        for k in ("_id", "_before", "_after", "_unit"):
            c.pop(k, None)

    gold = _gold_record(rid, d, head, sections, tables)
    gold["problems"] = problems
    gold["improvements"] = improvements
    gold["notes"] = ""
    return Report(rid, spec, blocks, gold, head.title, rng.randrange(1 << 30), d.notes)


def _year_and_layout(
    rng: random.Random, spec: Spec, force_layout: str | None, plan: YearPlan | None
) -> tuple[int, str]:
    """The report's year and table layout: the plan's, a pre-2019 year for a
    free-layout spec, else a year of the forced layout or of 2019–2025."""
    if plan is not None:
        return plan.year, layout_for(plan.year)
    if spec.free:
        return rng.randint(2010, 2018), "free"
    year = (
        rng.randint(2019, 2025)
        if force_layout is None
        else (rng.randint(2019, 2020) if force_layout == "2019" else rng.randint(2021, 2025))
    )
    return year, "2019" if year <= 2020 else "2021"


@dataclass
class Head:
    """What the report's head decided: the blocks before the preamble, the
    publication date, and what closes the report (signature, page chrome)."""

    blocks: list[Block]
    title: str
    published: str  # yyyy-mm-dd
    pub_known: bool  # the document prints the date (gold ``published``, else null)
    month: int
    day: int
    signature: bool  # agency and date signed at the end
    chrome_bottom: list[str]


def _draw_head(d: Draft, spec: Spec) -> Head:
    """Publication date, title and page chrome; with ``spec.plain_head``
    drawn as usual (so the RNG runs alike), then dropped: the forms add their own."""
    rng, ag, year = d.rng, d.agency, d.year
    # publication date
    month = 1 if rng.random() < 0.8 else rng.choice([2, 3])
    day = rng.randint(5, 31) if month == 1 else rng.randint(1, 28)
    published = f"{year + 1}-{month:02d}-{day:02d}"
    time_s = f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"

    du = "年度" if rng.random() < 0.4 else "年"
    title = f"{ag.name}{year}{du}政府信息公开工作年度报告"
    if spec.free and rng.random() < 0.3:
        title = f"{ag.name}{year}年政府信息公开年度报告"

    use_chrome = spec.chrome or rng.random() < 0.3
    chrome_top, chrome_bottom = chrome_blocks(rng, ag, published, time_s) if use_chrome else ([], [])
    signature = (not use_chrome) and rng.random() < 0.5
    pub_known = use_chrome or signature
    if spec.plain_head:
        chrome_top, chrome_bottom, pub_known = [], [], signature

    blocks: list[Block] = []
    if chrome_top:
        if rng.random() < 0.5:
            blocks.extend(chrome_top)
            blocks.append(title)
        else:
            blocks.append(chrome_top[0])
            blocks.append(title)
            blocks.append(chrome_top[1])
    else:
        blocks.append(title)
    return Head(blocks, title, published, pub_known, month, day, signature, chrome_bottom)


def _gold_record(
    rid: str, d: Draft, head: Head, sections: list[str], tables: dict[str, dict[str, Any]] | None
) -> dict[str, Any]:
    """The gold record up to its claims (keys in the order the files print them)."""
    gold: dict[str, Any] = {
        "id": rid,
        "source": "",
        "synthetic": True,
        "meta": {
            "title": head.title,
            "agency": d.agency.name,
            "region": d.agency.region,
            "year": d.year,
            "published": head.published if head.pub_known else None,
            "layout": d.layout,
        },
        "sections": sections,
    }
    if tables is not None:
        layout = d.layout
        gold["tables"] = {
            "t2": {k: tables["t2"][k] for k in T2_KEYS[layout]},
            "t3": {k: tables["t3"][k] for k in (f"{r}.{c}" for r in t3_rows(layout) for c in T3_COLS)},
            "t4": {k: tables["t4"][k] for k in T4_KEYS},
        }
    gold["claims"] = d.claims
    return gold
