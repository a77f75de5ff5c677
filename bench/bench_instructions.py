"""The bench ratio in machine instructions: ``textmine.analyze`` against one
plain ``jieba.lcut`` pass over the same text reports, counted by valgrind's
callgrind rather than timed.

    python bench/bench_instructions.py [--repo DIR]

On a shared or throttled host, wall-clock rates of the same run drift by a
third within an hour; an instruction count does not.  Each side runs once
with one pass and once with three over the reports of ``bench_analyze``; the
difference is two passes, so start-up, imports and dictionary loading
cancel out.  ``--repo`` measures another checkout (an older commit, to
compare) with the same reports and the same baseline.  Needs ``valgrind``
on the PATH; it takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def passes(side: str, n: int) -> None:
    """Run ``n`` passes of one side (called inside valgrind)."""
    import importlib.util

    import jieba

    # By file: textmine itself must come from PYTHONPATH (the checkout measured).
    spec = importlib.util.spec_from_file_location("bench_analyze", ROOT / "bench" / "bench_analyze.py")
    assert spec is not None and spec.loader is not None
    bench_analyze = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_analyze)

    from textmine.errors import TextmineError
    from textmine.pipeline import analyze
    from textmine.read import read

    jieba.setLogLevel(60)
    paths, texts = [], []
    for path in bench_analyze.default_files():
        try:
            texts.append(read(path).text)
            paths.append(path)
        except TextmineError:
            continue
    jieba.lcut(texts[0])
    analyze(paths[0])
    for _ in range(n):
        if side == "analyze":
            for path in paths:
                analyze(path)
        else:
            for text in texts:
                jieba.lcut(text)


def count(side: str, n: int, repo: Path) -> int:
    """Instructions of a run with ``n`` passes of ``side`` (textmine from ``repo``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        run = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--run",
                side,
                str(n),
            ],
            cwd=repo,
            env={**os.environ, "PYTHONPATH": str(repo)},
            capture_output=True,
            text=True,
        )
        found = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode or not found:
            raise SystemExit(f"valgrind run failed ({side}, {n} passes):\n{run.stderr[-2000:]}")
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose textmine is measured")
    parser.add_argument("--run", nargs=2, metavar=("SIDE", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        passes(args.run[0], int(args.run[1]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found: install it (apt-get install valgrind) to count instructions")
    per_pass = {}
    for side, repo in (("analyze", args.repo.resolve()), ("jieba", ROOT)):
        per_pass[side] = (count(side, 3, repo) - count(side, 1, repo)) / 2
    print(
        f"per pass: analyze {per_pass['analyze'] / 1e9:.3f} G instructions, "
        f"jieba.lcut {per_pass['jieba'] / 1e9:.3f} G; ratio {per_pass['jieba'] / per_pass['analyze']:.3f}"
    )


if __name__ == "__main__":
    main()
