"""``merit synth``: write a deterministic synthetic Kota Kupang dataset."""

from __future__ import annotations

import time
from pathlib import Path

import click

from merit.cli import main
from merit.io.write import write_tables
from merit.synth import synthesize


@main.command("synth")
@click.option("--employees", default=3000, show_default=True, type=click.IntRange(1))
@click.option("--vacancies", default=75, show_default=True, type=click.IntRange(1))
@click.option("--seed", default=2026, show_default=True, type=click.IntRange(0))
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for CSV files, or the .xlsx workbook to write.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default=None,
    help="csv (a folder) or xlsx (one workbook); default: from --out's suffix.",
)
def synth_command(employees: int, vacancies: int, seed: int, out: Path, fmt: str | None) -> None:
    """Write a synthetic Kota Kupang (real unit names, invented people). Same seed, same bytes."""
    fmt = fmt or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
    start = time.perf_counter()
    tables = synthesize(employees=employees, vacancies=vacancies, seed=seed)
    paths = write_tables(tables, out, "xlsx" if fmt == "xlsx" else "csv")
    click.echo(
        f"wrote {employees:,} employees and {vacancies:,} vacancies (seed {seed}) to "
        f"{out} ({len(paths)} file(s), {time.perf_counter() - start:.1f}s)"
    )
