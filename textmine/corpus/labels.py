"""What the summary's tables, columns and sentences are called in each
language textmine speaks (``textmine/data/summary.toml``): the terminal
summary, the exports and ``check`` name things alike.

>>> column_names(["admitting", "2021"], "zh")
['承认数', '2021']
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..data import load_toml

LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def _labels() -> dict[str, Any]:
    return load_toml("summary.toml")


def table_name(name: str, lang: str) -> str:
    """A table's name in ``lang`` (its key when the file lacks it)."""
    entry = _labels()["tables"].get(name)
    return entry[lang] if entry else name


def column_names(columns: list[str], lang: str) -> list[str]:
    """Headers in ``lang``; a year column (``"2021"``) stays as it is."""
    names = _labels()["columns"]
    return [names[c][lang] if c in names else c for c in columns]


def phrase(name: str, lang: str, /, **values: Any) -> str:
    """Sentence ``name`` of the terminal summary in ``lang``, ``values`` filled in."""
    return _labels()["phrases"][name][lang].format(**values)


def finding_words(lang: str) -> dict[str, str]:
    """How ``textmine check`` names statuses, severities and its lines, in ``lang``."""
    return {key: words[lang] for key, words in _labels()["findings"].items()}
