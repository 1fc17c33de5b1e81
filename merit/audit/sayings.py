"""The sentences of the why-not facts: one template per outcome, in Indonesian and English.

Facts are stored compactly (an outcome code and its numbers); ``sentence`` writes them in
either language, and the report's page fills the same templates in the browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Outcome code -> (Indonesian, English) template; {w} is a vacancy whose {title} and {unit}
#: are looked up when the sentence is written.
TEMPLATES: dict[str, tuple[str, str]] = {
    "PLACED_ELSEWHERE": (
        "ditempatkan di {w} {title}, {unit} (skor di sana {s})",
        "placed in {w} {title}, {unit} (score there {s})",
    ),
    "MOVES_CAP": (
        "{unit}: {used} dari {limit} mutasi keluar sudah terpakai (batas per unit, kebijakan "
        "skenario)",
        "{unit}: {used} of {limit} moves out already used (limit per unit, scenario policy)",
    ),
    "BUDGET": (
        "anggaran tunjangan: {used} dari {budget} terpakai; perpindahan ini menambah {added} "
        "sehingga melebihi anggaran",
        "allowance budget: {used} of {budget} used; this move adds {added}, over the budget",
    ),
    "PINNED": (
        "jabatan ini ditetapkan skenario untuk pegawai yang ditempatkan",
        "the scenario pins this post to the appointee",
    ),
    "TIE_BREAK": (
        "skor sama; kalah pada pemecah seri: {key} ({vb} lawan {va} milik yang ditempatkan)",
        "same score; lost on the tie-break: {key} ({vb} against the appointee's {va})",
    ),
    "CHAIN": (
        "tidak ada satu batasan pun; menempatkannya di sini menurunkan total kota {g} poin lewat "
        "rangkaian perpindahan lain",
        "no single constraint; placing them here lowers the city's total by {g} points through "
        "a chain of other moves",
    ),
    "CHAIN_OPEN": (
        "tidak ada satu batasan pun; memerlukan rangkaian perpindahan lain yang menurunkan total",
        "no single constraint; it needs a chain of other moves that lowers the total",
    ),
    "STAYED": (
        "tetap memegang jabatannya sendiri {w} {title}, {unit} (skor di sana {s})",
        "kept their own post {w} {title}, {unit} (score there {s})",
    ),
    "MOVED_AWAY": (
        "ditempatkan di {w} {title}, {unit}; memindahkannya ke sini mengosongkan jabatan yang "
        "diprioritaskan atau melanggar batasan",
        "placed in {w} {title}, {unit}; moving them here would leave a prioritised post empty "
        "or break a constraint",
    ),
}
#: Tie-break keys (blinding.TIEBREAK_LAYOUT) in words.
KEYS: dict[str, tuple[str, str]] = {
    "rank": ("golongan", "golongan"),
    "months_in_rank": ("masa golongan (bulan)", "time in golongan (months)"),
    "education_grade": ("jenjang pendidikan", "education level"),
    "keyed_hash": (
        "undian berkunci yang ditetapkan skenario",
        "the keyed lottery fixed by the scenario",
    ),
}
#: Parameters written with four decimals; every other number is a whole number.
FLOATS = frozenset({"s", "g"})


def num(x: float, digits: int, lang: str) -> str:
    """One number format per language: 1.234,56 (id) and 1,234.56 (en)."""
    text = f"{x:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if lang == "id" else text


def say(
    code: str, params: Mapping[str, Any], lang: str, posts: Mapping[str, tuple[str, str]]
) -> str:
    """One outcome in words; ``posts`` maps a vacancy id to its (title, unit)."""
    i = 0 if lang == "id" else 1
    values: dict[str, str] = {}
    for k, v in params.items():
        if k == "key":
            values[k] = KEYS[str(v)][i]
        elif isinstance(v, int | float) and not isinstance(v, bool):
            values[k] = num(float(v), 4 if k in FLOATS else 0, lang)
        else:
            values[k] = str(v)
    if "w" in params:
        values["title"], values["unit"] = posts.get(str(params["w"]), ("", ""))
    return TEMPLATES[code][i].format(**values)


def sentence(fact: Mapping[str, Any], lang: str, posts: Mapping[str, tuple[str, str]]) -> str:
    """A fact's outcomes (``fact["why"]``: code and params each) joined in one sentence."""
    return "; ".join(say(x["code"], x.get("params", {}), lang, posts) for x in fact["why"])


#: Outcome code -> a short label, for counts ("12 held back by the moves-per-unit limit").
LABELS: dict[str, tuple[str, str]] = {
    "PLACED_ELSEWHERE": ("ditempatkan di jabatan lain", "placed in another post"),
    "MOVES_CAP": ("tertahan batas mutasi per unit", "held back by the moves-per-unit limit"),
    "BUDGET": ("tertahan anggaran tunjangan", "held back by the allowance budget"),
    "PINNED": ("tertahan penetapan skenario", "held back by a scenario pin"),
    "TIE_BREAK": ("kalah pada pemecah seri", "lost on the tie-break"),
    "CHAIN": ("memerlukan rangkaian perpindahan", "would need a chain of moves"),
    "CHAIN_OPEN": ("memerlukan rangkaian perpindahan", "would need a chain of moves"),
    "MOVED_AWAY": ("ditempatkan di jabatan lain", "placed in another post"),
    "STAYED": ("tetap di jabatannya sendiri", "kept their own post"),
}


def outcome_counts(outcomes: Mapping[str, int], lang: str) -> str:
    """``{"MOVES_CAP": 12, ...}`` as "12 held back by the moves-per-unit limit, ..."."""
    i = 0 if lang == "id" else 1
    return ", ".join(
        f"{num(n, 0, lang)} {LABELS[c][i]}"
        for c, n in sorted(outcomes.items(), key=lambda kv: (-kv[1], kv[0]))
    )


#: Why a chain of moves is no longer (``merit.audit.chains.ENDS``), (Indonesian, English).
CHAIN_ENDS: dict[str, tuple[str, str]] = {
    "NO_POST": (
        "rantai berakhir karena {e} tidak memegang jabatan dalam putaran ini, sehingga tidak "
        "ada jabatan yang ditinggalkan",
        "the chain ends because {e} held no post in this round, so no post was freed",
    ),
    "LEFT_EMPTY": (
        "rantai berakhir karena {p} yang ditinggalkan {e} dibiarkan kosong "
        "(FREED_NOT_REFILLED): tidak ada pengisian yang menaikkan jumlah terisi atau total merit",
        "the chain ends because {p}, freed by {e}, is left empty (FREED_NOT_REFILLED): no "
        "refill raised the fill or the total merit",
    ),
    "ROTATION": (
        "rantai tertutup (rotasi): {e} meninggalkan {p}, jabatan yang diisi pada langkah pertama",
        "a closed chain (rotation): {e} leaves {p}, the post filled at the first step",
    ),
    "BROKEN": (
        "rantai tidak dapat ditelusuri lebih jauh (lihat temuan AUD-CHAINS)",
        "the chain cannot be followed further (see the AUD-CHAINS findings)",
    ),
}
CHAIN_AT_LIMIT = (
    "panjangnya mencapai batas max_length {n} perpindahan (kebijakan skenario)",
    "it has reached max_length, {n} moves (scenario policy)",
)


def chain_sequence(chain: Mapping[str, Any], lang: str) -> str:
    """ "Rantai 3: A: POS-1 -> VAC-7 (skor 85,1234); B: POS-9 -> POS-1 (...); ..." (NIPs only,
    head first: the move into the vacant post, then the refill of the post it freed)."""
    i = 0 if lang == "id" else 1
    none, word, score = (("(tanpa jabatan)", "Rantai", "skor"), ("(no post)", "Chain", "score"))[i]
    links = "; ".join(
        f"{k['employee_id']}: {k['from_post'] or none} -> {k['vacancy_id']} "
        f"({score} {num(float(k['merit_score']), 4, lang)})"
        for k in chain["links"]
    )
    return f"{word} {chain['chain']}: {links}"


def chain_end(chain: Mapping[str, Any], lang: str, max_length: int | None = None) -> str:
    """Why the chain is no longer, in one sentence."""
    i = 0 if lang == "id" else 1
    last = chain["links"][-1]
    first = chain["links"][0]
    post = first["vacancy_id"] if chain["end"] == "ROTATION" else last["from_post"]
    text = CHAIN_ENDS[chain["end"]][i].format(e=last["employee_id"], p=post)
    if chain.get("at_max_length") and max_length is not None:
        text += "; " + CHAIN_AT_LIMIT[i].format(n=max_length)
    return text[0].upper() + text[1:] + "."
