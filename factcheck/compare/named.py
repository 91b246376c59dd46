"""Named findings: claims of who, where and when that disagree within a story (FC2xx).

Different groups claimed or blamed (branches of one group are related, not in conflict), a
denial against a claim, two values for one role (an attacker's nationality), places in
different countries, two days for the event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from ..extract.model import NAMED, is_missing
from ..ruleset.model import RuleSet
from .model import (
    REPORT,
    Detector,
    StoryFinding,
    format_message,
    message_figures,
    named_list,
    source_of,
)


@dataclass(frozen=True)
class _Named:
    """The comparable part of one named claim."""

    claim_id: str
    entity: str
    written: str
    stance: str | None
    source: str
    date: date | None
    order: int


def _named(row: Mapping[str, Any], order: int) -> _Named:
    source = source_of(row)
    claim_date = row.get("claim_date")
    stance = row.get("stance")
    return _Named(str(row["claim_id"]), str(row["entity"]), str(row.get("figure") or ""),
                  None if is_missing(stance) else str(stance), source,
                  None if is_missing(claim_date) else claim_date, order)


def _describe(entity: str, members: Sequence[_Named]) -> str:
    first = min(members, key=lambda m: (m.date or date.max, m.order))
    when = first.date.isoformat() if first.date else "unknown date"
    written = "" if first.written.casefold() == entity.casefold() else f" “{first.written}”"
    stance = f" {first.stance.replace('_', ' ')}" if first.stance else ""
    return f"{entity}{written}{stance} ({first.source}, {when})"


def _group_ids(members: Iterable[_Named]) -> tuple[str, ...]:
    return tuple(m.claim_id for m in sorted(members, key=lambda m: (m.date or date.max,
                                                                     m.order)))


def compare_named(rows: Iterable[Mapping[str, Any]], rules: RuleSet) -> list[StoryFinding]:
    """Findings for the named rows of a claims table (ids are given by the caller)."""
    return [finding for _, finding in named_findings(rows, rules)]


def named_findings(rows: Iterable[Mapping[str, Any]], rules: RuleSet
                   ) -> list[tuple[int, StoryFinding]]:
    """`compare_named`'s findings, each with the row position of the first claim of its
    story, kind and role (the order they come in)."""
    by_key: dict[tuple[str, str, str | None], list[_Named]] = {}
    for order, row in enumerate(rows):
        if row.get("kind") != NAMED or not row.get("in_scope", True) or is_missing(
                row.get("entity")):
            continue
        role = None if is_missing(row.get("role")) else str(row["role"])
        key = (str(row.get("story") or ""), str(row["metric"]), role)
        by_key.setdefault(key, []).append(_named(row, order))
    findings: list[tuple[int, StoryFinding]] = []
    for (story, metric, role), members in by_key.items():
        if metric == "responsibility":
            found = _responsibility(story, metric, members, rules)
        elif metric == "location":
            found = _different(story, metric, role, members, rules, "location",
                               rules.aliases.country_of)
        elif metric == "event_date":
            found = _different(story, metric, role, members, rules, "event-date",
                               lambda entity: entity)
        else:
            found = _different(story, metric, role, members, rules, "role",
                               _same_name_key(members, rules))
        findings += [(members[0].order, finding) for finding in found]
    return findings


def _finding(rule_kind: str, rules: RuleSet, story: str, metric: str, scope: str | None,
             groups: Sequence[tuple[str, Sequence[_Named]]]) -> StoryFinding | None:
    rule = rules.rule_for_kind(rule_kind)
    if rule is None or len(groups) < 2:
        return None
    sides = named_list(groups, lambda group: _describe(*group), " vs ", message_figures(rules))
    message = format_message(rule.message, metric=metric, sides=sides, role=scope or "",
                             chain=sides)
    ids = tuple(_group_ids(members) for _, members in groups)
    return StoryFinding(story=story, rule=rule.code, rule_name=rule.name,
                        severity=rule.severity, kind=rule.kind, metric=metric, scope=scope,
                        message=message, claim_ids=tuple(i for g in ids for i in g), groups=ids)


def _responsibility(story: str, metric: str, members: list[_Named], rules: RuleSet
                    ) -> list[StoryFinding]:
    """Different groups claimed or blamed (branches of one group are related, not in
    conflict); a group denying what it, or a branch of it, is said to have claimed."""
    aliases = rules.aliases
    positive = [m for m in members if m.stance in ("claimed", "blamed")]
    denied = [m for m in members if m.stance == "denied"]
    by_entity: dict[str, list[_Named]] = {}
    for member in positive:
        by_entity.setdefault(member.entity, []).append(member)
    # Families: the groups a branch relation joins. Different families conflict.
    families: list[list[str]] = []
    for entity in by_entity:
        joined = [f for f in families if any(aliases.related(entity, e) for e in f)]
        merged = [entity] + [e for f in joined for e in f]
        families = [f for f in families if f not in joined] + [merged]
    findings: list[StoryFinding | None] = []
    if len(families) > 1:
        findings.append(_finding("responsibility", rules, story, metric, None, [
            (" / ".join(f), [m for e in f for m in by_entity[e]]) for f in families]))
    for family in families:
        if len(family) > 1:
            findings.append(_finding("branch", rules, story, metric, None,
                                     [(e, by_entity[e]) for e in family]))
    denials: dict[str, list[_Named]] = {}
    for member in denied:
        denials.setdefault(member.entity, []).append(member)
    for entity, deniers in denials.items():
        said = [m for m in positive if aliases.related(entity, m.entity)]
        if said:
            findings.append(_finding("denial", rules, story, metric, None,
                                     [(said[0].entity, said), (entity, deniers)]))
    return [f for f in findings if f is not None]


def _same_name_key(members: Sequence[_Named], rules: RuleSet) -> Any:
    """Names and countries: spellings close enough (the matching threshold) are one value."""
    threshold = rules.aliases.threshold
    keys: list[str] = []

    def key(entity: str) -> str:
        for known in keys:
            if fuzz.ratio(known.casefold(), entity.casefold()) >= threshold:
                return known
        keys.append(entity)
        return entity
    return key


def _different(story: str, metric: str, role: str | None, members: list[_Named],
               rules: RuleSet, rule_kind: str, key: Any) -> list[StoryFinding]:
    """One finding when the claims of one role give more than one value."""
    by_value: dict[str, list[_Named]] = {}
    for member in sorted(members, key=lambda m: (m.date or date.max, m.order)):
        value = key(member.entity)
        if value is not None:
            by_value.setdefault(value, []).append(member)
    finding = _finding(rule_kind, rules, story, metric, role, list(by_value.items()))
    return [finding] if finding is not None else []


DETECTOR = Detector("named", ("responsibility", "denial", "role", "branch", "location",
                              "event-date"), REPORT, named_findings)
