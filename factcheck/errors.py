"""Errors and exit codes shared by every stage: one-line diagnostics that name the file and line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


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
    return f"{path}:{line}: " if line else f"{path}: "


class FactcheckError(Exception):
    """A usage or configuration error that stops the run (exit 2)."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        return f"{_location(self.path, self.line)}{self.message}"


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
        return f"{_location(self.path, self.line)}{self.message}"
