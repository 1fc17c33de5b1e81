"""Exit codes tell the truth and scenarios are checked against the data (issue 15, rows H, I
and the weights note): a negative budget is refused, an infeasible run exits 3 and writes
nothing, a failed audit exits 1, a name the data does not have is an error with the nearest
known names, and weights that do not sum to 1 are normalised with a note."""

from __future__ import annotations

import dataclasses
import importlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner, Result

import merit
from merit.audit.checks import Finding
from merit.cli import main
from merit.errors import InfeasibleError, ScenarioError
from merit.io.scenario_file import read_scenario
from merit.io.write import write_tables
from merit.synth import synthesize

EXECUTE = importlib.import_module("merit.execute")
BASE = 'name = "checks"\ndata = "data"\nseed = 3\n'


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checks")
    tables = synthesize(employees=200, vacancies=8, seed=33)
    write_tables(tables, root / "data")
    (root / "base.toml").write_text(BASE, encoding="utf-8")
    assert run(root, "base.toml", "base").exit_code == 0
    return root


def run(root: Path, scenario: str, out: str) -> Result:
    args = ["run", str(root / scenario), "--out", str(root / out), "--quiet"]
    return CliRunner().invoke(main, args)


def scenario(root: Path, name: str, text: str) -> str:
    (root / name).write_text(BASE + text, encoding="utf-8")
    return name


def test_row_h_a_negative_budget_is_refused_by_the_scenario(root: Path) -> None:
    """Row H: budget = -5 ran, filled nothing, failed its audit, and exited 0."""
    name = scenario(root, "negative.toml", "[constraints]\nbudget = -5\n")
    with pytest.raises(ScenarioError) as err:
        read_scenario(root / name)
    assert err.value.problems[0].column == "constraints.budget"
    assert "cannot be negative" in str(err.value)
    result = run(root, name, "negative")
    assert result.exit_code == 2 and "cannot be negative" in result.output
    assert not (root / "negative").exists()


def infeasible(root: Path) -> str:
    """One vacancy, its best candidate pinned to it, and a budget of 0 that the pin's
    allowance exceeds: no placement can hold (leaving the post empty breaks the pin)."""
    rank = pd.read_csv(root / "base" / "rankings.csv", dtype=str)
    vac = pd.read_csv(root / "data" / "vacancies.csv", dtype=str).set_index("vacancy_id")
    emp = pd.read_csv(root / "data" / "employees.csv", dtype=str).set_index("employee_id")
    cost = rank["vacancy_id"].map(vac["allowance"].astype(int)) - rank["employee_id"].map(
        emp["current_allowance"].fillna("0").astype(int)
    )
    pick = rank[cost > 0].iloc[0]
    return scenario(
        root,
        "infeasible.toml",
        f'[vacancies]\ninclude = ["{pick.vacancy_id}"]\n[constraints]\nbudget = 0\n'
        f'[[constraints.pinned]]\nvacancy = "{pick.vacancy_id}"\n'
        f'employee = "{pick.employee_id}"\n',
    )


def test_row_h_an_infeasible_run_exits_3_in_words_and_writes_nothing(root: Path) -> None:
    """Row H: the infeasible run exited 0 and unfilled.csv blamed a time limit not hit."""
    name = infeasible(root)
    result = run(root, name, "infeasible")
    assert result.exit_code == 3, result.output
    assert "no placement satisfies" in result.output and "budget = 0" in result.output
    assert "time limit" not in result.output
    assert not (root / "infeasible").exists()
    with pytest.raises(InfeasibleError):
        merit.place(merit.load(root / "data"), read_scenario(root / name))


def test_row_h_a_failed_audit_exits_1_with_the_findings(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = EXECUTE.audit

    def failing(
        folder: Path, data: Path | None = None, progress: Any = None, dataset: Any = None
    ) -> Any:
        report = real(folder, data, progress, dataset)
        finding = Finding("AUD-SCORE", "score of VAC-X differs", "skor VAC-X berbeda")
        doc = {**report.document, "ok": False, "findings": [finding.to_dict()]}
        return dataclasses.replace(report, ok=False, findings=[finding], document=doc)

    monkeypatch.setattr(EXECUTE, "audit", failing)
    result = run(root, "base.toml", "audit-failed")
    assert result.exit_code == 1, result.output
    assert "audit FAILED" in result.output and "AUD-SCORE: score of VAC-X differs" in result.output
    assert (root / "audit-failed" / "audit.json").is_file()  # kept, to be read
    # the run took its verdict from the report it wrote: the same as audit.json gives
    from_file = EXECUTE.verdict(None, root / "audit-failed")
    assert from_file is not None and str(from_file) in result.output


def test_row_i_names_the_data_does_not_have_are_errors_with_the_nearest(root: Path) -> None:
    """Row I: a misspelt priority-tier unit was accepted without a word."""
    vac = pd.read_csv(root / "data" / "vacancies.csv", dtype=str)
    unit, vid = vac["unit"].iloc[0], vac["vacancy_id"].iloc[0]
    emp = pd.read_csv(root / "data" / "employees.csv", dtype=str)["employee_id"].iloc[0]
    typo = unit[:-2] + unit[-1]  # one letter lost
    name = scenario(
        root,
        "typos.toml",
        f'[[priority_tiers]]\nname = "first"\nunits = ["{typo}", "{unit}"]\n'
        f'[vacancies]\nexclude = ["{vid}X"]\n'
        f'[[constraints.pinned]]\nvacancy = "{vid}"\nemployee = "{emp[:-1]}"\n'
        f'[[constraints.forbidden]]\nvacancy = "VAC-9999"\nemployee = "{emp}"\n',
    )
    result = run(root, name, "typos")
    assert result.exit_code == 2, result.output
    assert not (root / "typos").exists()
    for key in (
        "priority_tiers.0.units",
        "vacancies.exclude",
        "constraints.pinned.0.employee",
        "constraints.forbidden.0.vacancy",
    ):
        assert f"key {key}" in result.output, (key, result.output)
    assert f"did you mean {unit!r}" in result.output
    assert f"did you mean {vid!r}" in result.output
    assert "tidak ada dalam data" in result.output  # Indonesian line too
    with pytest.raises(ScenarioError, match="did you mean") as err:  # the library too
        merit.place(merit.load(root / "data"), read_scenario(root / name))
    assert len(err.value.problems) == 4


def test_weights_that_do_not_sum_to_1_are_normalised_with_a_note(root: Path) -> None:
    name = scenario(root, "weights.toml", "[weights]\njpm = 0.8\n")  # others default: 1.4
    result = run(root, name, "weights")
    assert result.exit_code == 0, result.output
    assert "note: weights sum to 1.4, not 1" in result.output
    manifest = json.loads((root / "weights" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario"]["notes"][0].startswith("weights sum to 1.4")
    base = json.loads((root / "base" / "manifest.json").read_text(encoding="utf-8"))
    assert "notes" not in base["scenario"]  # defaults sum to 1: no note, manifest unchanged
