"""``python -m corpora.forms``: the forms corpus (every form of corpora/forms.md, with gold)."""

from __future__ import annotations

import argparse
import json

from corpora.forms.build import generate_forms


def main(argv: list[str] | None = None) -> None:
    # prog: run as a package, argparse would call itself __main__.py
    ap = argparse.ArgumentParser(
        prog="python -m corpora.forms", description="Write the forms corpus: every form of corpora/forms.md, with gold."
    )
    ap.add_argument("--out", default="build/forms")
    ap.add_argument("--n", type=int, default=180)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args(argv)
    rows = generate_forms(args.out, n=args.n, seed=args.seed)
    counts: dict[str, int] = {}
    for r in rows:
        for form in r["forms"].split(","):
            counts[form] = counts.get(form, 0) + 1
    print(f"{len(rows)} reports in {args.out}; forms: " + json.dumps(counts, ensure_ascii=False))
