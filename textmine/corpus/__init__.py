"""A corpus of reports as one DuckDB database.

>>> from textmine import corpus
>>> corpus.tag(["reports/"], "corpus.duckdb")        # doctest: +SKIP
>>> db = corpus.open("corpus.duckdb")                # doctest: +SKIP
>>> db.items.head()                                  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import Corpus
    from .tagging import TagResult, tag

__all__ = ["Corpus", "TagResult", "open", "tag"]


def __getattr__(name: str) -> Any:
    # Lazy: `import textmine.corpus` must not import DuckDB or the pipeline.
    if name in ("tag", "TagResult"):
        from . import tagging as module

        return getattr(module, name)
    if name in ("open", "Corpus"):
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
