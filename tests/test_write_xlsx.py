"""Workbooks whose data rows are written as XML here are byte-identical to openpyxl writing
every cell, for any text (and openpyxl still writes the cells that are not plain text)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import merit.io.write
from merit.io.write import write_xlsx, write_xlsx_cells

texts = st.one_of(
    st.text(alphabet=" ab&<>\"'=#é中\n\t", max_size=6),
    st.sampled_from(["", " ", "=1+2", "=", "#N/A", "#REF!", "a\rb", "\x01", "x" * 32_800]),
)


def frames(max_columns: int = 3) -> st.SearchStrategy[pd.DataFrame]:
    def build(n_cols: int, cells: list[str]) -> pd.DataFrame:
        rows = [cells[i : i + n_cols] for i in range(0, len(cells) - n_cols + 1, n_cols)]
        return pd.DataFrame(rows, columns=[f"c{j}" for j in range(n_cols)], dtype=object)

    return st.builds(build, st.integers(1, max_columns), st.lists(texts, max_size=12))


def both(sheets: dict[str, pd.DataFrame]) -> tuple[bytes | type, bytes | type]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, write in enumerate((write_xlsx, write_xlsx_cells)):
            path = Path(tmp) / f"{i}.xlsx"
            try:
                write(sheets, path)
                out.append(path.read_bytes())
            except Exception as err:  # both must refuse the same cells
                out.append(type(err))
    return out[0], out[1]


@settings(max_examples=120, deadline=None)
@given(st.lists(frames(), min_size=1, max_size=3))
def test_rows_written_here_give_openpyxl_bytes(frames_: list[pd.DataFrame]) -> None:
    sheets = {f"sheet {i}": df for i, df in enumerate(frames_)}
    fast, full = both(sheets)
    assert fast == full


def test_plain_sheets_take_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    sheets = {"a": pd.DataFrame({"x": ["1", " b ", "a&b"], "y": ["", "é", "#"]})}
    assert merit.io.write._plain_rows(sheets) is not None
    assert merit.io.write._plain_rows({"a": pd.DataFrame({"x": ["=1+2"]})}) is None
    assert merit.io.write._plain_rows({"a": pd.DataFrame({"x": [1.5]})}) is None
