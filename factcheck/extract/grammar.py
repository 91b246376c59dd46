"""The claim patterns: shared constructions over every lexicon, and each metric's own.

grammar.yaml's constructions are compiled once over the lexicons of all metrics (a trigger's
group names its metric); each metric file's own patterns beside them. Each pattern carries
how a claim it makes is read (`Reading`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from ..errors import RuleError
from ..ruleset.grammar import Construction
from ..ruleset.model import Metric, RuleSet
from .lexicon import GAP_MACROS, LEXICON_MACROS, Lexicon, alternation
from .patterns import Macros

_MACRO_NAME = regex.compile(r"(?<!\\[pP])\{([A-Z_]+)\}")
_NEVER = "(?!)"  # what a lexicon macro no metric fills stands for: it never matches


@dataclass(frozen=True)
class Reading:
    """How a claim pattern reads a figure: the construction (or rule-file pattern) that made
    it, for the claim's `construction` column and for time-outs, and what it makes of it."""

    name: str  # a construction's name, or "metrics/killed.yaml:24" for a metric's own pattern
    source: str  # the rule file, for errors and time-outs
    line: int | None
    modality: str | None = None
    bound: str | None = None
    part: bool = False
    prefer: bool = False

    @classmethod
    def of(cls, construction: Construction, source: str) -> Reading:
        return cls(construction.name, source, construction.line, construction.modality,
                   construction.bound, construction.part, construction.prefer)


@dataclass(frozen=True)
class ClaimPattern:
    """A compiled claim pattern. A shared construction's finds its metric from the trigger
    that matched (its `m<i>` groups name `metrics[i]`); a metric's own pattern, or a verb's
    whose object stands inside it, has one `metric`; `unless`: the pattern counts only in a
    report that never matches it."""

    pattern: regex.Pattern
    reading: Reading
    metric: str | None = None
    metrics: tuple[str, ...] = ()
    unless: regex.Pattern | None = None
    unless_line: int | None = None  # its line, for a time-out's diagnostic

    def metric_of(self, match: regex.Match) -> str | None:
        """The metric of a match: the pattern's own, or the one whose trigger matched."""
        if self.metric is not None:
            return self.metric
        if "trigger" not in self.pattern.groupindex or match.start("trigger") < 0:
            return None
        trigger = match.span("trigger")
        groups = self.pattern.groupindex
        for index, metric in enumerate(self.metrics):
            if f"m{index}" in groups and trigger in match.spans(f"m{index}"):
                return metric
        return None


def _trigger(groups: Sequence[tuple[int, str]]) -> str:
    """A trigger macro: the phrases of every metric, longest first across metrics (so that
    "missing and presumed dead" beats "missing"), each run of one metric's phrases in that
    metric's group."""
    if not groups:
        return _NEVER
    ordered = sorted(groups, key=lambda g: -len(g[1]))
    runs: list[tuple[int, list[str]]] = []
    for index, phrase in ordered:
        if runs and runs[-1][0] == index:
            runs[-1][1].append(phrase)
        else:
            runs.append((index, [phrase]))
    return "(?P<trigger>" + "|".join(f"(?P<m{i}>{alternation(p)})" for i, p in runs) + ")"


class Grammar:
    """Every claim pattern of a rule set, and the words each metric is spoken of with."""

    def __init__(self, rules: RuleSet, macros: Macros, grammar_source: str):
        irregular = rules.grammar.get("irregular_verbs") or {}
        function_words = rules.grammar.get("function_words") or ()
        self.keywords: dict[str, set[str]] = {}
        lexicons: dict[str, Lexicon] = {}
        for metric in rules.metrics.values():
            self.keywords[metric.name] = set(metric.keywords)
            if any(metric.lexicon.values()):
                lexicons[metric.name] = Lexicon.build(metric.lexicon, irregular)
                self.keywords[metric.name] |= lexicons[metric.name].keywords(function_words)
        self.patterns: list[ClaimPattern] = []
        for metric in rules.metrics.values():
            self.patterns += self._metric_patterns(metric, macros)
        self.patterns += self._constructions(rules.constructions, lexicons, macros,
                                             grammar_source)

    @staticmethod
    def _metric_patterns(metric: Metric, macros: Macros) -> list[ClaimPattern]:
        """A metric file's own patterns (and its conditional ones), for what its lexicon
        and the shared constructions do not say."""
        short = f"{Path(metric.source).parent.name}/{Path(metric.source).name}"
        found = []
        unless = macros.compile(metric.unless_report_mentions, metric.source,
                                metric.unless_line, key="unless_report_mentions"
                                ) if metric.unless_report_mentions else None
        for patterns, lines, condition, key in (
                (metric.patterns, metric.pattern_lines, None, "patterns"),
                (metric.conditional_patterns, metric.conditional_lines, unless,
                 "conditional_patterns")):
            lines = lines or (None,) * len(patterns)
            for pattern, line in zip(patterns, lines, strict=True):
                found.append(ClaimPattern(
                    _with_figure(macros, pattern, metric.source, line, key),
                    Reading(f"{short}:{line}", metric.source, line), metric.name,
                    unless=condition, unless_line=metric.unless_line))
        return found

    @staticmethod
    def _constructions(constructions: Sequence[Construction], lexicons: Mapping[str, Lexicon],
                       macros: Macros, source: str) -> list[ClaimPattern]:
        """Each construction compiled once over every lexicon; one using a verb whose object
        stands inside it ({GAP_HEAD}, {GAP_TAIL}) once per such verb."""
        names = list(lexicons)
        triggers = {macro: _trigger([(i, phrase) for i, name in enumerate(names)
                                     for phrase in lexicons[name].phrases[macro]])
                    for macro in LEXICON_MACROS}
        found: list[ClaimPattern] = []
        for construction in constructions:
            used = _uses(construction.pattern, macros.bodies)
            reading = Reading.of(construction, source)
            if not used & set(GAP_MACROS):
                if any(triggers[m] != _NEVER for m in used & set(LEXICON_MACROS)):
                    expanded = Macros({**macros.bodies, **triggers, "GAP_HEAD": _NEVER,
                                       "GAP_TAIL": _NEVER})
                    found.append(ClaimPattern(
                        _with_figure(expanded, construction.pattern, source, construction.line,
                                     "constructions"),
                        reading, metrics=tuple(names)))
                continue
            # one alternative per such verb, all in one pattern: "took 26 people into custody"
            alternatives = []
            for index, name in enumerate(names):
                for heads, tail in lexicons[name].gaps:
                    gap = {"GAP_HEAD": f"(?P<trigger>(?P<m{index}>{alternation(heads)}))",
                           "GAP_TAIL": alternation([tail])}
                    alternatives.append(Macros({**macros.bodies, **triggers, **gap}).expand(
                        construction.pattern, source, construction.line))
            if alternatives:
                joined = "(?:" + "|".join(alternatives) + ")"
                found.append(ClaimPattern(_with_figure(Macros(macros.bodies), joined, source,
                                                       construction.line, "constructions"),
                                          reading, metrics=tuple(names)))
        return found


def _uses(pattern: str, bodies: Mapping[str, str], depth: int = 0) -> set[str]:
    """The macros a pattern names, directly or through the macros it names."""
    names = set(_MACRO_NAME.findall(pattern))
    if depth < 6:
        for name in list(names):
            if name in bodies:
                names |= _uses(bodies[name], bodies, depth + 1)
    return names


def _with_figure(macros: Macros, pattern: Any, source: str, line: int | None,
                 key: str | None = None) -> regex.Pattern:
    """A claim pattern compiled; one with no {N} slot for its figure is a RuleError."""
    if not isinstance(pattern, str):
        raise RuleError("a pattern must be text", source, line)
    compiled = macros.compile(pattern, source, line, key=key)
    if "n" not in compiled.groupindex:
        raise RuleError(f"pattern {pattern!r} has no {{N}} slot for the figure", source, line)
    return compiled
