"""The words of ``merit explain`` in Indonesian and English, and one number format each."""

from __future__ import annotations

from typing import Any

from merit.audit.sayings import num

W: dict[str, tuple[str, str]] = {
    "employee": ("Pegawai", "Employee"),
    "placed_in": ("Ditempatkan di", "Placed in"),
    "not_placed": ("Tidak ditempatkan.", "Not placed."),
    "score": ("skor merit", "merit score"),
    "rank": ("peringkat", "rank"),
    "of": ("dari", "of"),
    "breakdown": ("Rincian skor", "Score breakdown"),
    "unassessed": ("belum diases", "not assessed"),
    "open_selection": (
        "Jabatan JPT pratama diisi melalui seleksi terbuka: proses ini tidak menempatkan siapa "
        "pun, tetapi menyusun daftar calon untuk panitia seleksi",
        "A JPT pratama post is filled by open selection: this run places nobody and ranks "
        "candidates for the selection committee",
    ),
    "shortlist": ("Daftar calon (paling banyak {n} nama)", "Shortlist (at most {n} names)"),
    "shortlist_empty": (
        "Tidak ada pegawai yang memenuhi syarat jabatan ini.",
        "Nobody meets the requirements of this post.",
    ),
    "rules": ("Syarat yang dipenuhi", "Rules passed"),
    "above": (
        "Yang skornya sama atau lebih tinggi dari yang ditempatkan",
        "Everyone scoring at least the appointee's score",
    ),
    "nobody_above": (
        "Tidak ada yang skornya menyamai atau melebihi yang ditempatkan.",
        "Nobody scored as high as the appointee.",
    ),
    "more": ("dan {n} lainnya", "and {n} more"),
    "all_of": ("Seluruhnya {n} orang", "All {n} of them"),
    "above_unlisted": (
        "skornya setara atau lebih tinggi; yang demikian di jabatan ini: {counts}",
        "a score at least the appointee's; such people at this post: {counts}",
    ),
    "next": (
        "Kandidat lain: yang diperlukan untuk merebut jabatan ini",
        "Other candidates: what it would take to win this post",
    ),
    "unfilled": ("Tidak terisi", "Unfilled"),
    "binding": ("Batasan yang mengikat", "Binding constraint"),
    "held": ("kandidat tertahan", "candidates held back"),
    "nearest": ("Kandidat terdekat", "Nearest candidate"),
    "fails": ("gagal pada", "fails"),
    "eligible_for": ("Memenuhi syarat untuk {n} jabatan", "Eligible for {n} posts"),
    "ineligible_for": (
        "Tidak memenuhi syarat untuk {n} jabatan; syarat yang gagal",
        "Not eligible for {n} posts; the rules failed",
    ),
    "on_posts": ("pada {n} jabatan", "on {n} posts"),
    "eg": ("misalnya", "e.g."),
    "appointee": ("yang ditempatkan", "appointee"),
    "why": ("Mengapa", "Why"),
    "lower": (
        "skor lebih rendah dari yang ditempatkan (selisih {d})",
        "a lower score than the appointee's (by {d})",
    ),
    "vac_unfilled": ("jabatan tidak terisi", "the post is unfilled"),
    "cf_tie": (
        "seri: dengan skornya sekarang total kota sama; pemecah seri yang menentukan",
        "tie: with their score as it is, the city's total is the same either way; the "
        "tie-break decided",
    ),
    "cf_inf": (
        "tidak dapat diraih dengan skor: menempatkannya di sini akan mengosongkan jabatan lain "
        "yang diprioritaskan atau melanggar batasan",
        "cannot be won by score: placing them here would leave a prioritised post empty or "
        "break a constraint",
    ),
    "cf_rise": ("kenaikan skor {m} akan merebut jabatan ini", "a score rise of {m} would win it"),
    "gap": ("dengan menutup kesenjangan kompetensi", "by closing competency gaps"),
    "not_eligible_here": (
        "Tidak memenuhi syarat untuk jabatan ini; syarat yang gagal",
        "Not eligible for this post; the rules failed",
    ),
    "compare": ("Dibandingkan dengan yang ditempatkan", "Compared with the appointee"),
    "component": ("Komponen", "Component"),
    "theirs": ("pegawai ini", "this employee"),
    "effect": ("pengaruh pada skor", "effect on the score"),
    "chain_moves": ("Rantai mutasi putaran ini", "This round's chain of moves"),
    "kept_post": (
        "Tetap memegang jabatannya sendiri: {post} (skor merit di sana {s})",
        "Kept their own post: {post} (merit score there {s})",
    ),
    "post_kept": (
        "Jabatan terisi: pemegangnya {e} tetap di jabatan ini (skor merit {s}); tidak ada "
        "yang dipindahkan ke sini",
        "A held post: its holder {e} kept it (merit score {s}); nobody moved in",
    ),
    "kept_why": (
        "Tidak ada perpindahan yang menaikkan total merit putaran lebih dari biaya perpindahannya "
        "(move_cost, kebijakan skenario) tanpa mengurangi jabatan yang terisi",
        "No move raised the round's total merit by more than its move cost (move_cost, "
        "scenario policy) without lowering the posts filled",
    ),
    "no_rules_detail": (
        "rincian syarat per jabatan tidak disimpan untuk proses sebesar ini",
        "the per-post rule detail is not kept for a run this large",
    ),
}


def w(key: str, lang: str, **values: Any) -> str:
    text = W[key][0 if lang == "id" else 1]
    return text.format(**values) if values else text


def f4(x: float, lang: str) -> str:
    return num(float(x), 4, lang)


def pick(doc: dict[str, Any], key: str, lang: str) -> str:
    """``doc[key + "_id"]`` or ``doc[key + "_en"]``."""
    return str(doc[f"{key}_{'id' if lang == 'id' else 'en'}"])
