"""Per-placement explanations, exact counterfactual margins and reasons for unfilled posts.

All facts come from the audit's re-derivation (``Derived``) and its certificate; the runner-up
of a vacancy is the next candidate in the merit order (score, then the documented tie-break).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from merit.audit.certificate import Residual, margins
from merit.audit.context import Derived, RunContext, arcs_of, placed_rules
from merit.domain.results import UnfilledReason
from merit.eligibility import RULES, active_rules, check_pairs
from merit.scoring import COMPONENTS
from merit.view import SCORE_SCALE

_RUNNER_UP_REASONS = {
    "LOWER_SCORE": (
        "has a lower merit score for this post",
        "memiliki skor merit lebih rendah untuk jabatan ini",
    ),
    "TIE_BREAK": (
        "has the same merit score and lost on the documented tie-break (golongan, time "
        "in golongan, education, then a keyed hash)",
        "memiliki skor merit sama dan kalah pada pemecah seri yang didokumentasikan "
        "(golongan, masa golongan, pendidikan, lalu hash berkunci)",
    ),
    "PLACED_ELSEWHERE": (
        "was placed in another post, which gives a larger total for the city",
        "ditempatkan pada jabatan lain yang memberi total lebih besar bagi kota",
    ),
    "KEPT_OWN_POST": (
        "kept their own post in this chain round: moving them would not raise the round's "
        "total by more than the move cost",
        "tetap memegang jabatannya sendiri dalam putaran rantai ini: memindahkannya tidak "
        "menaikkan total putaran lebih dari biaya perpindahan",
    ),
    "SIDE_CONSTRAINT": (
        "was kept out by a side constraint of the scenario",
        "tertahan oleh batasan skenario",
    ),
}


def _unassessed(ctx: RunContext) -> dict[str, set[str]]:
    """Per component, the employees it has no data for: no competency assessment at all
    ("belum diases"), no SKP in the scored window. Their value is then a policy, not a
    measurement, and explanations say so instead of showing a bare zero."""
    m, sc = ctx.merit, ctx.scenario
    ids = set(m.employees["employee_id"].astype(str))
    last = sc.placement_date.year - 1
    window = range(last - sc.scoring.performance_years + 1, last + 1)
    rated = m.performance[m.performance["year"].isin(list(window))]["employee_id"]
    reported = m.employees.loc[m.employees["jpm_percent"].notna(), "employee_id"].astype(str)
    return {  # each distinct id once: a national competency table has millions of rows
        "jpm": ids - {str(x) for x in m.competencies["employee_id"].unique()} - set(reported),
        "performance": ids - {str(x) for x in rated.unique()},
    }


def _components(
    row: Any, weights: dict[str, float], unassessed: dict[str, set[str]]
) -> list[dict[str, Any]]:
    eid = str(row["employee_id"])
    return [
        {
            "code": c.code,
            "name_en": c.name_en,
            "name_id": c.name_id,
            "value": round(float(row[c.code]), 4),
            "weight": round(weights[c.code], 6),
            "contribution": round(float(row[c.code]) * weights[c.code], 4),
            "assessed": eid not in unassessed.get(c.code, ()),
        }
        for c in COMPONENTS
    ]


def explanations(
    ctx: RunContext, d: Derived, order: pd.DataFrame, gaps: dict[int, float]
) -> list[dict[str, Any]]:
    """One explanation per placement: breakdown, rules passed, runner-up and why."""
    weights = ctx.scenario.weights.normalised()
    vac = ctx.merit.vacancies.set_index("vacancy_id")
    placed_emp = set(ctx.placements["employee_id"])
    stayers: set[str] = set()
    if ctx.chains:  # holders who kept their post
        emp = ctx.merit.employees
        holds = emp["current_post_id"].isin(sorted(ctx.held_posts)).to_numpy()
        stayers = set(emp.loc[holds, "employee_id"].astype(str)) - placed_emp
    rules_of = _rules_that_ran(ctx, d)
    unassessed = _unassessed(ctx)
    # Per vacancy: the placed pair's row in the merit order and the runner-up's (the best
    # other candidate: rank 1, or rank 2 when the placed one is first). No per-vacancy scan.
    placed_arcs = arcs_of(ctx, d, ctx.placements)
    near = order[(order["rank"].to_numpy() <= 2) | order["arc"].isin(placed_arcs).to_numpy()]
    me_mask = near["arc"].isin(placed_arcs).to_numpy()
    mine = near[me_mask].drop_duplicates("vacancy_id")
    parts = d.frame(mine["arc"].to_numpy(np.int64))
    mine = mine.assign(**{c.code: parts[c.code].to_numpy() for c in COMPONENTS})
    others = near[~me_mask & near["rank"].le(2).to_numpy()].drop_duplicates("vacancy_id")
    runner_of = {str(r["vacancy_id"]): r for r in others.to_dict(orient="records")}
    titles = dict(zip(vac.index, vac["title"].astype(str), strict=True))
    units = dict(zip(vac.index, vac["unit"].astype(str), strict=True))
    out = []
    for me in mine.to_dict(orient="records"):
        vid = me["vacancy_id"]
        runner = None
        ru = runner_of.get(str(vid))
        if ru is not None:
            if ru["score_int"] < me["score_int"]:
                code = "LOWER_SCORE"
            elif ru["employee_id"] in placed_emp:
                code = "PLACED_ELSEWHERE"
            elif ru["employee_id"] in stayers:
                code = "KEPT_OWN_POST"
            elif ru["score_int"] == me["score_int"]:
                code = "TIE_BREAK"
            else:
                code = "SIDE_CONSTRAINT"
            en, idn = _RUNNER_UP_REASONS[code]
            gap = gaps.get(int(ru["arc"]))
            runner = {
                "employee_id": ru["employee_id"],
                "merit_score": round(float(ru["merit_score"]), 4),
                "margin": round(float(me["merit_score"] - ru["merit_score"]), 4),
                "exact_margin": None if gap is None or not np.isfinite(gap) else gap,
                "reason_code": code,
                "reason_en": en,
                "reason_id": idn,
            }
        out.append(
            {
                "vacancy_id": vid,
                "title": titles[vid],
                "unit": units[vid],
                "employee_id": me["employee_id"],
                "merit_score": round(float(me["merit_score"]), 4),
                "rank_in_vacancy": int(me["rank"]),
                "components": _components(me, weights, unassessed),
                "rules_passed": rules_of(str(me["employee_id"]), str(vid)),
                "runner_up": runner,
            }
        )
    return out


def _rules_that_ran(ctx: RunContext, d: Derived) -> Any:
    """For a placed pair: every rule the scenario ran, with its citation and its facts for
    that pair in both languages (re-derived here, from the data and the rules)."""
    p = ctx.placements
    known, res = placed_rules(ctx, d)
    row = {
        (str(a), str(b)): i
        for i, (a, b) in enumerate(
            zip(p["employee_id"][known], p["vacancy_id"][known], strict=True)
        )
    }
    rules = active_rules(ctx.scenario)
    # once per rule, not per pair: its citation, its columns of facts and its verdicts
    fixed = [
        (
            r,
            {
                "code": r.code,
                "name_en": r.name_en,
                "name_id": r.name_id,
                "citation": r.citation,
                "citation_en": r.citation_en,
            },
        )
        for r in rules
    ]
    fact_cols = {
        r.code: [
            (c[len(r.code) + 1 :], res[c].tolist())
            for c in res.columns
            if c.startswith(f"{r.code}:")
        ]
        for r in rules
    }
    passed = {r.code: res[r.code].tolist() for r in rules if r.code in res.columns}

    def of(employee_id: str, vacancy_id: str) -> list[dict[str, Any]]:
        i = row.get((employee_id, vacancy_id))
        out = []
        for r, head in fixed:
            facts = {} if i is None else {k: col[i] for k, col in fact_cols[r.code]}
            out.append(
                {
                    **head,
                    "passed": bool(passed[r.code][i]) if i is not None else None,
                    "fact_id": r.fact(facts, "id") if facts else "",
                    "fact_en": r.fact(facts, "en") if facts else "",
                }
            )
        return out

    return of


def counterfactuals(
    ctx: RunContext, d: Derived, order: pd.DataFrame, res: Residual | None
) -> tuple[list[dict[str, Any]], dict[int, float]]:
    """Exact margins for every eligible, unplaced (candidate, vacancy) pair."""
    keys = pd.MultiIndex.from_frame(ctx.placements[["vacancy_id", "employee_id"]])
    mask = ~pd.MultiIndex.from_frame(order[["vacancy_id", "employee_id"]]).isin(keys)
    rows = order[mask]
    if res is None or res.potentials is None or not len(rows):
        return [], {}
    pinned = set(d.problem.pinned.tolist())
    rows = rows[~rows["arc"].isin(pinned)]
    gap = margins(d.problem, res, rows["arc"].to_numpy(np.int64))
    per_level = _jpm_step(ctx, d, rows)
    out: list[dict[str, Any]] = []
    by_arc: dict[int, float] = {}
    for r, g, step in zip(rows.itertuples(), gap, per_level, strict=True):
        finite = bool(np.isfinite(g))
        margin = round(float(g) / SCORE_SCALE, 4) if finite else None
        if margin is not None:
            by_arc[int(r.arc)] = margin
        out.append(
            {
                "vacancy_id": r.vacancy_id,
                "employee_id": r.employee_id,
                "merit_score": round(float(r.merit_score), 4),
                "margin": margin,
                "reachable": finite,
                "competency_gap": None if margin is None else _gap_closing(margin, step),
            }
        )
    return out, by_arc


def _jpm_step(ctx: RunContext, d: Derived, rows: pd.DataFrame) -> list[dict[str, Any]]:
    """Per pair: merit points gained per competency level closed, and the open gaps.

    In bulk: the pairs joined once to their posts' standards and the people's levels."""
    w = ctx.scenario.weights.normalised()["jpm"]
    std = ctx.merit.standards[["vacancy_id", "competency_code", "required_level"]]
    need = std.groupby("vacancy_id")["required_level"].sum()
    pairs = pd.DataFrame(
        {
            "i": np.arange(len(rows)),
            "vacancy_id": rows["vacancy_id"].to_numpy(),
            "employee_id": rows["employee_id"].to_numpy(),
        }
    )
    levels = ctx.merit.competencies[["employee_id", "competency_code", "level"]]
    levels = levels.drop_duplicates(["employee_id", "competency_code"], keep="last")
    x = pairs.merge(std, on="vacancy_id").merge(
        levels, on=["employee_id", "competency_code"], how="left"
    )
    have = x["level"].fillna(0).to_numpy(np.int64)
    req = x["required_level"].to_numpy(np.int64)
    open_ = x[have < req]
    gaps: list[dict[str, int]] = [{} for _ in range(len(rows))]
    for i, code, g in zip(
        open_["i"].tolist(),
        open_["competency_code"].tolist(),
        (req - have)[have < req].tolist(),
        strict=True,
    ):
        gaps[i][code] = int(g)
    total = need.reindex(pairs["vacancy_id"]).fillna(0).to_numpy(np.int64).tolist()
    return [
        {"points": 100.0 * w / n if n else 0.0, "gaps": gp}
        for n, gp in zip(total, gaps, strict=True)
    ]


def _gap_closing(margin: float, step: dict[str, Any]) -> dict[str, Any] | None:
    """The fewest competency levels (largest gaps first) whose closing exceeds the margin."""
    if step["points"] <= 0 or not step["gaps"]:
        return None
    levels = int(np.floor((margin + 1 / SCORE_SCALE) / step["points"] - 1e-12)) + 1
    levels = max(levels, 1)
    if levels > sum(step["gaps"].values()):
        return None
    plan, left = {}, levels
    for code, g in sorted(step["gaps"].items(), key=lambda kv: (-kv[1], kv[0])):
        take = min(g, left)
        plan[code] = take
        left -= take
        if not left:
            break
    first = next(iter(plan))
    return {"code": first, "levels": plan[first], "plan": plan, "total_levels": levels}


def unfilled(ctx: RunContext, d: Derived) -> list[dict[str, Any]]:
    """Each unfilled vacancy with its reason and the nearest excluded candidates."""
    vac = ctx.merit.vacancies.reset_index(drop=True)
    out = []
    n_emp = len(ctx.merit.employees)
    codes = [r.code for r in RULES]
    for r in ctx.unfilled.itertuples():
        reason = UnfilledReason(r.reason)
        row = vac.index[vac["vacancy_id"] == r.vacancy_id]
        nearest: list[dict[str, Any]] = []
        if len(row) and reason is UnfilledReason.NO_ELIGIBLE_CANDIDATE and n_emp:
            v = int(row[0])
            res = check_pairs(ctx.merit, ctx.scenario, np.arange(n_emp), np.full(n_emp, v))
            fails = ~res[[c for c in codes if c in res.columns]].to_numpy(bool)
            n_fail = fails.sum(axis=1)
            ids = ctx.merit.employees["employee_id"].to_numpy(dtype=object)
            best = np.lexsort((ids, n_fail))[:5]
            cols = [c for c in codes if c in res.columns]
            nearest = [
                {
                    "employee_id": str(ids[i]),
                    "failed_rules": [cols[j] for j in np.flatnonzero(fails[i])],
                }
                for i in best
            ]
        v = vac[vac["vacancy_id"] == r.vacancy_id]
        out.append(
            {
                "vacancy_id": r.vacancy_id,
                "title": str(v["title"].iloc[0]) if len(v) else "",
                "unit": str(v["unit"].iloc[0]) if len(v) else "",
                "reason_code": reason.value,
                "reason_en": reason.sentence("en"),
                "reason_id": reason.sentence("id"),
                "nearest": nearest,
            }
        )
    return out
