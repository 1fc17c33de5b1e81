"""Synthetic employees: positions, ranks, education, careers, assessments and SKP (vectorised).

Merit fields are drawn from one random stream, protected attributes from another (see
``protected``), so no protected attribute is correlated with merit by construction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merit.domain.enums import EducationLevel, Golongan, PositionLevel
from merit.eligibility.prepare import jf_families
from merit.synth.places import (
    AGENCIES,
    ALL_UNITS,
    GENERAL_DUTY,
    GENERAL_FIELDS,
    JF_FAMILIES,
    JF_WEIGHTS,
    KECAMATAN,
    KELURAHAN_UNITS,
    unit_duty,
)

PLACEMENT = pd.Timestamp("2026-07-01")
RANKS = Golongan.values()
EDUCATION = EducationLevel.values()
#: (minimum golongan ordinal, minimum education ordinal) per position level.
_FLOOR = {
    "pelaksana": (4, 2),
    "jf_pemula": (4, 2),
    "jf_terampil": (6, 5),
    "jf_mahir": (8, 5),
    "jf_penyelia": (10, 5),
    "jf_ahli_pertama": (8, 7),
    "pengawas": (9, 5),
    "jf_ahli_muda": (10, 7),
    "administrator": (11, 7),
    "jf_ahli_madya": (12, 7),
    "jpt_pratama": (12, 8),
    "jf_ahli_utama": (15, 8),
}
ALLOWANCE = {
    "pelaksana": 0,
    "jf_pemula": 240_000,
    "jf_terampil": 240_000,
    "jf_mahir": 540_000,
    "jf_penyelia": 780_000,
    "jf_ahli_pertama": 540_000,
    "pengawas": 540_000,
    "jf_ahli_muda": 780_000,
    "administrator": 1_260_000,
    "jf_ahli_madya": 1_200_000,
    "jpt_pratama": 2_025_000,
    "jf_ahli_utama": 1_500_000,
}
COMPETENCY_CODES = ("M.01", "M.02", "M.03", "M.04", "M.05", "M.06", "M.07", "M.08", "SK.01")
PREDIKAT = ("Sangat Kurang", "Kurang", "Butuh Perbaikan", "Baik", "Sangat Baik")


def _days(rng: np.random.Generator, n: int, lo_years: float, hi_years: float) -> np.ndarray:
    return (rng.uniform(lo_years, hi_years, n) * 365.25).astype("timedelta64[D]")


def positions(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Level, JF family, field and unit of each employee."""
    kind = rng.choice(
        ["pelaksana", "jf", "pengawas", "administrator", "jpt_pratama"],
        n,
        p=[0.36, 0.50, 0.10, 0.035, 0.005],
    )
    fam_ix = rng.choice(len(JF_FAMILIES), n, p=np.array(JF_WEIGHTS) / sum(JF_WEIGHTS))
    level = kind.astype(object)
    family = np.full(n, None, dtype=object)
    field = np.array(GENERAL_FIELDS, dtype=object)[rng.integers(0, len(GENERAL_FIELDS), n)]
    units = np.array(ALL_UNITS, dtype=object)[rng.integers(0, len(ALL_UNITS), n)]
    struct_units = np.array((*AGENCIES, *KECAMATAN, *KELURAHAN_UNITS), dtype=object)
    struct = np.isin(kind, ["pengawas", "administrator", "jpt_pratama"])
    units[struct] = struct_units[rng.integers(0, len(struct_units), int(struct.sum()))]
    agencies = np.array(AGENCIES[:31], dtype=object)
    top = np.isin(kind, ["administrator", "jpt_pratama"])
    adm_units = np.array((*agencies, *KECAMATAN), dtype=object)
    units[top] = adm_units[rng.integers(0, len(adm_units), int(top.sum()))]
    for f, (name, fields, homes, levels) in enumerate(JF_FAMILIES):
        sel = (kind == "jf") & (fam_ix == f)
        k = int(sel.sum())
        if not k:
            continue
        w = np.linspace(1.6, 0.6, len(levels))
        level[sel] = np.array(levels, dtype=object)[rng.choice(len(levels), k, p=w / w.sum())]
        family[sel] = name
        field[sel] = np.array(fields, dtype=object)[rng.integers(0, len(fields), k)]
        units[sel] = np.array(homes, dtype=object)[rng.integers(0, len(homes), k)]
    return pd.DataFrame(
        {"position_level": level, "jf_family": family, "education_field": field, "unit": units}
    )


def careers(rng: np.random.Generator, pos: pd.DataFrame) -> pd.DataFrame:
    """Status, rank, education, dates, sanctions, training, potential, posts and allowances."""
    n = len(pos)
    level = pos["position_level"].to_numpy(dtype=object)
    floor = np.array([_FLOOR[x] for x in level])
    rank_ix = np.minimum(floor[:, 0] + rng.choice(5, n, p=[0.3, 0.3, 0.2, 0.12, 0.08]), 16)
    edu_ix = np.minimum(floor[:, 1] + rng.choice(3, n, p=[0.75, 0.2, 0.05]), 9)
    staff = level == "pelaksana"  # staff hold anything from SLTA to a degree
    edu_ix[staff] = rng.choice([2, 5, 7], int(staff.sum()), p=[0.4, 0.2, 0.4])
    status = np.where(rng.random(n) < 0.12, "PPPK", "PNS").astype(object)
    struct = np.isin(level, ["pengawas", "administrator", "jpt_pratama"])
    status[struct] = "PNS"
    rank = np.array(RANKS, dtype=object)[rank_ix]
    rank[status == "PPPK"] = None
    age = 23 + 2.1 * (rank_ix - 4) + rng.normal(0, 4, n)
    near_bup = rng.random(n) < 0.03
    age = np.where(near_bup, rng.uniform(57.0, 58.4, n), age)
    age = np.clip(age, 22.5, 59.5)
    birth = PLACEMENT - (age * 365.25).astype("timedelta64[D]")
    sanction = rng.choice(["none", "ringan", "sedang", "berat"], n, p=[0.95, 0.02, 0.02, 0.01])
    until = np.where(
        sanction != "none",
        PLACEMENT + (rng.uniform(-1.2, 1.8, n) * 365.25).astype("timedelta64[D]"),
        np.datetime64("NaT"),
    )
    training = np.full(n, "none", dtype=object)
    r = rng.random(n)
    training[(level == "pengawas") & (r < 0.7)] = "PKP"
    training[(level == "administrator") & (r < 0.7)] = "PKA"
    training[(level == "administrator") & (r >= 0.7) & (r < 0.95)] = "PKP"
    training[(level == "jpt_pratama") & (r < 0.8)] = "PKN II"
    training[(level == "pelaksana") & (r < 0.06)] = "PKP"
    potential = rng.choice(["rendah", "menengah", "tinggi"], n, p=[0.3, 0.5, 0.2]).astype(object)
    post = np.full(n, None, dtype=object)
    post[struct] = [f"POS-{i:05d}" for i in range(1, int(struct.sum()) + 1)]
    # CPNS TMT (it is in the NIP): after the 19th birthday, at least 5 months before now;
    # whoever joined less than a year ago is still a CPNS (the probation year)
    service = rng.uniform(0.4, np.maximum(age - 19.0, 0.5))
    cpns = PLACEMENT - (service * 365.25).astype("timedelta64[D]")
    # posts and ranks are taken after the CPNS TMT; a CPNS of the last intake is still one
    since = np.maximum(PLACEMENT - _days(rng, n, 0.5, 12.0), cpns)
    rank_since = np.maximum(PLACEMENT - _days(rng, n, 0.2, 6.0), cpns)
    status[(status == "PNS") & (service < 1.0) & ~struct] = "CPNS"
    standing = np.where(
        rng.random(n) < 0.03,
        rng.choice(
            ["Tugas Belajar", "CLTN", "Pemberhentian Sementara", "Masa Persiapan Pensiun"], n
        ),
        "Aktif",
    ).astype(object)
    return pd.DataFrame(
        {
            "status": status,
            "legal_standing": standing,
            "rank": rank,
            "rank_since": rank_since,
            "education_level": np.array(EDUCATION, dtype=object)[edu_ix],
            "position_since": since,
            "current_post_id": post,
            "birth_date": birth,
            "cpns_since": cpns,
            "sanction": sanction.astype(object),
            "sanction_until": until,
            "leadership_training": training,
            "potential": potential,
            "current_allowance": np.array([ALLOWANCE[x] for x in level], dtype=np.int64) * struct,
        }
    )


_NOT_ACTIVE = ["Tugas Belajar", "CLTN", "Pemberhentian Sementara", "Masa Persiapan Pensiun"]
#: The level held before, by the level held now (one step down the career path).
_BEFORE = {
    "pelaksana": "pelaksana",
    "jf_pemula": "pelaksana",
    "jf_terampil": "jf_pemula",
    "jf_mahir": "jf_terampil",
    "jf_penyelia": "jf_mahir",
    "jf_ahli_pertama": "pelaksana",
    "pengawas": "pelaksana",
    "jf_ahli_muda": "jf_ahli_pertama",
    "administrator": "pengawas",
    "jf_ahli_madya": "jf_ahli_muda",
    "jpt_pratama": "administrator",
    "jf_ahli_utama": "jf_ahli_madya",
}


def duties(rng: np.random.Generator, emp: pd.DataFrame) -> pd.DataFrame:
    """Field of duty of each post held now, certificates and uji kompetensi passed."""
    n = len(emp)
    families = jf_families().set_index("jf_family")
    family = emp["jf_family"].to_numpy(dtype=object)
    unit = emp["unit"].to_numpy(dtype=object)
    level = emp["position_level"].to_numpy(dtype=object)
    duty = pd.Series(unit).map({u: unit_duty(u) for u in set(unit)}).to_numpy(dtype=object)
    general = (rng.random(n) < 0.35) & np.isin(level, ["pelaksana", "pengawas"])
    duty[general] = GENERAL_DUTY
    has_family = np.array([f is not None for f in family])
    fam = pd.Series(family)
    duty[has_family] = fam[has_family].map(families["duty_field"]).to_numpy(dtype=object)
    need = fam.map(families["certificate"]).fillna("").to_numpy(dtype=object)
    holds = (need != "") & (rng.random(n) < 0.9)
    certificates = need.copy()
    certificates[~holds] = None
    names = np.array(list(families.index), dtype=object)
    ukom = names[rng.integers(0, len(names), n)]
    ukom[has_family | (rng.random(n) >= 0.04)] = None
    return pd.DataFrame({"duty_field": duty, "certificates": certificates, "ukom_jf": ukom})


def histories(rng: np.random.Generator, emp: pd.DataFrame) -> pd.DataFrame:
    """Earlier posts (riwayat jabatan): one step down the career path before the post held
    now, back to the CPNS TMT; its field of duty is the current one two times in three."""
    since = emp["position_since"].to_numpy("datetime64[D]")
    cpns = emp["cpns_since"].to_numpy("datetime64[D]")
    start = np.maximum(since - _days(rng, len(emp), 1.0, 10.0), cpns)
    keep = start < since - np.timedelta64(180, "D")
    level = emp["position_level"].to_numpy(dtype=object)
    duty = emp["duty_field"].to_numpy(dtype=object).copy()
    before = np.array([_BEFORE[x] for x in level], dtype=object)
    is_jf = np.char.startswith(before.astype(str), "jf_")
    # an earlier JF post is in the family's own field; other posts moved field one time in 3
    moved = (rng.random(len(emp)) < 1 / 3) & ~is_jf
    others = np.array(sorted({d for d in duty if d}), dtype=object)
    duty[moved] = others[rng.integers(0, len(others), int(moved.sum()))]
    family = np.where(is_jf, emp["jf_family"].to_numpy(dtype=object), None)
    return pd.DataFrame(
        {
            "employee_id": emp["employee_id"].to_numpy(dtype=object)[keep],
            "position_level": before[keep],
            "duty_field": duty[keep],
            "jf_family": family[keep],
            "unit": emp["unit"].to_numpy(dtype=object)[keep],
            "start": start[keep],
            "end": (since - np.timedelta64(1, "D"))[keep],
        }
    )


def competencies(
    rng: np.random.Generator, ids: np.ndarray, level: np.ndarray, potential: np.ndarray
) -> pd.DataFrame:
    grade = np.array([PositionLevel(x).grade() for x in level], dtype=float)
    boost = np.select([potential == "tinggi", potential == "rendah"], [0.5, -0.4], 0.0)
    base = 1.3 + 0.6 * grade + boost
    n, k = len(ids), len(COMPETENCY_CODES)
    levels = np.clip(np.rint(base[:, None] + rng.normal(0, 0.7, (n, k))), 1, 5).astype(np.int64)
    assessed = PLACEMENT - _days(rng, n, 0.3, 3.0)
    return pd.DataFrame(
        {
            "employee_id": np.repeat(ids, k),
            "competency_code": np.tile(np.array(COMPETENCY_CODES, dtype=object), n),
            "level": levels.ravel(),
            "assessed_on": np.repeat(assessed, k),
        }
    )


def performance(rng: np.random.Generator, ids: np.ndarray, potential: np.ndarray) -> pd.DataFrame:
    years = np.array([2023, 2024, 2025])
    n = len(ids)
    shift = np.select([potential == "tinggi", potential == "rendah"], [0.12, -0.08], 0.0)
    u = rng.random((n, len(years))) + shift[:, None]
    cuts = np.array([0.01, 0.03, 0.10, 0.80])
    idx = np.searchsorted(cuts, u)
    return pd.DataFrame(
        {
            "employee_id": np.repeat(ids, len(years)),
            "year": np.tile(years, n).astype(np.int64),
            "predikat": np.array(PREDIKAT, dtype=object)[idx.ravel()],
        }
    )
