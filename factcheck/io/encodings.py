"""The text of input bytes: the encoding detected from the bytes themselves, never guessed."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any, BinaryIO

from .inputs import CHUNK, Skip

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
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(text: str) -> str:
    """`text` with every lone surrogate as U+FFFD: one character for one, offsets unchanged."""
    return LONE_SURROGATE.sub("\ufffd", text) if LONE_SURROGATE.search(text) else text


def scrub(value: Any) -> Any:
    """`value` (text, or lists and mappings of it) with every lone surrogate as U+FFFD."""
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if isinstance(value, list):
        value[:] = [scrub(item) for item in value]  # in place: a YAML LineList keeps its lines
    elif isinstance(value, dict):
        scrubbed = {scrub(key): scrub(item) for key, item in value.items()}
        value.clear()  # keep the mapping's own type (a YAML LineDict keeps its lines)
        value.update(scrubbed)
    return value


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


def decode(data: bytes) -> str:
    """The text of a file, its encoding detected, never guessed.

    A byte-order mark (UTF-8, UTF-16, UTF-32) settles it. Without one: UTF-8 when every byte is
    valid UTF-8 (text in another encoding almost never is); else Windows-1252, which is also how
    Latin-1 files read (the WHATWG Encoding Standard reads every `latin1` label so), when the
    file is plainly in it (see `_LegacyScan`). Anything else is a `Skip` that says why. Only the
    mark is dropped: positions count in the file's own text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            name = CODEC_NAMES[codec]
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                byte, line = _bad_byte(exc, data, codec)
                raise Skip(f"not {name} text (invalid byte 0x{byte:02x}) though it starts with "
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
        raise Skip(f"not text: {what} (binary data)", _line_at(data, scan.control))
    if scan.utf8_sequence is not None:
        raise Skip(f"not UTF-8 text (invalid byte 0x{byte:02x}) though other parts are: mixed "
                   "or damaged encodings; save it as UTF-8", line)
    if scan.undefined is not None:
        undefined = data[scan.undefined]
        raise Skip(f"not UTF-8 or Windows-1252 text (invalid byte 0x{undefined:02x}); save it "
                   "as UTF-8", _line_at(data, scan.undefined))
    if scan.mostly_accented():
        raise Skip(f"not UTF-8 text (invalid byte 0x{byte:02x}), and read as Windows-1252 it "
                   "is mostly accented letters: another legacy encoding; save it as UTF-8", line)
    return data.decode("cp1252")


CODEC_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32", "utf-8": "UTF-8",
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
    raise Skip("not text: NUL byte (binary data, or UTF-16 without a byte-order mark)", line)


def corpus_encoding(handle: BinaryIO) -> str:
    """The encoding to stream a corpus in, by the rules of `decode` applied to the whole file
    a chunk at a time: a byte-order mark's; UTF-8 when every byte is UTF-8; Windows-1252 when
    the file is plainly in it; else UTF-8, and the lines that are not are problems one by one.

    A NUL byte anywhere makes the whole file a `Skip` (binary data, or UTF-16 without a mark:
    neither JSON nor CSV has one). Leaves `handle` at its start.
    """
    head = handle.read(4)
    handle.seek(0)
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, lines = True, 1
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        nul = chunk.find(b"\x00")
        if nul >= 0:
            line = lines + chunk.count(b"\n", 0, nul)
            raise Skip("not text: NUL byte (binary data, or UTF-16 without a byte-order mark)",
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
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        scan.feed(chunk)
    handle.seek(0)
    return "cp1252" if scan.fits_cp1252() else "utf-8"
