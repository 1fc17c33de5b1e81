"""The eligibility rules, each cited to the article and verse it comes from and individually
tested (tests/test_eligibility_rules.py). Figures live in ``merit/data/position_defaults.csv``,
``merit/data/jf_families.csv`` or the scenario, never in the code.

PP 11/2017 is cited as amended by PP 17/2020 ("jo."); its Pasal 54 ayat (1) lists the
requirements of a JA administrator post and ayat (2) those of a pengawas post.
"""

from __future__ import annotations

import numpy as np

from merit.domain.enums import Golongan
from merit.eligibility.prepare import Pairs, Prepared
from merit.eligibility.registry import SCENARIO_POLICY, Bools, Facts, rule
from merit.segments import concat_ranges

PP11 = "PP 11/2017 jo. PP 17/2020"
_RANKS = Golongan.values()
_EDUCATION = ("SD", "SMP", "SLTA", "D-I", "D-II", "D-III", "S-1/D-IV", "S-2", "S-3")
#: Equalised grades in words (PermenPANRB 17/2021), Indonesian and English.
_GRADES = {
    1: ("pelaksana / JF keterampilan", "pelaksana / JF keterampilan"),
    2: ("JF ahli pertama (setara eselon V)", "JF ahli pertama (equal to the former eselon V)"),
    3: ("pengawas / JF ahli muda", "pengawas / JF ahli muda"),
    4: ("administrator / JF ahli madya", "administrator / JF ahli madya"),
    5: ("JPT pratama", "JPT pratama"),
    6: ("JF ahli utama", "JF ahli utama"),
}


def _rank(value: object, lang: str) -> str:
    i = int(value)  # type: ignore[call-overload]
    return _RANKS[i] if 0 <= i < len(_RANKS) else ("tidak ada" if lang == "id" else "none")


def _education(value: object, lang: str) -> str:
    i = int(value)  # type: ignore[call-overload]
    return _EDUCATION[i] if 0 <= i < len(_EDUCATION) else str(i)


def _grade(value: object, lang: str) -> str:
    words = _GRADES.get(int(value))  # type: ignore[call-overload]
    return str(value) if words is None else words[0 if lang == "id" else 1]


def _no_pairs() -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)


@rule(
    "ELIG-ACTIVE",
    "Legal standing is active",
    "Kedudukan hukum aktif",
    "Only an ASN whose kedudukan hukum is Aktif can be placed (not on leave outside the "
    "state's responsibility, study leave, temporary dismissal, pre-retirement or retired).",
    "Hanya ASN dengan kedudukan hukum Aktif yang dapat ditempatkan (bukan CLTN, tugas "
    "belajar, pemberhentian sementara, masa persiapan pensiun, atau pensiun).",
    f"{PP11} Pasal 64 ayat (1) huruf c dan huruf d, Pasal 94 ayat (1) huruf c dan huruf d "
    "(CLTN, tugas belajar), Pasal 276 (pemberhentian sementara); Peraturan BKN 2/2019 Pasal 2 "
    "(masa persiapan pensiun)",
    fact_id="kedudukan hukum aktif: {active}",
    fact_en="legal standing active: {active}",
)
def active(p: Pairs) -> tuple[Bools, Facts]:
    ok = p.ev(p.prep.e_active)
    return ok, {"active": ok}


@rule(
    "ELIG-STATUS",
    "Employment status allows the post",
    "Status kepegawaian sesuai jabatan",
    "A PNS may hold any post. A CPNS is not yet a PNS and cannot be placed. A PPPK may hold "
    "only a JF post whose family is open to PPPK (JA and JPT pratama are not).",
    "PNS dapat menduduki semua jabatan. CPNS belum berstatus PNS dan tidak dapat "
    "ditempatkan. PPPK hanya dapat menduduki JF yang terbuka bagi PPPK (bukan JA atau JPT "
    "pratama).",
    f"{PP11} Pasal 36 ayat (2), Pasal 54 ayat (1) huruf a dan ayat (2) huruf a, Pasal 76 "
    "ayat (1) huruf a (berstatus PNS); Perpres 38/2020 Pasal 2 dan Pasal 4 (jabatan PPPK)",
    reads=("pppk",),
    fact_id="PNS: {pns}; PPPK: {pppk}; jabatan terbuka bagi PPPK: {post_open_to_pppk}",
    fact_en="PNS: {pns}; PPPK: {pppk}; post open to PPPK: {post_open_to_pppk}",
)
def status(p: Pairs) -> tuple[Bools, Facts]:
    pns = p.ev(p.prep.e_pns)
    pppk = p.ev(p.prep.e_pppk)
    open_ = p.vv("pppk").astype(bool)
    return pns | (pppk & open_), {"pns": pns, "pppk": pppk, "post_open_to_pppk": open_}


@rule(
    "ELIG-RANK-MIN",
    "Minimum golongan set by the post's Anjab",
    "Golongan minimal menurut Anjab jabatan",
    "When the post's job analysis (Anjab / kelas jabatan) sets a minimum golongan, a PNS "
    "holds at least that golongan. No regulation sets one by default.",
    "Jika Anjab / kelas jabatan menetapkan golongan minimal, PNS paling rendah memiliki "
    "golongan itu. Tidak ada peraturan yang menetapkannya secara umum.",
    "Anjab jabatan; PP 11/2017 Pasal 352 (pangkat tetap berlaku)",
    reads=("min_rank",),
    fact_id="golongan {candidate_rank}; minimal {required_rank}",
    fact_en="golongan {candidate_rank}; minimum {required_rank}",
    show={"candidate_rank": _rank, "required_rank": _rank},
    applies=lambda f: int(f["required_rank"]) >= 0,
)
def rank_min(p: Pairs) -> tuple[Bools, Facts]:
    rank = p.ev(p.prep.e_rank)
    need = p.vv("min_rank").astype(np.int64)
    pns = p.ev(p.prep.e_pns)
    return ~pns | (need < 0) | (rank >= need), {"candidate_rank": rank, "required_rank": need}


@rule(
    "ELIG-EDU-MIN",
    "Minimum education",
    "Pendidikan minimal",
    "The candidate's education is at least the post's minimum: S-1/D-IV for administrator, "
    "D-III for pengawas, S-1/D-IV for JF keahlian, SLTA for JF keterampilan; a post's Anjab "
    "may set more.",
    "Pendidikan kandidat paling rendah syarat jabatan: S-1/D-IV untuk administrator, D-III "
    "untuk pengawas, S-1/D-IV untuk JF keahlian, SLTA untuk JF keterampilan; Anjab dapat "
    "menetapkan lebih tinggi.",
    f"{PP11} Pasal 54 ayat (1) huruf b dan ayat (2) huruf b, Pasal 76 ayat (1) huruf d, "
    "Pasal 107 ayat (1) huruf c angka 1; PermenPANRB 1/2023 (JF keterampilan: SLTA)",
    reads=("min_edu",),
    fact_id="pendidikan {candidate_education_grade}; minimal {required_education_grade}",
    fact_en="education {candidate_education_grade}; minimum {required_education_grade}",
    show={"candidate_education_grade": _education, "required_education_grade": _education},
)
def edu_min(p: Pairs) -> tuple[Bools, Facts]:
    edu = p.ev(p.prep.e_edu)
    need = p.vv("min_edu").astype(np.int64)
    return edu >= need, {"candidate_education_grade": edu, "required_education_grade": need}


@rule(
    "ELIG-EDU-FIELD",
    "Field of study the post requires",
    "Kualifikasi bidang pendidikan jabatan",
    "When the post names fields of study, the candidate's field is one of them.",
    "Jika jabatan menyebut bidang pendidikan, bidang kandidat termasuk salah satunya.",
    f"{PP11} Pasal 54 ayat (1) huruf b, Pasal 76 ayat (1) huruf d (kualifikasi pendidikan "
    "yang dibutuhkan); Anjab jabatan",
    reads=("fields",),
    fact_id="bidang pendidikan sesuai: {field_matches}",
    fact_en="field of study matches: {field_matches}",
)
def edu_field(p: Pairs) -> tuple[Bools, Facts]:
    p.vv("fields")
    named = p.prep.v_has_fields[p.v]
    match = p.field_ok()
    return ~named | match, {"field_matches": match | ~named}


@rule(
    "ELIG-PROGRESSION",
    "Position level the post is filled from",
    "Jenjang asal jabatan",
    "The candidate's current level, equalised (administrator = JF ahli madya, pengawas = JF "
    "ahli muda, eselon V = JF ahli pertama), lies between the post's feeder level and the "
    "post's own level: pengawas from pelaksana or an equal JF, administrator from pengawas "
    "or JF ahli muda, JPT pratama from administrator or JF ahli madya; never a lower post.",
    "Jenjang jabatan kandidat, setelah penyetaraan (administrator = JF ahli madya, pengawas "
    "= JF ahli muda, eselon V = JF ahli pertama), berada antara jenjang asal dan jenjang "
    "jabatan itu: pengawas dari pelaksana atau JF setingkat, administrator dari pengawas "
    "atau JF ahli muda, JPT pratama dari administrator atau JF ahli madya; tidak turun "
    "jenjang.",
    f"{PP11} Pasal 54 ayat (1) huruf d dan ayat (2) huruf d, Pasal 107 ayat (1) huruf c "
    "angka 4; PermenPANRB 17/2021 (penyetaraan jabatan)",
    reads=("feeder", "grade"),
    fact_id="jenjang {candidate_grade}; jabatan ini diisi dari {feeder_grade} sampai {post_grade}",
    fact_en="level {candidate_grade}; this post is filled from {feeder_grade} to {post_grade}",
    show={"candidate_grade": _grade, "feeder_grade": _grade, "post_grade": _grade},
)
def progression(p: Pairs) -> tuple[Bools, Facts]:
    grade = p.ev(p.prep.e_grade)
    feeder = p.vv("feeder").astype(np.int64)
    post = p.vv("grade").astype(np.int64)
    ok = (grade >= feeder) & (grade <= post)
    return ok, {"candidate_grade": grade, "feeder_grade": feeder, "post_grade": post}


@rule(
    "ELIG-EXPERIENCE",
    "Experience at the feeder level in the post's field of duty",
    "Pengalaman pada jenjang asal sesuai bidang tugas",
    "The candidate has served at least the post's minimum years at its feeder level or "
    "above: 3 years as pengawas or JF ahli muda for administrator and 4 years as pelaksana "
    "or an equal JF for pengawas, in posts of the same field of duty (bidang tugas) as the "
    "post; 2 years as administrator or JF ahli madya, in any field, for JPT pratama. Current "
    "and earlier posts (riwayat jabatan) count.",
    "Kandidat telah menjabat paling singkat sekian tahun pada jenjang asal atau lebih "
    "tinggi: 3 tahun sebagai pengawas atau JF ahli muda untuk administrator dan 4 tahun "
    "sebagai pelaksana atau JF setingkat untuk pengawas, pada jabatan dengan bidang tugas "
    "yang sama; 2 tahun sebagai administrator atau JF ahli madya, bidang apa pun, untuk JPT "
    "pratama. Jabatan sekarang dan riwayat jabatan dihitung.",
    f"{PP11} Pasal 54 ayat (1) huruf d dan ayat (2) huruf d (sesuai dengan bidang tugas "
    "Jabatan yang akan diduduki), Pasal 107 ayat (1) huruf c angka 4",
    reads=("feeder", "min_exp", "duty", "exp_in_field"),
    fact_id="{candidate_years:.1f} tahun pada jenjang asal; minimal {required_years:.1f} tahun",
    fact_en="{candidate_years:.1f} years at the feeder level; minimum {required_years:.1f}",
    applies=lambda f: float(f["required_years"]) > 0,
)
def experience(p: Pairs) -> tuple[Bools, Facts]:
    need = p.vv("min_exp").astype(np.float64)
    feeder = p.vv("feeder").astype(np.int64)
    years = p.years_at_post_field(feeder, p.vv("exp_in_field").astype(bool))
    ok = (need <= 0) | (years >= need)
    return ok, {"candidate_years": np.round(years, 2), "required_years": need}


@rule(
    "ELIG-FIELD-YEARS",
    "Cumulative years in the post's field of duty",
    "Pengalaman kumulatif dalam bidang tugas",
    "Where the post requires it (JPT pratama: 5 years), the candidate has served at least "
    "that many years in all, at any level, in posts of the post's field of duty.",
    "Jika jabatan mensyaratkannya (JPT pratama: 5 tahun), kandidat secara kumulatif telah "
    "menjabat paling kurang selama itu pada jabatan dengan bidang tugas yang sama.",
    f"{PP11} Pasal 107 ayat (1) huruf c angka 3",
    reads=("min_field_years", "duty"),
    fact_id="{field_years:.1f} tahun dalam bidang tugas; minimal {required_years:.1f} tahun",
    fact_en="{field_years:.1f} years in the field of duty; minimum {required_years:.1f}",
    applies=lambda f: float(f["required_years"]) > 0,
)
def field_years(p: Pairs) -> tuple[Bools, Facts]:
    need = p.vv("min_field_years").astype(np.float64)
    years = p.years_at_post_field(np.zeros(len(p.e), dtype=np.int64))
    return (need <= 0) | (years >= need), {
        "field_years": np.round(years, 2),
        "required_years": need,
    }


@rule(
    "ELIG-TENURE",
    "Minimum time in the current post before a move",
    "Masa jabatan minimal sebelum mutasi",
    "The candidate has held the current post for at least the scenario's minimum (2 years "
    "by law; a scenario may set up to 5) before being moved to another post.",
    "Kandidat telah menduduki jabatan sekarang paling singkat masa minimal skenario (2 "
    "tahun menurut peraturan; skenario dapat menetapkan sampai 5 tahun) sebelum dimutasi.",
    f"{PP11} Pasal 190 ayat (3)",
    fact_id="masa jabatan {years_in_post:.1f} tahun; minimal {required_years:.1f} tahun",
    fact_en="{years_in_post:.1f} years in the current post; minimum {required_years:.1f}",
)
def tenure(p: Pairs) -> tuple[Bools, Facts]:
    years = p.ev(p.prep.e_years)
    need = float(p.prep.scenario.eligibility.min_years_in_post)
    return years >= need, {
        "years_in_post": np.round(years, 2),
        "required_years": np.full(len(p.e), need),
    }


@rule(
    "ELIG-JF-ENTRY",
    "Entry into the functional family",
    "Pengangkatan ke dalam jabatan fungsional",
    "A JF post is open to a member of the same JF family, or to a PNS moving in from "
    "another post (JF included) who passed the JF's competency test (uji kompetensi), has "
    "served at least 2 years in the JF's field of duty, and is at most 53 years old "
    "(keterampilan, ahli pertama, ahli muda), 55 (ahli madya) or 60 (ahli utama).",
    "JF terbuka bagi pejabat fungsional rumpun yang sama, atau bagi PNS yang pindah dari "
    "jabatan lain (termasuk JF lain) yang lulus uji kompetensi JF itu, berpengalaman paling "
    "singkat 2 tahun dalam bidang tugas JF itu, dan berusia paling tinggi 53 tahun "
    "(keterampilan, ahli pertama, ahli muda), 55 tahun (ahli madya) atau 60 tahun (ahli "
    "utama).",
    f"{PP11} Pasal 74 ayat (1) huruf b dan Pasal 76 ayat (1); PermenPANRB 1/2023 "
    "(persyaratan perpindahan dari jabatan lain)",
    reads=("is_jf", "family", "duty", "move_max_age", "move_years"),
    fact_id="rumpun JF sama: {same_family}; lulus uji kompetensi JF: {ukom_passed}; "
    "{field_years:.1f} tahun dalam bidang tugas JF",
    fact_en="same JF family: {same_family}; passed the JF competency test: {ukom_passed}; "
    "{field_years:.1f} years in the JF's field of duty",
    applies=lambda f: bool(f["jf_post"]),
)
def jf_entry(p: Pairs) -> tuple[Bools, Facts]:
    is_jf = p.vv("is_jf").astype(bool)
    post_family = p.vv("family").astype(np.int64)
    e_fam, _ = p.prep.family_codes
    same = (post_family >= 0) & (p.ev(e_fam) == post_family)
    ukom = (post_family >= 0) & (p.ev(p.prep.e_ukom) == post_family)
    years = p.years_at_post_field(np.zeros(len(p.e), dtype=np.int64))
    need_years = p.vv("move_years").astype(np.float64)
    max_age = p.vv("move_max_age").astype(np.int64)
    young_enough = (max_age <= 0) | (p.ev(p.prep.e_age_months) < (max_age + 1) * 12)
    move_in = ukom & (years >= need_years) & young_enough
    return ~is_jf | same | move_in, {
        "jf_post": is_jf,
        "same_family": same,
        "ukom_passed": ukom,
        "field_years": np.round(years, 2),
    }


@rule(
    "ELIG-JF-CERTIFICATE",
    "Certificate the JF's own law requires",
    "Sertifikat yang diwajibkan undang-undang JF",
    "A guru post requires a sertifikat pendidik; a post of a health profession (perawat, "
    "bidan, dokter, apoteker) requires an STR.",
    "Jabatan guru mensyaratkan sertifikat pendidik; jabatan tenaga medis dan tenaga "
    "kesehatan (perawat, bidan, dokter, apoteker) mensyaratkan STR.",
    "UU 14/2005 Pasal 8 (sertifikat pendidik); UU 17/2023 Pasal 260 ayat (1) (STR)",
    reads=("certificate",),
    fact_id="memiliki sertifikat yang disyaratkan: {has_certificate}",
    fact_en="holds the required certificate: {has_certificate}",
    applies=lambda f: bool(f["required"]),
)
def jf_certificate(p: Pairs) -> tuple[Bools, Facts]:
    need = p.vv("certificate").astype(np.int64)
    has = (p.ev(p.prep.e_certificates) & need) != 0
    return (need == 0) | has, {"required": need != 0, "has_certificate": has}


@rule(
    "ELIG-SKP",
    "Performance rated at least Baik in the last years",
    "Prestasi kerja paling sedikit Baik dalam tahun terakhir",
    "Each of the last N SKP years before the placement year is present and rated at least "
    "the scenario's minimum predikat (by law: Baik in each of the last 2 years).",
    "Setiap SKP N tahun terakhir sebelum tahun penempatan tersedia dan paling rendah "
    "predikat minimum skenario (menurut peraturan: Baik dalam 2 tahun terakhir).",
    f"{PP11} Pasal 54 ayat (1) huruf e dan ayat (2) huruf e; PermenPANRB 1/2023 "
    "(perpindahan ke JF: predikat kinerja paling rendah Baik dalam 2 tahun terakhir); "
    "PermenPANRB 6/2022 (predikat kinerja)",
    reads=("skp",),
    fact_id="SKP lengkap dan paling rendah sesuai syarat: {meets}",
    fact_en="SKP complete and at least the minimum: {meets}",
    applies=lambda f: bool(f["required"]),
)
def skp(p: Pairs) -> tuple[Bools, Facts]:
    ok_e, worst = p.prep.e_skp
    required = p.vv("skp").astype(bool)
    meets = p.ev(ok_e)
    return ~required | meets, {
        "required": required,
        "meets": meets,
        "worst_predikat_ordinal": p.ev(worst),
    }


@rule(
    "ELIG-COMPETENCE",
    "Competence meets the post's standard",
    "Kompetensi memenuhi standar jabatan",
    "For JA and JPT posts, the Job Person Match against the post's competency standard is "
    "at least the scenario's threshold (default 68 %, the lower bound of 'masih memenuhi "
    "syarat'); an employee not yet assessed does not meet it.",
    "Untuk JA dan JPT, Job Person Match terhadap standar kompetensi jabatan paling rendah "
    "ambang skenario (bawaan 68 %, batas bawah 'masih memenuhi syarat'); pegawai yang belum "
    "diases belum memenuhinya.",
    f"{PP11} Pasal 54 ayat (1) huruf f dan ayat (2) huruf f, Pasal 107 ayat (1) huruf c "
    f"angka 2; ambang JPM: {SCENARIO_POLICY}",
    reads=("min_jpm", "standard"),
    fact_id="JPM {jpm_percent:.1f} %; minimal {required_percent:.1f} %",
    fact_en="JPM {jpm_percent:.1f} %; minimum {required_percent:.1f} %",
    applies=lambda f: float(f["required_percent"]) > 0,
)
def competence(p: Pairs) -> tuple[Bools, Facts]:
    need = p.vv("min_jpm").astype(np.float64)
    jpm = p.jpm_percent()
    # compared on the 4-decimal grid the scores use, so 67.99995 never passes as 68
    ok = (need <= 0) | (np.rint(jpm * 1e4) >= np.rint(need * 1e4))
    return ok, {"jpm_percent": np.round(jpm, 4), "required_percent": need}


@rule(
    "ELIG-ASSESSED",
    "Assessed by the assessment centre",
    "Sudah diases",
    "When the scenario requires it (unassessed = 'ineligible'), only employees with an "
    "assessment of their competencies can be placed; otherwise an employee not yet assessed "
    "is scored as the lowest Job Person Match.",
    "Jika skenario mensyaratkannya (unassessed = 'ineligible'), hanya pegawai yang kompetensinya "
    "sudah diases yang dapat ditempatkan; jika tidak, pegawai yang belum diases dinilai dengan "
    "Job Person Match terendah.",
    f"{SCENARIO_POLICY} (pegawai belum diases); {PP11} Pasal 54 ayat (1) huruf f",
    fact_id="sudah diases: {assessed}",
    fact_en="assessed: {assessed}",
)
def assessed(p: Pairs) -> tuple[Bools, Facts]:
    has = p.ev(p.prep.e_assessed)
    if p.prep.scenario.eligibility.unassessed == "lowest":
        return np.ones(len(p.e), dtype=bool), {"assessed": has}
    return has, {"assessed": has}


@rule(
    "ELIG-SANCTION",
    "Not serving a disciplinary sanction",
    "Tidak sedang menjalani hukuman disiplin",
    "A disciplinary sanction of any level (ringan, sedang, berat) in force on the placement "
    "date bars the move.",
    "Hukuman disiplin tingkat apa pun (ringan, sedang, berat) yang masih berlaku pada "
    "tanggal penempatan menghalangi mutasi.",
    "Peraturan BKN 5/2019 Pasal 3 (tidak sedang menjalani hukuman disiplin); PP 94/2021 "
    "Pasal 8 (tingkat hukuman disiplin)",
    fact_id="sedang menjalani hukuman disiplin: {sanction_in_force}",
    fact_en="serving a disciplinary sanction: {sanction_in_force}",
)
def sanction(p: Pairs) -> tuple[Bools, Facts]:
    bars = p.ev(p.prep.e_sanction_bars)
    return ~bars, {"sanction_in_force": bars}


@rule(
    "ELIG-RETIREMENT",
    "Not reaching retirement age (BUP)",
    "Belum mencapai batas usia pensiun",
    "The candidate does not reach the post's retirement age (58 for JA, JF ahli muda, ahli "
    "pertama and keterampilan; 60 for JPT and JF ahli madya; 65 for JF ahli utama; a JF "
    "whose own law sets one follows it, e.g. guru 60) within the scenario's window after "
    "the placement date. Birth date serves only this rule and the age limits.",
    "Kandidat tidak mencapai batas usia pensiun jabatan (58 untuk JA, JF ahli muda, ahli "
    "pertama dan keterampilan; 60 untuk JPT dan JF ahli madya; 65 untuk JF ahli utama; JF "
    "yang BUP-nya diatur undang-undang mengikutinya, misalnya guru 60) dalam jangka waktu "
    "skenario setelah tanggal penempatan. Tanggal lahir hanya dipakai aturan ini dan batas "
    "usia.",
    f"{PP11} Pasal 239 ayat (2) dan Pasal 240; UU 14/2005 Pasal 30 ayat (4) (guru)",
    reads=("bup",),
    fact_id="batas usia pensiun jabatan {retirement_age} tahun",
    fact_en="the post's retirement age is {retirement_age}",
)
def retirement(p: Pairs) -> tuple[Bools, Facts]:
    birth = p.ev(p.prep.e_birth_month)
    bup_years = p.vv("bup").astype(np.int64)
    reach = birth + (bup_years * 12).astype("timedelta64[M]")
    window = np.datetime64(p.prep.placement.strftime("%Y-%m"), "M") + np.timedelta64(
        p.prep.scenario.eligibility.retirement_window_months, "M"
    )
    return reach > window, {"retirement_age": bup_years}


@rule(
    "ELIG-AGE-LIMIT",
    "Age limit of the post",
    "Batas usia jabatan",
    "Where the law sets an age limit for appointment (JPT pratama: at most 56), the "
    "candidate is not older on the placement date.",
    "Jika peraturan menetapkan batas usia pengangkatan (JPT pratama: paling tinggi 56 "
    "tahun), kandidat tidak lebih tua pada tanggal penempatan.",
    f"{PP11} Pasal 107 ayat (1) huruf c angka 6",
    reads=("max_age",),
    fact_id="batas usia {max_age} tahun",
    fact_en="age limit {max_age}",
    applies=lambda f: int(f["max_age"]) > 0,
)
def age_limit(p: Pairs) -> tuple[Bools, Facts]:
    limit = p.vv("max_age").astype(np.int64)
    ok = (limit <= 0) | (p.ev(p.prep.e_age_months) < (limit + 1) * 12)
    return ok, {"max_age": limit}


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
    "No family link to the post's superior (conflict of interest)",
    "Tidak ada hubungan keluarga dengan atasan jabatan (konflik kepentingan)",
    "A candidate related (declared family or marriage) to the post's direct superior, or to "
    "the unit head (scenario scope), may not be placed there.",
    "Kandidat yang memiliki hubungan keluarga atau perkawinan dengan atasan langsung, atau "
    "kepala unit (sesuai skenario), tidak dapat ditempatkan di jabatan itu.",
    f"{PP11} Pasal 190 ayat (5) (larangan konflik kepentingan); UU 28/1999 Pasal 1 angka 5 "
    "(nepotisme)",
    suspects=_related_to_boss,
    fact_id="berhubungan keluarga dengan atasan: {related_to_superior}",
    fact_en="related to the superior: {related_to_superior}",
)
def nepotism(p: Pairs) -> tuple[Bools, Facts]:
    n = len(p.e)
    columns = _nepotism_columns(p.prep)
    if not columns:
        return np.ones(n, dtype=bool), {"related_to_superior": np.zeros(n, dtype=bool)}
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
    f"{PP11} Pasal 190 ayat (2) (mutasi adalah perpindahan ke jabatan lain)",
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
    f"{SCENARIO_POLICY} ([constraints].forbidden)",
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
    "also a post of this run (a vacancy, or in a chain round a held post, which the same solve "
    "must then refill).",
    "Jika skenario menjaga jabatan tetap terisi, pemegang jabatan hanya dapat dipindahkan bila "
    "jabatannya juga termasuk jabatan dalam proses ini (lowongan, atau dalam putaran rantai "
    "jabatan terisi yang harus diisi kembali dalam penyelesaian yang sama).",
    f"{SCENARIO_POLICY} ([constraints].keep_posts_filled)",
)
def keep_filled(p: Pairs) -> tuple[Bools, Facts]:
    if not p.prep.scenario.constraints.keep_posts_filled:
        return np.ones(len(p.e), dtype=bool), {}
    post = p.ev(p.prep.e_post)
    in_run = p.ev(p.prep.e_post_row) >= 0
    return (post == "") | in_run, {"holds_a_post": post != ""}
