"""Rule patterns: macros expanded, compiled with their file and line, searches bounded.

Macros expanded, compiled with the rule file's line for errors, and searches bounded in time,
with each pattern that runs out of time reported once.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from time import perf_counter
from typing import Any

import regex

from ..errors import Problem, RuleError
from ..io.model import Document
from ..resources import shipped_rules_dir
from .backtracking import catastrophic
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
                    flags: int = regex.IGNORECASE, key: str | None = None) -> regex.Pattern:
    """Compile a regular expression from a rule file; a bad one, or one that may backtrack
    without end (`backtracking.catastrophic`), is a RuleError at its line naming its `key`."""
    where = f"{key}: " if key else ""
    if not isinstance(pattern, str):
        raise RuleError(f"{where}a pattern must be text, not {type(pattern).__name__}",
                        path, line)
    try:
        compiled = regex.compile(pattern, flags | regex.VERSION0)
    except regex.error as exc:
        raise RuleError(f"{where}bad regular expression {pattern!r}: {exc}", path,
                        line) from None
    if not _shipped(path) and (reason := catastrophic(compiled)):
        raise RuleError(f"{where}pattern {pattern!r} may take exponential time on some text "
                        f"({reason}); rewrite it so each part can match in only one way",
                        path, line)
    return compiled


@functools.lru_cache(maxsize=1)
def _shipped_folder() -> str:
    return str(shipped_rules_dir()) + os.sep


def _shipped(path: Path | str) -> bool:
    """Whether a rule file is one factcheck ships: its patterns pass the backtracking check
    in the tests (`tests/extract/test_backtracking.py`), so a run need not check them again."""
    return str(path).startswith(_shipped_folder())


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
                flags: int = regex.IGNORECASE, key: str | None = None) -> regex.Pattern:
        """`pattern` expanded, then compiled (see `compile_pattern`)."""
        return compile_pattern(self.expand(pattern, source, line), source, line, flags, key)


class Timeouts:
    """The rule patterns that ran out of time while reports were read: each reported once, as
    a `Problem` naming the rule file and line, and the report and line where it happened.

    Per report, a pattern that ran out of time is skipped for the rest of the report, and all
    the report's pattern work shares one budget (`budget` seconds, grammar.yaml's
    `pattern_budget_seconds`): once it is spent, the report's later sentences give no claims."""

    def __init__(self, budget: float = 30.0) -> None:
        self.problems: list[Problem] = []
        self.budget = budget
        self._seen: set[tuple[str, int | None]] = set()
        self._skipped: set[regex.Pattern] = set()  # this report's patterns out of time
        self._spent = 0.0

    def clear(self) -> None:
        """Forget every time-out reported: a new run reports them afresh."""
        self.problems.clear()
        self._seen.clear()

    def start(self) -> None:
        """A new report: every pattern runs again, and the budget is whole."""
        self._skipped.clear()
        self._spent = 0.0

    def skipped(self, pattern: regex.Pattern) -> bool:
        """Whether `pattern` ran out of time earlier in this report (so is not tried again)."""
        return pattern in self._skipped

    def skip(self, pattern: regex.Pattern) -> None:
        """`pattern` ran out of time: the rest of this report goes without it."""
        self._skipped.add(pattern)

    def charge(self, seconds: float, document: Document, sentence: Sentence) -> bool:
        """Count `seconds` of pattern work against the report's budget; False (with one
        diagnostic at `sentence`) once it is spent."""
        if self._spent > self.budget:
            return False
        self._spent += seconds
        if self._spent <= self.budget:
            return True
        line = document.text.count("\n", 0, sentence.start) + 1
        self.problems.append(Problem(document.doc, "the rule patterns took longer than "
                                     f"{self.budget:g}s in all on this report "
                                     "(pattern_budget_seconds in grammar.yaml); the sentences "
                                     "after this line gave no claims", line))
        return False

    @contextlib.contextmanager
    def charged(self, document: Document, sentence: Sentence) -> Iterator[None]:
        """The pattern work of the block, counted against the report's budget (`charge`)."""
        began = perf_counter()
        try:
            yield
        finally:
            self.charge(perf_counter() - began, document, sentence)

    def exhausted(self) -> bool:
        """Whether this report's budget is spent."""
        return self._spent > self.budget

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
                                         "for the rest of that report (later time-outs are not "
                                         "reported)", line))
