"""A chain round in the report: each chain of moves as a readable sequence (employee ids and
posts, each link's merit score) with why it is no longer, folded like the per-OPD detail."""

from __future__ import annotations

from typing import Any

from merit.audit.sayings import chain_end, chain_sequence
from merit.report.text import t

Doc = dict[str, Any]


def chains_counts(manifest: Doc, audit: Doc | None) -> tuple[int, int, int] | None:
    """(moves, chains, held posts) of a chain round; None for other runs."""
    counts = manifest.get("counts", {})
    if "held_posts" not in counts:
        return None
    found = (audit or {}).get("chains")
    moves = int(counts.get("moves", found["moves"] if found else 0))
    chains = int(counts.get("chains", len(found["chains"]) if found else 0))
    return moves, chains, int(counts["held_posts"])


def chains_summary(manifest: Doc, audit: Doc | None) -> str:
    """One line for the summary: vacancies filled, moves, chains, held posts of the round."""
    c = chains_counts(manifest, audit)
    if c is None:
        return ""
    moves, chains, held = c
    counts = manifest["counts"]
    filled, vacancies = counts.get("vacancies_filled", 0), counts.get("vacancies", 0)
    return (
        "<p id='chains-summary'>"
        + t(
            f"Putaran rantai: {filled} dari {vacancies} lowongan terisi; {moves} perpindahan "
            f"dalam {chains} rantai; {held} jabatan terisi dapat dibebaskan",
            f"Chain round: {filled} of {vacancies} vacancies filled; {moves} moves in "
            f"{chains} chains; {held} held posts could be freed",
        )
        + "</p>"
    )


def held_posts(audit: Doc | None) -> set[str]:
    """The held posts of a chain round (empty for other runs)."""
    return set(((audit or {}).get("chains") or {}).get("posts", {}))


def chains_section(audit: Doc | None) -> str:
    """Each chain, head first, folded; empty outside a chain round."""
    found = (audit or {}).get("chains")
    if not found:
        return ""
    limit = found.get("max_length")
    items = []
    for c in found["chains"]:
        head = c["links"][0]
        n = len(c["links"])
        items.append(
            f"<details class='chain' id='chain-{c['chain']}'><summary>"
            + t(
                f"Rantai {c['chain']}: {head['vacancy_id']}, {n} perpindahan",
                f"Chain {c['chain']}: {head['vacancy_id']}, {n} move{'' if n == 1 else 's'}",
            )
            + "</summary><p class='sequence'>"
            + t(chain_sequence(c, "id"), chain_sequence(c, "en"))
            + "</p><p>"
            + t(chain_end(c, "id", limit), chain_end(c, "en", limit))
            + "</p></details>"
        )
    limits = t(
        f"max_length {limit if limit is not None else 'tanpa batas'}, move_cost "
        f"{found.get('move_cost')} poin per perpindahan (kebijakan skenario)",
        f"max_length {limit if limit is not None else 'no limit'}, move_cost "
        f"{found.get('move_cost')} points a move (scenario policy)",
    )
    return (
        "<section id='chains-section'><details class='section'><summary><h2>"
        + t("Rantai mutasi", "Chains of moves")
        + f" (<span id='chains-count'>{len(found['chains'])}</span>)</h2></summary>"
        + "<p>"
        + t(
            "Setiap rantai dimulai dari lowongan; jabatan yang ditinggalkan setiap orang yang "
            "dipindahkan diisi pada langkah berikutnya.",
            "Each chain starts at a vacancy; the post each mover leaves is filled at the next "
            "step.",
        )
        + f" {limits}</p>"
        + "".join(items)
        + "</details></section>"
    )


def chains_sheet(audit: Doc | None) -> tuple[list[str], list[list[Any]]] | None:
    """report.xlsx's "Rantai" sheet: one row per move, with its chain's sequence and end."""
    found = (audit or {}).get("chains")
    if not found:
        return None
    limit = found.get("max_length")
    out = []
    for c in found["chains"]:
        end = chain_end(c, "id", limit)
        for step, k in enumerate(c["links"], start=1):
            out.append(
                [
                    c["chain"],
                    step,
                    k["employee_id"],
                    k["from_post"],
                    k["vacancy_id"],
                    k["merit_score"],
                    end if step == len(c["links"]) else "",
                ]
            )
    heads = ["Rantai", "Langkah", "NIP", "Jabatan asal", "Jabatan baru", "Skor merit", "Akhir"]
    return heads, out
