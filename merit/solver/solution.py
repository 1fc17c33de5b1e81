"""The solver's answer: chosen arcs, status, objective values by stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from merit.solver.status import SolveStatus
from merit.view import IntArray, SolverView


@dataclass(frozen=True, eq=False)
class Solution:
    """A placement over the view's arcs and what the backend proved about it."""

    status: SolveStatus
    method: str
    """'min_cost_flow' (OR-Tools SimpleMinCostFlow) or 'cp_sat' (OR-Tools CP-SAT)."""
    chosen_arcs: IntArray
    filled_by_tier: tuple[int, ...]
    total_score: int
    total_tiebreak: int
    tiebreak_bits_used: int
    """Bits of the tie-break key the objective could carry exactly (low bits dropped first)."""
    ortools_version: str
    stage_values: tuple[int | None, ...] = ()
    """Objective value reached in each lexicographic stage (CP-SAT)."""
    stage_bounds: tuple[int | None, ...] = ()
    """Best proven bound of each stage (CP-SAT); equal to the value when proven optimal."""
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def proven_optimal(self) -> bool:
        return self.status is SolveStatus.OPTIMAL

    def to_record(self) -> dict[str, Any]:
        """JSON-ready facts for the manifest (no wall-clock time: outputs stay reproducible)."""
        return {
            "method": self.method,
            "status": self.status.value,
            "proven_optimal": self.proven_optimal,
            "filled_by_tier": list(self.filled_by_tier),
            "total_score": self.total_score,
            "total_tiebreak": self.total_tiebreak,
            "tiebreak_bits_used": self.tiebreak_bits_used,
            "stage_values": list(self.stage_values),
            "stage_bounds": list(self.stage_bounds),
            "ortools_version": self.ortools_version,
            "stats": dict(sorted(self.stats.items())),
        }


def summarise(view: SolverView, chosen: IntArray) -> tuple[tuple[int, ...], int, int]:
    """Fill per tier, total score and total tie-break of a set of arcs (in a chain round: posts
    held after the round, every holder's score, the movers' tie-break)."""
    chosen = np.sort(np.asarray(chosen, dtype=np.int64))
    tiers = np.bincount(view.vacancy_tier[view.arc_vacancy[chosen]], minlength=view.n_tiers)
    score = int(view.arc_score[chosen].sum())
    movers = chosen[~view.arc_is_stay(chosen)]  # a chain round's stays break no tie
    tb = int(view.candidate_tiebreak[view.arc_candidate[movers]].sum())
    return tuple(int(x) for x in tiers), score, tb
