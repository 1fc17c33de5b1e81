"""Independent optimality certificate and exact counterfactual margins for a placement.

Works on plain arrays re-derived by the audit (never on the solver's view or state):

- **Fill.** The sets of vacancies that can be filled together form a matroid, so the
  tier-lexicographic maximum fills exactly ``r(T0)``, ``r(T0 ∪ T1) - r(T0)``, ... per tier,
  where ``r`` is a maximum flow restricted to those vacancies (computed here with SciPy).
- **Score.** With the tier counts fixed, a placement is score-optimal iff the residual graph of
  its flow has no negative cycle (Bellman-Ford from a virtual source, SciPy).
- **Counterfactuals.** For an eligible pair (e, v) not in the placement, the best placement that
  contains it loses ``G = c(e,v) + dist(v -> e)`` in the residual graph; raising the pair's
  score by more than ``G`` makes it optimal, by less does not (exact, in score quanta).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import NegativeCycleError, bellman_ford, dijkstra, maximum_flow

Ints = npt.NDArray[np.int64]


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


def _network(p: Problem, vac_mask: npt.NDArray[np.bool_]) -> tuple[sp.csr_matrix, int, int]:
    """Max-flow network s -> [unit] -> candidate -> vacancy -> t restricted to ``vac_mask``."""
    n_units = int(p.cand_unit.max()) + 1 if p.n_cand else 0
    use_units = p.max_moves is not None
    s, t = 0, 1
    unit0 = 2
    cand0 = unit0 + (n_units if use_units else 0)
    vac0 = cand0 + p.n_cand
    n = vac0 + p.n_vac
    pinned_c = p.arc_cand[p.pinned]
    pinned_v = p.arc_vac[p.pinned]
    free_c = np.ones(p.n_cand, dtype=bool)
    free_c[pinned_c] = False
    free_v = vac_mask.copy()
    free_v[pinned_v] = False
    rows, cols, caps = [], [], []
    if use_units:
        assert p.max_moves is not None
        used = np.bincount(p.cand_unit[pinned_c], minlength=n_units)
        rows.append(np.full(n_units, s))
        cols.append(unit0 + np.arange(n_units))
        caps.append(np.maximum(p.max_moves - used, 0))
        rows.append(unit0 + p.cand_unit)
    else:
        rows.append(np.full(p.n_cand, s))
    cols.append(cand0 + np.arange(p.n_cand))
    caps.append(free_c.astype(np.int64))
    keep = free_c[p.arc_cand] & free_v[p.arc_vac]
    rows.append(cand0 + p.arc_cand[keep])
    cols.append(vac0 + p.arc_vac[keep])
    caps.append(np.ones(int(keep.sum()), dtype=np.int64))
    rows.append(vac0 + np.arange(p.n_vac))
    cols.append(np.full(p.n_vac, t))
    caps.append(free_v.astype(np.int64))
    r, c, k = (np.concatenate(x).astype(np.int32) for x in (rows, cols, caps))
    g = sp.csr_matrix((k, (r, c)), shape=(n, n), dtype=np.int32)
    g.sum_duplicates()
    return g, s, t


def max_fill_by_tier(p: Problem) -> list[int]:
    """The tier-lexicographic maximum number of filled vacancies per tier (pins included)."""
    out: list[int] = []
    prev = 0
    pinned_tiers = np.bincount(p.vac_tier[p.arc_vac[p.pinned]], minlength=p.n_tiers)
    for tier in range(p.n_tiers):
        mask = p.vac_tier <= tier
        g, s, t = _network(p, mask)
        flow = int(maximum_flow(g, s, t).flow_value) + int(pinned_tiers[: tier + 1].sum())
        out.append(flow - prev)
        prev = flow
    return out


@dataclass(frozen=True, eq=False)
class Residual:
    """The residual graph of a placement's flow, with node potentials when it is optimal."""

    graph: sp.csr_matrix
    cand0: int
    vac0: int
    potentials: npt.NDArray[np.float64] | None
    """Shortest distances from a virtual source; None when a negative cycle exists."""


def residual(p: Problem, chosen: Ints) -> Residual:
    """Residual graph (cost = -weight on candidate->vacancy arcs) of the chosen arcs' flow.

    Nodes: 0 source, then units (when max_moves), candidates, vacancies, one sink per tier.
    Pinned arcs and their endpoints are fixed and left out.
    """
    n_units = int(p.cand_unit.max()) + 1 if (p.n_cand and p.max_moves is not None) else 0
    unit0 = 1
    cand0 = unit0 + n_units
    vac0 = cand0 + p.n_cand
    tier0 = vac0 + p.n_vac
    n = tier0 + p.n_tiers
    fixed_c = np.zeros(p.n_cand, dtype=bool)
    fixed_v = np.zeros(p.n_vac, dtype=bool)
    fixed_c[p.arc_cand[p.pinned]] = True
    fixed_v[p.arc_vac[p.pinned]] = True
    on = np.zeros(len(p.arc_cand), dtype=bool)
    on[chosen] = True
    placed_c = np.zeros(p.n_cand, dtype=bool)
    placed_c[p.arc_cand[chosen]] = True
    filled_v = np.zeros(p.n_vac, dtype=bool)
    filled_v[p.arc_vac[chosen]] = True
    src: list[Ints] = []
    dst: list[Ints] = []
    cost: list[npt.NDArray[np.float64]] = []

    def add(
        a: Ints, b: Ints, c: npt.NDArray[np.float64] | float, fwd: npt.NDArray[np.bool_]
    ) -> None:
        cc = np.broadcast_to(np.asarray(c, dtype=np.float64), a.shape)
        src.extend([a[fwd], b[~fwd]])
        dst.extend([b[fwd], a[~fwd]])
        cost.extend([cc[fwd], -cc[~fwd]])

    cands = np.flatnonzero(~fixed_c)
    if n_units:
        assert p.max_moves is not None
        units = np.arange(n_units)
        flow_u = np.bincount(p.cand_unit[placed_c & ~fixed_c], minlength=n_units)
        cap_u = p.max_moves - np.bincount(p.cand_unit[fixed_c], minlength=n_units)
        src.extend([np.zeros(n_units, np.int64)[flow_u < cap_u], unit0 + units[flow_u > 0]])
        dst.extend([unit0 + units[flow_u < cap_u], np.zeros(int((flow_u > 0).sum()), np.int64)])
        cost.extend([np.zeros(int((flow_u < cap_u).sum())), np.zeros(int((flow_u > 0).sum()))])
        add(unit0 + p.cand_unit[cands], cand0 + cands, 0.0, ~placed_c[cands])
    else:
        add(np.zeros(len(cands), np.int64), cand0 + cands, 0.0, ~placed_c[cands])
    arcs = np.flatnonzero(~fixed_c[p.arc_cand] & ~fixed_v[p.arc_vac])
    add(
        cand0 + p.arc_cand[arcs],
        vac0 + p.arc_vac[arcs],
        -p.arc_weight[arcs].astype(np.float64),
        ~on[arcs],
    )
    vacs = np.flatnonzero(~fixed_v)
    add(vac0 + vacs, tier0 + p.vac_tier[vacs], 0.0, ~filled_v[vacs])
    a = np.concatenate(src)
    b = np.concatenate(dst)
    c = np.concatenate(cost)
    g = sp.csr_matrix((c, (a, b)), shape=(n, n))
    return Residual(g, cand0, vac0, _potentials(g))


def _potentials(g: sp.csr_matrix) -> npt.NDArray[np.float64] | None:
    n = g.shape[0]
    coo = g.tocoo()
    virt = sp.csr_matrix(
        (
            np.r_[coo.data, np.zeros(n)],
            (np.r_[coo.row, np.full(n, n)], np.r_[coo.col, np.arange(n)]),
        ),
        shape=(n + 1, n + 1),
    )
    try:
        dist = bellman_ford(virt, directed=True, indices=n)
    except NegativeCycleError:
        return None
    return np.asarray(dist[:n], dtype=np.float64)


def margins(p: Problem, res: Residual, pairs: Ints) -> npt.NDArray[np.float64]:
    """For arc indices ``pairs`` (not chosen, not pinned): the weight gap G, or inf.

    G is the exact loss of the best placement that contains the arc, in weight units.
    """
    assert res.potentials is not None, "margins need an optimal placement"
    pi = res.potentials
    coo = res.graph.tocoo()
    red = coo.data + pi[coo.row] - pi[coo.col]
    red = np.maximum(red, 0.0)  # clear float noise; exact optimality already checked
    g = sp.csr_matrix((red, (coo.row, coo.col)), shape=res.graph.shape)
    out = np.full(len(pairs), np.inf)
    if not len(pairs):
        return out
    vnodes = res.vac0 + p.arc_vac[pairs]
    cnodes = res.cand0 + p.arc_cand[pairs]
    uniq, inv = np.unique(vnodes, return_inverse=True)
    for start in range(0, len(uniq), 256):
        block = uniq[start : start + 256]
        d = dijkstra(g, directed=True, indices=block)
        sel = (inv >= start) & (inv < start + len(block))
        dv = d[inv[sel] - start, cnodes[sel]]
        # back from reduced to true distances, then add the pair's own cost
        true = dv - pi[vnodes[sel]] + pi[cnodes[sel]]
        out[sel] = -p.arc_weight[pairs[sel]] + true
    return out
