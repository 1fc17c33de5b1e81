"""The one place that runs the stages in order: select, eligibility, score, blind, solve, map back.

``place(data, scenario)`` is the library entry point; the CLI and the run folder writer are
thin layers over it. Every table of the ``Result`` is sorted by ids so outputs are reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from merit.blinding import (
    BlindKey,
    blind,
    candidate_order,
    keyed_hash,
    tiebreak_keys,
    vacancy_tiers,
)
from merit.dataset import (
    Dataset,
    MeritData,
    held_post_rows,
    select_vacancies,
    split_open_selection,
    with_held_posts,
)
from merit.domain.results import Placement, Unfilled, UnfilledReason
from merit.domain.scenario import Scenario, unknown_names
from merit.eligibility import assess_eligibility
from merit.errors import InfeasibleError, ScenarioError, SolverError
from merit.scoring import COMPONENTS, Context, context, score, score_ints
from merit.segments import segment_bounds
from merit.solver import Solution, SolveStatus, solve
from merit.solver.chains import chains
from merit.view import SolverView

Progress = Callable[[str, str], None]
SHORTLIST = ["vacancy_id", "employee_id", "merit_score", "rank"]
#: Above the eligibility detail limit, rankings.csv keeps this many candidates per vacancy.
RANKINGS_LIMIT = 100


def _quiet(stage: str, detail: str) -> None:
    return None


@dataclass(frozen=True, eq=False)
class Result:
    """A placement with everything needed to write, explain and audit it."""

    scenario: Scenario
    solution: Solution
    placements: pd.DataFrame
    """vacancy_id, employee_id, merit_score, rank_in_vacancy, then one column per component."""
    unfilled: pd.DataFrame
    """vacancy_id, reason (UnfilledReason code), detail."""
    rankings: pd.DataFrame
    """Every eligible pair: vacancy_id, employee_id, merit_score, rank, placed."""
    eligibility: pd.DataFrame
    """Failed pairs (vacancy_id, employee_id, rules) or, at scale, counts per vacancy and rule."""
    vacancies: pd.DataFrame
    """The vacancies of the run: vacancy_id, title, unit, position_level."""
    counts: dict[str, int]
    view_fields: list[str]
    eligibility_detail: bool
    rankings_limit: int | None
    """None: rankings list every eligible pair; else the best N per vacancy (and placed pairs)."""
    stage_seconds: dict[str, float] = field(default_factory=dict)
    """Wall time per stage (for the screen and the benchmark; never written to outputs)."""
    shortlists: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SHORTLIST))
    """JPT posts (open selection): vacancy_id, employee_id, merit_score, rank; the best
    ``scenario.eligibility.jpt_shortlist`` eligible candidates of each, for the committee."""
    held_posts: tuple[str, ...] = ()
    """A chain round: the held posts of the round (in ``vacancies`` too), by id."""

    @property
    def status(self) -> SolveStatus:
        return self.solution.status

    @property
    def proven_optimal(self) -> bool:
        return self.solution.status is SolveStatus.OPTIMAL

    def vacancies_filled_by_tier(self) -> list[int]:
        """Vacancies of the round filled, per priority tier (a chain round's held posts are
        not counted: they were filled before the round)."""
        vac = self.vacancies[~self.vacancies["vacancy_id"].isin(self.held_posts)]
        tiers = vacancy_tiers(vac, self.scenario)
        filled = vac["vacancy_id"].isin(self.placements["vacancy_id"]).to_numpy()
        n = len(self.scenario.priority_tiers) + 1
        return [int(x) for x in np.bincount(tiers[filled], minlength=n)]

    def placement_records(self) -> list[Placement]:
        cols = ["vacancy_id", "employee_id", "merit_score", "rank_in_vacancy"]
        return [Placement(**r) for r in self.placements[cols].to_dict(orient="records")]

    def unfilled_records(self) -> list[Unfilled]:
        return [
            Unfilled(
                vacancy_id=r["vacancy_id"], reason=UnfilledReason(r["reason"]), detail=r["detail"]
            )
            for r in self.unfilled.to_dict(orient="records")
        ]


def place(data: Dataset | MeritData, scenario: Scenario, progress: Progress = _quiet) -> Result:
    """Place candidates into the scenario's vacancies, by merit alone.

    Accepts a ``Dataset`` (its protected table is dropped here, before any decision) or the
    ``MeritData`` alone. Raises ``ScenarioError`` when the scenario names a unit, vacancy or
    employee the data does not have, ``InfeasibleError`` when pins or side constraints conflict.
    """
    merit = data.merit if isinstance(data, Dataset) else data
    check_names(scenario, merit, f"scenario {scenario.name!r}")
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    full = merit
    merit, open_selection = split_open_selection(select_vacancies(merit, scenario))
    homes = None
    if scenario.chains.enabled:  # every held post a mover frees is a vacancy of this solve
        merit = with_held_posts(full, merit, scenario)
        homes = held_post_rows(merit)
    n_pairs = len(merit.employees) * len(merit.vacancies)
    progress(
        "eligibility", f"{len(merit.employees):,} employees x {len(merit.vacancies):,} vacancies"
    )
    # arcs come out in the view's order (vacancy, then keyed-hash candidate order)
    hashes = keyed_hash(merit.employees["employee_id"], scenario.seed)  # once: blind reuses them
    order = candidate_order(merit.employees, scenario.seed, hashes)
    elig = assess_eligibility(merit, scenario, employee_order=order)
    seconds["eligibility"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("scoring", f"{len(elig.emp):,} eligible pairs")
    scoring = context(merit, scenario)  # built once: the listed pairs are scored again
    score_int = score_ints(merit, scenario, elig.emp, elig.vac, ctx=scoring)
    arc_emp, arc_vac = elig.emp, elig.vac
    if homes is not None:  # each holder's stay: their score for their own post
        held = np.flatnonzero(homes >= 0)
        arc_emp, arc_vac = np.r_[arc_emp, held], np.r_[arc_vac, homes[held]]
        score_int = np.r_[score_int, score_ints(merit, scenario, held, homes[held], ctx=scoring)]
    seconds["scoring"] = time.perf_counter() - t
    t = time.perf_counter()
    view, key = blind(merit, scenario, arc_emp, arc_vac, score_int, hashes, homes=homes)
    failures, detail = _failures(merit, elig), elig.detail
    del elig, score_int, arc_emp, arc_vac  # the view holds what is needed from here
    seconds["blinding"] = time.perf_counter() - t
    t = time.perf_counter()
    progress("solving", f"{view.n_candidates:,} candidates, {view.n_arcs:,} arcs")
    solution = solve(view)
    if solution.status is SolveStatus.INFEASIBLE:
        raise InfeasibleError(_infeasible(scenario))
    seconds["solving"] = time.perf_counter() - t
    t = time.perf_counter()
    limit = None if detail else RANKINGS_LIMIT
    rankings, placements = _rank_and_place(merit, scenario, scoring, view, key, solution, limit)
    unfilled = _unfilled(merit, view, key, solution, placements)
    if view.chains:
        placements = _with_chains(merit, view, key, solution, placements)
    shortlists = shortlist(open_selection, scenario, hashes)  # the same employees
    seconds["mapping"] = time.perf_counter() - t
    counts = {
        "employees": len(merit.employees),
        "vacancies": len(merit.vacancies),
        "pairs_considered": n_pairs,
        "eligible_pairs": int(view.n_arcs),
        "candidates": int(view.n_candidates),
        "filled": len(placements),
        "unfilled": len(unfilled),
        "open_selection": len(open_selection.vacancies),
    }
    if homes is not None:
        held_rows = homes[homes >= 0]
        counts["held_posts"] = len(held_rows)
        counts["vacancies"] -= len(held_rows)
        counts["vacancies_filled"] = int(
            (
                ~np.isin(
                    placements["vacancy_id"], merit.vacancies["vacancy_id"].to_numpy()[held_rows]
                )
            ).sum()
        )
        counts["moves"] = int(solution.stats.get("moves", 0))
        counts["chains"] = int(solution.stats.get("chains", 0))
    return Result(
        scenario=scenario,
        solution=solution,
        placements=placements,
        unfilled=unfilled,
        rankings=rankings,
        eligibility=failures,
        vacancies=merit.vacancies[["vacancy_id", "title", "unit", "position_level"]].copy(),
        counts=counts,
        view_fields=SolverView.field_names(),
        eligibility_detail=bool(detail),
        rankings_limit=limit,
        stage_seconds=seconds,
        shortlists=shortlists,
        held_posts=tuple(merit.vacancies["vacancy_id"].to_numpy()[homes[homes >= 0]].tolist())
        if homes is not None
        else (),
    )


def shortlist(
    data: MeritData, scenario: Scenario, hashes: np.ndarray | None = None
) -> pd.DataFrame:
    """The best eligible candidates of each post filled by open selection, by merit score
    then the documented tie-break; the selection committee decides, the run places nobody.
    ``hashes``: the employees' ``keyed_hash``, when the caller has them."""
    if not len(data.vacancies):
        return pd.DataFrame(columns=SHORTLIST)
    # the eligible pairs only: no table of every failed pair (it is not written for JPT posts)
    elig = assess_eligibility(data, scenario, detail=False)
    emp, vac = np.asarray(elig.emp, dtype=np.int64), np.asarray(elig.vac, dtype=np.int64)
    scores = score_ints(data, scenario, emp, vac)
    if hashes is None or len(hashes) != len(data.employees):
        hashes = keyed_hash(data.employees["employee_id"], scenario.seed)
    tiebreak = tiebreak_keys(data.employees, hashes, scenario)
    order = np.lexsort((hashes[emp], -tiebreak[emp], -scores, vac))
    emp, vac, scores = emp[order], vac[order], scores[order]
    rank = np.arange(len(vac)) - np.searchsorted(vac, vac, side="left") + 1
    keep = rank <= scenario.eligibility.jpt_shortlist
    return pd.DataFrame(
        {
            "vacancy_id": data.vacancies["vacancy_id"].to_numpy(dtype=object)[vac[keep]],
            "employee_id": data.employees["employee_id"].to_numpy(dtype=object)[emp[keep]],
            "merit_score": scores[keep] / 10_000,
            "rank": rank[keep],
        }
    )


def _rank_and_place(
    merit: MeritData,
    scenario: Scenario,
    scoring: Context,
    view: SolverView,
    key: BlindKey,
    solution: Solution,
    limit: int | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rank eligible pairs within their vacancy (score, then the tie-break) and map back.

    With ``limit``, rankings keep the best ``limit`` candidates of each vacancy (and every
    placed pair); vacancies are in id order because their indices follow the sorted ids.
    The score components are computed here, for the listed pairs only.
    """
    emp_ids = merit.employees["employee_id"].to_numpy(dtype=object)
    vac_ids = merit.vacancies["vacancy_id"].to_numpy(dtype=object)
    # candidates in tie-break order (merit criteria, then the full keyed hash)
    by_tiebreak = np.lexsort((key.candidate_hash, -view.candidate_tiebreak))
    worse = np.empty(view.n_candidates, dtype=np.int64)
    worse[by_tiebreak] = np.arange(view.n_candidates)
    n_c = max(view.n_candidates, 1)

    def merit_key(arcs: np.ndarray) -> np.ndarray:
        """Score, then tie-break, as one integer (unique within a vacancy)."""
        return view.arc_score[arcs] * n_c + (n_c - 1 - worse[view.arc_candidate[arcs]])

    bounds = segment_bounds(view.arc_vacancy, view.n_vacancies)
    placed_arcs = np.asarray(solution.chosen_arcs, dtype=np.int64)
    placed_arcs = placed_arcs[~view.arc_is_stay(placed_arcs)]  # a chain round's stays
    if limit is None:
        listed = np.arange(view.n_arcs, dtype=np.int64)
    else:
        best, above = _best_arcs(view, worse, bounds, limit, placed_arcs)
        listed = np.sort(np.concatenate((best, placed_arcs)))
        listed = listed[np.r_[True, listed[1:] != listed[:-1]]]  # a placed arc may be a best
    if view.chains:  # rankings list the candidates who would move, not the holder staying
        listed = listed[~view.arc_is_stay(listed)]
    arcs = listed[np.lexsort((-merit_key(listed), view.arc_vacancy[listed]))]
    vac = view.arc_vacancy[arcs]
    rank = np.arange(len(arcs)) - np.searchsorted(vac, vac, side="left") + 1
    placed = np.isin(arcs, placed_arcs)
    if limit is not None:  # a placed pair below the listed best: rank among all its arcs
        for i in np.flatnonzero(placed & (rank > limit)):
            rank[i] = 1 + above[int(arcs[i])]
    emp_rows = key.emp_rows(arcs)
    rankings = pd.DataFrame(
        {
            "vacancy_id": vac_ids[vac],
            "employee_id": emp_ids[emp_rows],
            "merit_score": view.arc_score[arcs] / 10_000,
            "rank": rank,
            "placed": placed,
        }
    )
    components = score(merit, scenario, emp_rows, vac, ctx=scoring)
    if not np.array_equal(components["score_int"].to_numpy(), view.arc_score[arcs]):
        raise SolverError("the listed scores differ from the solver's; please report this bug")
    for c in COMPONENTS:
        rankings[c.code] = components[c.code].to_numpy()
    placements = rankings[rankings["placed"]].drop(columns="placed")
    placements = placements.rename(columns={"rank": "rank_in_vacancy"}).reset_index(drop=True)
    return rankings, placements


def _best_arcs(
    view: SolverView, worse: np.ndarray, bounds: np.ndarray, limit: int, placed: np.ndarray
) -> tuple[np.ndarray, dict[int, int]]:
    """The ``limit`` best arcs of each vacancy by score, then tie-break (lower ``worse``); and
    for each ``placed`` arc not among them, how many arcs of its vacancy rank above it.

    Scores alone pick them: the ``limit``-th best score of the vacancy is the threshold, every
    arc above it is in, and the tie-break is looked up only for the arcs at the threshold.
    """
    out: list[np.ndarray] = []
    above: dict[int, int] = {}
    b = bounds.tolist()
    placed = np.sort(placed)
    first = np.searchsorted(placed, bounds).tolist()  # vacancy v: placed[first[v]:first[v+1]]
    for v in range(view.n_vacancies):
        lo, hi = b[v], b[v + 1]
        seg = view.arc_score[lo:hi]
        stays = 0
        if view.chains:  # a holder's stay is no candidate: never among the best, never above
            stay = view.arc_is_stay(np.arange(lo, hi))
            seg, stays = np.where(stay, -1, seg), int(stay.sum())
        if hi - lo - stays <= limit:
            out.append(np.arange(lo, hi, dtype=np.int64))
            continue
        kth = np.partition(seg, hi - lo - limit)[hi - lo - limit]  # the limit-th best score
        best = np.flatnonzero(seg >= kth)
        if len(best) > limit:  # more arcs at the threshold score than places left
            s = seg[best]
            over, tied = best[s > kth], best[s == kth]
            w = worse[view.arc_candidate[lo + tied]]
            tied = tied[np.argpartition(w, limit - len(over) - 1)[: limit - len(over)]]
            best = np.concatenate((over, tied))
        out.append(best + lo)
        for arc in placed[first[v] : first[v + 1]].tolist():
            score = seg[arc - lo]
            if score > kth or (score == kth and (best == arc - lo).any()):
                continue  # among the best
            ties = view.arc_candidate[lo + np.flatnonzero(seg == score)]
            better = worse[ties] < worse[view.arc_candidate[arc]]
            above[arc] = int(np.count_nonzero(seg > score) + np.count_nonzero(better))
    return (np.concatenate(out) if out else np.zeros(0, dtype=np.int64)), above


def check_names(scenario: Scenario, merit: MeritData, file: str) -> None:
    """Refuse a scenario naming units, vacancies or employees the data does not have."""
    units = set(merit.vacancies["unit"].astype(str)) | set(merit.employees["unit"].astype(str))
    problems = unknown_names(
        scenario,
        units=units,
        vacancies=set(merit.vacancies["vacancy_id"].astype(str)),
        employees=set(merit.employees["employee_id"].astype(str)),
        file=file,
    )
    if problems:
        raise ScenarioError(
            f"{file}: {len(problems)} name(s) in the scenario are not in the data: "
            + "; ".join(p.message for p in problems),
            problems,
        )


def _infeasible(scenario: Scenario) -> str:
    """Why no placement exists, in the scenario's own terms."""
    c = scenario.constraints
    active = [f"{len(c.pinned)} pinned placement(s)"] if c.pinned else []
    if c.budget is not None:
        active.append(f"budget = {c.budget:,} (Rp)")
    if c.max_moves_per_unit is not None:
        active.append(f"max_moves_per_unit = {c.max_moves_per_unit}")
    return (
        "no placement satisfies the scenario's constraints together ("
        + (", ".join(active) or "none named")
        + "), not even leaving posts empty; nothing was placed or written. Relax one of them "
        "in [constraints] and run again"
    )


def _unfilled(
    merit: MeritData,
    view: SolverView,
    key: BlindKey,
    solution: Solution,
    placements: pd.DataFrame,
) -> pd.DataFrame:
    vac_ids = merit.vacancies["vacancy_id"].to_numpy(dtype=object)
    filled = set(placements["vacancy_id"])
    placed_cands = np.zeros(view.n_candidates, dtype=bool)
    placed_cands[view.arc_candidate[solution.chosen_arcs]] = True
    bounds = segment_bounds(view.arc_vacancy, view.n_vacancies)
    held = np.zeros(view.n_vacancies, dtype=bool)
    stayed = np.zeros(view.n_vacancies, dtype=bool)
    if view.candidate_home is not None:
        home = view.candidate_home
        held[home[home >= 0]] = True
        chosen = solution.chosen_arcs
        stayed[view.arc_vacancy[chosen[view.arc_is_stay(chosen)]]] = True
    rows: list[dict[str, Any]] = []
    for v, vid in enumerate(vac_ids):
        if vid in filled or stayed[v]:
            continue
        lo, hi = int(bounds[v]), int(bounds[v + 1])
        if held[v]:
            reason = UnfilledReason.FREED_NOT_REFILLED
        elif hi == lo:
            reason = UnfilledReason.NO_ELIGIBLE_CANDIDATE
        elif solution.status is not SolveStatus.OPTIMAL:
            reason = UnfilledReason.NOT_PROVEN
        elif not placed_cands[view.arc_candidate[lo:hi]].all():
            reason = UnfilledReason.BLOCKED_BY_CONSTRAINT
        else:
            reason = UnfilledReason.CANDIDATES_PLACED_ELSEWHERE
        rows.append({"vacancy_id": vid, "reason": reason.value, "detail": reason.sentence("en")})
    return pd.DataFrame(rows, columns=["vacancy_id", "reason", "detail"])


def _with_chains(
    merit: MeritData, view: SolverView, key: BlindKey, solution: Solution, placements: pd.DataFrame
) -> pd.DataFrame:
    """A chain round's placements with ``from_post`` (the post the mover leaves, empty when
    they held none in the round), ``chain`` (1.. by head vacancy, rotations last) and ``step``
    (1 = the move into the chain's vacant post)."""
    assert view.candidate_home is not None
    found = chains(view, solution.chosen_arcs)
    arcs = np.array([a for c in found for a in c.arcs], dtype=np.int64)
    number = np.repeat(np.arange(1, len(found) + 1), [c.length for c in found])
    step = np.concatenate([np.arange(1, c.length + 1) for c in found] or [np.zeros(0, int)])
    home = view.candidate_home[view.arc_candidate[arcs]]
    vac_ids = merit.vacancies["vacancy_id"].to_numpy(dtype=object)
    emp_ids = merit.employees["employee_id"].to_numpy(dtype=object)
    moved = pd.DataFrame(
        {
            "vacancy_id": vac_ids[view.arc_vacancy[arcs]],
            "employee_id": emp_ids[key.emp_rows(arcs)],
            "from_post": np.where(home >= 0, vac_ids[np.maximum(home, 0)], ""),
            "chain": number.astype(np.int64),
            "step": step.astype(np.int64),
        }
    )
    out = placements.merge(moved, on=["vacancy_id", "employee_id"], how="left", validate="1:1")
    columns = list(placements.columns)
    columns.insert(2, "from_post")
    return out[[*columns, "chain", "step"]]


def _failures(merit: MeritData, elig: Any) -> pd.DataFrame:
    f = elig.failures
    if not elig.detail:
        return f.reset_index(drop=True)
    emp_ids = merit.employees["employee_id"].to_numpy(dtype=object)
    vac_ids = merit.vacancies["vacancy_id"].to_numpy(dtype=object)
    out = pd.DataFrame(
        {
            "vacancy_id": vac_ids[f["vac"].to_numpy()],
            "employee_id": emp_ids[f["emp"].to_numpy()],
            "rules": f["rules"].to_numpy(),
        }
    )
    return out.sort_values(["vacancy_id", "employee_id"], kind="mergesort").reset_index(drop=True)
