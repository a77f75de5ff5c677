"""What every schema is made of: strict models and patterns that must compile."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return pattern


def _nonempty(text: str) -> str:
    if not text:
        raise ValueError("must not be empty")
    return text


Regex = Annotated[str, AfterValidator(_nonempty), AfterValidator(_compiles)]
"""A regular expression that compiles as written."""
Template = Annotated[str, AfterValidator(_nonempty)]
"""A pattern with placeholders (``{AGENCY}``, ``<agency>``) filled in by the code."""
Share = Annotated[float, Field(ge=0, le=1)]
Count = Annotated[int, Field(ge=0)]


class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced (a number is not a string)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Noted(Strict):
    pattern: Regex
    note: str


class PatternOnly(Strict):
    pattern: Regex
