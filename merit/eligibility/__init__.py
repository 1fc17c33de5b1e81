"""Eligibility: which (candidate, vacancy) pairs pass every rule of the registry.

Small runs evaluate every pair and list each failed pair with its rule codes. Large runs never
build the full product: vacancies are grouped by their requirement values, the candidate-side
rules pre-select candidates once per group, and each pair rule is checked only at its
suspects (the few pairs where it can fail) among the survivors, so the work beyond writing the
eligible pairs grows with the employees and the suspects. Both paths share the rule functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from merit.dataset import MeritData
from merit.domain.scenario import Scenario
from merit.eligibility import rules as _rules  # noqa: F401  (registers the rules)
from merit.eligibility.prepare import Pairs, Prepared, position_defaults
from merit.eligibility.registry import RULES, Rule, group_columns, rule_codes

#: Above this many candidate x vacancy pairs, failures are counted per (vacancy, rule).
DETAIL_LIMIT = 1_000_000
#: Requirement values nearly unique per post: rules reading them are checked per post, on
#: the candidates who pass the other candidate-side rules.
FINE_VALUES = frozenset({"standard"})


@dataclass(frozen=True, eq=False)
class EligibilityResult:
    """Eligible arcs as rows of ``data.employees`` (``emp``) and ``data.vacancies`` (``vac``),
    sorted by vacancy then in the requested employee order, and the failures (pairs, or
    counts at scale)."""

    emp: np.ndarray
    vac: np.ndarray
    failures: pd.DataFrame
    detail: bool


def active_rules(scenario: Scenario) -> list[Rule]:
    off = set(scenario.eligibility.disabled_rules)
    unknown = off - set(rule_codes())
    if unknown:
        from merit.errors import ScenarioError

        raise ScenarioError(
            f"eligibility.disabled_rules names unknown rules {sorted(unknown)}; "
            f"known rules: {', '.join(rule_codes())}"
        )
    return [r for r in RULES if r.code not in off]


def _evaluate(prep: Prepared, rules: list[Rule], e: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Boolean matrix pairs x rules (True = passes)."""
    pairs = Pairs(prep, e, v)
    out = np.ones((len(e), len(rules)), dtype=bool)
    for j, r in enumerate(rules):
        out[:, j] = r.check(_as_seen_by(pairs, r))[0]
    return out


def _as_seen_by(pairs: Pairs, r: Rule) -> Pairs:
    """The pairs as rule ``r`` may read them: a candidate-side rule only its declared values."""
    return pairs.for_rule(r.reads if r.candidate_side else None)


def check_pairs(
    data: MeritData, scenario: Scenario, emp_idx: np.ndarray, vac_idx: np.ndarray
) -> pd.DataFrame:
    """One boolean column per rule code and the facts each rule used, for the given pairs."""
    prep = Prepared(data, scenario)
    pairs = Pairs(prep, np.asarray(emp_idx, dtype=np.int64), np.asarray(vac_idx, dtype=np.int64))
    cols: dict[str, np.ndarray] = {}
    for r in active_rules(scenario):
        ok, facts = r.check(_as_seen_by(pairs, r))
        cols[r.code] = ok
        for name, values in facts.items():
            cols[f"{r.code}:{name}"] = values
    return pd.DataFrame(cols)


def _detail(prep: Prepared, rules: list[Rule], order: np.ndarray) -> EligibilityResult:
    n_e, n_v = len(prep.data.employees), len(prep.data.vacancies)
    v = np.repeat(np.arange(n_v, dtype=np.int64), n_e)
    e = np.tile(order, n_v)
    ok = _evaluate(prep, rules, e, v)
    good = ok.all(axis=1)
    bad = np.flatnonzero(~good)
    codes = np.array([r.code for r in rules], dtype=object)
    # the failed rules of a pair as one integer; join the codes once per distinct pattern
    pattern = (~ok[bad]).astype(np.int64) @ (np.int64(1) << np.arange(len(rules), dtype=np.int64))
    uniques, inverse = np.unique(pattern, return_inverse=True)
    names = np.array(
        [";".join(codes[(int(u) >> np.arange(len(rules))) & 1 == 1]) for u in uniques],
        dtype=object,
    )
    failures = pd.DataFrame({"emp": e[bad], "vac": v[bad], "rules": names[inverse.reshape(-1)]})
    return EligibilityResult(e[good], v[good], failures, True)


def _suspects(prep: Prepared, r: Rule) -> tuple[np.ndarray, np.ndarray]:
    """A pair rule's suspects, each pair once, sorted by vacancy then employee row."""
    assert r.suspects is not None  # the registry requires them of every pair rule
    e, v = r.suspects(prep)
    n_e = max(len(prep.data.employees), 1)
    key = np.unique(np.asarray(v, dtype=np.int64) * n_e + np.asarray(e, dtype=np.int64))
    return key % n_e, key // n_e


def _candidates(
    prep: Prepared, rules: list[Rule], every: np.ndarray, row: int
) -> tuple[np.ndarray, list[int]]:
    """Whether each employee row passes every candidate-side rule at vacancy ``row`` (in row
    order, so the gathers are sequential), and each rule's failure count."""
    pairs = Pairs(prep, every, np.full(len(every), row, dtype=np.int64))
    passed = np.ones(len(every), dtype=bool)
    fails = []
    for r in rules:
        ok = r.check(_as_seen_by(pairs, r))[0]
        fails.append(len(every) - int(np.count_nonzero(ok)))
        passed &= ok
    return passed, fails


def _groups(frame: pd.DataFrame, columns: list[str]) -> list[np.ndarray]:
    """The rows of ``frame`` grouped by equal values of ``columns`` (all rows when none)."""
    if not columns:
        return [frame.index.to_numpy(np.int64)]
    return [g.index.to_numpy(np.int64) for _, g in frame.groupby(columns, sort=True)]


def _scaled(prep: Prepared, rules: list[Rule], order: np.ndarray) -> EligibilityResult:
    cand_rules = [r for r in rules if r.candidate_side]
    pair_rules = [r for r in rules if not r.candidate_side]
    # Candidate-side rules depend on a vacancy only through the values they declare. Rules
    # that read a value nearly unique per post (its competency standard) are "fine": they are
    # checked per sub-group, and only for the candidates who pass every other candidate rule
    # (so their failures are counted among those candidates).
    fine = [r for r in cand_rules if set(r.reads) & FINE_VALUES]
    coarse = [r for r in cand_rules if r not in fine]
    coarse_cols, fine_cols = group_columns(coarse), group_columns(fine)
    req = prep.v_req[sorted(set(coarse_cols) | set(fine_cols))].astype(str)
    n_e, n_v = len(prep.data.employees), len(prep.data.vacancies)
    every = np.arange(n_e, dtype=np.int64)
    suspects = [_suspects(prep, r) for r in pair_rules]
    # vacancy row -> (its group's candidates as int32 rows in ``order``, sorted unique
    # positions in them that a pair rule drops)
    none = np.zeros(0, dtype=np.int64)
    segments: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    count_v, count_rule, count_n = [], [], []  # failures per (vacancy, rule)
    subgroups = []
    for outer in _groups(req, coarse_cols):
        passed_coarse, fails_coarse = _candidates(prep, coarse, every, int(outer[0]))
        survivors = every[passed_coarse]
        for inner in _groups(req.loc[outer], fine_cols):
            passed = passed_coarse.copy()
            count = dict(zip([r.code for r in coarse], fails_coarse, strict=True))
            if fine:
                ok, fails_fine = _candidates(prep, fine, survivors, int(inner[0]))
                passed[survivors[~ok]] = False
                count.update(zip([r.code for r in fine], fails_fine, strict=True))
            subgroups.append((inner, passed, [count[r.code] for r in cand_rules]))
    for rows, passed, fails in subgroups:
        keep = order[passed[order]].astype(np.int32)
        position = np.full(n_e, -1, dtype=np.int64)  # place in ``keep``, -1 when not kept
        position[keep] = np.arange(len(keep))
        in_group = np.zeros(n_v, dtype=bool)
        in_group[rows] = True
        # a pair rule can fail only at its suspects: check those among rows x keep
        drop_e, drop_v = [], []
        for r, (se, sv) in zip(pair_rules, suspects, strict=True):
            at = (position[se] >= 0) & in_group[sv]
            se, sv = se[at], sv[at]
            bad = ~r.check(Pairs(prep, se, sv))[0]
            per_v = np.bincount(sv[bad], minlength=n_v)
            hit = np.flatnonzero(per_v)
            count_v.append(hit)
            count_rule.append(np.full(len(hit), r.code, dtype=object))
            count_n.append(per_v[hit])
            drop_e.append(se[bad])
            drop_v.append(sv[bad])
        for x in rows.tolist():
            segments[x] = (keep, none)
        dropped_v = np.concatenate(drop_v) if drop_v else none
        by_v = np.argsort(dropped_v, kind="stable")
        dropped_e = (np.concatenate(drop_e) if drop_e else none)[by_v]
        dropped_v = dropped_v[by_v]
        starts = np.flatnonzero(np.diff(dropped_v, prepend=-1))
        for es, x in zip(np.split(dropped_e, starts)[1:], dropped_v[starts].tolist(), strict=True):
            segments[x] = (keep, np.unique(position[es]))
        failing = [(r.code, f) for r, f in zip(cand_rules, fails, strict=True) if f]
        count_v.append(np.repeat(rows, len(failing)))
        count_rule.append(np.array([c for c, _ in failing] * len(rows), dtype=object))
        count_n.append(np.array([f for _, f in failing] * len(rows), dtype=np.int64))
    # Vacancy by vacancy, each in the employee order given: no sort of all the pairs.
    sizes = [len(segments[v][0]) - len(segments[v][1]) if v in segments else 0 for v in range(n_v)]
    emp = np.empty(sum(sizes), dtype=np.int32)  # half the memory of 150M pairs
    vac = np.empty(len(emp), dtype=np.int64)
    at = 0
    for v in range(n_v):
        keep, drops = segments.pop(v, (none, none))
        vac[at : at + sizes[v]] = v
        lo = 0  # copy ``keep`` without the dropped positions, piece by piece
        for d in drops.tolist():
            emp[at : at + d - lo] = keep[lo:d]
            at += d - lo
            lo = d + 1
        emp[at : at + len(keep) - lo] = keep[lo:]
        at += len(keep) - lo
    n_counts = sum(len(x) for x in count_v)
    failures = (
        pd.DataFrame(
            {
                "vac": np.concatenate(count_v).astype(np.int64),
                "rule": np.concatenate(count_rule),
                "failures": np.concatenate(count_n).astype(np.int64),
            }
        )
        if n_counts
        else pd.DataFrame([], columns=["vac", "rule", "failures"])
    )
    failures.insert(0, "vacancy_id", prep.v_id[failures["vac"].to_numpy(np.int64)])
    failures = (
        failures.drop(columns="vac").sort_values(["vacancy_id", "rule"]).reset_index(drop=True)
    )
    return EligibilityResult(emp, vac, failures, False)


def rules_table(lang: str = "id") -> list[dict[str, str]]:
    """Every registered rule as text in one language: code, name, statement, citation."""
    en = lang == "en"
    return [
        {
            "code": r.code,
            "name": r.name_en if en else r.name_id,
            "statement": r.statement_en if en else r.statement_id,
            "citation": r.citation_en if en else r.citation,
        }
        for r in RULES
    ]


def assess_eligibility(
    data: MeritData,
    scenario: Scenario,
    *,
    vacancy_ids: Sequence[str] | None = None,
    detail: bool | None = None,
    employee_order: np.ndarray | None = None,
) -> EligibilityResult:
    """Eligible arcs of the run and why the other pairs fail.

    Arcs are sorted by vacancy, then by ``employee_order`` (a permutation of the employee
    rows; row order when not given), so a caller can have them in its own candidate order.
    """
    if vacancy_ids is not None:
        from merit.dataset import select_vacancies

        sel = scenario.model_copy(
            update={
                "vacancies": scenario.vacancies.model_copy(update={"include": tuple(vacancy_ids)})
            }
        )
        data = select_vacancies(data, sel)
    prep = Prepared(data, scenario)
    rules = active_rules(scenario)
    n_pairs = len(data.employees) * len(data.vacancies)
    order = (
        np.arange(len(data.employees), dtype=np.int64)
        if employee_order is None
        else np.asarray(employee_order, dtype=np.int64)
    )
    if detail if detail is not None else n_pairs <= DETAIL_LIMIT:
        return _detail(prep, rules, order)
    return _scaled(prep, rules, order)


__all__ = [
    "RULES",
    "EligibilityResult",
    "Rule",
    "assess_eligibility",
    "check_pairs",
    "position_defaults",
    "rule_codes",
    "rules_table",
]
