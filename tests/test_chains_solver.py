"""Chain rounds in the solver: the exact optimum against brute force on small rounds."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from merit.solver import SolveStatus, solve
from merit.solver.chains import chains
from merit.solver.shorten import shorten
from merit.view import SolverView
from tests.views import make_view


@st.composite
def rounds(draw: st.DrawFn) -> SolverView:
    """A small round: some candidates hold a post (their stay is an arc), others hold none;
    moves are eligible pairs with scores; tiers, units, costs and the chain limits vary."""
    n_cand = draw(st.integers(1, 5))
    n_post = draw(st.integers(1, 5))
    holders = draw(st.permutations(range(n_post)))
    home = [-1] * n_cand
    for c in range(n_cand):
        if c < n_post and draw(st.booleans()):
            home[c] = holders[c]
    arcs = []
    for c in range(n_cand):
        for p in range(n_post):
            if p == home[c] or draw(st.booleans()):
                arcs.append((c, p, draw(st.integers(0, 20))))
    tiers = draw(st.lists(st.integers(0, 1), min_size=n_post, max_size=n_post))
    units = draw(st.lists(st.integers(0, 2), min_size=n_cand, max_size=n_cand))
    post_units = draw(st.lists(st.integers(0, 2), min_size=n_post, max_size=n_post))
    costs = draw(st.lists(st.integers(0, 3), min_size=n_post, max_size=n_post))
    view = make_view(
        n_cand,
        n_post,
        arcs,
        tiebreak=draw(st.lists(st.integers(0, 15), min_size=n_cand, max_size=n_cand)),
        tiers=tiers if max(tiers) == 1 else [0] * n_post,
        units=units,
        max_moves=draw(st.none() | st.integers(0, 2)),
        vac_cost=costs,
        freed=[costs[h] if h >= 0 else 0 for h in home],
        budget=draw(st.none() | st.integers(0, 4)),
    )
    return replace(
        view,
        candidate_home=np.asarray(home, dtype=np.int64),
        vacancy_unit=np.asarray(post_units, dtype=np.int64),
        move_cost=draw(st.integers(0, 6)),
        max_chain_length=draw(st.none() | st.integers(1, 3)),
        max_moves=draw(st.none() | st.integers(0, 3)),
        keep_posts_filled=draw(st.booleans()),
    )


def _lengths(view: SolverView, chosen: list[int]) -> list[int]:
    """Moves per chain, by union-find: a move is linked to the move that refills its post."""
    home = view.candidate_home
    assert home is not None
    moved = [a for a in chosen if home[view.arc_candidate[a]] != view.arc_vacancy[a]]
    parent = {a: a for a in moved}

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    filler = {int(view.arc_vacancy[a]): a for a in moved}
    for a in moved:
        h = int(home[view.arc_candidate[a]])
        if h >= 0 and h in filler:
            parent[find(a)] = find(filler[h])
    roots = [find(a) for a in moved]
    return [roots.count(r) for r in set(roots)]


def objective(view: SolverView, chosen: list[int]) -> tuple[int, ...] | None:
    """The round's lexicographic objective of a set of arcs, or None when it breaks a rule."""
    home = view.candidate_home
    assert home is not None and view.vacancy_unit is not None
    cand = [int(view.arc_candidate[a]) for a in chosen]
    post = [int(view.arc_vacancy[a]) for a in chosen]
    if len(set(cand)) < len(cand) or len(set(post)) < len(post):
        return None
    if any(home[c] >= 0 and c not in cand for c in range(view.n_candidates)):
        return None  # a holder lost their post
    held = {int(h) for h in home if h >= 0}
    if view.keep_posts_filled and not held <= set(post):
        return None
    moved = [a for a in chosen if home[view.arc_candidate[a]] != view.arc_vacancy[a]]
    if view.max_moves is not None and len(moved) > view.max_moves:
        return None
    if view.max_chain_length is not None and any(
        n > view.max_chain_length for n in _lengths(view, chosen)
    ):
        return None
    if view.max_moves_per_unit is not None:
        for u in range(3):
            out = sum(view.candidate_unit[view.arc_candidate[a]] == u for a in moved)
            into = sum(view.vacancy_unit[view.arc_vacancy[a]] == u for a in moved)
            if out - into > view.max_moves_per_unit:
                return None
    if view.budget is not None:
        cost = sum(
            view.vacancy_cost[view.arc_vacancy[a]]
            - view.candidate_freed_cost[view.arc_candidate[a]]
            for a in moved
        )
        if cost > view.budget:
            return None
    fill = [sum(view.vacancy_tier[p] == t for p in post) for t in range(view.n_tiers)]
    value = sum(int(view.arc_score[a]) for a in chosen) - view.move_cost * len(moved)
    tb = sum(int(view.candidate_tiebreak[view.arc_candidate[a]]) for a in moved)
    return (*fill, value, -len(moved), tb)


def brute_force(view: SolverView) -> tuple[int, ...] | None:
    best = None
    options = [
        [a for a in range(view.n_arcs) if view.arc_candidate[a] == c] + [None]
        for c in range(view.n_candidates)
    ]
    for pick in itertools.product(*options):
        got = objective(view, [a for a in pick if a is not None])
        if got is not None and (best is None or got > best):
            best = got
    return best


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_chain_rounds_match_brute_force(view: SolverView) -> None:
    solution = solve(view)
    assert solution.status is SolveStatus.OPTIMAL
    assert objective(view, solution.chosen_arcs.tolist()) == brute_force(view)


@settings(max_examples=100, deadline=None)
@given(rounds())
def test_no_chain_is_longer_than_max_length(view: SolverView) -> None:
    solution = solve(view)
    found = chains(view, solution.chosen_arcs)
    assert sorted(c.length for c in found) == sorted(_lengths(view, solution.chosen_arcs.tolist()))
    if view.max_chain_length is not None:
        assert all(c.length <= view.max_chain_length for c in found)


def _round(arcs: list[tuple[int, int, int]], home: list[int], **kw: object) -> SolverView:
    n_cand, n_post = len(home), 1 + max(a[1] for a in arcs)
    view = make_view(n_cand, n_post, arcs, tiebreak=[15] * n_cand)
    return replace(
        view,
        candidate_home=np.asarray(home, dtype=np.int64),
        vacancy_unit=np.zeros(n_post, dtype=np.int64),
        **kw,  # type: ignore[arg-type]
    )


def test_fewest_moves_come_before_the_tiebreak() -> None:
    # A holds post 0 (score 10) and scores 10 in vacancy 1; B holds nothing and scores 10 in
    # both. Same fill, same total: A staying and B moving (1 move) beats both moving (2).
    view = _round([(0, 0, 10), (0, 1, 10), (1, 0, 10), (1, 1, 10)], home=[0, -1])
    chosen = solve(view).chosen_arcs
    assert sorted(zip(view.arc_candidate[chosen], view.arc_vacancy[chosen], strict=True)) == [
        (0, 0),
        (1, 1),
    ]


def test_a_chain_is_made_only_when_it_gains_more_than_its_moves_cost() -> None:
    # A holds post 0 (score 50) and would score 53 in post 1, held by B (score 40), who would
    # score 40 in post 0: swapping gains 3 points over 2 moves.
    arcs = [(0, 0, 50), (0, 1, 53), (1, 0, 40), (1, 1, 40)]
    swapped = solve(_round(arcs, home=[0, 1], move_cost=1)).chosen_arcs
    kept = solve(_round(arcs, home=[0, 1], move_cost=2)).chosen_arcs
    view = _round(arcs, home=[0, 1])
    assert len(chains(view, swapped)) == 1 and chains(view, swapped)[0].closed
    assert chains(view, kept) == []


def test_moves_per_unit_are_counted_net() -> None:
    # A holds post 0 (unit 0) and is eligible for vacancy 1 (unit 1, the priority tier); B holds
    # nothing, sits in unit 1 and can refill post 0. With max 0 moves per unit, A's move alone
    # takes one person out of unit 0; with B's refill each unit loses and gains one.
    def view(with_b: bool) -> SolverView:
        arcs = [(0, 0, 50), (0, 1, 60)] + ([(1, 0, 40)] if with_b else [])
        v = make_view(2, 2, arcs, tiers=[1, 0], units=[0, 1])
        return replace(
            v,
            candidate_home=np.asarray([0, -1], dtype=np.int64),
            vacancy_unit=np.asarray([0, 1], dtype=np.int64),
            max_moves_per_unit=0,
        )

    chain = solve(view(True))
    assert chain.status is SolveStatus.OPTIMAL and chain.filled_by_tier == (1, 1)
    assert [c.length for c in chains(view(True), chain.chosen_arcs)] == [2]
    alone = solve(view(False))
    assert alone.filled_by_tier == (0, 1)  # the vacancy stays empty: A may not leave unit 0
    assert chains(view(False), alone.chosen_arcs) == []


def test_the_budget_counts_the_whole_chain() -> None:
    # A (post 0, allowance 100) -> vacancy 2 (150): +50; B (post 1, 20) -> post 0 (100): +80.
    # Each move is within 100; the chain of both costs 130, A's move alone 50.
    def view(budget: int) -> SolverView:
        arcs = [(0, 0, 50), (0, 2, 70), (1, 1, 30), (1, 0, 60)]
        v = make_view(
            2, 3, arcs, vac_cost=[100, 20, 150], freed=[100, 20], budget=budget, tiers=[1, 1, 0]
        )
        return replace(
            v,
            candidate_home=np.asarray([0, 1], dtype=np.int64),
            vacancy_unit=np.zeros(3, dtype=np.int64),
        )

    assert [c.length for c in chains(view(130), solve(view(130)).chosen_arcs)] == [2]
    tight = solve(view(100))
    assert tight.status is SolveStatus.OPTIMAL
    assert [c.length for c in chains(view(100), tight.chosen_arcs)] == [1]


def test_a_pin_into_a_held_post_moves_its_holder_on() -> None:
    # Pin B (no post) into post 0, held by A: A must take vacancy 1, the only other post A may
    # hold, although A's own post scores higher for A.
    arcs = [(0, 0, 90), (0, 1, 20), (1, 0, 10), (1, 1, 80)]
    view = replace(
        make_view(2, 2, arcs, pinned=[1]),  # arc 1 is (B, post 0) once sorted by post
        candidate_home=np.asarray([0, -1], dtype=np.int64),
        vacancy_unit=np.zeros(2, dtype=np.int64),
    )
    assert (int(view.arc_candidate[1]), int(view.arc_vacancy[1])) == (1, 0)
    chosen = solve(view).chosen_arcs
    pairs = sorted(zip(view.arc_candidate[chosen], view.arc_vacancy[chosen], strict=True))
    assert pairs == [(0, 1), (1, 0)]


@settings(max_examples=150, deadline=None)
@given(rounds())
def test_cutting_too_long_chains_gives_a_placement_within_max_length(view: SolverView) -> None:
    """The start CP-SAT improves on (and a round too large for it returns): the relaxation's
    chains cut to max_length keep every holder in a post and fill no post twice."""
    if view.max_chain_length is None:
        view = replace(view, max_chain_length=1)
    free = solve(replace(view, max_chain_length=None, max_moves=None, max_moves_per_unit=None))
    cut = shorten(view, free.chosen_arcs)
    assert all(c.length <= view.max_chain_length for c in chains(view, cut))
    cands, posts = view.arc_candidate[cut].tolist(), view.arc_vacancy[cut].tolist()
    assert len(set(cands)) == len(cands) and len(set(posts)) == len(posts)
    home = view.candidate_home
    assert home is not None
    assert {c for c in range(view.n_candidates) if home[c] >= 0} <= set(cands)
    if view.keep_posts_filled:
        assert {int(h) for h in home if h >= 0} <= set(posts)
