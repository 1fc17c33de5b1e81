"""Workbooks for analysts: numbers as numbers, Indonesian headers, a frozen header row,
filters and column widths; text never becomes a formula (formula injection)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from merit.io.write import normalise_xlsx

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
    """One sheet per entry, in order; reproducible bytes (no wall-clock time inside)."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for name, (headers, rows) in sheets.items():
        ws = book.create_sheet(name[:31])
        widths = [len(str(h)) for h in headers]
        for j, h in enumerate(headers, start=1):
            c = ws.cell(row=1, column=j)
            _value(c, h)
            c.font = _BOLD
        for i, row in enumerate(rows, start=2):
            for j, v in enumerate(row, start=1):
                _value(ws.cell(row=i, column=j), v)
                if i < 500 and v is not None:
                    widths[j - 1] = max(widths[j - 1], len(str(v)))
        ws.freeze_panes = "A2"
        if headers:
            ws.auto_filter.ref = ws.dimensions
        for j, w in enumerate(widths, start=1):
            letter = ws.cell(row=1, column=j).column_letter
            ws.column_dimensions[letter].width = min(max(w + 2, 6), 60)
    book.save(path)
    normalise_xlsx(path)
