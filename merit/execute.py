"""Run a scenario end to end into a run folder: read, place, write, audit, report, seal."""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from merit.audit import AUDIT_FILE, AuditReport, Progress, audit, write_audit
from merit.dataset import Dataset
from merit.domain.scenario import scenario_notes
from merit.errors import AuditFailure, MeritError, ScenarioError, SolverError
from merit.io.destination import Claim, claimed
from merit.io.read import load
from merit.io.scenario_file import read_scenario
from merit.pipeline import Result, check_names, place
from merit.report import write_report
from merit.runfolder import read_manifest, seal, unwritable, write_run
from merit.solver import SolveStatus

Echo = Callable[[str], None]


def _audit_extra(
    folder: Path,
    result: Result,
    dataset: Dataset,
    progress: Progress | None = None,
    audited: list[AuditReport] | None = None,
) -> None:
    # the tables this process read are handed over as parsed: reading them again would only
    # repeat the same parse (the audit still derives every fact itself)
    report = audit(folder, progress=progress, dataset=dataset)
    if progress is not None:
        progress("audit: writing", AUDIT_FILE)
    write_audit(folder, report)
    if audited is not None:
        audited.append(report)


def _report_extra(
    folder: Path, result: Result, dataset: Dataset, progress: Progress | None = None
) -> None:
    if progress is not None:
        progress("reporting", "report.html, report.xlsx")
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
    claim: Claim | None = None,
    audited: list[AuditReport] | None = None,
) -> Result:
    """Read the scenario and data, place, and write the sealed run folder with audit and report.
    With ``measure``, the manifest also records peak memory and the time of each stage.
    Without ``audit``, no audit.json is written (the report then says the audit was not
    run); the audit runs at every size, so this only saves its time. ``audited``, when
    given, receives the audit's report as written to audit.json (for ``verdict``: a national
    audit.json takes seconds to parse again).

    ``out`` is checked and locked before anything is read or solved (``claim``: a lock the
    caller holds). Raises ``InfeasibleError`` (no placement satisfies the pins and side
    constraints) or ``SolverError`` (time limit without any placement) before writing.
    """
    start = time.perf_counter()

    def progress(stage: str, detail: str) -> None:
        if not quiet and echo is not None:
            echo(f"[{time.perf_counter() - start:6.1f}s] {stage}: {detail}")

    def note(text: str) -> None:
        if echo is not None:
            echo(f"note: {text}")

    if claim is None:
        with claimed(Path(out), note) as own:
            return execute(
                scenario_path,
                out,
                data=data,
                force=force,
                quiet=quiet,
                echo=echo,
                measure=measure,
                audit=audit,
                claim=own,
                audited=audited,
            )
    claim.check(force)  # before the solve: a refused --out costs nothing
    scenario = read_scenario(scenario_path)
    data_path = data or scenario.data
    if data_path is None:
        raise ScenarioError(
            f"{scenario_path}: no data path; set data = '...' in the scenario or pass --data"
        )
    for text in scenario_notes(scenario):
        note(text)
    progress("reading", str(data_path))
    dataset = load(data_path)
    check_names(scenario, dataset.merit, str(scenario_path))
    result = place(dataset, scenario, progress)
    if result.status is SolveStatus.NOT_SOLVED:
        raise SolverError(
            f"no placement was found within the time limit of {scenario.time_limit_seconds:g} s "
            f"(time_limit_seconds in {scenario_path}); nothing was written to {out}; raise "
            "the limit and run again"
        )
    progress("writing, auditing and reporting" if audit else "writing and reporting", str(out))
    write_run(
        result,
        dataset,
        Path(out),
        scenario_path=Path(scenario_path),
        force=force,
        extras=(
            partial(_audit_extra, progress=progress, audited=audited),
            partial(_report_extra, progress=progress),
        )
        if audit
        else (partial(_report_extra, progress=progress),),
        measure=partial(measured, result, start) if measure else None,
        claim=claim,
    )
    progress("done", str(out))
    return result


def verdict(result: Result, out: Path, report: AuditReport | None = None) -> MeritError | None:
    """The error a finished run must exit with, or None: a run succeeds only when it is
    proven optimal (or marked not proven, FEASIBLE) and its audit, when run, passed.
    ``report``: the audit this process wrote to ``out`` (else audit.json is read)."""
    path = Path(out) / AUDIT_FILE
    if report is not None:
        ok, found = report.ok, [(f.code, f.message_en) for f in report.findings]
    elif not path.is_file():
        return None
    else:
        doc = json.loads(path.read_text(encoding="utf-8"))
        ok, found = doc["ok"], [(f["code"], f["message_en"]) for f in doc["findings"]]
    if ok:
        return None
    findings = [f"{code}: {message}" for code, message in found]
    return AuditFailure(
        f"the run folder {out} was written, but its independent audit FAILED with "
        f"{len(findings)} finding(s): " + "; ".join(findings[:20]) + f"; see {path}",
        findings,
    )


def reaudit(run: Path, data: Path | None = None, note: Echo | None = None) -> AuditReport:
    """``merit audit``: audit ``run`` again and rewrite its audit, report and seal, as one
    atomic replacement of the folder (a copy is audited, then swapped in)."""
    run = Path(run)
    if not run.is_dir():
        read_manifest(run)  # the located "not a run folder" error
    with claimed(run, note or _silent) as claim:
        claim.check_run_folder()
        try:
            tmp = claim.stage_copy()
            start = time.perf_counter()

            def progress(stage: str, detail: str) -> None:
                if note is not None:
                    note(f"[{time.perf_counter() - start:6.1f}s] {stage}: {detail}")

            report = audit(tmp, data, progress)
            write_audit(tmp, report)
            write_report(tmp)
            seal(tmp)
            claim.commit(tmp, force=True)
        except OSError as err:
            raise unwritable(run, err) from None
    return report


def _silent(text: str) -> None:
    return None
