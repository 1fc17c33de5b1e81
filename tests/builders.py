"""Tiny hand-built datasets for rule and component tests (test helper, not a test module)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from merit.dataset import MeritData
from merit.domain import (
    CompetencyAssessment,
    CompetencyStandard,
    Employee,
    PerformanceRecord,
    PositionHistory,
    Relation,
    Vacancy,
)
from merit.io.frames import to_frame
from merit.io.read import _builtin_dictionary

CODES = ("M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "SK.01")


def employee(**kw: Any) -> Employee:
    """A pengawas who qualifies for an administrator post under the defaults."""
    base: dict[str, Any] = {
        "employee_id": "E1",
        "status": "PNS",
        "rank": "III/d",
        "rank_since": dt.date(2022, 1, 1),
        "education_level": "S1",
        "education_field": "Ilmu Pemerintahan",
        "position_level": "pengawas",
        "position_since": dt.date(2020, 1, 1),
        "unit": "Dinas Sosial",
        "birth_date": dt.date(1980, 5, 5),
        "leadership_training": "PKA",
        "potential": "menengah",
    }
    base.update(kw)
    return Employee(**base)


def vacancy(**kw: Any) -> Vacancy:
    base: dict[str, Any] = {
        "vacancy_id": "V1",
        "title": "Kepala Bidang",
        "unit": "Dinas Sosial",
        "position_level": "administrator",
    }
    base.update(kw)
    return Vacancy(**base)


def dataset(
    employees: list[Employee],
    vacancies: list[Vacancy],
    *,
    levels: dict[str, int] | None = None,
    required: int = 3,
    predikat: dict[str, list[str]] | None = None,
    relations: list[tuple[str, str]] = (),
    history: list[PositionHistory] = (),
) -> MeritData:  # type: ignore[assignment]
    comp = [
        CompetencyAssessment(
            employee_id=e.employee_id, competency_code=c, level=(levels or {}).get(e.employee_id, 3)
        )
        for e in employees
        for c in CODES
    ]
    std = [
        CompetencyStandard(vacancy_id=v.vacancy_id, competency_code=c, required_level=required)
        for v in vacancies
        for c in CODES
    ]
    perf = [
        PerformanceRecord(employee_id=e.employee_id, year=y, predikat=p)
        for e in employees
        for y, p in zip(
            (2023, 2024, 2025), (predikat or {}).get(e.employee_id, ["Baik"] * 3), strict=True
        )
    ]
    rel = [Relation(employee_id=a, related_id=b, kind="sibling") for a, b in relations]
    return MeritData(
        employees=to_frame(Employee, list(employees)),
        competencies=to_frame(CompetencyAssessment, list(comp)),
        performance=to_frame(PerformanceRecord, list(perf)),
        vacancies=to_frame(Vacancy, list(vacancies)),
        standards=to_frame(CompetencyStandard, list(std)),
        relations=to_frame(Relation, list(rel)),
        dictionary=_builtin_dictionary(),
        history=to_frame(PositionHistory, list(history)),
    )


def spell(level: str, start: dt.date, end: dt.date | None, **kw: Any) -> PositionHistory:
    """An earlier post of E1 (riwayat jabatan)."""
    base: dict[str, Any] = {"employee_id": "E1", "position_level": level, "start": start}
    base.update(kw)
    return PositionHistory(end=end, **base)
