"""``report.html``: one self-contained bilingual page (Indonesian default, English switch).

Everything is inline (CSS, JS, SVG charts); every value from the data is escaped.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from typing import Any

import pandas as pd

Doc = dict[str, Any]


def t(idn: str, en: str) -> str:
    """Both languages; the page shows one at a time."""
    return f'<span lang="id">{escape(idn)}</span><span lang="en">{escape(en)}</span>'


def _num(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and pd.isna(x)):
        return "–"
    return f"{float(x):.{digits}f}"


def _table(tid: str, headers: list[str], rows: list[list[str]], sortable: bool = True) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    cls = ' class="sortable"' if sortable else ""
    return f'<table id="{tid}"{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def td(value: Any, num: bool = False) -> str:
    text = escape("" if value is None else str(value))
    return f'<td class="num">{text}</td>' if num else f"<td>{text}</td>"


def _who(audit: Doc | None, eid: str) -> str:
    names = (audit or {}).get("names") or {}
    return f"{eid} ({names[eid]})" if eid in names else eid


def summary(
    manifest: Doc, placements: pd.DataFrame, unfilled: pd.DataFrame, audit: Doc | None
) -> str:
    sol = manifest["solver"]
    proven = manifest["proven_optimal"]
    status = (
        f'<p class="ok">{t("Terbukti optimal", "Proven optimal")} ({escape(sol["status"])}, '
        f"{escape(sol['method'])})</p>"
        if proven
        else f'<p class="warn" id="not-proven">{t("TIDAK terbukti optimal", "NOT proven optimal")}'
        f" ({escape(sol['status'])}, {escape(sol['method'])}): "
        + t(
            "solver berhenti sebelum membuktikan optimalitas.",
            "the solver stopped before proving optimality.",
        )
        + ""
        "</p>"
    )
    if audit is None:
        aud = f'<p class="warn">{t("Audit belum dijalankan.", "The audit has not run.")}</p>'
    elif audit["ok"]:
        aud = f'<p class="ok">{t("Audit lulus", "Audit passed")}</p>'
    else:
        aud = f'<p class="bad">{t("Audit GAGAL", "Audit FAILED")}: {len(audit["findings"])}</p>'
    sc = manifest["scenario"]
    return (
        f"<h2>{t('Ringkasan', 'Summary')}</h2>"
        f"<p>{t('Skenario', 'Scenario')}: <b>{escape(sc['name'])}</b> · seed {sc['seed']}</p>"
        f"<p>{t('Terisi', 'Filled')}: <b id='filled-count'>{len(placements)}</b> · "
        f"{t('Tidak terisi', 'Unfilled')}: <b id='unfilled-count'>{len(unfilled)}</b> · "
        f"{t('Per tingkat prioritas', 'Per priority tier')}: "
        f"{escape(str(sol['filled_by_tier']))}</p>"
        f"{status}{aud}"
    )


def placement_table(placements: pd.DataFrame, audit: Doc | None) -> str:
    comps = [
        c
        for c in placements.columns
        if c not in ("vacancy_id", "employee_id", "merit_score", "rank_in_vacancy")
    ]
    col = {c: placements[c].tolist() for c in placements.columns}  # the values iterrows gives
    cells = [
        [td(v) for v in col["vacancy_id"]],
        [td(_who(audit, str(v))) for v in col["employee_id"]],
        [td(_num(v), True) for v in col["merit_score"]],
        [td(v, True) for v in col["rank_in_vacancy"]],
        *[[td(_num(v, 2), True) for v in col[c]] for c in comps],
    ]
    rows = [list(r) for r in zip(*cells, strict=True)]
    headers = [
        t("Jabatan", "Vacancy"),
        t("Pegawai", "Employee"),
        t("Skor merit", "Merit score"),
        t("Peringkat", "Rank"),
        *[escape(c) for c in comps],
    ]
    return (
        f"<h2>{t('Penempatan', 'Placements')} (<span data-count-for='placements'>"
        f"{len(placements)}</span>)</h2>"
        f'<input type="search" data-search-for="placements" aria-label="search" '
        f'placeholder="Cari / Search">' + _table("placements", headers, rows)
    )


def explanations(audit: Doc) -> str:
    parts = [f"<h2>{t('Penjelasan setiap penempatan', 'Why each placement')}</h2>"]
    for e in audit["explanations"]:
        comp = "".join(
            f"<tr><td>{t(c['name_id'], c['name_en'])}</td><td class='num'>{_num(c['value'])}</td>"
            f"<td class='num'>{_num(c['weight'])}</td><td class='num'>{_num(c['contribution'])}"
            "</td></tr>"
            for c in e["components"]
        )
        rules = "".join(
            f"<li><code>{escape(r['code'])}</code> {t(r['name_id'], r['name_en'])} "
            f"<small>[{escape(r['citation'])}]</small></li>"
            for r in e["rules_passed"]
        )
        ru = e.get("runner_up")
        runner = (
            t("Tidak ada kandidat lain.", "No other eligible candidate.")
            if ru is None
            else (
                f"{escape(_who(audit, ru['employee_id']))} · {_num(ru['merit_score'])} · "
                f"{t('selisih', 'margin')} {_num(ru['margin'])}: "
                f"{t(ru['reason_id'], ru['reason_en'])}"
            )
        )
        parts.append(
            f"<details><summary>{escape(e['vacancy_id'])} {escape(e['title'])} — "
            f"{escape(_who(audit, e['employee_id']))} ({_num(e['merit_score'])})</summary>"
            f"<table><thead><tr><th>{t('Komponen', 'Component')}</th><th>{t('Nilai', 'Value')}"
            f"</th><th>{t('Bobot', 'Weight')}</th><th>{t('Kontribusi', 'Contribution')}</th>"
            f"</tr></thead><tbody>{comp}</tbody></table>"
            f"<p>{t('Kandidat berikutnya', 'Runner-up')}: {runner}</p>"
            f"<p>{t('Syarat yang dipenuhi', 'Rules passed')}:</p><ul>{rules}</ul></details>"
        )
    return "".join(parts)


def unfilled_section(audit: Doc | None, unfilled: pd.DataFrame) -> str:
    rows = []
    items = (
        audit["unfilled"]
        if audit
        else [
            {
                "vacancy_id": r.vacancy_id,
                "title": "",
                "reason_id": r.detail,
                "reason_en": r.detail,
                "nearest": [],
            }
            for r in unfilled.itertuples()
        ]
    )
    for u in items:
        near = "; ".join(
            f"{_who(audit, n['employee_id'])}: {', '.join(n['failed_rules'])}" for n in u["nearest"]
        )
        rows.append(
            [
                td(u["vacancy_id"]),
                td(u.get("title", "")),
                f"<td>{t(u['reason_id'], u['reason_en'])}</td>",
                td(near),
            ]
        )
    headers = [
        t("Jabatan", "Vacancy"),
        t("Nama jabatan", "Title"),
        t("Alasan", "Reason"),
        t("Kandidat terdekat", "Nearest candidates"),
    ]
    return f"<h2>{t('Jabatan tidak terisi', 'Unfilled vacancies')}</h2>" + _table(
        "unfilled", headers, rows
    )


def counterfactual_section(audit: Doc) -> str:
    rows = []
    for c in audit["counterfactuals"]:
        gap = c.get("competency_gap")
        plan = ", ".join(f"{k} +{v}" for k, v in gap["plan"].items()) if gap else ""
        rows.append(
            [
                td(c["vacancy_id"]),
                td(_who(audit, c["employee_id"])),
                td(_num(c["merit_score"]), True),
                td(_num(c["margin"]) if c["reachable"] else "∞", True),
                td(plan),
            ]
        )
    headers = [
        t("Jabatan", "Vacancy"),
        t("Kandidat", "Candidate"),
        t("Skor", "Score"),
        t("Kenaikan minimum", "Smallest rise"),
        t("Menutup kesenjangan", "Closing gaps"),
    ]
    return (
        f"<h2>{t('Kontrafaktual', 'Counterfactuals')}</h2>"
        f"<p>{t(audit['counterfactual_basis_id'], audit['counterfactual_basis_en'])}</p>"
        + _table("counterfactuals", headers, rows)
    )


def _bars(groups: list[Doc]) -> str:
    shown = [g for g in groups if not g["suppressed"]]
    h = 22 * max(len(groups), 1) + 10
    out = [f'<svg role="img" width="520" height="{h}" xmlns="http://www.w3.org/2000/svg">']
    for i, g in enumerate(groups):
        y = 5 + 22 * i
        label = escape(g["group"])[:28]
        out.append(f'<text x="0" y="{y + 14}" font-size="12">{label}</text>')
        if g["suppressed"]:
            out.append(
                f'<text x="200" y="{y + 14}" font-size="12" fill="#777">suppressed (&lt;5)</text>'
            )
            continue
        w = (
            300 * (g["rate"] or 0) / max((x["rate"] or 0) for x in shown)
            if shown and max((x["rate"] or 0) for x in shown) > 0
            else 0
        )
        color = "#c00" if g["flag"] else "#0b5"
        out.append(f'<rect x="200" y="{y + 2}" width="{w:.1f}" height="16" fill="{color}"/>')
        out.append(f'<text x="{205 + w:.1f}" y="{y + 14}" font-size="12">{g["rate"]:.3f}</text>')
    return "".join(out) + "</svg>"


def disparity_section(audit: Doc) -> str:
    d = audit["disparity"]
    parts = [
        f"<h2>{t('Kesenjangan antar kelompok', 'Disparity by group')}</h2>",
        f"<p>{t(d['caveat_id'], d['caveat_en'])}</p>",
    ]
    for a in d["attributes"]:
        rows = [
            [
                td(g["group"]),
                td(g["eligible"] if not g["suppressed"] else "<5", True),
                td(g["placed"] if not g["suppressed"] else "–", True),
                td(_num(g["rate"]), True),
                td(_num(g["ratio"]), True),
            ]
            for g in a["groups"]
        ]
        for row, g in zip(rows, a["groups"], strict=True):
            if g["flag"]:
                row.append(f"<td>{t('di bawah 0,8', 'below 0.8')}</td>")
            else:
                row.append("<td></td>")
        head = [
            t("Kelompok", "Group"),
            t("Memenuhi syarat", "Eligible"),
            t("Ditempatkan", "Placed"),
            t("Tingkat", "Rate"),
            t("Rasio", "Ratio"),
            t("Tanda", "Flag"),
        ]
        table = _table(f"disparity-{escape(a['attribute'])}", head, rows)
        table = table.replace("<tr><td>", "<tr><td>", 1)
        parts.append(f"<h3>{escape(a['attribute'])}</h3>{_bars(a['groups'])}{table}")
    return "".join(parts)


def record_section(manifest: Doc, audit: Doc | None) -> str:
    blind = (audit or {}).get("blindness")
    text = t(blind["statement_id"], blind["statement_en"]) if blind else ""
    checks = "".join(
        f"<tr><td><code>{escape(c['code'])}</code></td><td>{t(c['name_id'], c['name_en'])}</td>"
        f"<td>{'✔' if c['passed'] else '✘'}</td></tr>"
        for c in (audit or {}).get("checks", [])
    )
    findings = "".join(
        f"<li>{t(f['message_id'], f['message_en'])}</li>" for f in (audit or {}).get("findings", [])
    )
    inputs = "".join(
        f"<tr><td>{escape(i['file'])}</td><td><code>{escape(i['sha256'])}</code></td></tr>"
        for i in manifest["data"]["inputs"]
    )
    return (
        f"<h2>{t('Kebutaan terhadap atribut yang dilindungi', 'Blindness to protected attributes')}"
        f"</h2><p>{text}</p>"
        f"<h2>{t('Pemeriksaan audit', 'Audit checks')}</h2><table id='checks'><tbody>{checks}"
        f"</tbody></table><ul>{findings}</ul>"
        f"<h2>{t('Catatan run', 'Run record')}</h2>"
        f"<p>merit {escape(manifest['merit_version'])} · OR-Tools "
        f"{escape(manifest['ortools_version'])} · seed {manifest['scenario']['seed']} · "
        f"{t('skenario', 'scenario')} sha256 <code>{escape(str(manifest['scenario']['sha256']))}"
        f"</code></p><table><tbody>{inputs}</tbody></table>"
    )


def render(
    manifest: Doc, placements: pd.DataFrame, unfilled: pd.DataFrame, audit: Doc | None
) -> str:
    static = files("merit") / "report"
    css = (static / "page.css").read_text(encoding="utf-8")
    js = (static / "page.js").read_text(encoding="utf-8")
    body = [summary(manifest, placements, unfilled, audit), placement_table(placements, audit)]
    if audit:
        body.append(explanations(audit))
    body.append(unfilled_section(audit, unfilled))
    if audit:
        body += [counterfactual_section(audit), disparity_section(audit)]
    body.append(record_section(manifest, audit))
    title = f"merit — {escape(manifest['scenario']['name'])}"
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<style>{css}</style></head><body data-lang="id">'
        f'<div class="switch"><button type="button" data-set-lang="id" id="lang-id">Bahasa '
        f'Indonesia</button><button type="button" data-set-lang="en" id="lang-en">English'
        f"</button></div><h1>{t('Laporan penempatan', 'Placement report')}: "
        f"{escape(manifest['scenario']['name'])}</h1>{''.join(body)}"
        f"<script>{js}</script></body></html>\n"
    )
