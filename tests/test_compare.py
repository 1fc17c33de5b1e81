"""`merit compare` as a report: before and after, who gained or lost a post, per OPD, and
which constraint cost what (from run B's audit), as text, a page and workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.compare import compare_runs
from merit.execute import execute
from merit.io.write import write_tables
from merit.synth import synthesize

IDS = {"vacancy_id": str, "employee_id": str}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("compare")
    write_tables(synthesize(employees=300, vacancies=14, seed=8), root / "data")
    for name, cap in (("a", 3), ("b", 1)):
        (root / f"{name}.toml").write_text(
            f'name = "run-{name}"\ndata = "data"\nseed = 3\n\n[constraints]\n'
            f"max_moves_per_unit = {cap}\n",
            encoding="utf-8",
        )
        execute(root / f"{name}.toml", root / name, quiet=True)
    return root / "a", root / "b"


def test_the_causes_account_for_every_change(runs: tuple[Path, Path]) -> None:
    a, b = runs
    d = compare_runs(a, b)
    pa = pd.read_csv(a / "placements.csv", dtype=IDS)
    pb = pd.read_csv(b / "placements.csv", dtype=IDS)
    assert (d.filled_a, d.filled_b) == (len(pa), len(pb))
    assert d.filled_b < d.filled_a  # one move out per unit instead of three
    lost = sum(c["posts_lost"] for c in d.causes) - sum(c["posts_gained"] for c in d.causes)
    assert lost == d.filled_a - d.filled_b
    change = sum(c["score_change"] for c in d.causes)
    assert change == pytest.approx(d.total_b - d.total_a, abs=1e-3)
    assert "MOVES_CAP" in {c["code"] for c in d.causes}
    assert {s["key"] for s in d.settings} == {"constraints.max_moves_per_unit"}
    assert {g["employee_id"] for g in d.gained} == set(pb["employee_id"]) - set(pa["employee_id"])
    assert {x["employee_id"] for x in d.lost} == set(pa["employee_id"]) - set(pb["employee_id"])
    assert sum(o["filled_a"] for o in d.per_opd) == d.filled_a
    assert all(c["cause_en"] and c["cause_id"] for c in d.changed)


def test_compare_writes_a_page_and_workbooks(runs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = runs
    out = tmp_path / "cmp"
    result = CliRunner().invoke(main, ["compare", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Sebab perubahan" in result.output and "Causes" not in result.output
    en = CliRunner().invoke(main, ["compare", str(a), str(b), "--lang", "en"]).output
    assert "Causes of the change" in en and "Sebab" not in en
    html = (out / "compare.html").read_text(encoding="utf-8")
    assert 'lang="id"' in html and "Posts that changed hands" in html
    book = openpyxl.load_workbook(out / "compare.xlsx")
    assert book.sheetnames == ["Ringkasan", "Sebab", "Per OPD", "Berganti pemegang", "Pegawai"]
    assert isinstance(book["Ringkasan"]["B2"].value, int)
    assert openpyxl.load_workbook(out / "compare-en.xlsx").sheetnames[0] == "Summary"
    doc = json.loads(CliRunner().invoke(main, ["compare", str(a), str(b), "--json"]).output)
    assert doc["filled"]["a"] > doc["filled"]["b"]


def test_a_chain_round_against_a_plain_one(tmp_path: Path) -> None:
    """Posts a chain freed and refilled were held in the plain run, not empty; the headline
    counts the round's vacancies only."""
    write_tables(synthesize(employees=300, vacancies=14, seed=8), tmp_path / "data")
    for name, chains in (("plain", "false"), ("chains", "true")):
        (tmp_path / f"{name}.toml").write_text(
            f'name = "{name}"\ndata = "data"\nseed = 3\n\n[chains]\nenabled = {chains}\n',
            encoding="utf-8",
        )
        execute(tmp_path / f"{name}.toml", tmp_path / name, quiet=True, audit=False)
    moves = pd.read_csv(tmp_path / "chains" / "placements.csv", dtype=str, keep_default_na=False)
    freed = set(moves["from_post"]) - {""}
    refilled = freed & set(moves["vacancy_id"])
    assert refilled, "the example must refill a freed post"
    d = compare_runs(tmp_path / "plain", tmp_path / "chains")
    assert d.filled_b == len(moves) - len(refilled)
    held = [c for c in d.changed if c["vacancy_id"] in refilled]
    assert {c["cause_code"] for c in held} == {"HELD_REFILLED"}
    assert all(c["employee_a"] is None for c in held)
