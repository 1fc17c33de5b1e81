"""Open a run folder for auditing and re-derive every fact from the rules and the input data.

Nothing here reads the solver's view or state: eligibility and scores come from the rule and
component registries applied to the data the manifest names, and the audit builds its own
indices (candidates in employee-row order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from merit.audit.certificate import Ints, Problem
from merit.blinding import keyed_hash, tiebreak_keys, vacancy_tiers
from merit.dataset import Dataset, MeritData, select_vacancies, split_open_selection
from merit.domain.scenario import Scenario
from merit.eligibility import assess_eligibility
from merit.errors import RunFolderError
from merit.io.read import load
from merit.scoring import COMPONENTS, score

RUN_TABLES = ("placements.csv", "unfilled.csv", "rankings.csv")


@dataclass(frozen=True, eq=False)
class RunContext:
    """A run folder with its scenario and data loaded again from what the manifest names."""

    folder: Path
    manifest: dict[str, Any]
    scenario: Scenario
    dataset: Dataset
    merit: MeritData
    placements: pd.DataFrame
    unfilled: pd.DataFrame
    rankings: pd.DataFrame
    open_selection: MeritData
    """The JPT posts of the run, filled by open selection (shortlisted, never placed)."""
    shortlists: pd.DataFrame


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise RunFolderError(f"{path} is missing; the run folder is incomplete (re-run merit run)")
    return pd.read_csv(
        path, dtype={"vacancy_id": str, "employee_id": str}, keep_default_na=False, na_values=[""]
    )


def open_run(folder: Path, data: Path | None = None) -> RunContext:
    """Load the manifest, the scenario settings it recorded, the data and the run tables."""
    folder = Path(folder)
    path = folder / "manifest.json"
    if not path.is_file():
        raise RunFolderError(f"{folder}: manifest.json is missing; pass a folder `merit run` wrote")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    settings = dict(manifest["scenario"]["settings"])
    data_path = data or (folder / manifest["data"]["path"]).resolve()
    settings["data"] = str(data_path)
    try:
        scenario = Scenario.model_validate(settings)
    except ValidationError as err:
        what = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise RunFolderError(
            f"{folder}: the scenario settings recorded in manifest.json are not ones this "
            f"version of merit knows ({what}); the folder was written by another version: run "
            "the scenario again with this one"
        ) from None
    dataset = load(data_path)
    merit, open_selection = split_open_selection(select_vacancies(dataset.merit, scenario))
    placements, unfilled, rankings = (_read_csv(folder / name) for name in RUN_TABLES)
    shortlists = _read_csv(folder / "shortlists.csv")
    return RunContext(
        folder,
        manifest,
        scenario,
        dataset,
        merit,
        placements,
        unfilled,
        rankings,
        open_selection,
        shortlists,
    )


@dataclass(frozen=True, eq=False)
class Derived:
    """Eligible arcs and scores re-derived by the audit, and its own assignment problem."""

    arcs: pd.DataFrame
    """emp_row, vac_row, vacancy_id, employee_id, score_int, merit_score, components."""
    problem: Problem
    cand_rows: Ints
    tiebreak: Ints
    """Per audit candidate: the documented tie-break key (for ranking equal scores)."""


def derive(ctx: RunContext) -> Derived:
    """Re-derive eligibility and scores for the whole run and build the audit's problem."""
    merit, sc = ctx.merit, ctx.scenario
    elig = assess_eligibility(merit, sc)
    sc_df = score(merit, sc, elig.emp, elig.vac)
    emp_ids = merit.employees["employee_id"].to_numpy(dtype=object)
    vac_ids = merit.vacancies["vacancy_id"].to_numpy(dtype=object)
    emp_rows = np.asarray(elig.emp, dtype=np.int64)
    vac_rows = np.asarray(elig.vac, dtype=np.int64)
    arcs = pd.DataFrame(
        {
            "emp_row": emp_rows,
            "vac_row": vac_rows,
            "vacancy_id": vac_ids[vac_rows],
            "employee_id": emp_ids[emp_rows],
            "score_int": sc_df["score_int"].to_numpy(np.int64),
            "merit_score": sc_df["merit_score"].to_numpy(np.float64),
        }
    )
    for c in COMPONENTS:
        arcs[c.code] = sc_df[c.code].to_numpy(np.float64)
    cand_rows, arc_cand = np.unique(emp_rows, return_inverse=True)
    cands = merit.employees.iloc[cand_rows]
    units = sorted(set(cands["unit"].astype(str)))
    unit_ix = {u: i for i, u in enumerate(units)}
    pairs = {
        (e, v): i
        for i, (e, v) in enumerate(zip(arcs["employee_id"], arcs["vacancy_id"], strict=True))
    }
    pinned = [
        pairs[(p.employee, p.vacancy)]
        for p in sc.constraints.pinned
        if (p.employee, p.vacancy) in pairs
    ]
    problem = Problem(
        n_cand=len(cand_rows),
        n_vac=len(merit.vacancies),
        arc_cand=arc_cand.astype(np.int64),
        arc_vac=vac_rows,
        arc_weight=arcs["score_int"].to_numpy(np.int64),
        vac_tier=vacancy_tiers(merit.vacancies, sc),
        n_tiers=len(sc.priority_tiers) + 1 if sc.priority_tiers else 1,
        cand_unit=cands["unit"].astype(str).map(unit_ix).to_numpy(np.int64),
        max_moves=sc.constraints.max_moves_per_unit,
        pinned=np.array(sorted(pinned), dtype=np.int64),
    )
    hashes = keyed_hash(cands["employee_id"], sc.seed)
    return Derived(arcs, problem, cand_rows, tiebreak_keys(cands, hashes, sc))


def merit_order(ctx: RunContext, d: Derived) -> pd.DataFrame:
    """Eligible arcs with the audit's ranking per vacancy (1 = best)."""
    a = d.arcs.copy()
    cand = np.searchsorted(d.cand_rows, a["emp_row"].to_numpy())
    a["tiebreak"] = d.tiebreak[cand]
    a = a.sort_values(
        ["vacancy_id", "score_int", "tiebreak", "employee_id"],
        ascending=[True, False, False, True],
        kind="mergesort",
    )
    a["rank"] = a.groupby("vacancy_id").cumcount() + 1
    a["arc"] = a.index.to_numpy()
    return a.reset_index(drop=True)
