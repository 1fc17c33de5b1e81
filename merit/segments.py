"""Selections within contiguous segments of an array (arcs grouped by vacancy).

The solver's arcs and the eligibility output are sorted by vacancy, so "the best K arcs of
each vacancy" is a per-segment selection. It is done segment by segment with a linear-time
partition instead of sorting every arc: at national size that is 150 million arcs.
"""

from __future__ import annotations

from collections.abc import Callable

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
