"""The pruned solve is exact: same objective as the unpruned one, with a held certificate."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merit.solver import solve
from merit.solver.flow import flow_problem, min_cost_assignment
from merit.solver.prune import PRUNE_ABOVE, best_per_vacancy, solve_pruned
from merit.solver.solution import summarise
from tests.views import make_view, orlib_view


@st.composite
def dense_views(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_cand, n_vac = int(rng.integers(20, 120)), int(rng.integers(5, 40))
    mask = rng.random((n_cand, n_vac)) < draw(st.floats(0.2, 1.0))
    r, c = np.nonzero(mask)
    arcs = [(int(i), int(j), int(rng.integers(0, 1_000_000))) for i, j in zip(r, c, strict=True)]
    return make_view(
        n_cand,
        n_vac,
        arcs,
        tiebreak=rng.integers(0, 16, n_cand).tolist(),
        bits=4,
        tiers=rng.integers(0, 2, n_vac).tolist() if draw(st.booleans()) else None,
        units=rng.integers(0, 4, n_cand).tolist(),
        max_moves=draw(st.one_of(st.none(), st.integers(3, 10))),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(dense_views())
def test_pruned_equals_unpruned(view) -> None:  # type: ignore[no-untyped-def]
    if max(view.vacancy_tier) >= view.n_tiers:
        return
    fp = flow_problem(view)
    full_status, full = min_cost_assignment(fp, fp.fixed.free_arcs)
    status, pruned, stats = solve_pruned(fp)
    assert status is full_status
    assert summarise(view, pruned) == summarise(view, full)
    assert stats["certified"] == 1
    assert stats["prune_rounds"] >= 1 and stats["prune_k"] >= 8


def test_pruning_keeps_the_best_arcs_per_vacancy() -> None:
    view = make_view(3, 1, [(0, 0, 5), (1, 0, 9), (2, 0, 7)])
    kept = best_per_vacancy(flow_problem(view), 2)
    assert sorted(view.arc_score[kept].tolist()) == [7, 9]


def test_large_orlib_instance_is_solved_pruned_and_exact() -> None:
    view = orlib_view("assign800")
    assert view.n_arcs > PRUNE_ABOVE
    sol = solve(view)
    assert sol.stats["certified"] == 1 and sol.stats["pruned_arcs"] < view.n_arcs
    assert 800 * 100 - sol.total_score == 1552
