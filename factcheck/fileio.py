"""Files written atomically: a temporary file beside the target, flushed to disk, renamed over it.

A reader sees the old file or the whole new one, never half a file; a write that fails or is
interrupted (Ctrl-C, SIGTERM) removes its temporary file. Every output of factcheck (the
`--out` CSVs, `check --output`, baselines, scaffolded rule files) is written this way.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
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


def open_beside(path: Path, encoding: str = "utf-8", newline: str = "") -> tuple[IO[str], Path]:
    """A new temporary file beside `path` (same folder, so `os.replace` is a rename on one
    file system), open for writing, and its path. Close it with `finish`."""
    fd, name = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.",
                                suffix=".tmp")
    return os.fdopen(fd, "w", encoding=encoding, newline=newline), Path(name)


def finish(handle: IO[str], temp: Path, path: Path) -> None:
    """Flush a temporary file from `open_beside` to disk and close it, with the mode the file
    it will replace, `path`, should keep."""
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    with contextlib.suppress(OSError):  # keep mkstemp's private mode rather than fail the write
        os.chmod(temp, file_mode_for(path))


def temporary_beside(path: Path, write: Callable[[IO[str]], object],
                     encoding: str = "utf-8", newline: str = "") -> Path:
    """A new temporary file beside `path` that `write` fills, flushed to disk, with the mode
    `path` should keep (see `open_beside` and `finish`). On failure (Ctrl-C and SIGTERM too)
    it is removed and the error raised."""
    handle, temp = open_beside(path, encoding, newline)
    try:
        with handle:
            write(handle)
            finish(handle, temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def replace_all(pairs: Sequence[tuple[Path, Path]]) -> None:
    """Move each written temporary file over its target; on failure remove those not moved."""
    moved = 0
    try:
        for tmp, path in pairs:
            os.replace(tmp, path)
            moved += 1
    except BaseException:
        for tmp, _ in pairs[moved:]:
            tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader sees the old file or the whole new one."""
    path = Path(path)
    replace_all([(temporary_beside(path, lambda handle: handle.write(text)), path)])
