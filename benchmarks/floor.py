"""The least any whole `merit run` must spend before it places anyone, at a given size.

Each step runs in a fresh Python process, as `merit run` does, and is timed from outside
(wall clock and the child's CPU time from the operating system); the median of ``--repeat``
runs is printed. The steps grow one thing at a time:

1. ``python -c pass``: the interpreter alone;
2. importing the libraries a run needs (numpy, pandas, pydantic, pyarrow's CSV reader,
   OR-Tools' min-cost flow), nothing of merit;
3. the same, then reading every CSV file of the dataset into Arrow tables (pyarrow, its
   threads, no checks at all): the fastest reading any Python program could do;
4. importing merit's command line (every stage's modules);
5. importing merit and ``merit.io.read.load``: the dataset read, checked and typed, as a run
   reads it.

Run with ``.venv/bin/python benchmarks/floor.py benchmarks/data/province`` (after
``make bench`` or ``merit synth --employees 50000 --vacancies 1000 --seed 1 --out ...``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

LIBRARIES = (
    "import numpy, pandas, pydantic, pyarrow.csv\nimport ortools.graph.python.min_cost_flow\n"
)
READ = (
    "import sys\nfrom pathlib import Path\n"
    "tables = [pyarrow.csv.read_csv(p) for p in sorted(Path(sys.argv[1]).glob('*.csv'))]\n"
)
STEPS = {
    "python -c pass": "pass\n",
    "import the libraries": LIBRARIES,
    "import the libraries, read the CSV files (pyarrow)": LIBRARIES + READ,
    "import merit (merit.cli, merit.execute)": "import merit.cli, merit.execute\n",
    "import merit, merit.io.read.load (checked, typed)": (
        "import sys\nimport merit.cli, merit.execute\nfrom merit.io.read import load\n"
        "load(sys.argv[1])\n"
    ),
}


def timed(code: str, data: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process running ``code``."""
    before = os.times()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, data], check=True)
    wall = time.perf_counter() - t
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", help="a dataset folder of CSV files")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| step | wall s (median) | CPU s (median) |\n|---|---|---|")
    for name, code in STEPS.items():
        timed(code, args.data)  # warm the file cache and the byte-code
        runs = [timed(code, args.data) for _ in range(args.repeat)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"| {name} | {wall:.3f} | {cpu:.3f} |", flush=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
