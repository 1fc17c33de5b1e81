"""merit: merit-only placement of Indonesian civil servants, solved exactly and audited.

import merit
data = merit.load("data/demo")
scenario = merit.Scenario.from_toml("scenarios/merit-only.toml")
result = merit.place(data, scenario)
"""

from merit.audit import AuditReport, audit
from merit.dataset import Dataset, MeritData
from merit.domain import (
    CompetencyAssessment,
    CompetencyStandard,
    Employee,
    PerformanceRecord,
    Post,
    ProtectedAttributes,
    Relation,
    Scenario,
    Vacancy,
)
from merit.domain.results import Placement, Unfilled, UnfilledReason
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
from merit.execute import execute
from merit.io.read import load, validate
from merit.pipeline import Result, place
from merit.solver import SolveStatus
from merit.synth import synthesize
from merit.verify import verify

__all__ = [
    "AuditFailure",
    "AuditReport",
    "CompetencyAssessment",
    "CompetencyStandard",
    "Dataset",
    "Employee",
    "InfeasibleError",
    "InputError",
    "MeritData",
    "MeritError",
    "PerformanceRecord",
    "Placement",
    "Post",
    "Problem",
    "ProtectedAttributes",
    "Relation",
    "Result",
    "RunFolderError",
    "Scenario",
    "ScenarioError",
    "SolveStatus",
    "SolverError",
    "Unfilled",
    "UnfilledReason",
    "Vacancy",
    "audit",
    "execute",
    "load",
    "place",
    "synthesize",
    "validate",
    "verify",
]
