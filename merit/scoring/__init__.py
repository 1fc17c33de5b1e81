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
from merit.scoring.jpm import gather
from merit.scoring.keys import Field, Grid, Packer, ascending, pieces, same_rows, unpack
from merit.segments import equal_segments, fingerprints, segment_bounds
from merit.view import SCORE_SCALE

Lookup = tuple[np.ndarray, np.ndarray]
"""(key of each pair, value of each key): the component's value of pair i is ``value[key[i]]``."""
Compute = Callable[[Pairs, "Context"], Lookup]
KeyOf = Callable[[list[np.ndarray], np.ndarray], np.ndarray]
CodedParts = tuple[list[tuple[np.ndarray, int]], KeyOf, np.ndarray, np.ndarray]
Coded = Callable[
    ["Context"], "tuple[list[tuple[np.ndarray, int]], KeyOf, np.ndarray, np.ndarray] | None"
]
"""A per-pair component whose key is a function of per-employee codes: the codes (each with
its width in bits), ``key_of(codes of the pairs' employees, vacancy rows)``, the value of
each key and the class of each vacancy (``key_of`` gives equal keys for equal codes at two
vacancies of one class); ``None`` when the run's data do not allow it."""
Separate = Callable[["Context"], tuple["Grid", np.ndarray]]
"""A component of one employee value and one vacancy value: the ``Grid`` of their classes and
the component's value of each class (of each grid key)."""


@dataclass(frozen=True)
class Component:
    """A named, cited score component.

    ``lookup`` maps each pair to an integer key (the class of the candidate's and the
    post's education grades, the competency points against the standard, ...) into a table
    of values that is the same for every call with one ``Context`` (one run). The weighted,
    rounded term is then computed once per key and gathered per pair: the same float lands
    on each pair as computing the component pair by pair, so the fast path is exact.
    ``grid`` is set when the key is a ``Grid``'s, ``coded`` when the key is a function of
    per-employee codes: scoring then packs the employee classes and codes of all such
    components into as few words per employee as fit and gathers them once per pair.
    """

    code: str
    name_en: str
    name_id: str
    description: str
    citation: str
    lookup: Compute
    grid: Separate | None = None
    coded: Coded | None = None

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
#: A vacancy's run of pairs at least this long is scored with the vacancy as a scalar.
MIN_RUN = 256


def _check(p: Pairs) -> None:
    """Pair rows must be rows of the run's tables: the components gather without checks."""
    for rows, n, side in (
        (p.e, len(p.prep.data.employees), "employee"),
        (p.v, len(p.prep.data.vacancies), "vacancy"),
    ):
        if len(rows) and (rows.min() < 0 or rows.max() >= n):
            raise IndexError(f"{side} rows must be in [0, {n}); got {rows.min()} .. {rows.max()}")


def component(
    code: str,
    name_en: str,
    name_id: str,
    description: str,
    citation: str,
    coded: Coded | None = None,
) -> Callable[[Compute], Compute]:
    """Register a component computed per pair."""

    def register(fn: Compute) -> Compute:
        COMPONENTS.append(Component(code, name_en, name_id, description, citation, fn, coded=coded))
        return fn

    return register


def separable(
    code: str, name_en: str, name_id: str, description: str, citation: str
) -> Callable[[Separate], Separate]:
    """Register a component of one employee value and one vacancy value (a ``Grid``)."""

    def register(fn: Separate) -> Separate:
        def lookup(p: Pairs, ctx: Context) -> Lookup:
            grid, value = fn(ctx)
            return grid.key(p), value

        COMPONENTS.append(Component(code, name_en, name_id, description, citation, lookup, fn))
        return fn

    return register


class Context:
    """Per-run arrays shared by the components (competency levels, per-employee values)."""

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self.levels = prep.jpm  # built once per run, shared with the competence rule
        self.have, self.need = self.levels.have, self.levels.need
        self.codes = self.levels.codes_named
        self._rows: dict[str, np.ndarray] = {}
        self._grids: dict[str, Grid] = {}
        self._education: (
            tuple[list[tuple[np.ndarray, int]], KeyOf, np.ndarray, np.ndarray] | None
        ) = None

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

    def performance_rows(self) -> np.ndarray:
        """Employee row of each SKP record (-1 for an id not in the employees table)."""
        data = self.prep.data

        def rows() -> np.ndarray:
            ids = pd.Index(data.employees["employee_id"])
            return ids.get_indexer(data.performance["employee_id"]).astype(np.int64)

        return self.rows("performance rows", rows)

    def employee_grid(self, name: str, e_values: Callable[[], np.ndarray]) -> Grid:
        """Pairs keyed by the class of an employee value alone (one vacancy class)."""
        n = len(self.prep.data.vacancies)
        return self.grid(name, e_values, lambda: np.zeros(n, dtype=np.int64))

    def education_codes(self) -> CodedParts:
        """The education component's codes, built once per run."""
        if self._education is None:
            self._education = _education_codes(self)
        return self._education

    def jpm_table(self) -> np.ndarray:
        """Job Person Match % (not capped) of every key of ``levels.key``."""
        return self.rows("jpm_percent", self.levels.percent)

    def jpm_percent(self, p: Pairs) -> np.ndarray:
        """Job Person Match %, raw or capped per competency (scenario.scoring.jpm_mode)."""
        return self.jpm_table()[self.levels.key(p.e, p.v)]


def _jpm_codes(
    ctx: Context,
) -> tuple[list[tuple[np.ndarray, int]], KeyOf, np.ndarray, np.ndarray] | None:
    """The packed competency levels of each employee (when levels fit 4-bit lanes); posts
    with the same standard row are one class."""
    if not ctx.levels.packed:
        return None
    _, standard = np.unique(ctx.need, axis=0, return_inverse=True)
    return ctx.levels.codes(), ctx.levels.key_of, _jpm_capped(ctx), standard.reshape(-1)


def _jpm_capped(ctx: Context) -> np.ndarray:
    return ctx.rows("jpm", lambda: np.minimum(ctx.jpm_table(), 100.0))


@component(
    "jpm",
    "Job Person Match",
    "Job Person Match (kesesuaian kompetensi)",
    "Assessed competency levels against the post's standard, as a percentage (capped at "
    "100); 'capped' mode counts each competency at most at its standard.",
    "PermenPANRB 38/2017 Pasal 1 angka 1 (Standar Kompetensi Jabatan); PP 11/2017 jo. PP "
    "17/2020 Pasal 54 ayat (1) huruf f",
    coded=_jpm_codes,
)
def jpm(p: Pairs, ctx: Context) -> Lookup:
    return ctx.levels.key(p.e, p.v), _jpm_capped(ctx)


@separable(
    "performance",
    "Recent performance (SKP)",
    "Kinerja terakhir (SKP)",
    "Average points of the SKP predikat of the last N years (Sangat Baik 100, Baik 75, "
    "Butuh Perbaikan 50, Kurang 25, Sangat Kurang 0). A year without an SKP is left out of "
    "the average (scenario: missing_skp = 'available'), or counts 0 ('lowest'); nobody is "
    "scored 0 for a year the eligibility rules do not ask for.",
    "PermenPANRB 6/2022 (predikat kinerja pegawai); poin dan jendela: Kebijakan skenario",
)
def performance(ctx: Context) -> tuple[Grid, np.ndarray]:
    def points() -> np.ndarray:
        data, sc = ctx.prep.data, ctx.prep.scenario
        last = ctx.prep.placement.year - 1
        years = range(last - sc.scoring.performance_years + 1, last + 1)
        row = ctx.performance_rows()
        keep = data.performance["year"].isin(list(years)).to_numpy() & (row >= 0)
        pts = data.performance["predikat"].astype(object).map(PREDIKAT_POINTS)
        # multiples of 25: every sum is exact, in any order; a missing predikat counts 0
        pts = pts.fillna(0.0).to_numpy(np.float64)[keep]
        total = np.bincount(row[keep], weights=pts, minlength=len(data.employees))
        if sc.scoring.missing_skp == "lowest":
            return total / sc.scoring.performance_years
        years_known = np.bincount(row[keep], minlength=len(data.employees))
        return total / np.maximum(years_known, 1)

    g = ctx.employee_grid("performance", points)
    return g, g.e_value


def _education_codes(ctx: Context) -> CodedParts:
    """Each employee's education grade and field-of-study code; posts with the same minimum
    and the same accepted or preferred fields are one class."""
    prep = ctx.prep
    wanted = [a | b for a, b in zip(prep.v_fields, prep.v_preferred, strict=True)]
    names = sorted(set(prep.e_field.tolist()) | {f for w in wanted for f in w})
    index = {n: i for i, n in enumerate(names)}
    codes, uniques = pd.factorize(prep.e_field, use_na_sentinel=False)
    field = np.array([index[f] for f in uniques], dtype=np.int64)[codes]
    keys = list(zip(prep.v("min_edu").astype(np.int64).tolist(), map(sorted, wanted), strict=True))
    v_class, classes = pd.factorize(pd.Series([repr(k) for k in keys], dtype=object))
    first = [keys[int(np.flatnonzero(v_class == c)[0])] for c in range(len(classes))]
    minimum = np.array([m for m, _ in first], dtype=np.int64)
    any_named = np.array([bool(w) for _, w in first], dtype=bool)
    width = max(len(names), 1)
    fits = np.zeros(len(first) * width, dtype=bool)
    for c, (_, w) in enumerate(first):
        fits[[c * width + index[f] for f in w]] = True

    def key_of(own: list[np.ndarray], v: np.ndarray) -> np.ndarray:
        edu, fld = (np.asarray(x, dtype=np.int64) for x in own)
        c = v_class[v]
        meets = edu >= minimum[c]
        fit = ~any_named[c] | fits[c * width + fld]
        return meets.astype(np.int64) * 2 + fit

    grade_bits = max(int(prep.e_edu.max(initial=0)).bit_length(), 1)
    field_bits = max(int(width - 1).bit_length(), 1)
    value = np.array([0.0, 0.0, 60.0, 100.0])
    return [(prep.e_edu, grade_bits), (field, field_bits)], key_of, value, v_class


@component(
    "education",
    "Education meets the post",
    "Kesesuaian pendidikan dengan jabatan",
    "60 when the education level meets the post's minimum (no more for a higher level than "
    "the post needs) and 40 more when the field of study is one the post accepts or "
    "prefers; full points for the field when the post names none.",
    "PP 11/2017 jo. PP 17/2020 Pasal 54 ayat (1) huruf b dan ayat (2) huruf b (kualifikasi "
    "pendidikan); Anjab jabatan (bidang pendidikan); bobot: Kebijakan skenario",
    coded=lambda ctx: ctx.education_codes(),
)
def education(p: Pairs, ctx: Context) -> Lookup:
    codes, key_of, value, _ = ctx.education_codes()
    return key_of([a[p.e] for a, _ in codes], p.v), value


@separable(
    "experience",
    "Experience",
    "Pengalaman",
    "70% years in the current position level and 30% years in the current golongan, "
    "each capped at the scenario's full-credit years.",
    "PP 11/2017 jo. PP 17/2020 Pasal 54 ayat (1) huruf d dan ayat (2) huruf d; bobot: "
    "Kebijakan skenario",
)
def experience(ctx: Context) -> tuple[Grid, np.ndarray]:
    def points() -> np.ndarray:
        cap = ctx.prep.scenario.scoring.experience_cap_years
        years = np.minimum(ctx.prep.e_years / cap, 1.0)
        since = ctx.prep.data.employees["rank_since"]
        rank_years = ((ctx.prep.placement - since).dt.days.fillna(0) / 365.25).to_numpy()
        rank = np.minimum(np.maximum(rank_years, 0.0) / cap, 1.0)
        return 100.0 * (0.7 * years + 0.3 * rank)

    g = ctx.employee_grid("experience", points)
    return g, g.e_value


@separable(
    "training",
    "Leadership training for the level",
    "Pelatihan kepemimpinan jenjang",
    "100 when the candidate completed the leadership course the post's level expects "
    "(PKP pengawas, PKA administrator, PKN II JPT) or a higher one, 50 one course below, "
    "0 otherwise; 100 for everyone where the level expects none.",
    "Peraturan LAN 15/2019 Pasal 1 angka 1 (pelatihan kepemimpinan pengawas); Peraturan LAN "
    "5/2022 (pelatihan struktural kepemimpinan); bobot: Kebijakan skenario",
)
def training(ctx: Context) -> tuple[Grid, np.ndarray]:
    order = {t.value: i for i, t in enumerate(LeadershipTraining)}

    def expected_rows() -> np.ndarray:
        defaults = position_defaults()["expected_training"].map(order)
        levels = ctx.prep.data.vacancies["position_level"].astype(str)
        return levels.map(defaults).to_numpy(np.int64)

    def have_rows() -> np.ndarray:
        have = ctx.prep.data.employees["leadership_training"].astype(object).map(order)
        return have.fillna(0).to_numpy(np.int64)

    g = ctx.grid("training", have_rows, expected_rows)

    def points() -> np.ndarray:
        expected = g.v_value
        gap = expected - g.e_value
        return np.select([expected == 0, gap <= 0, gap == 1], [100.0, 100.0, 50.0], 0.0)

    return g, ctx.rows("training", points)


@separable(
    "talent",
    "Talent box",
    "Kotak talenta",
    "Nine-box position from potential (rendah/menengah/tinggi; missing counts as "
    "menengah) and the performance axis of the latest SKP (Sangat Baik above, Baik as "
    "expected, lower below): (potential + performance) / 4 x 100.",
    "PermenPANRB 3/2020 Pasal 17 ayat (1) huruf a dan huruf b (kotak manajemen talenta); "
    "bobot: Kebijakan skenario",
)
def talent(ctx: Context) -> tuple[Grid, np.ndarray]:
    def box() -> np.ndarray:
        data = ctx.prep.data
        pot = data.employees["potential"].cat.codes.to_numpy(np.int64)
        pot = np.where(pot < 0, 1, pot)
        row = ctx.performance_rows()
        last = (data.performance["year"] == ctx.prep.placement.year - 1).to_numpy() & (row >= 0)
        axis = (
            data.performance["predikat"]
            .astype(object)
            .map({Predikat.SANGAT_BAIK.value: 2, Predikat.BAIK.value: 1})
            .fillna(0)
            .to_numpy(np.int64)
        )
        perf = np.zeros(len(data.employees), dtype=np.int64)  # the best of the year, else 0
        np.maximum.at(perf, row[last], axis[last])
        return 25.0 * (pot + perf).astype(np.float64)

    g = ctx.employee_grid("talent", box)
    return g, g.e_value


def _terms(c: Component, value: np.ndarray, weight: float, ctx: Context) -> Lookup:
    """(rounded value, weighted rounded value) of each key of ``c``, once per run."""
    rounded = ctx.rows(f"{c.code} rounded", lambda: np.round(value, 4))
    return rounded, ctx.rows(f"{c.code} x {weight!r}", lambda: weight * rounded)


@dataclass(frozen=True)
class _Rows:
    """A separable component in a piece of one vacancy: its vacancy class's row of rounded
    and weighted terms, indexed by the packed employee class (classes with equal rows are
    merged, so the packed code is as narrow as the distinct terms allow)."""

    field: Field
    v_key: np.ndarray
    rounded: np.ndarray
    weighted: np.ndarray


@dataclass(frozen=True)
class _Codes:
    """A coded component in a piece of one vacancy: its key from the unpacked codes."""

    fields: list[Field]
    key_of: KeyOf
    value: np.ndarray
    v_class: np.ndarray


def _plan(
    ctx: Context, weights: dict[str, float]
) -> tuple[list[np.ndarray], dict[str, _Rows | _Codes]]:
    """The packed employee words and how each component that allows it reads them."""
    packer = Packer(len(ctx.prep.data.employees))
    plan: dict[str, _Rows | _Codes] = {}
    for c in COMPONENTS:
        if c.grid is not None:
            grid, value = c.grid(ctx)
            rounded, weighted = _terms(c, value, weights[c.code], ctx)
            rows = rounded.reshape(-1, grid.columns)  # one row per employee class
            first, code = same_rows(rows)
            width = max(int(len(first) - 1).bit_length(), 1)
            plan[c.code] = _Rows(
                packer.place(code[grid.e_key // grid.columns], width),
                grid.v_key,
                np.ascontiguousarray(rows[first].T),
                np.ascontiguousarray(weighted.reshape(-1, grid.columns)[first].T),
            )
        elif c.coded is not None and (coded := c.coded(ctx)) is not None:
            codes, key_of, value, v_class = coded
            plan[c.code] = _Codes([packer.place(a, w) for a, w in codes], key_of, value, v_class)
    return packer.words(), plan


def _total(
    pairs: Pairs,
    ctx: Context,
    weights: dict[str, float],
    values: dict[str, np.ndarray] | None = None,
    block: int = BLOCK,
) -> np.ndarray:
    """The quantised weighted sum of the components (each rounded to 4 decimals) of each
    pair (rows checked by ``_check``), a cache-sized piece at a time; ``values``, when given,
    receives each rounded component.

    The terms are added in ``COMPONENTS`` order into one buffer per piece: the first term is
    taken into it (``0 + x`` is ``x``), each later one added in place, so every float is the
    one the plain per-pair sum gives. In a piece of one vacancy (``keys.pieces``) the packed
    employee words are gathered once and each planned component reads its codes from them;
    in a mixed piece every component looks its keys up pair by pair. A vacancy whose pairs
    and vacancy-side keys equal an earlier vacancy's (``_twins``) copies its scores.
    """
    words, plan = _plan(ctx, weights)
    twin = _twins(pairs, plan) if values is None else None
    out = np.empty(len(pairs.e), dtype=np.int64)
    total, term = np.empty(block), np.empty(block)
    rows = np.empty(block, dtype=np.int64)  # the piece's employee rows, cast once
    codes = np.empty(block, dtype=np.int64)
    for lo, hi, one in pieces(pairs.v, block, MIN_RUN):
        if one and twin is not None and twin.of(int(pairs.v[lo]), lo, hi, out):
            continue
        m = hi - lo
        e = rows[:m]
        e[:] = pairs.e[lo:hi]
        v = np.asarray(pairs.v[lo : lo + 1] if one else pairs.v[lo:hi], dtype=np.int64)
        got = [w.take(e, mode="clip") for w in words] if one else []
        t, x = total[:m], term[:m]
        for i, c in enumerate(COMPONENTS):
            how = plan.get(c.code) if one else None
            if isinstance(how, _Rows):
                key = unpack(got, how.field, codes[:m])
                row = int(how.v_key[v[0]])
                rounded, weighted = how.rounded[row], how.weighted[row]
            else:
                if isinstance(how, _Codes):
                    own = [unpack(got, f, np.empty(m, np.uint64)) for f in how.fields]
                    key, value = how.key_of(own, v), how.value
                else:
                    key, value = c.lookup(Pairs(pairs.prep, e, v), ctx)
                key = np.broadcast_to(key, (m,))  # a vacancy-only key is one value per piece
                rounded, weighted = _terms(c, value, weights[c.code], ctx)
            if values is not None:
                values[c.code][lo:hi] = gather(rounded, key)
            if i == 0:
                weighted.take(key, out=t, mode="clip")
            else:
                t += weighted.take(key, out=x, mode="clip")
        t *= SCORE_SCALE
        out[lo:hi] = np.rint(t, out=t)
    return out


@dataclass(frozen=True)
class _Twins:
    """Each vacancy's first equal vacancy (itself when none) and the pairs' vacancy bounds."""

    first: np.ndarray
    bounds: np.ndarray

    def of(self, v: int, lo: int, hi: int, out: np.ndarray) -> bool:
        """Copy the scores of pairs ``lo:hi`` (of vacancy ``v``) from its twin, if it has one
        (scored before: pairs are sorted by vacancy and the twin comes first)."""
        twin = int(self.first[v])
        if twin == v:
            return False
        at = int(self.bounds[twin]) - int(self.bounds[v])
        out[lo:hi] = out[lo + at : hi + at]
        return True


def _vacancy_keys(plan: dict[str, _Rows | _Codes]) -> list[np.ndarray]:
    """Each planned component's vacancy-side class of every vacancy."""
    return [how.v_key if isinstance(how, _Rows) else how.v_class for how in plan.values()]


def _twins(pairs: Pairs, plan: dict[str, _Rows | _Codes]) -> _Twins | None:
    """Vacancies with the same pairs (employees, in order) and the same vacancy-side key of
    every component have the same scores. Only when every component is planned (its vacancy
    side is then a class) and pairs are sorted by vacancy; else None."""
    if len(plan) < len(COMPONENTS) or not ascending(pairs.v):
        return None
    n = len(pairs.prep.data.vacancies)
    bounds = segment_bounds(pairs.v, n)
    keys = np.column_stack(
        [*_vacancy_keys(plan), np.diff(bounds), fingerprints(pairs.e, pairs.e, bounds)]
    )
    first = equal_segments([pairs.e], bounds, keys, np.arange(n))
    return _Twins(first, bounds)


def context(data: MeritData, scenario: Scenario) -> Context:
    """The per-run tables scoring builds; give it to ``score`` / ``score_ints`` so that a
    run scoring twice (the solver's scores, then the listed pairs' components) builds them
    once."""
    return Context(Prepared(data, scenario))


def _context_for(data: MeritData, scenario: Scenario, ctx: Context | None) -> Context:
    if ctx is None:
        return context(data, scenario)
    if ctx.prep.data is not data or ctx.prep.scenario != scenario:
        raise ValueError("this scoring context was built for other data or another scenario")
    return ctx


def score(
    data: MeritData,
    scenario: Scenario,
    emp_idx: np.ndarray,
    vac_idx: np.ndarray,
    ctx: Context | None = None,
) -> pd.DataFrame:
    """Components, the quantised merit score and the JPM facts for each pair."""
    ctx = _context_for(data, scenario, ctx)
    pairs = Pairs(
        ctx.prep, np.asarray(emp_idx, dtype=np.int64), np.asarray(vac_idx, dtype=np.int64)
    )
    _check(pairs)
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


def score_columns(
    data: MeritData,
    scenario: Scenario,
    emp_idx: np.ndarray,
    vac_idx: np.ndarray,
    ctx: Context | None = None,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The quantised merit score and each rounded component of each pair, as arrays: equal to
    ``score(...)["score_int"]`` and ``score(...)[code]``, without building its table (the
    audit sums the components of millions of pairs and keeps none of them)."""
    ctx = _context_for(data, scenario, ctx)
    pairs = Pairs(
        ctx.prep, np.asarray(emp_idx, dtype=np.int64), np.asarray(vac_idx, dtype=np.int64)
    )
    _check(pairs)
    values = {c.code: np.empty(len(pairs.e)) for c in COMPONENTS}
    return _total(pairs, ctx, scenario.weights.normalised(), values), values


def score_ints(
    data: MeritData,
    scenario: Scenario,
    emp_idx: np.ndarray,
    vac_idx: np.ndarray,
    chunk: int = BLOCK,
    ctx: Context | None = None,
) -> np.ndarray:
    """Only the quantised merit score of each pair (what the solver needs), in chunks, so
    memory stays flat at any number of pairs; equal to ``score(...)["score_int"]``."""
    ctx = _context_for(data, scenario, ctx)
    pairs = Pairs(ctx.prep, np.asarray(emp_idx), np.asarray(vac_idx))
    _check(pairs)
    return _total(pairs, ctx, scenario.weights.normalised(), block=chunk)


__all__ = [
    "COMPONENTS",
    "Component",
    "Context",
    "context",
    "score",
    "score_columns",
    "score_ints",
]
