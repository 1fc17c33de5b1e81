"""A chain round in the solver's terms: the moves of a placement, the chains they make, and the
side constraints that only chains have.

In a chain round every post of the round is a vacancy of the view, and each holder's arc to
their own post is their stay. The chosen arcs that are not stays are the *moves*. A chain
starts at a vacant post filled by a move and goes back through the posts its movers free: the
post the mover held is refilled by the next move, and so on, until a mover who held no post of
the round or a freed post left empty. Moves that never reach a vacant post close on
themselves: a rotation, also a chain, as long as its number of moves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from merit.view import IntArray, SolverView


@dataclass(frozen=True)
class Chain:
    """One chain: its arcs from the head (the move into the vacant post) backwards."""

    arcs: tuple[int, ...]
    closed: bool
    """A rotation: the last mover's post is the first post."""

    @property
    def length(self) -> int:
        return len(self.arcs)


def moves(view: SolverView, chosen: IntArray) -> IntArray:
    """The chosen arcs that move someone (not stays), in arc order."""
    chosen = np.asarray(chosen, dtype=np.int64)
    return chosen[~view.arc_is_stay(chosen)]


def chains(view: SolverView, chosen: IntArray) -> list[Chain]:
    """The chains of a placement, heads in vacancy order, then rotations by their lowest post."""
    assert view.candidate_home is not None, "chains exist only in a chain round"
    moved = moves(view, chosen)
    into = {int(view.arc_vacancy[a]): int(a) for a in moved.tolist()}  # post -> the move in
    held = view.candidate_home
    holders = np.full(view.n_vacancies, -1, dtype=np.int64)
    holders[held[held >= 0]] = np.flatnonzero(held >= 0)
    out: list[Chain] = []
    seen: set[int] = set()
    for post in sorted(into):
        if holders[post] >= 0:
            continue  # a held post is refilled inside some chain, never its head
        arcs, p = [], post
        while p in into and into[p] not in seen:
            a = into[p]
            arcs.append(a)
            seen.add(a)
            p = int(held[view.arc_candidate[a]])
            if p < 0:
                break
        out.append(Chain(tuple(arcs), closed=False))
    for post in sorted(into):
        if into[post] in seen:
            continue
        arcs, p = [], post
        while into[p] not in seen:
            a = into[p]
            arcs.append(a)
            seen.add(a)
            p = int(held[view.arc_candidate[a]])
        out.append(Chain(tuple(arcs), closed=True))
    return out


def move_cost(view: SolverView, arcs: IntArray) -> int:
    """Allowance the moves add: each new post's allowance less that of the post left."""
    arcs = np.asarray(arcs, dtype=np.int64)
    cost = (
        view.vacancy_cost[view.arc_vacancy[arcs]]
        - view.candidate_freed_cost[view.arc_candidate[arcs]]
    )
    return int(cost.sum())


def net_departures(view: SolverView, arcs: IntArray) -> IntArray:
    """Per unit: people who moved out less people who moved in (``arcs`` are moves)."""
    assert view.vacancy_unit is not None
    arcs = np.asarray(arcs, dtype=np.int64)
    n_units = int(max(view.candidate_unit.max(initial=-1), view.vacancy_unit.max(initial=-1))) + 1
    out = np.bincount(view.candidate_unit[view.arc_candidate[arcs]], minlength=n_units)
    into = np.bincount(view.vacancy_unit[view.arc_vacancy[arcs]], minlength=n_units)
    return (out - into).astype(np.int64)


def violations(view: SolverView, chosen: IntArray) -> list[str]:
    """The chain round's side constraints a placement breaks (empty: it keeps them all)."""
    moved = moves(view, chosen)
    out = []
    if not np.isin(view.pinned_arcs, chosen).all():
        out.append("a pinned placement is missing")
    if view.max_moves is not None and len(moved) > view.max_moves:
        out.append(f"{len(moved)} moves > max_moves {view.max_moves}")
    if view.max_chain_length is not None:
        longest = max((c.length for c in chains(view, chosen)), default=0)
        if longest > view.max_chain_length:
            out.append(f"a chain of {longest} moves > max_length {view.max_chain_length}")
    if view.max_moves_per_unit is not None and len(moved):
        worst = int(net_departures(view, moved).max())
        if worst > view.max_moves_per_unit:
            out.append(f"{worst} net moves out of a unit > max_moves_per_unit")
    if view.budget is not None and move_cost(view, moved) > view.budget:
        out.append(f"allowances {move_cost(view, moved):,} > budget {view.budget:,}")
    return out


def flow_tiers(view: SolverView) -> tuple[IntArray, int]:
    """Tiers the fill is maximised over: with ``keep_posts_filled`` the held posts come first
    (all of them can be kept, by their holders), so a freed post is always refilled."""
    if not view.keep_posts_filled or view.candidate_home is None:
        return view.vacancy_tier, view.n_tiers
    held = np.zeros(view.n_vacancies, dtype=bool)
    held[view.candidate_home[view.candidate_home >= 0]] = True
    return np.where(held, 0, view.vacancy_tier + 1).astype(np.int64), view.n_tiers + 1
