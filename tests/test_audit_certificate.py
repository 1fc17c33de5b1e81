"""The audit's certificate (fill by max flow, score by residual cycles, margins) vs brute force."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merit.audit.certificate import Problem, margins, max_fill_by_tier, residual


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
        pinned=np.zeros(0, dtype=np.int64),
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
        if list(k[: p.n_tiers]) != list(best[: p.n_tiers]):
            continue
        res = residual(p, np.array(m, dtype=np.int64))
        assert (res.potentials is not None) == (k == best), (m, k, best)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_margins_are_the_exact_loss_of_forcing_a_pair(p: Problem) -> None:
    every = matchings(p)
    best = max(key(p, m) for m in every)
    opt = next(m for m in every if key(p, m) == best)
    res = residual(p, np.array(opt, dtype=np.int64))
    others = np.array([a for a in range(len(p.arc_cand)) if a not in opt], dtype=np.int64)
    got = margins(p, res, others)
    for a, g in zip(others, got, strict=True):
        with_a = [
            key(p, m) for m in every if a in m and key(p, m)[: p.n_tiers] == best[: p.n_tiers]
        ]
        if not with_a:
            assert np.isinf(g)
        else:
            assert g == best[-1] - max(w[-1] for w in with_a)
