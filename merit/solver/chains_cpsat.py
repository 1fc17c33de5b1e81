"""Exact chain round by OR-Tools CP-SAT, when a side constraint of chains binds.

The min-cost flow of a chain round (``merit.solver.chains``) is exact when its optimum keeps
``max_length``, ``max_moves``, the net moves per unit and the budget; when it breaks one, the
round is solved here with all of them, in the same lexicographic stages (fill of each tier,
total merit less move costs, fewest moves, movers' tie-break), each stage fixing the value the
previous one reached. One worker and a fixed seed keep it deterministic; a stage stopped by the
time limit makes the whole result FEASIBLE, never OPTIMAL.

Chain length: ``g[p]`` counts the moves from post ``p``'s holder to the vacant post at the
chain's head (0 at a vacant post); a holder of ``h`` moving into ``p`` makes ``g[h] >= g[p] +
1``, a mover who held no post makes the chain ``g[p] + 1`` long, and every value is at most
``max_length``. A rotation has no vacant post: its lowest post is its root, where the count
starts at 1 (a root is allowed only on posts whose chain reaches no vacant post, marked by a
token every vacant post sets, and only at the lowest post of its rotation).
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from merit.solver.chains import chains, flow_tiers
from merit.solver.cpsat import groups, lexicographic
from merit.solver.status import SolveStatus
from merit.view import IntArray, SolverView


def solve_chains_cpsat(
    view: SolverView, hint: IntArray | None
) -> tuple[SolveStatus, IntArray, tuple[int | None, ...], tuple[int | None, ...], dict[str, int]]:
    """Chosen arcs, overall status, and each stage's value and proven bound. ``hint``: a
    placement that keeps every constraint (the relaxation's, with its too-long chains cut): the
    search starts from it and never returns less."""
    assert view.candidate_home is not None
    model = cp_model.CpModel()
    n = view.n_arcs
    x = [model.new_bool_var(f"arc_{a}") for a in range(n)]
    stay = view.arc_is_stay()
    move = np.flatnonzero(~stay).tolist()
    home = view.candidate_home
    for a in view.pinned_arcs.tolist():
        model.add(x[a] == 1)  # label: SCN-PINNED
    for c, arcs in enumerate(groups(view.arc_candidate, view.n_candidates)):
        terms = [x[a] for a in arcs.tolist()]
        if home[c] >= 0:
            model.add_exactly_one(terms)  # label: A-HOLDER-KEEPS-A-POST
        elif len(terms) > 1:
            model.add_at_most_one(terms)  # label: ONE-POST-PER-PERSON
    held = np.zeros(view.n_vacancies, dtype=bool)
    held[home[home >= 0]] = True
    for v, arcs in enumerate(groups(view.arc_vacancy, view.n_vacancies)):
        terms = [x[a] for a in arcs.tolist()]
        if held[v] and view.keep_posts_filled:
            model.add_exactly_one(terms)  # label: SCN-KEEP-FILLED
        elif len(terms) > 1:
            model.add_at_most_one(terms)  # label: ONE-PERSON-PER-POST
    if view.max_moves is not None:
        model.add(sum(x[a] for a in move) <= view.max_moves)
    if view.max_moves_per_unit is not None and move and view.vacancy_unit is not None:
        arcs = np.asarray(move, dtype=np.int64)
        cu = view.candidate_unit[view.arc_candidate[arcs]]
        vu = view.vacancy_unit[view.arc_vacancy[arcs]]
        across = arcs[cu != vu]  # a move within a unit takes one out and brings one in
        cu, vu = cu[cu != vu], vu[cu != vu]
        n_units = int(max(cu.max(initial=-1), vu.max(initial=-1))) + 1
        leave, come = groups(cu, n_units), groups(vu, n_units)
        for u in range(n_units):
            if len(leave[u]) > view.max_moves_per_unit:
                out = sum(x[a] for a in across[leave[u]].tolist())
                into = sum(x[a] for a in across[come[u]].tolist())
                model.add(out - into <= view.max_moves_per_unit)
    if view.budget is not None:
        cost = view.vacancy_cost[view.arc_vacancy] - view.candidate_freed_cost[view.arc_candidate]
        model.add(sum(int(cost[a]) * x[a] for a in move) <= view.budget)
    if view.max_chain_length is not None:
        _chain_lengths(model, view, x, move, held)
    tiers, n_tiers = flow_tiers(view)
    tier = tiers[view.arc_vacancy]
    tb = view.candidate_tiebreak[view.arc_candidate]
    value = view.arc_score + view.move_cost * stay
    stages = [[(a, 1) for a in np.flatnonzero(tier == t).tolist()] for t in range(n_tiers)]
    stages.append([(a, int(s)) for a, s in enumerate(value.tolist())])
    stages.append([(a, 1) for a in np.flatnonzero(stay).tolist()])
    stages.append([(a, int(tb[a])) for a in move])
    return lexicographic(model, x, stages, view, start=hint)


def undo_long_chains(view: SolverView, chosen: IntArray) -> IntArray:
    """``chosen`` without the chains longer than ``max_length``: their movers stay."""
    if view.max_chain_length is None or view.candidate_home is None:
        return chosen
    undo = [a for c in chains(view, chosen) if c.length > view.max_chain_length for a in c.arcs]
    keep = chosen[~np.isin(chosen, undo)]
    movers = view.arc_candidate[undo]
    stays = np.flatnonzero(view.arc_is_stay() & np.isin(view.arc_candidate, movers))
    return np.sort(np.r_[keep, stays])


def _chain_lengths(
    model: cp_model.CpModel,
    view: SolverView,
    x: list[cp_model.IntVar],
    move: list[int],
    held: np.ndarray,
) -> None:
    """``max_length`` as in the module docstring."""
    assert view.candidate_home is not None and view.max_chain_length is not None
    top = view.max_chain_length
    n_vac = view.n_vacancies
    g = [model.new_int_var(0, top if held[p] else 0, f"g_{p}") for p in range(n_vac)]
    token = [
        model.new_bool_var(f"t_{p}") if held[p] else model.new_constant(1) for p in range(n_vac)
    ]
    root = [model.new_bool_var(f"r_{p}") if held[p] else None for p in range(n_vac)]
    label = [model.new_int_var(0, p, f"m_{p}") for p in range(n_vac)]
    for p in range(n_vac):
        r = root[p]
        if r is not None:
            model.add(token[p] == 0).only_enforce_if(r)
            model.add(label[p] == p).only_enforce_if(r)
    for a in move:
        c, p = int(view.arc_candidate[a]), int(view.arc_vacancy[a])
        h = int(view.candidate_home[c])
        if h < 0:  # a mover who held no post: the chain ends here
            model.add(g[p] + 1 <= top).only_enforce_if(x[a])
            continue
        r = root[h]
        assert r is not None
        model.add(token[h] == token[p]).only_enforce_if(x[a])
        model.add(label[h] == label[p]).only_enforce_if(x[a])
        model.add(g[h] >= g[p] + 1).only_enforce_if([x[a], r.Not()])
        model.add(g[h] >= 1).only_enforce_if(x[a])
