"""Synthetic vacancies (structural and functional) and their competency standards."""

from __future__ import annotations

import numpy as np
import pandas as pd

from merit.domain.enums import PositionLevel
from merit.synth.people import ALLOWANCE, COMPETENCY_CODES
from merit.synth.places import (
    AGENCIES,
    GENERAL_DUTY,
    JF_FAMILIES,
    KECAMATAN,
    KELURAHAN_UNITS,
    PREFERRED_FIELDS,
    PRIORITY_SERVICE_UNITS,
    unit_duty,
)

LEVEL_TITLE = {
    "jf_pemula": "Pemula",
    "jf_terampil": "Terampil",
    "jf_mahir": "Mahir",
    "jf_penyelia": "Penyelia",
    "jf_ahli_pertama": "Ahli Pertama",
    "jf_ahli_muda": "Ahli Muda",
    "jf_ahli_madya": "Ahli Madya",
    "jf_ahli_utama": "Ahli Utama",
}
_STANDARD = {
    "pelaksana": 1,
    "jf_pemula": 1,
    "jf_terampil": 1,
    "jf_mahir": 2,
    "jf_penyelia": 2,
    "jf_ahli_pertama": 2,
    "pengawas": 2,
    "jf_ahli_muda": 3,
    "administrator": 3,
    "jf_ahli_madya": 3,
    "jpt_pratama": 4,
    "jf_ahli_utama": 4,
}
_FIELDS = {name: fields for name, fields, _, _ in JF_FAMILIES}
_HOMES = {name: homes for name, _, homes, _ in JF_FAMILIES}
_AGENCY_DINAS = tuple(a for a in AGENCIES if a.startswith(("Dinas", "Badan")))

#: (title, level, family or None, units, weight). Titles may use {unit} and {place}.
TEMPLATES: tuple[tuple[str, str, str | None, tuple[str, ...], float], ...] = (
    ("Lurah {place}", "pengawas", None, KELURAHAN_UNITS, 8),
    ("Kepala Seksi Pemerintahan {place}", "pengawas", None, KECAMATAN, 3),
    ("Kepala Seksi Pelayanan", "pengawas", None, _AGENCY_DINAS, 6),
    ("Kepala Subbagian Umum dan Kepegawaian", "pengawas", None, _AGENCY_DINAS, 5),
    ("Camat {place}", "administrator", None, KECAMATAN, 1.5),
    ("Sekretaris {unit}", "administrator", None, _AGENCY_DINAS, 2.5),
    ("Kepala Bidang Pelayanan", "administrator", None, PRIORITY_SERVICE_UNITS, 3),
    ("Guru Ahli Pertama", "jf_ahli_pertama", "guru", _HOMES["guru"], 8),
    ("Guru Ahli Muda", "jf_ahli_muda", "guru", _HOMES["guru"], 4),
    ("Perawat Ahli Pertama", "jf_ahli_pertama", "perawat", _HOMES["perawat"], 4),
    ("Perawat Terampil", "jf_terampil", "perawat", _HOMES["perawat"], 3),
    ("Bidan Terampil", "jf_terampil", "bidan", _HOMES["bidan"], 3),
    ("Dokter Ahli Pertama", "jf_ahli_pertama", "dokter", _HOMES["dokter"], 2),
    ("Dokter Ahli Madya", "jf_ahli_madya", "dokter", _HOMES["dokter"], 0.6),
    ("Apoteker Ahli Muda", "jf_ahli_muda", "apoteker", _HOMES["apoteker"], 0.6),
    (
        "Penyuluh Pertanian Ahli Pertama",
        "jf_ahli_pertama",
        "penyuluh pertanian",
        _HOMES["penyuluh pertanian"],
        1.5,
    ),
    (
        "Analis Kepegawaian Ahli Muda",
        "jf_ahli_muda",
        "analis kepegawaian",
        _HOMES["analis kepegawaian"],
        1.5,
    ),
    (
        "Pranata Komputer Ahli Pertama",
        "jf_ahli_pertama",
        "pranata komputer",
        ("Dinas Kependudukan dan Pencatatan Sipil",),
        2,
    ),
    ("Pekerja Sosial Ahli Pertama", "jf_ahli_pertama", "pekerja sosial", ("Dinas Sosial",), 2.5),
    (
        "Administrator Database Kependudukan Terampil",
        "jf_terampil",
        "administrator database kependudukan",
        ("Dinas Kependudukan dan Pencatatan Sipil",),
        2.5,
    ),
    (
        "Penata Perizinan Ahli Pertama",
        "jf_ahli_pertama",
        "penata perizinan",
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",),
        2.5,
    ),
    ("Auditor Ahli Pertama", "jf_ahli_pertama", "auditor", ("Inspektorat",), 1),
    ("Perencana Ahli Muda", "jf_ahli_muda", "perencana", _HOMES["perencana"], 1),
    ("Arsiparis Terampil", "jf_terampil", "arsiparis", _HOMES["arsiparis"], 0.5),
    ("Kepala {unit}", "jpt_pratama", None, PRIORITY_SERVICE_UNITS[:2], 0.5),
)
#: Posts of general administration (their field of duty is not the unit's own affairs).
_GENERAL_TITLES = ("Kepala Subbagian Umum dan Kepegawaian", "Sekretaris {unit}")
#: One post in each of the five priority services comes first, so each always has a vacancy,
#: then one JPT post (filled by open selection: the run shortlists for it).
_FIRST = (6, 9, 19, 20, 18, len(TEMPLATES) - 1)


def vacancies(rng: np.random.Generator, m: int, employees: pd.DataFrame) -> pd.DataFrame:
    weights = np.array([t[4] for t in TEMPLATES])
    kinds = np.r_[
        np.array(_FIRST[: min(m, len(_FIRST))], dtype=np.int64),
        rng.choice(len(TEMPLATES), max(0, m - len(_FIRST)), p=weights / weights.sum()),
    ]
    rows = []
    used: set[tuple[str, str]] = set()
    for i, k in enumerate(kinds.tolist()):
        title, level, family, units, _ = TEMPLATES[k]
        unit = str(units[int(rng.integers(0, len(units)))])
        place = unit.removeprefix("Kelurahan ").removeprefix("Kecamatan ")
        text = title.format(unit=unit, place=place)
        if "{place}" in title and (text, unit) in used:
            unit = str(units[int(rng.integers(0, len(units)))])
            text = title.format(unit=unit, place=unit.split(" ", 1)[-1])
        used.add((text, unit))
        duty = None if family else (GENERAL_DUTY if title in _GENERAL_TITLES else unit_duty(unit))
        rows.append(
            {
                "vacancy_id": f"VAC-{i + 1:04d}",
                "title": text,
                "unit": unit,
                "position_level": level,
                "jf_family": family,
                "education_fields": ";".join(_FIELDS[family]) if family else None,
                "duty_field": duty,
                "preferred_fields": ";".join(PREFERRED_FIELDS.get(duty or "", ())) or None,
                "allowance": ALLOWANCE[level],
            }
        )
    vac = pd.DataFrame(rows)
    heads = unit_heads(employees)
    vac["unit_head_id"] = vac["unit"].map(heads).astype(object)
    vac["unit_head_id"] = vac["unit_head_id"].where(vac["unit_head_id"].notna(), None)
    vac["superior_id"] = vac["unit_head_id"]
    return vac


def unit_heads(employees: pd.DataFrame) -> pd.Series:
    """The head of each unit: its highest structural level, then the smallest NIP (the first
    employee by NIP in a unit without structural posts)."""
    grade = employees["position_level"].map(lambda x: PositionLevel(x).grade())
    structural = employees["position_level"].isin(["pengawas", "administrator", "jpt_pratama"])
    e = employees.assign(g=grade.where(structural, 0))
    e = e.sort_values(["unit", "g", "employee_id"], ascending=[True, False, True])
    return e.groupby("unit")["employee_id"].first()


def standards(rng: np.random.Generator, vac: pd.DataFrame) -> pd.DataFrame:
    base = vac["position_level"].map(_STANDARD).to_numpy(np.int64)
    k = len(COMPETENCY_CODES)
    bump = (rng.random((len(vac), k)) < 0.2).astype(np.int64)
    levels = np.clip(base[:, None] + bump, 1, 5)
    return pd.DataFrame(
        {
            "vacancy_id": np.repeat(vac["vacancy_id"].to_numpy(dtype=object), k),
            "competency_code": np.tile(np.array(COMPETENCY_CODES, dtype=object), len(vac)),
            "required_level": levels.ravel(),
        }
    )
