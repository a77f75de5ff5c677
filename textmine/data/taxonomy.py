"""The problem taxonomy of section 五 (``taxonomy.toml``; ``spec/taxonomy.md``).

Its category keys and their Chinese names, in the taxonomy's order: what
the corpus summary and report and the notebooks' plots (:mod:`textmine.plotting`)
show and order categories by.  It sits beside the data file, below every
layer that shows categories, so none of them reaches into another for it.

>>> list(taxonomy_labels())[:2]
['timeliness', 'review']
>>> taxonomy_labels()["review"]
'审核把关不严'
"""

from __future__ import annotations

from functools import lru_cache

from . import load_toml

__all__ = ["taxonomy_labels"]


@lru_cache(maxsize=1)
def taxonomy_labels() -> dict[str, str]:
    """Category key → Chinese label, in the taxonomy's order.

    Read once (cached): callers share the dict and must not change it;
    :func:`textmine.plotting.category_names` hands out a copy."""
    return {c["key"]: c["name"] for c in load_toml("taxonomy.toml")["category"]}
