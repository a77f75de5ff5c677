"""textmine.data.taxonomy: the category keys and names everyone shows."""

from __future__ import annotations

from textmine.data.taxonomy import taxonomy_labels


def test_labels_are_the_taxonomy_in_order() -> None:
    from textmine.problems.rules import CATEGORIES
    from textmine.problems.train import taxonomy

    _, keys = taxonomy()
    assert list(taxonomy_labels()) == keys == list(CATEGORIES)
    assert all(name and not name.isascii() for name in taxonomy_labels().values())


def test_plotting_gets_a_copy() -> None:
    from textmine.plotting import category_names

    names = category_names()
    assert names == taxonomy_labels()
    names["timeliness"] = "changed"
    assert taxonomy_labels()["timeliness"] != "changed"
