"""What `merit run` and `merit audit` may do at --out (issue 15, rows A-D and the leftovers):
one writer at a time, nothing replaced that merit did not write, located errors before the
solve, an interrupted audit that changes nothing, and leftovers of killed runs cleaned."""

from __future__ import annotations

import fcntl
import importlib
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from merit.cli import main
from merit.io.write import write_tables
from merit.synth import synthesize
from merit.verify import verify

EXECUTE = importlib.import_module("merit.execute")  # `merit.execute` is also a function
DESTINATION = importlib.import_module("merit.io.destination")
AUDIT_CLI = importlib.import_module("merit.cli.audit_commands")
SCENARIO = 'name = "outdir"\ndata = "data"\nseed = 7\n'


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("outdir")
    write_tables(synthesize(employees=150, vacancies=6, seed=15), root / "data")
    (root / "s.toml").write_text(SCENARIO, encoding="utf-8")
    assert run(root, "good").exit_code == 0
    return root


def run(root: Path, out: str, *extra: str) -> Result:
    args = ["run", str(root / "s.toml"), "--out", str(root / out), "--quiet", *extra]
    return CliRunner().invoke(main, args)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def no_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the placement was solved before --out was checked")

    monkeypatch.setattr(EXECUTE, "place", refuse)


def refused(result: Result, *words: str) -> None:
    """Exit 2, a sentence saying why (each of ``words``), and no traceback."""
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    for w in words:
        assert w in result.output, (w, result.output)


def test_row_a_an_interrupted_audit_changes_nothing(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row A: `merit audit` stopped while writing report.xlsx left it at 0 bytes."""
    folder = root / "row-a"
    shutil.copytree(root / "good", folder)
    before = snapshot(root)

    def cut(run: Path) -> None:
        (Path(run) / "report.xlsx").write_bytes(b"")  # the kill lands mid-write
        raise KeyboardInterrupt

    monkeypatch.setattr(EXECUTE, "write_report", cut)
    monkeypatch.setattr(AUDIT_CLI, "write_report", cut, raising=False)  # where it was called
    result = CliRunner().invoke(main, ["audit", str(folder)])
    assert result.exit_code != 0  # click turns the interrupt into "Aborted!"
    monkeypatch.undo()
    assert snapshot(root) == before  # not a byte changed, no hidden leftover either
    assert verify(folder, rerun=False) == []
    assert CliRunner().invoke(main, ["audit", str(folder)]).exit_code == 0
    assert snapshot(root) == before  # the completed audit reproduces the same bytes


def test_row_b_a_second_writer_of_the_same_out_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row B: two runs into one --out both exited 0 and one replaced the other."""
    no_solve(monkeypatch)
    lock = root / ".row-b.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # what a running `merit run --out row-b` holds
        os.write(fd, b"4242\n")
        refused(run(root, "row-b"), "being written by another merit process", "4242")
        refused(run(root, "row-b", "--force"), "another merit process")
        assert not (root / "row-b").exists()
    finally:
        os.close(fd)
        lock.unlink()


def test_row_b_force_never_deletes_a_file_the_user_put_in_the_run_folder(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = root / "row-b-user"
    shutil.copytree(root / "good", folder)
    (folder / "catatan.txt").write_text("keputusan rapat Baperjakat", encoding="utf-8")
    (folder / "lampiran").mkdir()
    before = snapshot(root)
    no_solve(monkeypatch)
    refused(run(root, "row-b-user", "--force"), "catatan.txt", "lampiran/", "does not list")
    assert snapshot(root) == before


def test_row_c_force_never_replaces_a_file_or_a_folder_merit_did_not_write(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row C: --out naming a file with --force: traceback, and the file moved to a hidden
    name. Now: refused before any work, whatever --out is, and nothing moves."""
    (root / "f").write_text("hi\n", encoding="utf-8")
    (root / "mine").mkdir()
    (root / "mine" / "notes.md").write_text("mine\n", encoding="utf-8")
    (root / "link").symlink_to(root / "good")
    before = snapshot(root)
    no_solve(monkeypatch)
    refused(run(root, "f", "--force"), "is a file, not a run folder", "never replaces")
    refused(run(root, "mine", "--force"), "merit did not write", "manifest.json")
    refused(run(root, "link", "--force"), "is a link")
    refused(run(root, "good"), "already exists", "--force")
    assert snapshot(root) == before


def test_row_d_an_out_under_a_file_is_refused_before_the_solve(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row D: --out under a file gave an OSError traceback after the whole solve."""
    (root / "pf").write_text("hi\n", encoding="utf-8")
    before = snapshot(root)
    no_solve(monkeypatch)
    refused(run(root, "pf/run"), "pf is a file, not a folder")
    refused(run(root, "pf/deeper/run"), "pf is a file, not a folder")
    assert snapshot(root) == before


def test_a_refused_run_leaves_no_folders_it_created(root: Path) -> None:
    before = snapshot(root)
    (root / "bad.toml").write_text(SCENARIO + "[constraints]\nbudget = -1\n", encoding="utf-8")
    args = ["run", str(root / "bad.toml"), "--out", str(root / "new/deep/run"), "--quiet"]
    refused(CliRunner().invoke(main, args), "cannot be negative")
    (root / "bad.toml").unlink()
    assert snapshot(root) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only folders; test_faults")
def test_row_d_a_read_only_folder_is_refused_before_the_solve(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ro = root / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    no_solve(monkeypatch)
    try:
        refused(run(root, "ro/run"), "cannot write in", "ro")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_force_replaces_a_run_folder_whole(root: Path) -> None:
    folder = root / "replaced"
    shutil.copytree(root / "good", folder)
    (root / "s2.toml").write_text(SCENARIO.replace("seed = 7", "seed = 8"), encoding="utf-8")
    args = ["run", str(root / "s2.toml"), "--out", str(folder), "--quiet", "--force"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert (folder / "manifest.json").read_bytes() != (root / "good" / "manifest.json").read_bytes()
    assert verify(folder, rerun=False) == []
    assert not [p for p in root.iterdir() if p.name.startswith(".replaced.")]


def test_leftovers_of_killed_runs_are_removed_and_said(root: Path) -> None:
    """A killed run left `.out.tmp-PID` folders (16 MB each) that nothing removed."""
    for pid in (999_991, 999_992):
        stale = root / f".fresh.tmp-{pid}"
        stale.mkdir()
        (stale / "rankings.csv").write_text("half a file", encoding="utf-8")
    released = root / ".fresh.tmp-999994"  # a staged copy with a released named list
    (released / "release").mkdir(parents=True)
    (released / "release" / "daftar.html").write_text("half", encoding="utf-8")
    user = root / ".fresh.tmp-999993"  # same pattern, but nested folders: not merit's
    (user / "sub" / "deeper").mkdir(parents=True)
    result = run(root, "fresh")
    assert result.exit_code == 0, result.output
    assert "removed" in result.output and ".fresh.tmp-999991" in result.output
    assert not (root / ".fresh.tmp-999991").exists()
    assert not (root / ".fresh.tmp-999992").exists()
    assert not released.exists()
    assert (user / "sub" / "deeper").is_dir() and "left" in result.output


def test_an_interrupted_swap_is_undone_by_the_next_command(root: Path) -> None:
    """Without an atomic exchange the previous folder is renamed aside first; if the process
    is killed right then, the next merit command on that --out puts it back."""
    shutil.copytree(root / "good", root / ".swapped.old-999994")
    result = run(root, "swapped")  # it was restored, so it is there and needs --force
    assert result.exit_code == 2 and "already exists" in result.output, result.output
    assert "restored" in result.output
    assert verify(root / "swapped", rerun=False) == []


def test_verify_names_an_added_folder_or_link(root: Path) -> None:
    """verify ignored an added subfolder."""
    folder = root / "added"
    shutil.copytree(root / "good", folder)
    (folder / "extra").mkdir()
    (folder / "alias.csv").symlink_to(folder / "placements.csv")
    problems = verify(folder, rerun=False)
    assert any(p.startswith("extra/") for p in problems), problems
    assert any(p.startswith("alias.csv") for p in problems), problems
    result = CliRunner().invoke(main, ["verify", "--no-rerun", str(folder)])
    assert result.exit_code == 1


def test_without_an_atomic_exchange_force_still_replaces_the_folder_whole(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system without renameat2's exchange the old folder is renamed aside first
    (a kill in between is undone by the next command, as tested above)."""
    monkeypatch.setattr(DESTINATION, "_exchange", lambda a, b: False)
    folder = root / "no-exchange"
    shutil.copytree(root / "good", folder)
    (root / "s3.toml").write_text(SCENARIO.replace("seed = 7", "seed = 9"), encoding="utf-8")
    args = ["run", str(root / "s3.toml"), "--out", str(folder), "--quiet", "--force"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert (folder / "manifest.json").read_bytes() != (root / "good" / "manifest.json").read_bytes()
    assert verify(folder, rerun=False) == []
    assert not [p for p in root.iterdir() if p.name.startswith(".no-exchange.")]


def test_audit_never_drops_a_file_the_user_put_in_the_run_folder(root: Path) -> None:
    folder = root / "audit-user"
    shutil.copytree(root / "good", folder)
    (folder / "catatan.txt").write_text("dibaca Inspektorat", encoding="utf-8")
    before = snapshot(root)
    result = CliRunner().invoke(main, ["audit", str(folder)])
    refused(result, "catatan.txt", "does not list")
    assert snapshot(root) == before


def test_leftovers_of_other_killed_runs_in_the_folder_are_removed_too(root: Path) -> None:
    """A killed run whose --out is never used again: the next run beside it cleans up,
    under that folder's own lock, so a live writer's work is never touched."""
    stale = root / ".abandoned.tmp-999995"
    stale.mkdir()
    (stale / "eligibility.csv").write_text("half", encoding="utf-8")
    live = root / ".busy.tmp-999996"
    live.mkdir()
    (live / "rankings.csv").write_text("being written", encoding="utf-8")
    fd = os.open(root / ".busy.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # a live `merit run --out busy`
        result = run(root, "neighbour")
        assert result.exit_code == 0, result.output
        assert not stale.exists() and ".abandoned.tmp-999995" in result.output
        assert (live / "rankings.csv").is_file()
    finally:
        os.close(fd)
        (root / ".busy.lock").unlink()
        shutil.rmtree(live)
