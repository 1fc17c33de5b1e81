"""Frozen row models of every input table: the public contract and the source of the schemas.

Each model is one row of one table. Field names are the canonical column names; each field's
``x-aliases`` lists the header spellings the reader accepts (SIASN exports, Indonesian and
English). Protected and identifying attributes are **not** fields of ``Employee``: they live in
``ProtectedAttributes``, which only the reader and the audit may touch.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from merit.domain.enums import (
    EducationLevel,
    EmploymentStatus,
    Golongan,
    LeadershipTraining,
    LegalStanding,
    PositionLevel,
    Potential,
    Predikat,
    RelationKind,
    Sanction,
)


def col(
    *aliases: str,
    description: str,
    default: Any = ...,
    ge: float | None = None,
    le: float | None = None,
    protected: bool = False,
) -> Any:
    """A column: its accepted header aliases, a description, bounds, and protection."""
    extra: dict[str, Any] = {"x-aliases": list(aliases)}
    if protected:
        extra["x-protected"] = True
    return Field(default, description=description, ge=ge, le=le, json_schema_extra=extra)


class Row(BaseModel):
    """Shared config of every row model: frozen, no unknown fields, enums by value."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)
    table: ClassVar[str]
    key: ClassVar[tuple[str, ...]]


class Employee(Row):
    """One ASN as merit may see them: qualifications, position, performance inputs.

    No name, religion, ethnicity, gender or other protected attribute is a field here.
    ``birth_date`` is kept only for the retirement-age rule and the cited age limits.
    """

    table: ClassVar[str] = "employees"
    key: ClassVar[tuple[str, ...]] = ("employee_id",)

    employee_id: str = col(
        "NIP", "NIP_BARU", "ID_PEGAWAI", "PNS_ID", "ID", description="Employee id (NIP or other)"
    )
    status: EmploymentStatus = col(
        "STATUS_PEGAWAI",
        "JENIS_PEGAWAI",
        "STATUS_ASN",
        description="PNS, CPNS (not yet a PNS) or PPPK",
    )
    legal_standing: LegalStanding = col(
        "KEDUDUKAN_HUKUM_NAMA",
        "KEDUDUKAN_HUKUM",
        "KEDUDUKAN",
        default=LegalStanding.AKTIF,
        description="Kedudukan hukum (legal standing); only Aktif may be placed",
    )
    rank: Golongan | None = col(
        "GOL_RUANG",
        "GOLONGAN",
        "GOL_AKHIR_NAMA",
        "PANGKAT",
        "GOL",
        "GOLONGAN_RUANG",
        default=None,
        description="Golongan ruang, I/a .. IV/e (PNS; empty for PPPK)",
    )
    rank_since: dt.date | None = col(
        "TMT_GOLONGAN",
        "TMT_GOL_AKHIR",
        "TMT_PANGKAT",
        default=None,
        description="Effective date of the current rank",
    )
    education_level: EducationLevel = col(
        "TINGKAT_PENDIDIKAN",
        "TINGKAT_PENDIDIKAN_NAMA",
        "PENDIDIKAN_TERAKHIR",
        "PENDIDIKAN",
        description="Highest completed education, SD .. S3",
    )
    education_field: str | None = col(
        "JURUSAN",
        "PENDIDIKAN_NAMA",
        "PROGRAM_STUDI",
        "BIDANG_STUDI",
        default=None,
        description="Field of study, e.g. Keperawatan, Ilmu Pemerintahan",
    )
    position_level: PositionLevel = col(
        "JENIS_JABATAN",
        "LEVEL_JABATAN",
        "ESELON",
        "TINGKAT_JABATAN",
        description="Level of the post currently held",
    )
    position_since: dt.date | None = col(
        "TMT_JABATAN", default=None, description="Date the current position level was taken up"
    )
    jf_family: str | None = col(
        "JF",
        "RUMPUN_JF",
        "JABATAN_FUNGSIONAL",
        "JENIS_JF",
        default=None,
        description="Functional family held (guru, perawat, ...), empty when not JF",
    )
    duty_field: str | None = col(
        "BIDANG_TUGAS",
        "BIDANG_TUGAS_JABATAN",
        "URUSAN",
        default=None,
        description="Field of duty (bidang tugas) of the post held, e.g. kesehatan, "
        "pemerintahan, administrasi umum; experience counts where it matches a post's",
    )
    certificates: str | None = col(
        "SERTIFIKAT",
        "SERTIFIKASI",
        "SERTIFIKAT_PROFESI",
        default=None,
        description="Certificates a JF may require, separated by ';': sertifikat pendidik, STR",
    )
    ukom_jf: str | None = col(
        "UKOM_JF",
        "UJI_KOMPETENSI_JF",
        "LULUS_UKOM",
        default=None,
        description="JF family whose uji kompetensi for moving into the JF was passed",
    )
    current_post_id: str | None = col(
        "ID_JABATAN",
        "JABATAN_ID",
        "KODE_JABATAN",
        default=None,
        description="Id of the post currently held (structural or named JF post), if any",
    )
    unit: str = col(
        "UNOR",
        "UNIT_KERJA",
        "UNOR_NAMA",
        "OPD",
        "PERANGKAT_DAERAH",
        "INSTANSI_KERJA",
        description="Current unit (OPD)",
    )
    birth_date: dt.date = col(
        "TANGGAL_LAHIR",
        "TGL_LAHIR",
        "TANGGAL_LAHIR_PEGAWAI",
        description="Birth date; used only by the retirement-age rule (BUP)",
    )
    sanction: Sanction = col(
        "HUKUMAN_DISIPLIN",
        "HUKDIS",
        "TINGKAT_HUKUMAN_DISIPLIN",
        default=Sanction.NONE,
        description="Disciplinary sanction level in force (PP 94/2021)",
    )
    sanction_until: dt.date | None = col(
        "AKHIR_HUKUMAN",
        "TMT_AKHIR_HUKDIS",
        "HUKDIS_SAMPAI",
        default=None,
        description="Last day the sanction is in force",
    )
    leadership_training: LeadershipTraining = col(
        "PELATIHAN_KEPEMIMPINAN",
        "DIKLAT_STRUKTURAL",
        "DIKLAT_PIM",
        "PIM",
        default=LeadershipTraining.NONE,
        description="Highest leadership course completed",
    )
    jpm_percent: float | None = col(
        "JPM",
        "NILAI_JPM",
        "JOB_PERSON_MATCH",
        "PERSENTASE_JPM",
        default=None,
        ge=0,
        le=200,
        description="Job Person Match % the assessment centre reported without competency "
        "levels: used as the JPM for every post (levels, where given, win)",
    )
    potential: Potential | None = col(
        "POTENSI",
        "POTENSI_TALENTA",
        default=None,
        description="Talent potential axis from the assessment centre",
    )
    current_allowance: int = col(
        "TUNJANGAN_JABATAN",
        "TUNJANGAN",
        default=0,
        ge=0,
        description="Monthly position allowance of the post held (Rp)",
    )


class Vacancy(Row):
    """One vacant position (jabatan kosong) and any requirement overriding its level's default."""

    table: ClassVar[str] = "vacancies"
    key: ClassVar[tuple[str, ...]] = ("vacancy_id",)

    vacancy_id: str = col("ID_FORMASI", "ID_JABATAN", "KODE_FORMASI", "ID", description="Post id")
    title: str = col("JABATAN", "NAMA_JABATAN", "JABATAN_NAMA", description="Position title")
    unit: str = col("UNOR", "UNIT_KERJA", "UNOR_NAMA", "OPD", description="Unit (OPD)")
    position_level: PositionLevel = col(
        "JENIS_JABATAN", "LEVEL_JABATAN", "ESELON", "TINGKAT_JABATAN", description="Level"
    )
    jf_family: str | None = col(
        "JF",
        "RUMPUN_JF",
        "JABATAN_FUNGSIONAL",
        default=None,
        description="Required functional family (JF posts)",
    )
    duty_field: str | None = col(
        "BIDANG_TUGAS",
        "BIDANG_TUGAS_JABATAN",
        "URUSAN",
        default=None,
        description="Field of duty (bidang tugas) of the post, from its Anjab; experience "
        "counts in this field (empty: experience in any field counts)",
    )
    education_fields: str | None = col(
        "JURUSAN",
        "KUALIFIKASI_PENDIDIKAN",
        "BIDANG_STUDI",
        default=None,
        description="Accepted fields of study separated by ';' (empty: any field)",
    )
    preferred_fields: str | None = col(
        "BIDANG_PENDIDIKAN_DIUTAMAKAN",
        "JURUSAN_DIUTAMAKAN",
        default=None,
        description="Fields of study the post's Anjab prefers, separated by ';' (scored, not "
        "required)",
    )
    min_education: EducationLevel | None = col(
        "MIN_PENDIDIKAN",
        "PENDIDIKAN_MINIMAL",
        default=None,
        description="Overrides the level default minimum education",
    )
    min_rank: Golongan | None = col(
        "MIN_GOLONGAN",
        "GOLONGAN_MINIMAL",
        default=None,
        description="Overrides the level default minimum rank",
    )
    min_experience_years: float | None = col(
        "MIN_PENGALAMAN",
        "PENGALAMAN_MINIMAL",
        default=None,
        ge=0,
        le=40,
        description="Overrides the level default years at the feeder grade",
    )
    open_to_pppk: bool | None = col(
        "TERBUKA_PPPK", "PPPK", default=None, description="Overrides whether PPPK may apply"
    )
    allowance: int = col(
        "TUNJANGAN_JABATAN",
        "TUNJANGAN",
        default=0,
        ge=0,
        description="Monthly position allowance of this post (Rp)",
    )
    superior_id: str | None = col(
        "NIP_ATASAN",
        "ATASAN_LANGSUNG",
        default=None,
        description="Employee id of the post's direct superior (nepotism rule)",
    )
    unit_head_id: str | None = col(
        "NIP_KEPALA_UNIT",
        "KEPALA_UNIT",
        default=None,
        description="Employee id of the unit head (nepotism rule)",
    )


class Post(Vacancy):
    """One occupied post (a seat of the peta jabatan) whose holder a chain round may move.

    The same columns as ``Vacancy``: ``vacancy_id`` is the post's id, which its holder's
    ``employees.current_post_id`` names; its competency standard is in ``standards`` under the
    same id. Only a round with ``[chains] enabled`` reads it: when the holder moves, the post
    becomes a vacancy of the same solve, with these requirements.
    """

    table: ClassVar[str] = "posts"
    key: ClassVar[tuple[str, ...]] = ("vacancy_id",)


class PositionHistory(Row):
    """One earlier post of an employee (riwayat jabatan, as SIASN keeps it).

    The post held now is the employee's own row (``position_level``, ``duty_field``,
    ``position_since``); a history row that overlaps it counts only until ``position_since``.
    """

    table: ClassVar[str] = "history"
    key: ClassVar[tuple[str, ...]] = ("employee_id", "start")

    employee_id: str = col("NIP", "NIP_BARU", "ID_PEGAWAI", description="Employee id")
    position_level: PositionLevel = col(
        "JENIS_JABATAN", "LEVEL_JABATAN", "ESELON", "TINGKAT_JABATAN", description="Level held"
    )
    duty_field: str | None = col(
        "BIDANG_TUGAS", "URUSAN", default=None, description="Field of duty of that post"
    )
    jf_family: str | None = col(
        "JF", "RUMPUN_JF", "JABATAN_FUNGSIONAL", default=None, description="JF family held"
    )
    unit: str | None = col("UNOR", "UNIT_KERJA", "UNOR_NAMA", default=None, description="Unit")
    start: dt.date = col("TMT_JABATAN", "TMT", "MULAI", description="Date the post was taken up")
    end: dt.date | None = col(
        "AKHIR_JABATAN", "SAMPAI", "SELESAI", default=None, description="Last day in that post"
    )


class CompetencyAssessment(Row):
    """An assessed competency level (1-5) of one employee (PermenPANRB 38/2017)."""

    table: ClassVar[str] = "competencies"
    key: ClassVar[tuple[str, ...]] = ("employee_id", "competency_code")

    employee_id: str = col("NIP", "NIP_BARU", "ID_PEGAWAI", description="Employee id")
    competency_code: str = col(
        "KODE_KOMPETENSI", "KOMPETENSI", "KODE", description="Code, e.g. M.01 or SK.01"
    )
    level: int = col("LEVEL", "NILAI", "LEVEL_KOMPETENSI", ge=1, le=5, description="Level 1-5")
    assessed_on: dt.date | None = col(
        "TANGGAL_ASESMEN", "TGL_ASESMEN", default=None, description="Assessment date"
    )


class CompetencyStandard(Row):
    """The level a vacancy requires in one competency (Standar Kompetensi Jabatan)."""

    table: ClassVar[str] = "standards"
    key: ClassVar[tuple[str, ...]] = ("vacancy_id", "competency_code")

    vacancy_id: str = col("ID_FORMASI", "ID_JABATAN", "KODE_FORMASI", description="Post id")
    competency_code: str = col("KODE_KOMPETENSI", "KOMPETENSI", "KODE", description="Code")
    required_level: int = col(
        "LEVEL_STANDAR", "STANDAR", "LEVEL", ge=1, le=5, description="Required level 1-5"
    )


class PerformanceRecord(Row):
    """One yearly SKP rating of one employee (PermenPANRB 6/2022)."""

    table: ClassVar[str] = "performance"
    key: ClassVar[tuple[str, ...]] = ("employee_id", "year")

    employee_id: str = col("NIP", "NIP_BARU", "ID_PEGAWAI", description="Employee id")
    year: int = col("TAHUN", "TAHUN_PENILAIAN", ge=1990, le=2100, description="SKP year")
    predikat: Predikat = col(
        "PREDIKAT", "PREDIKAT_KINERJA", "NILAI_SKP", "PREDIKAT_SKP", description="SKP rating"
    )


class Relation(Row):
    """A declared family or marriage link between two employees (for the nepotism rule)."""

    table: ClassVar[str] = "relations"
    key: ClassVar[tuple[str, ...]] = ("employee_id", "related_id")

    employee_id: str = col("NIP", "NIP_PEGAWAI", description="Employee id")
    related_id: str = col("NIP_KELUARGA", "NIP_TERKAIT", description="Related employee id")
    kind: RelationKind = col("HUBUNGAN", "JENIS_HUBUNGAN", description="Kind of link")
    source: str | None = col("SUMBER", default=None, description="Where it was declared")
    declared_on: dt.date | None = col("TANGGAL", default=None, description="Declaration date")


class CompetencyDefinition(Row):
    """A competency code the dataset may use, beyond merit's built-in dictionary."""

    table: ClassVar[str] = "dictionary"
    key: ClassVar[tuple[str, ...]] = ("competency_code",)

    competency_code: str = col("KODE_KOMPETENSI", "KODE", description="Code, e.g. T.GURU.01")
    name: str = col("NAMA_KOMPETENSI", description="Competency name")
    kind: str = col("JENIS", description="teknis, manajerial or sosial kultural")


class ProtectedAttributes(Row):
    """Protected and identifying attributes, keyed by employee id; read only by the audit.

    Any further column a user marks protected is kept as an extra field.
    """

    model_config = ConfigDict(frozen=True, extra="allow")
    table: ClassVar[str] = "protected"
    key: ClassVar[tuple[str, ...]] = ("employee_id",)

    employee_id: str = col("NIP", "NIP_BARU", "ID_PEGAWAI", description="Employee id")
    name: str | None = col(
        "NAMA",
        "NAMA_LENGKAP",
        "NAMA_PEGAWAI",
        default=None,
        protected=True,
        description="Full name",
    )
    gender: str | None = col(
        "JENIS_KELAMIN", "JK", "SEX", default=None, protected=True, description="Gender"
    )
    religion: str | None = col(
        "AGAMA", "AGAMA_NAMA", default=None, protected=True, description="Religion"
    )
    ethnicity: str | None = col(
        "SUKU", "ETNIS", default=None, protected=True, description="Ethnic group (suku)"
    )
    race: str | None = col("RAS", default=None, protected=True, description="Race")
    marital_status: str | None = col(
        "STATUS_PERKAWINAN",
        "STATUS_KAWIN",
        "JENIS_KAWIN_NAMA",
        default=None,
        protected=True,
        description="Marital status",
    )
    birth_place: str | None = col(
        "TEMPAT_LAHIR",
        "TEMPAT_LAHIR_NAMA",
        default=None,
        protected=True,
        description="Place of birth (origin)",
    )
    nik: str | None = col(
        "NIK",
        "NO_KTP",
        default=None,
        protected=True,
        description="National id number (encodes birth date and gender)",
    )
    disability: str | None = col(
        "DISABILITAS", "DIFABEL", default=None, protected=True, description="Disability"
    )
    political_affiliation: str | None = col(
        "AFILIASI_POLITIK",
        "PARTAI",
        default=None,
        protected=True,
        description="Political affiliation",
    )


#: Every input table, in reading order. ``history``, ``posts``, ``dictionary`` and
#: ``protected`` are optional.
TABLES: dict[str, type[Row]] = {
    m.table: m
    for m in (
        Employee,
        CompetencyAssessment,
        PerformanceRecord,
        Vacancy,
        CompetencyStandard,
        Relation,
        PositionHistory,
        Post,
        CompetencyDefinition,
        ProtectedAttributes,
    )
}
REQUIRED_TABLES: tuple[str, ...] = (
    "employees",
    "competencies",
    "performance",
    "vacancies",
    "standards",
    "relations",
)

#: Header spellings (normalised) of columns that are always protected or identifying, even when
#: they arrive inside the employees sheet; the reader moves them to ``protected`` and never
#: copies their values into any output.
PERSONAL_COLUMNS: tuple[str, ...] = (
    "email",
    "no_hp",
    "nomor_hp",
    "telepon",
    "alamat",
    "npwp",
    "bpjs",
    "no_bpjs",
    "no_taspen",
    "gelar_depan",
    "gelar_belakang",
    "foto",
    "kk",
    "no_kk",
    "akte_kelahiran",
)
