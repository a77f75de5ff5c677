"""Readable terminal renderings of a record and of evaluation scores."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table

from .evaluate import Scores
from .record import SECTION_KEYS, Record


def _render(*items: object) -> str:
    buffer = io.StringIO()
    # No markup: a report's own text may hold "[/...]", which rich would parse.
    console = Console(
        file=buffer, width=140, force_terminal=False, color_system=None, markup=False, emoji=False, highlight=False
    )
    for item in items:
        console.print(item)
    return buffer.getvalue().rstrip("\n")


def format_record(record: Record) -> str:
    """A few lines per report: meta, sections, table coverage, notes."""
    meta = record.meta
    lines = [
        f"{record.source}",
        f"  title     {meta.get('title') or '—'}",
        f"  agency    {meta.get('agency') or '—'}    region {meta.get('region') or '—'}",
        f"  year      {meta.get('year') or '—'}    published {meta.get('published') or '—'}    layout {meta.get('layout') or '—'}",
    ]
    reading = record.reading or {}
    if reading:
        why = "; ".join(reading.get("reasons", [])) or _well_read(reading)
        lines.insert(1, f"  reading   {reading['verdict']} — {why}")
    found = {s.key for s in record.sections}
    marks = " ".join(f"{k}{'✓' if k in found else '✗'}" for k in SECTION_KEYS)
    lines.append(f"  sections  {marks}")
    if record.unmapped_headings:
        lines.append(f"  unmapped  {', '.join(h.title for h in record.unmapped_headings)}")
    by_table = (reading.get("cells") or {}).get("by_table", {})
    for table in ("t2", "t3", "t4"):
        cells = record.tables.get(table, {})
        numbers = sum(1 for v in cells.values() if v is not None)
        line = f"  {table}        {numbers} values, {len(cells) - numbers} printed blank"
        part = by_table.get(table)
        if part and part["expected"] > part["read"]:
            line += f", {part['expected'] - part['read']} not read (see notes)"
        lines.append(line)
    recovered = sum(record.recovered_cells.values())
    if recovered:
        lines.append(f"  recovered {recovered} cells from runs of digits without separators")
    for note in [*record.notes, *record.table_notes]:
        lines.append(f"  note [{note.table}] {note.message}")
    return "\n".join(lines)


def _well_read(reading: dict) -> str:
    found = len(reading["sections"]["found"])
    cells = reading.get("cells")
    if not cells:
        return f"free layout (no standard tables); {found} of 6 sections found"
    return f"{cells['read']} of {cells['expected']} table cells read; {found} of 6 sections found"


def format_checks(record: Record, lang: str = "en") -> str:
    """An auditor's view of one report: fails first, with evidence; in
    ``lang`` (zh: each message in Chinese, and its rule's description).
    A finding a person dismissed says who and why."""
    from .checks import load_rules, sort_findings
    from .corpus.labels import finding_words
    from .messages import in_language

    words = finding_words(lang)
    described = {r.id: r.description_zh for r in load_rules()}
    results = sort_findings(record.checks)
    statuses = ("fail", "skip", "pass", "dismissed")
    counts = {status: sum(1 for c in results if c["status"] == status) for status in statuses}
    lines = [f"{record.source}", f"  {record.meta.get('title') or '—'}", "  " + words["counts"].format(**counts)]
    for c in results:
        if c["status"] == "pass":
            continue
        scope = f":{c['scope']}" if c.get("scope") else ""
        status, severity = words.get(c["status"], c["status"]), words.get(c["severity"], c["severity"])
        head = f"  {status:4} {severity:7} {c['rule']}{scope}"
        if c["status"] in ("fail", "dismissed") and (c.get("left") is not None or c.get("right") is not None):
            head += "  " + words["values"].format(left=c.get("left"), right=c.get("right"))
        lines.append(head)
        if c.get("correction"):
            fix = c["correction"]
            who = ", ".join(v for v in (fix.get("by"), fix.get("at")) if v)
            lines.append(
                "       " + words["corrected"].format(who=who, why=f": {fix['reason']}" if fix.get("reason") else "")
            )
        if c.get("cells"):
            lines.append(f"       {words['cells']}: {', '.join(c['cells'])}")
        if c.get("text"):
            lines.append(f"       {words['text']} [{c.get('start')}:{c.get('end')}]: {c['text']}")
        if c.get("message"):
            lines.append(f"       {in_language(c['message'], lang)}")
        if lang == "zh" and described.get(c["rule"]):
            lines.append(f"       {words['rule']}：{described[c['rule']]}")
    return "\n".join(lines)


def format_problems(record: Record) -> str:
    """Section 五 as items: kind, categories, the text, and the evidence."""
    lines = [f"{record.source}", f"  {record.meta.get('title') or '—'}"]
    if not record.problems and not record.improvements:
        lines.append("  no items in section 五" + ("" if record.section("problems") else " (section not found)"))
    for kind, items in (("problem", record.problems), ("improvement", record.improvements)):
        for item in items:
            lines.append(f"  {kind:11} [{', '.join(item['categories']) or '—'}] {item['text'][:80]}")
            for category, evidence in item.get("evidence", {}).items():
                shown = []
                for e in evidence:
                    if "match" in e:
                        shown.append(f"“{e['match']}”")
                    elif "model" in e:
                        shown.append("model: " + " ".join(e["model"][:3]))
                lines.append(f"              {category}: {'; '.join(shown)}")
    return "\n".join(lines)


def _in_sample(seen: list[int] | None) -> str:
    if not seen or not seen[0]:
        return ""
    return f"  (in-sample: the model was trained on {seen[0]} of these {seen[1]} item texts)"


def format_scores(scores: Scores) -> str:
    table = Table(title="textmine eval")
    for column in (
        "file",
        "sections",
        "meta",
        "cells right",
        "blank",
        "wrong",
        "recovered",
        "claims tp/fp/fn",
        "checks",
    ):
        table.add_column(column, justify="left" if column == "file" else "right")
    for f in scores.files:
        if f.error:
            table.add_row(f.file, "error", f.error[:60], "", "", "", "", "", "")
            continue
        tp, total = f.sections_tp, f.sections_tp + f.sections_fn
        acc = f.cell_accuracy
        table.add_row(
            f.file.rsplit("/", 1)[-1],
            f"{tp}/{total}" + (f" +{f.sections_fp}" if f.sections_fp else ""),
            f"{f.meta_right}/{f.meta_total}",
            "—" if acc is None else f"{f.cells_right}/{f.cells_total} ({acc:.3f})",
            str(f.cells_blank),
            str(f.cells_wrong),
            str(f.recovered),
            f"{f.claims_tp}/{f.claims_fp}/{f.claims_fn}",
            f"{f.checks_agree}/{f.checks_total}" if f.checks_total else "—",
        )
    s = scores.summary()
    footer = (
        f"files {s['files']} (errors {s['errors']})  sections F1 {s['sections_f1']:.4f}  "
        f"meta {s['meta_accuracy']:.4f}  cells {s['cell_accuracy']:.4f}  "
        f"wrong {s['cells_wrong']}  blank {s['cells_blank']}  recovered {s['cells_recovered']}\n"
        f"claims precision {s['claims_precision']:.4f}  recall {s['claims_recall']:.4f}  "
        f"checks agreement {s['checks_agreement']:.4f} over {s['checks_compared']} gold statuses\n"
        f"numbers restating a table quantity, each changed: caught {s['numbers_caught']}/{s['numbers_changed']} "
        f"({s['numbers_caught_share']:.4f}), blank in the table {s['numbers_blank']}; "
        f"text.table fails the gold lacks {s['false_fails']}"
    )
    problems = [
        f"  {f.file.rsplit('/', 1)[-1]}: "
        + "; ".join(
            f.meta_wrong
            + f.wrong_cells[:5]
            + f.checks_disagree[:5]
            + [f"not caught: {m}" for m in f.numbers_missed[:5]]
            + [f"false fail: {m}" for m in f.false_fails[:5]]
        )
        for f in scores.files
        if f.meta_wrong or f.wrong_cells or f.checks_disagree or f.numbers_missed or f.false_fails
    ]
    modes = [
        f"section 五 {mode:9} items F1 {m['item_f1']:.3f}  labels micro-F1 {m['label_micro_f1']:.3f}  "
        f"macro-F1 {m['label_macro_f1']:.3f}  categories predicted {len(m['categories_predicted'])}"
        + _in_sample(m.get("seen_in_training"))
        for mode, m in scores.problems.items()
    ]
    return _render(table, footer, *modes, *problems)


def format_training(metrics: dict[str, Any], title: str = "section 五 classifier") -> str:
    """Grouped cross-validation and held-out figures of a trained model
    (the metrics ``textmine train`` writes beside it)."""
    lines = [
        (
            f"{title}: trained {metrics['date']} on {metrics['training']['items']} items "
            f"({metrics['training']['groups']} groups); micro-F1 / macro-F1"
        ),
    ]
    corrections = metrics.get("corrections") or {}
    blocks = [("grouped CV", metrics["cv"]), ("held out", metrics.get("held_out") or {})]
    if corrections.get("held_out_before"):
        # What the corrected items bought: the same held-out reports, without them.
        blocks[1] = (f"held out, with {corrections['items']} corrected", blocks[1][1])
        blocks.append(("held out, without", corrections["held_out_before"]))
    for name, block in blocks:
        for mode, scores in block.items():
            parts = "  ".join(
                f"{part} {scores[part]['micro_f1']:.3f}/{scores[part]['macro_f1']:.3f}"
                for part in (
                    "all",
                    "problem",
                    "improvement",
                    "real",
                    *(("annotations",) if name != "grouped CV" else ()),
                )
                if part in scores
            )
            mark = " (default)" if mode == metrics["default"] else ""
            lines.append(f"  {name:10} {mode:6}{mark:10} {parts}")
    repeats = metrics.get("cv_repeats")
    if repeats:
        spread = "  ".join(
            f"{part} {repeats[part]['micro_f1_mean']:.3f}±{repeats[part]['micro_f1_sd']:.3f}"
            for part in ("all", "problem", "improvement", "real")
            if part in repeats
        )
        seeds = ", ".join(map(str, repeats["seeds"]))
        lines.append(f"  grouped CV {metrics['default']} over fold seeds {seeds} (micro-F1 mean±sd): {spread}")
    return "\n".join(lines)
