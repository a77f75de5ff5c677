"""textmine's data files (TOML): layouts, section titles, meta patterns.

Chinese labels and patterns live here rather than in code, so adding a
variant seen in a new report is a data change plus a test. Every file is
checked against its model in :mod:`textmine.data.schemas` when loaded.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from pydantic import ValidationError

from ..errors import DataFileError


def load_toml(name: str) -> dict[str, Any]:
    """Parse the data file ``name`` shipped in this package and check it
    against its schema; :class:`~textmine.errors.DataFileError` names the
    file and the key of the first problem."""
    path = resources.files(__name__).joinpath(name)
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise DataFileError(f"textmine/data/{name}", f"not valid TOML: {exc}") from None
    return validate(name, data)


def validate(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` unchanged when it fits the schema of the file ``name``."""
    from .schemas import SCHEMAS

    schema = SCHEMAS.get(name)
    if schema is None:
        raise DataFileError(
            f"textmine/data/{name}", "no schema describes this file (add one to textmine/data/schemas/)"
        )
    try:
        schema.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(f"textmine/data/{name}", _first_problem(exc)) from None
    return data


def _first_problem(exc: ValidationError) -> str:
    """``key.path: message`` of the first error, plus how many more keys are wrong."""
    errors = exc.errors()
    places = list(dict.fromkeys(_key_path(e["loc"]) for e in errors))
    first = errors[0]
    message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
    more = f" (and {len(places) - 1} more)" if len(places) > 1 else ""
    return f"{places[0]}: {message}{more}"


def _key_path(loc: tuple[int | str, ...]) -> str:
    # pydantic adds the tried member of a union (``list[str]``,
    # ``function-after[...]``) to the location: not a key of the file.
    keys = [str(part) for part in loc if isinstance(part, int) or not any(ch in part for ch in "[(")]
    return ".".join(keys) or "(top level)"
