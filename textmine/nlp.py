"""textmine's claims as a spaCy component: ``nlp.add_pipe("textmine_claims")``.

spaCy is imported here only, and only when :func:`make_nlp` or
:func:`register` runs; the plain-Python :func:`textmine.claims.extract_claims`
does the work.  The component puts one span per claim in
``doc.spans["claims"]`` (label: the claim's kind) with the claim's fields as
extension attributes: ``span._.value``, ``._.unit``, ``._.kind``,
``._.approx``, ``._.cell``, ``._.expr``, ``._.readings``, ``._.subject``, ``._.section``, and
``._.claim_text``/``._.claim_start``/``._.claim_end`` (the claim's exact
characters: a span covers whole tokens, so ``span.text`` may be longer).

>>> nlp = make_nlp()                       # doctest: +SKIP
>>> nlp.add_pipe("textmine_claims")        # doctest: +SKIP
>>> doc = nlp("全年主动公开政府信息2.8万条。")  # doctest: +SKIP
>>> [s._.value for s in doc.spans["claims"]]   # doctest: +SKIP
[28000]

Sections and table spans: put ``{"sections": [...], "table_spans": {...},
"tables": {...}}`` (from a :class:`~textmine.record.Record`) in
``doc.user_data["textmine"]``; without it the component finds them itself
with the pipeline's section and table stages (``analyze_text=True``, the
default) or treats the whole text as narrative (``analyze_text=False``).
"""

from __future__ import annotations

from typing import Any

SPANS_KEY = "claims"
# Claim fields stored under their own name; text/start/end clash with Span's own.
_FIELDS = ("section", "subject", "value", "unit", "kind", "approx", "cell", "expr", "readings")
_RENAMED = {"text": "claim_text", "start": "claim_start", "end": "claim_end"}


class ClaimsComponent:
    """Adds ``doc.spans[spans_key]``: one span per claim of the doc's text."""

    def __init__(self, nlp: Any, name: str, *, spans_key: str = SPANS_KEY, analyze_text: bool = True) -> None:
        if not isinstance(spans_key, str) or not spans_key:
            raise ValueError(f"textmine_claims: spans_key must be a non-empty string, got {spans_key!r}")
        self.name = name
        self.spans_key = spans_key
        self.analyze_text = analyze_text

    def _context(self, doc: Any) -> dict[str, Any]:
        given = doc.user_data.get("textmine")
        if given is not None:
            return given
        if not self.analyze_text:
            return {"sections": [], "table_spans": {}, "tables": None}
        from textmine.pipeline import (
            analyze_document,
            stage_claims,
            stage_meta,
            stage_sections,
            stage_tables,
        )
        from textmine.record import Document

        # The pipeline's own claims stage: an ambiguous claim's cell is the
        # reading its table bears out, as in textmine.analyze.
        record = analyze_document(
            Document(source="<spacy doc>", text=doc.text, format="txt"),
            stages=(stage_sections, stage_meta, stage_tables, stage_claims),
        )
        return {
            "sections": record.sections,
            "table_spans": record.table_spans,
            "tables": record.tables,
            "claims": record.claims,
        }

    def __call__(self, doc: Any) -> Any:
        from textmine.claims import extract_claims

        ctx = self._context(doc)
        claims = ctx.get("claims")
        if claims is None:
            claims = extract_claims(
                doc.text, ctx.get("sections", []), ctx.get("table_spans", {}), tables=ctx.get("tables")
            )
        spans = []
        for claim in claims:
            span = doc.char_span(claim["start"], claim["end"], label=claim["kind"], alignment_mode="expand")
            if span is None:  # only when the claim lies in whitespace the tokenizer dropped
                continue
            for field in _FIELDS:
                setattr(span._, field, claim[field])
            for field, attr in _RENAMED.items():
                setattr(span._, attr, claim[field])
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


class ProblemsComponent:
    """Adds ``doc.spans["problems"]`` and ``doc.spans["improvements"]``: one
    span per section-五 item, labelled with its first category; all of them
    in ``span._.categories`` and the evidence in ``span._.evidence``."""

    def __init__(self, nlp: Any, name: str) -> None:
        self.name = name

    def __call__(self, doc: Any) -> Any:
        from textmine.pipeline import analyze_document, stage_sections
        from textmine.problems import default_classifier, extract_items
        from textmine.record import Document

        record = analyze_document(Document(source="<spacy doc>", text=doc.text, format="txt"), stages=(stage_sections,))
        problems, improvements = extract_items(record, default_classifier())
        for key, items in (("problems", problems), ("improvements", improvements)):
            spans = []
            for item in items:
                label = item["categories"][0] if item["categories"] else "unlabelled"
                span = doc.char_span(item["start"], item["end"], label=label, alignment_mode="expand")
                if span is None:
                    continue
                span._.categories = list(item["categories"])
                span._.evidence = item["evidence"]
                spans.append(span)
            doc.spans[key] = spans
        return doc


def make_problems_component(nlp: Any, name: str) -> ProblemsComponent:
    """The ``textmine_problems`` factory."""
    return ProblemsComponent(nlp, name)


def register() -> None:
    """Register the ``textmine_claims`` factory and the span extensions (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Span

    for attr in (*_FIELDS, *_RENAMED.values(), "categories", "evidence"):
        if not Span.has_extension(attr):
            Span.set_extension(attr, default=None)
    if "textmine_problems" not in Language._factory_meta:
        Language.factory("textmine_problems", func=make_problems_component)
    # Not Language.has_factory: it consults the spacy_factories entry point,
    # which imports this very module while it registers.
    if "textmine_claims" not in Language._factory_meta:
        Language.factory(
            "textmine_claims",
            default_config={"spans_key": SPANS_KEY, "analyze_text": True},
            func=make_claims_component,
        )


def make_claims_component(
    nlp: Any, name: str, spans_key: str = SPANS_KEY, analyze_text: bool = True
) -> ClaimsComponent:
    """The ``textmine_claims`` factory: options are checked here, once."""
    if not isinstance(analyze_text, bool):
        raise ValueError(f"textmine_claims: analyze_text must be true or false, got {analyze_text!r}")
    return ClaimsComponent(nlp, name, spans_key=spans_key, analyze_text=analyze_text)


def make_nlp() -> Any:
    """A blank Chinese pipeline segmented by jieba, ready for ``add_pipe("textmine_claims")``.

    Nothing is downloaded: ``spacy.blank("zh")`` with the jieba segmenter
    (spaCy's ``spacy.zh.ChineseTokenizer``, ``segmenter = "jieba"``).
    """
    import spacy

    register()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


# spaCy finds ``textmine_claims`` through the ``spacy_factories`` entry point,
# which imports this module: registering here makes plain
# ``spacy.blank("zh").add_pipe("textmine_claims")`` work.  Only this module
# imports spaCy; ``import textmine`` never does.
register()
