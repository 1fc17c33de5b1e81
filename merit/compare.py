"""Compare two run folders: who moved, which vacancies changed occupant, score deltas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from merit.errors import RunFolderError
from merit.runfolder import read_manifest


@dataclass(frozen=True)
class RunDiff:
    """The differences between run A and run B."""

    name_a: str
    name_b: str
    filled_a: int
    filled_b: int
    changed: list[dict[str, Any]]
    """Vacancies whose occupant differs: vacancy_id, employee_a, employee_b, score_a, score_b."""
    moved: list[dict[str, Any]]
    """Employees placed in different vacancies: employee_id, vacancy_a, vacancy_b."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_a": self.name_a,
            "run_b": self.name_b,
            "filled": {"a": self.filled_a, "b": self.filled_b},
            "changed_vacancies": self.changed,
            "moved_employees": self.moved,
        }

    def render(self) -> str:
        lines = [
            f"A: {self.name_a}  filled {self.filled_a}",
            f"B: {self.name_b}  filled {self.filled_b}",
            f"{len(self.changed)} vacancies changed occupant, {len(self.moved)} employees moved",
        ]
        if self.changed:
            lines.append(
                f"{'vacancy':<12} {'employee A':<20} {'score A':>8}  "
                f"{'employee B':<20} {'score B':>8} {'delta':>8}"
            )
            for c in self.changed:
                sa, sb = c["score_a"], c["score_b"]
                delta = "" if sa is None or sb is None else f"{sb - sa:+.4f}"
                lines.append(
                    f"{c['vacancy_id']:<12} {c['employee_a'] or '-':<20} "
                    f"{'' if sa is None else f'{sa:.4f}':>8}  {c['employee_b'] or '-':<20} "
                    f"{'' if sb is None else f'{sb:.4f}':>8} {delta:>8}"
                )
        return "\n".join(lines)


def _placements(folder: Path) -> pd.DataFrame:
    path = Path(folder) / "placements.csv"
    if not path.is_file():
        raise RunFolderError(f"{folder}: placements.csv is missing; is this a merit run folder?")
    return pd.read_csv(path, dtype={"vacancy_id": str, "employee_id": str})


def _opt(value: Any) -> Any:
    return None if pd.isna(value) else value


def compare_runs(run_a: Path, run_b: Path) -> RunDiff:
    """Compare the placements of two run folders."""
    ma, mb = read_manifest(run_a), read_manifest(run_b)
    a, b = _placements(run_a), _placements(run_b)
    both = a.merge(b, on="vacancy_id", how="outer", suffixes=("_a", "_b")).sort_values("vacancy_id")
    diff = both[both["employee_id_a"].fillna("") != both["employee_id_b"].fillna("")]
    changed = [
        {
            "vacancy_id": r.vacancy_id,
            "employee_a": _opt(r.employee_id_a),
            "employee_b": _opt(r.employee_id_b),
            "score_a": _opt(r.merit_score_a),
            "score_b": _opt(r.merit_score_b),
        }
        for r in diff.itertuples()
    ]
    emp = a.merge(b, on="employee_id", how="outer", suffixes=("_a", "_b")).sort_values(
        "employee_id"
    )
    mv = emp[emp["vacancy_id_a"].fillna("") != emp["vacancy_id_b"].fillna("")]
    moved = [
        {
            "employee_id": r.employee_id,
            "vacancy_a": _opt(r.vacancy_id_a),
            "vacancy_b": _opt(r.vacancy_id_b),
        }
        for r in mv.itertuples()
    ]
    return RunDiff(ma["scenario"]["name"], mb["scenario"]["name"], len(a), len(b), changed, moved)
