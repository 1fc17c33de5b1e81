"""Read and validate a dataset, reporting every problem in one pass.

``load(path)`` returns a ``Dataset`` or raises ``InputError`` carrying every located problem
(file, sheet, Excel row, column as written, value, expected, English and Indonesian text).
Protected and identifying columns are split off the employees table here, at the boundary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from merit.dataset import Dataset, MeritData, SourceFile
from merit.domain.enums import normalise
from merit.domain.models import PERSONAL_COLUMNS, REQUIRED_TABLES, TABLES, ProtectedAttributes, Row
from merit.errors import InputError, Problem
from merit.io import cells
from merit.io.frames import Column, columns, sort_frame
from merit.io.sources import RawTable, problem, read_sources

_PROTECTED_HIDDEN = "(protected value hidden)"


def _p(
    t: RawTable,
    row: int | None,
    column: str | None,
    value: str | None,
    expected: str,
    en: str,
    idn: str,
    code: str,
) -> Problem:
    return problem(t.file, t.sheet, expected, en, idn, row, column, value, code)


def _snake(header: str) -> str:
    """A protected column's name as kept in the side table: lower snake case."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_") or "column"


def _lookup(model: type[Row]) -> dict[str, Column]:
    out: dict[str, Column] = {}
    for c in columns(model):
        for name in (c.name, *c.aliases):
            out.setdefault(normalise(name), c)
    return out


def _map_headers(
    t: RawTable, model: type[Row], extra_protected: set[str], problems: list[Problem]
) -> tuple[dict[str, str], dict[str, str]]:
    """header -> canonical column, and header -> protected column name (employees only)."""
    known = _lookup(model)
    prot = _lookup(ProtectedAttributes)
    mapped: dict[str, str] = {}
    protected: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in t.frame.columns:
        key = normalise(header)
        if key in extra_protected or (model.table == "employees" and key not in known):
            target = prot.get(key)
            name = target.name if target else _snake(header)
            if name != "employee_id":
                protected[header] = name
            continue
        col = known.get(key)
        if col is None:
            continue
        if col.name in seen:
            problems.append(
                _p(
                    t,
                    1,
                    header,
                    None,
                    f"one column for {col.name}",
                    f"column {header} repeats {seen[col.name]} (both mean {col.name}); delete one",
                    f"kolom {header} mengulang "
                    f"{seen[col.name]} (keduanya berarti {col.name}); hapus salah satu",
                    "HEADER",
                )
            )
            continue
        seen[col.name] = header
        mapped[header] = col.name
    for c in columns(model):
        if c.required and c.name not in seen:
            problems.append(
                _p(
                    t,
                    1,
                    c.name,
                    None,
                    f"a column {c.name} (or {', '.join(c.aliases)})",
                    f"required column {c.name} is missing (accepted headers: "
                    f"{', '.join((c.name, *c.aliases))})",
                    f"kolom wajib {c.name} "
                    f"tidak ada (judul yang diterima: {', '.join((c.name, *c.aliases))})",
                    "MISSING_COLUMN",
                )
            )
    return mapped, protected


Typed = dict[str, tuple[np.ndarray, np.ndarray]]
"""Column name -> (its typed value per distinct text, the code of each row)."""


def _parse_table(
    t: RawTable, model: type[Row], mapped: dict[str, str], problems: list[Problem]
) -> tuple[pd.DataFrame, Typed]:
    by_name = {c.name: c for c in columns(model)}
    data: dict[str, tuple[pd.Series, np.ndarray]] = {}
    for header, name in mapped.items():
        c = by_name[name]
        text = t.frame[header]
        codes, uniques = t.codes(header)
        distinct = pd.Series(uniques, dtype=object)
        values, bad = cells.parser(c)(distinct)  # once per distinct text, spread by codes
        if c.kind in ("int", "float") and (c.ge is not None or c.le is not None):
            lo = -np.inf if c.ge is None else c.ge
            hi = np.inf if c.le is None else c.le
            bad = bad | (values.notna() & ((values < lo) | (values > hi)))
        bad_rows = bad.to_numpy(dtype=bool)[codes]
        missing = (distinct == "").to_numpy()[codes] if c.required else np.zeros(0, dtype=bool)
        for i in np.flatnonzero(bad_rows):
            problems.append(
                _p(
                    t,
                    int(t.rows[i]),
                    header,
                    text.iloc[i],
                    cells.expected(c),
                    f"'{text.iloc[i]}' is not {cells.expected(c)}",
                    f"'{text.iloc[i]}' bukan {cells.expected_id(c)}",
                    "VALUE",
                )
            )
        for i in np.flatnonzero(missing):
            problems.append(
                _p(
                    t,
                    int(t.rows[i]),
                    header,
                    "",
                    cells.expected(c),
                    f"required cell is empty (expected {cells.expected(c)})",
                    f"sel wajib kosong (diharapkan {cells.expected_id(c)})",
                    "EMPTY",
                )
            )
        kept = values.where(~bad, None) if c.kind != "date" else values.where(~bad)
        data[name] = (kept, codes)
    return _typed(model, data, len(t.frame))


def _typed(
    model: type[Row], data: dict[str, tuple[pd.Series, np.ndarray]], n: int
) -> tuple[pd.DataFrame, Typed]:
    """The table in the contract dtypes, and each read column's typed distinct values + codes."""
    out: dict[str, object] = {}
    typed: Typed = {}
    for c in columns(model):
        s, codes = data.get(c.name, (None, None))
        if c.kind == "enum":
            assert c.enum is not None
            vals = s if s is not None else pd.Series([c.default] * n, dtype=object)
            vals = vals.where(vals.notna(), c.default)
            cat = pd.Categorical(vals, categories=c.enum.values(), ordered=True)
            out[c.name] = (
                cat
                if codes is None
                else pd.Categorical.from_codes(cat.codes[codes], dtype=cat.dtype)
            )
            continue
        if c.kind == "date":
            col = (s if s is not None else pd.Series([pd.NaT] * n)).astype("datetime64[ns]")
        elif c.kind == "int":
            vals = s if s is not None else pd.Series([c.default or 0] * n)
            col = pd.to_numeric(vals, errors="coerce").fillna(c.default or 0).astype("int64")
        elif c.kind == "float":
            col = (s if s is not None else pd.Series([np.nan] * n)).astype("float64")
        else:
            col = (s if s is not None else pd.Series([None] * n)).astype(object)
        if codes is None:
            out[c.name] = col
        else:
            typed[c.name] = (col.to_numpy(), codes)
            out[c.name] = col.to_numpy()[codes]
    frame = pd.DataFrame(
        {k: (v.to_numpy() if isinstance(v, pd.Series) else v) for k, v in out.items()},
        index=pd.RangeIndex(n),
    )
    return frame, typed


def _duplicates(
    t: RawTable,
    model: type[Row],
    df: pd.DataFrame,
    typed: Typed,
    mapped: dict[str, str],
    problems: list[Problem],
) -> None:
    key = list(model.key)
    if not all(k in df.columns for k in key) or not len(df):
        return
    shown_of: list[np.ndarray] = []  # each key column as text, per row
    combined = np.zeros(len(df), dtype=np.int64)
    for k in key:  # one integer per distinct key: codes of each column, combined
        if k in typed:  # as text once per distinct value
            values, rows = typed[k]
            text = pd.Series(values).astype(str)
            distinct, uniques = pd.factorize(text)
            codes = distinct[rows]
            shown_of.append(text.to_numpy()[rows])
        else:
            column = df[k].astype(str)
            codes, uniques = pd.factorize(column)
            shown_of.append(column.to_numpy())
        combined = combined * len(uniques) + codes
    dup = pd.Series(combined).duplicated(keep="first").to_numpy()
    if not dup.any():
        return
    first_row = pd.Series(np.arange(len(df))).groupby(combined).transform("min").to_numpy()
    header = {v: k for k, v in mapped.items()}.get(key[-1], key[-1])
    for i in np.flatnonzero(dup):
        j = int(first_row[i])
        shown = ", ".join(str(column[i]) for column in shown_of)
        problems.append(
            _p(
                t,
                int(t.rows[i]),
                header,
                shown,
                f"a unique {' + '.join(key)}",
                f"duplicate {' + '.join(key)} {shown}: row {int(t.rows[j])} has it already",
                f"{' + '.join(key)} ganda {shown}: sudah ada di baris {int(t.rows[j])}",
                "DUPLICATE",
            )
        )


def _sorted(model: type[Row], df: pd.DataFrame, typed: Typed) -> pd.DataFrame:
    """``sort_frame``, ranking each key's distinct values once instead of every row."""
    key = list(model.key)
    if not all(k in typed for k in key):
        return sort_frame(model, df)
    ranks = []
    for k in key:
        values, rows = typed[k]
        ranks.append(_ranks(values)[rows])
    order = np.lexsort(ranks[::-1])  # stable, like sort_values(kind="mergesort")
    return df.take(order).reset_index(drop=True)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Each value's place in sorted order (equal values share one); missing values last."""
    if values.dtype == object and len(values) and not pd.isna(values).any():
        order = np.argsort(values, kind="stable")
        ordered = values[order]
        if (ordered[1:] != ordered[:-1]).all():  # distinct (text ids): rank = place in order
            rank = np.empty(len(values), dtype=np.int64)
            rank[order] = np.arange(len(values))
            return rank
    rank, uniques = pd.factorize(pd.Series(values), sort=True)  # missing: -1
    return np.where(rank < 0, len(uniques), rank)


def _builtin_dictionary() -> pd.DataFrame:
    path = files("merit") / "data" / "competencies.csv"
    d = pd.read_csv(str(path), dtype=str)[["competency_code", "name", "kind"]]
    return d


class _Table:
    def __init__(
        self, raw: RawTable, frame: pd.DataFrame, mapped: dict[str, str], typed: Typed
    ) -> None:
        self.raw, self.frame, self.mapped, self.typed = raw, frame, mapped, typed

    def header(self, name: str) -> str:
        return {v: k for k, v in self.mapped.items()}.get(name, name)


def _references(tabs: dict[str, _Table], dictionary: pd.DataFrame, problems: list[Problem]) -> None:
    emp_ids = _ids(tabs["employees"], "employee_id") if "employees" in tabs else set()
    vac_ids = _ids(tabs["vacancies"], "vacancy_id") if "vacancies" in tabs else set()
    codes = set(dictionary["competency_code"])
    checks = [
        ("competencies", "employee_id", emp_ids, "employees"),
        ("performance", "employee_id", emp_ids, "employees"),
        ("relations", "employee_id", emp_ids, "employees"),
        ("history", "employee_id", emp_ids, "employees"),
        ("relations", "related_id", emp_ids, "employees"),
        ("protected", "employee_id", emp_ids, "employees"),
        ("standards", "vacancy_id", vac_ids, "vacancies"),
        ("vacancies", "superior_id", emp_ids, "employees"),
        ("vacancies", "unit_head_id", emp_ids, "employees"),
        ("competencies", "competency_code", codes, "the competency dictionary"),
        ("standards", "competency_code", codes, "the competency dictionary"),
    ]
    indexes: dict[str, pd.Index] = {}  # each known set once, with its hash table
    for table, col, known, where in checks:
        if (
            table not in tabs
            or col not in tabs[table].frame.columns
            or (not known and where != "employees")
        ):
            continue
        if table not in tabs or ("employees" not in tabs and where == "employees"):
            continue
        t = tabs[table]
        if col in t.typed:  # check each distinct id once
            distinct, row_codes = t.typed[col]
            if where not in indexes:
                indexes[where] = pd.Index(list(known), dtype=object)
            unknown = pd.notna(distinct) & (indexes[where].get_indexer(distinct) < 0)
        else:
            row_codes, uniques = pd.factorize(t.frame[col])
            distinct = np.r_[np.asarray(uniques, dtype=object), None]
            unknown = np.r_[~pd.Index(uniques).isin(list(known)), False]  # -1: missing, not bad
        for i in np.flatnonzero(unknown[row_codes]):
            v = str(distinct[row_codes[i]])
            problems.append(
                _p(
                    t.raw,
                    int(t.raw.rows[i]),
                    t.header(col),
                    v,
                    f"an id that exists in {where}",
                    f"'{v}' is not in {where}",
                    f"'{v}' tidak ada di {where}",
                    "REFERENCE",
                )
            )
    if "employees" in tabs:
        t = tabs["employees"]
        e = t.frame
        no_rank = (e["status"] == "PNS") & e["rank"].isna()
        if t.header("rank") in t.raw.frame.columns:  # an unreadable rank is reported already
            no_rank &= (t.raw.frame[t.header("rank")] == "").to_numpy()
        for i in np.flatnonzero(no_rank.to_numpy()):
            problems.append(
                _p(
                    t.raw,
                    int(t.raw.rows[i]),
                    t.header("rank"),
                    "",
                    "a golongan ruang for a PNS",
                    "a PNS must have a golongan ruang (I/a .. IV/e)",
                    "PNS wajib memiliki golongan ruang (I/a .. IV/e)",
                    "EMPTY",
                )
            )


def _ids(t: _Table, col: str) -> set[object]:
    if col in t.typed:
        return set(pd.Series(t.typed[col][0]).dropna())
    return set(t.frame[col].dropna())


def _protected_frame(tabs: dict[str, _Table], raw_prot: dict[str, str]) -> pd.DataFrame:
    parts = []
    if "employees" in tabs and raw_prot:
        t = tabs["employees"]
        side = pd.DataFrame(
            {
                name: t.raw.frame[h].where(t.raw.frame[h] != "", None).to_numpy()
                for h, name in raw_prot.items()
            }
        )
        side.insert(0, "employee_id", t.frame["employee_id"].to_numpy())
        parts.append(side)
    if "protected" in tabs:
        t = tabs["protected"]
        extra = {h: _snake(h) for h in t.raw.frame.columns if h not in t.mapped}
        side = t.frame.copy()
        for h, name in extra.items():
            side[name] = t.raw.frame[h].where(t.raw.frame[h] != "", None).to_numpy()
        parts.append(side)
    if not parts:
        return pd.DataFrame({"employee_id": pd.Series(dtype=object)})
    merged = parts[0]
    for p in parts[1:]:
        merged = merged.merge(p, on="employee_id", how="outer", suffixes=("", "_2"))
        for c in [c for c in merged.columns if c.endswith("_2")]:
            base = c[:-2]
            merged[base] = merged[base].where(merged[base].notna(), merged[c])
            merged = merged.drop(columns=c)
    merged = merged.dropna(subset=["employee_id"]).drop_duplicates("employee_id")
    merged = merged.dropna(axis=1, how="all")
    cols = ["employee_id", *sorted(c for c in merged.columns if c != "employee_id")]
    return merged[cols].sort_values("employee_id").reset_index(drop=True).astype(object)


def read_dataset(
    path: str | Path, protected_columns: Sequence[str] = ()
) -> tuple[Dataset | None, list[Problem]]:
    """The dataset and every problem found (the dataset is None when there are problems)."""
    shown = str(path)
    path = Path(path)
    problems: list[Problem] = []
    raw = read_sources(path, shown, problems)
    if not path.exists():
        return None, problems
    for table in REQUIRED_TABLES:
        if table not in raw:
            where = "sheet" if path.suffix.lower() in (".xlsx", ".xlsm") else "file"
            name = table if where == "sheet" else f"{table}.csv"
            problems.append(
                Problem(
                    file=shown,
                    sheet=None,
                    row=None,
                    column=None,
                    value=None,
                    expected=f"a {where} named {name}",
                    message=f"the {where} '{name}' is missing",
                    message_id=f"{where} '{name}' tidak ada",
                    code="MISSING_TABLE",
                )
            )
    extra = {normalise(c) for c in (*protected_columns, *PERSONAL_COLUMNS)}
    tabs: dict[str, _Table] = {}
    raw_prot: dict[str, str] = {}
    for table, t in raw.items():
        if t.frame.empty and not len(t.frame.columns):
            continue
        model = TABLES[table]
        mapped, prot = _map_headers(t, model, extra if table == "employees" else set(), problems)
        if table == "employees":
            raw_prot = prot
        frame, typed = _parse_table(t, model, mapped, problems)
        _duplicates(t, model, frame, typed, mapped, problems)
        tabs[table] = _Table(t, frame, mapped, typed)
    dictionary = _builtin_dictionary()
    if "dictionary" in tabs:
        own = tabs["dictionary"].frame[["competency_code", "name", "kind"]]
        dictionary = pd.concat([dictionary, own]).drop_duplicates("competency_code")
    _references(tabs, dictionary, problems)
    if problems:
        return None, sorted(
            problems, key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or "", p.code)
        )
    frames = {t: _sorted(TABLES[t], tabs[t].frame, tabs[t].typed) for t in REQUIRED_TABLES}
    if "history" in tabs:  # optional: riwayat jabatan
        frames["history"] = _sorted(TABLES["history"], tabs["history"].frame, tabs["history"].typed)
    sources = sorted({(r.path, r.sha256) for r in raw.values() if r.sha256})
    merit = MeritData(
        **frames,
        dictionary=dictionary.sort_values("competency_code").reset_index(drop=True),
        sources=tuple(SourceFile(p, h) for p, h in sources),
    )
    protected = _protected_frame(tabs, raw_prot)
    return Dataset(merit=merit, protected=protected, location=str(path.resolve())), []


def validate(path: str | Path, protected_columns: Sequence[str] = ()) -> list[Problem]:
    """Every problem in the dataset at ``path`` (empty when it is valid)."""
    return read_dataset(path, protected_columns)[1]


def load(path: str | Path, protected_columns: Sequence[str] = ()) -> Dataset:
    """Read and validate a dataset; raises ``InputError`` listing every problem."""
    dataset, problems = read_dataset(path, protected_columns)
    if dataset is None:
        raise InputError(
            f"{path}: {len(problems)} problem(s) in the data; fix them and run `merit validate "
            f"{path}` again",
            problems,
        )
    return dataset
