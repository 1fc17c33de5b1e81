"""Data commands: ``merit validate`` and ``merit schemas``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from merit.cli import main
from merit.errors import InputError
from merit.io.grouped import render as render_problems
from merit.io.grouped import write_csv
from merit.io.read import understand
from merit.io.schemas import write_schemas
from merit.io.understood import render as render_understood


@main.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    help="Language of the messages: id (Bahasa Indonesia) or en (English).",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write every problem, one row each, to this CSV file (e.g. problems.csv).",
)
@click.option(
    "--protected",
    "protected",
    multiple=True,
    metavar="COLUMN",
    help="A further column of the employee sheet to treat as protected (repeatable).",
)
def validate_command(
    path: Path, as_json: bool, lang: str, out: Path | None, protected: tuple[str, ...]
) -> None:
    """Check a dataset (folder of CSV files or .xlsx), say how its headers were understood,
    and list every problem, one line per file, column and kind of problem; exit 2 if any."""
    dataset, problems, seen = understand(path, protected)
    idn = lang == "id"
    if out is not None:
        write_csv(problems, out)
    if as_json:
        click.echo(json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        click.echo("Cara data dibaca:" if idn else "How the data was understood:")
        for line in render_understood(seen, lang):
            click.echo(f"  {line}")
    if problems:
        if not as_json:
            lines = render_problems(problems, lang)
            head = (
                f"{len(problems)} masalah ditemukan di {path} ({len(lines)} jenis)"
                if idn
                else f"{len(problems)} problem(s) found in {path} ({len(lines)} kinds)"
            )
            click.echo(head, err=True)
            for line in lines:
                click.echo(f"  - {line}", err=True)
            if out is not None:
                click.echo(f"daftar lengkap: {out}" if idn else f"full list: {out}", err=True)
            elif len(lines) < len(problems):
                click.echo(
                    "daftar lengkap per sel: merit validate ... --out problems.csv"
                    if idn
                    else "every cell listed: merit validate ... --out problems.csv",
                    err=True,
                )
        raise SystemExit(InputError.exit_code)
    assert dataset is not None
    if not as_json:
        m = dataset.merit
        prot = [c for c in dataset.protected.columns if c != "employee_id"]
        none = "tidak ada" if idn else "none"
        posts = len(m.posts)
        held = (
            (f", {posts:,} jabatan terisi" if idn else f", {posts:,} occupied posts")
            if posts
            else ""
        )
        click.echo(
            (
                f"OK: {path} — {len(m.employees):,} pegawai, {len(m.vacancies):,} formasi, "
                f"{len(m.competencies):,} hasil asesmen kompetensi, {len(m.performance):,} "
                f"catatan SKP, {len(m.standards):,} standar, {len(m.relations):,} relasi{held}. "
                f"Kolom terlindungi dipisahkan (tidak pernah dipakai untuk keputusan): "
                if idn
                else f"OK: {path} — {len(m.employees):,} employees, {len(m.vacancies):,} "
                f"vacancies, {len(m.competencies):,} competency assessments, "
                f"{len(m.performance):,} SKP records, {len(m.standards):,} standards, "
                f"{len(m.relations):,} relations{held}. Protected columns split off (never used "
                f"for decisions): "
            )
            + f"{', '.join(prot) if prot else none}."
        )


@main.command("schemas")
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("data/schemas"), show_default=True
)
def schemas_command(out: Path) -> None:
    """Write the JSON Schemas of every input table and of the scenario."""
    paths = write_schemas(out)
    click.echo(f"wrote {len(paths)} schemas to {out}")
