"""The pyarrow CSV splitter agrees with pandas' CSV parser cell for cell, or declines the file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from merit.io import sources
from merit.io.arrow_csv import split_csv
from merit.io.read import load, validate
from merit.io.write import write_csv, write_tables
from merit.synth import synthesize

_CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\n\r\t1.-é\u00a0')), max_size=12)


def _pandas(data: bytes, sep: str) -> tuple[list[str], list[tuple[list[int], list[object]]]]:
    frame = pd.read_csv(
        io.StringIO(data.decode("utf-8-sig")),
        sep=sep,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_MINIMAL,
    )
    out = []
    for k in range(frame.shape[1]):
        codes, uniques = pd.factorize(frame.iloc[:, k], use_na_sentinel=False)
        out.append((list(codes), list(uniques)))
    return list(frame.columns), out


def _check(data: bytes, sep: str = ",") -> bool:
    """True when the fast path took the file (and then it matched pandas exactly)."""
    plain = split_csv(data, sep)
    if plain is None:
        return False
    header, coded, rows = plain
    expected_header, expected = _pandas(data, sep)
    assert header == expected_header
    assert [(list(c), list(u)) for c, u in coded] == expected
    assert all(len(c) == rows for c, _ in coded)
    return True


def test_plain_file_is_split_like_pandas() -> None:
    assert _check(b"a,b\r\n1,2\r\n")  # Windows line ends
    assert _check(b'a,b\n"1""2",3\n')  # an escaped quote
    assert _check(b"a,b,c\n1, x ,\n2,y,z\n,,\n2,y,z")
    assert _check(b'\xef\xbb\xbfa;b\n"1;2";x\n"";\n', ";")
    assert _check('id,name\n1,Dédé\n2,"Badan, Riset"\n3,Dédé\n'.encode())
    assert _check(b"a,b\n" + b"12345678901234567,abcdefghijklmnopq\n12345678901234567,x\n" * 3)


@pytest.mark.parametrize(
    "data",
    [
        b"a,b\n1,2,3\n",  # a row longer than the header
        b"a,b\n1\n",  # a row shorter than the header
        b"a,b\n\n1,2\n",  # a blank line
        b"a,a\n1,2\n",  # repeated header
        b"a,\n1,2\n",  # empty header
        b"a,b\n",  # header only
        b'a,b\n"1\n2",3\n',  # line break inside quotes
        b'a,b\nx"1",3\n',  # quote inside a cell
    ],
)
def test_unusual_files_are_left_to_pandas(data: bytes) -> None:
    assert split_csv(data, ",") is None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_any_file_is_split_like_pandas_or_left_to_it(
    rows: list[list[str]], quote: bool, final_newline: bool
) -> None:
    cells = [[f'"{c}"' if quote and i % 2 else c for i, c in enumerate(r)] for r in rows]
    text = "x,y,z\n" + "\n".join(",".join(r) for r in cells) + ("\n" if final_newline else "")
    data = text.encode()
    try:
        _pandas(data, ",")
    except (pd.errors.ParserError, ValueError):  # then the fast path must decline the file
        assert split_csv(data, ",") is None
        return
    _check(data)


def _twin_with_crlf(folder: Path, twin: Path) -> None:
    """The same tables with Windows line breaks."""
    twin.mkdir()
    for f in folder.iterdir():
        (twin / f.name).write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))


def _problems(folder: Path) -> list[tuple[object, ...]]:
    return [
        (Path(p.file).name, p.sheet, p.row, p.column, p.value, p.expected, p.message, p.code)
        for p in validate(folder)
    ]


def test_fast_and_pandas_paths_read_and_report_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = synthesize(employees=40, vacancies=4, seed=7)
    clean, clean_twin = tmp_path / "clean", tmp_path / "clean_twin"
    write_tables(city, clean)
    _twin_with_crlf(clean, clean_twin)
    a = load(clean)
    with monkeypatch.context() as m:
        m.setattr(sources, "split_csv", lambda data, sep: None)  # pandas reads every file
        b = load(clean_twin)
    for table in ("employees", "competencies", "performance", "vacancies", "standards"):
        pd.testing.assert_frame_equal(getattr(a.merit, table), getattr(b.merit, table))
    pd.testing.assert_frame_equal(a.protected, b.protected)

    bad, bad_twin = tmp_path / "bad", tmp_path / "bad_twin"
    write_tables(city, bad)
    for name, edits in {
        "employees.csv": {
            (0, "birth_date"): "31-02-1990",
            (1, "rank"): " IV/x ",
            (2, "employee_id"): "",
        },
        "competencies.csv": {(0, "level"): "tinggi", (1, "employee_id"): "999"},
        "performance.csv": {(0, "year"): "2023.5"},
        "vacancies.csv": {(0, "allowance"): "1.000,5x"},
    }.items():
        frame = pd.read_csv(bad / name, dtype=str, keep_default_na=False)
        for (row, column), value in edits.items():
            frame.loc[row, column] = value
        frame = pd.concat([frame, frame.iloc[[3]]])  # a duplicate key
        write_csv(frame, bad / name)
    _twin_with_crlf(bad, bad_twin)
    assert split_csv((bad / "employees.csv").read_bytes(), ",") is not None
    problems = _problems(bad)
    assert len(problems) >= 10
    with monkeypatch.context() as m:
        m.setattr(sources, "split_csv", lambda data, sep: None)
        assert problems == _problems(bad_twin)
