"""``merit synth``: write a deterministic synthetic Kota Kupang dataset."""

from __future__ import annotations

import time
from pathlib import Path

import click

from merit.cli import main
from merit.io.siasn_layout import to_siasn
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
@click.option(
    "--layout",
    type=click.Choice(["plain", "siasn"]),
    default="plain",
    show_default=True,
    help="plain: merit's own columns; siasn: BKN's SIASN headers and values (data_utama, with "
    "personal columns such as NIK, EMAIL, NOMOR_HP), e-Kinerja one column per year.",
)
@click.option(
    "--all-posts",
    is_flag=True,
    help="Every employee holds a post: JF and pelaksana holders get post ids too, and posts "
    "lists every post (for a chain round that may free any of them).",
)
def synth_command(
    employees: int,
    vacancies: int,
    seed: int,
    out: Path,
    fmt: str | None,
    layout: str,
    all_posts: bool,
) -> None:
    """Write a synthetic Kota Kupang (real unit names, invented people). Same seed, same bytes."""
    fmt = fmt or ("xlsx" if out.suffix.lower() in (".xlsx", ".xlsm") else "csv")
    if fmt == "xlsx" and out.suffix.lower() not in (".xlsx", ".xlsm"):
        out = out.with_name(out.name + ".xlsx")  # merit validate reads workbooks by suffix
    start = time.perf_counter()
    tables = synthesize(employees=employees, vacancies=vacancies, seed=seed, all_posts=all_posts)
    held = len(tables["posts"])
    if layout == "siasn":
        tables = to_siasn(tables)
    paths = write_tables(tables, out, "xlsx" if fmt == "xlsx" else "csv")
    click.echo(
        f"wrote {employees:,} employees, {vacancies:,} vacancies and {held:,} "
        f"occupied posts (seed {seed}) to "
        f"{out} ({len(paths)} file(s), {time.perf_counter() - start:.1f}s)"
    )
