"""e-Kinerja exports as offices have them: one row per year or one column per year, predikat
words or an older SKP score 0-100 read through its published band (``skp_bands.csv``)."""

from __future__ import annotations

import csv
import re
from dataclasses import replace
from functools import cache
from importlib.resources import files

import numpy as np
import pandas as pd

from merit.domain.enums import normalise
from merit.domain.models import PerformanceRecord
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


def _names(field: str) -> set[str]:
    info = PerformanceRecord.model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    aliases: list[str] = list(extra.get("x-aliases", []))  # type: ignore[arg-type]
    return {normalise(n) for n in (field, *aliases)}


def performance(t: RawTable) -> tuple[RawTable, Derivation]:
    """A one-column-per-year table (``NIP, SKP_2023, SKP_2024``) turned into one row per
    employee and year, keeping each cell's row number; other tables unchanged."""
    d = Derivation()
    keys = {normalise(h): h for h in t.frame.columns}
    if any(k in keys for k in _names("year")) or any(k in keys for k in _names("predikat")):
        return t, d
    years = {h: int(m.group(1)) for h in t.frame.columns if (m := _YEAR.match(str(h).strip()))}
    ids = [h for k, h in keys.items() if k in _names("employee_id")]
    if not years or not ids:
        return t, d
    id_h = ids[0]
    parts: list[pd.DataFrame] = []
    for h, year in years.items():
        cells = t.frame[h].to_numpy(dtype=object)
        keep = np.flatnonzero(cells != "")
        parts.append(
            pd.DataFrame(
                {
                    "_order": keep * len(years) + len(parts),
                    id_h: t.frame[id_h].to_numpy(dtype=object)[keep],
                    "year": np.full(len(keep), str(year), dtype=object),
                    "predikat": cells[keep],
                    "_row": t.rows.to_numpy()[keep],
                }
            )
        )
        d.consumed[h] = "year + predikat"
    long = pd.concat(parts).sort_values("_order", kind="mergesort").reset_index(drop=True)
    frame = long[[id_h, "year", "predikat"]].astype(object)
    return replace(t, frame=frame, rows=long["_row"].reset_index(drop=True), coded={}), d
