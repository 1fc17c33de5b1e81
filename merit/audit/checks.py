"""The audit's checks: each re-derives one fact and compares it with what the run folder says.

Every check has a stable code and bilingual names; a failed check yields findings that name
the vacancy and employee concerned. ``run_checks`` runs them all, in registry order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from merit.audit import chains as chain_moves
from merit.audit.certificate import fill_is_maximal, max_fill_by_tier, residual
from merit.audit.context import Derived, RunContext, arcs_of, merit_order, placed_rules
from merit.domain.models import ProtectedAttributes
from merit.eligibility import RULES, assess_eligibility
from merit.scoring import COMPONENTS, score_ints
from merit.view import SCORE_SCALE, SolverView

TABLE_FILES = ("placements.csv", "unfilled.csv", "rankings.csv", "eligibility.csv")


@dataclass(frozen=True)
class Finding:
    code: str
    message_en: str
    message_id: str
    vacancy_id: str | None = None
    employee_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Outcome:
    """What the checks found, plus facts later stages reuse (chosen arcs, residual graph)."""

    findings: list[Finding] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    chosen: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    optimality: dict[str, Any] = field(default_factory=dict)
    residual: Any = None
    chains: list[chain_moves.Chain] = field(default_factory=list)
    """A chain round: the chains the audit re-built from the placements."""
    broken: bool = False
    """A chain round whose moves do not form a placement (a post or person used twice, a
    holder left without a post): the certificate does not apply (AUD-CHAINS says why)."""


Check = Callable[[RunContext, Derived, Outcome], list[Finding]]
CHECKS: list[tuple[str, str, str, Check]] = []
#: Checks that only chain rounds run (other runs' audit.json stays as it was).
CHAIN_CHECKS = frozenset({"AUD-CHAINS"})


def check(code: str, name_en: str, name_id: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((code, name_en, name_id, fn))
        return fn

    return register


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@check(
    "AUD-HASHES",
    "Input and output files match the run record",
    "Berkas masukan dan keluaran sesuai catatan proses",
)
def _hashes(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    found = []
    recorded = {i["file"]: i["sha256"] for i in ctx.manifest["data"]["inputs"]}
    now = ctx.dataset.input_hashes()
    for name in sorted(set(recorded) | set(now)):
        if recorded.get(name) != now.get(name):
            found.append(
                Finding(
                    "AUD-HASHES",
                    f"input {name} differs from the one the run used",
                    f"masukan {name} berbeda dari yang dipakai run",
                )
            )
    for name in TABLE_FILES:
        p = ctx.folder / name
        if p.is_file() and ctx.manifest["outputs"].get(name) != _sha(p):
            found.append(
                Finding(
                    "AUD-HASHES", f"{name} was changed after the run", f"{name} diubah setelah run"
                )
            )
    return found


@check(
    "AUD-UNIQUE",
    "No vacancy or person is used twice",
    "Tidak ada jabatan atau pegawai yang dipakai dua kali",
)
def _unique(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    p = ctx.placements
    found = []
    for col, en, idn in (
        ("vacancy_id", "vacancy", "jabatan"),
        ("employee_id", "person", "pegawai"),
    ):
        for x in sorted(p.loc[p[col].duplicated(), col].unique()):
            found.append(
                Finding(
                    "AUD-UNIQUE",
                    f"{en} {x} appears in more than one placement",
                    f"{idn} {x} muncul di lebih dari satu penempatan",
                    **{col: str(x)},
                )
            )
    return found


@check(
    "AUD-ELIGIBLE",
    "Every placed person meets every rule for the post",
    "Setiap pegawai yang ditempatkan memenuhi semua syarat jabatan",
)
def _eligible(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    p = ctx.placements
    known, res = placed_rules(ctx, d)
    found = [
        Finding(
            "AUD-ELIGIBLE",
            f"placement {r.employee_id} -> {r.vacancy_id} names an unknown person or vacancy",
            f"penempatan {r.employee_id} -> {r.vacancy_id} menyebut "
            "pegawai atau jabatan yang tidak ada",
            r.vacancy_id,
            r.employee_id,
        )
        for r in p[~known].itertuples()
    ]
    k = p[known]
    if len(k):
        codes = [r.code for r in RULES if r.code in res.columns]
        fails = ~res[codes].to_numpy(bool)
        rows = list(k.itertuples())
        for i in np.flatnonzero(fails.any(axis=1)).tolist():
            r = rows[i]
            failed = [c for c, bad in zip(codes, fails[i], strict=True) if bad]
            if failed:
                found.append(
                    Finding(
                        "AUD-ELIGIBLE",
                        f"{r.employee_id} is not eligible for {r.vacancy_id}: fails "
                        f"{', '.join(failed)}",
                        f"{r.employee_id} tidak memenuhi syarat "
                        f"{r.vacancy_id}: gagal {', '.join(failed)}",
                        r.vacancy_id,
                        r.employee_id,
                    )
                )
    arc = arcs_of(ctx, d, p)
    out.chosen = np.unique(arc[arc >= 0])
    if d.stay_arc is not None:  # a chain round: every holder who did not move stays
        moved = pd.Index(ctx.merit.employees["employee_id"].astype(str)).isin(
            p["employee_id"].astype(str)
        )
        stays = d.stay_arc[(d.stay_arc >= 0) & ~moved]
        out.chosen = np.unique(np.r_[out.chosen, stays])
    return found


@check(
    "AUD-SCORE",
    "Every score matches the score recomputed from the data",
    "Setiap skor sama dengan skor yang dihitung ulang dari data",
)
def _scores(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    cols = ["merit_score", *[c.code for c in COMPONENTS]]
    arc = arcs_of(ctx, d, ctx.placements)
    here = ctx.placements[arc >= 0].reset_index(drop=True)
    mine = d.frame(arc[arc >= 0])[cols].reset_index(drop=True)
    m = pd.concat([here, mine.add_suffix("_audit")], axis=1)
    found = []
    for r in m.itertuples():
        bad = [
            c for c in cols if round(float(getattr(r, c)), 4) != round(getattr(r, f"{c}_audit"), 4)
        ]
        if bad:
            found.append(
                Finding(
                    "AUD-SCORE",
                    f"{r.vacancy_id}/{r.employee_id}: {', '.join(bad)} in the run "
                    f"differs from the recomputed value (merit_score {r.merit_score} vs "
                    f"{r.merit_score_audit:.4f})",
                    f"{r.vacancy_id}/{r.employee_id}: {', '.join(bad)} "
                    f"berbeda dari hitungan ulang (skor {r.merit_score} vs "
                    f"{r.merit_score_audit:.4f})",
                    r.vacancy_id,
                    r.employee_id,
                )
            )
    return found


@check(
    "AUD-RANKINGS",
    "The rankings list exactly the eligible pairs with their scores",
    "Daftar peringkat memuat tepat semua pasangan yang memenuhi syarat beserta skornya",
)
def _rankings(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    a = ctx.rankings
    arc = arcs_of(ctx, d, a)
    limit = ctx.manifest.get("rankings_limit")
    if limit is None:
        expected = np.arange(d.n_arcs, dtype=np.int64)
    else:  # at scale the run lists the best `limit` per vacancy and the placed
        order = merit_order(ctx, d)
        placed = arcs_of(ctx, d, ctx.placements)
        arcs = order["arc"].to_numpy(np.int64)
        expected = arcs[(order["rank"].to_numpy() <= limit) | np.isin(arcs, placed)]
    audit_score = d.score_int / SCORE_SCALE
    listed = arc >= 0
    # membership by one flag per arc (linear), not by sorting millions of arcs
    is_expected = np.zeros(d.n_arcs, dtype=bool)
    is_expected[expected] = True
    is_listed = np.zeros(d.n_arcs, dtype=bool)
    is_listed[arc[listed]] = True
    wrong = ~listed.copy()
    wrong[listed] = ~is_expected[arc[listed]] | (
        np.round(a["merit_score"].to_numpy(np.float64)[listed], 4)
        != np.round(audit_score[arc[listed]], 4)
    )
    wrong |= pd.Series(arc).duplicated(keep=False).to_numpy() & listed
    missing = np.flatnonzero(is_expected & ~is_listed)  # sorted, each arc once
    bad = pd.concat(
        [
            a.loc[wrong, ["vacancy_id", "employee_id"]],
            d.frame(missing[:50])[["vacancy_id", "employee_id"]],
        ]
    ).sort_values(["vacancy_id", "employee_id"], kind="mergesort")
    return [
        Finding(
            "AUD-RANKINGS",
            f"{r.vacancy_id}/{r.employee_id}: rankings.csv and the rules disagree on this pair",
            f"{r.vacancy_id}/{r.employee_id}: rankings.csv dan "
            "aturan tidak sepakat untuk pasangan ini",
            r.vacancy_id,
            r.employee_id,
        )
        for r in bad.head(50).itertuples()
    ]


@check(
    "AUD-CONSTRAINTS",
    "Every side constraint of the scenario holds",
    "Setiap batasan skenario terpenuhi",
)
def _constraints(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    c = ctx.scenario.constraints
    p = ctx.placements
    found = []
    pairs = set(zip(p["vacancy_id"], p["employee_id"], strict=True))
    for pin in c.pinned:
        if (pin.vacancy, pin.employee) not in pairs:
            found.append(
                Finding(
                    "AUD-CONSTRAINTS",
                    f"pinned {pin.employee} -> {pin.vacancy} is missing",
                    f"penempatan wajib {pin.employee} -> {pin.vacancy} tidak ada",
                    pin.vacancy,
                    pin.employee,
                )
            )
    if ctx.chains:  # moves per unit count net and the budget spans every move: AUD-CHAINS
        return found
    emp = ctx.merit.employees.set_index("employee_id")
    moved = emp.reindex(p["employee_id"])
    if c.max_moves_per_unit is not None:
        per_unit = moved["unit"].value_counts()
        for unit, n in per_unit[per_unit > c.max_moves_per_unit].items():
            found.append(
                Finding(
                    "AUD-CONSTRAINTS",
                    f"{n} moves out of {unit} (limit {c.max_moves_per_unit})",
                    f"{n} mutasi keluar dari {unit} (batas {c.max_moves_per_unit})",
                )
            )
    if c.budget is not None:
        vac = ctx.merit.vacancies.set_index("vacancy_id")
        cost = int(
            vac.reindex(p["vacancy_id"])["allowance"].fillna(0).sum()
            - moved["current_allowance"].fillna(0).sum()
        )
        if cost > c.budget:
            found.append(
                Finding(
                    "AUD-CONSTRAINTS",
                    f"allowance cost {cost:,} exceeds the budget {c.budget:,}",
                    f"biaya tunjangan {cost:,} melebihi anggaran {c.budget:,}",
                )
            )
    return found


@check(
    "AUD-CHAINS",
    "Every chain of moves is whole and within the scenario's limits",
    "Setiap rantai mutasi utuh dan dalam batas skenario",
)
def _chains(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    """A chain round re-built from placements.csv and the data: each from_post is the mover's
    post, no post filled twice, every freed post refilled or listed as FREED_NOT_REFILLED,
    chains within max_length and numbered as documented, max_moves, net moves per unit and
    the allowance over all moves."""
    moves = chain_moves.links(ctx)
    out.chains = chain_moves.rebuild(ctx, moves)
    found = [
        Finding("AUD-CHAINS", en, idn, vid, eid)
        for en, idn, vid, eid in chain_moves.problems(ctx, moves, out.chains)
    ]
    chosen = out.chosen
    per_post = np.bincount(d.problem.arc_vac[chosen], minlength=d.problem.n_vac)
    per_person = np.bincount(d.problem.arc_cand[chosen], minlength=d.problem.n_cand)
    assert d.problem.forced is not None
    out.broken = bool((per_post > 1).any() or (per_person > 1).any()) or bool(
        (d.problem.forced & (per_person == 0)).any()
    )
    return found


def _fill_by_tier(d: Derived, chosen: np.ndarray, run_tiers: bool = True) -> list[int]:
    """Posts filled per tier: by the run's tiers (``fill_tier``), or the problem's."""
    tiers, n = d.problem.vac_tier, d.problem.n_tiers
    if run_tiers and d.fill_tier is not None:
        tiers = d.fill_tier
        n = len(d.scenario.priority_tiers) + 1 if d.scenario.priority_tiers else 1
    return [int(x) for x in np.bincount(tiers[d.problem.arc_vac[chosen]], minlength=n)]


@check(
    "AUD-OBJECTIVE",
    "The recorded objective values match the placement",
    "Nilai tujuan yang dicatat sesuai dengan penempatan",
)
def _objective(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    sol = ctx.manifest["solver"]
    fill = _fill_by_tier(d, out.chosen)
    total = int(d.problem.arc_weight[out.chosen].sum())
    if d.stay_arc is not None:  # a stay's weight carries the move cost; the record does not
        bonus = round(ctx.scenario.chains.move_cost * SCORE_SCALE)
        total -= bonus * int((out.chosen >= d.n_arcs).sum())
    found = []
    if list(sol["filled_by_tier"]) != fill:
        found.append(
            Finding(
                "AUD-OBJECTIVE",
                f"recorded fills per tier {sol['filled_by_tier']} but the placements give {fill}",
                f"jumlah terisi per tingkat "
                f"tercatat {sol['filled_by_tier']} tetapi penempatan memberi {fill}",
            )
        )
    if int(sol["total_score"]) != total:
        found.append(
            Finding(
                "AUD-OBJECTIVE",
                f"recorded total score {sol['total_score']} but the placements give {total}",
                f"total skor tercatat {sol['total_score']} tetapi penempatan memberi {total}",
            )
        )
    return found


@check(
    "AUD-OPTIMAL",
    "No lawful placement fills more posts or has a higher total score",
    "Tidak ada penempatan sah yang mengisi lebih banyak jabatan atau bertotal skor lebih tinggi",
)
def _optimal(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    sc = ctx.scenario
    sol = ctx.manifest["solver"]
    fill = _fill_by_tier(d, out.chosen, run_tiers=False)
    found: list[Finding] = []
    if sc.constraints.budget is not None and sol["method"] == "cp_sat":
        return _budget_bounds(sol, out)
    if ctx.chains and sol["method"].startswith("min_cost_flow (chains;"):
        out.optimality = {"method": CHAIN_CUT, "certified": False}  # no proof is claimed
        return [] if sol["status"] != "OPTIMAL" else [_claimed_proof()]
    if ctx.chains and sol["method"] != "min_cost_flow (chains)":
        return _budget_bounds(sol, out, CHAIN_BOUNDS)
    if out.broken:
        out.optimality = {"method": CHAIN_CERTIFICATE, "certified": False}
        return found
    # a maximum flow per tier prefix: proven by the absence of an augmenting path; only a
    # placement that fails it needs the maximum flows themselves, to say what was possible
    best = fill if fill_is_maximal(d.problem, out.chosen) else max_fill_by_tier(d.problem)
    if fill != best:
        found.append(
            Finding(
                "AUD-OPTIMAL",
                f"posts filled per tier {fill}, but {best} can be filled lawfully: a "
                "fillable vacancy was left empty",
                f"jabatan terisi per tingkat {fill}, padahal "
                f"{best} dapat diisi secara sah: ada jabatan yang bisa diisi tetapi "
                "dibiarkan kosong",
            )
        )
        out.optimality = {"method": "maximum flow per tier prefix (SciPy)", "certified": False}
        return found
    res = residual(d.problem, out.chosen)
    out.residual = res
    if res.potentials is None:
        found.append(
            Finding(
                "AUD-OPTIMAL",
                "a re-assignment among the eligible pairs gives a higher total merit "
                "score (negative cycle in the residual graph: no potentials pass the check)",
                "ada penataan ulang pasangan yang "
                "memenuhi syarat dengan total skor lebih tinggi (siklus negatif pada graf residu)",
            )
        )
    relaxed = (
        " of the problem without the budget, which the placement meets, so it is "
        "optimal with the budget too"
        if sc.constraints.budget is not None and not ctx.chains
        else ""
    )
    if ctx.chains:
        relaxed = CHAIN_CERTIFICATE
    out.optimality = {
        "method": "maximum flow per tier prefix (no augmenting path in the placement's residual "
        "graph) and a dual certificate: node potentials under "
        "which every arc of the residual graph has a non-negative reduced cost, checked arc by "
        "arc in integers on the re-derived data (no negative cycle can then exist)" + relaxed,
        "certified": res.potentials is not None and not found,
        "potentials": {
            "source": "computed by the audit (shortest paths on a pruned graph, grown by the "
            "arcs the check rejected)",
            "rounds": res.rounds,
            "pruned_arcs": res.arcs_used,
            "checked_arcs": len(d.problem.arc_cand),
        },
    }
    return found


@check(
    "AUD-BLIND",
    "The solver's input type has no protected or identifying field",
    "Tipe masukan solver tidak memiliki atribut yang dilindungi atau identitas",
)
def _blind(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    fields = list(ctx.manifest.get("blind_view_fields", []))
    banned = {*ProtectedAttributes.model_fields, "nip", "employee_id", "birth_date", "unit_name"}
    bad = [f for f in fields if any(b in f.lower() for b in banned)]
    if fields != SolverView.field_names():
        bad.append("(recorded fields differ from the solver view type)")
    return [
        Finding(
            "AUD-BLIND",
            f"solver view field {f} could carry identity",
            f"kolom {f} pada masukan solver dapat memuat identitas",
        )
        for f in bad
    ]


@check(
    "AUD-SHORTLIST",
    "Each JPT shortlist names the best eligible candidates, in merit order",
    "Setiap daftar calon JPT memuat kandidat memenuhi syarat terbaik, urut skor merit",
)
def _shortlists(ctx: RunContext, d: Derived, out: Outcome) -> list[Finding]:
    """Re-derived from the rules: every listed person is eligible with the listed score, the
    list is in score order, and nobody eligible and left out scores above the last name (or
    everyone eligible is listed when the list is short)."""
    data, listed = ctx.open_selection, ctx.shortlists
    if not len(data.vacancies):
        return [
            Finding("AUD-SHORTLIST", f"{v} is not a JPT post", f"{v} bukan jabatan JPT", v)
            for v in sorted(set(listed["vacancy_id"]))
        ]
    # the rules' vectorised pass, as derive; the eligible pairs only (no failure table)
    elig = assess_eligibility(data, ctx.scenario, detail=False)
    e, v = np.asarray(elig.emp, dtype=np.int64), np.asarray(elig.vac, dtype=np.int64)
    eligible = pd.DataFrame(
        {
            "vacancy_id": data.vacancies["vacancy_id"].to_numpy(dtype=object)[v],
            "employee_id": data.employees["employee_id"].to_numpy(dtype=object)[e],
            "score_int": score_ints(data, ctx.scenario, e, v),
        }
    )
    size = ctx.scenario.eligibility.jpt_shortlist
    found = []
    by_post = {k: g for k, g in eligible.groupby("vacancy_id", sort=False)}
    lists = {k: g for k, g in listed.groupby("vacancy_id", sort=False)}
    nobody = eligible.iloc[:0]
    for vid in data.vacancies["vacancy_id"]:
        mine = by_post.get(vid, nobody).set_index("employee_id")["score_int"]
        names = lists.get(vid, listed.iloc[:0]).sort_values("rank")
        got = np.rint(names["merit_score"].to_numpy(np.float64) * 10_000).astype(np.int64)
        bad = [x for x in names["employee_id"] if x not in mine.index]
        wrong = [
            x
            for x, g in zip(names["employee_id"], got, strict=True)
            if x in mine.index and mine[x] != g
        ]
        rest = mine.drop(index=[x for x in names["employee_id"] if x in mine.index])
        short = len(names) < min(size, len(mine))
        passed_over = len(names) and len(rest) and rest.max() > got.min()
        if bad or wrong or short or passed_over or (np.diff(got) > 0).any():
            found.append(
                Finding(
                    "AUD-SHORTLIST",
                    f"{vid}: the shortlist is not the best {size} eligible by merit score "
                    f"(ineligible {bad}, wrong score {wrong}, {len(rest)} left out)",
                    f"{vid}: daftar calon bukan {size} kandidat terbaik menurut skor merit "
                    f"(tidak memenuhi syarat {bad}, skor salah {wrong}, {len(rest)} tidak masuk)",
                    vid,
                )
            )
    return found


def run_checks(
    ctx: RunContext, d: Derived, progress: Callable[[str, str], None] | None = None
) -> Outcome:
    out = Outcome()
    for code, name_en, name_id, fn in CHECKS:
        if code in CHAIN_CHECKS and not ctx.chains:
            continue
        if progress is not None:
            progress(f"audit: {code}", name_en)
        found = fn(ctx, d, out)
        out.findings.extend(found)
        out.checks.append(
            {
                "code": code,
                "name_en": name_en,
                "name_id": name_id,
                "passed": not found,
                "findings": len(found),
            }
        )
    return out


BUDGET_BOUNDS = (
    "reported CP-SAT bounds: a binding budget makes the problem a knapsack-like "
    "integer program; the audit checks the bound equals the objective in every stage"
)
CHAIN_BOUNDS = (
    "reported CP-SAT bounds: the chain round's limits (max_length, max_moves, net moves per "
    "unit, budget over all moves) make it an integer program; the audit checks the bound "
    "equals the objective in every stage and re-checks every limit itself (AUD-CHAINS)"
)
CHAIN_CUT = (
    "none: the chain round's limits bind and the round was too large for CP-SAT (or CP-SAT "
    "found nothing in time), so the placement is the min-cost flow's with its too-long chains "
    "cut; the audit re-checks every limit itself (AUD-CHAINS)"
)
CHAIN_CERTIFICATE = (
    " of the chain round without its limits (holders' stays as arcs weighted score + "
    "move_cost, every holder kept in a post: no source arc at a holder; fill counts the posts "
    "held after the round), whose limits the placement meets (AUD-CHAINS), so it is optimal "
    "with them too"
)


def _claimed_proof() -> Finding:
    return Finding(
        "AUD-OPTIMAL",
        "status OPTIMAL, but the placement was cut from a relaxation without a proof",
        "status OPTIMAL, tetapi penempatan dipotong dari relaksasi tanpa bukti",
    )


def _budget_bounds(sol: dict[str, Any], out: Outcome, method: str = BUDGET_BOUNDS) -> list[Finding]:
    """CP-SAT (a binding budget, a chain round's limits): check that its bound equals its
    value in every stage."""
    values, bounds = sol.get("stage_values", []), sol.get("stage_bounds", [])
    proven = (
        sol["status"] == "OPTIMAL"
        and len(values) == len(bounds)
        and all(
            v is not None and b is not None and int(v) == int(b)
            for v, b in zip(values, bounds, strict=True)
        )
    )
    out.optimality = {"method": method, "certified": proven}
    if sol["status"] == "OPTIMAL" and not proven:
        return [
            Finding(
                "AUD-OPTIMAL",
                "status OPTIMAL but a stage bound differs from its value",
                "status OPTIMAL tetapi batas tahap berbeda dari nilainya",
            )
        ]
    return []
