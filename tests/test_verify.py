"""merit verify: hashes of every file and a byte-identical re-run; any changed byte is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.execute import execute
from merit.io.write import write_tables
from merit.synth import synthesize
from merit.verify import verify


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("verify")
    write_tables(synthesize(employees=200, vacancies=8, seed=21), root / "data")
    (root / "s.toml").write_text('name = "verify-test"\ndata = "data"\n', encoding="utf-8")
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


def test_an_intact_run_verifies(run: Path) -> None:
    assert verify(run) == []
    result = CliRunner().invoke(main, ["verify", str(run)])
    assert result.exit_code == 0 and "byte-identical" in result.output


def test_any_changed_byte_in_any_file_fails(run: Path) -> None:
    names = sorted(p.name for p in run.iterdir())
    assert {"manifest.json", "placements.csv", "report.html", "audit.json"} <= set(names)
    for name in names:
        copy = run.parent / f"copy-{name}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(run, copy)
        data = bytearray((copy / name).read_bytes())
        data[len(data) // 2] ^= 0x01
        (copy / name).write_bytes(bytes(data))
        problems = verify(copy, rerun=name == "placements.csv")
        assert any(p.startswith(name) or name == "manifest.json" for p in problems), (
            name,
            problems,
        )
        result = CliRunner().invoke(main, ["verify", "--no-rerun", str(copy)])
        assert result.exit_code == 1
        shutil.rmtree(copy)


def test_changed_input_data_is_caught_by_the_rerun(run: Path, tmp_path: Path) -> None:
    copy = run.parent / "copy-data-change"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(run, copy)
    data = run.parent / "data" / "employees.csv"
    original = data.read_bytes()
    try:
        data.write_bytes(original.replace(b",none,", b",berat,", 3))
        problems = verify(copy)
        assert problems, "a changed input must not verify"
    finally:
        data.write_bytes(original)
        shutil.rmtree(copy)


def test_measured_run_records_peak_memory_and_still_verifies(tmp_path: Path) -> None:
    """--measure puts peak memory and stage times in the manifest; verify ignores that block
    only: everything else must still be byte-identical."""
    write_tables(synthesize(employees=120, vacancies=5, seed=4), tmp_path / "data")
    (tmp_path / "s.toml").write_text('name = "measured"\ndata = "data"\n', encoding="utf-8")
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main, ["run", str(tmp_path / "s.toml"), "--out", str(out), "--quiet", "--measure"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    block = manifest["measured"]
    assert block["peak_memory_mb"] > 10
    assert set(block["stage_seconds"]) >= {"eligibility", "scoring", "solving"}
    assert verify(out) == []
    # the rest of the manifest is still checked: a changed byte outside the block is caught
    path = out / "manifest.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"name": "measured"', '"name": "measureX"'),
        encoding="utf-8",
    )
    assert any("manifest.json" in p for p in verify(out))


def test_a_run_without_audit_verifies_and_can_be_audited_later(tmp_path: Path) -> None:
    """--no-audit (for runs too large for the audit) writes no audit.json; verify re-runs it
    the same way; `merit audit` adds the audit later and the folder still verifies."""
    write_tables(synthesize(employees=120, vacancies=5, seed=5), tmp_path / "data")
    (tmp_path / "s.toml").write_text('name = "no-audit"\ndata = "data"\n', encoding="utf-8")
    out = tmp_path / "run"
    args = ["run", str(tmp_path / "s.toml"), "--out", str(out), "--quiet", "--no-audit"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Audit independen: tidak dijalankan" in result.output
    assert not (out / "audit.json").exists() and (out / "report.html").is_file()
    assert verify(out) == []
    assert CliRunner().invoke(main, ["audit", str(out)]).exit_code == 0
    assert (out / "audit.json").is_file()
    assert verify(out) == []
