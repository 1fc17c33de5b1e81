"""What ``merit explain`` reads from a run folder: the audit and, for one person, their rows
of rankings.csv (eligible posts) and eligibility.csv (posts and the rules failed)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from merit.errors import RunFolderError

Doc = dict[str, Any]


def _rows(path: Path, employee_id: str) -> list[dict[str, str]]:
    """The rows of a run table that mention ``employee_id`` (a text scan, then CSV parsing)."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader([fh.readline()]))
        lines = [line for line in fh if employee_id in line]
    return [r for r in csv.DictReader(lines, fieldnames=header) if r["employee_id"] == employee_id]


@dataclass(frozen=True, eq=False)
class Run:
    """A run folder opened for explanations."""

    folder: Path
    audit: Doc
    manifest: Doc

    @classmethod
    def open(cls, folder: Path) -> Run:
        folder = Path(folder)
        path = folder / "audit.json"
        if not path.is_file():
            raise RunFolderError(f"{path} is missing; run `merit audit {folder}` first")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        return cls(folder, json.loads(path.read_text(encoding="utf-8")), manifest)

    @cached_property
    def posts(self) -> dict[str, tuple[str, str]]:
        """vacancy id -> (title, unit) for every vacancy of the run."""
        out = {e["vacancy_id"]: (e["title"], e["unit"]) for e in self.audit["explanations"]}
        for u in self.audit["unfilled"]:
            out[u["vacancy_id"]] = (u.get("title", ""), u.get("unit", ""))
        for vid, (title, unit) in self.audit.get("chains", {}).get("posts", {}).items():
            out.setdefault(vid, (title, unit))  # a chain round's held posts
        return out

    @cached_property
    def kept(self) -> dict[str, tuple[str, float]]:
        """A chain round's held posts whose holder kept them: post -> (holder, score there)."""
        stays = self.audit.get("chains", {}).get("stays", {})
        return {s["post"]: (e, float(s["merit_score"])) for e, s in stays.items()}

    @property
    def blocked(self) -> dict[str, Doc]:
        """ "vacancy_id employee_id" -> what stops an unreachable counterfactual."""
        out: dict[str, Doc] = self.audit.get("unreachable_why", {})
        return out

    @cached_property
    def holder(self) -> dict[str, Doc]:
        """vacancy id -> its placement's explanation."""
        return {e["vacancy_id"]: e for e in self.audit["explanations"]}

    def placement_of(self, employee_id: str) -> Doc | None:
        return next(
            (e for e in self.audit["explanations"] if e["employee_id"] == employee_id), None
        )

    def post(self, vacancy_id: str) -> str:
        title, unit = self.posts.get(vacancy_id, ("", ""))
        return f"{vacancy_id} {title} — {unit}"

    def eligible(self, employee_id: str) -> pd.DataFrame:
        """The person's eligible posts: vacancy_id, merit_score, rank, placed, components."""
        rows = _rows(self.folder / "rankings.csv", employee_id)
        df = pd.DataFrame(rows)
        if df.empty:
            return pd.DataFrame(columns=["vacancy_id", "merit_score", "rank", "placed"])
        for c in df.columns.drop(["vacancy_id", "employee_id", "placed"]):
            df[c] = pd.to_numeric(df[c])
        df["placed"] = df["placed"] == "true"
        return df.sort_values(["rank", "vacancy_id"], kind="mergesort").reset_index(drop=True)

    @property
    def has_rule_detail(self) -> bool:
        return bool(self.manifest.get("eligibility_detail", True))

    def failed(self, employee_id: str) -> dict[str, list[str]]:
        """vacancy id -> the rule codes the person fails there (only with the rule detail)."""
        if not self.has_rule_detail:
            return {}
        rows = _rows(self.folder / "eligibility.csv", employee_id)
        return {r["vacancy_id"]: [c for c in r["rules"].split(";") if c] for r in rows}

    def cf(self, vacancy_id: str, employee_id: str) -> Doc | None:
        return next(
            (
                c
                for c in self.audit["counterfactuals"]
                if c["vacancy_id"] == vacancy_id and c["employee_id"] == employee_id
            ),
            None,
        )

    def above(self, vacancy_id: str) -> Doc:
        return self.audit.get("ranked_above", {}).get(vacancy_id, {"total": 0, "entries": []})

    def above_entry(self, vacancy_id: str, employee_id: str) -> Doc | None:
        return next(
            (e for e in self.above(vacancy_id)["entries"] if e["employee_id"] == employee_id),
            None,
        )
