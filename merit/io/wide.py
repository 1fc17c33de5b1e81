"""Tables offices keep one column per key: SKP per year, competency levels per competency.

An assessment centre's recap (``NIP, M.01, M.02, ..., SK.01``), a post's competency standard
from Anjab (``ID_JABATAN, M.01, ...``) and an e-Kinerja recap (``NIP, SKP_2023, SKP_2024``)
become one row per id and key, each keeping the row number of the cell it came from. Only a
table without the long layout's own columns is turned; empty cells are no row (not assessed,
no SKP that year), never a zero.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from merit.domain.enums import normalise
from merit.domain.models import Row
from merit.io.dialect import Derivation
from merit.io.sources import RawTable


def names(model: type[Row], field: str) -> set[str]:
    """The normalised headers that give ``field`` (its name and aliases)."""
    info = model.model_fields[field]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    aliases: list[str] = list(extra.get("x-aliases", []))  # type: ignore[arg-type]
    return {normalise(n) for n in (field, *aliases)}


def melt(
    t: RawTable,
    keep: list[str],
    spread: dict[str, str],
    key: str,
    value: str,
    d: Derivation,
) -> RawTable:
    """``keep`` columns repeated, one row per non-empty cell of the ``spread`` columns
    (header -> key text), as columns ``key`` and ``value``; rows keep their numbers."""
    parts: list[pd.DataFrame] = []
    n = len(spread)
    for k, (header, key_text) in enumerate(spread.items()):
        cells = t.frame[header].to_numpy(dtype=object)
        rows = np.flatnonzero(cells != "")
        part = {"_order": rows * n + k, "_row": t.rows.to_numpy()[rows]}
        part |= {h: t.frame[h].to_numpy(dtype=object)[rows] for h in keep}
        part |= {key: np.full(len(rows), key_text, dtype=object), value: cells[rows]}
        parts.append(pd.DataFrame(part))
        d.consumed[header] = f"{key} + {value}"
    long = pd.concat(parts).sort_values("_order", kind="mergesort").reset_index(drop=True)
    frame = long[[*keep, key, value]].astype(object)
    return replace(t, frame=frame, rows=long["_row"].reset_index(drop=True), coded={})


def by_code(
    t: RawTable, model: type[Row], id_field: str, level_field: str
) -> tuple[RawTable, Derivation]:
    """A competency table with one column per competency code turned into rows."""
    d = Derivation()
    keys = {normalise(h): h for h in t.frame.columns}
    if any(k in keys for k in names(model, "competency_code")) or any(
        k in keys for k in names(model, level_field)
    ):
        return t, d
    ids = [h for k, h in keys.items() if k in names(model, id_field)]
    others = {f for f in model.model_fields if f not in (id_field, "competency_code", level_field)}
    kept = [h for k, h in keys.items() if any(k in names(model, f) for f in others)]
    spread = {h: str(h).strip() for h in t.frame.columns if h not in ids and h not in kept}
    if len(ids) != 1 or not spread:
        return t, d
    return melt(t, [ids[0], *kept], spread, "competency_code", level_field, d), d
