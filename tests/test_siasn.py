"""SIASN 'Data Utama' and e-Kinerja as BKN writes them: values, layouts, and no leaks."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from merit.cli import main
from merit.domain.enums import normalise
from merit.io.read import load, understand, validate
from merit.io.siasn_layout import to_siasn
from merit.io.write import write_csv, write_tables
from merit.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
PERSONAL = ("NIK", "NOMOR_HP", "EMAIL", "ALAMAT", "NPWP_NOMOR", "NAMA")


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return synthesize(employees=60, vacancies=6, seed=3)


def siasn_folder(tables: dict[str, pd.DataFrame], folder: Path) -> dict[str, pd.DataFrame]:
    """Write ``tables`` in the SIASN layout; return its text tables by file stem."""
    write_tables(to_siasn(tables), folder)
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in folder.glob("*.csv")}


def rewrite(t: dict[str, pd.DataFrame], folder: Path) -> None:
    for name, df in t.items():
        write_csv(df, folder / f"{name}.csv")


def _run_text(folder: Path) -> str:
    """Every byte a run folder holds, as text (workbooks unzipped)."""
    parts = []
    for f in sorted(folder.rglob("*")):
        if not f.is_file():
            continue
        if f.suffix == ".xlsx":
            with zipfile.ZipFile(f) as z:
                parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        else:
            parts.append(f.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_siasn_layout_runs_to_the_same_placements_and_leaks_no_personal_value(
    tmp_path: Path,
) -> None:
    """The issue's 'done when': the demo in SIASN's layout (BKN headers and values, NIK,
    phone, e-mail, NPWP, address) validates, runs, places the same people in the same posts
    as the plain layout, and none of those personal values reaches any output file."""
    siasn = tmp_path / "siasn"
    r = CliRunner().invoke(main, ["synth", "--layout", "siasn", "--out", str(siasn)])
    assert r.exit_code == 0, r.output
    assert CliRunner().invoke(main, ["validate", str(siasn)]).exit_code == 0
    runs = {}
    for name, data in (("plain", ROOT / "data" / "demo"), ("siasn", siasn)):
        out = tmp_path / f"run-{name}"
        args = ["run", str(ROOT / "scenarios" / "kupang-2026.toml"), "--data", str(data)]
        r = CliRunner().invoke(main, [*args, "--out", str(out), "--quiet"])
        assert r.exit_code == 0, r.output
        runs[name] = out
    for table in ("placements.csv", "unfilled.csv", "rankings.csv"):
        assert (runs["plain"] / table).read_bytes() == (runs["siasn"] / table).read_bytes()
    people = pd.read_csv(siasn / "data_utama.csv", dtype=str, keep_default_na=False)
    text = _run_text(runs["siasn"])
    found = set(re.findall(r"[0-9][0-9.\-]{6,}[0-9]", text))  # NIK, phone, NPWP
    found |= set(re.findall(r"[\w.]+@[\w.]+", text))  # e-mail
    found |= set(re.findall(r"Jl\. [^\"\n<]*?Kota Kupang", text))  # address
    for column in PERSONAL:
        values = {v for v in people[column] if v}
        assert len(values) > 5, column
        # names are words: look for each whole name; the rest by the tokens found above
        leaked = [v for v in values if v in text] if column == "NAMA" else sorted(values & found)
        assert leaked == [], (column, leaked[:3])


def test_siasn_layout_reads_back_to_the_plain_tables(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    write_tables(small, tmp_path / "plain")
    siasn_folder(small, tmp_path / "siasn")
    a, b = load(tmp_path / "plain").merit, load(tmp_path / "siasn").merit
    assert len(a.posts) == (small["employees"]["current_post_id"].notna()).sum() > 0
    for table in ("employees", "performance", "competencies", "vacancies", "posts", "standards"):
        x, y = getattr(a, table), getattr(b, table)
        assert list(x.columns) == list(y.columns)
        for c in x.columns:
            xs, ys = x[c].astype(str), y[c].astype(str)
            if c in ("education_field", "jf_family"):  # BKN writes them upper / title case
                xs, ys = xs.map(normalise), ys.map(normalise)
            assert (xs == ys).all(), (table, c)


def test_bkn_values_are_read_as_bkn_writes_them(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    t = siasn_folder(small, tmp_path / "s")
    e = t["data_utama"]
    e.loc[0, "STATUS_CPNS_PNS"] = "C"  # a candidate: CPNS, not PNS
    e.loc[0, "JENIS_PEGAWAI_NAMA"] = "PNS Daerah Propinsi DPK pada Kab/Kota"
    e.loc[1, "JENIS_PEGAWAI_NAMA"] = "PNS Pusat DPB pada Kab/Kota"
    e.loc[1, "STATUS_CPNS_PNS"] = "P"
    e.loc[2, "TINGKAT_PENDIDIKAN_NAMA"] = "S-3/Doktor"
    e.loc[3, "TINGKAT_PENDIDIKAN_NAMA"] = "Profesi"
    e.loc[4, "TINGKAT_PENDIDIKAN_NAMA"] = "SLTP Kejuruan"
    e.loc[5, "PENDIDIKAN_NAMA"] = "A-IV AKUNTANSI"
    e.loc[6, ["JENIS_JABATAN_NAMA", "ESELON", "JABATAN_NAMA"]] = [
        "Jabatan Struktural",
        "II.b",
        "Kepala Dinas",
    ]
    e.loc[7, ["JENIS_JABATAN_NAMA", "ESELON", "JABATAN_NAMA"]] = [
        "Jabatan Fungsional Tertentu",
        "",
        "Penyuluh Pertanian Ahli Muda",
    ]
    e.loc[8, ["JENIS_JABATAN_NAMA", "ESELON", "JABATAN_NAMA"]] = ["Struktural", "V.a", ""]
    e["KEDUDUKAN_HUKUM_ID"] = "01"
    e.loc[9, "KEDUDUKAN_HUKUM_ID"] = "4"  # Excel dropped the leading zero of 04
    e = e.drop(columns=["KEDUDUKAN_HUKUM_NAMA"])
    e["KPKN_NAMA"] = "KPPN Kupang"
    t["data_utama"] = e
    rewrite(t, tmp_path / "s")
    dataset, problems, seen = understand(tmp_path / "s")
    assert problems == [], problems
    assert dataset is not None
    emp = dataset.merit.employees.set_index("employee_id")
    row = emp.loc
    assert row[e.loc[0, "NIP_BARU"], "status"] == "CPNS"
    assert row[e.loc[1, "NIP_BARU"], "status"] == "PNS"
    assert row[e.loc[2, "NIP_BARU"], "education_level"] == "S3"
    assert row[e.loc[3, "NIP_BARU"], "education_level"] == "S1"
    assert row[e.loc[4, "NIP_BARU"], "education_level"] == "SMP"
    assert row[e.loc[5, "NIP_BARU"], "education_field"] == "AKUNTANSI"
    assert row[e.loc[6, "NIP_BARU"], "position_level"] == "jpt_pratama"
    assert row[e.loc[7, "NIP_BARU"], "position_level"] == "jf_ahli_muda"
    assert row[e.loc[7, "NIP_BARU"], "jf_family"] == "Penyuluh Pertanian"
    assert row[e.loc[8, "NIP_BARU"], "position_level"] == "pelaksana"
    assert row[e.loc[9, "NIP_BARU"], "legal_standing"] == "Pemberhentian Sementara"
    assert row[e.loc[10, "NIP_BARU"], "legal_standing"] == "Aktif"
    employees = next(u for u in seen if u.table == "employees")
    assert employees.mapped["KEDUDUKAN_HUKUM_ID"] == "legal_standing"
    assert "KPKN_NAMA" in employees.ignored
    assert {"NIK", "EMAIL", "NOMOR_HP", "ALAMAT", "NPWP_NOMOR"} <= set(employees.protected)
    assert employees.consumed["STATUS_CPNS_PNS"] == "status"


def test_a_lower_ranked_siasn_column_is_ignored_not_a_repeat(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """TINGKAT_PENDIDIKAN_ID beside TINGKAT_PENDIDIKAN_NAMA: the name is read, the id ignored;
    a project column beside a SIASN one wins (the reader accepts both layouts side by side)."""
    t = siasn_folder(small, tmp_path / "s")
    t["data_utama"]["TINGKAT_PENDIDIKAN_ID"] = "05"
    t["data_utama"]["education_level"] = t["data_utama"]["TINGKAT_PENDIDIKAN_NAMA"]
    rewrite(t, tmp_path / "s")
    _, problems, seen = understand(tmp_path / "s")
    assert problems == []
    employees = next(u for u in seen if u.table == "employees")
    assert employees.mapped.get("education_level") == "education_level"
    assert "TINGKAT_PENDIDIKAN_ID" in employees.ignored
    assert "TINGKAT_PENDIDIKAN_NAMA" in employees.ignored


def test_unknown_bkn_values_are_located_on_the_column_the_user_wrote(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    t = siasn_folder(small, tmp_path / "s")
    e = t["data_utama"]
    e.loc[0, "STATUS_CPNS_PNS"] = "X"
    e.loc[1, ["JENIS_JABATAN_NAMA", "JABATAN_NAMA"]] = ["Jabatan Fungsional Tertentu", "Perawat"]
    e.loc[2, "KEDUDUKAN_HUKUM_NAMA"] = "Aktip"
    rewrite(t, tmp_path / "s")
    found = {(p.row, p.column) for p in validate(tmp_path / "s")}
    assert {(2, "STATUS_CPNS_PNS"), (3, "JENIS_JABATAN_NAMA"), (4, "KEDUDUKAN_HUKUM_NAMA")} <= found


def test_skp_one_column_per_year_and_older_scores_by_band(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """e-Kinerja recaps come one column per year; SKP before 2022 was a score 0-100 read by
    the bands of PP 46/2011 Pasal 12 (91+ sangat baik, 76-90 baik, 61-75 cukup, 51-60
    kurang, 50 and under buruk)."""
    t = siasn_folder(small, tmp_path / "s")
    k = t["kinerja"]
    years = [c for c in k.columns if c.startswith("SKP_")]
    k.loc[0, years[0]] = "92"
    k.loc[1, years[0]] = "75,5"
    k.loc[2, years[0]] = "50"
    k.loc[3, years[0]] = "90.5"
    k.loc[4, years[0]] = ""  # no SKP that year: no record, not a zero
    rewrite(t, tmp_path / "s")
    perf = load(tmp_path / "s").merit.performance
    year = int(years[0].removeprefix("SKP_"))

    def predikat(i: int) -> list[str]:
        rows = perf[(perf["employee_id"] == k.loc[i, "NIP_BARU"]) & (perf["year"] == year)]
        return [str(v) for v in rows["predikat"]]

    assert predikat(0) == ["Sangat Baik"]
    assert predikat(1) == ["Butuh Perbaikan"]
    assert predikat(2) == ["Sangat Kurang"]
    assert predikat(3) == ["Baik"]
    assert predikat(4) == []
    assert len(perf) == (k[years] != "").to_numpy().sum()


def test_a_bad_skp_cell_in_a_year_column_keeps_its_row(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    t = siasn_folder(small, tmp_path / "s")
    year = next(c for c in t["kinerja"].columns if c.startswith("SKP_"))
    t["kinerja"].loc[4, year] = "Luar Biasa"
    rewrite(t, tmp_path / "s")
    bad = [p for p in validate(tmp_path / "s") if p.value == "Luar Biasa"]
    assert [p.row for p in bad] == [6]


def test_excel_date_cells_and_numeric_codes_in_a_siasn_workbook(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """SIASN downloads opened in Excel hold real date cells and codes as numbers (05 -> 5)."""
    import datetime as dt

    import openpyxl

    plain = tmp_path / "plain"
    write_tables(small, plain)
    book = tmp_path / "siasn.xlsx"
    write_tables(to_siasn(small), book, "xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["data_utama"]
    heads = [c.value for c in ws[1]]
    born, kind = heads.index("TANGGAL_LAHIR") + 1, heads.index("TINGKAT_PENDIDIKAN_NAMA") + 1
    ws.cell(1, kind).value = "TINGKAT_PENDIDIKAN_ID"  # the code instead of the name
    codes = {"SD": 5, "SMP": 10, "SLTA": 15, "D-I": 20, "D-II": 25, "D-III": 30, "D-IV": 35}
    codes |= {"S1": 40, "S2": 45, "S3": 50}
    levels = small["employees"].set_index("employee_id")["education_level"].astype(str)
    for r in range(2, ws.max_row + 1):
        d, m, y = (int(x) for x in str(ws.cell(r, born).value).split("-"))
        ws.cell(r, born).value = dt.datetime(y, m, d)
        ws.cell(r, kind).value = codes[levels[str(ws.cell(r, 1).value)]]
    wb.save(book)
    a, b = load(plain).merit.employees, load(book).merit.employees
    pd.testing.assert_series_equal(a["birth_date"], b["birth_date"])
    pd.testing.assert_series_equal(a["education_level"], b["education_level"])


def test_assessment_and_standard_with_one_column_per_competency(
    small: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """An assessment centre's recap and an Anjab competency standard come one column per
    competency code; read as the same rows, an empty cell being no assessment (not a zero)."""
    write_tables(small, tmp_path / "plain")
    t = {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in (tmp_path / "plain").glob("*.csv")
    }
    comp = t["competencies"].pivot(index="employee_id", columns="competency_code", values="level")
    comp = comp.fillna("").reset_index().rename(columns={"employee_id": "NIP_BARU"})
    comp.loc[0, comp.columns[1]] = ""  # not assessed in that competency
    std = t["standards"].pivot(
        index="vacancy_id", columns="competency_code", values="required_level"
    )
    t["competencies"] = comp
    t["standards"] = std.fillna("").reset_index().rename(columns={"vacancy_id": "ID_JABATAN"})
    (tmp_path / "wide").mkdir()
    rewrite(t, tmp_path / "wide")
    a, b = load(tmp_path / "plain").merit, load(tmp_path / "wide").merit
    pd.testing.assert_frame_equal(a.standards, b.standards)
    dropped = (a.competencies["employee_id"] == comp.loc[0, "NIP_BARU"]) & (
        a.competencies["competency_code"] == comp.columns[1]
    )
    pd.testing.assert_frame_equal(
        a.competencies[~dropped].drop(columns="assessed_on").reset_index(drop=True),
        b.competencies.drop(columns="assessed_on"),
    )


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000))
def test_any_synthetic_city_reads_the_same_in_both_layouts(seed: int) -> None:
    """Whatever the generator draws (PNS, PPPK, every position level and JF family), the
    SIASN layout reads back to the plain layout's tables."""
    import tempfile

    tables = synthesize(employees=80, vacancies=6, seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        write_tables(tables, Path(tmp) / "plain")
        write_tables(to_siasn(tables), Path(tmp) / "siasn")
        a, b = load(Path(tmp) / "plain").merit, load(Path(tmp) / "siasn").merit
    assert len(a.posts) > 0
    for table in ("employees", "performance", "posts"):
        x, y = getattr(a, table), getattr(b, table)
        for c in x.columns:
            xs, ys = x[c].astype(str), y[c].astype(str)
            if c in ("education_field", "jf_family"):
                xs, ys = xs.map(normalise), ys.map(normalise)
            assert (xs == ys).all(), (seed, table, c)
