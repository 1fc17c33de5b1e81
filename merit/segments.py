"""Selections within contiguous segments of an array (arcs grouped by vacancy).

The solver's arcs and the eligibility output are sorted by vacancy, so "the best K arcs of
each vacancy" is a per-segment selection. It is done segment by segment with a linear-time
partition instead of sorting every arc: at national size that is 150 million arcs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def segment_bounds(groups: npt.NDArray[np.integer], n_groups: int) -> Ints:
    """``bounds[g] : bounds[g + 1]`` is the segment of group ``g`` in the sorted ``groups``
    (by bisection: no pass over the 150 million arcs of a national view)."""
    return np.searchsorted(groups, np.arange(n_groups + 1), side="left").astype(np.int64)


def concat_ranges(starts: npt.NDArray[np.integer], lengths: npt.NDArray[np.integer]) -> Ints:
    """Positions ``starts[i] : starts[i] + lengths[i]`` for every ``i``, one after another
    (the positions of several segments at once, without a Python loop)."""
    lengths = np.asarray(lengths, dtype=np.int64)
    offset = np.asarray(starts, dtype=np.int64) - (np.cumsum(lengths) - lengths)
    return np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(offset, lengths)


Keys = npt.NDArray[np.integer] | Callable[[int, int], npt.NDArray[np.integer]]


def top_per_segment(keys: Keys, bounds: Ints, k: int | Ints) -> Ints:
    """Positions of the ``k`` (per segment, or one number) largest keys of every segment,
    ties to the lower position, in increasing position order. ``keys`` is an array, or a
    function giving the keys of positions ``lo:hi`` (so no array of all keys is built)."""
    limit = np.broadcast_to(np.asarray(k, dtype=np.int64), (len(bounds) - 1,))
    out: list[Ints] = []
    for g in range(len(bounds) - 1):
        lo, hi, want = int(bounds[g]), int(bounds[g + 1]), int(limit[g])
        if want <= 0 or hi == lo:
            continue
        if hi - lo <= want:
            out.append(np.arange(lo, hi, dtype=np.int64))
            continue
        seg = keys(lo, hi) if callable(keys) else keys[lo:hi]
        kth = np.partition(seg, len(seg) - want)[len(seg) - want]  # the want-th largest key
        above = np.flatnonzero(seg > kth)
        equal = np.flatnonzero(seg == kth)[: want - len(above)]
        out.append(np.sort(np.r_[above, equal]) + lo)
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


#: Positions summed at a time by ``fingerprints`` (temporaries stay in cache, memory flat).
CHUNK = 1 << 22


def fingerprints(x: npt.NDArray[np.integer], y: npt.NDArray[np.integer], bounds: Ints) -> Ints:
    """Per segment: the sum of ``x`` and the sum of ``x * (y + 1)`` (int64, wrapping). Equal
    segments have equal sums; segments with equal sums still need ``equal_segments``' element
    by element comparison. Summed chunk by chunk, so no position-sized temporary is made."""
    out = np.zeros((len(bounds) - 1, 2), dtype=np.int64)
    nonempty = np.flatnonzero(np.diff(bounds) > 0)
    ends = bounds[nonempty + 1]
    g = 0
    while g < len(nonempty):
        lo = int(bounds[nonempty[g]])
        h = max(int(np.searchsorted(ends, lo + CHUNK, side="right")), g + 1)
        hi = int(ends[h - 1])
        starts = bounds[nonempty[g:h]] - lo
        xs = np.asarray(x[lo:hi], dtype=np.int64)
        out[nonempty[g:h], 0] = np.add.reduceat(xs, starts)
        weighted = np.add(y[lo:hi], 1, dtype=np.int64)
        weighted *= xs
        out[nonempty[g:h], 1] = np.add.reduceat(weighted, starts)
        g = h
    return out


def equal_segments(
    arrays: Sequence[npt.NDArray[np.generic]],
    bounds: Ints,
    keys: npt.NDArray[np.integer],
    among: Ints,
) -> Ints:
    """``first[g]``: the lowest segment of ``among`` equal to segment ``g`` (the same row of
    ``keys`` and, element by element, the same values of every array), or ``g`` itself.
    ``keys`` (one row per segment: lengths, fingerprints, anything equal segments share)
    only groups the segments compared; the comparison decides."""
    first = np.arange(len(bounds) - 1, dtype=np.int64)
    among, keys = np.asarray(among, dtype=np.int64), np.asarray(keys)
    order = among[np.lexsort(keys[among].T[::-1])]  # equal keys together, in order
    same = np.r_[False, (keys[order[1:]] == keys[order[:-1]]).all(axis=1)]
    for a, b in pairwise([*np.flatnonzero(~same).tolist(), len(order)]):
        left = order[a:b].tolist()
        while len(left) > 1:
            rep, rest = left[0], []
            lo, hi = int(bounds[rep]), int(bounds[rep + 1])
            for g in left[1:]:
                glo, ghi = int(bounds[g]), int(bounds[g + 1])
                if all(np.array_equal(x[glo:ghi], x[lo:hi]) for x in arrays):
                    first[g] = rep
                else:
                    rest.append(g)
            left = rest
    return first
