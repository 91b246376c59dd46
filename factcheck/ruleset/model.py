"""The rule set as validated data: metrics, finding rules and every rule file's settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .aliases import Aliases
from .grammar import Construction
from .numbers import NumberLexicon

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}  # info 0 … error 2


@dataclass(frozen=True)
class Metric:
    """A numeric metric: its words, patterns and how its figures move over time."""

    name: str
    description: str
    example: str
    accumulates: bool
    tolerance: float
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]  # as written in the rule file, before macros are expanded
    source: str  # the rule file it came from
    pattern_lines: tuple[int | None, ...] = ()  # the line of each pattern in `source`
    enabled: bool = True
    # Patterns that count only in a report that never matches `unless_report_mentions`.
    conditional_patterns: tuple[str, ...] = ()
    conditional_lines: tuple[int | None, ...] = ()
    unless_report_mentions: str | None = None
    unless_line: int | None = None
    # Its triggers by kind (verbs, intransitive, states, nouns, actions, counts): the shared
    # constructions of grammar.yaml make claims of them in every word order.
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class FindingRule:
    """A finding rule: stable code, readable name, default severity and message template."""

    code: str
    name: str
    kind: str
    severity: str
    description: str
    example: str
    message: str
    source: str
    enabled: bool = True


@dataclass
class RuleSet:
    """Everything the extraction and comparison stages read from `rules/`."""

    dirs: tuple[Path, ...]
    numbers: NumberLexicon  # numbers.yaml, checked
    grammar: Mapping[str, Any]
    dates: Mapping[str, Any]
    attribution: Mapping[str, Any]
    scope: Mapping[str, Any]
    compare: Mapping[str, Any]
    metrics: dict[str, Metric]
    finding_rules: dict[str, FindingRule]
    files: dict[str, Path] = field(default_factory=dict)
    version: str = ""  # a hash of every rule file's content: stored claims are keyed by it
    named: Mapping[str, Any] = field(default_factory=dict)  # named.yaml, checked
    aliases: Aliases = field(default_factory=Aliases)  # what named claims resolve names to
    constructions: tuple[Construction, ...] = ()  # grammar.yaml's, checked

    def named_kinds(self) -> set[str]:
        """The named-claim kinds switched on (responsibility, nationality, …)."""
        kinds = self.named.get("kinds") or {}
        return {str(name) for name, kind in kinds.items() if kind.get("enabled", True)}

    def with_overrides(self, severity: Mapping[str, str] | None = None,
                       ignore: Collection[str] = ()) -> RuleSet:
        """This rule set with finding rules re-levelled (`severity`: code → level) and those
        in `ignore` switched off: what a configuration file's `severity` and `ignore` say."""
        if not severity and not ignore:
            return self
        rules = {code: dataclasses.replace(
            rule, severity=(severity or {}).get(code, rule.severity),
            enabled=rule.enabled and code not in ignore)
            for code, rule in self.finding_rules.items()}
        return dataclasses.replace(self, finding_rules=rules)

    def rule_for_kind(self, kind: str) -> FindingRule | None:
        for rule in self.finding_rules.values():
            if rule.kind == kind and rule.enabled:
                return rule
        return None


