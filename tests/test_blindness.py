"""Blind by construction: row order, names and protected attributes change nothing.

Each example writes a small synthetic city, perturbs it, runs the placement and compares the
bytes of placements.csv (and the other decision files) with the unperturbed run.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merit.blinding import candidate_order, keyed_hash
from merit.dataset import MeritData
from merit.domain.scenario import Scenario
from merit.eligibility import EligibilityResult, assess_eligibility
from merit.io.read import load
from merit.io.write import write_tables
from merit.pipeline import place
from merit.runfolder import write_run
from merit.synth import synthesize
from merit.view import SolverView

DECISION_FILES = ("placements.csv", "unfilled.csv", "rankings.csv", "eligibility.csv")
SCENARIO = Scenario(name="blind", seed=7)


@pytest.fixture(scope="module")
def city() -> dict[str, pd.DataFrame]:
    return synthesize(employees=240, vacancies=12, seed=11)


def run_bytes(
    tables: dict[str, pd.DataFrame], folder: Path, scenario: Scenario = SCENARIO
) -> dict[str, bytes]:
    write_tables(tables, folder / "data")
    dataset = load(folder / "data")
    result = place(dataset, scenario)
    write_run(result, dataset, folder / "run")
    return {f: (folder / "run" / f).read_bytes() for f in DECISION_FILES}


def shuffled(tables: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    return {k: v.iloc[rng.permutation(len(v))].reset_index(drop=True) for k, v in tables.items()}


def with_protected(tables: dict[str, pd.DataFrame], seed: int) -> dict[str, pd.DataFrame]:
    """Every protected value replaced: names, religion, ethnicity, gender, ... (ids kept)."""
    rng = np.random.default_rng(seed)
    prot = tables["protected"].copy()
    for col in prot.columns:
        if col == "employee_id":
            continue
        values = prot[col].dropna().unique()
        if col == "name":
            prot[col] = [f"Nama Lain {i}" for i in rng.permutation(len(prot))]
        elif len(values):
            prot[col] = rng.choice(values, size=len(prot))
    return {**tables, "protected": prot}


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31))
def test_row_order_and_protected_attributes_change_nothing(
    city: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    base = run_bytes(city, tmp_path_factory.mktemp("base"))
    assert base["placements.csv"].count(b"\n") > 1, "the example must place somebody"
    assert run_bytes(shuffled(city, seed), tmp_path_factory.mktemp("shuffled")) == base
    assert run_bytes(with_protected(city, seed), tmp_path_factory.mktemp("protected")) == base


def test_rerun_is_byte_identical(city: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    assert run_bytes(city, tmp_path / "a") == run_bytes(city, tmp_path / "b")


def test_solver_view_has_no_field_for_identity() -> None:
    fields = {f.name: f.type for f in dataclasses.fields(SolverView)}
    banned = (
        "name",
        "nip",
        "nik",
        "religion",
        "agama",
        "gender",
        "ethnic",
        "suku",
        "birth",
        "employee_id",
        "race",
        "marital",
        "disab",
        "politic",
    )
    assert not [f for f in fields if any(b in f.lower() for b in banned)]
    # and the numbers it carries are arrays of integers, not objects that could smuggle text
    assert all(
        "IntArray" in str(t) or t in ("int", "float", "int | None", "bool") for t in fields.values()
    )


def test_the_comparison_would_notice_a_change(
    city: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Guard against a vacuous property: changing a merit field does change the outcome."""
    base = run_bytes(city, tmp_path / "a")
    emp = city["employees"].copy()
    placed = pd.read_csv(tmp_path / "a" / "run" / "placements.csv", dtype=str)
    first = placed["employee_id"].iloc[0]
    emp.loc[emp["employee_id"] == first, "sanction"] = "berat"
    emp.loc[emp["employee_id"] == first, "sanction_until"] = pd.Timestamp("2030-01-01")
    changed = run_bytes({**city, "employees": emp}, tmp_path / "b")
    assert changed["placements.csv"] != base["placements.csv"]


@pytest.fixture(scope="module")
def arcs(
    city: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory
) -> tuple[MeritData, EligibilityResult]:
    folder = tmp_path_factory.mktemp("arcs")
    write_tables(city, folder)
    data = load(folder).merit
    order = candidate_order(data.employees, SCENARIO.seed)
    return data, assess_eligibility(data, SCENARIO, employee_order=order)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**32 - 1), chunk=st.sampled_from([1, 2, 7, 1 << 16]))
def test_arcs_in_any_order_give_the_same_view(
    arcs: tuple[MeritData, EligibilityResult],
    seed: int,
    chunk: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``blind`` maps and checks the arcs a chunk at a time; arcs in view order (as the
    pipeline gives them), shuffled, or out of order only where two neighbours swapped
    (possibly across a chunk boundary), build the same view array by array."""
    import merit.blinding as blinding

    data, elig = arcs
    score = np.arange(len(elig.emp), dtype=np.int64) % 997
    monkeypatch.setattr(blinding, "CHUNK", chunk)
    want, _ = blinding.blind(data, SCENARIO, elig.emp, elig.vac, score)
    rng = np.random.default_rng(seed)
    swap = np.arange(len(elig.emp))
    at = int(rng.integers(1, len(swap)))
    swap[[at - 1, at]] = swap[[at, at - 1]]
    for perm in (rng.permutation(len(elig.emp)), swap):
        got, _ = blinding.blind(data, SCENARIO, elig.emp[perm], elig.vac[perm], score[perm])
        for f in dataclasses.fields(SolverView):
            a, b = getattr(want, f.name), getattr(got, f.name)
            assert np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b, f.name


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=20), st.integers(0, 10**80))
def test_keyed_hash_is_hmac_sha256_of_the_id(ids: list[str], seed: int) -> None:
    """The documented tie-break hash: the first 63 bits of HMAC-SHA256(seed key, id), as the
    standard library computes it (long keys, from huge seeds, included)."""
    import hmac

    key = f"merit-tiebreak:{seed}".encode()
    want = [
        int.from_bytes(hmac.digest(key, i.encode("utf-8"), "sha256")[:8], "big") >> 1 for i in ids
    ]
    assert keyed_hash(pd.Series(ids, dtype=object), seed).tolist() == want


CHAINS = Scenario.model_validate({"name": "blind-chains", "seed": 7, "chains": {"enabled": True}})


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 2**31))
def test_a_chain_round_is_blind_to_row_order_and_protected_attributes(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    tables = synthesize(employees=240, vacancies=12, seed=11, all_posts=True)

    base = run_bytes(tables, tmp_path_factory.mktemp("base"), CHAINS)
    assert b",POS-" in base["placements.csv"], "the example must move a post holder"
    assert run_bytes(shuffled(tables, seed), tmp_path_factory.mktemp("shuffled"), CHAINS) == base
    assert run_bytes(with_protected(tables, seed), tmp_path_factory.mktemp("prot"), CHAINS) == base
