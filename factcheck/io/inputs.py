"""Input files read safely: regular files only, bounded in size; `Skip` says why one is not used.

Readers reach these through the module (`inputs.read_bytes`, `inputs.MAX_INPUT_BYTES`), so that
a test can make a read fail or lower the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

# The most one report file, manifest or corpus record may hold. A long news report is tens of
# kilobytes and the claims stage reads about half a megabyte a second, so this leaves a hundred
# times the longest report while keeping any one input under half a minute and bounded memory.
MAX_INPUT_BYTES = 10 * 1024 * 1024
CHUNK = 1024 * 1024  # how much of a corpus is read at a time to judge its encoding


class Skip(Exception):
    """An input that cannot be used: becomes a `Problem`, and the run goes on."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def megabytes(size: int) -> str:
    """A size as people read it in a message: `10.0 MB`."""
    return f"{size / (1024 * 1024):.1f} MB"


def join_name(name: str, child: str) -> str:
    """The name of `child` inside the input named `name` (`corpus/a.txt`, or `a.txt` in `.`)."""
    return child if name in ("", ".") else f"{name.rstrip('/')}/{child}"


def open_input(path: Path) -> BinaryIO:
    """Open a file to read, refusing what is not a regular file.

    O_NONBLOCK keeps a FIFO named like a report from blocking the run at `open`; a device
    (`/dev/zero` behind a symlink) would never end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise Skip("not a regular file (a device, pipe or socket)")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_bytes(path: Path) -> bytes:
    """Read a whole file (one report or a manifest) of at most `MAX_INPUT_BYTES`."""
    with open_input(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        data = b"" if size > MAX_INPUT_BYTES else handle.read(MAX_INPUT_BYTES + 1)
        if size > MAX_INPUT_BYTES or len(data) > MAX_INPUT_BYTES:
            raise Skip(f"too large: {megabytes(max(size, len(data)))}, over the "
                       f"{megabytes(MAX_INPUT_BYTES)} limit for one report (split it, or make "
                       "it a JSONL corpus)")
    return data
