"""Errors and exit codes shared by every stage: one-line diagnostics that name the file and line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from rapidfuzz import fuzz, process, utils

# What would break a diagnostic's one line or reach the terminal as a command: line breaks,
# control characters (C0, DEL, C1: an ANSI escape in a file name), bidirectional controls
# (which reorder what is shown: a file name that reads backwards) and lone surrogates (names
# not UTF-8).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                         "\u2066-\u2069\ud800-\udfff]")


def escape_char(char: str) -> str:
    """One character as its visible escape: `\\x1b`, `\\u202e`, `\\n`."""
    return char.encode("unicode_escape").decode("ascii")


def one_line(text: str) -> str:
    """`text` with every line break and control character shown as its escape (`\\n`)."""
    return UNPRINTABLE.sub(lambda m: escape_char(m.group()), text)


# Suggestions for an unknown name: a WRatio score (0-100) at least this high, and within this
# margin of the best one.
NEAR_SCORE, NEAR_MARGIN = 60, 15


def nearest_names(wanted: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The `known` names closest to `wanted` (rapidfuzz WRatio, case folded), best first: what
    a usage error about an unknown name suggests.

    Only those about as close as the best one: "kiled" suggests killed, not also displaced.
    With nothing close, the best few all the same, so that the message always names some.
    """
    matches = process.extract(wanted, list(known), scorer=fuzz.WRatio,
                              processor=utils.default_process, limit=limit)
    if not matches:
        return []
    best = matches[0][1]
    close = [m for m, score, _ in matches if score >= NEAR_SCORE and score >= best - NEAR_MARGIN]
    return close or [m for m, _, _ in matches]


class ExitCode(IntEnum):
    """The exit-code contract of the command line (documented in the README)."""

    OK = 0
    FINDINGS = 1  # findings at or above the failing level (`check`)
    USAGE = 2  # usage or configuration error: bad option, missing path, malformed rule file
    INPUT_SKIPPED = 3  # the run finished, but some input could not be read and was skipped
    INTERNAL = 70  # a bug in factcheck itself (EX_SOFTWARE)


def _location(path: str | Path | None, line: int | None) -> str:
    if path is None:
        return ""
    path = one_line(str(path))
    return f"{path}:{line}: " if line else f"{path}: "


class FactcheckError(Exception):
    """A usage or configuration error that stops the run (exit 2)."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None,
                 problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.problems = list(problems)  # the inputs skipped on the way, when that is the cause

    def __str__(self) -> str:
        return f"{_location(self.path, self.line)}{one_line(self.message)}"


class RuleError(FactcheckError):
    """A rule file that cannot be loaded or does not match the rule schema."""


class InputError(FactcheckError):
    """An input report that cannot be read; the run skips it and carries on."""


@dataclass(frozen=True)
class Problem:
    """A skipped input, reported as one line on stderr: `path:line: message`."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{_location(self.path, self.line)}{one_line(self.message)}"


class SkippedInputError(FactcheckError):
    """`--strict`: input was skipped, so the run stops before it writes anything (exit 3)."""

    exit_code = ExitCode.INPUT_SKIPPED

    def __init__(self, problems: Sequence[Problem]) -> None:
        count = len(problems)
        super().__init__(f"--strict: stopped on {count} skipped input{'s' * (count != 1)}; "
                         "nothing written", problems=problems)
