"""`merit release` is the only path by which names reach an output (issue 17)."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.execute import execute
from merit.io.write import write_tables
from merit.release import FOLDER, HTML, XLSX
from merit.synth import synthesize
from merit.verify import check_hashes

#: Columns that identify a person: their values must appear in no output but the release.
IDENTIFYING = ("name", "nik")
#: Row-level run tables: no cell may hold a value of any protected column.
ROW_TABLES = ("placements.csv", "unfilled.csv", "rankings.csv", "eligibility.csv")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("release")
    write_tables(synthesize(employees=800, vacancies=25, seed=11), root / "data")
    (root / "s.toml").write_text(
        'name = "release-test"\ndata = "data"\nseed = 5\n', encoding="utf-8"
    )
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


def _texts(folder: Path) -> dict[str, str]:
    """Every file of the run folder (sub-folders included) as text; workbooks unzipped."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        name = p.relative_to(folder).as_posix()
        if p.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(p.read_bytes())) as z:
                out[name] = "".join(z.read(i).decode("utf-8") for i in z.namelist())
        else:
            out[name] = p.read_text(encoding="utf-8")
    return out


def _protected(run: Path) -> pd.DataFrame:
    return pd.read_csv(run.parent / "data" / "protected.csv", dtype=str, keep_default_na=False)


def test_no_default_output_holds_a_protected_value(run: Path) -> None:
    prot = _protected(run)
    texts = _texts(run)
    assert {"report.html", "report.xlsx", "audit.json", "manifest.json"} <= set(texts)
    for col in IDENTIFYING:
        values = [v for v in prot[col] if v]
        assert values
        for name, text in texts.items():
            hits = [v for v in values if v in text]
            assert not hits, f"{name} holds {col} values {hits[:3]}"
    for table in ROW_TABLES:
        cells = set(pd.read_csv(run / table, dtype=str, keep_default_na=False).to_numpy().ravel())
        for col in prot.columns.drop("employee_id"):
            leaked = cells & {v for v in prot[col] if v}
            assert not leaked, f"{table} holds {col} values {sorted(leaked)[:3]}"


def test_release_writes_the_named_list_and_records_it(run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    shutil.copytree(run.parent / "data", tmp_path / "data")
    before = _texts(copy)
    result = CliRunner().invoke(main, ["release", str(copy)])
    assert result.exit_code == 0, result.output
    placed = pd.read_csv(copy / "placements.csv", dtype=str)
    prot = _protected(copy).set_index("employee_id")
    names = [prot.at[e, "name"] for e in placed["employee_id"]]
    html = (copy / FOLDER / HTML).read_text(encoding="utf-8")
    assert all(n in html for n in names) and ">Nama<" in html
    assert "Tim Penilai Kinerja" in html  # the signature block
    sheet = pd.read_excel(copy / FOLDER / XLSX, sheet_name="Lampiran SK", dtype=str)
    assert sorted(sheet["Nama"]) == sorted(names)
    assert sorted(sheet["NIP"]) == sorted(placed["employee_id"])
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["release"]["files"]) == {f"{FOLDER}/{HTML}", f"{FOLDER}/{XLSX}"}
    assert manifest["release"]["rows"] == len(placed)
    # nothing else changed, and the run's own files still match their hashes
    after = _texts(copy)
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"manifest.json"}
    assert check_hashes(copy) == []


def test_release_is_never_an_input(run: Path, tmp_path: Path) -> None:
    """Releasing changes no decision: the audit and report read the same with or without it,
    and no module but merit.release opens the release folder."""
    package = Path(__file__).resolve().parents[1] / "merit"
    readers = [
        p.relative_to(package).as_posix()
        for p in package.rglob("*.py")
        if re.search(r"\bFOLDER\b|daftar-usulan-bernama|\"release/", p.read_text("utf-8"))
    ]
    assert readers == ["release.py"]


def test_release_refuses_changed_data(run: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    data = tmp_path / "data"
    shutil.copytree(run.parent / "data", data)
    emp = data / "employees.csv"
    emp.write_text(emp.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["release", str(copy), "--data", str(data)])
    assert result.exit_code != 0 and "differ from what the run used" in result.output
    assert not (copy / FOLDER / HTML).exists()


def _strings(doc: object, skip: str) -> list[str]:
    """Every string in a JSON document, outside the top-level key ``skip``."""
    if isinstance(doc, dict):
        return [s for k, v in doc.items() if k != skip for s in _strings(v, "")]
    if isinstance(doc, list):
        return [s for v in doc for s in _strings(v, "")]
    return [doc] if isinstance(doc, str) else []


def test_protected_values_appear_only_as_aggregates(run: Path) -> None:
    """Any value of any protected column (gender, religion, birth place, ...) appears in
    audit.json and report.xlsx only in the disparity screening, as a group's label."""
    import openpyxl

    prot = _protected(run)
    values = {v for c in prot.columns.drop("employee_id") for v in prot[c] if v}
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    assert not values & set(_strings(audit, "disparity"))
    book = openpyxl.load_workbook(run / "report.xlsx")
    for ws in book.worksheets:
        if ws.title == "Kesenjangan":
            continue
        cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        assert not values & cells, ws.title


def test_a_released_folder_stays_a_run_folder(run: Path, tmp_path: Path) -> None:
    """The named list lives in release/, listed in the manifest: verify checks its bytes,
    `merit audit` keeps it, `merit run --force` may replace the folder (merit wrote it all),
    and a file slipped into release/ is named."""
    shutil.copytree(run.parent, tmp_path / "root")
    copy, scenario = tmp_path / "root" / "run", tmp_path / "root" / "s.toml"
    r = CliRunner().invoke(main, ["release", str(copy)])
    assert r.exit_code == 0, r.output
    assert check_hashes(copy) == []
    r = CliRunner().invoke(main, ["audit", str(copy)])
    assert r.exit_code == 0, r.output
    assert (copy / FOLDER / HTML).is_file() and check_hashes(copy) == []
    (copy / FOLDER / "extra.txt").write_text("x", encoding="utf-8")
    assert check_hashes(copy) == ["release/extra.txt: present but not listed in the manifest"]
    (copy / FOLDER / "extra.txt").unlink()
    (copy / FOLDER / XLSX).write_bytes(b"changed")
    assert any("SHA-256 differs" in p for p in check_hashes(copy))
    r = CliRunner().invoke(main, ["run", str(scenario), "--out", str(copy), "--force"])
    assert r.exit_code == 0, r.output
    assert not (copy / FOLDER).exists() and check_hashes(copy) == []
