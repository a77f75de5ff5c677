"""The learned layer: a one-vs-rest linear model over jieba tokens and
character n-grams, persisted with skops (never pickle).

:class:`ProblemClassifier` follows scikit-learn's estimator contract:
``__init__`` stores parameters, ``fit`` returns ``self``, learned state ends
in ``_``; ``predict`` takes a list of texts and returns a list of label lists.
Only plain scikit-learn objects are saved, so loading needs no custom type
and refuses any type outside a fixed allow-list.

>>> clf = ProblemClassifier().fit(["网站更新不及时", "审核把关不严"] * 3,
...                               [["timeliness"], ["review"]] * 3)   # doctest: +SKIP
>>> clf.predict(["栏目长期未更新"])                                   # doctest: +SKIP
[['timeliness']]
"""

from __future__ import annotations

import json
import math
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sklearn.base import BaseEstimator

from ..errors import TextmineError
from .segment import cut_no_hmm

_WHITESPACE = re.compile(r"\s\s+")  # as scikit-learn's char analyzer folds it

# What a textmine model file may contain; anything else is refused unread.
ALLOWED_TYPES = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.str",
        "builtins.tuple",
        "numpy.dtype",
        "numpy.float64",
        "numpy.int64",
        "numpy.ndarray",
        "scipy.sparse._csr.csr_matrix",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.multiclass.OneVsRestClassifier",
        "sklearn.preprocessing._label.LabelBinarizer",
        "sklearn.preprocessing._label.MultiLabelBinarizer",
    }
)


@lru_cache(maxsize=1)
def domain_tokenizer() -> Any:
    """A jieba tokenizer of its own (no global state) with the domain's terms.

    The user dictionary gives each term a high frequency: with jieba's
    default frequency a term is often still split (政务/新媒体).
    """
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    path = resources.files("textmine.data").joinpath("jieba_user_dict.txt")
    with resources.as_file(path) as real_path:
        tokenizer.load_userdict(str(real_path))
    return tokenizer


def tokens(text: str) -> str:
    """The text as space-separated jieba tokens (punctuation and spaces dropped)."""
    # HMM off: the domain dictionary covers the terms that matter, and the
    # Viterbi pass for unknown words would cost more than the rest of the stage.
    return " ".join(
        t for t in cut_no_hmm(domain_tokenizer(), text) if t.isalnum() or (t.strip() and not _is_punct(t))
    )


def _is_punct(token: str) -> bool:
    return all(not ch.isalnum() for ch in token)


class ProblemClassifier(BaseEstimator):
    """Multi-label classifier of section-五 items into taxonomy categories.

    A scikit-learn estimator: ``get_params``/``set_params`` and ``clone``
    work, and ``fit`` starts afresh (nothing built from an earlier fit is
    kept).

    Parameters
    ----------
    C : float
        Inverse regularisation strength of each one-vs-rest logistic model.
    threshold : float
        Probability above which a category is predicted.
    char_ngrams : tuple of int
        Range of character n-grams.
    """

    def __init__(self, C: float = 8.0, threshold: float = 0.4, char_ngrams: tuple[int, int] = (2, 2)) -> None:
        self.C = C
        self.threshold = threshold
        self.char_ngrams = char_ngrams

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> ProblemClassifier:
        # The inference tables are built from the fitted model on first use.
        self._w = self._b = self._tables = self._names = None
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        from sklearn.preprocessing import MultiLabelBinarizer

        self.chars_ = TfidfVectorizer(analyzer="char", ngram_range=tuple(self.char_ngrams), sublinear_tf=True, min_df=2)
        self.words_ = TfidfVectorizer(token_pattern=r"[^ ]+", lowercase=False, sublinear_tf=True)
        self.binarizer_ = MultiLabelBinarizer()
        y = self.binarizer_.fit_transform(labels)
        X = self._features(texts, fit=True)
        base = LogisticRegression(C=self.C, solver="liblinear", class_weight="balanced", random_state=0)
        self.model_ = OneVsRestClassifier(base).fit(X, y)
        self.classes_ = list(self.binarizer_.classes_)
        return self

    def _features(self, texts: Sequence[str], *, fit: bool = False) -> Any:
        from scipy.sparse import hstack

        words = [tokens(t) for t in texts]
        if fit:
            return hstack([self.chars_.fit_transform(texts), self.words_.fit_transform(words)]).tocsr()
        return hstack([self.chars_.transform(texts), self.words_.transform(words)]).tocsr()

    def _weights(self) -> tuple[Any, Any]:
        # The fifteen binary models as one dense (features x classes) matrix:
        # an item's scores are then a gather of its few rows, not fifteen
        # validated calls or a sparse product.
        if getattr(self, "_w", None) is None:
            import numpy as np

            self._w = np.vstack([e.coef_[0] for e in self.model_.estimators_]).T.copy()
            self._b = np.array([e.intercept_[0] for e in self.model_.estimators_])
        return self._w, self._b

    def _matrix(self, texts: Sequence[str]) -> Any:
        """The TF-IDF matrix of ``texts`` built from :meth:`_row` (equal to
        the vectorizers' own transform; what inference scores, as a matrix)."""
        import numpy as np
        from scipy.sparse import csr_matrix

        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for text in texts:
            row_indices, row_values = self._row(text)
            indices.extend(row_indices)
            values.extend(row_values)
            indptr.append(len(indices))
        width = sum(len(weights) for weights in self._lookup())
        return csr_matrix(
            (np.array(values), np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(texts), width)
        )

    def _row(self, text: str) -> tuple[list[int], list[float]]:
        """The TF-IDF row of ``text`` as the fitted vectorizers compute it
        (char n-grams after whitespace folding and lower-casing; jieba
        tokens; sublinear TF, IDF, L2 norm per vectorizer), in plain Python:
        a report's few short items would otherwise cost more in per-call
        overhead than segmenting the whole report."""
        indices: list[int] = []
        values: list[float] = []
        log = math.log
        for weights, units in zip(self._lookup(), (self._char_ngrams(text), tokens(text).split(" "))):
            get = weights.get
            # scikit-learn's sublinear TF (1 + log n) times the IDF, inline: this
            # runs for every n-gram of every item.
            row = [
                (w[0], w[1] if n == 1 else (1.0 + log(n)) * w[1])
                for u, n in Counter(units).items()
                if (w := get(u)) is not None
            ]
            norm = math.sqrt(sum(v * v for _, v in row))
            indices.extend(j for j, _ in row)
            values.extend(v / norm for _, v in row)
        return indices, values

    def _lookup(self) -> tuple[dict[str, tuple[int, float]], ...]:
        # Per vectorizer, unit -> (column in the stacked matrix, IDF) as plain
        # Python objects, built once: one dict lookup per n-gram or token.
        if getattr(self, "_tables", None) is None:
            tables = []
            offset = 0
            for vectorizer in (self.chars_, self.words_):
                idf = vectorizer.idf_.tolist()
                tables.append({u: (j + offset, idf[j]) for u, j in vectorizer.vocabulary_.items()})
                offset += len(idf)
            self._tables = tuple(tables)
        return self._tables

    def _char_ngrams(self, text: str) -> list[str]:
        folded = _WHITESPACE.sub(" ", text.lower())
        low, high = self.char_ngrams
        if (low, high) == (2, 2):
            return list(map(str.__add__, folded[:-1], folded[1:]))  # the fitted model's range, fast
        return [folded[i : i + n] for n in range(low, high + 1) for i in range(len(folded) - n + 1)]

    def _contributions(self, text: str) -> tuple[Any, Any, Any]:
        """The item's feature columns, each feature's push on each class
        (features x classes), and the class probabilities."""
        import numpy as np

        w, b = self._weights()
        columns, values = self._row(text)
        idx = np.array(columns, dtype=np.int64)
        push = w[idx] * np.array(values)[:, None]
        return idx, push, 1.0 / (1.0 + np.exp(-(push.sum(axis=0) + b)))

    def predict_proba(self, texts: Sequence[str]) -> list[dict[str, float]]:
        return [dict(zip(self.classes_, self._contributions(t)[2].tolist())) for t in texts]

    def _labels(self, probs: dict[str, float]) -> list[str]:
        labels = [c for c, p in probs.items() if p >= self.threshold]
        if not labels:
            # An item is about something: its likeliest category, if likely at all.
            best = max(probs, key=probs.__getitem__)
            labels = [best] if probs[best] >= self.threshold / 2 else []
        return sorted(labels)

    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        return [self._labels(p) for p in self.predict_proba(texts)]

    def predict_and_explain(self, texts: Sequence[str], top: int = 5) -> list[tuple[list[str], dict[str, list[str]]]]:
        """Labels and, per label, the features that pushed it most."""
        names = self._feature_names()
        column = {c: k for k, c in enumerate(self.classes_)}
        out = []
        for text in texts:
            idx, push, probabilities = self._contributions(text)
            labels = self._labels(dict(zip(self.classes_, probabilities.tolist())))
            evidence = {}
            for label in labels:
                pushes = push[:, column[label]]
                order = pushes.argsort()[::-1][:top]
                evidence[label] = [names[idx[j]] for j in order if pushes[j] > 0]
            out.append((labels, evidence))
        return out

    def explain(self, text: str, top: int = 5) -> dict[str, list[str]]:
        """Per predicted category, the features that pushed it most."""
        return self.predict_and_explain([text], top)[0][1]

    def _feature_names(self) -> list[str]:
        # Derived from the fitted vocabularies, built once: explain runs per item.
        if getattr(self, "_names", None) is None:
            self._names = [f"char:{n}" for n in self.chars_.get_feature_names_out()] + [
                f"word:{n}" for n in self.words_.get_feature_names_out()
            ]
        return self._names

    # ------------------------------------------------------------ persistence
    def save(self, path: Path) -> None:
        import skops.io as sio

        state = {
            "params": json.dumps({"C": self.C, "threshold": self.threshold, "char_ngrams": list(self.char_ngrams)}),
            "chars": self.chars_,
            "words": self.words_,
            "binarizer": self.binarizer_,
            "model": self.model_,
        }
        # Deflate: the vocabularies are text and shrink several-fold.
        sio.dump(state, path, compression=zipfile.ZIP_DEFLATED)

    @classmethod
    def load(cls, path: Path) -> ProblemClassifier:
        """Load a model file, refusing any type outside :data:`ALLOWED_TYPES`."""
        import skops.io as sio

        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception as exc:  # a broken or foreign file: say so, do not guess
            raise TextmineError(str(path), f"not a readable skops model file ({type(exc).__name__}: {exc})") from exc
        refused = sorted(set(untrusted) - ALLOWED_TYPES)
        if refused:
            raise TextmineError(str(path), f"model file holds types textmine does not load: {', '.join(refused)}")
        state = sio.load(path, trusted=list(untrusted))
        params = json.loads(state["params"])
        clf = cls(C=params["C"], threshold=params["threshold"], char_ngrams=tuple(params["char_ngrams"]))
        clf.chars_, clf.words_ = state["chars"], state["words"]
        clf.binarizer_, clf.model_ = state["binarizer"], state["model"]
        clf.classes_ = list(clf.binarizer_.classes_)
        return clf
