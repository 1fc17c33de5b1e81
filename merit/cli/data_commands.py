"""Data commands: ``merit validate`` and ``merit schemas``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from merit.cli import main
from merit.errors import InputError
from merit.io.read import read_dataset
from merit.io.schemas import write_schemas


@main.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option("--lang", type=click.Choice(["en", "id"]), default="en", show_default=True)
@click.option(
    "--protected",
    "protected",
    multiple=True,
    metavar="COLUMN",
    help="A further column of the employee sheet to treat as protected (repeatable).",
)
def validate_command(path: Path, as_json: bool, lang: str, protected: tuple[str, ...]) -> None:
    """Check a dataset (folder of CSV files or .xlsx) and list every problem; exit 2 if any."""
    dataset, problems = read_dataset(path, protected)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2))
    if problems:
        if not as_json:
            head = (
                f"{len(problems)} masalah ditemukan di {path}"
                if lang == "id"
                else f"{len(problems)} problem(s) found in {path}"
            )
            click.echo(head, err=True)
            for p in problems:
                click.echo(f"  - {p.render(lang)}", err=True)
        raise SystemExit(InputError.exit_code)
    assert dataset is not None
    if not as_json:
        m = dataset.merit
        prot = [c for c in dataset.protected.columns if c != "employee_id"]
        click.echo(
            f"OK: {path} — {len(m.employees):,} employees, {len(m.vacancies):,} vacancies, "
            f"{len(m.competencies):,} competency assessments, {len(m.performance):,} SKP "
            f"records, {len(m.standards):,} standards, {len(m.relations):,} relations. "
            f"Protected columns split off (never used for decisions): "
            f"{', '.join(prot) if prot else 'none'}."
        )


@main.command("schemas")
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("data/schemas"), show_default=True
)
def schemas_command(out: Path) -> None:
    """Write the JSON Schemas of every input table and of the scenario."""
    paths = write_schemas(out)
    click.echo(f"wrote {len(paths)} schemas to {out}")
