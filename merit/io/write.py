"""Write tables as a CSV folder or one XLSX workbook, byte-for-byte reproducibly."""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from merit.domain.models import TABLES
from merit.io.frames import format_frame

Format = Literal["csv", "xlsx"]
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, ``\\n`` line ends, no index: the same frame always gives the same bytes."""
    path.write_bytes(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))


Coded = tuple[np.ndarray, list[str]]
"""A column as its distinct cell texts and each row's code into them (-1: an empty cell)."""
#: Rows joined at a time: a block's byte buffers (about 1 MB) stay in the CPU cache.
CSV_BLOCK = 1 << 13


def coded_text(col: pd.Series) -> Coded | None:
    """The cells of ``col`` as pandas' CSV writer prints them: integers as ``str(int)``, text
    as it is, missing text as an empty cell; None for any other column (floats, booleans,
    objects that are not all text), which the caller formats or leaves to pandas. Nullable
    integers are printed as ``astype(str)`` prints them."""
    dtype = col.dtype
    if dtype.kind in "iu" and isinstance(dtype, np.dtype):
        codes, uniques = factorize_ints(col.to_numpy())
        return codes, [str(u) for u in uniques.tolist()]
    if dtype.kind in "iu":
        col, dtype = col.astype(str), np.dtype(object)
    if isinstance(dtype, pd.CategoricalDtype):
        texts = col.cat.categories.tolist()
        if all(isinstance(t, str) for t in texts):
            return col.cat.codes.to_numpy().astype(np.int64), texts
    elif dtype.kind != "O":
        return None
    values = col.to_numpy(dtype=object)
    codes, uniques = pd.factorize(values)  # None, NaN, NA: code -1
    texts = list(uniques)
    if not all(isinstance(t, str) for t in texts):
        return None
    if "\x00" in "".join(values[codes >= 0]):  # pandas' string table ends text at a NUL
        index: dict[str, int] = {}
        codes = np.array(
            [
                -1 if c < 0 else index.setdefault(v, len(index))
                for v, c in zip(values, codes, strict=True)
            ],
            dtype=np.int64,
        )
        texts = list(index)
    return codes, texts


def factorize_ints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values of integers; by a table over their range when it is short
    (no hashing), else by ``pd.factorize``."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), values[:0]
    lo, hi = int(values.min()), int(values.max())
    if hi - lo > max(4 * len(values), 1 << 16):
        return pd.factorize(values)
    offset = (values - lo).astype(np.int64)
    present = np.bincount(offset, minlength=hi - lo + 1) > 0
    table = np.cumsum(present) - 1
    return table[offset], (np.flatnonzero(present) + lo).astype(values.dtype)


def csv_chunks(header: list[str], columns: list[Coded], n_rows: int) -> Iterator[bytes] | None:
    """The UTF-8 bytes of the CSV with these columns, as pandas writes it (``\\n`` line ends,
    no quotes), a block of rows at a time; None when some cell would need quotes.

    Each block is joined in numpy: every column's texts as one fixed-width byte array, the
    columns side by side with the separators, and the padding bytes dropped at once.
    """
    texts = [header, *(t for _, t in columns)]
    if any(_needs_quotes("\x00".join(t)) for t in texts):
        return None
    head = (",".join(header) + "\n").encode("utf-8")
    if not columns or any("\x00" in "".join(t) for t in texts):  # NUL is the padding byte
        return _joined(head, columns, n_rows)
    return _blocks(head, columns, n_rows)


def _needs_quotes(text: str) -> bool:
    return "," in text or '"' in text or "\n" in text or "\r" in text


def _joined(head: bytes, columns: list[Coded], n_rows: int) -> Iterator[bytes]:
    yield head
    cells = [np.array([*t, ""], dtype=object)[codes].tolist() for codes, t in columns]
    lines = [",".join(row) for row in zip(*cells, strict=True)]
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8")


def _blocks(head: bytes, columns: list[Coded], n_rows: int) -> Iterator[bytes]:
    yield head
    # each column's distinct texts as rows of bytes, plus the empty cell last (code -1)
    texts = [np.array([*(x.encode("utf-8") for x in t), b""]) for _, t in columns]
    tables = [t.view(np.uint8).reshape(len(t), t.dtype.itemsize) for t in texts]
    line = sum(t.shape[1] + 1 for t in tables)  # cells, separators and the line end
    for lo in range(0, n_rows, CSV_BLOCK):
        hi = min(lo + CSV_BLOCK, n_rows)
        buf = np.empty((hi - lo, line), dtype=np.uint8)
        at = 0
        for (codes, _), table in zip(columns, tables, strict=True):
            width = table.shape[1]
            np.take(table, codes[lo:hi], axis=0, out=buf[:, at : at + width], mode="wrap")
            buf[:, at + width] = ord(",")
            at += width + 1
        buf[:, -1] = ord("\n")
        yield buf[buf != 0].tobytes()  # padding is the only zero byte


def normalise_xlsx(path: Path, rows: Mapping[str, SheetRows] | None = None) -> None:
    """Rewrite an .xlsx so it holds no wall-clock time (zip entry dates, core properties);
    ``rows`` (see ``_with_rows``) are put into the sheets written with their header only."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _strip_core_dates(data)
            if rows and info.filename in rows:
                data = _with_rows(data, rows[info.filename])
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    path.write_bytes(buf.getvalue())


def _strip_core_dates(xml: bytes) -> bytes:
    return re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
        rb"\g<1>2020-01-01T00:00:00Z\g<3>",
        xml,
    )


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """One sheet per frame, all cells as text, then normalised for reproducible bytes.

    When every cell is plain text, openpyxl writes each sheet's header only and the data rows
    are written here as the XML openpyxl writes for them (about 20 times faster); otherwise
    openpyxl writes every cell.
    """
    rows = _plain_rows(sheets)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            (df.iloc[:0] if rows else df).to_excel(writer, sheet_name=name[:31], index=False)
    try:
        normalise_xlsx(path, rows)
    except _NotPlain:  # the header-only sheet is not the one expected: openpyxl writes all
        write_xlsx_cells(sheets, path)


def write_xlsx_cells(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """``write_xlsx`` with every cell written by openpyxl."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name[:31], index=False)
    normalise_xlsx(path)


class _NotPlain(Exception):
    """A cell openpyxl would not write as plain inline text."""


class SheetRows(NamedTuple):
    """A sheet's data rows as XML, their number, and the letter of the last column."""

    xml: str
    n: int
    last_column: str


#: Characters openpyxl refuses (``openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE``) and ``\r``.
_NOT_PLAIN = re.compile(r"[\000-\010\013\014\016-\037\r]")
_ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def _plain_rows(sheets: Mapping[str, pd.DataFrame]) -> dict[str, SheetRows] | None:
    """Each sheet file's data rows as openpyxl's (ElementTree) writer writes text cells, or
    None when a cell is not a short, plain str (formulas, error codes, control characters,
    other types) or a sheet has no columns: then openpyxl writes every cell."""
    if openpyxl.LXML:  # its lxml writer spells some cells differently
        return None
    out = {}
    try:
        for i, df in enumerate(sheets.values(), start=1):
            if len(df.columns) == 0:
                return None
            letters = [get_column_letter(j) for j in range(1, len(df.columns) + 1)]
            lines = []
            for r, row in enumerate(zip(*(df[c].tolist() for c in df.columns), strict=True), 2):
                cells = "".join(_cell(f"{x}{r}", v) for x, v in zip(letters, row, strict=True))
                lines.append(f'<row r="{r}">{cells}</row>')
            out[f"xl/worksheets/sheet{i}.xml"] = SheetRows("".join(lines), len(df), letters[-1])
    except _NotPlain:
        return None
    return out


def _cell(ref: str, v: object) -> str:
    if type(v) is not str:
        raise _NotPlain
    if v == "":
        return f'<c r="{ref}" t="inlineStr" />'
    if _NOT_PLAIN.search(v) or v[0] == "=" or v in _ERROR_CODES or len(v) > 32767:
        raise _NotPlain
    text = v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    stripped = v.strip()
    space = ' xml:space="preserve"' if stripped and stripped != v else ""
    return f'<c r="{ref}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


#: Characters XML 1.0 cannot hold (they are dropped from a typed cell's text).
_NOT_XML = re.compile(r"[\000-\010\013\014\016-\037]")


def typed_rows(rows: Sequence[Sequence[object]], n_columns: int) -> SheetRows:
    """Data rows (from row 2) as sheet XML with typed cells: numbers and booleans as such,
    any other value as inline text, which Excel never reads as a formula; None and NaN
    stay empty."""
    letters = [get_column_letter(j) for j in range(1, max(n_columns, 1) + 1)]
    lines = []
    for r, row in enumerate(rows, 2):
        cells = []
        for x, v in zip(letters, row, strict=False):
            # the common cells first, each as the general branches below would write it: text
            # with nothing to drop or escape, a plain int, a finite float
            if type(v) is str and v.isprintable() and not ("&" in v or "<" in v or ">" in v):
                text = v[:32767]
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{x}{r}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
                continue
            if type(v) is int or (type(v) is float and math.isfinite(v)):
                cells.append(f'<c r="{x}{r}" t="n"><v>{v!r}</v></c>')
                continue
            if v is None or (isinstance(v, float) and not math.isfinite(v)):
                continue
            if isinstance(v, bool):
                cells.append(f'<c r="{x}{r}" t="b"><v>{int(v)}</v></c>')
            elif isinstance(v, (int, float, np.integer, np.floating)):
                cells.append(f'<c r="{x}{r}" t="n"><v>{v!r}</v></c>')
            else:
                text = _NOT_XML.sub("", str(v))[:32767]
                text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                space = ' xml:space="preserve"' if text != text.strip() else ""
                cells.append(f'<c r="{x}{r}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        lines.append(f'<row r="{r}">{"".join(cells)}</row>')
    return SheetRows("".join(lines), len(rows), letters[-1])


def _with_rows(sheet: bytes, rows: SheetRows) -> bytes:
    """The header-only sheet XML with the data rows and the dimension they give."""
    if rows.n == 0:
        return sheet
    header = f'<dimension ref="A1:{rows.last_column}1" />'.encode()
    if sheet.count(header) != 1 or sheet.count(b"</sheetData>") != 1:
        raise _NotPlain
    dimension = f'<dimension ref="A1:{rows.last_column}{rows.n + 1}" />'.encode()
    data = rows.xml.encode("utf-8") + b"</sheetData>"
    return sheet.replace(header, dimension).replace(b"</sheetData>", data)


def write_tables(tables: Mapping[str, pd.DataFrame], out: Path, fmt: Format = "csv") -> list[Path]:
    """Write typed frames (contract dtypes) as ``out/<table>.csv`` or one workbook ``out``.

    Tables are written in canonical text (ISO dates, enum values) and in the order of
    ``merit.domain.TABLES``; unknown table names are written as they are.
    """
    ordered = [t for t in TABLES if t in tables] + [t for t in tables if t not in TABLES]
    text = {
        t: format_frame(TABLES[t], tables[t]) if t in TABLES else tables[t].astype(str)
        for t in ordered
    }
    if fmt == "csv":
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for t, df in text.items():
            p = out / f"{t}.csv"
            write_csv(df, p)
            paths.append(p)
        return paths
    out.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(text, out)
    return [out]
