"""Why not me: who scored at least each appointee's score and what happened to them, what
kept each unfilled post empty, and the decree annex's rows (without names).

Every fact is re-derived from the placement, the scenario's constraints and the input data,
and stored compactly as outcome codes with their numbers (``merit.audit.sayings`` writes
them in Indonesian or English).
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from merit.audit.context import Derived, RunContext
from merit.audit.sayings import num
from merit.blinding import TIEBREAK_LAYOUT, vacancy_tiers
from merit.domain.enums import Golongan
from merit.view import SCORE_SCALE

__all__ = ["annex", "num", "ranked_above", "unfilled_why", "unreachable_why"]

#: At most this many people scoring at least an appointee's score are listed per vacancy;
#: ``outcomes`` counts every one of them by outcome.
ABOVE_LIMIT = 25


def _why(code: str, **params: Any) -> dict[str, Any]:
    return {"code": code, "params": params} if params else {"code": code}


class _State:
    """The placement's use of the side constraints, and the facts to test one more move."""

    def __init__(self, ctx: RunContext, order: pd.DataFrame, d: Derived | None = None) -> None:
        self.c = ctx.scenario.constraints
        emp = ctx.merit.employees
        self.unit = dict(zip(emp["employee_id"], emp["unit"].astype(str), strict=True))
        allowance = emp["current_allowance"].fillna(0).astype(np.int64)
        self.freed = dict(zip(emp["employee_id"], allowance, strict=True))
        vac = ctx.merit.vacancies
        cost = vac["allowance"].fillna(0).astype(np.int64)
        self.cost = dict(zip(vac["vacancy_id"], cost, strict=True))
        self.post_unit = dict(zip(vac["vacancy_id"], vac["unit"].astype(str), strict=True))
        p = ctx.placements
        self.holder = dict(zip(p["vacancy_id"], p["employee_id"], strict=True))
        self.where = dict(zip(p["employee_id"], p["vacancy_id"], strict=True))
        self.placed_score = dict(zip(p["employee_id"], p["merit_score"], strict=True))
        self.chains = ctx.chains
        self.own: dict[str, tuple[str, float]] = {}
        if self.chains:  # a holder frees their post's allowance; per unit moves count net
            posts = emp["current_post_id"]
            for e, post in zip(emp["employee_id"], posts, strict=True):
                if isinstance(post, str) and post in ctx.held_posts:
                    self.freed[e] = self.cost[post]
            self.moves = Counter(self.unit[e] for e in p["employee_id"])
            self.moves.subtract(Counter(self.post_unit[v] for v in p["vacancy_id"]))
            if d is not None and d.stay_arc is not None and d.homes is not None:
                self.own = _stays(ctx, d, set(self.where))
        else:
            self.moves = Counter(self.unit[e] for e in p["employee_id"])
        self.used = int(
            sum(self.cost[v] for v in p["vacancy_id"])
            - sum(self.freed[e] for e in p["employee_id"])
        )
        self.pinned = {(q.vacancy, q.employee) for q in self.c.pinned}
        # the placed pairs' scores (the only ones looked up), not a key per ranked pair
        mine = (order["employee_id"].map(self.where) == order["vacancy_id"]).to_numpy(bool)
        pairs = zip(order["vacancy_id"][mine], order["employee_id"][mine], strict=True)
        self.score_at = dict(zip(pairs, order["merit_score"][mine], strict=True))

    def stayed(self, eid: str) -> dict[str, Any] | None:
        """A chain round's holder who kept their post: where, and their score there."""
        own = self.own.get(eid)
        return None if own is None else _why("STAYED", w=own[0], s=round(own[1], 4))

    def elsewhere(self, eid: str) -> dict[str, Any]:
        w = self.where[eid]
        score = self.score_at.get((w, eid))
        if score is None:  # an ineligible placement (AUD-ELIGIBLE): its recorded score
            score = self.placed_score[eid]
        return _why("PLACED_ELSEWHERE", w=w, s=round(float(score), 4))

    def blockers(self, vid: str, eid: str, instead: str | None) -> list[dict[str, Any]]:
        """What stops moving ``eid`` into ``vid`` (replacing ``instead``, if any), with numbers."""
        out: list[dict[str, Any]] = []
        if instead is not None and (vid, instead) in self.pinned:
            out.append(_why("PINNED"))
        limit = self.c.max_moves_per_unit
        unit = self.unit[eid]
        same = instead is not None and self.unit[instead] == unit
        if self.chains:  # net: a move within the unit changes nothing
            same = same or self.post_unit.get(vid) == unit
        if limit is not None and not same and self.moves[unit] >= limit:
            out.append(_why("MOVES_CAP", unit=unit, used=self.moves[unit], limit=limit))
        if self.c.budget is not None:
            delta = (
                self.freed[instead] - self.freed[eid]
                if instead is not None
                else self.cost[vid] - self.freed[eid]
            )
            if self.used + delta > self.c.budget:
                out.append(
                    _why("BUDGET", used=self.used, budget=int(self.c.budget), added=int(delta))
                )
        return out


def _stays(ctx: RunContext, d: Derived, moved: set[str]) -> dict[str, tuple[str, float]]:
    """Per holder who did not move: their post and their merit score there."""
    assert d.stay_arc is not None and d.homes is not None
    ids = ctx.merit.employees["employee_id"].to_numpy(dtype=object)
    vac_ids = ctx.merit.vacancies["vacancy_id"].to_numpy(dtype=object)
    bonus = round(ctx.scenario.chains.move_cost * SCORE_SCALE)
    out = {}
    for e in np.flatnonzero(d.stay_arc >= 0).tolist():
        if ids[e] not in moved:
            w = int(d.problem.arc_weight[d.stay_arc[e]]) - bonus
            out[str(ids[e])] = (str(vac_ids[d.homes[e]]), w / SCORE_SCALE)
    return out


def _key_fields(key: int) -> dict[str, int]:
    out = {}
    for name, bits in reversed(TIEBREAK_LAYOUT):
        out[name] = key & ((1 << bits) - 1)
        key >>= bits
    return out


def _tie(mine: int, theirs: int, me: str, them: str, emp: pd.DataFrame) -> dict[str, Any]:
    """The first tie-break key on which ``them`` lost to the appointee ``me``."""
    a, b = _key_fields(mine), _key_fields(theirs)
    name = next((n for n, _ in TIEBREAK_LAYOUT if a[n] != b[n]), "keyed_hash")
    column = {"rank": "rank", "education_grade": "education_level"}.get(name)
    if column is not None:
        va, vb = str(emp.at[me, column]), str(emp.at[them, column])
    else:
        va, vb = str(a[name]), str(b[name])
    return _why("TIE_BREAK", key=name, va=va, vb=vb)


def ranked_above(
    ctx: RunContext, d: Derived, order: pd.DataFrame, margins: dict[tuple[str, str], float]
) -> dict[str, dict[str, Any]]:
    """Per filled vacancy: everyone with a merit score at least the appointee's, and where each
    went, what stopped them (with its numbers), or which tie-break key they lost on. The
    first ``ABOVE_LIMIT`` are listed; ``outcomes`` counts every one by outcome.

    ``order`` is grouped by vacancy and ranked within it (``merit_order``): each vacancy is
    one slice of its columns, so no table is filtered per vacancy."""
    state = _State(ctx, order, d)
    emp = ctx.merit.employees.set_index("employee_id")
    vids = order["vacancy_id"].to_numpy(dtype=object)
    eids = order["employee_id"].to_numpy(dtype=object)
    scores = order["score_int"].to_numpy(np.int64)
    ranks = order["rank"].to_numpy(np.int64)
    keys = order["tiebreak"].to_numpy(np.int64)
    merit = order["merit_score"].to_numpy(np.float64)
    placed = order["employee_id"].isin(state.where.keys()).to_numpy(dtype=bool)
    starts = np.flatnonzero(np.r_[True, vids[1:] != vids[:-1]]) if len(vids) else np.zeros(0)
    bounds = np.r_[starts, len(vids)].astype(np.int64).tolist()
    out: dict[str, dict[str, Any]] = {}
    for lo, hi in pairwise(bounds):
        vid = str(vids[lo])
        a = state.holder.get(vid)
        if a is None:
            continue
        mine = np.flatnonzero(eids[lo:hi] == a)
        if not len(mine):
            continue
        m = lo + int(mine[0])
        at = lo + np.flatnonzero((scores[lo:hi] >= scores[m]) & (eids[lo:hi] != a))
        # past the listed ones only the outcome is counted: in bulk where no side constraint
        # can stand in the way (a national post has thousands ranked above its appointee)
        rest = at[ABOVE_LIMIT:]
        tied = (scores[rest] == scores[m]) & (ranks[rest] > ranks[m])
        outcomes = _bulk_outcomes(state, vid, eids[rest], placed[rest], tied, margins)
        listed = []
        for i in at[:ABOVE_LIMIT].tolist():
            eid = eids[i]
            if placed[i]:
                why = [state.elsewhere(eid)]
            elif scores[i] == scores[m] and ranks[i] > ranks[m]:
                why = [_tie(int(keys[m]), int(keys[i]), a, eid, emp)]
            else:
                why = state.blockers(vid, eid, a)
                if not why:
                    gap = margins.get((vid, eid))
                    why = [_why("CHAIN", g=gap) if gap is not None else _why("CHAIN_OPEN")]
                stay = state.stayed(eid)
                if stay is not None:
                    why = [stay, *why]
            outcomes[why[0]["code"]] += 1
            listed.append(
                {
                    "employee_id": eid,
                    "merit_score": round(float(merit[i]), 4),
                    "rank": int(ranks[i]),
                    "why": why,
                }
            )
        out[vid] = {"total": len(at), "entries": listed, "outcomes": dict(outcomes)}
    return out


def _bulk_outcomes(
    state: _State,
    vid: str,
    eid: np.ndarray,
    placed: np.ndarray,
    tied: np.ndarray,
    margins: dict[tuple[str, str], float],
) -> Counter[str]:
    """The first outcome code of each person (``placed`` elsewhere, lost a ``tied`` score on
    the tie-break, else what stops the move), as the listed rows get it, counted."""
    out: Counter[str] = Counter()
    if not len(eid):
        return out
    tie = ~placed & tied
    stayed = np.fromiter((e in state.own for e in eid), dtype=bool, count=len(eid))
    rest = ~placed & ~tie & ~stayed
    out["STAYED"] += int((stayed & ~placed & ~tie).sum())
    out["PLACED_ELSEWHERE"] += int(placed.sum())
    out["TIE_BREAK"] += int(tie.sum())
    c = state.c
    free = c.max_moves_per_unit is None and c.budget is None and not state.pinned
    for e in eid[rest].tolist():
        why = [] if free else state.blockers(vid, e, state.holder.get(vid))
        if why:
            out[why[0]["code"]] += 1
        else:
            out["CHAIN" if margins.get((vid, e)) is not None else "CHAIN_OPEN"] += 1
    return +out


def unfilled_why(ctx: RunContext, d: Derived, order: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per unfilled vacancy with eligible candidates: each binding constraint (how many
    candidates it stopped, with its numbers) and the nearest candidate and what stopped them."""
    state = _State(ctx, order, d)
    out: dict[str, dict[str, Any]] = {}
    empty = order[order["vacancy_id"].isin(set(ctx.unfilled["vacancy_id"]))]
    for vid, g in empty.groupby("vacancy_id", sort=True):
        blocked: Counter[str] = Counter()
        example: dict[str, dict[str, Any]] = {}
        elsewhere = 0
        nearest: dict[str, Any] | None = None
        for r in g.itertuples():
            if r.employee_id in state.where:
                elsewhere += 1
                why = [state.elsewhere(r.employee_id)]
            else:
                why = state.blockers(str(vid), r.employee_id, None) or [_why("CHAIN_OPEN")]
                stay = state.stayed(r.employee_id)
                if stay is not None:
                    why = [stay, *why]
                for x in why:
                    blocked[x["code"]] += 1
                    example.setdefault(x["code"], x)
            entry = {
                "employee_id": r.employee_id,
                "merit_score": round(float(r.merit_score), 4),
                "rank": int(r.rank),
                "why": why,
            }
            if nearest is None or (
                nearest["why"][0]["code"] == "PLACED_ELSEWHERE"
                and why[0]["code"] != "PLACED_ELSEWHERE"
            ):
                nearest = entry  # the best candidate not placed elsewhere, else the best
        out[str(vid)] = {
            "eligible": len(g),
            "placed_elsewhere": elsewhere,
            "binding": [{"candidates": n, "why": [example[c]]} for c, n in blocked.most_common()],
            "nearest": nearest,
        }
    return out


def unreachable_why(
    ctx: RunContext, order: pd.DataFrame, cf: list[dict[str, Any]], d: Derived | None = None
) -> dict[str, dict[str, Any]]:
    """For each counterfactual that no score rise can win ("∞"): what stands in the way,
    keyed ``"vacancy_id employee_id"`` (the constraint with its numbers, or where the
    person was placed)."""
    state = _State(ctx, order, d)
    out: dict[str, dict[str, Any]] = {}
    for c in cf:
        if c["reachable"]:
            continue
        vid, eid = c["vacancy_id"], c["employee_id"]
        if eid in state.where:
            out[f"{vid} {eid}"] = {"why": [_why("MOVED_AWAY", w=state.where[eid])]}
            continue
        stops = state.blockers(vid, eid, state.holder.get(vid))
        stay = state.stayed(eid)
        if stay is not None:
            stops = [stay, *stops]
        if stops:
            out[f"{vid} {eid}"] = {"why": stops}
    return out


def annex(ctx: RunContext) -> list[dict[str, Any]]:
    """The decree annex's rows (no names): old and new post of each appointee, by OPD."""
    emp = ctx.merit.employees.set_index("employee_id")
    vac = ctx.merit.vacancies.set_index("vacancy_id")
    tiers = dict(
        zip(
            ctx.merit.vacancies["vacancy_id"],
            vacancy_tiers(ctx.merit.vacancies, ctx.scenario).tolist(),
            strict=True,
        )
    )
    names = [t.name for t in ctx.scenario.priority_tiers]
    rows = []
    chains = ctx.chains and {"from_post", "chain", "step"} <= set(ctx.placements.columns)
    for r in ctx.placements.itertuples():
        e = emp.loc[r.employee_id]
        gol = "" if pd.isna(e["rank"]) else str(e["rank"])
        tier = tiers[r.vacancy_id]
        post = e.get("current_post_id")
        rows.append(
            {
                "vacancy_id": r.vacancy_id,
                "employee_id": r.employee_id,
                "golongan": gol,
                "status": str(e["status"]),
                "pangkat": Golongan(gol).pangkat if gol else "",
                "old_level": "" if pd.isna(e["position_level"]) else str(e["position_level"]),
                "old_post": "" if post is None or pd.isna(post) else str(post),
                "old_unit": str(e["unit"]),
                "new_title": str(vac.at[r.vacancy_id, "title"]),
                "new_unit": str(vac.at[r.vacancy_id, "unit"]),
                "merit_score": round(float(r.merit_score), 4),
                "rank_in_vacancy": int(r.rank_in_vacancy),
                "priority": names[tier] if tier < len(names) else "",
            }
        )
        if chains:  # the post the mover leaves, and their chain of moves
            f = r.from_post
            rows[-1]["from_post"] = "" if pd.isna(f) else str(f)
            rows[-1]["chain"] = int(r.chain)
            rows[-1]["step"] = int(r.step)
    rows.sort(key=lambda x: (x["new_unit"], x["vacancy_id"]))
    return rows
