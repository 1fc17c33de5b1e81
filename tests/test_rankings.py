"""Rankings of a large run (best N per vacancy, plus every placed pair) are the full rankings
cut: the same pairs, ranks, scores and components as listing every eligible pair."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import merit.eligibility
import merit.pipeline
from merit.domain.scenario import Scenario, Weights
from merit.io.read import load
from merit.io.write import write_tables
from merit.pipeline import place
from merit.synth import synthesize

# Education alone gives few distinct scores: many candidates tie at each vacancy's N-th best,
# so the tie-break decides who is listed.
SCENARIOS = [
    Scenario(name="ties", seed=5, weights=Weights(jpm=0, performance=0, experience=0, talent=0)),
    Scenario(name="default", seed=5),
]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rankings") / "data"
    write_tables(synthesize(employees=1000, vacancies=12, seed=21), folder)
    return folder


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
@pytest.mark.parametrize("limit", [1, 3, 10])
def test_limited_rankings_are_the_full_rankings_cut(
    dataset: Path, scenario: Scenario, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = load(dataset)
    full = place(data, scenario)
    assert full.rankings_limit is None
    monkeypatch.setattr(merit.eligibility, "DETAIL_LIMIT", 0)  # as if national: no detail
    monkeypatch.setattr(merit.pipeline, "RANKINGS_LIMIT", limit)
    cut = place(data, scenario)
    assert cut.rankings_limit == limit
    r = full.rankings
    expected = r[(r["rank"] <= limit) | r["placed"]].reset_index(drop=True)
    if limit == 1:
        assert (expected["rank"] > limit).any(), "a placed pair must rank below the listed best"
    if scenario.name == "ties":  # the cut falls inside a run of equal scores
        at_cut = r[r["rank"].isin([limit, limit + 1])].groupby("vacancy_id")["merit_score"]
        assert (at_cut.nunique() == 1).any()
    pd.testing.assert_frame_equal(cut.rankings, expected)
    pd.testing.assert_frame_equal(cut.placements, full.placements)
    pd.testing.assert_frame_equal(cut.unfilled, full.unfilled)
