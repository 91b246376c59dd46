"""Files written atomically: a temporary file beside the target, flushed to disk, renamed over it.

A reader sees the old file or the whole new one, never half a file; a write that fails or is
interrupted (Ctrl-C, SIGTERM) removes its temporary file. Every output of factcheck (the
`--out` CSVs, `check --output`, baselines, scaffolded rule files) is written this way.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO


def new_file_mode() -> int:
    """The permission bits a newly created file gets under the current umask (mkstemp's own
    are 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def file_mode_for(path: Path) -> int:
    """The mode a file written over `path` should keep: its own, or a new file's."""
    return path.stat().st_mode & 0o777 if path.exists() else new_file_mode()


def naming(error: OSError, path: Path) -> OSError:
    """`error` (its own type kept) naming `path`, the file the user asked for, rather than our
    temporary file or no file at all (a full disk's ENOSPC names none)."""
    error.filename, error.filename2 = str(path), None
    return error


class TargetFile:
    """A temporary file's handle whose errors name the file it will replace, `target`."""

    def __init__(self, handle: IO[str], target: Path) -> None:
        self._handle = handle
        self.target = target

    def write(self, text: str) -> int:
        try:
            return self._handle.write(text)
        except OSError as error:
            raise naming(error, self.target) from None

    def flush(self) -> None:
        try:
            self._handle.flush()
        except OSError as error:
            raise naming(error, self.target) from None

    def close(self) -> None:
        try:
            self._handle.close()
        except OSError as error:
            raise naming(error, self.target) from None

    def __getattr__(self, name: str) -> object:  # fileno, closed, encoding, mode, …
        return getattr(self._handle, name)

    def __enter__(self) -> TargetFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_beside(path: Path, encoding: str = "utf-8", newline: str = "") -> tuple[IO[str], Path]:
    """A new temporary file beside `path` (same folder, so `os.replace` is a rename on one
    file system), open for writing, and its path; the folder is made when missing. Its
    errors name `path`. Close it with `finish`."""
    folder = path.parent or Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise naming(error, path) from None
    handle = os.fdopen(fd, "w", encoding=encoding, newline=newline)
    return TargetFile(handle, path), Path(name)  # type: ignore[return-value]


def finish(handle: IO[str], temp: Path, path: Path) -> None:
    """Flush a temporary file from `open_beside` to disk and close it, with the mode the file
    it will replace, `path`, should keep."""
    handle.flush()
    try:
        os.fsync(handle.fileno())
    except OSError as error:
        raise naming(error, path) from None
    handle.close()
    with contextlib.suppress(OSError):  # keep mkstemp's private mode rather than fail the write
        os.chmod(temp, file_mode_for(path))


def temporary_beside(path: Path, write: Callable[[IO[str]], object],
                     encoding: str = "utf-8", newline: str = "") -> Path:
    """A new temporary file beside `path` that `write` fills, flushed to disk, with the mode
    `path` should keep (see `open_beside` and `finish`). On failure (Ctrl-C and SIGTERM too)
    it is removed and the error raised, naming `path`."""
    handle, temp = open_beside(path, encoding, newline)
    try:
        with handle:
            write(handle)
            finish(handle, temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _keep_aside(path: Path) -> Path | None:
    """A second name for the file at `path` (a hard link, else a copy), so that it can be put
    back; None when there is no file there."""
    if not os.path.lexists(path) or (path.is_dir() and not path.is_symlink()):
        return None  # nothing there, or a folder: the move itself will fail
    aside = path.parent / f".{path.name}.{uuid.uuid4().hex[:12]}.old"
    try:
        if path.is_symlink():
            os.symlink(os.readlink(path), aside)
        else:
            try:
                os.link(path, aside)
            except OSError:  # a file system without hard links: a copy, mode and times kept
                shutil.copy2(path, aside)
    except OSError as error:
        raise naming(error, path) from None
    return aside


# Every file this process has replaced, in order: what an interrupted run has already changed.
_REPLACED: list[Path] = []


def replaced_files() -> list[Path]:
    """The files replaced so far by this process (`replace_all`), oldest first."""
    return list(_REPLACED)


def replace_all(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Move each written temporary file over its target, as a set: if any cannot be moved,
    the targets already replaced get their old files back (or are removed when they were
    new), so either every file changes or none does. The temporary files are removed on
    failure, and the error names the target."""
    replaced: list[tuple[Path, Path | None]] = []
    kept: list[Path] = []
    try:
        for tmp, path in pairs:
            old = _keep_aside(path)
            if old is not None:
                kept.append(old)
            # listed before the move: an interruption just after it is still undone (putting
            # the old file back over an unmoved one changes nothing)
            replaced.append((path, old))
            try:
                os.replace(tmp, path)
            except OSError as error:
                raise naming(error, path) from None
    except BaseException:
        for path, old in reversed(replaced):
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, path)
                else:
                    path.unlink()
        for tmp, _ in pairs:
            tmp.unlink(missing_ok=True)
        raise
    else:
        _REPLACED.extend(path for _, path in pairs)
    finally:
        for old in kept:
            with contextlib.suppress(OSError):
                old.unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the whole new one."""
    path = Path(path)
    replace_all([(temporary_beside(path, lambda handle: handle.write(text)), path)])
