"""Each score component moves the right way; the total is quantised and in [0, 100]."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from merit.dataset import MeritData
from merit.domain.scenario import Scenario, Scoring, Weights
from merit.eligibility.prepare import Pairs, Prepared
from merit.scoring import (
    COMPONENTS,
    Context,
    _plan,
    _total,
    _twins,
    _vacancy_keys,
    score,
    score_ints,
)
from merit.scoring.jpm import Levels
from merit.scoring.keys import Packer, classes, unpack
from merit.view import SCORE_SCALE
from tests.builders import dataset, employee, vacancy

BASE = Scenario(name="score")


def scored(data, scenario: Scenario = BASE):  # type: ignore[no-untyped-def]
    n = len(data.employees)
    return score(data, scenario, np.arange(n), np.zeros(n, dtype=np.int64))


def test_component_jpm() -> None:
    data = dataset([employee(), employee(employee_id="E2")], [vacancy()], levels={"E1": 3, "E2": 2})
    s = scored(data)
    assert s["jpm"].tolist() == [100.0, round(200 / 3, 4)]
    assert s["jpm_category"].tolist() == ["MS", "KMS"]
    surplus = dataset([employee()], [vacancy()], levels={"E1": 5})
    raw = BASE.model_copy(update={"scoring": Scoring(jpm_mode="raw")})
    assert (
        scored(surplus, raw)["jpm_percent"].iloc[0] > 100 >= scored(surplus)["jpm_percent"].iloc[0]
    )


def test_component_performance() -> None:
    data = dataset(
        [employee(), employee(employee_id="E2")],
        [vacancy()],
        predikat={"E1": ["Sangat Baik"] * 3, "E2": ["Baik", "Baik", "Baik"]},
    )
    assert scored(data)["performance"].tolist() == [100.0, 75.0]


def test_a_missing_skp_year_is_left_out_unless_the_scenario_counts_it_lowest() -> None:
    data = dataset([employee()], [vacancy()], predikat={"E1": ["Baik", "Sangat Baik", "Baik"]})
    perf = data.performance[data.performance["year"] != 2023].reset_index(drop=True)
    gap = replace(data, performance=perf)
    assert scored(gap)["performance"].tolist() == [87.5]
    lowest = BASE.model_copy(
        update={"scoring": BASE.scoring.model_copy(update={"missing_skp": "lowest"})}
    )
    assert scored(gap, lowest)["performance"].tolist() == [58.3333]


def test_a_reported_jpm_percentage_is_the_job_person_match_where_no_levels_are_given() -> None:
    """An assessment centre may report only the JPM %: it is then the Job Person Match for
    every post; reported levels, where present, win; the packed fast path agrees."""
    staff = [
        employee(),
        employee(employee_id="E2", jpm_percent=85.5),
        employee(employee_id="E3", jpm_percent=10.0),
    ]
    data = dataset(staff, [vacancy(), vacancy(vacancy_id="V2")], levels={"E1": 2, "E3": 3})
    no_e2 = data.competencies[data.competencies["employee_id"] != "E2"]
    data = replace(data, competencies=no_e2.reset_index(drop=True))
    e, v = np.tile(np.arange(3), 2), np.repeat(np.arange(2), 3)
    s = score(data, BASE, e, v)
    assert s["jpm"].tolist() == [round(200 / 3, 4), 85.5, 100.0] * 2
    assert np.array_equal(s["score_int"].to_numpy(), score_ints(data, BASE, e, v))
    assert s["jpm_percent"].tolist()[1] == 85.5


def test_reported_percentages_take_the_packed_path_exactly() -> None:
    """Runs of one vacancy are scored from packed words: a reported percentage travels as its
    own code there, and every score equals the plain per-pair sum."""
    data = synthetic()
    emp = data.employees.copy()
    some = emp.index[::7]
    emp.loc[some, "jpm_percent"] = np.linspace(40.0, 120.0, len(some))
    comp = data.competencies[~data.competencies["employee_id"].isin(emp.loc[some, "employee_id"])]
    data = replace(data, employees=emp, competencies=comp.reset_index(drop=True))
    prep = Prepared(data, BASE)
    ctx, w = Context(prep), BASE.weights.normalised()
    n_e, n_v = len(data.employees), len(data.vacancies)
    pairs = Pairs(prep, np.tile(np.arange(n_e), n_v), np.repeat(np.arange(n_v), n_e))
    total = np.zeros(len(pairs.e))
    for c in COMPONENTS:
        total += w[c.code] * np.round(c.compute(pairs, ctx), 4)
    assert np.array_equal(_total(pairs, ctx, w, block=512), np.rint(total * SCORE_SCALE))
    jpm = next(c for c in COMPONENTS if c.code == "jpm").compute(pairs, ctx)
    assert np.allclose(jpm[some.to_numpy()], np.minimum(emp.loc[some, "jpm_percent"], 100.0))


def test_component_education() -> None:
    """No reward above the post's need (S3 scores as S1 for an S1 post); the field counts
    where the post accepts or prefers fields."""
    data = dataset([employee(), employee(employee_id="E2", education_level="S3")], [vacancy()])
    assert scored(data)["education"].tolist() == [100.0, 100.0]
    prefers = vacancy(preferred_fields="Ilmu Pemerintahan; Ilmu Administrasi Negara")
    other = employee(employee_id="E2", education_field="Teknik Sipil")
    assert scored(dataset([employee(), other], [prefers]))["education"].tolist() == [100.0, 60.0]


def test_component_experience() -> None:
    data = dataset(
        [employee(), employee(employee_id="E2", position_since=dt.date(2025, 7, 1))], [vacancy()]
    )
    a, b = scored(data)["experience"].tolist()
    assert 0 <= b < a <= 100


def test_component_training() -> None:
    data = dataset(
        [
            employee(),
            employee(employee_id="E2", leadership_training="PKP"),
            employee(employee_id="E3", leadership_training="none"),
        ],
        [vacancy()],
    )
    assert scored(data)["training"].tolist() == [100.0, 50.0, 0.0]
    pengawas = dataset([employee(leadership_training="none")], [vacancy(position_level="pengawas")])
    assert scored(pengawas)["training"].tolist() == [50.0]  # PKP expected, one course below
    jf = dataset(
        [employee(leadership_training="none", position_level="jf_ahli_pertama")],
        [vacancy(position_level="jf_ahli_muda")],
    )
    assert scored(jf)["training"].tolist() == [100.0]  # the level expects no course


def test_component_talent() -> None:
    data = dataset(
        [employee(potential="tinggi"), employee(employee_id="E2", potential="rendah")],
        [vacancy()],
        predikat={"E1": ["Baik"] * 2 + ["Sangat Baik"]},
    )
    assert scored(data)["talent"].tolist() == [100.0, 25.0]


def test_every_component_is_registered_documented_and_tested() -> None:
    module = sys.modules[__name__]
    assert [c.code for c in COMPONENTS] == list(Weights().as_dict())
    for c in COMPONENTS:
        assert c.name_en and c.name_id and c.description and c.citation
        assert hasattr(module, f"test_component_{c.code}")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.lists(st.floats(0, 5), min_size=6, max_size=6))
def test_total_is_quantised_bounded_and_monotone_in_competency(
    low: int, high: int, weights: list[float]
) -> None:
    if sum(weights) <= 0:
        weights = [1.0] * 6
    sc = BASE.model_copy(
        update={"weights": Weights(**dict(zip(Weights().as_dict(), weights, strict=True)))}
    )
    lo, hi = sorted((low, high))
    data = dataset(
        [employee(), employee(employee_id="E2")], [vacancy()], levels={"E1": lo, "E2": hi}
    )
    s = scored(data, sc)
    assert ((s["merit_score"] >= 0) & (s["merit_score"] <= 100)).all()
    assert (s["score_int"] == np.rint(s["merit_score"] * 10_000)).all()
    assert s["jpm"].iloc[0] <= s["jpm"].iloc[1]


def test_birth_date_never_changes_a_score() -> None:
    a = dataset([employee()], [vacancy()])
    b = dataset([employee(birth_date=dt.date(1995, 1, 1))], [vacancy()])
    cols = [c.code for c in COMPONENTS] + ["merit_score"]
    assert scored(a)[cols].equals(scored(b)[cols])


@cache
def synthetic() -> MeritData:
    import tempfile
    from pathlib import Path

    from merit.io.read import load
    from merit.io.write import write_tables
    from merit.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        write_tables(synthesize(300, 30, 4), Path(tmp))
        return load(tmp).merit


def test_chunked_scores_equal_the_full_scoring() -> None:
    """``score_ints`` (what large runs give the solver) equals ``score`` pair for pair."""
    from merit.scoring import score_ints

    data = synthetic()
    rng = np.random.default_rng(0)
    e = rng.integers(0, len(data.employees), 2_000)
    v = rng.integers(0, len(data.vacancies), 2_000)
    full = score(data, BASE, e, v)["score_int"].to_numpy()
    assert np.array_equal(score_ints(data, BASE, e, v, chunk=333), full)
    assert len(np.unique(full)) > 50


def test_score_columns_are_the_scored_table_columns() -> None:
    """``score_columns`` (the audit's re-derivation) gives ``score``'s score and components."""
    from merit.scoring import COMPONENTS, score_columns

    data = synthetic()
    rng = np.random.default_rng(2)
    e = rng.integers(0, len(data.employees), 2_000)
    v = np.sort(rng.integers(0, len(data.vacancies), 2_000))
    table = score(data, BASE, e, v)
    ints, parts = score_columns(data, BASE, e, v)
    assert np.array_equal(ints, table["score_int"].to_numpy())
    for c in COMPONENTS:
        assert np.array_equal(parts[c.code], table[c.code].to_numpy(np.float64)), c.code
    assert len({float(x) for c in COMPONENTS for x in parts[c.code]}) > 50


def test_one_scoring_context_serves_a_run_and_no_other() -> None:
    """A run builds the scoring tables once and scores twice with them (the solver's scores,
    then the listed pairs): same numbers as building them each time; a context built for
    other data or another scenario is refused, never silently used."""
    from merit.scoring import context, score_ints

    data = synthetic()
    rng = np.random.default_rng(1)
    e = rng.integers(0, len(data.employees), 500)
    v = rng.integers(0, len(data.vacancies), 500)
    ctx = context(data, BASE)
    assert np.array_equal(score_ints(data, BASE, e, v, ctx=ctx), score_ints(data, BASE, e, v))
    again = score(data, BASE, e, v, ctx=ctx)
    assert again.equals(score(data, BASE, e, v))
    other = BASE.model_copy(update={"weights": Weights(jpm=1, performance=0)})
    with pytest.raises(ValueError, match="other data or another scenario"):
        score(data, other, e, v, ctx=ctx)
    with pytest.raises(ValueError, match="other data or another scenario"):
        score_ints(synthetic.__wrapped__(), BASE, e, v, ctx=ctx)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda k: st.tuples(
            hnp.arrays(np.int16, (7, k), elements=st.integers(0, 9)),
            hnp.arrays(np.int16, (5, k), elements=st.integers(0, 9)),
        )
    ),
    st.sampled_from(["capped", "raw"]),
    st.integers(7, 9),
)
def test_packed_levels_give_the_plain_points(
    levels: tuple[np.ndarray, np.ndarray], mode: str, top: int
) -> None:
    """The 4-bit-lane JPM points equal the row-wise minimum (or masked) sum, for any number
    of competencies; levels above 7 take the plain path."""
    have, need = (np.minimum(x, top) for x in levels)
    e, v = np.repeat(np.arange(7), 5), np.tile(np.arange(5), 7)
    if mode == "capped":
        want = np.minimum(have[e], need[v]).sum(axis=1)
    else:
        want = np.where(need[v] > 0, have[e], 0).sum(axis=1)
    got = Levels(have, need, mode).got(e, v)
    assert got.dtype == np.int64 and np.array_equal(got, want)
    assert Levels(have, need, mode).packed == (max(have.max(), need.max()) <= 7)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0, 5), min_size=6, max_size=6).filter(lambda w: sum(w) > 0),
    st.sampled_from(["capped", "raw"]),
    st.integers(0, 2**32 - 1),
    st.sampled_from([64, 700, 1 << 14]),
    st.booleans(),
)
def test_looked_up_total_equals_the_pair_by_pair_sum(
    weights: list[float], mode: str, seed: int, block: int, by_vacancy: bool
) -> None:
    """Gathering each component's weighted, rounded term per key is bit-identical to the
    plain per-pair sum ``total += w * round(value, 4)`` in registry order: in pieces of one
    vacancy (packed employee words, vacancy rows of terms) and in mixed pieces alike."""
    data = synthetic()
    sc = BASE.model_copy(
        update={
            "weights": Weights(**dict(zip(Weights().as_dict(), weights, strict=True))),
            "scoring": Scoring(jpm_mode=mode),
        }
    )
    rng = np.random.default_rng(seed)
    prep = Prepared(data, sc)
    n, n_vac = 3_000, len(data.vacancies)
    e = rng.integers(0, len(data.employees), n)
    v = rng.choice(n_vac, n, p=rng.dirichlet(np.full(n_vac, 0.3)))  # long and short runs
    if by_vacancy:  # as eligibility gives them: sorted by vacancy
        order = np.lexsort((e, v))
        e, v = e[order], v[order]
    pairs = Pairs(prep, e, v)
    ctx, w = Context(prep), sc.weights.normalised()
    total = np.zeros(n)
    values = {c.code: np.empty(n) for c in COMPONENTS}
    for c in COMPONENTS:
        total += w[c.code] * np.round(c.compute(pairs, ctx), 4)
    assert np.array_equal(_total(pairs, ctx, w, values, block), np.rint(total * SCORE_SCALE))
    for c in COMPONENTS:
        assert np.array_equal(values[c.code], np.round(c.compute(pairs, ctx), 4))


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([64, 1 << 14]))
def test_equal_vacancies_copy_their_scores_bit_for_bit(seed: int, block: int) -> None:
    """Each post gets one of three employee lists (300 rows each, drawn with repeats: the
    test data has 300 employees): posts with the same list and the same
    vacancy-side keys copy an earlier post's scores (there are some), and every score is the
    plain per-pair sum, so no post copies from one that differs."""
    data = synthetic()
    prep = Prepared(data, BASE)
    ctx, w = Context(prep), BASE.weights.normalised()
    rng = np.random.default_rng(seed)
    lists = [np.sort(rng.integers(0, len(data.employees), 300)) for _ in range(3)]
    assert not any(np.array_equal(lists[i], lists[j]) for i, j in ((0, 1), (0, 2), (1, 2)))
    plan = _plan(ctx, w)[1]
    side = [tuple(int(k[v]) for k in _vacancy_keys(plan)) for v in range(len(data.vacancies))]
    pick = rng.integers(0, 3, len(data.vacancies))
    pick[[v for v in range(len(side)) if side.count(side[v]) > 1]] = 0  # some twins for sure
    e = np.concatenate([lists[k] for k in pick])
    v = np.repeat(np.arange(len(data.vacancies)), 300)
    pairs = Pairs(prep, e, v)
    twins = _twins(pairs, plan)
    assert twins is not None
    keys = list(zip(side, pick.tolist(), strict=True))
    assert twins.first.tolist() == [keys.index(k) for k in keys]
    assert (twins.first != np.arange(len(data.vacancies))).any()
    total = np.zeros(len(e))
    for c in COMPONENTS:
        total += w[c.code] * np.round(c.compute(pairs, ctx), 4)
    assert np.array_equal(_total(pairs, ctx, w, block=block), np.rint(total * SCORE_SCALE))


def test_rows_outside_the_tables_are_refused() -> None:
    """The components gather without bounds checks, so scoring checks the pair rows once."""
    from merit.scoring import score_ints

    data = dataset([employee()], [vacancy()])
    for e, v in (([1], [0]), ([0], [-1])):
        with pytest.raises(IndexError, match="rows must be in"):
            score(data, BASE, np.array(e), np.array(v))
        with pytest.raises(IndexError, match="rows must be in"):
            score_ints(data, BASE, np.array(e), np.array(v))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 64), min_size=1, max_size=8), st.integers(0, 2**32 - 1))
def test_packed_codes_unpack_to_themselves(widths: list[int], seed: int) -> None:
    """Codes of any widths packed first-fit into words come back unchanged, and a word
    whose codes fit 32 bits is a ``uint32``."""
    rng = np.random.default_rng(seed)
    n = 50
    codes = [rng.integers(0, 2**w, n, dtype=np.uint64) for w in widths]
    packer = Packer(n)
    fields = [packer.place(c, w) for c, w in zip(codes, widths, strict=True)]
    words = packer.words()
    for c, f in zip(codes, fields, strict=True):
        assert f.shift + f.width <= 64
        assert np.array_equal(unpack(words, f, np.empty(n, np.uint64)), c)
    for w, word in enumerate(words):
        used = max(f.shift + f.width for f in fields if f.word == w)
        assert word.dtype == (np.uint32 if used <= 32 else np.uint64)


def test_classes_tell_floats_apart_by_their_bits() -> None:
    """-0.0 and 0.0 print differently, so they are two classes (each with its exact value)."""
    unique, code = classes(np.array([0.0, -0.0, 1.5, 0.0]))
    assert len(unique) == 3 and code[0] == code[3] != code[1]
    assert np.array_equal(
        unique[code].view(np.int64), np.array([0.0, -0.0, 1.5, 0.0]).view(np.int64)
    )
