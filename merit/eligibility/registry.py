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


def citation_en(citation: str) -> str:
    """The English form of an Indonesian legal citation ("PP 11/2017 jo. PP 17/2020 Pasal
    54 ayat (2) huruf c" -> "PP 11/2017 as amended by PP 17/2020, Article 54(2)(c)")."""
    text = citation.replace(SCENARIO_POLICY, "Scenario policy")
    text = re.sub(r"\s*\bjo\.\s*", " as amended by ", text)
    text = re.sub(r"\s+Pasal\s+(\d+[A-Z]?)", r", Article \1", text)
    text = re.sub(r"\s+ayat\s+\((\d+)\)", r"(\1)", text)
    text = re.sub(r"\s+huruf\s+([a-z])\b", r"(\1)", text)
    text = re.sub(r"\s+angka\s+(\d+)", r" point \1", text)
    for id_, en in (
        ("Lampiran", "Annex"),
        ("Anjab jabatan", "Anjab (job analysis) of the post"),
        ("tentang", "on"),
        ("dan", "and"),
    ):
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

    @property
    def citation_en(self) -> str:
        return citation_en(self.citation)

    def fact(self, values: Mapping[str, Any], lang: str) -> str:
        """The rule's facts for one pair as a sentence ("" when the rule states none)."""
        template = self.fact_id if lang == "id" else self.fact_en
        if not template:
            return ""
        return _Facts(lang).format(template, **values)


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
            )
        )
        return check

    return register


def rule_codes() -> list[str]:
    return [r.code for r in RULES]


def group_columns(rules: list[Rule]) -> list[str]:
    """The vacancy requirement columns that decide every candidate-side rule of ``rules``."""
    return sorted({c for r in rules if r.candidate_side for c in r.reads})
