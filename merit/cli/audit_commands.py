"""Audit commands: ``merit audit``, ``merit explain``, ``merit verify``, ``merit release``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import click

from merit.audit import AUDIT_FILE
from merit.cli import main
from merit.errors import AuditFailure
from merit.execute import reaudit
from merit.explain import explain_employee, explain_pair, explain_vacancy
from merit.release import release
from merit.verify import verify


@main.command("audit")
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), help="Data to audit against, if moved.")
def audit_command(run: Path, data: Path | None) -> None:
    """Re-check RUN independently; exit 1 listing the findings when anything does not hold."""
    report = reaudit(run, data, partial(click.echo, err=True))
    for c in report.document["checks"]:
        mark = "ok  " if c["passed"] else "FAIL"
        click.echo(f"{mark} {c['code']:<16} {c['name_en']}")
    opt = report.document["optimality"]
    click.echo(
        f"optimality: {'certified' if opt.get('certified') else 'NOT certified'} "
        f"({opt.get('method', '')})"
    )
    if not report.ok:
        raise AuditFailure(
            f"audit of {run} failed with {len(report.findings)} finding(s): "
            + "; ".join(f"{f.code}: {f.message_en}" for f in report.findings[:20]),
            [f.message_en for f in report.findings],
        )
    click.echo(f"audit passed; written {run / AUDIT_FILE}")


@main.command("explain")
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--vacancy", "vacancy_id", help="Explain one vacancy (with --employee: one pair).")
@click.option("--employee", "employee_id", help="Explain one person (NIP): why, or why not.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def explain_command(run: Path, vacancy_id: str | None, employee_id: str | None, lang: str) -> None:
    """Explain a vacancy, a person, or a person and a vacancy of RUN (Indonesian by default)."""
    if vacancy_id and employee_id:
        click.echo(explain_pair(run, vacancy_id, employee_id, lang))
    elif vacancy_id:
        click.echo(explain_vacancy(run, vacancy_id, lang))
    elif employee_id:
        click.echo(explain_employee(run, employee_id, lang))
    else:
        raise click.UsageError("give --vacancy ID, --employee NIP, or both")


@main.command("verify")
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--no-rerun", is_flag=True, help="Only recompute hashes; do not re-run.")
def verify_command(run: Path, no_rerun: bool) -> None:
    """Recompute every hash of RUN and re-run it; exit 1 naming any file that differs."""
    problems = verify(run, rerun=not no_rerun)
    if problems:
        raise AuditFailure(f"verify of {run} failed: " + "; ".join(problems), problems)
    click.echo(
        f"verified: every hash matches{'' if no_rerun else ' and the re-run is byte-identical'}"
    )


@main.command("release")
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--data", type=click.Path(path_type=Path), help="The run's data, if moved.")
def release_command(run: Path, data: Path | None) -> None:
    """Write the named Daftar usulan / Lampiran SK of RUN, after the decision.

    The only command that joins names: it writes RUN/release/ (a page to print and a
    workbook) and records the release in the manifest. Nothing reads those files back.
    """
    for path in release(run, data):
        click.echo(f"written {path}")
