"""The one way textmine connects to DuckDB (offline), below every other
module of the corpus package so that the schema can use it too."""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

# Every DuckDB connection textmine opens is offline: DuckDB would otherwise
# fetch an extension from the network to read a file it does not know (a
# SQLite file given as the database), or load one behind the user's back.
OFFLINE: Mapping[str, bool] = MappingProxyType(
    {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
)


def open_duckdb(database: str | os.PathLike[str] = ":memory:", *, read_only: bool = False) -> Any:
    """A DuckDB connection with :data:`OFFLINE` settings: the one way
    textmine connects to DuckDB.  Raises ``duckdb.Error`` as DuckDB does;
    :func:`connect` turns it into one line."""
    import duckdb

    return duckdb.connect(str(database), read_only=read_only, config=dict(OFFLINE))
