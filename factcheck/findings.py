"""Findings stage: compare the in-scope claims of each story, metric and scope into findings."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from .extract.model import is_missing
from .ruleset.load import load_ruleset
from .ruleset.model import FindingRule, Metric, RuleSet

# update, conflict, stale: reports compared with each other (`report`); the named-claim kinds
# (different groups responsible, a denial against a claim, two values for one role, a group
# and its branch, places or dates of the event); draft-*: a draft's figures compared with a
# reference (`check`).
FINDING_KINDS = ("update", "conflict", "stale",
                 "responsibility", "denial", "role", "branch", "location", "event-date",
                 "draft-stale", "draft-conflict", "draft-unsupported")
FINDING_COLUMNS = ["finding_id", "story", "rule", "rule_name", "severity", "kind", "metric",
                   "scope", "message", "claim_ids", "groups"]


@dataclass(frozen=True)
class Finding:
    """A disagreement between claims: which rule, how severe, and the claims involved."""

    story: str
    rule: str
    rule_name: str
    severity: str
    kind: str
    metric: str
    scope: str | None
    message: str
    claim_ids: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    finding_id: str = ""

    def row(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in FINDING_COLUMNS}
        values["claim_ids"] = list(self.claim_ids)
        values["groups"] = [list(g) for g in self.groups]
        return values


@dataclass(frozen=True)
class Figure:
    """The comparable part of one claim."""

    claim_id: str
    value: float | None
    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    figure: str
    date: date | None
    source: str
    revision: bool
    order: int  # position in the claims table, to keep ties stable

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    @property
    def point(self) -> float | None:
        """The figure to place in another claim's interval."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


@dataclass
class Cluster:
    """Claims that agree on one figure; the first member stands for them."""

    members: list[Figure] = field(default_factory=list)

    @property
    def lead(self) -> Figure:
        return self.members[0]

    @property
    def first_date(self) -> date | None:
        return _earliest(self.members)

    @property
    def revision(self) -> bool:
        return any(m.revision for m in self.members)

    def ids(self) -> tuple[str, ...]:
        return tuple(m.claim_id for m in sorted(self.members, key=_time_key))

    def settled(self) -> Cluster:
        """The same cluster, its members final: `first_date` is computed once from now on."""
        return _SettledCluster(self.members)


class _SettledCluster(Cluster):
    """A cluster whose members no longer change (see `Cluster.settled`)."""

    @functools.cached_property
    def first_date(self) -> date | None:  # type: ignore[override]
        return _earliest(self.members)


def _earliest(members: Iterable[Figure]) -> date | None:
    dates = [m.date for m in members if m.date is not None]
    return min(dates) if dates else None


def _time_key(figure: Figure) -> tuple[date, int]:
    return (figure.date or date.max, figure.order)


def _step(value: float) -> float:
    """The place value of the last non-zero digit: 90 → 10, 284 → 1, 4,000 → 1,000."""
    if value <= 0 or value != int(value):
        return 1.0
    step = 1.0
    number = int(value)
    while number % 10 == 0:
        number //= 10
        step *= 10
    return step


def _reading(figure: Figure, round_reach: bool) -> tuple[float, float, bool, bool]:
    """The interval an editor reads a figure as: "over 90" reaches to 100, not to infinity."""
    low = -math.inf if figure.low is None else figure.low
    high = math.inf if figure.high is None else figure.high
    low_inc, high_inc = figure.low_inclusive, figure.high_inclusive
    if round_reach and figure.value is not None and not figure.exact:
        if figure.high is None:  # a floor: "at least 84", "over 90"
            high, high_inc = figure.value + _step(figure.value), False
        elif figure.low is None:  # a ceiling: "up to 44"
            low, low_inc = figure.value - _step(figure.value), False
    return low, high, low_inc, high_inc


def _inside(point: float, interval: tuple[float, float, bool, bool], tolerance: float) -> bool:
    low, high, low_inc, high_inc = interval
    low, high = low - tolerance, high + tolerance
    above = point >= low if low_inc or tolerance else point > low
    below = point <= high if high_inc or tolerance else point < high
    return above and below


def _overlap(a: Figure, b: Figure) -> bool:
    a_low = -math.inf if a.low is None else a.low
    a_high = math.inf if a.high is None else a.high
    b_low = -math.inf if b.low is None else b.low
    b_high = math.inf if b.high is None else b.high
    if a_high < b_low or b_high < a_low:
        return False
    if a_high == b_low:
        return a.high_inclusive and b.low_inclusive
    if b_high == a_low:
        return b.high_inclusive and a.low_inclusive
    return True


def agree(a: Figure, b: Figure, tolerance: float = 0.0, round_reach: bool = True) -> bool:
    """Whether an editor would read two figures as the same count.

    A qualified figure covers another one it plainly describes ("over 90" and 94), but across
    two known dates only as a later restatement: "over 280" after 284 repeats it, while 14
    after "at least 10" is a new count.
    """
    if a.exact and b.exact:
        return abs((a.low or 0) - (b.low or 0)) <= tolerance
    if a.value is not None and b.value is not None and abs(a.value - b.value) <= tolerance:
        return _overlap(a, b)  # "at least 84" and 84 agree; "more than 25" and 25 do not
    for loose, other in ((a, b), (b, a)):
        if loose.date and other.date and loose.date < other.date:
            continue
        point = other.point
        if not loose.exact and point is not None and _inside(
                point, _reading(loose, round_reach), tolerance):
            return True
    return False


def _cluster(figures: Sequence[Figure], tolerance: float, round_reach: bool) -> list[Cluster]:
    clusters: list[Cluster] = []
    # Exact figures found the clusters; qualified ones join the nearest in time that they fit.
    for figure in sorted(figures, key=lambda f: (not f.exact, _time_key(f))):
        fitting = [c for c in clusters if agree(c.lead, figure, tolerance, round_reach)]
        if fitting:
            def distance(cluster: Cluster, figure: Figure = figure) -> tuple[int, date]:
                first = cluster.first_date
                if first is None or figure.date is None:
                    return (10**6, first or date.max)
                return (abs((first - figure.date).days), first)
            min(fitting, key=distance).members.append(figure)
        else:
            clusters.append(Cluster([figure]))
    return clusters


def _describe(cluster: Cluster) -> str:
    lead = cluster.lead
    when = cluster.first_date.isoformat() if cluster.first_date else "unknown date"
    return f"{lead.figure} ({lead.source}, {when})"


class _Messages(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _finding(rule: FindingRule, story: str, metric: str, scope: str | None,
             clusters: Sequence[Cluster], **values: str) -> Finding:
    groups = tuple(c.ids() for c in clusters)
    message = rule.message.format_map(_Messages(metric=metric, **values))
    return Finding(story=story, rule=rule.code, rule_name=rule.name, severity=rule.severity,
                   kind=rule.kind, metric=metric, scope=scope, message=message,
                   claim_ids=tuple(i for g in groups for i in g), groups=groups)


def compare_group(figures: Sequence[Figure], metric: Metric, rules: RuleSet, story: str,
                  scope: str | None) -> list[Finding]:
    """Findings for the claims of one story, metric and scope."""
    round_reach = bool(rules.compare.get("round_figure_reach", True))
    clusters = _cluster(figures, metric.tolerance, round_reach)
    if len(clusters) < 2:
        return []
    clusters = [c.settled() for c in clusters]
    update_rule = rules.rule_for_kind("update")
    conflict_rule = rules.rule_for_kind("conflict")
    stale_rule = rules.rule_for_kind("stale")
    dated = sorted((c for c in clusters if c.first_date), key=lambda c: (c.first_date,
                                                                         c.lead.order))
    undated = [c for c in clusters if c.first_date is None]
    findings: list[Finding] = []
    chain: list[Cluster] = dated[:1]

    def close_chain() -> None:
        if len(chain) > 1 and update_rule:
            findings.append(_finding(update_rule, story, metric.name, scope, chain,
                                     chain=" → ".join(_describe(c) for c in chain)))

    for earlier, later in pairwise(dated):
        same_moment = earlier.first_date == later.first_date
        rising = (later.lead.point or 0) > (earlier.lead.point or 0)
        # On the same day, only a figure its report calls a change ("has risen to 135",
        # "revised down to 34") follows another; otherwise two figures for one moment conflict.
        moved = later.revision if same_moment else (
            not metric.accumulates or rising or later.revision)
        if moved:
            chain.append(later)
            continue
        close_chain()
        chain = [later]
        if conflict_rule:
            findings.append(_finding(conflict_rule, story, metric.name, scope, [earlier, later],
                                     sides=" vs ".join(_describe(c) for c in (earlier, later))))
    close_chain()
    if undated and conflict_rule:
        for cluster in undated:
            others = [c for c in clusters if c is not cluster]
            findings.append(_finding(
                conflict_rule, story, metric.name, scope, [cluster, *others],
                sides=" vs ".join(_describe(c) for c in [cluster, *others])))
            clusters = [c for c in clusters if c is not cluster]
            if len(clusters) < 2:
                break
    if stale_rule:
        for position, cluster in enumerate(dated[:-1]):
            superseded_on = dated[position + 1].first_date
            newest = dated[-1]
            for member in cluster.members:
                if member.date and superseded_on and member.date > superseded_on \
                        and not (metric.accumulates and (member.point or 0) > (
                            dated[position + 1].lead.point or 0)):
                    stale = Cluster([member])
                    findings.append(_finding(
                        stale_rule, story, metric.name, scope, [stale, newest],
                        stale=_describe(stale), latest=_describe(newest)))
    return findings


def _number(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def source_of(row: Mapping[str, Any]) -> str:
    """Who a claim comes from, as findings name it: its attribution, else outlet, else file."""
    for key in ("attributed_to", "outlet", "doc"):
        value = row.get(key)
        if not is_missing(value) and (text := str(value)):
            return text
    return "unknown source"


def _figure(row: Mapping[str, Any], order: int) -> Figure:
    get = row.get
    claim_date, revision = get("claim_date"), get("revision")
    return Figure(
        claim_id=str(row["claim_id"]), value=_number(get("value")), low=_number(get("low")),
        high=_number(get("high")), low_inclusive=bool(get("low_inclusive")),
        high_inclusive=bool(get("high_inclusive")), figure=str(get("figure") or ""),
        date=None if is_missing(claim_date) else claim_date, source=source_of(row),
        revision=False if is_missing(revision) else bool(revision),
        order=order,
    )


def comparable_groups(rows: Iterable[Mapping[str, Any]], rules: RuleSet
                      ) -> dict[tuple[str, str, str | None], list[Figure]]:
    """The comparable claims of a claims table by (story, metric, scope), groups in the order
    of their first claim, each figure's `order` its row's position in `rows`."""
    groups: dict[tuple[str, str, str | None], list[Figure]] = {}
    for order, row in enumerate(rows):
        if row.get("kind", "numeric") != "numeric" or not row.get("in_scope", True):
            continue
        if not is_missing(row.get("part_of")) or row.get("metric") not in rules.metrics:
            continue
        if row.get("superseded") is True:
            continue  # history the report itself gives, superseded by its current figure
        scope = None if is_missing(row.get("scope")) else row.get("scope")
        key = (str(row.get("story") or ""), str(row["metric"]), scope)
        groups.setdefault(key, []).append(_figure(row, order))
    return groups


def compare_claims(rows: Iterable[Mapping[str, Any]], rules: RuleSet) -> list[Finding]:
    """Findings for a claims table: comparable claims grouped by story, metric and scope;
    named claims (who, where, when) compared by `named.compare_named`, after them."""
    from .compare.named import compare_named

    rows = list(rows)
    findings: list[Finding] = []
    for (story, metric, scope), figures in comparable_groups(rows, rules).items():
        findings.extend(compare_group(figures, rules.metrics[metric], rules, story, scope))
    findings.extend(compare_named(rows, rules))
    return number_findings(findings)


def number_findings(findings: list[Finding]) -> list[Finding]:
    """Give findings their ids f1, f2, … in order. They are new records no one has seen yet,
    so the id is set in place (a copy each, at a million claims, costs seconds)."""
    for number, finding in enumerate(findings, start=1):
        object.__setattr__(finding, "finding_id", f"f{number}")
    return findings


# -- the comparison pieces `check` reuses (a draft against a reference) ------------------------

def figure_of(row: Mapping[str, Any], order: int) -> Figure:
    """The comparable part of a claims-table row (`order` keeps ties in table order)."""
    return _figure(row, order)


def cluster_figures(figures: Sequence[Figure], metric: Metric, rules: RuleSet) -> list[Cluster]:
    """Figures grouped into clusters that agree on one figure, as `compare_group` groups them."""
    round_reach = bool(rules.compare.get("round_figure_reach", True))
    return _cluster(figures, metric.tolerance, round_reach)


def moves_on(earlier: Cluster, later: Cluster, metric: Metric) -> bool:
    """Whether a later cluster updates an earlier one (the update rule of `compare_group`):
    on the same day only a figure its report calls a change; on a later day a figure that
    moves the way the metric moves, or one its report calls a revision."""
    if earlier.first_date == later.first_date:
        return later.revision
    rising = (later.lead.point or 0) > (earlier.lead.point or 0)
    return not metric.accumulates or rising or later.revision


def describe_cluster(cluster: Cluster) -> str:
    """A cluster as findings name it: `94 (source, 2024-01-11)`."""
    return _describe(cluster)


def load_rules(dirs: Sequence[str | Path] | None = None) -> RuleSet:
    """The shipped rules with each folder of `dirs` laid over them, every finding rule's kind
    one this stage finds (see `ruleset.load.load_ruleset`)."""
    return load_ruleset(dirs, finding_kinds=FINDING_KINDS)
