"""The run-together splitter: every well-formed splitting, nothing else."""

from __future__ import annotations

import pytest

from textmine.tables.split import cell_value, is_well_formed, row_total_prune, splittings


@pytest.mark.parametrize(
    ("piece", "signed", "money", "ok"),
    [
        ("0", False, False, True),
        ("00", False, False, False),
        ("07", False, False, False),
        ("70", False, False, True),
        ("-18", True, False, True),
        ("-18", False, False, False),
        ("-0", True, False, False),
        ("12.5", False, False, False),
        ("12.5", False, True, True),
        ("0.5", False, True, True),
        ("75394432.52元", False, True, True),
        ("1.2.3", False, True, False),
        ("5.", False, True, False),
        ("1234567890", False, False, False),
    ],
)
def test_well_formed(piece: str, signed: bool, money: bool, ok: bool) -> None:
    assert is_well_formed(piece, signed=signed, money=money) is ok


def test_negative_change_cell() -> None:
    found = list(splittings(["2648-18538"], 3, signed=[False, True, False]))
    assert ["2648", "-18", "538"] in found
    # The minus sign always opens a cell, so 2648 stands in every reading.
    assert {f[0] for f in found} == {"2648"}


def test_row_total_picks_the_one_reading() -> None:
    assert list(splittings(["640020470"], 7, prune=row_total_prune(7))) == [["64", "0", "0", "2", "0", "4", "70"]]


def test_chunks_separated_by_space_are_never_joined() -> None:
    found = list(splittings(["500000", "5"], 7, prune=row_total_prune(7)))
    assert found == [["5", "0", "0", "0", "0", "0", "5"]]


def test_zeros_split_one_way() -> None:
    assert list(splittings(["000"], 3)) == [["0", "0", "0"]]


def test_ambiguous_run_lists_every_reading() -> None:
    found = list(splittings(["693665"], 3))
    assert ["69", "3", "665"] in found and ["6", "93", "665"] in found
    assert len(found) == len({tuple(f) for f in found})


def test_money_cell_in_yuan() -> None:
    found = list(splittings(["13575394432.52元"], 2, money=[False, True]))
    assert ["135", "75394432.52元"] in found
    assert cell_value("75394432.52元") == 75394432.52
