"""Problems a person can act on: one line per (file, column, problem), and the full list.

Thousands of bad cells in one column are one mistake (a vocabulary, a date format), so the
terminal gets one line per (file, sheet, column, kind of problem) with the number of rows,
the first row numbers and the most frequent values; ``write_csv`` keeps every problem.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from merit.errors import Problem

FIRST_ROWS = 5
FIRST_VALUES = 3


@dataclass(frozen=True)
class Group:
    """Problems of one kind in one column of one file."""

    first: Problem
    count: int
    rows: tuple[int, ...]
    """The first few row numbers, in order."""
    values: tuple[tuple[str, int], ...]
    """The most frequent values and how many rows hold each."""
    distinct: int

    def render(self, lang: str = "id") -> str:
        p = self.first
        idn = lang == "id"
        where = [p.file]
        if p.sheet:
            where.append(f"{'lembar' if idn else 'sheet'} {p.sheet}")
        if p.column:
            scenario = p.code == "SCENARIO"
            word = ("kunci" if idn else "key") if scenario else ("kolom" if idn else "column")
            where.append(f"{word} {p.column}")
        head = ", ".join(where)
        if not self.rows:
            return f"{head}: {p.message_id if idn else p.message}"
        n = f"{self.count:,}".replace(",", "." if idn else ",")
        rows = ", ".join(str(r) for r in self.rows) + (
            ", ..." if self.count > len(self.rows) else ""
        )
        if self.count == 1:
            return (
                f"{head}, {'baris' if idn else 'row'} {rows}: {p.message_id if idn else p.message}"
            )
        text = p.message_id if idn else p.message
        if self.distinct > 1 and p.value is not None:
            shown = "; ".join(f"'{v}' ({c})" for v, c in self.values)
            more = self.distinct - len(self.values)
            tail = (f"; +{more} {'nilai lain' if idn else 'more values'}") if more > 0 else ""
            text = (
                f"{self.distinct} {'nilai berbeda' if idn else 'different values'}: {shown}{tail}"
                f" ({'diharapkan' if idn else 'expected'} {p.expected})"
            )
        label = "baris" if idn else "rows"
        return f"{head}: {n} {label} ({rows}): {text}"


def group(problems: Sequence[Problem]) -> list[Group]:
    """Problems grouped by (file, sheet, column, code, expected), in first-seen order."""
    buckets: dict[tuple[object, ...], list[Problem]] = {}
    for p in problems:
        key = (p.file, p.sheet, p.column, p.code, p.expected if p.row is not None else p.message)
        buckets.setdefault(key, []).append(p)
    out = []
    for items in buckets.values():
        rows = sorted({p.row for p in items if p.row is not None})
        counts = Counter(p.value for p in items if p.value is not None)
        out.append(
            Group(
                first=items[0],
                count=len(items),
                rows=tuple(rows[:FIRST_ROWS]),
                values=tuple(counts.most_common(FIRST_VALUES)),
                distinct=len(counts),
            )
        )
    return out


def render(problems: Sequence[Problem], lang: str = "id") -> list[str]:
    return [g.render(lang) for g in group(problems)]


def to_csv(problems: Sequence[Problem]) -> str:
    """Every problem, one row each (UTF-8 with BOM so Excel opens it as UTF-8)."""
    buf = io.StringIO()
    names = [f.name for f in fields(Problem)]
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(names)
    for p in problems:
        w.writerow(["" if getattr(p, n) is None else getattr(p, n) for n in names])
    return "\ufeff" + buf.getvalue()


def write_csv(problems: Sequence[Problem], path: Path) -> None:
    path.write_text(to_csv(problems), encoding="utf-8", newline="")
