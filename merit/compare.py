"""Compare two run folders: filled before and after, score change, who gained or lost a post,
changes per OPD, the scenario settings that differ, and which constraint cost what.

The cause of each change is read from run B's audit (who scored at least the new appointee
and what stopped them; what kept an unfilled post empty), so it names the constraint with its
numbers; without audits the changes are listed without causes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from merit.audit.sayings import LABELS, num, sentence
from merit.errors import RunFolderError
from merit.runfolder import read_manifest

Doc = dict[str, Any]

#: Causes of a change that are not an outcome of the why-not facts, (Indonesian, English).
CAUSES: dict[str, tuple[str, str]] = {
    **LABELS,
    "RANKED_LOWER": (
        "skornya di hasil B lebih rendah dari yang ditempatkan",
        "scored below the appointee in run B",
    ),
    "NOT_ELIGIBLE": ("tidak memenuhi syarat di hasil B", "not eligible in run B"),
    "NO_ELIGIBLE_CANDIDATE": ("tidak ada kandidat yang memenuhi syarat", "no eligible candidate"),
    "CANDIDATES_PLACED_ELSEWHERE": (
        "semua kandidat ditempatkan di jabatan lain",
        "every candidate was placed elsewhere",
    ),
    "BLOCKED_BY_CONSTRAINT": ("tertahan batasan skenario", "held back by a scenario constraint"),
    "NOT_PROVEN": ("belum terbukti optimal", "not proven optimal"),
    "NOT_IN_RUN": ("jabatan tidak ada di hasil ini", "the post is not in this run"),
    "UNKNOWN": ("tanpa audit: sebab tidak diketahui", "no audit: cause unknown"),
    "HELD_REFILLED": (
        "jabatan terisi sebelum putaran; pemegangnya pindah dalam rantai mutasi dan jabatan "
        "diisi kembali",
        "a post held before the round; its holder moved in a chain and the post was refilled",
    ),
}


@dataclass(frozen=True)
class RunDiff:
    """The differences between run A and run B."""

    name_a: str
    name_b: str
    filled_a: int
    filled_b: int
    total_a: float
    total_b: float
    changed: list[Doc]
    """Vacancies whose occupant differs: ids, occupants, scores, cause code and sentence."""
    gained: list[Doc]
    """People placed in B but not in A."""
    lost: list[Doc]
    """People placed in A but not in B, with the cause."""
    moved: list[Doc]
    """People placed in both, in different vacancies."""
    per_opd: list[Doc]
    causes: list[Doc]
    """Per cause: posts lost, posts gained and the change of the total score it accounts for."""
    settings: list[Doc] = field(default_factory=list)
    """Scenario settings that differ (flattened key, value in A, value in B)."""

    def to_dict(self) -> Doc:
        return {
            "run_a": self.name_a,
            "run_b": self.name_b,
            "filled": {"a": self.filled_a, "b": self.filled_b},
            "total_score": {"a": self.total_a, "b": self.total_b},
            "settings": self.settings,
            "changed_vacancies": self.changed,
            "gained": self.gained,
            "lost": self.lost,
            "moved_employees": self.moved,
            "per_opd": self.per_opd,
            "causes": self.causes,
        }

    def render(self, lang: str = "id") -> str:
        """The comparison as text in one language."""
        i = 0 if lang == "id" else 1
        w = _TEXT

        def f(x: float, d: int = 4) -> str:
            return num(x, d, lang)

        lines = [
            f"A: {self.name_a}  {w['filled'][i]} {self.filled_a}  {w['total'][i]} "
            f"{f(self.total_a)}",
            f"B: {self.name_b}  {w['filled'][i]} {self.filled_b}  {w['total'][i]} "
            f"{f(self.total_b)}",
            f"{w['change'][i]}: {self.filled_b - self.filled_a:+d} {w['posts'][i]}, "
            f"{'+' if self.total_b >= self.total_a else ''}{f(self.total_b - self.total_a)} "
            f"{w['points'][i]}",
        ]
        for s in self.settings:
            lines.append(f"  {w['setting'][i]} {s['key']}: {s['a']} -> {s['b']}")
        if self.causes:
            lines.append(f"{w['causes'][i]}:")
            for c in self.causes:
                lines.append(
                    f"  {CAUSES[c['code']][i]}: {c['posts_lost']} {w['lost_posts'][i]}, "
                    f"{c['posts_gained']} {w['gained_posts'][i]}, "
                    f"{'+' if c['score_change'] >= 0 else ''}{f(c['score_change'])} "
                    f"{w['points'][i]}"
                )
        lines.append(
            f"{len(self.changed)} {w['changed'][i]}, {len(self.gained)} {w['gained'][i]}, "
            f"{len(self.lost)} {w['lost'][i]}, {len(self.moved)} {w['moved'][i]}"
        )
        for c in self.changed:
            sa, sb = c["score_a"], c["score_b"]
            delta = "" if sa is None or sb is None else f" ({'+' if sb >= sa else ''}{f(sb - sa)})"
            lines.append(
                f"  {c['vacancy_id']} {c['title']}: {c['employee_a'] or '-'} "
                f"{'' if sa is None else f(sa)} -> {c['employee_b'] or '-'} "
                f"{'' if sb is None else f(sb)}{delta}"
            )
            if c.get("cause_id"):
                lines.append(f"    {c['cause_id'] if lang == 'id' else c['cause_en']}")
        return "\n".join(lines)


_TEXT = {
    "filled": ("terisi", "filled"),
    "total": ("jumlah skor", "total score"),
    "change": ("Perubahan B terhadap A", "Change from A to B"),
    "posts": ("jabatan", "posts"),
    "points": ("poin", "points"),
    "setting": ("pengaturan", "setting"),
    "causes": ("Sebab perubahan", "Causes of the change"),
    "lost_posts": ("jabatan hilang", "posts lost"),
    "gained_posts": ("jabatan bertambah", "posts gained"),
    "changed": ("jabatan berganti pemegang", "posts changed hands"),
    "gained": ("pegawai mendapat jabatan", "people gained a post"),
    "lost": ("pegawai kehilangan jabatan", "people lost a post"),
    "moved": ("pegawai pindah jabatan", "people moved to another post"),
}


def _placements(folder: Path) -> pd.DataFrame:
    path = Path(folder) / "placements.csv"
    if not path.is_file():
        raise RunFolderError(f"{folder}: placements.csv is missing; is this a merit run folder?")
    return pd.read_csv(path, dtype={"vacancy_id": str, "employee_id": str})


def _freed(placements: pd.DataFrame) -> set[str]:
    """Posts a chain round's movers left (``from_post``); none in a round without chains."""
    if "from_post" not in placements.columns:
        return set()
    return set(placements["from_post"].dropna().astype(str)) - {""}


def _audit(folder: Path) -> Doc | None:
    path = Path(folder) / "audit.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _posts(*audits: Doc | None) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for a in audits:
        for e in (a or {}).get("explanations", []):
            out[e["vacancy_id"]] = (e["title"], e["unit"])
        for u in (a or {}).get("unfilled", []):
            out[u["vacancy_id"]] = (u.get("title", ""), u.get("unit", ""))
    return out


def _flat(doc: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(doc, dict):
        out: dict[str, str] = {}
        for k, v in doc.items():
            out |= _flat(v, f"{prefix}{k}.")
        return out
    return {prefix.rstrip("."): json.dumps(doc, ensure_ascii=False, sort_keys=True)}


def _settings(ma: Doc, mb: Doc) -> list[Doc]:
    a = _flat(ma["scenario"]["settings"])
    b = _flat(mb["scenario"]["settings"])
    skip = ("name", "description", "data")
    return [
        {"key": k, "a": a.get(k, "–"), "b": b.get(k, "–")}
        for k in sorted(set(a) | set(b))
        if a.get(k) != b.get(k) and k not in skip
    ]


def _empty(vid: str, audit: Doc) -> tuple[str, Doc | None]:
    """What kept ``vid`` empty in a run: its binding constraint, else the unfilled reason."""
    why = audit.get("unfilled_why", {}).get(vid)
    if why and why.get("binding"):
        fact: Doc = why["binding"][0]
        return fact["why"][0]["code"], fact
    u = next((u for u in audit["unfilled"] if u["vacancy_id"] == vid), None)
    return (u["reason_code"] if u else "NOT_IN_RUN"), None


def _cause(
    vid: str,
    emp_a: str | None,
    emp_b: str | None,
    audits: tuple[Doc | None, Doc | None],
    b_ranked: set[Any],
    held: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[str, Doc | None]:
    """Why the post changed hands: for a post emptied in B, what keeps it empty there; for a
    post filled in B, what had kept it empty in A; else why B did not keep A's appointee
    ``emp_a`` (an outcome code and, when the audit has it, the fact with its numbers)."""
    audit_a, audit_b = audits
    if vid in held:  # a chain round freed this post, held before it, and refilled it
        return "HELD_REFILLED", None
    if emp_a is None:  # the post was empty in A
        return _empty(vid, audit_a) if audit_a is not None else ("UNKNOWN", None)
    if audit_b is None:
        return "UNKNOWN", None
    if emp_b is None:  # the post is empty in B
        return _empty(vid, audit_b)
    entries = audit_b.get("ranked_above", {}).get(vid, {}).get("entries", [])
    hit = next((e for e in entries if e["employee_id"] == emp_a), None)
    if hit is not None:
        return hit["why"][0]["code"], hit
    return ("RANKED_LOWER" if (vid, emp_a) in b_ranked else "NOT_ELIGIBLE"), None


def compare_runs(run_a: Path, run_b: Path) -> RunDiff:
    """Compare the placements of two run folders (B against A)."""
    ma, mb = read_manifest(run_a), read_manifest(run_b)
    a, b = _placements(run_a), _placements(run_b)
    aud_a, aud_b = _audit(run_a), _audit(run_b)
    posts = _posts(aud_a, aud_b)
    rk = Path(run_b) / "rankings.csv"
    ranked = (
        set(
            zip(
                *pd.read_csv(rk, dtype=str, usecols=["vacancy_id", "employee_id"]).T.values,
                strict=True,
            )
        )
        if rk.is_file()
        else set()
    )
    held = _freed(a) | _freed(b)  # a chain round's posts that were held before the round
    both = a.merge(b, on="vacancy_id", how="outer", suffixes=("_a", "_b")).sort_values("vacancy_id")
    diff = both[both["employee_id_a"].fillna("") != both["employee_id_b"].fillna("")]
    changed: list[Doc] = []
    causes: defaultdict[str, dict[str, float]] = defaultdict(
        lambda: {"posts_lost": 0, "posts_gained": 0, "score": 0.0}
    )
    for r in diff.itertuples():
        ea, eb = _opt(r.employee_id_a), _opt(r.employee_id_b)
        sa, sb = _opt(r.merit_score_a), _opt(r.merit_score_b)
        code, fact = _cause(r.vacancy_id, ea, eb, (aud_a, aud_b), ranked, held)
        title, unit = posts.get(r.vacancy_id, ("", ""))
        c = causes[code]
        c["posts_lost"] += int(eb is None)
        c["posts_gained"] += int(ea is None)
        c["score"] += (sb or 0.0) - (sa or 0.0)
        changed.append(
            {
                "vacancy_id": r.vacancy_id,
                "title": title,
                "unit": unit,
                "employee_a": ea,
                "employee_b": eb,
                "score_a": sa,
                "score_b": sb,
                "cause_code": code,
                "cause_id": _cause_text(code, fact, ea, "id", posts),
                "cause_en": _cause_text(code, fact, ea, "en", posts),
            }
        )
    placed_a = dict(
        zip(a["employee_id"], zip(a["vacancy_id"], a["merit_score"], strict=True), strict=True)
    )
    placed_b = dict(
        zip(b["employee_id"], zip(b["vacancy_id"], b["merit_score"], strict=True), strict=True)
    )
    cause_of = {c["vacancy_id"]: c for c in changed}
    gained = [
        {"employee_id": e, "vacancy_b": v, "title": posts.get(v, ("", ""))[0], "score_b": s}
        for e, (v, s) in sorted(placed_b.items())
        if e not in placed_a
    ]
    lost = [
        {
            "employee_id": e,
            "vacancy_a": v,
            "title": posts.get(v, ("", ""))[0],
            "score_a": s,
            "cause_id": cause_of[v]["cause_id"] if v in cause_of else "",
            "cause_en": cause_of[v]["cause_en"] if v in cause_of else "",
        }
        for e, (v, s) in sorted(placed_a.items())
        if e not in placed_b
    ]
    moved = [
        {
            "employee_id": e,
            "vacancy_a": v,
            "vacancy_b": placed_b[e][0],
            "score_a": s,
            "score_b": placed_b[e][1],
        }
        for e, (v, s) in sorted(placed_a.items())
        if e in placed_b and placed_b[e][0] != v
    ]
    va, vb = (p[~p["vacancy_id"].isin(held)] for p in (a, b))  # the rounds' vacancies
    return RunDiff(
        ma["scenario"]["name"],
        mb["scenario"]["name"],
        len(va),
        len(vb),
        round(float(va["merit_score"].sum()), 4),
        round(float(vb["merit_score"].sum()), 4),
        changed,
        gained,
        lost,
        moved,
        _per_opd(posts, a, b),
        [
            {
                "code": k,
                "posts_lost": v["posts_lost"],
                "posts_gained": v["posts_gained"],
                "score_change": round(v["score"], 4),
            }
            for k, v in sorted(causes.items(), key=lambda kv: (kv[1]["score"], kv[0]))
        ],
        _settings(ma, mb),
    )


def _cause_text(
    code: str, fact: Doc | None, emp_a: str | None, lang: str, posts: dict[str, tuple[str, str]]
) -> str:
    i = 0 if lang == "id" else 1
    text = CAUSES[code][i]
    if fact is not None:
        text = sentence(fact, lang, posts)
    if code == "HELD_REFILLED":
        return text
    if emp_a is None:
        return ("kosong di hasil A: ", "empty in run A: ")[i] + text
    if code == "UNKNOWN":
        return text
    return f"{('pemegang di hasil A', 'the appointee in run A')[i]} {emp_a}: {text}"


def _per_opd(posts: dict[str, tuple[str, str]], a: pd.DataFrame, b: pd.DataFrame) -> list[Doc]:
    fa, fb = set(a["vacancy_id"]), set(b["vacancy_id"])
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for vid, (_, unit) in posts.items():
        per[unit][0] += 1
        per[unit][1] += vid in fa
        per[unit][2] += vid in fb
    return [
        {"unit": u, "vacancies": n, "filled_a": x, "filled_b": y}
        for u, (n, x, y) in sorted(per.items())
    ]


def _opt(value: Any) -> Any:
    return None if pd.isna(value) else value
