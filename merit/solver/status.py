"""The solver's outcome in merit's own terms; every backend status is translated here, once."""

from __future__ import annotations

from enum import StrEnum

from ortools.graph.python import max_flow, min_cost_flow
from ortools.sat.python import cp_model

from merit.errors import SolverError


class SolveStatus(StrEnum):
    """What the optimiser established about the placement it returns."""

    OPTIMAL = "OPTIMAL"
    """Proven optimal for the whole lexicographic objective."""
    FEASIBLE = "FEASIBLE"
    """A lawful placement, but optimality was not proven within the time limit."""
    INFEASIBLE = "INFEASIBLE"
    """The pinned placements and side constraints cannot all hold."""
    NOT_SOLVED = "NOT_SOLVED"
    """The time limit ran out before any placement was found."""


_MCF = min_cost_flow.SimpleMinCostFlow
#: SimpleMinCostFlow status -> SolveStatus, or None for statuses that mean merit built a bad model.
MIN_COST_FLOW: dict[object, SolveStatus | None] = {
    _MCF.OPTIMAL: SolveStatus.OPTIMAL,
    _MCF.FEASIBLE: SolveStatus.FEASIBLE,
    _MCF.INFEASIBLE: SolveStatus.INFEASIBLE,
    _MCF.UNBALANCED: SolveStatus.INFEASIBLE,
    _MCF.NOT_SOLVED: SolveStatus.NOT_SOLVED,
    _MCF.BAD_RESULT: None,
    _MCF.BAD_COST_RANGE: None,
    _MCF.BAD_CAPACITY_RANGE: None,
}
_MF = max_flow.SimpleMaxFlow
MAX_FLOW: dict[object, SolveStatus | None] = {
    _MF.OPTIMAL: SolveStatus.OPTIMAL,
    _MF.POSSIBLE_OVERFLOW: None,
    _MF.BAD_INPUT: None,
    _MF.BAD_RESULT: None,
}
CP_SAT: dict[object, SolveStatus | None] = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.UNKNOWN: SolveStatus.NOT_SOLVED,
    cp_model.MODEL_INVALID: None,
}


class CostRangeError(SolverError):
    """SimpleMinCostFlow found the arc costs too large for its scaled arithmetic."""


def translate(table: dict[object, SolveStatus | None], status: object, backend: str) -> SolveStatus:
    """Map a backend status; a status that signals a modelling bug raises ``SolverError``."""
    if status not in table:
        raise SolverError(
            f"{backend} returned status {status!r}, which merit does not know; "
            "please report this with the run's manifest"
        )
    mapped = table[status]
    if status == _MCF.BAD_COST_RANGE and table is MIN_COST_FLOW:
        raise CostRangeError(
            f"{backend} found the arc costs too large (BAD_COST_RANGE); merit retries with "
            "fewer tie-break bits, so seeing this means even plain scores did not fit"
        )
    if mapped is None:
        raise SolverError(
            f"{backend} rejected the model (status {status!r}); this is a bug in "
            "merit's formulation, please report it with the run's manifest"
        )
    return mapped
