"""``python -m corpora.generate``: the sample corpus, or with ``--series`` an agency series.

Parses the options and calls :func:`~corpora.generate.sample.generate` or
:func:`~corpora.generate.series.generate_series`; the work is theirs.
"""

from __future__ import annotations

import argparse
import time

from corpora.generate.sample import generate
from corpora.generate.series import SERIES_FORMATS, generate_series, parse_years, series_formats, series_years
from corpora.generate.writing import EXT

DESCRIPTION = "Generate the synthetic sample corpus of 政府信息公开工作年度报告."


def _years_arg(text: str) -> range:
    try:
        years = parse_years(text)
        series_years(years)
        return years
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _formats_arg(text: str) -> tuple[str, ...]:
    try:
        return series_formats(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> None:
    # prog: run as a package, argparse would call itself __main__.py
    ap = argparse.ArgumentParser(prog="python -m corpora.generate", description=DESCRIPTION)
    ap.add_argument("--out", default="corpora/sample")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-broken", dest="broken", action="store_false", help="skip the broken/ variants")
    ap.add_argument("--broken", dest="broken", action="store_true", help="write the broken/ variants (default)")
    ap.add_argument(
        "--series",
        type=int,
        metavar="AGENCIES",
        help="agency series: AGENCIES agencies, one report each per year of --years (no broken/; --n ignored)",
    )
    ap.add_argument(
        "--years",
        type=_years_arg,
        default=parse_years("2020-2024"),
        metavar="FIRST-LAST",
        help="years of each series, inclusive (default 2020-2024)",
    )
    ap.add_argument(
        "--formats",
        type=_formats_arg,
        default=SERIES_FORMATS,
        help=f"series formats, comma-separated from {','.join(EXT)} (default {','.join(SERIES_FORMATS)}; pdf is slow)",
    )
    ap.set_defaults(broken=True)
    a = ap.parse_args(argv)
    if a.series is not None:
        if a.series < 1:
            ap.error(f"--series needs at least 1 agency, got {a.series}")
        start = time.perf_counter()
        rows = generate_series(a.out, a.series, a.years, a.seed, a.formats)
        took = time.perf_counter() - start
        print(
            f"wrote {len(rows)} reports ({a.series} agencies × {a.years[0]}–{a.years[-1]}) to {a.out} in {took:.1f} s"
        )
        return
    rows = generate(a.out, a.n, a.seed, broken=a.broken)
    print(f"wrote {len(rows)} reports to {a.out}" + (" (+ broken/)" if a.broken else ""))
