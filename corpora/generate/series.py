"""Agency series: one agency reporting over consecutive years.

The tables chain the way the cross-year rules (``year.carry``,
``year.in_force`` in textmine/data/rules.toml) expect, a few agency-years
break the carry-over on purpose, and section 五 keeps admitting some of last
year's problems.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path
from typing import Any

from corpora.generate.agencies import Agency, make_agency
from corpora.generate.gold import check_status, finish_gold
from corpora.generate.keys import T3_COLS, layout_for
from corpora.generate.model import Report, Spec, YearPlan
from corpora.generate.phrases import PHRASES
from corpora.generate.report import make_report
from corpora.generate.sample import manifest_note, manifest_row
from corpora.generate.tables import gen_t2, gen_t3, gen_t4
from corpora.generate.writing import EXT, dump_json, write_manifest, write_report
from corpora.render import write_docx

SERIES_FORMATS: tuple[str, ...] = ("txt", "html", "docx")  # default: pdf rendering is slow
CARRY_BREAK_SHARE = 0.05  # agency-years whose 上年结转 deliberately disagrees with last year
PROBLEM_RECURRENCE = 0.55  # chance that each of last year's problem categories is admitted again
CHRONIC_WEIGHT = 4.0  # an agency's chronic categories are this much likelier among new problems
HOME_SPEC_SHARE = 0.7  # an agency's site usually publishes the same way every year
AGENCY_DRAWS = 500  # redraws allowed for a name not yet used before giving up

# (spec, weight): mostly txt in every flattening and html; a few docx and pdf.
SERIES_SPECS: list[tuple[Spec, float]] = [
    (Spec("txt", "cell_per_line"), 10),
    (Spec("txt", "pipe"), 8),
    (Spec("txt", "tabs"), 8),
    (Spec("txt", "spaces"), 6),
    (Spec("txt", "split_headers"), 6),
    (Spec("txt", "run_together"), 7),
    (Spec("txt", "cell_per_line", encoding="gbk"), 3),
    (Spec("txt", "tabs", encoding="gbk"), 2),
    (Spec("html"), 8),
    (Spec("html", chrome=True), 9),
    (Spec("html", split_digits=True), 4),
    (Spec("html", chrome=True, split_digits=True), 4),
    (Spec("html", encoding="gbk", chrome=True), 4),
    (Spec("html", encoding="gbk", chrome=True, split_digits=True), 2),
    (Spec("docx"), 5),
    (Spec("pdf"), 3),
]

SERIES_MANIFEST_COLS = ["id", "file", "format", "layout", "flattening", "encoding", "series", "year", "notes"]


def series_years(years: range | tuple[int, ...] | list[int]) -> list[int]:
    """Validate the years of a series: consecutive, from 2019 on (tabular layouts)."""
    ys = [int(y) for y in years]
    if not ys:
        raise ValueError("years is empty")
    if ys != list(range(ys[0], ys[0] + len(ys))):
        raise ValueError(f"years must be consecutive and ascending, got {ys}; for 2020 to 2024 pass range(2020, 2025)")
    if ys[0] < 2019:
        raise ValueError(f"series years start in 2019 or later (the tabular layouts), got {ys[0]}")
    return ys


def parse_years(text: str) -> range:
    """``2020-2024`` (inclusive) or a single year ``2022``."""
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text)
    if not m:
        raise ValueError(f"years must look like 2020-2024, got {text!r}")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if last < first:
        raise ValueError(f"years run backwards: {text!r}")
    return range(first, last + 1)


def series_formats(formats: tuple[str, ...] | list[str] | str) -> tuple[str, ...]:
    fs = tuple(f.strip() for f in formats.split(",")) if isinstance(formats, str) else tuple(formats)
    bad = [f for f in fs if f not in EXT]
    if bad or not fs:
        raise ValueError(f"unknown format(s) {bad}; choose from {', '.join(EXT)}" if bad else "no formats given")
    return fs


def series_agencies(n: int, seed: int) -> list[Agency]:
    """``n`` agencies with distinct names, drawn like the sample's.

    Names are unique because linking goes by agency name; one RNG draws them
    in order, so the first ``k`` agencies are the same for any ``n >= k``.
    """
    rng = random.Random(f"textmine-series-{seed}-agencies")
    seen: set[str] = set()
    out: list[Agency] = []
    for a in range(n):
        for _ in range(AGENCY_DRAWS):
            ag = make_agency(rng)
            if ag.name not in seen:
                break
        else:
            raise ValueError(f"the phrase bank ran out of distinct agency names after {a} agencies")
        seen.add(ag.name)
        out.append(ag)
    return out


def _draw_spec(rng: random.Random, formats: tuple[str, ...]) -> Spec:
    pool = [(s, w) for s, w in SERIES_SPECS if s.fmt in formats]
    return rng.choices([s for s, _ in pool], weights=[w for _, w in pool])[0]


def _break_carry(rng: random.Random, carried: dict[str, int], prev_year: int) -> str:
    """Make one column's 上年结转 disagree with last year's 结转下年度; return the note."""
    col = "natural_person" if rng.random() < 0.8 else rng.choice(T3_COLS[1:-1])
    was = carried[col]
    carried[col] = 0 if was and rng.random() < 0.4 else was + rng.choice([1, 2, 3, 5])
    return (
        f"Cross-year: carried_over.{col} is {carried[col]} where the {prev_year} report's carried_forward.{col} "
        f"is {was} (deliberate); year.carry fails for {col} and total (gold/_links.json)."
    )


def _pick_problems(rng: random.Random, chronic: tuple[str, ...], previous: set[str] | None) -> list[dict[str, Any]]:
    """Problem-bank items for one year.

    Each of last year's categories is kept with chance PROBLEM_RECURRENCE and
    the kept ones are the only ones of last year's that come back, so the share
    recurring stays near that chance; the rest are new, leaning to the
    agency's chronic categories.
    """
    bank: list[dict[str, Any]] = PHRASES["problems"]
    k = rng.randint(2, 4)
    prev = previous or set()
    keep = {c for c in sorted(prev) if rng.random() < PROBLEM_RECURRENCE}
    picks: list[dict[str, Any]] = []
    for c in sorted(keep):
        if any(c in it["cats"] for it in picks):
            continue
        clean = [it for it in bank if c in it["cats"] and set(it["cats"]) & prev <= keep and it not in picks]
        picks.append(rng.choice(clean or [it for it in bank if c in it["cats"]]))
    fresh = [it for it in bank if not set(it["cats"]) & prev and it not in picks]
    while len(picks) < k and fresh:
        weights = [CHRONIC_WEIGHT if set(it["cats"]) & set(chronic) else 1.0 for it in fresh]
        it = rng.choices(fresh, weights=weights)[0]
        fresh.remove(it)
        picks.append(it)
    rng.shuffle(picks)
    return picks


def plan_agency(
    index: int, ag: Agency, years: list[int], seed: int, formats: tuple[str, ...]
) -> list[tuple[Spec, YearPlan]]:
    """Format and fixed content of each of an agency's reports, year by year."""
    rng = random.Random(f"textmine-series-{seed}-{index}")
    makes_rules = ag.level in ("province", "city", "national") and ag.kind in ("gov", "dept") and rng.random() < 0.5
    categories = sorted({c for it in PHRASES["problems"] for c in it["cats"]})
    chronic = tuple(rng.sample(categories, 2))
    home = _draw_spec(rng, formats)
    out: list[tuple[Spec, YearPlan]] = []
    prev: YearPlan | None = None
    for year in years:
        spec = home if rng.random() < HOME_SPEC_SHARE else _draw_spec(rng, formats)
        layout = layout_for(year)
        notes: list[str] = []
        carried: dict[str, int] | None = None
        in_force: dict[str, int] | None = None
        if prev is not None:
            carried = {c: prev.t3[f"carried_forward.{c}"] for c in T3_COLS[:-1]}
            if rng.random() < CARRY_BREAK_SHARE:
                notes.append(_break_carry(rng, carried, prev.year))
            if layout == "2021" and layout_for(prev.year) == "2021":
                in_force = {row: prev.t2[f"{row}.in_force"] for row in ("regulations", "normative_documents")}
        t2 = gen_t2(rng, ag, layout, makes_rules=makes_rules, in_force=in_force)
        t3 = gen_t3(rng, ag, layout, carried_over=carried)
        t4 = gen_t4(rng, ag)
        prev_cats = {c for it in prev.problems for c in it["cats"]} if prev else None
        problems = _pick_problems(rng, chronic, prev_cats)
        prev = YearPlan(ag, year, t2, t3, t4, problems, f"textmine-series-{seed}-{index}-{year}", notes)
        out.append((spec, prev))
    return out


def cross_year_checks(prev: dict[str, Any], cur: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Per rule, the ``scope → status`` textmine's year.* rules should give
    for two consecutive gold records of one agency (as
    ``textmine.checks.check_across_years`` scopes them)."""
    p3, c3 = prev["tables"]["t3"], cur["tables"]["t3"]
    carry = {}
    for c in T3_COLS:
        a, b = c3[f"carried_over.{c}"], p3[f"carried_forward.{c}"]
        carry[c] = check_status([a, b], lambda: a == b)
    if cur["meta"]["layout"] != "2021" or prev["meta"]["layout"] != "2021":
        # the rule is for the 2021 layout only: one skip for the pair
        return {"year.carry": carry, "year.in_force": {"all": "skip"}}
    p2, c2 = prev["tables"]["t2"], cur["tables"]["t2"]
    in_force = {}
    for row in ("regulations", "normative_documents"):
        v = [p2[f"{row}.in_force"], c2[f"{row}.issued"], c2[f"{row}.repealed"], c2[f"{row}.in_force"]]
        in_force[row] = check_status(v, lambda: v[0] + v[1] - v[2] == v[3])
    return {"year.carry": carry, "year.in_force": in_force}


def _link_entries(series: str, prev: dict[str, Any], cur: dict[str, Any]) -> list[dict[str, Any]]:
    """One ``_links.json`` entry per cross-year rule; ``checks`` is keyed
    ``rule:scope`` like a gold record's ``checks`` map."""
    out = []
    for rule, scopes in cross_year_checks(prev, cur).items():
        statuses = set(scopes.values())
        status = "fail" if "fail" in statuses else "pass" if "pass" in statuses else "skip"
        out.append(
            {
                "series": series,
                "agency": cur["meta"]["agency"],
                "year": cur["meta"]["year"],
                "previous": prev["id"],
                "report": cur["id"],
                "rule": rule,
                "status": status,
                "checks": {f"{rule}:{scope}": st for scope, st in scopes.items()},
            }
        )
    return out


def _write_series_report(rep: Report, reports_dir: Path) -> str:
    if rep.spec.fmt != "docx":
        return write_report(rep, reports_dir)
    fname = f"{rep.id}.docx"
    write_docx(rep.blocks, reports_dir / fname, table_xml=True)
    return fname


def _series_readme(agencies: int, years: list[int], seed: int, formats: tuple[str, ...]) -> str:
    return (
        "\n".join(
            [
                "# Agency series (synthetic)",
                "",
                f"{agencies} agencies, each reporting every year {years[0]}–{years[-1]} ({agencies * len(years)} reports); "
                f"seed {seed}; formats {', '.join(formats)}. Regenerate with",
                "",
                f"    python -m corpora.generate --out <dir> --series {agencies} --years {years[0]}-{years[-1]} --seed {seed} --formats {','.join(formats)}",
                "",
                "- `reports/serAAAA_YEAR.*`: agency AAAA's report for YEAR; `gold/serAAAA_YEAR.json`: its gold record",
                "  (same shape as `corpora/sample/gold`); `manifest.tsv`: id, file, format, layout, flattening,",
                "  encoding, series, year, notes.",
                "- Across years: 上年结转 (t3 carried_over) equals last year's 结转下年度 (carried_forward) in every",
                "  column; from two consecutive 2021-layout years on, t2 现行有效件数 = last year's + 制发 − 废止.",
                f"  About {CARRY_BREAK_SHARE:.0%} of agency-years break the carry-over on purpose (manifest notes",
                "  `carry-over broken`).",
                "- `gold/_links.json`: `links`, one entry per agency, year (after the first) and cross-year rule",
                "  with the expected status (`pass`/`fail`/`skip`) overall and per scope (`checks`, keyed",
                "  `year.carry:<column>`, `year.in_force:<row>` or `year.in_force:all`) as textmine's",
                "  cross-year checks give them when both reports are read together.",
                f"- Section 五: each of last year's problem categories comes back with chance {PROBLEM_RECURRENCE};",
                "  new ones lean to two chronic categories per agency.",
            ]
        )
        + "\n"
    )


def generate_series(
    out_dir: str | Path,
    agencies: int,
    years: range | tuple[int, ...] | list[int],
    seed: int,
    formats: tuple[str, ...] | list[str] | str = SERIES_FORMATS,
) -> list[dict[str, Any]]:
    """Write ``agencies`` agencies × ``years`` reports, their gold, the
    cross-year links (``gold/_links.json``) and ``manifest.tsv`` into ``out_dir``.

    Returns the manifest rows.

    >>> rows = generate_series("/tmp/ser", 2, range(2021, 2023), seed=1, formats=("txt",))  # doctest: +SKIP
    >>> [r["id"] for r in rows]  # doctest: +SKIP
    ['ser0000_2021', 'ser0000_2022', 'ser0001_2021', 'ser0001_2022']
    """
    ys = series_years(years)
    fs = series_formats(formats)
    if agencies < 1:
        raise ValueError(f"agencies must be at least 1, got {agencies}")
    out = Path(out_dir)
    for sub in ("reports", "gold", "broken"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "reports").mkdir(parents=True)
    (out / "gold").mkdir(parents=True)
    rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for a, ag in enumerate(series_agencies(agencies, seed)):
        series = f"ser{a:04d}"
        prev_gold: dict[str, Any] | None = None
        for spec, plan in plan_agency(a, ag, ys, seed, fs):
            rep = make_report(a, seed, spec, rid=f"{series}_{plan.year}", plan=plan)
            fname = _write_series_report(rep, out / "reports")
            gold = finish_gold(rep, fname)
            dump_json(gold, out / "gold" / f"{rep.id}.json")
            if prev_gold is not None:
                links += _link_entries(series, prev_gold, gold)
            note = manifest_note(spec, rep) + ("; carry-over broken" if plan.notes else "")
            rows.append(manifest_row(spec, rep, fname, gold, note, series=series, year=plan.year))
            prev_gold = gold
    write_manifest(out / "manifest.tsv", rows, SERIES_MANIFEST_COLS)
    # a mapping rather than a bare list: tools that read every gold/*.json call .get on it
    dump_json(
        {"_comment": "cross-year rule statuses per agency and year (see README.md)", "links": links},
        out / "gold" / "_links.json",
    )
    (out / "README.md").write_text(_series_readme(agencies, ys, seed, fs), encoding="utf-8")
    return rows
