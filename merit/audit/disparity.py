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
#: The declared protected attributes whose groups the audit compares (UU 5/2014 Pasal 1 angka
#: 22: merit "tanpa membedakan" political background, race, colour, religion, origin, gender,
#: marital status, age or disability; age is compared as a band below). Names, NIK, contact
#: and address columns, and any other column the reader split off, are never groups and
#: never reported.
GROUP_ATTRIBUTES = (
    "gender",
    "religion",
    "ethnicity",
    "race",
    "marital_status",
    "birth_place",
    "disability",
    "political_affiliation",
)
#: An attribute whose values are mostly unique identifies people instead of grouping them.
MAX_DISTINCT_SHARE = 0.5
SMALL_GROUPS = "(kelompok < 5 orang / groups under 5)"
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
    cols = [c for c in GROUP_ATTRIBUTES if c in prot.columns and not _identifying(prot[c])]
    frame = prot[cols].astype(object).where(prot[cols].notna(), None)
    frame = frame.reindex(ctx.merit.employees["employee_id"])
    frame["age_band"] = _age_band(ctx).reindex(frame.index)
    return frame.dropna(axis=1, how="all")


def _identifying(values: pd.Series) -> bool:
    """Mostly unique values (more distinct values than half the filled cells) name people."""
    filled = values.dropna()
    return len(filled) > 0 and filled.nunique() > MAX_DISTINCT_SHARE * len(filled)


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
        small = False
        for name, row in g.iterrows():
            if (
                row["count"] < MIN_GROUP
            ):  # neither counted nor named: a small group can identify a person
                small = True
                continue
            rate = float(row["sum"] / row["count"])
            ratio = None if top is None else rate / top
            groups.append(
                {
                    "group": str(name),
                    "eligible": int(row["count"]),
                    "placed": int(row["sum"]),
                    "rate": round(rate, 4),
                    "ratio": None if ratio is None else round(ratio, 4),
                    "flag": bool(ratio is not None and ratio < FOUR_FIFTHS),
                    "suppressed": False,
                }
            )
        if small:
            groups.append(
                {
                    "group": SMALL_GROUPS,
                    "eligible": None,
                    "placed": None,
                    "rate": None,
                    "ratio": None,
                    "flag": False,
                    "suppressed": True,
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
