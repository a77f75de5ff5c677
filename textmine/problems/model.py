"""The learned layer: per category, a logistic model over character
n-grams, jieba tokens and the rule layer's verdicts and a linear SVM over the
text alone, each calibrated, their probabilities averaged and cut at a
threshold chosen by grouped cross-validation; persisted with skops (never
pickle).

:class:`ProblemClassifier` follows scikit-learn's estimator contract:
``__init__`` stores parameters, ``fit`` returns ``self``, learned state ends
in ``_``; ``predict`` takes a list of texts and returns a list of label lists.
Only plain scikit-learn objects are saved, so loading needs no custom type
and refuses any type outside a fixed allow-list.

>>> clf = ProblemClassifier(threshold=0.4).fit(["网站更新不及时", "审核把关不严"] * 3,
...                               [["timeliness"], ["review"]] * 3)   # doctest: +SKIP
>>> clf.predict(["栏目长期未更新"])                                   # doctest: +SKIP
[['timeliness']]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from .calibrate import best_shared_cut, best_shared_threshold, best_threshold, grouped_folds, platt, shared_cut, sigmoid
from .fitting import LinearFitting
from .model_file import load_classifier, save_classifier
from .rules import CATEGORIES, RuleClassifier
from .segment import tokens

_WHITESPACE = re.compile(r"\s\s+")  # as scikit-learn's char analyzer folds it


@dataclass(frozen=True)
class Decision:
    """One item's labels and why: the calibrated probability of every class,
    per label the features that pushed it most, and the categories whose rule
    patterns fired (features of the model too; their matches are
    :meth:`RuleClassifier.evidence`)."""

    labels: list[str]
    probabilities: dict[str, float]
    features: dict[str, list[str]]
    verdicts: frozenset[str]


class ProblemClassifier(LinearFitting, BaseEstimator):
    """Multi-label classifier of section-五 items into taxonomy categories.

    One logistic model per category over character n-gram TF-IDF (scaled by
    the category's naive-Bayes log-count ratio), optionally jieba tokens, and
    the rule layer's verdict for that category (whether its patterns fired): the data
    decide how far a pattern counts, so a word that merely appears in an
    item does not carry a label by itself.  Beside it (``svm_C``), a linear
    SVM per category over the same TF-IDF, unscaled and without the
    verdicts: a differently biased view of the same text, whose errors are
    not the logistic model's.  Each model's scores are calibrated (Platt) on
    out-of-fold scores of grouped cross-validation over the training items,
    a category's probability is the mean of its models' probabilities, and
    a label is kept when that probability reaches a threshold chosen on the
    same out-of-fold probabilities: one for every category, for the best
    micro-F1 (``shared_threshold``), or one per category.

    A scikit-learn estimator: ``get_params``/``set_params`` and ``clone``
    work, and ``fit`` starts afresh (nothing built from an earlier fit is
    kept).

    Parameters
    ----------
    C : float
        Inverse regularisation strength of each category's logistic model.
    char_ngrams : tuple of int
        Range of character n-grams.
    words : bool
        Add jieba tokens (with the domain dictionary) as features (off by
        default: they scored no better than character n-grams with a weaker
        regularisation, and cost more than the rest of the stage).
    rules : bool
        Add the rule layer's verdicts as features.
    rule_weight : float
        A verdict's feature value (each TF-IDF row has unit norm): below 1 the
        regularisation makes a pattern earn its weight on the data (0.3 scored
        best in grouped cross-validation).
    threshold : float or None
        None: calibration and thresholds from ``cv``-fold grouped
        cross-validation; a number: that probability for every category,
        uncalibrated (fast, for small or test fits).
    cv : int
        Folds of that cross-validation.
    svm_C : float or None
        Inverse regularisation strength of each category's linear SVM; None:
        the logistic model alone.  (Grouped cross-validation, issue 12: the
        two models' mean scored micro-F1 0.878 on problems and 0.875 on
        improvements, against 0.859 and 0.862 for the logistic model alone
        with a shared threshold.)
    shared_threshold : bool
        One threshold for every category, the one of best micro-F1 over all
        categories' out-of-fold probabilities (calibrated probabilities are
        comparable across categories, and a few hundred items per category
        choose a threshold noisily); False: each category's own, of its best
        F1 (which gave more labels that the annotations lack).
    near_likeliest : bool
        With a shared threshold, keep too every category whose probability
        is within a ratio (``ratio_``, of
        :data:`~textmine.problems.calibrate.RATIO_GRID`) of the item's
        likeliest, the ratio chosen with the threshold on the same
        out-of-fold probabilities: an item that names two areas often has
        the second below the threshold but near the first (grouped
        cross-validation under four assignments of groups to folds, issue
        12: micro-F1 0.875 -> 0.877, improvements 0.874 -> 0.876).  False:
        the likeliest alone (``ratio_`` 1.0).
    """

    def __init__(
        self,
        C: float = 16.0,
        char_ngrams: tuple[int, int] = (1, 2),
        words: bool = False,
        rules: bool = True,
        rule_weight: float = 0.3,
        threshold: float | None = None,
        cv: int = 4,
        svm_C: float | None = 0.5,
        shared_threshold: bool = True,
        near_likeliest: bool = True,
    ) -> None:
        self.C = C
        self.char_ngrams = char_ngrams
        self.words = words
        self.rules = rules
        self.rule_weight = rule_weight
        self.threshold = threshold
        self.cv = cv
        self.svm_C = svm_C
        self.shared_threshold = shared_threshold
        self.near_likeliest = near_likeliest

    # ------------------------------------------------------------------ fit
    def fit(
        self, texts: Sequence[str], labels: Sequence[Sequence[str]], groups: Sequence[str] | None = None
    ) -> ProblemClassifier:
        """Fit on ``texts`` and their label lists; ``groups`` (one per text,
        e.g. the report it comes from) keeps a group on one side of every
        fold of the threshold cross-validation (default: each text alone)."""
        from sklearn.preprocessing import MultiLabelBinarizer

        # The inference tables are built from the fitted model on first use.
        self._w = self._b = self._tables = self._names = None
        texts = list(texts)
        self.binarizer_ = MultiLabelBinarizer().fit([list(x) for x in labels])
        self.classes_ = list(self.binarizer_.classes_)
        truth = self.binarizer_.transform([list(x) for x in labels])
        hits = [self._rule_keys(t) for t in texts]
        self.chars_, self.words_, self.coef_, self.intercept_ = self._fit_linear(texts, hits, truth)
        if self.threshold is None:
            self.calibration_, self.thresholds_, self.ratio_ = self._calibrate(texts, hits, truth, groups)
        else:
            self.calibration_ = np.tile([1.0, 0.0], (len(self.intercept_), 1))
            self.thresholds_ = np.full(len(self.classes_), float(self.threshold))
            self.ratio_ = 1.0
        return self

    @property
    def n_models_(self) -> int:
        """Models per category: their scores are the blocks of ``coef_``'s rows."""
        return len(self.intercept_) // len(self.classes_)

    def _calibrate(
        self, texts: list[str], hits: list[frozenset[str]], truth: np.ndarray, groups: Sequence[str] | None
    ) -> tuple[np.ndarray, np.ndarray, float]:
        """Platt parameters of each model and class, thresholds of each
        class and the ratio to the likeliest (see ``near_likeliest``), from
        out-of-fold scores."""
        fold = grouped_folds(list(groups) if groups is not None else [str(i) for i in range(len(texts))], self.cv)
        scores = np.zeros((len(texts), len(self.intercept_)))
        for k in range(self.cv):
            train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
            if not len(test) or not len(train):
                continue
            chars, words, coef, intercept = self._fit_linear(
                [texts[i] for i in train], [hits[i] for i in train], truth[train]
            )
            X = self._design([texts[i] for i in test], [hits[i] for i in test], chars, words)
            scores[test] = X @ coef.T + intercept
        n = truth.shape[1]
        calibration = np.array([platt(scores[:, j], truth[:, j % n]) for j in range(scores.shape[1])])
        probabilities = self._mean_probability(scores, calibration)
        if self.shared_threshold and self.near_likeliest:
            threshold, ratio = best_shared_cut(probabilities, truth)
            return calibration, np.full(n, threshold), ratio
        if self.shared_threshold:
            return calibration, np.full(n, best_shared_threshold(probabilities, truth)), 1.0
        return calibration, np.array([best_threshold(probabilities[:, j], truth[:, j]) for j in range(n)]), 1.0

    def _mean_probability(self, scores: np.ndarray, calibration: np.ndarray) -> np.ndarray:
        """Each class's calibrated probability, the mean over its models (items x classes)."""
        probabilities = sigmoid(scores * calibration[:, 0] + calibration[:, 1])
        return probabilities.reshape(len(scores), self.n_models_, len(self.classes_)).mean(axis=1)

    def _rule_keys(self, text: str) -> frozenset[str]:
        return rule_layer().verdicts(text) if self.rules else frozenset()

    # ------------------------------------------------------------ inference
    def _weights(self) -> tuple[np.ndarray, np.ndarray]:
        # The binary models as one dense (features x classes) matrix: an
        # item's scores are then a gather of its few rows, not one validated
        # call per class or a sparse product.
        if getattr(self, "_w", None) is None:
            self._w = np.ascontiguousarray(self.coef_.T)
            self._b = self.intercept_
        return self._w, self._b

    def _vectorizers(self) -> tuple[Any, ...]:
        return (self.chars_,) if self.words_ is None else (self.chars_, self.words_)

    def _lookup(self) -> tuple[tuple[dict[str, int], ...], np.ndarray, dict[str, int]]:
        # Per vectorizer, unit -> column in the stacked matrix; the IDF of
        # every column; the column of each rule verdict.  Built once.
        if getattr(self, "_tables", None) is None:
            tables, idf = [], []
            offset = 0
            for vectorizer in self._vectorizers():
                tables.append({u: j + offset for u, j in vectorizer.vocabulary_.items()})
                idf.append(vectorizer.idf_)
                offset += len(vectorizer.idf_)
            rule_columns = {key: offset + j for j, key in enumerate(CATEGORIES)} if self.rules else {}
            self._tables = (tuple(tables), np.concatenate(idf), rule_columns)
        return self._tables

    def _units(self, text: str) -> tuple[list[str], ...]:
        """The units each vectorizer counts: char n-grams of the whitespace-
        folded, lower-cased text (as scikit-learn's char analyzer), jieba tokens."""
        folded = _WHITESPACE.sub(" ", text.lower())
        low, high = self.char_ngrams
        grams: list[str] = []
        for n in range(low, high + 1):
            # Sliding concatenation runs in C; slicing per position would not.
            if n == 1:
                grams.extend(folded)
            elif n == 2:
                grams.extend(
                    map(add, folded[:-1], folded[1:])
                )  # operator.add: str.__add__ is a slot wrapper, a costlier call
            else:
                grams.extend(map("".join, zip(*(folded[k : len(folded) - n + 1 + k] for k in range(n)))))
        return (grams, tokens(text).split(" ")) if self.words_ is not None else (grams,)

    def _rows(self, texts: Sequence[str], hits: Sequence[frozenset[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The items' feature rows as the fitted vectorizers compute them
        (sublinear TF times IDF, L2-normed per vectorizer; then the rule
        verdicts): ``(item, column, value)`` arrays, for a whole report's
        items at once, so the arithmetic is a few array operations rather
        than a Python loop per n-gram."""
        tables, idf, rule_columns = self._lookup()
        columns: list[int] = []
        counts: list[int] = []
        sizes: list[int] = []  # units per (item, vectorizer): the units' L2 block, in order
        for text in texts:
            for table, units in zip(tables, self._units(text)):
                tally = Counter(units)
                columns.extend(map(table.get, tally, repeat(-1)))
                counts.extend(tally.values())
                sizes.append(len(tally))
        column = np.fromiter(columns, np.int64, len(columns))  # np.array inspects each element as an object
        known = column >= 0
        column, block = column[known], np.repeat(np.arange(len(sizes)), sizes)[known]
        value = (1.0 + np.log(np.fromiter(counts, np.float64, len(counts))[known])) * idf[column]
        norm = np.sqrt(np.bincount(block, weights=value * value, minlength=len(texts) * len(tables)))
        value /= np.where(norm > 0, norm, 1.0)[block]
        item = block // len(tables)
        verdicts = [(i, rule_columns[key]) for i, h in enumerate(hits) for key in sorted(h)]
        if verdicts:
            rule_item, rule_column = np.array(verdicts, dtype=np.int64).T
            item = np.concatenate([item, rule_item])
            column = np.concatenate([column, rule_column])
            value = np.concatenate([value, np.full(len(verdicts), float(self.rule_weight))])
        return item, column, value

    def _probabilities(
        self, texts: Sequence[str], hits: Sequence[frozenset[str]]
    ) -> tuple[np.ndarray, tuple, np.ndarray]:
        """Calibrated probabilities (items x classes), their rows, and each
        row's push per model and class (rows x models*classes)."""
        w, b = self._weights()
        item, column, value = rows = self._rows(texts, hits)
        pushes = w[column] * value[:, None]
        # Sum each item's feature pushes per class: one bincount over (item, class) cells.
        cells = (item[:, None] * len(b) + np.arange(len(b))).ravel()
        scores = b + np.bincount(cells, weights=pushes.ravel(), minlength=len(texts) * len(b)).reshape(
            len(texts), len(b)
        )
        return self._mean_probability(scores, self.calibration_), rows, pushes

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated scores from the scikit-learn vectorizers' matrix:
        items x (models x classes), each model's block of classes in turn."""
        texts = list(texts)
        X = self._design(texts, [self._rule_keys(t) for t in texts], self.chars_, self.words_)
        return np.asarray(X @ self.coef_.T) + self.intercept_

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Calibrated probability of each class, per text."""
        return [decision.probabilities for decision in self.decide(texts, top=0)]

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [decision.labels for decision in self.decide(texts, top=0)]

    def decide(self, texts: Sequence[str], top: int = 5) -> list[Decision]:
        """Labels, probabilities and evidence of each text (see :class:`Decision`)."""
        texts = list(texts)
        if not texts:
            return []
        found = [self._rule_keys(t) for t in texts]
        probabilities, (item, column, _), pushes = self._probabilities(texts, found)
        ratio = self.ratio_
        # Below 1, the ratio keeps categories near the likeliest; at 1 an item
        # with none past its threshold is left to CombinedClassifier's choice.
        passed = (
            shared_cut(probabilities, self.thresholds_, ratio) if ratio < 1 else probabilities >= self.thresholds_
        ).tolist()
        rows = probabilities.tolist()
        if top:
            names = self._feature_names()
            # A feature's push on a label: on each model's calibrated log-odds, summed over the models.
            slopes = self.calibration_[:, 0]
            pushes = (pushes * slopes).reshape(len(pushes), self.n_models_, len(self.classes_)).sum(axis=1)
            # Each item's rows as one slice, sorted by item once (stably: the same ranking and ties).
            order = np.argsort(item, kind="stable")
            bounds = np.searchsorted(item[order], np.arange(len(texts) + 1)).tolist()
            pushes, column = pushes[order], column[order]
        out = []
        for i, (row, keep, verdicts) in enumerate(zip(rows, passed, found)):
            chosen = [j for j, k in enumerate(keep) if k]
            labels = [self.classes_[j] for j in chosen]
            features = {}
            if top and labels:
                mine, columns = pushes[bounds[i] : bounds[i + 1]], column[bounds[i] : bounds[i + 1]]
                for j, label in zip(chosen, labels):
                    best = mine[:, j].argsort()[::-1][:top]
                    features[label] = [
                        names[c] for c, p in zip(columns[best].tolist(), mine[best, j].tolist()) if p > 0
                    ]
            out.append(Decision(labels, dict(zip(self.classes_, row)), features, verdicts))
        return out

    def explain(self, text: str, top: int = 5) -> dict[str, list[str]]:
        """Per predicted category, the features that pushed it most."""
        return self.decide([text], top)[0].features

    def _feature_names(self) -> list[str]:
        # Derived from the fitted vocabularies, built once: explain runs per item.
        if getattr(self, "_names", None) is None:
            names = [f"char:{n}" for n in self.chars_.get_feature_names_out()]
            if self.words_ is not None:
                names += [f"word:{n}" for n in self.words_.get_feature_names_out()]
            self._names = names + ([f"rule:{key}" for key in CATEGORIES] if self.rules else [])
        return self._names

    # ------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        """Write the fitted model to ``path`` (skops, :mod:`.model_file`)."""
        save_classifier(self, path)

    @classmethod
    def load(cls, path: Path) -> ProblemClassifier:
        """Load a model file, refusing any type outside
        :data:`~textmine.problems.model_file.ALLOWED_TYPES`."""
        return load_classifier(cls, path)


@lru_cache(maxsize=1)
def rule_layer() -> RuleClassifier:
    return RuleClassifier().fit()
