"""Pruned exact solve with a dual certificate, for views with many arcs.

Keep the best ``K`` arcs of each vacancy, then make sure the kept arcs can fill what the
full view can: a maximum flow on the kept arcs shows which posts stay empty and which
candidates are free, and each empty post gets its best free candidates (one reserved for it,
so that posts sharing the same strong candidates do not all reach for the same ones). Solve
the placement on the kept arcs (fill per tier from maximum flows, then a min-cost flow).
Then prove the answer optimal for the full view by LP duality. The certificate network has
the fill as a cost, so the proof covers the fill too, not only the score: source -> [unit ->]
candidate -> vacancy -> sink, vacancy -> sink costing ``-(n_vacancies + 1) ** (n_tiers - 1 -
tier)`` (tiers lexicographic), a free bypass source -> sink for posts left empty, and arc
costs compared lexicographically as (fill, -weight). Node potentials come from shortest
distances to the source in the residual graph of the kept arcs (Bellman-Ford, vectorised, on
pairs; the candidates then raised as far as their in-arcs allow); a placement is optimal for
the full view when every pruned arc has a non-negative reduced cost under them. The most
violated pruned arcs of each vacancy are added and the placement re-solved, so the result is
always the exact optimum of the full view; K, the rounds and the certificate are recorded.

Posts that are copies of each other (same tier, candidates and scores) are solved as one
vacancy node taking as many candidates as it has posts (``merit.solver.interchangeable``):
every step below then reads "vacancy" as such a class, which keeps ``K + k - 1`` arcs, is
filled up to ``k`` and gets ``k - 1`` more violating arcs per round.

Why the fill step: in a national round the strongest candidates are eligible for thousands
of posts and head every post's list, so the best ``K`` arcs of every post overlap; measured
on 200,000 x 10,000 with K = 16 they fill 850 posts of 10,000, and the rounds that follow
would add list after list of the same strong candidates.
"""

from __future__ import annotations

import numpy as np

from merit.errors import SolverError
from merit.segments import concat_ranges, segment_bounds, top_per_segment
from merit.solver.flow import COST_LIMIT, FlowProblem, max_flow_arcs, min_cost_assignment
from merit.solver.interchangeable import interchangeable, with_classes
from merit.solver.status import SolveStatus
from merit.view import IntArray

#: Views with more free arcs than this are solved pruned and certified.
PRUNE_ABOVE = 400_000
MAX_ROUNDS = 50
#: Arcs kept per vacancy before the fill step (the certificate adds what the optimum needs).
BASE_K = 16
#: Arcs to free candidates given to each post the kept arcs cannot fill.
FILL_PER_POST = 8
FILL_PASSES = 3
#: Violating arcs added per vacancy in the first round; doubled each round (up to 64 times);
#: a class of k equal posts gets k - 1 more.
ADD_PER_ROUND = 8
#: "Unreached" for potentials. Weights stay below 2**62 / (2 * (nodes + 2)) (flow.py), so
#: a path's cost stays below 2**61 and never meets this value.
INF = np.iinfo(np.int64).max // 4


def _ranking_keys(fp: FlowProblem) -> IntArray:
    """What pruning ranks a vacancy's arcs by: the score (pinned-away arcs last). Ties and the
    tie-break do not matter here, only for speed: the certificate decides optimality."""
    score = fp.view.arc_score
    mask = fp.fixed.free_mask
    return score if mask is None else np.where(mask, score, -1)


def best_per_vacancy(fp: FlowProblem, k: int | IntArray, keys: IntArray | None = None) -> IntArray:
    """The ``k`` (per vacancy, or one number) highest-scoring free arcs of each vacancy."""
    keys = _ranking_keys(fp) if keys is None else keys
    chosen = top_per_segment(keys, segment_bounds(fp.view.arc_vacancy, fp.view.n_vacancies), k)
    return chosen if fp.fixed.free_mask is None else chosen[fp.fixed.free_mask[chosen]]


def fill_free(fp: FlowProblem, kept: np.ndarray, per_post: int = FILL_PER_POST) -> int:
    """Give each post the kept arcs cannot fill its best ``per_post`` arcs to candidates a
    maximum flow on the kept arcs leaves free, reserving the best one for it (so the next
    empty post gets another); a class of ``k`` equal posts missing ``m`` gets ``m - 1`` more
    and reserves ``m``. In place on ``kept``; returns how many arcs were added.

    Tiers are left to the certificate: this only finds arcs, it decides nothing."""
    view = fp.view
    used = max_flow_arcs(view, fp.fixed, fp.net, np.flatnonzero(kept))
    free = np.ones(view.n_candidates, dtype=bool)
    free[view.arc_candidate[used]] = False
    capacity = fp.fixed.capacity_of(np.arange(view.n_vacancies))
    missing = capacity - np.bincount(view.arc_vacancy[used], minlength=view.n_vacancies)
    bounds = segment_bounds(view.arc_vacancy, view.n_vacancies)
    keys = _ranking_keys(fp)
    added = 0
    for v in np.flatnonzero(missing > 0).tolist():
        lo, hi = int(bounds[v]), int(bounds[v + 1])
        cands = view.arc_candidate[lo:hi]
        ok = free[cands] & ~kept[lo:hi]
        if fp.fixed.free_mask is not None:
            ok &= fp.fixed.free_mask[lo:hi]
        at = np.flatnonzero(ok)
        if not len(at):
            continue
        want, reserve = per_post + int(missing[v]) - 1, int(missing[v])
        seg = keys[lo:hi][at]
        if len(at) > want:
            pick = np.argpartition(-seg, want - 1)[:want]
            at, seg = at[pick], seg[pick]
        best = at[np.argsort(-seg, kind="stable")[:reserve]]
        free[cands[best]] = False
        kept[lo + at] = True
        added += len(at)
    return added


def fill_costs(fp: FlowProblem) -> IntArray | None:
    """Fill cost of each vacancy's arc to the sink; None when it could overflow int64."""
    view = fp.view
    base = view.n_vacancies + 1
    if base**view.n_tiers * (fp.net.n_nodes + 2) >= COST_LIMIT:
        return None
    return -(base ** (view.n_tiers - 1 - view.vacancy_tier.astype(np.int64)))


def potentials(
    fp: FlowProblem, arcs: IntArray, chosen: IntArray, fill: IntArray
) -> tuple[np.ndarray, np.ndarray]:
    """Node potentials (fill, weight) that are feasible for the residual graph of the chosen
    arcs within ``arcs`` (every residual arc has a lexicographically non-negative reduced
    cost); raises when the placement is not optimal there."""
    view, net = fp.view, fp.net
    sink = net.tier0
    on = np.zeros(view.n_arcs, dtype=bool)
    on[chosen] = True
    placed = np.zeros(view.n_candidates, dtype=bool)
    placed[view.arc_candidate[chosen]] = True
    taken = np.bincount(view.arc_vacancy[chosen], minlength=view.n_vacancies)
    tails: list[IntArray] = []
    heads: list[IntArray] = []
    fills: list[IntArray] = []
    weights: list[IntArray] = []

    def add(t: IntArray, h: IntArray, f: IntArray, w: IntArray, forward: np.ndarray) -> None:
        """Residual arcs of arcs t -> h (capacity 1): forward when unused, else backward."""
        tails.extend([t[forward], h[~forward]])
        heads.extend([h[forward], t[~forward]])
        fills.extend([f[forward], -f[~forward]])
        weights.extend([w[forward], -w[~forward]])

    def zero(n: int) -> IntArray:
        return np.zeros(n, dtype=np.int64)

    # The bypass source <-> sink carries the posts left empty: open both ways at cost 0.
    tails += [np.array([net.source, sink])]
    heads += [np.array([sink, net.source])]
    fills += [zero(2)]
    weights += [zero(2)]
    cands = np.arange(view.n_candidates)
    parent = np.full(view.n_candidates, net.source, dtype=np.int64)
    if fp.fixed.unit_capacity is not None:
        cap = fp.fixed.unit_capacity
        units = net.unit0 + np.arange(len(cap))
        used = np.bincount(view.candidate_unit[placed], minlength=len(cap))
        n_open, n_used = int((used < cap).sum()), int((used > 0).sum())
        tails += [np.full(n_open, net.source), units[used > 0]]
        heads += [units[used < cap], np.full(n_used, net.source)]
        fills += [zero(n_open), zero(n_used)]
        weights += [zero(n_open), zero(n_used)]
        parent = net.unit0 + view.candidate_unit
    add(parent, net.cand0 + cands, zero(len(cands)), zero(len(cands)), ~placed)
    add(
        net.cand0 + view.arc_candidate[arcs],
        net.vac0 + view.arc_vacancy[arcs],
        zero(len(arcs)),
        -fp.weights(arcs),
        ~on[arcs],
    )
    # vacancy -> sink (capacity: 1, or a class's posts): open forward while places are left,
    # backward once one is taken
    vacs = np.arange(view.n_vacancies)
    room, back = taken < fp.fixed.capacity_of(vacs), taken > 0
    tails += [net.vac0 + vacs[room], np.full(int(back.sum()), sink)]
    heads += [np.full(int(room.sum()), sink), net.vac0 + vacs[back]]
    fills += [fill[room], -fill[back]]
    weights += [zero(int(room.sum())), zero(int(back.sum()))]
    t, h, cf, cw = (np.concatenate(x).astype(np.int64) for x in (tails, heads, fills, weights))
    n = net.n_nodes
    everyone = np.ones(n, dtype=bool)
    # Lowest feasible potentials: minus the distance from each node to the source. They make
    # every vacancy's price as high as the kept arcs allow, which prices pruned arcs out.
    d1, d2 = np.full(n, INF), np.full(n, INF)
    d1[net.source] = d2[net.source] = 0
    d1, d2 = _relax(h, t, cf, cw, d1, d2, everyone)
    p1, p2 = np.where(d1 < INF, -d1, INF), np.where(d1 < INF, -d2, INF)
    # Nodes that cannot reach the source take the highest value their in-arcs allow.
    p1, p2 = _relax(t, h, cf, cw, p1, p2, p1 == INF)
    # Candidates are only ever tails of pruned arcs: raise each to its in-arcs' bound.
    is_cand = np.zeros(n, dtype=bool)
    is_cand[net.cand0 : net.cand0 + view.n_candidates] = True
    into = is_cand[h] & (p1[t] < INF)
    top1, top2 = np.full(n, INF), np.full(n, INF)
    _lexmin_at(top1, top2, h[into], p1[t[into]] + cf[into], p2[t[into]] + cw[into])
    raise_ = is_cand & (top1 < INF)
    p1[raise_], p2[raise_] = top1[raise_], top2[raise_]
    return p1, p2


def _lexmin_at(d1: np.ndarray, d2: np.ndarray, at: IntArray, v1: IntArray, v2: IntArray) -> None:
    """In place: (d1, d2)[at] = lexicographic minimum of itself and the values (v1, v2)."""
    new1 = d1.copy()
    np.minimum.at(new1, at, v1)
    moved = new1 < d1
    d2[moved] = INF
    best = v1 == new1[at]
    np.minimum.at(d2, at[best], v2[best])
    d1[:] = new1


def _relax(
    t: IntArray,
    h: IntArray,
    c1: IntArray,
    c2: IntArray,
    d1: np.ndarray,
    d2: np.ndarray,
    free: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Bellman-Ford on pairs compared lexicographically: lowers the ``free`` nodes' values to
    shortest-path values from the finite ones. Vectorised rounds that relax only the arcs
    leaving nodes whose value changed in the round before (arcs grouped by tail)."""
    d1, d2 = d1.copy(), d2.copy()
    n = len(d1)
    by_tail = np.argsort(t, kind="stable")
    t, h, c1, c2 = t[by_tail], h[by_tail], c1[by_tail], c2[by_tail]
    first = np.r_[0, np.cumsum(np.bincount(t, minlength=n))]
    frontier = np.flatnonzero(d1 < INF)
    for _ in range(n + 1):
        lens = first[frontier + 1] - first[frontier]
        if not lens.sum():
            return d1, d2
        at = concat_ranges(first[frontier], lens)
        tt, hh = t[at], h[at]
        r1, r2 = d1[tt] + c1[at], d2[tt] + c2[at]
        old1 = d1[hh]
        better = free[hh] & ((r1 < old1) | ((r1 == old1) & (r2 < d2[hh])))
        if not better.any():
            return d1, d2
        _lexmin_at(d1, d2, hh[better], r1[better], r2[better])
        frontier = np.unique(hh[better])
    raise SolverError(
        "the pruned placement is not optimal (negative cycle); please report this bug"
    )


def violations(fp: FlowProblem, dist: tuple[np.ndarray, np.ndarray], kept: np.ndarray) -> IntArray:
    """Free arcs left out whose reduced cost (fill, weight) is lexicographically negative.

    Vacancy by vacancy (its arcs are one slice, its terms one number): no arc-sized
    temporaries, and the arcs' vacancies are never read."""
    view, net = fp.view, fp.net
    d1, d2 = dist
    cands, vacs = np.arange(view.n_candidates), np.arange(view.n_vacancies)
    # reduced cost of arc c -> v: (cand1[c] - vac1[v], cand2[c] - vac2[v] - score * scale)
    cand1, vac1 = d1[net.cand0 + cands], d1[net.vac0 + vacs]
    cand2, vac2 = d2[net.cand0 + cands] - fp.candidate_tb, d2[net.vac0 + vacs]
    packed = _pack(fp, (cand1, vac1), (cand2, vac2))
    bounds = segment_bounds(view.arc_vacancy, view.n_vacancies).tolist()
    nodes = fp.fixed.capacity_of(vacs) > 0  # a class's other posts are not nodes
    found: list[IntArray] = []
    for v in np.flatnonzero(nodes).tolist():
        lo, hi = bounds[v], bounds[v + 1]
        if lo == hi:
            continue
        c = view.arc_candidate[lo:hi]
        gain = view.arc_score[lo:hi] * fp.scale
        if packed is not None:  # one signed number carries both parts
            bad = packed[0][c] - gain < packed[1][v]
        else:
            fill = cand1[c] - vac1[v]
            bad = (fill < 0) | ((fill == 0) & (cand2[c] - gain < vac2[v]))
        bad &= ~kept[lo:hi]
        if fp.fixed.free_mask is not None:
            bad &= fp.fixed.free_mask[lo:hi]
        found.append(lo + np.flatnonzero(bad))
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def _pack(
    fp: FlowProblem, fill: tuple[np.ndarray, np.ndarray], weight: tuple[np.ndarray, np.ndarray]
) -> tuple[IntArray, IntArray] | None:
    """Candidate and vacancy terms ``fill * 2**shift + weight`` when the lexicographic reduced
    cost fits one int64 that way (its sign is then the pair's sign); None when it may not."""
    top_gain = fp.top_score * fp.scale
    spread = max(int(np.abs(x).max(initial=0)) for x in weight) * 2 + top_gain
    fills = max(int(np.abs(x).max(initial=0)) for x in fill) * 2
    shift = spread.bit_length() + 1  # |weight part| < 2**(shift - 1)
    if (fills + 1) << (shift + 1) >= 2**62:
        return None
    return fill[0] * (1 << shift) + weight[0], fill[1] * (1 << shift) + weight[1]


def solve_pruned(
    fp: FlowProblem, base: int = BASE_K
) -> tuple[SolveStatus, IntArray, dict[str, int]]:
    """The exact optimum of the full view, solved on pruned arcs and certified. Equal posts
    are solved as one class node (``merit.solver.interchangeable``) and spread at the end."""
    fill = fill_costs(fp)
    if fill is None:  # too many tiers for an int64 certificate: solve the full view instead
        status, chosen = min_cost_assignment(fp, fp.fixed.free_arcs)
        return status, chosen, {"prune_k": 0, "prune_rounds": 0, "certified": 0}
    classes = interchangeable(fp)
    done = _rounds(with_classes(fp, classes), base, fill)
    if done is None:  # give up pruning: exact anyway
        status, chosen = min_cost_assignment(fp, fp.fixed.free_arcs)
        return status, chosen, {"prune_k": base, "prune_rounds": MAX_ROUNDS, "certified": 0}
    status, chosen, stats = done
    return status, classes.expand(chosen), {**stats, "vacancy_classes": classes.n_classes}


def _rounds(
    fp: FlowProblem, base: int, fill: IntArray
) -> tuple[SolveStatus, IntArray, dict[str, int]] | None:
    """Solve on the kept arcs, certify, add the violating arcs, until certified (or the
    solve is not optimal); None after ``MAX_ROUNDS``."""
    view = fp.view
    capacity = fp.fixed.capacity_of(np.arange(view.n_vacancies))
    kept = np.zeros(view.n_arcs, dtype=bool)
    kept[best_per_vacancy(fp, np.where(capacity > 0, base + capacity - 1, 0))] = True
    for _ in range(FILL_PASSES):  # one pass is usually enough; a post no one free can
        if not fill_free(fp, kept):  # fill would otherwise be given arcs pass after pass
            break
    everyone = _free_posts_per_tier(fp)
    known: list[int] | None = None  # the fill, once every free post is filled (arcs only grow)
    for rounds in range(1, MAX_ROUNDS + 1):
        arcs = np.flatnonzero(kept)
        status, chosen = min_cost_assignment(fp, arcs, known)
        stats = {"prune_k": base, "prune_rounds": rounds, "pruned_arcs": len(arcs)}
        if status is not SolveStatus.OPTIMAL:
            return status, chosen, {**stats, "certified": 0}
        if _fill_per_tier(fp, chosen) == everyone:
            known = everyone
        dist = potentials(fp, arcs, chosen, fill)
        bad = violations(fp, dist, kept)
        if not len(bad):
            return status, chosen, {**stats, "certified": 1}
        # add each vacancy's most violated arcs (all of them can be millions), more each round
        bounds = segment_bounds(view.arc_vacancy[bad], view.n_vacancies)
        add = (ADD_PER_ROUND << min(rounds - 1, 6)) + capacity - 1  # a class: k posts, k more
        kept[bad[top_per_segment(_shortfall(fp, dist, bad), bounds, add)]] = True
    return None


def _free_posts_per_tier(fp: FlowProblem) -> list[int]:
    """Vacancies per tier that no pin fills: the most any placement can fill."""
    view = fp.view
    places = fp.fixed.capacity_of(np.arange(view.n_vacancies))
    places[view.arc_vacancy[fp.fixed.arcs]] = 0
    per_tier = np.bincount(view.vacancy_tier, weights=places, minlength=view.n_tiers)
    return per_tier.astype(np.int64).tolist()


def _fill_per_tier(fp: FlowProblem, chosen: IntArray) -> list[int]:
    view = fp.view
    tiers = view.vacancy_tier[view.arc_vacancy[chosen]]
    return np.bincount(tiers, minlength=view.n_tiers).tolist()


def _shortfall(fp: FlowProblem, dist: tuple[np.ndarray, np.ndarray], arcs: IntArray) -> IntArray:
    """How badly each violating arc breaks the certificate, for ranking: arcs that would fill
    more first, then by how much weight they would gain (minus the weight reduced cost)."""
    view, net = fp.view, fp.net
    d1, d2 = dist
    tail, head = net.cand0 + view.arc_candidate[arcs], net.vac0 + view.arc_vacancy[arcs]
    gain = fp.weights(arcs) - (d2[tail] - d2[head])
    return np.where(d1[tail] < d1[head], np.iinfo(np.int64).max, gain)
