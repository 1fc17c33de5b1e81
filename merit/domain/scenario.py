"""A placement scenario: which vacancies, which rules' options, which weights and constraints.

Scenarios are TOML files (``scenarios/*.toml``); ``merit.io.scenario_file`` reads them into
this frozen model. Every option here is policy, not law: each default is cited where it is
defined and can be changed per run.
"""

from __future__ import annotations

import datetime as dt
from difflib import get_close_matches
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from merit.domain.enums import Predikat
from merit.errors import Problem


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Weights(_Section):
    """Weights of the merit-score components; they need not sum to 1: they are normalised,
    and ``scenario_notes`` says so in the run's output and manifest."""

    jpm: float = Field(0.40, ge=0, description="Job Person Match against the vacancy standard")
    performance: float = Field(0.25, ge=0, description="Recent SKP predikat")
    education: float = Field(0.10, ge=0, description="Education level and field fit")
    experience: float = Field(0.10, ge=0, description="Years at the feeder grade and in rank")
    training: float = Field(0.05, ge=0, description="Leadership training for the post's level")
    talent: float = Field(0.10, ge=0, description="Talent box (potential x performance)")

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if sum(self.as_dict().values()) <= 0:
            raise ValueError("at least one weight must be above 0")
        return self

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.model_dump().items()}

    def normalised(self) -> dict[str, float]:
        d = self.as_dict()
        total = sum(d.values())
        return {k: v / total for k, v in d.items()}


class Scoring(_Section):
    """How components are computed."""

    jpm_mode: Literal["raw", "capped"] = Field(
        "capped", description="capped: each competency counts at most its standard"
    )
    performance_years: int = Field(3, ge=1, le=10, description="SKP years averaged")
    missing_skp: Literal["available", "lowest"] = Field(
        "available",
        description="A year without an SKP: left out of the average ('available') or "
        "counted as 0 ('lowest')",
    )
    experience_cap_years: float = Field(10.0, gt=0, description="Years that earn full points")


class Eligibility(_Section):
    """Options of the eligibility rules (their defaults per level live in a data table)."""

    skp_years: int = Field(2, ge=0, le=10, description="Last N SKP years that must meet min")
    min_predikat: Predikat = Field(Predikat.BAIK, description="Lowest acceptable SKP predikat")
    retirement_window_months: int = Field(
        12, ge=0, le=120, description="Exclude who reach BUP within N months of placement"
    )
    nepotism_scope: Literal["superior", "superior_and_unit_head", "off"] = "superior_and_unit_head"
    min_years_in_post: float = Field(
        2.0,
        ge=2,
        le=5,
        description="Years in the current post before a move: 2 to 5 (PP 11/2017 Pasal 190 "
        "ayat (3))",
    )
    unassessed: Literal["lowest", "ineligible"] = Field(
        "lowest",
        description="An employee the assessment centre has not assessed: scored as the lowest "
        "(Job Person Match 0) or not eligible for any post",
    )
    min_jpm_percent: float | None = Field(
        None,
        ge=0,
        le=100,
        description="Job Person Match a JA or JPT candidate needs (default 68, the lower "
        "bound of 'masih memenuhi syarat')",
    )
    jpt_shortlist: int = Field(
        3, ge=1, le=20, description="Names per JPT post put to the selection committee"
    )
    disabled_rules: tuple[str, ...] = Field((), description="Rule codes switched off, if any")

    @field_validator("min_predikat", mode="before")
    @classmethod
    def _parse_predikat(cls, v: object) -> Predikat:
        return Predikat.parse(v)


class PriorityTier(_Section):
    """A group of units whose vacancies are filled first (lexicographically, in file order)."""

    name: str
    units: tuple[str, ...] = Field(min_length=1)


class PinnedPlacement(_Section):
    vacancy: str
    employee: str


class Constraints(_Section):
    """Optional side constraints; each is off when left out."""

    pinned: tuple[PinnedPlacement, ...] = ()
    forbidden: tuple[PinnedPlacement, ...] = ()
    max_moves_per_unit: int | None = Field(None, ge=0)
    budget: int | None = Field(
        None,
        description="Cap on sum of allowances of filled posts minus those freed (Rp); 0 or more",
    )
    keep_posts_filled: bool = Field(
        False, description="Do not move a post holder whose post is not in this run"
    )

    @field_validator("budget")
    @classmethod
    def _budget_not_negative(cls, v: int | None) -> int | None:
        if v is not None and v < 0:
            raise ValueError(
                f"the budget is a cap in Rp and cannot be negative (got {v:,}); use 0 for no "
                "extra allowances, or leave it out for no cap (Kebijakan skenario)"
            )
        return v


class Chains(_Section):
    """A whole mutation round: every post whose holder moves is a vacancy of the same solve
    (Kebijakan skenario). Off unless ``enabled``; the occupied posts come from ``posts``."""

    enabled: bool = Field(False, description="Re-offer every post a mover frees in the round")
    max_length: int | None = Field(
        None, ge=1, le=50, description="Most moves in one chain (no limit when left out)"
    )
    max_moves: int | None = Field(
        None, ge=0, description="Most moves in the whole round (no limit when left out)"
    )
    move_cost: float = Field(
        1.0,
        ge=0,
        le=100,
        description="Merit points each move counts against the total: a chain is made only "
        "when it gains more than its moves cost",
    )


class VacancySelection(_Section):
    """Which vacancies of the dataset take part (all when empty)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


class Expect(_Section):
    """What a scenario expects of its own run; the test suite checks it."""

    status: Literal["optimal", "feasible"] | None = None
    min_filled: int | None = None
    max_filled: int | None = None
    audit_passes: bool = True
    priority_at_least_as: str | None = Field(
        None,
        description="Another scenario file (relative to this one): this run fills at least as "
        "many vacancies of the first priority tier as that one does",
    )


class Scenario(_Section):
    """A complete, validated scenario. ``data`` is resolved against the file's folder."""

    name: str
    description: str = ""
    data: Path | None = None
    seed: int = Field(2026, ge=0)
    placement_date: dt.date = dt.date(2026, 7, 1)
    time_limit_seconds: float = Field(60.0, gt=0)
    weights: Weights = Weights()
    scoring: Scoring = Scoring()
    eligibility: Eligibility = Eligibility()
    priority_tiers: tuple[PriorityTier, ...] = ()
    constraints: Constraints = Constraints()
    chains: Chains = Chains()
    vacancies: VacancySelection = VacancySelection()
    expect: Expect = Expect()

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file (``data`` relative to the file); see ``merit.io.scenario_file``."""
        # The one sanctioned upward import: file reading lives in merit.io, the API lives here.
        from merit.io.scenario_file import read_scenario

        return read_scenario(path)


#: Sums of weights this close to 1 are 1 (decimal weights such as 0.1 are not exact in binary).
WEIGHT_SUM_TOLERANCE = 1e-9


def scenario_notes(scenario: Scenario) -> list[str]:
    """What merit did to the scenario that its user should see (Kebijakan skenario)."""
    notes = []
    total = sum(scenario.weights.as_dict().values())
    if abs(total - 1) > WEIGHT_SUM_TOLERANCE:
        shares = ", ".join(f"{k} {v:.4f}" for k, v in scenario.weights.normalised().items())
        notes.append(
            f"weights sum to {total:g}, not 1: each is divided by {total:g}, giving {shares} "
            "(Kebijakan skenario)"
        )
    return notes


def unknown_names(
    scenario: Scenario,
    *,
    units: set[str],
    vacancies: set[str],
    employees: set[str],
    file: str,
) -> list[Problem]:
    """Every unit, vacancy or employee the scenario names that the data does not have (a typo
    would otherwise silently drop a priority, pin or exclusion), with the nearest known names."""
    named: list[tuple[str, str, set[str], str]] = []
    for i, tier in enumerate(scenario.priority_tiers):
        named += [(f"priority_tiers.{i}.units", u, units, "unit") for u in tier.units]
    sel = scenario.vacancies
    named += [("vacancies.include", v, vacancies, "vacancy") for v in sel.include]
    named += [("vacancies.exclude", v, vacancies, "vacancy") for v in sel.exclude]
    named += [("vacancies.units", u, units, "unit") for u in sel.units]
    for key in ("pinned", "forbidden"):
        for i, pair in enumerate(getattr(scenario.constraints, key)):
            named.append((f"constraints.{key}.{i}.vacancy", pair.vacancy, vacancies, "vacancy"))
            named.append((f"constraints.{key}.{i}.employee", pair.employee, employees, "employee"))
    return [_unknown(file, *n) for n in named if n[1] not in n[2]]


def _unknown(file: str, key: str, name: str, known: set[str], kind: str) -> Problem:
    near = get_close_matches(name, sorted(known), n=3, cutoff=0.75)
    if not near and kind == "unit":  # a different case or spacing: compare folded names
        fold = {" ".join(k.casefold().split()): k for k in known}
        hit = fold.get(" ".join(name.casefold().split()))
        near = [hit] if hit else []
    hint_en = f"did you mean {' or '.join(repr(n) for n in near)}?" if near else "no close name"
    hint_id = (
        f"mungkin maksudnya {' atau '.join(repr(n) for n in near)}?"
        if near
        else ("tidak ada nama yang mirip")
    )
    kind_id = {"unit": "unit kerja", "vacancy": "lowongan", "employee": "pegawai"}[kind]
    return Problem(
        file=file,
        sheet=None,
        row=None,
        column=key,
        value=repr(name),
        expected=f"a {kind} of the data" + (f" (nearest: {', '.join(near)})" if near else ""),
        message=f"{kind} {name!r} is not in the data; {hint_en}",
        message_id=f"{kind_id} {name!r} tidak ada dalam data; {hint_id}",
        code="SCENARIO",
    )
