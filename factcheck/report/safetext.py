"""Text safe to print: what reports and file names carry, with control characters made visible.

A quote, source, message or file name comes from the input, and an escape sequence in it
(`\\x1b]0;…` retitles a terminal, `\\x1b[31m` recolours it) or a bidirectional control would
reach the reader's terminal as a command. Every text renderer passes what it shows through
here: control characters (C0 but the line break, DEL, C1, bidi controls, lone surrogates) are
shown as their escapes (`\\x1b`), a tab as a space.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Iterable, Mapping
from typing import IO, Any, TypeVar

from ..compare.draft import DraftFinding, ReferenceClaim
from ..errors import UNPRINTABLE, escape_char

_T = TypeVar("_T")


def _shown(char: str, newlines: bool) -> str:
    if char == "\n" and newlines:
        return char
    if char == "\t":
        return " "  # a tab is layout, not a command: a space keeps the words apart
    return escape_char(char)


def safe_text(text: str, newlines: bool = True) -> str:
    """`text` with every control character shown as its escape; line breaks kept when
    `newlines` (a CR LF or lone CR read as one), else escaped too."""
    if newlines:
        text = text.replace("\r\n", "\n")
    return UNPRINTABLE.sub(lambda m: _shown(m.group(), newlines), text)


def safe_value(value: _T) -> _T:
    """A cell made safe: text as `safe_text`, a list or tuple item by item, anything else as
    it is."""
    if isinstance(value, str):
        return safe_text(value)  # type: ignore[return-value]
    if isinstance(value, list | tuple):
        return type(value)(safe_value(item) for item in value)  # type: ignore[return-value]
    return value


def safe_records(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Table rows (claims, findings) with every text cell made safe."""
    return [{key: safe_value(value) for key, value in row.items()} for row in rows]


def _safe_fields(item: _T) -> _T:
    changes = {f.name: safe_value(getattr(item, f.name)) for f in dataclasses.fields(item)
               if isinstance(getattr(item, f.name), str)}
    return dataclasses.replace(item, **changes)  # type: ignore[type-var]


def safe_reference(reference: ReferenceClaim) -> ReferenceClaim:
    """A reference claim with its figure, source, path and quote made safe."""
    return _safe_fields(reference)


def safe_finding(finding: DraftFinding) -> DraftFinding:
    """A check finding with every text field, and its references', made safe."""
    safe = _safe_fields(finding)
    return dataclasses.replace(safe, references=tuple(safe_reference(r)
                                                      for r in finding.references))


# What XML 1.0 forbids (C0 but tab, LF and CR; surrogates; U+FFFE, U+FFFF), with the rest of
# `UNPRINTABLE`: every such character is written as its escape, so the document parses.
_NOT_XML = re.compile(f"{UNPRINTABLE.pattern[:-1]}\\ufffe\\uffff]")


def xml_text(text: str) -> str:
    """`text` fit for an XML 1.0 attribute or element: control characters, surrogates and
    non-characters as their escapes (`\\x1b`), line breaks kept."""
    return _NOT_XML.sub(lambda m: m.group() if m.group() == "\n" else escape_char(m.group()),
                        text.replace("\r\n", "\n"))


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(value: Any, **options: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, **options)`, with each lone surrogate (a file
    name not in UTF-8) written as the text of its escape: the document can be encoded as
    UTF-8, and every JSON parser reads it."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _SURROGATE.sub(lambda m: "\\" + escape_char(m.group()), text)


_TERMINAL_UNSAFE = re.compile("(?![\n\t])" + UNPRINTABLE.pattern)


def is_terminal(stream: IO[str]) -> bool:
    """Whether a stream is a terminal (a closed or odd stream is not)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class _Escaping:
    """A stream that writes to a terminal with control characters shown as escapes (each is
    one character: text written in pieces is escaped the same)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(_TERMINAL_UNSAFE.sub(lambda m: escape_char(m.group()), text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def terminal_safe(stream: IO[str] | None = None) -> IO[str]:
    """`stream` (default stdout) for a data output (CSV, JSON, SARIF, Markdown): itself into a
    pipe or a file, where the data must stay as it is; on a terminal, where a control character
    would act as a command, a stream that shows each as its escape."""
    stream = stream if stream is not None else sys.stdout
    return _Escaping(stream) if is_terminal(stream) else stream  # type: ignore[return-value]


def write_out(text: str, stream: IO[str] | None = None) -> None:
    """Write a data output to `stream` (default stdout) through `terminal_safe`."""
    terminal_safe(stream).write(text)
