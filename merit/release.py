"""``merit release``: the named Daftar usulan / Lampiran SK, made after the decision.

The only place names reach an output. It reads the run's audit (the annex rows, without
names) and the protected table of the data the manifest names, joins the names by NIP, and
writes the named list to ``release/`` in the run folder (an HTML page to print and a
workbook), each file atomically. The manifest records that it did so (files and hashes);
nothing ever reads the released files back: they are an output only, never an input.
"""

from __future__ import annotations

import hashlib
import os
from html import escape
from pathlib import Path
from typing import Any

from merit.errors import RunFolderError
from merit.io.destination import claimed
from merit.io.read import load
from merit.report import read_audit
from merit.report.annex import annex_section
from merit.report.html import page
from merit.report.sheets import write_book
from merit.report.text import t
from merit.report.workbook import annex_sheet
from merit.runfolder import MANIFEST, manifest_text, read_manifest, unwritable

FOLDER = "release"
HTML = "daftar-usulan-bernama.html"
XLSX = "daftar-usulan-bernama.xlsx"
#: Manifest block that records the release (``merit verify`` leaves it out of the re-run
#: comparison: a re-run is not released).
RELEASE = "release"


def _atomic(path: Path, write: Any) -> str:
    """Write through a temporary sibling renamed into place; returns the file's SHA-256."""
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(folder: Path, manifest: dict[str, Any], data: Path | None) -> dict[str, str]:
    path = data or (folder / manifest["data"]["path"]).resolve()
    dataset = load(path)
    if dataset.input_hashes() != {i["file"]: i["sha256"] for i in manifest["data"]["inputs"]}:
        raise RunFolderError(
            f"{path}: the data differ from what the run used (SHA-256 of the inputs); release "
            "the run from the data it was made with, or pass that data with --data"
        )
    prot = dataset.protected
    if "name" not in prot.columns:
        raise RunFolderError(
            f"{path}: the protected table has no name column, so there are no names to release"
        )
    sub = prot[prot["name"].notna()]
    return dict(zip(sub["employee_id"].astype(str), sub["name"].astype(str), strict=True))


def release(folder: Path, data: Path | None = None) -> list[Path]:
    """Write the named list of run ``folder``; returns the files written. Like ``merit
    audit``, it works on a staged copy swapped in whole under the folder's lock: killed at any
    instant, the folder is the unreleased one or the released one, never half of each."""
    folder = Path(folder)
    read_manifest(folder)  # the located "not a run folder" error, before any lock
    with claimed(folder) as claim:
        claim.check_run_folder()
        try:
            tmp = claim.stage_copy()
            written = _release(tmp, data)
            claim.commit(tmp, force=True)
        except OSError as err:
            raise unwritable(folder, err) from None
    return [folder / p.relative_to(tmp) for p in written]


def _release(folder: Path, data: Path | None) -> list[Path]:
    manifest = read_manifest(folder)
    audit = read_audit(folder)
    if audit is None or "annex" not in audit:
        raise RunFolderError(
            f"{folder}: audit.json is missing or has no annex; run `merit audit {folder}` first"
        )
    if not audit["ok"]:
        raise RunFolderError(
            f"{folder}: the audit failed; a list for the decree is released only from a run "
            "whose audit passed"
        )
    names = _names(folder, manifest, data)
    missing = [r["employee_id"] for r in audit["annex"] if r["employee_id"] not in names]
    out = folder / FOLDER
    out.mkdir(exist_ok=True)
    title = f"{escape(manifest['scenario']['name'])} — Daftar usulan / Lampiran SK"
    body = (
        f"<h1>{t('Daftar usulan bernama', 'Named proposed list')}: "
        f"{escape(manifest['scenario']['name'])}</h1>"
        + annex_section(manifest, audit["annex"], names)
    )
    html = out / HTML
    xlsx = out / XLSX
    hashes = {
        f"{FOLDER}/{HTML}": _atomic(
            html, lambda p: p.write_text(page(title, body), encoding="utf-8")
        ),
        f"{FOLDER}/{XLSX}": _atomic(
            xlsx,
            lambda p: write_book({"Lampiran SK": annex_sheet(audit["annex"], names)}, p),
        ),
    }
    manifest[RELEASE] = {
        "files": hashes,
        "rows": len(audit["annex"]),
        "without_name": missing,
        "note_en": "names joined after the decision from the protected table; never an input",
        "note_id": "nama digabung setelah keputusan dari tabel terlindungi; tidak pernah masukan",
    }
    _atomic(folder / MANIFEST, lambda p: p.write_text(manifest_text(manifest), encoding="utf-8"))
    return [html, xlsx]


__all__ = ["FOLDER", "HTML", "RELEASE", "XLSX", "release"]
