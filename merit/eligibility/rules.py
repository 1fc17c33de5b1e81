"""The eligibility rules, each cited and individually tested (tests/test_eligibility_rules.py).

Figures marked (verify) in the citations come from DOMAIN.md's secondary sources; every one
of them is a default in ``merit/data/position_defaults.csv`` or the scenario, not code.
"""

from __future__ import annotations

import numpy as np

from merit.eligibility.prepare import Pairs, Prepared
from merit.eligibility.registry import Bools, Facts, rule
from merit.segments import concat_ranges


def _no_pairs() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


@rule(
    "ELIG-STATUS",
    "Employment status allowed",
    "Status kepegawaian diizinkan",
    "PNS may take any post; PPPK only JF or pelaksana posts opened to them.",
    "PNS dapat menduduki semua jabatan; PPPK hanya jabatan fungsional atau pelaksana yang "
    "dibuka untuk PPPK.",
    "UU 20/2023 tentang ASN; PP 49/2018 tentang Manajemen PPPK (verify)",
)
def status(p: Pairs) -> tuple[Bools, Facts]:
    pns = p.ev(p.prep.e_pns)
    open_ = p.vv("pppk") & ~p.vv("structural").astype(bool)
    return pns | open_, {"candidate_is_pns": pns, "post_open_to_pppk": open_}


@rule(
    "ELIG-RANK-MIN",
    "Minimum golongan",
    "Golongan minimal",
    "A PNS must hold at least the post's minimum golongan (not applicable to PPPK).",
    "PNS harus memiliki golongan paling rendah sesuai syarat jabatan (tidak berlaku bagi PPPK).",
    "PP 11/2017 jo. PP 17/2020 Pasal 54; PP 13/2002 (rank bands, verify)",
)
def rank_min(p: Pairs) -> tuple[Bools, Facts]:
    rank = p.ev(p.prep.e_rank)
    need = p.vv("min_rank").astype(np.int64)
    pns = p.ev(p.prep.e_pns)
    return ~pns | (rank >= need), {"candidate_rank": rank, "required_rank": need}


@rule(
    "ELIG-EDU-MIN",
    "Minimum education",
    "Pendidikan minimal",
    "The candidate's education grade is at least the post's minimum (D-IV counts as S1).",
    "Tingkat pendidikan kandidat paling rendah sesuai syarat jabatan (D-IV setara S1).",
    "PP 11/2017 jo. PP 17/2020 Pasal 54 (verify)",
)
def edu_min(p: Pairs) -> tuple[Bools, Facts]:
    edu = p.ev(p.prep.e_edu)
    need = p.vv("min_edu").astype(np.int64)
    return edu >= need, {"candidate_education_grade": edu, "required_education_grade": need}


@rule(
    "ELIG-EDU-FIELD",
    "Required field of study",
    "Bidang pendidikan yang disyaratkan",
    "When the post names fields of study, the candidate's field is one of them.",
    "Jika jabatan menyebut bidang pendidikan, bidang kandidat termasuk salah satunya.",
    "PP 11/2017 Pasal 54; Anjab/ABK of the post (DOMAIN.md §5)",
)
def edu_field(p: Pairs) -> tuple[Bools, Facts]:
    ok = ~p.prep.v_has_fields[p.v] | p.prep.field_ok(p.e, p.v)
    return ok, {"candidate_field_matches": ok}


@rule(
    "ELIG-PROGRESSION",
    "Position level progression",
    "Jenjang jabatan",
    "The candidate's current level is the post's level or one step below (equalised grades: "
    "administrator = JF ahli muda, pengawas = JF ahli pertama).",
    "Jenjang jabatan kandidat setara atau satu tingkat di bawah jabatan (penyetaraan: "
    "administrator = JF ahli muda, pengawas = JF ahli pertama).",
    "PermenPANRB 17/2021 (penyetaraan jabatan); PP 11/2017 Pasal 54 (verify)",
)
def progression(p: Pairs) -> tuple[Bools, Facts]:
    grade = p.ev(p.prep.e_grade)
    need = p.vv("grade").astype(np.int64)
    return (grade >= need - 1) & (grade <= need), {"candidate_grade": grade, "post_grade": need}


@rule(
    "ELIG-EXPERIENCE",
    "Experience at the feeder level",
    "Pengalaman pada jenjang sebelumnya",
    "The candidate has served the minimum years at or above the post's feeder level "
    "(e.g. 3 years as pengawas for an administrator post).",
    "Kandidat telah menjabat minimal sekian tahun pada jenjang pengumpan (misalnya 3 tahun "
    "sebagai pengawas untuk jabatan administrator).",
    "PP 11/2017 jo. PP 17/2020 Pasal 54 ayat (2)-(3) (verify)",
)
def experience(p: Pairs) -> tuple[Bools, Facts]:
    years = p.ev(p.prep.e_years)
    grade = p.ev(p.prep.e_grade)
    need = p.vv("min_exp").astype(np.float64)
    feeder = p.vv("feeder").astype(np.int64)
    ok = (need <= 0) | ((grade >= feeder) & (years >= need))
    return ok, {"candidate_years": np.round(years, 2), "required_years": need}


@rule(
    "ELIG-JF-FAMILY",
    "Functional family",
    "Rumpun jabatan fungsional",
    "A JF post needs a candidate of the same JF family, or a candidate outside any JF whose "
    "field of study is one the post names (a lawful move into the JF).",
    "Jabatan fungsional memerlukan kandidat dari rumpun JF yang sama, atau kandidat non-JF "
    "dengan bidang pendidikan yang disebut jabatan (perpindahan ke dalam JF).",
    "PermenPANRB 1/2023 tentang Jabatan Fungsional (perpindahan dari jabatan lain, verify)",
)
def jf_family(p: Pairs) -> tuple[Bools, Facts]:
    is_jf_post = p.vv("is_jf").astype(bool)
    e_fam, v_fam = p.prep.family_codes
    same = e_fam[p.e] == v_fam[p.v]
    move_in = ~p.ev(p.prep.e_is_jf) & p.prep.field_ok(p.e, p.v)
    return ~is_jf_post | same | move_in, {"same_family": same, "lawful_move_in": move_in}


@rule(
    "ELIG-SKP",
    "Recent performance (SKP)",
    "Kinerja terakhir (SKP)",
    "Each of the last N SKP years before the placement year is present and at least the "
    "scenario's minimum predikat (default: Baik in each of the last 2 years).",
    "Setiap SKP N tahun terakhir sebelum tahun penempatan tersedia dan paling rendah predikat "
    "minimum skenario (bawaan: Baik dalam 2 tahun terakhir).",
    "PP 11/2017 jo. PP 17/2020 Pasal 54; PermenPANRB 6/2022 (predikat kinerja)",
)
def skp(p: Pairs) -> tuple[Bools, Facts]:
    ok_e, worst = p.prep.e_skp
    required = p.vv("skp").astype(bool)
    return ~required | p.ev(ok_e), {"worst_predikat_ordinal": p.ev(worst)}


@rule(
    "ELIG-SANCTION",
    "No bar from a disciplinary sanction",
    "Tidak sedang menjalani hukuman disiplin",
    "A medium or heavy disciplinary sanction in force on the placement date bars the move.",
    "Hukuman disiplin tingkat sedang atau berat yang masih berlaku pada tanggal penempatan "
    "menghalangi penempatan.",
    "PP 94/2021 tentang Disiplin PNS (verify the exact list)",
)
def sanction(p: Pairs) -> tuple[Bools, Facts]:
    bars = p.ev(p.prep.e_sanction_bars)
    return ~bars, {"sanction_in_force": bars}


@rule(
    "ELIG-RETIREMENT",
    "Not reaching retirement age (BUP)",
    "Belum mencapai batas usia pensiun",
    "The candidate does not reach the post's retirement age within the scenario's window "
    "after the placement date (the only use of birth date).",
    "Kandidat tidak mencapai batas usia pensiun jabatan dalam jangka waktu skenario setelah "
    "tanggal penempatan (satu-satunya penggunaan tanggal lahir).",
    "PP 11/2017 Pasal 239 (BUP 58 / 60 / 65)",
)
def retirement(p: Pairs) -> tuple[Bools, Facts]:
    birth = p.ev(p.prep.e_birth_month)
    bup_years = p.vv("bup").astype(np.int64)
    reach = birth + (bup_years * 12).astype("timedelta64[M]")
    window = np.datetime64(p.prep.placement.strftime("%Y-%m"), "M") + np.timedelta64(
        p.prep.scenario.eligibility.retirement_window_months, "M"
    )
    return reach > window, {}


def _nepotism_columns(prep: Prepared) -> list[str]:
    scope = prep.scenario.eligibility.nepotism_scope
    if scope == "off" or not len(prep.related_keys):
        return []
    return ["superior_id"] + (["unit_head_id"] if scope == "superior_and_unit_head" else [])


def _related_to_boss(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """Every (employee, vacancy) pair where the employee is related to the post's superior
    (or unit head, per scope)."""
    columns = _nepotism_columns(prep)
    if not columns:
        return _no_pairs()
    n_emp = len(prep.e_id)
    by_boss = np.argsort(prep.related_keys % n_emp, kind="stable")
    boss_sorted = (prep.related_keys % n_emp)[by_boss]
    partner = (prep.related_keys // n_emp)[by_boss]
    es, vs = [], []
    for column in columns:
        boss = prep.boss_rows(column)
        lo = np.searchsorted(boss_sorted, boss, side="left")
        count = np.searchsorted(boss_sorted, boss, side="right") - lo
        es.append(partner[concat_ranges(lo, count)])
        vs.append(np.repeat(np.arange(len(boss), dtype=np.int64), count))
    return np.concatenate(es), np.concatenate(vs)


@rule(
    "ELIG-NEPOTISM",
    "No family link to the post's superior",
    "Tidak ada hubungan keluarga dengan atasan jabatan",
    "A candidate related (declared family or marriage) to the post's direct superior, or to "
    "the unit head (scenario scope), may not be placed there.",
    "Kandidat yang memiliki hubungan keluarga atau perkawinan dengan atasan langsung, atau "
    "kepala unit (sesuai skenario), tidak dapat ditempatkan di jabatan itu.",
    "UU 28/1999 tentang penyelenggaraan negara yang bersih dari KKN (nepotisme)",
    candidate_side=False,
    suspects=_related_to_boss,
)
def nepotism(p: Pairs) -> tuple[Bools, Facts]:
    n = len(p.e)
    columns = _nepotism_columns(p.prep)
    if not columns:
        return np.ones(n, dtype=bool), {}
    keys = p.prep.related_keys
    n_emp = len(p.prep.e_id)
    bad = np.zeros(n, dtype=bool)
    for column in columns:
        boss = p.prep.boss_rows(column)
        # only pairs whose vacancy's boss has any relation can fail
        at = np.flatnonzero(((boss >= 0) & p.prep.related_rows[np.maximum(boss, 0)])[p.v])
        bad[at] |= np.isin(p.e[at] * n_emp + boss[p.v[at]], keys)
    return ~bad, {"related_to_superior": bad}


def _post_holders(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """(holder, post) of every run vacancy that someone holds."""
    holders = np.flatnonzero(prep.e_post_row >= 0)
    return holders, prep.e_post_row[holders]


@rule(
    "ELIG-OWN-POST",
    "Not the post already held",
    "Bukan jabatan yang sedang diduduki",
    "A candidate cannot be moved into the post they already hold.",
    "Kandidat tidak dapat dipindahkan ke jabatan yang sedang didudukinya.",
    "Definition of mutasi/promosi (DOMAIN.md §1)",
    candidate_side=False,
    suspects=_post_holders,
)
def own_post(p: Pairs) -> tuple[Bools, Facts]:
    return p.ev(p.prep.e_post_row) != p.v, {}


def _forbidden_rows(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """(employee, vacancy) rows of the scenario's forbidden pairs that name run rows."""
    pairs = {(f.employee, f.vacancy) for f in prep.scenario.constraints.forbidden}
    if not pairs:
        return _no_pairs()
    row = {eid: i for i, eid in enumerate(prep.e_id)}
    col = {vid: i for i, vid in enumerate(prep.v_id)}
    known = sorted((row[e], col[v]) for e, v in pairs if e in row and v in col)
    return (
        np.array([e for e, _ in known], dtype=np.int64),
        np.array([v for _, v in known], dtype=np.int64),
    )


@rule(
    "SCN-FORBIDDEN",
    "Not forbidden by the scenario",
    "Tidak dilarang oleh skenario",
    "The scenario does not forbid this person in this post.",
    "Skenario tidak melarang pegawai ini pada jabatan ini.",
    "Scenario [constraints].forbidden (policy of the run)",
    candidate_side=False,
    suspects=_forbidden_rows,
)
def forbidden(p: Pairs) -> tuple[Bools, Facts]:
    if not p.prep.scenario.constraints.forbidden:
        return np.ones(len(p.e), dtype=bool), {}
    e, v = _forbidden_rows(p.prep)
    n_vac = len(p.prep.v_id)
    return ~np.isin(p.e * n_vac + p.v, e * n_vac + v), {}


@rule(
    "SCN-KEEP-FILLED",
    "Does not leave a post empty",
    "Tidak mengosongkan jabatan",
    "When the scenario keeps posts filled, a post holder may move only if their own post is "
    "also a vacancy of this run.",
    "Jika skenario menjaga jabatan tetap terisi, pemegang jabatan hanya dapat dipindahkan bila "
    "jabatannya juga termasuk lowongan dalam run ini.",
    "Scenario [constraints].keep_posts_filled (policy of the run)",
)
def keep_filled(p: Pairs) -> tuple[Bools, Facts]:
    if not p.prep.scenario.constraints.keep_posts_filled:
        return np.ones(len(p.e), dtype=bool), {}
    post = p.ev(p.prep.e_post)
    in_run = p.ev(p.prep.e_post_row) >= 0
    return (post == "") | in_run, {"holds_a_post": post != ""}
