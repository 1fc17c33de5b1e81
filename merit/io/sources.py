"""Find and read the raw tables of a dataset: a folder of CSV files or one XLSX workbook.

Every cell comes back as text (Excel dates as ISO text), with the row number the user sees
(header = row 1). Anything unreadable becomes a located ``Problem``, never a traceback.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from merit.domain.enums import normalise
from merit.domain.models import TABLES
from merit.errors import Problem
from merit.io import workbook
from merit.io.arrow_csv import Coded, split_csv

#: Sheet or file names accepted for each table, besides the table's own name.
TABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "employees": ("pegawai", "data_pegawai", "asn", "data_utama"),
    "competencies": ("kompetensi", "asesmen", "hasil_asesmen"),
    "performance": ("kinerja", "skp", "penilaian_kinerja"),
    "vacancies": ("jabatan_kosong", "formasi", "lowongan"),
    "standards": ("standar", "skj", "standar_kompetensi"),
    "relations": ("relasi", "hubungan", "hubungan_keluarga"),
    "history": ("riwayat_jabatan", "riwayat", "rw_jabatan"),
    "posts": ("peta_jabatan", "jabatan_terisi", "jabatan"),
    "dictionary": ("kamus", "kamus_kompetensi"),
    "protected": ("dilindungi", "data_pribadi"),
}


@dataclass(frozen=True, eq=False)
class RawTable:
    """One table as text: ``frame`` has the headers as written; ``rows`` the Excel row numbers."""

    table: str
    file: str
    sheet: str | None
    frame: pd.DataFrame
    rows: pd.Series
    sha256: str
    path: str
    coded: dict[str, Coded] = field(default_factory=dict)
    """Each column of ``frame`` as ``pandas.factorize`` gives it (codes, distinct texts)."""

    def codes(self, header: str) -> Coded:
        """The codes and distinct texts of one column (so each distinct text is parsed once)."""
        if header in self.coded:
            return self.coded[header]
        codes, uniques = pd.factorize(self.frame[header])
        return codes, np.asarray(uniques, dtype=object)


def problem(
    file: str,
    sheet: str | None,
    expected: str,
    en: str,
    idn: str,
    row: int | None = None,
    column: str | None = None,
    value: str | None = None,
    code: str = "FILE",
) -> Problem:
    return Problem(
        file=file,
        sheet=sheet,
        row=row,
        column=column,
        value=value,
        expected=expected,
        message=en,
        message_id=idn,
        code=code,
    )


def _table_of(name: str) -> str | None:
    key = normalise(name)
    for table, aliases in TABLE_ALIASES.items():
        if key in {normalise(table), *(normalise(a) for a in aliases)}:
            return table
    return None


def _clean(
    headers: list[str], coded: list[Coded], count: int
) -> tuple[pd.DataFrame, pd.Series, dict[str, Coded]]:
    """Strip cells, drop fully empty rows; keep the user-visible row numbers.

    ``coded`` holds each column as codes and distinct raw cells (``None``/NaN for a missing
    cell), so each distinct text is stripped once (columns repeat their values a lot).
    """
    stripped = []
    filled = np.zeros(count, dtype=bool)
    for codes, uniques in coded:
        text = np.array(
            [
                u.strip() if isinstance(u, str) else "" if pd.isna(u) else str(u).strip()
                for u in uniques
            ],
            dtype=object,
        )
        stripped.append((codes, text))
        filled |= (text != "")[codes]
    keep = np.flatnonzero(filled)
    cells: dict[int, np.ndarray] = {}
    out: dict[str, Coded] = {}
    for k, (codes, text) in enumerate(stripped):
        same, distinct = pd.factorize(text)  # two raw texts may strip to one
        if len(keep) == count and len(distinct) == len(text):  # codes are final already
            kept, values = codes, text
        else:
            kept, used = pd.factorize(same[codes[keep]])  # by first appearance in kept rows
            values = np.asarray(distinct, dtype=object)[used]
        cells[k] = values[kept]
        out[headers[k]] = (kept.astype(np.int64, copy=False), values)
    clean = pd.DataFrame(cells, dtype=object)
    clean.columns = headers
    if len(set(headers)) != len(headers):
        out = {}
    return clean, pd.Series(keep + 2), out


def _coded_frame(frame: pd.DataFrame) -> tuple[list[str], list[Coded], int]:
    coded = []
    for k in range(frame.shape[1]):
        codes, uniques = pd.factorize(frame.iloc[:, k], use_na_sentinel=False)
        coded.append((codes, np.asarray(uniques, dtype=object)))
    return list(frame.columns), coded, len(frame)


def _first_line(text: str) -> str:
    """``text.splitlines()[0]`` without splitting the whole file."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        if len(lines) > 1 or size >= len(text):
            return lines[0]
        size *= 16


def _read_csv(
    path: Path, shown: str, problems: list[Problem]
) -> tuple[bytes, tuple[list[str], list[Coded], int] | None]:
    """The file's bytes and its columns (``None`` when unreadable, with the problem added)."""
    data = path.read_bytes()
    return data, _parse_csv(data, shown, problems)


def _parse_csv(
    data: bytes, shown: str, problems: list[Problem]
) -> tuple[list[str], list[Coded], int] | None:
    if not data.strip():
        problems.append(
            problem(shown, None, "a header row and data rows", "the file is empty", "berkas kosong")
        )
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        problems.append(
            problem(
                shown,
                None,
                "UTF-8 text",
                f"not UTF-8 text (byte {err.start}){_encoding_hint(data, 'en')}; in Excel use "
                "Save As > 'CSV UTF-8'",
                f"bukan teks UTF-8 (byte {err.start}){_encoding_hint(data, 'id')}; di Excel "
                "pilih Simpan Sebagai > 'CSV UTF-8'",
            )
        )
        return None
    if "\x00" in text:
        problems.append(
            problem(
                shown,
                None,
                "a CSV text file",
                "this is not a CSV text file (it contains binary data)",
                "ini bukan berkas teks CSV (berisi data biner)",
            )
        )
        return None
    header = _first_line(text)
    sep = ";" if header.count(";") > header.count(",") else ","
    plain = split_csv(data, sep)
    if plain is not None:
        return plain
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as err:
        problems.append(
            problem(
                shown,
                None,
                "a well-formed CSV file",
                f"cannot be read as CSV: {err}",
                f"tidak dapat dibaca sebagai CSV: {err}",
            )
        )
        return None
    return _coded_frame(frame)


def _encoding_hint(data: bytes, lang: str) -> str:
    """Name the encoding a non-UTF-8 file most likely has (Excel's plain 'CSV' on Windows)."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return ""
    return (
        ": it looks like Windows-1252, what Excel's 'CSV (Comma delimited)' writes"
        if lang == "en"
        else ": tampaknya Windows-1252, yang ditulis Excel lewat 'CSV (Comma delimited)'"
    )


#: Excel keeps 15 significant digits of a number: an 18-digit NIP typed or pasted as a
#: number is silently rounded (196802091991072001 -> 196802091991072000).
_EXACT_DIGITS = 10**15


def _lost_digits(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value  # not NaN
        and abs(value) >= _EXACT_DIGITS
    )


def _number_ids(frame: pd.DataFrame, shown: str, sheet: str, problems: list[Problem]) -> None:
    """Numbers too long for Excel to keep exactly (ids stored as numbers): located errors."""
    for k, header in enumerate(frame.columns):
        col = frame.iloc[:, k]
        if col.dtype.kind not in "Oif":
            continue
        bad = col.map(_lost_digits).to_numpy(dtype=bool)
        for i in np.flatnonzero(bad):
            v = col.iloc[i]
            shown_v = f"{v:.15g}" if isinstance(v, float) else str(v)
            problems.append(
                problem(
                    shown,
                    sheet,
                    "an id stored as text",
                    f"{shown_v} is stored as a number: Excel keeps only 15 digits of a number, "
                    "so an 18-digit NIP loses its last digits and names someone else. Format "
                    "the column as Text and paste the ids again as text (or type ' before each)",
                    f"{shown_v} tersimpan sebagai angka: Excel hanya menyimpan 15 digit angka, "
                    "sehingga NIP 18 digit kehilangan digit terakhirnya dan menunjuk orang lain. "
                    "Format kolom sebagai Teks lalu tempel ulang NIP sebagai teks (atau awali "
                    "dengan ')",
                    int(i) + 2,
                    str(header),
                    shown_v,
                    "ID_AS_NUMBER",
                )
            )


def _excel_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_sources(
    path: Path, shown: str, problems: list[Problem], hidden: list[str] | None = None
) -> dict[str, RawTable]:
    """Every table found at ``path``; missing required tables are reported by the caller.
    Hidden sheets that would hold a table are skipped and their names added to ``hidden``."""
    out: dict[str, RawTable] = {}
    if path.is_dir():
        for f in sorted(path.iterdir()):
            table = _table_of(f.stem) if f.suffix.lower() == ".csv" else None
            if table is None:
                continue
            fshown = f"{shown.rstrip('/')}/{f.name}"
            if table in out:
                _twice(out[table].file, fshown, table, None, problems)
                continue
            data, columns = _read_csv(f, fshown, problems)
            if columns is None:
                out[table] = RawTable(
                    table, fshown, None, pd.DataFrame(), pd.Series(dtype=int), "", str(f)
                )
                continue
            clean, rows, coded = _clean(*columns)
            digest = hashlib.sha256(data).hexdigest()
            out[table] = RawTable(table, fshown, None, clean, rows, digest, str(f), coded)
        return out
    if not path.exists():
        problems.append(
            problem(
                shown,
                None,
                "a folder of CSV files or an .xlsx workbook",
                "no such file or folder",
                "berkas atau folder tidak ada",
            )
        )
        return out
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        problems.append(
            problem(
                shown,
                None,
                "a folder of CSV files or an .xlsx workbook",
                f"cannot read a '{path.suffix}' file; give a folder of CSV files "
                "or an .xlsx workbook",
                f"berkas '{path.suffix}' tidak dapat "
                "dibaca; berikan folder CSV atau buku kerja .xlsx",
            )
        )
        return out
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object, header=0, engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as err:
        problems.append(
            problem(
                shown,
                None,
                "a valid .xlsx workbook",
                f"not a valid .xlsx workbook ({type(err).__name__}); open and re-save it in Excel",
                "bukan buku kerja .xlsx yang sah; buka dan simpan ulang di Excel",
            )
        )
        return out
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    info = {s.name: s for s in workbook.sheets(path)}
    for name, frame in sheets.items():
        table = _table_of(str(name))
        meta = info.get(str(name))
        if table is None:
            continue
        if meta is not None and meta.hidden:  # never read, so it cannot shadow a visible one
            if hidden is not None:
                hidden.append(str(name))
            continue
        if table in out:
            _twice(str(out[table].sheet), str(name), table, shown, problems)
            continue
        for ref in meta.merged_header if meta is not None else ():
            problems.append(
                problem(
                    shown,
                    str(name),
                    "one header cell per column",
                    f"header cells {ref} are merged: a merged header hides a column's name; "
                    "unmerge them and give each column its own header",
                    f"sel judul {ref} digabung (merge): judul gabungan menyembunyikan nama "
                    "kolom; pisahkan lagi dan beri setiap kolom judulnya sendiri",
                    1,
                    ref,
                    None,
                    "MERGED_HEADER",
                )
            )
        _number_ids(frame, shown, str(name), problems)
        frame = frame.map(_excel_text)
        frame.columns = [_excel_text(c) for c in frame.columns]
        clean, rows, coded = _clean(*_coded_frame(frame))
        out[table] = RawTable(table, shown, str(name), clean, rows, digest, str(path), coded)
    return out


def _twice(first: str, second: str, table: str, book: str | None, problems: list[Problem]) -> None:
    """Two files (or sheets) that both hold one table: refused, naming both."""
    what, what_id = ("sheets", "lembar") if book else ("files", "berkas")
    problems.append(
        problem(
            book or second,
            second if book else None,
            f"one {what[:-1]} for the {table} table",
            f"{what} '{first}' and '{second}' both hold the {table} table (names are compared "
            "ignoring case); keep one",
            f"{what_id} '{first}' dan '{second}' sama-sama berisi tabel {table} (nama dibandingkan "
            "tanpa membedakan huruf besar/kecil); simpan salah satu",
            code="DUPLICATE_TABLE",
        )
    )


def known_tables() -> list[str]:
    return list(TABLES)
