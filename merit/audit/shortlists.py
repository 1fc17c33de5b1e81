"""The JPT posts of a run: filled by open selection, so the run names candidates, not a holder.

Each post's ranked shortlist (``shortlists.csv``, checked by AUD-SHORTLIST) with what a
selection committee and an auditor need beside it: the post, how many were eligible, and the
legal basis of filling it by open selection.
"""

from __future__ import annotations

from typing import Any

from merit.audit.context import RunContext

#: Why a JPT pratama post gets a shortlist and never a placement.
BASIS = "PP 11/2017 jo. PP 17/2020 Pasal 198 ayat (4); ukuran daftar: Kebijakan skenario"
BASIS_EN = "PP 11/2017 as amended by PP 17/2020, Article 198(4); size of the list: Scenario policy"


def shortlist_facts(ctx: RunContext) -> list[dict[str, Any]]:
    """One entry per JPT post of the run, in id order."""
    vac = ctx.open_selection.vacancies
    listed = ctx.shortlists
    out = []
    for v in vac.sort_values("vacancy_id").itertuples():
        names = listed[listed["vacancy_id"] == v.vacancy_id].sort_values("rank")
        out.append(
            {
                "vacancy_id": v.vacancy_id,
                "title": str(v.title),
                "unit": str(v.unit),
                "size": ctx.scenario.eligibility.jpt_shortlist,
                "names": [
                    {
                        "employee_id": str(r.employee_id),
                        "merit_score": round(float(r.merit_score), 4),
                        "rank": int(r.rank),
                    }
                    for r in names.itertuples()
                ],
                "basis": BASIS,
                "basis_en": BASIS_EN,
            }
        )
    return out
