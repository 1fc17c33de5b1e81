"""Job Person Match levels per pair: the competency points a candidate brings to a post.

Levels are 1-5 (0 = not assessed / not required), so each competency fits a 4-bit lane and up
to 16 competencies pack into one ``uint64`` per employee and per vacancy. One pair then costs a
few word operations instead of a gather of two level rows (the national run has 151 million
pairs). The result is the same integer as ``np.minimum(have[e], need[v]).sum(axis=1)``
('capped') or ``np.where(need[v] > 0, have[e], 0).sum(axis=1)`` ('raw').
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from merit.dataset import MeritData

LANE = 4
LANES = 64 // LANE
MAX_LEVEL = 7  # a lane holds 3 value bits under its guard bit
GUARD = np.uint64(0x8888_8888_8888_8888)
LOW3 = np.uint64(7)
NIBBLES = np.uint64(0x0F0F_0F0F_0F0F_0F0F)
BYTES = np.uint64(0x0101_0101_0101_0101)


def pack(levels: np.ndarray) -> list[np.ndarray]:
    """Rows of levels (0..7) as 4-bit lanes, 16 competencies per word; one array per word."""
    words = []
    for lo in range(0, levels.shape[1], LANES):
        block = levels[:, lo : lo + LANES].astype(np.uint64)
        shifts = (np.arange(block.shape[1], dtype=np.uint64) * np.uint64(LANE))[None, :]
        words.append(np.bitwise_or.reduce(block << shifts, axis=1, initial=np.uint64(0)))
    return words


def lane_sum(x: np.ndarray) -> np.ndarray:
    """Sum of the 16 lanes of each word (each lane 0..7, so the byte sums never carry);
    overwrites ``x`` and returns it."""
    high = np.right_shift(x, np.uint64(LANE))
    high &= NIBBLES
    x &= NIBBLES
    x += high
    x *= BYTES
    x >>= np.uint64(56)
    return x


def shortfall(have: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Sum over lanes of ``max(need - have, 0)``: the guard bit survives ``8 + need - have``
    exactly where need >= have, and the low 3 bits are then the shortfall. ``need`` may be
    one word for all; ``have`` is overwritten with the result."""
    d = np.subtract(need | GUARD, have, out=have)
    keep = d & GUARD
    keep >>= np.uint64(3)
    keep *= LOW3
    d &= keep
    return lane_sum(d)


def gather(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` for indices known to be in range (half the time of a checked take):
    pair rows are checked once where scoring starts, and keys are in range by construction."""
    return values.take(index, mode="clip")


class Levels:
    """Packed levels of every employee and vacancy; each pair's Job Person Match key."""

    def __init__(
        self, have: np.ndarray, need: np.ndarray, mode: str, given: np.ndarray | None = None
    ) -> None:
        self.have, self.need, self.mode = have, need, mode
        self.codes_named: list[str] = []
        # A JPM % the assessment centre reported without levels is that employee's Job Person
        # Match for every post; levels, where present, win.
        given = np.full(len(have), np.nan) if given is None else np.asarray(given, float)
        given = np.where(have.any(axis=1), np.nan, given)
        self.given_values, code = np.unique(given[~np.isnan(given)], return_inverse=True)
        self.given_code = np.full(len(have), -1, dtype=np.int64)
        self.given_code[~np.isnan(given)] = code.reshape(-1)
        self.total = need.sum(axis=1, dtype=np.int64)
        #: An upper bound of the points of any pair (and of every standard total).
        self.most = max(
            int(have.sum(axis=1, dtype=np.int64).max(initial=0)), int(self.total.max(initial=0))
        )
        self.packed = max(int(have.max(initial=0)), int(need.max(initial=0))) <= MAX_LEVEL
        if self.packed:  # always, for validated data (levels 1-5)
            self.have_words = pack(have)
            self.need_words = pack(need)
            self.need_masks = pack(np.where(need > 0, MAX_LEVEL, 0))
        # key = total * (most + 1) + points; capped points are total - shortfall
        base = self.most + (2 if mode == "capped" else 1)
        self.base = self.total * base
        #: Keys from here on are the reported percentages (``given_values``).
        self.first_given = (self.most + 1) ** 2

    def got(self, e: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Competency points of each pair (int64): capped at the standard, or raw."""
        return self.key(e, v) - gather(self.total, v) * (self.most + 1)

    def key(self, e: np.ndarray, v: np.ndarray) -> np.ndarray:
        """``standard total * (most + 1) + points`` of each pair, into :meth:`percent` (or a
        reported percentage's key)."""
        if not self.packed:
            have, need = self.have[e], self.need[v]
            if self.mode == "capped":
                got = np.minimum(have, need).sum(axis=1, dtype=np.int64)
            else:
                got = np.where(need > 0, have, 0).sum(axis=1, dtype=np.int64)
            key = gather(self.total, v) * (self.most + 1) + got
            return self._given(key, gather(self.given_code, e))
        words = [gather(h, e) for h in self.have_words]
        if len(self.given_values):
            words.append((gather(self.given_code, e) + 1).astype(np.uint64))
        return self.key_of(words, v)

    def _given(self, key: np.ndarray, code: np.ndarray) -> np.ndarray:
        """``key`` where the employee has no reported percentage, else that percentage's."""
        if not len(self.given_values):
            return key
        return np.where(code >= 0, self.first_given + code, key)

    def codes(self) -> list[tuple[np.ndarray, int]]:
        """Each employee's packed level words, with the bits each uses (4 per competency),
        then the code of a reported percentage (0: none) when there are any."""
        n = self.have.shape[1]
        out = [(h, LANE * min(LANES, n - LANES * w)) for w, h in enumerate(self.have_words)]
        if len(self.given_values):
            out.append((self.given_code + 1, max(len(self.given_values).bit_length(), 1)))
        return out

    def key_of(self, words: list[np.ndarray], v: np.ndarray) -> np.ndarray:
        """:meth:`key` from each pair's packed level words (overwritten; bits above a word's
        lanes must be 0), then the reported-percentage code when there are any, and vacancy
        rows (or one row for all)."""
        given: np.ndarray | None = None
        if len(self.given_values):
            *words, last = words
            given = last.astype(np.int64) - 1
        sums: np.ndarray | None = None
        for w, word in enumerate(words):
            if self.mode == "capped":
                word = shortfall(word, gather(self.need_words[w], v))
            else:
                word = lane_sum(np.bitwise_and(word, gather(self.need_masks[w], v), out=word))
            sums = word if sums is None else np.add(sums, word, out=sums)
        if sums is None:
            sums = np.zeros(len(words[0]) if words else len(v), dtype=np.uint64)
        got = sums.view(np.int64)
        if self.mode == "capped":
            key = np.subtract(gather(self.base, v), got, out=got)
        else:
            key = np.add(gather(self.base, v), got, out=got)
        return key if given is None else self._given(key, given)

    def percent(self) -> np.ndarray:
        """Job Person Match % (not capped at 100) of every key."""
        most = self.most
        total = np.repeat(np.arange(most + 1, dtype=np.int64), most + 1)
        got = np.tile(np.arange(most + 1, dtype=np.int64), most + 1)
        table = np.where(total > 0, 100.0 * got / np.maximum(total, 1), 0.0)
        return np.concatenate([table, self.given_values])


def _matrix(
    ids: pd.Series, keys: pd.Series, levels: pd.Series, columns: np.ndarray, width: int
) -> np.ndarray:
    """Rows in ``ids`` order, ``width`` columns (one per competency code), the table's levels
    (0 = none); ``keys``, ``levels`` and ``columns`` give each table row's id, level, column."""
    row = pd.Series(np.arange(len(ids)), index=ids)
    out = np.zeros((len(ids), width), dtype=np.int16)
    rows = row.reindex(keys).to_numpy(dtype=float)
    ok = ~np.isnan(rows)
    out[rows[ok].astype(np.int64), columns[ok]] = levels.to_numpy()[ok]
    return out


def levels_of(data: MeritData, mode: str) -> Levels:
    """The assessed levels of every employee and the standard of every vacancy, one column
    per competency code named in either table (``Levels.codes``)."""
    have, need = data.competencies, data.standards
    have_code, have_names = pd.factorize(have["competency_code"])
    need_code, need_names = pd.factorize(need["competency_code"])
    codes = sorted(set(have_names) | set(need_names))
    col = {c: i for i, c in enumerate(codes)}

    def columns(code: np.ndarray, names: pd.Index) -> np.ndarray:
        return np.array([col[n] for n in names], dtype=np.int64)[code]

    levels = Levels(
        _matrix(
            data.employees["employee_id"],
            have["employee_id"],
            have["level"],
            columns(have_code, have_names),
            len(codes),
        ),
        _matrix(
            data.vacancies["vacancy_id"],
            need["vacancy_id"],
            need["required_level"],
            columns(need_code, need_names),
            len(codes),
        ),
        mode,
        data.employees["jpm_percent"].to_numpy(np.float64),
    )
    levels.codes_named = codes
    return levels
