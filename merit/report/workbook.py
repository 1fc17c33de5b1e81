"""The sheets of ``report.xlsx``: Indonesian headers, numbers as numbers, the annex sheet."""

from __future__ import annotations

from typing import Any

import pandas as pd

from merit.audit.sayings import sentence
from merit.report.annex import HEADERS, rows
from merit.report.chains import chains_counts, chains_sheet
from merit.report.html import vacancy_units
from merit.report.sheets import Sheet
from merit.scoring import COMPONENTS

Doc = dict[str, Any]


def _plain(x: Any) -> Any:
    """numpy scalars to Python numbers; NaN to an empty cell."""
    if hasattr(x, "item"):
        x = x.item()
    if isinstance(x, float) and x != x:
        return None
    return x


def annex_sheet(annex: list[Doc], names: dict[str, str] | None) -> Sheet:
    named = names is not None
    heads = [i for i, _ in HEADERS if named or i != "Nama"]
    out = []
    for r in rows(annex, names):
        cells = [r["no"], r["nip"], *([r["name"]] if named else []), r["gol"], r["old"]]
        out.append(
            [*cells, r["old_unit"], r["new"], r["new_unit"], r["score"], r["rank"], r["note_id"]]
        )
    return heads, out


def report_sheets(
    manifest: Doc, placements: pd.DataFrame, unfilled: pd.DataFrame, audit: Doc | None
) -> dict[str, Sheet]:
    sol = manifest["solver"]
    tiers = sol.get("filled_by_tier") or []
    summary: list[list[Any]] = [
        ["Skenario", manifest["scenario"]["name"]],
        ["Status solver", sol["status"]],
        ["Terbukti optimal", "ya" if manifest["proven_optimal"] else "tidak"],
        [
            "Penempatan (perpindahan)" if "held_posts" in manifest.get("counts", {}) else "Terisi",
            len(placements),
        ],
        ["Tidak terisi", len(unfilled)],
        *[[f"Terisi, tingkat prioritas {i + 1}", int(v)] for i, v in enumerate(tiers)],
        ["Audit", "belum dijalankan" if audit is None else ("lulus" if audit["ok"] else "GAGAL")],
    ]
    counts = chains_counts(manifest, audit)
    if counts is not None:
        summary += [
            ["Lowongan terisi", int(manifest["counts"].get("vacancies_filled", 0))],
            ["Perpindahan", counts[0]],
            ["Rantai", counts[1]],
            ["Jabatan terisi yang dapat dibebaskan", counts[2]],
        ]
    sheets: dict[str, Sheet] = {"Ringkasan": (["Butir", "Nilai"], summary)}
    if audit is not None:
        sheets["Lampiran SK"] = annex_sheet(audit.get("annex", []), None)
    comps = [c for c in COMPONENTS if c.code in placements.columns]
    chain = [c for c in ("from_post", "chain", "step") if c in placements.columns]
    sheets["Penempatan"] = (
        [
            "Kode jabatan",
            "NIP",
            "Skor merit",
            "Peringkat",
            *[c.name_id for c in comps],
            *[
                {"from_post": "Jabatan asal", "chain": "Rantai", "step": "Langkah"}[c]
                for c in chain
            ],
        ],
        [
            [_plain(v) for v in r]
            for r in placements[
                ["vacancy_id", "employee_id", "merit_score", "rank_in_vacancy"]
                + [c.code for c in comps]
                + chain
            ].itertuples(index=False)
        ],
    )
    found = chains_sheet(audit)
    if found is not None:
        sheets["Rantai"] = found
    why = (audit or {}).get("unfilled", [])
    by_id = {u["vacancy_id"]: u for u in why}
    sheets["Tidak terisi"] = (
        ["Kode jabatan", "Nama jabatan", "Unit", "Alasan"],
        [
            [
                v,
                by_id.get(v, {}).get("title", ""),
                by_id.get(v, {}).get("unit", ""),
                by_id.get(v, {}).get("reason_id", d),
            ]
            for v, d in zip(unfilled["vacancy_id"], unfilled["detail"], strict=True)
        ],
    )
    if audit is None:
        return sheets
    above = audit.get("ranked_above", {})
    posts = vacancy_units(audit)
    sheets["Di atas yang ditempatkan"] = (
        ["Kode jabatan", "NIP", "Skor merit", "Peringkat", "Hasil"],
        [
            [v, e["employee_id"], e["merit_score"], e["rank"], sentence(e, "id", posts)]
            for v, a in above.items()
            for e in a["entries"]
        ],
    )
    sheets["Kontrafaktual"] = (
        ["Kode jabatan", "NIP", "Skor merit", "Kenaikan skor minimum", "Tercapai"],
        [
            [
                c["vacancy_id"],
                c["employee_id"],
                c["merit_score"],
                c["margin"],
                "ya" if c["reachable"] else "tidak",
            ]
            for c in audit["counterfactuals"]
        ],
    )
    sheets["Kesenjangan"] = (
        ["Atribut", "Kelompok", "Memenuhi syarat", "Ditempatkan", "Tingkat", "Rasio", "Tanda"],
        [
            [
                a["attribute"],
                g["group"],
                None if g["suppressed"] else g["eligible"],
                None if g["suppressed"] else g["placed"],
                g["rate"],
                g["ratio"],
                "di bawah ambang" if g["flag"] else "",
            ]
            for a in audit["disparity"]["attributes"]
            for g in a["groups"]
        ],
    )
    sheets["Pemeriksaan"] = (
        ["Kode", "Pemeriksaan", "Hasil"],
        [[c["code"], c["name_id"], "lulus" if c["passed"] else "GAGAL"] for c in audit["checks"]],
    )
    return sheets
