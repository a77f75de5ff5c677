"""Claim templates filled with a report's numbers.

A template marks each claim as a span in ``[ ]`` holding one slot ``{name}``
(``[收到申请{new}件]``); :func:`fill` writes the number the way reports do
(rounded, approximate, in 万 or in Chinese numerals, when the number is
free to be) and returns the claims with their gold fields.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from corpora.generate.tables import fmt_num


@dataclass
class Var:
    value: float | int
    kind: str = "count"  # count | rate | money
    cell: str | None = None  # the quantity key the number restates (a cell, a sum, a share)
    shown: str | None = None  # fixed display text (cell-mapped money, a share's rounding)
    free: bool = True  # may be rounded / approximated / written in 万 or Chinese
    readings: tuple[str, ...] = ()  # the quantities the words allow, when several (gold ``readings``)


UNIT_RE = re.compile(r"(万元|人次|元|条|件|篇|项|次|个|%)")
SPAN_RE = re.compile(r"\[([^\]]*)\]")
SLOT_RE = re.compile(r"\{(\w+)\}")
# A cell-mapped number in the text as ``fill`` writes it: ``\ue000<id>\ue001<number>\ue002``,
# so that a planted disagreement can replace it once the report is written
# (:func:`~corpora.generate.plant.plant_disagreement`); :func:`~corpora.generate.plant.unmark`
# leaves the number alone.
MARK_RE = re.compile("\ue000(\\d+)\ue001([^\ue002]*)\ue002")
# Words before a number that make it approximate.
_APPROX_BEFORE = re.compile(r"(约|近|超过)$")

CN_DIGITS = "零一二三四五六七八九"


def to_cn(n: int, liang: bool = False) -> str:
    """``n`` (0–99) in Chinese numerals; 2 as 两 when ``liang`` (before 个, 次, 项)."""
    if n == 2 and liang:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    return CN_DIGITS[n // 10] + "十" + (CN_DIGITS[n % 10] if n % 10 else "")


def fill(
    template: str, vars_: dict[str, Var], rng: random.Random, ctx: dict[str, str], first_id: int = 0
) -> tuple[str, list[dict[str, Any]]]:
    """Fill a claim template; return the text and the claims (spans in [ ]).

    A claim that restates a table quantity gets its key as ``cell`` (and
    ``readings`` when the words allow several); its number is marked in the
    text (MARK_RE, id ``first_id`` + its index) and the claim keeps the words
    around it (``_id``, ``_before``, ``_after``, ``_unit``) for
    :func:`~corpora.generate.plant.plant_disagreement`.
    """
    claims: list[dict[str, Any]] = []
    for k, v in ctx.items():
        template = template.replace("{" + k + "}", v)

    def span(m: re.Match[str]) -> str:
        inner = m.group(1)
        sm = SLOT_RE.search(inner)
        if not sm:
            return inner
        var = vars_[sm.group(1)]
        after = inner[sm.end() :]
        before = inner[: sm.start()]
        c, shown, unit_txt = _claim(var, before, after, rng)
        if var.cell:
            ident = first_id + len(claims)
            c.update({"_id": ident, "_before": before, "_after": after, "_unit": unit_txt})
            claims.append(c)
            return f"{before}\ue000{ident}\ue001{shown}\ue002{after}"
        claims.append(c)
        return c["text"]

    out = SPAN_RE.sub(span, template)
    return out, claims


def _claim(var: Var, before: str, after: str, rng: random.Random) -> tuple[dict[str, Any], str, str]:
    """The claim of one span whose slot holds ``var`` between the words
    ``before`` and ``after``; also the number as printed and the unit word."""
    um = UNIT_RE.match(after)
    unit_txt = um.group(1) if um else ""
    approx = bool(_APPROX_BEFORE.search(before))
    shown, value, approx = _shown(var, unit_txt, approx, rng)
    if approx and not _APPROX_BEFORE.search(before) and shown[-1] not in "余多" and shown[0] not in "约近":
        approx = False
    if after.startswith("以上") or (unit_txt and after[len(unit_txt) :].startswith("以上")):
        approx = True
    text = before + shown + after
    unit = unit_txt
    kind = var.kind
    if unit_txt == "万元":
        value = round(float(var.value) * 10000, 2)
        if value == int(value):
            value = int(value)
        unit, kind = "元", "money"
    elif unit_txt == "元":
        kind = "money"
    elif unit_txt == "%":
        kind = "rate"
    c: dict[str, Any] = {"text": text, "value": value, "unit": unit, "kind": kind, "approx": approx}
    if var.cell:
        c["cell"] = var.cell
        if var.readings:
            c["readings"] = list(var.readings)
    return c, shown, unit_txt


def _shown(var: Var, unit_txt: str, approx: bool, rng: random.Random) -> tuple[str, float | int, bool]:
    """How the number of ``var`` is printed, the value the words then state,
    and whether they state it approximately.  A free count may come out
    rounded to 万, rounded down with 余/多/约/近, or in Chinese numerals."""
    value: float | int = var.value
    if var.shown is not None:
        return var.shown, value, approx
    if var.kind in ("rate", "money"):
        return fmt_num(value), value, approx
    iv = int(value)
    roll = rng.random()
    if var.free and iv >= 10000 and roll < 0.5:
        iv = round(iv, -3)
        shown = f"{iv / 10000:.1f}万".replace(".0万", "万")
    elif var.free and iv >= 300 and roll < 0.25 and not approx:
        iv = (iv // 100) * 100
        mark = rng.choice(["余", "多", "约", "近"])
        if mark in ("余", "多"):
            shown = f"{iv}{mark}"
        else:
            shown = f"{mark}{iv}"
        approx = True
    elif 1 <= iv <= 30 and roll < 0.25 and unit_txt not in ("%",):
        shown = to_cn(iv, liang=unit_txt in ("个", "次", "项"))
    else:
        shown = str(iv)
    return shown, iv, approx
