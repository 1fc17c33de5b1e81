"""The occupied posts table (peta jabatan): generated, read back, checked, found by its
Indonesian names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from merit.cli import main
from merit.errors import Problem
from merit.io.read import load, validate
from merit.io.write import write_csv, write_tables
from merit.synth import synthesize
from merit.synth.people import ALLOWANCE, COMPETENCY_CODES

STRUCTURAL = {"pengawas", "administrator", "jpt_pratama"}


@pytest.fixture(scope="module")
def city() -> dict[str, pd.DataFrame]:
    return synthesize(employees=300, vacancies=10, seed=5)


@pytest.fixture(scope="module")
def every() -> dict[str, pd.DataFrame]:
    return synthesize(employees=300, vacancies=10, seed=5, all_posts=True)


def text_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in folder.glob("*.csv")}


def write_text(t: dict[str, pd.DataFrame], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in t.items():
        write_csv(df, folder / f"{name}.csv")


def test_generated_posts_read_back_with_one_holder_each(
    city: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    write_tables(city, tmp_path / "d")
    m = load(tmp_path / "d").merit
    emp, posts = m.employees, m.posts
    holders = emp[emp["current_post_id"].notna()]
    # exactly the structural holders hold a post, and each post is held once
    levels = set(holders["position_level"].astype(str))
    assert {"pengawas", "administrator"} <= levels <= STRUCTURAL
    assert holders["current_post_id"].is_unique
    assert sorted(posts["vacancy_id"]) == sorted(holders["current_post_id"])
    assert len(posts) == (emp["position_level"].astype(str).isin(STRUCTURAL)).sum() > 20
    assert not set(posts["vacancy_id"]) & set(m.vacancies["vacancy_id"])
    p = posts.merge(holders, left_on="vacancy_id", right_on="current_post_id", suffixes=("", "_h"))
    assert (p["unit"] == p["unit_h"]).all()
    assert (p["position_level"].astype(str) == p["position_level_h"].astype(str)).all()
    assert (p["allowance"] == p["current_allowance"]).all()  # a stay costs nothing
    assert (p["allowance"] == p["position_level"].astype(str).map(ALLOWANCE)).all()
    assert (p["superior_id"].fillna("") != p["employee_id"]).all()  # nobody is their own boss
    # each unit's head post has no superior; its other posts answer to that head
    unit_of = emp.set_index("employee_id")["unit"]
    boss = p.dropna(subset=["superior_id"])
    assert (boss["superior_id"].map(unit_of) == boss["unit"]).all()
    assert boss["superior_id"].isin(holders["employee_id"]).all()
    assert (p.groupby("unit")["superior_id"].apply(lambda s: s.isna().sum()) == 1).all()
    assert len(boss) > 0
    # structural titles are unique within a unit
    assert not posts.duplicated(["title", "unit"]).any()
    # every post has the full standard, at its level's base or one above
    std = m.standards[m.standards["vacancy_id"].isin(posts["vacancy_id"])]
    assert len(std) == len(posts) * len(COMPETENCY_CODES)
    base = {"pengawas": 2, "administrator": 3, "jpt_pratama": 4}
    lvl = std.merge(posts[["vacancy_id", "position_level"]], on="vacancy_id")
    bump = lvl["required_level"] - lvl["position_level"].astype(str).map(base)
    assert set(bump) == {0, 1}


def test_posts_leave_every_other_generated_row_as_it_was(city: dict[str, pd.DataFrame]) -> None:
    """The posts come from their own random stream: the standards of the vacancies are the
    ones drawn before posts existed (two of them pinned here as the earlier generator drew
    them for this seed)."""
    std = city["standards"]
    vac = std[std["vacancy_id"].str.startswith("VAC-")]
    assert len(vac) == 10 * len(COMPETENCY_CODES)
    assert std["vacancy_id"].str.startswith(("VAC-", "POS-")).all()
    levels = vac.groupby("vacancy_id")["required_level"].agg(list)
    assert levels["VAC-0001"] == [3] * 9 and levels["VAC-0007"] == [2, 2, 3, 2, 2, 2, 2, 2, 2]


def test_all_posts_gives_every_employee_one_post(
    city: dict[str, pd.DataFrame], every: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    emp = every["employees"]
    assert emp["current_post_id"].notna().all() and emp["current_post_id"].is_unique
    assert emp["current_post_id"].str.fullmatch(r"POS-\d{5}").all()
    assert sorted(every["posts"]["vacancy_id"]) == sorted(emp["current_post_id"])
    # nothing else about any employee changes, nor any table but the posts and standards
    pd.testing.assert_frame_equal(
        emp.drop(columns="current_post_id"), city["employees"].drop(columns="current_post_id")
    )
    held = city["employees"]["current_post_id"].notna()
    assert (emp["current_post_id"][held] == city["employees"]["current_post_id"][held]).all()
    for table in city:
        if table not in ("employees", "posts", "standards"):
            pd.testing.assert_frame_equal(every[table], city[table], obj=table)
    # the structural posts and their standards are the same with or without the others
    for table in ("posts", "standards"):
        both = every[table].merge(city[table], how="inner")
        assert len(both) == len(city[table]), table
    jf = every["posts"][every["posts"]["position_level"].astype(str).str.startswith("jf_")]
    assert (jf["title"].str.split().str[0].str.lower() == jf["jf_family"].str.split().str[0]).all()
    assert jf["education_fields"].notna().all()
    write_tables(every, tmp_path / "d")
    assert validate(tmp_path / "d") == []


def test_synth_all_posts_on_the_command_line(tmp_path: Path) -> None:
    for flag, folder in (([], "some"), (["--all-posts"], "all")):
        args = ["synth", "--employees", "200", "--vacancies", "6", "--seed", "3"]
        r = CliRunner().invoke(main, [*args, *flag, "--out", str(tmp_path / folder)])
        assert r.exit_code == 0, r.output
    some = text_tables(tmp_path / "some")
    every = text_tables(tmp_path / "all")
    assert len(every["posts"]) == 200 and "200 occupied posts" in r.output
    assert 0 < len(some["posts"]) < 60
    r = CliRunner().invoke(main, ["validate", str(tmp_path / "all"), "--lang", "en"])
    assert r.exit_code == 0 and "200 occupied posts" in r.output
    assert "posts.csv (posts)" in r.output


def _one(problems: list[Problem], file: str) -> Problem:
    found = [p for p in problems if p.file.endswith(file)]
    assert len(found) == 1, [p.render() for p in problems]
    return found[0]


def test_a_post_also_listed_as_a_vacancy(city: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    write_tables(city, tmp_path / "clean")
    t = text_tables(tmp_path / "clean")
    post = t["posts"].iloc[[3]]
    t["vacancies"] = pd.concat([t["vacancies"], post], ignore_index=True)
    write_text(t, tmp_path / "bad")
    p = _one(validate(tmp_path / "bad"), "posts.csv")
    pid = post["vacancy_id"].iloc[0]
    assert (p.row, p.column, p.value, p.code) == (5, "vacancy_id", pid, "REFERENCE")
    assert "also in vacancies" in p.message and "juga ada di lowongan" in p.message_id


def test_a_post_nobody_holds(city: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    write_tables(city, tmp_path / "clean")
    t = text_tables(tmp_path / "clean")
    orphan = t["posts"].iloc[[0]].assign(vacancy_id="POS-99999")
    t["posts"] = pd.concat([t["posts"], orphan], ignore_index=True)
    write_text(t, tmp_path / "bad")
    p = _one(validate(tmp_path / "bad"), "posts.csv")
    assert (p.row, p.column, p.value) == (len(t["posts"]) + 1, "vacancy_id", "POS-99999")
    assert "has 0 holders" in p.message


def test_a_post_two_people_hold(city: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    write_tables(city, tmp_path / "clean")
    t = text_tables(tmp_path / "clean")
    emp = t["employees"]
    free = emp.index[emp["current_post_id"] == ""][0]
    target = t["posts"]["vacancy_id"].iloc[7]
    emp.loc[free, "current_post_id"] = target
    write_text(t, tmp_path / "bad")
    p = _one(validate(tmp_path / "bad"), "posts.csv")
    assert (p.row, p.column, p.value) == (9, "vacancy_id", target)
    assert "has 2 holders" in p.message and "dipegang 2 pegawai" in p.message_id


def test_a_standard_for_an_unknown_post(city: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    write_tables(city, tmp_path / "clean")
    t = text_tables(tmp_path / "clean")
    std = t["standards"]
    row = std.iloc[[0]].assign(vacancy_id="POS-77777")
    t["standards"] = pd.concat([std, row], ignore_index=True)
    write_text(t, tmp_path / "bad")
    p = _one(validate(tmp_path / "bad"), "standards.csv")
    assert (p.row, p.column, p.value, p.code) == (
        len(std) + 2,
        "vacancy_id",
        "POS-77777",
        "REFERENCE",
    )
    assert "vacancies or posts" in p.message + p.expected


@pytest.mark.parametrize("name", ["peta_jabatan", "jabatan_terisi", "jabatan"])
def test_posts_under_indonesian_names_and_headers(
    city: dict[str, pd.DataFrame], tmp_path: Path, name: str
) -> None:
    write_tables(city, tmp_path / "plain")
    t = text_tables(tmp_path / "plain")
    t[name] = t.pop("posts").rename(
        columns={
            "vacancy_id": "ID_JABATAN",
            "title": "NAMA_JABATAN",
            "unit": "UNIT_KERJA",
            "position_level": "JENIS_JABATAN",
            "allowance": "TUNJANGAN_JABATAN",
            "superior_id": "NIP_ATASAN",
            "unit_head_id": "NIP_KEPALA_UNIT",
        }
    )
    write_text(t, tmp_path / name)
    a, b = load(tmp_path / "plain").merit.posts, load(tmp_path / name).merit.posts
    assert len(b) == len(city["posts"]) > 0
    pd.testing.assert_frame_equal(a, b)


def test_a_posts_file_that_cannot_be_used_is_reported_once(
    city: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    """Unreadable, or without its id column: one problem, not one per post or per standard
    naming a post (nor, when the employees cannot be read, a holder count per post)."""
    write_tables(city, tmp_path / "clean")
    t = text_tables(tmp_path / "clean")
    write_text({**t, "posts": t["posts"].drop(columns="vacancy_id")}, tmp_path / "no_id")
    [p] = validate(tmp_path / "no_id")
    assert (p.file.endswith("posts.csv"), p.column, p.code) == (
        True,
        "vacancy_id",
        "MISSING_COLUMN",
    )
    for name in ("posts", "employees"):
        write_text(t, tmp_path / name)
        f = tmp_path / name / f"{name}.csv"
        f.write_bytes(f.read_text(encoding="utf-8").replace("Dinas", "Dinás").encode("cp1252"))
        [p] = validate(tmp_path / name)
        assert p.file.endswith(f"{name}.csv") and "Windows-1252" in p.message
    posts = t["posts"].copy()
    posts.loc[4, "vacancy_id"] = ""
    write_text({**t, "posts": posts}, tmp_path / "empty")
    problems = validate(tmp_path / "empty")
    assert [(p.row, p.code) for p in problems if p.file.endswith("posts.csv")] == [(6, "EMPTY")]
    assert "None" not in " ".join(p.message for p in problems)
