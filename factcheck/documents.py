"""Documents stage: read reports (files, folders, JSONL/CSV corpora) and their metadata."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

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

# The most one report file, manifest or corpus record may hold. A long news report is tens of
# kilobytes and the claims stage reads about half a megabyte a second, so this leaves a hundred
# times the longest report while keeping any one input under half a minute and bounded memory.
MAX_INPUT_BYTES = 10 * 1024 * 1024

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (codecs.BOM_UTF8, "utf-8-sig"),
)
# Bytes that no text has: NUL, and C0 controls other than whitespace (\t \n \v \f \r) and DEL.
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
# The five bytes Windows-1252 leaves undefined: a file with one is not Windows-1252.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
# A well-formed UTF-8 sequence. In Windows-1252 one reads as a capital accented letter followed by
# a curly quote, dash or symbol ("Ã©", "â€™"), which real text almost never has: a file with one of
# these and a byte that is not UTF-8 is damaged or mixed UTF-8, not Windows-1252.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
_CP1252_LETTERS = bytes(
    b for b in range(0x80, 0x100) if bytes([b]).decode("cp1252", "replace").isalpha()
)
# Windows-1252 is accepted only where most letters are ASCII, as in the Western languages it
# serves; text in another legacy encoding (Cyrillic, Greek, Hebrew, Arabic, Korean) read as it
# is mostly accented letters. Below this many letters there is too little to judge.
_LEGACY_MAX_ACCENTED_SHARE = 1 / 3
_LEGACY_MIN_LETTERS = 40
# A lone UTF-16 surrogate: what JSON "\ud83d" escapes, YAML escapes or undecodable file names
# give. It cannot be written as UTF-8, so it is read as U+FFFD (one character for one).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` with every lone surrogate as U+FFFD: one character for one, offsets unchanged."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


def _scrub(value: Any) -> Any:
    """`value` (text, or lists and mappings of it) with every lone surrogate as U+FFFD."""
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if isinstance(value, list):
        value[:] = [_scrub(item) for item in value]  # in place: a YAML LineList keeps its lines
    elif isinstance(value, dict):
        scrubbed = {_scrub(key): _scrub(item) for key, item in value.items()}
        value.clear()  # keep the mapping's own type (a YAML LineDict keeps its lines)
        value.update(scrubbed)
    return value


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


@dataclass
class _LegacyScan:
    """What the bytes of a file that is not UTF-8 say about reading it as Windows-1252."""

    control: int | None = None  # offset of the first control byte
    undefined: int | None = None  # offset of the first byte Windows-1252 leaves undefined
    utf8_sequence: int | None = None  # offset of the first well-formed UTF-8 sequence
    ascii_letters: int = 0
    accented_letters: int = 0
    scanned: int = 0

    def feed(self, chunk: bytes) -> None:
        for attribute, pattern in (("control", _CONTROL_BYTE),
                                   ("undefined", _CP1252_UNDEFINED),
                                   ("utf8_sequence", _UTF8_SEQUENCE)):
            if getattr(self, attribute) is None and (found := pattern.search(chunk)):
                setattr(self, attribute, self.scanned + found.start())
        self.ascii_letters += len(chunk) - len(chunk.translate(None, _ASCII_LETTERS))
        self.accented_letters += len(chunk) - len(chunk.translate(None, _CP1252_LETTERS))
        self.scanned += len(chunk)

    def mostly_accented(self) -> bool:
        letters = self.ascii_letters + self.accented_letters
        return (letters >= _LEGACY_MIN_LETTERS
                and self.accented_letters > letters * _LEGACY_MAX_ACCENTED_SHARE)

    def fits_cp1252(self) -> bool:
        return (self.control is None and self.undefined is None and self.utf8_sequence is None
                and not self.mostly_accented())


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
            raise FactcheckError(f"no reports found in {where}; skipped {problems[0]}{more}",
                                 problems=problems)
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
    """The text of a file, its encoding detected, never guessed.

    A byte-order mark (UTF-8, UTF-16, UTF-32) settles it. Without one: UTF-8 when every byte is
    valid UTF-8 (text in another encoding almost never is); else Windows-1252, which is also how
    Latin-1 files read (the WHATWG Encoding Standard reads every `latin1` label so), when the
    file is plainly in it (see `_LegacyScan`). Anything else is a `_Skip` that says why. Only the
    mark is dropped: positions count in the file's own text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            name = _CODEC_NAMES[codec]
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                byte, line = _bad_byte(exc, data, codec)
                raise _Skip(f"not {name} text (invalid byte 0x{byte:02x}) though it starts with "
                            f"a {name} byte-order mark", line) from None
            return _without_nul(text)
    try:
        return _without_nul(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        byte, line = _bad_byte(exc, data, "utf-8")
    scan = _LegacyScan()
    scan.feed(data)
    if scan.control is not None:
        control = data[scan.control]
        what = "NUL byte" if control == 0 else f"control byte 0x{control:02x}"
        raise _Skip(f"not text: {what} (binary data)", _line_at(data, scan.control))
    if scan.utf8_sequence is not None:
        raise _Skip(f"not UTF-8 text (invalid byte 0x{byte:02x}) though other parts are: mixed "
                    "or damaged encodings; save it as UTF-8", line)
    if scan.undefined is not None:
        undefined = data[scan.undefined]
        raise _Skip(f"not UTF-8 or Windows-1252 text (invalid byte 0x{undefined:02x}); save it "
                    "as UTF-8", _line_at(data, scan.undefined))
    if scan.mostly_accented():
        raise _Skip(f"not UTF-8 text (invalid byte 0x{byte:02x}), and read as Windows-1252 it "
                    "is mostly accented letters: another legacy encoding; save it as UTF-8", line)
    return data.decode("cp1252")


_CODEC_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "utf-8": "UTF-8",
                "cp1252": "Windows-1252"}


def _bad_byte(exc: UnicodeDecodeError, data: bytes, codec: str) -> tuple[int, int]:
    """The first byte a decoding error is about, and its line."""
    # A codec that drops a byte-order mark first reports offsets in the bytes after it.
    offset = len(data) - len(exc.object) + exc.start
    line = data[:offset].decode(codec, errors="replace").count("\n") + 1
    return data[offset], line


def _without_nul(text: str) -> str:
    """`text`, unless it holds a NUL, which no text has."""
    nul = text.find("\x00")
    if nul < 0:
        return text
    line = text.count("\n", 0, nul) + 1
    raise _Skip("not text: NUL byte (binary data, or UTF-16 without a byte-order mark)", line)


def _open_input(path: Path) -> BinaryIO:
    """Open a file to read, refusing what is not a regular file.

    O_NONBLOCK keeps a FIFO named like a report from blocking the run at `open`; a device
    (`/dev/zero` behind a symlink) would never end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _Skip("not a regular file (a device, pipe or socket)")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _read_bytes(path: Path) -> bytes:
    """Read a whole file (one report or a manifest) of at most `MAX_INPUT_BYTES`.

    Kept separate so tests can make it fail.
    """
    with _open_input(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        data = b"" if size > MAX_INPUT_BYTES else handle.read(MAX_INPUT_BYTES + 1)
        if size > MAX_INPUT_BYTES or len(data) > MAX_INPUT_BYTES:
            raise _Skip(f"too large: {_megabytes(max(size, len(data)))}, over the "
                        f"{_megabytes(MAX_INPUT_BYTES)} limit for one report (split it, or make "
                        "it a JSONL corpus)")
    return data


_CHUNK = 1024 * 1024


def _corpus_encoding(handle: BinaryIO) -> str:
    """The encoding to stream a corpus in, by the rules of `_decode` applied to the whole file
    a chunk at a time: a byte-order mark's; UTF-8 when every byte is UTF-8; Windows-1252 when
    the file is plainly in it; else UTF-8, and the lines that are not are problems one by one.

    A NUL byte anywhere makes the whole file a `_Skip` (binary data, or UTF-16 without a mark:
    neither JSON nor CSV has one). Leaves `handle` at its start.
    """
    head = handle.read(4)
    handle.seek(0)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines = True, 1
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line = lines + chunk.count(b"\n", 0, nul)
            raise _Skip("not text: NUL byte (binary data, or UTF-16 without a byte-order mark)",
                        line)
        lines += chunk.count(b"\n")
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)  # a sequence cut off at the end
        except UnicodeDecodeError:
            utf8 = False
    handle.seek(0)
    if utf8:
        return "utf-8"
    scan = _LegacyScan()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        scan.feed(chunk)
    handle.seek(0)
    return "cp1252" if scan.fits_cp1252() else "utf-8"


def _load_yaml(text: str, name: str, first_line: int) -> Any:
    """Parse YAML from a file, dates as text (`parse_date` reads them); errors become `_Skip`."""
    try:
        data = yamlio.parse_yaml(text, name, first_line=first_line, error=InputError,
                                 dates_as_text=True)
    except InputError as exc:
        raise _Skip(exc.message, exc.line) from None
    return _scrub(data)  # a lone "\ud83d" escape is text no file can hold


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
            name = _scrub(path.as_posix())
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
        self,
        folder: Path,
        name: str,
        root: str,
        manifests: tuple[_Manifest, ...],
        ancestors: Mapping[str, str] | None = None,
    ) -> Iterator[Document]:
        """Reports under `folder` in sorted path order, hidden entries and other types skipped.

        `ancestors` maps the real path of each folder this walk is inside to its name.
        """
        real = os.path.realpath(folder)
        ancestors = ancestors or {}
        if real in ancestors:
            self.problem(name, f"symlink loop back to {ancestors[real]}; not followed")
            return
        if real in self.visited:  # a folder reached again by another link: read once
            return
        self.visited.add(real)
        ancestors = {**ancestors, real: name}
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
            child = _scrub(_join(name, entry.name))  # a name that is not UTF-8, shown as text
            try:
                is_dir = entry.is_dir()
            except OSError:  # a symlink loop: reading it says so
                is_dir = False
            if is_dir:
                yield from self.walk(path, child, root, manifests, ancestors)
            elif entry.name.lower() not in MANIFEST_NAMES and _is_input(entry.name):
                # Whatever it is (a broken link, a pipe), reading it reports what is wrong.
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
        with _open_input(path) as handle:
            for line, text in self.lines(handle, name):
                if text is None or not text.strip():
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
                document = self.record(_scrub(raw), name, line, base, ids)
                if document is not None:
                    yield document

    def lines(self, handle: BinaryIO, name: str) -> Iterator[tuple[int, str | None]]:
        """Numbered lines of a corpus, line ends kept, each at most `MAX_INPUT_BYTES` long.

        A line that is too long or cannot be decoded is a problem and comes as None: the rest of
        the file goes on. The encoding is the whole file's (`_corpus_encoding`).
        """
        encoding = _corpus_encoding(handle)
        wide = encoding in ("utf-16", "utf-32")
        # surrogateescape: a byte that is not UTF-8 costs its line, not the rest of the file.
        reader = io.TextIOWrapper(handle, encoding=encoding, newline="",
                                  errors="strict" if wide else "surrogateescape")
        number = 0
        try:
            while line := reader.readline(MAX_INPUT_BYTES + 1):
                number += 1
                if len(line) > MAX_INPUT_BYTES and not line.endswith(("\n", "\r")):
                    while (rest := reader.readline(_CHUNK)) and not rest.endswith(("\n", "\r")):
                        pass  # the rest of the line, dropped a chunk at a time
                    self.problem(name, f"line is over the {_megabytes(MAX_INPUT_BYTES)} limit "
                                 "for one record", number)
                    yield number, None
                elif bad := _LONE_SURROGATE.search(line):
                    byte = ord(bad.group()) - 0xDC00  # surrogateescape's mark of a raw byte
                    self.problem(name, f"not UTF-8 text (invalid byte 0x{byte:02x})", number)
                    yield number, None
                else:
                    yield number, line
        except UnicodeDecodeError as exc:
            codec = _CODEC_NAMES[encoding]
            raise _Skip(f"not {codec} text ({exc.reason}) after line {number}") from None
        finally:
            if not handle.closed:
                reader.detach()  # the caller closes the file, and may read on

    def csv_records(self, path: Path, name: str, base: dict[str, Any]) -> Iterator[Document]:
        """The rows of a CSV corpus with a `text` column, streamed."""
        _limit_csv_fields()
        ids: set[str] = set()
        with _open_input(path) as handle:
            # A line lost to a problem is read as a blank line, so line numbers stay the file's.
            reader = csv.reader(text if text is not None else "\n"
                                for _, text in self.lines(handle, name))
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
                message = f"not valid CSV ({exc})"
                if "field limit" in str(exc):
                    message = (f"a field is over the {_megabytes(MAX_INPUT_BYTES)} limit for one "
                               "record (a quote never closed?); the rest of the file is skipped")
                raise _Skip(message, previous + 1) from None

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


def _limit_csv_fields() -> None:
    # News texts exceed the csv module's 128 KiB default; a quote never closed must not read a
    # whole corpus into one field.
    csv.field_size_limit(MAX_INPUT_BYTES)
