"""The transparent rule layer: label section-五 items with taxonomy keys.

Each category of ``spec/taxonomy.md`` has a list of patterns in
``data/problem_patterns.toml`` (regexes or literal phrases, each with a
note) and an optional ``unless`` regex checked on the clause around a match.
An item gets every category with at least one surviving match; ``other``
only when nothing else fires and a funding/equipment/records pattern does.
Every label is traceable: :meth:`RuleClassifier.explain` returns the
matches behind it.

Example
-------
>>> clf = RuleClassifier().fit([], [])
>>> clf.predict(["一是审核把关不严，网站更新不及时。"])
[['timeliness', 'review']]
>>> clf.explain("政策解读跟进不及时")["interpretation"][0]["match"]
'解读'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from textmine.data import load_toml
from textmine.data.taxonomy import taxonomy_labels

__all__ = ["CATEGORIES", "RuleClassifier", "alternatives", "category_patterns"]

# The keys of spec/taxonomy.md, in its order (one source: data/taxonomy.toml).
CATEGORIES: tuple[str, ...] = tuple(taxonomy_labels())

_CLAUSE_MARKS = "，,。；;：:！!？?\n"
_NEXT_MARK = re.compile(f"[{_CLAUSE_MARKS}]")
_LAST_MARK = re.compile(f"[{_CLAUSE_MARKS}](?!.*[{_CLAUSE_MARKS}])", re.DOTALL)


@dataclass(frozen=True)
class CategoryPatterns:
    key: str
    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (source regex, compiled)
    unless: re.Pattern[str] | None
    # All patterns as one alternation: most categories fire on no item, and
    # one failed search rules them out before the patterns run one by one.
    any_pattern: re.Pattern[str] | None = None


@lru_cache(maxsize=1)
def category_patterns() -> tuple[CategoryPatterns, ...]:
    """Load and compile ``problem_patterns.toml`` once."""
    data = load_toml("problem_patterns.toml")
    unknown = set(data) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"problem_patterns.toml: unknown categories {sorted(unknown)}; valid: {CATEGORIES}")
    out = []
    for key in CATEGORIES:
        entry = data.get(key, {})
        pats = tuple((p["regex"], re.compile(p["regex"])) for p in entry.get("patterns", []))
        unless = re.compile(entry["unless"]) if entry.get("unless") else None
        either = re.compile(_one_alternation([source for source, _ in pats])) if pats else None
        out.append(CategoryPatterns(key, pats, unless, either))
    return tuple(out)


# A group of plain words that opens an alternative: (?:发布|公开)滞后.
_WORDS_FIRST = re.compile(r"\(\?:((?:[^()\[\]|\\.^$*+?{}]+\|)+[^()\[\]|\\.^$*+?{}]+)\)(?![*+?{])")
_NOT_FIXED = set("\\()[].^$*+?{|")


def _one_alternation(sources: Sequence[str]) -> str:
    """The regexes ``sources`` as one: their top-level alternatives side by
    side, a group of words that opens one written out (发布滞后|公开滞后).
    When every alternative so opens with a fixed character, the regex engine
    scans for those characters and tries the alternation only where one
    stands; as groups it tries every alternative at every character, several
    times the cost.  The same alternatives in the same order: the same match."""
    alts = []
    for source in sources:
        for alt in alternatives(source):
            words = _WORDS_FIRST.match(alt)
            alts += [w + alt[words.end() :] for w in words.group(1).split("|")] if words else [alt]
    if all(a[:1] and a[0] not in _NOT_FIXED and a[1:2] not in ("*", "+", "?", "{") for a in alts):
        return "|".join(alts)
    return "|".join(f"(?:{source})" for source in sources)


def alternatives(regex: str) -> list[str]:
    """The top-level alternatives of ``regex`` (split at ``|`` outside groups
    and character classes), each a regex of its own: the unit a pattern's
    provenance is checked in."""
    out: list[str] = []
    current, depth, in_class, i = "", 0, False, 0
    while i < len(regex):
        ch = regex[i]
        if ch == "\\":
            current += regex[i : i + 2]
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            out.append(current)
            current, i = "", i + 1
            continue
        current += ch
        i += 1
    return [*out, current]


def _clause(text: str, start: int, end: int) -> str:
    before = _LAST_MARK.search(text, 0, start)
    after = _NEXT_MARK.search(text, end)
    return text[before.end() if before else 0 : after.start() if after else len(text)]


@lru_cache(maxsize=1)
def _by_key() -> dict[str, CategoryPatterns]:
    return {cat.key: cat for cat in category_patterns()}


def _surviving(text: str, cat: CategoryPatterns) -> Iterator[tuple[str, re.Match[str]]]:
    """The category's matches in ``text`` that its ``unless`` leaves standing."""
    for source, rx in cat.patterns:
        for m in rx.finditer(text):
            if m.end() == m.start():
                continue
            if cat.unless is not None and cat.unless.search(_clause(text, m.start(), m.end())):
                continue
            yield source, m


def _fires(text: str, cat: CategoryPatterns) -> bool:
    # One search of all the category's patterns rules most categories out.
    # Its first match is the first match of the pattern that made it (no
    # pattern matches further left), so when that one survives `unless` the
    # verdict is settled without running the patterns one by one.
    first = cat.any_pattern.search(text) if cat.any_pattern is not None else None
    if first is None:
        return False
    if first.end() > first.start() and (
        cat.unless is None or not cat.unless.search(_clause(text, first.start(), first.end()))
    ):
        return True
    return next(_surviving(text, cat), None) is not None


class RuleClassifier:
    """Multi-label classifier of section-五 items by keyword patterns.

    Follows scikit-learn's estimator conventions: ``__init__`` only stores
    parameters, :meth:`fit` learns nothing and returns ``self``, and
    :meth:`predict` maps a list of texts to a list of label lists.

    Parameters
    ----------
    categories : sequence of str or None
        Keys to predict (default: every key of the taxonomy).
    use_other : bool
        Give ``other`` when no other key fires and a funding, equipment or
        records pattern matches.

    Examples
    --------
    >>> RuleClassifier().predict(["加强政务公开队伍建设，定期开展业务培训。"])
    [['capacity']]
    """

    def __init__(self, categories: Sequence[str] | None = None, use_other: bool = True) -> None:
        self.categories = categories
        self.use_other = use_other

    def fit(self, X: Iterable[str] | None = None, y: Iterable[Sequence[str]] | None = None) -> RuleClassifier:
        """Check the parameters; the rules learn nothing.  Returns ``self``."""
        if self.categories is not None:
            bad = set(self.categories) - set(CATEGORIES)
            if bad:
                raise ValueError(f"RuleClassifier: unknown categories {sorted(bad)}; valid: {CATEGORIES}")
        self.classes_ = list(self.categories) if self.categories is not None else list(CATEGORIES)
        return self

    def explain(self, text: str) -> dict[str, list[dict]]:
        """Evidence per category: ``{key: [{"pattern", "match", "start", "end"}]}``.

        Only categories with at least one surviving match appear.  Offsets
        are relative to ``text``.
        """
        return self.evidence(text, self.verdicts(text))

    def verdicts(self, text: str) -> frozenset[str]:
        """The categories :meth:`explain` names, found without collecting their
        evidence (the first surviving match of a category settles it)."""
        wanted = set(self.categories) if self.categories is not None else set(CATEGORIES)
        fired = {
            cat.key for cat in category_patterns() if cat.key in wanted and cat.key != "other" and _fires(text, cat)
        }
        if not fired and self.use_other and "other" in wanted and _fires(text, _by_key()["other"]):
            fired.add("other")
        return frozenset(fired)

    @staticmethod
    def evidence(text: str, keys: Iterable[str]) -> dict[str, list[dict]]:
        """The matches of the categories ``keys`` (as :meth:`verdicts` gave them)."""
        found = {}
        for key in keys:
            cat = _by_key()[key]
            found[key] = sorted(
                (
                    {"pattern": source, "match": m.group(0), "start": m.start(), "end": m.end()}
                    for source, m in _surviving(text, cat)
                ),
                key=lambda e: e["start"],
            )
        return {key: found[key] for key in CATEGORIES if key in found}

    def predict(self, texts: Iterable[str]) -> list[list[str]]:
        """Labels of each text, in taxonomy order (an empty list when none fire)."""
        order = {k: i for i, k in enumerate(CATEGORIES)}
        return [sorted(self.explain(t), key=order.__getitem__) for t in texts]
