"""Benchmark chain rounds (issue 18): a city round in which every post is held and may be
freed, and a province round with the structural officials' posts.

Run with ``.venv/bin/python benchmarks/chains.py [--sizes city,province] [--repeat 3]``. Each
run is ``merit run`` as a user runs it (audited unless ``--no-audit``), in a fresh process;
the section "## Chain rounds" of benchmarks/results.md is replaced with the figures.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
#: size -> (employees, vacancies, every employee holds a post)
SIZES = {"city": (3_000, 75, True), "province": (50_000, 1_000, False)}
SCENARIO = """name = "chains-{size}"
data = "{data}"
seed = 2026
time_limit_seconds = 600

[chains]
enabled = true
move_cost = 5.0
"""
SECTION = "## Chain rounds"


def ensure_data(size: str) -> Path:
    folder = DATA / f"chains-{size}"
    if (folder / "posts.csv").is_file():
        return folder
    from merit.io.write import write_tables
    from merit.synth import synthesize

    employees, vacancies, all_posts = SIZES[size]
    write_tables(synthesize(employees, vacancies, 2026, all_posts=all_posts), folder)
    return folder


def worker(size: str, audit: bool) -> dict[str, object]:
    from merit.execute import execute

    data = ensure_data(size)
    scenario = DATA / f"chains-{size}.toml"
    scenario.write_text(SCENARIO.format(size=size, data=data), encoding="utf-8")
    out = DATA / f"chains-{size}.run"
    shutil.rmtree(out, ignore_errors=True)
    t = time.perf_counter()
    result = execute(scenario, out, force=True, quiet=True, audit=audit)
    seconds = time.perf_counter() - t
    verdict = json.loads((out / "audit.json").read_text())["ok"] if audit else None
    return {
        "seconds": seconds,
        "solve_seconds": result.stage_seconds.get("solving", 0.0),
        "status": result.status.value,
        "method": result.solution.method,
        "audit_ok": verdict,
        "counts": result.counts,
        "stats": result.solution.stats,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def spawn(size: str, audit: bool) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", size] + ([] if audit else ["--no-audit"])
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:300]}


def table(rows: dict[str, dict[str, object]], repeat: int, audit: bool, note: str) -> list[str]:
    lines = [
        SECTION,
        "",
        f"`benchmarks/chains.py`, {repeat} run(s) per size, each a fresh process running "
        f"`merit run`{' (audited)' if audit else ' --no-audit'} on `merit synth` data with "
        "`[chains] enabled = true, move_cost = 5` and no other constraint; median wall time; "
        "python "
        f"{platform.python_version()}. {note}".rstrip(),
        "",
        "| size | employees x vacancies + held posts | arcs | solve s | whole run s | status "
        "(method) | moves / chains / longest | vacancies filled | audit | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, r in rows.items():
        if "error" in r:
            lines.append(f"| {size} | | | | | {r['error']} | | | | |")
            continue
        c, st = r["counts"], r["stats"]
        assert isinstance(c, dict) and isinstance(st, dict)
        lines.append(
            f"| {size} | {c['employees']:,} x {c['vacancies']:,} + {c['held_posts']:,} | "
            f"{c['eligible_pairs']:,} | {float(r['solve_seconds']):.2f} | "  # type: ignore[arg-type]
            f"{float(r['seconds']):.2f} | {r['status']} ({r['method']}) | "  # type: ignore[arg-type]
            f"{st['moves']} / {st['chains']} / {st['longest_chain']} | "
            f"{c['vacancies_filled']} of {c['vacancies']} | "
            f"{'passed' if r['audit_ok'] else 'not run' if r['audit_ok'] is None else 'FAILED'}"
            f" | {float(r['peak_mb']):,.0f} |"  # type: ignore[arg-type]
        )
    return lines


def write_section(lines: list[str], path: Path) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else "# merit benchmark results\n"
    kept, skip = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            skip = line.startswith(SECTION)
        if not skip:
            kept.append(line)
    path.write_text("\n".join(kept).rstrip() + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="city,province")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-audit", action="store_true")
    ap.add_argument("--note", default="", help="what the machine was doing, for the record")
    ap.add_argument("--worker")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, not args.no_audit)))
        return 0
    rows: dict[str, dict[str, object]] = {}
    for size in args.sizes.split(","):
        runs = [spawn(size, not args.no_audit) for _ in range(args.repeat)]
        good = [r for r in runs if "seconds" in r]
        if not good:
            rows[size] = runs[0]
            continue
        best = dict(good[0])
        for key in ("seconds", "solve_seconds"):
            best[key] = statistics.median(float(r[key]) for r in good)  # type: ignore[arg-type]
        best["peak_mb"] = max(float(r["peak_mb"]) for r in good)  # type: ignore[arg-type]
        rows[size] = best
        print(size, json.dumps(best))
    write_section(table(rows, args.repeat, not args.no_audit, args.note), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
