"""Reports of a run folder for people: ``report.html`` (bilingual) and ``report.xlsx``.

Reads only the run folder's files (manifest, tables, audit.json); never the solver.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from merit.io.write import write_xlsx
from merit.report.html import render

HTML = "report.html"
XLSX = "report.xlsx"


def _csv(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(
        folder / name,
        dtype={"vacancy_id": str, "employee_id": str},
        keep_default_na=False,
        na_values=[""],
    )


def _sheets(
    manifest: dict[str, Any],
    placements: pd.DataFrame,
    unfilled: pd.DataFrame,
    audit: dict[str, Any] | None,
) -> dict[str, pd.DataFrame]:
    sol = manifest["solver"]
    summary = pd.DataFrame(
        {
            "item": [
                "scenario",
                "status",
                "method",
                "proven_optimal",
                "filled",
                "unfilled",
                "filled_by_tier",
                "audit_ok",
            ],
            "value": [
                manifest["scenario"]["name"],
                sol["status"],
                sol["method"],
                str(manifest["proven_optimal"]),
                str(len(placements)),
                str(len(unfilled)),
                str(sol["filled_by_tier"]),
                "not run" if audit is None else str(audit["ok"]),
            ],
        }
    )
    sheets = {"summary": summary, "placements": placements, "unfilled": unfilled}
    if audit:
        sheets["counterfactuals"] = pd.DataFrame(
            [
                {k: v for k, v in c.items() if k != "competency_gap"}
                for c in audit["counterfactuals"]
            ],
            columns=["vacancy_id", "employee_id", "merit_score", "margin", "reachable"],
        )
        sheets["disparity"] = pd.DataFrame(
            [
                {"attribute": a["attribute"], **g}
                for a in audit["disparity"]["attributes"]
                for g in a["groups"]
            ],
            columns=[
                "attribute",
                "group",
                "eligible",
                "placed",
                "rate",
                "ratio",
                "flag",
                "suppressed",
            ],
        )
        sheets["checks"] = pd.DataFrame(audit["checks"])
    return {k: v.astype(str).replace({"nan": "", "None": ""}) for k, v in sheets.items()}


def write_report(folder: Path) -> list[Path]:
    """Write ``report.html`` and ``report.xlsx`` into the run folder; returns their paths."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    placements = _csv(folder, "placements.csv")
    unfilled = _csv(folder, "unfilled.csv")
    audit_path = folder / "audit.json"
    audit = json.loads(audit_path.read_text(encoding="utf-8")) if audit_path.is_file() else None
    html = folder / HTML
    html.write_text(render(manifest, placements, unfilled, audit), encoding="utf-8")
    xlsx = folder / XLSX
    write_xlsx(_sheets(manifest, placements, unfilled, audit), xlsx)
    return [html, xlsx]


__all__ = ["HTML", "XLSX", "write_report"]
