"""The audit passes on real runs and names the problem in each kind of tampered run folder."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from merit.audit import AUDIT_FILE, audit, write_audit
from merit.blinding import blind
from merit.cli import main
from merit.eligibility import assess_eligibility
from merit.execute import execute
from merit.io.read import load
from merit.io.write import write_csv, write_tables
from merit.runfolder import read_manifest, seal, write_manifest
from merit.scoring import score
from merit.solver import solve
from merit.synth import synthesize

SCENARIO = """name = "audit-test"
data = "data"
seed = 5
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audit")
    write_tables(synthesize(employees=300, vacancies=14, seed=3), root / "data")
    (root / "scenario.toml").write_text(SCENARIO, encoding="utf-8")
    execute(root / "scenario.toml", root / "run", quiet=True)
    return root / "run"


def tampered(run: Path, tmp_path: Path) -> tuple[Path, pd.DataFrame, pd.DataFrame]:
    copy = run.parent / f"tampered-{tmp_path.name}"  # beside the run: same relative data path
    shutil.copytree(run, copy)
    p = pd.read_csv(copy / "placements.csv", dtype={"vacancy_id": str, "employee_id": str})
    r = pd.read_csv(copy / "rankings.csv", dtype={"vacancy_id": str, "employee_id": str})
    return copy, p, r


def forge(folder: Path, placements: pd.DataFrame, rankings: pd.DataFrame) -> set[str]:
    """Write the edited placements as a careful forger would: fix totals and hashes too."""
    out = placements.copy()
    for c in out.columns:
        if out[c].dtype.kind == "f":
            out[c] = out[c].map(lambda x: f"{x:.4f}")
    write_csv(out, folder / "placements.csv")
    m = read_manifest(folder)
    scores = placements.merge(
        rankings[["vacancy_id", "employee_id", "merit_score"]],
        on=["vacancy_id", "employee_id"],
        how="left",
        suffixes=("", "_r"),
    )
    m["solver"]["total_score"] = round(scores["merit_score"].sum() * 10_000)
    write_manifest(folder, m)
    seal(folder)
    return {f.code for f in audit(folder).findings}


def test_audit_passes_on_a_real_run(run: Path) -> None:
    report = audit(run)
    assert report.ok, report.findings
    doc = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    assert doc["ok"] and doc["optimality"]["certified"]
    assert len(doc["explanations"]) == len(pd.read_csv(run / "placements.csv"))


def test_the_run_audits_the_tables_it_read_as_a_fresh_audit_of_the_files_does(
    run: Path, tmp_path: Path
) -> None:
    """`merit run` hands its audit the input tables it parsed (not reading them twice); the
    audit.json it wrote must be byte for byte the one an audit reading the files writes."""
    copy = tmp_path / "copy"
    shutil.copytree(run, copy)
    (copy / AUDIT_FILE).unlink()
    write_audit(copy, audit(copy, data=run.parent / "data"))
    assert (copy / AUDIT_FILE).read_bytes() == (run / AUDIT_FILE).read_bytes()


def test_ineligible_person(run: Path, tmp_path: Path) -> None:
    folder, p, r = tampered(run, tmp_path)
    failed = pd.read_csv(folder / "eligibility.csv", dtype=str)
    vid = p["vacancy_id"].iloc[0]
    outsider = failed.loc[
        (failed["vacancy_id"] == vid) & ~failed["employee_id"].isin(p["employee_id"]), "employee_id"
    ].iloc[0]
    p.loc[0, "employee_id"] = outsider
    assert "AUD-ELIGIBLE" in forge(folder, p, r)


def test_edited_score(run: Path, tmp_path: Path) -> None:
    folder, p, r = tampered(run, tmp_path)
    p.loc[0, "merit_score"] = p.loc[0, "merit_score"] + 1.5
    assert "AUD-SCORE" in forge(folder, p, r)


def test_duplicate_person(run: Path, tmp_path: Path) -> None:
    folder, p, r = tampered(run, tmp_path)
    p.loc[1, "employee_id"] = p.loc[0, "employee_id"]
    assert "AUD-UNIQUE" in forge(folder, p, r)


def test_swapped_pair_that_lowers_the_total(run: Path, tmp_path: Path) -> None:
    folder, p, r = tampered(run, tmp_path)
    s = r.set_index(["vacancy_id", "employee_id"])["merit_score"]
    rows = list(p.itertuples())
    for a in rows:
        for b in rows:
            if a.Index >= b.Index:
                continue
            if (a.vacancy_id, b.employee_id) in s.index and (
                b.vacancy_id,
                a.employee_id,
            ) in s.index:
                swapped = s[(a.vacancy_id, b.employee_id)] + s[(b.vacancy_id, a.employee_id)]
                if swapped < a.merit_score + b.merit_score:
                    p.loc[a.Index, ["employee_id", "merit_score"]] = [
                        b.employee_id,
                        s[(a.vacancy_id, b.employee_id)],
                    ]
                    p.loc[b.Index, ["employee_id", "merit_score"]] = [
                        a.employee_id,
                        s[(b.vacancy_id, a.employee_id)],
                    ]
                    for c in (
                        "jpm",
                        "performance",
                        "education",
                        "experience",
                        "training",
                        "talent",
                    ):
                        p[c] = p.merge(
                            r, on=["vacancy_id", "employee_id"], how="left", suffixes=("_x", "")
                        )[c].to_numpy()
                    codes = forge(folder, p, r)
                    assert "AUD-OPTIMAL" in codes
                    assert "AUD-ELIGIBLE" not in codes and "AUD-SCORE" not in codes
                    return
    pytest.fail("the generated run has no swappable pair; enlarge the example")


def test_removed_placement_that_was_fillable(run: Path, tmp_path: Path) -> None:
    folder, p, r = tampered(run, tmp_path)
    codes = forge(folder, p.iloc[1:].reset_index(drop=True), r)
    assert "AUD-OPTIMAL" in codes


def test_cli_audit_exit_codes(run: Path, tmp_path: Path) -> None:
    ok = CliRunner().invoke(main, ["audit", str(run)])
    assert ok.exit_code == 0, ok.output
    folder, p, _ = tampered(run, tmp_path)
    p.loc[0, "merit_score"] = 99.0
    write_csv(p.astype(str), folder / "placements.csv")
    bad = CliRunner().invoke(main, ["audit", str(folder)])
    assert bad.exit_code == 1
    assert "AUD-SCORE" in bad.output


def test_counterfactual_margins_are_exact(run: Path) -> None:
    """Raising a pair's score by margin + 0.0001 wins the post in a re-solve; - 0.0001 does not."""
    doc = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    cases = [c for c in doc["counterfactuals"] if c["reachable"]][:12]
    assert cases, "expected reachable counterfactuals"
    m = read_manifest(run)
    from merit.domain.scenario import Scenario

    scenario = Scenario.model_validate({**m["scenario"]["settings"], "data": None})
    data = load(run.parent / "data").merit
    elig = assess_eligibility(data, scenario)
    sc = score(data, scenario, elig.emp, elig.vac)
    view, key = blind(data, scenario, elig.emp, elig.vac, sc["score_int"].to_numpy())
    emp_ids = data.employees["employee_id"].to_numpy(dtype=object)
    vac_ids = data.vacancies["vacancy_id"].to_numpy(dtype=object)
    for c in cases:
        arc = np.flatnonzero(
            (emp_ids[key.arc_emp_rows] == c["employee_id"])
            & (vac_ids[key.arc_vac_rows] == c["vacancy_id"])
        )[0]
        quanta = round(c["margin"] * 10_000)
        for delta, expect in ((quanta + 1, True), (quanta - 1, False)):
            if delta < 0:
                continue
            bumped = view.arc_score.copy()
            bumped[arc] += delta
            sol = solve(dataclasses.replace(view, arc_score=bumped))
            assert (arc in set(sol.chosen_arcs.tolist())) == expect, (c, delta)


def test_binding_budget_runs_cp_sat_and_passes_the_audit(run: Path, tmp_path: Path) -> None:
    root = run.parent
    (root / "budget.toml").write_text(
        SCENARIO.replace('name = "audit-test"', 'name = "budget"')
        + "[constraints]\nbudget = 2_000_000\n",
        encoding="utf-8",
    )
    result = execute(root / "budget.toml", root / "budget-run", quiet=True)
    free = read_manifest(run)["solver"]
    assert result.solution.method == "cp_sat"
    assert sum(result.solution.filled_by_tier) < sum(free["filled_by_tier"])
    report = audit(root / "budget-run")
    assert report.ok, report.findings
    assert "CP-SAT bounds" in report.document["optimality"]["method"]


@pytest.mark.parametrize("limit", [1, 3])
def test_a_run_listing_only_the_best_is_audited_the_same(
    run: Path, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At national size the run lists only each vacancy's best (rankings_limit) and the audit
    keeps only those in its merit order: explanations, margins and verdicts must not change."""
    import merit.eligibility
    import merit.pipeline

    full = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    monkeypatch.setattr(merit.eligibility, "DETAIL_LIMIT", 0)  # as if national: no detail
    monkeypatch.setattr(merit.pipeline, "RANKINGS_LIMIT", limit)
    out = run.parent / f"limited-{limit}"
    execute(run.parent / "scenario.toml", out, quiet=True, force=True)
    assert read_manifest(out)["rankings_limit"] == limit
    cut = json.loads((out / AUDIT_FILE).read_text(encoding="utf-8"))
    assert cut["ok"], cut["findings"]
    assert any(e["rank_in_vacancy"] > limit for e in full["explanations"]) or limit == 3
    for key in (
        "explanations",
        "counterfactuals",
        "unfilled",
        "disparity",
        "ranked_above",
        "unfilled_why",
        "unreachable_why",
    ):
        assert cut[key] == full[key], key
    assert cut["optimality"]["certified"]


def test_placed_pairs_below_the_kept_best_get_their_rank_among_all(
    run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    import merit.eligibility
    import merit.pipeline

    context = importlib.import_module("merit.audit.context")  # merit.audit is also a function
    full = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    assert any(e["rank_in_vacancy"] > 1 for e in full["explanations"])
    monkeypatch.setattr(merit.eligibility, "DETAIL_LIMIT", 0)
    monkeypatch.setattr(merit.pipeline, "RANKINGS_LIMIT", 1)
    monkeypatch.setattr(context, "ORDER_DEPTH", 1)
    out = run.parent / "limited-depth"
    execute(run.parent / "scenario.toml", out, quiet=True, force=True)
    cut = json.loads((out / AUDIT_FILE).read_text(encoding="utf-8"))
    assert cut["ok"], cut["findings"]

    def ranks(doc: dict[str, Any]) -> list[tuple[str, str, int]]:
        return [
            (e["vacancy_id"], e["employee_id"], e["rank_in_vacancy"]) for e in doc["explanations"]
        ]

    assert ranks(cut) == ranks(full)


def test_an_audit_of_a_pruned_run_certifies_the_same_optimum(
    run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The solver's pruned path (national runs) must pass the same independent audit: the
    audit re-derives every arc and checks its own potentials on all of them."""
    import importlib

    prune = importlib.import_module("merit.solver.prune")
    full = read_manifest(run)["solver"]
    monkeypatch.setattr(prune, "PRUNE_ABOVE", 0)  # as if national: solve pruned
    out = run.parent / "pruned"
    execute(run.parent / "scenario.toml", out, quiet=True, force=True)
    pruned = read_manifest(out)["solver"]
    assert pruned["stats"].get("prune_rounds", 0) >= 1, pruned["stats"]
    assert (pruned["filled_by_tier"], pruned["total_score"]) == (
        full["filled_by_tier"],
        full["total_score"],
    )
    doc = json.loads((out / AUDIT_FILE).read_text(encoding="utf-8"))
    assert doc["ok"], doc["findings"]
    assert doc["optimality"]["certified"]
    every_pair = len(pd.read_csv(out / "rankings.csv"))  # a small run lists every eligible pair
    assert doc["optimality"]["potentials"]["checked_arcs"] == every_pair


def test_each_audit_stage_is_shown_as_it_starts(run: Path) -> None:
    lines: list[str] = []
    execute(run.parent / "scenario.toml", run.parent / "shown", echo=lines.append, force=True)
    stages = [line.split("] ", 1)[1].rsplit(": ", 1)[0] for line in lines if line.startswith("[")]
    audit_stages = [s for s in stages if s.startswith("audit: ")]
    for stage in (
        "audit: reading",
        "audit: re-deriving eligibility and scores",
        "audit: checking",
        "audit: AUD-OPTIMAL",
        "audit: explaining",
        "audit: counterfactual margins",
        "audit: disparity",
    ):
        assert stage in audit_stages, (stage, audit_stages)
    assert stages.index("audit: reading") < stages.index("done")


def test_outcomes_counted_in_bulk_are_the_listed_outcomes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the listed entries the why-not outcomes are counted in bulk; listing nobody must
    count the same outcomes as listing everybody (the demo round: pins, a move cap, a budget)."""
    import importlib

    root = Path(__file__).resolve().parents[1]
    run = tmp_path / "kupang"
    execute(root / "scenarios" / "kupang-2026.toml", run, quiet=True)
    whynot = importlib.import_module("merit.audit.whynot")
    monkeypatch.setattr(whynot, "ABOVE_LIMIT", 10**6)
    every = audit(run).document["ranked_above"]
    monkeypatch.setattr(whynot, "ABOVE_LIMIT", 0)
    bulk = audit(run).document["ranked_above"]
    assert any(v["total"] > 1 for v in every.values())
    for vid, v in every.items():
        assert bulk[vid]["total"] == v["total"]
        assert bulk[vid]["outcomes"] == v["outcomes"], vid


def test_audit_text_is_the_standard_librarys_text(run: Path) -> None:
    """audit.json is written by a C encoder; its bytes must be the standard library's, for a
    real audit and for the values where the two encoders differ (capital hex in a control
    character's escape, keys that are not text) or could (floats, non-ASCII text)."""
    from merit.audit import audit_text

    def standard(doc: Any) -> str:
        return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    real = audit(run).document
    assert audit_text(real) == standard(real)
    floats = [0.0, -0.0, 1e-05, 1e16, 1e22, 0.1 + 0.2, 1 / 3, 5e-324, float("nan")]
    odd: dict[str, Any] = {
        "control": "a\x1fb\x0c\x00",
        "unicode": "Kelurahan Oebobo é 中文 🙂 \u2028",
        "floats": floats + [round(x / 7, 4) for x in range(-50, 50)],
        "ints": [0, -1, 2**63, 10**30],
        "nested": {"z": [], "a": {}, "m": [[], [{}], (1, 2)]},
        "tuple": (1, "b"),
    }
    assert "\\u001f" in audit_text(odd)
    assert audit_text(odd) == standard(odd)
    assert audit_text({2: "int keys", 1: None}) == standard({2: "int keys", 1: None})
