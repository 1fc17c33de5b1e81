"""Files as offices produce them: delimiters, encodings, Excel's numbers, merges and sheets."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.io.read import load, validate
from merit.io.write import write_tables
from merit.synth import synthesize


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return synthesize(employees=40, vacancies=5, seed=2)


def _same(a: Path, b: Path) -> None:
    x, y = load(a).merit, load(b).merit
    for table in ("employees", "performance", "competencies", "vacancies", "standards"):
        pd.testing.assert_frame_equal(getattr(x, table), getattr(y, table))


def test_semicolon_decimal_comma_crlf_and_bom(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """What Excel writes on an Indonesian Windows: ';' between cells, a decimal comma,
    CRLF line ends and (for 'CSV UTF-8') a byte-order mark; read exactly like the plain file."""
    write_tables(small, tmp_path / "plain")
    (tmp_path / "excel").mkdir()
    for f in (tmp_path / "plain").glob("*.csv"):
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        if "min_experience_years" in df.columns:
            df.loc[0, "min_experience_years"] = "2.5"
        df.to_csv(f, index=False)
        for col in df.columns:
            df[col] = (
                df[col].str.replace(".", ",", regex=False) if col.startswith("min_") else df[col]
            )
        text = df.to_csv(index=False, sep=";", lineterminator="\r\n")
        (tmp_path / "excel" / f.name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    _same(tmp_path / "plain", tmp_path / "excel")
    assert load(tmp_path / "excel").merit.vacancies["min_experience_years"].iloc[0] == 2.5


def test_windows_1252_is_named_in_the_refusal(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    write_tables(small, tmp_path / "d")
    f = tmp_path / "d" / "employees.csv"
    f.write_bytes(f.read_text(encoding="utf-8").replace("Dinas", "Dinás").encode("cp1252"))
    [p] = validate(tmp_path / "d")
    assert "Windows-1252" in p.message and "CSV UTF-8" in p.message and p.file.endswith(f.name)


def _workbook(small: dict[str, pd.DataFrame], tmp_path: Path) -> Path:
    path = tmp_path / "wb.xlsx"
    write_tables(small, path, "xlsx")
    return path


def test_nip_stored_as_an_excel_number_is_a_located_error(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Issue 15 row E: the run used to succeed with every NIP rounded to 15 digits."""
    path = _workbook(small, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["employees"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, 1).value = int(ws.cell(row, 1).value)
    wb.save(path)
    problems = [p for p in validate(path) if p.code == "ID_AS_NUMBER"]
    assert [(p.sheet, p.row, p.column) for p in problems[:2]] == [
        ("employees", 2, "employee_id"),
        ("employees", 3, "employee_id"),
    ]
    assert len(problems) == len(small["employees"])
    assert "15 digits" in problems[0].message and "Text" in problems[0].message


def test_nip_saved_by_excel_in_scientific_notation_in_a_csv(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    write_tables(small, tmp_path / "d")
    f = tmp_path / "d" / "relations.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df.loc[0, "related_id"] = "1,96802E+17"
    df.to_csv(f, index=False)
    found = [(p.row, p.column, p.code) for p in validate(tmp_path / "d")]
    assert (2, "related_id", "ID_AS_NUMBER") in found


def test_a_merged_header_cell_is_refused_with_its_location(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Issue 15 row F: rank_since used to become a protected 'unnamed' column silently."""
    path = _workbook(small, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["employees"].merge_cells("D1:E1")
    wb.save(path)
    merged = [p for p in validate(path) if p.code == "MERGED_HEADER"]
    assert [(p.sheet, p.row, p.column) for p in merged] == [("employees", 1, "D1:E1")]


def test_a_hidden_sheet_is_ignored_even_before_the_visible_one(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Issue 15 row G: a hidden 'pegawai' sheet before 'employees' used to be read instead."""
    path = _workbook(small, tmp_path)
    wb = openpyxl.load_workbook(path)
    hidden = wb.create_sheet("pegawai", 0)
    hidden.append(["employee_id", "status"])
    hidden.append(["1", "PNS"])
    hidden.sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
    assert validate(path) == []
    assert len(load(path).merit.employees) == len(small["employees"])
    out = CliRunner().invoke(main, ["validate", "--lang", "en", str(path)]).output
    assert "sheet pegawai (hidden in Excel)" in out


def test_two_visible_sheets_of_one_table_are_refused(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    path = _workbook(small, tmp_path)
    wb = openpyxl.load_workbook(path)
    wb.copy_worksheet(wb["employees"]).title = "Pegawai"
    wb.save(path)
    twice = [p for p in validate(path) if p.code == "DUPLICATE_TABLE"]
    assert len(twice) == 1 and "Pegawai" in twice[0].message and "employees" in twice[0].message


def test_two_files_of_one_table_are_refused(small: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    write_tables(small, tmp_path / "d")
    (tmp_path / "d" / "pegawai.csv").write_bytes((tmp_path / "d" / "employees.csv").read_bytes())
    assert [p.code for p in validate(tmp_path / "d")] == ["DUPLICATE_TABLE"]


def test_synth_xlsx_without_a_suffix_writes_a_workbook_validate_reads(tmp_path: Path) -> None:
    """Issue 15 row K."""
    out = tmp_path / "wb"
    args = ["synth", "--employees", "30", "--vacancies", "3", "--format", "xlsx", "--out"]
    r = CliRunner().invoke(main, [*args, str(out)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "wb.xlsx").is_file() and "wb.xlsx" in r.output
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "wb.xlsx")]).exit_code == 0


def test_thousands_of_bad_cells_print_a_screenful(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    big = synthesize(employees=3000, vacancies=10, seed=4)
    write_tables(big, tmp_path / "d")
    f = tmp_path / "d" / "employees.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df["education_level"] = "Diploma III/Sarjana Mud"
    df.loc[::2, "birth_date"] = "31-02-1980"
    df.loc[::3, "legal_standing"] = ["Aktip", "Cuti"][0]
    df.to_csv(f, index=False)
    listed = tmp_path / "problems.csv"
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "d"), "--out", str(listed)])
    assert r.exit_code == 2
    problems = validate(tmp_path / "d")
    assert len(problems) > 4000
    lines = [x for x in r.output.splitlines() if x.startswith("  - ")]
    assert len(lines) <= 10 and len(r.output.splitlines()) < 60
    assert "3.000 baris" in r.output and "kolom education_level" in r.output
    assert len(pd.read_csv(listed, dtype=str, encoding="utf-8-sig")) == len(problems)
    en = CliRunner().invoke(main, ["validate", "--lang", "en", str(tmp_path / "d")]).output
    assert "3,000 rows" in en and "column education_level" in en


def test_validate_says_how_the_headers_were_understood(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    write_tables(small, tmp_path / "d")
    f = tmp_path / "d" / "employees.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False).rename(columns={"unit": "UNOR_NAMA"})
    df["EMAIL"] = "x@example.id"
    df.to_csv(f, index=False)
    out = CliRunner().invoke(main, ["validate", "--lang", "en", str(tmp_path / "d")]).output
    assert "UNOR_NAMA -> unit" in out
    assert "to the protected table" in out and "EMAIL" in out
