"""Write a run folder atomically and reproducibly, and read one back.

A run folder holds ``placements.csv``, ``unfilled.csv``, ``rankings.csv``,
``eligibility.csv`` and ``manifest.json`` (plus report files when the report stage runs).
It is written to a temporary sibling folder and renamed into place, so on any error nothing
is left at the destination. No file holds wall-clock time: the same inputs and scenario give
byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from merit.dataset import Dataset
from merit.errors import RunFolderError
from merit.pipeline import Result

MANIFEST = "manifest.json"
TABLE_FILES = ("placements.csv", "unfilled.csv", "rankings.csv", "eligibility.csv")
Extra = Callable[[Path, Result, Dataset], None]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def four_decimals(values: np.ndarray) -> np.ndarray:
    """Numbers as "%.4f" text, NaN as an empty cell; each distinct value is formatted once."""
    uniques, inverse = np.unique(values, return_inverse=True)
    text = np.array(["" if np.isnan(u) else f"{u:.4f}" for u in uniques], dtype=object)
    return text[inverse.reshape(-1)]


def _csv(df: pd.DataFrame, path: Path) -> None:
    """Floats with 4 decimals, booleans as true/false: the same frame gives the same bytes."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype.kind == "b":
            out[c] = np.where(out[c].to_numpy(), "true", "false")
        elif out[c].dtype.kind == "f":
            out[c] = four_decimals(out[c].to_numpy())
    path.write_bytes(_csv_text(out).encode("utf-8"))


def _csv_text(df: pd.DataFrame) -> str:
    """The frame as CSV text, as pandas writes it; joined directly when no cell needs quotes
    (pandas' writer takes a second for the 200,000 rows of a city's eligibility.csv)."""
    cells: list[list[str]] = []
    for c in df.columns:
        col = df[c]
        if col.dtype.kind in "iu":
            cells.append(col.astype(str).tolist())
        elif col.dtype.kind == "O" or isinstance(col.dtype, pd.CategoricalDtype):
            text = col.astype(object).where(col.notna(), "")
            if pd.api.types.infer_dtype(text, skipna=False) not in ("string", "empty"):
                return df.to_csv(index=False, lineterminator="\n")
            cells.append(text.tolist())
        else:
            return df.to_csv(index=False, lineterminator="\n")
    header = [str(c) for c in df.columns]
    if any(_needs_quotes("\x00".join(column)) for column in [header, *cells]):
        return df.to_csv(index=False, lineterminator="\n")
    lines = [",".join(header), *(",".join(row) for row in zip(*cells, strict=True))]
    return "\n".join(lines) + "\n"


def _needs_quotes(text: str) -> bool:
    return "," in text or '"' in text or "\n" in text or "\r" in text


def write_run(
    result: Result,
    dataset: Dataset,
    out: Path,
    *,
    scenario_path: Path | None = None,
    force: bool = False,
    extras: tuple[Extra, ...] = (),
    measure: Callable[[], dict[str, Any]] | None = None,
) -> Path:
    """Write ``result`` to ``out`` atomically; ``extras`` add files (reports) before the seal.
    ``measure``, when given, is called last and its figures go into the manifest's
    ``measured`` block (not reproducible by nature; ``merit verify`` leaves it out).

    Raises ``RunFolderError`` when ``out`` exists and ``force`` is false.
    """
    out = Path(out)
    if out.exists() and not force:
        raise RunFolderError(
            f"{out} already exists; choose another --out folder or pass --force to replace it"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        _csv(result.placements, tmp / "placements.csv")
        _csv(result.unfilled, tmp / "unfilled.csv")
        _csv(result.rankings, tmp / "rankings.csv")
        _csv(result.eligibility, tmp / "eligibility.csv")
        manifest = build_manifest(result, dataset, tmp, out, scenario_path)
        write_manifest(tmp, manifest)
        for extra in extras:
            extra(tmp, result, dataset)
            seal(tmp)
        if measure is not None:
            manifest = read_manifest(tmp)
            manifest[MEASURED] = measure()
            write_manifest(tmp, manifest)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _rel(path: Path | str, start: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), start.resolve())).as_posix()


def build_manifest(
    result: Result, dataset: Dataset, folder: Path, final: Path, scenario_path: Path | None
) -> dict[str, Any]:
    """The run record: inputs, scenario, versions, solver status and objective, output hashes."""
    sc = result.scenario
    sol = result.solution
    scenario_doc = sc.model_dump(mode="json")
    data_root = Path(dataset.location) if dataset.location else None
    scenario_doc["data"] = _rel(data_root, final) if data_root else None
    inputs = [{"file": f, "sha256": h} for f, h in dataset.input_hashes().items()]
    return {
        "merit_version": version("merit"),
        "ortools_version": version("ortools"),
        "scenario": {
            "file": _rel(scenario_path, final) if scenario_path else None,
            "sha256": sha256_file(scenario_path) if scenario_path else None,
            "name": sc.name,
            "seed": sc.seed,
            "settings": scenario_doc,
        },
        "data": {"path": scenario_doc["data"], "inputs": inputs},
        "solver": sol.to_record(),
        "proven_optimal": result.proven_optimal,
        "blind_view_fields": result.view_fields,
        "counts": result.counts,
        "eligibility_detail": result.eligibility_detail,
        "rankings_limit": result.rankings_limit,
        "outputs": output_hashes(folder),
    }


def output_hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != MANIFEST
    }


def seal(folder: Path) -> None:
    """Recompute the manifest's output hashes after files were added to the folder."""
    manifest = read_manifest(folder)
    manifest["outputs"] = output_hashes(folder)
    write_manifest(folder, manifest)


#: Manifest block that ``merit run --measure`` adds (peak memory, stage times): it differs
#: between runs by nature, so ``merit verify`` leaves it out of the byte comparison.
MEASURED = "measured"


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(manifest_text(manifest), encoding="utf-8")


def without_measured(text: str) -> str:
    """The manifest text as it would be without the ``measured`` block."""
    doc = json.loads(text)
    doc.pop(MEASURED, None)
    return manifest_text(doc)


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not path.is_file():
        raise RunFolderError(
            f"{folder} is not a merit run folder: {MANIFEST} is missing; pass the folder "
            "that `merit run --out` wrote"
        )
    try:
        doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RunFolderError(f"{path}: not valid JSON ({err}); the run folder is damaged") from None
    return doc
