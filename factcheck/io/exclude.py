"""What a walk leaves out: `--exclude` globs, a `.factcheckignore`, and factcheck's own outputs.

Globs are gitignore-like: `#` starts a comment line; a glob with no `/` (but a trailing one)
matches a file or folder name at any depth; one with a `/` matches the path from the folder
given; a trailing `/` matches folders only; `*` and `?` stay within a name and `**` crosses
folders. A folder matched is not walked at all.

The outputs: a folder `--out` wrote into holds `OUTPUT_MARKER`, which names the files written
there (claims.csv, findings.csv, report.html), so that a second run over the corpus never reads
the first run's tables as reports.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pathspec.patterns.gitignore.basic import GitIgnoreBasicPattern

from ..fileio import write_text_atomic
from .inputs import Skip, read_bytes

IGNORE_FILE = ".factcheckignore"
OUTPUT_MARKER = ".factcheck-output"


@dataclass(frozen=True)
class Glob:
    """One glob: its pattern as written, the regex it compiles to, and where it applies."""

    text: str
    pattern: re.Pattern[str]
    anchored: bool  # matches the whole path from the folder given, not just a name
    folders_only: bool


def compile_glob(text: str) -> Glob:
    """A gitignore-like glob (see the module's docstring); ValueError for an empty one.

    pathspec, the well-kept implementation of gitignore's matching, reads the glob; a
    trailing `/` (folders only) and `!` are handled here, not by it."""
    folders_only = text.endswith("/")
    body = text.strip("/") if folders_only else text.lstrip("/")
    if not body:
        raise ValueError("an empty glob")
    anchored = "/" in text.rstrip("/")
    pattern = GitIgnoreBasicPattern(body if not anchored else f"/{body}").regex
    if pattern is None:
        raise ValueError("not a glob")
    return Glob(text, pattern, anchored, folders_only)


@dataclass(frozen=True)
class Exclusions:
    """The globs one walk leaves out."""

    globs: tuple[Glob, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.globs)

    def excludes(self, relative: str, is_folder: bool) -> bool:
        """Whether the entry at `relative` (its path from the folder given, `/`-separated)
        is left out."""
        name = relative.rsplit("/", 1)[-1]
        for glob in self.globs:
            if glob.folders_only and not is_folder:
                continue
            if glob.pattern.match(relative if glob.anchored else name):
                return True
        return False

    def plus(self, globs: Iterable[Glob]) -> Exclusions:
        return Exclusions((*self.globs, *globs))


def given_globs(texts: Sequence[str]) -> Exclusions:
    """The `--exclude` globs; an empty one is a usage error (ValueError)."""
    return Exclusions(tuple(compile_glob(text) for text in texts))


def ignore_file_globs(folder: Path) -> tuple[list[Glob], list[tuple[int, str]]]:
    """The globs of `folder`'s `.factcheckignore` (none when there is none), and each line
    that is not a glob (line number, why)."""
    path = folder / IGNORE_FILE
    if not os.path.isfile(path):
        return [], []
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except (Skip, OSError, UnicodeDecodeError) as exc:
        return [], [(0, f"cannot read: {getattr(exc, 'message', None) or exc}")]
    globs: list[Glob] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("!"):
            bad.append((number, f"'{line}': negation (!) is not supported; line ignored"))
            continue
        try:
            globs.append(compile_glob(line))
        except ValueError as exc:
            bad.append((number, f"'{line}': {exc}; line ignored"))
    return globs, bad


def output_names(folder: Path) -> frozenset[str]:
    """The files factcheck wrote into `folder` (none when it holds no `OUTPUT_MARKER`)."""
    try:
        text = (folder / OUTPUT_MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def marker_text(names: Iterable[str]) -> str:
    """What `OUTPUT_MARKER` holds: a comment, then each file written, one a line."""
    return ("# written by factcheck --out: these files are its outputs, never read as "
            "reports\n" + "".join(f"{name}\n" for name in sorted(names)))


def mark_outputs(folder: Path, names: Iterable[str]) -> None:
    """Name `names` as factcheck's outputs in `folder`'s `OUTPUT_MARKER` (kept with those it
    names already), once they are in place.

    Best effort: the outputs are written whatever happens here, and without the marker a
    later run only reads them as inputs and says so; a failure must not fail the run.
    """
    known = output_names(folder)
    if not set(names) <= known:
        with contextlib.suppress(OSError):
            write_text_atomic(folder / OUTPUT_MARKER, marker_text(known | set(names)))
