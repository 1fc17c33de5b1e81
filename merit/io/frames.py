"""Row models <-> typed column frames <-> canonical text: the one definition of the dtypes.

``merit.dataset`` documents the dtype contract; this module implements it once, from the
pydantic row models, so the reader, the writer, the synthetic generator and the tests agree.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

import numpy as np
import pandas as pd

from merit.domain.enums import _Vocabulary
from merit.domain.models import Row

Kind = Literal["text", "enum", "date", "int", "float", "bool"]


@dataclass(frozen=True)
class Column:
    """One column of a table as derived from a row model's field."""

    name: str
    kind: Kind
    required: bool
    enum: type[_Vocabulary] | None
    aliases: tuple[str, ...]
    protected: bool
    ge: float | None
    le: float | None
    default: Any


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The non-None type of an annotation and whether None is allowed."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def columns(model: type[Row]) -> list[Column]:
    """The columns of ``model``'s table, in field order."""
    out = []
    for name, info in model.model_fields.items():
        base, optional = _unwrap(info.annotation)
        if isinstance(base, type) and issubclass(base, Enum):
            kind: Kind = "enum"
        elif base is dt.date:
            kind = "date"
        elif base is bool:
            kind = "bool"
        elif base is int:
            kind = "int"
        elif base is float:
            kind = "float"
        else:
            kind = "text"
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        ge = le = None
        for meta in info.metadata:
            ge = getattr(meta, "ge", ge)
            le = getattr(meta, "le", le)
        default = None if info.is_required() else info.default
        if isinstance(default, Enum):
            default = default.value
        out.append(
            Column(
                name=name,
                kind=kind,
                required=info.is_required() and not optional,
                enum=base if kind == "enum" else None,
                aliases=tuple(extra.get("x-aliases", ())),  # type: ignore[arg-type]
                protected=bool(extra.get("x-protected", False)),
                ge=ge,
                le=le,
                default=default,
            )
        )
    return out


def coerce(model: type[Row], data: dict[str, list[Any]]) -> pd.DataFrame:
    """Build a frame in the contract dtypes from already-parsed python values per column."""
    frame: dict[str, Any] = {}
    n = len(next(iter(data.values()))) if data else 0
    for c in columns(model):
        values = data.get(c.name, [c.default] * n)
        if c.kind == "enum":
            assert c.enum is not None
            vals = pd.Series(values, dtype=object)
            odd = vals.notna() & ~vals.isin(c.enum.values())
            if odd.any():
                vals[odd] = [c.enum.parse(v).value for v in vals[odd]]
            frame[c.name] = pd.Categorical(vals, categories=c.enum.values(), ordered=True)
        elif c.kind == "date":
            frame[c.name] = pd.to_datetime(pd.Series(values), errors="raise").astype(
                "datetime64[ns]"
            )
        elif c.kind == "int":
            frame[c.name] = pd.Series(values, dtype="int64")
        elif c.kind == "float":
            frame[c.name] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        else:
            frame[c.name] = pd.Series(values, dtype=object)
    df = pd.DataFrame(frame, index=pd.RangeIndex(n))
    if model.model_config.get("extra") == "allow":
        for name, values in data.items():
            if name not in df.columns:
                df[name] = pd.Series(values, dtype=object)
    return df


def to_frame(model: type[Row], rows: list[Row]) -> pd.DataFrame:
    """Rows -> frame in the contract dtypes (sorted by the table key)."""
    names = [c.name for c in columns(model)]
    extras: list[str] = []
    for r in rows:
        for k in r.model_extra or {}:
            if k not in extras and k not in names:
                extras.append(k)
    data: dict[str, list[Any]] = {n: [] for n in [*names, *extras]}
    for r in rows:
        dumped = dict(r)
        for n in data:
            v = dumped.get(n, (r.model_extra or {}).get(n))
            data[n].append(v.value if isinstance(v, Enum) else v)
    return sort_frame(model, coerce(model, data))


def sort_frame(model: type[Row], df: pd.DataFrame) -> pd.DataFrame:
    """Sort by the table key so row order in the files never matters."""
    return df.sort_values(list(model.key), kind="mergesort").reset_index(drop=True)


def _py(value: Any, column: Column) -> Any:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column.kind == "date":
        return pd.Timestamp(value).date()
    if column.kind == "int":
        return int(value)
    if column.kind == "float":
        return float(value)
    return value


def from_frame(model: type[Row], df: pd.DataFrame) -> list[Row]:
    """Frame in the contract dtypes -> validated row models."""
    cols = columns(model)
    extra = [c for c in df.columns if c not in {x.name for x in cols}]
    out = []
    for rec in df.to_dict(orient="records"):
        kwargs = {c.name: _py(rec.get(c.name), c) for c in cols if c.name in rec}
        kwargs = {k: v for k, v in kwargs.items() if v is not None}
        for e in extra:
            if rec[e] is not None and not (not isinstance(rec[e], str) and pd.isna(rec[e])):
                kwargs[e] = rec[e]
        out.append(model(**kwargs))
    return out


def format_value(value: Any, kind: Kind) -> str:
    """Canonical text of one cell: ISO dates, plain numbers, enum values, empty for missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "date":
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if kind == "float":
        return (
            repr(float(value)).removesuffix(".0")
            if float(value).is_integer()
            else repr(float(value))
        )
    if kind == "bool":
        return "true" if bool(value) else "false"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def format_frame(model: type[Row], df: pd.DataFrame) -> pd.DataFrame:
    """A frame of canonical strings, one column per model field (plus extras), for writing."""
    out: dict[str, list[str]] = {}
    known = {c.name for c in columns(model)}
    for c in columns(model):
        if c.name not in df.columns:
            continue
        s = df[c.name]
        if c.kind == "date":
            out[c.name] = [x.strftime("%Y-%m-%d") if not pd.isna(x) else "" for x in s]
        elif c.kind == "int":
            out[c.name] = [str(int(x)) for x in s]
        else:
            out[c.name] = [format_value(x, c.kind) for x in s.astype(object)]
    for name in df.columns:
        if name not in known:
            out[name] = [format_value(x, "text") for x in df[name].astype(object)]
    return pd.DataFrame(out, dtype=object)
