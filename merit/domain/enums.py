"""Ordered civil-service vocabularies and their lenient parsers.

Every enum's declaration order is its merit order (lowest first), so ``ordinal()`` is the
integer the vectorised rules compare. ``parse(text)`` accepts the spellings found in SIASN
exports and raises ``ValueError`` with the accepted forms when it cannot.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Self


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-./]+", "", str(text).strip().lower())


_ALIAS_CACHE: dict[type, dict[str, object]] = {}


def normalise(text: str) -> str:
    """The spelling-insensitive key used to match aliases (case, spaces, _ - . / ignored)."""
    return _norm(text)


class _Vocabulary(StrEnum):
    """A str enum with declaration-ordered ordinals and alias-aware parsing."""

    @classmethod
    def _aliases(cls) -> dict[str, Self]:
        cached = _ALIAS_CACHE.get(cls)
        if cached is not None:
            return cached  # type: ignore[return-value]
        table: dict[str, Self] = {}
        for member in cls:
            table[_norm(member.value)] = member
            table[_norm(member.name)] = member
            for alias in member.extra_aliases():
                table[_norm(alias)] = member
        _ALIAS_CACHE[cls] = table  # type: ignore[assignment]
        return table

    @classmethod
    def alias_table(cls) -> dict[str, str]:
        """Normalised spelling -> canonical value, for vectorised parsing."""
        return {k: m.value for k, m in cls._aliases().items()}

    def extra_aliases(self) -> tuple[str, ...]:
        return ()

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        # Lets pydantic (and ``Cls(text)``) accept every alias, not only the canonical value.
        return cls._aliases().get(_norm(str(value)))

    @classmethod
    def parse(cls, text: object) -> Self:
        if isinstance(text, cls):
            return text
        key = _norm(str(text))
        table = cls._aliases()
        if key in table:
            return table[key]
        raise ValueError(f"{text!r} is not a {cls.describe()} (expected {cls.expected()})")

    @classmethod
    def describe(cls) -> str:
        return cls.__name__

    @classmethod
    def expected(cls) -> str:
        return ", ".join(m.value for m in cls)

    def ordinal(self) -> int:
        return list(type(self)).index(self)

    @classmethod
    def values(cls) -> list[str]:
        return [m.value for m in cls]


_GOLONGAN_NAMES = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


class Golongan(_Vocabulary):
    """Pangkat / golongan ruang of a PNS, I/a (lowest) to IV/e (PP 99/2000)."""

    Ia = "I/a"
    Ib = "I/b"
    Ic = "I/c"
    Id = "I/d"
    IIa = "II/a"
    IIb = "II/b"
    IIc = "II/c"
    IId = "II/d"
    IIIa = "III/a"
    IIIb = "III/b"
    IIIc = "III/c"
    IIId = "III/d"
    IVa = "IV/a"
    IVb = "IV/b"
    IVc = "IV/c"
    IVd = "IV/d"
    IVe = "IV/e"

    @property
    def pangkat(self) -> str:
        """The rank's name, e.g. ``Penata Tingkat I`` for III/d."""
        return _GOLONGAN_NAMES[self.value]

    def extra_aliases(self) -> tuple[str, ...]:
        roman, ruang = self.value.lower().split("/")
        arabic = str(_ROMAN[roman])
        name = self.pangkat
        return (
            f"{roman}.{ruang}",
            f"{roman}{ruang}",
            f"{arabic}{ruang}",
            f"{arabic}/{ruang}",
            name,
            f"{name}, {self.value}",
            f"{name} ({self.value})",
            f"{name} - {self.value}",
            f"{name} {self.value}",
        )

    @classmethod
    def describe(cls) -> str:
        return "golongan ruang"

    @classmethod
    def expected(cls) -> str:
        return "I/a .. IV/e, e.g. III/d, III.d, IIId, 3d or Penata Tingkat I"


class EducationLevel(_Vocabulary):
    """Highest completed education (TINGKAT_PENDIDIKAN), SD (lowest) to S3."""

    SD = "SD"
    SMP = "SMP"
    SLTA = "SLTA"
    D1 = "D-I"
    D2 = "D-II"
    D3 = "D-III"
    D4 = "D-IV"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "SD": ("sekolah dasar",),
            "SMP": ("sltp", "smp/sltp", "sekolah menengah pertama"),
            "SLTA": ("sma", "smk", "sma/smk", "slta/sma", "sekolah menengah atas", "ma"),
            "D-I": ("d1", "diploma i", "diploma 1"),
            "D-II": ("d2", "diploma ii", "diploma 2"),
            "D-III": ("d3", "diploma iii", "diploma 3"),
            "D-IV": ("d4", "diploma iv", "diploma 4", "sarjana terapan"),
            "S1": ("s-1", "sarjana", "strata 1", "strata i"),
            "S2": ("s-2", "magister", "strata 2", "strata ii"),
            "S3": ("s-3", "doktor", "strata 3", "strata iii"),
        }[self.value]

    def grade(self) -> int:
        """Qualification grade: D-IV and S1 count as the same grade (PP 11/2017 Pasal 54)."""
        return {"SD": 0, "SMP": 1, "SLTA": 2, "D-I": 3, "D-II": 4, "D-III": 5}.get(
            self.value, {"D-IV": 6, "S1": 6, "S2": 7, "S3": 8}.get(self.value, 0)
        )

    @classmethod
    def describe(cls) -> str:
        return "education level"


class PositionLevel(_Vocabulary):
    """Kind and level of a position (jabatan).

    Declaration order is not a single career ladder (JA and JF are parallel tracks); use
    ``grade()`` for the equalisation between them (PermenPANRB 17/2021 penyetaraan:
    administrator = JF ahli madya, pengawas = JF ahli muda, eselon V = JF ahli pertama).
    """

    PELAKSANA = "pelaksana"
    PEMULA = "jf_pemula"
    TERAMPIL = "jf_terampil"
    MAHIR = "jf_mahir"
    PENYELIA = "jf_penyelia"
    AHLI_PERTAMA = "jf_ahli_pertama"
    PENGAWAS = "pengawas"
    AHLI_MUDA = "jf_ahli_muda"
    ADMINISTRATOR = "administrator"
    AHLI_MADYA = "jf_ahli_madya"
    JPT_PRATAMA = "jpt_pratama"
    AHLI_UTAMA = "jf_ahli_utama"

    def extra_aliases(self) -> tuple[str, ...]:
        bare = self.value.removeprefix("jf_")
        out = [bare, bare.replace("_", " "), f"jf {bare.replace('_', ' ')}"]
        out.extend(
            {
                "pengawas": ["eselon iv", "eselon iv.a", "eselon iv.b", "iva", "ivb"],
                "administrator": ["eselon iii", "eselon iii.a", "eselon iii.b", "iiia", "iiib"],
                "jpt_pratama": ["eselon ii", "eselon ii.a", "eselon ii.b", "jpt", "iia", "iib"],
                "pelaksana": ["jfu", "fungsional umum", "staf", "klerek", "operator", "teknisi"],
            }.get(self.value, [])
        )
        return tuple(out)

    @property
    def is_functional(self) -> bool:
        return self.value.startswith("jf_")

    @property
    def is_structural(self) -> bool:
        return self in (
            PositionLevel.PENGAWAS,
            PositionLevel.ADMINISTRATOR,
            PositionLevel.JPT_PRATAMA,
        )

    def grade(self) -> int:
        """Equalised grade used for experience and progression rules (1 lowest, 6 highest)."""
        return _POSITION_GRADE[self.value]

    @classmethod
    def describe(cls) -> str:
        return "position level"


#: Equalised grade of each position level (1 lowest). JA and JF keahlian follow the
#: penyetaraan jabatan of PermenPANRB 17/2021 (administrator = JF ahli madya, pengawas = JF
#: ahli muda, the former eselon V = JF ahli pertama); JPT pratama sits above administrator
#: (PP 11/2017 Pasal 107: filled from administrator or JF ahli madya) and JF ahli utama above
#: it. JF keterampilan levels are not equalised with JA by law; their grades only order the
#: JF's own ladder (pemula/terampil, then mahir/penyelia).
_POSITION_GRADE = {
    "pelaksana": 1,
    "jf_pemula": 1,
    "jf_terampil": 1,
    "jf_mahir": 2,
    "jf_penyelia": 2,
    "jf_ahli_pertama": 2,
    "pengawas": 3,
    "jf_ahli_muda": 3,
    "administrator": 4,
    "jf_ahli_madya": 4,
    "jpt_pratama": 5,
    "jf_ahli_utama": 6,
}


class Predikat(_Vocabulary):
    """Yearly SKP rating (PermenPANRB 6/2022), Sangat Kurang (lowest) to Sangat Baik."""

    SANGAT_KURANG = "Sangat Kurang"
    KURANG = "Kurang"
    BUTUH_PERBAIKAN = "Butuh Perbaikan"
    BAIK = "Baik"
    SANGAT_BAIK = "Sangat Baik"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "Sangat Kurang": ("very poor",),
            "Kurang": ("poor", "misconduct"),
            "Butuh Perbaikan": ("needs improvement", "cukup"),
            "Baik": ("good",),
            "Sangat Baik": ("very good", "excellent"),
        }[self.value]

    @classmethod
    def describe(cls) -> str:
        return "SKP predikat"


class EmploymentStatus(_Vocabulary):
    """The kind of ASN: PNS (career civil servant), PPPK (contract), or CPNS (a candidate
    civil servant in probation, not yet a PNS: UU 20/2023 Pasal 1 angka 3 and PP 11/2017
    Pasal 34)."""

    PNS = "PNS"
    PPPK = "PPPK"
    CPNS = "CPNS"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "PNS": ("pegawai negeri sipil",),
            "PPPK": ("p3k", "pppk paruh waktu"),
            "CPNS": ("calon pegawai negeri sipil", "calon pns"),
        }[self.value]

    @classmethod
    def describe(cls) -> str:
        return "employment status"


class LegalStanding(_Vocabulary):
    """Kedudukan hukum: the legal standing of an ASN as BKN records it in SIASN.

    Only ``Aktif`` may be placed; every other standing means the person is not on active
    duty (leave outside the state's responsibility, study leave, temporary dismissal,
    pre-retirement, retired, ...). Declaration order carries no merit meaning.
    """

    AKTIF = "Aktif"
    CLTN = "CLTN"
    PERPANJANGAN_CLTN = "Perpanjangan CLTN"
    TUGAS_BELAJAR = "Tugas Belajar"
    PEMBERHENTIAN_SEMENTARA = "Pemberhentian Sementara"
    PENERIMA_UANG_TUNGGU = "Penerima Uang Tunggu"
    WAJIB_MILITER = "Wajib Militer"
    PEJABAT_NEGARA = "Pejabat Negara"
    PROSES_BANDING = "Proses Banding BAPEK"
    MPP = "Masa Persiapan Pensiun"
    PENSIUN = "Pensiun"
    NON_AKTIF = "Non Aktif"
    HILANG = "PNS yang dinyatakan hilang"
    CALON_CPNS = "Calon CPNS"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "Aktif": ("active", "aktif bekerja"),
            "CLTN": ("cuti di luar tanggungan negara", "cuti diluar tanggungan negara"),
            "Perpanjangan CLTN": ("perpanjangan cuti di luar tanggungan negara",),
            "Tugas Belajar": ("tubel", "study leave"),
            "Pemberhentian Sementara": ("diberhentikan sementara", "suspended"),
            "Penerima Uang Tunggu": ("uang tunggu",),
            "Wajib Militer": (),
            "Pejabat Negara": (),
            "Proses Banding BAPEK": ("proses banding bpasn", "banding bapek"),
            "Masa Persiapan Pensiun": ("mpp",),
            "Pensiun": ("retired", "purna tugas"),
            "Non Aktif": ("nonaktif", "tidak aktif", "inactive"),
            "PNS yang dinyatakan hilang": ("hilang", "dinyatakan hilang"),
            "Calon CPNS": (),
        }[self.value]

    @classmethod
    def describe(cls) -> str:
        return "kedudukan hukum (legal standing)"


class Sanction(_Vocabulary):
    """Disciplinary sanction level in force (PP 94/2021 hukuman disiplin)."""

    NONE = "none"
    RINGAN = "ringan"
    SEDANG = "sedang"
    BERAT = "berat"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "none": ("tidak ada", "-", "nihil", ""),
            "ringan": ("light", "hukuman disiplin ringan"),
            "sedang": ("medium", "moderate", "hukuman disiplin sedang"),
            "berat": ("heavy", "severe", "hukuman disiplin berat"),
        }[self.value]

    @classmethod
    def describe(cls) -> str:
        return "disciplinary sanction level"


class LeadershipTraining(_Vocabulary):
    """Highest leadership course completed: PKP (pengawas), PKA (administrator), PKN II (JPT)."""

    NONE = "none"
    PKP = "PKP"
    PKA = "PKA"
    PKN_II = "PKN II"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "none": ("tidak ada", "-", "belum"),
            "PKP": ("pelatihan kepemimpinan pengawas", "diklatpim iv", "diklatpim 4"),
            "PKA": ("pelatihan kepemimpinan administrator", "diklatpim iii", "diklatpim 3"),
            "PKN II": ("pkn tingkat ii", "pkn2", "diklatpim ii", "diklatpim 2"),
        }[self.value]

    @classmethod
    def describe(cls) -> str:
        return "leadership training"


class Potential(_Vocabulary):
    """Talent-management potential axis (PermenPANRB 3/2020): rendah, menengah, tinggi."""

    RENDAH = "rendah"
    MENENGAH = "menengah"
    TINGGI = "tinggi"

    def extra_aliases(self) -> tuple[str, ...]:
        return {"rendah": ("low",), "menengah": ("medium", "sedang"), "tinggi": ("high",)}[
            self.value
        ]

    @classmethod
    def describe(cls) -> str:
        return "talent potential"


class RelationKind(_Vocabulary):
    """Declared family or marriage link between two employees (UU 28/1999 nepotism)."""

    SPOUSE = "spouse"
    PARENT = "parent"
    CHILD = "child"
    SIBLING = "sibling"
    IN_LAW = "in_law"
    OTHER_FAMILY = "other_family"

    def extra_aliases(self) -> tuple[str, ...]:
        return {
            "spouse": ("suami", "istri", "suami/istri", "pasangan"),
            "parent": ("orang tua", "ayah", "ibu"),
            "child": ("anak",),
            "sibling": ("saudara", "saudara kandung", "kakak", "adik"),
            "in_law": ("ipar", "mertua", "menantu"),
            "other_family": ("keluarga", "family", "kerabat"),
        }[self.value]

    @classmethod
    def describe(cls) -> str:
        return "relation kind"
