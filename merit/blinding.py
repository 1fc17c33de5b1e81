"""Blind the placement problem: build the ``SolverView`` and keep the key that maps it back.

``blind`` is the only function that holds both the employee ids and the solver's indices.
Candidates are re-indexed in the order of a keyed hash (HMAC-SHA256 of the employee id with
the scenario seed), so neither input row order, nor NIP digits, nor names can influence the
optimiser (the NIP encodes birth date and gender, so it never breaks a tie). The documented
tie-break is, in order: higher golongan, longer time in golongan, higher education grade,
then the keyed hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from merit.dataset import MeritData
from merit.domain.enums import EducationLevel
from merit.domain.scenario import Scenario
from merit.errors import InfeasibleError
from merit.view import SCORE_SCALE, IntArray, SolverView

#: Bit layout of ``candidate_tiebreak``, most significant first; the solver may drop low bits.
TIEBREAK_LAYOUT: tuple[tuple[str, int], ...] = (
    ("rank", 5),  # golongan ordinal + 1 (0 = none, e.g. PPPK)
    ("months_in_rank", 8),  # capped at 255
    ("education_grade", 4),
    ("keyed_hash", 7),
)
TIEBREAK_BITS = sum(b for _, b in TIEBREAK_LAYOUT)
#: Arcs handled at a time where ``blind`` walks all of them (a chunk stays in the CPU cache).
CHUNK = 1 << 16


@dataclass(frozen=True, eq=False)
class BlindKey:
    """Maps solver indices back to rows and ids. Never passed to the solver."""

    candidate_rows: IntArray
    """Row in ``MeritData.employees`` of each candidate index."""
    candidate_hash: IntArray
    """The full 63-bit keyed hash of each candidate (the last tie-break)."""
    arc_candidate: IntArray
    """The view's candidate index of each arc (shared with the view, not copied)."""
    arc_vac_rows: IntArray
    """Row in ``MeritData.vacancies`` of each view arc (the view's vacancy index)."""

    def emp_rows(self, arcs: IntArray) -> IntArray:
        """Employee rows of the given view arcs."""
        return self.candidate_rows[self.arc_candidate[arcs]]

    @property
    def arc_emp_rows(self) -> IntArray:
        return self.emp_rows(np.arange(len(self.arc_candidate)))


def candidate_order(employees: pd.DataFrame, seed: int, hashes: IntArray | None = None) -> IntArray:
    """Employee rows in the candidates' keyed-hash order (the order ``blind`` indexes them in):
    give it to eligibility and the arcs arrive already sorted for the view. ``hashes``: the
    rows' ``keyed_hash``, when the caller has them."""
    if hashes is None:
        hashes = keyed_hash(employees["employee_id"], seed)
    ids = employees["employee_id"].to_numpy(dtype=object)
    return np.lexsort((ids, hashes)).astype(np.int64)


def keyed_hash(employee_ids: pd.Series, seed: int) -> IntArray:
    """63-bit HMAC-SHA256 of each employee id, keyed by the scenario seed.

    HMAC (RFC 2104) is ``H(key ^ opad || H(key ^ ipad || message))``: the two padded-key
    blocks are hashed once and copied per id, which gives the bytes of ``hmac.digest`` at a
    fraction of its set-up per call (a national run hashes 200,000 ids)."""
    key = f"merit-tiebreak:{seed}".encode()
    block = hashlib.sha256().block_size
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def one(eid: str) -> int:
        i, o = inner.copy(), outer.copy()
        i.update(eid.encode("utf-8"))
        o.update(i.digest())
        return int.from_bytes(o.digest()[:8], "big") >> 1

    return np.fromiter(
        (one(eid) for eid in employee_ids.astype(str)), dtype=np.int64, count=len(employee_ids)
    )


def tiebreak_keys(employees: pd.DataFrame, hashes: IntArray, scenario: Scenario) -> IntArray:
    """Pack the documented merit tie-break criteria and the keyed hash into one integer."""
    rank = employees["rank"].cat.codes.to_numpy(np.int64) + 1
    placement = pd.Timestamp(scenario.placement_date)
    since = employees["rank_since"]
    months = ((placement - since).dt.days.fillna(0).to_numpy() // 30).clip(0, 255)
    grades = {lvl.value: lvl.grade() for lvl in EducationLevel}
    edu = employees["education_level"].astype(object).map(grades).fillna(0).to_numpy(np.int64)
    fields = {
        "rank": rank,
        "months_in_rank": months.astype(np.int64),
        "education_grade": edu,
        "keyed_hash": hashes & ((1 << TIEBREAK_LAYOUT[-1][1]) - 1),
    }
    key = np.zeros(len(employees), dtype=np.int64)
    for name, bits in TIEBREAK_LAYOUT:
        key = (key << bits) | np.minimum(fields[name], (1 << bits) - 1)
    return key


def blind(
    data: MeritData,
    scenario: Scenario,
    arc_emp: IntArray,
    arc_vac: IntArray,
    arc_score: IntArray,
    hashes: IntArray | None = None,
    homes: IntArray | None = None,
) -> tuple[SolverView, BlindKey]:
    """Build the solver's view of the eligible arcs ``(arc_emp, arc_vac)`` with their scores.

    ``arc_emp``/``arc_vac`` are rows of ``data.employees``/``data.vacancies``; ``arc_score``
    is the quantised merit score; ``hashes``, when the caller has them, the ``keyed_hash`` of
    every employee row; ``homes``, in a chain round, the vacancy row of each employee row's own
    post (-1: none), whose arc is then their stay. Raises ``InfeasibleError`` when a pinned
    pair is not an arc.
    """
    emp = data.employees
    vac = data.vacancies
    seen = np.zeros(len(emp), dtype=bool)
    for lo in range(0, len(arc_emp), CHUNK):  # no arc-sized index temporary
        seen[arc_emp[lo : lo + CHUNK]] = True
    rows = np.flatnonzero(seen)  # the employees with an arc, in row order (no sort of arcs)
    if hashes is None:
        row_hashes = keyed_hash(emp["employee_id"].iloc[rows], scenario.seed)
    else:
        row_hashes = np.asarray(hashes, dtype=np.int64)[rows]
    ids = emp["employee_id"].iloc[rows].to_numpy(dtype=object)
    order = np.lexsort((ids, row_hashes))
    cand_rows = rows[order]
    cand_hash = row_hashes[order]
    index_of_row = np.full(len(emp), -1, dtype=np.int64)
    index_of_row[cand_rows] = np.arange(len(cand_rows))

    arc_v = np.asarray(arc_vac, dtype=np.int64)
    arc_c, in_order = _arc_candidates(index_of_row, arc_emp, arc_v, len(cand_rows))
    scores = np.asarray(arc_score, dtype=np.int64)
    if not in_order:  # the pipeline gives them in order; others may not
        arc_order = np.argsort(arc_v * max(len(cand_rows), 1) + arc_c)  # pairs are unique
        arc_c, arc_v, scores = arc_c[arc_order], arc_v[arc_order], scores[arc_order]

    cands = emp.iloc[cand_rows]
    units = set(cands["unit"].astype(str))
    if homes is not None:
        units |= set(vac["unit"].astype(str))
    unit_index = {u: i for i, u in enumerate(sorted(units))}
    freed = cands["current_allowance"].to_numpy(np.int64)
    chains: dict[str, Any] = {}
    if homes is not None:
        home = np.asarray(homes, dtype=np.int64)[cand_rows]
        allowance = vac["allowance"].to_numpy(np.int64)
        freed = np.where(home >= 0, allowance[np.maximum(home, 0)], freed)  # a stay costs 0
        c = scenario.chains
        chains = {
            "candidate_home": home,
            "vacancy_unit": vac["unit"].astype(str).map(unit_index).to_numpy(np.int64),
            "move_cost": round(c.move_cost * SCORE_SCALE),
            "max_chain_length": c.max_length,
            "max_moves": c.max_moves,
            "keep_posts_filled": scenario.constraints.keep_posts_filled,
        }
    view = SolverView(
        n_candidates=len(cand_rows),
        n_vacancies=len(vac),
        arc_candidate=arc_c,
        arc_vacancy=arc_v,
        arc_score=scores,
        candidate_tiebreak=tiebreak_keys(cands, cand_hash, scenario),
        tiebreak_bits=TIEBREAK_BITS,
        vacancy_tier=vacancy_tiers(vac, scenario),
        n_tiers=len(scenario.priority_tiers) + 1 if scenario.priority_tiers else 1,
        candidate_unit=cands["unit"].astype(str).map(unit_index).to_numpy(np.int64),
        max_moves_per_unit=scenario.constraints.max_moves_per_unit,
        vacancy_cost=vac["allowance"].to_numpy(np.int64),
        candidate_freed_cost=freed,
        budget=scenario.constraints.budget,
        pinned_arcs=_pinned(data, scenario, cand_rows, arc_c, arc_v),
        time_limit_seconds=scenario.time_limit_seconds,
        seed=scenario.seed,
        **chains,
    )
    key = BlindKey(cand_rows, cand_hash, arc_c, arc_v)
    return view, key


def _arc_candidates(
    index_of_row: IntArray, arc_emp: IntArray, arc_v: IntArray, n_cand: int
) -> tuple[IntArray, bool]:
    """The candidate index of each arc, and whether the arcs are sorted by vacancy, then
    candidate: one cache-sized chunk at a time, each checked while it is in the cache
    (``vacancy * n_cand + candidate`` strictly increases exactly when they are)."""
    out = np.empty(len(arc_emp), dtype=np.int64)
    in_order, n = True, max(n_cand, 1)
    for lo in range(0, len(arc_emp), CHUNK):
        hi = min(lo + CHUNK, len(arc_emp))
        index_of_row.take(arc_emp[lo:hi], out=out[lo:hi])
        if in_order:
            start = max(lo - 1, 0)  # the chunk's first arc against the one before it
            key = arc_v[start:hi] * n
            key += out[start:hi]
            in_order = bool((key[1:] > key[:-1]).all())
    return out, in_order


def vacancy_tiers(vac: pd.DataFrame, scenario: Scenario) -> IntArray:
    """Tier of each vacancy: the first priority tier naming its unit, else the last tier."""
    tiers = np.full(len(vac), len(scenario.priority_tiers), dtype=np.int64)
    units = vac["unit"].astype(str).to_numpy()
    for t in reversed(range(len(scenario.priority_tiers))):
        tiers[np.isin(units, list(scenario.priority_tiers[t].units))] = t
    return tiers


def _pinned(
    data: MeritData, scenario: Scenario, cand_rows: IntArray, arc_c: IntArray, arc_v: IntArray
) -> IntArray:
    pins = scenario.constraints.pinned
    if not pins:
        return np.zeros(0, dtype=np.int64)
    emp_row = {e: i for i, e in enumerate(data.employees["employee_id"])}
    vac_row = {v: i for i, v in enumerate(data.vacancies["vacancy_id"])}
    out, missing = [], []
    for p in pins:
        e, v = emp_row.get(p.employee), vac_row.get(p.vacancy)
        found = np.zeros(0, dtype=np.int64)
        if e is not None and v is not None:
            lo, hi = np.searchsorted(arc_v, [v, v + 1])  # arcs are sorted by vacancy
            found = lo + np.flatnonzero(cand_rows[arc_c[lo:hi]] == e)
        if len(found):
            out.append(int(found[0]))
        else:
            missing.append(f"{p.employee} -> {p.vacancy}")
    if missing:
        raise InfeasibleError(
            "pinned placement(s) not possible because the pair is not eligible or not in this "
            f"run: {', '.join(missing)}; see eligibility.csv of an unpinned run for the rules "
            "that exclude them, or remove the pin"
        )
    return np.array(sorted(out), dtype=np.int64)
