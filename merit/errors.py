"""The one exception root of merit, and the located problems errors carry.

::

    MeritError                    any error merit raises on purpose
    ├── InputError                the dataset cannot be used (exit 2); carries Problems
    ├── ScenarioError             the scenario file is wrong (exit 2); carries Problems
    ├── InfeasibleError           the pinned/side constraints admit no placement (exit 3)
    ├── SolverError               OR-Tools failed or gave an answer merit cannot use (exit 4)
    ├── RunFolderError            a run folder is missing, incomplete or not merit's (exit 2)
    └── AuditFailure              an audit or verify found findings (exit 1)

Every message says what failed, where, and what to try. The structured ``Problem`` list lets
the CLI print, or ``--json`` emit, the same facts without parsing strings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem in user input.

    ``row`` is the row number as the user sees it in Excel or a text editor: the header is
    row 1, the first data row is row 2. ``message`` is English, ``message_id`` Indonesian.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    expected: str
    message: str
    message_id: str
    code: str = "INPUT"

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"{'key' if self.code == 'SCENARIO' else 'column'} {self.column}")
        return ", ".join(parts)

    def render(self, lang: str = "en") -> str:
        text = self.message_id if lang == "id" else self.message
        return f"{self.location()}: {text}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class MeritError(Exception):
    """Root of every error merit raises on purpose; ``exit_code`` is what the CLI returns."""

    exit_code = 2

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = sorted(problems or [], key=_problem_key)


def _problem_key(p: Problem) -> tuple[Any, ...]:
    return (p.file, p.sheet or "", p.row or 0, p.column or "", p.code, p.message)


class InputError(MeritError):
    """Raised when a dataset cannot be read or fails validation; ``problems`` lists them all."""


class ScenarioError(MeritError):
    """Raised when a scenario file has an unknown key, a bad value or a missing data path."""


class InfeasibleError(MeritError):
    """Raised when pinned placements or side constraints cannot all hold at once."""

    exit_code = 3


class SolverError(MeritError):
    """Raised when OR-Tools reports a status merit cannot turn into a placement."""

    exit_code = 4


class RunFolderError(MeritError):
    """Raised when a run folder is missing files, has a bad manifest or cannot be written."""


class AuditFailure(MeritError):
    """Raised by audit and verify when at least one finding holds; ``findings`` lists them."""

    exit_code = 1

    def __init__(self, message: str, findings: list[str]) -> None:
        super().__init__(message)
        self.findings = findings
