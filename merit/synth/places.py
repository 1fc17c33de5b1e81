"""Kota Kupang's real unit names, kecamatan and kelurahan (the people in synth are invented).

Kelurahan per kecamatan follow the city's 51 kelurahan as best known; spellings of a few
(e.g. Lai-Lai Bisi Kopan, Penkase Oeleta) vary between sources.
"""

from __future__ import annotations

#: The five services the Ombudsman assessed in 2023: natural priority tier.
PRIORITY_SERVICE_UNITS: tuple[str, ...] = (
    "Dinas Pendidikan dan Kebudayaan",
    "Dinas Kesehatan",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Sosial",
)

AGENCIES: tuple[str, ...] = (
    *PRIORITY_SERVICE_UNITS,
    "Sekretariat Daerah",
    "Bagian Organisasi Sekretariat Daerah",
    "Sekretariat DPRD",
    "Inspektorat",
    "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
    "Badan Pendapatan Daerah",
    "Badan Keuangan dan Aset Daerah",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Badan Penanggulangan Bencana Daerah",
    "Badan Kesatuan Bangsa dan Politik",
    "Satuan Polisi Pamong Praja",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Perhubungan",
    "Dinas Lingkungan Hidup dan Kebersihan",
    "Dinas Komunikasi dan Informatika",
    "Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
    "Dinas Pertanian",
    "Dinas Perikanan",
    "Dinas Pariwisata",
    "Dinas Perindustrian dan Perdagangan",
    "Dinas Koperasi dan Usaha Kecil Menengah",
    "Dinas Perpustakaan dan Kearsipan",
    "Dinas Ketahanan Pangan",
    "RSUD S.K. Lerik",
)

KELURAHAN: dict[str, tuple[str, ...]] = {
    "Alak": (
        "Alak",
        "Batuplat",
        "Fatufeto",
        "Manulai II",
        "Manutapen",
        "Mantasi",
        "Namosain",
        "Nunbaun Delha",
        "Nunbaun Sabu",
        "Nunhila",
        "Penkase Oeleta",
        "Naioni",
    ),
    "Maulafa": (
        "Maulafa",
        "Belo",
        "Fatukoa",
        "Kolhua",
        "Naikolan",
        "Naimata",
        "Oepura",
        "Penfui",
        "Sikumana",
    ),
    "Oebobo": ("Oebobo", "Fatululi", "Kayu Putih", "Liliba", "Oebufu", "Oetete", "Tuak Daun Merah"),
    "Kelapa Lima": ("Kelapa Lima", "Lasiana", "Oesapa", "Oesapa Barat", "Oesapa Selatan"),
    "Kota Raja": (
        "Airnona",
        "Bakunase",
        "Bakunase II",
        "Fontein",
        "Kuanino",
        "Naikoten I",
        "Naikoten II",
        "Nunleu",
    ),
    "Kota Lama": (
        "Airmata",
        "Bonipoi",
        "Fatubesi",
        "Lai-Lai Bisi Kopan",
        "Merdeka",
        "Nefonaek",
        "Oeba",
        "Pasir Panjang",
        "Solor",
        "Tode Kisar",
    ),
}
KECAMATAN: tuple[str, ...] = tuple(f"Kecamatan {k}" for k in KELURAHAN)
KELURAHAN_UNITS: tuple[str, ...] = tuple(
    f"Kelurahan {name}" for names in KELURAHAN.values() for name in names
)
PUSKESMAS: tuple[str, ...] = tuple(
    f"Puskesmas {p}"
    for p in (
        "Oesapa",
        "Bakunase",
        "Oepoi",
        "Sikumana",
        "Alak",
        "Penfui",
        "Naioni",
        "Pasir Panjang",
        "Kupang Kota",
        "Oebobo",
        "Manutapen",
    )
)
ALL_UNITS: tuple[str, ...] = (*AGENCIES, *KECAMATAN, *KELURAHAN_UNITS, *PUSKESMAS)

#: Functional families: (family, education fields, home units, levels it is found at).
JF_FAMILIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "guru",
        (
            "Pendidikan Guru Sekolah Dasar",
            "Pendidikan Matematika",
            "Pendidikan Bahasa Indonesia",
            "Pendidikan Bahasa Inggris",
        ),
        ("Dinas Pendidikan dan Kebudayaan",),
        ("jf_ahli_pertama", "jf_ahli_muda", "jf_ahli_madya"),
    ),
    (
        "perawat",
        ("Keperawatan",),
        ("Dinas Kesehatan", "RSUD S.K. Lerik", *PUSKESMAS),
        ("jf_terampil", "jf_mahir", "jf_ahli_pertama", "jf_ahli_muda"),
    ),
    ("bidan", ("Kebidanan",), ("Dinas Kesehatan", *PUSKESMAS), ("jf_terampil", "jf_ahli_pertama")),
    (
        "dokter",
        ("Kedokteran",),
        ("Dinas Kesehatan", "RSUD S.K. Lerik", *PUSKESMAS),
        ("jf_ahli_pertama", "jf_ahli_muda", "jf_ahli_madya"),
    ),
    (
        "apoteker",
        ("Farmasi",),
        ("Dinas Kesehatan", "RSUD S.K. Lerik"),
        ("jf_ahli_pertama", "jf_ahli_muda"),
    ),
    (
        "penyuluh pertanian",
        ("Agribisnis", "Agroteknologi"),
        ("Dinas Pertanian",),
        ("jf_terampil", "jf_ahli_pertama", "jf_ahli_muda"),
    ),
    (
        "analis kepegawaian",
        ("Manajemen Sumber Daya Manusia", "Ilmu Administrasi Negara"),
        ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",),
        ("jf_ahli_pertama", "jf_ahli_muda"),
    ),
    (
        "pranata komputer",
        ("Teknik Informatika", "Sistem Informasi"),
        ("Dinas Komunikasi dan Informatika", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("jf_terampil", "jf_ahli_pertama"),
    ),
    (
        "pekerja sosial",
        ("Kesejahteraan Sosial",),
        ("Dinas Sosial",),
        ("jf_ahli_pertama", "jf_ahli_muda"),
    ),
    (
        "administrator database kependudukan",
        ("Teknik Informatika", "Statistika"),
        ("Dinas Kependudukan dan Pencatatan Sipil",),
        ("jf_terampil", "jf_ahli_pertama"),
    ),
    (
        "penata perizinan",
        ("Ilmu Hukum", "Ilmu Administrasi Negara"),
        ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",),
        ("jf_ahli_pertama", "jf_ahli_muda"),
    ),
    ("auditor", ("Akuntansi",), ("Inspektorat",), ("jf_ahli_pertama", "jf_ahli_muda")),
    (
        "perencana",
        ("Ekonomi Pembangunan", "Perencanaan Wilayah dan Kota"),
        ("Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",),
        ("jf_ahli_pertama", "jf_ahli_muda"),
    ),
    (
        "arsiparis",
        ("Kearsipan", "Ilmu Perpustakaan"),
        ("Dinas Perpustakaan dan Kearsipan",),
        ("jf_terampil", "jf_ahli_pertama"),
    ),
)
#: Family weights in the workforce (teachers and health workers dominate a city's ASN).
JF_WEIGHTS: tuple[float, ...] = (46, 14, 7, 3, 1.5, 3, 2, 2, 2, 2, 2, 2, 2, 1.5)

GENERAL_FIELDS: tuple[str, ...] = (
    "Ilmu Pemerintahan",
    "Ilmu Administrasi Negara",
    "Manajemen",
    "Akuntansi",
    "Ilmu Hukum",
    "Ekonomi Pembangunan",
    "Teknik Sipil",
    "Sosiologi",
    "Ilmu Komunikasi",
)


#: Field of duty (bidang tugas) of a unit's own affairs, by the start of its name.
_UNIT_DUTY: tuple[tuple[str, str], ...] = (
    ("Dinas Pendidikan", "pendidikan"),
    ("Dinas Kesehatan", "kesehatan"),
    ("RSUD", "kesehatan"),
    ("Puskesmas", "kesehatan"),
    ("Dinas Kependudukan", "kependudukan"),
    ("Dinas Penanaman Modal", "perizinan"),
    ("Dinas Sosial", "sosial"),
    ("Kecamatan", "pemerintahan"),
    ("Kelurahan", "pemerintahan"),
    ("Sekretariat", "pemerintahan"),
    ("Bagian Organisasi", "pemerintahan"),
    ("Badan Kesatuan", "pemerintahan"),
    ("Satuan Polisi", "ketertiban"),
    ("Inspektorat", "pengawasan"),
    ("Badan Perencanaan", "perencanaan"),
    ("Badan Pendapatan", "keuangan"),
    ("Badan Keuangan", "keuangan"),
    ("Badan Kepegawaian", "kepegawaian"),
    ("Badan Penanggulangan", "kebencanaan"),
    ("Dinas Komunikasi", "informatika"),
    ("Dinas Pertanian", "pertanian"),
    ("Dinas Ketahanan", "pertanian"),
    ("Dinas Perikanan", "perikanan"),
    ("Dinas Perpustakaan", "kearsipan"),
    ("Dinas Pekerjaan Umum", "pekerjaan umum"),
    ("Dinas Perhubungan", "perhubungan"),
    ("Dinas Lingkungan", "lingkungan hidup"),
    ("Dinas Pemberdayaan", "pemberdayaan perempuan"),
    ("Dinas Pariwisata", "pariwisata"),
    ("Dinas Perindustrian", "perdagangan"),
    ("Dinas Koperasi", "perdagangan"),
)
#: General administration (umum, kepegawaian, keuangan of a unit): its own field of duty.
GENERAL_DUTY = "administrasi umum"


def unit_duty(unit: str) -> str:
    """The field of duty of a unit's own affairs (pemerintahan when none is known)."""
    for prefix, duty in _UNIT_DUTY:
        if unit.startswith(prefix):
            return duty
    return "pemerintahan"


#: Fields of study a post of each field of duty prefers (its Anjab's wording, synthetic).
PREFERRED_FIELDS: dict[str, tuple[str, ...]] = {
    "pemerintahan": ("Ilmu Pemerintahan", "Ilmu Administrasi Negara", "Ilmu Hukum"),
    GENERAL_DUTY: ("Ilmu Administrasi Negara", "Manajemen", "Manajemen Sumber Daya Manusia"),
    "keuangan": ("Akuntansi", "Ekonomi Pembangunan", "Manajemen"),
    "kesehatan": ("Kesehatan Masyarakat", "Keperawatan", "Kedokteran", "Kebidanan", "Farmasi"),
    "pendidikan": (
        "Pendidikan Guru Sekolah Dasar",
        "Pendidikan Matematika",
        "Pendidikan Bahasa Indonesia",
        "Pendidikan Bahasa Inggris",
    ),
    "sosial": ("Kesejahteraan Sosial", "Sosiologi"),
    "kependudukan": ("Ilmu Administrasi Negara", "Statistika", "Teknik Informatika"),
    "perizinan": ("Ilmu Hukum", "Ilmu Administrasi Negara"),
    "pekerjaan umum": ("Teknik Sipil",),
    "perencanaan": ("Ekonomi Pembangunan", "Perencanaan Wilayah dan Kota"),
}
