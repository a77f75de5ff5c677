"""``analyze(path)``: the whole pipeline over one report.

bytes → :func:`textmine.read.read` → Document → stages over one Record.
Each stage is a plain function ``stage(record, document) -> None`` that adds
its part to the record; later issues append stages (claims, checks,
problems) to :data:`STAGES`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import NotAReportError, TextmineError
from .record import Document, Note, Record

if TYPE_CHECKING:
    from .read import ReadLimits

Stage = Callable[[Record, Document], None]


def stage_script(record: Record, document: Document) -> None:
    """A text in traditional script is analysed in its simplified reading
    (same length, so every offset holds); :func:`stage_restore_script` puts
    the text as given back at the end."""
    from .script import to_simplified

    simplified = to_simplified(record.text)
    if simplified is not None:
        record.script = "traditional"
        record.text = simplified
        record.notes.append(
            Note(
                "read",
                "the text is in traditional script: read in its simplified reading (OpenCC t2s, "
                "character for character); offsets and quoted text refer to the text as given",
            )
        )


def stage_restore_script(record: Record, document: Document) -> None:
    """Quote the text as given again after a traditional-script report was
    read in its simplified reading (``meta`` stays simplified: it joins the
    corpus's other reports)."""
    if record.script != "traditional":
        return
    original = document.text
    record.text = original

    def reslice(item: dict[str, Any], key: str = "text") -> None:
        if item.get("start") is not None and item.get("end") is not None and item.get(key) is not None:
            item[key] = original[item["start"] : item["end"]]

    for s in record.sections + record.unmapped_headings:
        s.title = original[s.start : s.start + len(s.title)]
    for claim in record.claims:
        reslice(claim)
    for check in record.checks:
        reslice(check)
    for item in record.problems + record.improvements:
        reslice(item)
        for evidence in (item.get("evidence") or {}).values():
            for e in evidence:
                reslice(e, "match")


def stage_sections(record: Record, document: Document) -> None:
    from .sections import find_headings

    found = find_headings(record.text)
    record.sections, record.unmapped_headings = found.sections, found.unmapped
    record.notes.extend(found.notes)


def stage_meta(record: Record, document: Document) -> None:
    from .meta import extract_meta

    meta, notes = extract_meta(record.text, record.sections, document.hints, record.unmapped_headings)
    record.meta.update(meta)
    record.notes.extend(notes)


def stage_tables(record: Record, document: Document) -> None:
    from .tables import extract_tables

    result = extract_tables(record.text, record.sections, year=record.meta.get("year"))
    record.meta["layout"] = result.layout
    record.tables = result.tables
    record.cells_raw = result.cells_raw
    record.table_notes.extend(result.notes)
    record.recovered_cells = dict(result.recovered)
    record.table_spans = dict(result.spans)


def stage_claims(record: Record, document: Document) -> None:
    from .checks import resolve_readings
    from .claims import extract_claims
    from .tables import layout_cell_keys

    # A claim maps to any cell the layout has, read or not: a cell left
    # blank makes its text check skip with the reason, not vanish.
    cells = {
        table: dict.fromkeys(keys) | record.tables.get(table, {})
        for table, keys in layout_cell_keys(record.meta.get("layout"), record.tables).items()
    }
    record.claims = extract_claims(record.text, record.sections, record.table_spans, tables=cells)
    resolve_readings(record)


def stage_is_report(record: Record, document: Document) -> None:
    """Refuse text that is plainly not an annual report (a news article): no
    section, no table, and no opening sentence that calls it a report."""
    from .title import names_itself

    has_tables = any(record.tables[t] for t in ("t2", "t3", "t4"))
    if not record.sections and not has_tables and not names_itself(record.text):
        raise NotAReportError(
            record.source,
            "no section of an annual report (一、总体情况 … 六、其他需要报告的事项), no table 2–4, and no "
            "sentence calling it a report found; is this a 政府信息公开工作年度报告?",
        )


def stage_checks(record: Record, document: Document) -> None:
    from .checks import run_checks

    record.checks = run_checks(record)


def stage_problems(record: Record, document: Document) -> None:
    from .problems import default_classifier, extract_items

    classifier = default_classifier()
    record.problems, record.improvements = extract_items(record, classifier)
    if classifier.missing:
        record.notes.append(
            Note("problems", f"categories from the rules alone: the model is not loaded ({classifier.missing})")
        )


def stage_reading(record: Record, document: Document) -> None:
    """How well the report was read: cells, identities, sections, a verdict."""
    from .reading import assess_reading

    record.reading = assess_reading(record, document.format)


STAGES: tuple[Stage, ...] = (
    stage_script,
    stage_sections,
    stage_meta,
    stage_tables,
    stage_is_report,
    stage_claims,
    stage_checks,
    stage_problems,
    stage_restore_script,
    stage_reading,
)


def analyze_document(document: Document, stages: Sequence[Stage] = STAGES) -> Record:
    """Run ``stages`` over an already read document."""
    record = Record(source=document.source, text=document.text)
    for stage in stages:
        name = stage.__name__.removeprefix("stage_")
        try:
            stage(record, document)
        except TextmineError as exc:
            exc.stage = name
            raise
        except Exception as exc:  # a bug in a stage: say where, keep the batch going
            error = TextmineError(document.source, f"{stage.__name__} failed: {type(exc).__name__}: {exc}")
            error.stage = name
            raise error from exc
    return record


def analyze(
    path: str | os.PathLike[str], stages: Sequence[Stage] = STAGES, *, limits: ReadLimits | None = None
) -> Record:
    """Read the report at ``path`` and run the pipeline over it; ``limits``
    bound what reading the file may take (None: the defaults, see
    :class:`~textmine.read.limits.ReadLimits`).

    >>> record = analyze("report.txt")          # doctest: +SKIP
    >>> record.tables["t3"]["new_received.total"]  # doctest: +SKIP
    13
    """
    from .read import read

    return analyze_document(read(path, limits), stages)


def analyze_text(
    text: str,
    source: str | os.PathLike[str] = "<text>",
    stages: Sequence[Stage] = STAGES,
    *,
    limits: ReadLimits | None = None,
    fmt: str | None = None,
) -> Record:
    """Run the pipeline over a report held in a string (plain text or a
    page's markup, as scraped or pasted); ``source`` names it in the record
    and in errors, and its suffix says how to read it unless ``fmt``
    (``html`` or ``txt``) does (see :func:`~textmine.read.read_text`).

    >>> record = analyze_text(page_html, source="https://example.gov.cn/2023.html")  # doctest: +SKIP
    """
    from .read import read_text

    return analyze_document(read_text(text, source, limits, fmt), stages)
