"""BKN's SIASN layout: headers and values as BKN writes them, read through tables in data.

``merit/data/bkn_headers.csv`` says which SIASN header gives which field (``rank`` orders two
headers of one field: the lower one is read, the other ignored; ``-`` marks a SIASN column
that is not a merit input). ``merit/data/bkn_values.csv`` lists BKN's values per field and
column with the value merit reads (``exact``, ``prefix`` or ``suffix`` match, spelling-
insensitive); ``write = yes`` marks the spelling ``merit synth --layout siasn`` writes. No
mapping lives in code: a new BKN spelling is a new row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

from merit.domain.enums import normalise


@dataclass(frozen=True)
class HeaderRule:
    """One SIASN header: the field it gives (``-``: not a merit input) and its rank."""

    table: str
    header: str
    field: str
    rank: int
    write: bool
    note: str


@dataclass(frozen=True)
class ValueRule:
    """One BKN value of ``column`` (``*``: any column of the field) and the value read."""

    field: str
    column: str
    match: str
    bkn_value: str
    value: str
    write: bool
    source: str


def _rows(name: str) -> list[dict[str, str]]:
    text = (files("merit") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def header_rules() -> tuple[HeaderRule, ...]:
    return tuple(
        HeaderRule(
            r["table"], r["header"], r["field"], int(r["rank"]), r["write"] == "yes", r["note"]
        )
        for r in _rows("bkn_headers.csv")
    )


@cache
def value_rules() -> tuple[ValueRule, ...]:
    return tuple(
        ValueRule(
            r["field"],
            r["column"],
            r["match"],
            r["bkn_value"],
            r["value"],
            r["write"] == "yes",
            r["source"],
        )
        for r in _rows("bkn_values.csv")
    )


def headers_of(table: str) -> dict[str, HeaderRule]:
    """Normalised SIASN header -> its rule, for one table."""
    return {normalise(r.header): r for r in header_rules() if r.table == table}


def _fits(rule_column: str, column: str) -> bool:
    return rule_column == "*" or normalise(rule_column) == normalise(column)


def _id_forms(text: str) -> tuple[str, ...]:
    """A code as written and without leading zeros (Excel drops them from numbers)."""
    return (text, text.lstrip("0") or "0") if text.isdigit() else (text,)


@cache
def _exact(field: str, column: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in value_rules():
        if r.field == field and r.match == "exact" and _fits(r.column, column):
            for form in _id_forms(r.bkn_value):
                out.setdefault(normalise(form), r.value)
    return out


@cache
def _affixes(field: str, column: str, match: str) -> tuple[tuple[str, str], ...]:
    """(normalised affix, value), longest first so 'D-III' wins over 'D-I'."""
    rules = [
        (normalise(r.bkn_value), r.value)
        for r in value_rules()
        if r.field == field and r.match == match and _fits(r.column, column)
    ]
    return tuple(sorted(rules, key=lambda x: -len(x[0])))


def translate_one(field: str, column: str, text: str) -> str | None:
    """The value BKN's ``text`` stands for in ``field`` (``None`` when the tables lack it)."""
    key = normalise(text)
    if not key:
        return None
    exact = _exact(field, column)
    if key in exact:
        return exact[key]
    for affix, value in _affixes(field, column, "prefix"):
        if key.startswith(affix):
            return value
    for affix, value in _affixes(field, column, "suffix"):
        if key.endswith(affix):
            return value
    return None


def translate(field: str, column: str, distinct: np.ndarray) -> np.ndarray:
    """Each distinct text translated; texts the tables lack are kept as written."""
    out = np.empty(len(distinct), dtype=object)
    for i, text in enumerate(distinct):
        got = translate_one(field, column, str(text)) if isinstance(text, str) else None
        out[i] = text if got is None else got
    return out


def split_education(text: str) -> tuple[str | None, str]:
    """'S-1 TEKNIK SIPIL' -> ('S1', 'TEKNIK SIPIL'): the level prefix and the field of study."""
    stripped = text.strip()
    for rule in sorted(
        (r for r in value_rules() if r.field == "education_prefix"),
        key=lambda r: -len(r.bkn_value),
    ):
        p = rule.bkn_value
        if stripped.upper().startswith(p.upper()) and (
            len(stripped) == len(p) or not stripped[len(p)].isalnum()
        ):
            return rule.value, stripped[len(p) :].strip(" -/") or ""
    return None, stripped


def strip_jf_level(text: str) -> tuple[str | None, str]:
    """'Perawat Ahli Pertama' -> ('jf_ahli_pertama', 'Perawat')."""
    words = text.strip()
    for rule in sorted(
        (r for r in value_rules() if r.field == "jf_level"), key=lambda r: -len(r.bkn_value)
    ):
        s = rule.bkn_value
        if words.lower().endswith(" " + s.lower()):
            return rule.value, words[: -len(s) - 1].strip()
    return None, words


def written(field: str, column: str) -> dict[str, str]:
    """Canonical value -> the BKN spelling ``merit synth --layout siasn`` writes."""
    out: dict[str, str] = {}
    for r in value_rules():
        if r.field == field and r.write and _fits(r.column, column):
            out.setdefault(r.value, r.bkn_value)
    return out
