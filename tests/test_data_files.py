"""Every data file is checked against its schema when loaded: a misspelt key,
a wrong type or a pattern that does not compile is an error naming the file
and the key (textmine.data.schemas)."""

from __future__ import annotations

import copy
from importlib import resources

import pytest

from textmine.data import load_toml, validate
from textmine.data.schemas import SCHEMAS
from textmine.errors import DataFileError


def test_every_data_file_has_a_schema_and_fits_it() -> None:
    shipped = {
        str(p.relative_to(resources.files("textmine.data")))
        for p in resources.files("textmine.data").rglob("*.toml")  # type: ignore[attr-defined]
    }
    assert shipped == set(SCHEMAS)
    for name in SCHEMAS:
        assert load_toml(name)


@pytest.mark.parametrize(
    ("name", "change", "where", "message"),
    [
        ("rules.toml", lambda d: d["rule"][0].update(severty="error"), "rule.0.severty", "unknown key"),
        (
            "rules.toml",
            lambda d: d["rule"][1].update(severity="fatal"),
            "rule.1.severity",
            "'error', 'warning' or 'info'",
        ),
        ("reading.toml", lambda d: d["poor"].update(cell_share=1.5), "poor.cell_share", "less than or equal to 1"),
        (
            "sections.toml",
            lambda d: d["title"][2].update(pattern="第(一"),
            "title.2.pattern",
            "not a regular expression",
        ),
        ("meta.toml", lambda d: d["published"].pop("signature_window"), "published.signature_window", "Field required"),
        (
            "taxonomy.toml",
            lambda d: d["category"][0].update(phrasing="更新不及时"),
            "category.0.phrasing",
            "valid list",
        ),
        (
            "claims.toml",
            lambda d: d["cells"][0].update(kind="counts"),
            "cells.0.kind",
            "'count', 'money', 'rate' or 'any'",
        ),
        ("problem_patterns.toml", lambda d: d["review"].update(patern="x"), "review.patern", "unknown key"),
    ],
)
def test_a_broken_data_file_names_the_file_and_the_key(name: str, change, where: str, message: str) -> None:
    data = copy.deepcopy(load_toml(name))
    change(data)
    with pytest.raises(DataFileError) as caught:
        validate(name, data)
    text = str(caught.value)
    assert text.startswith(f"textmine/data/{name}: {where}: ")
    assert message in text


def test_an_unknown_data_file_is_refused() -> None:
    with pytest.raises(DataFileError, match="no schema"):
        validate("nope.toml", {})


def test_the_data_error_is_also_a_value_error() -> None:
    # Callers that guarded data loading with ValueError keep working.
    assert issubclass(DataFileError, ValueError)
