"""How the reader understood a dataset: which header became which field, what went where.

``merit validate`` prints it (issue: say how the data was understood), so an analyst sees
at once that ``KEDUDUKAN_HUKUM_NAMA`` was read as the legal standing, that ``NIK`` and
``EMAIL`` went to the protected table, and that ``KPKN_NAMA`` was ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Understood:
    """One table as read: its source and what became of each header."""

    table: str
    where: str
    mapped: dict[str, str] = field(default_factory=dict)
    """Header -> field."""
    protected: dict[str, str] = field(default_factory=dict)
    """Header -> column of the protected table (never a decision input)."""
    ignored: dict[str, str] = field(default_factory=dict)
    """Header -> why it was not read."""
    consumed: dict[str, str] = field(default_factory=dict)
    """Header -> the field it helped derive."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """Further remarks (English, Indonesian)."""


def _pairs(d: dict[str, str]) -> str:
    return ", ".join(f"{h} -> {f}" if h != f else h for h, f in d.items())


def render(tables: list[Understood], lang: str = "id") -> list[str]:
    """Lines for the terminal, one block per table."""
    idn = lang == "id"
    out: list[str] = []
    for u in tables:
        out.append(f"{u.where} ({u.table}):")
        if u.mapped:
            out.append(f"  {'dibaca' if idn else 'read'}: {_pairs(u.mapped)}")
        if u.consumed:
            label = "dipakai untuk menurunkan" if idn else "used to derive"
            out.append(f"  {label}: {_pairs(u.consumed)}")
        if u.protected:
            label = (
                "ke tabel terlindungi (tidak pernah dipakai untuk keputusan)"
                if idn
                else "to the protected table (never used for decisions)"
            )
            out.append(f"  {label}: {', '.join(u.protected)}")
        if u.ignored:
            label = "diabaikan" if idn else "ignored"
            shown = "; ".join(f"{h} ({why})" for h, why in u.ignored.items())
            out.append(f"  {label}: {shown}")
        for en, id_ in u.notes:
            out.append(f"  {id_ if idn else en}")
    return out
