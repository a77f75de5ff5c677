"""A report while :func:`~corpora.generate.report.make_report` builds it.

The section writers (:mod:`corpora.generate.sections`) share one draft: the
report's RNG, its agency, year and layout, the numbering it chose, and what
has been written so far (blocks, claims, notes).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from corpora.generate.agencies import Agency
from corpora.generate.fill import SLOT_RE, Var, fill
from corpora.generate.phrases import PHRASES
from corpora.generate.restate import ready
from corpora.render import Block


@dataclass
class Draft:
    rng: random.Random
    agency: Agency
    year: int
    layout: str  # 2019 | 2021 | free
    paren: Callable[[str], str]  # （一） or (一), one style per report
    sep: str  # what follows a heading's number: 、 . ．
    ctx: dict[str, str]  # non-number slots: {agency}, {year}
    notes: list[str]  # for the gold notes
    vars_: dict[str, Var] = field(default_factory=dict)  # number slots that have a value
    blocks: list[Block] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # slots already stated

    def say(self, template: str) -> str:
        """``template`` filled (its claims recorded), as the report prints it."""
        # a free number stated twice would be an odd coincidence: draw a new one
        for name in SLOT_RE.findall(template):
            v = self.vars_.get(name)
            if v is not None and name in self.used and v.free and v.kind == "count":
                self.vars_[name] = Var(max(1, int(v.value * self.rng.uniform(0.2, 0.9))))
            self.used.add(name)
        text, cl = fill(template, self.vars_, self.rng, self.ctx, first_id=len(self.claims))
        self.claims.extend(cl)
        return text

    def bank(self, group: str) -> list[str]:
        """The overview templates of ``group`` whose every slot has a value."""
        return [t for t in PHRASES["overview_claims"][group] if ready(t, self.vars_, self.ctx)]
