"""Per-OPD sections whose per-vacancy detail is drawn on demand: the page carries each
vacancy's facts as compact JSON (numbers and outcome codes, no markup), and page.js draws a
vacancy's tables when it is opened, in both languages, from the same sentence templates
``merit explain`` uses. A 1,000-vacancy round then opens with a few thousand elements."""

from __future__ import annotations

import json
from collections import defaultdict
from html import escape
from itertools import groupby
from typing import Any

from merit.audit.sayings import FLOATS, KEYS, LABELS, TEMPLATES
from merit.eligibility import RULES
from merit.explain.words import W
from merit.report.text import n, t
from merit.scoring import COMPONENTS

Doc = dict[str, Any]

#: Words of the drawn detail, (Indonesian, English): those ``merit explain`` also says are
#: taken from its table, so the page and the command speak alike.
_SHARED = (
    "breakdown",
    "component",
    "above",
    "all_of",
    "cf_tie",
    "cf_inf",
    "cf_rise",
    "gap",
    "rules",
    "unassessed",
    "binding",
    "held",
    "nearest",
    "fails",
)
WORDS: dict[str, tuple[str, str]] = {k: W[k] for k in _SHARED} | {
    "nobody": W["nobody_above"],
    "cf": W["next"],
    "value": ("Nilai", "Value"),
    "weight": ("Bobot", "Weight"),
    "contribution": ("Kontribusi", "Contribution"),
    "score": ("Skor", "Score"),
    "rank": ("Peringkat", "Rank"),
    "outcome": ("Hasil", "Outcome"),
    "needs": ("Yang diperlukan", "What it would take"),
}


def _why(d: Doc | None) -> list[Any] | None:
    """An outcome list as ``[[code, params], ...]``."""
    if not d:
        return None
    return [[x["code"], x.get("params", {})] for x in d["why"]]


def _cf_rows(cfs: list[Doc], blocked: Doc) -> list[list[Any]]:
    rows = []
    for c in cfs:
        gap = c.get("competency_gap")
        plan = ", ".join(f"{k} +{v}" for k, v in gap["plan"].items()) if gap else ""
        rows.append(
            [
                c["employee_id"],
                c["merit_score"],
                c["margin"],
                plan,
                _why(blocked.get(f"{c['vacancy_id']} {c['employee_id']}")),
            ]
        )
    return rows


def vacancy_data(audit: Doc) -> dict[str, Any]:
    """Each vacancy's facts, compact: what page.js needs to draw its detail."""
    above = audit.get("ranked_above", {})
    why = audit.get("unfilled_why", {})
    blocked = audit.get("unreachable_why", {})
    cfs: dict[str, list[Doc]] = defaultdict(list)
    for c in audit["counterfactuals"]:
        cfs[c["vacancy_id"]].append(c)
    out: dict[str, Any] = {}
    for e in audit["explanations"]:
        v = e["vacancy_id"]
        a = above.get(v, {"entries": [], "total": 0, "outcomes": {}})
        out[v] = {
            "c": [
                [c["value"], c["weight"], c["contribution"], c.get("assessed", True)]
                for c in e["components"]
            ],
            "k": [c["code"] for c in e["components"]],
            "rules": [
                [r["code"], r.get("fact_id") or "", r.get("fact_en") or ""]
                for r in e["rules_passed"]
            ],
            "above": [
                [x["employee_id"], x["merit_score"], x["rank"], _why(x)] for x in a["entries"]
            ],
            "total": a["total"],
            "outcomes": a.get("outcomes", {}),
            "cf": _cf_rows(cfs[v], blocked),
        }
    for u in audit["unfilled"]:
        v = u["vacancy_id"]
        w = why.get(v) or {}
        near = w.get("nearest")
        out[v] = {
            "binding": [[b["candidates"], _why(b)] for b in w.get("binding", [])],
            "nearest": [near["employee_id"], near["merit_score"], _why(near)] if near else None,
            "near_rules": [[m["employee_id"], m["failed_rules"]] for m in u.get("nearest", [])],
            "cf": _cf_rows(cfs[v], blocked),
        }
    return out


def page_data(audit: Doc, posts: dict[str, tuple[str, str]]) -> str:
    """The JSON the page draws details from, safe inside a ``<script>`` element."""
    doc = {
        "posts": posts,
        "templates": TEMPLATES,
        "keys": KEYS,
        "labels": LABELS,
        "floats": sorted(FLOATS),
        "words": WORDS,
        "rules": {r.code: [r.name_id, r.name_en, r.citation, r.citation_en] for r in RULES},
        "components": {c.code: [c.name_id, c.name_en] for c in COMPONENTS},
        "vac": vacancy_data(audit),
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def opd_sections(audit: Doc, posts: dict[str, tuple[str, str]], search: str) -> str:
    """Per OPD (folded), each vacancy (folded) with a one-line summary; the detail is drawn
    from the embedded data when the vacancy is opened."""
    items: list[tuple[str, str, str]] = []
    for e in audit["explanations"]:
        head = (
            f"{escape(e['vacancy_id'])} {escape(e['title'])} — {t('terisi', 'filled')}: "
            f"{escape(e['employee_id'])} ({n(e['merit_score'])}, {t('peringkat', 'rank')} "
            f"{e['rank_in_vacancy']})"
        )
        items.append((e["unit"], e["vacancy_id"], head))
    for u in audit["unfilled"]:
        head = (
            f"{escape(u['vacancy_id'])} {escape(u.get('title', ''))} — "
            f"<b class='bad-text'>⚠ {t('tidak terisi', 'unfilled')}</b>: "
            f"{t(u['reason_id'], u['reason_en'])}"
        )
        items.append((u.get("unit", ""), u["vacancy_id"], head))
    items.sort(key=lambda x: (x[0], x[1]))
    parts = [
        f"<section id='opd-sections'><h2>{t('Rincian per OPD', 'Detail per OPD')}</h2>",
        "<p>"
        + t(
            "Selisih skor yang membuat seseorang ditempatkan (kontrafaktual): "
            + audit["counterfactual_basis_id"],
            "Score a person would need to be placed (counterfactuals): "
            + audit["counterfactual_basis_en"],
        )
        + ".</p>",
        search,
    ]
    for unit, group in groupby(items, key=lambda x: x[0]):
        g = list(group)
        parts.append(
            f"<details class='opd' id='opd-{slug(unit)}'><summary><h3>{escape(unit)} "
            f"({len(g)})</h3></summary>"
        )
        parts += [
            f"<details class='vac' data-v='{escape(v, quote=True)}'><summary>{head}</summary>"
            "</details>"
            for _, v, head in g
        ]
        parts.append("</details>")
    parts.append(
        f"<script type='application/json' id='merit-data'>{page_data(audit, posts)}</script>"
        "</section>"
    )
    return "".join(parts)
