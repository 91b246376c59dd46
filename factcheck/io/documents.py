"""Loading reports: files, folders (walked in sorted order) and corpora, each read by its format.

Everything that cannot be read is skipped with a `Problem` (`path:line: what is wrong`) and the
rest is read; see `io.formats.registry` for the formats and `io.manifests` for a folder's
`sources.csv`/`sources.yaml`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FactcheckError, Problem
from ..yamlio import MAX_NESTING
from .encodings import scrub
from .exclude import IGNORE_FILE, Exclusions, given_globs, ignore_file_globs, output_names
from .formats.registry import SUFFIXES, format_of, suffix_of
from .inputs import Skip, join_name
from .intake import Intake
from .manifests import MANIFEST_NAMES, Manifest, read_manifest
from .model import Document, LoadResult


def load_documents(paths: Sequence[str | Path], group_by: str | None = None,
                   exclude: Sequence[str] = ()) -> LoadResult:
    """Read every report under `paths`; raise `FactcheckError` when none can be read.

    Stories: reports are compared within a story. By default every report of the run is in one
    story (`""`) unless its `event` names one; `group_by="folder"` groups by folder, and any other
    `group_by` names the metadata field or corpus column to group by (see `story_of`).
    """
    paths = _as_list(paths)
    problems: list[Problem] = []
    documents = list(iter_documents(paths, group_by, problems, exclude))
    if not documents:
        where = ", ".join(str(p) for p in paths) or "(no paths given)"
        if problems:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise FactcheckError(f"no reports found in {where}; skipped {problems[0]}{more}",
                                 problems=problems)
        kinds = ", ".join(SUFFIXES)
        raise FactcheckError(f"no reports found in {where} (reports are {kinds} files)")
    return LoadResult(documents, problems)


def iter_documents(
    paths: Sequence[str | Path],
    group_by: str | None = None,
    problems: list[Problem] | None = None,
    exclude: Sequence[str] = (),
) -> Iterator[Document]:
    """Yield the reports under `paths` one by one, reading corpora incrementally.

    Inputs that cannot be read are appended to `problems` (dropped when it is None). A path that
    does not exist raises `FactcheckError` at once, before anything is read. `exclude`: globs
    left out, with those of a folder's `.factcheckignore` (see `io.exclude`).
    """
    paths = _as_list(paths)
    for path in paths:
        if not os.path.exists(path):
            raise FactcheckError("no such file or folder", path)
    try:
        exclusions = given_globs(exclude)
    except ValueError as exc:
        raise FactcheckError(f"--exclude: {exc}") from None
    loader = _Loader(Intake(group_by, problems if problems is not None else []), exclusions)
    return loader.run(paths)


def _as_list(paths: Sequence[str | Path] | str | Path) -> list[str | Path]:
    # A lone path is a common slip; iterating it would read each character as a path.
    return [paths] if isinstance(paths, str | Path) else list(paths)


@dataclass
class _Frame:
    """A folder being walked: its entries still to read and what its reports inherit."""

    folder: Path
    name: str
    entries: Iterator[os.DirEntry[str]]
    manifests: tuple[Manifest, ...]
    ancestors: dict[str, str]
    story_folder: str
    depth: int
    relative: str  # its path from the folder given ("." for that folder)
    outputs: frozenset[str]  # the files factcheck's --out wrote here


class _Loader:
    """One run over the given paths: its intake, the manifests read so far, folders visited."""

    def __init__(self, intake: Intake, exclude: Exclusions) -> None:
        self.intake = intake
        self.exclude = exclude
        self.manifests: dict[str, Manifest | None] = {}
        self.visited: set[str] = set()

    def run(self, paths: Iterable[str | Path]) -> Iterator[Document]:
        yield from self.read_paths(paths)
        self.intake.check_group_by()

    def read_paths(self, paths: Iterable[str | Path]) -> Iterator[Document]:
        for given in paths:
            path = Path(given)
            name = scrub(path.as_posix())
            if path.is_dir():
                yield from self.walk(path, name, name, ())
                continue
            if self.exclude.excludes(name, False):
                continue
            parent = path.parent
            manifest = self.manifest(parent, parent.as_posix())
            manifests = (manifest,) if manifest else ()
            if path.name.lower() in MANIFEST_NAMES:
                self.intake.problem(name, "is a manifest, not a report (give its folder instead)")
            elif format_of(path.name) is not None:
                yield from self.read(path, name, parent.as_posix(), manifests)
            else:
                kinds = ", ".join(SUFFIXES)
                suffix = suffix_of(path.name) or "(none)"
                self.intake.problem(name, f"unsupported file type {suffix} (reports are {kinds} "
                                    "files)")

    def walk(self, folder: Path, name: str, root: str, manifests: tuple[Manifest, ...]
             ) -> Iterator[Document]:
        """Reports under `folder` in sorted path order, hidden entries and other types skipped.

        Iterative, one frame per open folder (a tree 1,000 folders deep must not exhaust
        Python's recursion), and no deeper than `MAX_NESTING` folders below the one given.
        """
        globs, bad = ignore_file_globs(folder)
        for line, message in bad:
            self.intake.problem(join_name(name, IGNORE_FILE), message, line or None)
        exclude = self.exclude.plus(globs)
        stack: list[_Frame] = []
        frame = self.enter(folder, name, root, manifests, {}, 0)
        if frame is not None:
            stack.append(frame)
        while stack:
            frame = stack[-1]
            entry = next(frame.entries, None)
            if entry is None:
                stack.pop()
                continue
            if entry.name.startswith("."):
                continue
            path = frame.folder / entry.name
            child = scrub(join_name(frame.name, entry.name))  # a name not UTF-8, as text
            relative = scrub(join_name(frame.relative, entry.name))
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: reading it says so
                is_dir = False
            if exclude.excludes(relative, is_dir):
                continue
            if is_dir:
                inner = self.enter(path, child, root, frame.manifests, frame.ancestors,
                                   frame.depth + 1, relative)
                if inner is not None:
                    stack.append(inner)
            elif entry.name in frame.outputs:
                continue  # what an earlier run wrote with --out: its tables are no reports
            elif entry.name.lower() not in MANIFEST_NAMES and format_of(entry.name) is not None:
                # Whatever it is (a broken link, a pipe), reading it reports what is wrong.
                yield from self.read(path, child, frame.story_folder, frame.manifests)

    def enter(self, folder: Path, name: str, root: str, manifests: tuple[Manifest, ...],
              ancestors: Mapping[str, str], depth: int, relative: str = ".") -> _Frame | None:
        """The frame of a folder to walk, or None when it is not walked (a symlink loop, seen
        already, too deep, unreadable). `ancestors` maps the real path of each folder the walk
        is inside to its name."""
        if depth > MAX_NESTING:
            self.intake.problem(name, f"folder nested more than {MAX_NESTING} deep below "
                                f"{root}; not read")
            return None
        real = os.path.realpath(folder)
        if real in ancestors:
            self.intake.problem(name, f"symlink loop back to {ancestors[real]}; not followed")
            return None
        if real in self.visited:  # a folder reached again by another link: read once
            return None
        self.visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self.intake.problem(name, f"cannot read folder: {exc.strerror or exc}")
            return None
        manifest = self.manifest(folder, name)
        if manifest:
            manifests = (manifest, *manifests)
        # Files directly in a folder given are grouped under that folder as given.
        story_folder = root if name == root else Path(os.path.relpath(name, root)).as_posix()
        return _Frame(folder, name, iter(entries), manifests, {**ancestors, real: name},
                      story_folder, depth, relative, output_names(folder))

    def read(
        self, path: Path, name: str, folder: str, manifests: tuple[Manifest, ...]
    ) -> Iterator[Document]:
        """The documents of one file: a report, or every record of a corpus."""
        base: dict[str, Any] = {}
        for manifest in manifests:
            stated = manifest.fields_for(path)
            if stated is not None:
                base = stated
                break
        input_format = format_of(path.name)
        assert input_format is not None  # only files of a known format are read
        try:
            yield from input_format.read(path, name, folder, base, self.intake)
        except Skip as skip:
            self.intake.problem(name, skip.message, skip.line)
        except OSError as exc:
            self.intake.problem(name, f"cannot read: {exc.strerror or exc}")

    def manifest(self, folder: Path, name: str) -> Manifest | None:
        """The manifest of `folder`, read once per run (its problems are reported once)."""
        real = os.path.realpath(folder)
        if real not in self.manifests:
            self.manifests[real] = read_manifest(folder, name, self.intake)
        return self.manifests[real]
