"""One registry of eligibility rules: code, bilingual statement, legal citation, check.

A check receives the ``Pairs`` context (aligned candidate and vacancy arrays) and returns a
boolean array (True = passes) and the named facts it used, so explanations can print them.
A pair rule also names its suspects: the only pairs where it can fail, so large runs check it
there instead of on every candidate x vacancy pair.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from merit.eligibility.prepare import Pairs, Prepared

Bools = npt.NDArray[np.bool_]
Facts = dict[str, np.ndarray]
Check = Callable[["Pairs"], tuple[Bools, Facts]]
Suspects = Callable[["Prepared"], tuple[np.ndarray, np.ndarray]]
"""(employee rows, vacancy rows) of every pair where a pair rule can fail (a superset)."""


@dataclass(frozen=True)
class Rule:
    """An eligibility rule; ``candidate_side`` rules depend on the vacancy only through its
    requirement values, so the engine may apply them as a pre-filter per requirement group.
    Every other (pair) rule names its ``suspects``: outside them, it passes."""

    code: str
    name_en: str
    name_id: str
    statement_en: str
    statement_id: str
    citation: str
    check: Check
    candidate_side: bool = True
    suspects: Suspects | None = None


RULES: list[Rule] = []


def rule(
    code: str,
    name_en: str,
    name_id: str,
    statement_en: str,
    statement_id: str,
    citation: str,
    candidate_side: bool = True,
    suspects: Suspects | None = None,
) -> Callable[[Check], Check]:
    """Register ``check`` as the rule ``code`` (codes are unique; a pair rule names its
    suspects)."""

    def register(check: Check) -> Check:
        if any(r.code == code for r in RULES):
            raise ValueError(f"rule {code} registered twice")
        if candidate_side == (suspects is not None):
            raise ValueError(f"rule {code}: a pair rule, and only a pair rule, names suspects")
        RULES.append(
            Rule(
                code,
                name_en,
                name_id,
                statement_en,
                statement_id,
                citation,
                check,
                candidate_side,
                suspects,
            )
        )
        return check

    return register


def rule_codes() -> list[str]:
    return [r.code for r in RULES]
