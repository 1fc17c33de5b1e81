"""Exact placement by OR-Tools CP-SAT, when a budget cap makes it a knapsack-like problem.

The lexicographic objective is solved in stages (fill of each tier in turn, then total score,
then the tie-break), each stage fixing the value the previous one reached and starting from its
solution. One worker and a fixed seed keep the search deterministic. If any stage stops at the
time limit without proof, the whole result is FEASIBLE, never OPTIMAL.
"""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from merit.solver.status import CP_SAT, SolveStatus, translate
from merit.view import IntArray, SolverView


def groups(index: IntArray, n: int) -> list[IntArray]:
    order = np.argsort(index, kind="stable")
    bounds = np.searchsorted(index[order], np.arange(n + 1))
    return [order[bounds[i] : bounds[i + 1]] for i in range(n)]


def solve_cpsat(
    view: SolverView,
) -> tuple[SolveStatus, IntArray, tuple[int | None, ...], tuple[int | None, ...], dict[str, int]]:
    """Chosen arcs, overall status, and each stage's value and proven bound."""
    model = cp_model.CpModel()
    n = view.n_arcs
    x = [model.new_bool_var(f"arc_{a}") for a in range(n)]
    for a in view.pinned_arcs.tolist():
        model.add(x[a] == 1)  # label: SCN-PINNED
    for arcs in groups(view.arc_candidate, view.n_candidates):
        if len(arcs) > 1:
            model.add_at_most_one(x[a] for a in arcs.tolist())  # label: ONE-POST-PER-PERSON
    for arcs in groups(view.arc_vacancy, view.n_vacancies):
        if len(arcs) > 1:
            model.add_at_most_one(x[a] for a in arcs.tolist())  # label: ONE-PERSON-PER-POST
    if view.max_moves_per_unit is not None and n:
        units = view.candidate_unit[view.arc_candidate]
        for arcs in groups(units, int(units.max()) + 1):
            if len(arcs) > view.max_moves_per_unit:
                model.add(sum(x[a] for a in arcs.tolist()) <= view.max_moves_per_unit)
    if view.budget is not None:
        cost = view.vacancy_cost[view.arc_vacancy] - view.candidate_freed_cost[view.arc_candidate]
        model.add(sum(int(c) * x[a] for a, c in enumerate(cost.tolist())) <= view.budget)
    tier = view.vacancy_tier[view.arc_vacancy]
    tb = view.candidate_tiebreak[view.arc_candidate]
    stages = [[(a, 1) for a in np.flatnonzero(tier == t).tolist()] for t in range(view.n_tiers)]
    stages.append([(a, int(s)) for a, s in enumerate(view.arc_score.tolist())])
    stages.append([(a, int(s)) for a, s in enumerate(tb.tolist())])
    return lexicographic(model, x, stages, view)


def lexicographic(
    model: cp_model.CpModel,
    x: list[cp_model.IntVar],
    stages: list[list[tuple[int, int]]],
    view: SolverView,
    start: IntArray | None = None,
) -> tuple[SolveStatus, IntArray, tuple[int | None, ...], tuple[int | None, ...], dict[str, int]]:
    """Maximise each stage in turn, fixing the value it reached; chosen arcs, status, values,
    bounds. ``start``, a placement that keeps every constraint, is never lost: while it reaches
    the values fixed so far it is each stage's hint, and a stage stopped by the time limit below
    it takes it instead."""
    n = len(x)
    deadline = time.monotonic() + view.time_limit_seconds
    status = SolveStatus.OPTIMAL
    values: list[int | None] = []
    bounds: list[int | None] = []
    chosen = np.zeros(0, dtype=np.int64)
    mine = np.zeros(n, dtype=bool)
    if start is not None:
        mine[np.asarray(start, dtype=np.int64)] = True
    start_ok = start is not None
    for terms in stages:
        expr = cp_model.LinearExpr.weighted_sum([x[a] for a, _ in terms], [c for _, c in terms])
        start_value = sum(c for a, c in terms if mine[a])
        if start_ok:
            _hint(model, x, mine)
        model.maximize(expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = view.seed % (2**31)
        solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
        got = translate(CP_SAT, solver.solve(model), "OR-Tools CP-SAT")
        if got not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and not start_ok:
            if not values:
                return got, chosen, (), (), {"arcs": n}
            status = SolveStatus.FEASIBLE
            values.append(None)
            bounds.append(None)
            break
        found = got in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        value = round(solver.objective_value) if found else start_value
        if found:
            picked = np.array([solver.boolean_value(v) for v in x], dtype=bool)
        if not found or (start_ok and got is not SolveStatus.OPTIMAL and start_value > value):
            picked, value = mine.copy(), start_value
        values.append(value)
        bounds.append(round(solver.best_objective_bound) if found else None)
        chosen = np.flatnonzero(picked).astype(np.int64)
        if got is not SolveStatus.OPTIMAL:
            status = SolveStatus.FEASIBLE
        start_ok = start_ok and start_value >= value
        _hint(model, x, picked)
        model.add(expr >= value)
    return status, chosen, tuple(values), tuple(bounds), {"arcs": n, "stages": len(values)}


def _hint(model: cp_model.CpModel, x: list[cp_model.IntVar], picked: np.ndarray) -> None:
    model.clear_hints()
    for v, on in zip(x, picked.tolist(), strict=True):
        model.add_hint(v, on)
