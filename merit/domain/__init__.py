"""Pure, frozen domain data: vocabularies, input row models and the scenario. No I/O here."""

from merit.domain.enums import (
    EducationLevel,
    EmploymentStatus,
    Golongan,
    LeadershipTraining,
    LegalStanding,
    PositionLevel,
    Potential,
    Predikat,
    RelationKind,
    Sanction,
)
from merit.domain.models import (
    REQUIRED_TABLES,
    TABLES,
    CompetencyAssessment,
    CompetencyDefinition,
    CompetencyStandard,
    Employee,
    PerformanceRecord,
    ProtectedAttributes,
    Relation,
    Row,
    Vacancy,
)
from merit.domain.scenario import Scenario

__all__ = [
    "REQUIRED_TABLES",
    "TABLES",
    "CompetencyAssessment",
    "CompetencyDefinition",
    "CompetencyStandard",
    "EducationLevel",
    "Employee",
    "EmploymentStatus",
    "Golongan",
    "LeadershipTraining",
    "LegalStanding",
    "PerformanceRecord",
    "PositionLevel",
    "Potential",
    "Predikat",
    "ProtectedAttributes",
    "Relation",
    "RelationKind",
    "Row",
    "Sanction",
    "Scenario",
    "Vacancy",
]
