"""The residual graph of a placement and the arc-by-arc check of dual potentials on it.

The check is the whole certificate: potentials ``pi`` (one integer per node) prove a placement
score-optimal for its fill when every residual arc ``a -> b`` of cost ``k`` has
``k + pi[a] - pi[b] >= 0``. It reads every eligible arc once, in slices, and trusts nothing
about where the potentials came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
#: Arcs checked per slice: bounds the check's temporaries (a national run has 151 M arcs).
CHUNK = 1 << 22


@dataclass(frozen=True, eq=False)
class Problem:
    """An assignment problem in the audit's own terms (indices are the audit's own)."""

    n_cand: int
    n_vac: int
    arc_cand: Ints
    arc_vac: Ints
    arc_weight: Ints
    """Integer weight to maximise (score quanta; the audit certifies fill, then this)."""
    vac_tier: Ints
    n_tiers: int
    cand_unit: Ints
    max_moves: int | None
    pinned: Ints
    """Arc indices that are fixed by the scenario."""
    forced: Bools | None = None
    """Per candidate, a chain round's holders: each ends the round in a post (their own or
    another), so no source arc enters or leaves them in the residual graph."""


@dataclass(frozen=True, eq=False)
class Layout:
    """The residual graph of a placement: its nodes (source, units, candidates, vacancies, one
    sink per tier) and its small arcs; the candidate -> vacancy arcs stay in the Problem."""

    p: Problem
    on: Bools
    """Per arc: chosen (its residual arc runs vacancy -> candidate, cost +weight)."""
    free: Bools | None
    """Per arc: neither end is pinned (None: no pins); pinned ends are fixed and left out."""
    unit0: int
    cand0: int
    vac0: int
    tier0: int
    n_nodes: int
    parent: Ints
    """Per candidate: the node its arc from the source side leaves (source or its unit)."""
    placed: Bools
    fixed_c: Bools
    tail: Ints
    """The small residual arcs (everything but candidate -> vacancy), cost 0 each."""
    head: Ints


def layout(p: Problem, chosen: Ints) -> Layout:
    use_units = p.n_cand > 0 and p.max_moves is not None
    n_units = int(p.cand_unit.max()) + 1 if use_units else 0
    unit0 = 1
    cand0 = unit0 + n_units
    vac0 = cand0 + p.n_cand
    tier0 = vac0 + p.n_vac
    fixed_c = np.zeros(p.n_cand, dtype=bool)
    fixed_v = np.zeros(p.n_vac, dtype=bool)
    fixed_c[p.arc_cand[p.pinned]] = True
    fixed_v[p.arc_vac[p.pinned]] = True
    on = np.zeros(len(p.arc_cand), dtype=bool)
    on[chosen] = True
    placed = np.zeros(p.n_cand, dtype=bool)
    placed[p.arc_cand[chosen]] = True
    filled = np.zeros(p.n_vac, dtype=bool)
    filled[p.arc_vac[chosen]] = True
    free = None
    if len(p.pinned):
        free = ~fixed_c[p.arc_cand] & ~fixed_v[p.arc_vac]
    tails: list[Ints] = []
    heads: list[Ints] = []

    def add(a: Ints, b: Ints, fwd: Bools) -> None:
        tails.extend([a[fwd], b[~fwd]])
        heads.extend([b[fwd], a[~fwd]])

    cands = np.flatnonzero(~fixed_c if p.forced is None else ~fixed_c & ~p.forced)
    parent = np.zeros(p.n_cand, dtype=np.int64)
    if n_units:
        assert p.max_moves is not None
        units = np.arange(n_units)
        flow_u = np.bincount(p.cand_unit[placed & ~fixed_c], minlength=n_units)
        cap_u = p.max_moves - np.bincount(p.cand_unit[fixed_c], minlength=n_units)
        tails.extend([np.zeros(int((flow_u < cap_u).sum()), np.int64), unit0 + units[flow_u > 0]])
        heads.extend([unit0 + units[flow_u < cap_u], np.zeros(int((flow_u > 0).sum()), np.int64)])
        parent = unit0 + p.cand_unit.astype(np.int64)
    add(parent[cands], cand0 + cands, ~placed[cands])
    vacs = np.flatnonzero(~fixed_v)
    add(vac0 + vacs, tier0 + p.vac_tier[vacs], ~filled[vacs])
    return Layout(
        p,
        on,
        free,
        unit0,
        cand0,
        vac0,
        tier0,
        tier0 + p.n_tiers,
        parent,
        placed,
        fixed_c,
        np.concatenate(tails).astype(np.int64),
        np.concatenate(heads).astype(np.int64),
    )


def arc_reduced_costs(lay: Layout, pi: Ints, lo: int, hi: int) -> Ints:
    """Reduced costs of the residual arcs of candidate -> vacancy arcs ``lo:hi`` (int64)."""
    p = lay.p
    pc = pi[lay.cand0 + p.arc_cand[lo:hi]]
    pv = pi[lay.vac0 + p.arc_vac[lo:hi]]
    w = p.arc_weight[lo:hi]
    fwd = pc - pv - w  # unchosen: c -> v at cost -w
    return np.where(lay.on[lo:hi], -fwd, fwd)  # chosen: v -> c at cost +w


def violated(lay: Layout, pi: Ints) -> tuple[int, Ints]:
    """Check the potentials ``pi`` arc by arc: (violated small arcs, violated pair arcs).

    Both empty means every residual arc has a non-negative reduced cost: the placement is
    score-optimal for its fill. Exact integers; one pass over the arcs, in slices."""
    pi = np.asarray(pi)
    if pi.shape != (lay.n_nodes,) or pi.dtype.kind not in "iu":
        raise ValueError(f"potentials must be {lay.n_nodes} integers")
    pi = pi.astype(np.int64)
    small = int((pi[lay.tail] - pi[lay.head] < 0).sum())
    bad: list[Ints] = []
    for lo in range(0, len(lay.on), CHUNK):
        hi = min(lo + CHUNK, len(lay.on))
        neg = arc_reduced_costs(lay, pi, lo, hi) < 0
        if lay.free is not None:
            neg &= lay.free[lo:hi]
        if neg.any():
            bad.append(lo + np.flatnonzero(neg))
    return small, (np.concatenate(bad) if bad else np.zeros(0, dtype=np.int64))
