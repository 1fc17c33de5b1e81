"""The public API is small, sorted, complete, and works as the README shows."""

from __future__ import annotations

from pathlib import Path

import merit

ROOT = Path(__file__).resolve().parents[1]


def test_all_is_sorted_and_exact() -> None:
    assert merit.__all__ == sorted(merit.__all__)
    public = {
        n
        for n in dir(merit)
        if not n.startswith("_") and not isinstance(getattr(merit, n), type(merit))
    }
    assert public == set(merit.__all__)


def test_readme_library_example() -> None:
    data = merit.load(ROOT / "data" / "demo")
    scenario = merit.Scenario.from_toml(ROOT / "scenarios" / "merit-only.toml")
    result = merit.place(data, scenario)
    assert result.status is merit.SolveStatus.OPTIMAL and result.proven_optimal
    records = result.placement_records()
    assert len(records) == result.counts["filled"] > 0
    assert all(isinstance(p, merit.Placement) for p in records)
    assert len({p.employee_id for p in records}) == len(records)


def test_errors_share_one_root() -> None:
    for name in (
        "InputError",
        "ScenarioError",
        "InfeasibleError",
        "SolverError",
        "RunFolderError",
        "AuditFailure",
    ):
        assert issubclass(getattr(merit, name), merit.MeritError)
