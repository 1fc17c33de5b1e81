"""Independent audit of a run folder: re-check, certify, explain, and screen for disparity.

The audit never imports the solver or the pipeline (a test enforces it): it re-derives
eligibility and scores from the rule registries and the input data the manifest names, checks
the placement against them, certifies optimality with its own graph algorithms, and only then
re-joins the protected table to report selection rates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rapidjson

from merit.audit.certificate import residual
from merit.audit.chains import chain_facts
from merit.audit.checks import Finding, run_checks
from merit.audit.context import RunContext, derive, merit_order, open_run
from merit.audit.disparity import disparity
from merit.audit.facts import counterfactuals, explanations, unfilled
from merit.audit.shortlists import shortlist_facts
from merit.audit.whynot import annex, ranked_above, unfilled_why, unreachable_why
from merit.dataset import Dataset
from merit.view import SolverView

AUDIT_FILE = "audit.json"
#: Counterfactuals are listed for this many best unplaced candidates per vacancy.
COUNTERFACTUALS_PER_VACANCY = 10

BLIND_EN = (
    "The optimiser received only a SolverView, whose fields are: {fields}. None of them can hold "
    "a name, NIP, NIK, birth date or any protected attribute; candidates are integer indices "
    "ordered by a keyed hash. Protected attributes were re-joined only inside this audit."
)
BLIND_ID = (
    "Optimiser hanya menerima SolverView dengan kolom: {fields}. Tidak satu pun dapat memuat "
    "nama, NIP, NIK, tanggal lahir atau atribut yang dilindungi; kandidat adalah indeks bilangan "
    "bulat yang diurutkan dengan hash berkunci. Atribut yang dilindungi hanya digabung kembali "
    "di dalam audit ini."
)
CHAIN_BASIS_EN = (
    "exact for the chain round without its limits (shortest paths in the residual graph, "
    "every holder kept in a post, move cost counted); max_length, max_moves, net moves per "
    "unit and the budget may forbid some of these moves"
)
CHAIN_BASIS_ID = (
    "tepat untuk putaran rantai tanpa batasannya (lintasan terpendek pada graf residu, setiap "
    "pemegang jabatan tetap memegang jabatan, biaya perpindahan dihitung); max_length, "
    "max_moves, mutasi bersih per unit dan anggaran dapat mencegah sebagian perpindahan ini"
)


Progress = Callable[[str, str], None]


def _silent(stage: str, detail: str) -> None:
    return None


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    findings: list[Finding]
    document: dict[str, Any]


def audit(
    folder: Path,
    data: Path | None = None,
    progress: Progress | None = None,
    dataset: Dataset | None = None,
) -> AuditReport:
    """Audit the run folder; returns the findings and the full audit document.

    ``progress(stage, detail)`` is called as each audit stage starts (for the screen).
    ``dataset``: the input tables the calling process already read from the data path the
    manifest names (as parsed, before any stage used them); the audit re-derives everything
    from them as it would from the files."""
    say = progress or _silent
    say("audit: reading", str(data or (dataset.location if dataset else folder)))
    ctx: RunContext = open_run(folder, data, dataset)
    say("audit: re-deriving eligibility and scores", f"{len(ctx.merit.vacancies):,} posts")
    d = derive(ctx)
    say("audit: checking", f"{d.n_arcs:,} eligible pairs")
    out = run_checks(ctx, d, say)
    order = merit_order(ctx, d)
    unplaced_top = order[~order["arc"].isin(out.chosen)]
    unplaced_top = unplaced_top.groupby("vacancy_id").head(COUNTERFACTUALS_PER_VACANCY)
    top = order[order["arc"].isin(unplaced_top["arc"]) | order["rank"].le(1)]
    res = out.residual
    structural = {"AUD-UNIQUE", "AUD-ELIGIBLE"} & {f.code for f in out.findings}
    if res is None and not structural:
        res = residual(d.problem, out.chosen)
    say("audit: counterfactual margins", f"{len(top):,} pairs")
    cf, by_arc = counterfactuals(ctx, d, top, None if structural else res)
    say("audit: explaining", f"{len(ctx.placements):,} placements")
    told = explanations(ctx, d, order, by_arc)
    budget = ctx.scenario.constraints.budget is not None
    fields = SolverView.field_names()
    doc = {
        "ok": not out.findings,
        "findings": [f.to_dict() for f in out.findings],
        "checks": out.checks,
        "optimality": {
            **out.optimality,
            "status": ctx.manifest["solver"]["status"],
        },
        "blindness": {
            "view_fields": fields,
            "protected_fields_absent": not any(
                c["code"] == "AUD-BLIND" and not c["passed"] for c in out.checks
            ),
            "statement_en": BLIND_EN.format(fields=", ".join(fields)),
            "statement_id": BLIND_ID.format(fields=", ".join(fields)),
        },
        "explanations": told,
        "unfilled": unfilled(ctx, d),
        "counterfactuals": cf,
        "counterfactuals_per_vacancy": COUNTERFACTUALS_PER_VACANCY,
        "counterfactual_basis_en": (
            CHAIN_BASIS_EN
            if ctx.chains
            else "exact for the placement problem without the budget cap; the budget may forbid "
            "some of these moves"
            if budget
            else "exact (shortest paths in the residual graph)"
        ),
        "counterfactual_basis_id": (
            CHAIN_BASIS_ID
            if ctx.chains
            else "tepat untuk masalah penempatan tanpa batas anggaran; anggaran dapat mencegah "
            "sebagian perpindahan ini"
            if budget
            else "tepat (lintasan terpendek pada graf residu)"
        ),
        # names never enter audit.json: `merit release` joins them into its own file
        "annex": annex(ctx),
        "shortlists": shortlist_facts(ctx),
        "unreachable_why": unreachable_why(ctx, order, cf, d),
    }
    say("audit: disparity", "selection rates by group")
    doc["disparity"] = disparity(ctx, d)
    say("audit: why not", "everyone ranked at least the appointee; unfilled posts")
    doc["ranked_above"] = ranked_above(
        ctx, d, order, {(c["vacancy_id"], c["employee_id"]): c["margin"] for c in cf}
    )
    doc["unfilled_why"] = unfilled_why(ctx, d, order)
    if ctx.chains:
        doc["chains"] = chain_facts(ctx, d, out.chains)
    return AuditReport(ok=not out.findings, findings=out.findings, document=doc)


def write_audit(folder: Path, report: AuditReport) -> Path:
    """Write ``audit.json`` (reproducible bytes) into the run folder."""
    path = Path(folder) / AUDIT_FILE
    path.write_text(audit_text(report.document), encoding="utf-8")
    return path


#: A control character escaped with capital hex digits: the one spelling in which
#: rapidjson's text differs from the standard library's (``\u001F`` against ``\u001f``).
_CAPITAL_ESCAPE = re.compile(r"\\u00[01][A-F]")


def audit_text(document: dict[str, Any]) -> str:
    """The text of ``audit.json``: exactly ``json.dumps(document, indent=1, sort_keys=True,
    ensure_ascii=False)`` and a line break. The standard library writes indented JSON in
    pure Python (0.6 s for a province audit, 9 s national); python-rapidjson writes the same
    text in C, so it is used, and the standard library whenever rapidjson refuses a value
    (a key that is not text) or the text holds a control character it would spell
    differently."""
    try:
        text = rapidjson.dumps(document, indent=1, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError, UnicodeError):
        text = None
    if text is None or _CAPITAL_ESCAPE.search(text):
        text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False)
    return text + "\n"


__all__ = [
    "AUDIT_FILE",
    "AuditReport",
    "Finding",
    "Progress",
    "audit",
    "audit_text",
    "write_audit",
]
