"""A model file of the learned layer: the fitted state of a
:class:`~textmine.problems.model.ProblemClassifier` written with skops
(never pickle), and read back only when it holds nothing outside a fixed
allow-list of plain scikit-learn, NumPy and SciPy types."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..errors import TextmineError

_C = TypeVar("_C")

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
        "sklearn.preprocessing._label.MultiLabelBinarizer",
    }
)


# What a model file written before a parameter existed was fitted with: the
# logistic models alone, each category its own threshold.
FORMER_DEFAULTS = {"svm_C": None, "shared_threshold": False, "near_likeliest": False}


def save_classifier(clf: Any, path: Path) -> None:
    """Write a fitted :class:`~textmine.problems.model.ProblemClassifier` to ``path``."""
    import skops.io as sio

    state = {
        "params": json.dumps(clf.get_params()),
        "chars": clf.chars_,
        "binarizer": clf.binarizer_,
        "coef": clf.coef_,
        "intercept": clf.intercept_,
        "calibration": clf.calibration_,
        "thresholds": clf.thresholds_,
        "ratio": np.float64(clf.ratio_),
    }
    if clf.words_ is not None:
        state["words"] = clf.words_
    # Deflate: the vocabularies are text and shrink several-fold.
    sio.dump(state, path, compression=zipfile.ZIP_DEFLATED)


def load_classifier(cls: type[_C], path: Path) -> _C:
    """The classifier of class ``cls`` a model file holds, refusing any type
    outside :data:`ALLOWED_TYPES`."""
    import skops.io as sio

    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # a broken or foreign file: say so, do not guess
        raise TextmineError(str(path), f"not a readable skops model file ({type(exc).__name__}: {exc})") from exc
    refused = sorted(set(untrusted) - ALLOWED_TYPES)
    if refused:
        raise TextmineError(str(path), f"model file holds types textmine does not load: {', '.join(refused)}")
    state = sio.load(path, trusted=list(untrusted))
    try:
        params = {**FORMER_DEFAULTS, **json.loads(state["params"])}
        clf: Any = cls(**{**params, "char_ngrams": tuple(params["char_ngrams"])})
        clf.chars_, clf.words_ = state["chars"], state.get("words")
        clf.binarizer_, clf.coef_, clf.intercept_ = state["binarizer"], state["coef"], state["intercept"]
        clf.calibration_, clf.thresholds_ = state["calibration"], state["thresholds"]
        clf.ratio_ = float(state.get("ratio", 1.0))  # a file of before the ratio: the likeliest alone
    except KeyError as exc:
        raise TextmineError(str(path), f"not a model file of this textmine version (lacks {exc})") from exc
    except TypeError as exc:  # a setting this version does not know: a newer textmine wrote it
        raise TextmineError(
            str(path), f"written by another textmine version, with settings this one does not know ({exc})"
        ) from exc
    clf.classes_ = list(clf.binarizer_.classes_)
    return clf
