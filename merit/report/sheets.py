"""Workbooks for analysts: numbers as numbers, Indonesian headers, a frozen header row,
filters and column widths; text never becomes a formula (formula injection)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from merit.io.write import normalise_xlsx, typed_rows

Sheet = tuple[Sequence[str], Sequence[Sequence[Any]]]
"""Column headers and rows; a cell is a str, int, float, bool or None."""

_BOLD = Font(bold=True)


def _value(cell: Any, value: Any) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, (bool, int | float)):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # "=...", "+...", "@..." stay text: never a formula


def write_book(sheets: Mapping[str, Sheet], path: Path) -> None:
    """One sheet per entry, in order; reproducible bytes (no wall-clock time inside).

    openpyxl writes each sheet's header row, widths, frozen row and filter; the data rows are
    written as typed XML (``merit.io.write.typed_rows``: numbers as numbers, all else inline
    text, never a formula), so a national report's 1.8 million cells take seconds.
    """
    book = Workbook()
    book.remove(book.worksheets[0])
    data = {}
    for i, (name, (headers, rows)) in enumerate(sheets.items(), start=1):
        ws = book.create_sheet(name[:31])
        widths = [len(str(h)) for h in headers]
        for j, h in enumerate(headers, start=1):
            c = ws.cell(row=1, column=j)
            _value(c, h)
            c.font = _BOLD
        for row in rows[:498]:
            for j, v in enumerate(row):
                if v is not None and j < len(widths):
                    widths[j] = max(widths[j], len(str(v)))
        ws.freeze_panes = "A2"
        typed = typed_rows(rows, len(headers))
        if headers:
            ws.auto_filter.ref = f"A1:{typed.last_column}{len(rows) + 1}"
        for j, w in enumerate(widths, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = min(max(w + 2, 6), 60)
        data[f"xl/worksheets/sheet{i}.xml"] = typed
    book.save(path)
    normalise_xlsx(path, data)
