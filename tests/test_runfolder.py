"""Run tables are written as pandas writes them (after the run formatting: 4 decimals,
true/false), block by block in numpy; the manifest's hashes are those of the files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import merit.io.write
from merit.runfolder import Hashed, _csv, _csv_text, four_decimals, output_hashes


def printed(values: np.ndarray) -> list[str]:
    """The rule as first written: "%.4f" of each distinct value (``np.unique``; when 0.0 and
    -0.0 both occur, the zero it keeps speaks for both), NaN as an empty cell."""
    uniques, inverse = np.unique(values, return_inverse=True)
    return ["" if np.isnan(u) else f"{u:.4f}" for u in uniques[inverse.reshape(-1)]]


def as_pandas(frame: pd.DataFrame) -> str:
    out = frame.copy()
    for c in out.columns:
        if out[c].dtype.kind == "b":
            out[c] = np.where(out[c].to_numpy(), "true", "false")
        elif out[c].dtype.kind == "f":
            out[c] = printed(out[c].to_numpy())
    return out.to_csv(index=False, lineterminator="\n")


floats = st.one_of(
    st.integers(-(10**7), 10**7).map(lambda i: i / 10_000),
    st.sampled_from([np.nan, 0.0, -0.0, np.inf, 1 / 3, 2.5e-5, 1e17]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(floats, min_size=1, max_size=40))
def test_four_decimals_prints_each_value_by_the_rule(values: list[float]) -> None:
    array = np.asarray(values, dtype=np.float64)
    assert four_decimals(array).tolist() == printed(array)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(alphabet="ab é\x00;", max_size=4)),
            st.integers(-5, 10**6),
            floats,
            st.booleans(),
            st.sampled_from(["MS", "MMS", "KMS", None]),
        ),
        max_size=30,
    ),
    st.integers(1, 7),
)
def test_run_tables_are_joined_as_pandas_writes_them(rows, block: int) -> None:  # type: ignore[no-untyped-def]
    """Text (also with NUL bytes or missing), integers, floats, booleans, categories; blocks
    of any size."""
    frame = pd.DataFrame(
        {
            "text": pd.Series([r[0] for r in rows], dtype=object),
            "number": pd.Series([r[1] for r in rows], dtype="int64"),
            "score": pd.Series([r[2] for r in rows], dtype="float64"),
            "placed": pd.Series([r[3] for r in rows], dtype=bool),
            "category": pd.Categorical([r[4] for r in rows], ["MS", "MMS", "KMS"]),
        }
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(merit.io.write, "CSV_BLOCK", block)
        assert _csv_text(frame) == as_pandas(frame)


def test_nullable_and_odd_columns_keep_their_old_text() -> None:
    frame = pd.DataFrame(
        {
            "n": pd.array([1, None, 3], dtype="Int64"),
            "s": pd.array(["x", None, "z"], dtype="string"),
            "mixed": pd.Series(["a", 2, None], dtype=object),
        }
    )
    assert _csv_text(frame[["n", "s"]]) == "n,s\n1,x\n<NA>,\n3,z\n"  # astype(str) of Int64
    assert _csv_text(frame) == frame.to_csv(index=False)  # not all text: pandas writes it


def test_written_hash_is_the_files_and_is_reused_only_while_the_file_is_unchanged(
    tmp_path: Path,
) -> None:
    frame = pd.DataFrame({"id": ["a", "b"], "x": [1.5, np.nan]})
    path = tmp_path / "t.csv"
    digest = _csv(frame, path)
    assert path.read_text() == "id,x\na,1.5000\nb,\n"
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    known = {"t.csv": Hashed.of(path, "stale")}
    assert output_hashes(tmp_path, known) == {"t.csv": "stale"}  # unchanged file: reused
    path.write_text("id,x\na,2.5000\nb,\n")
    assert output_hashes(tmp_path, known) == {
        "t.csv": hashlib.sha256(path.read_bytes()).hexdigest()
    }
