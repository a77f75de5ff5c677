"""Tagging a large generated corpus: reports/s with 1 and 2 workers, the Dask
LocalCluster path against the process pool, and peak memory against corpus size.

    python bench/bench_corpus.py [--reports 10000] [--corpus DIR] [--skip-dask]

The corpus is made by the sample generator's series mode (agencies over
consecutive years; text, HTML and DOCX) and kept in DIR for later runs.  Each
measurement runs in a fresh subprocess tagging into a fresh database, so its
peak memory (ru_maxrss of the writer and of its largest worker) is its own.
Targets: 2 workers ≥ 1.8× 1 worker; peak memory flat in the number of reports.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_RUN = r"""
import json, resource, sys, time
from pathlib import Path
from textmine.corpus import tag

def main():
    db, mode, limit, files_list = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    files = Path(files_list).read_text(encoding="utf-8").split("\n")[:limit]
    if mode.startswith("dask"):
        from distributed import Client, LocalCluster
        n = int(mode[4:])
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            client.run(lambda: None)
            start = time.perf_counter()
            result = tag(files, db, dask=client)
            seconds = time.perf_counter() - start
    else:
        start = time.perf_counter()
        result = tag(files, db, workers=int(mode))
        seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"tagged": result.tagged, "errors": result.errors, "seconds": seconds,
                      "rss_main_mb": own, "rss_worker_mb": children}))

if __name__ == "__main__":
    main()
"""


def ensure_corpus(folder: Path, n: int) -> list[str]:
    reports = folder / "reports"
    files = sorted(str(p) for p in reports.glob("*")) if reports.is_dir() else []
    if len(files) < n:
        years = 5
        agencies = -(-n // years)
        print(f"generating {agencies} agencies x {years} years into {folder} …", flush=True)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "corpora.generate", "--out", str(folder), "--series", str(agencies),
                        "--years", "2020-2024", "--seed", "2026"], cwd=ROOT, check=True)
        print(f"  {time.perf_counter() - start:.0f} s", flush=True)
        files = sorted(str(p) for p in reports.glob("*"))
    return files[:n]


def measure(mode: str, files_list: Path, limit: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, "-c", _RUN, str(Path(tmp) / "b.duckdb"), mode, str(limit), str(files_list)],
                             cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "textmine-bench-corpus")
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()

    files = ensure_corpus(args.corpus, args.reports)
    files_list = args.corpus / "files.txt"
    files_list.write_text("\n".join(files), encoding="utf-8")
    n = len(files)
    small = max(1, n // 5)

    rows = []

    def run(label: str, mode: str, limit: int) -> dict:
        r = measure(mode, files_list, limit)
        r["rate"] = r["tagged"] / r["seconds"]
        print(f"{label:28s} {r['tagged']:6d} reports {r['seconds']:7.1f} s {r['rate']:7.1f} reports/s  "
              f"peak RSS writer {r['rss_main_mb']:5.0f} MB, largest worker {r['rss_worker_mb']:5.0f} MB", flush=True)
        rows.append((label, r))
        return r

    one = run("process, 1 worker", "1", n)
    two = run("process pool, 2 workers", "2", n)
    if not args.skip_dask:
        run("Dask LocalCluster, 2 workers", "dask2", n)
    smaller = run(f"process pool, 2 workers, n/5", "2", small)
    print(f"2 workers / 1 worker: {two['rate'] / one['rate']:.2f} (target ≥ 1.8)")
    print(f"peak RSS writer at {n} vs {small} reports: {two['rss_main_mb']:.0f} vs {smaller['rss_main_mb']:.0f} MB; "
          f"largest worker {two['rss_worker_mb']:.0f} vs {smaller['rss_worker_mb']:.0f} MB")


if __name__ == "__main__":
    main()
