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

import numpy as np

from merit.segments import equal_segments, fingerprints, segment_bounds
from merit.solver.flow import FlowProblem
from merit.view import IntArray


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
    lengths = np.diff(bounds)
    pinned = np.zeros(view.n_vacancies, dtype=bool)
    pinned[view.arc_vacancy[fp.fixed.arcs]] = True
    keys = np.column_stack(
        [
            fingerprints(view.arc_score, view.arc_candidate, bounds),
            lengths,
            view.vacancy_tier.astype(np.int64),
        ]
    )
    arrays = [view.arc_candidate, view.arc_score]
    first = equal_segments(arrays, bounds, keys, np.flatnonzero(~pinned & (lengths > 0)))
    capacity = np.bincount(first, minlength=view.n_vacancies)
    capacity[pinned] = 0
    return Classes(first, capacity, bounds)


def with_classes(fp: FlowProblem, classes: Classes) -> FlowProblem:
    """The same flow problem with each class as one vacancy node of its capacity."""
    return replace(fp, fixed=replace(fp.fixed, vacancy_capacity=classes.capacity))
