"""Query results as the summary hands them out: DataFrames, and JSON-ready
plain Python values (``textmine summary --json``).

The summary's functions take a :class:`~textmine.corpus.api.Corpus` or a bare
DuckDB connection; :func:`connection_of` and :func:`source_of` hide which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def connection_of(corpus: Any) -> Any:
    """The DuckDB connection of a :class:`~textmine.corpus.api.Corpus`, or
    ``corpus`` itself when it already is one."""
    return getattr(corpus, "con", corpus)


def source_of(corpus: Any) -> str | None:
    """The database file, for error messages (None for a bare connection)."""
    return getattr(corpus, "path", None)


def frame(con: Any, query: str, params: list[Any] | None = None) -> pd.DataFrame:
    """``query``'s result as a DataFrame."""
    return con.execute(query, params or []).df()


def is_missing(value: Any) -> bool:
    """A missing scalar (None, NaN, NA, NaT); never true of a list or array."""
    import pandas as pd

    if isinstance(value, (list, tuple, dict)) or getattr(value, "ndim", 0) > 0:
        return False
    return bool(pd.isna(value))


def plain(value: Any) -> Any:
    """numpy scalars and missing values as plain Python (JSON-ready)."""
    if value is None or is_missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def json_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (NaN → null, numpy → Python)."""
    out = []
    for row in df.to_dict("records"):
        out.append({str(k): json_value(v) for k, v in row.items()})
    return out


def json_value(value: Any) -> Any:
    """``value`` as plain Python, lists and dicts converted all the way down."""
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) > 0):
        return [json_value(v) for v in list(value)]
    return plain(value)


def insert_interval(df: pd.DataFrame, after: str, successes: Any, totals: Any) -> pd.DataFrame:
    """Insert the 95 % Wilson interval of the share in column ``after``
    (``successes`` of ``totals``, row by row) as ``<after>_low`` and
    ``<after>_high`` right after it; null where the total is 0."""
    from ..metrics import wilson_interval

    bounds = [wilson_interval(int(k), int(n)) if n else (None, None) for k, n in zip(successes, totals)]
    at = df.columns.get_loc(after) + 1
    df.insert(at, f"{after}_low", [b[0] for b in bounds])
    df.insert(at + 1, f"{after}_high", [b[1] for b in bounds])
    return df
