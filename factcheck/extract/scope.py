"""Scope: whether a sentence speaks of another period or event than the story's (scope.yaml)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import regex

from ..yamlio import line_of
from .literals import fold, might_match, required_literals
from .patterns import PATTERN_TIMEOUT_SECONDS, compile_pattern

_YEAR = regex.compile(r"(?<![\d,.])(?:19|20)\d\d(?!\d|,\d)")
FLAGS = regex.IGNORECASE | regex.MULTILINE  # scope.yaml's patterns: any case, line by line


class ScopeReader:
    """The other-period and other-event patterns of scope.yaml, and its rule on years."""

    def __init__(self, config: Mapping[str, Any], path: str) -> None:
        # (note, pattern): "other period: years ago"
        self.other = [
            (f"{group.replace('_', ' ')}: {name}",
             compile_pattern(p, path, line_of(config[group], name), FLAGS,
                             f"{group}.{name}"))
            for group in ("other_period", "other_event")
            for name, p in config[group].items()
        ]
        # A pattern runs only on text that holds one of the words it needs.
        self._other_literals = [required_literals(p) for _, p in self.other]
        self._other_years = bool(config["other_years"])

    def out_of_scope(self, sentence_text: str, figure_spans: list[tuple[int, int]],
                     years: Sequence[int], latest_stated: int = 0) -> str | None:
        """Why a sentence's claims are about another period or event ("other period: 2022"),
        or None; `figure_spans` are the figures' spans in it (a year there is no date). A year
        before the story's `years` is another period; when the story has none, a year before
        the latest one its report states (`latest_stated`, see `latest_year`)."""
        folded = fold(sentence_text)
        for (note, pattern), literals in zip(self.other, self._other_literals, strict=True):
            if might_match(literals, folded) and pattern.search(
                    sentence_text, timeout=PATTERN_TIMEOUT_SECONDS):
                return note
        if self._other_years:
            for match in _YEAR.finditer(sentence_text):
                if any(a <= match.start() < b for a, b in figure_spans):
                    continue
                year = int(match.group(0))
                if year < (min(years) if years else latest_stated):
                    return f"other period: {year}"
        return None


def latest_year(text: str, start: int = 0) -> int:
    """The latest year a text states (0 for none): in a report of unknown date, the event's
    own ("the storm of 1900 killed 6,000" in a 2018 story is another period)."""
    return max((int(m.group(0)) for m in _YEAR.finditer(text, start)), default=0)
