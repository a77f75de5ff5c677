"""Narrative that restates the tables (``table_claims`` in phrases.json):
which template slots have a value in this report, and paragraphs of
templates that restate tables 2, 3 and 4 (filled later by ``say``).
"""

from __future__ import annotations

import random
from typing import Any

from corpora.generate.fill import SLOT_RE, Var
from corpora.generate.keys import quantity_value, table_layout, yuan
from corpora.generate.phrases import PHRASES


def _share_text(rng: random.Random, share: float) -> str:
    """A share as a report prints it: whole percent or one decimal."""
    decimals = 1 if share < 1 or rng.random() < 0.6 else 0
    return f"{share:.{decimals}f}"


# Slot → (quantity key, readings) of the count slots the table_claims templates use.
T3_SLOTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "new": ("t3.new_received.total", ()),
    "new_amb": ("t3.new_received.total", ("t3.new_received.total", "t3.received.total")),
    "carried": ("t3.carried_over.total", ()),
    "np": ("t3.new_received.natural_person", ()),
    "org": ("t3.new_received.organisations", ()),
    "biz": ("t3.new_received.business", ()),
    "handled": ("t3.handled_total.total", ()),
    "granted": ("t3.granted.total", ()),
    "partly": ("t3.partly_granted.total", ()),
    "gp": ("t3.granted_or_partly.total", ()),
    "denied": ("t3.denied.total", ()),
    "unavail": ("t3.unavailable.total", ()),
    "nproc": ("t3.not_processed.total", ()),
    "cf": ("t3.carried_forward.total", ()),
}
# Share slots: <count slot>_share.
SHARE_SLOTS = ("granted", "partly", "gp", "denied", "unavail", "nproc")
T4_SLOTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "review": ("t4.review.total", ()),
    "sd": ("t4.suit_direct.total", ()),
    "sar": ("t4.suit_after_review.total", ()),
    "suit": ("t4.suit.total", ("t4.suit.total", "t4.suit_direct.total")),
    "corr_all": ("t4.corrected.total", ()),
}
T4_REVIEW_RESULTS = {"r_upheld": "upheld", "r_corrected": "corrected", "r_other": "other", "r_pending": "pending"}
T2_SLOTS: dict[str, dict[str, str]] = {
    "2021": {
        "nd_issued": "normative_documents.issued",
        "nd_repealed": "normative_documents.repealed",
        "nd_in_force": "normative_documents.in_force",
        "lic": "licensing.decisions",
        "pen": "penalty.decisions",
        "coe": "coercion.decisions",
    },
    "2019": {
        "nd_made": "normative_documents.made",
        "lic": "licensing.decisions",
        "pen": "penalty.decisions",
        "coe": "coercion.decisions",
    },
}


def t34_vars(rng: random.Random, t3: dict[str, Any], t4: dict[str, Any], tabular: bool) -> dict[str, Var]:
    """The slots of the table 3 and 4 templates that have a value: each a
    ``Var`` whose ``cell`` is its quantity key (None in a report without tables)."""
    tables = {"t3": t3, "t4": t4}
    layout = table_layout(t3)
    out: dict[str, Var] = {}

    def put(slot: str, key: str, readings: tuple[str, ...] = ()) -> float | None:
        v = quantity_value(key, tables, layout)
        if v is not None:
            out[slot] = Var(v, cell=key if tabular else None, readings=readings if tabular else (), free=False)
        return v

    for slot, (key, readings) in T3_SLOTS.items():
        put(slot, key, readings)
    put("otherh", "t3.other.total")
    carried = quantity_value("t3.carried_over.total", tables, layout)
    if carried:  # 含上年结转 only when something was carried over
        put("received", "t3.received.total")
        put("received_amb", "t3.received.total", ("t3.new_received.total", "t3.received.total"))
    for slot in SHARE_SLOTS:
        count = out.get(slot)
        row = T3_SLOTS[slot][0]
        share = quantity_value(f"{row}.share", tables, layout)
        if count is None or not count.value or share is None:
            continue
        shown = _share_text(rng, share)
        value = float(shown) if "." in shown else int(shown)
        out[f"{slot}_share"] = Var(
            value, kind="rate", cell=f"{row}.share" if tabular else None, shown=shown, free=False
        )
    for slot, (key, readings) in T4_SLOTS.items():
        put(slot, key, readings)
    if quantity_value("t4.review.total", tables, layout):  # results of reviews there were
        for slot, col in T4_REVIEW_RESULTS.items():
            put(slot, f"t4.review.{col}")
    if quantity_value("t4.suit.total", tables, layout):
        put("s_corrected", "t4.suit.corrected", ("t4.suit.corrected", "t4.suit_direct.corrected"))
    return out


def t2_vars(t2: dict[str, Any], disp: dict[str, str], layout: str, tabular: bool) -> dict[str, Var]:
    """The slots of the table 2 templates that have a value (as printed:
    call after the table's cells are final)."""
    out: dict[str, Var] = {}

    def put(slot: str, cell: str, **kw: Any) -> None:
        v = t2.get(cell)
        if isinstance(v, (int, float)):
            out[slot] = Var(v, cell=f"t2.{cell}" if tabular else None, free=False, **kw)

    for slot, cell in T2_SLOTS[layout].items():
        put(slot, cell)
    if layout == "2021":
        if isinstance(t2["regulations.in_force"], int) and t2["regulations.in_force"] > 0:  # the 规章 row, when filled
            for slot, col in (("reg_issued", "issued"), ("reg_repealed", "repealed"), ("reg_in_force", "in_force")):
                put(slot, f"regulations.{col}")
        fee = t2["fees.amount"]
        if isinstance(fee, (int, float)) and fee:
            put("fee", "fees.amount", kind="money", shown=disp["fees.amount"])
            put("fee_yuan", "fees.amount", kind="money")
            out["fee_yuan"].value = yuan(fee)
    else:
        if isinstance(t2["regulations.public_total"], int) and t2["regulations.public_total"] > 0:
            put("reg_made", "regulations.made")
        if isinstance(t2["procurement.projects"], int) and t2["procurement.projects"] > 0:
            put("proj", "procurement.projects")
            put("pamt", "procurement.amount", kind="money")
            put("pamt_yuan", "procurement.amount", kind="money")
            out["pamt_yuan"].value = yuan(t2["procurement.amount"])
    return out


def ready(template: str, vars_: dict[str, Var], ctx: dict[str, str]) -> bool:
    """Every slot of ``template`` has a value."""
    return all(name in vars_ or name in ctx for name in SLOT_RE.findall(template))


def _ready_families(bank: dict[str, list[str]], vars_: dict[str, Var], ctx: dict[str, str]) -> dict[str, list[str]]:
    out = {fam: [t for t in ts if ready(t, vars_, ctx)] for fam, ts in bank.items()}
    return {fam: ts for fam, ts in out.items() if ts}


# Families of which a paragraph states at most one (they restate one number).
T3_INTAKE = ("new", "received", "received_with_carried")
T4_GROUPS_OF_FAMILIES = (
    (("review", "review_results", "review_and_suit"), 0.85),
    (("suit", "suit_split", "suit_lost"), 0.7),
    (("corrected",), 0.35),
)


def _numbers(template: str, vars_: dict[str, Var]) -> int:
    """How many numbers ``template`` states."""
    return sum(1 for name in SLOT_RE.findall(template) if name in vars_)


def t2_paragraph(
    rng: random.Random,
    layout: str,
    vars_: dict[str, Var],
    ctx: dict[str, str],
    *,
    opener: bool = True,
    max_numbers: int | None = None,
) -> str | None:
    """Sentences restating table 2 (a template for ``say``): one to three
    families, or one of at most ``max_numbers`` numbers; None when none fits."""
    bank = PHRASES["table_claims"][f"t2_{layout}"]
    if max_numbers is not None:
        bank = {f: [t for t in ts if _numbers(t, vars_) <= max_numbers] for f, ts in bank.items()}
    fams = _ready_families(bank, vars_, ctx)
    if not fams:
        return None
    names = list(fams)
    k = 1 if max_numbers is not None else rng.randint(1, 3)
    chosen = sorted(rng.sample(names, min(len(names), k)), key=names.index)
    body = "".join(rng.choice(fams[f]) for f in chosen)
    return (rng.choice(PHRASES["table_claim_openers"]["t2"]) if opener else "") + body


def t3_paragraph(
    rng: random.Random,
    vars_: dict[str, Var],
    ctx: dict[str, str],
    *,
    opener: bool = True,
    max_numbers: int | None = None,
    intake: bool = True,
) -> str | None:
    """Clauses restating table 3, joined into sentences (a template for
    ``say``): an intake clause (unless not ``intake``: the words before
    state it) and two to six other families, or clauses of at most
    ``max_numbers`` numbers in one sentence; None when none fits."""
    fams = _ready_families(PHRASES["table_claims"]["t3"], vars_, ctx)
    if not intake:
        fams = {f: ts for f, ts in fams.items() if f not in T3_INTAKE}
    intake_fams = [f for f in T3_INTAKE if f in fams]
    rest = [f for f in fams if f not in T3_INTAKE]
    if max_numbers is not None:
        clauses: list[str] = []
        budget = max_numbers
        for f in sorted(rng.sample(list(fams), min(len(fams), 2)), key=list(fams).index):
            fits = [t for t in fams[f] if _numbers(t, vars_) <= budget]
            if fits:
                clauses.append(rng.choice(fits))
                budget -= _numbers(clauses[-1], vars_)
        sentences = [clauses]
    else:
        chosen = [rng.choice(intake_fams)] if intake_fams and rng.random() < 0.85 else []
        chosen += sorted(rng.sample(rest, min(len(rest), rng.randint(2, 6))), key=rest.index)
        sentences = [[]]
        for f in chosen:
            sentences[-1].append(rng.choice(fams[f]))
            if rng.random() < 0.35:
                sentences.append([])
    body = "".join("，".join(s) + "。" for s in sentences if s)
    if not body:
        return None
    return (rng.choice(PHRASES["table_claim_openers"]["t3"]) if opener else "") + body


def t4_paragraph(
    rng: random.Random,
    vars_: dict[str, Var],
    ctx: dict[str, str],
    *,
    opener: bool = True,
    after_table: bool = False,
) -> str | None:
    """Sentences restating table 4 (a template for ``say``): one of each group
    of families drawn, the results in the sentence that names their topic.
    ``after_table``: an opening sentence, and no template with 审结 or 总计
    (table 4's header ends with the last of them: the reader would start
    the table's values there)."""
    bank = PHRASES["table_claims"]["t4"]
    if after_table:
        bank = {f: [t for t in ts if "审结" not in t and "总计" not in t] for f, ts in bank.items()}
    fams = _ready_families(bank, vars_, ctx)
    chosen: list[str] = []
    for group, share in T4_GROUPS_OF_FAMILIES:
        ready = [f for f in group if f in fams and not (f == "suit" and "review_and_suit" in chosen)]
        if ready and rng.random() < share:
            chosen.append(rng.choice(ready))
    if not chosen:
        return None
    body = "".join(rng.choice(fams[f]) for f in chosen)
    return (rng.choice(PHRASES["table_claim_openers"]["t4"]) if opener and after_table else "") + body
