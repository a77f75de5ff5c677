"""reports/s of ``textmine.analyze`` on the text reports, against one plain
``jieba.lcut`` pass over the same texts, in the same process (a ratio, so
the machine's speed cancels out).

    python bench/bench_analyze.py [--repeat N] [FILES...]

Without FILES it takes every .txt report of the sample corpus and of
../shared/corpus (when present).  The target is a ratio ≥ 1.0: reading
and parsing a report costs no more than segmenting it once.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def default_files() -> list[Path]:
    folders = [ROOT / "corpora" / "sample" / "reports", ROOT.parent / "shared" / "corpus" / "reports"]
    return sorted(p for folder in folders if folder.is_dir() for p in folder.glob("*.txt"))


def rate(fn, items: list, repeat: int) -> float:
    """Items per second over ``repeat`` passes (best pass wins)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return len(items) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import jieba

    from textmine.errors import TextmineError
    from textmine.pipeline import analyze
    from textmine.read import read

    files = args.files or default_files()
    readable = []
    for path in files:
        try:
            readable.append((path, read(path).text))
        except TextmineError:
            continue  # broken variants are for the robustness tests, not for speed
    paths = [p for p, _ in readable]
    texts = [t for _, t in readable]
    if not paths:
        raise SystemExit("no text reports to bench")

    jieba.setLogLevel(60)
    jieba.lcut(texts[0])  # load the dictionary outside the timing
    analyze(paths[0])  # load data files and compile patterns outside the timing

    def safe_analyze(path: Path) -> None:
        try:
            analyze(path)
        except TextmineError:
            pass

    textmine_rate = rate(safe_analyze, paths, args.repeat)
    jieba_rate = rate(jieba.lcut, texts, args.repeat)
    chars = sum(len(t) for t in texts)
    print(f"{len(paths)} text reports, {chars / len(paths):,.0f} characters on average, best of {args.repeat}")
    print(f"textmine analyze : {textmine_rate:8.1f} reports/s")
    print(f"jieba.lcut       : {jieba_rate:8.1f} reports/s")
    print(f"ratio            : {textmine_rate / jieba_rate:8.2f}  (target ≥ 1.0)")


if __name__ == "__main__":
    main()
