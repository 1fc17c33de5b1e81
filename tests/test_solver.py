"""The solver: OR-Library optima, brute force on small views, side constraints, statuses."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.graph.python import max_flow, min_cost_flow
from ortools.sat.python import cp_model
from scipy.optimize import linear_sum_assignment

from merit.errors import InfeasibleError
from merit.solver import SolveStatus, solve
from merit.solver.status import CP_SAT, MAX_FLOW, MIN_COST_FLOW
from merit.view import SolverView
from tests.views import ORLIB_OPTIMA, make_view, orlib_view, read_orlib


@pytest.mark.parametrize("name", sorted(ORLIB_OPTIMA))
def test_orlib_instance_reaches_the_published_optimum(name: str) -> None:
    n, r, c, cost = read_orlib(name)
    assert len(set(zip(r.tolist(), c.tolist(), strict=True))) == len(r), "duplicate pair"
    assert r.min() >= 0 and c.max() < n and cost.min() >= 1 and cost.max() <= 100
    sol = solve(orlib_view(name))
    assert sol.status is SolveStatus.OPTIMAL and sol.method == "min_cost_flow"
    assert sol.filled_by_tier == (n,)
    assert n * 100 - sol.total_score == ORLIB_OPTIMA[name]


def test_cp_sat_path_agrees_on_orlib() -> None:
    from merit.solver.cpsat import solve_cpsat

    status, chosen, values, bounds, _ = solve_cpsat(orlib_view("assign100", budget=10**9))
    assert status is SolveStatus.OPTIMAL and len(chosen) == 100
    assert 100 * 100 - values[1] == ORLIB_OPTIMA["assign100"]
    assert list(values) == list(bounds)


def test_a_budget_that_does_not_bind_keeps_the_flow_optimum() -> None:
    sol = solve(orlib_view("assign100", budget=10**9))
    assert sol.method == "min_cost_flow (budget not binding)"
    assert sol.status is SolveStatus.OPTIMAL and 100 * 100 - sol.total_score == 305


def test_time_limit_is_never_reported_optimal() -> None:
    import dataclasses

    from merit.solver.cpsat import solve_cpsat

    view = dataclasses.replace(orlib_view("assignp800", budget=10**9), time_limit_seconds=0.5)
    status, _, values, bounds, _ = solve_cpsat(view)
    assert status in (SolveStatus.FEASIBLE, SolveStatus.NOT_SOLVED)
    if status is SolveStatus.FEASIBLE:
        assert None in values or values != bounds


def test_every_backend_status_is_mapped() -> None:
    mcf = min_cost_flow.SimpleMinCostFlow.Status
    mf = max_flow.SimpleMaxFlow.Status
    assert set(MIN_COST_FLOW) == set(mcf.__members__.values())
    assert set(MAX_FLOW) == set(mf.__members__.values())
    assert set(CP_SAT) == set(cp_model.CpSolverStatus.__members__.values())


@st.composite
def views(draw: st.DrawFn, budget: bool = False) -> SolverView:
    """Small views by construction: arcs, scores, tiers, units, pins and optional limits."""
    n_cand = draw(st.integers(1, 5))
    n_vac = draw(st.integers(1, 4))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_cand - 1), st.integers(0, n_vac - 1)),
            min_size=1,
            max_size=n_cand * n_vac,
            unique=True,
        )
    )
    arcs = [(c, v, draw(st.integers(0, 30))) for c, v in pairs]
    tiers = draw(st.lists(st.integers(0, 1), min_size=n_vac, max_size=n_vac))
    if 1 in tiers and 0 not in tiers:
        tiers = [t - 1 for t in tiers]
    return make_view(
        n_cand,
        n_vac,
        arcs,
        tiebreak=draw(st.lists(st.integers(0, 7), min_size=n_cand, max_size=n_cand)),
        bits=3,
        tiers=tiers,
        units=draw(st.lists(st.integers(0, 1), min_size=n_cand, max_size=n_cand)),
        max_moves=draw(st.one_of(st.none(), st.integers(1, 2))),
        vac_cost=draw(st.lists(st.integers(0, 5), min_size=n_vac, max_size=n_vac)),
        freed=draw(st.lists(st.integers(0, 3), min_size=n_cand, max_size=n_cand)),
        budget=draw(st.integers(0, 8)) if budget else None,
        pinned=[0] if draw(st.booleans()) else [],
    )


def brute_force(view: SolverView) -> tuple[int, ...] | None:
    """The lexicographic best objective over every feasible set of arcs, by enumeration."""
    best = None
    arcs = range(view.n_arcs)
    for k in range(min(view.n_candidates, view.n_vacancies) + 1):
        for combo in itertools.combinations(arcs, k):
            a = np.array(combo, dtype=np.int64)
            c, v = view.arc_candidate[a], view.arc_vacancy[a]
            if len(set(c)) < k or len(set(v)) < k or not set(view.pinned_arcs) <= set(combo):
                continue
            if (
                view.max_moves_per_unit is not None
                and k
                and np.bincount(view.candidate_unit[c]).max() > view.max_moves_per_unit
            ):
                continue
            if (
                view.budget is not None
                and view.vacancy_cost[v].sum() - view.candidate_freed_cost[c].sum() > view.budget
            ):
                continue
            key = (
                *np.bincount(view.vacancy_tier[v], minlength=view.n_tiers).tolist(),
                int(view.arc_score[a].sum()),
                int(view.candidate_tiebreak[c].sum()),
            )
            best = key if best is None or key > best else best
    return best


def check_feasible(view: SolverView, chosen: np.ndarray) -> None:
    c, v = view.arc_candidate[chosen], view.arc_vacancy[chosen]
    assert len(set(c)) == len(c) and len(set(v)) == len(v)
    assert set(view.pinned_arcs) <= set(chosen.tolist())
    if view.max_moves_per_unit is not None and len(c):
        assert np.bincount(view.candidate_unit[c]).max() <= view.max_moves_per_unit
    if view.budget is not None:
        assert view.vacancy_cost[v].sum() - view.candidate_freed_cost[c].sum() <= view.budget


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(views(), views(budget=True)))
def test_small_views_match_brute_force(view: SolverView) -> None:
    best = brute_force(view)
    if best is None:
        with pytest.raises(InfeasibleError):
            sol = solve(view)
            if sol.status is SolveStatus.INFEASIBLE:
                raise InfeasibleError("infeasible")
        return
    sol = solve(view)
    assert sol.status is SolveStatus.OPTIMAL
    check_feasible(view, sol.chosen_arcs)
    assert (*sol.filled_by_tier, sol.total_score, sol.total_tiebreak) == best
    assert np.array_equal(solve(view).chosen_arcs, sol.chosen_arcs)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(5, 40), st.integers(3, 30), st.floats(0.1, 0.9))
def test_medium_views_match_scipy(seed: int, n_cand: int, n_vac: int, density: float) -> None:
    """Max cardinality, then max score: scipy on an independent big-M transform agrees."""
    rng = np.random.default_rng(seed)
    mask = rng.random((n_cand, n_vac)) < density
    score = rng.integers(0, 1_000_000, size=(n_cand, n_vac))
    r, c = np.nonzero(mask)
    view = make_view(
        n_cand, n_vac, [(int(i), int(j), int(score[i, j])) for i, j in zip(r, c, strict=True)]
    )
    sol = solve(view)
    big = 10**12
    weight = np.where(mask, big + score, 0).astype(float)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    used = mask[rows, cols]
    assert sol.filled_by_tier[0] == int(used.sum())
    assert sol.total_score == int(score[rows, cols][used].sum())


def test_tiers_fill_the_priority_post_first() -> None:
    # one candidate, two posts: the tier-0 post wins even with a lower score
    view = make_view(1, 2, [(0, 0, 10), (0, 1, 90)], tiers=[1, 0])
    assert solve(view).chosen_arcs.tolist() == [1]
    view = make_view(1, 2, [(0, 0, 10), (0, 1, 90)], tiers=[0, 1])
    assert solve(view).chosen_arcs.tolist() == [0]


def test_fill_comes_before_score() -> None:
    # c0 fits both posts, c1 only post 0: filling both beats c0's high score on post 0
    view = make_view(2, 2, [(0, 0, 100), (0, 1, 1), (1, 0, 1)])
    sol = solve(view)
    assert sol.filled_by_tier == (2,) and sol.total_score == 2


def test_pin_changes_the_outcome() -> None:
    base = make_view(2, 1, [(0, 0, 50), (1, 0, 40)])
    assert solve(base).chosen_arcs.tolist() == [0]
    pinned = make_view(2, 1, [(0, 0, 50), (1, 0, 40)], pinned=[1])
    assert solve(pinned).chosen_arcs.tolist() == [1]


def test_conflicting_pins_are_infeasible() -> None:
    with pytest.raises(InfeasibleError, match="same vacancy"):
        solve(make_view(2, 1, [(0, 0, 50), (1, 0, 40)], pinned=[0, 1]))


def test_max_moves_per_unit_changes_the_outcome() -> None:
    arcs = [(0, 0, 90), (1, 1, 90), (2, 0, 10), (2, 1, 5)]
    free = solve(make_view(3, 2, arcs, units=[0, 0, 1]))
    assert free.total_score == 180
    capped = solve(make_view(3, 2, arcs, units=[0, 0, 1], max_moves=1))
    assert capped.filled_by_tier == (2,) and capped.total_score < 180


def test_budget_changes_the_outcome() -> None:
    arcs = [(0, 0, 90), (1, 1, 80)]
    assert solve(make_view(2, 2, arcs, vac_cost=[5, 5])).filled_by_tier == (2,)
    capped = solve(make_view(2, 2, arcs, vac_cost=[5, 5], budget=5))
    assert capped.method == "cp_sat" and capped.filled_by_tier == (1,)
    assert capped.total_score == 90


def test_tiebreak_decides_equal_scores_only() -> None:
    view = make_view(2, 1, [(0, 0, 50), (1, 0, 50)], tiebreak=[1, 6], bits=3)
    assert solve(view).chosen_arcs.tolist() == [1]
    view = make_view(2, 1, [(0, 0, 51), (1, 0, 50)], tiebreak=[0, 7], bits=3)
    assert solve(view).chosen_arcs.tolist() == [0]


@pytest.mark.parametrize("n_cand", [3, 5_000, 90_000])
def test_weights_stay_inside_the_or_tools_cost_range(n_cand: int) -> None:
    """The largest arc weight the tie-break bits allow is accepted by SimpleMinCostFlow at
    the network's node count (it rejects costs above about 2**62 / nodes)."""
    from ortools.graph.python import min_cost_flow

    from merit.solver.flow import flow_problem

    view = make_view(n_cand, 2, [(0, 0, 1_000_000), (1, 1, 0)], bits=24)
    fp = flow_problem(view)
    top = int(fp.weights(np.arange(view.n_arcs)).max()) + (1 << fp.bits)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arc_with_capacity_and_unit_cost(0, 1, 1, -top)
    mcf.set_nodes_supplies(np.arange(fp.net.n_nodes), np.r_[1, -1, np.zeros(fp.net.n_nodes - 2)])
    assert mcf.solve() == mcf.OPTIMAL


def test_cost_range_rejection_retries_with_fewer_tiebreak_bits(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """When OR-Tools rejects the cost range the solve is repeated with fewer tie-break bits,
    still exact on the scores; with no bits left the error reaches the caller."""
    from merit.solver import flow
    from merit.solver.status import CostRangeError

    real = flow.min_cost_assignment

    def picky(fp, arcs):  # type: ignore[no-untyped-def]
        if fp.bits > 8:
            raise CostRangeError("too large")
        return real(fp, arcs)

    monkeypatch.setattr(flow, "min_cost_assignment", picky)
    view = make_view(3, 2, [(0, 0, 5), (1, 0, 7), (1, 1, 6), (2, 1, 2)], bits=20)
    status, chosen, bits, stats = flow.solve_flow(view)
    assert status is SolveStatus.OPTIMAL
    assert bits == 8 and stats["cost_range_retries"] == 2
    assert view.arc_score[chosen].sum() == 11  # 0 -> 0 (5) and 1 -> 1 (6) beat 7 + 2

    def never(fp, arcs):  # type: ignore[no-untyped-def]
        raise CostRangeError("too large")

    monkeypatch.setattr(flow, "min_cost_assignment", never)
    with pytest.raises(CostRangeError):
        flow.solve_flow(view)
