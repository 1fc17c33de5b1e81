"""``report.html``: one self-contained bilingual page (Indonesian default, English switch).

Summary first, then the annex, per-OPD sections with each vacancy's detail folded (its body
kept in an inert ``<template>`` and drawn when opened), then the audit. Everything is inline
(CSS, JS, SVG charts); every value from the data is escaped. No names: ``merit release`` only.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from importlib.resources import files
from typing import Any

import pandas as pd

from merit.report.annex import annex_section
from merit.report.chains import chains_section, chains_summary, held_posts
from merit.report.charts import disparity_section, fill_chart, rank_chart
from merit.report.detail import opd_sections, slug
from merit.report.text import method_words, num_cell, split_names, t
from merit.scoring import COMPONENTS

Doc = dict[str, Any]


def table(
    tid: str,
    caption: str,
    headers: list[str],
    rows: list[str],
    sortable: bool = True,
    kind: str = "",
) -> str:
    """A table with a caption and column headers (keyboard-sortable when ``sortable``)."""
    attrs = ' tabindex="0"' if sortable else ""
    head = "".join(f'<th scope="col"{attrs}>{h}</th>' for h in headers)
    classes = " ".join(c for c in ("sortable" if sortable else "", kind) if c)
    cls = f' class="{classes}"' if classes else ""
    idattr = f' id="{tid}"' if tid else ""
    return (
        f"<table{idattr}{cls}><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def td(value: Any, num: bool = False) -> str:
    text = escape("" if value is None else str(value))
    return f'<td class="num">{text}</td>' if num else f"<td>{text}</td>"


def search_box(target: str) -> str:
    return (
        f'<label class="search">{t("Cari", "Search")} <input type="search" '
        f'data-search-for="{target}"></label>'
    )


def _status(manifest: Doc, audit: Doc | None) -> str:
    sol = manifest["solver"]
    method = method_words(sol["method"])
    if manifest["proven_optimal"]:
        status = (
            f'<p class="ok">✔ {t("Terbukti optimal", "Proven optimal")} '
            f"({t('metode', 'method')}: {t(*method)})</p>"
        )
    else:
        status = (
            f'<p class="warn" id="not-proven">⚠ '
            f"{t('TIDAK terbukti optimal', 'NOT proven optimal')} "
            f"({escape(sol['status'])}, {t(*method)}): "
            + t(
                "solver berhenti sebelum membuktikan optimalitas.",
                "the solver stopped before proving optimality.",
            )
            + "</p>"
        )
    if audit is None:
        aud = f'<p class="warn">⚠ {t("Audit belum dijalankan.", "The audit has not run.")}</p>'
    elif audit["ok"]:
        aud = f'<p class="ok">✔ {t("Audit lulus", "Audit passed")}</p>'
    else:
        aud = (
            f'<p class="bad">✘ {t("Audit GAGAL", "Audit FAILED")}: '
            f"{len(audit['findings'])} {t('temuan', 'findings')}</p>"
        )
    return status + aud


def vacancy_units(audit: Doc | None) -> dict[str, tuple[str, str]]:
    """vacancy id -> (title, unit), from the audit's annex and unfilled list."""
    out: dict[str, tuple[str, str]] = {}
    for r in (audit or {}).get("annex", []):
        out[r["vacancy_id"]] = (r["new_title"], r["new_unit"])
    for u in (audit or {}).get("unfilled", []):
        out[u["vacancy_id"]] = (u.get("title", ""), u.get("unit", ""))
    return out


def summary(
    manifest: Doc, placements: pd.DataFrame, unfilled: pd.DataFrame, audit: Doc | None
) -> str:
    sol = manifest["solver"]
    sc = manifest["scenario"]
    tiers = sol.get("filled_by_tier") or []
    names = [x["name"] for x in sc["settings"].get("priority_tiers") or []]
    tier_rows = "".join(
        f"<tr><td>{t(*split_names(names[i])) if i < len(names) else t('Lainnya', 'Other')}</td>"
        f'<td class="num">{int(v)}</td></tr>'
        for i, v in enumerate(tiers)
    )
    counts = manifest.get("counts", {})
    filled_words, n_filled = t("Terisi", "Filled"), len(placements)
    if "held_posts" in counts:  # a chain round: placements are moves; say the vacancies filled
        filled_words = t("Lowongan terisi", "Vacancies filled")
        n_filled = int(counts.get("vacancies_filled", 0))
    parts = [
        f"<section id='summary'><h2>{t('Ringkasan', 'Summary')}</h2>",
        f"<p>{t('Skenario', 'Scenario')}: <b>{escape(sc['name'])}</b> · "
        f"{t('Tanggal penempatan', 'Placement date')}: "
        f"<b>{escape(str(sc['settings'].get('placement_date') or ''))}</b></p>",
        f"<p class='big'>{filled_words}: <b id='filled-count'>{n_filled}</b> · "
        f"{t('Tidak terisi', 'Unfilled')}: <b id='unfilled-count'>{len(unfilled)}</b></p>",
        _status(manifest, audit),
    ]
    if "held_posts" in counts:
        parts.insert(3, chains_summary(manifest, audit))
    tier_caption = t("Terisi per tingkat prioritas", "Filled per priority tier")
    if "held_posts" in counts:  # a chain round's fill counts every post held after the round
        tier_caption = t(
            "Jabatan terisi setelah putaran (lowongan dan jabatan terisi) per tingkat prioritas",
            "Posts held after the round (vacancies and held posts) per priority tier",
        )
    if tier_rows:
        parts.append(
            table(
                "tiers",
                tier_caption,
                [t("Tingkat prioritas", "Priority tier"), t("Terisi", "Filled")],
                [tier_rows],
                sortable=False,
            )
        )
    held = held_posts(audit)  # a chain round: fill per OPD counts the vacancies, not the refills
    units = {v: u for v, u in vacancy_units(audit).items() if v not in held}
    if units:
        filled = set(placements["vacancy_id"])
        per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for vid, (_, unit) in units.items():
            per[unit][0] += 1
            per[unit][1] += vid in filled
        rows = [
            f"<tr><td><a href='#opd-{slug(u)}'>{escape(u)}</a></td><td class='num'>{a}</td>"
            f"<td class='num'>{b}</td><td class='num'>{a - b}</td></tr>"
            for u, (a, b) in sorted(per.items())
        ]
        parts.append(fill_chart(dict(per)))
        parts.append(rank_chart([int(r) for r in placements["rank_in_vacancy"]]))
        parts.append(
            table(
                "opd",
                t("Pengisian per OPD", "Fill per OPD"),
                [
                    t("OPD", "OPD"),
                    t("Lowongan", "Vacancies"),
                    t("Terisi", "Filled"),
                    t("Tidak terisi", "Unfilled"),
                ],
                rows,
            )
        )
    parts.append("</section>")
    return "".join(parts)


def placement_table(placements: pd.DataFrame, audit: Doc | None) -> str:
    comps = [c for c in COMPONENTS if c.code in placements.columns]
    units = vacancy_units(audit)
    col = {c: placements[c].tolist() for c in placements.columns}
    chain = {"from_post", "chain", "step"} <= set(placements.columns)
    rows = []
    for i, vid in enumerate(col["vacancy_id"]):
        title, unit = units.get(vid, ("", ""))
        cells = [td(vid), td(col["employee_id"][i]), td(title), td(unit)]
        cells.append(num_cell(col["merit_score"][i]))
        cells.append(td(col["rank_in_vacancy"][i], True))
        cells += [num_cell(col[c.code][i], 2) for c in comps]
        if chain:
            fp = col["from_post"][i]
            cells += [td("" if pd.isna(fp) else fp), td(col["chain"][i], True)]
            cells.append(td(col["step"][i], True))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    headers = [
        t("Kode jabatan", "Vacancy"),
        "NIP",
        t("Nama jabatan", "Post"),
        t("Unit", "Unit"),
        t("Skor merit", "Merit score"),
        t("Peringkat", "Rank"),
        *[t(c.name_id, c.name_en) for c in comps],
    ]
    if chain:
        headers += [t("Jabatan asal", "Post left"), t("Rantai", "Chain"), t("Langkah", "Step")]
    return (
        f"<section id='placements-section'><details class='section'><summary><h2>"
        f"{t('Penempatan', 'Placements')} (<span data-count-for='placements'>"
        f"{len(placements)}</span>)</h2></summary>"
        + search_box("placements")
        + table("placements", t("Semua penempatan", "All placements"), headers, rows)
        + "</details></section>"
    )


def record_section(manifest: Doc, audit: Doc | None) -> str:
    blind = (audit or {}).get("blindness")
    text = t(blind["statement_id"], blind["statement_en"]) if blind else ""
    checks = [
        f"<tr><td><code>{escape(c['code'])}</code></td><td>{t(c['name_id'], c['name_en'])}</td>"
        + (
            f"<td class='ok-text'>✔ {t('lulus', 'passed')}</td>"
            if c["passed"]
            else f"<td class='bad-text'>✘ {t('GAGAL', 'FAILED')}</td>"
        )
        + "</tr>"
        for c in (audit or {}).get("checks", [])
    ]
    findings = "".join(
        f"<li>{t(f['message_id'], f['message_en'])}</li>" for f in (audit or {}).get("findings", [])
    )
    inputs = [
        f"<tr><td>{escape(i['file'])}</td><td><code>{escape(i['sha256'])}</code></td></tr>"
        for i in manifest["data"]["inputs"]
    ]
    return (
        "<section id='record'><h2>"
        + t("Kebutaan terhadap atribut yang dilindungi", "Blindness to protected attributes")
        + f"</h2><p>{text}</p>"
        f"<h2>{t('Pemeriksaan audit', 'Audit checks')}</h2>"
        + table(
            "checks",
            t("Pemeriksaan independen", "Independent checks"),
            [t("Kode", "Code"), t("Pemeriksaan", "Check"), t("Hasil", "Result")],
            checks,
        )
        + f"<ul>{findings}</ul><h2>{t('Catatan proses', 'Run record')}</h2>"
        f"<p>merit {escape(manifest['merit_version'])} · OR-Tools "
        f"{escape(manifest['ortools_version'])} · {t('benih acak', 'random seed')} "
        f"{manifest['scenario']['seed']} · {t('skenario', 'scenario')} SHA-256 "
        f"<code>{escape(str(manifest['scenario']['sha256']))}</code></p>"
        + table(
            "inputs",
            t("Berkas masukan dan sidik SHA-256", "Input files and their SHA-256"),
            [t("Berkas", "File"), "SHA-256"],
            inputs,
            sortable=False,
        )
        + "</section>"
    )


def page(title: str, body: str) -> str:
    """The self-contained page around ``body`` (style, script, language switch)."""
    static = files("merit") / "report"
    css = (static / "page.css").read_text(encoding="utf-8")
    js = (static / "page.js").read_text(encoding="utf-8")
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<style>{css}</style></head><body data-lang="id">'
        f'<nav class="switch" aria-label="Bahasa / Language"><button type="button" '
        f'data-set-lang="id" id="lang-id">Bahasa Indonesia</button><button type="button" '
        f'data-set-lang="en" id="lang-en">English</button>'
        f'<button type="button" class="print" data-print>{t("Cetak", "Print")}</button></nav>'
        f"<main>{body}</main><script>{js}</script></body></html>\n"
    )


def shortlist_section(audit: Doc) -> str:
    """JPT posts: filled by open selection, so the report lists the committee's candidates."""
    posts = audit.get("shortlists") or []
    if not posts:
        return ""
    rows = [
        f"<tr>{td(j['vacancy_id'])}{td(j['title'])}{td(j['unit'])}{td(n['rank'], num=True)}"
        f"{td(n['employee_id'])}{num_cell(n['merit_score'])}</tr>"
        for j in posts
        for n in j["names"]
    ]
    first = posts[0]
    return (
        f"<h2>{t('Daftar calon JPT (seleksi terbuka)', 'JPT shortlists (open selection)')}</h2>"
        f"<p>{t('Jabatan JPT pratama diisi melalui seleksi terbuka: proses ini tidak menempatkan siapa pun, tetapi menyusun daftar calon untuk panitia seleksi.', 'A JPT pratama post is filled by open selection: this run places nobody and ranks candidates for the selection committee.')} "  # noqa: E501
        f"[{t(first['basis'], first['basis_en'])}]</p>"
        + table(
            "shortlists",
            t("Daftar calon per jabatan", "Candidates per post"),
            [
                t("Kode jabatan", "Vacancy"),
                t("Jabatan", "Post"),
                t("Unit", "Unit"),
                t("Urutan", "Order"),
                "NIP",
                t("Skor merit", "Merit score"),
            ],
            rows,
        )
    )


def render(
    manifest: Doc, placements: pd.DataFrame, unfilled: pd.DataFrame, audit: Doc | None
) -> str:
    name = escape(manifest["scenario"]["name"])
    body = [
        f"<h1>{t('Laporan penempatan', 'Placement report')}: {name}</h1>",
        summary(manifest, placements, unfilled, audit),
    ]
    if audit:
        body.append(annex_section(manifest, audit.get("annex", [])))
        body.append(chains_section(audit))
        body.append(shortlist_section(audit))
    body.append(placement_table(placements, audit))
    if audit:
        body += [
            opd_sections(audit, vacancy_units(audit), search_box("opd-sections")),
            disparity_section(audit),
        ]
    else:
        rows = [
            f"<tr>{td(r.vacancy_id)}{td(r.detail)}</tr>" for r in unfilled.itertuples(index=False)
        ]
        body.append(
            f"<h2>{t('Jabatan tidak terisi', 'Unfilled vacancies')}</h2>"
            + table(
                "unfilled",
                t("Tidak terisi", "Unfilled"),
                [t("Kode jabatan", "Vacancy"), t("Alasan", "Reason")],
                rows,
            )
        )
    body.append(record_section(manifest, audit))
    return page(f"merit — {name}", "".join(body))
