"""Merit score: a weighted sum of named, cited components, each in [0, 100], per eligible pair.

Weights come from the scenario (normalised to sum 1). The total is quantised to 4 decimals:
``score_int = rint(merit_score * 10^4)`` is what the solver optimises and what every output
prints, so there is no rounding gap between the optimiser and the audit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from merit.dataset import MeritData
from merit.domain.enums import LeadershipTraining, Predikat
from merit.domain.scenario import Scenario
from merit.eligibility.prepare import Pairs, Prepared, position_defaults
from merit.view import SCORE_SCALE

Compute = Callable[[Pairs, "Context"], np.ndarray]


@dataclass(frozen=True)
class Component:
    code: str
    name_en: str
    name_id: str
    description: str
    citation: str
    compute: Compute


COMPONENTS: list[Component] = []
PREDIKAT_POINTS = {
    "Sangat Baik": 100.0,
    "Baik": 75.0,
    "Butuh Perbaikan": 50.0,
    "Kurang": 25.0,
    "Sangat Kurang": 0.0,
}
JPM_CATEGORIES = ((80.0, "MS"), (68.0, "MMS"), (0.0, "KMS"))


def component(
    code: str, name_en: str, name_id: str, description: str, citation: str
) -> Callable[[Compute], Compute]:
    def register(fn: Compute) -> Compute:
        COMPONENTS.append(Component(code, name_en, name_id, description, citation, fn))
        return fn

    return register


def _matrix(
    ids: pd.Series, table: pd.DataFrame, key: str, value: str, col: dict[str, int]
) -> np.ndarray:
    """Rows in ``ids`` order, one column per competency code, the table's levels (0 = none)."""
    row = pd.Series(np.arange(len(ids)), index=ids)
    out = np.zeros((len(ids), len(col)), dtype=np.int16)
    rows = row.reindex(table[key]).to_numpy(dtype=float)
    ok = ~np.isnan(rows)
    out[rows[ok].astype(np.int64), table["competency_code"].map(col).to_numpy()[ok]] = table[
        value
    ].to_numpy()[ok]
    return out


class Context:
    """Per-run matrices shared by the components (competency and standard tables)."""

    def __init__(self, prep: Prepared) -> None:
        data = prep.data
        self.prep = prep
        codes = sorted(
            set(data.competencies["competency_code"]) | set(data.standards["competency_code"])
        )
        col = {c: i for i, c in enumerate(codes)}
        self.have = _matrix(
            data.employees["employee_id"], data.competencies, "employee_id", "level", col
        )
        self.need = _matrix(
            data.vacancies["vacancy_id"], data.standards, "vacancy_id", "required_level", col
        )
        self.codes = codes
        self._jpm: tuple[Pairs, np.ndarray] | None = None
        self._rows: dict[str, np.ndarray] = {}

    def rows(self, name: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A per-employee or per-vacancy array, computed once per run (scoring is chunked)."""
        if name not in self._rows:
            self._rows[name] = compute()
        return self._rows[name]

    def jpm_percent(self, p: Pairs) -> np.ndarray:
        """Job Person Match %, raw or capped per competency (scenario.scoring.jpm_mode);
        computed once per set of pairs, in small integers."""
        if self._jpm is None or self._jpm[0] is not p:
            have, need = self.have[p.e], self.need[p.v]
            if p.prep.scenario.scoring.jpm_mode == "capped":
                got = np.minimum(have, need).sum(axis=1, dtype=np.int64)  # levels are >= 0
            else:
                got = np.where(need > 0, have, 0).sum(axis=1, dtype=np.int64)
            total = self.need.sum(axis=1, dtype=np.int64)[p.v]
            pct = np.where(total > 0, 100.0 * got / np.maximum(total, 1), 0.0)
            self._jpm = (p, pct)
        return self._jpm[1]


@component(
    "jpm",
    "Job Person Match",
    "Job Person Match (kesesuaian kompetensi)",
    "Assessed competency levels against the post's standard, as a percentage (capped at "
    "100); 'capped' mode counts each competency at most at its standard.",
    "PermenPANRB 38/2017 (Standar Kompetensi Jabatan); DOMAIN.md §6",
)
def jpm(p: Pairs, ctx: Context) -> np.ndarray:
    return np.minimum(ctx.jpm_percent(p), 100.0)


@component(
    "performance",
    "Recent performance (SKP)",
    "Kinerja terakhir (SKP)",
    "Average points of the SKP predikat of the last N years (Sangat Baik 100, Baik 75, "
    "Butuh Perbaikan 50, Kurang 25, Sangat Kurang 0; a missing year counts 0).",
    "PermenPANRB 6/2022 (predikat kinerja)",
)
def performance(p: Pairs, ctx: Context) -> np.ndarray:
    def points() -> np.ndarray:
        data, sc = p.prep.data, p.prep.scenario
        last = p.prep.placement.year - 1
        years = range(last - sc.scoring.performance_years + 1, last + 1)
        perf = data.performance[data.performance["year"].isin(list(years))]
        pts = perf["predikat"].astype(object).map(PREDIKAT_POINTS)
        per_emp = pts.groupby(perf["employee_id"]).sum() / sc.scoring.performance_years
        return data.employees["employee_id"].map(per_emp).fillna(0.0).to_numpy(np.float64)

    return ctx.rows("performance", points)[p.e]


@component(
    "education",
    "Education above the requirement",
    "Pendidikan di atas syarat",
    "70 when the education grade meets the post's minimum, 85 one grade above, 100 two "
    "or more above (D-IV counts as S1).",
    "PP 11/2017 Pasal 54 (qualification); DOMAIN §6",
)
def education(p: Pairs, ctx: Context) -> np.ndarray:
    diff = p.ev(p.prep.e_edu) - p.vv("min_edu").astype(np.int64)
    return np.select([diff < 0, diff == 0, diff == 1], [0.0, 70.0, 85.0], 100.0)


@component(
    "experience",
    "Experience",
    "Pengalaman",
    "70% years in the current position level and 30% years in the current golongan, "
    "each capped at the scenario's full-credit years.",
    "PP 11/2017 Pasal 54; DOMAIN §6",
)
def experience(p: Pairs, ctx: Context) -> np.ndarray:
    cap = p.prep.scenario.scoring.experience_cap_years
    years = np.minimum(p.ev(p.prep.e_years) / cap, 1.0)
    since = p.prep.data.employees["rank_since"]
    rank_years = ctx.rows(
        "rank_years", lambda: ((p.prep.placement - since).dt.days.fillna(0) / 365.25).to_numpy()
    )
    rank = np.minimum(np.maximum(rank_years[p.e], 0.0) / cap, 1.0)
    return 100.0 * (0.7 * years + 0.3 * rank)


@component(
    "training",
    "Leadership training for the level",
    "Pelatihan kepemimpinan jenjang",
    "100 when the candidate completed the leadership course the post's level expects "
    "(PKP pengawas, PKA administrator, PKN II JPT) or a higher one, 50 one course below, "
    "0 otherwise; 100 for everyone where the level expects none.",
    "PermenPANRB / PerLAN on Pelatihan Kepemimpinan (verify); DOMAIN §6",
)
def training(p: Pairs, ctx: Context) -> np.ndarray:
    order = {t.value: i for i, t in enumerate(LeadershipTraining)}

    def expected_rows() -> np.ndarray:
        defaults = position_defaults()["expected_training"].map(order)
        levels = p.prep.data.vacancies["position_level"].astype(str)
        return levels.map(defaults).to_numpy(np.int64)

    def have_rows() -> np.ndarray:
        have = p.prep.data.employees["leadership_training"].astype(object).map(order)
        return have.fillna(0).to_numpy(np.int64)

    expected = ctx.rows("expected_training", expected_rows)[p.v]
    gap = expected - ctx.rows("training", have_rows)[p.e]
    return np.select([expected == 0, gap <= 0, gap == 1], [100.0, 100.0, 50.0], 0.0)


@component(
    "talent",
    "Talent box",
    "Kotak talenta",
    "Nine-box position from potential (rendah/menengah/tinggi; missing counts as "
    "menengah) and the performance axis of the latest SKP (Sangat Baik above, Baik as "
    "expected, lower below): (potential + performance) / 4 x 100.",
    "PermenPANRB 3/2020 (Manajemen Talenta ASN)",
)
def talent(p: Pairs, ctx: Context) -> np.ndarray:
    def box() -> np.ndarray:
        data = p.prep.data
        pot = data.employees["potential"].cat.codes.to_numpy(np.int64)
        pot = np.where(pot < 0, 1, pot)
        last = data.performance[data.performance["year"] == p.prep.placement.year - 1]
        axis = (
            last["predikat"]
            .astype(object)
            .map({Predikat.SANGAT_BAIK.value: 2, Predikat.BAIK.value: 1})
            .fillna(0)
        )
        perf = data.employees["employee_id"].map(axis.groupby(last["employee_id"]).max())
        return 25.0 * (pot + perf.fillna(0).to_numpy(np.int64)).astype(np.float64)

    return ctx.rows("talent", box)[p.e]


def _total(
    pairs: Pairs, ctx: Context, weights: dict[str, float]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each component (rounded to 4 decimals) and the quantised weighted sum."""
    values: dict[str, np.ndarray] = {}
    total = np.zeros(len(pairs.e))
    for c in COMPONENTS:
        values[c.code] = np.round(c.compute(pairs, ctx), 4)
        total += weights[c.code] * values[c.code]
    return values, np.rint(total * SCORE_SCALE).astype(np.int64)


def score(
    data: MeritData, scenario: Scenario, emp_idx: np.ndarray, vac_idx: np.ndarray
) -> pd.DataFrame:
    """Components, the quantised merit score and the JPM facts for each pair."""
    prep = Prepared(data, scenario)
    pairs = Pairs(prep, np.asarray(emp_idx, dtype=np.int64), np.asarray(vac_idx, dtype=np.int64))
    ctx = Context(prep)
    values, score_int = _total(pairs, ctx, scenario.weights.normalised())
    out = pd.DataFrame({"emp": pairs.e, "vac": pairs.v, **values})
    out["score_int"] = score_int
    out["merit_score"] = out["score_int"] / SCORE_SCALE
    pct = ctx.jpm_percent(pairs)
    out["jpm_percent"] = np.round(pct, 4)
    category = np.select([pct >= JPM_CATEGORIES[0][0], pct >= JPM_CATEGORIES[1][0]], [0, 1], 2)
    out["jpm_category"] = pd.Categorical.from_codes(category, ["MS", "MMS", "KMS"])
    return out


def score_ints(
    data: MeritData,
    scenario: Scenario,
    emp_idx: np.ndarray,
    vac_idx: np.ndarray,
    chunk: int = 4_000_000,
) -> np.ndarray:
    """Only the quantised merit score of each pair (what the solver needs), in chunks, so
    memory stays flat at any number of pairs; equal to ``score(...)["score_int"]``."""
    prep = Prepared(data, scenario)
    ctx = Context(prep)
    weights = scenario.weights.normalised()
    out = np.empty(len(emp_idx), dtype=np.int64)
    for lo in range(0, len(emp_idx), chunk):
        e = np.asarray(emp_idx[lo : lo + chunk], dtype=np.int64)
        v = np.asarray(vac_idx[lo : lo + chunk], dtype=np.int64)
        out[lo : lo + len(e)] = _total(Pairs(prep, e, v), ctx, weights)[1]
    return out


__all__ = ["COMPONENTS", "Component", "score", "score_ints"]
