"""Manifests: a folder's `sources.csv` or `sources.yaml`, giving its reports' metadata."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import yamlio
from . import inputs
from .encodings import decode
from .inputs import Skip, join_name
from .intake import Intake
from .metadata import load_yaml, read_metadata

MANIFEST_NAMES = ("sources.csv", "sources.yaml", "sources.yml")


@dataclass
class Manifest:
    """`sources.csv`/`sources.yaml` of one folder: file key → stated fields."""

    entries: dict[str, dict[str, Any]]

    def fields_for(self, path: Path) -> dict[str, Any] | None:
        """The fields the manifest states for the report at `path`; None when it names none."""
        return self.entries.get(_path_key(path))


def read_manifest(folder: Path, name: str, intake: Intake) -> Manifest | None:
    """The manifest of `folder` (`name` as inputs are named), its problems told to `intake`;
    None when the folder has none."""
    entries: dict[str, dict[str, Any]] = {}
    found = False
    for manifest_name in MANIFEST_NAMES:
        path = folder / manifest_name
        if not path.is_file():
            continue
        found = True
        where = join_name(name, manifest_name)
        try:
            text = decode(inputs.read_bytes(path))
            rows = (
                _manifest_csv(text, where)
                if manifest_name.endswith(".csv")
                else _manifest_yaml(text, where)
            )
            for line, file, raw, line_of in rows:
                if file is None:
                    intake.problem(where, "entry has no 'file'", line)
                    continue
                target = folder / file
                if not target.exists():
                    intake.problem(where, f"file {file!r} does not exist", line)
                    continue
                fields = read_metadata(raw, where, line_of, intake.problems)
                entries[_path_key(target)] = fields
        except Skip as skip:
            intake.problem(where, skip.message, skip.line)
        except OSError as exc:
            intake.problem(where, f"cannot read: {exc.strerror or exc}")
    return Manifest(entries) if found else None


# (line, file named, stated keys, line of a key)
_ManifestRow = tuple[int | None, str | None, dict[str, Any], Callable[[str], int | None]]


def _manifest_csv(text: str, where: str) -> list[_ManifestRow]:
    """Rows of `sources.csv`: (line, file, other columns)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader, [])]
        lower = [column.lower() for column in header]
        if "file" not in lower:
            raise Skip(f"no 'file' column (columns: {', '.join(header)})", 1)
        file_index = lower.index("file")
        rows: list[_ManifestRow] = []
        previous = reader.line_num
        for row in reader:
            line, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            values = dict(zip(header, row, strict=False))
            file = row[file_index].strip() if file_index < len(row) else ""
            raw = {k: v for k, v in values.items() if k != header[file_index] and v.strip()}
            rows.append((line, file or None, raw, lambda _key, n=line: n))
    except csv.Error as exc:
        raise Skip(f"not valid CSV ({exc})", reader.line_num) from None
    return rows


def _manifest_yaml(text: str, where: str) -> list[_ManifestRow]:
    """Entries of `sources.yaml`: a mapping `file: {fields}` or a list of `{file: …, fields}`."""
    data = load_yaml(text, where, first_line=1)
    rows: list[_ManifestRow] = []
    if data is None:
        return rows
    if isinstance(data, Mapping):
        for file, value in data.items():
            line = yamlio.line_of(data, file)
            if value is None:
                value = {}
            if not isinstance(value, Mapping):
                raise Skip(f"entry {file!r} should map keys to values", line)
            rows.append((line, str(file), value, _yaml_lines(value, line)))
        return rows
    if isinstance(data, list):
        for index, item in enumerate(data):
            line = yamlio.line_of(data, index)
            if not isinstance(item, Mapping):
                raise Skip("each entry should map keys to values (file, source, date)", line)
            file = item.get("file")
            raw = {k: v for k, v in item.items() if k != "file"}
            named = str(file) if file not in (None, "") else None
            rows.append((line, named, raw, _yaml_lines(item, line)))
        return rows
    raise Skip("a manifest should be a mapping of files or a list of entries", 1)


def _yaml_lines(mapping: Any, default: int | None) -> Callable[[str], int | None]:
    return lambda key: yamlio.line_of(mapping, key) or default


def _path_key(path: str | Path) -> str:
    """A file as manifests key it: its absolute path, in the case the system compares."""
    return os.path.normcase(os.path.abspath(path))
