"""Per-employee and per-vacancy arrays the rules compare, computed once per run.

Vacancy requirements are the level defaults of ``position_defaults.csv`` overridden by the
vacancy's own columns. ``Pairs`` aligns both sides on candidate x vacancy index arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from typing import Any

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
    return pd.read_csv(str(path), dtype=str, keep_default_na=False).set_index("position_level")


def jf_families() -> pd.DataFrame:
    """What the law attaches to each JF family: its field of duty, the certificate it
    requires, whether PPPK may hold it, and a retirement age set by its own law (cited)."""
    path = files("merit") / "data" / "jf_families.csv"
    table = pd.read_csv(str(path), dtype=str, keep_default_na=False)
    table.index = [normalise(f) for f in table["jf_family"]]
    return table


def _ord(cat: pd.Series) -> np.ndarray:
    return cat.cat.codes.to_numpy(np.int64)


def _norm_text(s: pd.Series) -> np.ndarray:
    """Normalised text of each cell ("" when empty); each distinct value normalised once."""
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    text = [normalise(x) if isinstance(x, str) and x else "" for x in uniques]
    return np.array(text, dtype=object)[codes]


def _field_sets(column: pd.Series) -> list[frozenset[str]]:
    """Each cell's ';'-separated fields of study, normalised (each distinct cell once)."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    fields = [
        frozenset(normalise(f) for f in str(x).split(";") if f.strip())
        if isinstance(x, str) and x
        else frozenset()
        for x in uniques
    ]
    return [fields[c] for c in codes]


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
    def e_pppk(self) -> np.ndarray:
        return (self.data.employees["status"] == "PPPK").to_numpy()

    @cached_property
    def e_assessed(self) -> np.ndarray:
        """Whether the assessment centre has assessed each employee (any competency level)."""
        return (
            self.data.employees["employee_id"]
            .isin(self.data.competencies["employee_id"])
            .to_numpy()
        )

    @cached_property
    def e_active(self) -> np.ndarray:
        return (self.data.employees["legal_standing"] == "Aktif").to_numpy()

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
    def e_family(self) -> np.ndarray:
        return _norm_text(self.data.employees["jf_family"])

    @cached_property
    def e_years(self) -> np.ndarray:
        """Years in the post held now (TMT jabatan to the placement date; 0 when unknown)."""
        days = (self.placement - self.data.employees["position_since"]).dt.days
        return np.maximum(days.fillna(0) / 365.25, 0.0).to_numpy(np.float64)

    @cached_property
    def e_age_months(self) -> np.ndarray:
        """Whole months of age on the placement date (only for the cited age limits)."""
        now = np.datetime64(self.placement.strftime("%Y-%m-%d"), "D")
        birth = self.e_birth
        months = (now.astype("datetime64[M]") - birth.astype("datetime64[M]")).astype(np.int64)
        day_now = (now - now.astype("datetime64[M]")).astype(np.int64)
        day_birth = (birth - birth.astype("datetime64[M]")).astype(np.int64)
        return months - (day_now < day_birth)

    @cached_property
    def e_duty(self) -> np.ndarray:
        """Field-of-duty code of each employee's current post (-1 when unknown)."""
        e = self.data.employees
        return self._duty_of(e["duty_field"], self.e_family)

    @cached_property
    def e_certificates(self) -> np.ndarray:
        """Bit set of the certificates each employee holds (bits of ``certificate_bits``)."""
        codes, uniques = pd.factorize(self.data.employees["certificates"], use_na_sentinel=False)
        bits = self.certificate_bits
        per = [
            sum(bits.get(normalise(c), 0) for c in str(x).split(";") if c.strip())
            if isinstance(x, str)
            else 0
            for x in uniques
        ]
        return np.array(per, dtype=np.int64)[codes]

    @cached_property
    def e_ukom(self) -> np.ndarray:
        """Family code (of ``family_codes``) whose uji kompetensi the employee passed; -1."""
        return self._family_code(_norm_text(self.data.employees["ukom_jf"]))

    @cached_property
    def spells(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(employee row, equalised grade, field-of-duty code, years) of every post held:
        the current post, then each earlier post of ``history`` up to the current one's
        TMT (so an overlap is not counted twice)."""
        e, h = self.data.employees, self.data.history
        grade = {p.value: p.grade() for p in PositionLevel}
        row = self._e_index.get_indexer(h["employee_id"]).astype(np.int64)
        known = row >= 0
        h = h[known]
        row = row[known]
        end = h["end"].fillna(self.placement)
        current = e["position_since"].to_numpy("datetime64[ns]")[row]
        end = np.minimum(end.to_numpy("datetime64[ns]"), np.where(np.isnat(current), end, current))
        end = np.minimum(end, np.datetime64(self.placement.to_datetime64()))
        days = (end - h["start"].to_numpy("datetime64[ns]")).astype("timedelta64[D]")
        years = np.maximum(days.astype(np.float64) / 365.25, 0.0)
        family = _norm_text(h["jf_family"])
        h_duty = self._duty_of(h["duty_field"], family)
        h_grade = h["position_level"].astype(object).map(grade).to_numpy(np.int64)
        n = len(e)
        return (
            np.r_[np.arange(n, dtype=np.int64), row],
            np.r_[self.e_grade, h_grade],
            np.r_[self.e_duty, h_duty],
            np.r_[self.e_years, years],
        )

    def years_at(self, grade: int, duty: int) -> np.ndarray:
        """Years each employee has served at ``grade`` or above in field of duty ``duty``
        (any field when ``duty`` is -1), over the current and earlier posts."""
        key = (int(grade), int(duty))
        if key not in self._years:
            row, g, d, years = self.spells
            keep = (g >= grade) & ((d == duty) if duty >= 0 else True)
            self._years[key] = np.bincount(row[keep], weights=years[keep], minlength=len(self.e_id))
        return self._years[key]

    @cached_property
    def _years(self) -> dict[tuple[int, int], np.ndarray]:
        return {}

    def pair_years(
        self, e: np.ndarray, v: np.ndarray, grade: np.ndarray, in_field: np.ndarray | None = None
    ) -> np.ndarray:
        """Years at ``grade`` (per pair) or above in each pair's post's field of duty (in any
        field where ``in_field`` is False)."""
        duty = self.v_duty[v] if in_field is None else np.where(in_field, self.v_duty[v], -1)
        width = len(self.duty_names) + 1
        key = np.asarray(grade, dtype=np.int64) * width + (duty + 1)
        if not len(key):
            return np.zeros(0, dtype=np.float64)
        if (key == key[0]).all():  # one post, or posts alike: a single gather
            g, d = divmod(int(key[0]), width)
            return self.years_at(g, d - 1)[e]
        out = np.zeros(len(e), dtype=np.float64)
        for k in np.unique(key).tolist():
            at = np.flatnonzero(key == k)
            g, d = divmod(k, width)
            out[at] = self.years_at(g, d - 1)[e[at]]
        return out

    @cached_property
    def duty_names(self) -> dict[str, int]:
        """Every field of duty named anywhere (normalised) -> code."""
        names: set[str] = set()
        for s in (
            self.data.employees["duty_field"],
            self.data.history["duty_field"],
            self.data.vacancies["duty_field"],
        ):
            names |= {x for x in _norm_text(s).tolist() if x}
        names |= {normalise(x) for x in self.families["duty_field"] if x}
        return {n: i for i, n in enumerate(sorted(names))}

    def _duty_of(self, column: pd.Series, family: np.ndarray) -> np.ndarray:
        """Field-of-duty codes of a column; a JF post without one takes its family's."""
        text = _norm_text(column)
        fam_duty = self.families["duty_field"]
        fallback = np.array(
            [normalise(fam_duty.get(f, "")) if f else "" for f in family.tolist()], dtype=object
        )
        text = np.where(text == "", fallback, text)
        names = self.duty_names
        codes, uniques = pd.factorize(text, use_na_sentinel=False)
        return np.array([names.get(x, -1) if x else -1 for x in uniques], dtype=np.int64)[codes]

    @cached_property
    def families(self) -> pd.DataFrame:
        return jf_families()

    @cached_property
    def certificate_bits(self) -> dict[str, int]:
        """Each certificate a JF family requires (normalised) -> its bit."""
        names = sorted({normalise(c) for c in self.families["certificate"] if c})
        return {n: 1 << i for i, n in enumerate(names)}

    @cached_property
    def jpm(self) -> Any:
        """The competency levels behind the Job Person Match (shared with scoring)."""
        from merit.scoring.jpm import levels_of  # scoring imports this module

        return levels_of(self.data, self.scenario.scoring.jpm_mode)

    @cached_property
    def e_sanction_bars(self) -> np.ndarray:
        e = self.data.employees
        heavy = e["sanction"].isin(["ringan", "sedang", "berat"]).to_numpy()
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
        """(employee, vacancy) JF family as shared integer codes (-1: none)."""
        return self._family_code(self.e_family), self._family_code(self.v_family)

    @cached_property
    def _family_names(self) -> dict[str, int]:
        names = set(self.e_family.tolist()) | set(self.v_family.tolist())
        names |= set(_norm_text(self.data.employees["ukom_jf"]).tolist())
        return {n: i for i, n in enumerate(sorted(names - {""}))}

    def _family_code(self, text: np.ndarray) -> np.ndarray:
        codes, uniques = pd.factorize(text, use_na_sentinel=False)
        names = self._family_names
        return np.array([names.get(x, -1) for x in uniques], dtype=np.int64)[codes]

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
        """Every requirement value of each vacancy, as integers or floats: the level's default
        (``position_defaults.csv``) overridden by the vacancy's own columns and, for a JF
        post, by what the law attaches to its family (``jf_families.csv``)."""
        v = self.data.vacancies
        d = position_defaults().reindex(v["position_level"].astype(str))
        d.index = v.index
        fam = self.families.reindex(self.v_family.tolist())
        fam.index = v.index
        rank_ix = {g.value: i for i, g in enumerate(Golongan)}
        grade = {e.value: e.grade() for e in EducationLevel}
        level = v["position_level"].astype(str)
        own_edu = v["min_education"].astype(object)
        # PPPK: a JF post of a family the law opens to PPPK; the vacancy may only close it
        pppk = (d["open_to_pppk"] == "true") & (fam["open_to_pppk"].fillna("") == "true")
        own = v["open_to_pppk"].astype(object)
        pppk &= ~own.eq(False).to_numpy()  # the vacancy may close a post, never open one
        bup = pd.to_numeric(fam["retirement_age"], errors="coerce")
        bup = bup.where(bup.notna(), pd.to_numeric(d["retirement_age"]))
        _, std_rows = np.unique(self.jpm.need, axis=0, return_inverse=True)
        min_jpm = self._min_jpm(d["min_jpm_percent"].astype(float))
        cert = (
            fam["certificate"].fillna("").map(lambda c: self.certificate_bits.get(normalise(c), 0))
        )
        return pd.DataFrame(
            {
                "min_rank": v["min_rank"].astype(object).map(rank_ix).fillna(-1).astype(np.int64),
                "min_edu": own_edu.where(own_edu.notna(), d["min_education"]).map(grade),
                "feeder": d["feeder_grade"].astype(int),
                "min_exp": v["min_experience_years"].where(
                    v["min_experience_years"].notna(), d["min_experience_years"].astype(float)
                ),
                "min_field_years": d["min_field_years"].astype(float),
                "exp_in_field": d["experience_in_field"] == "true",
                "pppk": pppk.astype(bool),
                "bup": bup.astype(int),
                "max_age": pd.to_numeric(d["max_age"], errors="coerce").fillna(0).astype(int),
                "skp": d["skp_required"] == "true",
                "grade": level.map({p.value: p.grade() for p in PositionLevel}),
                "is_jf": level.str.startswith("jf_"),
                "family": self.family_codes[1],
                "fields": pd.factorize(
                    pd.Series([";".join(sorted(f)) for f in self.v_fields], dtype=object)
                )[0],
                "duty": self.v_duty,
                "certificate": cert.astype(np.int64),
                "min_jpm": min_jpm,
                "move_max_age": pd.to_numeric(d["jf_move_max_age"], errors="coerce")
                .fillna(0)
                .astype(int),
                "move_years": pd.to_numeric(d["jf_move_years"], errors="coerce").fillna(0),
                # the standard matters only where a competence threshold applies
                "standard": np.where(min_jpm > 0, std_rows.reshape(-1), -1).astype(np.int64),
            }
        )

    def _min_jpm(self, default: pd.Series) -> pd.Series:
        """The competence threshold: the scenario's where the level requires one."""
        own = self.scenario.eligibility.min_jpm_percent
        return default if own is None else default.where(default <= 0, float(own))

    @cached_property
    def v_duty(self) -> np.ndarray:
        """Field-of-duty code of each vacancy (its own, else its JF family's; -1: any)."""
        return self._duty_of(self.data.vacancies["duty_field"], self.v_family)

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
        return _field_sets(self.data.vacancies["education_fields"])

    @cached_property
    def v_preferred(self) -> list[frozenset[str]]:
        """The fields of study each post prefers (scored, not required), normalised."""
        return _field_sets(self.data.vacancies["preferred_fields"])

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


class UndeclaredRead(AssertionError):
    """A candidate-side rule read a vacancy value it did not declare (a bug in the rule)."""


@dataclass(frozen=True, eq=False)
class Pairs:
    """Aligned candidate (``e``) and vacancy (``v``) row indices, with the prepared arrays.

    ``reads`` (when given) are the only vacancy requirement columns a rule may read here."""

    prep: Prepared
    e: np.ndarray
    v: np.ndarray
    reads: frozenset[str] | None = None

    def ev(self, arr: np.ndarray) -> np.ndarray:
        return arr[self.e]

    def vv(self, col: str) -> np.ndarray:
        if self.reads is not None and col not in self.reads:
            raise UndeclaredRead(f"a rule read the vacancy value {col!r} without declaring it")
        return self.prep.v(col)[self.v]

    def for_rule(self, reads: tuple[str, ...] | None) -> Pairs:
        """These pairs as one rule may see them (``None``: every value, for pair rules)."""
        return Pairs(self.prep, self.e, self.v, None if reads is None else frozenset(reads))

    def field_ok(self) -> np.ndarray:
        """Whether each candidate's field of study is one the post names (reads ``fields``)."""
        self.vv("fields")
        return self.prep.field_ok(self.e, self.v)

    def years_at_post_field(
        self, grade: np.ndarray, in_field: np.ndarray | None = None
    ) -> np.ndarray:
        """Years at ``grade`` or above in the post's field of duty (reads ``duty``), or in any
        field where ``in_field`` is False."""
        self.vv("duty")
        return self.prep.pair_years(self.e, self.v, grade, in_field)

    def jpm_percent(self) -> np.ndarray:
        """Job Person Match % of each pair against the post's standard (reads ``standard``)."""
        self.vv("standard")
        levels = self.prep.jpm
        return levels.percent()[levels.key(self.e, self.v)]
