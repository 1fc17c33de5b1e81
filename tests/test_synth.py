"""The synthetic city is deterministic, valid, realistic, and the bundled demo is its output."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from merit.cli import main
from merit.io.read import load
from merit.synth import PRIORITY_SERVICE_UNITS, synthesize
from merit.synth.places import ALL_UNITS, KELURAHAN

ROOT = Path(__file__).resolve().parents[1]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_csv_and_xlsx(tmp_path: Path) -> None:
    for fmt, a, b in (("csv", "a", "b"), ("xlsx", "a.xlsx", "b.xlsx")):
        for out in (a, b):
            r = CliRunner().invoke(
                main,
                [
                    "synth",
                    "--employees",
                    "150",
                    "--vacancies",
                    "8",
                    "--seed",
                    "9",
                    "--out",
                    str(tmp_path / out),
                    "--format",
                    fmt,
                ],
            )
            assert r.exit_code == 0, r.output
        if fmt == "csv":
            assert files(tmp_path / a) == files(tmp_path / b)
        else:
            assert (tmp_path / a).read_bytes() == (tmp_path / b).read_bytes()
    other = synthesize(150, 8, 10)["employees"]
    assert not other.equals(synthesize(150, 8, 9)["employees"])


def test_bundled_demo_is_the_generator_output(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, ["synth", "--seed", "2026", "--out", str(tmp_path / "demo")])
    assert r.exit_code == 0
    assert files(tmp_path / "demo") == files(ROOT / "data" / "demo"), (
        "data/demo is stale: regenerate with `merit synth --seed 2026 --out data/demo`"
    )


def test_demo_is_valid_and_looks_like_kota_kupang() -> None:
    ds = load(ROOT / "data" / "demo")
    emp, vac = ds.merit.employees, ds.merit.vacancies
    assert len(emp) == 3000 and len(vac) == 75
    # the posts its structural officials hold (a chain round may free them), one each
    posts = ds.merit.posts
    assert len(posts) == 438 == emp["current_post_id"].notna().sum()
    assert set(posts["vacancy_id"]) == set(emp["current_post_id"].dropna())
    assert sum(len(v) for v in KELURAHAN.values()) == 51 and len(KELURAHAN) == 6
    assert set(emp["unit"]) <= set(ALL_UNITS) and set(vac["unit"]) <= set(ALL_UNITS)
    assert set(PRIORITY_SERVICE_UNITS) <= set(vac["unit"])
    levels = set(vac["position_level"].astype(str))
    assert {"administrator", "pengawas"} <= levels and any(x.startswith("jf_") for x in levels)
    assert emp["employee_id"].str.fullmatch(r"\d{18}").all()
    pppk = emp["status"] == "PPPK"
    assert emp.loc[pppk, "rank"].isna().all() and emp.loc[~pppk, "rank"].notna().all()
    assert not emp["position_level"].isin(["pengawas", "administrator"])[pppk].any()
    # gender digit of the NIP matches the protected gender (why the solver never sees NIP)
    prot = ds.protected.set_index("employee_id")["gender"]
    digit = emp["employee_id"].str[14].set_axis(emp["employee_id"])
    assert ((digit == "2") == (prot.reindex(digit.index) == "Perempuan")).all()


def test_protected_attributes_are_independent_of_merit() -> None:
    t = synthesize(3000, 10, 4)
    merged = t["employees"].merge(t["protected"], on="employee_id")
    rates = merged.groupby("religion")["position_level"].apply(
        lambda s: s.isin(["pengawas", "administrator"]).mean()
    )
    big = merged["religion"].value_counts()
    rates = rates[big[big > 200].index]
    assert rates.max() - rates.min() < 0.08  # no structural gap by religion beyond noise
    assert isinstance(rates, pd.Series)


def test_synthetic_careers_obey_the_nip_and_the_law() -> None:
    """Every post, rank and earlier post is taken on or after the CPNS TMT that the NIP
    encodes (digits 9-14, YYYYMM) and at 18 or older; a CPNS joined within the last year;
    earlier posts end before the current one begins."""
    tables = synthesize(2000, 20, 11)
    emp, hist = tables["employees"], tables["history"]
    nip = emp["employee_id"].astype(str)
    cpns = pd.to_datetime(nip.str[8:14], format="%Y%m")
    birth = pd.to_datetime(nip.str[:8], format="%Y%m%d")
    assert (birth == emp["birth_date"]).all()
    adult = birth + pd.DateOffset(years=18)
    for column in ("position_since", "rank_since"):
        taken = emp[column]
        assert (taken.isna() | (taken >= cpns)).all(), column
        assert (taken.isna() | (taken >= adult)).all(), column
    recent = cpns >= pd.Timestamp("2025-07-01")  # the NIP keeps the month only
    assert (emp.loc[emp["status"] == "CPNS"].index.isin(emp.index[recent])).all()
    h = hist.merge(emp[["employee_id", "position_since"]], on="employee_id")
    h_cpns = pd.to_datetime(h["employee_id"].str[8:14], format="%Y%m")
    assert (h["start"] >= h_cpns).all() and (h["end"] < h["position_since"]).all()
    assert len(hist) > len(emp) // 3
    assert (
        set(emp["legal_standing"]) >= {"Aktif"} and (emp["legal_standing"] == "Aktif").mean() > 0.9
    )
