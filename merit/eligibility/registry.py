"""One registry of eligibility rules: code, bilingual statement, legal citation, check.

A check receives the ``Pairs`` context (aligned candidate and vacancy arrays) and returns a
boolean array (True = passes) and the named facts it used, so explanations can print them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from merit.eligibility.prepare import Pairs

Bools = npt.NDArray[np.bool_]
Facts = dict[str, np.ndarray]
Check = Callable[["Pairs"], tuple[Bools, Facts]]


@dataclass(frozen=True)
class Rule:
    """An eligibility rule; ``candidate_side`` rules depend on the vacancy only through its
    requirement values, so the engine may apply them as a pre-filter per requirement group."""

    code: str
    name_en: str
    name_id: str
    statement_en: str
    statement_id: str
    citation: str
    check: Check
    candidate_side: bool = True


RULES: list[Rule] = []


def rule(
    code: str,
    name_en: str,
    name_id: str,
    statement_en: str,
    statement_id: str,
    citation: str,
    candidate_side: bool = True,
) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``code`` (codes are unique)."""

    def register(check: Check) -> Check:
        if any(r.code == code for r in RULES):
            raise ValueError(f"rule {code} registered twice")
        RULES.append(
            Rule(
                code, name_en, name_id, statement_en, statement_id, citation, check, candidate_side
            )
        )
        return check

    return register


def rule_codes() -> list[str]:
    return [r.code for r in RULES]
