"""The audit's own search for dual potentials of a placement's residual graph.

Only a search: whatever it returns is checked arc by arc (``certificate.violated``), so an
error here can make the audit refuse a right placement, never accept a wrong one. Shortest
distances from a virtual source (every node at 0) are feasible potentials of any graph without
a negative cycle; computing them on every eligible arc is what made the audit slow, so they
are computed on a pruned graph (the placement's arcs and each vacancy's best arcs), checked on
every arc, and the arcs the check rejects are added until the check passes. A negative cycle
on the pruned graph is one on the whole graph: the placement is then not optimal.
"""

from __future__ import annotations

import numpy as np

from merit.audit.graph import CHUNK, Ints, Layout, violated

#: Each vacancy's best arcs in the first pruned graph, and violators added per vacancy a round.
KEEP_PER_VACANCY = 16
#: After this many rounds every rejected arc is added at once (the search then ends soon).
FOCUSED_ROUNDS = 10


def find_potentials(lay: Layout) -> tuple[Ints | None, int, int]:
    """(potentials that pass the check or None when a negative cycle exists, rounds, arcs)."""
    p = lay.p
    order, bounds = _by_vacancy(p.arc_vac, p.n_vac)
    usable = np.ones(len(lay.on), dtype=bool) if lay.free is None else lay.free
    kept = lay.on.copy()
    kept |= _best_per_vacancy(p.arc_weight, order, bounds, usable)
    pi = np.zeros(lay.n_nodes, dtype=np.int64)
    frontier = np.arange(lay.n_nodes, dtype=np.int64)
    bound = -(int(p.arc_weight.max(initial=0)) + 1) * (p.n_vac + 2)
    rounds = 0
    while True:  # each round adds at least one arc, so this ends
        rounds += 1
        arcs = np.flatnonzero(kept & usable)
        t, h, c = _arcs(lay, arcs)
        found = _bellman_ford(t, h, c, pi, frontier, bound)
        if found is None:
            return None, rounds, len(arcs)
        pi = found
        small, bad = violated(lay, pi)
        if small:  # cannot happen: the small arcs are all in the pruned graph
            return None, rounds, len(arcs)
        if not len(bad):
            return pi, rounds, len(arcs)
        add = _most_violated(lay, pi, bad) if rounds < FOCUSED_ROUNDS else bad
        kept[add] = True
        p_c, p_v = lay.cand0 + lay.p.arc_cand[add], lay.vac0 + lay.p.arc_vac[add]
        frontier = np.unique(np.where(lay.on[add], p_v, p_c))  # the new arcs' tails


def _by_vacancy(arc_vac: Ints, n_vac: int) -> tuple[Ints | None, Ints]:
    """Arc order grouping vacancies (None when already grouped) and each vacancy's bounds."""
    grouped = all(
        bool((np.diff(arc_vac[lo : lo + CHUNK + 1]) >= 0).all())
        for lo in range(0, len(arc_vac), CHUNK)
    )
    order = None if grouped else np.argsort(arc_vac, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(arc_vac, minlength=n_vac))].astype(np.int64)
    return order, bounds


def _best_per_vacancy(w: Ints, order: Ints | None, bounds: Ints, usable: np.ndarray) -> np.ndarray:
    keep = np.zeros(len(w), dtype=bool)
    k = KEEP_PER_VACANCY
    for v in range(len(bounds) - 1):
        lo, hi = int(bounds[v]), int(bounds[v + 1])
        idx = np.arange(lo, hi) if order is None else order[lo:hi]
        if hi - lo > k:
            idx = idx[np.argpartition(-w[idx], k)[:k]]
        keep[idx] = True
    return keep & usable


def _most_violated(lay: Layout, pi: Ints, bad: Ints) -> Ints:
    """Of the rejected arcs, each vacancy's most negative few (all of them when few)."""
    k = KEEP_PER_VACANCY
    if len(bad) <= k * max(lay.p.n_vac, 1):
        return bad
    p = lay.p
    pc = pi[lay.cand0 + p.arc_cand[bad]]
    pv = pi[lay.vac0 + p.arc_vac[bad]]
    fwd = pc - pv - p.arc_weight[bad]
    rc = np.where(lay.on[bad], -fwd, fwd)
    v = p.arc_vac[bad]
    o = np.argsort(v, kind="stable")  # rejected arcs of one vacancy together
    v, rc, bad = v[o], rc[o], bad[o]
    starts = np.r_[0, np.flatnonzero(v[1:] != v[:-1]) + 1, len(v)]
    out: list[Ints] = []
    for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
        if hi - lo <= k:
            out.append(bad[lo:hi])
        else:
            out.append(bad[lo + np.argpartition(rc[lo:hi], k)[:k]])
    return np.concatenate(out)


def _arcs(lay: Layout, arcs: Ints) -> tuple[Ints, Ints, Ints]:
    """Residual arcs (tail, head, cost): the small ones (cost 0) and those of ``arcs``."""
    p = lay.p
    c = lay.cand0 + p.arc_cand[arcs]
    v = lay.vac0 + p.arc_vac[arcs]
    on = lay.on[arcs]
    w = p.arc_weight[arcs]
    t = np.concatenate([lay.tail, np.where(on, v, c)])
    h = np.concatenate([lay.head, np.where(on, c, v)])
    cost = np.concatenate([np.zeros(len(lay.tail), np.int64), np.where(on, w, -w)])
    return t, h, cost


def _bellman_ford(
    t: Ints, h: Ints, c: Ints, start: Ints, frontier: Ints, bound: int
) -> Ints | None:
    """Lower ``start`` to shortest-path values (``start`` must be lengths of paths from the
    virtual source). Rounds relax only the arcs leaving nodes that changed; None when the
    values fall below ``bound`` (no simple path is that short) or never settle: a negative
    cycle."""
    d = start.copy()
    n = len(d)
    by_tail = np.argsort(t, kind="stable")
    t, h, c = t[by_tail], h[by_tail], c[by_tail]
    first = np.r_[0, np.cumsum(np.bincount(t, minlength=n))]
    for _ in range(n + 1):
        lens = first[frontier + 1] - first[frontier]
        total = int(lens.sum())
        if not total:
            return d
        at = np.repeat(first[frontier] - np.r_[0, np.cumsum(lens)[:-1]], lens) + np.arange(total)
        hh = h[at]
        r = d[t[at]] + c[at]
        better = r < d[hh]
        if not better.any():
            return d
        np.minimum.at(d, hh[better], r[better])
        if int(d.min()) < bound:
            return None
        frontier = np.unique(hh[better])
    return None
