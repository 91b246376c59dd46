"""Rule patterns: macros expanded, compiled with their file and line, searches bounded.

Macros expanded, compiled with the rule file's line for errors, and searches bounded in time,
with each pattern that runs out of time reported once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import regex

from ..errors import Problem, RuleError
from ..io.model import Document
from .model import Sentence

# Bounds a single pattern search so a pathological rule cannot hang a run.
PATTERN_TIMEOUT_SECONDS = 0.25
_MACRO = regex.compile(r"(?<!\\[pP])\{([A-Z_]+)\}")  # not \p{L}
_MACRO_DEPTH = 4  # how deep macros may refer to macros before one must refer to itself


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


class Macros:
    """Named pieces of pattern (`{WHO}`, `{N}`, `{GROUP}`) and the patterns they expand in."""

    def __init__(self, bodies: Mapping[str, str]) -> None:
        self.bodies = dict(bodies)

    def expand(self, pattern: str, source: Path | str | None, line: int | None,
               depth: int = 0) -> str:
        """`pattern` with every `{NAME}` replaced by its body, itself expanded; an unknown
        macro, or one that refers to itself, is a RuleError at the pattern's file and line."""
        def substitute(match: regex.Match) -> str:
            name = match.group(1)
            if name not in self.bodies:
                raise RuleError(f"unknown macro {{{name}}} in pattern {pattern!r}", source, line)
            if depth > _MACRO_DEPTH:
                raise RuleError(f"macro {{{name}}} refers to itself", source, line)
            return self.expand(self.bodies[name], source, line, depth + 1)
        return _MACRO.sub(substitute, pattern)

    def compile(self, pattern: str, source: Path | str, line: int | None,
                flags: int = regex.IGNORECASE) -> regex.Pattern:
        """`pattern` expanded, then compiled (see `compile_pattern`)."""
        return compile_pattern(self.expand(pattern, source, line), source, line, flags)


class Timeouts:
    """The rule patterns that ran out of time while reports were read: each reported once, as
    a `Problem` naming the rule file and line, and the report and line where it happened."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._seen: set[tuple[str, int | None]] = set()

    def clear(self) -> None:
        """Forget every time-out reported: a new run reports them afresh."""
        self.problems.clear()
        self._seen.clear()

    def report(self, source: str | None, line: int | None, document: Document,
               sentence: Sentence) -> None:
        """A pattern that ran out of time on `sentence`, once per pattern (or per report when
        the pattern is not known: a grammar or scope pattern of the whole sentence)."""
        key = (source or document.doc, line)
        if key in self._seen:
            return
        self._seen.add(key)
        text_line = document.text.count("\n", 0, sentence.start) + 1
        where = f"{document.doc}:{text_line}"
        if source is None:
            self.problems.append(Problem(document.doc, "a rule pattern took longer than "
                                         f"{PATTERN_TIMEOUT_SECONDS}s here; this sentence gave "
                                         "no claims", text_line))
        else:
            self.problems.append(Problem(source, f"pattern took longer than "
                                         f"{PATTERN_TIMEOUT_SECONDS}s on {where} and was skipped "
                                         "there (later time-outs are not reported)", line))
