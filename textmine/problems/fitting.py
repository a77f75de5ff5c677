"""How :class:`~textmine.problems.model.ProblemClassifier` fits its linear
models: the design matrix (character n-grams, optional jieba tokens, the rule
layer's verdicts), one naive-Bayes-scaled logistic model per category and,
with ``svm_C``, a linear SVM per category beside it.  A mixin: the
estimator's parameters (``C``, ``char_ngrams``, ``words``, ``rules``,
``rule_weight``, ``svm_C``) and ``classes_`` are the classifier's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .rules import CATEGORIES
from .segment import tokens

_CERTAIN = 10.0  # the score of a class a training set has on every item or none


class LinearFitting:
    """The fitting half of the classifier (see the module docstring)."""

    C: float
    char_ngrams: tuple[int, int]
    words: bool
    rules: bool
    rule_weight: float
    svm_C: float | None
    classes_: list[str]

    def _fit_linear(
        self, texts: list[str], hits: list[frozenset[str]], truth: np.ndarray
    ) -> tuple[Any, Any, np.ndarray, np.ndarray]:
        """Vectorizers and one logistic model per class over features scaled
        by the class's naive-Bayes log-count ratio (NB-LR, Wang & Manning
        2012: it scored above plain TF-IDF in grouped cross-validation); the
        ratio is folded into the coefficients, so inference is one linear map.
        With ``svm_C``, a linear SVM per class over the text features follows:
        its rows come after the logistic models' in ``coef``."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        chars = TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngrams), sublinear_tf=True, min_df=2)
        words = TfidfVectorizer(token_pattern=r"[^ ]+", lowercase=False, sublinear_tf=True) if self.words else None
        X = self._design(texts, hits, chars, words, fit=True)
        present = (X > 0).astype(np.float64)
        n = truth.shape[1]
        svm = self.svm_C is not None
        coef = np.zeros((n * (2 if svm else 1), X.shape[1]))
        intercept = np.zeros(len(coef))
        # The SVM sees the text alone: the verdicts' columns are zeroed.
        text = X[:, : X.shape[1] - len(CATEGORIES)] if self.rules else X
        for j, y in enumerate(truth.T):
            if y.min() == y.max():
                # A fold of the calibration may lack a rare category: never (or always) it.
                intercept[j::n] = _CERTAIN if y.max() else -_CERTAIN
                continue
            ratio = self._own_verdict_only(_log_count_ratio(present, y), self.classes_[j], X.shape[1])
            fitted = LogisticRegression(C=self.C, solver="liblinear", class_weight="balanced", random_state=0).fit(
                X.multiply(ratio).tocsr(), y
            )
            coef[j], intercept[j] = fitted.coef_[0] * ratio, fitted.intercept_[0]
            if svm:
                fitted = LinearSVC(C=self.svm_C, class_weight="balanced", random_state=0).fit(text, y)
                coef[n + j, : text.shape[1]], intercept[n + j] = fitted.coef_[0], fitted.intercept_[0]
        return chars, words, coef, intercept

    def _own_verdict_only(self, ratio: np.ndarray, category: str, width: int) -> np.ndarray:
        # A category's model sees its own patterns' verdict, not the others':
        # another category's pattern firing says little about this one, and
        # learning that from a thousand items mostly learnt noise (grouped CV:
        # micro-F1 0.851 -> 0.855, on the real items 0.827 -> 0.858).  The own
        # verdict keeps at least a unit scale, so a weak pattern is weighed by
        # the fit rather than silenced by its ratio.
        if not self.rules:
            return ratio
        first = width - len(CATEGORIES)
        own = first + CATEGORIES.index(category) if category in CATEGORIES else None
        scaled = ratio.copy()
        scaled[first:] = 0.0
        if own is not None:
            scaled[own] = max(abs(ratio[own]), 1.0)
        return scaled

    def _design(
        self, texts: Sequence[str], hits: Sequence[frozenset[str]], chars: Any, words: Any, *, fit: bool = False
    ) -> Any:
        from scipy.sparse import csr_matrix, hstack

        parts = [chars.fit_transform(texts) if fit else chars.transform(texts)]
        if words is not None:
            tokenised = [tokens(t) for t in texts]
            parts.append(words.fit_transform(tokenised) if fit else words.transform(tokenised))
        if self.rules:
            verdicts = np.array([[key in h for key in CATEGORIES] for h in hits], dtype=float)
            parts.append(csr_matrix(verdicts.reshape(len(texts), len(CATEGORIES)) * self.rule_weight))
        return hstack(parts).tocsr()


def _log_count_ratio(present: Any, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """log( P(feature | class) / P(feature | not class) ), smoothed by ``alpha``."""
    positive = alpha + np.asarray(present[y == 1].sum(axis=0)).ravel()
    negative = alpha + np.asarray(present[y == 0].sum(axis=0)).ravel()
    return np.log(positive / positive.sum()) - np.log(negative / negative.sum())
