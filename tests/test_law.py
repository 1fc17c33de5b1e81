"""The demo round obeys the law as an examiner would check it, from the data alone.

Each check below is computed here with pandas from the input tables and the run's outputs,
not with the rule code, so a rule that silently stops working fails these tests too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.execute import execute

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
PLACEMENT = pd.Timestamp("2026-07-01")
#: Equalised grades (PermenPANRB 17/2021): pengawas = JF ahli muda, administrator = ahli madya.
GRADE = {
    "pelaksana": 1,
    "jf_pemula": 1,
    "jf_terampil": 1,
    "jf_mahir": 2,
    "jf_penyelia": 2,
    "jf_ahli_pertama": 2,
    "pengawas": 3,
    "jf_ahli_muda": 3,
    "administrator": 4,
    "jf_ahli_madya": 4,
    "jpt_pratama": 5,
    "jf_ahli_utama": 6,
}
#: PP 11/2017 Pasal 54 ayat (1) huruf d / ayat (2) huruf d: (feeder grade, years).
FEEDER = {"pengawas": (1, 4.0), "administrator": (3, 3.0)}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("law") / "kupang"
    execute(ROOT / "scenarios" / "kupang-2026.toml", out, quiet=True)
    return out


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-./]+", "", text.lower())


@pytest.fixture(scope="module")
def placed(run: Path) -> pd.DataFrame:
    emp = _csv(DEMO / "employees.csv")
    vac = _csv(DEMO / "vacancies.csv")
    p = _csv(run / "placements.csv")
    p = p.merge(vac, on="vacancy_id", suffixes=("", "_post"))
    p = p.merge(emp, on="employee_id", suffixes=("_post", ""))
    assert len(p) == len(_csv(run / "placements.csv")) > 0
    return p


def _years_in_field(employee_id: str, row: pd.Series, feeder: int, duty: str) -> float:
    """Years at ``feeder`` grade or above in ``duty``: the post held now plus riwayat jabatan,
    each earlier post counted only until the current one began."""
    since = pd.Timestamp(row["position_since"])
    total = 0.0
    if GRADE[row["position_level"]] >= feeder and _norm(row["duty_field"]) == _norm(duty):
        total += (PLACEMENT - since).days / 365.25
    hist = _csv(DEMO / "history.csv")
    for h in hist[hist["employee_id"] == employee_id].itertuples():
        if GRADE[h.position_level] >= feeder and _norm(h.duty_field) == _norm(duty):
            end = min(pd.Timestamp(h.end) if h.end else PLACEMENT, since)
            total += max((end - pd.Timestamp(h.start)).days, 0) / 365.25
    return total


def test_no_structural_post_goes_to_someone_without_experience_in_its_field(
    placed: pd.DataFrame,
) -> None:
    structural = placed[placed["position_level_post"].isin(list(FEEDER))]
    assert len(structural) >= 10
    for _, row in structural.iterrows():
        feeder, years = FEEDER[row["position_level_post"]]
        got = _years_in_field(row["employee_id"], row, feeder, row["duty_field_post"])
        assert got >= years, (row["vacancy_id"], row["employee_id"], got)
        assert feeder <= GRADE[row["position_level"]] <= GRADE[row["position_level_post"]]


def test_nobody_is_moved_within_two_years_of_taking_up_the_post(placed: pd.DataFrame) -> None:
    years = (PLACEMENT - pd.to_datetime(placed["position_since"])).dt.days / 365.25
    assert (years >= 2).all(), placed.loc[years < 2, ["vacancy_id", "employee_id"]]


def test_no_cpns_inactive_or_sanctioned_person_is_placed(placed: pd.DataFrame) -> None:
    assert set(placed["status"]) <= {"PNS", "PPPK"}
    assert set(placed["legal_standing"]) == {"Aktif"}
    serving = (placed["sanction"] != "none") & (
        (placed["sanction_until"] == "") | (pd.to_datetime(placed["sanction_until"]) >= PLACEMENT)
    )
    assert not serving.any()
    pppk = placed[placed["status"] == "PPPK"]
    assert pppk["position_level_post"].str.startswith("jf_").all()


def test_jf_posts_go_to_their_family_or_a_lawful_entrant_with_the_certificate(
    placed: pd.DataFrame,
) -> None:
    jf = placed[placed["position_level_post"].str.startswith("jf_")]
    assert len(jf) >= 5
    for _, row in jf.iterrows():
        family = _norm(row["jf_family_post"])
        assert _norm(row["jf_family"]) == family or _norm(row["ukom_jf"]) == family
        if family in {"perawat", "bidan", "dokter", "apoteker"}:
            assert "str" in _norm(row["certificates"])
        if family == "guru":
            assert "sertifikatpendidik" in _norm(row["certificates"])


def test_jpt_posts_yield_a_shortlist_and_no_placement(run: Path) -> None:
    vac = _csv(DEMO / "vacancies.csv")
    jpt = set(vac.loc[vac["position_level"] == "jpt_pratama", "vacancy_id"])
    assert jpt
    short = _csv(run / "shortlists.csv")
    assert set(short["vacancy_id"]) == jpt
    assert short.groupby("vacancy_id").size().le(3).all()
    scores = short["merit_score"].astype(float).tolist()
    assert scores == sorted(scores, reverse=True)
    assert not jpt & set(_csv(run / "placements.csv")["vacancy_id"])


def test_outputs_cite_the_law_never_a_note_to_self(run: Path) -> None:
    texts = [(run / "report.html").read_text(encoding="utf-8")]
    runner = CliRunner()
    vac = _csv(run / "placements.csv")["vacancy_id"].iloc[0]
    emp = _csv(run / "placements.csv")["employee_id"].iloc[0]
    for lang in ("id", "en"):
        for args in (["--vacancy", vac], ["--employee", emp]):
            r = runner.invoke(main, ["explain", str(run), *args, "--lang", lang])
            assert r.exit_code == 0, r.output
            texts.append(r.output)
        r = runner.invoke(main, ["rules", "--lang", lang])
        texts.append(r.output)
    for text in texts:
        assert "verify" not in text.lower().replace("merit verify", "")
        assert "DOMAIN" not in text


def test_readme_lists_every_rule_with_its_citation() -> None:
    """README's rules table is `merit rules --markdown` (both languages), kept in sync."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for lang in ("id", "en"):
        table = CliRunner().invoke(main, ["rules", "--markdown", "--lang", lang]).output.strip()
        assert table in readme, (
            f"README's rules table ({lang}) is stale: paste `merit rules --markdown --lang {lang}`"
        )


def test_the_audit_rejects_a_shortlist_that_is_not_the_best_eligible(
    run: Path, tmp_path: Path
) -> None:
    """AUD-SHORTLIST re-derives each JPT list: a name swapped for someone ineligible, or the
    order reversed, fails the audit."""
    import shutil

    from merit.audit import audit

    for tamper in ("swap", "reverse"):
        copy = tmp_path / tamper / run.name
        shutil.copytree(run, copy)
        short = _csv(copy / "shortlists.csv")
        if tamper == "swap":
            inactive = _csv(DEMO / "employees.csv")
            inactive = inactive.loc[inactive["legal_standing"] != "Aktif", "employee_id"]
            short.loc[0, "employee_id"] = inactive.iloc[0]
        else:
            short["employee_id"] = short["employee_id"].iloc[::-1].to_numpy()
        short.to_csv(copy / "shortlists.csv", index=False)
        report = audit(copy, DEMO)
        assert not report.ok
        assert any(f.code == "AUD-SHORTLIST" for f in report.findings), tamper
