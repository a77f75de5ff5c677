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

    def line(label: str, group: list[int]) -> None:
        group_paths = [paths[i] for i in group]
        group_texts = [texts[i] for i in group]
        ours = rate(safe_analyze, group_paths, args.repeat)
        theirs = rate(jieba.lcut, group_texts, args.repeat)
        chars = sum(len(t) for t in group_texts) / len(group)
        print(f"{label:18s} {len(group):3d} reports {chars:7,.0f} chars  analyze {ours:7.1f}/s  "
              f"jieba.lcut {theirs:7.1f}/s  ratio {ours / theirs:5.2f}")

    print(f"best of {args.repeat} passes; target ratio ≥ 1.0")
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(paths):
        groups.setdefault(path.parent.parent.name, []).append(i)
    if len(groups) > 1:
        for name, group in sorted(groups.items()):
            line(name, group)
    line("all", list(range(len(paths))))


if __name__ == "__main__":
    main()
