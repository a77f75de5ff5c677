"""Mutation tests of the table checks on real reports and the sample corpus.

Change one table-3 or table-4 cell (+1) that an identity covers, on a table
whose identities hold, and some error rule must fail naming that cell; on the
reports as published no rule fails that the gold does not mark as failing.
"""

from __future__ import annotations

import copy

import pytest

from conftest import gold_for, real_reports, sample_reports
from textmine.checks import check_tables, run_checks
from textmine.record import Record

REPORTS = real_reports() + sample_reports()


@pytest.fixture(scope="module")
def records() -> dict:
    """Every report analysed once for the module."""
    from textmine.pipeline import analyze

    return {path: analyze(path) for path in REPORTS}


def covered_cells(results: list[dict]) -> set[str]:
    """Table cells in an error identity that passes, and in none that fails or skips."""
    ok: set[str] = set()
    bad: set[str] = set()
    for r in results:
        if r["severity"] != "error" or not r["rule"].startswith(("t3.", "t4.")):
            continue
        (ok if r["status"] == "pass" else bad).update(r["cells"])
    return ok - bad


def mutate(record: Record, cell: str) -> Record:
    table, _, key = cell.partition(".")
    copy_ = copy.copy(record)
    copy_.tables = {t: dict(v) for t, v in record.tables.items()}
    copy_.tables[table][key] = record.tables[table][key] + 1
    return copy_


def catch_figures(records: dict) -> tuple[int, int, list[str]]:
    tried = caught = 0
    missed = []
    for path, record in records.items():
        for cell in sorted(covered_cells(check_tables(record))):
            tried += 1
            fails = [
                r for r in check_tables(mutate(record, cell)) if r["status"] == "fail" and r["severity"] == "error"
            ]
            if any(cell in r["cells"] for r in fails):
                caught += 1
            else:
                missed.append(f"{path.name}:{cell}")
    return tried, caught, missed


def test_every_covered_single_cell_change_is_caught(records):
    if not records:
        pytest.skip("no reports: ../shared/corpus and corpora/sample absent")
    tried, caught, missed = catch_figures(records)
    print(f"\nmutation catch rate: {caught}/{tried} = {caught / max(tried, 1):.1%} over {len(records)} reports")
    assert tried > 0
    assert not missed, missed[:20]


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.name)
def test_no_false_fails_on_published_tables(path, records):
    gold = gold_for(path).get("checks", {})
    results = check_tables(records[path])
    fails = {f"{r['rule']}:{r['scope']}" for r in results if r["status"] == "fail"}
    gold_fails = {k for k, v in gold.items() if v == "fail"}
    assert fails <= gold_fails, sorted(fails - gold_fails)


def test_false_fail_rate(records):
    """The figure: table-rule fails that the gold does not mark, over all table results."""
    if not records:
        pytest.skip("no reports: ../shared/corpus and corpora/sample absent")
    n = false = 0
    for path, record in records.items():
        gold = gold_for(path).get("checks", {})
        for r in check_tables(record):
            n += 1
            if r["status"] == "fail" and gold.get(f"{r['rule']}:{r['scope']}") != "fail":
                false += 1
    print(f"\nfalse fails: {false}/{n} table results")
    assert false == 0


def test_mutated_narrative_number_fails_text_check(records):
    """Change the number of one claim that maps to a cell: text.table fails naming the cell
    (with the cells of its other readings too, when its words allow several: 收到申请N件)."""
    tried = 0
    for path, record in records.items():
        gold = gold_for(path)
        for claim in gold.get("claims", []):
            cell = claim.get("cell")
            if not cell or claim.get("kind") == "rate":
                continue
            table, _, key = cell.partition(".")
            if record.tables.get(table, {}).get(key) is None:
                continue
            bumped = dict(claim, value=claim["value"] * 2 + 10_000, approx=False)
            from textmine.checks import check_text

            (r,) = check_text(record, [bumped])
            assert r["status"] == "fail" and r["scope"] == cell, (path.name, r)
            if claim.get("readings"):
                assert cell in r["cells"], (path.name, r)
            else:
                assert r["cells"] == [cell], (path.name, r)
            tried += 1
    if not tried:
        pytest.skip("no gold claims that map to a filled cell")


def test_run_checks_is_deterministic(records):
    for record in list(records.values())[:3]:
        assert run_checks(record) == run_checks(record)


def test_every_changed_narrative_number_is_caught():
    """The issue's measure: each narrative number that restates a table
    quantity (mapped by textmine or by the gold), changed in the text and the
    report analysed again, makes text.table fail on it; the unchanged reports
    have no text.table fail the gold lacks."""
    from textmine.evaluate import load_gold
    from textmine.mutation import mutate_report
    from textmine.read import read

    if not REPORTS:
        pytest.skip("no reports: ../shared/corpus and corpora/sample absent")
    changed = caught = 0
    missed, false = [], []
    for path in REPORTS:
        result = mutate_report(read(path), load_gold(path.parent.parent / "gold", path), file=path.name)
        changed, caught = changed + result.targets, caught + result.caught
        missed += [f"{path.name}: {m}" for m in result.missed]
        false += [f"{path.name}: {m}" for m in result.false_fails]
    print(f"\nnarrative numbers changed {changed}, caught {caught}")
    assert changed > 100
    assert not missed, missed[:10]
    assert not false, false[:10]
