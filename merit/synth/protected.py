"""Synthetic NIP, NIK and protected attributes, from a random stream independent of merit.

NIP = birth date YYYYMMDD + CPNS start YYYYMM + gender digit + 3-digit sequence:
the id itself leaks age and gender, which is why the solver never sees it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST_M = (
    "Yohanes",
    "Markus",
    "Petrus",
    "Yosef",
    "Agustinus",
    "Daniel",
    "Fransiskus",
    "Andreas",
    "Simon",
    "Imanuel",
    "Rudolf",
    "Ahmad",
    "Muhammad",
    "Kornelis",
    "Paulus",
    "Stefanus",
)
FIRST_F = (
    "Maria",
    "Yuliana",
    "Agustina",
    "Katarina",
    "Elisabet",
    "Fransiska",
    "Debora",
    "Siti",
    "Novita",
    "Yasinta",
    "Margaretha",
    "Theresia",
    "Rosalina",
    "Dewi",
    "Ester",
)
FAMILY = (
    "Ndoen",
    "Pah",
    "Manafe",
    "Tanesib",
    "Bire",
    "Lado",
    "Kana",
    "Riwu",
    "Lerik",
    "Fanggidae",
    "Tallo",
    "Ratu",
    "Bunga",
    "Kolo",
    "Nenobais",
    "Toelle",
    "Mooy",
    "Messakh",
    "Pandie",
    "Saudale",
    "Da Costa",
    "Parera",
    "Wadu",
    "Hadi",
    "Wijaya",
    "Lay",
    "Kiuk",
    "Amalo",
)
RELIGION = (
    ("Kristen Protestan", 0.65),
    ("Katolik", 0.20),
    ("Islam", 0.13),
    ("Hindu", 0.015),
    ("Buddha", 0.005),
)
ETHNICITY = (
    ("Timor", 0.30),
    ("Rote", 0.20),
    ("Sabu", 0.15),
    ("Flores", 0.15),
    ("Alor", 0.05),
    ("Sumba", 0.05),
    ("Jawa", 0.04),
    ("Bugis", 0.03),
    ("Tionghoa", 0.02),
    ("Lainnya", 0.01),
)
MARITAL = (("Kawin", 0.75), ("Belum Kawin", 0.20), ("Cerai", 0.05))
BIRTH_PLACES = (
    "Kupang",
    "Soe",
    "Kefamenanu",
    "Atambua",
    "Ba'a",
    "Seba",
    "Ende",
    "Maumere",
    "Kalabahi",
    "Waingapu",
    "Larantuka",
    "Bajawa",
    "Ruteng",
    "Surabaya",
    "Makassar",
)


def _pick(rng: np.random.Generator, table: tuple[tuple[str, float], ...], n: int) -> np.ndarray:
    names = np.array([t[0] for t in table], dtype=object)
    p = np.array([t[1] for t in table])
    return names[rng.choice(len(names), n, p=p / p.sum())]


def identities(
    rng: np.random.Generator, birth: pd.Series, start: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """Unique NIPs (birth date, CPNS TMT, gender digit, sequence) and the gender each encodes
    (1 male, 2 female)."""
    n = len(birth)
    gender = rng.integers(1, 3, n)
    stem = birth.dt.strftime("%Y%m%d") + start.dt.strftime("%Y%m") + pd.Series(gender).astype(str)
    seq = stem.groupby(stem).cumcount() + 1
    nip = (stem + seq.map(lambda s: f"{s:03d}")).to_numpy(dtype=object)
    return nip, gender


def protected(
    rng: np.random.Generator, ids: np.ndarray, gender: np.ndarray, birth: pd.Series
) -> pd.DataFrame:
    n = len(ids)
    first = np.where(
        gender == 1,
        np.array(FIRST_M, dtype=object)[rng.integers(0, len(FIRST_M), n)],
        np.array(FIRST_F, dtype=object)[rng.integers(0, len(FIRST_F), n)],
    )
    last = np.array(FAMILY, dtype=object)[rng.integers(0, len(FAMILY), n)]
    day = birth.dt.day.to_numpy() + np.where(gender == 2, 40, 0)
    nik = [
        f"5371{d:02d}{dd:02d}{m:02d}{y % 100:02d}{s:04d}"
        for d, dd, m, y, s in zip(
            rng.integers(1, 7, n),
            day,
            birth.dt.month,
            birth.dt.year,
            rng.integers(1, 9999, n),
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            "employee_id": ids,
            "name": first + " " + last,
            "gender": np.where(gender == 1, "Laki-laki", "Perempuan").astype(object),
            "religion": _pick(rng, RELIGION, n),
            "ethnicity": _pick(rng, ETHNICITY, n),
            "marital_status": _pick(rng, MARITAL, n),
            "birth_place": np.array(BIRTH_PLACES, dtype=object)[
                rng.integers(0, len(BIRTH_PLACES), n)
            ],
            "nik": np.array(nik, dtype=object),
            "disability": pd.Series(rng.random(n) < 0.01)
            .map({True: "Ya", False: None})
            .to_numpy(dtype=object),
        }
    )
