"""Words and numbers of the bilingual page: each appears in both languages, one shown at a time."""

from __future__ import annotations

from html import escape
from typing import Any

from merit.audit.sayings import num

__all__ = ["n", "num", "t"]


def t(idn: str, en: str) -> str:
    """Both languages; the page shows one at a time."""
    if idn == en:
        return escape(idn)
    return f'<span lang="id">{escape(idn)}</span><span lang="en">{escape(en)}</span>'


def n(x: Any, digits: int = 4) -> str:
    """A number in each language's format (1.234,5678 / 1,234.5678); a dash when missing."""
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    return t(num(float(x), digits, "id"), num(float(x), digits, "en"))


_METHODS = {
    "min_cost_flow": ("aliran biaya minimum (OR-Tools)", "minimum-cost flow (OR-Tools)"),
    "cp_sat": ("pemrograman kendala CP-SAT (OR-Tools)", "CP-SAT constraint programming (OR-Tools)"),
}
_NOT_BINDING = ("; anggaran tidak mengikat", "; the budget does not bind")


def method_words(method: str) -> tuple[str, str]:
    """The solver's method in words, (Indonesian, English)."""
    base = method.split(" ", 1)[0]
    idn, en = _METHODS.get(base, (method, method))
    if "not binding" in method:
        idn, en = idn + _NOT_BINDING[0], en + _NOT_BINDING[1]
    if "(chains)" in method:
        idn, en = idn + "; putaran rantai mutasi", en + "; a round with chains of moves"
    return idn, en


def split_names(text: str) -> tuple[str, str]:
    """A scenario label written "Indonesian / English" as its two halves (else itself twice)."""
    if " / " in text:
        idn, en = text.split(" / ", 1)
        return idn.strip(), en.strip()
    return text, text


def num_cell(x: Any, digits: int = 4) -> str:
    """A number cell written once, in Indonesian; the page rewrites it in English on switch
    (half the elements of writing both languages, for tables of thousands of rows)."""
    if x is None or (isinstance(x, float) and x != x):
        return '<td class="num">–</td>'
    v = float(x)
    return f'<td class="num" data-n="{v!r}" data-d="{digits}">{num(v, digits, "id")}</td>'
