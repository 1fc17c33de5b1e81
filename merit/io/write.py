"""Write tables as a CSV folder or one XLSX workbook, byte-for-byte reproducibly."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import pandas as pd

from merit.domain.models import TABLES
from merit.io.frames import format_frame

Format = Literal["csv", "xlsx"]
_FIXED_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """UTF-8, ``\\n`` line ends, no index: the same frame always gives the same bytes."""
    path.write_bytes(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))


def normalise_xlsx(path: Path) -> None:
    """Rewrite an .xlsx so it holds no wall-clock time (zip entry dates, core properties)."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _strip_core_dates(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, data)
    path.write_bytes(buf.getvalue())


def _strip_core_dates(xml: bytes) -> bytes:
    import re

    return re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
        rb"\g<1>2020-01-01T00:00:00Z\g<3>",
        xml,
    )


def write_xlsx(sheets: Mapping[str, pd.DataFrame], path: Path) -> None:
    """One sheet per frame, all cells as text, then normalised for reproducible bytes."""
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=name[:31], index=False)
    normalise_xlsx(path)


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
