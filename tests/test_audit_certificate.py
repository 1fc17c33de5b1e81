"""The audit's certificate (fill by max flow, score by residual cycles, margins) vs brute force."""

from __future__ import annotations

import importlib
import itertools
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from merit.audit.certificate import (
    Problem,
    fill_is_maximal,
    margins,
    max_fill_by_tier,
    residual,
)


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Small assignment problems built by construction: arcs, tiers, units, a move limit."""
    n_cand = draw(st.integers(1, 5))
    n_vac = draw(st.integers(1, 4))
    pairs = [(c, v) for c in range(n_cand) for v in range(n_vac)]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=len(pairs), unique=True))
    chosen.sort(key=lambda cv: (cv[1], cv[0]))
    weights = draw(st.lists(st.integers(0, 20), min_size=len(chosen), max_size=len(chosen)))
    n_tiers = draw(st.integers(1, 2))
    n_units = draw(st.integers(1, 2))
    return Problem(
        n_cand=n_cand,
        n_vac=n_vac,
        arc_cand=np.array([c for c, _ in chosen], dtype=np.int64),
        arc_vac=np.array([v for _, v in chosen], dtype=np.int64),
        arc_weight=np.array(weights, dtype=np.int64),
        vac_tier=np.array(
            draw(st.lists(st.integers(0, n_tiers - 1), min_size=n_vac, max_size=n_vac)),
            dtype=np.int64,
        ),
        n_tiers=n_tiers,
        cand_unit=np.array(
            draw(st.lists(st.integers(0, n_units - 1), min_size=n_cand, max_size=n_cand)),
            dtype=np.int64,
        ),
        max_moves=draw(st.one_of(st.none(), st.integers(1, 2))),
        pinned=np.array(
            draw(st.lists(st.integers(0, len(chosen) - 1), max_size=1)), dtype=np.int64
        ),
    )


def matchings(p: Problem) -> list[tuple[int, ...]]:
    """Every feasible set of arcs (matching that respects the move limit), by enumeration."""
    out = []
    arcs = range(len(p.arc_cand))
    for k in range(min(p.n_cand, p.n_vac) + 1):
        for combo in itertools.combinations(arcs, k):
            c = p.arc_cand[list(combo)]
            v = p.arc_vac[list(combo)]
            if len(set(c)) < k or len(set(v)) < k:
                continue
            if p.max_moves is not None and k and np.bincount(p.cand_unit[c]).max() > p.max_moves:
                continue
            if not set(p.pinned.tolist()) <= set(combo):
                continue
            out.append(combo)
    return out


def key(p: Problem, combo: tuple[int, ...]) -> tuple[int, ...]:
    fill = np.bincount(p.vac_tier[p.arc_vac[list(combo)]], minlength=p.n_tiers)
    return (*fill.tolist(), int(p.arc_weight[list(combo)].sum()))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_certificate_agrees_with_brute_force(p: Problem) -> None:
    every = matchings(p)
    best = max(key(p, m) for m in every)
    assert max_fill_by_tier(p) == list(best[: p.n_tiers])
    for m in every:
        k = key(p, m)
        maximal = fill_is_maximal(p, np.array(m, dtype=np.int64))
        assert maximal == (list(k[: p.n_tiers]) == list(best[: p.n_tiers])), (m, k, best)
        if list(k[: p.n_tiers]) != list(best[: p.n_tiers]):
            continue
        res = residual(p, np.array(m, dtype=np.int64))
        assert (res.potentials is not None) == (k == best), (m, k, best)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_margins_are_the_exact_loss_of_forcing_a_pair(p: Problem) -> None:
    every = matchings(p)
    if not every:
        return
    best = max(key(p, m) for m in every)
    opt = next(m for m in every if key(p, m) == best)
    res = residual(p, np.array(opt, dtype=np.int64))
    others = np.array(
        [a for a in range(len(p.arc_cand)) if a not in opt and a not in p.pinned], dtype=np.int64
    )
    got = margins(p, res, others)
    for a, g in zip(others, got, strict=True):
        with_a = [
            key(p, m) for m in every if a in m and key(p, m)[: p.n_tiers] == best[: p.n_tiers]
        ]
        if not with_a:
            assert np.isinf(g)
        else:
            assert g == best[-1] - max(w[-1] for w in with_a)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_pruned_search_certifies_exactly_the_optimal_placements(p: Problem) -> None:
    """With one kept arc per vacancy the search must grow the pruned graph over rounds."""
    pot = importlib.import_module("merit.audit.potentials")

    every = matchings(p)
    best = max(key(p, m) for m in every)
    keep = pot.KEEP_PER_VACANCY
    pot.KEEP_PER_VACANCY = 1
    try:
        for m in every:
            k = key(p, m)
            if list(k[: p.n_tiers]) == list(best[: p.n_tiers]):
                res = residual(p, np.array(m, dtype=np.int64))
                assert (res.potentials is not None) == (k == best), (m, k, best)
    finally:
        pot.KEEP_PER_VACANCY = keep


def _random_assignment(seed: int, n_cand: int = 300, n_vac: int = 40) -> tuple[Problem, Any]:
    rng = np.random.default_rng(seed)
    elig = rng.random((n_cand, n_vac)) < 0.3
    c, v = np.nonzero(elig.T)[1], np.nonzero(elig.T)[0]  # grouped by vacancy
    # candidates differ more than posts do: every post has the same few best candidates
    w = rng.integers(0, 10_000, n_cand)[c] + rng.integers(0, 50, len(c))
    p = Problem(
        n_cand=n_cand,
        n_vac=n_vac,
        arc_cand=c.astype(np.int64),
        arc_vac=v.astype(np.int64),
        arc_weight=w.astype(np.int64),
        vac_tier=np.zeros(n_vac, dtype=np.int64),
        n_tiers=1,
        cand_unit=np.zeros(n_cand, dtype=np.int64),
        max_moves=None,
        pinned=np.zeros(0, dtype=np.int64),
    )
    # fill first, then weight: an arc's profit is a big constant plus its weight
    profit = np.full((n_cand, n_vac), -(10**12), dtype=np.float64)
    profit[c, v] = 10**8 + w
    rows, cols = linear_sum_assignment(profit, maximize=True)
    ok = profit[rows, cols] > 0
    arc_of = {(int(a), int(b)): i for i, (a, b) in enumerate(zip(c, v, strict=True))}
    chosen = np.array(
        sorted(arc_of[(int(a), int(b))] for a, b in zip(rows[ok], cols[ok], strict=True)),
        dtype=np.int64,
    )
    return p, chosen


def test_the_search_needs_rounds_and_certifies_a_larger_optimum() -> None:
    pot = importlib.import_module("merit.audit.potentials")

    p, chosen = _random_assignment(7)
    keep = pot.KEEP_PER_VACANCY
    pot.KEEP_PER_VACANCY = 2
    try:
        res = residual(p, chosen)
    finally:
        pot.KEEP_PER_VACANCY = keep
    assert res.potentials is not None
    assert res.rounds > 1 and res.arcs_used < len(p.arc_cand)
    # swap two placed candidates' posts where both arcs exist and the total drops: rejected
    worse = _worse_swap(p, chosen)
    assert residual(p, worse).potentials is None


def _worse_swap(p: Problem, chosen: np.ndarray) -> np.ndarray:
    arc_of = {
        (int(a), int(b)): i for i, (a, b) in enumerate(zip(p.arc_cand, p.arc_vac, strict=True))
    }
    for i in chosen:
        for j in chosen:
            a = arc_of.get((int(p.arc_cand[i]), int(p.arc_vac[j])))
            b = arc_of.get((int(p.arc_cand[j]), int(p.arc_vac[i])))
            if a is None or b is None or i == j:
                continue
            if p.arc_weight[a] + p.arc_weight[b] < p.arc_weight[i] + p.arc_weight[j]:
                out = set(chosen.tolist()) - {int(i), int(j)} | {a, b}
                return np.array(sorted(out), dtype=np.int64)
    raise AssertionError("no worse swap in the random instance")


def test_a_wrong_potential_is_rejected() -> None:
    """The check trusts nothing: right potentials pass, any broken one fails."""
    p, chosen = _random_assignment(11)
    res = residual(p, chosen)
    assert res.potentials is not None
    pi = res.potentials
    assert residual(p, chosen, potentials=pi).potentials is not None
    # all zeros: every unchosen arc with a positive weight has a negative reduced cost
    assert residual(p, chosen, potentials=np.zeros_like(pi)).potentials is None
    # one vacancy's potential raised just past what one unchosen arc into it allows
    on = np.zeros(len(p.arc_cand), dtype=bool)
    on[chosen] = True
    a = int(np.flatnonzero(~on)[0])
    wrong = pi.copy()
    cn, vn = res.cand0 + p.arc_cand[a], res.vac0 + p.arc_vac[a]
    wrong[vn] = wrong[cn] - p.arc_weight[a] + 1
    assert residual(p, chosen, potentials=wrong).potentials is None
    # a candidate's potential off by one in the direction its placed arc forbids
    c0 = int(p.arc_cand[chosen[0]])
    wrong = pi.copy()
    wrong[res.cand0 + c0] += 10**6
    assert residual(p, chosen, potentials=wrong).potentials is None
