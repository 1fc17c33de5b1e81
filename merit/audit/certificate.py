"""Independent optimality certificate and exact counterfactual margins for a placement.

Works on plain arrays re-derived by the audit (never on the solver's view or state):

- **Fill.** The sets of vacancies that can be filled together form a matroid, so the
  tier-lexicographic maximum fills exactly ``r(T0)``, ``r(T0 ∪ T1) - r(T0)``, ... per tier,
  where ``r`` is a maximum flow restricted to those vacancies (computed here with SciPy).
- **Score.** With the tier counts fixed, a placement is score-optimal iff its residual graph has
  no negative cycle, iff some node potentials give every residual arc a non-negative reduced
  cost (LP duality). The certificate is such potentials, *checked* arc by arc in integers: one
  pass over the arcs, whatever produced the potentials. The audit finds them itself
  (``merit.audit.potentials``: shortest paths on a pruned arc set, grown by the arcs the check
  rejects), so a wrong potential is simply a certificate that fails the check.
- **Counterfactuals.** For an eligible pair (e, v) not in the placement, the best placement that
  contains it loses ``G = c(e,v) + dist(v -> e)`` in the residual graph; raising the pair's
  score by more than ``G`` makes it optimal, by less does not (exact, in score quanta). The
  distances run on the checked potentials' reduced costs (Dijkstra) over a graph in which
  every unplaced candidate is folded into the arcs from its unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra, maximum_flow

from merit.audit.graph import CHUNK, Bools, Ints, Layout, Problem, layout, violated
from merit.audit.potentials import find_potentials

__all__ = [
    "Ints",
    "Problem",
    "Residual",
    "fill_is_maximal",
    "margins",
    "max_fill_by_tier",
    "residual",
]


def _network(p: Problem, vac_mask: Bools) -> tuple[sp.csr_matrix, int, int]:
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
    keep = np.flatnonzero(free_c[p.arc_cand] & free_v[p.arc_vac])
    rows.append(cand0 + p.arc_cand[keep])
    cols.append(vac0 + p.arc_vac[keep])
    caps.append(np.ones(len(keep), dtype=np.int64))
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


def fill_is_maximal(p: Problem, chosen: Ints) -> bool:
    """True when, for every tier prefix, the placement restricted to those tiers is a maximum
    flow: no augmenting path from the source reaches an empty post of those tiers in its
    residual graph (max-flow min-cut; the posts reached form the cut). A search over the
    arcs, a few passes of one slice at a time, instead of a maximum flow on all of them."""
    fixed_c = np.zeros(p.n_cand, dtype=bool)
    fixed_v = np.zeros(p.n_vac, dtype=bool)
    fixed_c[p.arc_cand[p.pinned]] = True
    fixed_v[p.arc_vac[p.pinned]] = True
    use_units = p.n_cand > 0 and p.max_moves is not None
    n_units = int(p.cand_unit.max()) + 1 if use_units else 0
    for tier in range(p.n_tiers):
        inside = p.vac_tier <= tier
        mine = chosen[inside[p.arc_vac[chosen]] & ~fixed_c[p.arc_cand[chosen]]]
        holder = np.full(p.n_vac, -1, dtype=np.int64)  # the candidate placed in each post
        holder[p.arc_vac[mine]] = p.arc_cand[mine]
        placed = np.zeros(p.n_cand, dtype=bool)
        placed[p.arc_cand[mine]] = True
        on = np.zeros(len(p.arc_cand), dtype=bool)
        on[mine] = True
        free_v = inside & ~fixed_v
        c_seen = np.zeros(p.n_cand, dtype=bool)
        if use_units:
            assert p.max_moves is not None
            cap = p.max_moves - np.bincount(p.cand_unit[fixed_c], minlength=n_units)
            flow = np.bincount(p.cand_unit[placed], minlength=n_units)
            u_seen = flow < cap
            c_seen = u_seen[p.cand_unit] & ~placed & ~fixed_c
        else:
            u_seen = np.zeros(0, dtype=bool)
            c_seen = ~placed & ~fixed_c
        v_seen = np.zeros(p.n_vac, dtype=bool)
        new_c = c_seen.copy()
        while new_c.any():
            new_v = np.zeros(p.n_vac, dtype=bool)
            for lo in range(0, len(p.arc_cand), CHUNK):
                hi = min(lo + CHUNK, len(p.arc_cand))
                c, v = p.arc_cand[lo:hi], p.arc_vac[lo:hi]
                step = new_c[c] & free_v[v] & ~on[lo:hi]
                new_v[v[step]] = True
            new_v &= ~v_seen
            v_seen |= new_v
            if (new_v & (holder < 0)).any():
                return False  # an augmenting path ends at an empty post
            back = holder[new_v]
            nxt = np.zeros(p.n_cand, dtype=bool)
            nxt[back] = True
            if use_units:  # a placed candidate's unit, then that unit's unplaced candidates
                units = np.zeros(n_units, dtype=bool)
                units[p.cand_unit[back]] = True
                units &= ~u_seen
                u_seen |= units
                nxt |= units[p.cand_unit] & ~placed & ~fixed_c
            new_c = nxt & ~c_seen
            c_seen |= new_c
    return True


@dataclass(frozen=True, eq=False)
class Residual:
    """The residual graph of a placement, with checked potentials when it is optimal."""

    layout: Layout
    potentials: Ints | None
    """Node potentials that passed the check; None when the placement is not optimal."""
    rounds: int = 0
    """How many check rounds the audit's own search for potentials took."""
    arcs_used: int = 0
    """Pair arcs in the pruned graph the potentials were computed on."""

    @property
    def cand0(self) -> int:
        return self.layout.cand0

    @property
    def vac0(self) -> int:
        return self.layout.vac0


def residual(p: Problem, chosen: Ints, potentials: Ints | None = None) -> Residual:
    """Certify ``chosen``: check ``potentials`` when given (from anywhere), else search for
    them (``merit.audit.potentials``) and check them. ``potentials`` is None in the result
    when the placement is not score-optimal or the given potentials fail the check."""
    lay = layout(p, chosen)
    if potentials is not None:
        small, bad = violated(lay, potentials)
        ok = small == 0 and len(bad) == 0
        return Residual(lay, np.asarray(potentials, np.int64) if ok else None)
    pi, rounds, used = find_potentials(lay)
    return Residual(lay, pi, rounds, used)


def margins(p: Problem, res: Residual, pairs: Ints) -> npt.NDArray[np.float64]:
    """For arc indices ``pairs`` (not chosen, not pinned): the weight gap G, or inf.

    G is the exact loss of the best placement that contains the arc, in weight units:
    ``c(e, v) + dist(v -> e)``. Distances are taken on reduced costs (non-negative under the
    checked potentials) in a graph where each unplaced candidate, whose only way in is the arc
    from its parent (source or unit), is folded into arcs parent -> vacancy at the least
    reduced cost; then ``dist(v -> e) = dist(v -> parent(e))`` for an unplaced e.

    In bulk: two searches from and to the source give every pair a real path through the
    source, whose length bounds its distance; each vacancy's search (Dijkstra) then stops at
    the largest bound of its pairs. The bound is a path length, so the search still finds
    the exact distance; it only skips what is farther than any of its pairs' answers."""
    assert res.potentials is not None, "margins need an optimal placement"
    out = np.full(len(pairs), np.inf)
    if not len(pairs):
        return out
    lay, pi = res.layout, res.potentials
    graph, node = _folded(lay, pi)
    vnodes = lay.vac0 + p.arc_vac[pairs]
    e = p.arc_cand[pairs]
    target = np.where(lay.placed[e], lay.cand0 + e, lay.parent[e])
    # reduced cost of parent -> e (0 + pi[parent] - pi[e]) for unplaced e
    tail_rc = np.where(lay.placed[e], 0, pi[lay.parent[e]] - pi[lay.cand0 + e])
    hub = int(node[0])
    back = graph.T.tocsr()
    from_hub = dijkstra(graph, directed=True, indices=hub)
    to_hub = dijkstra(back, directed=True, indices=hub)
    src, dst = node[vnodes], node[target]
    bound = to_hub[src] + from_hub[dst]
    # An arc dearer than every bound is on no path shorter than its pair's bound: drop it.
    top = float(bound.max())
    if np.isfinite(top):
        graph, back = _cheaper_than(graph, top), _cheaper_than(back, top)
    # search from each distinct vacancy, or back from each distinct target: the fewer
    forward = len(np.unique(src)) <= len(np.unique(dst))
    dist = _distances(
        graph if forward else back, src if forward else dst, dst if forward else src, bound
    )
    true = np.minimum(dist, bound) + tail_rc - pi[vnodes] + pi[lay.cand0 + e]
    return -p.arc_weight[pairs] + true


def _cheaper_than(g: sp.csr_matrix, top: float) -> sp.csr_matrix:
    """``g`` without the arcs that cost more than ``top`` (zero-cost arcs stay arcs)."""
    keep = g.data <= top
    rows = np.repeat(np.arange(g.shape[0]), np.diff(g.indptr))[keep]
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=g.shape[0]))]
    return sp.csr_matrix((g.data[keep], g.indices[keep], indptr), shape=g.shape)


def _distances(
    graph: sp.csr_matrix, start: Ints, end: Ints, bound: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Shortest distance start[i] -> end[i] for each i (Dijkstra from each distinct start, in
    blocks); each search stops past the largest ``bound`` of its pairs, a path length there."""
    out = np.full(len(start), np.inf)
    uniq, inv = np.unique(start, return_inverse=True)
    reach = np.full(len(uniq), -np.inf)
    np.maximum.at(reach, inv, bound)
    by_reach = np.argsort(reach, kind="stable")
    row = np.full(len(uniq), -1, dtype=np.int64)
    block = 64
    for lo in range(0, len(uniq), block):
        which = by_reach[lo : lo + block]
        limit = float(reach[which].max())
        d = dijkstra(graph, directed=True, indices=uniq[which], limit=max(limit, 0.0))
        row[:] = -1
        row[which] = np.arange(len(which))
        sel = np.flatnonzero(row[inv] >= 0)
        out[sel] = d[row[inv[sel]], end[sel]]
    return out


def _folded(lay: Layout, pi: Ints) -> tuple[sp.csr_matrix, Ints]:
    """The residual graph on reduced costs without the unplaced candidates (see ``margins``),
    and each layout node's number in it (-1 for an unplaced candidate)."""
    p = lay.p
    n = lay.n_nodes
    is_cand = (lay.head >= lay.cand0) & (lay.head < lay.vac0)
    into_unplaced = is_cand & ~lay.placed[np.where(is_cand, lay.head - lay.cand0, 0)]
    src: list[Ints] = [lay.tail[~into_unplaced]]
    dst: list[Ints] = [lay.head[~into_unplaced]]
    cost: list[Ints] = [pi[src[0]] - pi[dst[0]]]
    n_par = lay.cand0  # source and units: the nodes an unplaced candidate is entered from
    low = np.full(n_par * p.n_vac, np.iinfo(np.int64).max, dtype=np.int64)
    placed_arcs: list[Ints] = []
    for lo in range(0, len(lay.on), CHUNK):
        hi = min(lo + CHUNK, len(lay.on))
        usable = np.ones(hi - lo, dtype=bool) if lay.free is None else lay.free[lo:hi]
        c = p.arc_cand[lo:hi]
        placed_arcs.append(lo + np.flatnonzero(lay.placed[c] & usable))
        idx = np.flatnonzero(~lay.placed[c] & usable & ~lay.fixed_c[c])
        if not len(idx):
            continue
        ci, par = c[idx], lay.parent[c[idx]]
        # parent -> c costs pi[parent] - pi[c], c -> v costs pi[c] - pi[v] - w: their sum
        via = pi[par] - pi[lay.vac0 + p.arc_vac[lo:hi][idx]] - p.arc_weight[lo:hi][idx]
        np.minimum.at(low, par * p.n_vac + p.arc_vac[lo:hi][idx], via)
        del ci
    pa = np.concatenate(placed_arcs)
    c_nodes = lay.cand0 + p.arc_cand[pa]
    v_nodes = lay.vac0 + p.arc_vac[pa]
    on = lay.on[pa]
    src.append(np.where(on, v_nodes, c_nodes))
    dst.append(np.where(on, c_nodes, v_nodes))
    cost.append(_rc_at(lay, pi, pa))
    cells = np.flatnonzero(low < np.iinfo(np.int64).max)
    src.append(cells // p.n_vac)
    dst.append(lay.vac0 + cells % p.n_vac)
    cost.append(low[cells])
    a, b = np.concatenate(src), np.concatenate(dst)
    # unplaced candidates have no arcs left: number the other nodes densely
    kept = np.ones(n, dtype=bool)
    kept[lay.cand0 + np.flatnonzero(~lay.placed)] = False
    node = np.where(kept, np.cumsum(kept) - 1, -1).astype(np.int64)
    g = _graph(node[a], node[b], np.concatenate(cost).astype(np.float64), int(kept.sum()))
    return g, node


def _rc_at(lay: Layout, pi: Ints, arcs: Ints) -> Ints:
    p = lay.p
    pc = pi[lay.cand0 + p.arc_cand[arcs]]
    pv = pi[lay.vac0 + p.arc_vac[arcs]]
    fwd = pc - pv - p.arc_weight[arcs]
    return np.where(lay.on[arcs], -fwd, fwd)


def _graph(a: Ints, b: Ints, c: npt.NDArray[np.float64], n: int) -> sp.csr_matrix:
    """A CSR graph for SciPy's Dijkstra that keeps zero-cost arcs as arcs (built from its
    arrays, never summed or pruned; the folded graph has no parallel arcs)."""
    order = np.argsort(a, kind="stable")
    indptr = np.r_[0, np.cumsum(np.bincount(a, minlength=n))]
    return sp.csr_matrix((c[order], b[order], indptr), shape=(n, n))
