"""The Daftar usulan / Lampiran SK: appointees grouped by OPD with old and new post, for the
TPK meeting and the decree. Names appear only when ``merit release`` passes them in."""

from __future__ import annotations

from html import escape
from itertools import groupby
from typing import Any

from merit.report.text import num_cell, split_names, t

Doc = dict[str, Any]


def level_label(code: str) -> str:
    """``jf_ahli_muda`` -> ``JF Ahli Muda``; ``jpt_pratama`` -> ``JPT Pratama``."""
    if not code:
        return ""
    if code.startswith("jf_"):
        return "JF " + code[3:].replace("_", " ").title()
    if code.startswith("jpt_"):
        return "JPT " + code[4:].replace("_", " ").title()
    return code.replace("_", " ").title()


#: (Indonesian, English) column headers of the annex; "Nama" only in the released list.
HEADERS = [
    ("No", "No"),
    ("NIP", "NIP"),
    ("Nama", "Name"),
    ("Pangkat/Gol", "Rank/grade"),
    ("Jabatan lama", "Former post"),
    ("Unit lama", "Former unit"),
    ("Jabatan baru", "New post"),
    ("Unit baru", "New unit"),
    ("Skor", "Score"),
    ("Peringkat", "Rank in post"),
    ("Keterangan", "Notes"),
]


def rows(annex: list[Doc], names: dict[str, str] | None) -> list[dict[str, Any]]:
    """The annex as plain records (both languages where words differ), numbered per list."""
    out = []
    for i, r in enumerate(annex, start=1):
        old = level_label(r["old_level"]) + (f" ({r['old_post']})" if r["old_post"] else "")
        pid, pen = split_names(r["priority"])
        note_id = f"Prioritas: {pid}" if r["priority"] else ""
        note_en = f"Priority: {pen}" if r["priority"] else ""
        if "chain" in r:  # a chain round: the mover's chain and step
            sep = "; " if note_id else ""
            note_id += f"{sep}Rantai {r['chain']}, langkah {r['step']}"
            note_en += f"{sep}Chain {r['chain']}, step {r['step']}"
        out.append(
            {
                "no": i,
                "nip": r["employee_id"],
                "name": (names or {}).get(r["employee_id"], ""),
                "gol": f"{r['pangkat']} ({r['golongan']})"
                if r["golongan"]
                else r.get("status", ""),
                "old": old,
                "old_unit": r["old_unit"],
                "new": f"{r['new_title']} ({r['vacancy_id']})",
                "new_unit": r["new_unit"],
                "score": r["merit_score"],
                "rank": r["rank_in_vacancy"],
                "note_id": note_id,
                "note_en": note_en,
            }
        )
    return out


def _cells(r: dict[str, Any], named: bool) -> str:
    txt = [r["nip"], *([r["name"]] if named else []), r["gol"], r["old"], r["old_unit"]]
    txt += [r["new"], r["new_unit"]]
    cells = [f'<td class="num">{r["no"]}</td>'] + [f"<td>{escape(str(x))}</td>" for x in txt]
    cells.append(num_cell(r["score"]) + f'<td class="num">{r["rank"]}</td>')
    cells.append(f"<td>{t(r['note_id'], r['note_en'])}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def annex_section(manifest: Doc, annex: list[Doc], names: dict[str, str] | None = None) -> str:
    """The annex grouped by OPD (new unit), with the round's date and the TPK signature block."""
    named = names is not None
    heads = [h for h in HEADERS if named or h[0] != "Nama"]
    head = "".join(f'<th scope="col">{t(i, e)}</th>' for i, e in heads)
    recs = rows(annex, names)
    date = manifest["scenario"]["settings"].get("placement_date") or ""
    parts = [
        '<section id="annex" class="annex">',
        f"<h2>{t('Daftar usulan / Lampiran SK', 'Proposed list / decree annex')}</h2>",
        f"<p>{t('Skenario', 'Scenario')}: <b>{escape(manifest['scenario']['name'])}</b> · "
        f"{t('Tanggal penempatan', 'Placement date')}: <b>{escape(str(date))}</b> · "
        f"{t('Jumlah', 'Total')}: <b>{len(recs)}</b></p>",
    ]
    if not named:
        parts.append(
            "<p class='note'>"
            + t(
                "Nama tidak dimuat: daftar bernama dibuat hanya setelah keputusan, dengan "
                "perintah merit release.",
                "Names are left out: the named list is made only after the decision, with the "
                "merit release command.",
            )
            + "</p>"
        )
    parts.append(
        f'<label class="search">{t("Cari", "Search")} <input type="search" '
        'data-search-for="annex"></label>'
    )
    # a long list starts folded (it opens to print); a city round's list starts open
    parts.append(f"<details class='section'{' open' if len(recs) <= 200 else ''}><summary>")
    parts.append(f"{t('Daftar per OPD', 'List per OPD')}</summary>")
    kind = "annex-table named" if named else "annex-table"
    for unit, group in groupby(recs, key=lambda r: r["new_unit"]):
        items = list(group)
        body = "".join(_cells(r, named) for r in items)
        parts.append(
            f"<table class='{kind}'><caption>{escape(unit)} ({len(items)})</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    parts.append("</details>")
    parts.append(
        "<div class='signature'><p>"
        + t(
            "Ditetapkan di ____________, tanggal ____________",
            "Set at ____________, on ____________",
        )
        + "</p><p>"
        + t("Tim Penilai Kinerja (TPK)", "Performance Assessment Team (TPK)")
        + "</p><p>"
        + t("Ketua,", "Chair,")
        + "</p><p class='sign-line'>( ______________________________ )</p><p>NIP "
        "______________________</p></div></section>"
    )
    return "".join(parts)
