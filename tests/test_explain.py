"""`merit explain`: why, and why not, for every employee, every vacancy and any pair."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from merit.audit.sayings import sentence
from merit.cli import main
from merit.errors import RunFolderError
from merit.execute import execute
from merit.explain import explain_employee, explain_pair, explain_vacancy
from merit.io.write import write_tables
from merit.synth import synthesize

IDS = {"vacancy_id": str, "employee_id": str}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("explain")
    write_tables(synthesize(employees=800, vacancies=25, seed=8), root / "data")
    (root / "s.toml").write_text(
        'name = "explain-test"\ndata = "data"\nseed = 3\n\n[constraints]\nmax_moves_per_unit = 1\n',
        encoding="utf-8",
    )
    execute(root / "s.toml", root / "run", quiet=True)
    return root / "run"


def test_every_employee_in_the_data_is_explained(run: Path) -> None:
    employees = pd.read_csv(run.parent / "data" / "employees.csv", dtype=str)["employee_id"]
    rankings = pd.read_csv(run / "rankings.csv", dtype=IDS)
    placed = set(rankings.loc[rankings["placed"], "employee_id"])
    eligible = set(rankings["employee_id"])
    kinds = {"placed": 0, "eligible": 0, "ineligible": 0}
    for nip in employees:
        text = explain_employee(run, nip, "id")
        en = explain_employee(run, nip, "en")
        if nip in placed:
            kinds["placed"] += 1
            assert "Ditempatkan di" in text and "Placed in" in en
        elif nip in eligible:
            kinds["eligible"] += 1
            assert "Tidak ditempatkan." in text and "Memenuhi syarat untuk" in text
            assert "Mengapa:" in text and "Why:" in en
        else:
            kinds["ineligible"] += 1
            assert "Tidak memenuhi syarat untuk" in text and "Not eligible for" in en
            assert "ELIG-" in text or "SCN-" in text
    assert all(kinds.values()), kinds  # the fixture has all three kinds of people


def test_a_pair_says_why_or_why_not(run: Path) -> None:
    rankings = pd.read_csv(run / "rankings.csv", dtype=IDS)
    failed = pd.read_csv(run / "eligibility.csv", dtype=IDS)
    p = rankings[rankings["placed"]].iloc[0]
    assert "Rincian skor" in explain_pair(run, p["vacancy_id"], p["employee_id"])
    loser = rankings[~rankings["placed"]].iloc[0]
    text = explain_pair(run, loser["vacancy_id"], loser["employee_id"], "en")
    assert "Why:" in text
    if loser["vacancy_id"] in set(rankings.loc[rankings["placed"], "vacancy_id"]):
        assert "Compared with the appointee" in text
    f = failed.iloc[0]
    text = explain_pair(run, f["vacancy_id"], f["employee_id"])
    assert "Tidak memenuhi syarat untuk jabatan ini" in text
    for code in f["rules"].split(";"):
        assert code in text


def test_vacancies_name_what_happened_to_those_above_and_what_kept_posts_empty(run: Path) -> None:
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    posts = {e["vacancy_id"]: (e["title"], e["unit"]) for e in audit["explanations"]}
    posts |= {u["vacancy_id"]: (u["title"], u["unit"]) for u in audit["unfilled"]}
    for e in audit["explanations"]:
        text = explain_vacancy(run, e["vacancy_id"], "en")
        for a in audit["ranked_above"][e["vacancy_id"]]["entries"]:
            assert f"{a['employee_id']} " in text and sentence(a, "en", posts) in text
    codes = {
        w["code"] for r in audit["ranked_above"].values() for a in r["entries"] for w in a["why"]
    }
    assert "MOVES_CAP" in codes  # max one move out per unit binds in this fixture
    for u in audit["unfilled"]:
        text = explain_vacancy(run, u["vacancy_id"], "id")
        why = audit["unfilled_why"].get(u["vacancy_id"])
        if why and why["binding"]:
            assert "Batasan yang mengikat" in text
            assert sentence(why["binding"][0], "id", posts) in text


def test_ties_and_unreachable_are_said_in_words(run: Path) -> None:
    audit = json.loads((run / "audit.json").read_text(encoding="utf-8"))
    for c in audit["counterfactuals"]:
        if c["reachable"] and c["margin"] != 0:
            continue
        text = explain_vacancy(run, c["vacancy_id"], "en")
        line = next(x for x in text.splitlines() if x.strip().startswith(c["employee_id"]))
        assert "∞" not in line and "0.0000" not in line
        assert "tie" in line or "cannot be won" in line or "placed in" in line or "moves" in line


def test_unknown_ids_are_errors(run: Path) -> None:
    with pytest.raises(RunFolderError, match="not in this run"):
        explain_employee(run, "000000000000000000")
    with pytest.raises(RunFolderError, match="not in this run"):
        explain_vacancy(run, "VAC-9999")
    result = CliRunner().invoke(main, ["explain", str(run)])
    assert result.exit_code == 2 and "--employee NIP" in result.output


def test_cli_explains_a_pair(run: Path) -> None:
    r = pd.read_csv(run / "rankings.csv", dtype=IDS).iloc[1]
    result = CliRunner().invoke(
        main,
        ["explain", str(run), "--vacancy", r["vacancy_id"], "--employee", r["employee_id"]],
    )
    assert result.exit_code == 0, result.output
    assert r["vacancy_id"] in result.output
