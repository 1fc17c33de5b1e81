"""The pruned solve is exact: same objective as the unpruned one, with a held certificate."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merit.solver import solve
from merit.solver.flow import flow_problem, min_cost_assignment
from merit.solver.prune import (
    PRUNE_ABOVE,
    best_per_vacancy,
    fill_costs,
    fill_free,
    potentials,
    solve_pruned,
    violations,
)
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


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(dense_views(), st.sampled_from([1, 2, 8]))
def test_pruned_equals_unpruned(view, base) -> None:  # type: ignore[no-untyped-def]
    """With K as small as 1 the first pruned graph often fills fewer posts or scores less:
    the certificate must catch both and the rounds must reach the full optimum."""
    fp = flow_problem(view)
    full_status, full = min_cost_assignment(fp, fp.fixed.free_arcs)
    status, pruned, stats = solve_pruned(fp, base)
    assert status is full_status
    assert summarise(view, pruned) == summarise(view, full)
    assert stats["certified"] == 1
    assert stats["prune_rounds"] >= 1 and stats["prune_k"] >= base


def _violations_with_kept(view, kept_arcs):  # type: ignore[no-untyped-def]
    fp = flow_problem(view)
    kept = np.zeros(view.n_arcs, dtype=bool)
    kept[kept_arcs] = True
    _, chosen = min_cost_assignment(fp, np.flatnonzero(kept))
    fill = fill_costs(fp)
    assert fill is not None
    return violations(fp, potentials(fp, np.flatnonzero(kept), chosen, fill), kept).tolist()


def test_certificate_catches_a_pruned_arc_that_fills_more() -> None:
    """Both vacancies' best arc goes to candidate 0: the kept arcs fill one post, and the
    pruned arc (1 -> 1), worth little, is flagged because it fills the second."""
    view = make_view(2, 2, [(0, 0, 9), (0, 1, 8), (1, 1, 1)])  # arcs sorted by vacancy
    assert _violations_with_kept(view, [0, 1]) == [2]


def test_certificate_catches_a_pruned_arc_that_scores_more() -> None:
    view = make_view(2, 1, [(0, 0, 5), (1, 0, 9)])
    assert _violations_with_kept(view, [0]) == [1]
    assert _violations_with_kept(view, [1]) == []


def test_a_pruned_arc_that_only_ties_is_not_a_violation() -> None:
    """Equal scores, equal tie-breaks: the pruned arc's reduced cost is exactly zero, which
    proves nothing better exists (flagging it would add rounds, in the extreme forever)."""
    view = make_view(2, 1, [(0, 0, 7), (1, 0, 7)])
    assert _violations_with_kept(view, [0]) == []
    assert _violations_with_kept(view, [1]) == []


def test_certificate_respects_tiers() -> None:
    """Candidate 0 can fill the tier-0 post (score 1) or the tier-1 post (score 9): filling
    tier 0 comes first, so keeping only the tier-1 arc is flagged."""
    view = make_view(1, 2, [(0, 0, 1), (0, 1, 9)], tiers=[0, 1])
    assert _violations_with_kept(view, [1]) == [0]


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(dense_views(), st.integers(0, 2**32 - 1))
def test_certificate_never_passes_a_worse_placement(view, seed) -> None:  # type: ignore[no-untyped-def]
    """Soundness on random kept subsets: no violation means the kept optimum is the full one."""
    fp = flow_problem(view)
    rng = np.random.default_rng(seed)
    kept = np.flatnonzero(rng.random(view.n_arcs) < rng.uniform(0.1, 1.0))
    _, full = min_cost_assignment(fp, fp.fixed.free_arcs)
    _, part = min_cost_assignment(fp, kept)
    if not _violations_with_kept(view, kept.tolist()):
        assert summarise(view, part) == summarise(view, full)


def test_pruning_keeps_the_best_arcs_per_vacancy() -> None:
    view = make_view(3, 1, [(0, 0, 5), (1, 0, 9), (2, 0, 7)])
    kept = best_per_vacancy(flow_problem(view), 2)
    assert sorted(view.arc_score[kept].tolist()) == [7, 9]


def test_fill_step_gives_each_empty_post_its_own_free_candidate() -> None:
    """Three posts whose best candidate is the same strong one (0): their best arc alone
    fills one post. The fill step gives each empty post its best free candidate, reserved,
    so the second post takes 1 (its best free), the third 2 (1 is reserved), not both 1."""
    arcs = [(c, v, s) for v in range(3) for c, s in ((0, 99), (1, 50), (2, 40), (3, 30))]
    view = make_view(4, 3, sorted(arcs, key=lambda a: (a[1], a[0])))
    fp = flow_problem(view)
    kept = np.zeros(view.n_arcs, dtype=bool)
    kept[best_per_vacancy(fp, 1)] = True
    assert fill_free(fp, kept, per_post=1) == 2
    placed = min_cost_assignment(fp, np.flatnonzero(kept))[1]
    assert len(placed) == 3
    assert sorted(view.arc_candidate[np.flatnonzero(kept)].tolist()) == [0, 0, 0, 1, 2]
    assert fill_free(fp, kept, per_post=1) == 0  # every post can be filled now


def test_large_orlib_instance_is_solved_pruned_and_exact() -> None:
    view = orlib_view("assign800")
    assert view.n_arcs > PRUNE_ABOVE
    sol = solve(view)
    assert sol.stats["certified"] == 1 and sol.stats["pruned_arcs"] < view.n_arcs
    assert 800 * 100 - sol.total_score == 1552


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(dense_views(), st.integers(0, 2**32 - 1))
def test_packed_check_equals_the_pairwise_check(view, seed) -> None:  # type: ignore[no-untyped-def]
    """The fast check packs (fill, weight) into one int64; it must flag exactly the arcs the
    pair-by-pair lexicographic comparison flags."""
    import merit.solver.prune as prune

    fp = flow_problem(view)
    rng = np.random.default_rng(seed)
    kept = rng.random(view.n_arcs) < rng.uniform(0.1, 1.0)
    _, chosen = min_cost_assignment(fp, np.flatnonzero(kept))
    fill = fill_costs(fp)
    assert fill is not None
    dist = potentials(fp, np.flatnonzero(kept), chosen, fill)
    fast = violations(fp, dist, kept)
    original = prune._pack
    try:
        prune._pack = lambda *a: None  # type: ignore[assignment]
        slow = violations(fp, dist, kept)
    finally:
        prune._pack = original
    assert fast.tolist() == slow.tolist()
