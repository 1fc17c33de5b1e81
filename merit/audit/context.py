"""Open a run folder for auditing and re-derive every fact from the rules and the input data.

Nothing here reads the solver's view or state: eligibility and scores come from the rule and
component registries applied to the data the manifest names, and the audit builds its own
indices (candidates in employee-row order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from merit.audit.certificate import Ints, Problem
from merit.blinding import keyed_hash, tiebreak_keys, vacancy_tiers
from merit.dataset import Dataset, MeritData, select_vacancies, split_open_selection
from merit.domain.scenario import Scenario
from merit.eligibility import assess_eligibility, check_pairs
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
    scenario = Scenario.model_validate(settings)
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
    cache: dict[str, Any] = field(default_factory=dict)
    """Facts computed once from this derivation (the merit order)."""


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
    pins = pd.DataFrame(
        {
            "vacancy_id": [p.vacancy for p in sc.constraints.pinned],
            "employee_id": [p.employee for p in sc.constraints.pinned],
        },
        dtype=object,
    )
    keys = _arc_keys(merit, emp_rows, vac_rows)
    pin_arcs = _lookup(merit, keys, pins)
    pinned = pin_arcs[pin_arcs >= 0]
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
        pinned=np.array(sorted(pinned.tolist()), dtype=np.int64),
    )
    hashes = keyed_hash(cands["employee_id"], sc.seed)
    return Derived(arcs, problem, cand_rows, tiebreak_keys(cands, hashes, sc), {"arc_keys": keys})


def merit_order(ctx: RunContext, d: Derived) -> pd.DataFrame:
    """Eligible arcs with the audit's ranking per vacancy (1 = best): by vacancy id, then
    score, the documented tie-break, and employee id. Computed once per derivation."""
    if "order" in d.cache:
        return d.cache["order"]
    emp_ids = ctx.merit.employees["employee_id"].astype(str).to_numpy()
    vac_ids = ctx.merit.vacancies["vacancy_id"].astype(str).to_numpy()
    emp_code = np.empty(len(emp_ids), dtype=np.int64)
    emp_code[np.argsort(emp_ids, kind="stable")] = np.arange(len(emp_ids))
    vac_code = np.empty(len(vac_ids), dtype=np.int64)
    vac_code[np.argsort(vac_ids, kind="stable")] = np.arange(len(vac_ids))
    emp_row = d.arcs["emp_row"].to_numpy(np.int64)
    vac_row = d.arcs["vac_row"].to_numpy(np.int64)
    tiebreak = d.tiebreak[np.searchsorted(d.cand_rows, emp_row)]
    o = np.lexsort(
        (emp_code[emp_row], -tiebreak, -d.arcs["score_int"].to_numpy(np.int64), vac_code[vac_row])
    )
    a = d.arcs.iloc[o].reset_index(drop=True)
    a["tiebreak"] = tiebreak[o]
    v = vac_row[o]
    start = np.r_[0, np.flatnonzero(v[1:] != v[:-1]) + 1] if len(v) else np.zeros(0, np.int64)
    sizes = np.diff(np.r_[start, len(v)])
    a["rank"] = np.arange(len(v)) - np.repeat(start, sizes) + 1
    a["arc"] = o
    d.cache["order"] = a
    return a


def arcs_of(ctx: RunContext, d: Derived, pairs: pd.DataFrame) -> Ints:
    """The audit's arc index of each (vacancy_id, employee_id) row of ``pairs``; -1 where the
    pair is not eligible or names an unknown person or post. Integer keys, binary search."""
    return _lookup(ctx.merit, d.cache["arc_keys"], pairs)


def _arc_keys(merit: MeritData, emp_rows: Ints, vac_rows: Ints) -> tuple[Ints, Ints | None]:
    """Each arc's integer key (vacancy row, then employee row), sorted, and the sort order
    (None when the arcs are in key order already, as eligibility returns them)."""
    key = vac_rows.astype(np.int64) * len(merit.employees) + emp_rows
    order = None if bool((np.diff(key) > 0).all()) else np.argsort(key, kind="stable")
    return (key if order is None else key[order]), order


def _lookup(merit: MeritData, arc_keys: tuple[Ints, Ints | None], pairs: pd.DataFrame) -> Ints:
    keys, order = arc_keys
    n_emp = len(merit.employees)
    e = pd.Index(merit.employees["employee_id"].astype(str)).get_indexer(
        pairs["employee_id"].astype(str)
    )
    v = pd.Index(merit.vacancies["vacancy_id"].astype(str)).get_indexer(
        pairs["vacancy_id"].astype(str)
    )
    q = v.astype(np.int64) * n_emp + e
    found = (e >= 0) & (v >= 0)
    if not len(keys):
        return np.full(len(q), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, q), len(keys) - 1)
    found &= keys[at] == q
    arc = at if order is None else order[at]
    return np.where(found, arc, -1).astype(np.int64)


def placed_rules(ctx: RunContext, d: Derived) -> tuple[npt.NDArray[np.bool_], pd.DataFrame]:
    """Every rule re-checked on the placed pairs (once per derivation): which placement rows
    name a known person and post, and the rules' verdicts and facts for those rows."""
    if "placed_rules" not in d.cache:
        p = ctx.placements
        e = pd.Index(ctx.merit.employees["employee_id"].astype(str)).get_indexer(
            p["employee_id"].astype(str)
        )
        v = pd.Index(ctx.merit.vacancies["vacancy_id"].astype(str)).get_indexer(
            p["vacancy_id"].astype(str)
        )
        known = (e >= 0) & (v >= 0)
        d.cache["placed_rules"] = (known, check_pairs(ctx.merit, ctx.scenario, e[known], v[known]))
    known, res = d.cache["placed_rules"]
    return known, res
