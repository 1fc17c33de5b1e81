"""A chain round in ``merit explain``: the chain of moves a person or post is part of, as a
readable sequence with each link's merit score and why the chain is no longer, or that a
holder kept their own post. From audit.json's ``chains`` (employee ids only, never names)."""

from __future__ import annotations

from merit.audit.sayings import chain_end, chain_sequence
from merit.explain.run import Doc, Run
from merit.explain.words import f4, w


def _chain_lines(run: Run, chain: Doc, lang: str) -> list[str]:
    limit = run.audit["chains"].get("max_length")
    return [
        f"  {chain_sequence(chain, lang)}",
        f"    {chain_end(chain, lang, limit)}",
    ]


def employee_chain(run: Run, employee_id: str, lang: str) -> list[str]:
    """The person's chain, or the post they kept; empty outside a chain round."""
    if "chains" not in run.audit:
        return []
    for chain in run.audit["chains"]["chains"]:
        if any(k["employee_id"] == employee_id for k in chain["links"]):
            return [f"{w('chain_moves', lang)}:", *_chain_lines(run, chain, lang)]
    stay = run.audit["chains"].get("stays", {}).get(employee_id)
    if stay is None:
        return []
    return [
        w("kept_post", lang, post=run.post(stay["post"]), s=f4(stay["merit_score"], lang)),
        f"  {w('kept_why', lang)}",
    ]


def vacancy_chain(run: Run, vacancy_id: str, lang: str) -> list[str]:
    """The chain that fills or frees the post, or its holder who kept it."""
    if "chains" not in run.audit:
        return []
    for chain in run.audit["chains"]["chains"]:
        links = chain["links"]
        if any(vacancy_id in (k["vacancy_id"], k["from_post"]) for k in links):
            return [f"{w('chain_moves', lang)}:", *_chain_lines(run, chain, lang)]
    return []


def kept_post(run: Run, vacancy_id: str, lang: str) -> list[str] | None:
    """A held post nobody moved into because its holder kept it; None for other posts."""
    kept = run.kept.get(vacancy_id)
    if kept is None:
        return None
    return [
        run.post(vacancy_id),
        "  " + kept_by(run, vacancy_id, lang),
        f"  {w('kept_why', lang)}",
    ]


def kept_by(run: Run, vacancy_id: str, lang: str) -> str:
    """ "A held post: its holder ... kept it (merit score ...)"."""
    eid, score = run.kept[vacancy_id]
    return w("post_kept", lang, e=eid, s=f4(score, lang))
