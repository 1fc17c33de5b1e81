"""Measure how fast report.html opens in Chromium for a 1,000-vacancy round (issue 17).

Builds synthetic Kota Kupang data (10,000 employees x 1,000 vacancies), runs merit with a
moves-per-unit limit (so the why-not tables are full), then opens report.html in headless
Debian chromium three times and records the median time to the first frame after the load
event, the number of elements and the page height. Prints a Markdown section for
benchmarks/results.md. Run: ``.venv/bin/python benchmarks/report_open.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURE = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, painted: performance.now(),
          elements: document.getElementsByTagName('*').length,
          height: document.documentElement.scrollHeight}; }"""


def build(folder: Path, employees: int, vacancies: int) -> Path:
    merit = str(Path(sys.executable).with_name("merit"))
    data = folder / "data"
    subprocess.run(
        [merit, "synth", "--employees", str(employees), "--vacancies", str(vacancies),
         "--seed", "7", "--out", str(data)],
        check=True, capture_output=True,
    )  # fmt: skip
    (folder / "s.toml").write_text(
        'name = "report-1000"\ndata = "data"\nseed = 7\n\n[constraints]\nmax_moves_per_unit = 20\n',
        encoding="utf-8",
    )
    run = folder / "run"
    subprocess.run(
        [merit, "run", str(folder / "s.toml"), "--out", str(run), "--force", "--quiet"],
        check=True, capture_output=True,
    )  # fmt: skip
    return run / "report.html"


def measure(report: Path, repeat: int = 3) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(report.resolve().as_uri(), wait_until="load", timeout=120_000)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            results.append(page.evaluate(MEASURE))
            page.close()
        browser.close()
    return {k: statistics.median(r[k] for r in results) for k in results[0]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, help="Work folder (default: a temporary one).")
    ap.add_argument("--employees", type=int, default=10_000)
    ap.add_argument("--vacancies", type=int, default=1_000)
    args = ap.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="merit-report-"))
    report = build(folder, args.employees, args.vacancies)
    m = measure(report)
    size = report.stat().st_size
    print(
        f"| {args.employees:,} x {args.vacancies:,} | {size / 1e6:.1f} MB | "
        f"{m['dcl'] / 1000:.2f} | {m['load'] / 1000:.2f} | {m['painted'] / 1000:.2f} | "
        f"{int(m['elements']):,} | {int(m['height']):,} |"
    )


if __name__ == "__main__":
    main()
