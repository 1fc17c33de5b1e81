"""A deterministic synthetic Kota Kupang: real unit names, invented people.

``synthesize(employees, vacancies, seed)`` returns every table of a dataset in the frame
contract. Merit fields and protected attributes come from separate random streams of the same
seed, so the protected attributes are independent of merit by construction. The occupied posts
(``posts``) and their standards come from a third stream, so adding them changed no other row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from merit.domain.models import TABLES
from merit.io.frames import coerce, sort_frame
from merit.synth import posts
from merit.synth.occupied import every_post_held, occupied_posts
from merit.synth.people import careers, competencies, duties, histories, performance, positions
from merit.synth.places import PRIORITY_SERVICE_UNITS
from merit.synth.protected import identities, protected

KINDS = ("spouse", "sibling", "parent", "in_law")


def _relations(rng: np.random.Generator, emp: pd.DataFrame, vac: pd.DataFrame) -> pd.DataFrame:
    """A few declared family links, some between candidates and a vacancy's unit head."""
    ids = emp["employee_id"].to_numpy(dtype=object)
    n = max(1, len(ids) // 200)
    a = rng.integers(0, len(ids), n)
    b = rng.integers(0, len(ids), n)
    pairs = {(ids[i], ids[j]) for i, j in zip(a, b, strict=True) if i != j}
    heads = vac["unit_head_id"].dropna().to_numpy(dtype=object)
    for head, fam in zip(heads[:5], vac["jf_family"].to_numpy(dtype=object)[:5], strict=False):
        same = emp[(emp["jf_family"] == fam) & (emp["employee_id"] != head)] if fam else emp
        if len(same):
            pairs.add((same["employee_id"].iloc[int(rng.integers(0, len(same)))], head))
    pairs_l = sorted((x, y) for x, y in pairs if (y, x) not in pairs or x < y)
    return pd.DataFrame(
        {
            "employee_id": [p[0] for p in pairs_l],
            "related_id": [p[1] for p in pairs_l],
            "kind": np.array(KINDS, dtype=object)[rng.integers(0, len(KINDS), len(pairs_l))],
            "source": "Daftar keluarga (pernyataan pegawai)",
            "declared_on": pd.Timestamp("2026-01-15"),
        }
    )


def synthesize(
    employees: int = 3000, vacancies: int = 75, seed: int = 2026, all_posts: bool = False
) -> dict[str, pd.DataFrame]:
    """Every table of a synthetic city, in the dataset frame contract, sorted by key.

    ``posts`` lists the occupied posts: those of structural holders, or with ``all_posts``
    every employee's (JF and pelaksana holders then get ``POS-`` ids after the structural
    ones; no other column of any employee changes).
    """
    merit_rng, people_rng, posts_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3)
    )
    pos = positions(merit_rng, employees)
    car = careers(merit_rng, pos)
    ids, gender = identities(people_rng, pd.Series(car["birth_date"]), pd.Series(car["cpns_since"]))
    emp = pd.concat([pd.DataFrame({"employee_id": ids}), pos, car], axis=1)
    emp = pd.concat([emp, duties(merit_rng, emp)], axis=1)
    history = histories(merit_rng, emp)
    emp = emp.drop(columns="cpns_since")
    comp = competencies(
        merit_rng,
        ids,
        pos["position_level"].to_numpy(dtype=object),
        car["potential"].to_numpy(dtype=object),
    )
    perf = performance(merit_rng, ids, car["potential"].to_numpy(dtype=object))
    vac = posts.vacancies(merit_rng, vacancies, emp)
    std = posts.standards(merit_rng, vac)
    rel = _relations(merit_rng, emp, vac)
    prot = protected(people_rng, ids, gender, pd.Series(car["birth_date"]))
    if all_posts:
        emp["current_post_id"] = every_post_held(emp["current_post_id"])
    held = occupied_posts(emp, vac)
    std = pd.concat([std, posts.standards(posts_rng, held)], ignore_index=True)
    raw = {
        "employees": emp,
        "competencies": comp,
        "performance": perf,
        "vacancies": vac,
        "standards": std,
        "relations": rel,
        "history": history,
        "posts": held,
        "protected": prot,
    }
    out = {}
    for table, df in raw.items():
        model = TABLES[table]
        out[table] = sort_frame(model, coerce(model, {c: list(df[c]) for c in df.columns}))
    out["dictionary"] = coerce(
        TABLES["dictionary"], {"competency_code": [], "name": [], "kind": []}
    )
    return out


__all__ = ["PRIORITY_SERVICE_UNITS", "synthesize"]
