"""Rule patterns: regular expressions from rule files, compiled with a time bound on each search."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex

from .errors import RuleError

# Bounds a single pattern search so a pathological rule cannot hang a run.
PATTERN_TIMEOUT_SECONDS = 0.25


def words_alternation(words: Iterable[str]) -> str:
    """A regex alternation of rule-file words, longest first, any run of spaces matching."""
    return "|".join(regex.escape(str(w)).replace(r"\ ", r"\s+")
                    for w in sorted(set(words), key=len, reverse=True))


def compile_pattern(pattern: Any, path: Path | str, line: int | None,
                    flags: int = regex.IGNORECASE) -> regex.Pattern:
    """Compile a regular expression from a rule file; a bad one is a RuleError at its line."""
    if not isinstance(pattern, str):
        raise RuleError(f"a pattern must be text, not {type(pattern).__name__}", path, line)
    try:
        return regex.compile(pattern, flags | regex.VERSION0)
    except regex.error as exc:
        raise RuleError(f"bad regular expression {pattern!r}: {exc}", path, line) from None
