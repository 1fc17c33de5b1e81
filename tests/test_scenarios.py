"""Every scenario under scenarios/ runs end to end and checks its own [expect] section."""

from __future__ import annotations

from pathlib import Path

import pytest

from merit.audit import AUDIT_FILE
from merit.execute import execute
from merit.io.scenario_file import read_scenario
from merit.runfolder import read_manifest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.toml"))


def test_there_are_scenarios() -> None:
    names = {p.stem for p in SCENARIOS}
    assert {"kupang-2026", "merit-only"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_meets_its_expectations(path: Path, tmp_path: Path) -> None:
    scenario = read_scenario(path)
    out = tmp_path / path.stem
    result = execute(path, out, quiet=True)
    exp = scenario.expect
    if exp.status is not None:
        assert result.status.value.lower() == exp.status, result.solution
    if exp.min_filled is not None:
        assert result.counts["filled"] >= exp.min_filled
    if exp.max_filled is not None:
        assert result.counts["filled"] <= exp.max_filled
    if exp.priority_at_least_as is not None:
        other = execute(path.parent / exp.priority_at_least_as, tmp_path / "other", quiet=True)
        assert result.vacancies_filled_by_tier()[0] >= other.vacancies_filled_by_tier()[0]
    manifest = read_manifest(out)
    assert manifest["proven_optimal"] == (result.status.value == "OPTIMAL")
    audit_doc = (out / AUDIT_FILE).read_text(encoding="utf-8")
    assert ('"ok": true' in audit_doc) == exp.audit_passes
    assert (out / "report.html").is_file()
    assert (out / "report.xlsx").is_file()
    # the placement is reproducible byte for byte
    again = tmp_path / f"{path.stem}-again"
    execute(path, again, quiet=True)
    for f in sorted(p.name for p in out.iterdir()):
        assert (out / f).read_bytes() == (again / f).read_bytes(), f
