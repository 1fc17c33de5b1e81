"""A chain round's placement whose chains keep ``max_length``, cut from the relaxation's: the
start CP-SAT improves on, and what a round too large for CP-SAT returns (marked not proven
optimal).

A chain that is too long keeps its first moves from the vacancy, as many as ``max_length``
allows, and the post its last kept mover frees is refilled by the best free candidate who
holds no post of the round (or left empty, when the round allows it); if no one can, one move
fewer is kept, and so on. The movers cut off stay in their posts. A rotation that is too long
is undone. Nothing here is a proof; the caller checks every side constraint again.
"""

from __future__ import annotations

import numpy as np

from merit.segments import segment_bounds
from merit.solver.chains import chains
from merit.view import IntArray, SolverView


def shorten(view: SolverView, chosen: IntArray) -> IntArray:
    """``chosen`` with every chain over ``max_length`` cut as the module docstring says."""
    limit, home = view.max_chain_length, view.candidate_home
    if limit is None or home is None:
        return chosen
    chosen = np.asarray(chosen, dtype=np.int64)
    long = [c for c in chains(view, chosen) if c.length > limit]
    if not long:
        return chosen
    stay_of = np.full(view.n_candidates, -1, dtype=np.int64)
    stays = np.flatnonzero(view.arc_is_stay())
    stay_of[view.arc_candidate[stays]] = stays
    bounds = segment_bounds(view.arc_vacancy, view.n_vacancies)
    busy = np.zeros(view.n_candidates, dtype=bool)
    busy[view.arc_candidate[chosen]] = True
    drop: list[int] = []
    add: list[int] = []
    for chain in long:
        arcs = list(chain.arcs)
        kept = 0 if chain.closed else _keep(view, arcs, limit, bounds, busy, add)
        for a in arcs[kept:]:  # the movers cut off go back to their posts
            drop.append(a)
            c = int(view.arc_candidate[a])
            if home[c] >= 0:
                add.append(int(stay_of[c]))
            else:
                busy[c] = False
    out = np.setdiff1d(chosen, np.asarray(drop, dtype=np.int64))
    return np.sort(np.r_[out, np.asarray(add, dtype=np.int64)])


def _keep(
    view: SolverView,
    arcs: list[int],
    limit: int,
    bounds: IntArray,
    busy: np.ndarray,
    add: list[int],
) -> int:
    """How many of the chain's first moves stay; the refill it needs is appended to ``add``."""
    assert view.candidate_home is not None
    for j in range(limit, 0, -1):
        freed = int(view.candidate_home[view.arc_candidate[arcs[j - 1]]])
        if freed < 0:
            return j  # the j-th mover held no post: nothing to refill
        lo, hi = int(bounds[freed]), int(bounds[freed + 1])
        cand = view.arc_candidate[lo:hi]
        free = np.flatnonzero((view.candidate_home[cand] < 0) & ~busy[cand])
        if len(free) and j < limit:  # the refill is one more move of the chain
            best = lo + int(free[np.argmax(view.arc_score[lo:hi][free])])
            busy[view.arc_candidate[best]] = True
            add.append(best)
            return j
        if not view.keep_posts_filled:
            return j  # the freed post may stay empty
    return 0
