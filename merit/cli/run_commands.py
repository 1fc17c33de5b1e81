"""Placement commands: ``merit run``, ``merit demo``, ``merit compare``."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

import click

from merit.audit import AuditReport
from merit.audit.sayings import num
from merit.cli import main
from merit.compare import CAUSES, compare_runs
from merit.errors import MeritError, ScenarioError
from merit.execute import execute, peak_memory_mb, verdict
from merit.pipeline import Result
from merit.report.comparison import write_comparison

DEMO_SCENARIO = Path("scenarios/kupang-2026.toml")


def _run(
    scenario: Path,
    data: Path | None,
    out: Path,
    force: bool,
    quiet: bool,
    measure: bool = False,
    audit: bool = True,
) -> tuple[Result, MeritError | None]:
    """The run and its verdict (from the audit it wrote, not parsed again)."""
    echo = partial(click.echo, err=True)
    audited: list[AuditReport] = []
    result = execute(
        scenario,
        out,
        data=data,
        force=force,
        quiet=quiet,
        echo=echo,
        measure=measure,
        audit=audit,
        audited=audited,
    )
    return result, verdict(result, out, audited[0] if audited else None)


def _summary(result: Result, out: Path, lang: str, failure: MeritError | None) -> None:
    """What the run did, in the analyst's language (Indonesian unless --lang en);
    ``failure`` is the run's verdict (the audit's outcome, read once)."""

    def say(idn: str, en: str) -> None:
        click.echo(idn if lang == "id" else en)

    c = result.counts
    status = result.status.value
    limit = f"{result.scenario.time_limit_seconds:g}"
    proven = (
        ("terbukti optimal", "proven optimal")
        if result.proven_optimal
        else (
            "TIDAK terbukti optimal: batas rantai (max_length dan lainnya) mengikat dan ronde "
            "ini terlalu besar untuk CP-SAT; rantai yang terlalu panjang dipotong; "
            "manifest.json mencatat proven_optimal false",
            "NOT proven optimal: a chain limit (max_length or another) binds and the round is "
            "too large for CP-SAT; the chains that were too long were cut; manifest.json "
            "records proven_optimal false",
        )
        if "chains cut" in result.solution.method
        else (
            f"TIDAK terbukti optimal: solver berhenti pada batas waktu {limit} detik; "
            "manifest.json mencatat proven_optimal false",
            f"NOT proven optimal: the solver stopped at its time limit of {limit} s; "
            "manifest.json records proven_optimal false",
        )
    )
    say(f"Skenario: {result.scenario.name}", f"Scenario: {result.scenario.name}")
    say(
        f"Solver: {result.solution.method}, status {status} ({proven[0]})",
        f"Solver: {result.solution.method}, status {status} ({proven[1]})",
    )
    stage_id = {
        "eligibility": "syarat",
        "scoring": "skor",
        "blinding": "penyamaran",
        "solving": "optimasi",
        "mapping": "pemetaan",
    }
    stages_id = ", ".join(
        f"{stage_id.get(k, k)} {num(v, 2, 'id')} dtk" for k, v in result.stage_seconds.items()
    )
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.stage_seconds.items())
    memory_id = f"{num(peak_memory_mb(), 0, 'id')} MB"
    memory = f"{peak_memory_mb():,.0f} MB"
    say(f"Waktu: {stages_id}; memori puncak {memory_id}", f"Time: {stages}; peak memory {memory}")
    pairs, people = (num(c[k], 0, "id") for k in ("eligible_pairs", "employees"))
    filled_n = c.get("vacancies_filled", c["filled"])  # a chain round also moves holders
    say(
        f"Terisi {filled_n} dari {c['vacancies']} jabatan; {c['unfilled']} tidak terisi; "
        f"{pairs} pasangan memenuhi syarat dari {people} pegawai",
        f"Filled {filled_n} of {c['vacancies']} vacancies; {c['unfilled']} unfilled; "
        f"{c['eligible_pairs']:,} eligible pairs among {c['employees']:,} employees",
    )
    if "moves" in c:
        say(
            f"Putaran rantai: {c['vacancies_filled']} dari {c['vacancies']} lowongan terisi; "
            f"{c['moves']} perpindahan dalam {c['chains']} rantai; {c['held_posts']} jabatan "
            "terisi dapat dibebaskan",
            f"Chain round: {c['vacancies_filled']} of {c['vacancies']} vacancies filled; "
            f"{c['moves']} moves in {c['chains']} chains; {c['held_posts']} held posts could be "
            "freed",
        )
        if not c["held_posts"]:
            say(
                "  Data tanpa tabel posts (peta jabatan): tidak ada jabatan terisi yang dapat "
                "dibebaskan; hanya pegawai tanpa jabatan dalam putaran ini yang dipindahkan "
                "(mutasi per unit tetap dihitung bersih)",
                "  The data have no posts table (peta jabatan): no held post can be freed; only "
                "people holding no post of the round move (moves per unit still counted net)",
            )
    if c.get("open_selection"):
        n = c["open_selection"]
        say(
            f"Jabatan JPT (seleksi terbuka): {n}; daftar calon di shortlists.csv",
            f"JPT posts (open selection): {n}; shortlists in shortlists.csv",
        )
    vac = result.vacancies[["vacancy_id", "unit"]]
    vac = vac[~vac["vacancy_id"].isin(result.held_posts)]  # a chain round: its vacancies
    filled = vac["vacancy_id"].isin(result.placements["vacancy_id"])
    table = vac.assign(filled=filled).groupby("unit", sort=True)["filled"].agg(["sum", "count"])
    say("Per unit (terisi / jabatan):", "By unit (filled / vacancies):")
    for unit, row in table.iterrows():
        click.echo(f"  {row['sum']:>3} / {row['count']:<3} {unit}")
    if len(result.unfilled):
        reasons = result.unfilled["reason"].value_counts().sort_index()
        for reason, n in reasons.items():
            say(f"  tidak terisi, {reason}: {n}", f"  unfilled, {reason}: {n}")
    if (out / "audit.json").is_file():
        ok = failure is None
        say(
            f"Audit independen: {'lulus' if ok else 'GAGAL (lihat audit.json)'}",
            f"Independent audit: {'passed' if ok else 'FAILED (see audit.json)'}",
        )
    else:
        say(
            f"Audit independen: tidak dijalankan (--no-audit); `merit audit {out}` menambahkannya",
            f"Independent audit: not run (--no-audit); run `merit audit {out}` to add it",
        )
    say(
        f"Hasil: {out}/ — buka {out / 'report.html'} (Bahasa Indonesia / English); tabel di "
        "placements.csv, unfilled.csv, rankings.csv, report.xlsx; catatan proses di "
        "manifest.json",
        f"Results: {out}/ — open {out / 'report.html'} (Bahasa Indonesia / English); "
        "tables in placements.csv, unfilled.csv, rankings.csv, report.xlsx; run record "
        "in manifest.json",
    )
    say(
        f"Mengapa atau mengapa tidak: merit explain {out} --employee NIP; daftar bernama untuk "
        f"TPK (setelah keputusan): merit release {out}",
        f"Why or why not: merit explain {out} --employee NIP; the named list for the TPK "
        f"(after the decision): merit release {out}",
    )


@main.command("run")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    help="Dataset folder or .xlsx; overrides the scenario's data path.",
)
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Run folder to write.")
@click.option("--force", is_flag=True, help="Replace an existing run folder.")
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option(
    "--measure",
    is_flag=True,
    help="Record peak memory and stage times in manifest.json (block 'measured'; it "
    "differs between runs, so merit verify leaves it out of the byte comparison).",
)
@click.option(
    "--no-audit",
    is_flag=True,
    help="Skip the independent audit (no audit.json; `merit audit` adds it later). The "
    "audit runs by default at every size; skipping it saves its time (a national round "
    "of 200,000 x 10,000 about a minute). merit verify re-runs the same way.",
)
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def run_command(
    scenario: Path,
    data: Path | None,
    out: Path,
    force: bool,
    quiet: bool,
    measure: bool,
    no_audit: bool,
    lang: str,
) -> None:
    """Run SCENARIO and write a run folder at --out."""
    result, failure = _run(scenario, data, out, force, quiet, measure, audit=not no_audit)
    _summary(result, out, lang, failure)
    if failure is not None:
        raise failure


@main.command("demo")
@click.option(
    "--scenario", type=click.Path(path_type=Path), default=DEMO_SCENARIO, show_default=True
)
@click.option(
    "--out", type=click.Path(path_type=Path), default=Path("runs/kupang-2026"), show_default=True
)
@click.option("--quiet", is_flag=True, help="No progress display.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
def demo_command(scenario: Path, out: Path, quiet: bool, lang: str) -> None:
    """Run the Kota Kupang demo placement and say where the results are."""
    if not scenario.is_file():
        raise ScenarioError(
            f"{scenario} not found; run `merit demo` from the repository root "
            "(where scenarios/ is) or pass --scenario"
        )
    result, failure = _run(scenario, None, out, True, quiet)
    _summary(result, out, lang, failure)
    if failure is not None:
        raise failure


@main.command("compare")
@click.argument("run_a", type=click.Path(path_type=Path))
@click.argument("run_b", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option("--lang", type=click.Choice(["id", "en"]), default="id", show_default=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Also write compare.html (both languages), compare.xlsx and compare-en.xlsx here.",
)
def compare_command(run_a: Path, run_b: Path, as_json: bool, lang: str, out: Path | None) -> None:
    """Compare two run folders: filled before and after, score change, who gained or lost a
    post, changes per OPD, and which constraint cost what."""
    diff = compare_runs(run_a, run_b)
    if out is not None:
        for path in write_comparison(diff.to_dict(), CAUSES, out):
            click.echo(f"written {path}", err=True)
    if as_json:
        click.echo(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(diff.render(lang))
