"""Read and validate a dataset, reporting every problem in one pass.

``load(path)`` returns a ``Dataset`` or raises ``InputError`` carrying every located problem
(file, sheet, Excel row, column as written, value, expected, English and Indonesian text).
Protected and identifying columns are split off the employees table here, at the boundary.
"""

from __future__ import annotations

import difflib
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
from merit.io import cells, dialect, kinerja, siasn, wide
from merit.io.dialect import Derivation
from merit.io.frames import Column, columns, sort_frame
from merit.io.sources import RawTable, problem, read_sources
from merit.io.understood import Understood

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


def _ranked(model: type[Row], derived: Derivation) -> dict[str, tuple[Column, int]]:
    """Normalised header -> (column, rank): the canonical name 0, aliases and derived columns 1,
    SIASN headers their rank in ``bkn_headers.csv`` (two headers of one field: lower wins)."""
    out: dict[str, tuple[Column, int]] = {}
    by_name = {c.name: c for c in columns(model)}
    for c in columns(model):
        out[normalise(c.name)] = (c, 0)
    for key, rule in siasn.headers_of(model.table).items():
        if rule.field in by_name:
            out.setdefault(key, (by_name[rule.field], rule.rank))
    for c in columns(model):
        for name in c.aliases:
            out.setdefault(normalise(name), (c, 1))
    for header, name in derived.aliases.items():
        out[normalise(header)] = (by_name[name], 1)
    return out


def project_names(model: type[Row]) -> dict[str, set[str]]:
    """Each field's headers that are not SIASN columns (its name and the model's aliases)."""
    bkn = siasn.headers_of(model.table)
    return {
        c.name: {n for n in (c.name, *c.aliases) if normalise(n) not in bkn} for c in columns(model)
    }


def _map_headers(
    t: RawTable,
    model: type[Row],
    extra_protected: set[str],
    problems: list[Problem],
    derived: Derivation,
    seen_as: Understood,
) -> tuple[dict[str, str], dict[str, str]]:
    """header -> canonical column, and header -> protected column name (employees only)."""
    known = _ranked(model, derived)
    prot = _lookup(ProtectedAttributes)
    bkn = siasn.headers_of(model.table)
    protected: dict[str, str] = {}
    candidates: dict[str, list[tuple[int, int, str]]] = {}
    for order, header in enumerate(t.frame.columns):
        key = normalise(header)
        hit = known.get(key)
        if key in extra_protected or (
            model.table == "employees" and hit is None and key not in bkn
        ):
            target = prot.get(key)
            name = target.name if target else _snake(header)
            if name != "employee_id":
                protected[header] = name
            continue
        if hit is None:
            rule = bkn.get(key)
            seen_as.ignored[header] = (
                rule.note or "not a merit input"
                if rule is not None and rule.field == "-"
                else f"used only when the project's own columns are absent ({rule.note})"
                if rule is not None
                else f"not a column of {model.table}"
            )
            continue
        col, rank = hit
        candidates.setdefault(col.name, []).append((rank, order, header))
    mapped: dict[str, str] = {}
    for name, found in candidates.items():
        found.sort()
        best_rank, _, best = found[0]
        mapped[best] = name
        for rank, _, header in found[1:]:
            if rank > best_rank:
                seen_as.ignored[header] = f"{best} gives {name} already"
                continue
            problems.append(
                _p(
                    t,
                    1,
                    header,
                    None,
                    f"one column for {name}",
                    f"column {header} repeats {best} (both mean {name}); delete one",
                    f"kolom {header} mengulang {best} (keduanya berarti {name}); hapus salah satu",
                    "HEADER",
                )
            )
    mapped = {h: mapped[h] for h in t.frame.columns if h in mapped}  # file order
    seen = set(mapped.values())
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
    seen_as.mapped.update(mapped)
    seen_as.protected.update(protected)
    seen_as.consumed.update(derived.consumed)
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
        if c.name in dialect.TRANSLATED:  # BKN's spellings (bkn_values.csv) -> merit's values
            distinct = pd.Series(siasn.translate(c.name, header, uniques), dtype=object)
        if c.name == "predikat":  # an older SKP score 0-100 -> its band (skp_bands.csv)
            distinct = pd.Series(kinerja.bands(distinct.to_numpy(dtype=object)), dtype=object)
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
                    f"'{text.iloc[i]}' is not {cells.expected(c)}{_bkn_examples(c, 'en')}",
                    f"'{text.iloc[i]}' bukan {cells.expected_id(c)}{_bkn_examples(c, 'id')}",
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
        if c.kind == "text" and c.name.endswith("_id"):
            _ids_as_numbers(t, header, distinct, codes, problems)
        kept = values.where(~bad, None) if c.kind != "date" else values.where(~bad)
        data[name] = (kept, codes)
    return _typed(model, data, len(t.frame))


def _bkn_examples(c: Column, lang: str) -> str:
    """For a field SIASN writes in its own words, a few of them (bkn_values.csv)."""
    if c.name not in dialect.TRANSLATED:
        return ""
    shown = [v for v in siasn.written(c.name, "*").values() if v not in cells.expected(c)][:4]
    if not shown:
        return ""
    words = ", ".join(f"'{v}'" for v in shown)
    return (
        f" (or as SIASN writes it: {words}, ...)"
        if lang == "en"
        else (f" (atau seperti ditulis SIASN: {words}, ...)")
    )


_SCIENTIFIC = r"^\d(?:[.,]\d+)?[eE]\+?\d+$"


def _ids_as_numbers(
    t: RawTable, header: str, distinct: pd.Series, codes: np.ndarray, problems: list[Problem]
) -> None:
    """An id saved from Excel as a number ('1,96802E+17'): its digits are gone; say so."""
    texts = distinct.to_numpy(dtype=object)
    maybe = np.array([isinstance(v, str) and ("E" in v or "e" in v) for v in texts], dtype=bool)
    if not maybe.any():
        return
    sci = maybe & distinct.astype(str).str.match(_SCIENTIFIC).to_numpy(dtype=bool)
    if not sci.any():
        return
    for i in np.flatnonzero(sci[codes]):
        v = str(distinct.iloc[codes[i]])
        problems.append(
            _p(
                t,
                int(t.rows.iloc[i]),
                header,
                v,
                "an id written in full as text",
                f"'{v}' is an id Excel turned into a number: its last digits are lost. In Excel "
                "format the column as Text and paste the ids again as text, then save",
                f"'{v}' adalah NIP/id yang diubah Excel menjadi angka: digit terakhirnya hilang. "
                "Di Excel format kolom sebagai Teks, tempel ulang id sebagai teks, lalu simpan",
                "ID_AS_NUMBER",
            )
        )


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
    if not set(key) <= set(mapped.values()):
        return  # a key column is missing (reported already): every row would repeat "None"
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


def _references(
    tabs: dict[str, _Table],
    dictionary: pd.DataFrame,
    problems: list[Problem],
    unread: frozenset[str] = frozenset(),
) -> None:
    """Every id that names a row of another table names one. ``unread``: tables whose file
    was found but could not be read (reported already), whose ids are then unknown."""
    unread = unread | {
        t
        for t in ("vacancies", "posts")
        if t in tabs and "vacancy_id" not in tabs[t].mapped.values()
    }  # an id column that is missing is reported already: its ids are unknown too
    emp_ids = _ids(tabs["employees"], "employee_id") if "employees" in tabs else set()
    vac_ids = _ids(tabs["vacancies"], "vacancy_id") if "vacancies" in tabs else set()
    post_ids = _ids(tabs["posts"], "vacancy_id") if "posts" in tabs else set()
    codes = set(dictionary["competency_code"])
    checks = [
        ("competencies", "employee_id", emp_ids, "employees"),
        ("performance", "employee_id", emp_ids, "employees"),
        ("relations", "employee_id", emp_ids, "employees"),
        ("history", "employee_id", emp_ids, "employees"),
        ("relations", "related_id", emp_ids, "employees"),
        ("protected", "employee_id", emp_ids, "employees"),
        ("standards", "vacancy_id", vac_ids | post_ids, "vacancies or posts"),
        ("vacancies", "superior_id", emp_ids, "employees"),
        ("vacancies", "unit_head_id", emp_ids, "employees"),
        ("posts", "superior_id", emp_ids, "employees"),
        ("posts", "unit_head_id", emp_ids, "employees"),
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
        if where == "vacancies or posts" and (
            "vacancies" not in tabs or {"vacancies", "posts"} & unread
        ):
            continue  # a standard may name a post or a vacancy of a table that is not read
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
    if "posts" in tabs and "posts" not in unread:
        _posts_held(tabs, vac_ids, problems)
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
    dataset, problems, _ = understand(path, protected_columns)
    return dataset, problems


def _where(t: RawTable) -> str:
    return f"{t.file}, sheet {t.sheet}" if t.sheet else t.file


def understand(
    path: str | Path, protected_columns: Sequence[str] = ()
) -> tuple[Dataset | None, list[Problem], list[Understood]]:
    """``read_dataset`` plus how each table's headers were understood (for ``validate``)."""
    shown = str(path)
    path = Path(path)
    problems: list[Problem] = []
    hidden: list[str] = []
    raw = read_sources(path, shown, problems, hidden)
    seen: list[Understood] = []
    if hidden:
        book = Understood("workbook", shown)
        book.ignored.update({f"sheet {h}": "hidden in Excel" for h in hidden})
        seen.append(book)
    if not path.exists():
        return None, problems, seen
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
        derived = Derivation()
        if table == "employees":
            t, derived = dialect.employees(t, project_names(model), problems)
        elif table == "performance":
            t, derived = kinerja.performance(t)
        elif table == "competencies":
            t, derived = wide.by_code(t, model, "employee_id", "level")
        elif table == "standards":
            t, derived = wide.by_code(t, model, "vacancy_id", "required_level")
        seen.append(Understood(table, _where(t)))
        mapped, prot = _map_headers(
            t, model, extra if table == "employees" else set(), problems, derived, seen[-1]
        )
        if table == "employees":
            raw_prot = prot
        frame, typed = _parse_table(t, model, mapped, problems)
        _duplicates(t, model, frame, typed, mapped, problems)
        tabs[table] = _Table(t, frame, mapped, typed)
    dictionary = _builtin_dictionary()
    if "dictionary" in tabs:
        own = tabs["dictionary"].frame[["competency_code", "name", "kind"]]
        dictionary = pd.concat([dictionary, own]).drop_duplicates("competency_code")
    _references(tabs, dictionary, problems, frozenset(raw) - frozenset(tabs))
    if "employees" in tabs and "vacancies" in tabs:
        _study_fields(tabs["employees"], tabs["vacancies"], seen)
    if problems:
        return (
            None,
            sorted(
                problems,
                key=lambda p: (p.file, p.sheet or "", p.row or 0, p.column or "", p.code),
            ),
            seen,
        )
    frames = {t: _sorted(TABLES[t], tabs[t].frame, tabs[t].typed) for t in REQUIRED_TABLES}
    for optional in ("history", "posts"):  # riwayat jabatan; peta jabatan (occupied posts)
        if optional in tabs:
            frames[optional] = _sorted(TABLES[optional], tabs[optional].frame, tabs[optional].typed)
    sources = sorted({(r.path, r.sha256) for r in raw.values() if r.sha256})
    merit = MeritData(
        **frames,
        dictionary=dictionary.sort_values("competency_code").reset_index(drop=True),
        sources=tuple(SourceFile(p, h) for p, h in sources),
    )
    protected = _protected_frame(tabs, raw_prot)
    return Dataset(merit=merit, protected=protected, location=str(path.resolve())), [], seen


def _posts_held(tabs: dict[str, _Table], vac_ids: set[object], problems: list[Problem]) -> None:
    """Each occupied post is not also a vacancy and has exactly one holder in employees."""
    t = tabs["posts"]
    holders: dict[str, int] | None = None  # unknown when employees could not be read
    if "employees" in tabs:
        held = tabs["employees"].frame["current_post_id"].dropna().astype(str)
        holders = held.value_counts().to_dict()
    for i, value in enumerate(t.frame["vacancy_id"].tolist()):
        if value is None or pd.isna(value):
            continue  # an empty id is reported already
        pid = str(value)
        n = 1 if holders is None else holders.get(pid, 0)
        if pid in vac_ids:
            en, idn = (
                f"post '{pid}' is also in vacancies: a post is either vacant or occupied",
                f"jabatan '{pid}' juga ada di lowongan: jabatan kosong atau terisi, tidak keduanya",
            )
        elif n != 1:
            en, idn = (
                f"post '{pid}' has {n} holders in employees (current_post_id); an occupied post "
                "has one (list a vacant post in vacancies)",
                f"jabatan '{pid}' dipegang {n} pegawai (current_post_id); jabatan terisi dipegang "
                "satu pegawai (jabatan kosong dicantumkan di lowongan)",
            )
        else:
            continue
        problems.append(
            _p(
                t.raw,
                int(t.raw.rows[i]),
                t.header("vacancy_id"),
                pid,
                "the id of a post one employee holds",
                en,
                idn,
                "REFERENCE",
            )
        )


def _study_fields(emp: _Table, vac: _Table, seen: list[Understood]) -> None:
    """Employees' fields of study that no vacancy requires or prefers, each once, with the
    nearest ones the vacancies name (matching ignores case and spacing, as eligibility does)."""
    asked: dict[str, str] = {}
    named = pd.concat([vac.frame["education_fields"], vac.frame["preferred_fields"]])
    for cell in named.dropna():
        for f in str(cell).split(";"):
            if f.strip():
                asked.setdefault(normalise(f), f.strip())
    if not asked:
        return
    codes, uniques = pd.factorize(pd.Series(emp.frame["education_field"]))  # each text once
    per_text = np.bincount(codes[codes >= 0], minlength=len(uniques))
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for text, n in zip(uniques, per_text.tolist(), strict=True):
        k = normalise(str(text))
        counts[k] = counts.get(k, 0) + n
        spelled.setdefault(k, str(text))
    lost = [k for k in counts if k and k not in asked]
    if not lost:
        return
    shown = []
    for k in sorted(lost, key=lambda k: spelled[k]):
        near = difflib.get_close_matches(k, list(asked), n=2, cutoff=0.75)
        hint = f" (~ {' / '.join(asked[n] for n in near)})" if near else ""
        shown.append(f"{spelled[k]} [{counts[k]}]{hint}")
    text = "; ".join(shown)
    for u in seen:
        if u.table == "employees":
            u.notes.append(
                (
                    f"fields of study no vacancy asks for ({len(lost)}): {text}",
                    f"bidang studi yang tidak diminta formasi mana pun ({len(lost)}): {text}",
                )
            )


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
