"""textmine's data files (TOML): layouts, section titles, meta patterns.

Chinese labels and patterns live here rather than in code, so adding a
variant seen in a new report is a data change plus a test.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any


def load_toml(name: str) -> dict[str, Any]:
    """Parse the data file ``name`` shipped in this package."""
    with resources.files(__name__).joinpath(name).open("rb") as fh:
        return tomllib.load(fh)
