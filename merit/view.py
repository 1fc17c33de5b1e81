"""The solver's view: the only thing the optimiser ever receives.

``SolverView`` has no field that could hold a name, NIP, protected attribute or even an
employee id: candidates and vacancies are dense integer indices (candidates ordered by a keyed
hash of the employee id with the scenario seed, vacancies by id), arcs are the eligible pairs,
and weights are integers. ``merit.blinding.blind`` builds it and keeps the key that maps the
indices back; the run manifest records ``SolverView.field_names()`` as evidence of blindness.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

#: Scores in [0, 100] are quantised to 4 decimals: the solver optimises ``round(score * 10^4)``.
SCORE_SCALE = 10_000


@dataclass(frozen=True, eq=False)
class SolverView:
    """An assignment problem over pseudonymous indices.

    Objective, lexicographic: (1) fill vacancies tier by tier (tier 0 first), as many as
    possible; (2) maximise the sum of ``arc_score``; (3) maximise the sum of
    ``candidate_tiebreak`` of placed candidates. Each vacancy takes at most one candidate and
    each candidate at most one vacancy.

    In a chain round (``candidate_home`` set) the vacancies are every post of the round, vacant
    or held, and a holder's arc to their own post is their stay: (1) counts the posts of each
    tier that have a holder after the round; (2) sums ``arc_score`` of every holder after the
    round less ``move_cost`` per move; then (3) fewest moves; then (4) the tie-break of the
    movers. A holder is always given a post (their own or another).
    """

    n_candidates: int
    n_vacancies: int
    arc_candidate: IntArray
    """Candidate index of each eligible arc (arcs sorted by vacancy, then candidate)."""
    arc_vacancy: IntArray
    """Vacancy index of each eligible arc."""
    arc_score: IntArray
    """Quantised merit score of each arc, ``round(score * SCORE_SCALE)``, in [0, 10^6]."""
    candidate_tiebreak: IntArray
    """Per-candidate tie-break key in [0, 2**tiebreak_bits): merit criteria, then keyed hash."""
    tiebreak_bits: int
    vacancy_tier: IntArray
    """Priority tier of each vacancy, 0 = filled first; all 0 when the scenario has no tiers."""
    n_tiers: int
    candidate_unit: IntArray
    """Pseudonymous index of each candidate's current unit (for ``max_moves_per_unit``)."""
    max_moves_per_unit: int | None
    vacancy_cost: IntArray
    """Monthly allowance of each vacancy's post (for ``budget``)."""
    candidate_freed_cost: IntArray
    """Monthly allowance a candidate's current post frees when they move (for ``budget``)."""
    budget: int | None
    pinned_arcs: IntArray
    """Indices into the arc arrays that must be chosen."""
    time_limit_seconds: float
    seed: int
    candidate_home: IntArray | None = None
    """Chain rounds: the vacancy index of the post each candidate holds (-1: none in the round).
    The arc from a candidate to their own post is their *stay*; None when chains are off."""
    vacancy_unit: IntArray | None = None
    """Chain rounds: each post's unit, in ``candidate_unit``'s numbering (net moves per unit)."""
    move_cost: int = 0
    """Chain rounds: score quanta each move counts against the total."""
    max_chain_length: int | None = None
    max_moves: int | None = None
    keep_posts_filled: bool = False
    """Chain rounds: an occupied post whose holder moves must be refilled."""

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in dataclasses.fields(cls)]

    @property
    def n_arcs(self) -> int:
        return int(self.arc_candidate.shape[0])

    @property
    def has_budget(self) -> bool:
        return self.budget is not None

    @property
    def chains(self) -> bool:
        """A chain round: holders may move and their posts are vacancies of the same solve."""
        return self.candidate_home is not None

    def arc_is_stay(self, arcs: IntArray | slice = slice(None)) -> npt.NDArray[np.bool_]:
        """Whether each arc is its candidate's stay in their own post (never, without chains)."""
        vac = self.arc_vacancy[arcs]
        if self.candidate_home is None:
            return np.zeros(len(vac), dtype=bool)
        return self.candidate_home[self.arc_candidate[arcs]] == vac
