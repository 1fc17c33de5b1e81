"""How pairs find their keys fast: grid classes, packed employee words, one-vacancy pieces.

Scoring gathers per pair; at national size (151 million pairs) what costs is the number of
random gathers from employee-sized tables, not the arithmetic. So the employee side of every
component that allows it (a ``Grid`` class, the packed competency levels) is packed into as
few words per employee as hold it, gathered once per pair and unpacked with shifts and masks;
and pairs are scored in pieces of one vacancy, where every vacancy-side value is a scalar.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from merit.eligibility.prepare import Pairs
from merit.scoring.jpm import gather

#: Bits of a packed employee word.
WORD_BITS = 64


def classes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values, class of each value); floats are told apart by their bits, so -0.0
    and 0.0 (or two NaNs) stay in their own classes and every class has one exact value."""
    values = np.asarray(values).reshape(-1)
    if values.dtype == np.float64:
        _, first, code = np.unique(values.view(np.int64), return_index=True, return_inverse=True)
        return values[first], code.reshape(-1)
    unique, code = np.unique(values, return_inverse=True)
    return unique, code.reshape(-1)


def same_rows(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first row of each class, class of each row) of a float table's rows, bit for bit."""
    _, first, code = np.unique(
        np.ascontiguousarray(table).view(np.int64), axis=0, return_index=True, return_inverse=True
    )
    return first, code.reshape(-1)


@dataclass(frozen=True)
class Grid:
    """Pairs keyed by the class of (employee value, vacancy value): ``e_key[e] + v_key[v]``
    indexes ``e_value`` and ``v_value``, the two values of every class; ``columns`` is the
    number of vacancy classes (``e_key`` is the employee class times ``columns``)."""

    e_key: np.ndarray
    v_key: np.ndarray
    e_value: np.ndarray
    v_value: np.ndarray
    columns: int

    @classmethod
    def of(cls, e_values: np.ndarray, v_values: np.ndarray) -> Grid:
        e_unique, e_code = classes(e_values)
        v_unique, v_code = classes(v_values)
        n = len(v_unique)
        return cls(
            e_code.astype(np.int64) * n,
            v_code.astype(np.int64),
            np.repeat(e_unique, n),
            np.tile(v_unique, len(e_unique)),
            n,
        )

    def key(self, p: Pairs) -> np.ndarray:
        return gather(self.e_key, p.e) + gather(self.v_key, p.v)


@dataclass(frozen=True)
class Field:
    """Where one per-employee code sits in the packed employee words."""

    word: int
    shift: int
    width: int


class Packer:
    """Per-employee codes packed first-fit into as few words as hold them; a word is
    ``uint32`` when its codes fit 32 bits (half the cache of ``uint64``)."""

    def __init__(self, n_employees: int) -> None:
        self.n = n_employees
        self._bits: list[int] = []
        self._parts: list[list[tuple[np.ndarray, int]]] = []

    def place(self, code: np.ndarray, width: int) -> Field:
        """Reserve ``width`` bits for ``code`` (one non-negative integer per employee)."""
        if not 0 < width <= WORD_BITS:
            raise ValueError(f"a packed code takes 1..{WORD_BITS} bits, not {width}")
        bits = self._bits
        word = next((w for w, b in enumerate(bits) if b + width <= WORD_BITS), len(bits))
        if word == len(bits):
            bits.append(0)
            self._parts.append([])
        self._parts[word].append((code, bits[word]))
        bits[word] += width
        return Field(word, bits[word] - width, width)

    def words(self) -> list[np.ndarray]:
        """The packed words, one array per word, one element per employee."""
        out = []
        for bits, parts in zip(self._bits, self._parts, strict=True):
            word = np.zeros(self.n, dtype=np.uint64)
            for code, shift in parts:
                word |= code.astype(np.uint64) << np.uint64(shift)
            out.append(word.astype(np.uint32 if bits <= 32 else np.uint64))
        return out


def unpack(words: list[np.ndarray], f: Field, out: np.ndarray) -> np.ndarray:
    """The field ``f`` of each gathered word, into ``out`` (any integer dtype)."""
    word = words[f.word]
    if f.shift:
        np.right_shift(word, f.shift, out=out, casting="unsafe")
        word = out
    if f.width < 8 * word.itemsize:
        np.bitwise_and(word, (1 << f.width) - 1, out=out, casting="unsafe")
    elif word is not out:
        np.copyto(out, word, casting="unsafe")
    return out


def ascending(v: np.ndarray) -> bool:
    """Whether ``v`` never decreases (checked in chunks: no big temporaries)."""
    step, last = 1 << 22, len(v) - 1
    return all(
        bool((v[lo + 1 : min(lo + step, last) + 1] >= v[lo : min(lo + step, last)]).all())
        for lo in range(0, max(last, 0), step)
    )


def pieces(v: np.ndarray, block: int, min_run: int) -> Iterator[tuple[int, int, bool]]:
    """``[lo, hi)`` pieces of at most ``block`` pairs, and whether a piece is one vacancy's.

    Eligible pairs come sorted by vacancy, so nearly every piece lies in one vacancy's run of
    pairs and its vacancy-side values are scalars; a run shorter than ``min_run`` at the start
    of a piece (or pairs in any order) makes a mixed piece, scored with per-pair vacancies.
    """
    sorted_ = ascending(v)
    lo, n = 0, len(v)
    while lo < n:
        hi = min(lo + block, n)
        if sorted_:  # the run of v[lo] ends where the next vacancy starts
            run = int(np.searchsorted(v, v[lo], side="right")) - lo
        else:
            other = v[lo:hi] != v[lo]
            run = int(other.argmax()) if other.any() else hi - lo
        if run >= hi - lo:
            yield lo, hi, True
        elif run >= min_run:
            yield lo, lo + run, True
            hi = lo + run
        else:
            yield lo, hi, False
        lo = hi
