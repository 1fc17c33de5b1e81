"""Open a run folder for auditing and re-derive every fact from the rules and the input data.

Nothing here reads the solver's view or state: eligibility and scores come from the rule and
component registries applied to the data the manifest names, and the audit builds its own
indices (candidates in employee-row order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import ValidationError

from merit.audit.certificate import Ints, Problem
from merit.blinding import keyed_hash, tiebreak_keys, vacancy_tiers
from merit.dataset import (
    Dataset,
    MeritData,
    held_post_rows,
    select_vacancies,
    split_open_selection,
    with_held_posts,
)
from merit.domain.scenario import Scenario
from merit.eligibility import assess_eligibility, check_pairs
from merit.errors import RunFolderError
from merit.io.read import load
from merit.scoring import COMPONENTS, Context, score, score_columns
from merit.scoring import context as scoring_context
from merit.view import SCORE_SCALE

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
    held_posts: frozenset[str] = frozenset()
    """A chain round: the held posts of the round (in ``merit.vacancies`` too), by id."""

    @property
    def chains(self) -> bool:
        """A chain round: held posts are posts of the round and holders may move."""
        return self.scenario.chains.enabled


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise RunFolderError(f"{path} is missing; the run folder is incomplete (re-run merit run)")
    return pd.read_csv(
        path,
        dtype={"vacancy_id": str, "employee_id": str, "from_post": str},
        keep_default_na=False,
        na_values=[""],
    )


def open_run(folder: Path, data: Path | None = None, dataset: Dataset | None = None) -> RunContext:
    """Load the manifest, the scenario settings it recorded, the data and the run tables.

    ``dataset``: the input tables as read from the manifest's data path by the same process
    (``merit run`` audits what it read instead of parsing the files a second time); only the
    parsed input, never anything the run derived from it."""
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
    if dataset is None:
        dataset = load(data_path)
    merit, open_selection = split_open_selection(select_vacancies(dataset.merit, scenario))
    held: frozenset[str] = frozenset()
    if scenario.chains.enabled:  # the round's posts: its vacancies and the held posts
        merit = with_held_posts(dataset.merit, merit, scenario)
        homes = held_post_rows(merit)
        ids = merit.vacancies["vacancy_id"].astype(str).to_numpy()
        held = frozenset(ids[homes[homes >= 0]].tolist())
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
        held,
    )


#: Arcs scored per piece while re-deriving: bounds the audit's memory at national size.
SCORE_PIECE = 1 << 21


@dataclass(frozen=True, eq=False)
class Derived:
    """Eligible arcs and scores re-derived by the audit, and its own assignment problem.

    Arcs are integer columns (employee row, vacancy row, quantised score), grouped by vacancy;
    ``frame`` builds the readable table (ids, scores, components) for the arcs a stage needs.
    Candidates are the employee rows."""

    merit: MeritData
    scenario: Scenario
    scoring: Context
    emp_row: Ints
    vac_row: Ints
    score_int: Ints
    problem: Problem
    cand_rows: Ints
    tiebreak: Ints
    """Per audit candidate: the documented tie-break key (for ranking equal scores)."""
    component_sums: npt.NDArray[np.float64]
    """Per employee and component: the sum of the component over the employee's arcs."""
    arc_counts: Ints
    """Per employee: how many eligible arcs they have."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Facts computed once from this derivation (the merit order, arc keys)."""
    homes: Ints | None = None
    """A chain round: per employee row, the vacancy row of the post they hold (-1: none)."""
    stay_arc: Ints | None = None
    """A chain round: per employee row, the ``problem`` arc of their stay (-1: none). Stays
    follow the eligible arcs in ``problem`` (indices from ``n_arcs``); never in the order."""
    fill_tier: Ints | None = None
    """Per vacancy row: the priority tier the run reports fill by (``problem.vac_tier`` puts
    the held posts first when a chain round keeps posts filled)."""

    @property
    def n_arcs(self) -> int:
        return len(self.score_int)

    def frame(self, arcs: Ints, components: bool = True) -> pd.DataFrame:
        """The arcs ``arcs`` as a table: emp_row, vac_row, vacancy_id, employee_id, score_int,
        merit_score and (with ``components``) each component, scored again for these arcs."""
        arcs = np.asarray(arcs, dtype=np.int64)
        e, v = self.emp_row[arcs], self.vac_row[arcs]
        emp_ids = self.merit.employees["employee_id"].to_numpy(dtype=object)
        vac_ids = self.merit.vacancies["vacancy_id"].to_numpy(dtype=object)
        out = pd.DataFrame(
            {
                "emp_row": e.astype(np.int64),
                "vac_row": v.astype(np.int64),
                "vacancy_id": vac_ids[v],
                "employee_id": emp_ids[e],
                "score_int": self.score_int[arcs],
                "merit_score": self.score_int[arcs] / SCORE_SCALE,
            }
        )
        if components:
            sc = score(self.merit, self.scenario, e, v, ctx=self.scoring)
            for c in COMPONENTS:
                out[c.code] = sc[c.code].to_numpy(np.float64)
        return out

    def eligible_ids(self) -> list[str]:
        """Employee ids with at least one eligible arc, sorted."""
        ids = self.merit.employees["employee_id"].to_numpy(dtype=object)
        return sorted(ids[self.arc_counts > 0].tolist())

    def component_means(self) -> pd.DataFrame:
        """Per employee with arcs (index: employee_id, sorted): each component's mean over
        their eligible arcs."""
        has = self.arc_counts > 0
        means = self.component_sums[has] / self.arc_counts[has][:, None]
        ids = self.merit.employees["employee_id"].to_numpy(dtype=object)[has]
        out = pd.DataFrame(means, columns=[c.code for c in COMPONENTS], index=pd.Index(ids))
        out.index.name = "employee_id"
        return out.sort_index()


def derive(ctx: RunContext) -> Derived:
    """Re-derive eligibility and scores for the whole run and build the audit's problem.

    One pass over the arcs, a piece at a time: each piece is scored (the quantised score is
    kept, the components are summed per employee for the disparity screen)."""
    merit, sc = ctx.merit, ctx.scenario
    elig = assess_eligibility(merit, sc)
    n_emp = len(merit.employees)
    # int32 rows: half the memory of a national run's 53 M arcs (any index dtype works below)
    emp_rows = cast(Ints, np.asarray(elig.emp).astype(np.int32, copy=False))
    vac_rows = cast(Ints, np.asarray(elig.vac).astype(np.int32, copy=False))
    del elig
    scoring = scoring_context(merit, sc)
    score_int = np.empty(len(emp_rows), dtype=np.int64)
    sums = np.zeros((n_emp, len(COMPONENTS)), dtype=np.float64)
    for lo in range(0, len(emp_rows), SCORE_PIECE):
        hi = min(lo + SCORE_PIECE, len(emp_rows))
        ints, parts = score_columns(merit, sc, emp_rows[lo:hi], vac_rows[lo:hi], ctx=scoring)
        score_int[lo:hi] = ints
        for j, c in enumerate(COMPONENTS):
            sums[:, j] += np.bincount(emp_rows[lo:hi], weights=parts[c.code], minlength=n_emp)
        del ints, parts
    counts = np.bincount(emp_rows, minlength=n_emp).astype(np.int64)
    cands = merit.employees
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
        n_cand=n_emp,
        n_vac=len(merit.vacancies),
        arc_cand=emp_rows,
        arc_vac=vac_rows,
        arc_weight=score_int,
        vac_tier=vacancy_tiers(merit.vacancies, sc),
        n_tiers=len(sc.priority_tiers) + 1 if sc.priority_tiers else 1,
        cand_unit=cands["unit"].astype(str).map(unit_ix).to_numpy(np.int64),
        max_moves=sc.constraints.max_moves_per_unit,
        pinned=np.array(sorted(pinned.tolist()), dtype=np.int64),
    )
    chain: dict[str, Any] = {}
    if sc.chains.enabled:
        problem, chain = _chain_problem(merit, sc, scoring, problem)
    hashes = keyed_hash(cands["employee_id"], sc.seed)
    return Derived(
        merit,
        sc,
        scoring,
        emp_rows,
        vac_rows,
        score_int,
        problem,
        np.arange(n_emp, dtype=np.int64),
        tiebreak_keys(cands, hashes, sc),
        sums,
        counts,
        {"arc_keys": keys},
        **chain,
    )


def _chain_problem(
    merit: MeritData, sc: Scenario, scoring: Context, p: Problem
) -> tuple[Problem, dict[str, Any]]:
    """A chain round's problem: the eligible arcs, then each holder's stay (their own post,
    scored like any pair); weights are scores, a stay's raised by ``move_cost`` (each move
    counts it against the total); holders are forced (each ends the round in a post: nobody
    loses theirs); with ``keep_posts_filled`` the held posts are a first tier, all held after
    the round. Per-unit moves count net and the budget spans every move: ``AUD-CHAINS``
    checks both, so the problem certified has no unit caps."""
    homes = held_post_rows(merit)
    held = np.flatnonzero(homes >= 0)
    stay_score = score(merit, sc, held, homes[held], ctx=scoring)["score_int"].to_numpy(np.int64)
    bonus = round(sc.chains.move_cost * SCORE_SCALE)
    n_arcs = len(p.arc_cand)
    stay_arc = np.full(p.n_cand, -1, dtype=np.int64)
    stay_arc[held] = n_arcs + np.arange(len(held))
    tiers, n_tiers = p.vac_tier, p.n_tiers
    if sc.constraints.keep_posts_filled:
        is_held = np.zeros(p.n_vac, dtype=bool)
        is_held[homes[held]] = True
        tiers, n_tiers = np.where(is_held, 0, p.vac_tier + 1).astype(np.int64), p.n_tiers + 1
    problem = replace(
        p,
        arc_cand=np.r_[p.arc_cand.astype(np.int64), held],
        arc_vac=np.r_[p.arc_vac.astype(np.int64), homes[held]],
        arc_weight=np.r_[p.arc_weight, stay_score + bonus],
        vac_tier=tiers,
        n_tiers=n_tiers,
        max_moves=None,
        forced=homes >= 0,
    )
    return problem, {"homes": homes, "stay_arc": stay_arc, "fill_tier": p.vac_tier}


#: With a rankings limit, the merit order keeps at least this many per vacancy: the ten
#: counterfactuals, the best and the one placed.
ORDER_DEPTH = 12


def merit_order(ctx: RunContext, d: Derived) -> pd.DataFrame:
    """Eligible arcs with the audit's ranking per vacancy (1 = best): by vacancy id, then
    score, the documented tie-break, and employee id. Computed once per derivation.

    When the run lists only the best ``rankings_limit`` of each vacancy, the order keeps, of
    each post, the arcs scoring at least its ``max(limit, ORDER_DEPTH)``-th best score and
    everyone scoring at least its appointee (ties included, so every kept rank is the rank
    among all the arcs), and every arc of a post left empty."""
    if "order" in d.cache:
        return d.cache["order"]
    limit = ctx.manifest.get("rankings_limit")
    emp_ids = ctx.merit.employees["employee_id"].astype(str).to_numpy()
    vac_ids = ctx.merit.vacancies["vacancy_id"].astype(str).to_numpy()
    emp_code = np.empty(len(emp_ids), dtype=np.int64)
    emp_code[np.argsort(emp_ids, kind="stable")] = np.arange(len(emp_ids))
    vac_code = np.empty(len(vac_ids), dtype=np.int64)
    vac_code[np.argsort(vac_ids, kind="stable")] = np.arange(len(vac_ids))
    placed = arcs_of(ctx, d, ctx.placements)
    placed = np.unique(placed[placed >= 0])
    if limit is None:
        sub = np.arange(d.n_arcs, dtype=np.int64)
    else:
        sub = _best_arcs(d, max(int(limit), ORDER_DEPTH), placed)
    emp_row = d.emp_row[sub].astype(np.int64)
    vac_row = d.vac_row[sub].astype(np.int64)
    tiebreak = d.tiebreak[emp_row]
    o = np.lexsort((emp_code[emp_row], -tiebreak, -d.score_int[sub], vac_code[vac_row]))
    sub, v = sub[o], vac_row[o]
    start = np.r_[0, np.flatnonzero(v[1:] != v[:-1]) + 1] if len(v) else np.zeros(0, np.int64)
    rank = np.arange(len(v)) - np.repeat(start, np.diff(np.r_[start, len(v)])) + 1
    a = d.frame(sub, components=False)  # explanations score their own rows' components
    a["tiebreak"] = d.tiebreak[d.emp_row[sub]]
    a["rank"] = rank
    a["arc"] = sub
    d.cache["order"] = a
    return a


def _segments(d: Derived) -> Ints:
    """Each vacancy's first arc (arcs are grouped by vacancy, as eligibility returns them)."""
    if "segments" not in d.cache:
        if len(d.vac_row) > 1 and not bool((np.diff(d.vac_row) >= 0).all()):
            raise ValueError("the audit's arcs must be grouped by vacancy")
        counts = np.bincount(d.vac_row, minlength=len(d.merit.vacancies))
        d.cache["segments"] = np.r_[0, np.cumsum(counts)].astype(np.int64)
    bounds: Ints = d.cache["segments"]
    return bounds


def _best_arcs(d: Derived, depth: int, placed: Ints) -> Ints:
    """Per vacancy: the arcs scoring at least the lower of its ``depth``-th best score and
    its appointee's score (ties kept); every arc of a vacancy nobody was placed in."""
    bounds = _segments(d)
    n_vac = len(bounds) - 1
    floor = np.full(n_vac, np.iinfo(np.int64).min, dtype=np.int64)  # empty posts: all arcs
    floor[d.vac_row[placed]] = d.score_int[placed]
    out: list[Ints] = []
    for v in range(n_vac):
        lo, hi = int(bounds[v]), int(bounds[v + 1])
        seg = d.score_int[lo:hi]
        if hi - lo > depth:
            kth = int(np.partition(seg, hi - lo - depth)[hi - lo - depth])
            out.append(lo + np.flatnonzero(seg >= min(kth, int(floor[v]))))
        else:
            out.append(np.arange(lo, hi, dtype=np.int64))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


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
