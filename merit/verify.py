"""``merit verify``: recompute every hash of a run folder and re-run it to compare bytes."""

from __future__ import annotations

from pathlib import Path

from merit.errors import MeritError
from merit.execute import execute
from merit.io.destination import Scratch, claimed
from merit.runfolder import MANIFEST, read_manifest, sha256_file, without_measured


def check_hashes(folder: Path) -> list[str]:
    """Files whose bytes differ from the manifest, plus missing or unlisted files (a named
    list of ``merit release`` is checked against the manifest's release block)."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    recorded: dict[str, str] = dict(manifest["outputs"])
    recorded.update((manifest.get("release") or {}).get("files") or {})
    subfolders = {name.split("/")[0] for name in recorded if "/" in name}
    present: set[str] = set()
    problems: list[str] = []
    for p in sorted(folder.iterdir()):
        if p.name == MANIFEST:
            continue
        if p.is_symlink() or not (p.is_file() or p.is_dir()):
            problems.append(f"{p.name}: a link or special file the manifest does not list")
        elif p.is_dir() and p.name not in subfolders:
            problems.append(f"{p.name}/: a folder the manifest does not list (merit writes none)")
        elif p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.is_symlink() or not (q.is_file() or q.is_dir()):
                    problems.append(f"{q.relative_to(folder).as_posix()}: a link or special file")
                elif q.is_file():
                    present.add(q.relative_to(folder).as_posix())
        else:
            present.add(p.name)
    for name in sorted(set(recorded) | present):
        if name not in present:
            problems.append(f"{name}: listed in the manifest but missing")
        elif name not in recorded:
            problems.append(f"{name}: present but not listed in the manifest")
        elif sha256_file(folder / name) != recorded[name]:
            problems.append(f"{name}: SHA-256 differs from the manifest (the file was changed)")
    return problems


def rerun_differences(folder: Path) -> list[str]:
    """Re-run the recorded scenario on the recorded data; name every file whose bytes differ."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    scen = manifest["scenario"].get("file")
    if not scen:
        return ["manifest names no scenario file, so the run cannot be repeated"]
    scenario_path = (folder / scen).resolve()
    if not scenario_path.is_file():
        return [f"scenario file {scen} (relative to the run folder) is missing"]
    if sha256_file(scenario_path) != manifest["scenario"]["sha256"]:
        return [f"scenario file {scen} has changed since the run (SHA-256 differs)"]
    data = (folder / manifest["data"]["path"]).resolve()
    with claimed(folder) as claim:  # no writer may swap the folder while it is compared
        twin = claim.stage("verify")
        try:
            audited = "audit.json" in manifest["outputs"]  # `merit run --no-audit` has none
            execute(scenario_path, twin, data=data, quiet=True, audit=audited, claim=Scratch(twin))
        except MeritError as err:
            return [f"the re-run failed: {err}"]
        diffs = []
        names = sorted(
            {p.name for p in folder.iterdir() if p.is_file()}
            | {p.name for p in twin.iterdir() if p.is_file()}
        )
        for name in names:
            a, b = folder / name, twin / name
            if not a.is_file() or not b.is_file():
                diffs.append(f"{name}: present in only one of the original and the re-run")
            elif _comparable(name, a) != _comparable(name, b):
                diffs.append(f"{name}: the re-run gives different bytes")
        return diffs


def _comparable(name: str, path: Path) -> bytes:
    """The bytes a re-run must reproduce: the manifest without its ``measured`` block."""
    if name == MANIFEST:
        return without_measured(path.read_text(encoding="utf-8")).encode("utf-8")
    return path.read_bytes()


def verify(folder: Path, rerun: bool = True) -> list[str]:
    """Every problem found (empty when the run folder is intact and reproducible)."""
    problems = check_hashes(folder)
    if rerun:
        problems += rerun_differences(folder)
    return problems
