"""Write a run folder atomically and reproducibly, and read one back.

A run folder holds ``placements.csv``, ``unfilled.csv``, ``rankings.csv``,
``eligibility.csv`` and ``manifest.json`` (plus report files when the report stage runs).
It is written to a hidden sibling folder and renamed into place under a lock
(``merit.io.destination``), so on any error or kill nothing changes at the destination.
No file holds wall-clock time: the same inputs and scenario give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd

from merit.dataset import Dataset
from merit.domain.scenario import scenario_notes
from merit.errors import RunFolderError
from merit.io.destination import Claim, claimed
from merit.io.write import Coded, coded_text, csv_chunks, factorize_ints
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
    codes, texts = _four_decimals(values)
    return np.array([*texts, ""], dtype=object)[codes]


def _four_decimals(values: np.ndarray) -> Coded:
    if (np.signbit(values) & (values == 0)).any():  # -0.0: print whichever zero sorts first
        uniques, inverse = np.unique(values, return_inverse=True)
        nan = np.isnan(uniques)
        codes = np.where(nan, -1, np.arange(len(uniques)))[inverse.reshape(-1)]
        return codes, [f"{u:.4f}" for u in uniques.tolist()]
    nan = np.isnan(values)
    with np.errstate(invalid="ignore", over="ignore"):
        ticks = np.rint(values * 10_000)
        on_grid = ((ticks / 10_000 == values) & (np.abs(ticks) < 1e13)) | nan
    if on_grid.all():
        # the closest double to ticks / 10^4 prints as that number: format the integers
        codes, uniques = factorize_ints(np.where(nan, 0, ticks).astype(np.int64))
        codes[nan] = -1
        return codes, [
            f"{'-' * (t < 0)}{abs(t) // 10_000}.{abs(t) % 10_000:04d}" for t in uniques.tolist()
        ]
    codes, uniques = pd.factorize(values)  # NaN: code -1, an empty cell
    return codes, [f"{u:.4f}" for u in uniques.tolist()]


def _coded(col: pd.Series) -> Coded | None:
    """A run-table column as text: floats with 4 decimals, booleans as true/false."""
    if col.dtype == np.bool_:
        return col.to_numpy().astype(np.int64), ["false", "true"]
    if isinstance(col.dtype, np.dtype) and col.dtype.kind == "f":
        return _four_decimals(col.to_numpy())
    return coded_text(col)


def _csv_chunks(df: pd.DataFrame) -> Iterator[bytes]:
    """The frame as CSV bytes (as pandas writes it, after the formatting of ``_coded``),
    joined directly when every cell is text that needs no quotes, else by pandas."""
    columns = [_coded(df[c]) for c in df.columns]
    if all(c is not None for c in columns):
        chunks = csv_chunks([str(c) for c in df.columns], cast(list[Coded], columns), len(df))
        if chunks is not None:
            return chunks
    out = df.copy()
    for c in out.columns:
        if out[c].dtype.kind == "b":
            out[c] = np.where(out[c].to_numpy(), "true", "false")
        elif out[c].dtype.kind == "f":
            out[c] = four_decimals(out[c].to_numpy())
    return iter([out.to_csv(index=False, lineterminator="\n").encode("utf-8")])


def _csv_text(df: pd.DataFrame) -> str:
    return b"".join(_csv_chunks(df)).decode("utf-8")


def _csv(df: pd.DataFrame, path: Path) -> str:
    """Write the frame; floats with 4 decimals, booleans as true/false: the same frame gives
    the same bytes. Returns the file's sha256, computed as it is written: one thread writes
    and hashes each block (both release the GIL) while the next block is joined."""
    h = hashlib.sha256()

    def put(chunk: bytes) -> None:
        fh.write(chunk)
        h.update(chunk)

    with path.open("wb") as fh, ThreadPoolExecutor(max_workers=1) as pool:
        ahead: deque[Future[None]] = deque()
        for chunk in _csv_chunks(df):
            if len(ahead) == 2:  # at most two blocks wait in memory
                ahead.popleft().result()
            ahead.append(pool.submit(put, chunk))
        for done in ahead:
            done.result()
    return h.hexdigest()


def write_run(
    result: Result,
    dataset: Dataset,
    out: Path,
    *,
    scenario_path: Path | None = None,
    force: bool = False,
    extras: tuple[Extra, ...] = (),
    measure: Callable[[], dict[str, Any]] | None = None,
    claim: Claim | None = None,
) -> Path:
    """Write ``result`` to ``out`` atomically; ``extras`` add files (reports) before the seal.
    ``measure``, when given, is called last and its figures go into the manifest's
    ``measured`` block (not reproducible by nature; ``merit verify`` leaves it out).
    ``claim`` is the lock on ``out`` its caller already holds (else one is taken here).

    Raises ``RunFolderError`` when ``out`` may not be written (it exists and ``force`` is
    false, it is not a run folder, another process writes it, or writing fails).
    """
    out = Path(out)
    if claim is None:
        with claimed(out) as own:
            return write_run(
                result,
                dataset,
                out,
                scenario_path=scenario_path,
                force=force,
                extras=extras,
                measure=measure,
                claim=own,
            )
    claim.check(force)
    try:
        tmp = claim.stage()
        tables = {
            "placements.csv": result.placements,
            "unfilled.csv": result.unfilled,
            "rankings.csv": result.rankings,
            "eligibility.csv": result.eligibility,
            "shortlists.csv": result.shortlists,
        }
        known = {name: Hashed.of(tmp / name, _csv(df, tmp / name)) for name, df in tables.items()}
        manifest = build_manifest(result, dataset, tmp, out, scenario_path, known)
        write_manifest(tmp, manifest)
        for extra in extras:
            extra(tmp, result, dataset)
            seal(tmp, known)
        if measure is not None:
            manifest = read_manifest(tmp)
            manifest[MEASURED] = measure()
            write_manifest(tmp, manifest)
        claim.commit(tmp, force)
    except OSError as err:
        raise unwritable(out, err) from None
    return out


def unwritable(out: Path, err: OSError) -> RunFolderError:
    """The error for a write that failed (disk full, permissions): nothing changed at out."""
    where = f" ({err.filename})" if err.filename else ""
    return RunFolderError(
        f"could not write {out}: {err.strerror or err}{where}; nothing at {out} was changed "
        "(free some space or choose another --out, then run again)"
    )


def _rel(path: Path | str, start: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), start.resolve())).as_posix()


def build_manifest(
    result: Result,
    dataset: Dataset,
    folder: Path,
    final: Path,
    scenario_path: Path | None,
    known: Mapping[str, Hashed] | None = None,
) -> dict[str, Any]:
    """The run record: inputs, scenario, versions, solver status and objective, output hashes
    (``known`` hashes are reused for files unchanged since they were taken)."""
    sc = result.scenario
    sol = result.solution
    scenario_doc = sc.model_dump(mode="json")
    data_root = Path(dataset.location) if dataset.location else None
    scenario_doc["data"] = _rel(data_root, final) if data_root else None
    inputs = [{"file": f, "sha256": h} for f, h in dataset.input_hashes().items()]
    scenario_block: dict[str, Any] = {
        "file": _rel(scenario_path, final) if scenario_path else None,
        "sha256": sha256_file(scenario_path) if scenario_path else None,
        "name": sc.name,
        "seed": sc.seed,
        "settings": scenario_doc,
    }
    notes = scenario_notes(sc)
    if notes:  # only then: manifests of scenarios that need no note keep their bytes
        scenario_block["notes"] = notes
    return {
        "merit_version": version("merit"),
        "ortools_version": version("ortools"),
        "scenario": scenario_block,
        "data": {"path": scenario_doc["data"], "inputs": inputs},
        "solver": sol.to_record(),
        "proven_optimal": result.proven_optimal,
        "blind_view_fields": result.view_fields,
        "counts": result.counts,
        "eligibility_detail": result.eligibility_detail,
        "rankings_limit": result.rankings_limit,
        "outputs": output_hashes(folder, known),
    }


@dataclass(frozen=True)
class Hashed:
    """A file's sha256 and the (size, modification time, inode) it had when it was taken."""

    sha256: str
    stamp: tuple[int, int, int]

    @classmethod
    def of(cls, path: Path, sha256: str) -> Hashed:
        return cls(sha256, _stamp(path))


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def output_hashes(folder: Path, known: Mapping[str, Hashed] | None = None) -> dict[str, str]:
    """sha256 of every file but the manifest; a ``known`` hash is reused when its file still
    has the size, modification time and inode it had when it was hashed."""
    known = known or {}
    out = {}
    for p in sorted(folder.iterdir()):
        if p.is_file() and p.name != MANIFEST:
            k = known.get(p.name)
            out[p.name] = k.sha256 if k is not None and k.stamp == _stamp(p) else sha256_file(p)
    return out


def seal(folder: Path, known: Mapping[str, Hashed] | None = None) -> None:
    """Recompute the manifest's output hashes after files were added to the folder."""
    manifest = read_manifest(folder)
    manifest["outputs"] = output_hashes(folder, known)
    write_manifest(folder, manifest)


#: Manifest block that ``merit run --measure`` adds (peak memory, stage times): it differs
#: between runs by nature, so ``merit verify`` leaves it out of the byte comparison.
MEASURED = "measured"


def manifest_text(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(manifest_text(manifest), encoding="utf-8")


def without_measured(text: str) -> str:
    """The manifest text as it would be without the ``measured`` block (nor the ``release``
    block that ``merit release`` adds: a re-run is not released)."""
    doc = json.loads(text)
    doc.pop(MEASURED, None)
    doc.pop("release", None)
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
