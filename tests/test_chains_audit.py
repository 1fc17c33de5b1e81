"""The audit, explain and report of a chain round: a real round audits clean, each kind of
tampered chain is named by the audit, and explanations show each chain as its sequence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pandas as pd
import pytest

from merit.audit import AUDIT_FILE, audit
from merit.audit.certificate import Problem, residual
from merit.audit.chains import Link, rebuild
from merit.audit.context import RunContext, derive, open_run
from merit.audit.sayings import chain_end, chain_sequence
from merit.execute import execute
from merit.explain import explain_employee, explain_vacancy
from merit.io.write import write_csv, write_tables
from merit.runfolder import read_manifest, seal, write_manifest
from merit.scoring import score
from merit.synth import synthesize

SCENARIO = """name = "chains-audit-test"
data = "data"
seed = 5

[chains]
enabled = true
move_cost = 0.5
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chains-audit")
    write_tables(synthesize(employees=600, vacancies=25, seed=7), root / "data")
    assert len(pd.read_csv(root / "data" / "posts.csv")) > 0  # merit synth writes the posts
    (root / "scenario.toml").write_text(SCENARIO, encoding="utf-8")
    execute(root / "scenario.toml", root / "run", quiet=True)
    return root / "run"


def _read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(
        folder / name,
        dtype={"vacancy_id": str, "employee_id": str, "from_post": str},
        keep_default_na=False,
        na_values=[""],
    )


def tampered(run: Path, tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    copy = run.parent / f"tampered-{tmp_path.name}"  # beside the run: same relative data path
    shutil.copytree(run, copy)
    return copy, _read(copy, "placements.csv")


def forge(
    folder: Path,
    placements: pd.DataFrame | None = None,
    unfilled: pd.DataFrame | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Write edited tables (and scenario settings) as a careful forger would, re-seal, audit;
    the findings by code."""
    m = read_manifest(folder)
    if placements is not None:
        old = _read(folder, "placements.csv")
        out = placements.copy()
        for c in out.columns:
            if out[c].dtype.kind == "f":
                out[c] = out[c].map(lambda x: f"{x:.4f}")
        write_csv(out, folder / "placements.csv")
        delta = placements["merit_score"].sum() - old["merit_score"].sum()
        m["solver"]["total_score"] = int(m["solver"]["total_score"]) + round(delta * 10_000)
    if unfilled is not None:
        write_csv(unfilled, folder / "unfilled.csv")
    for section, values in (settings or {}).items():
        m["scenario"]["settings"].setdefault(section, {}).update(values)
    write_manifest(folder, m)
    seal(folder)
    by_code: dict[str, list[dict[str, Any]]] = {}
    for f in audit(folder).findings:
        by_code.setdefault(f.code, []).append(f.to_dict())
    return by_code


def _chains(run: Path) -> list[dict[str, Any]]:
    doc = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    chains: list[dict[str, Any]] = doc["chains"]["chains"]
    return chains


def _long(run: Path) -> dict[str, Any]:
    """A chain of at least two moves (the fixture's round has some)."""
    found = [c for c in _chains(run) if len(c["links"]) >= 2]
    assert found, "the round has no chain of two moves; change the example"
    return found[0]


def test_a_chain_round_audits_clean_and_is_certified(run: Path) -> None:
    doc = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    assert doc["ok"], doc["findings"]
    assert doc["optimality"]["certified"]
    assert (
        json.loads((run / "manifest.json").read_text())["solver"]["method"]
        == "min_cost_flow (chains)"
    )
    assert "AUD-CHAINS" in {c["code"] for c in doc["checks"]}
    p = _read(run, "placements.csv")
    assert len(doc["chains"]["chains"]) == p["chain"].nunique()
    assert doc["chains"]["moves"] == len(p)
    assert p["from_post"].notna().any(), "no holder moved; change the example"
    # the annex names the post each mover leaves
    annex = {r["employee_id"]: r for r in doc["annex"]}
    for r in p.itertuples():
        assert annex[r.employee_id]["from_post"] == ("" if pd.isna(r.from_post) else r.from_post)


def test_a_wrong_from_post(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    i = int(np.flatnonzero(p["from_post"].isna().to_numpy())[0])
    p.loc[i, "from_post"] = p["from_post"].dropna().iloc[0]
    found = forge(folder, p)
    assert any(p.loc[i, "employee_id"] == f.get("employee_id") for f in found["AUD-CHAINS"])


def test_a_held_post_refilled_while_its_holder_stays(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    doc = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    kept = next(iter(doc["chains"]["stays"].values()))["post"]
    i = int(np.flatnonzero(p["from_post"].isna().to_numpy())[0])
    p.loc[i, "vacancy_id"] = kept
    found = forge(folder, p)
    assert any(
        f.get("vacancy_id") == kept and "did not move" in f["message_en"]
        for f in found["AUD-CHAINS"]
    ), found


def test_a_freed_post_left_empty_and_not_listed(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    chain = _long(run)
    last = chain["links"][-1]  # refills the post the one before it freed
    drop = (p["employee_id"] == last["employee_id"]).to_numpy()
    found = forge(folder, p[~drop].reset_index(drop=True))
    msgs = [f for f in found["AUD-CHAINS"] if f.get("vacancy_id") == last["vacancy_id"]]
    assert any("FREED_NOT_REFILLED" in f["message_en"] for f in msgs), found
    assert not any("keep_posts_filled" in f["message_en"] for f in msgs)


def test_a_freed_post_left_empty_under_keep_posts_filled(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    last = _long(run)["links"][-1]
    u = _read(folder, "unfilled.csv")
    u = pd.concat(
        [u, pd.DataFrame([{"vacancy_id": last["vacancy_id"], "reason": "FREED_NOT_REFILLED"}])]
    )
    drop = (p["employee_id"] == last["employee_id"]).to_numpy()
    found = forge(
        folder,
        p[~drop].reset_index(drop=True),
        u,
        settings={"constraints": {"keep_posts_filled": True}},
    )
    msgs = [f for f in found["AUD-CHAINS"] if f.get("vacancy_id") == last["vacancy_id"]]
    assert [f for f in msgs if "keep_posts_filled" in f["message_en"]], found
    assert not [f for f in msgs if "does not list" in f["message_en"]]


def test_an_unfilled_row_that_is_no_freed_post(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    u = _read(folder, "unfilled.csv")
    vid = p["vacancy_id"].iloc[0]
    u = pd.concat([u, pd.DataFrame([{"vacancy_id": vid, "reason": "FREED_NOT_REFILLED"}])])
    found = forge(folder, unfilled=u)
    assert any(f.get("vacancy_id") == vid for f in found["AUD-CHAINS"]), found


def test_a_chain_longer_than_max_length(run: Path, tmp_path: Path) -> None:
    folder, _ = tampered(run, tmp_path)
    chain = _long(run)
    found = forge(folder, settings={"chains": {"max_length": len(chain["links"]) - 1}})
    assert any(
        "max_length" in f["message_en"] and f.get("vacancy_id") == chain["links"][0]["vacancy_id"]
        for f in found["AUD-CHAINS"]
    ), found


def test_chain_and_step_columns_that_disagree(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    p.loc[0, "step"] = int(p.loc[0, "step"]) + 1
    found = forge(folder, p)
    assert any(
        f.get("employee_id") == p.loc[0, "employee_id"] and "step" in f["message_en"]
        for f in found["AUD-CHAINS"]
    ), found


def test_more_moves_than_max_moves(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    found = forge(folder, settings={"chains": {"max_moves": len(p) - 1}})
    assert any(f"{len(p)} moves" in f["message_en"] for f in found["AUD-CHAINS"]), found


def test_net_moves_per_unit(run: Path, tmp_path: Path) -> None:
    """Counted net: a unit is over the limit by people moved out less people moved in."""
    folder, p = tampered(run, tmp_path)
    data = run.parent / "data"
    emp = pd.read_csv(data / "employees.csv", dtype=str).set_index("employee_id")["unit"]
    posts = pd.concat(
        [pd.read_csv(data / f"{t}.csv", dtype=str) for t in ("vacancies", "posts")]
    ).set_index("vacancy_id")["unit"]
    net = (
        emp.reindex(p["employee_id"])
        .value_counts()
        .sub(posts.reindex(p["vacancy_id"]).value_counts(), fill_value=0)
    )
    worst = int(net.max())
    assert worst >= 1, "no unit loses people net; change the example"
    found = forge(folder, settings={"constraints": {"max_moves_per_unit": worst - 1}})
    assert any(
        f"{worst} net moves out of {net.idxmax()}" in f["message_en"] for f in found["AUD-CHAINS"]
    ), found
    # gross moves out of that unit exceed its net: the limit at the net passes
    folder2 = run.parent / f"net-{tmp_path.name}"
    shutil.copytree(run, folder2)
    found = forge(folder2, settings={"constraints": {"max_moves_per_unit": worst}})
    assert "AUD-CHAINS" not in found, found


def test_budget_over_all_moves(run: Path, tmp_path: Path) -> None:
    folder, p = tampered(run, tmp_path)
    data = run.parent / "data"
    e = pd.read_csv(data / "employees.csv", dtype=str).set_index("employee_id")
    allowance = (
        pd.concat([pd.read_csv(data / f"{t}.csv", dtype=str) for t in ("vacancies", "posts")])
        .set_index("vacancy_id")["allowance"]
        .fillna(0)
        .astype(int)
    )
    new = allowance.reindex(p["vacancy_id"]).to_numpy()
    left = np.where(
        p["from_post"].notna(),
        allowance.reindex(p["from_post"].fillna("")).fillna(0).to_numpy(),
        e["current_allowance"].reindex(p["employee_id"]).fillna(0).astype(int).to_numpy(),
    )
    cost = int((new - left).sum())
    assert cost >= 1, "the moves cost nothing; change the example"
    found = forge(folder, settings={"constraints": {"budget": cost - 1}})
    assert any(f"{cost:,}" in f["message_en"] for f in found["AUD-CHAINS"]), found
    folder2 = run.parent / f"budget-{tmp_path.name}"
    shutil.copytree(run, folder2)
    found = forge(folder2, settings={"constraints": {"budget": cost}})
    assert "AUD-CHAINS" not in found, found


def test_a_worse_chain_fails_the_certificate(run: Path, tmp_path: Path) -> None:
    """Same fill, lower total: a one-move chain's mover (no post in the round) swapped for a
    lower-scoring eligible person who holds no post and is not placed."""
    folder, p = tampered(run, tmp_path)
    r = _read(run, "rankings.csv")
    data = run.parent / "data"
    e = pd.read_csv(data / "employees.csv", dtype=str).set_index("employee_id")
    held = e["current_post_id"].isin(set(pd.read_csv(data / "posts.csv", dtype=str)["vacancy_id"]))
    for c in _chains(run):
        if len(c["links"]) != 1 or c["links"][0]["from_post"]:
            continue
        k = c["links"][0]
        worse = r[
            (r["vacancy_id"] == k["vacancy_id"])
            & (r["merit_score"] < k["merit_score"])
            & ~r["employee_id"].isin(p["employee_id"])
            & ~r["employee_id"].map(held).fillna(False).astype(bool)
        ]
        if worse.empty:
            continue
        w = worse.iloc[0]
        i = int(np.flatnonzero((p["employee_id"] == k["employee_id"]).to_numpy())[0])
        for col in ["employee_id", "merit_score", "jpm", "performance", "education"]:
            p.loc[i, col] = w[col]
        for col in ["experience", "training", "talent"]:
            p.loc[i, col] = w[col]
        p.loc[i, "rank_in_vacancy"] = int(w["rank"])
        found = forge(folder, p)
        assert any("negative cycle" in f["message_en"] for f in found["AUD-OPTIMAL"]), found
        assert not {"AUD-ELIGIBLE", "AUD-SCORE", "AUD-CHAINS", "AUD-OBJECTIVE"} & set(found)
        return
    pytest.fail("no one-move chain with a worse free candidate; change the example")


def test_the_certificate_keeps_holders_in_a_post() -> None:
    """One held post P (holder H, stay 50 + move cost 1) and a free person N scoring 90 there:
    with H forced to keep a post, H staying is optimal (N cannot take P: H would lose their
    post); the same placement without holders forced is rightly refused."""
    base: dict[str, Any] = {
        "n_cand": 2,
        "n_vac": 1,
        "arc_cand": np.array([1, 0], dtype=np.int64),  # N -> P, H's stay
        "arc_vac": np.array([0, 0], dtype=np.int64),
        "arc_weight": np.array([900_000, 510_000], dtype=np.int64),
        "vac_tier": np.zeros(1, dtype=np.int64),
        "n_tiers": 1,
        "cand_unit": np.zeros(2, dtype=np.int64),
        "max_moves": None,
        "pinned": np.zeros(0, dtype=np.int64),
    }
    stay = np.array([1], dtype=np.int64)
    forced = Problem(**base, forced=np.array([True, False]))
    assert residual(forced, stay).potentials is not None
    assert residual(Problem(**base), stay).potentials is None


def test_explain_shows_the_chain_as_a_sequence(run: Path) -> None:
    chain = _long(run)
    head, second = chain["links"][0], chain["links"][1]
    text = explain_employee(run, second["employee_id"], "id")
    assert f"Rantai {chain['chain']}: " in text
    assert f"{head['employee_id']}: {head['from_post']} -> {head['vacancy_id']} (skor " in text
    assert f"{second['employee_id']}: " in text and f"-> {head['from_post']} (skor " in text
    assert "Rantai berakhir" in text
    en = explain_vacancy(run, head["vacancy_id"], "en")
    assert f"Chain {chain['chain']}: " in en
    assert "The chain ends" in en or "A closed chain" in en
    for k in chain["links"]:
        assert k["employee_id"] in en


def test_explain_a_held_post_its_holder_kept(run: Path) -> None:
    doc = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    eid, stay = next(iter(doc["chains"]["stays"].items()))
    text = explain_vacancy(run, stay["post"], "en")
    assert f"its holder {eid} kept it" in text
    assert "appointee" not in text  # nobody was appointed: the holder kept it
    assert "Kept their own post" in explain_employee(run, eid, "en")


def test_the_report_lists_each_chain(run: Path) -> None:
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "id='chains-section'" in html
    for c in _chains(run):
        assert f"id='chain-{c['chain']}'" in html
    assert "id='chains-summary'" in html


@pytest.fixture(scope="module")
def capped(run: Path) -> Path:
    """The same round with chains of one move only: the relaxation breaks it, CP-SAT solves."""
    root = run.parent
    text = SCENARIO.replace("move_cost = 0.5", "move_cost = 0.5\nmax_length = 1")
    (root / "capped.toml").write_text(text, encoding="utf-8")
    execute(root / "capped.toml", root / "capped", quiet=True)
    return root / "capped"


def test_cp_sat_chains_are_checked_by_their_bounds(capped: Path, tmp_path: Path) -> None:
    m = read_manifest(capped)
    assert m["solver"]["method"] == "cp_sat (chains)"
    doc = json.loads((capped / AUDIT_FILE).read_text(encoding="utf-8"))
    assert doc["ok"], doc["findings"]
    assert doc["optimality"]["certified"] and "CP-SAT" in doc["optimality"]["method"]
    assert all(len(c["links"]) == 1 for c in doc["chains"]["chains"])
    folder, _ = tampered(capped, tmp_path)
    m = read_manifest(folder)
    m["solver"]["stage_bounds"][1] = int(m["solver"]["stage_bounds"][1]) + 1
    write_manifest(folder, m)
    seal(folder)
    assert "AUD-OPTIMAL" in {f.code for f in audit(folder).findings}


def test_a_round_too_large_for_cp_sat_is_cut_and_audited_as_not_proven(
    run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the CP-SAT limit the relaxation's too-long chains are cut: the audit passes,
    certifies nothing, and refuses a manifest that calls such a placement proven."""
    import merit.solver

    monkeypatch.setattr(merit.solver, "CPSAT_CHAIN_ARCS", 0)
    root = run.parent
    text = SCENARIO.replace("move_cost = 0.5", "move_cost = 0.5\nmax_length = 1")
    (tmp_path / "cut.toml").write_text(text.replace('data = "data"', f'data = "{root / "data"}"'))
    result = execute(tmp_path / "cut.toml", tmp_path / "cut", quiet=True)
    assert "chains cut" in result.solution.method and not result.proven_optimal
    doc = json.loads((tmp_path / "cut" / AUDIT_FILE).read_text(encoding="utf-8"))
    assert doc["ok"], doc["findings"]
    assert not doc["optimality"]["certified"] and doc["optimality"]["method"].startswith("none")
    assert all(len(c["links"]) == 1 for c in doc["chains"]["chains"])
    m = read_manifest(tmp_path / "cut")
    m["solver"]["status"] = "OPTIMAL"
    write_manifest(tmp_path / "cut", m)
    seal(tmp_path / "cut")
    assert "AUD-OPTIMAL" in {f.code for f in audit(tmp_path / "cut").findings}


def test_chains_rebuilt_from_from_post_links() -> None:
    """A chain to a mover without a post, a freed post left empty, and a rotation: numbered
    by head vacancy, rotations last from their lowest post, each with why it ends."""

    def link(e: str, f: str, v: str, s: float) -> Link:
        return Link(e, f, v, s, None, None)

    moves = [
        link("D", "P3", "P2", 80.0),  # rotation P2 <- P3 <- P2
        link("B", "", "P1", 70.0),
        link("E", "P4", "V2", 75.0),  # P4 left empty
        link("A", "P1", "V1", 90.0),
        link("C", "P2", "P3", 85.0),
    ]
    ctx = cast(RunContext, SimpleNamespace(held_posts=frozenset({"P1", "P2", "P3", "P4"})))
    chains = rebuild(ctx, moves)
    got = [(c.number, [k.employee_id for k in c.links], c.end) for c in chains]
    assert got == [
        (1, ["A", "B"], "NO_POST"),
        (2, ["E"], "LEFT_EMPTY"),
        (3, ["D", "C"], "ROTATION"),
    ]
    docs = [c.to_dict(2) for c in chains]
    assert chain_sequence(docs[0], "id") == (
        "Rantai 1: A: P1 -> V1 (skor 90,0000); B: (tanpa jabatan) -> P1 (skor 70,0000)"
    )
    assert docs[0]["at_max_length"] and not docs[1]["at_max_length"]
    assert "max_length, 2 moves" in chain_end(docs[0], "en", 2)
    assert "P4, freed by E, is left empty (FREED_NOT_REFILLED)" in chain_end(docs[1], "en")
    assert "C leaves P2, the post filled at the first step" in chain_end(docs[2], "en")


def test_the_audit_problem_has_every_stay_at_score_plus_move_cost(run: Path) -> None:
    """Each holder's stay is an arc to their own post weighted by their score there plus
    move_cost (0.5 points = 5,000 quanta); holders are forced; eligible arcs keep their
    scores; every held post is a post of the audit's round."""
    ctx = open_run(run)
    d = derive(ctx)
    assert d.homes is not None and d.stay_arc is not None and d.problem.forced is not None
    holders = np.flatnonzero(d.homes >= 0)
    assert len(holders) == len(ctx.held_posts) > 0
    assert (d.problem.forced == (d.homes >= 0)).all()
    stays = d.stay_arc[holders]
    assert (stays >= d.n_arcs).all()
    assert (d.problem.arc_cand[stays] == holders).all()
    assert (d.problem.arc_vac[stays] == d.homes[holders]).all()
    own = score(ctx.merit, ctx.scenario, holders, d.homes[holders])["score_int"].to_numpy()
    assert (d.problem.arc_weight[stays] == own + 5_000).all()
    assert (d.problem.arc_weight[: d.n_arcs] == d.score_int).all()


@pytest.mark.parametrize(
    "extra",
    [
        "max_length = 2\nmax_moves = 12\n\n[constraints]\nkeep_posts_filled = true\n"
        "max_moves_per_unit = 1\n",
        "move_cost = 0.0\n\n[constraints]\nbudget = 5_000_000\n",
    ],
)
def test_rounds_with_every_limit_audit_clean(run: Path, extra: str, tmp_path: Path) -> None:
    """Whichever method solves it, a round under the scenario's limits audits clean, its
    optimality established (certificate or CP-SAT bounds) and every chain within them."""
    root = run.parent
    text = SCENARIO.replace(
        "move_cost = 0.5\n", "" if "move_cost" in extra else "move_cost = 0.5\n"
    )
    scenario = tmp_path / "limits.toml"
    scenario.write_text(
        text.replace('data = "data"', f'data = "{root / "data"}"') + extra, encoding="utf-8"
    )
    execute(scenario, tmp_path / "run", quiet=True)
    doc = json.loads((tmp_path / "run" / AUDIT_FILE).read_text(encoding="utf-8"))
    assert doc["ok"], doc["findings"]
    assert doc["optimality"]["certified"], doc["optimality"]
    assert doc["chains"]["moves"] > 0


def test_a_chain_round_listing_only_the_best_audits_the_same(
    run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At size the run lists each post's best 3 and the placed: a holder's stay is no
    candidate, so it never takes one of those places (nor counts above an appointee)."""
    import merit.eligibility
    import merit.pipeline

    full = json.loads((run / AUDIT_FILE).read_text(encoding="utf-8"))
    monkeypatch.setattr(merit.eligibility, "DETAIL_LIMIT", 0)
    monkeypatch.setattr(merit.pipeline, "RANKINGS_LIMIT", 3)
    out = run.parent / "limited-chains"
    execute(run.parent / "scenario.toml", out, quiet=True, force=True)
    assert read_manifest(out)["rankings_limit"] == 3
    cut = json.loads((out / AUDIT_FILE).read_text(encoding="utf-8"))
    assert cut["ok"], cut["findings"]
    listed = _read(out, "rankings.csv").groupby("vacancy_id").size()
    everyone = _read(run, "rankings.csv").groupby("vacancy_id").size()
    placed = _read(out, "placements.csv").set_index("vacancy_id")["rank_in_vacancy"]
    for vid, n in everyone.items():
        extra = int(placed.get(vid, 0) > 3)
        assert listed.get(vid, 0) == min(n, 3) + extra, vid
    for key in ("explanations", "chains", "ranked_above", "unfilled_why"):
        assert cut[key] == full[key], key
