"""Typed rows of a placement result, for library users (the run folder holds the same facts)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class UnfilledReason(StrEnum):
    """Why a vacancy stayed empty; each member's docstring is the sentence in reports."""

    NO_ELIGIBLE_CANDIDATE = "NO_ELIGIBLE_CANDIDATE"
    """No employee passes every eligibility rule for this post."""
    CANDIDATES_PLACED_ELSEWHERE = "CANDIDATES_PLACED_ELSEWHERE"
    """Every eligible candidate was placed in another post, which gave a larger total."""
    BLOCKED_BY_CONSTRAINT = "BLOCKED_BY_CONSTRAINT"
    """An eligible candidate was free, but a side constraint (budget, moves) prevented it."""
    NOT_PROVEN = "NOT_PROVEN"
    """The solver stopped at its time limit before it could fill or prove this post."""
    FREED_NOT_REFILLED = "FREED_NOT_REFILLED"
    """A chain round moved this post's holder and no refill raised the total."""

    def sentence(self, lang: str = "en") -> str:
        return _SENTENCES[self][0 if lang == "en" else 1]


_SENTENCES = {
    UnfilledReason.NO_ELIGIBLE_CANDIDATE: (
        "No employee passes every eligibility rule for this post.",
        "Tidak ada pegawai yang memenuhi semua syarat jabatan ini.",
    ),
    UnfilledReason.CANDIDATES_PLACED_ELSEWHERE: (
        "Every eligible candidate was placed in another post that gave a larger total.",
        "Semua kandidat yang memenuhi syarat ditempatkan pada jabatan lain dengan total "
        "lebih besar.",
    ),
    UnfilledReason.BLOCKED_BY_CONSTRAINT: (
        "An eligible candidate was free, but a side constraint (budget or moves per unit) "
        "prevented the placement.",
        "Ada kandidat yang memenuhi syarat, tetapi batasan skenario (anggaran atau jumlah mutasi "
        "per unit) mencegah penempatan.",
    ),
    UnfilledReason.FREED_NOT_REFILLED: (
        "Its holder moved in this round's chain, and no eligible candidate could refill it "
        "without lowering the round's fill or total merit.",
        "Pemegangnya dipindahkan dalam rantai mutasi putaran ini, dan tidak ada kandidat yang "
        "dapat mengisinya tanpa menurunkan jumlah terisi atau total merit putaran.",
    ),
    UnfilledReason.NOT_PROVEN: (
        "The solver stopped at its time limit before filling this post.",
        "Solver berhenti pada batas waktu sebelum mengisi jabatan ini.",
    ),
}


class Placement(BaseModel):
    """One placement: who goes where, with the merit score the solver optimised."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    vacancy_id: str
    employee_id: str
    merit_score: float
    rank_in_vacancy: int
    """1 = the highest-scored eligible candidate for this vacancy."""


class Unfilled(BaseModel):
    """A vacancy left empty and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    vacancy_id: str
    reason: UnfilledReason
    detail: str
