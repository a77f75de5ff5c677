"""What a report is while it is generated and written: its spec (format and
how it is printed), the built report, and what an agency series fixes for a year."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from corpora.generate.agencies import Agency
from corpora.render import Block


@dataclass
class Spec:
    """How a report is published: its file format and how it is printed."""

    fmt: str  # txt | html | docx | pdf
    flattening: str = ""  # txt: one of corpora.render.FLATTENINGS
    encoding: str = "utf-8"  # txt and html
    chrome: bool = False  # html: site furniture around the article
    split_digits: bool = False  # html: some numbers split across <span>s
    free: bool = False  # the pre-2019 free layout: no tables
    # No page chrome in the blocks: corpora/forms builds the head itself.
    plain_head: bool = False


@dataclass
class Report:
    """A built report: blocks to write, gold (finished when written), the
    seed its writer draws from, and notes for the gold."""

    id: str
    spec: Spec
    blocks: list[Block]
    gold: dict[str, Any]
    title: str
    render_seed: int
    notes: list[str] = field(default_factory=list)


@dataclass
class YearPlan:
    """What an agency series fixes for one report; ``make_report`` draws the rest."""

    agency: Agency
    year: int
    t2: dict[str, Any]
    t3: dict[str, Any]
    t4: dict[str, Any]
    problems: list[dict[str, Any]]  # items of PHRASES["problems"] the report admits
    rng_name: str  # names the report's own RNG (wording, layout)
    notes: list[str] = field(default_factory=list)  # for the gold notes (a deliberate break)


# Alters a report's drawn cells (t2, t3, t4) before they are printed and
# returns notes for the gold: the broken set's blank cells and wrong totals.
Tamper = Callable[[random.Random, dict[str, Any], dict[str, Any], dict[str, Any]], list[str]]
