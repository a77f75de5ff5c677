"""The spaCy component textmine_claims (textmine/nlp.py)."""

from __future__ import annotations

import sys

import pytest

from conftest import real_reports, shared_path
from textmine.claims import extract_claims

spacy = pytest.importorskip("spacy")
pytest.importorskip("jieba")


def test_importing_textmine_does_not_import_spacy():
    import subprocess

    # textmine.nlp is the spaCy module (it registers the factory on import);
    # the library itself never loads spaCy.
    code = "import sys, textmine, textmine.claims, textmine.pipeline, textmine.checks; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def nlp():
    from textmine.nlp import make_nlp

    nlp = make_nlp()
    nlp.add_pipe("textmine_claims")
    return nlp


def _as_claims(doc):
    fields = ("section", "subject", "value", "unit", "kind", "approx", "cell", "expr", "readings")
    return [
        {"text": s._.claim_text, "start": s._.claim_start, "end": s._.claim_end, **{f: getattr(s._, f) for f in fields}}
        for s in doc.spans["claims"]
    ]


def test_jieba_segmenter(nlp):
    assert nlp.tokenizer.segmenter == "jieba"
    assert len(nlp("政府信息公开")) < len("政府信息公开")


def test_spans_carry_claims(nlp):
    doc = nlp("全年主动公开政府信息2.8万条，办结率100%。")
    claims = _as_claims(doc)
    assert [c["value"] for c in claims] == [28000, 100]
    assert [s.label_ for s in doc.spans["claims"]] == ["count", "rate"]
    assert all(c["text"] in s.text for c, s in zip(claims, doc.spans["claims"]))


def test_same_claims_as_core_on_seed_report(nlp):
    shared_path()
    from textmine.pipeline import analyze

    path = next(p for p in real_reports() if p.stem.startswith("000_"))
    record = analyze(path)
    core = extract_claims(record.text, record.sections, record.table_spans, tables=record.tables)
    assert core
    # Analysing the text itself, the component runs the pipeline's claims stage.
    assert _as_claims(nlp(record.text)) == record.claims
    doc = nlp.make_doc(record.text)
    doc.user_data["textmine"] = {
        "sections": record.sections,
        "table_spans": record.table_spans,
        "tables": record.tables,
    }
    assert _as_claims(nlp.get_pipe("textmine_claims")(doc)) == core


def test_bad_option_is_refused():
    from textmine.nlp import make_nlp

    with pytest.raises(Exception, match="spans_key"):
        make_nlp().add_pipe("textmine_claims", config={"spans_key": ""})


def test_plain_spacy_finds_the_factory_through_its_entry_point() -> None:
    """No textmine import needed: the spacy_factories entry point registers it."""
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("textmine_claims")
    doc = nlp("2023年全镇主动公开各类信息2.8万条，满意率为98%。")
    found = {(s._.claim_text, s._.value, s._.unit) for s in doc.spans["claims"]}
    assert ("全镇主动公开各类信息2.8万条", 28000, "条") in found or any(v == 28000 for _, v, _ in found)
    assert any(v == 98 and u == "%" for _, v, u in found)


def test_problems_component_on_the_seed() -> None:
    import spacy

    seed = shared_path() / "seeds" / "000_c88faac3643766a2.txt"
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("textmine_problems")
    doc = nlp(seed.read_text("utf-8"))
    problems, improvements = doc.spans["problems"], doc.spans["improvements"]
    assert len(problems) == 3 and len(improvements) == 3
    assert "review" in problems[1]._.categories
    assert problems[0].text.startswith("一是公开意识不强")
    assert all(span._.evidence for span in problems)
