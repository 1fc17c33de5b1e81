"""Pictures drawn into the page (inline SVG, no network), each with a text alternative:
selection rates by group with 95 % intervals, and proxy correlations of each component."""

from __future__ import annotations

import math
from html import escape
from typing import Any

from merit.audit.sayings import num
from merit.report.text import n, t
from merit.scoring import COMPONENTS

Doc = dict[str, Any]

ATTRIBUTES = {
    "gender": ("Jenis kelamin", "Gender"),
    "religion": ("Agama", "Religion"),
    "ethnicity": ("Suku", "Ethnicity"),
    "race": ("Ras", "Race"),
    "marital_status": ("Status perkawinan", "Marital status"),
    "birth_place": ("Tempat lahir", "Birth place"),
    "disability": ("Disabilitas", "Disability"),
    "political_affiliation": ("Afiliasi politik", "Political affiliation"),
    "age_band": ("Kelompok umur", "Age band"),
}


def _component(code: str) -> tuple[str, str]:
    for c in COMPONENTS:
        if c.code == code:
            return c.name_id, c.name_en
    return code, code


def attribute(code: str) -> tuple[str, str]:
    return ATTRIBUTES.get(code, (code.replace("_", " "), code.replace("_", " ")))


def wilson(placed: int, eligible: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson score interval of a proportion."""
    if eligible <= 0:
        return 0.0, 0.0
    p = placed / eligible
    d = 1 + z * z / eligible
    c = (p + z * z / (2 * eligible)) / d
    h = z * math.sqrt(p * (1 - p) / eligible + z * z / (4 * eligible * eligible)) / d
    return max(0.0, c - h), min(1.0, c + h)


def pct(x: float, lang: str) -> str:
    return f"{num(100 * x, 1, lang)} %"


def _rates_svg(key: str, groups: list[Doc], label_id: str, label_en: str) -> str:
    shown = [g for g in groups if not g["suppressed"]]
    h = 24 * max(len(groups), 1) + 24
    top = max([wilson(g["placed"], g["eligible"])[1] for g in shown] + [0.01])
    scale = 330 / top
    desc_id, desc_en = [], []
    out = [
        f'<svg role="img" viewBox="0 0 700 {h}" width="100%" style="max-width:700px" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="chart-{escape(key)}">'
        f'<title id="chart-{escape(key)}">{escape(label_id)} / {escape(label_en)}</title>'
    ]
    for i, g in enumerate(groups):
        y = 8 + 24 * i
        label = escape(str(g["group"]))
        out.append(f'<text x="218" y="{y + 14}" font-size="12" text-anchor="end">{label}</text>')
        if g["suppressed"]:
            out.append(
                f'<text x="226" y="{y + 14}" font-size="12" fill="#555">'
                f'<tspan class="l-id">disembunyikan (&lt;5)</tspan>'
                f'<tspan class="l-en">suppressed (&lt;5)</tspan></text>'
            )
            continue
        lo, hi = wilson(g["placed"], g["eligible"])
        w = g["rate"] * scale
        fill = "#b00020" if g["flag"] else "#1f5fa8"
        pattern = ' stroke="#000" stroke-dasharray="4 2"' if g["flag"] else ""
        out.append(
            f'<rect x="226" y="{y + 3}" width="{w:.1f}" height="14" fill="{fill}"{pattern}/>'
            f'<line x1="{226 + lo * scale:.1f}" x2="{226 + hi * scale:.1f}" y1="{y + 10}" '
            f'y2="{y + 10}" stroke="#000" stroke-width="1.5"/>'
        )
        mark = " ⚠" if g["flag"] else ""
        out.append(
            f'<text x="{232 + hi * scale:.1f}" y="{y + 14}" font-size="12">'
            f'<tspan class="l-id">{pct(g["rate"], "id")}{mark}</tspan>'
            f'<tspan class="l-en">{pct(g["rate"], "en")}{mark}</tspan></text>'
        )
        desc_id.append(
            f"{g['group']}: {pct(g['rate'], 'id')} (95 % {pct(lo, 'id')}–{pct(hi, 'id')})"
            + (" di bawah ambang" if g["flag"] else "")
        )
        desc_en.append(
            f"{g['group']}: {pct(g['rate'], 'en')} (95 % {pct(lo, 'en')}–{pct(hi, 'en')})"
            + (" below the threshold" if g["flag"] else "")
        )
    out.append("</svg>")
    alt = t("; ".join(desc_id), "; ".join(desc_en))
    return "".join(out) + f"<p class='alt'>{alt}</p>"


def _pct(x: float, hi: float | None = None) -> str:
    if hi is None:
        return t(pct(x, "id"), pct(x, "en"))
    return t(f"{pct(x, 'id')}–{pct(hi, 'id')}", f"{pct(x, 'en')}–{pct(hi, 'en')}")


def _shade(x: float) -> str:
    """A light red background growing with the value; text stays dark (contrast)."""
    return f"rgba(176,0,32,{min(x * 3, 0.35):.2f})"


_flag = "⚠ " + t("di bawah ambang", "below the threshold")


def disparity_section(audit: Doc) -> str:
    d = audit["disparity"]
    thr = d.get("threshold", 0.8)
    parts = [
        f"<section id='disparity'><h2>{t('Kesenjangan antar kelompok', 'Disparity by group')}</h2>",
        f"<p>{t(d['caveat_id'], d['caveat_en'])}</p>",
        "<p>"
        + t(
            "Tingkat penempatan = ditempatkan / memenuhi syarat; garis hitam: selang kepercayaan "
            "95 % (Wilson); rasio terhadap kelompok rujukan (tingkat tertinggi); ditandai ⚠ "
            "bila di bawah ",
            "Selection rate = placed / eligible; black line: 95 % confidence interval (Wilson); "
            "ratio to the reference group (highest rate); marked ⚠ when below ",
        )
        + f"{n(thr, 2)}.</p>",
    ]
    for a in d["attributes"]:
        aid, aen = attribute(a["attribute"])
        shown = [g for g in a["groups"] if not g["suppressed"]]
        ref = max(shown, key=lambda g: g["rate"] or 0)["group"] if shown else ""
        rows = []
        for g in a["groups"]:
            sup = g["suppressed"]
            lo, hi = (0.0, 0.0) if sup else wilson(g["placed"], g["eligible"])
            rows.append(
                "<tr>"
                f"<td>{escape(str(g['group']))}</td>"
                f"<td class='num'>{'&lt;5' if sup else g['eligible']}</td>"
                f"<td class='num'>{'–' if sup else g['placed']}</td>"
                f"<td class='num'>{'–' if sup or g['rate'] is None else _pct(g['rate'])}</td>"
                f"<td class='num'>{'–' if sup else _pct(lo, hi)}</td>"
                f"<td class='num'>{'–' if sup else n(g['ratio'], 2)}</td>"
                f"<td>{_flag if g['flag'] else ''}</td>"
                "</tr>"
            )
        head = [
            t("Kelompok", "Group"),
            t("Memenuhi syarat", "Eligible"),
            t("Ditempatkan", "Placed"),
            t("Tingkat", "Rate"),
            t("Selang 95 %", "95 % interval"),
            t("Rasio", "Ratio"),
            t("Tanda", "Flag"),
        ]
        body = "".join(rows)
        parts.append(
            f"<h3>{t(aid, aen)}</h3>"
            f"<p>{t('Kelompok rujukan', 'Reference group')}: <b>{escape(str(ref))}</b></p>"
            + _rates_svg(a["attribute"], a["groups"], aid, aen)
            + f"<table class='sortable'><caption>{t(aid, aen)}</caption><thead><tr>"
            + "".join(f'<th scope="col" tabindex="0">{h}</th>' for h in head)
            + f"</tr></thead><tbody>{body}</tbody></table>"
        )
    proxy = d.get("proxy") or []
    if proxy:
        comps = sorted({p["component"] for p in proxy})
        attrs = sorted({p["attribute"] for p in proxy})
        val = {(p["attribute"], p["component"]): p["score"] for p in proxy}
        rows = []
        for a in attrs:
            cells = "".join(
                f"<td class='num' style='background:{_shade(val.get((a, c), 0))}'>"
                f"{n(val.get((a, c)), 3)}</td>"
                for c in comps
            )
            rows.append(f"<tr><th scope='row'>{t(*attribute(a))}</th>{cells}</tr>")
        parts.append(
            f"<h3>{t('Korelasi proksi', 'Proxy correlations')}</h3><p>"
            + t(
                "Bagian keragaman tiap komponen skor yang dijelaskan oleh kelompok (eta kuadrat, "
                "0 = tidak ada, 1 = seluruhnya); warna lebih gelap = lebih besar.",
                "Share of each score component's variance explained by the group (eta squared, "
                "0 = none, 1 = all); darker = larger.",
            )
            + "</p><table><caption>"
            + t("Korelasi proksi", "Proxy correlations")
            + "</caption><thead><tr><th scope='col'>"
            + t("Atribut", "Attribute")
            + "</th>"
            + "".join(f"<th scope='col'>{t(*_component(c))}</th>" for c in comps)
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    parts.append("</section>")
    return "".join(parts)


def _bar_rows(
    rows: list[tuple[str, list[tuple[float, str]], str, str]], title: tuple[str, str]
) -> str:
    """Horizontal stacked bars: (label, [(value, colour), ...], text id, text en) per row;
    bars scaled to the largest row total; each row's numbers written beside it."""
    top = max([sum(v for v, _ in parts) for _, parts, _, _ in rows] + [1.0])
    h = 20 * len(rows) + 8
    out = [
        f'<svg role="img" viewBox="0 0 800 {h}" width="100%" style="max-width:800px" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title[0])} / {escape(title[1])}'
        "</title>"
    ]
    for i, (label, parts, tid, ten) in enumerate(rows):
        y = 4 + 20 * i
        out.append(
            f'<text x="368" y="{y + 12}" font-size="10.5" text-anchor="end">{escape(label)}</text>'
        )
        x = 374.0
        for value, colour in parts:
            w = 300 * value / top
            out.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="13" fill="{colour}"/>'
            )
            x += w
        out.append(
            f'<text x="{x + 6:.1f}" y="{y + 12}" font-size="11"><tspan class="l-id">'
            f'{escape(tid)}</tspan><tspan class="l-en">{escape(ten)}</tspan></text>'
        )
    return "".join(out) + "</svg>"


def fill_chart(per: dict[str, list[int]]) -> str:
    """Vacancies per OPD, filled (blue) and unfilled (hatched grey), with a text alternative."""
    rows = [
        (u, [(float(b), "#1f5fa8"), (float(a - b), "#9aa3ad")], f"{b} dari {a}", f"{b} of {a}")
        for u, (a, b) in sorted(per.items())
    ]
    alt_id = "; ".join(f"{u}: {b} dari {a} terisi" for u, (a, b) in sorted(per.items()))
    alt_en = "; ".join(f"{u}: {b} of {a} filled" for u, (a, b) in sorted(per.items()))
    title = (
        "Pengisian per OPD (biru: terisi; abu-abu: tidak terisi)",
        "Fill per OPD (blue: filled; grey: unfilled)",
    )
    return (
        f"<h3>{t(*title)}</h3>" + _bar_rows(rows, title) + f"<p class='alt'>{t(alt_id, alt_en)}</p>"
    )


#: Bands of the appointee's rank among the eligible candidates of their post.
RANK_BANDS = ((1, 1), (2, 2), (3, 3), (4, 5), (6, 10), (11, 25), (26, 10**9))


def rank_chart(ranks: list[int]) -> str:
    """How many appointees were first, second, ... in their post's ranking."""
    counts = []
    for lo, hi in RANK_BANDS:
        label = str(lo) if lo == hi else (f"{lo}–{hi}" if hi < 10**9 else f"≥ {lo}")
        counts.append((label, sum(lo <= r <= hi for r in ranks)))
    rows = [(lab, [(float(c), "#1f5fa8")], str(c), str(c)) for lab, c in counts]
    title = (
        "Peringkat yang ditempatkan dalam urutan jabatannya",
        "The appointee's rank in their post's ranking",
    )
    alt_id = "; ".join(f"peringkat {lab}: {c}" for lab, c in counts)
    alt_en = "; ".join(f"rank {lab}: {c}" for lab, c in counts)
    note = t(
        "Peringkat di atas 1 berarti kandidat yang lebih tinggi ditempatkan di jabatan lain atau "
        "tertahan batasan; lihat tabel tiap jabatan.",
        "A rank above 1 means higher-ranked candidates went to other posts or were held back "
        "by a constraint; see each post's table.",
    )
    return (
        f"<h3>{t(*title)}</h3>"
        + _bar_rows(rows, title)
        + f"<p class='alt'>{t(alt_id, alt_en)}. {note}</p>"
    )
