"""reports/s of ``textmine.analyze`` on the text reports, against one plain
``jieba.lcut`` pass over the same texts, in the same process (a ratio, so
the machine's speed cancels out).

    python bench/bench_analyze.py [--repeat N] [FILES...]

Without FILES it takes every .txt report of the sample corpus and of
../shared/corpus (when present).  The target (issue 12) is a ratio ≥ 2.0
on the real reports (the `corpus` row): reading, parsing, checking and
classifying a report cost at most half of segmenting it once.  Then the
milliseconds each stage takes per report, beside jieba.lcut's.
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
        print(
            f"{label:18s} {len(group):3d} reports {chars:7,.0f} chars  analyze {ours:7.1f}/s  "
            f"jieba.lcut {theirs:7.1f}/s  ratio {ours / theirs:5.2f}"
        )

    print(f"best of {args.repeat} passes; target ratio ≥ 2.0 on the real reports (corpus)")
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(paths):
        groups.setdefault(path.parent.parent.name, []).append(i)
    if len(groups) > 1:
        for name, group in sorted(groups.items()):
            line(name, group)
    line("all", list(range(len(paths))))
    stage_times(paths, args.repeat)


def stage_times(paths: list[Path], repeat: int) -> None:
    """Milliseconds per report each pipeline stage takes (reading apart; best
    pass per stage), beside one jieba.lcut of the text for scale."""
    import jieba

    from textmine.errors import TextmineError
    from textmine.pipeline import STAGES, analyze_document
    from textmine.read import read
    from textmine.record import Record

    documents = []
    for path in paths:
        try:
            analyze_document(document := read(path))
            documents.append(document)
        except TextmineError:
            continue
    if not documents:
        return
    best = {stage.__name__: float("inf") for stage in STAGES}
    best["read"] = best["jieba.lcut"] = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for path in paths:
            try:
                read(path)
            except TextmineError:
                pass
        best["read"] = min(best["read"], time.perf_counter() - start)
        spent = dict.fromkeys(best, 0.0)
        for document in documents:
            record = Record(source=document.source, text=document.text)
            for stage in STAGES:
                start = time.perf_counter()
                stage(record, document)
                spent[stage.__name__] += time.perf_counter() - start
        for name, seconds in spent.items():
            if name.startswith("stage_"):
                best[name] = min(best[name], seconds)
        start = time.perf_counter()
        for document in documents:
            jieba.lcut(document.text)
        best["jieba.lcut"] = min(best["jieba.lcut"], time.perf_counter() - start)
    n = len(documents)
    print(f"per report, ms (best of {repeat}, {n} reports):")
    for name, seconds in best.items():
        print(f"  {name.removeprefix('stage_'):16s} {1000 * seconds / n:6.2f}")


if __name__ == "__main__":
    main()
