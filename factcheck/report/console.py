"""The console reports print on: colour as `--color`, NO_COLOR and FORCE_COLOR say."""

from __future__ import annotations

import os
import re
import sys
from typing import IO, Any

from rich.console import Console

from ..errors import UNPRINTABLE, escape_char

COLOR_CHOICES = ("auto", "always", "never")


def _isatty(file: IO[str] | None) -> bool:
    stream = file if file is not None else sys.stdout
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):
        return False


# spaces at the end of a line, before any style codes that close it
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
# rich's own style codes (SGR), kept; any other control character, shown as its escape
_CONTROL = re.compile("(\x1b\\[[0-9;]*m)|(?![\n\t])" + UNPRINTABLE.pattern)


def _escape_controls(text: str) -> str:
    """The last guard before the terminal: whatever a renderer let through (a rule file's
    description, a gold file's quote) cannot act as a command."""
    return _CONTROL.sub(lambda m: m.group(1) or escape_char(m.group()), text)


class TrimmedLines:
    """A text stream that writes each line to `target` (default: stdout at the time of
    writing) without its trailing spaces: rich pads table cells and padded blocks to their
    width, which a pipe, a CI log or a diff of the output keeps."""

    def __init__(self, target: IO[str] | None = None) -> None:
        self.target = target
        self._pending = ""

    @property
    def stream(self) -> IO[str]:
        return self.target if self.target is not None else sys.stdout

    def write(self, text: str) -> int:
        whole, newline, rest = (self._pending + text).rpartition("\n")
        if newline:
            self.stream.write(_escape_controls(_TRAILING.sub(r"\1", whole)) + "\n")
            self._pending = rest
        else:
            self._pending = rest
        return len(text)

    def flush(self) -> None:
        if self._pending:  # a line still open (a prompt, a progress line): as it is
            self.stream.write(_escape_controls(self._pending))
            self._pending = ""
        self.stream.flush()

    def isatty(self) -> bool:
        return _isatty(self.target)

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"


def make_console(color: str = "auto", file: IO[str] | None = None) -> Console:
    """A rich Console for reports, following `--color auto|always|never`, NO_COLOR and FORCE_COLOR.

    `always` and `never` win over the environment. With `auto`, a non-empty NO_COLOR turns colour
    off (and FORCE_COLOR is then ignored), a non-empty FORCE_COLOR turns it on, and otherwise colour
    is used only when the output is a terminal: a file or pipe gets no ANSI codes.
    """
    choice = (color or "auto").strip().lower()
    if choice not in COLOR_CHOICES:
        raise ValueError(f"color must be one of {', '.join(COLOR_CHOICES)}, not {color!r}")
    common: dict[str, Any] = {"file": TrimmedLines(file), "highlight": False, "emoji": False}
    if choice == "never":
        return Console(color_system=None, force_terminal=False, no_color=True, **common)
    environ = os.environ
    if choice == "auto" and environ.get("NO_COLOR", "") != "":
        return Console(force_terminal=_isatty(file), no_color=True, **common)
    forced = choice == "always" or environ.get("FORCE_COLOR", "") != ""
    if not forced:
        return Console(force_terminal=_isatty(file), no_color=False, **common)
    console = Console(force_terminal=True, no_color=False, **common)
    if console.color_system is None:  # e.g. TERM=dumb: colour was asked for, so use the basic 8
        console = Console(force_terminal=True, no_color=False, color_system="standard", **common)
    return console
