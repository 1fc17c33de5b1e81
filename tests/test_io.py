"""Reading and validating datasets: planted problems, unreadable files, SIASN headers, schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.io.read import load, validate
from merit.io.schemas import render, table_schemas
from merit.io.write import write_csv, write_tables, write_xlsx
from merit.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return synthesize(employees=40, vacancies=5, seed=1)


def text_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in folder.glob("*.csv")}


def planted(small: dict[str, pd.DataFrame], tmp: Path) -> dict[str, pd.DataFrame]:
    """The six problems of the foundation issue, planted at known places."""
    write_tables(small, tmp / "clean")
    t = text_tables(tmp / "clean")
    t["employees"].loc[2, "rank"] = "III/x"  # row 4
    t["employees"].loc[5, "employee_id"] = t["employees"].loc[4, "employee_id"]  # row 7 dup of 6
    t["standards"].loc[0, "vacancy_id"] = "VAC-9999"  # row 2
    t["competencies"].loc[3, "level"] = "tinggi"  # row 5
    t["vacancies"].loc[1, "title"] = ""  # row 3
    del t["relations"]  # missing table
    return t


def write_text(t: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in t.items():
        write_csv(df, folder / f"{name}.csv")


EXPECTED = [
    ("employees.csv", 4, "rank", "VALUE"),
    ("employees.csv", 7, "employee_id", "DUPLICATE"),
    ("standards.csv", 2, "vacancy_id", "REFERENCE"),
    ("competencies.csv", 5, "level", "VALUE"),
    ("vacancies.csv", 3, "title", "EMPTY"),
]


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_planted_problems_are_all_located(
    small: dict[str, pd.DataFrame], tmp_path: Path, form: str
) -> None:
    t = planted(small, tmp_path)
    if form == "csv":
        target = tmp_path / "planted"
        write_text(t, target)
    else:
        target = tmp_path / "planted.xlsx"
        write_xlsx(t, target)
    result = CliRunner().invoke(main, ["validate", "--lang", "en", str(target)])
    assert result.exit_code == 2, result.output
    problems = validate(target)
    found = {
        (Path(p.file).name if form == "csv" else p.sheet + ".csv", p.row, p.column, p.code)
        for p in problems
        if p.row is not None
    }
    for want in EXPECTED:
        assert want in found, (want, sorted(found))
    assert any(p.code == "MISSING_TABLE" and "relations" in p.message for p in problems)
    assert "III/x" in result.output and "I/a .. IV/e" in result.output
    assert "row 7" in result.output and "row 6" in result.output  # duplicate names its twin
    if form == "xlsx":
        assert all(p.sheet for p in problems if p.row is not None)
    as_json = json.loads(CliRunner().invoke(main, ["validate", "--json", str(target)]).output)
    assert len(as_json) == len(problems) and {"file", "row", "column", "value"} <= set(as_json[0])


def test_a_pns_rank_is_reported_once(small: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    """An unreadable rank gets its VALUE problem only; an empty one says a PNS needs one."""
    write_tables(small, tmp_path / "clean")
    t = text_tables(tmp_path / "clean")
    pns = t["employees"].index[t["employees"]["status"] == "PNS"][:2]
    t["employees"].loc[pns[0], "rank"] = "III/x"
    t["employees"].loc[pns[1], "rank"] = ""
    write_text(t, tmp_path / "p")
    rank = [(p.row, p.code) for p in validate(tmp_path / "p") if p.column == "rank"]
    assert sorted(rank) == [(pns[0] + 2, "VALUE"), (pns[1] + 2, "EMPTY")]


def test_indonesian_messages(small: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    write_text(planted(small, tmp_path), tmp_path / "p")
    out = CliRunner().invoke(main, ["validate", "--lang", "id", str(tmp_path / "p")]).output
    assert "masalah ditemukan" in out and "bukan" in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "not a CSV"),
        ("employee_id,unit\n1,Dinas Gizi\u00e9\n".encode("latin-1"), "CSV UTF-8"),
    ],
)
def test_unreadable_csv_gets_a_located_error(
    small: dict[str, pd.DataFrame], tmp_path: Path, content: bytes, needle: str
) -> None:
    write_tables(small, tmp_path / "d")
    (tmp_path / "d" / "employees.csv").write_bytes(content)
    result = CliRunner().invoke(main, ["validate", "--lang", "en", str(tmp_path / "d")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert needle in result.output and "employees.csv" in result.output


def test_corrupt_xlsx_and_missing_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = CliRunner().invoke(main, ["validate", "--lang", "en", str(bad)])
    assert result.exit_code == 2 and "not a valid .xlsx" in result.output
    result = CliRunner().invoke(main, ["validate", "--lang", "en", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no such file or folder" in result.output


def test_siasn_headers_and_indonesian_number_and_date_formats(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    write_tables(small, tmp_path / "d")
    t = text_tables(tmp_path / "d")
    emp = t["employees"].rename(
        columns={
            "employee_id": "NIP_BARU",
            "rank": "GOL_AKHIR_NAMA",
            "education_level": "TINGKAT_PENDIDIKAN_NAMA",
            "unit": "UNOR_NAMA",
            "birth_date": "TANGGAL_LAHIR",
        }
    )
    emp["AGAMA_NAMA"] = "Katolik"
    emp["NO_HP"] = "0812000000"
    emp["TANGGAL_LAHIR"] = pd.to_datetime(emp["TANGGAL_LAHIR"]).dt.strftime("%d-%m-%Y")
    emp["GOL_AKHIR_NAMA"] = emp["GOL_AKHIR_NAMA"].str.replace("/", ".", regex=False)
    t["employees"] = emp
    write_text(t, tmp_path / "siasn")
    std = tmp_path / "siasn" / "standards.csv"  # a semicolon CSV as Indonesian Excel writes it
    std.write_text(std.read_text().replace(",", ";"))
    ds = load(tmp_path / "siasn")
    assert ds.merit.employees.equals(load(tmp_path / "d").merit.employees)
    assert {"religion", "no_hp"} <= set(ds.protected.columns)
    assert "religion" not in ds.merit.employees.columns


def test_committed_schemas_match_the_models() -> None:
    folder = ROOT / "data" / "schemas"
    want = table_schemas()
    have = {p.name for p in folder.glob("*.json")}
    assert have == set(want), "data/schemas is out of date: run `make schemas`"
    for name, schema in want.items():
        assert (folder / name).read_text(encoding="utf-8") == render(schema), (
            f"data/schemas/{name} drifted from the models: run `make schemas`"
        )
    prot = want["protected.schema.json"]["properties"]
    assert prot["religion"]["x-protected"] is True
    assert "religion" not in want["employees.schema.json"]["properties"]
