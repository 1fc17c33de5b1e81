"""Vectorised parsing of text columns into the dataset's typed columns, with located problems.

Each parser takes the text column and returns the typed values plus a boolean mask of the
cells it could not read; the caller turns the mask into ``Problem`` rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from merit.domain.enums import normalise
from merit.io.frames import Column

Parsed = tuple[pd.Series, pd.Series]

_DATE_ISO = r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"
_DATE_DMY = r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$"
_TRUE = {"true", "ya", "y", "yes", "1", "benar"}
_FALSE = {"false", "tidak", "t", "n", "no", "0", "salah"}


def parse_date(text: pd.Series) -> Parsed:
    iso = text.str.extract(_DATE_ISO)
    dmy = text.str.extract(_DATE_DMY)

    def pick(a: pd.Series, b: pd.Series) -> pd.Series:
        return pd.Series(np.where(a.notna(), a, b), index=text.index, dtype=object).astype("string")

    year, month, day = pick(iso[0], dmy[2]), pick(iso[1], dmy[1]), pick(iso[2], dmy[0])
    joined = (year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)).astype(object)
    values = pd.to_datetime(joined, format="%Y-%m-%d", errors="coerce")
    bad = (text != "") & values.isna()
    return values, bad


def _number_text(text: pd.Series) -> pd.Series:
    """Decimal comma or point; '.' groups of three digits are thousands separators."""
    t = text.str.replace(" ", "", regex=False)
    grouped = t.str.fullmatch(r"-?\d{1,3}(\.\d{3})+")
    t = t.where(~grouped, t.str.replace(".", "", regex=False))
    comma_decimal = t.str.contains(",", regex=False) & ~t.str.contains(".", regex=False)
    return t.where(~comma_decimal, t.str.replace(",", ".", regex=False))


def parse_float(text: pd.Series) -> Parsed:
    values = pd.to_numeric(_number_text(text), errors="coerce")
    bad = (text != "") & values.isna()
    return values.astype("float64"), bad


def parse_int(text: pd.Series) -> Parsed:
    values, bad = parse_float(text)
    frac = values.notna() & (values != np.floor(values.fillna(0)))
    return values, bad | frac


def parse_bool(text: pd.Series) -> Parsed:
    low = text.str.lower()
    values = pd.Series([None] * len(text), index=text.index, dtype=object)
    values[low.isin(_TRUE)] = True
    values[low.isin(_FALSE)] = False
    bad = (text != "") & values.isna()
    return values, bad


def enum_parser(column: Column) -> Callable[[pd.Series], Parsed]:
    assert column.enum is not None
    table = column.enum.alias_table()

    def parse(text: pd.Series) -> Parsed:
        values = text.map(lambda s: table.get(normalise(s)) if s else None)
        bad = (text != "") & values.isna()
        return values, bad

    return parse


def parse_text(text: pd.Series) -> Parsed:
    return text.where(text != "", None).astype(object), pd.Series(False, index=text.index)


def parser(column: Column) -> Callable[[pd.Series], Parsed]:
    """The parser for ``column``; the reader runs it on each distinct text once (a column of
    500,000 cells usually holds a few hundred distinct values) and spreads the result."""
    if column.kind == "text":
        return parse_text
    return {
        "date": parse_date,
        "float": parse_float,
        "int": parse_int,
        "bool": parse_bool,
    }.get(column.kind) or enum_parser(column)


def expected(column: Column) -> str:
    """What a cell of this column must hold, in plain words."""
    if column.kind == "enum":
        assert column.enum is not None
        return column.enum.expected()
    words = {
        "date": "a date as YYYY-MM-DD or DD-MM-YYYY",
        "float": "a number (decimal comma or point)",
        "int": "a whole number",
        "bool": "ya/tidak (true/false)",
        "text": "text",
    }[column.kind]
    if column.ge is not None and column.le is not None:
        words += f" from {column.ge:g} to {column.le:g}"
    elif column.ge is not None:
        words += f" of at least {column.ge:g}"
    return words


def expected_id(column: Column) -> str:
    if column.kind == "enum":
        assert column.enum is not None
        return column.enum.expected()
    words = {
        "date": "tanggal dalam format YYYY-MM-DD atau DD-MM-YYYY",
        "float": "angka (koma atau titik desimal)",
        "int": "bilangan bulat",
        "bool": "ya/tidak",
        "text": "teks",
    }[column.kind]
    if column.ge is not None and column.le is not None:
        words += f" dari {column.ge:g} sampai {column.le:g}"
    elif column.ge is not None:
        words += f" minimal {column.ge:g}"
    return words
