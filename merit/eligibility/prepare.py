"""Per-employee and per-vacancy arrays the rules compare, computed once per run.

Vacancy requirements are the level defaults of ``position_defaults.csv`` overridden by the
vacancy's own columns. ``Pairs`` aligns both sides on candidate x vacancy index arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files

import numpy as np
import pandas as pd

from merit.dataset import MeritData
from merit.domain.enums import EducationLevel, Golongan, PositionLevel, normalise
from merit.domain.scenario import Scenario

#: Largest vacancies x fields lookup table ``field_ok`` builds (bytes).
FIELD_TABLE_LIMIT = 64 * 2**20


def position_defaults() -> pd.DataFrame:
    """The shipped defaults per position level (one row per level, cited)."""
    path = files("merit") / "data" / "position_defaults.csv"
    return pd.read_csv(str(path), dtype=str).set_index("position_level")


def _ord(cat: pd.Series) -> np.ndarray:
    return cat.cat.codes.to_numpy(np.int64)


def _norm_text(s: pd.Series) -> np.ndarray:
    """Normalised text of each cell ("" when empty); each distinct value normalised once."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    text = [normalise(x) if isinstance(x, str) and x else "" for x in uniques]
    return np.array(text, dtype=object)[codes]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Everything the rules need, as arrays over employee rows and vacancy rows."""

    data: MeritData
    scenario: Scenario

    @cached_property
    def placement(self) -> pd.Timestamp:
        return pd.Timestamp(self.scenario.placement_date)

    # --- employee side -------------------------------------------------------------------
    @cached_property
    def e_pns(self) -> np.ndarray:
        return (self.data.employees["status"] == "PNS").to_numpy()

    @cached_property
    def e_rank(self) -> np.ndarray:
        return _ord(self.data.employees["rank"])

    @cached_property
    def e_edu(self) -> np.ndarray:
        grade = {e.value: e.grade() for e in EducationLevel}
        return self.data.employees["education_level"].astype(object).map(grade).to_numpy(np.int64)

    @cached_property
    def e_field(self) -> np.ndarray:
        return _norm_text(self.data.employees["education_field"])

    @cached_property
    def e_grade(self) -> np.ndarray:
        grade = {p.value: p.grade() for p in PositionLevel}
        return self.data.employees["position_level"].astype(object).map(grade).to_numpy(np.int64)

    @cached_property
    def e_is_jf(self) -> np.ndarray:
        codes, levels = pd.factorize(self.data.employees["position_level"], use_na_sentinel=False)
        return np.array([str(x).startswith("jf_") for x in levels], dtype=bool)[codes]

    @cached_property
    def e_family(self) -> np.ndarray:
        return _norm_text(self.data.employees["jf_family"])

    @cached_property
    def e_years(self) -> np.ndarray:
        days = (self.placement - self.data.employees["position_since"]).dt.days
        return (days.fillna(0) / 365.25).to_numpy(np.float64)

    @cached_property
    def e_sanction_bars(self) -> np.ndarray:
        e = self.data.employees
        heavy = e["sanction"].isin(["sedang", "berat"]).to_numpy()
        until = e["sanction_until"]
        in_force = (until.isna() | (until >= self.placement)).to_numpy()
        return heavy & in_force

    @cached_property
    def e_skp(self) -> tuple[np.ndarray, np.ndarray]:
        """(meets the SKP rule, worst predikat ordinal in the window or -1 when missing)."""
        n = self.scenario.eligibility.skp_years
        last = self.placement.year - 1
        years = list(range(last - n + 1, last + 1))
        perf = self.data.performance
        perf = perf[perf["year"].isin(years)]
        n_e = len(self.e_id)
        row = self._e_index.get_indexer(perf["employee_id"])
        known = row >= 0
        row, year, o = (
            row[known],
            perf["year"].to_numpy(np.int64)[known],
            _ord(perf["predikat"])[known],
        )
        # worst predikat (lowest ordinal) and number of distinct years per employee row
        worst_a = np.full(n_e, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(worst_a, row, o)
        worst_a[worst_a == np.iinfo(np.int64).max] = -1
        seen = np.zeros((n_e, len(years)), dtype=bool)  # employee row x window year
        seen[row, year - last + len(years) - 1] = True
        count_a = seen.sum(axis=1, dtype=np.int64)
        need = self.scenario.eligibility.min_predikat.ordinal()
        return (count_a >= n) & ((worst_a >= need) | (n == 0)), worst_a

    @cached_property
    def e_birth(self) -> np.ndarray:
        return self.data.employees["birth_date"].to_numpy("datetime64[D]")

    @cached_property
    def e_birth_month(self) -> np.ndarray:
        return self.e_birth.astype("datetime64[M]")

    @cached_property
    def e_post(self) -> np.ndarray:
        return self.data.employees["current_post_id"].fillna("").to_numpy(dtype=object)

    @cached_property
    def e_post_row(self) -> np.ndarray:
        """Vacancy row of each employee's current post (-1 when it is not a run vacancy)."""
        return pd.Index(self.v_id).get_indexer(self.e_post).astype(np.int64)

    @cached_property
    def family_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(employee, vacancy) JF family as shared integer codes."""
        both = np.r_[self.e_family, self.v_family]
        codes, _ = pd.factorize(both)
        return codes[: len(self.e_family)], codes[len(self.e_family) :]

    @cached_property
    def e_id(self) -> np.ndarray:
        return self.data.employees["employee_id"].to_numpy(dtype=object)

    @cached_property
    def _e_index(self) -> pd.Index:
        """Employee rows by id (ids are unique), shared by every id lookup."""
        return pd.Index(self.e_id)

    # --- vacancy side --------------------------------------------------------------------
    @cached_property
    def v_req(self) -> pd.DataFrame:
        v = self.data.vacancies
        d = position_defaults().reindex(v["position_level"].astype(str))
        d.index = v.index
        rank_ix = {g.value: i for i, g in enumerate(Golongan)}
        grade = {e.value: e.grade() for e in EducationLevel}
        own_rank = v["min_rank"].astype(object)
        own_edu = v["min_education"].astype(object)
        return pd.DataFrame(
            {
                "min_rank": own_rank.where(own_rank.notna(), d["min_rank"]).map(rank_ix),
                "min_edu": own_edu.where(own_edu.notna(), d["min_education"]).map(grade),
                "feeder": d["feeder_grade"].astype(int),
                "min_exp": v["min_experience_years"].where(
                    v["min_experience_years"].notna(), d["min_experience_years"].astype(float)
                ),
                "pppk": v["open_to_pppk"]
                .where(v["open_to_pppk"].notna(), d["open_to_pppk"] == "true")
                .astype(bool),
                "bup": d["retirement_age"].astype(int),
                "skp": d["skp_required"] == "true",
                "grade": v["position_level"]
                .astype(object)
                .map({p.value: p.grade() for p in PositionLevel}),
                "is_jf": v["position_level"].astype(str).str.startswith("jf_"),
                "structural": v["position_level"].isin(
                    ["pengawas", "administrator", "jpt_pratama"]
                ),
            }
        )

    def v(self, col: str) -> np.ndarray:
        return self._v_columns[col]

    @cached_property
    def _v_columns(self) -> dict[str, np.ndarray]:
        return {col: self.v_req[col].to_numpy() for col in self.v_req.columns}

    @cached_property
    def v_family(self) -> np.ndarray:
        return _norm_text(self.data.vacancies["jf_family"])

    @cached_property
    def v_fields(self) -> list[frozenset[str]]:
        codes, uniques = pd.factorize(
            self.data.vacancies["education_fields"], use_na_sentinel=False
        )
        fields = [
            frozenset(normalise(f) for f in str(x).split(";") if f.strip())
            if isinstance(x, str) and x
            else frozenset()
            for x in uniques
        ]  # each distinct cell once
        return [fields[c] for c in codes]

    @cached_property
    def field_codes(self) -> tuple[np.ndarray, np.ndarray]:
        """(employee field code, sorted keys ``vacancy * F + field`` of every accepted field)."""
        names = sorted(set(self.e_field) | {f for s in self.v_fields for f in s})
        code = {n: i for i, n in enumerate(names)}
        codes, uniques = pd.factorize(self.e_field, use_na_sentinel=False)
        e_code = np.array([code[f] for f in uniques], dtype=np.int64)[codes]
        keys = [v * len(names) + code[f] for v, s in enumerate(self.v_fields) for f in s]
        return e_code, np.unique(np.array(keys, dtype=np.int64))

    def field_ok(self, e: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Whether each candidate's field is one the vacancy names (False when it names none)."""
        e_code, keys = self.field_codes
        want = v * self._field_count + e_code[e]
        table = self._field_table
        return np.isin(want, keys) if table is None else table[want]

    @cached_property
    def _field_table(self) -> np.ndarray | None:
        """Whether ``vacancy * F + field`` is an accepted field, one byte each (None when that
        table would pass 64 MB: then ``field_ok`` looks the keys up instead)."""
        size = len(self.v_fields) * self._field_count
        if size > FIELD_TABLE_LIMIT:
            return None
        table = np.zeros(size, dtype=bool)
        table[self.field_codes[1]] = True
        return table

    @cached_property
    def _field_count(self) -> int:
        return max(len(set(self.e_field) | {f for s in self.v_fields for f in s}), 1)

    @cached_property
    def v_has_fields(self) -> np.ndarray:
        return np.array([bool(s) for s in self.v_fields], dtype=bool)

    @cached_property
    def related_keys(self) -> np.ndarray:
        """Sorted keys ``a * N + b`` of related employee rows (both directions)."""
        r = self.data.relations
        a, b = (
            self._e_index.get_indexer(r[column]).astype(np.int64)
            for column in ("employee_id", "related_id")
        )
        known = (a >= 0) & (b >= 0)  # a relative outside the table drops that relation only
        a, b = a[known], b[known]
        n = len(self.e_id)
        return np.unique(np.r_[a * n + b, b * n + a])

    @cached_property
    def _bosses(self) -> dict[str, np.ndarray]:
        return {
            column: self._e_index.get_indexer(self.data.vacancies[column]).astype(np.int64)
            for column in ("superior_id", "unit_head_id")
        }

    def boss_rows(self, column: str) -> np.ndarray:
        """Employee row of each vacancy's superior (or unit head); -1 when not an employee."""
        return self._bosses[column]

    @cached_property
    def related_rows(self) -> np.ndarray:
        """Whether each employee row has any declared relation."""
        out = np.zeros(len(self.e_id), dtype=bool)
        out[self.related_keys // max(len(self.e_id), 1)] = True
        return out

    @cached_property
    def v_id(self) -> np.ndarray:
        return self.data.vacancies["vacancy_id"].to_numpy(dtype=object)


@dataclass(frozen=True, eq=False)
class Pairs:
    """Aligned candidate (``e``) and vacancy (``v``) row indices, with the prepared arrays."""

    prep: Prepared
    e: np.ndarray
    v: np.ndarray

    def ev(self, arr: np.ndarray) -> np.ndarray:
        return arr[self.e]

    def vv(self, col: str) -> np.ndarray:
        return self.prep.v(col)[self.v]
