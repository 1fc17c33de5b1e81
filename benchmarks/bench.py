"""Benchmark merit at city, province and national size against plain OR-Tools and SciPy.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench.py [--sizes city,province]``).
The whole run is ``merit run`` as a user runs it (read, place, write, the independent audit,
the report), timed with the audit (the default) and with ``--no-audit``, next to merit's solver
and plain OR-Tools min-cost flow and SciPy on the same arcs (``--skip`` leaves some out).
Every measurement runs in a fresh subprocess so its peak memory (max RSS) is its own; wall
times are the median of ``--repeat`` runs. All methods solve the same eligible arcs and
weights (merit-only: fill as many posts as possible, then maximise the total score); their
objectives are compared, and the script exits 1 when any differ. Results go to
``benchmarks/results.md``. OR-Library instances (tests/data/orlib) are timed too.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import statistics
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
SIZES = {"city": (3_000, 75), "province": (50_000, 1_000), "national": (200_000, 10_000)}
METHODS = ("merit_solve", "ortools_mcf", "scipy_sparse", "scipy_dense")
MEMORY_CAP = 20 * 2**30  # a worker that needs more fails with MemoryError instead of swapping


# ---------------------------------------------------------------- workers (subprocesses) ---
def _view(size: str):  # type: ignore[no-untyped-def]
    with open(DATA / f"{size}.view.pkl", "rb") as fh:
        return pickle.load(fh)


SCENARIO = """name = "bench-{size}"
data = "{data}"
seed = 2026
time_limit_seconds = 600
"""


def _whole_run(size: str, audit: bool) -> dict[str, object]:
    """`merit run` as a user runs it: read, eligibility, scoring, solve, write, the independent
    audit (unless ``audit`` is off) and the report, into a sealed run folder."""
    import shutil

    from merit.execute import execute

    scenario = DATA / f"{size}.toml"
    scenario.write_text(SCENARIO.format(size=size, data=DATA / size), encoding="utf-8")
    out = DATA / f"{size}.run"
    shutil.rmtree(out, ignore_errors=True)
    stages: dict[str, float] = {}
    t = time.perf_counter()
    last = ["start", t]

    def progress(line: str) -> None:  # "[  1.2s] stage: detail": time each stage
        stage = line.split("] ", 1)[-1].rsplit(": ", 1)[0]
        if stage.startswith("writing"):
            stage = "writing"
        now = time.perf_counter()
        stages[str(last[0])] = round(stages.get(str(last[0]), 0.0) + now - float(last[1]), 3)
        last[:] = [stage, now]

    result = execute(scenario, out, force=True, echo=progress, audit=audit, measure=True)
    seconds = time.perf_counter() - t
    stages[str(last[0])] = round(seconds + t - float(last[1]), 3)
    sol = result.solution
    verdict = json.loads((out / "audit.json").read_text())["ok"] if audit else None
    return {
        "seconds": seconds,
        "filled": int(sum(sol.filled_by_tier)),
        "score": int(sol.total_score),
        "status": sol.status.value,
        "method": sol.method,
        "audit_ok": verdict,
        "stages": {k: v for k, v in stages.items() if v >= 0.05},
        "stats": sol.stats,
    }


def work_run(size: str) -> dict[str, object]:
    """The audited whole run (`merit run`, the default)."""
    return _whole_run(size, audit=True)


def work_run_noaudit(size: str) -> dict[str, object]:
    """The whole run without the audit (`merit run --no-audit`)."""
    return _whole_run(size, audit=False)


def work_view(size: str) -> dict[str, object]:
    """Build the solver view once (eligibility, scoring, blinding) and store it for the others."""
    from merit.blinding import blind, candidate_order
    from merit.dataset import select_vacancies, split_open_selection
    from merit.domain.scenario import Scenario
    from merit.eligibility import assess_eligibility
    from merit.io.read import load
    from merit.scoring import score_ints

    ds = load(DATA / size)
    sc = Scenario(name=f"bench-{size}", seed=2026, time_limit_seconds=600)
    # as merit.pipeline.place does: JPT posts go to open selection, the rest are placed
    merit, _ = split_open_selection(select_vacancies(ds.merit, sc))
    order = candidate_order(merit.employees, sc.seed)
    elig = assess_eligibility(merit, sc, employee_order=order)
    scores = score_ints(merit, sc, elig.emp, elig.vac)
    view, _ = blind(merit, sc, elig.emp, elig.vac, scores)
    with open(DATA / f"{size}.view.pkl", "wb") as fh:
        pickle.dump(view, fh, protocol=pickle.HIGHEST_PROTOCOL)
    pairs = len(merit.employees) * len(merit.vacancies)
    return {
        "arcs": view.n_arcs,
        "candidates": view.n_candidates,
        "pairs": pairs,
        "density": view.n_arcs / pairs,
        "seconds": 0.0,
    }


def work_merit_solve(size: str) -> dict[str, object]:
    from merit.solver import solve

    view = _view(size)
    t = time.perf_counter()
    sol = solve(view)
    return {
        "seconds": time.perf_counter() - t,
        "filled": int(sum(sol.filled_by_tier)),
        "score": int(sol.total_score),
        "stats": sol.stats,
    }


def work_ortools_mcf(size: str) -> dict[str, object]:
    """Plain SimpleMinCostFlow on every arc: max flow with min cost, cost = -score."""
    from ortools.graph.python import min_cost_flow

    v = _view(size)
    t = time.perf_counter()
    s, sink, c0, v0 = 0, 1, 2, 2 + v.n_candidates
    cands = np.arange(v.n_candidates)
    vacs = np.arange(v.n_vacancies)
    tails = np.r_[np.zeros(len(cands), np.int64), c0 + v.arc_candidate, v0 + vacs]
    heads = np.r_[c0 + cands, v0 + v.arc_vacancy, np.full(len(vacs), sink)]
    caps = np.ones(len(tails), dtype=np.int64)
    costs = np.r_[np.zeros(len(cands), np.int64), -v.arc_score, np.zeros(len(vacs), np.int64)]
    mcf = min_cost_flow.SimpleMinCostFlow()
    first = mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(v0 + v.n_vacancies, dtype=np.int64)
    supplies[s], supplies[sink] = v.n_vacancies, -v.n_vacancies
    mcf.set_nodes_supplies(np.arange(len(supplies)), supplies)
    status = mcf.solve_max_flow_with_min_cost()
    seconds = time.perf_counter() - t
    assert status == mcf.OPTIMAL, status
    flows = mcf.flows(np.asarray(first)[len(cands) : len(cands) + v.n_arcs])
    return {
        "seconds": seconds,
        "filled": int(flows.sum()),
        "score": int(v.arc_score[flows > 0].sum()),
    }


def work_scipy_sparse(size: str) -> dict[str, object]:
    """min_weight_full_bipartite_matching with one 'leave empty' dummy per vacancy."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    v = _view(size)
    t = time.perf_counter()
    big = float(10**6 * (v.n_vacancies + 1))
    top = big + 10**6 + 1.0
    rows = np.r_[v.arc_vacancy, np.arange(v.n_vacancies)]
    cols = np.r_[v.arc_candidate, v.n_candidates + np.arange(v.n_vacancies)]
    w = np.r_[top - (big + v.arc_score), np.full(v.n_vacancies, top)]
    m = sp.csr_matrix((w, (rows, cols)), shape=(v.n_vacancies, v.n_candidates + v.n_vacancies))
    r, c = min_weight_full_bipartite_matching(m)
    seconds = time.perf_counter() - t
    real = c < v.n_candidates
    lookup = {
        (int(a), int(b)): int(s)
        for a, b, s in zip(v.arc_vacancy, v.arc_candidate, v.arc_score, strict=True)
    }
    score = sum(lookup[(int(a), int(b))] for a, b in zip(r[real], c[real], strict=True))
    return {"seconds": seconds, "filled": int(real.sum()), "score": int(score)}


def work_scipy_dense(size: str) -> dict[str, object]:
    """linear_sum_assignment on a dense vacancies x candidates matrix (city size only)."""
    from scipy.optimize import linear_sum_assignment

    v = _view(size)
    if v.n_vacancies * v.n_candidates > 5 * 10**7:
        return {"skipped": "dense matrix too large for memory"}
    t = time.perf_counter()
    big = float(10**6 * (v.n_vacancies + 1))
    gain = np.zeros((v.n_vacancies, v.n_candidates))
    gain[v.arc_vacancy, v.arc_candidate] = big + v.arc_score
    r, c = linear_sum_assignment(gain, maximize=True)
    seconds = time.perf_counter() - t
    hit = gain[r, c] > 0
    return {
        "seconds": seconds,
        "filled": int(hit.sum()),
        "score": round(float((gain[r, c][hit] - big).sum())),
    }


WORKERS = {
    "run": work_run,
    "run_noaudit": work_run_noaudit,
    "view": work_view,
    "merit_solve": work_merit_solve,
    "ortools_mcf": work_ortools_mcf,
    "scipy_sparse": work_scipy_sparse,
    "scipy_dense": work_scipy_dense,
}


def worker_main(kind: str, size: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    try:
        out = WORKERS[kind](size)
    except MemoryError:
        out = {"error": f"needs more than {MEMORY_CAP / 2**30:.0f} GB"}
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(out))


# ---------------------------------------------------------------------- orchestration ------
def spawn(kind: str, size: str, timeout: float) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", kind, "--size", size]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[7:]))
    return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1][:200]}


def measure(kind: str, size: str, repeat: int, timeout: float) -> dict[str, object]:
    runs = [spawn(kind, size, timeout) for _ in range(repeat)]
    good = [r for r in runs if "seconds" in r]
    if not good:
        return runs[0]
    best = dict(good[0])
    best["seconds"] = statistics.median(float(r["seconds"]) for r in good)  # type: ignore[arg-type]
    best["peak_mb"] = max(float(r["peak_mb"]) for r in good)  # type: ignore[arg-type]
    return best


def ensure_data(size: str) -> None:
    if (DATA / size / "employees.csv").is_file():
        return
    from merit.io.write import write_tables
    from merit.synth import synthesize

    employees, vacancies = SIZES[size]
    write_tables(synthesize(employees, vacancies, 2026), DATA / size)


def orlib() -> list[tuple[str, float, int, int]]:
    sys.path.insert(0, str(ROOT))
    from merit.solver import solve
    from tests.views import ORLIB_OPTIMA, orlib_view, read_orlib

    rows = []
    for name in sorted(ORLIB_OPTIMA, key=lambda n: (n.startswith("assignp"), len(n), n)):
        view = orlib_view(name)
        t = time.perf_counter()
        sol = solve(view)
        seconds = time.perf_counter() - t
        n = read_orlib(name)[0]
        rows.append((name, seconds, n * 100 - sol.total_score, ORLIB_OPTIMA[name]))
    return rows


def ratio(res: dict[str, dict[str, object]], a: str, b: str) -> str:
    if "seconds" not in res[a] or "seconds" not in res[b]:
        return "–"
    return f"{float(res[a]['seconds']) / float(res[b]['seconds']):.2f}"  # type: ignore[arg-type]


def fmt(r: dict[str, object], key: str = "seconds") -> str:
    if "error" in r:
        return str(r["error"])
    if "skipped" in r:
        return str(r["skipped"])
    return f"{float(r[key]):.3f}"  # type: ignore[arg-type]


#: Sections this script writes; any other "## " section of the results file is kept as is.
OWN_SECTIONS = ("## OR-Library assignment instances",)


def _other_sections(path: Path) -> list[str]:
    """The sections of an existing results file that other measurements wrote."""
    if not path.is_file():
        return []
    kept: list[str] = []
    keep = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            keep = not line.startswith(OWN_SECTIONS)
            if keep and (not kept or kept[-1] != ""):
                kept.append("")
        if keep:
            kept.append(line)
    return kept


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="city,province,national")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--national-repeat", type=int, default=1, help="repeats at national size (minutes each)"
    )
    ap.add_argument("--timeout", type=float, default=600.0)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    ap.add_argument(
        "--merge",
        action="store_true",
        help="keep the rows of sizes not measured now from the existing results file",
    )
    ap.add_argument(
        "--skip",
        default="",
        help="comparison methods not to run, e.g. scipy_sparse,scipy_dense at national size",
    )
    ap.add_argument("--note", default="", help="what the machine was doing, for the record")
    ap.add_argument("--worker")
    ap.add_argument("--size")
    args = ap.parse_args()
    if args.worker:
        worker_main(args.worker, args.size)
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    lines = [
        "# merit benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}; merit {version('merit')}, OR-Tools {version('ortools')}, "
        f"SciPy {version('scipy')}, NumPy {version('numpy')}, pandas {version('pandas')}.",
        f"Wall time is the median of {args.repeat} runs ({args.national_repeat} at national "
        "size), each in a fresh process; peak memory "
        "is that process's max RSS (it includes loading the stored view for the solver rows).",
        "Objective = (filled posts, total quantised score); all methods must agree.",
        *([f"Conditions: {args.note}"] if args.note else []),
        *(
            ["With --merge: sizes not re-measured keep their rows from the earlier results."]
            if args.merge
            else []
        ),
        "",
        "| size | employees x vacancies | eligible arcs (density) | audited `merit run` s | "
        "`merit run --no-audit` s | merit solve s | OR-Tools MCF s | SciPy sparse s | "
        "SciPy dense s | audited run / MCF | solve / MCF | peak MB (audited run / no-audit "
        "run / solve / MCF / sparse) | audit passed | objectives equal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    failed = False
    notes: list[str] = []
    for size in args.sizes.split(","):
        repeat = args.national_repeat if size == "national" else args.repeat
        ensure_data(size)
        print(f"[{size}] building the view", flush=True)
        view = spawn("view", size, args.timeout)
        if "error" in view:
            e, v = SIZES[size]
            lines.append(f"| {size} | {e:,} x {v:,} | {view['error']} | | | | | | | | | |")
            continue
        print(f"[{size}] {view['arcs']:,} arcs; timing", flush=True)
        run = measure("run", size, repeat, args.timeout)
        plain = measure("run_noaudit", size, repeat, args.timeout)
        skip = set(args.skip.split(",")) if args.skip else set()
        res = {
            m: {"skipped": "not run (--skip)"}
            if m in skip
            else measure(m, size, repeat, args.timeout)
            for m in METHODS
        }
        objectives = {
            m: (r.get("filled"), r.get("score"))
            for m, r in [("run", run), ("run_noaudit", plain), *res.items()]
            if "filled" in r
        }
        equal = len(set(objectives.values())) == 1
        verdict = (
            f"yes ({len(objectives)} of {2 + len(METHODS)} finished)"
            if equal
            else "NO: " + json.dumps(objectives)
        )
        failed |= not equal or run.get("audit_ok") is not True
        e, v = SIZES[size]
        mem = " / ".join(
            f"{float(r.get('peak_mb', 0)):.0f}"  # type: ignore[arg-type]
            for r in (run, plain, res["merit_solve"], res["ortools_mcf"], res["scipy_sparse"])
        )
        lines.append(
            f"| {size} | {e:,} x {v:,} | {view['arcs']:,} ({float(view['density']):.2%}) | "
            f"{fmt(run)} | {fmt(plain)} | {fmt(res['merit_solve'])} | "
            f"{fmt(res['ortools_mcf'])} | {fmt(res['scipy_sparse'])} | "
            f"{fmt(res['scipy_dense'])} | {ratio({'run': run, **res}, 'run', 'ortools_mcf')} | "
            f"{ratio(res, 'merit_solve', 'ortools_mcf')} | {mem} | "
            f"{'yes' if run.get('audit_ok') is True else run.get('audit_ok', '–')} | {verdict} |"
        )
        notes.append(
            f"- {size} ({repeat} run(s) per method): audited run stages (s) "
            f"{json.dumps(run.get('stages', {}))}; merit solve stats "
            f"{json.dumps(res['merit_solve'].get('stats', {}))}"
        )
        print(lines[-1], notes[-1], sep="\n", flush=True)
    if args.merge and args.out.is_file():
        measured = set(args.sizes.split(","))
        for old in args.out.read_text(encoding="utf-8").splitlines():
            size = old.strip("|- ").split(" ", 1)[0]
            if size not in SIZES or size in measured:
                continue
            if old.startswith(f"| {size} | "):  # a row of the sizes table, not another table's
                lines.append(old)
            elif old.startswith(f"- {size} ("):
                notes.append(old)
    lines += ["", *notes]
    lines += [
        "",
        "## OR-Library assignment instances (merit's solver)",
        "",
        "| instance | seconds | optimum found | published |",
        "|---|---|---|---|",
    ]
    for name, seconds, found, published in orlib():
        failed |= found != published
        lines.append(f"| {name} | {seconds:.3f} | {found} | {published} |")
    lines += _other_sections(args.out)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(args.out.read_text(encoding="utf-8"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
