"""e-Kinerja exports as offices have them: one row per year or one column per year, predikat
words or an older SKP score 0-100 read through its published band (``skp_bands.csv``)."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib.resources import files

import numpy as np

from merit.domain.enums import normalise
from merit.domain.models import PerformanceRecord
from merit.io import wide
from merit.io.dialect import Derivation
from merit.io.sources import RawTable

_YEAR = re.compile(r"^(?:.*?[^0-9])?((?:19|20)\d\d)$")
_SCORE = re.compile(r"^\d{1,3}(?:[.,]\d+)?$")


@cache
def _bands() -> tuple[tuple[float, float, str], ...]:
    text = (files("merit") / "data" / "skp_bands.csv").read_text(encoding="utf-8")
    return tuple(
        (float(r["low"]), float(r["high"]), r["predikat"])
        for r in csv.DictReader(text.splitlines())
    )


def band(score: float) -> str | None:
    """The predikat of an older SKP score (PP 46/2011 Pasal 12); None outside 0-100."""
    for low, high, predikat in _bands():
        if low <= score <= high or (high == 100 and score == 100):
            return predikat
    return None


def bands(distinct: np.ndarray) -> np.ndarray:
    """Distinct predikat cells with numeric scores replaced by their band's predikat."""
    out = distinct.copy()
    for i, text in enumerate(distinct):
        if isinstance(text, str) and _SCORE.match(text.strip()):
            got = band(float(text.strip().replace(",", ".")))
            if got is not None:
                out[i] = got
    return out


def performance(t: RawTable) -> tuple[RawTable, Derivation]:
    """A one-column-per-year table (``NIP, SKP_2023, SKP_2024``) turned into one row per
    employee and year, keeping each cell's row number; other tables unchanged."""
    d = Derivation()
    keys = {normalise(h): h for h in t.frame.columns}
    model = PerformanceRecord
    if any(k in keys for k in wide.names(model, "year") | wide.names(model, "predikat")):
        return t, d
    years = {h: m.group(1) for h in t.frame.columns if (m := _YEAR.match(str(h).strip()))}
    ids = [h for k, h in keys.items() if k in wide.names(model, "employee_id")]
    if not years or not ids:
        return t, d
    return wide.melt(t, [ids[0]], years, "year", "predikat", d), d
