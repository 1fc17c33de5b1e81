"""Each score component moves the right way; the total is quantised and in [0, 100]."""

from __future__ import annotations

import datetime as dt
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from merit.domain.scenario import Scenario, Scoring, Weights
from merit.scoring import COMPONENTS, score
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


def test_component_education() -> None:
    data = dataset([employee(), employee(employee_id="E2", education_level="S3")], [vacancy()])
    assert scored(data)["education"].tolist() == [70.0, 100.0]


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


def test_chunked_scores_equal_the_full_scoring() -> None:
    """``score_ints`` (what large runs give the solver) equals ``score`` pair for pair."""
    import tempfile
    from pathlib import Path

    from merit.io.read import load
    from merit.io.write import write_tables
    from merit.scoring import score_ints
    from merit.synth import synthesize

    with tempfile.TemporaryDirectory() as tmp:
        write_tables(synthesize(300, 12, 4), Path(tmp))
        data = load(tmp).merit
    rng = np.random.default_rng(0)
    e = rng.integers(0, len(data.employees), 2_000)
    v = rng.integers(0, len(data.vacancies), 2_000)
    full = score(data, BASE, e, v)["score_int"].to_numpy()
    assert np.array_equal(score_ints(data, BASE, e, v, chunk=333), full)
    assert len(np.unique(full)) > 50
