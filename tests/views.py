"""Build SolverViews for solver tests from plain lists (test helper, not a test module)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from merit.view import SolverView

ORLIB = Path(__file__).parent / "data" / "orlib"
#: OR-Library's published optima (assignopt.txt), minimum total cost.
ORLIB_OPTIMA = {
    "assign100": 305,
    "assign200": 475,
    "assign300": 626,
    "assign400": 804,
    "assign500": 991,
    "assign600": 1176,
    "assign700": 1362,
    "assign800": 1552,
    "assignp800": 2239,
    "assignp1500": 5839,
    "assignp3000": 18696,
    "assignp5000": 48533,
}


def make_view(
    n_cand: int,
    n_vac: int,
    arcs: list[tuple[int, int, int]],
    *,
    tiebreak: list[int] | None = None,
    bits: int = 4,
    tiers: list[int] | None = None,
    units: list[int] | None = None,
    max_moves: int | None = None,
    vac_cost: list[int] | None = None,
    freed: list[int] | None = None,
    budget: int | None = None,
    pinned: list[int] | None = None,
) -> SolverView:
    arcs = sorted(arcs, key=lambda a: (a[1], a[0]))
    i64 = lambda xs: np.asarray(xs, dtype=np.int64)  # noqa: E731
    tiers = tiers or [0] * n_vac
    return SolverView(
        n_candidates=n_cand,
        n_vacancies=n_vac,
        arc_candidate=i64([a[0] for a in arcs]),
        arc_vacancy=i64([a[1] for a in arcs]),
        arc_score=i64([a[2] for a in arcs]),
        candidate_tiebreak=i64(tiebreak or [0] * n_cand),
        tiebreak_bits=bits,
        vacancy_tier=i64(tiers),
        n_tiers=max(tiers) + 1,
        candidate_unit=i64(units or [0] * n_cand),
        max_moves_per_unit=max_moves,
        vacancy_cost=i64(vac_cost or [0] * n_vac),
        candidate_freed_cost=i64(freed or [0] * n_cand),
        budget=budget,
        pinned_arcs=i64(pinned or []),
        time_limit_seconds=30.0,
        seed=1,
    )


def read_orlib(name: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """n, and (row, col, cost) arrays 0-based, of an OR-Library assignment instance."""
    tokens = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(tokens[0])
    rest = tokens[1:]
    if name.startswith("assignp"):
        triples = rest.reshape(-1, 3)
        return n, triples[:, 0] - 1, triples[:, 1] - 1, triples[:, 2]
    assert len(rest) == n * n, f"{name}: expected {n * n} costs, found {len(rest)}"
    rows, cols = np.divmod(np.arange(n * n), n)
    return n, rows, cols, rest


def orlib_view(name: str, budget: int | None = None) -> SolverView:
    n, r, c, cost = read_orlib(name)
    order = np.lexsort((r, c))
    return SolverView(
        n_candidates=n,
        n_vacancies=n,
        arc_candidate=r[order],
        arc_vacancy=c[order],
        arc_score=100 - cost[order],
        candidate_tiebreak=np.zeros(n, np.int64),
        tiebreak_bits=0,
        vacancy_tier=np.zeros(n, np.int64),
        n_tiers=1,
        candidate_unit=np.zeros(n, np.int64),
        max_moves_per_unit=None,
        vacancy_cost=np.zeros(n, np.int64),
        candidate_freed_cost=np.zeros(n, np.int64),
        budget=budget,
        pinned_arcs=np.zeros(0, np.int64),
        time_limit_seconds=120.0,
        seed=1,
    )
