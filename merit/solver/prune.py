"""Pruned exact solve with a dual certificate, for views with many arcs.

Keep the best ``K`` arcs of each vacancy, solve the min-cost flow with the fill demands of the
full view, then prove the answer optimal for the full view: node potentials from shortest
paths in the residual graph (Bellman-Ford, vectorised) must give every pruned arc a
non-negative reduced cost. Pruned arcs that violate it are added and the flow re-solved, so
the result is always the exact optimum of the full view; the rounds and K are recorded.
"""

from __future__ import annotations

import numpy as np

from merit.errors import SolverError
from merit.solver.flow import FlowProblem, min_cost_assignment
from merit.solver.status import SolveStatus
from merit.view import IntArray

#: Views with more free arcs than this are solved pruned and certified.
PRUNE_ABOVE = 400_000
MAX_ROUNDS = 20


def best_per_vacancy(fp: FlowProblem, k: int | IntArray) -> IntArray:
    """The ``k`` (per vacancy, or one number) highest-weight free arcs of each vacancy."""
    arcs = fp.fixed.free_arcs
    vac = fp.view.arc_vacancy[arcs]
    order = np.lexsort((arcs, -fp.weight[arcs], vac))
    sorted_vac = vac[order]
    starts = np.searchsorted(sorted_vac, sorted_vac, side="left")
    rank = np.arange(len(order)) - starts
    limit = np.broadcast_to(np.asarray(k), (fp.view.n_vacancies,))[sorted_vac]
    return np.sort(arcs[order[rank < limit]])


def initial_k(fp: FlowProblem, base: int = 8) -> IntArray:
    """Per vacancy: more arcs where many vacancies compete for the same best candidate."""
    view = fp.view
    top = best_per_vacancy(fp, 1)
    best_cand = np.full(view.n_vacancies, -1, dtype=np.int64)
    best_cand[view.arc_vacancy[top]] = view.arc_candidate[top]
    share = np.bincount(best_cand[best_cand >= 0], minlength=view.n_candidates)
    rivals = np.where(best_cand >= 0, share[np.maximum(best_cand, 0)], 0)
    return base + 2 * rivals


def potentials(fp: FlowProblem, arcs: IntArray, chosen: IntArray) -> np.ndarray:
    """Shortest distances from a virtual source in the residual graph of the chosen arcs."""
    view, net = fp.view, fp.net
    on = np.zeros(view.n_arcs, dtype=bool)
    on[chosen] = True
    placed = np.zeros(view.n_candidates, dtype=bool)
    placed[view.arc_candidate[chosen]] = True
    filled = np.zeros(view.n_vacancies, dtype=bool)
    filled[view.arc_vacancy[chosen]] = True
    tails, heads, costs = [], [], []

    def add(t: IntArray, h: IntArray, c: IntArray, forward: np.ndarray) -> None:
        tails.extend([t[forward], h[~forward]])
        heads.extend([h[forward], t[~forward]])
        costs.extend([c[forward], -c[~forward]])

    cands = np.arange(view.n_candidates)
    parent = np.full(view.n_candidates, net.source, dtype=np.int64)
    if fp.fixed.unit_capacity is not None:
        cap = fp.fixed.unit_capacity
        units = net.unit0 + np.arange(len(cap))
        used = np.bincount(view.candidate_unit[placed], minlength=len(cap))
        tails += [np.full(int((used < cap).sum()), net.source), units[used > 0]]
        heads += [units[used < cap], np.full(int((used > 0).sum()), net.source)]
        costs += [
            np.zeros(int((used < cap).sum()), np.int64),
            np.zeros(int((used > 0).sum()), np.int64),
        ]
        parent = net.unit0 + view.candidate_unit
    add(parent, net.cand0 + cands, np.zeros(len(cands), np.int64), ~placed)
    add(
        net.cand0 + view.arc_candidate[arcs],
        net.vac0 + view.arc_vacancy[arcs],
        -fp.weight[arcs],
        ~on[arcs],
    )
    vacs = np.unique(view.arc_vacancy[arcs])
    add(
        net.vac0 + vacs,
        net.tier0 + view.vacancy_tier[vacs],
        np.zeros(len(vacs), np.int64),
        ~filled[vacs],
    )
    t, h, c = (np.concatenate(x).astype(np.int64) for x in (tails, heads, costs))
    dist = np.zeros(net.n_nodes, dtype=np.int64)
    for _ in range(net.n_nodes + 1):
        relaxed = dist[t] + c
        better = relaxed < dist[h]
        if not better.any():
            return dist
        np.minimum.at(dist, h[better], relaxed[better])
    raise SolverError("the pruned flow is not optimal (negative cycle); please report this bug")


def violations(fp: FlowProblem, dist: np.ndarray, kept: np.ndarray) -> IntArray:
    """Free arcs left out whose reduced cost is negative under the potentials."""
    view, net = fp.view, fp.net
    arcs = fp.fixed.free_arcs[~kept[fp.fixed.free_arcs]]
    reduced = (
        -fp.weight[arcs]
        + dist[net.cand0 + view.arc_candidate[arcs]]
        - dist[net.vac0 + view.arc_vacancy[arcs]]
    )
    return arcs[reduced < 0]


def solve_pruned(fp: FlowProblem) -> tuple[SolveStatus, IntArray, dict[str, int]]:
    view = fp.view
    k = initial_k(fp)
    kept = np.zeros(view.n_arcs, dtype=bool)
    kept[best_per_vacancy(fp, k)] = True
    for rounds in range(1, MAX_ROUNDS + 1):
        arcs = np.flatnonzero(kept)
        status, chosen = min_cost_assignment(fp, arcs)
        if status is SolveStatus.INFEASIBLE:  # the pruned arcs cannot meet the fill: widen
            k *= 2
            kept[best_per_vacancy(fp, k)] = True
            continue
        if status is not SolveStatus.OPTIMAL:
            return status, chosen, {"prune_k": int(k.max()), "prune_rounds": rounds, "certified": 0}
        bad = violations(fp, potentials(fp, arcs, chosen), kept)
        if not len(bad):
            return (
                status,
                chosen,
                {
                    "prune_k": int(k.max()),
                    "prune_rounds": rounds,
                    "certified": 1,
                    "pruned_arcs": int(kept.sum()),
                },
            )
        kept[bad] = True
    status, chosen = min_cost_assignment(fp, fp.fixed.free_arcs)  # give up pruning: exact anyway
    return status, chosen, {"prune_k": int(k.max()), "prune_rounds": MAX_ROUNDS, "certified": 0}
