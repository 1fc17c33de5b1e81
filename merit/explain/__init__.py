"""``merit explain``: why a vacancy went to its appointee, and why not me, in Indonesian or
English, from the run folder and its audit (never the solver)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd

from merit.audit.context import open_run
from merit.audit.sayings import outcome_counts, sentence
from merit.eligibility import RULES, check_pairs
from merit.errors import MeritError, RunFolderError
from merit.explain.chains import employee_chain, kept_by, kept_post, vacancy_chain
from merit.explain.run import Run
from merit.explain.words import f4, pick, w

Doc = dict[str, Any]
#: Eligible posts listed for an unplaced person (best ranks first).
POSTS_SHOWN = 10
_RULES = {r.code: r for r in RULES}


def _rule(code: str, lang: str, fact: str = "") -> str:
    r = _RULES.get(code)
    if r is None:
        return code
    said = f": {fact}" if fact else ""
    return f"{code} {r.name_id if lang == 'id' else r.name_en}{said} [{_cite(r, lang)}]"


def _cite(r: Any, lang: str) -> str:
    """A rule's citation in the reader's language (a registry rule or an audit.json entry)."""
    if isinstance(r, dict):
        return str(r.get("citation_en") or r["citation"]) if lang == "en" else str(r["citation"])
    return str(r.citation_en if lang == "en" else r.citation)


def _cf(run: Run, c: Doc, lang: str) -> str:
    if not c["reachable"]:
        block = run.blocked.get(f"{c['vacancy_id']} {c['employee_id']}")
        return sentence(block, lang, run.posts) if block else w("cf_inf", lang)
    if c["margin"] == 0:
        return w("cf_tie", lang)
    text = w("cf_rise", lang, m=f4(c["margin"], lang))
    gap = c.get("competency_gap")
    if gap:
        plan = ", ".join(f"{k} +{v}" for k, v in gap["plan"].items())
        text += f" ({w('gap', lang)}: {plan})"
    return text


def _placement(run: Run, e: Doc, lang: str) -> list[str]:
    n = "name_id" if lang == "id" else "name_en"
    lines = [
        run.post(e["vacancy_id"]),
        f"  {w('placed_in', lang)}: {e['employee_id']}; {w('score', lang)} "
        f"{f4(e['merit_score'], lang)} ({w('rank', lang)} {e['rank_in_vacancy']})",
        f"  {w('breakdown', lang)}:",
    ]
    for c in e["components"]:
        value = f4(c["value"], lang) if c.get("assessed", True) else w("unassessed", lang)
        lines.append(
            f"    {c[n]:<42} {value:>9} x {f4(c['weight'], lang)} = "
            f"{f4(c['contribution'], lang):>8}"
        )
    lines.append(f"  {w('rules', lang)}:")
    for r in e["rules_passed"]:
        fact = ""
        if r.get("fact_id") and r.get("fact_en"):
            fact = f": {pick(r, 'fact', lang)}"
        lines.append(f"    {r['code']:<18} {r[n]}{fact} [{_cite(r, lang)}]")
    return lines


def _above(run: Run, vacancy_id: str, lang: str) -> list[str]:
    a = run.above(vacancy_id)
    if not a["entries"]:
        return [f"  {w('nobody_above', lang)}"]
    lines = [f"  {w('above', lang)}:"]
    for e in a["entries"]:
        lines.append(
            f"    {e['employee_id']} {f4(e['merit_score'], lang)} ({w('rank', lang)} "
            f"{e['rank']}): {sentence(e, lang, run.posts)}"
        )
    if a["total"] > len(a["entries"]):
        counts = outcome_counts(a.get("outcomes", {}), lang)
        lines.append(f"    {w('all_of', lang, n=a['total'])}: {counts}")
    return lines


def _shortlist(j: Doc, lang: str) -> list[str]:
    """A JPT post: open selection, the ranked names for the committee, and the basis."""
    basis = j["basis"] if lang == "id" else j["basis_en"]
    lines = [
        f"{j['vacancy_id']} {j['title']} — {j['unit']}",
        f"  {w('open_selection', lang)} [{basis}]",
        f"  {w('shortlist', lang, n=j['size'])}:",
    ]
    lines += [
        f"    {n['rank']}. {n['employee_id']} ({w('score', lang)} {f4(n['merit_score'], lang)})"
        for n in j["names"]
    ]
    if not j["names"]:
        lines.append(f"    {w('shortlist_empty', lang)}")
    return lines


def _unfilled_lines(run: Run, u: Doc, vacancy_id: str, lang: str) -> list[str]:
    """An unfilled post: its reason, the chain that freed it, what kept it empty."""
    lines = [run.post(vacancy_id), f"  {w('unfilled', lang)}: {pick(u, 'reason', lang)}"]
    lines += vacancy_chain(run, vacancy_id, lang)
    why = run.audit.get("unfilled_why", {}).get(vacancy_id)
    for b in (why or {}).get("binding", []):
        lines.append(
            f"  {w('binding', lang)}: {sentence(b, lang, run.posts)} ({b['candidates']} "
            f"{w('held', lang)})"
        )
    near = (why or {}).get("nearest")
    if near:
        lines.append(
            f"  {w('nearest', lang)}: {near['employee_id']} "
            f"({w('score', lang)} {f4(near['merit_score'], lang)}): "
            f"{sentence(near, lang, run.posts)}"
        )
    for m in u.get("nearest", []):
        rules = "; ".join(_rule(c, lang) for c in m["failed_rules"])
        lines.append(f"  {w('nearest', lang)}: {m['employee_id']}: {w('fails', lang)} {rules}")
    return lines


def explain_vacancy(folder: Path, vacancy_id: str, lang: str = "id") -> str:
    """Who got the post and why; everyone who scored at least as high and what happened to
    them; or, unfilled, the binding constraint and the nearest candidate."""
    run = Run.open(folder)
    cfs = [c for c in run.audit["counterfactuals"] if c["vacancy_id"] == vacancy_id]
    e = run.holder.get(vacancy_id)
    jpt = next((j for j in run.audit.get("shortlists", []) if j["vacancy_id"] == vacancy_id), None)
    if jpt is not None:
        return "\n".join(_shortlist(jpt, lang))
    if e is not None:
        lines = _placement(run, e, lang) + vacancy_chain(run, vacancy_id, lang)
        lines += _above(run, vacancy_id, lang)
    else:
        u = next((u for u in run.audit["unfilled"] if u["vacancy_id"] == vacancy_id), None)
        kept = kept_post(run, vacancy_id, lang) if u is None else None
        if kept is not None:  # a held post its holder kept: who could have taken it
            lines = kept
        elif u is None:
            raise RunFolderError(
                f"vacancy {vacancy_id} is not in this run; check the id in placements.csv or "
                "unfilled.csv"
            )
        else:
            lines = _unfilled_lines(run, u, vacancy_id, lang)
    if cfs:
        lines.append(f"  {w('next', lang)}:")
        lines += [
            f"    {c['employee_id']} {f4(c['merit_score'], lang)}: {_cf(run, c, lang)}" for c in cfs
        ]
    return "\n".join(lines)


def _why_not_here(run: Run, vacancy_id: str, employee_id: str, score: float, lang: str) -> str:
    """Why an eligible person did not get ``vacancy_id``, in one sentence with its numbers."""
    entry = run.above_entry(vacancy_id, employee_id)
    if entry is not None:
        return sentence(entry, lang, run.posts)
    holder = run.holder.get(vacancy_id)
    if holder is not None and score >= holder["merit_score"]:  # above, beyond the listed ones
        placed = run.placement_of(employee_id)
        if placed is not None:
            return w("placed_in", lang) + " " + run.post(placed["vacancy_id"])
        counts = outcome_counts(run.above(vacancy_id).get("outcomes", {}), lang)
        return w("above_unlisted", lang, counts=counts)
    if holder is None and vacancy_id in run.kept:
        return kept_by(run, vacancy_id, lang)
    if holder is None:
        why = run.audit.get("unfilled_why", {}).get(vacancy_id) or {}
        binding = "; ".join(sentence(b, lang, run.posts) for b in why.get("binding", []))
        return w("vac_unfilled", lang) + (f": {binding}" if binding else "")
    text = w("lower", lang, d=f4(holder["merit_score"] - score, lang))
    c = run.cf(vacancy_id, employee_id)
    return text + (f"; {_cf(run, c, lang)}" if c else "")


def _compare(run: Run, vacancy_id: str, row: pd.Series, lang: str) -> list[str]:
    """Component by component: this person against the appointee, weighted."""
    holder = run.holder.get(vacancy_id)
    if holder is None:
        return []
    lines = [
        f"  {w('compare', lang)} ({holder['employee_id']}):",
        f"    {w('component', lang):<42} {w('theirs', lang):>14} {w('appointee', lang):>16} "
        f"{w('effect', lang):>18}",
    ]
    for c in holder["components"]:
        if c["code"] not in row.index:
            continue
        mine = float(row[c["code"]])
        effect = (mine - c["value"]) * c["weight"]
        name = c["name_id"] if lang == "id" else c["name_en"]
        lines.append(
            f"    {name:<42} {f4(mine, lang):>14} {f4(c['value'], lang):>16} "
            f"{('+' if effect >= 0 else '') + f4(effect, lang):>18}"
        )
    return lines


def _pair_facts(run: Run, vacancy_id: str, employee_id: str, lang: str) -> dict[str, str]:
    """Each rule's facts for one pair ("masa jabatan 1,8 tahun; minimal 2,0 tahun"), from the
    run's data re-read and the rules; empty when that data is gone or has changed since."""
    try:
        ctx = open_run(run.folder)
    except MeritError:
        return {}
    recorded = {i["file"]: i["sha256"] for i in ctx.manifest["data"]["inputs"]}
    if ctx.dataset.input_hashes() != recorded:
        return {}
    emp = pd.Index(ctx.merit.employees["employee_id"].astype(str)).get_indexer([employee_id])
    vac = pd.Index(ctx.merit.vacancies["vacancy_id"].astype(str)).get_indexer([vacancy_id])
    if emp[0] < 0 or vac[0] < 0:
        return {}
    res = check_pairs(ctx.merit, ctx.scenario, emp, vac)
    out = {}
    for r in RULES:
        prefix = f"{r.code}:"
        facts = {c[len(prefix) :]: res[c].iloc[0] for c in res.columns if c.startswith(prefix)}
        if facts:
            out[r.code] = r.fact(facts, lang)
    return out


def explain_pair(folder: Path, vacancy_id: str, employee_id: str, lang: str = "id") -> str:
    """Why this person did or did not get this post."""
    run = Run.open(folder)
    if vacancy_id not in run.posts:
        raise RunFolderError(f"vacancy {vacancy_id} is not in this run")
    e = run.holder.get(vacancy_id)
    if e is not None and e["employee_id"] == employee_id:
        return "\n".join(_placement(run, e, lang))
    head = [run.post(vacancy_id), f"  {w('employee', lang)}: {employee_id}"]
    elig = run.eligible(employee_id)
    mine = elig[elig["vacancy_id"] == vacancy_id]
    if len(mine):
        r = mine.iloc[0]
        head.append(
            f"  {w('score', lang)} {f4(r['merit_score'], lang)} ({w('rank', lang)} "
            f"{int(r['rank'])})"
        )
        head.append(
            f"  {w('why', lang)}: "
            + _why_not_here(run, vacancy_id, employee_id, float(r["merit_score"]), lang)
        )
        placed = run.placement_of(employee_id)
        if placed is not None and placed["vacancy_id"] != vacancy_id:
            head.append(f"  {w('placed_in', lang)}: {run.post(placed['vacancy_id'])}")
        return "\n".join(head + _compare(run, vacancy_id, r, lang))
    failed = run.failed(employee_id)
    if vacancy_id in failed:
        head.append(f"  {w('not_eligible_here', lang)}:")
        facts = _pair_facts(run, vacancy_id, employee_id, lang)
        head += [f"    {_rule(c, lang, facts.get(c, ''))}" for c in failed[vacancy_id]]
        return "\n".join(head)
    if not run.has_rule_detail:
        head.append(f"  {w('not_eligible_here', lang)}: {w('no_rules_detail', lang)}")
        return "\n".join(head)
    raise RunFolderError(
        f"employee {employee_id} is not in this run's data (neither in rankings.csv nor in "
        "eligibility.csv); check the NIP"
    )


def explain_employee(folder: Path, employee_id: str, lang: str = "id") -> str:
    """Placed (where and why), or eligible but not placed (each post: rank and what stopped
    them), or not eligible (the rules failed, on how many posts)."""
    run = Run.open(folder)
    lines = [f"{w('employee', lang)} {employee_id}"]
    placed = run.placement_of(employee_id)
    chain = employee_chain(run, employee_id, lang)
    if placed is not None:
        lines += _placement(run, placed, lang)
    elif not chain:
        lines.append(w("not_placed", lang))
    lines += chain
    elig = run.eligible(employee_id)
    others = elig[~elig["placed"]]
    failed = run.failed(employee_id)
    if elig.empty and not failed and run.has_rule_detail:
        raise RunFolderError(
            f"employee {employee_id} is not in this run's data (neither in rankings.csv nor in "
            "eligibility.csv); check the NIP"
        )
    if len(others):
        lines.append(f"{w('eligible_for', lang, n=len(elig))}:")
        for r in others.head(POSTS_SHOWN).itertuples():
            score = float(r.merit_score)
            lines.append(
                f"  {run.post(r.vacancy_id)}: {w('score', lang)} {f4(score, lang)}, "
                f"{w('rank', lang)} {int(r.rank)}"
            )
            lines.append(
                f"    {w('why', lang)}: "
                + _why_not_here(run, str(r.vacancy_id), employee_id, score, lang)
            )
        if len(others) > POSTS_SHOWN:
            lines.append(f"  {w('more', lang, n=len(others) - POSTS_SHOWN)}")
    if failed:
        by_rule: dict[str, list[str]] = defaultdict(list)
        for vid, codes in sorted(failed.items()):
            for c in codes:
                by_rule[c].append(vid)
        lines.append(f"{w('ineligible_for', lang, n=len(failed))}:")
        for code, vids in sorted(by_rule.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            eg = ", ".join(vids[:3])
            lines.append(
                f"  {_rule(code, lang)} — {w('on_posts', lang, n=len(vids))} ({w('eg', lang)} {eg})"
            )
    elif not run.has_rule_detail and placed is None:
        lines.append(w("no_rules_detail", lang))
    return "\n".join(lines)


__all__ = ["explain_employee", "explain_pair", "explain_vacancy"]
