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
from merit.scoring.jpm import Levels, gather
from merit.view import SCORE_SCALE

Lookup = tuple[np.ndarray, np.ndarray]
"""(key of each pair, value of each key): the component's value of pair i is ``value[key[i]]``."""
Compute = Callable[[Pairs, "Context"], Lookup]


@dataclass(frozen=True)
class Component:
    """A named, cited score component.

    ``lookup`` maps each pair to an integer key (the employee row, the class of the
    candidate's and the post's education grades, ...) into a table of values that is the
    same for every call with one ``Context`` (one run). The weighted, rounded term is then
    computed once per key and gathered per pair: the same float lands on each pair as
    computing the component pair by pair, so the fast path is exact.
    """

    code: str
    name_en: str
    name_id: str
    description: str
    citation: str
    lookup: Compute

    def compute(self, p: Pairs, ctx: Context) -> np.ndarray:
        """The component's value for each pair, in [0, 100]."""
        _check(p)
        key, value = self.lookup(p, ctx)
        return value[key]


COMPONENTS: list[Component] = []
PREDIKAT_POINTS = {
    "Sangat Baik": 100.0,
    "Baik": 75.0,
    "Butuh Perbaikan": 50.0,
    "Kurang": 25.0,
    "Sangat Kurang": 0.0,
}
JPM_CATEGORIES = ((80.0, "MS"), (68.0, "MMS"), (0.0, "KMS"))
#: Pairs scored at a time: the per-pair arrays stay in the CPU cache.
BLOCK = 1 << 14


def _check(p: Pairs) -> None:
    """Pair rows must be rows of the run's tables: the components gather without checks."""
    for rows, n, side in (
        (p.e, len(p.prep.data.employees), "employee"),
        (p.v, len(p.prep.data.vacancies), "vacancy"),
    ):
        if len(rows) and (rows.min() < 0 or rows.max() >= n):
            raise IndexError(f"{side} rows must be in [0, {n}); got {rows.min()} .. {rows.max()}")


def component(
    code: str, name_en: str, name_id: str, description: str, citation: str
) -> Callable[[Compute], Compute]:
    def register(fn: Compute) -> Compute:
        COMPONENTS.append(Component(code, name_en, name_id, description, citation, fn))
        return fn

    return register


def _matrix(
    ids: pd.Series, keys: pd.Series, levels: pd.Series, columns: np.ndarray, width: int
) -> np.ndarray:
    """Rows in ``ids`` order, ``width`` columns (one per competency code), the table's levels
    (0 = none); ``keys``, ``levels`` and ``columns`` give each table row's id, level, column."""
    row = pd.Series(np.arange(len(ids)), index=ids)
    out = np.zeros((len(ids), width), dtype=np.int16)
    rows = row.reindex(keys).to_numpy(dtype=float)
    ok = ~np.isnan(rows)
    out[rows[ok].astype(np.int64), columns[ok]] = levels.to_numpy()[ok]
    return out


@dataclass(frozen=True)
class Grid:
    """Pairs keyed by the class of (employee value, vacancy value): ``e_key[e] + v_key[v]``
    indexes ``e_value`` and ``v_value``, the two values of every class."""

    e_key: np.ndarray
    v_key: np.ndarray
    e_value: np.ndarray
    v_value: np.ndarray

    @classmethod
    def of(cls, e_values: np.ndarray, v_values: np.ndarray) -> Grid:
        e_unique, e_code = np.unique(e_values, return_inverse=True)
        v_unique, v_code = np.unique(v_values, return_inverse=True)
        n = len(v_unique)
        return cls(
            e_code.reshape(-1).astype(np.int64) * n,
            v_code.reshape(-1).astype(np.int64),
            np.repeat(e_unique, n),
            np.tile(v_unique, len(e_unique)),
        )

    def key(self, p: Pairs) -> np.ndarray:
        return gather(self.e_key, p.e) + gather(self.v_key, p.v)


class Context:
    """Per-run arrays shared by the components (competency levels, per-employee values)."""

    def __init__(self, prep: Prepared) -> None:
        data = prep.data
        self.prep = prep
        have, need = data.competencies, data.standards
        have_code, have_names = pd.factorize(have["competency_code"])
        need_code, need_names = pd.factorize(need["competency_code"])
        codes = sorted(set(have_names) | set(need_names))
        col = {c: i for i, c in enumerate(codes)}

        def columns(code: np.ndarray, names: pd.Index) -> np.ndarray:
            return np.array([col[n] for n in names], dtype=np.int64)[code]

        self.have = _matrix(
            data.employees["employee_id"],
            have["employee_id"],
            have["level"],
            columns(have_code, have_names),
            len(codes),
        )
        self.need = _matrix(
            data.vacancies["vacancy_id"],
            need["vacancy_id"],
            need["required_level"],
            columns(need_code, need_names),
            len(codes),
        )
        self.codes = codes
        self.levels = Levels(self.have, self.need, prep.scenario.scoring.jpm_mode)
        self._rows: dict[str, np.ndarray] = {}
        self._grids: dict[str, Grid] = {}

    def rows(self, name: str, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """A per-employee, per-vacancy or per-key array, computed once per run."""
        if name not in self._rows:
            self._rows[name] = compute()
        return self._rows[name]

    def grid(
        self, name: str, e_values: Callable[[], np.ndarray], v_values: Callable[[], np.ndarray]
    ) -> Grid:
        """Pairs keyed by (employee value, vacancy value) class, built once per run."""
        if name not in self._grids:
            self._grids[name] = Grid.of(e_values(), v_values())
        return self._grids[name]

    def jpm_table(self) -> np.ndarray:
        """Job Person Match % (not capped) of every key of ``levels.key``."""
        return self.rows("jpm_percent", self.levels.percent)

    def jpm_percent(self, p: Pairs) -> np.ndarray:
        """Job Person Match %, raw or capped per competency (scenario.scoring.jpm_mode)."""
        return self.jpm_table()[self.levels.key(p.e, p.v)]


@component(
    "jpm",
    "Job Person Match",
    "Job Person Match (kesesuaian kompetensi)",
    "Assessed competency levels against the post's standard, as a percentage (capped at "
    "100); 'capped' mode counts each competency at most at its standard.",
    "PermenPANRB 38/2017 (Standar Kompetensi Jabatan); DOMAIN.md §6",
)
def jpm(p: Pairs, ctx: Context) -> Lookup:
    capped = ctx.rows("jpm", lambda: np.minimum(ctx.jpm_table(), 100.0))
    return ctx.levels.key(p.e, p.v), capped


@component(
    "performance",
    "Recent performance (SKP)",
    "Kinerja terakhir (SKP)",
    "Average points of the SKP predikat of the last N years (Sangat Baik 100, Baik 75, "
    "Butuh Perbaikan 50, Kurang 25, Sangat Kurang 0; a missing year counts 0).",
    "PermenPANRB 6/2022 (predikat kinerja)",
)
def performance(p: Pairs, ctx: Context) -> Lookup:
    def points() -> np.ndarray:
        data, sc = p.prep.data, p.prep.scenario
        last = p.prep.placement.year - 1
        years = range(last - sc.scoring.performance_years + 1, last + 1)
        perf = data.performance[data.performance["year"].isin(list(years))]
        pts = perf["predikat"].astype(object).map(PREDIKAT_POINTS)
        per_emp = pts.groupby(perf["employee_id"]).sum() / sc.scoring.performance_years
        return data.employees["employee_id"].map(per_emp).fillna(0.0).to_numpy(np.float64)

    return p.e, ctx.rows("performance", points)


@component(
    "education",
    "Education above the requirement",
    "Pendidikan di atas syarat",
    "70 when the education grade meets the post's minimum, 85 one grade above, 100 two "
    "or more above (D-IV counts as S1).",
    "PP 11/2017 Pasal 54 (qualification); DOMAIN §6",
)
def education(p: Pairs, ctx: Context) -> Lookup:
    g = ctx.grid("education", lambda: p.prep.e_edu, lambda: p.prep.v("min_edu").astype(np.int64))

    def points() -> np.ndarray:
        diff = g.e_value - g.v_value
        return np.select([diff < 0, diff == 0, diff == 1], [0.0, 70.0, 85.0], 100.0)

    return g.key(p), ctx.rows("education", points)


@component(
    "experience",
    "Experience",
    "Pengalaman",
    "70% years in the current position level and 30% years in the current golongan, "
    "each capped at the scenario's full-credit years.",
    "PP 11/2017 Pasal 54; DOMAIN §6",
)
def experience(p: Pairs, ctx: Context) -> Lookup:
    def points() -> np.ndarray:
        cap = p.prep.scenario.scoring.experience_cap_years
        years = np.minimum(p.prep.e_years / cap, 1.0)
        since = p.prep.data.employees["rank_since"]
        rank_years = ((p.prep.placement - since).dt.days.fillna(0) / 365.25).to_numpy()
        rank = np.minimum(np.maximum(rank_years, 0.0) / cap, 1.0)
        return 100.0 * (0.7 * years + 0.3 * rank)

    return p.e, ctx.rows("experience", points)


@component(
    "training",
    "Leadership training for the level",
    "Pelatihan kepemimpinan jenjang",
    "100 when the candidate completed the leadership course the post's level expects "
    "(PKP pengawas, PKA administrator, PKN II JPT) or a higher one, 50 one course below, "
    "0 otherwise; 100 for everyone where the level expects none.",
    "PermenPANRB / PerLAN on Pelatihan Kepemimpinan (verify); DOMAIN §6",
)
def training(p: Pairs, ctx: Context) -> Lookup:
    order = {t.value: i for i, t in enumerate(LeadershipTraining)}

    def expected_rows() -> np.ndarray:
        defaults = position_defaults()["expected_training"].map(order)
        levels = p.prep.data.vacancies["position_level"].astype(str)
        return levels.map(defaults).to_numpy(np.int64)

    def have_rows() -> np.ndarray:
        have = p.prep.data.employees["leadership_training"].astype(object).map(order)
        return have.fillna(0).to_numpy(np.int64)

    g = ctx.grid("training", have_rows, expected_rows)

    def points() -> np.ndarray:
        expected = g.v_value
        gap = expected - g.e_value
        return np.select([expected == 0, gap <= 0, gap == 1], [100.0, 100.0, 50.0], 0.0)

    return g.key(p), ctx.rows("training", points)


@component(
    "talent",
    "Talent box",
    "Kotak talenta",
    "Nine-box position from potential (rendah/menengah/tinggi; missing counts as "
    "menengah) and the performance axis of the latest SKP (Sangat Baik above, Baik as "
    "expected, lower below): (potential + performance) / 4 x 100.",
    "PermenPANRB 3/2020 (Manajemen Talenta ASN)",
)
def talent(p: Pairs, ctx: Context) -> Lookup:
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

    return p.e, ctx.rows("talent", box)


def _terms(c: Component, value: np.ndarray, weight: float, ctx: Context) -> Lookup:
    """(rounded value, weighted rounded value) of each key of ``c``, once per run."""
    rounded = ctx.rows(f"{c.code} rounded", lambda: np.round(value, 4))
    return rounded, ctx.rows(f"{c.code} x {weight!r}", lambda: weight * rounded)


def _total(
    pairs: Pairs,
    ctx: Context,
    weights: dict[str, float],
    values: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """The quantised weighted sum of the components (each rounded to 4 decimals) of each
    pair (rows checked by ``_check``), a cache-sized block at a time; ``values``, when given,
    receives each rounded component. The terms are added in ``COMPONENTS`` order."""
    out = np.empty(len(pairs.e), dtype=np.int64)
    for lo in range(0, len(out), BLOCK):
        block = Pairs(pairs.prep, pairs.e[lo : lo + BLOCK], pairs.v[lo : lo + BLOCK])
        hi = lo + len(block.e)
        total = np.zeros(len(block.e))
        term = np.empty(len(block.e))
        for c in COMPONENTS:
            key, value = c.lookup(block, ctx)
            rounded, weighted = _terms(c, value, weights[c.code], ctx)
            if values is not None:
                values[c.code][lo:hi] = gather(rounded, key)
            total += weighted.take(key, out=term, mode="clip")
        total *= SCORE_SCALE
        out[lo:hi] = np.rint(total, out=total)
    return out


def score(
    data: MeritData, scenario: Scenario, emp_idx: np.ndarray, vac_idx: np.ndarray
) -> pd.DataFrame:
    """Components, the quantised merit score and the JPM facts for each pair."""
    prep = Prepared(data, scenario)
    pairs = Pairs(prep, np.asarray(emp_idx, dtype=np.int64), np.asarray(vac_idx, dtype=np.int64))
    _check(pairs)
    ctx = Context(prep)
    values = {c.code: np.empty(len(pairs.e)) for c in COMPONENTS}
    score_int = _total(pairs, ctx, scenario.weights.normalised(), values)
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
    chunk: int = BLOCK,
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
        pairs = Pairs(prep, e, v)
        _check(pairs)
        out[lo : lo + len(e)] = _total(pairs, ctx, weights)
    return out


__all__ = ["COMPONENTS", "Component", "score", "score_ints"]
