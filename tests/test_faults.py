"""Fault injection (issue 15): `merit run`, `merit audit`, `merit release` and `merit verify`
killed (SIGKILL) at random instants, two writers at once, a read-only and a full destination.

The property is always the same: the run folder at --out is the previous good one, byte for
byte, or the complete new one (byte-identical to an uninterrupted run, so it verifies); and
nothing else on disk changed, apart from hidden leftovers beside --out that the next merit
command on that --out removes.

Commands run in processes forked from one warmed-up worker (tests/fault_worker.py), so each
kill lands in the work, not in Python's start-up. MERIT_FAULT_KILLS sets the number of kill
points per kind (default 25: 50 for `merit run`, 25 for `merit audit`, 12 for `merit release`,
8 for `merit verify`),
MERIT_FAULT_SEED their random instants.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from merit.io.write import write_tables
from merit.synth import synthesize
from merit.verify import verify

pytestmark = pytest.mark.slow
KILLS = int(os.environ.get("MERIT_FAULT_KILLS", "25"))
SEED = int(os.environ.get("MERIT_FAULT_SEED", "15"))
WORKER = Path(__file__).with_name("fault_worker.py")
SCENARIO = 'name = "faults"\ndata = "../data"\nseed = {seed}\n'


class Worker:
    """One warmed-up worker process; ``run`` forks the commands and waits for them."""

    def __init__(self, base: Path, warm: list[str]) -> None:
        self.base = base
        self.n = 0
        spec = json.dumps({"cwd": str(base), "args": warm})
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert json.loads(self._line()) == {"ready": True}

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the fault worker died"
        return line

    def run(self, *cmds: dict[str, Any]) -> tuple[list[dict[str, Any]], float]:
        runs = []
        for cmd in cmds:
            self.n += 1
            log = Path(tempfile.gettempdir()) / f"merit-fault-log-{os.getpid()}-{self.n}"
            runs.append({"cwd": str(self.base), "log": str(log), **cmd})
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"runs": runs}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self._line())
        for r, cmd in zip(answer["results"], runs, strict=True):
            log = Path(cmd["log"])  # absent when the kill came before the child opened it
            r["output"] = log.read_text(errors="replace") if log.exists() else ""
            log.unlink(missing_ok=True)
        return answer["results"], answer["seconds"]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture(scope="module")
def base() -> Iterator[Path]:
    # not under pytest's tmp_path: its 0700 parents would stop the unprivileged child
    base = Path(tempfile.mkdtemp(prefix="merit-faults-"))
    base.chmod(0o755)
    try:
        write_tables(synthesize(employees=300, vacancies=12, seed=15), base / "data")
        runs = base / "runs"
        runs.mkdir()
        for seed in (1, 2):
            (runs / f"s{seed}.toml").write_text(SCENARIO.format(seed=seed), encoding="utf-8")
        (runs / "keep.txt").write_text("a file of the user's\n", encoding="utf-8")
        for p in (base, *base.rglob("*")):
            p.chmod(0o755 if p.is_dir() else 0o644)
        yield base
    finally:
        shutil.rmtree(base)


@pytest.fixture(scope="module")
def worker(base: Path) -> Iterator[Worker]:
    w = Worker(base, ["run", "runs/s1.toml", "--out", "runs/warm", "--quiet"])
    yield w
    w.close()
    shutil.rmtree(base / "runs" / "warm", ignore_errors=True)


def leftover(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(name)}\.(lock|(tmp|old|verify)-\d+)$")


def tree(folder: Path) -> dict[str, bytes | None]:
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
    }


def world(base: Path, out: Path) -> dict[str, bytes | None]:
    """Everything under ``base`` but ``out`` and the hidden leftovers beside it."""
    hidden = leftover(out.name)
    skip = [out, *(p for p in out.parent.iterdir() if hidden.match(p.name))]
    return {
        str(p.relative_to(base)): None if p.is_dir() else p.read_bytes()
        for p in sorted(base.rglob("*"))
        if not any(p == s or s in p.parents for s in skip)
    }


def leftovers(out: Path) -> list[str]:
    hidden = leftover(out.name)
    return sorted(p.name for p in out.parent.iterdir() if hidden.match(p.name))


def run_args(scenario: str, out: str, *extra: str) -> list[str]:
    return ["run", f"runs/{scenario}.toml", "--out", f"runs/{out}", "--quiet", *extra]


def assert_one_of(out: Path, allowed: dict[str, dict[str, bytes | None]], label: str) -> str:
    """``out`` is exactly one of the ``allowed`` states; returns which."""
    now = tree(out)
    for name, state in allowed.items():
        if now == state:
            return name
    raise AssertionError(f"{label}: {out} is none of {sorted(allowed)}: {sorted(now)}")


def kill_points(cmd: dict[str, Any], seconds: float, n: int) -> list[float]:
    rng = random.Random(f"{SEED}-{cmd['args']}")
    return [rng.uniform(0, seconds * 1.1) for _ in range(n)]


def killed_runs(
    worker: Worker,
    base: Path,
    out: Path,
    cmd: dict[str, Any],
    before: dict[str, bytes | None],
    after: dict[str, bytes | None],
    seconds: float,
    reset: Any,
    n: int = KILLS,
) -> dict[str, int]:
    """Kill ``cmd`` at random instants; after each, ``out`` is ``before`` or ``after``."""
    seen = {"before": 0, "after": 0, "killed": 0}
    others = world(base, out)
    for i, at in enumerate(kill_points(cmd, seconds, n)):
        reset()
        [r], _ = worker.run({**cmd, "kill_after": at})
        assert r["killed"] or r["code"] == 0, r["output"]
        seen["killed"] += r["killed"]
        seen[assert_one_of(out, {"before": before, "after": after}, f"kill {i} at {at:.3f}s")] += 1
        assert world(base, out) == others, f"kill {i} at {at:.3f}s changed something else"
    return seen


def test_run_killed_anywhere_leaves_the_old_folder_or_the_complete_new_one(
    base: Path, worker: Worker
) -> None:
    runs = base / "runs"
    out = runs / "r"
    # a new --out: absent, or complete
    [r], seconds = worker.run({"args": run_args("s1", "r")})
    assert r["code"] == 0, r["output"]
    first = tree(out)

    def absent() -> None:
        shutil.rmtree(out, ignore_errors=True)

    seen = killed_runs(worker, base, out, {"args": run_args("s1", "r")}, {}, first, seconds, absent)
    assert seen["killed"] >= KILLS // 2, seen  # the instants fall inside the work
    # --force over a good run: the old one, or the complete new one
    absent()
    worker.run({"args": run_args("s1", "r")})
    [r], seconds = worker.run({"args": run_args("s2", "r", "--force")})
    assert r["code"] == 0, r["output"]
    second = tree(out)
    assert second != first

    def old() -> None:
        if tree(out) != first:
            [r], _ = worker.run({"args": run_args("s1", "r", "--force")})
            assert r["code"] == 0, r["output"]

    seen = killed_runs(
        worker, base, out, {"args": run_args("s2", "r", "--force")}, first, second, seconds, old
    )
    assert seen["killed"] >= KILLS // 2 and seen["before"], seen
    # the next command on this --out removes every leftover; the folder verifies
    [r], _ = worker.run({"args": run_args("s2", "r", "--force")})
    assert r["code"] == 0, r["output"]
    assert leftovers(out) == []
    assert verify(out) == []


def test_audit_killed_anywhere_leaves_the_folder_unaudited_or_audited(
    base: Path, worker: Worker
) -> None:
    runs = base / "runs"
    out = runs / "a"
    [r], _ = worker.run({"args": run_args("s1", "a", "--no-audit")})
    assert r["code"] == 0, r["output"]
    plain = tree(out)
    keep = runs.parent / "a-plain"
    shutil.copytree(out, keep)
    [r], seconds = worker.run({"args": ["audit", "runs/a"]})
    assert r["code"] == 0, r["output"]
    audited = tree(out)
    assert "audit.json" in audited and "audit.json" not in plain

    def unaudited() -> None:
        if tree(out) != plain:
            shutil.rmtree(out)
            shutil.copytree(keep, out)

    seen = killed_runs(
        worker, base, out, {"args": ["audit", "runs/a"]}, plain, audited, seconds, unaudited
    )
    assert seen["killed"] >= KILLS // 2 and seen["before"], seen
    shutil.rmtree(keep)
    [r], _ = worker.run({"args": ["audit", "runs/a"]})
    assert r["code"] == 0, r["output"]
    assert leftovers(out) == [] and tree(out) == audited


def test_two_writers_of_one_out_one_wins_the_other_is_refused(base: Path, worker: Worker) -> None:
    runs = base / "runs"
    for i in range(3):
        out = runs / f"two-{i}"
        others = world(base, out)
        results, _ = worker.run(
            {"args": run_args("s1", out.name)}, {"args": run_args("s2", out.name)}
        )
        codes = sorted(r["code"] for r in results)
        assert codes == [0, 2], results
        loser = next(r for r in results if r["code"] == 2)
        assert "another merit process" in loser["output"] or "already exists" in loser["output"]
        assert "Traceback" not in loser["output"]
        assert verify(out, rerun=False) == [] and leftovers(out) == []
        assert world(base, out) == others


def test_a_read_only_destination_is_refused_before_any_work(base: Path, worker: Worker) -> None:
    ro = base / "runs" / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        before = world(base, ro / "run")
        [r], _ = worker.run({"args": run_args("s1", "ro/run"), "nobody": True})
        assert r["code"] == 2, r["output"]
        assert "cannot write in" in r["output"] and "Traceback" not in r["output"]
        assert "eligibility" not in r["output"]  # refused before the solve
        assert list(ro.iterdir()) == [] and world(base, ro / "run") == before
    finally:
        ro.chmod(0o755)
        ro.rmdir()


def test_a_full_destination_fails_cleanly_and_keeps_the_old_folder(
    base: Path, worker: Worker
) -> None:
    """A file may grow only to 64 KB (RLIMIT_FSIZE, as a full disk): writing fails."""
    out = base / "runs" / "full"
    for previous in (False, True):
        shutil.rmtree(out, ignore_errors=True)
        if previous:
            [r], _ = worker.run({"args": run_args("s1", "full")})
            assert r["code"] == 0, r["output"]
        before, others = tree(out), world(base, out)
        args = run_args("s2", "full", *(["--force"] if previous else []))
        [r], _ = worker.run({"args": args, "fsize": 64 * 1024})
        assert r["code"] == 2, r["output"]
        assert "could not write" in r["output"] and "nothing at" in r["output"]
        assert "Traceback" not in r["output"]
        assert tree(out) == before and world(base, out) == others and leftovers(out) == []


def test_verify_killed_anywhere_changes_nothing(base: Path, worker: Worker) -> None:
    """`merit verify` re-runs into a hidden sibling; killed, it leaves at most that behind,
    which the next command on the folder removes."""
    out = base / "runs" / "v"
    [r], _ = worker.run({"args": run_args("s1", "v")})
    assert r["code"] == 0, r["output"]
    good = tree(out)
    [r], seconds = worker.run({"args": ["verify", "runs/v"]})
    assert r["code"] == 0, r["output"]
    n = max(KILLS // 3, 1)
    verify_cmd = {"args": ["verify", "runs/v"]}
    seen = killed_runs(worker, base, out, verify_cmd, good, good, seconds, lambda: None, n)
    assert seen["killed"] >= n // 2, seen
    [r], _ = worker.run({"args": ["verify", "runs/v"]})
    assert r["code"] == 0 and "byte-identical" in r["output"], r["output"]
    assert leftovers(out) == [] and tree(out) == good


def test_release_killed_anywhere_leaves_the_folder_unreleased_or_released(
    base: Path, worker: Worker
) -> None:
    """`merit release` writes the named list on a staged copy swapped in whole: killed, the
    folder is the unreleased run or the released one, never a release/ the manifest lacks."""
    runs = base / "runs"
    out = runs / "rel"
    [r], _ = worker.run({"args": run_args("s1", "rel")})
    assert r["code"] == 0, r["output"]
    plain = tree(out)
    keep = runs.parent / "rel-plain"
    shutil.copytree(out, keep)
    [r], seconds = worker.run({"args": ["release", "runs/rel"]})
    assert r["code"] == 0, r["output"]
    released = tree(out)
    assert "release" in released and "release" not in plain

    def unreleased() -> None:
        if tree(out) != plain:
            shutil.rmtree(out)
            shutil.copytree(keep, out)

    n = max(KILLS // 2, 1)
    cmd = {"args": ["release", "runs/rel"]}
    seen = killed_runs(worker, base, out, cmd, plain, released, seconds, unreleased, n)
    assert seen["killed"] >= n // 2 and seen["before"], seen
    shutil.rmtree(keep)
    unreleased()
    [r], _ = worker.run({"args": ["release", "runs/rel"]})
    assert r["code"] == 0, r["output"]
    assert leftovers(out) == [] and tree(out) == released
    assert verify(out, rerun=False) == []
