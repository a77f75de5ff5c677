"""The narrative's wording: heading and item numbering, section 五's problems
and improvements, page chrome, and the numbers a narrative states that no
table holds.  Each function draws from the report's RNG in a fixed order."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from corpora.generate.agencies import SCALE, Agency
from corpora.generate.fill import Var
from corpora.generate.phrases import CN_NUM, PHRASES


def paren_fn(rng: random.Random) -> Callable[[str], str]:
    """How the report brackets its numbers: full-width （一） mostly, else (一)."""
    full = rng.random() < 0.8
    return (lambda s: f"（{s}）") if full else (lambda s: f"({s})")


def heading(num: int, sep: str, title: str) -> str:
    """Section heading ``num`` (1-based): ``一、总体情况``."""
    return f"{CN_NUM[num - 1]}{sep}{title}"


def _numbered_items(
    rng: random.Random,
    bank: list[dict[str, Any]],
    k: int,
    style: str,
    paren: Callable[[str], str],
    picks: list[dict[str, Any]] | None = None,
) -> list[tuple[str, list[str]]]:
    """``k`` items of ``bank`` numbered in ``style`` (一是 / （一） / 1. / 首先 /
    none), each with its categories; ``picks`` (bank items chosen by the
    caller) replaces the random sample."""
    picks = rng.sample(bank, k) if picks is None else picks
    dot = rng.choice([".", "．", "、", "."])
    out: list[tuple[str, list[str]]] = []
    for i, it in enumerate(picks):
        core = f"{it['head']}。{it['body']}"
        if style == "shi":
            t = f"{CN_NUM[i]}是{core}"
        elif style == "paren":
            t = f"{paren(CN_NUM[i])}{core}"
        elif style == "arabic":
            t = f"{i + 1}{dot}{core}"
        elif style == "first":
            word = PHRASES["problem_first"][i] if i < len(picks) - 1 or i == 0 else "最后"
            t = f"{word}，{core}"
        else:  # unnumbered
            t = it["body"]
        out.append((t, list(it["cats"])))
    return out


def problems_section(
    rng: random.Random,
    agency: str,
    paren: Callable[[str], str],
    problem_picks: list[dict[str, Any]] | None = None,
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]], str]:
    """Paragraphs of section 五 plus gold problems/improvements and a note.

    ``problem_picks``: the problem-bank items to admit (a series chooses them
    so that categories recur); default a random 2–4.
    """
    pstyle = rng.choice(["shi", "shi", "paren", "arabic", "first", "plain"])
    istyle = rng.choice(["shi", "shi", "paren", "arabic", "first", "plain"])
    k = len(problem_picks) if problem_picks is not None else rng.randint(2, 4)
    probs = _numbered_items(rng, PHRASES["problems"], k, pstyle, paren, problem_picks)
    imps = _numbered_items(rng, PHRASES["improvements"], rng.randint(2, 4), istyle, paren)
    paras: list[str] = []
    subheads = rng.random() < 0.35
    heads = rng.choice(PHRASES["problems_subheads"])
    layout_one_para = rng.random() < 0.5
    intro_p = rng.choice(PHRASES["problem_intros"])
    intro_i = rng.choice(PHRASES["improvement_intros"]).replace("{agency}", agency)
    if subheads:
        paras.append(f"{paren('一')}{heads[0]}")
    if layout_one_para:
        paras.append((intro_p + "".join(t for t, _ in probs)).strip())
    else:
        if intro_p:
            paras.append(intro_p)
        paras.extend(t for t, _ in probs)
    if subheads:
        paras.append(f"{paren('二')}{heads[1]}")
        intro_i = intro_i if rng.random() < 0.5 else ""
    if layout_one_para:
        paras.append((intro_i + "".join(t for t, _ in imps)).strip())
    else:
        if intro_i:
            paras.append(intro_i)
        paras.extend(t for t, _ in imps)
    gp = [{"text": t, "categories": c} for t, c in probs]
    gi = [{"text": t, "categories": c} for t, c in imps]
    note = (
        f"Section 五: problems numbered '{pstyle}', improvements '{istyle}'"
        + (f", sub-headings {heads[0]}/{heads[1]}" if subheads else "")
        + "."
    )
    return paras, gp, gi, note


def chrome_blocks(rng: random.Random, ag: Agency, published: str, time_s: str) -> tuple[list[str], list[str]]:
    """A web page's furniture as paragraphs: above the title a site line and a
    source/date line, below the text the editor's lines."""
    top = [rng.choice(PHRASES["chrome_top"])]
    src = ag.name if rng.random() < 0.5 else rng.choice(["办公室", "政务公开办", ag.name + "办公室"])
    meta = rng.choice(PHRASES["chrome_meta"]).format(date=published, time=time_s, source=src)
    bottom = [s.format(editor=rng.choice(PHRASES["editors"])) for s in rng.choice(PHRASES["chrome_bottom"])]
    return top + [meta], bottom


def free_vars(rng: random.Random, ag: Agency) -> dict[str, Var]:
    """The numbers of the overview templates that no table holds (free to be
    rounded or written in words), scaled by the agency's level."""
    s = SCALE[ag.level]
    info = rng.randint(s * 20, s * 600)
    return {
        "info": Var(info),
        "policy": Var(rng.randint(3, s * 3)),
        "news": Var(rng.randint(20, s * 100)),
        "catalog": Var(rng.randint(10, 300)),
        "jiedu": Var(rng.randint(2, s * 2)),
        "jierate": Var(rng.randint(20, 80), kind="rate"),
        "audit": Var(rng.randint(4, 200)),
        "cleanup": Var(rng.randint(3, s * 3)),
        "info2": Var(rng.randint(s * 20, s * 500)),
        "site": Var(rng.randint(s * 20, s * 700)),
        "xmt": Var(rng.randint(1, 12)),
        "spots": Var(rng.randint(1, 20)),
        "msgs": Var(rng.randint(5, s * 40)),
        "ontime": Var(rng.choice([100, 100, 99.5, 98.6, 97]), kind="rate"),
        "satis": Var(rng.choice([100, 99, 98.7, 96.5, 95]), kind="rate"),
        "push": Var(rng.randint(50, s * 150)),
        "reads": Var(rng.randint(5, 90) * 10000),
        "train": Var(rng.randint(1, 8)),
        "trainees": Var(rng.randint(20, 600)),
        "checks": Var(rng.randint(1, 6)),
        "meetings": Var(rng.randint(1, 5)),
        "done": Var(rng.choice([100, 100, 100, 98.2]), kind="rate"),
        "infofee": Var(rng.choice([20, 45, 100, 160, 300]), kind="money"),
    }
