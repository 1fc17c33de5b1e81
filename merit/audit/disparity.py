"""Selection rates by protected group, the four-fifths screen, and a proxy check.

This is the only place where protected attributes meet the decision's outcome, and only after
the decision: the protected table is re-joined here, inside the audit. Groups under
``MIN_GROUP`` people get no rate, so no one can be re-identified from the report.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from merit.audit.context import Derived, RunContext
from merit.scoring import COMPONENTS

MIN_GROUP = 5
FOUR_FIFTHS = 0.8
#: Identifiers are not groups: they are unique per person and never reported.
NOT_GROUPS = {"employee_id", "name", "nik", "nip"}
CAVEAT_EN = (
    "The four-fifths rule is a screening heuristic, not proof of discrimination: a ratio below "
    "0.8 calls for a closer look at the eligibility rules and data, nothing more."
)
CAVEAT_ID = (
    "Aturan empat-perlima adalah heuristik penyaringan, bukan bukti diskriminasi: rasio di bawah "
    "0,8 hanya menandakan perlunya pemeriksaan lebih lanjut atas aturan dan data."
)


def _age_band(ctx: RunContext) -> pd.Series:
    birth = ctx.merit.employees.set_index("employee_id")["birth_date"]
    age = (pd.Timestamp(ctx.scenario.placement_date) - birth).dt.days // 365
    bands = pd.cut(age, [0, 30, 40, 50, 200], right=False, labels=["<30", "30-39", "40-49", "50+"])
    return bands.astype(str)


def attributes(ctx: RunContext) -> pd.DataFrame:
    """Protected attributes per employee id (plus an age band), for the audit only."""
    prot = ctx.dataset.protected.set_index("employee_id")
    cols = [c for c in prot.columns if c.lower() not in NOT_GROUPS]
    frame = prot[cols].astype(object).where(prot[cols].notna(), None)
    frame = frame.reindex(ctx.merit.employees["employee_id"])
    frame["age_band"] = _age_band(ctx).reindex(frame.index)
    return frame.dropna(axis=1, how="all")


def selection_rates(ctx: RunContext, d: Derived) -> list[dict[str, Any]]:
    """Placed / eligible per group of each protected attribute, with the ratio to the best."""
    eligible = pd.Index(d.eligible_ids())
    placed = set(ctx.placements["employee_id"])
    attrs = attributes(ctx).reindex(eligible)
    out = []
    for col in attrs.columns:
        values = attrs[col].fillna("(unknown)").astype(str)
        is_placed = values.index.isin(list(placed))
        table = pd.DataFrame({"group": values.to_numpy(), "placed": is_placed})
        g = table.groupby("group", sort=True)["placed"].agg(["count", "sum"])
        shown = g[g["count"] >= MIN_GROUP]
        rates = shown["sum"] / shown["count"]
        top = float(rates.max()) if len(rates) and rates.max() > 0 else None
        groups = []
        for name, row in g.iterrows():
            suppressed = bool(row["count"] < MIN_GROUP)
            rate = None if suppressed else float(row["sum"] / row["count"])
            ratio = None if rate is None or top is None else rate / top
            groups.append(
                {
                    "group": str(name),
                    "eligible": None if suppressed else int(row["count"]),
                    "placed": None if suppressed else int(row["sum"]),
                    "rate": None if rate is None else round(rate, 4),
                    "ratio": None if ratio is None else round(ratio, 4),
                    "flag": bool(ratio is not None and ratio < FOUR_FIFTHS),
                    "suppressed": suppressed,
                }
            )
        out.append({"attribute": col, "groups": groups})
    return out


def proxy_check(ctx: RunContext, d: Derived) -> list[dict[str, Any]]:
    """How well each component predicts each attribute: correlation ratio eta^2 in [0, 1].

    Per employee the component is averaged over their eligible pairs; groups under MIN_GROUP
    are left out. eta^2 near 0 means the component carries no information about the group.
    """
    per_emp = d.component_means()
    attrs = attributes(ctx).reindex(per_emp.index)
    out = []
    for col in attrs.columns:
        groups = attrs[col].fillna("(unknown)").astype(str)
        sizes = groups.map(groups.value_counts())
        keep = (sizes >= MIN_GROUP).to_numpy()
        for c in COMPONENTS:
            x = per_emp[c.code].to_numpy(float)[keep]
            g = groups.to_numpy()[keep]
            total = float(((x - x.mean()) ** 2).sum()) if len(x) else 0.0
            if total <= 0 or len(set(g)) < 2:
                eta2 = 0.0
            else:
                means = pd.Series(x).groupby(g).transform("mean").to_numpy()
                eta2 = float(((means - x.mean()) ** 2).sum() / total)
            out.append(
                {
                    "component": c.code,
                    "attribute": col,
                    "score": round(eta2, 4),
                    "method": "correlation ratio eta^2 (share of the component's variance "
                    "explained by the group)",
                }
            )
    return out


def disparity(ctx: RunContext, d: Derived) -> dict[str, Any]:
    return {
        "attributes": selection_rates(ctx, d),
        "min_group_size": MIN_GROUP,
        "threshold": FOUR_FIFTHS,
        "caveat_en": CAVEAT_EN,
        "caveat_id": CAVEAT_ID,
        "proxy": proxy_check(ctx, d),
    }


def names(ctx: RunContext) -> dict[str, str] | None:
    """Names for reports, only when the input had them and the scenario allows it."""
    prot = ctx.dataset.protected
    if not ctx.scenario.show_names or "name" not in prot.columns:
        return None
    ids = set(ctx.placements["employee_id"]) | set(ctx.rankings["employee_id"])
    sub = prot[prot["employee_id"].isin(ids) & prot["name"].notna()]
    return dict(zip(sub["employee_id"].astype(str), sub["name"].astype(str), strict=True))
