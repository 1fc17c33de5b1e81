"""merit: merit-only placement of Indonesian civil servants, solved exactly and audited."""

from merit.errors import (
    AuditFailure,
    InfeasibleError,
    InputError,
    MeritError,
    Problem,
    RunFolderError,
    ScenarioError,
    SolverError,
)

__all__ = [
    "AuditFailure",
    "InfeasibleError",
    "InputError",
    "MeritError",
    "Problem",
    "RunFolderError",
    "ScenarioError",
    "SolverError",
]
