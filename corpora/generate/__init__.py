"""Generate the synthetic sample corpus of 政府信息公开工作年度报告.

    python -m corpora.generate --out corpora/sample --n 30 --seed 7

writes ``reports/`` (txt, html, docx, pdf), ``gold/<stem>.json`` (shaped like
``../shared/corpus/gold/*.json``), ``manifest.tsv`` and, unless
``--no-broken``, ``broken/`` (damaged and non-report files with their own
manifest and README).  Everything is synthetic: invented places and agencies,
wording from ``corpora/phrases.json``.  Output is deterministic given the seed.

    python -m corpora.generate --out corpora/series --series 12 --years 2021-2024 --seed 11

writes an *agency series* instead (:func:`generate_series`): each agency
reports every year, table 3 carries over from year to year, table 2's
现行有效件数 chains, problems recur; ``gold/_links.json`` holds the expected
cross-year statuses.

Modules, in the order a report is made:

* :mod:`~corpora.generate.phrases` — the phrase bank (``corpora/phrases.json``);
* :mod:`~corpora.generate.keys` — table cell keys per layout, quantity keys;
* :mod:`~corpora.generate.agencies` — invented agencies;
* :mod:`~corpora.generate.tables` — table 2–4 numbers and the printed tables;
* :mod:`~corpora.generate.fill`, :mod:`~corpora.generate.restate` — claim
  templates filled with numbers, narrative that restates the tables;
* :mod:`~corpora.generate.text`, :mod:`~corpora.generate.sections` — wording
  and the sections of the body;
* :mod:`~corpora.generate.draft`, :mod:`~corpora.generate.report` — one report
  built (:func:`make_report`);
* :mod:`~corpora.generate.plant` — planted narrative/table disagreements;
* :mod:`~corpora.generate.gold`, :mod:`~corpora.generate.writing` — gold
  checks and notes, files and manifests;
* :mod:`~corpora.generate.sample`, :mod:`~corpora.generate.broken`,
  :mod:`~corpora.generate.series` — the three corpora;
* :mod:`~corpora.generate.cli` — the command line.

Every report draws from its own seeded RNG in a fixed order: moving code
between these modules must not reorder its calls, or the output changes.
"""

from corpora.generate.agencies import Agency, make_agency
from corpora.generate.broken import write_broken
from corpora.generate.cli import main
from corpora.generate.gold import claim_check, derive_checks, finish_gold
from corpora.generate.keys import (
    T2_KEYS,
    T3_COLS,
    T4_COLS,
    T4_GROUPS,
    T4_KEYS,
    layout_for,
    quantity_terms,
    quantity_value,
    t3_result_rows,
    t3_rows,
)
from corpora.generate.model import Report, Spec, YearPlan
from corpora.generate.phrases import CN_NUM, PHRASES
from corpora.generate.report import make_report
from corpora.generate.sample import PATTERN, generate
from corpora.generate.series import (
    PROBLEM_RECURRENCE,
    SERIES_FORMATS,
    cross_year_checks,
    generate_series,
    parse_years,
    plan_agency,
    series_agencies,
    series_formats,
    series_years,
)
from corpora.generate.writing import EXT, dump_json, encodable, write_manifest, write_report

__all__ = [
    "Agency",
    "make_agency",
    "write_broken",
    "main",
    "claim_check",
    "derive_checks",
    "finish_gold",
    "T2_KEYS",
    "T3_COLS",
    "T4_COLS",
    "T4_GROUPS",
    "T4_KEYS",
    "layout_for",
    "quantity_terms",
    "quantity_value",
    "t3_result_rows",
    "t3_rows",
    "Report",
    "Spec",
    "YearPlan",
    "CN_NUM",
    "PHRASES",
    "make_report",
    "PATTERN",
    "generate",
    "PROBLEM_RECURRENCE",
    "SERIES_FORMATS",
    "cross_year_checks",
    "generate_series",
    "parse_years",
    "plan_agency",
    "series_agencies",
    "series_formats",
    "series_years",
    "EXT",
    "dump_json",
    "encodable",
    "write_manifest",
    "write_report",
]
