"""The optimiser: the only code that sees a ``SolverView`` and talks to OR-Tools.

``solve(view)`` picks the fastest exact method that fits: min-cost flow (with max flows for
the fill) when only assignment constraints apply, CP-SAT when a budget cap is on.
"""

from __future__ import annotations

from dataclasses import replace
from importlib.metadata import version

import numpy as np

from merit.solver.chains import chains, flow_tiers, moves, violations
from merit.solver.chains_cpsat import solve_chains_cpsat, undo_long_chains
from merit.solver.cpsat import solve_cpsat
from merit.solver.flow import solve_flow
from merit.solver.shorten import shorten
from merit.solver.solution import Solution, summarise
from merit.solver.status import SolveStatus
from merit.view import SolverView


def solve(view: SolverView) -> Solution:
    """Solve the view exactly; the returned status says whether optimality was proven."""
    if view.chains:
        return _solve_round(view)
    status, chosen, bits, stats = solve_flow(replace(view, budget=None))
    method: str = "min_cost_flow"
    values: tuple[int | None, ...] = ()
    bounds: tuple[int | None, ...] = ()
    if view.budget is not None:
        if status is SolveStatus.OPTIMAL and _within_budget(view, chosen):
            # The budget only removes placements: an optimum without it that meets it is optimal.
            method = "min_cost_flow (budget not binding)"
        else:
            status, chosen, values, bounds, stats = solve_cpsat(view)
            method, bits = "cp_sat", view.tiebreak_bits
    return _solution(view, status, method, chosen, bits, values, bounds, stats)


#: Arcs up to which a chain round whose side constraints bind is given to CP-SAT (above it the
#: model outgrows memory: 1 M arcs took 6 GB and found nothing in 2 minutes).
CPSAT_CHAIN_ARCS = 200_000


def _solve_round(view: SolverView) -> Solution:
    """A chain round: the min-cost flow without the chains' side constraints, exact when its
    optimum keeps them all; otherwise CP-SAT with every constraint."""
    tiers, n_tiers = flow_tiers(view)
    relaxed = replace(view, vacancy_tier=tiers, n_tiers=n_tiers, budget=None)
    status, chosen, bits, stats = solve_flow(relaxed)
    method = "min_cost_flow (chains)"
    values: tuple[int | None, ...] = ()
    bounds: tuple[int | None, ...] = ()
    if status is SolveStatus.OPTIMAL and (broken := violations(view, chosen)):
        stats["relaxation_broke"] = len(broken)
        # a start that keeps every constraint: the too-long chains cut, else undone, else none
        tries = (shorten(view, chosen), undo_long_chains(view, chosen))
        start = next((t for t in tries if not violations(view, t)), None)
        if view.n_arcs <= CPSAT_CHAIN_ARCS:
            status, chosen, values, bounds, more = solve_chains_cpsat(view, start)
            stats.update(more)
            method, bits = "cp_sat (chains)", view.tiebreak_bits
        else:
            status = SolveStatus.NOT_SOLVED
        if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and start is not None:
            # no proof in reach: the start itself, marked so
            status, chosen = SolveStatus.FEASIBLE, start
            method = "min_cost_flow (chains; too-long chains cut, not proven optimal)"
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    found = chains(view, chosen) if len(chosen) else []
    stats["moves"] = len(moves(view, chosen))
    stats["chains"] = len(found)
    stats["longest_chain"] = max((c.length for c in found), default=0)
    return _solution(view, status, method, chosen, bits, values, bounds, stats)


def _solution(
    view: SolverView,
    status: SolveStatus,
    method: str,
    chosen: np.ndarray,
    bits: int,
    values: tuple[int | None, ...],
    bounds: tuple[int | None, ...],
    stats: dict[str, int],
) -> Solution:
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    fill, score, tb = summarise(view, chosen)
    return Solution(
        status=status,
        method=method,
        chosen_arcs=chosen,
        filled_by_tier=fill,
        total_score=score,
        total_tiebreak=tb,
        tiebreak_bits_used=bits,
        ortools_version=version("ortools"),
        stage_values=values,
        stage_bounds=bounds,
        stats=stats,
    )


def _within_budget(view: SolverView, chosen: np.ndarray) -> bool:
    assert view.budget is not None
    cost = view.vacancy_cost[view.arc_vacancy[chosen]].sum()
    freed = view.candidate_freed_cost[view.arc_candidate[chosen]].sum()
    return bool(cost - freed <= view.budget)


__all__ = ["Solution", "SolveStatus", "solve"]
