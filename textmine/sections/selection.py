"""Step 2 of finding a report's headings: the best-scoring sequence of
candidates, in which numerals rise strictly and the standard keys come in
their order (see :mod:`textmine.sections`).
"""

from __future__ import annotations

from textmine.record import SECTION_KEYS

from .candidates import UNMAPPED, Candidate

_MIN_SCORE = 3.0


def _rank(key: str) -> int:
    """A key's place in the standard form (1–6); 0 for an unmapped heading."""
    return SECTION_KEYS.index(key) + 1 if key != UNMAPPED else 0


def _numeral_bonus(cand: Candidate, last_num: int, last_style: str | None) -> float:
    """Credit for numbering that continues the sequence (一 after 无, 二 after 一 …)
    or that equals the key's place in the standard form (四 for 行政复议)."""
    if cand.num is None:
        return 0.0 if last_style is None else -1.5
    rank = _rank(cand.key)
    bonus = 0.0
    if cand.num == last_num + 1:
        bonus += 3.0
    if cand.num == rank and not cand.free:
        bonus += 2.0
    if bonus == 0.0:
        bonus = -3.0
    # Sections share one numbering style; a change hints at a sub-heading.
    if cand.style != last_style:
        bonus -= 1.5
    return bonus


def select_headings(cands: list[Candidate]) -> list[Candidate]:
    """Best in-order sequence of headings (dynamic programming).

    A state is (last candidate, last standard key rank, last numeral);
    candidates are few (tens), so the state space stays small.
    """
    State = tuple[int, int, int]
    root: State = (-1, 0, 0)
    # state -> (score, chain of candidate indexes)
    best: dict[State, tuple[float, tuple[int, ...]]] = {root: (0.0, ())}
    by_end: list[tuple[int, State]] = [(-1, root)]
    for ci, c in enumerate(cands):
        rank = _rank(c.key)
        new_states: list[tuple[State, tuple[float, tuple[int, ...]]]] = []
        for end, state in by_end:
            if end > c.start:
                continue
            last_i, last_rank, last_num = state
            if c.num is not None and c.num <= last_num:
                continue
            if c.merge:
                if last_i < 0 or cands[last_i].key != c.key:
                    continue
                new_rank = last_rank
            elif c.free:
                new_rank = last_rank
            else:
                if rank <= last_rank:
                    continue
                new_rank = rank
            gain = c.score + _numeral_bonus(c, last_num, cands[last_i].style if last_i >= 0 else c.style)
            if gain < _MIN_SCORE:
                continue
            score0, chain = best[state]
            key = (ci, new_rank, c.num if c.num is not None else last_num)
            new_states.append((key, (score0 + gain, chain + (ci,))))
        for key, val in new_states:
            old = best.get(key)
            if old is None or val[0] > old[0]:
                if old is None:
                    by_end.append((c.title_end, key))
                best[key] = val
    # Ties go to the shorter chain: a doubtful extra heading must earn its place.
    _, chain = max(best.values(), key=lambda v: (v[0], -len(v[1])))
    return [cands[i] for i in chain]
