"""``merit compare --out``: the comparison of two runs as a bilingual page and workbooks
(one with Indonesian headers, one with English), from ``RunDiff.to_dict()``."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from merit.audit.sayings import num
from merit.report.html import page, search_box, table, td
from merit.report.sheets import Sheet, write_book
from merit.report.text import n, num_cell, t

Doc = dict[str, Any]

#: Column headers, (Indonesian, English).
H = {
    "vacancy": ("Kode jabatan", "Vacancy"),
    "title": ("Nama jabatan", "Post"),
    "unit": ("Unit", "Unit"),
    "a": ("Pemegang di A", "Appointee in A"),
    "b": ("Pemegang di B", "Appointee in B"),
    "score_a": ("Skor di A", "Score in A"),
    "score_b": ("Skor di B", "Score in B"),
    "delta": ("Selisih", "Change"),
    "cause": ("Sebab", "Cause"),
    "nip": ("NIP", "NIP"),
    "vac_a": ("Jabatan di A", "Post in A"),
    "vac_b": ("Jabatan di B", "Post in B"),
    "vacancies": ("Lowongan", "Vacancies"),
    "filled_a": ("Terisi di A", "Filled in A"),
    "filled_b": ("Terisi di B", "Filled in B"),
    "lost": ("Jabatan hilang", "Posts lost"),
    "gained": ("Jabatan bertambah", "Posts gained"),
    "score_change": ("Perubahan jumlah skor", "Change of the total score"),
    "setting": ("Pengaturan", "Setting"),
}


def _h(key: str) -> str:
    return t(*H[key])


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(b - a, 4)


def render_comparison(d: Doc, causes: dict[str, tuple[str, str]]) -> str:
    fa, fb = d["filled"]["a"], d["filled"]["b"]
    ta, tb = d["total_score"]["a"], d["total_score"]["b"]
    head = (
        f"<h1>{t('Perbandingan dua penempatan', 'Comparison of two placements')}: "
        f"{escape(d['run_a'])} → "
        f"{escape(d['run_b'])}</h1><section id='summary'><h2>{t('Ringkasan', 'Summary')}</h2>"
        + table(
            "totals",
            t("Terisi dan jumlah skor", "Filled and total score"),
            ["", "A", "B", _h("delta")],
            [
                f"<tr><th scope='row'>{t('Terisi', 'Filled')}</th><td class='num'>{fa}</td>"
                f"<td class='num'>{fb}</td><td class='num'>{fb - fa:+d}</td></tr>",
                f"<tr><th scope='row'>{t('Jumlah skor', 'Total score')}</th>{num_cell(ta)}"
                f"{num_cell(tb)}{num_cell(round(tb - ta, 4))}</tr>",
            ],
            sortable=False,
        )
    )
    settings = [f"<tr>{td(s['key'])}{td(s['a'])}{td(s['b'])}</tr>" for s in d["settings"]]
    if settings:
        head += table(
            "settings",
            t("Pengaturan skenario yang berbeda", "Scenario settings that differ"),
            [_h("setting"), "A", "B"],
            settings,
        )
    cause_rows = [
        f"<tr><td>{t(*causes[c['code']])}</td><td class='num'>{c['posts_lost']}</td>"
        f"<td class='num'>{c['posts_gained']}</td>{num_cell(c['score_change'])}</tr>"
        for c in d["causes"]
    ]
    head += table(
        "causes",
        t("Sebab perubahan: apa yang memakan apa", "Causes of the change: what cost what"),
        [_h("cause"), _h("lost"), _h("gained"), _h("score_change")],
        cause_rows,
    )
    opd = [
        f"<tr>{td(o['unit'])}<td class='num'>{o['vacancies']}</td><td class='num'>"
        f"{o['filled_a']}</td><td class='num'>{o['filled_b']}</td><td class='num'>"
        f"{o['filled_b'] - o['filled_a']:+d}</td></tr>"
        for o in d["per_opd"]
    ]
    head += (
        table(
            "per-opd",
            t("Perubahan per OPD", "Change per OPD"),
            [_h("unit"), _h("vacancies"), _h("filled_a"), _h("filled_b"), _h("delta")],
            opd,
        )
        + "</section>"
    )
    changed = [
        f"<tr>{td(c['vacancy_id'])}{td(c['title'])}{td(c['unit'])}{td(c['employee_a'] or '–')}"
        f"{num_cell(c['score_a'])}{td(c['employee_b'] or '–')}{num_cell(c['score_b'])}"
        f"{num_cell(_delta(c['score_a'], c['score_b']))}<td>{t(c['cause_id'], c['cause_en'])}"
        "</td></tr>"
        for c in d["changed_vacancies"]
    ]
    body = (
        f"<section><h2>{t('Jabatan yang berganti pemegang', 'Posts that changed hands')} "
        f"({len(changed)})</h2>"
        + search_box("changed")
        + table(
            "changed",
            t("Pemegang di A dan di B", "Appointees in A and in B"),
            [_h(k) for k in ("vacancy", "title", "unit", "a", "score_a", "b", "score_b")]
            + [_h("delta"), _h("cause")],
            changed,
        )
        + "</section>"
    )
    people = (
        [
            f"<tr>{td(g['employee_id'])}<td>–</td>{td(g['vacancy_b'])}{td(g['title'])}"
            f"<td>{t('mendapat jabatan', 'gained a post')}</td></tr>"
            for g in d["gained"]
        ]
        + [
            f"<tr>{td(x['employee_id'])}{td(x['vacancy_a'])}<td>–</td>{td(x['title'])}"
            f"<td>{t('kehilangan jabatan', 'lost the post')}: {t(x['cause_id'], x['cause_en'])}"
            "</td></tr>"
            for x in d["lost"]
        ]
        + [
            f"<tr>{td(m['employee_id'])}{td(m['vacancy_a'])}{td(m['vacancy_b'])}<td></td>"
            f"<td>{t('pindah jabatan', 'moved')} "
            f"({n(_delta(m['score_a'], m['score_b']))})</td></tr>"
            for m in d["moved_employees"]
        ]
    )
    body += (
        f"<section><h2>{t('Pegawai yang terdampak', 'People affected')} ({len(people)})</h2>"
        + search_box("people")
        + table(
            "people",
            t("Mendapat, kehilangan atau pindah jabatan", "Gained, lost or moved post"),
            [_h("nip"), _h("vac_a"), _h("vac_b"), _h("title"), _h("cause")],
            people,
        )
        + "</section>"
    )
    return page(f"merit — {escape(d['run_a'])} → {escape(d['run_b'])}", head + body)


def comparison_sheets(d: Doc, causes: dict[str, tuple[str, str]], lang: str) -> dict[str, Sheet]:
    i = 0 if lang == "id" else 1

    def h(*keys: str) -> list[str]:
        return [H[k][i] for k in keys]

    names = {
        "summary": ("Ringkasan", "Summary"),
        "causes": ("Sebab", "Causes"),
        "opd": ("Per OPD", "Per OPD"),
        "changed": ("Berganti pemegang", "Changed hands"),
        "people": ("Pegawai", "People"),
    }
    fa, fb = d["filled"]["a"], d["filled"]["b"]
    ta, tb = d["total_score"]["a"], d["total_score"]["b"]
    filled, total = ("Terisi", "Filled")[i], ("Jumlah skor", "Total score")[i]
    return {
        names["summary"][i]: (
            ["", "A", "B", H["delta"][i]],
            [[filled, fa, fb, fb - fa], [total, ta, tb, round(tb - ta, 4)]]
            + [[s["key"], s["a"], s["b"], None] for s in d["settings"]],
        ),
        names["causes"][i]: (
            h("cause", "lost", "gained", "score_change"),
            [
                [causes[c["code"]][i], c["posts_lost"], c["posts_gained"], c["score_change"]]
                for c in d["causes"]
            ],
        ),
        names["opd"][i]: (
            h("unit", "vacancies", "filled_a", "filled_b"),
            [[o["unit"], o["vacancies"], o["filled_a"], o["filled_b"]] for o in d["per_opd"]],
        ),
        names["changed"][i]: (
            h("vacancy", "title", "unit", "a", "score_a", "b", "score_b", "delta", "cause"),
            [
                [
                    c["vacancy_id"],
                    c["title"],
                    c["unit"],
                    c["employee_a"],
                    c["score_a"],
                    c["employee_b"],
                    c["score_b"],
                    _delta(c["score_a"], c["score_b"]),
                    c["cause_id"] if lang == "id" else c["cause_en"],
                ]
                for c in d["changed_vacancies"]
            ],
        ),
        names["people"][i]: (
            h("nip", "vac_a", "vac_b", "score_a", "score_b", "cause"),
            [[g["employee_id"], None, g["vacancy_b"], None, g["score_b"], ""] for g in d["gained"]]
            + [
                [
                    x["employee_id"],
                    x["vacancy_a"],
                    None,
                    x["score_a"],
                    None,
                    x["cause_id"] if lang == "id" else x["cause_en"],
                ]
                for x in d["lost"]
            ]
            + [
                [m["employee_id"], m["vacancy_a"], m["vacancy_b"], m["score_a"], m["score_b"], ""]
                for m in d["moved_employees"]
            ],
        ),
    }


def write_comparison(d: Doc, causes: dict[str, tuple[str, str]], out: Path) -> list[Path]:
    """Write compare.html, compare.xlsx (Indonesian headers) and compare-en.xlsx into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    html = out / "compare.html"
    html.write_text(render_comparison(d, causes), encoding="utf-8")
    paths = [html]
    for lang, name in (("id", "compare.xlsx"), ("en", "compare-en.xlsx")):
        write_book(comparison_sheets(d, causes, lang), out / name)
        paths.append(out / name)
    return paths


__all__ = ["num", "write_comparison"]
