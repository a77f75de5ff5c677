"""The problem taxonomy of section 五 (``taxonomy.toml``; ``spec/taxonomy.md``).

Its category keys and their Chinese names, in the taxonomy's order: what
the corpus summary and report and the notebooks' plots (:mod:`textmine.plotting`)
show and order categories by.  It sits beside the data file, below every
layer that shows categories, so none of them reaches into another for it.

>>> list(taxonomy_labels())[:2]
['timeliness', 'review']
>>> taxonomy_labels()["review"]
'审核把关不严'
>>> category_key("审核把关不严")
'review'
"""

from __future__ import annotations

from functools import lru_cache

from ..errors import UnknownCategoryError
from . import load_toml

__all__ = ["category_key", "taxonomy_labels"]


@lru_cache(maxsize=1)
def taxonomy_labels() -> dict[str, str]:
    """Category key → Chinese label, in the taxonomy's order.

    Read once (cached): callers share the dict and must not change it;
    :func:`textmine.plotting.category_names` hands out a copy."""
    return {c["key"]: c["name"] for c in load_toml("taxonomy.toml")["category"]}


def category_key(value: str, source: str | None = None) -> str:
    """A category given by key (``review``) or Chinese name (``审核把关不严``)
    as its key; :class:`~textmine.errors.UnknownCategoryError` (naming
    ``source`` and listing the categories) for anything else."""
    names = taxonomy_labels()
    if value in names:
        return value
    for key, name in names.items():
        if name == value:
            return key
    choices = ", ".join(f"{k} ({n})" for k, n in names.items())
    raise UnknownCategoryError(source, f"no category {value!r}; categories: {choices}")
