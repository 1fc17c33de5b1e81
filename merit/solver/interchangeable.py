"""Interchangeable vacancies: posts in the same tier with the same eligible candidates at the
same scores, solved as one vacancy node that takes as many candidates as it has posts.

A national round has thousands of posts that are copies of each other (the same jabatan in
many units, with one competency standard): measured on 200,000 x 10,000, the 10,000 posts
have 2,424 different columns, and one class has 421 posts. Placed post by post, every copy
reaches for the same best candidates and the pruned solve needs round after round to sort
them out. As one node with capacity ``k`` the class asks for its ``k`` best at once.

Exact: a placement of the classes is a placement of the posts with the same fill, score and
tie-break, and back, because the posts of a class have the same arcs. Columns are compared
element by element (sums only group the candidates for that comparison). Within a class
the placed candidates go to its posts in index order (candidate index order to post index
order): every such choice has the same objective, so the rule only makes the result fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np

from merit.segments import segment_bounds
from merit.solver.flow import FlowProblem
from merit.view import IntArray

#: Arcs summed at a time (keeps the temporaries in cache and memory flat).
CHUNK = 1 << 22


@dataclass(frozen=True, eq=False)
class Classes:
    """Each vacancy's class: its first post (the representative) and the class size there."""

    first: IntArray
    """Representative of each vacancy's class (the vacancy itself when it has no copy)."""
    capacity: IntArray
    """Posts of the class at its representative, 0 at the other posts."""
    bounds: IntArray
    """Arc slice of each vacancy (``segment_bounds`` of the view)."""

    @property
    def n_classes(self) -> int:
        return int((self.capacity > 0).sum())

    def expand(self, chosen: IntArray) -> IntArray:
        """Arcs chosen on the representatives, spread over their posts: the class's ``j``-th
        placed candidate (by index) goes to its ``j``-th post (by index). The posts' columns
        are equal, so an arc keeps its offset within the vacancy's slice."""
        chosen = np.sort(chosen)
        if not len(chosen):
            return chosen
        members = np.argsort(self.first, kind="stable")  # posts grouped by class, in order
        start = np.searchsorted(self.first[members], np.arange(len(self.first)))
        rep = np.searchsorted(self.bounds, chosen, side="right") - 1  # arcs sorted by vacancy
        new = np.r_[True, rep[1:] != rep[:-1]]
        rank = np.arange(len(chosen)) - np.maximum.accumulate(np.where(new, np.arange(len(rep)), 0))
        post = members[start[rep] + rank]
        return np.sort(self.bounds[post] + (chosen - self.bounds[rep]))


def interchangeable(fp: FlowProblem) -> Classes:
    """Group the free vacancies whose columns (tier, candidates, scores) are equal. Pinned
    posts stay alone with capacity 0: the pins fill them."""
    view = fp.view
    bounds = segment_bounds(view.arc_vacancy, view.n_vacancies)
    first = np.arange(view.n_vacancies, dtype=np.int64)
    capacity = np.ones(view.n_vacancies, dtype=np.int64)
    capacity[view.arc_vacancy[fp.fixed.arcs]] = 0
    lengths = np.diff(bounds)
    keys = np.column_stack(
        [
            _fingerprints(view.arc_candidate, view.arc_score, bounds),
            lengths,
            view.vacancy_tier.astype(np.int64),
        ]
    )
    free = np.flatnonzero((capacity > 0) & (lengths > 0))
    order = free[np.lexsort(keys[free].T[::-1])]  # equal keys together, in index order
    same = np.r_[False, (keys[order[1:]] == keys[order[:-1]]).all(axis=1)]
    for a, b in pairwise([*np.flatnonzero(~same).tolist(), len(order)]):
        if b - a > 1:
            _split_equal(view.arc_candidate, view.arc_score, bounds, order[a:b], first, capacity)
    return Classes(first, capacity, bounds)


def _split_equal(
    cand: IntArray,
    score: IntArray,
    bounds: IntArray,
    posts: IntArray,
    first: IntArray,
    capacity: IntArray,
) -> None:
    """Within posts of equal sums, merge those with element-wise equal columns (in place)."""
    left = posts.tolist()
    while left:
        rep, rest = left[0], []
        lo, hi = int(bounds[rep]), int(bounds[rep + 1])
        for v in left[1:]:
            vlo, vhi = int(bounds[v]), int(bounds[v + 1])
            if np.array_equal(cand[vlo:vhi], cand[lo:hi]) and np.array_equal(
                score[vlo:vhi], score[lo:hi]
            ):
                first[v] = rep
                capacity[rep] += 1
                capacity[v] = 0
            else:
                rest.append(v)
        left = rest


def _fingerprints(cand: IntArray, score: IntArray, bounds: IntArray) -> IntArray:
    """Per vacancy: the sum of its scores and of ``score * (candidate + 1)``. Equal columns
    have equal sums; columns with equal sums are then compared element by element. Summed
    chunk by chunk, so the product never takes an arc-sized array."""
    out = np.zeros((len(bounds) - 1, 2), dtype=np.int64)
    nonempty = np.flatnonzero(np.diff(bounds) > 0)
    ends = bounds[nonempty + 1]
    v = 0
    while v < len(nonempty):
        lo = int(bounds[nonempty[v]])
        w = max(int(np.searchsorted(ends, lo + CHUNK, side="right")), v + 1)
        hi = int(ends[w - 1])
        starts = bounds[nonempty[v:w]] - lo
        s = score[lo:hi]
        out[nonempty[v:w], 0] = np.add.reduceat(s, starts)
        out[nonempty[v:w], 1] = np.add.reduceat(s * (cand[lo:hi] + 1), starts)
        v = w
    return out


def with_classes(fp: FlowProblem, classes: Classes) -> FlowProblem:
    """The same flow problem with each class as one vacancy node of its capacity."""
    return replace(fp, fixed=replace(fp.fixed, vacancy_capacity=classes.capacity))
