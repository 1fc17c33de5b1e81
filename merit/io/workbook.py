"""What pandas does not say about a workbook: hidden sheets and merged header cells.

Read from the package's XML (``xl/workbook.xml``, its relationships and each sheet's
``<mergeCell>`` list) without loading the cells, so it costs little on a large workbook.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


@dataclass(frozen=True)
class SheetInfo:
    """One sheet: its name, whether Excel hides it, and merged ranges touching the header."""

    name: str
    hidden: bool
    merged_header: tuple[str, ...]
    """Merged ranges (``A1:B1``) that include a cell of row 1."""


def sheets(path: Path) -> list[SheetInfo]:
    """Every sheet in workbook order; empty when the package cannot be read this way."""
    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG}Relationship")}
            out = []
            for s in book.iter(f"{_MAIN}sheet"):
                name = s.get("name", "")
                hidden = s.get("state", "visible") in ("hidden", "veryHidden")
                where = target.get(s.get(f"{_REL}id"), "")
                member = where.lstrip("/") if where.startswith("/") else posixpath.join("xl", where)
                merged: list[str] = []
                if member in z.namelist():
                    for m in _MERGE.finditer(z.read(member)):
                        a, r1, b, r2 = (x.decode() for x in m.groups())
                        if int(r1) <= 1 <= int(r2):
                            merged.append(f"{a}{r1}:{b}{r2}")
                out.append(SheetInfo(name, hidden, tuple(merged)))
            return out
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError):
        return []
