"""The validated dataset in column form: what the reader returns and the pipeline consumes.

``MeritData`` is everything eligibility and scoring may see; it has no protected frame and its
``employees`` frame has exactly the columns of ``merit.domain.Employee``. ``Dataset`` pairs it
with the ``protected`` frame, which only the audit may read.

Column dtypes (the contract between the reader and every stage):

- text columns: ``object`` holding ``str`` or ``None``;
- enum columns: ordered ``pandas.Categorical`` whose categories are the enum's values in
  declaration order (so ``.cat.codes`` is the ordinal, -1 when missing);
- date columns: ``datetime64[ns]`` (``NaT`` when missing);
- integer columns: ``int64``; optional float columns ``float64`` (``NaN`` when missing);
- optional bool columns: ``object`` holding ``True``, ``False`` or ``None``.

Frames are sorted by their table's key, so row order in the files never matters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from merit.domain.models import TABLES
from merit.domain.scenario import Scenario
from merit.errors import ScenarioError


def empty_table(table: str) -> pd.DataFrame:
    """A table with no rows, in the dtype contract below."""
    from merit.io.frames import coerce  # the one definition of the dtypes

    model = TABLES[table]
    return coerce(model, {name: [] for name in model.model_fields})


@dataclass(frozen=True)
class SourceFile:
    """One file the dataset was read from, with its SHA-256 (for the run manifest)."""

    path: str
    sha256: str


@dataclass(frozen=True, eq=False)
class MeritData:
    """The merit-relevant tables; the only data eligibility and scoring receive."""

    employees: pd.DataFrame
    competencies: pd.DataFrame
    performance: pd.DataFrame
    vacancies: pd.DataFrame
    standards: pd.DataFrame
    relations: pd.DataFrame
    dictionary: pd.DataFrame
    """Competency codes allowed: merit's built-in dictionary plus the dataset's own."""
    sources: tuple[SourceFile, ...] = field(default_factory=tuple)
    history: pd.DataFrame = field(default_factory=lambda: empty_table("history"))
    """Earlier posts of the employees (riwayat jabatan); empty when the data have none."""
    posts: pd.DataFrame = field(default_factory=lambda: empty_table("posts"))
    """Occupied posts a chain round may free (peta jabatan); empty when the data have none."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A validated dataset: ``merit`` for the decision path, ``protected`` for the audit only."""

    merit: MeritData
    protected: pd.DataFrame
    """``employee_id`` plus every protected or identifying column found in the input."""
    location: str = ""
    """The folder or workbook it was read from (absolute)."""

    def input_hashes(self) -> dict[str, str]:
        """SHA-256 of each input file, keyed by its path relative to the dataset folder."""
        root = Path(self.location)
        base = root if root.is_dir() else root.parent
        out = {}
        for s in self.merit.sources:
            p = Path(s.path).resolve()
            out[
                p.relative_to(base.resolve()).as_posix()
                if p.is_relative_to(base.resolve())
                else p.name
            ] = s.sha256
        return dict(sorted(out.items()))


def select_vacancies(data: MeritData, scenario: Scenario) -> MeritData:
    """Keep the vacancies (and their standards) the scenario names; all when it names none."""
    sel = scenario.vacancies
    vac = data.vacancies
    keep = np.ones(len(vac), dtype=bool)
    ids = vac["vacancy_id"].astype(str)
    unknown = sorted(set(sel.include) - set(ids))
    if unknown:
        raise ScenarioError(
            f"vacancies.include names vacancies not in the data: {', '.join(unknown)}; "
            "check the ids against vacancies.csv"
        )
    if sel.include:
        keep &= ids.isin(sel.include).to_numpy()
    if sel.exclude:
        keep &= ~ids.isin(sel.exclude).to_numpy()
    if sel.units:
        keep &= vac["unit"].astype(str).isin(sel.units).to_numpy()
    if keep.all():
        return data
    vacancies = vac[keep].reset_index(drop=True)
    standards = data.standards[data.standards["vacancy_id"].isin(vacancies["vacancy_id"])]
    return replace(data, vacancies=vacancies, standards=standards.reset_index(drop=True))


#: Levels whose posts are filled by open selection (seleksi terbuka): the run shortlists for
#: them and places nobody (PP 11/2017 jo. PP 17/2020 Pasal 198 ayat (4)).
OPEN_SELECTION_LEVELS = ("jpt_pratama",)


def split_open_selection(data: MeritData) -> tuple[MeritData, MeritData]:
    """(the posts placed by the optimiser, the JPT posts filled by open selection)."""
    vac = data.vacancies
    jpt = vac["position_level"].astype(str).isin(OPEN_SELECTION_LEVELS).to_numpy()

    def only(keep: np.ndarray) -> MeritData:
        vacancies = vac[keep].reset_index(drop=True)
        standards = data.standards[data.standards["vacancy_id"].isin(vacancies["vacancy_id"])]
        return replace(data, vacancies=vacancies, standards=standards.reset_index(drop=True))

    return (data, only(jpt)) if not jpt.any() else (only(~jpt), only(jpt))


def with_held_posts(full: MeritData, data: MeritData, scenario: Scenario) -> MeritData:
    """A chain round's posts: ``data``'s vacancies plus the held posts of ``full`` (``posts``)
    that may be freed, in id order, with their standards. JPT posts stay out (open selection);
    a scenario's ``vacancies.units`` limits the held posts as it limits the vacancies."""
    posts = full.posts
    keep = ~posts["position_level"].astype(str).isin(OPEN_SELECTION_LEVELS).to_numpy()
    if scenario.vacancies.units:
        keep &= posts["unit"].astype(str).isin(scenario.vacancies.units).to_numpy()
    both = pd.concat([data.vacancies, posts[keep]], ignore_index=True)
    both = both.sort_values("vacancy_id", kind="mergesort").reset_index(drop=True)
    standards = full.standards[full.standards["vacancy_id"].isin(both["vacancy_id"])]
    return replace(data, vacancies=both, standards=standards.reset_index(drop=True))


def held_post_rows(data: MeritData) -> np.ndarray:
    """For each employee row, the row in ``data.vacancies`` of the post they hold, or -1."""
    rows = pd.Index(data.vacancies["vacancy_id"]).get_indexer(
        data.employees["current_post_id"].astype(object)
    )
    return np.asarray(rows, dtype=np.int64)
