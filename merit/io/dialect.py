"""Turn a SIASN-layout table into the project's fields before parsing, keeping locations.

Values are translated in place (the header stays, so a problem still names the column the
user wrote); a field SIASN spreads over several columns (the position level from
``JENIS_JABATAN_NAMA`` + ``ESELON`` + ``JABATAN_NAMA``, CPNS from ``STATUS_CPNS_PNS``) is
derived into one of them. Project columns always win: nothing is derived for a field the
file already has under a project header.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from merit.domain.enums import normalise
from merit.errors import Problem
from merit.io import siasn
from merit.io.sources import RawTable, problem

#: Fields whose SIASN values are translated through ``bkn_values.csv``.
TRANSLATED = ("status", "legal_standing", "education_level")


@dataclass
class Derivation:
    """What the dialect step did to one table, for ``merit validate`` to tell the user."""

    aliases: dict[str, str] = field(default_factory=dict)
    """Header (as written) -> field it now gives (derived or translated columns)."""
    consumed: dict[str, str] = field(default_factory=dict)
    """Header -> the field it was used to derive (the column itself is not read again)."""


def _where(t: RawTable) -> dict[str, str]:
    return {normalise(h): h for h in t.frame.columns}


def _coded(t: RawTable, header: str) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = t.codes(header)
    return np.asarray(codes), np.asarray(uniques, dtype=object)


def _set(t: RawTable, header: str, codes: np.ndarray, uniques: np.ndarray) -> RawTable:
    frame = t.frame.copy()
    frame[header] = uniques[codes] if len(codes) else np.zeros(0, dtype=object)
    coded = dict(t.coded)
    new_codes, new_uniques = pd.factorize(pd.Series(uniques, dtype=object))
    coded[header] = (new_codes[codes].astype(np.int64), np.asarray(new_uniques, dtype=object))
    return replace(t, frame=frame, coded=coded)


def _drop(t: RawTable, header: str) -> RawTable:
    coded = {k: v for k, v in t.coded.items() if k != header}
    return replace(t, frame=t.frame.drop(columns=[header]), coded=coded)


def _has_project(headers: dict[str, str], names: set[str]) -> bool:
    return any(normalise(n) in headers for n in names)


def employees(
    t: RawTable, project_names: dict[str, set[str]], problems: list[Problem]
) -> tuple[RawTable, Derivation]:
    """The employees table with SIASN values translated and split fields derived.

    ``project_names`` maps each field to the headers that give it besides SIASN's own (its
    canonical name and the model's aliases that are not SIASN columns).
    """
    d = Derivation()
    rules = siasn.headers_of("employees")
    headers = _where(t)
    for key, header in list(headers.items()):
        rule = rules.get(key)
        if rule is not None and rule.field in TRANSLATED:
            codes, uniques = _coded(t, header)
            t = _set(t, header, codes, siasn.translate(rule.field, header, uniques))
    t = _candidates(t, headers, problems, d)
    if "pendidikannama" in headers and not _has_project(headers, project_names["education_field"]):
        header = headers["pendidikannama"]
        codes, uniques = _coded(t, header)
        fields = np.array([siasn.split_education(str(u))[1] for u in uniques], dtype=object)
        t = _set(t, header, codes, fields)
        d.aliases[header] = "education_field"
    if "jenisjabatannama" in headers and not _has_project(headers, project_names["position_level"]):
        t = _position(t, headers, project_names, d)
    return t, d


def _candidates(
    t: RawTable, headers: dict[str, str], problems: list[Problem], d: Derivation
) -> RawTable:
    """STATUS_CPNS_PNS = C turns a PNS into a CPNS (a candidate, PP 11/2017 Pasal 34)."""
    if "statuscpnspns" not in headers or "jenispegawainama" not in headers:
        return t
    flag_header, status_header = headers["statuscpnspns"], headers["jenispegawainama"]
    flags = t.frame[flag_header].to_numpy(dtype=object)
    codes, uniques = pd.factorize(pd.Series(flags))
    meaning = siasn.translate("status_cpns_pns", flag_header, np.asarray(uniques, dtype=object))
    known = np.isin(meaning, ["CPNS", "PNS"]) | (np.asarray(uniques, dtype=object) == "")
    for i in np.flatnonzero(~known[codes]) if len(codes) else []:
        problems.append(
            problem(
                t.file,
                t.sheet,
                "C (CPNS) or P (PNS)",
                f"'{flags[i]}' is not C (CPNS) or P (PNS)",
                f"'{flags[i]}' bukan C (CPNS) atau P (PNS)",
                int(t.rows.iloc[i]),
                flag_header,
                str(flags[i]),
                "VALUE",
            )
        )
    is_candidate = (meaning == "CPNS")[codes] if len(codes) else np.zeros(0, dtype=bool)
    status = t.frame[status_header].to_numpy(dtype=object).copy()
    status[is_candidate & (status == "PNS")] = "CPNS"
    s_codes, s_uniques = pd.factorize(pd.Series(status, dtype=object))
    t = _set(t, status_header, s_codes.astype(np.int64), np.asarray(s_uniques, dtype=object))
    d.consumed[flag_header] = "status"
    return _drop(t, flag_header)


def _position(
    t: RawTable, headers: dict[str, str], project_names: dict[str, set[str]], d: Derivation
) -> RawTable:
    """Position level (and JF family) from JENIS_JABATAN_NAMA + ESELON + JABATAN_NAMA."""
    kind_h = headers["jenisjabatannama"]
    eselon_h = headers.get("eselon")
    name_h = headers.get("jabatannama")
    n = len(t.frame)
    empty = np.full(n, "", dtype=object)
    kinds = t.frame[kind_h].to_numpy(dtype=object)
    eselons = t.frame[eselon_h].to_numpy(dtype=object) if eselon_h else empty
    names = t.frame[name_h].to_numpy(dtype=object) if name_h else empty
    key = pd.Series(kinds + "\x1f" + eselons + "\x1f" + names, dtype=object)
    codes, uniques = pd.factorize(key)
    levels = np.empty(len(uniques), dtype=object)
    families = np.empty(len(uniques), dtype=object)
    for i, u in enumerate(uniques):
        kind, eselon, name = str(u).split("\x1f")
        levels[i], families[i] = _level(kind, eselon, name, kind_h, eselon_h, name_h)
    t = _set(t, kind_h, codes.astype(np.int64), levels)
    d.aliases[kind_h] = "position_level"
    if eselon_h:
        d.consumed[eselon_h] = "position_level"
        t = _drop(t, eselon_h)
    if name_h and not _has_project(headers, project_names["jf_family"]):
        t = _set(t, name_h, codes.astype(np.int64), families)
        d.aliases[name_h] = "jf_family"
    elif name_h:
        d.consumed[name_h] = "position_level"
        t = _drop(t, name_h)
    return t


def _level(
    kind: str, eselon: str, name: str, kind_h: str, eselon_h: str | None, name_h: str | None
) -> tuple[str, str]:
    """(position level or the cells that did not give one, JF family or '')."""
    if not kind:
        return "", ""
    what = siasn.translate_one("jenis_jabatan", kind_h, kind)
    if what == "struktural":
        got = siasn.translate_one("eselon", eselon_h or "ESELON", eselon) if eselon else None
        return (got, "") if got else (f"{kind}, {eselon_h or 'ESELON'} '{eselon}'", "")
    if what == "fungsional":
        level, family = siasn.strip_jf_level(name)
        return (level, family) if level else (f"{kind}, {name_h or 'JABATAN_NAMA'} '{name}'", "")
    if what == "pelaksana":
        return "pelaksana", ""
    return kind, ""
