"""One registry of eligibility rules: code, bilingual statement, legal citation, check.

A check receives the ``Pairs`` context (aligned candidate and vacancy arrays) and returns a
boolean array (True = passes) and the named facts it used, so explanations can print them.

A candidate-side rule declares the vacancy requirement values it ``reads`` (columns of
``Prepared.v_req``): large runs group vacancies by exactly those values and evaluate the rule
once per group, so a value read but not declared would silently be taken from the group's
first vacancy. ``Pairs`` refuses such a read. A pair rule names its suspects instead: the
only pairs where it can fail, so large runs check it there instead of on every pair.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from merit.eligibility.prepare import Pairs, Prepared

Bools = npt.NDArray[np.bool_]
Facts = dict[str, np.ndarray]
Check = Callable[["Pairs"], tuple[Bools, Facts]]
Suspects = Callable[["Prepared"], tuple[np.ndarray, np.ndarray]]
"""(employee rows, vacancy rows) of every pair where a pair rule can fail (a superset)."""

SCENARIO_POLICY = "Kebijakan skenario"
NOT_REQUIRED = ("tidak disyaratkan untuk jabatan ini", "not required for this post")
Shown = Callable[[Any, str], str]
"""Words for one fact value in a language ("id" or "en")."""
#: English for the short notes that citations carry in parentheses.
_NOTES = {
    "pegawai belum diases": "employee not yet assessed",
    "CLTN, tugas belajar": "leave outside the state's responsibility, study leave",
    "pemberhentian sementara": "temporary dismissal",
    "masa persiapan pensiun": "pre-retirement",
    "pelatihan kepemimpinan pengawas": "leadership training for pengawas",
    "pelatihan struktural kepemimpinan": "structural leadership training",
    "kotak manajemen talenta": "talent box",
    "berstatus PNS": "PNS status",
    "jabatan PPPK": "posts open to PPPK",
    "pangkat tetap berlaku": "ranks remain in force",
    "kualifikasi pendidikan yang dibutuhkan": "the qualification the post needs",
    "penyetaraan jabatan": "equalisation of posts",
    "sesuai dengan bidang tugas Jabatan yang akan diduduki": "in the field of duty of the post",
    "persyaratan perpindahan dari jabatan lain": "requirements for moving in from another post",
    "sertifikat pendidik": "teaching certificate",
    "perpindahan ke JF: predikat kinerja paling rendah Baik dalam 2 tahun terakhir": (
        "moving into a JF: performance at least Baik in the last 2 years"
    ),
    "predikat kinerja": "performance ratings",
    "predikat kinerja pegawai": "employee performance ratings",
    "tidak sedang menjalani hukuman disiplin": "not serving a disciplinary sanction",
    "tingkat hukuman disiplin": "levels of disciplinary sanctions",
    "larangan konflik kepentingan": "no conflict of interest",
    "nepotisme": "nepotism",
    "mutasi adalah perpindahan ke jabatan lain": "a transfer is a move to another post",
    "kualifikasi pendidikan": "educational qualification",
    "bidang pendidikan": "field of study",
    "Standar Kompetensi Jabatan": "competency standards of posts",
    "ambang JPM": "JPM threshold",
    "bobot": "weight",
    "poin dan jendela": "points and window",
}


def citation_en(citation: str) -> str:
    """The English form of an Indonesian legal citation ("PP 11/2017 jo. PP 17/2020 Pasal
    54 ayat (2) huruf c" -> "PP 11/2017 as amended by PP 17/2020, Article 54(2)(c))."""
    text = citation.replace(SCENARIO_POLICY, "Scenario policy")
    for id_, en in sorted(_NOTES.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(f"({id_})", f"({en})").replace(f"{id_}:", f"{en}:")
    text = re.sub(r"\s*\bjo\.\s*", " as amended by ", text)
    text = re.sub(r"\bdan\s+Pasal\s+", "and Article ", text)
    text = re.sub(r",\s*Pasal\s+", ", Article ", text)
    text = re.sub(r"\s*\bPasal\s+", ", Article ", text)
    text = re.sub(r"(\d[A-Z]?)\s+ayat\s+\((\d+)\)", r"\1(\2)", text)
    text = re.sub(r"\bdan\s+ayat\s+\((\d+)\)", r"and (\1)", text)
    text = re.sub(r"\)\s+huruf\s+([a-z])\b", r")(\1)", text)
    text = re.sub(r"\bhuruf\s+([a-z])\b", r"(\1)", text)
    text = re.sub(r"\s+angka\s+(\d+)", r" point \1", text)
    for id_, en in (("Lampiran", "Annex"), ("Anjab jabatan", "Anjab of the post"), ("dan", "and")):
        text = re.sub(rf"\b{id_}\b", en, text)
    return text


class _Facts(string.Formatter):
    """Formats a fact template; numbers use the language's decimal mark."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, (bool, np.bool_)):
            return ("ya" if value else "tidak") if self.lang == "id" else ("yes" if value else "no")
        text = super().format_field(value, format_spec)
        if self.lang == "id" and isinstance(value, (float, np.floating)):
            text = text.replace(".", ",")
        return text


@dataclass(frozen=True)
class Rule:
    """An eligibility rule. ``candidate_side`` rules depend on the vacancy only through the
    requirement values they ``read``; every other (pair) rule names its ``suspects``.
    ``fact_id`` / ``fact_en`` are templates over the facts the check returns."""

    code: str
    name_en: str
    name_id: str
    statement_en: str
    statement_id: str
    citation: str
    check: Check
    candidate_side: bool = True
    suspects: Suspects | None = None
    reads: tuple[str, ...] = ()
    fact_id: str = ""
    fact_en: str = ""
    english_citation: str = ""
    """The citation in English when its notes are prose (else derived from ``citation``)."""
    show: Mapping[str, Shown] | None = None
    """How a fact is worded (a code's name rather than its number), per fact name."""
    applies: Callable[[Mapping[str, Any]], bool] | None = None
    """Whether the rule asks anything of this pair's post (from its facts); when not, the
    explanation says so instead of printing an empty requirement."""

    @property
    def citation_en(self) -> str:
        return self.english_citation or citation_en(self.citation)

    def fact(self, values: Mapping[str, Any], lang: str) -> str:
        """The rule's facts for one pair as a sentence ("" when the rule states none)."""
        template = self.fact_id if lang == "id" else self.fact_en
        if not template:
            return ""
        if self.applies is not None and not self.applies(values):
            return NOT_REQUIRED[0] if lang == "id" else NOT_REQUIRED[1]
        shown = dict(values)
        for name, word in (self.show or {}).items():
            if name in shown:
                shown[name] = word(shown[name], lang)
        return _Facts(lang).format(template, **shown)


RULES: list[Rule] = []


def rule(
    code: str,
    name_en: str,
    name_id: str,
    statement_en: str,
    statement_id: str,
    citation: str,
    *,
    reads: tuple[str, ...] = (),
    suspects: Suspects | None = None,
    fact_id: str = "",
    fact_en: str = "",
    citation_en: str = "",
    show: Mapping[str, Shown] | None = None,
    applies: Callable[[Mapping[str, Any]], bool] | None = None,
) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``code`` (codes are unique; a pair rule names its
    suspects and reads nothing per group)."""

    def register(check: Check) -> Check:
        if any(r.code == code for r in RULES):
            raise ValueError(f"rule {code} registered twice")
        if suspects is not None and reads:
            raise ValueError(f"rule {code}: a pair rule names suspects, not group reads")
        if not citation.strip():
            raise ValueError(f"rule {code} has no citation")
        RULES.append(
            Rule(
                code,
                name_en,
                name_id,
                statement_en,
                statement_id,
                citation,
                check,
                suspects is None,
                suspects,
                tuple(reads),
                fact_id,
                fact_en,
                citation_en,
                show,
                applies,
            )
        )
        return check

    return register


def rule_codes() -> list[str]:
    return [r.code for r in RULES]


def group_columns(rules: list[Rule]) -> list[str]:
    """The vacancy requirement columns that decide every candidate-side rule of ``rules``."""
    return sorted({c for r in rules if r.candidate_side for c in r.reads})
