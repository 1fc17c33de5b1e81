"""Equal posts solved as one class node: the optimum post by post, spread by a fixed rule."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merit.solver.flow import flow_problem, min_cost_assignment
from merit.solver.interchangeable import interchangeable, with_classes
from merit.solver.prune import fill_costs, potentials, solve_pruned, violations
from merit.solver.solution import summarise
from tests.views import make_view


@st.composite
def views_with_copies(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    """A few random columns, each copied onto 1-5 posts (shuffled, so copies are not
    neighbours), sometimes with tiers, unit limits and a pin."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_cand, n_cols = int(rng.integers(10, 60)), int(rng.integers(1, 8))
    copies = rng.integers(1, 6, n_cols)
    col_of_post = rng.permutation(np.repeat(np.arange(n_cols), copies))
    col_tier = rng.integers(0, 2, n_cols) if draw(st.booleans()) else np.zeros(n_cols, int)
    columns = []
    for _ in range(n_cols):
        cands = np.flatnonzero(rng.random(n_cand) < rng.uniform(0.1, 0.9))
        scores = rng.integers(0, 20, len(cands)) * 1000  # coarse scores: many ties
        columns.append(list(zip(cands.tolist(), scores.tolist(), strict=True)))
    arcs = [(c, v, s) for v, col in enumerate(col_of_post) for c, s in columns[col]]
    pinned = []
    if arcs and draw(st.booleans()):
        ordered = sorted(arcs, key=lambda a: (a[1], a[0]))
        pinned = [int(rng.integers(0, len(ordered)))]
    return make_view(
        n_cand,
        len(col_of_post),
        arcs,
        tiebreak=rng.integers(0, 16, n_cand).tolist(),
        bits=4,
        tiers=col_tier[col_of_post].tolist(),
        units=rng.integers(0, 3, n_cand).tolist(),
        max_moves=draw(st.one_of(st.none(), st.integers(1, 6))),
        pinned=pinned,
    )


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(views_with_copies(), st.sampled_from([1, 2, 8]))
def test_classes_give_the_unpruned_optimum_and_a_valid_placement(view, base) -> None:  # type: ignore[no-untyped-def]
    fp = flow_problem(view)
    full_status, full = min_cost_assignment(fp, fp.fixed.free_arcs)
    status, pruned, stats = solve_pruned(fp, base)
    assert status is full_status
    assert stats["certified"] == 1
    chosen = np.r_[fp.fixed.arcs, pruned]
    assert summarise(view, chosen) == summarise(view, np.r_[fp.fixed.arcs, full])
    assert len(np.unique(view.arc_candidate[chosen])) == len(chosen)
    assert len(np.unique(view.arc_vacancy[chosen])) == len(chosen)
    if view.max_moves_per_unit is not None:
        assert (
            np.bincount(view.candidate_unit[view.arc_candidate[chosen]]).max(initial=0)
            <= view.max_moves_per_unit
        )


def _column(v: int, scores: dict[int, int]) -> list[tuple[int, int, int]]:
    return [(c, v, s) for c, s in scores.items()]


def test_only_equal_columns_in_the_same_tier_are_one_class() -> None:
    """Posts 0, 1 and 5 are equal; 2 differs in one score, 3 only in its tier, 4 is
    pinned, 6 has one candidate fewer."""
    base = {0: 50, 1: 40, 2: 30}
    arcs = [
        *_column(0, base),
        *_column(1, base),
        *_column(2, {**base, 2: 31}),
        *_column(3, base),
        *_column(4, base),
        *_column(5, base),
        *_column(6, {0: 50, 1: 40}),
    ]
    view = make_view(3, 7, arcs, tiers=[0, 0, 0, 1, 0, 0, 0], pinned=[12])  # 12: (0, 4)
    classes = interchangeable(flow_problem(view))
    assert classes.first.tolist() == [0, 0, 2, 3, 4, 0, 6]
    assert classes.capacity.tolist() == [3, 0, 1, 1, 0, 0, 1]
    assert classes.n_classes == 4


def test_a_class_gives_its_candidates_to_its_posts_in_index_order() -> None:
    """Posts 0 and 2 are equal; the class takes candidates 1 and 2 (the best two): the lower
    candidate index goes to the lower post index. Post 1 is alone and takes candidate 0."""
    col = {0: 10, 1: 90, 2: 80}
    arcs = [*_column(0, col), (0, 1, 70), *_column(2, col)]
    view = make_view(3, 3, arcs)
    fp = flow_problem(view)
    classes = interchangeable(fp)
    assert classes.first.tolist() == [0, 1, 0]
    # on the class node, the chosen arcs are the representative's (post 0): candidates 1, 2
    placed = classes.expand(np.array([1, 2, 3]))
    assert _pairs(view, placed) == [(0, 1), (1, 0), (2, 2)]
    assert _pairs(view, solve_pruned(fp, 1)[1]) == [(0, 1), (1, 0), (2, 2)]


def _pairs(view, arcs):  # type: ignore[no-untyped-def]
    return sorted(
        zip(view.arc_vacancy[arcs].tolist(), view.arc_candidate[arcs].tolist(), strict=True)
    )


def _class_violations(view, kept_arcs):  # type: ignore[no-untyped-def]
    fp = flow_problem(view)
    fpc = with_classes(fp, interchangeable(fp))
    kept = np.zeros(view.n_arcs, dtype=bool)
    kept[kept_arcs] = True
    _, chosen = min_cost_assignment(fpc, np.flatnonzero(kept))
    fill = fill_costs(fpc)
    assert fill is not None
    dist = potentials(fpc, np.flatnonzero(kept), chosen, fill)
    return fpc, chosen, violations(fpc, dist, kept).tolist()


def test_certificate_sees_a_class_with_a_post_left() -> None:
    """Posts 0 and 1 are one class of two. Kept: candidate 0 only, so one post stays empty;
    the pruned arc of candidate 1 (worth little) fills it and must be flagged."""
    view = make_view(2, 2, [(0, 0, 9), (1, 0, 1), (0, 1, 9), (1, 1, 1)])
    _, chosen, bad = _class_violations(view, [0])
    assert len(chosen) == 1 and bad == [1]
    _, chosen, bad = _class_violations(view, [0, 1])
    assert len(chosen) == 2 and bad == []


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(views_with_copies(), st.integers(0, 2**32 - 1))
def test_class_certificate_never_passes_a_worse_placement(view, seed) -> None:  # type: ignore[no-untyped-def]
    """Soundness on random kept subsets of the class arcs: no violation means the kept
    optimum is the full one."""
    rng = np.random.default_rng(seed)
    kept = np.flatnonzero(rng.random(view.n_arcs) < rng.uniform(0.1, 1.0))
    fp = flow_problem(view)
    kept = kept[fp.fixed.free_mask[kept]] if fp.fixed.free_mask is not None else kept
    _, part, bad = _class_violations(view, kept)
    if not bad:
        _, full = min_cost_assignment(fp, fp.fixed.free_arcs)
        expanded = interchangeable(fp).expand(part)
        pins = fp.fixed.arcs
        assert summarise(view, np.r_[pins, expanded]) == summarise(view, np.r_[pins, full])
