"""A chain round's moves re-built by the audit from ``placements.csv`` and the data alone.

Each placement is a move: its ``from_post`` is the post the mover leaves (empty when they hold
none in the round). A chain starts at a move into a vacant post (a vacancy of the round, not a
held post) and follows the mover's ``from_post`` to whoever moved into it, and so on; it ends
where a mover held no post in the round, or where a freed post was left empty. Moves that
never reach a vacant post close on themselves (a rotation). Numbering, as the run documents
it: chains by their head's vacancy id, then rotations by their lowest post id; step 1 is the
move into the chain's vacant post (a rotation's: into its lowest post).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from merit.audit.context import Derived, RunContext
from merit.domain.results import UnfilledReason
from merit.view import SCORE_SCALE

#: Why a chain is no longer: the last mover held no post in the round; the last freed post was
#: left empty; a rotation (the last mover's post is the first post); a link the audit cannot
#: follow (reported by AUD-CHAINS).
ENDS = ("NO_POST", "LEFT_EMPTY", "ROTATION", "BROKEN")


@dataclass(frozen=True)
class Link:
    employee_id: str
    from_post: str
    """The post the mover leaves; "" when they held none in the round."""
    vacancy_id: str
    merit_score: float
    recorded_chain: int | None
    recorded_step: int | None


@dataclass(frozen=True)
class Chain:
    number: int
    links: tuple[Link, ...]
    """Head first: the move into the vacant post, then the move into the post it freed..."""
    end: str

    @property
    def length(self) -> int:
        return len(self.links)

    def to_dict(self, max_length: int | None) -> dict[str, Any]:
        return {
            "chain": self.number,
            "end": self.end,
            "at_max_length": max_length is not None and self.length >= max_length,
            "links": [
                {
                    "employee_id": k.employee_id,
                    "from_post": k.from_post,
                    "vacancy_id": k.vacancy_id,
                    "merit_score": round(k.merit_score, 4),
                }
                for k in self.links
            ],
        }


def _text(x: Any) -> str:
    return "" if x is None or (isinstance(x, float) and np.isnan(x)) or pd.isna(x) else str(x)


def _int(x: Any) -> int | None:
    try:
        return None if pd.isna(x) else int(x)
    except (TypeError, ValueError):
        return None


def links(ctx: RunContext) -> list[Link]:
    """Each placement row as a move, in file order."""
    p = ctx.placements
    n = len(p)
    col = {
        c: p[c].tolist() if c in p.columns else [None] * n for c in ("from_post", "chain", "step")
    }
    return [
        Link(str(e), _text(f), str(v), float(s), _int(c), _int(st))
        for e, v, s, f, c, st in zip(
            p["employee_id"],
            p["vacancy_id"],
            p["merit_score"],
            col["from_post"],
            col["chain"],
            col["step"],
            strict=True,
        )
    ]


def rebuild(ctx: RunContext, moves: list[Link]) -> list[Chain]:
    """The chains the moves make, numbered as the run documents (module docstring)."""
    into: dict[str, Link] = {}
    for m in moves:
        into.setdefault(m.vacancy_id, m)  # a post filled twice is AUD-CHAINS's finding
    seen: set[int] = set()
    out: list[Chain] = []

    def follow(start: Link, closing: str | None) -> tuple[list[Link], str]:
        chain, m = [], start
        while True:
            chain.append(m)
            seen.add(id(m))
            p = m.from_post
            if not p:
                return chain, "NO_POST"
            if p == closing:
                return chain, "ROTATION"
            nxt = into.get(p)
            if nxt is None:
                return chain, "LEFT_EMPTY"
            if id(nxt) in seen:
                return chain, "BROKEN"
            m = nxt

    for post in sorted(into):
        if post not in ctx.held_posts:
            chain, end = follow(into[post], None)
            out.append(Chain(len(out) + 1, tuple(chain), end))
    for post in sorted(into):
        if id(into[post]) not in seen:
            chain, end = follow(into[post], post)
            out.append(Chain(len(out) + 1, tuple(chain), end))
    return out


Problem = tuple[str, str, str | None, str | None]
"""(English, Indonesian, vacancy_id, employee_id) of one finding."""


def problems(ctx: RunContext, moves: list[Link], chains: list[Chain]) -> list[Problem]:
    """Everything a chain round's moves must satisfy, re-checked from the data (AUD-CHAINS)."""
    emp = ctx.merit.employees
    vac = ctx.merit.vacancies
    current = dict(zip(emp["employee_id"].astype(str), emp["current_post_id"], strict=True))
    unit = dict(zip(emp["employee_id"].astype(str), emp["unit"].astype(str), strict=True))
    own_allowance = dict(
        zip(emp["employee_id"].astype(str), emp["current_allowance"].fillna(0), strict=True)
    )
    post_unit = dict(zip(vac["vacancy_id"].astype(str), vac["unit"].astype(str), strict=True))
    allowance = dict(zip(vac["vacancy_id"].astype(str), vac["allowance"].fillna(0), strict=True))
    held = ctx.held_posts
    holder = {str(p): e for e, p in current.items() if _text(p) in held}
    out: list[Problem] = []
    for m in moves:
        own = _text(current.get(m.employee_id))
        expected = own if own in held else ""
        if m.from_post != expected:
            out.append(
                (
                    f"{m.employee_id} -> {m.vacancy_id}: from_post {m.from_post or '(none)'} "
                    f"but the data give {expected or '(no post in the round)'}",
                    f"{m.employee_id} -> {m.vacancy_id}: from_post {m.from_post or '(kosong)'} "
                    f"padahal data memberi {expected or '(tanpa jabatan dalam putaran)'}",
                    m.vacancy_id,
                    m.employee_id,
                )
            )
    for col, en, idn in (
        ("vacancy_id", "post {x} is filled twice", "jabatan {x} diisi dua kali"),
        ("employee_id", "{x} is moved twice", "{x} dipindahkan dua kali"),
    ):
        counts = Counter(getattr(m, col) for m in moves)
        for x in sorted(k for k, n in counts.items() if n > 1):
            ids = {col: x}
            out.append(
                (en.format(x=x), idn.format(x=x), ids.get("vacancy_id"), ids.get("employee_id"))
            )
    movers = {m.employee_id for m in moves}
    filled = {m.vacancy_id for m in moves}
    for m in moves:
        h = holder.get(m.vacancy_id)
        if h is not None and h not in movers:
            out.append(
                (
                    f"{m.vacancy_id} is refilled by {m.employee_id} but its holder {h} did not "
                    "move (a post filled twice)",
                    f"{m.vacancy_id} diisi {m.employee_id} padahal pemegangnya {h} tidak "
                    "dipindahkan (jabatan terisi dua kali)",
                    m.vacancy_id,
                    m.employee_id,
                )
            )
    freed = {p for p, h in holder.items() if h in movers}
    reason = dict(zip(ctx.unfilled["vacancy_id"].astype(str), ctx.unfilled["reason"], strict=True))
    keep = ctx.scenario.constraints.keep_posts_filled
    for p in sorted(freed - filled):
        if keep:
            out.append(
                (
                    f"{p} was freed by {holder[p]} and left empty, but keep_posts_filled "
                    "requires every freed post to be refilled",
                    f"{p} ditinggalkan {holder[p]} dan dibiarkan kosong, padahal "
                    "keep_posts_filled mewajibkan setiap jabatan yang ditinggalkan diisi lagi",
                    p,
                    holder[p],
                )
            )
        if reason.get(p) != UnfilledReason.FREED_NOT_REFILLED.value:
            out.append(
                (
                    f"{p} was freed by {holder[p]} and left empty, but unfilled.csv does not "
                    f"list it as {UnfilledReason.FREED_NOT_REFILLED.value}",
                    f"{p} ditinggalkan {holder[p]} dan kosong, tetapi unfilled.csv tidak "
                    f"mencantumkannya sebagai {UnfilledReason.FREED_NOT_REFILLED.value}",
                    p,
                    holder[p],
                )
            )
    for p, r in sorted(reason.items()):
        if r == UnfilledReason.FREED_NOT_REFILLED.value and not (p in freed and p not in filled):
            out.append(
                (
                    f"unfilled.csv lists {p} as {r}, but it is not a freed post left empty",
                    f"unfilled.csv mencantumkan {p} sebagai {r}, padahal bukan jabatan yang "
                    "ditinggalkan dan kosong",
                    p,
                    None,
                )
            )
    out += _chain_problems(ctx, chains)
    out += _limits(ctx, moves, unit, post_unit, allowance, own_allowance)
    return out


def _chain_problems(ctx: RunContext, chains: list[Chain]) -> list[Problem]:
    """Each chain within ``max_length``, followed to its end, and the run's chain/step
    columns equal to the audit's numbering."""
    out: list[Problem] = []
    limit = ctx.scenario.chains.max_length
    for c in chains:
        head = c.links[0]
        if limit is not None and c.length > limit:
            out.append(
                (
                    f"chain {c.number} from {head.vacancy_id} has {c.length} moves, more than "
                    f"max_length {limit}",
                    f"rantai {c.number} dari {head.vacancy_id} memuat {c.length} perpindahan, "
                    f"melebihi max_length {limit}",
                    head.vacancy_id,
                    head.employee_id,
                )
            )
        if c.end == "BROKEN":
            out.append(
                (
                    f"chain {c.number} from {head.vacancy_id} cannot be followed: a post is "
                    "left by two movers",
                    f"rantai {c.number} dari {head.vacancy_id} tidak dapat ditelusuri: satu "
                    "jabatan ditinggalkan dua orang",
                    head.vacancy_id,
                    head.employee_id,
                )
            )
        for step, k in enumerate(c.links, start=1):
            if (k.recorded_chain, k.recorded_step) != (c.number, step):
                out.append(
                    (
                        f"{k.employee_id} -> {k.vacancy_id}: placements.csv says chain "
                        f"{k.recorded_chain} step {k.recorded_step}, the moves make chain "
                        f"{c.number} step {step}",
                        f"{k.employee_id} -> {k.vacancy_id}: placements.csv menyebut rantai "
                        f"{k.recorded_chain} langkah {k.recorded_step}, perpindahannya membentuk "
                        f"rantai {c.number} langkah {step}",
                        k.vacancy_id,
                        k.employee_id,
                    )
                )
    return out


def _limits(
    ctx: RunContext,
    moves: list[Link],
    unit: dict[str, str],
    post_unit: dict[str, str],
    allowance: dict[str, Any],
    own_allowance: dict[str, Any],
) -> list[Problem]:
    """Total moves, net moves per unit (out less in) and the allowance over every move."""
    out: list[Problem] = []
    c, k = ctx.scenario.chains, ctx.scenario.constraints
    if c.max_moves is not None and len(moves) > c.max_moves:
        out.append(
            (
                f"{len(moves)} moves, more than max_moves {c.max_moves}",
                f"{len(moves)} perpindahan, melebihi max_moves {c.max_moves}",
                None,
                None,
            )
        )
    if k.max_moves_per_unit is not None:
        net: Counter[str] = Counter()
        for m in moves:
            net[unit.get(m.employee_id, "")] += 1
            net[post_unit.get(m.vacancy_id, "")] -= 1
        for u, n in sorted(net.items()):
            if n > k.max_moves_per_unit:
                out.append(
                    (
                        f"{n} net moves out of {u} (moved out less moved in; limit "
                        f"{k.max_moves_per_unit})",
                        f"{n} mutasi keluar bersih dari {u} (keluar dikurangi masuk; batas "
                        f"{k.max_moves_per_unit})",
                        None,
                        None,
                    )
                )
    if k.budget is not None:
        cost = sum(
            int(allowance.get(m.vacancy_id, 0))
            - int(
                allowance.get(m.from_post, 0)
                if m.from_post
                else own_allowance.get(m.employee_id, 0)
            )
            for m in moves
        )
        if cost > k.budget:
            out.append(
                (
                    f"allowance over all moves {cost:,} exceeds the budget {k.budget:,} (each "
                    "move: the new post's allowance less that of the post left)",
                    f"tunjangan seluruh perpindahan {cost:,} melebihi anggaran {k.budget:,} "
                    "(tiap perpindahan: tunjangan jabatan baru dikurangi jabatan yang "
                    "ditinggalkan)",
                    None,
                    None,
                )
            )
    return out


def chain_facts(ctx: RunContext, d: Derived, chains: list[Chain]) -> dict[str, Any]:
    """audit.json's ``chains``: each chain head first with its links' scores and why it ends;
    the held posts (title, unit); each holder who kept their post, with their score there."""
    limit = ctx.scenario.chains.max_length
    vac = ctx.merit.vacancies
    ids = vac["vacancy_id"].astype(str).to_numpy()
    held = np.flatnonzero(np.isin(ids, sorted(ctx.held_posts)))
    posts = {
        str(ids[v]): [str(vac["title"].iat[v]), str(vac["unit"].iat[v])] for v in held.tolist()
    }
    stays: dict[str, dict[str, Any]] = {}
    if d.stay_arc is not None and d.homes is not None:
        moved = set(ctx.placements["employee_id"].astype(str))
        emp_ids = ctx.merit.employees["employee_id"].astype(str).to_numpy()
        bonus = round(ctx.scenario.chains.move_cost * SCORE_SCALE)
        for e in np.flatnonzero(d.stay_arc >= 0).tolist():
            if emp_ids[e] in moved:
                continue
            w = int(d.problem.arc_weight[d.stay_arc[e]]) - bonus
            stays[str(emp_ids[e])] = {
                "post": str(ids[d.homes[e]]),
                "merit_score": round(w / SCORE_SCALE, 4),
            }
    return {
        "max_length": limit,
        "max_moves": ctx.scenario.chains.max_moves,
        "move_cost": ctx.scenario.chains.move_cost,
        "moves": sum(c.length for c in chains),
        "chains": [c.to_dict(limit) for c in chains],
        "posts": posts,
        "stays": dict(sorted(stays.items())),
    }
