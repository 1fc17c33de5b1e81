"""Exact placement by OR-Tools network flows, when no budget cap is on.

Network: source -> [unit, capacity = max moves] -> candidate (1) -> vacancy (1) -> tier sink.
Pinned arcs are fixed first. Large views are solved on a pruned arc set (each vacancy's best
arcs plus what filling needs) and certified for the whole view by LP duality
(``merit.solver.prune``); there, posts that are copies of each other are one vacancy node
whose arc to the sink has the class's number of posts as capacity
(``merit.solver.interchangeable``).
Fill comes first without big weights: the sets of vacancies that
can be filled together form a matroid (a gammoid), so the tier-lexicographic optimum fills
exactly ``r(T0)``, ``r(T0 ∪ T1) - r(T0)``, ... vacancies per tier, ``r`` being a maximum flow
(``SimpleMaxFlow``). Min-cost flow then meets exactly those tier demands with arc cost
``-(score * S + tiebreak)``, ``S`` large enough that the tie-break never outweighs one score
unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow, min_cost_flow

from merit.errors import InfeasibleError
from merit.solver.status import MAX_FLOW, MIN_COST_FLOW, CostRangeError, SolveStatus, translate
from merit.view import IntArray, SolverView

#: OR-Tools' cost scaling multiplies costs by about the number of nodes; stay well inside int64.
COST_LIMIT = 2**62


@dataclass(frozen=True, eq=False)
class Fixed:
    """Pinned arcs and what remains free after them."""

    arcs: IntArray
    free_mask: npt.NDArray[np.bool_] | None
    """Which arcs are free (their candidate and vacancy are not pinned); None = all."""
    unit_capacity: IntArray | None
    n_arcs: int
    vacancy_capacity: IntArray | None = None
    """Candidates each vacancy node takes; None = one each (``merit.solver.interchangeable``
    makes a class of equal posts one node)."""

    def capacity_of(self, vacancies: IntArray) -> IntArray:
        """How many candidates each of ``vacancies`` takes (its arc to the sink)."""
        if self.vacancy_capacity is None:
            return np.ones(len(vacancies), dtype=np.int64)
        return self.vacancy_capacity[vacancies]

    @cached_property
    def free_arcs(self) -> IntArray:
        """Indices of the free arcs (an arc-sized array: for small views)."""
        if self.free_mask is None:
            return np.arange(self.n_arcs, dtype=np.int64)
        return np.flatnonzero(self.free_mask)

    @property
    def n_free(self) -> int:
        return self.n_arcs if self.free_mask is None else int(self.free_mask.sum())


def fix_pins(view: SolverView) -> Fixed:
    pins = np.unique(view.pinned_arcs)
    pc, pv = view.arc_candidate[pins], view.arc_vacancy[pins]
    for what, idx in (("candidate", pc), ("vacancy", pv)):
        if len(np.unique(idx)) < len(idx):
            raise InfeasibleError(f"two pinned placements use the same {what}; remove one pin")
    busy_c = np.zeros(view.n_candidates, dtype=bool)
    busy_v = np.zeros(view.n_vacancies, dtype=bool)
    busy_c[pc] = True
    busy_v[pv] = True
    free = ~busy_c[view.arc_candidate] & ~busy_v[view.arc_vacancy] if len(pins) else None
    cap = None
    if view.max_moves_per_unit is not None and not view.chains:  # chains count it net
        n_units = int(view.candidate_unit.max()) + 1 if view.n_candidates else 0
        used = np.bincount(view.candidate_unit[pc], minlength=n_units)
        if (used > view.max_moves_per_unit).any():
            raise InfeasibleError(
                "the pinned placements alone exceed max_moves_per_unit for a "
                "unit; raise the limit or remove a pin"
            )
        cap = view.max_moves_per_unit - used
    return Fixed(pins, free, cap, view.n_arcs)


@dataclass(frozen=True, eq=False)
class Network:
    """Node numbering shared by the max-flow and min-cost-flow models."""

    source: int
    unit0: int
    cand0: int
    vac0: int
    tier0: int
    n_nodes: int


def network(view: SolverView, fixed: Fixed) -> Network:
    n_units = len(fixed.unit_capacity) if fixed.unit_capacity is not None else 0
    unit0 = 1
    cand0 = unit0 + n_units
    vac0 = cand0 + view.n_candidates
    tier0 = vac0 + view.n_vacancies
    return Network(0, unit0, cand0, vac0, tier0, tier0 + view.n_tiers)


def _entry_arcs(
    view: SolverView, fixed: Fixed, net: Network, arcs: IntArray, forced: bool = False
) -> tuple[IntArray, IntArray, IntArray]:
    """Arcs source -> [unit ->] candidate for the candidates of ``arcs``, with capacities;
    ``forced``: not for the holders of a chain round (they are given a post, see
    ``forced_candidates``)."""
    seen = np.zeros(view.n_candidates, dtype=bool)
    seen[view.arc_candidate[arcs]] = True
    if forced and view.candidate_home is not None:
        seen &= view.candidate_home < 0
    cands = np.flatnonzero(seen)
    if fixed.unit_capacity is None:
        return np.zeros(len(cands), np.int64), net.cand0 + cands, np.ones(len(cands), np.int64)
    units = np.arange(len(fixed.unit_capacity))
    tails = np.r_[np.zeros(len(units), np.int64), net.unit0 + view.candidate_unit[cands]]
    heads = np.r_[net.unit0 + units, net.cand0 + cands]
    caps = np.r_[fixed.unit_capacity, np.ones(len(cands), np.int64)]
    return tails, heads, caps


def _vacancies_of(view: SolverView, arcs: IntArray) -> IntArray:
    seen = np.zeros(view.n_vacancies, dtype=bool)
    seen[view.arc_vacancy[arcs]] = True
    return np.flatnonzero(seen)


def max_flow_arcs(view: SolverView, fixed: Fixed, net: Network, arcs: IntArray) -> IntArray:
    """The arcs a maximum flow source -> [unit ->] candidate -> vacancy -> sink over the free
    ``arcs`` uses: a largest placement on them, ignoring scores (``SimpleMaxFlow``)."""
    et, eh, ec = _entry_arcs(view, fixed, net, arcs)
    vacs = _vacancies_of(view, arcs)
    if not len(vacs):
        return np.zeros(0, np.int64)
    sink = net.tier0  # one sink is enough for max flow
    mf = max_flow.SimpleMaxFlow()
    tails = np.r_[et, net.cand0 + view.arc_candidate[arcs], net.vac0 + vacs]
    heads = np.r_[eh, net.vac0 + view.arc_vacancy[arcs], np.full(len(vacs), sink)]
    caps = np.r_[ec, np.ones(len(arcs), np.int64), fixed.capacity_of(vacs)]
    first = mf.add_arcs_with_capacity(tails, heads, caps)
    translate(MAX_FLOW, mf.solve(net.source, sink), "OR-Tools SimpleMaxFlow")
    ids = np.asarray(first, dtype=np.int64)[len(et) : len(et) + len(arcs)]
    return arcs[mf.flows(ids) > 0]


def tier_demands(view: SolverView, fixed: Fixed, net: Network, arcs: IntArray) -> list[int]:
    """Placements per tier in the tier-lexicographic optimum over the free ``arcs``
    (prefix maximum flows)."""
    out, prev = [], 0
    for tier in range(view.n_tiers):
        keep = arcs[view.vacancy_tier[view.arc_vacancy[arcs]] <= tier]
        total = len(max_flow_arcs(view, fixed, net, keep))
        out.append(total - prev)
        prev = total
    return out


def scales(view: SolverView, bits: int) -> tuple[int, int]:
    """(score scale, stay bonus) of the arc weights with ``bits`` tie-break bits.

    The tie-breaks of all placements together stay below one score quantum (scale 1 when
    there are none). In a chain round a stay is worth more than the movers' tie-breaks
    together, and all stays together less than one score quantum: fewest moves comes after
    the total merit and before the tie-break."""
    placements = max(1, min(view.n_candidates, view.n_vacancies))
    if not view.chains:
        return (placements << bits if bits else 1), 0
    stay = placements << bits
    return (placements + 1) * stay, stay


def tiebreak_bits(view: SolverView, net: Network) -> int:
    """The most tie-break bits the objective can carry without any risk of int64 overflow."""
    top = int(view.arc_score.max()) + view.move_cost if view.n_arcs else 0
    # OR-Tools rejects costs above about 2**62 / (nodes + 2) (BAD_COST_RANGE): keep a 2x margin
    limit = COST_LIMIT // (2 * (net.n_nodes + 2))
    for bits in range(view.tiebreak_bits, -1, -1):
        scale, stay = scales(view, bits)
        if (top + 1) * scale + max(stay, 1 << bits) <= limit:
            return bits
    raise InfeasibleError(
        f"the scores are too large for an exact min-cost flow over {net.n_nodes:,} nodes; "
        "this should not happen with scores in [0, 100]"
    )


@dataclass(frozen=True, eq=False)
class FlowProblem:
    """The network and the integer weight of each arc."""

    view: SolverView
    fixed: Fixed
    net: Network
    bits: int
    scale: int
    candidate_tb: IntArray
    """Each candidate's tie-break with the ``bits`` kept."""
    stay_bonus: int = 0
    """Chain rounds: what a stay adds below the score (fewest moves)."""

    @cached_property
    def top_score(self) -> int:
        """The highest arc score (one pass over the arcs, done once)."""
        return int(self.view.arc_score.max(initial=0))

    def weights(self, arcs: IntArray | slice) -> IntArray:
        """``score * scale + tiebreak`` of the given arcs; the min-cost flow cost is its
        negation. Computed on demand: a national view has 150 million arcs."""
        view = self.view
        tb = self.candidate_tb[view.arc_candidate[arcs]]
        if not view.chains:
            return view.arc_score[arcs] * self.scale + tb
        stay = view.arc_is_stay(arcs)
        value = view.arc_score[arcs] + view.move_cost * stay  # a move costs move_cost
        return value * self.scale + np.where(stay, self.stay_bonus, tb)


def flow_problem(view: SolverView, max_bits: int | None = None) -> FlowProblem:
    """The flow model of ``view``, with at most ``max_bits`` tie-break bits in the weights."""
    fixed = fix_pins(view)
    net = network(view, fixed)
    bits = tiebreak_bits(view, net)
    if max_bits is not None:
        bits = min(bits, max_bits)
    scale, stay = scales(view, bits)
    tb = view.candidate_tiebreak >> (view.tiebreak_bits - bits)
    return FlowProblem(view, fixed, net, bits, scale, tb, stay)


def min_cost_assignment(
    fp: FlowProblem, arcs: IntArray, demands: list[int] | None = None
) -> tuple[SolveStatus, IntArray]:
    """The tier-lexicographic, then maximum-weight placement using only ``arcs`` (free arcs):
    the fill per tier from maximum flows (or ``demands``, when the caller knows it), then a
    min-cost flow meeting it; chosen arcs."""
    view, net = fp.view, fp.net
    if demands is None:
        demands = tier_demands(view, fp.fixed, net, arcs)
    et, eh, ec = _entry_arcs(view, fp.fixed, net, arcs, forced=True)
    vacs = _vacancies_of(view, arcs)
    tails = np.r_[et, net.cand0 + view.arc_candidate[arcs], net.vac0 + vacs]
    heads = np.r_[eh, net.vac0 + view.arc_vacancy[arcs], net.tier0 + view.vacancy_tier[vacs]]
    caps = np.r_[ec, np.ones(len(arcs), np.int64), fp.fixed.capacity_of(vacs)]
    costs = np.r_[np.zeros(len(et), np.int64), -fp.weights(arcs), np.zeros(len(vacs), np.int64)]
    if sum(demands) == 0:
        return SolveStatus.OPTIMAL, np.zeros(0, np.int64)
    supplies = np.zeros(net.n_nodes, dtype=np.int64)
    held = forced_candidates(view, arcs)
    supplies[net.cand0 + held] = 1  # a holder is given a post: their own or another
    supplies[net.source] = sum(demands) - len(held)
    supplies[net.tier0 : net.tier0 + view.n_tiers] = -np.asarray(demands, dtype=np.int64)
    # only the nodes these arcs touch (a pruned solve keeps a few thousand of the candidates)
    nodes, local = np.unique(np.r_[tails, heads], return_inverse=True)
    mcf = min_cost_flow.SimpleMinCostFlow()
    first = mcf.add_arcs_with_capacity_and_unit_cost(
        local[: len(tails)], local[len(tails) :], caps, costs
    )
    mcf.set_nodes_supplies(np.arange(len(nodes)), supplies[nodes])
    status = translate(MIN_COST_FLOW, mcf.solve(), "OR-Tools SimpleMinCostFlow")
    if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return status, np.zeros(0, np.int64)
    arc_ids = np.asarray(first, dtype=np.int64)[len(et) : len(et) + len(arcs)]
    return status, arcs[mcf.flows(arc_ids) > 0]


def forced_candidates(view: SolverView, arcs: IntArray) -> IntArray:
    """The holders of a chain round among the candidates of ``arcs``: each must end the round
    in a post (nobody loses their post); empty without chains."""
    if view.candidate_home is None:
        return np.zeros(0, np.int64)
    seen = np.zeros(view.n_candidates, dtype=bool)
    seen[view.arc_candidate[arcs]] = True
    return np.flatnonzero(seen & (view.candidate_home >= 0))


#: Tie-break bits tried, in order, when OR-Tools finds the costs too large for the network.
BIT_BUDGETS = (None, 16, 8, 0)


def solve_flow(view: SolverView) -> tuple[SolveStatus, IntArray, int, dict[str, int]]:
    """Chosen arcs (pins included), status, tie-break bits used and model statistics.

    Large views are solved on the best arcs per vacancy and certified for the full view
    (``merit.solver.prune``); the answer is the same exact optimum either way. When
    SimpleMinCostFlow rejects the cost range (its potentials grow with the node count), the
    solve is repeated with fewer tie-break bits; the bits used are recorded.
    """
    from merit.solver.prune import PRUNE_ABOVE, solve_pruned

    for retry, max_bits in enumerate(BIT_BUDGETS):
        fp = flow_problem(view, max_bits)
        stats = {"nodes": fp.net.n_nodes, "arcs": view.n_arcs, "pinned": len(fp.fixed.arcs)}
        if retry:
            stats["cost_range_retries"] = retry
        try:
            if fp.fixed.n_free > PRUNE_ABOVE and not view.chains:
                status, used, extra = solve_pruned(fp)
                stats.update(extra)
            else:
                status, used = min_cost_assignment(fp, fp.fixed.free_arcs)
        except CostRangeError:
            if fp.bits == 0:
                raise
            continue
        return status, np.sort(np.r_[fp.fixed.arcs, used]), fp.bits, stats
    raise AssertionError("unreachable: the last bit budget re-raises")
