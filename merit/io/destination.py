"""Where a run folder goes: checked before any work, one writer at a time, replaced whole.

``claimed(out)`` checks that ``out`` can be written (its parent is a folder merit may write
in; ``out`` is absent, an empty folder, or a run folder), takes an exclusive lock
``.<name>.lock`` beside it, and removes what killed merit processes left in that folder. The new
folder is built in a hidden sibling ``.<name>.tmp-<pid>`` and put in place by one rename;
an existing run folder is swapped with it in one atomic exchange (Linux ``renameat2``).
So at every instant ``out`` is the previous folder or the complete new one.

merit never replaces, moves or deletes what it did not write: a file, a link, a folder
without ``manifest.json``, or a run folder holding anything its manifest does not list is
refused, with or without ``--force``.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from merit.errors import RunFolderError

Note = Callable[[str], None]
MANIFEST = "manifest.json"
#: Hidden siblings merit writes next to ``out``: a folder being built (tmp), the previous
#: folder during a swap without atomic exchange (old), a re-run by ``merit verify`` (kind "verify").
LEFTOVER = re.compile(r"^\.(?P<base>.+)\.(?P<kind>tmp|old|verify)-(?P<pid>\d+)$")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _silent(message: str) -> None:
    return None


def sibling(out: Path, kind: str) -> Path:
    """The hidden sibling of ``out`` this process uses for ``kind`` (tmp, old, verify)."""
    return out.parent / f".{out.name}.{kind}-{os.getpid()}"


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def _listed(folder: Path) -> set[str] | None:
    """The files ``folder``'s manifest lists (with the manifest), or None if it has none."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        outputs = doc["outputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(outputs, dict):
        return None
    released = (doc.get("release") or {}).get("files") or {}
    # a released named list lives in its own subfolder (merit release): listed by its first part
    return {str(k) for k in outputs} | {str(k).split("/")[0] for k in released} | {MANIFEST}


def refusal(out: Path, force: bool) -> str | None:
    """Why ``out`` may not be (re)written, or None when it may."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        kind = "a link" if out.is_symlink() else "a file"
        return (
            f"{out} is {kind}, not a run folder; merit never replaces or moves it (not even "
            "with --force); choose another --out"
        )
    try:
        if not out.exists() or not any(out.iterdir()):
            return None
    except OSError as err:
        return f"cannot read the folder {out} ({err.strerror}); choose another --out"
    listed = _listed(out)
    if listed is None:
        return (
            f"{out} is a folder that merit did not write (it has no readable {MANIFEST}); "
            "merit never replaces it (not even with --force); choose another --out"
        )
    foreign = sorted(
        p.name + ("/" if p.is_dir() else "")
        for p in out.iterdir()
        if p.name not in listed or p.is_symlink() or not (p.is_file() or p.is_dir())
    )
    if foreign:
        return (
            f"{out} holds {', '.join(foreign[:5])}{' ...' if len(foreign) > 5 else ''}, which "
            f"its {MANIFEST} does not list; merit never deletes what it did not write: move "
            "them elsewhere, or choose another --out"
        )
    if not force:
        return f"{out} already exists; choose another --out folder or pass --force to replace it"
    return None


def _prepare_parent(out: Path) -> list[Path]:
    """Create ``out``'s missing parent folders; returns them, deepest first."""
    parent = out.parent
    missing = []
    for folder in (parent, *parent.parents):
        if folder.is_symlink() and not folder.exists():
            break
        if folder.exists():
            if not folder.is_dir():
                raise RunFolderError(
                    f"cannot write {out}: {folder} is a file, not a folder; choose an --out "
                    "whose parent is a folder"
                )
            break
        missing.append(folder)
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RunFolderError(
            f"cannot create the folder {parent} for {out}: {err.strerror}; choose an --out "
            "in a folder you can write to"
        ) from None
    return missing


def _lock(out: Path) -> int:
    """Take the exclusive lock of ``out``; the lock is released when the process ends, so a
    killed writer never blocks the next one."""
    path = lock_path(out)
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as err:
            raise RunFolderError(
                f"cannot write in {out.parent} ({err.strerror}); merit writes {out} and its lock "
                f".{out.name}.lock there: choose an --out in a folder you can write to"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise RunFolderError(
                f"{out} is being written by another merit process (PID {holder}); wait for it "
                "to finish, or choose another --out"
            ) from None
        # the previous holder may have removed the file between our open and our lock
        try:
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            return fd
        os.close(fd)


def _only_files(folder: Path, depth: int = 1) -> bool:
    """Whether ``folder`` has the shape of what merit builds there: files, and sub-folders of
    files (a released named list) one level down; no links, nothing deeper."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    return all(
        (p.is_file() and not p.is_symlink()) or (depth > 0 and _only_files(p, depth - 1))
        for p in folder.iterdir()
    )


def _clean(out: Path, note: Note) -> None:
    """Remove (or, for an interrupted swap, restore) what killed merit processes left beside
    ``out``; called with the lock held, so no live process owns them."""
    for p in sorted(out.parent.iterdir()):
        m = LEFTOVER.match(p.name)
        if m is None or m["base"] != out.name:
            continue
        if m["kind"] == "old" and not out.exists() and not out.is_symlink() and p.is_dir():
            os.rename(p, out)
            note(f"restored {out} from {p.name}, left by an interrupted replacement")
        elif _only_files(p):
            shutil.rmtree(p)
            note(f"removed {p}, left by a merit process that was stopped")
        else:
            note(f"left {p} alone: it holds links or nested folders merit does not write there")


def _clean_neighbours(out: Path, note: Note) -> None:
    """Leftovers of other run folders in the same parent: cleaned under their own lock, when
    no live process holds it (a killed run whose --out is never used again)."""
    bases = {m["base"] for p in out.parent.iterdir() if (m := LEFTOVER.match(p.name))}
    for base in sorted(bases - {out.name}):
        other = out.parent / base
        try:
            fd = _lock(other)
        except RunFolderError:
            continue  # being written right now: its writer cleans up
        try:
            _clean(other, note)
        finally:
            with suppress(OSError):
                os.unlink(lock_path(other))
            os.close(fd)


def _sync(folder: Path) -> None:
    """Flush the staged files and folder to disk before the rename makes them ``out``: after
    a power cut ``out`` is then the old folder or the new one, never one of empty files."""
    for p in folder.iterdir():
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    _sync_folder(folder)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot (then nothing happened)."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


class Claim:
    """The right to write ``out``, held from the first check to the final rename."""

    def __init__(self, out: Path, note: Note = _silent) -> None:
        self.out = out
        self.note = note
        self._staged: list[Path] = []

    def check(self, force: bool) -> None:
        """Raise ``RunFolderError`` when ``out`` may not be (re)written."""
        reason = refusal(self.out, force)
        if reason:
            raise RunFolderError(reason)

    def check_run_folder(self) -> None:
        """Raise unless ``out`` is an existing run folder merit may rewrite (the audit)."""
        if not self.out.is_dir() or self.out.is_symlink():
            raise RunFolderError(f"{self.out} is not a folder; pass a run folder")
        if _listed(self.out) is None:
            raise RunFolderError(
                f"{self.out} is not a merit run folder: {MANIFEST} is missing or unreadable; "
                "pass the folder that `merit run --out` wrote"
            )
        self.check(force=True)

    def stage(self, kind: str = "tmp") -> Path:
        """A new empty hidden sibling to build the folder in (removed unless committed)."""
        tmp = sibling(self.out, kind)
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        self._staged.append(tmp)
        return tmp

    def stage_copy(self) -> Path:
        """A staged copy of the run folder at ``out`` (its files and a released named list),
        to change and then commit: whoever is killed meanwhile leaves ``out`` as it was."""
        tmp = self.stage()
        for p in sorted(self.out.iterdir()):
            if p.is_dir():
                shutil.copytree(p, tmp / p.name)
            else:
                shutil.copy2(p, tmp / p.name)
        return tmp

    def commit(self, tmp: Path, force: bool) -> None:
        """Put the finished ``tmp`` at ``out``: a rename, or an atomic exchange with the run
        folder there (checked again: it must still be one merit may replace)."""
        self.check(force)
        out = self.out
        _sync(tmp)
        if not out.exists():
            os.rename(tmp, out)
        elif _exchange(tmp, out):
            shutil.rmtree(tmp)  # it now holds the previous folder
        else:  # no atomic exchange: a killed swap is undone by the next claim (_clean)
            old = sibling(out, "old")
            os.rename(out, old)
            os.rename(tmp, out)
            shutil.rmtree(old)
        self._staged.remove(tmp)
        _sync_folder(out.parent)

    def release(self) -> None:
        for tmp in self._staged:
            shutil.rmtree(tmp, ignore_errors=True)
        self._staged.clear()


class Scratch(Claim):
    """A private folder written in place (the re-run of ``merit verify``): no lock, no swap."""

    def check(self, force: bool) -> None:
        return None

    def stage(self, kind: str = "tmp") -> Path:
        self.out.mkdir(exist_ok=True)
        return self.out

    def commit(self, tmp: Path, force: bool) -> None:
        return None


@contextmanager
def claimed(out: Path, note: Note = _silent) -> Iterator[Claim]:
    """Check ``out``'s parent, lock ``out``, clean leftovers; release (and remove unfinished
    work) on the way out, whatever happens."""
    out = Path(out)
    if out.name in ("", ".", ".."):
        raise RunFolderError(f"{out} cannot be a run folder; name a folder, e.g. runs/my-run")
    created = _prepare_parent(out)
    try:
        fd = _lock(out)
    except RunFolderError:
        _remove_empty(created)
        raise
    claim = Claim(out, note)
    try:
        _clean(out, note)
        _clean_neighbours(out, note)
        yield claim
    finally:
        claim.release()
        with suppress(OSError):
            os.unlink(lock_path(out))
        os.close(fd)
        if not out.exists():  # a refused or failed run leaves no new empty parents either
            _remove_empty(created)


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:  # deepest first; stops at the first that is not empty
        try:
            folder.rmdir()
        except OSError:
            return
