"""Run a scenario end to end into a run folder: read, place, write, audit, report, seal."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from merit.audit import audit, write_audit
from merit.dataset import Dataset
from merit.errors import ScenarioError
from merit.io.read import load
from merit.io.scenario_file import read_scenario
from merit.pipeline import Result, place
from merit.report import write_report
from merit.runfolder import write_run

Echo = Callable[[str], None]


def _audit_extra(folder: Path, result: Result, dataset: Dataset) -> None:
    write_audit(folder, audit(folder))


def _report_extra(folder: Path, result: Result, dataset: Dataset) -> None:
    write_report(folder)


def peak_memory_mb() -> float:
    """This process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measured(result: Result, start: float) -> dict[str, Any]:
    """What ``merit run --measure`` records: peak memory of the whole run (placement, writing,
    audit and report) and the seconds of each placement stage and of the whole run."""
    return {
        "peak_memory_mb": round(peak_memory_mb()),
        "stage_seconds": {k: round(v, 3) for k, v in result.stage_seconds.items()},
        "total_seconds": round(time.perf_counter() - start, 3),
        "note": "measured on this machine; differs between runs; merit verify ignores it",
    }


def execute(
    scenario_path: Path,
    out: Path,
    *,
    data: Path | None = None,
    force: bool = False,
    quiet: bool = False,
    echo: Echo | None = None,
    measure: bool = False,
    audit: bool = True,
) -> Result:
    """Read the scenario and data, place, and write the sealed run folder with audit and report.
    With ``measure``, the manifest also records peak memory and the time of each stage.
    Without ``audit``, no audit.json is written (the report then says the audit was not
    run); for runs too large for the audit, which re-derives every eligible pair in memory."""
    start = time.perf_counter()

    def progress(stage: str, detail: str) -> None:
        if not quiet and echo is not None:
            echo(f"[{time.perf_counter() - start:6.1f}s] {stage}: {detail}")

    scenario = read_scenario(scenario_path)
    data_path = data or scenario.data
    if data_path is None:
        raise ScenarioError(
            f"{scenario_path}: no data path; set data = '...' in the scenario or pass --data"
        )
    progress("reading", str(data_path))
    dataset = load(data_path)
    result = place(dataset, scenario, progress)
    progress("writing, auditing and reporting" if audit else "writing and reporting", str(out))
    write_run(
        result,
        dataset,
        Path(out),
        scenario_path=Path(scenario_path),
        force=force,
        extras=(_audit_extra, _report_extra) if audit else (_report_extra,),
        measure=partial(measured, result, start) if measure else None,
    )
    progress("done", str(out))
    return result
