"""Reports of a run folder for people: ``report.html`` (bilingual) and ``report.xlsx``.

Reads only the run folder's files (manifest, tables, audit.json); never the solver, and never
names: the named list is ``merit release``'s alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from merit.report.html import render
from merit.report.sheets import write_book
from merit.report.workbook import report_sheets

HTML = "report.html"
XLSX = "report.xlsx"


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(
        folder / name,
        dtype={"vacancy_id": str, "employee_id": str},
        keep_default_na=False,
        na_values=[""],
    )


def read_audit(folder: Path) -> dict[str, Any] | None:
    path = Path(folder) / "audit.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def write_report(folder: Path) -> list[Path]:
    """Write ``report.html`` and ``report.xlsx`` into the run folder; returns their paths."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    placements = _csv(folder, "placements.csv")
    unfilled = _csv(folder, "unfilled.csv")
    audit = read_audit(folder)
    html = folder / HTML
    html.write_text(render(manifest, placements, unfilled, audit), encoding="utf-8")
    xlsx = folder / XLSX
    write_book(report_sheets(manifest, placements, unfilled, audit), xlsx)
    return [html, xlsx]


__all__ = ["HTML", "XLSX", "read_audit", "write_report"]
