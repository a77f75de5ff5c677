"""The body of a report, section by section: the six sections of the 2019
and 2021 layouts with tables 2–4, or the free layout's seven (pre-2019, no
tables).

Each writer appends to the shared :class:`~corpora.generate.draft.Draft`
and draws from its RNG; they run in the order the sections are printed, and
that order is part of the output.
"""

from __future__ import annotations

from typing import Any

from corpora.generate.draft import Draft
from corpora.generate.model import YearPlan
from corpora.generate.phrases import CN_NUM, PHRASES
from corpora.generate.restate import t2_paragraph, t2_vars, t3_paragraph, t4_paragraph, t34_vars
from corpora.generate.tables import build_t2, build_t3, build_t4, cell_display
from corpora.generate.text import heading, problems_section

Items = list[dict[str, Any]]


def tabular_body(
    d: Draft, t2: dict[str, Any], t3: dict[str, Any], t4: dict[str, Any], plan: YearPlan | None
) -> tuple[list[str], Items, Items]:
    """Sections 一–六 with tables 2–4; returns the gold sections, problems and
    improvements.  May blank or round cells of ``t2`` as printed (the gold is
    what the table prints)."""
    st = PHRASES["section_titles"]
    t2_disp = _printed_t2(d, t2)
    d.vars_.update(t34_vars(d.rng, t3, t4, True))
    d.vars_.update(t2_vars(t2, t2_disp, d.layout, True))
    sections = ["overview"]
    _overview(d, st)
    # Between two tables a remark is short (two numbers at most): a PDF
    # line holding three numbers under a table that a page break ends is
    # read as a row the break cut (textmine.read.pdf._mend_split_rows).
    sections.append("active_disclosure")
    _t2_section(d, st, t2_disp)
    sections.append("requests")
    _t3_section(d, st, t3)
    sections.append("review_litigation")
    _t4_section(d, st, t4)
    # 五
    sections.append("problems")
    d.blocks.append(heading(5, d.sep, d.rng.choice(st["problems"])))
    paras, problems, improvements, note = problems_section(
        d.rng, d.agency.name, d.paren, plan.problems if plan else None
    )
    d.blocks.extend(paras)
    d.notes.append(note)
    sections.append("other")
    _other_section(d, st)
    return sections, problems, improvements


def _printed_t2(d: Draft, t2: dict[str, Any]) -> dict[str, str]:
    """Table 2's cells as they will be printed: the narrative restates what
    the table prints.  Fees may be printed to the fen, procurement in 元, a
    town's 规章 row blank or '/'."""
    rng, layout = d.rng, d.layout
    t2_disp = cell_display(rng, t2, set())
    if layout == "2021" and isinstance(t2["fees.amount"], float) and rng.random() < 0.3:
        t2_disp["fees.amount"] = f"{t2['fees.amount']:.2f}"
        # The gold is what the table prints, not the unrounded draw.
        t2["fees.amount"] = float(t2_disp["fees.amount"])
    if layout == "2019" and t2["procurement.amount"] and rng.random() < 0.5:
        yuan = round(t2["procurement.amount"] * 10000, 2)
        t2_disp["procurement.amount"] = f"{yuan:.2f}元"
        d.notes.append(f"procurement.amount printed in 元 ({t2_disp['procurement.amount']}); gold converted to 万元.")
    # an agency without some duties prints '/' in those cells (null in gold)
    if d.agency.level == "town" and rng.random() < 0.5:
        for k in (
            ("regulations.issued", "regulations.repealed", "regulations.in_force")
            if layout == "2021"
            else ("regulations.made", "regulations.published", "regulations.public_total")
        ):
            t2[k] = None
            t2_disp[k] = rng.choice(["/", "—", ""])
        d.notes.append("Table 2 规章 row printed blank or '/' (the agency makes no 规章): null in gold.")
    return t2_disp


def _overview(d: Draft, st: dict[str, list[str]]) -> None:
    """一 overview: its 主动公开 and 依申请公开 parts may restate the tables at length."""
    rng, vars_, ctx = d.rng, d.vars_, d.ctx
    d.blocks.append(heading(1, d.sep, rng.choice(st["overview"])))
    d.blocks.append(rng.choice(PHRASES["overview_intros"]).format(**ctx))
    mode = rng.choice(["heading", "inline", "inline", "none"])
    subs = PHRASES["overview_subsections"] if rng.random() < 0.75 else PHRASES["overview_subsections_alt"]
    groups = ["active", "requests", "management", "platform", "supervision"]
    restated = {
        "active": t2_paragraph(rng, d.layout, vars_, ctx, opener=False) if rng.random() < 0.6 else None,
        "requests": "".join(
            filter(
                None,
                [
                    t3_paragraph(rng, vars_, ctx, opener=False, intake=False) if rng.random() < 0.7 else None,
                    t4_paragraph(rng, vars_, ctx, opener=False) if rng.random() < 0.5 else None,
                ],
            )
        ),
    }
    if mode == "none":
        for g in ("active", "requests"):
            d.blocks.append(d.say(rng.choice(d.bank(g)) + (restated[g] or "")))
        return
    for j, g in enumerate(groups):
        sents = rng.sample(d.bank(g), min(len(d.bank(g)), rng.randint(1, 2)))
        body = "".join(d.say(x) for x in sents) + (d.say(restated[g]) if restated.get(g) else "")
        if mode == "heading":
            d.blocks.append(f"{d.paren(CN_NUM[j])}{subs[j]}")
            d.blocks.append(body)
        else:
            d.blocks.append(f"{d.paren(CN_NUM[j])}{subs[j]}。{body}")


def _t2_section(d: Draft, st: dict[str, list[str]], t2_disp: dict[str, str]) -> None:
    """二 table 2, and perhaps a remark restating at most two of its numbers."""
    rng = d.rng
    d.blocks.append(heading(2, d.sep, rng.choice(st["active_disclosure"])))
    intro = rng.choice(PHRASES["t2_intros"])
    if intro:
        d.blocks.append(intro)
    d.blocks.append(build_t2(d.layout, t2_disp, d.paren))
    para = t2_paragraph(rng, d.layout, d.vars_, d.ctx, max_numbers=2) if rng.random() < 0.4 else None
    if para:
        d.blocks.append(d.say(para))


def _t3_section(d: Draft, st: dict[str, list[str]], t3: dict[str, Any]) -> None:
    """三 table 3, and perhaps a remark restating at most two of its numbers."""
    rng = d.rng
    d.blocks.append(heading(3, d.sep, rng.choice(st["requests"])))
    intro = rng.choice(PHRASES["t3_intros"])
    if intro:
        d.blocks.append(intro)
    t3_disp = cell_display(rng, t3, set())
    d.blocks.append(build_t3(d.layout, t3_disp, d.paren))
    para = t3_paragraph(rng, d.vars_, d.ctx, max_numbers=2) if rng.random() < 0.5 else None
    if para:
        d.blocks.append(d.say(para))


def _t4_section(d: Draft, st: dict[str, list[str]], t4: dict[str, Any]) -> None:
    """四 table 4: after it no 审结 or 总计 (table 4's header ends with the last of them)."""
    rng = d.rng
    d.blocks.append(heading(4, d.sep, rng.choice(st["review_litigation"])))
    intro = rng.choice(PHRASES["t4_intros"])
    if intro:
        d.blocks.append(intro)
    t4_disp = cell_display(rng, t4, set())
    d.blocks.append(build_t4(t4_disp))
    roll = rng.random()
    none = t4["review.total"] == 0 and t4["suit_direct.total"] == 0 and t4["suit_after_review.total"] == 0
    if none and roll < 0.4:
        d.blocks.append(rng.choice(PHRASES["t4_none"]))
    elif roll < (0.7 if none else 0.75):
        para = t4_paragraph(rng, d.vars_, d.ctx, after_table=True)
        if para:
            d.blocks.append(d.say(para))


def _other_section(d: Draft, st: dict[str, list[str]]) -> None:
    """六 other matters: none, no fees charged, or fees charged."""
    rng, ctx = d.rng, d.ctx
    d.blocks.append(heading(6, d.sep, rng.choice(st["other"])))
    roll = rng.random()
    if roll < 0.45:
        d.blocks.append(rng.choice(PHRASES["other_none"]))
    elif roll < 0.8:
        d.blocks.append(rng.choice(PHRASES["other_fee_none"]).format(**ctx))
    else:
        d.blocks.append(d.say(PHRASES["other_fee_some"][0]))
    if rng.random() < 0.2:
        d.blocks.append(rng.choice(PHRASES["other_extra"]).format(**ctx))


def free_body(d: Draft, t3: dict[str, Any], t4: dict[str, Any]) -> tuple[list[str], Items, Items]:
    """The free layout's seven sections (pre-2019): numbers stated in the
    text only; returns the gold sections, problems and improvements."""
    rng, ctx = d.rng, d.ctx
    problems: Items = []
    improvements: Items = []
    # numbers a report without tables states (no cell)
    d.vars_.update(t34_vars(rng, t3, t4, d.layout != "free"))
    num = 0
    seen: list[str] = []
    for key, titles in PHRASES["free_section_titles"]:
        num += 1
        d.blocks.append(heading(num, d.sep, rng.choice(titles)))
        if key not in seen:
            seen.append(key)
        if num == 1:
            d.blocks.append(rng.choice(PHRASES["overview_intros"]).format(**ctx))
            d.blocks.append(d.say(rng.choice(PHRASES["overview_claims"]["supervision"][:2])))
        elif key == "active_disclosure":
            d.blocks.append(d.say(rng.choice(PHRASES["overview_claims"]["active"])))
            d.blocks.append(d.say(rng.choice(PHRASES["overview_claims"]["platform"])))
        elif key == "requests":
            d.blocks.append(d.say(rng.choice(d.bank("requests"))))
        elif num == 4:
            d.blocks.append(rng.choice(PHRASES["other_fee_none"]).format(**ctx))
        elif key == "review_litigation":
            d.blocks.append(
                rng.choice(PHRASES["t4_none"]) if t4["review.total"] == 0 else d.say(PHRASES["free_review_claim"])
            )
        elif key == "problems":
            paras, problems, improvements, note = problems_section(rng, d.agency.name, d.paren)
            d.blocks.extend(paras)
            d.notes.append(note)
        else:
            d.blocks.append(rng.choice(PHRASES["other_none"]))
    order = ["overview", "active_disclosure", "requests", "review_litigation", "problems", "other"]
    sections = [k for k in order if k in seen]
    d.notes.append("Free layout (pre-2019): seven sections, no standard tables; 四 (收费) and 七 both map to 'other'.")
    return sections, problems, improvements
