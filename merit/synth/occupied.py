"""Synthetic occupied posts (peta jabatan): one row per post an employee holds.

Each post takes its holder's unit, level, JF family and field of duty, and its holder's
current allowance (so a holder who stays costs nothing). Titles follow the holder's level and
unit: the unit head (highest structural level, then smallest NIP, as ``vacancies`` finds it)
takes the unit's head post, the others the next title of their level not already a vacancy of
that unit. JF and pelaksana posts repeat one title per seat, as a peta jabatan lists them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merit.domain.enums import PositionLevel
from merit.synth.places import GENERAL_DUTY, JF_FAMILIES, PREFERRED_FIELDS
from merit.synth.posts import LEVEL_TITLE, unit_heads

_FIELDS = {name: fields for name, fields, _, _ in JF_FAMILIES}
_SECTIONS_KELURAHAN = (
    "Lurah {place}",
    "Sekretaris Kelurahan {place}",
    "Kepala Seksi Pemerintahan Kelurahan {place}",
    "Kepala Seksi Pemberdayaan Masyarakat Kelurahan {place}",
    "Kepala Seksi Ketenteraman dan Ketertiban Kelurahan {place}",
    "Kepala Seksi Kesejahteraan Sosial Kelurahan {place}",
    "Kepala Seksi Pelayanan Umum Kelurahan {place}",
    "Kepala Seksi Pembangunan Kelurahan {place}",
    "Kepala Seksi Ekonomi Kelurahan {place}",
)
_SECTIONS_KECAMATAN = (
    "Kepala Seksi Pemerintahan {place}",
    "Kepala Seksi Pelayanan Umum {place}",
    "Kepala Seksi Ketenteraman dan Ketertiban {place}",
    "Kepala Seksi Pemberdayaan Masyarakat {place}",
    "Kepala Seksi Kesejahteraan Sosial {place}",
    "Kepala Subbagian Umum Kecamatan {place}",
)
_HEADS_KECAMATAN = (
    "Camat {place}",
    "Sekretaris Kecamatan {place}",
    "Kepala Bagian Tata Pemerintahan Kecamatan {place}",
    "Kepala Bagian Pelayanan Kecamatan {place}",
    "Kepala Bagian Pembangunan Kecamatan {place}",
)
_SECTIONS_AGENCY = (
    "Kepala Seksi Pelayanan",
    "Kepala Seksi Pembinaan",
    "Kepala Seksi Pengembangan",
    "Kepala Seksi Pengendalian",
    "Kepala Seksi Data dan Informasi",
    "Kepala Seksi Pengawasan",
    "Kepala Seksi Kerja Sama",
    "Kepala Seksi Evaluasi dan Pelaporan",
)
_SUBDIVISIONS = (
    "Kepala Subbagian Umum dan Kepegawaian",
    "Kepala Subbagian Keuangan",
    "Kepala Subbagian Perencanaan",
)
_DIVISIONS = (
    "Sekretaris {unit}",
    "Kepala Bidang Pelayanan",
    "Kepala Bidang Perencanaan dan Evaluasi",
    "Kepala Bidang Pembinaan",
    "Kepala Bidang Pengembangan",
    "Kepala Bidang Pengendalian",
)
_HIGH = (
    "Kepala {unit}",
    "Staf Ahli Wali Kota Bidang Pemerintahan",
    "Staf Ahli Wali Kota Bidang Ekonomi dan Pembangunan",
    "Staf Ahli Wali Kota Bidang Kemasyarakatan",
)
#: Posts a unit has once (the others repeat, numbered, when a unit has more holders).
_ONCE = frozenset(
    (
        "Lurah {place}",
        "Sekretaris Kelurahan {place}",
        "Camat {place}",
        "Sekretaris Kecamatan {place}",
        "Sekretaris {unit}",
        "Kepala {unit}",
    )
)
#: Pelaksana posts (PermenPANRB 45/2024 nomenclature) besides general administration.
_STAFF = (
    "Penata Layanan Operasional",
    "Pengolah Data dan Informasi",
    "Operator Layanan Operasional",
)


def _structural(level: str, unit: str, duty: str | None) -> tuple[str, ...]:
    """Title templates for a structural holder, general administration ones first for a
    holder whose field of duty is general administration."""
    options = _templates(level, unit, duty)
    if duty == GENERAL_DUTY:
        return tuple(sorted(options, key=lambda t: not ("Sekretaris" in t or "Umum" in t)))
    return options


def _templates(level: str, unit: str, duty: str | None) -> tuple[str, ...]:
    if unit.startswith("Kelurahan "):
        return _SECTIONS_KELURAHAN
    if unit.startswith("Kecamatan "):
        by_level = {"pengawas": _SECTIONS_KECAMATAN, "administrator": _HEADS_KECAMATAN}
        return by_level.get(level, _HIGH[1:])
    if level == "pengawas":
        return _SUBDIVISIONS if duty == GENERAL_DUTY else _SECTIONS_AGENCY
    return _DIVISIONS if level == "administrator" else _HIGH


def _titles(holders: pd.DataFrame, taken: set[tuple[str, str]]) -> list[str]:
    """A title per holder (rows in the frame's order); ``taken`` holds (title, unit) pairs."""
    used = set(taken)
    titles: dict[int, str] = {}
    staff_seen: dict[str, int] = {}
    grade = holders["position_level"].map(lambda x: PositionLevel(x).grade())
    order = holders.assign(g=grade).sort_values(
        ["unit", "g", "employee_id"], ascending=[True, False, True], kind="mergesort"
    )
    for i, row in zip(order.index, order.itertuples(index=False), strict=True):
        level, unit, family, duty = row.position_level, row.unit, row.jf_family, row.duty_field
        if family:
            titles[i] = f"{str(family).title()} {LEVEL_TITLE[level]}"
            continue
        if level == "pelaksana":
            k = staff_seen.get(unit, 0)
            staff_seen[unit] = k + 1
            titles[i] = "Pengadministrasi Perkantoran" if duty == GENERAL_DUTY else _STAFF[k % 3]
            continue
        titles[i] = _free_title(_structural(level, unit, duty), unit, used)
    return [titles[i] for i in holders.index]


def _free_title(templates: tuple[str, ...], unit: str, used: set[tuple[str, str]]) -> str:
    """The first title of ``templates`` not yet used in ``unit`` (then numbered repeats of the
    ones a unit may have several of), marked used."""
    place = unit.removeprefix("Kelurahan ").removeprefix("Kecamatan ")
    repeats = [t for t in templates if t not in _ONCE] or list(templates)
    n = 1
    while True:
        names = [t.format(unit=unit, place=place) for t in (templates if n == 1 else repeats)]
        free = [t if n == 1 else f"{t} {n}" for t in names]
        free = [t for t in free if (t, unit) not in used]
        if free:
            used.add((free[0], unit))
            return free[0]
        n += 1


def occupied_posts(employees: pd.DataFrame, vacancies: pd.DataFrame) -> pd.DataFrame:
    """One row per post an employee's ``current_post_id`` names, in the vacancies' columns,
    by post id (so the structural posts draw the same standards with or without the others)."""
    held = employees[employees["current_post_id"].notna()].sort_values("current_post_id")
    taken = set(zip(vacancies["title"], vacancies["unit"], strict=True))
    family = held["jf_family"].to_numpy(dtype=object)
    duty = held["duty_field"].to_numpy(dtype=object)
    heads = unit_heads(employees)
    head = held["unit"].map(heads).to_numpy(dtype=object)
    own = head == held["employee_id"].to_numpy(dtype=object)
    head[own] = None  # nobody is their own superior
    return pd.DataFrame(
        {
            "vacancy_id": held["current_post_id"].to_numpy(dtype=object),
            "title": _titles(held, taken),
            "unit": held["unit"].to_numpy(dtype=object),
            "position_level": held["position_level"].to_numpy(dtype=object),
            "jf_family": family,
            "education_fields": [";".join(_FIELDS[f]) if f else None for f in family],
            "duty_field": duty,
            "preferred_fields": [";".join(PREFERRED_FIELDS.get(d or "", ())) or None for d in duty],
            "allowance": held["current_allowance"].to_numpy(dtype=np.int64),
            "unit_head_id": head,
            "superior_id": head,
        }
    )


def every_post_held(post_ids: pd.Series) -> pd.Series:
    """Each employee's post id, giving those without one the next ``POS-`` ids in row order."""
    ids = post_ids.to_numpy(dtype=object).copy()
    free = np.array([x is None for x in ids])
    start = int(post_ids.notna().sum()) + 1
    ids[free] = [f"POS-{i:05d}" for i in range(start, start + int(free.sum()))]
    return pd.Series(ids, index=post_ids.index, dtype=object)
