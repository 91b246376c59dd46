"""Documents stage: read reports (files, folders, JSONL/CSV corpora) and their metadata."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from dateutil import parser as dateparser

from . import yamlio
from .errors import FactcheckError, InputError, Problem


@dataclass(frozen=True, slots=True)
class Document:
    """One report, its text and what its metadata states (None where it states nothing)."""

    doc: str  # the report's name as loaded: the path as given, or `corpus.jsonl#<id>` for a record
    text: str  # the whole text that positions refer to (for a file: the whole decoded file)
    body_start: int = 0  # offset in `text` where the report body starts (after front matter/date)
    outlet: str | None = None  # `source` in front matter, manifest or corpus column
    published: date | None = None
    title: str | None = None
    url: str | None = None
    event: str | None = None
    story: str = ""  # the story this report is compared within (see `load_documents`)
    path: str = ""  # the file the report came from
    record: int | None = None  # 1-based line (JSONL) or row (CSV) of a corpus record
    metadata: dict[str, Any] = field(default_factory=dict)  # every other metadata key, kept


@dataclass
class LoadResult:
    """The reports that loaded, and one `Problem` per input skipped or metadata value dropped."""

    documents: list[Document]
    problems: list[Problem]


REPORT_SUFFIXES = (".txt", ".md", ".markdown")
CORPUS_SUFFIXES = (".jsonl", ".ndjson", ".csv")
MANIFEST_NAMES = ("sources.csv", "sources.yaml", "sources.yml")

# Metadata keys that fill a `Document` field; the first key of each field wins over its aliases.
_FIELD_KEYS = {
    "outlet": ("source", "outlet"),
    "published": ("date",),
    "title": ("title",),
    "url": ("url", "origin"),
    "event": ("event",),
}
_KEY_FIELD = {key: name for name, keys in _FIELD_KEYS.items() for key in keys}
_GROUP_FIELD = {**_KEY_FIELD, **{name: name for name in _FIELD_KEYS}}

_INLINE_DATE = re.compile(r"\s*date(?::[ \t]*|[ \t]+)(\d{4}-\d{2}-\d{2})(?![\w-])\s*", re.I)
_YEAR_FIRST = re.compile(r"\d{4}[-/.]")
# Two different defaults: a field dateutil fills in from the default was not in the text.
_PROBE_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


class _Skip(Exception):
    """An input that cannot be used: becomes a `Problem`, and the run goes on."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def load_documents(paths: Sequence[str | Path], group_by: str | None = None) -> LoadResult:
    """Read every report under `paths`; raise `FactcheckError` when none can be read.

    Stories: reports are compared within a story. By default every report of the run is in one
    story (`""`) unless its `event` names one; `group_by="folder"` groups by folder, and any other
    `group_by` names the metadata field or corpus column to group by (see `story_of`).
    """
    paths = _as_list(paths)
    problems: list[Problem] = []
    documents = list(iter_documents(paths, group_by, problems))
    if not documents:
        where = ", ".join(str(p) for p in paths) or "(no paths given)"
        if problems:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise FactcheckError(f"no reports found in {where}; skipped {problems[0]}{more}")
        kinds = ", ".join(REPORT_SUFFIXES + CORPUS_SUFFIXES)
        raise FactcheckError(f"no reports found in {where} (reports are {kinds} files)")
    return LoadResult(documents, problems)


def iter_documents(
    paths: Sequence[str | Path],
    group_by: str | None = None,
    problems: list[Problem] | None = None,
) -> Iterator[Document]:
    """Yield the reports under `paths` one by one, reading corpora incrementally.

    Inputs that cannot be read are appended to `problems` (dropped when it is None). A path that
    does not exist raises `FactcheckError` at once, before anything is read.
    """
    paths = _as_list(paths)
    for path in paths:
        if not os.path.exists(path):
            raise FactcheckError("no such file or folder", path)
    loader = _Loader(group_by, problems if problems is not None else [])
    return loader.run(paths)


def story_of(fields: Mapping[str, Any], group_by: str | None, folder: str) -> str:
    """The story a report is compared within.

    `fields` are the report's `Document` fields (with `metadata`); `folder` is its folder relative
    to the path given (the corpus file for a corpus record).
    """
    if group_by is None:
        return fields.get("event") or ""
    if group_by == "folder":
        return folder
    name = _GROUP_FIELD.get(group_by.lower())
    value = fields.get(name) if name else None
    if value is None:
        value = fields.get("metadata", {}).get(group_by)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def parse_date(value: Any) -> date:
    """A date as stated: YAML dates, ISO strings, or a text dateutil reads one way only.

    Raises ValueError for anything else, including ambiguous day/month orders and texts that lack
    a year, month or day (nothing is filled in).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(value)
    text = value.strip()
    for iso in (date.fromisoformat, datetime.fromisoformat):
        try:
            result = iso(text)
        except ValueError:
            continue
        return result.date() if isinstance(result, datetime) else result
    # Nobody writes year-day-month, so a leading year settles the order.
    orders = [(False, True)] if _YEAR_FIRST.match(text) else [(False, False), (True, False)]
    readings = set()
    try:
        for dayfirst, yearfirst in orders:
            for default in _PROBE_DEFAULTS:
                parsed = dateparser.parse(
                    text, default=default, dayfirst=dayfirst, yearfirst=yearfirst, ignoretz=True
                )
                readings.add(parsed.date())
    except (ValueError, OverflowError) as exc:
        raise ValueError(value) from exc
    if len(readings) != 1:
        raise ValueError(value)
    return readings.pop()


def _as_list(paths: Sequence[str | Path] | str | Path) -> list[str | Path]:
    # A lone path is a common slip; iterating it would read each character as a path.
    return [paths] if isinstance(paths, str | Path) else list(paths)


def _is_input(name: str) -> bool:
    return _suffix(name) in REPORT_SUFFIXES + CORPUS_SUFFIXES


def _join(name: str, child: str) -> str:
    return child if name in ("", ".") else f"{name.rstrip('/')}/{child}"


def _suffix(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _key(path: str | Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def _text_value(value: Any) -> str | None:
    """A metadata value as text; raise TypeError for lists, mappings and booleans."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or not isinstance(value, int | float | date):
        raise TypeError(type(value).__name__)
    return value.isoformat() if isinstance(value, date) else str(value)


def _read_metadata(
    raw: Mapping[str, Any],
    name: str,
    line_of: Callable[[str], int | None],
    problems: list[Problem],
) -> dict[str, Any]:
    """The `Document` fields `raw` states (a bad date is stated as None), plus `metadata`."""
    fields: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    by_key = {key.lower(): key for key in raw}
    for target, keys in _FIELD_KEYS.items():
        for alias in keys:
            key = by_key.get(alias)
            if key is None:
                continue
            value = raw[key]
            if value is None or target in fields:
                if value is not None:
                    metadata[key] = value
                continue
            if target == "published":
                try:
                    fields[target] = parse_date(value)
                except ValueError:
                    message = f"date {str(value)!r} is not a date"
                    problems.append(Problem(name, message, line_of(key)))
                    fields[target] = None
                continue
            try:
                text = _text_value(value)
            except TypeError:
                kind = "a list" if isinstance(value, list) else f"a {type(value).__name__}"
                if isinstance(value, dict):
                    kind = "a mapping"
                message = f"{key!r} should be text, not {kind}; kept in metadata only"
                problems.append(Problem(name, message, line_of(key)))
                metadata[key] = value
                continue
            if text is not None:
                fields[target] = text
    for key, value in raw.items():
        if key.lower() not in _KEY_FIELD:
            metadata[key] = value
    fields["metadata"] = metadata
    return fields


def _merge(*layers: Mapping[str, Any]) -> dict[str, Any]:
    """Later layers win field by field; metadata keys are merged the same way."""
    merged: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "metadata":
                metadata.update(value)
            else:
                merged[key] = value
    merged["metadata"] = metadata
    return merged


def _inline_date(
    text: str, start: int, name: str, problems: list[Problem]
) -> tuple[dict[str, Any], int]:
    """A `date YYYY-MM-DD` prefix at the very start of the body: its field, new body start."""
    match = _INLINE_DATE.match(text, start)
    if match is None:
        return {}, start
    try:
        published: date | None = date.fromisoformat(match.group(1))
    except ValueError:
        line = text.count("\n", 0, match.start(1)) + 1
        problems.append(Problem(name, f"date {match.group(1)!r} is not a date", line))
        published = None
    return {"published": published}, match.end()


def _decode(data: bytes) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16, dropping only the BOM."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _Skip(f"not UTF-16 text ({exc.reason} at byte {exc.start})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = exc.object  # the bytes after any BOM, which `exc.start` counts in
        line = bad.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text (invalid byte 0x{bad[exc.start]:02x} at line {line})"
        raise _Skip(message) from None
    nul = text.find("\x00")
    if nul >= 0:
        # UTF-16 without a byte-order mark decodes as "valid" UTF-8 full of NULs.
        line = text.count("\n", 0, nul) + 1
        raise _Skip(f"not UTF-8 text (NUL byte at line {line}; UTF-16 needs a byte-order mark)")
    return text


def _corpus_encoding(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(3)
    return "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"


def _read_bytes(path: Path) -> bytes:
    """Read a whole file (one report or a manifest); kept separate so tests can make it fail."""
    return path.read_bytes()


def _load_yaml(text: str, name: str, first_line: int) -> Any:
    """Parse YAML from a file, dates as text (`parse_date` reads them); errors become `_Skip`."""
    try:
        return yamlio.parse_yaml(text, name, first_line=first_line, error=InputError,
                                 dates_as_text=True)
    except InputError as exc:
        raise _Skip(exc.message, exc.line) from None


def _front_matter(text: str, name: str) -> tuple[Mapping[str, Any] | None, int]:
    """The front matter mapping (None when there is none) and the offset just past it."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if first.rstrip() != "---":
        return None, 0
    start = pos = end + 1 if end >= 0 else len(text)
    while pos < len(text):
        nl = text.find("\n", pos)
        stop = len(text) if nl < 0 else nl
        if text[pos:stop].rstrip() in ("---", "..."):
            data = _load_yaml(text[start:pos], name, first_line=2)
            if data is None:
                data = {}
            if not isinstance(data, Mapping):
                raise _Skip("front matter is not a mapping of keys to values", 2)
            return data, stop if nl < 0 else nl + 1
        pos = stop + 1
    raise _Skip("front matter has no closing '---' line", 1)


@dataclass
class _Manifest:
    """`sources.csv`/`sources.yaml` of one folder: file key → stated fields."""

    entries: dict[str, dict[str, Any]]


class _Loader:
    """One run over the given paths: problems, manifests read so far, folders visited."""

    def __init__(self, group_by: str | None, problems: list[Problem]):
        self.group_by = group_by
        self.problems = problems
        self.manifests: dict[str, _Manifest | None] = {}
        self.visited: set[str] = set()

    def problem(self, name: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(name, message, line))

    def run(self, paths: Iterable[str | Path]) -> Iterator[Document]:
        for given in paths:
            path = Path(given)
            name = path.as_posix()
            if path.is_dir():
                yield from self.walk(path, name, name, ())
                continue
            parent = path.parent
            manifest = self.manifest(parent, parent.as_posix())
            manifests = (manifest,) if manifest else ()
            if path.name.lower() in MANIFEST_NAMES:
                self.problem(name, "is a manifest, not a report (give its folder instead)")
            elif _is_input(path.name):
                yield from self.read(path, name, parent.as_posix(), manifests)
            else:
                kinds = ", ".join(REPORT_SUFFIXES + CORPUS_SUFFIXES)
                suffix = _suffix(path.name) or "(none)"
                self.problem(name, f"unsupported file type {suffix} (reports are {kinds} files)")

    def walk(
        self, folder: Path, name: str, root: str, manifests: tuple[_Manifest, ...]
    ) -> Iterator[Document]:
        """Reports under `folder` in sorted path order, hidden entries and other types skipped."""
        real = os.path.realpath(folder)
        if real in self.visited:  # a symlink loop, or a folder reached twice
            return
        self.visited.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self.problem(name, f"cannot read folder: {exc.strerror or exc}")
            return
        manifest = self.manifest(folder, name)
        if manifest:
            manifests = (manifest, *manifests)
        # Files directly in a folder given are grouped under that folder as given.
        story_folder = root if name == root else Path(os.path.relpath(name, root)).as_posix()
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            child = _join(name, entry.name)
            if entry.is_dir():
                yield from self.walk(path, child, root, manifests)
            elif entry.name.lower() in MANIFEST_NAMES or not _is_input(entry.name):
                continue
            elif entry.is_file() or entry.is_symlink():  # a broken link is reported, not skipped
                yield from self.read(path, child, story_folder, manifests)

    def read(
        self, path: Path, name: str, folder: str, manifests: tuple[_Manifest, ...]
    ) -> Iterator[Document]:
        """The documents of one file: a report, or every record of a corpus."""
        key = _key(path)
        base: dict[str, Any] = {}
        for manifest in manifests:
            if key in manifest.entries:
                base = manifest.entries[key]
                break
        suffix = _suffix(path.name)
        try:
            if suffix in REPORT_SUFFIXES:
                yield self.report(path, name, folder, base)
            elif suffix == ".csv":
                yield from self.csv_records(path, name, base)
            else:
                yield from self.jsonl_records(path, name, base)
        except _Skip as skip:
            self.problem(name, skip.message, skip.line)
        except OSError as exc:
            self.problem(name, f"cannot read: {exc.strerror or exc}")

    def report(self, path: Path, name: str, folder: str, base: dict[str, Any]) -> Document:
        """One file report: decoded text, front matter, inline date."""
        text = _decode(_read_bytes(path))
        if not text.strip():
            raise _Skip("empty report")
        raw, body_start = _front_matter(text, name)
        stated: dict[str, Any] = {}
        if raw is not None:
            stated = _read_metadata(raw, name, lambda k: yamlio.line_of(raw, k), self.problems)
        inline, body_start = _inline_date(text, body_start, name, self.problems)
        if not text[body_start:].strip():
            raise _Skip("empty report")
        # The file's own front matter wins over its inline date, which wins over the manifest.
        fields = _merge(base, inline, stated)
        return self.document(fields, folder, doc=name, text=text, body_start=body_start, path=name)

    def document(self, fields: dict[str, Any], folder: str, **known: Any) -> Document:
        story = story_of(fields, self.group_by, folder)
        return Document(**known, **fields, story=story)

    def record(
        self,
        raw: Mapping[str, Any],
        name: str,
        line: int,
        base: dict[str, Any],
        ids: set[str],
    ) -> Document | None:
        """One corpus record (a JSON object or a CSV row as a mapping), or None when skipped."""
        lower = {key.lower(): key for key in raw}
        text_key = lower.get("text")
        text = raw.get(text_key) if text_key is not None else None
        if not isinstance(text, str):
            what = "has no 'text'" if text is None else "has a 'text' that is not a string"
            self.problem(name, f"record {what}", line)
            return None
        if not text.strip():
            self.problem(name, "empty report", line)
            return None
        id_key = lower.get("id", lower.get("doc_id"))
        record_id = raw.get(id_key) if id_key is not None else None
        record_id = str(record_id) if record_id not in (None, "") else str(line)
        rest = {k: v for k, v in raw.items() if k not in (text_key, id_key)}
        stated = _read_metadata(rest, name, lambda _key: line, self.problems)
        inline, body_start = _inline_date(text, 0, name, self.problems)
        fields = _merge(base, inline, stated)
        title = fields.get("title")
        if isinstance(title, str) and title.strip() and not text[body_start:].lstrip().startswith(
                title.strip()):
            # A record's title is its headline: read it as the text's first line.
            headline = f"# {' '.join(title.split())}\n\n"
            text = text[:body_start] + headline + text[body_start:]
        # Some corpora file one article under several incidents: keep each `doc` distinct.
        doc = f"{name}#{record_id}" if record_id not in ids else f"{name}#{record_id}@{line}"
        ids.add(record_id)
        return self.document(
            fields, name, doc=doc, text=text, body_start=body_start, path=name, record=line
        )

    def jsonl_records(self, path: Path, name: str, base: dict[str, Any]) -> Iterator[Document]:
        """The records of a JSONL corpus, read a line at a time."""
        ids: set[str] = set()
        for line, text in self.lines(path, name):
            if not text.strip():
                continue
            try:
                raw = json.loads(text)
            except ValueError as exc:
                message = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                self.problem(name, f"not JSON ({message})", line)
                continue
            if not isinstance(raw, dict):
                self.problem(name, "not a JSON object", line)
                continue
            document = self.record(raw, name, line, base, ids)
            if document is not None:
                yield document

    def lines(self, path: Path, name: str) -> Iterator[tuple[int, str]]:
        """Numbered lines of a corpus; an undecodable line is a problem, not the end of the file."""
        with open(path, "rb") as handle:
            if _corpus_encoding(path) == "utf-16":
                wrapper = io.TextIOWrapper(handle, encoding="utf-16", newline="")
                try:
                    yield from enumerate(wrapper, 1)
                except UnicodeDecodeError as exc:
                    raise _Skip(f"not UTF-16 text ({exc.reason})") from None
                return
            for number, data in enumerate(handle, 1):
                if number == 1 and data.startswith(codecs.BOM_UTF8):
                    data = data[3:]
                try:
                    yield number, data.decode("utf-8")
                except UnicodeDecodeError as exc:
                    byte = data[exc.start]
                    self.problem(name, f"not UTF-8 text (invalid byte 0x{byte:02x})", number)

    def csv_records(self, path: Path, name: str, base: dict[str, Any]) -> Iterator[Document]:
        """The rows of a CSV corpus with a `text` column, streamed."""
        _raise_csv_field_limit()
        ids: set[str] = set()
        with open(path, encoding=_corpus_encoding(path), newline="") as handle:
            reader = csv.reader(handle)
            previous = 1
            try:
                header = next(reader, None)
                if header is None:
                    raise _Skip("empty report")
                columns = [column.strip() for column in header]
                if "text" not in (column.lower() for column in columns):
                    raise _Skip(f"no 'text' column (columns: {', '.join(columns)})", 1)
                previous = reader.line_num
                for row in reader:
                    row_line, previous = previous + 1, reader.line_num
                    if not row or (len(row) == 1 and not row[0].strip()):
                        continue
                    if len(row) != len(columns):
                        message = f"row has {len(row)} fields, the header has {len(columns)}"
                        self.problem(name, message, row_line)
                        continue
                    raw = {
                        column: value
                        for column, value in zip(columns, row, strict=True)
                        if value != "" or column.lower() == "text"
                    }
                    document = self.record(raw, name, row_line, base, ids)
                    if document is not None:
                        yield document
            except csv.Error as exc:
                raise _Skip(f"not valid CSV ({exc})", reader.line_num) from None
            except UnicodeDecodeError as exc:
                raise _Skip(f"not UTF-8 text ({exc.reason}) after line {previous}") from None

    def manifest(self, folder: Path, name: str) -> _Manifest | None:
        """The manifest of `folder` (read once per run; its problems are reported once)."""
        real = os.path.realpath(folder)
        if real in self.manifests:
            return self.manifests[real]
        entries: dict[str, dict[str, Any]] = {}
        found = False
        for manifest_name in MANIFEST_NAMES:
            path = folder / manifest_name
            if not path.is_file():
                continue
            found = True
            where = _join(name, manifest_name)
            try:
                text = _decode(_read_bytes(path))
                rows = (
                    _manifest_csv(text, where)
                    if manifest_name.endswith(".csv")
                    else _manifest_yaml(text, where)
                )
                for line, file, raw, line_of in rows:
                    if file is None:
                        self.problem(where, "entry has no 'file'", line)
                        continue
                    target = folder / file
                    if not target.exists():
                        self.problem(where, f"file {file!r} does not exist", line)
                        continue
                    fields = _read_metadata(raw, where, line_of, self.problems)
                    entries[_key(target)] = fields
            except _Skip as skip:
                self.problem(where, skip.message, skip.line)
            except OSError as exc:
                self.problem(where, f"cannot read: {exc.strerror or exc}")
        manifest = _Manifest(entries) if found else None
        self.manifests[real] = manifest
        return manifest


# (line, file named, stated keys, line of a key)
_ManifestRow = tuple[int | None, str | None, dict[str, Any], Callable[[str], int | None]]


def _manifest_csv(text: str, where: str) -> list[_ManifestRow]:
    """Rows of `sources.csv`: (line, file, other columns)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader, [])]
        lower = [column.lower() for column in header]
        if "file" not in lower:
            raise _Skip(f"no 'file' column (columns: {', '.join(header)})", 1)
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
        raise _Skip(f"not valid CSV ({exc})", reader.line_num) from None
    return rows


def _manifest_yaml(text: str, where: str) -> list[_ManifestRow]:
    """Entries of `sources.yaml`: a mapping `file: {fields}` or a list of `{file: …, fields}`."""
    data = _load_yaml(text, where, first_line=1)
    rows: list[_ManifestRow] = []
    if data is None:
        return rows
    if isinstance(data, Mapping):
        for file, value in data.items():
            line = yamlio.line_of(data, file)
            if value is None:
                value = {}
            if not isinstance(value, Mapping):
                raise _Skip(f"entry {file!r} should map keys to values", line)
            rows.append((line, str(file), value, _yaml_lines(value, line)))
        return rows
    if isinstance(data, list):
        for index, item in enumerate(data):
            line = yamlio.line_of(data, index)
            if not isinstance(item, Mapping):
                raise _Skip("each entry should map keys to values (file, source, date)", line)
            file = item.get("file")
            raw = {k: v for k, v in item.items() if k != "file"}
            named = str(file) if file not in (None, "") else None
            rows.append((line, named, raw, _yaml_lines(item, line)))
        return rows
    raise _Skip("a manifest should be a mapping of files or a list of entries", 1)


def _yaml_lines(mapping: Any, default: int | None) -> Callable[[str], int | None]:
    return lambda key: yamlio.line_of(mapping, key) or default


def _raise_csv_field_limit() -> None:
    # News texts exceed the csv module's 128 KiB default field limit.
    limit = sys.maxsize
    while limit > csv.field_size_limit():
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2
