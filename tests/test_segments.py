"""Per-segment selections: top-K equals a full sort (ties included); equal segments found."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from merit.segments import equal_segments, fingerprints, segment_bounds, top_per_segment


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(-3, 3)), max_size=80),
    st.lists(st.integers(0, 6), min_size=6, max_size=6),
)
def test_top_per_segment_matches_a_full_sort(pairs, ks) -> None:  # type: ignore[no-untyped-def]
    pairs = sorted(pairs, key=lambda p: p[0])  # grouped, keys in input order within a group
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    keys = np.array([k for _, k in pairs], dtype=np.int64)
    k = np.array(ks, dtype=np.int64)
    got = top_per_segment(keys, segment_bounds(groups, 6), k)
    expected = []
    for g in range(6):
        pos = [i for i in range(len(pairs)) if groups[i] == g]
        best = sorted(pos, key=lambda i: (-keys[i], i))[: k[g]]
        expected += sorted(best)
    assert got.tolist() == expected
    by_function = top_per_segment(lambda lo, hi: keys[lo:hi], segment_bounds(groups, 6), k)
    assert by_function.tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 5)), max_size=20))
def test_concat_ranges_lists_each_range_in_turn(ranges) -> None:  # type: ignore[no-untyped-def]
    from merit.segments import concat_ranges

    starts = np.array([s for s, _ in ranges], dtype=np.int64)
    lengths = np.array([n for _, n in ranges], dtype=np.int64)
    expected = [i for s, n in ranges for i in range(s, s + n)]
    assert concat_ranges(starts, lengths).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), max_size=4), min_size=1, max_size=12))
def test_equal_segments_finds_the_first_equal_one(segments) -> None:  # type: ignore[no-untyped-def]
    """Keys only group (here: all segments share one key row, the worst case); the answer is
    the lowest equal segment, by plain comparison."""
    values = np.array([x for s in segments for x in s], dtype=np.int64)
    bounds = np.r_[0, np.cumsum([len(s) for s in segments])].astype(np.int64)
    keys = np.zeros((len(segments), 1), dtype=np.int64)
    first = equal_segments([values], bounds, keys, np.arange(len(segments)))
    assert first.tolist() == [segments.index(s) for s in segments]


def test_fingerprints_are_sums_per_segment() -> None:
    x, y = np.array([2, 3, 5, 7]), np.array([0, 1, 2, 3])
    bounds = np.array([0, 2, 2, 4])
    assert fingerprints(x, y, bounds).tolist() == [[5, 2 + 6], [0, 0], [12, 15 + 28]]
