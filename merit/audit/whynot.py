"""Why not me: who ranked above each appointee and what happened to them, what kept each
unfilled post empty, and the decree annex's rows (without names).

Every fact is re-derived from the placement, the scenario's constraints and the input data;
each sentence carries its numbers, in Indonesian and English.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from merit.audit.context import Derived, RunContext
from merit.blinding import TIEBREAK_LAYOUT, vacancy_tiers
from merit.domain.enums import Golongan

#: At most this many people ranked above an appointee are listed per vacancy.
ABOVE_LIMIT = 50

_KEY_NAMES = {
    "rank": ("golongan", "golongan"),
    "months_in_rank": ("masa golongan (bulan)", "time in golongan (months)"),
    "education_grade": ("jenjang pendidikan", "education level"),
    "keyed_hash": (
        "undian berkunci yang ditetapkan skenario",
        "the keyed lottery fixed by the scenario",
    ),
}


def num(x: float, digits: int, lang: str) -> str:
    """One number format per language: 1.234,56 (id) and 1,234.56 (en)."""
    text = f"{x:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "id" else text


def _both(fmt_id: str, fmt_en: str, **values: Any) -> dict[str, str]:
    """Fill both sentences; a float value is written in each language's number format."""

    def fill(fmt: str, lang: str) -> str:
        return fmt.format(
            **{
                k: num(v, 4, lang)
                if isinstance(v, float)
                else (num(v, 0, lang) if isinstance(v, int) else v)
                for k, v in values.items()
            }
        )

    return {"text_id": fill(fmt_id, "id"), "text_en": fill(fmt_en, "en")}


class _State:
    """The placement's use of the side constraints, and the facts to test one more move."""

    def __init__(self, ctx: RunContext) -> None:
        self.c = ctx.scenario.constraints
        emp = ctx.merit.employees
        self.unit = dict(zip(emp["employee_id"], emp["unit"].astype(str), strict=True))
        self.freed = dict(
            zip(
                emp["employee_id"], emp["current_allowance"].fillna(0).astype(np.int64), strict=True
            )
        )
        vac = ctx.merit.vacancies
        self.cost = dict(
            zip(vac["vacancy_id"], vac["allowance"].fillna(0).astype(np.int64), strict=True)
        )
        p = ctx.placements
        self.moves = Counter(self.unit[e] for e in p["employee_id"])
        self.used = int(
            sum(self.cost[v] for v in p["vacancy_id"])
            - sum(self.freed[e] for e in p["employee_id"])
        )
        self.pinned = {(q.vacancy, q.employee) for q in self.c.pinned}

    def blockers(self, vid: str, eid: str, instead: str | None) -> list[dict[str, Any]]:
        """What stops moving ``eid`` into ``vid`` (replacing ``instead``, if any), with numbers."""
        out: list[dict[str, Any]] = []
        if instead is not None and (vid, instead) in self.pinned:
            out.append(
                {
                    "code": "PINNED",
                    **_both(
                        "jabatan ini ditetapkan skenario untuk pegawai yang ditempatkan",
                        "the scenario pins this post to the appointee",
                    ),
                }
            )
        limit = self.c.max_moves_per_unit
        unit = self.unit[eid]
        same = instead is not None and self.unit[instead] == unit
        if limit is not None and not same and self.moves[unit] >= limit:
            out.append(
                {
                    "code": "MOVES_CAP",
                    "unit": unit,
                    "used": self.moves[unit],
                    "limit": limit,
                    **_both(
                        "{unit}: {used} dari {limit} mutasi keluar sudah terpakai "
                        "(batas per unit, kebijakan skenario)",
                        "{unit}: {used} of {limit} moves out already used "
                        "(limit per unit, scenario policy)",
                        unit=unit,
                        used=self.moves[unit],
                        limit=limit,
                    ),
                }
            )
        if self.c.budget is not None:
            delta = (
                self.freed[instead] - self.freed[eid]
                if instead is not None
                else self.cost[vid] - self.freed[eid]
            )
            if self.used + delta > self.c.budget:
                out.append(
                    {
                        "code": "BUDGET",
                        "used": self.used,
                        "budget": self.c.budget,
                        "added": int(delta),
                        **_both(
                            "anggaran tunjangan: {used} dari {budget} terpakai; perpindahan ini "
                            "menambah {added} sehingga melebihi anggaran",
                            "allowance budget: {used} of {budget} used; this move adds "
                            "{added}, over the budget",
                            used=self.used,
                            budget=int(self.c.budget),
                            added=int(delta),
                        ),
                    }
                )
        return out


def _key_fields(key: int) -> dict[str, int]:
    out = {}
    for name, bits in reversed(TIEBREAK_LAYOUT):
        out[name] = key & ((1 << bits) - 1)
        key >>= bits
    return out


def _tie(
    ctx: RunContext, mine: int, theirs: int, me: str, them: str, emp: pd.DataFrame
) -> dict[str, Any]:
    a, b = _key_fields(mine), _key_fields(theirs)
    name = next((n for n, _ in TIEBREAK_LAYOUT if a[n] != b[n]), "keyed_hash")
    shown = {
        "rank": lambda e: str(emp.at[e, "rank"]),
        "education_grade": lambda e: str(emp.at[e, "education_level"]),
    }
    if name in shown:
        va, vb = shown[name](me), shown[name](them)
    else:
        va, vb = str(a[name]), str(b[name])
    kid, ken = _KEY_NAMES[name]
    return {
        "code": "TIE_BREAK",
        "key": name,
        **_both(
            "skor sama; kalah pada pemecah seri: {kid} ({vb} lawan {va} milik yang ditempatkan)",
            "same score; lost on the tie-break: {ken} ({vb} against the appointee's {va})",
            kid=kid,
            ken=ken,
            va=va,
            vb=vb,
        ),
    }


def ranked_above(
    ctx: RunContext, d: Derived, order: pd.DataFrame, margins: dict[tuple[str, str], float]
) -> dict[str, dict[str, Any]]:
    """Per filled vacancy: everyone with a merit score at least the appointee's, and where each
    went, what stopped them (with its numbers), or which tie-break key they lost on."""
    state = _State(ctx)
    emp = ctx.merit.employees.set_index("employee_id")
    vac = ctx.merit.vacancies.set_index("vacancy_id")
    p = ctx.placements
    holder = dict(zip(p["vacancy_id"], p["employee_id"], strict=True))
    where = dict(zip(p["employee_id"], p["vacancy_id"], strict=True))
    score_at = dict(
        zip(
            zip(order["vacancy_id"], order["employee_id"], strict=True),
            order["merit_score"],
            strict=True,
        )
    )
    out: dict[str, dict[str, Any]] = {}
    for vid, g in order.groupby("vacancy_id", sort=True):
        a = holder.get(vid)
        if a is None:
            continue
        me = g[g["employee_id"] == a]
        if me.empty:
            continue
        m = me.iloc[0]
        rows = g[(g["score_int"] >= m["score_int"]) & (g["employee_id"] != a)]
        listed = []
        for r in rows.head(ABOVE_LIMIT).itertuples():
            entry: dict[str, Any] = {
                "employee_id": r.employee_id,
                "merit_score": round(float(r.merit_score), 4),
                "rank": int(r.rank),
            }
            if r.employee_id in where:
                w = where[r.employee_id]
                there = round(float(score_at.get((w, r.employee_id), float("nan"))), 4)
                entry.update(
                    code="PLACED_ELSEWHERE",
                    vacancy_id=w,
                    title=str(vac.at[w, "title"]),
                    unit=str(vac.at[w, "unit"]),
                    score_there=there,
                    **_both(
                        "ditempatkan di {w} {title}, {unit} (skor di sana {s})",
                        "placed in {w} {title}, {unit} (score there {s})",
                        w=w,
                        title=str(vac.at[w, "title"]),
                        unit=str(vac.at[w, "unit"]),
                        s=there,
                    ),
                )
            elif r.score_int == m["score_int"] and r.rank > m["rank"]:
                entry.update(_tie(ctx, int(m["tiebreak"]), int(r.tiebreak), a, r.employee_id, emp))
            else:
                stops = state.blockers(vid, r.employee_id, a)
                if stops:
                    entry.update(code=stops[0]["code"], constraints=stops)
                    entry["text_id"] = "; ".join(s["text_id"] for s in stops)
                    entry["text_en"] = "; ".join(s["text_en"] for s in stops)
                else:
                    gap = margins.get((vid, r.employee_id))
                    entry.update(
                        code="CHAIN",
                        **(
                            _both(
                                "tidak ada satu batasan pun; menempatkannya di sini menurunkan "
                                "total kota {g} poin lewat rangkaian perpindahan lain",
                                "no single constraint; placing them here lowers the city's total "
                                "by {g} points through a chain of other moves",
                                g=gap,
                            )
                            if gap is not None
                            else _both(
                                "tidak ada satu batasan pun; penempatannya di sini memerlukan "
                                "rangkaian perpindahan lain yang menurunkan total",
                                "no single constraint; placing them here needs a chain of other "
                                "moves that lowers the total",
                            )
                        ),
                    )
            listed.append(entry)
        out[str(vid)] = {"total": len(rows), "entries": listed}
    return out


def unfilled_why(ctx: RunContext, d: Derived, order: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Per unfilled vacancy with eligible candidates: the binding constraint (how many
    candidates it stopped, with its numbers) and the nearest candidate and what stopped them."""
    state = _State(ctx)
    vac = ctx.merit.vacancies.set_index("vacancy_id")
    where = dict(zip(ctx.placements["employee_id"], ctx.placements["vacancy_id"], strict=True))
    out: dict[str, dict[str, Any]] = {}
    for vid in ctx.unfilled["vacancy_id"]:
        g = order[order["vacancy_id"] == vid]
        if g.empty:
            continue
        blocked: Counter[str] = Counter()
        example: dict[str, dict[str, Any]] = {}
        elsewhere = 0
        nearest: dict[str, Any] | None = None
        for r in g.itertuples():
            entry: dict[str, Any] = {
                "employee_id": r.employee_id,
                "merit_score": round(float(r.merit_score), 4),
                "rank": int(r.rank),
            }
            if r.employee_id in where:
                elsewhere += 1
                w = where[r.employee_id]
                entry.update(
                    code="PLACED_ELSEWHERE",
                    vacancy_id=w,
                    **_both(
                        "ditempatkan di {w} {title}, {unit}",
                        "placed in {w} {title}, {unit}",
                        w=w,
                        title=str(vac.at[w, "title"]),
                        unit=str(vac.at[w, "unit"]),
                    ),
                )
            else:
                stops = state.blockers(str(vid), r.employee_id, None)
                for s in stops:
                    blocked[s["code"]] += 1
                    example.setdefault(s["code"], s)
                entry.update(
                    code=stops[0]["code"] if stops else "CHAIN",
                    text_id="; ".join(s["text_id"] for s in stops)
                    or "tidak ada satu batasan pun; memerlukan rangkaian perpindahan lain",
                    text_en="; ".join(s["text_en"] for s in stops)
                    or "no single constraint; needs a chain of other moves",
                )
            if nearest is None or (
                nearest["code"] == "PLACED_ELSEWHERE" and entry["code"] != "PLACED_ELSEWHERE"
            ):
                nearest = entry  # the best candidate not placed elsewhere, else the best
        binding = [
            {"code": c, "candidates": n, **{k: example[c][k] for k in ("text_id", "text_en")}}
            for c, n in blocked.most_common()
        ]
        out[str(vid)] = {
            "eligible": len(g),
            "placed_elsewhere": elsewhere,
            "binding": binding,
            "nearest": nearest,
        }
    return out


def annex(ctx: RunContext) -> list[dict[str, Any]]:
    """The decree annex's rows (no names): old and new post of each appointee, by OPD."""
    emp = ctx.merit.employees.set_index("employee_id")
    vac = ctx.merit.vacancies.set_index("vacancy_id")
    tiers = dict(
        zip(
            ctx.merit.vacancies["vacancy_id"],
            vacancy_tiers(ctx.merit.vacancies, ctx.scenario).tolist(),
            strict=True,
        )
    )
    names = [t.name for t in ctx.scenario.priority_tiers]
    rows = []
    for r in ctx.placements.itertuples():
        e = emp.loc[r.employee_id]
        gol = "" if pd.isna(e["rank"]) else str(e["rank"])
        tier = tiers[r.vacancy_id]
        post = e.get("current_post_id")
        rows.append(
            {
                "vacancy_id": r.vacancy_id,
                "employee_id": r.employee_id,
                "golongan": gol,
                "pangkat": Golongan(gol).pangkat if gol else "",
                "old_level": "" if pd.isna(e["position_level"]) else str(e["position_level"]),
                "old_post": "" if post is None or pd.isna(post) else str(post),
                "old_unit": str(e["unit"]),
                "new_title": str(vac.at[r.vacancy_id, "title"]),
                "new_unit": str(vac.at[r.vacancy_id, "unit"]),
                "merit_score": round(float(r.merit_score), 4),
                "rank_in_vacancy": int(r.rank_in_vacancy),
                "priority": names[tier] if tier < len(names) else "",
            }
        )
    rows.sort(key=lambda x: (x["new_unit"], x["vacancy_id"]))
    return rows


def unreachable_why(ctx: RunContext, cf: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """For each counterfactual that no score rise can win ("∞"): what stands in the way,
    keyed ``"vacancy_id employee_id"`` (the constraint with its numbers, or where the
    person was placed)."""
    state = _State(ctx)
    p = ctx.placements
    holder = dict(zip(p["vacancy_id"], p["employee_id"], strict=True))
    where = dict(zip(p["employee_id"], p["vacancy_id"], strict=True))
    vac = ctx.merit.vacancies.set_index("vacancy_id")
    out: dict[str, dict[str, str]] = {}
    for c in cf:
        if c["reachable"]:
            continue
        vid, eid = c["vacancy_id"], c["employee_id"]
        if eid in where:
            w = where[eid]
            out[f"{vid} {eid}"] = _both(
                "ditempatkan di {w} {title}, {unit}; memindahkannya ke sini mengosongkan "
                "jabatan yang diprioritaskan atau melanggar batasan",
                "placed in {w} {title}, {unit}; moving them here would leave a prioritised "
                "post empty or break a constraint",
                w=w,
                title=str(vac.at[w, "title"]),
                unit=str(vac.at[w, "unit"]),
            )
            continue
        stops = state.blockers(vid, eid, holder.get(vid))
        if stops:
            out[f"{vid} {eid}"] = {
                "text_id": "; ".join(s["text_id"] for s in stops),
                "text_en": "; ".join(s["text_en"] for s in stops),
            }
    return out
