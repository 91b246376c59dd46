"""Figure findings: a story's figures compared into updates, conflicts and stale ones.

A story's figures of one metric and scope, as updates, conflicts and stale repeats
(FC101–FC103).

Figures that agree form one cluster; clusters are put in date order, a later one that moves
the way the metric moves (a rising toll, a revision) updating the one before it; a later
figure that does not is a conflict, and a report that repeats a superseded figure is stale.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise
from typing import Any

from ..extract.model import NUMERIC, is_missing
from ..ruleset.model import FindingRule, Metric, RuleSet
from .model import (
    REPORT,
    Cluster,
    Detector,
    Figure,
    StoryFinding,
    agree,
    figure_of,
    format_message,
    message_figures,
    named_list,
    reading_interval,
    time_key,
)


def comparable(row: Mapping[str, Any], rules: RuleSet, history: bool = False) -> bool:
    """Whether a claim takes part in comparisons: a figure, in scope, not a part of a total,
    of a metric the rules have, and not given as history (superseded by the report's current
    figure) unless `history` asks for those too."""
    if row.get("kind", NUMERIC) != NUMERIC or not row.get("in_scope", True):
        return False
    if not is_missing(row.get("part_of")) or row.get("metric") not in rules.metrics:
        return False
    return history or row.get("superseded") is not True


PROJECTION = "projection"  # a claim's modality when its words forecast ("could reach 20,000")


def comparable_groups(rows: Iterable[Mapping[str, Any]], rules: RuleSet
                      ) -> dict[tuple[str, str, str | None], list[Figure]]:
    """The comparable claims of a claims table by (story, metric, scope), groups in the order
    of their first claim, each figure's `order` its row's position in `rows`.

    A figure its report gives as history ("up to 34 from 16") takes part as the step before
    the report's own figures of that day: it opens their update, and is never stale."""
    rows = list(rows)
    backwards = _newest_first(rows)
    first_row: dict[str, int] = {}  # each report's first row
    groups: dict[tuple[str, str, str | None], list[Figure]] = {}
    for order, row in enumerate(rows):
        doc = str(row.get("doc") or "")
        first_row.setdefault(doc, order)
        if not comparable(row, rules, history=True):
            continue
        scope = None if is_missing(row.get("scope")) else row.get("scope")
        if row.get("modality") == PROJECTION:  # compared with other projections only
            scope = f"{scope} ({PROJECTION})" if scope else PROJECTION
        key = (str(row.get("story") or ""), str(row["metric"]), scope)
        figure = figure_of(row, order)
        if figure.superseded:
            figure = replace(figure, within_day=first_row[doc] - 0.5)
        elif (span := backwards.get(doc)) is not None:
            figure = replace(figure, within_day=span[0] + span[1] - order)
        groups.setdefault(key, []).append(figure)
    return groups


def _newest_first(rows: Sequence[Mapping[str, Any]]) -> dict[str, tuple[int, int]]:
    """The reports whose claims run newest first (a timeline of the days before, latest on
    top), each with the first and last row position of its claims: the order of their
    figures within a day is then the reverse of the text's."""
    spans: dict[str, list[int]] = {}
    steps: dict[str, int] = {}  # later dates minus earlier ones, claim to claim
    last_date: dict[str, date] = {}
    for order, row in enumerate(rows):
        doc = str(row.get("doc") or "")
        span = spans.setdefault(doc, [order, order])
        span[1] = order
        claim_date = row.get("claim_date")
        if is_missing(claim_date) or not isinstance(claim_date, date):
            continue
        before = last_date.get(doc)
        if before is not None and claim_date != before:
            steps[doc] = steps.get(doc, 0) + (1 if claim_date > before else -1)
        last_date[doc] = claim_date
    return {doc: (spans[doc][0], spans[doc][1]) for doc, step in steps.items() if step < 0}


class _LeadIndex:
    """The clusters being formed, found by their lead's numbers: the clusters a figure may
    agree with are a range lookup (a superset, each then checked with `agree`), not a scan of
    every cluster, so that clustering a story's figures is n·log n and not quadratic."""

    def __init__(self, tolerance: float, round_reach: bool) -> None:
        self.tolerance = tolerance
        self.round_reach = round_reach
        self.clusters: list[Cluster] = []
        # (number, creation index), sorted: exact leads by their figure, leads by value, and
        # leads by the point another figure's interval may cover
        self._exact: list[tuple[float, int]] = []
        self._value: list[tuple[float, int]] = []
        self._point: list[tuple[float, int]] = []
        self._loose: list[int] = []  # clusters led by a qualified figure: checked each time

    def add(self, cluster: Cluster) -> None:
        lead, index = cluster.lead, len(self.clusters)
        self.clusters.append(cluster)
        if lead.exact:
            insort(self._exact, (lead.low, index))
        else:
            self._loose.append(index)
        if lead.value is not None:
            insort(self._value, (lead.value, index))
        if (point := lead.point) is not None:
            insort(self._point, (point, index))

    @staticmethod
    def _between(keys: list[tuple[float, int]], low: float, high: float) -> list[int]:
        start = bisect_left(keys, (low, -1))
        end = bisect_right(keys, (high, math.inf))
        return [index for _, index in keys[start:end]]

    def fitting(self, figure: Figure) -> list[Cluster]:
        """The clusters whose lead agrees with `figure`, in the order they were formed."""
        tolerance = self.tolerance
        found: set[int] = set(self._loose)  # a qualified lead may cover the figure's point
        if figure.exact:
            found.update(self._between(self._exact, figure.low - tolerance,
                                       figure.low + tolerance))
        if figure.value is not None:
            found.update(self._between(self._value, figure.value - tolerance,
                                       figure.value + tolerance))
        if not figure.exact:  # the figure's own interval may cover a lead's point
            low, high, _, _ = reading_interval(figure, self.round_reach)
            found.update(self._between(self._point, low - tolerance, high + tolerance))
        return [self.clusters[i] for i in sorted(found)
                if agree(self.clusters[i].lead, figure, tolerance, self.round_reach)]


def cluster_figures(figures: Sequence[Figure], metric: Metric, rules: RuleSet) -> list[Cluster]:
    """Figures grouped into clusters that agree on one figure: exact figures found the
    clusters; qualified ones join the nearest in time that they fit."""
    round_reach = bool(rules.compare.get("round_figure_reach", True))
    index = _LeadIndex(metric.tolerance, round_reach)
    first: dict[int, date | None] = {}  # each cluster's first date, kept as members join
    for figure in sorted(figures, key=lambda f: (not f.exact, time_key(f))):
        fitting = index.fitting(figure)
        if fitting:
            def distance(cluster: Cluster, figure: Figure = figure) -> tuple[int, date]:
                earliest = first[id(cluster)]
                if earliest is None or figure.date is None:
                    return (10**6, earliest or date.max)
                return (abs((earliest - figure.date).days), earliest)
            chosen = min(fitting, key=distance)
            chosen.members.append(figure)
            if figure.date is not None and (first[id(chosen)] is None
                                            or figure.date < first[id(chosen)]):
                first[id(chosen)] = figure.date
        else:
            cluster = Cluster([figure])
            first[id(cluster)] = figure.date
            index.add(cluster)
    return index.clusters


def moves_on(earlier: Cluster, later: Cluster, metric: Metric) -> bool:
    """Whether a later cluster updates an earlier one.

    On a later day: a figure that moves the way the metric moves, or one its report calls a
    revision. On the same day: a figure its report calls a change ("has risen to 135",
    "revised down to 34"), or a rising count of an accumulating metric from the same outlet or
    the same source in the body of their reports (a running count through the day). Two other
    figures for one moment conflict, and so does a headline with a body."""
    rising = (later.lead.point or 0) > (earlier.lead.point or 0)
    if earlier.first_date != later.first_date:
        return not metric.accumulates or rising or later.revision
    if later.revision:
        return True
    if not (metric.accumulates and rising):
        return False
    # one body figure of each sharing an outlet or a source: set intersections, not every pair
    before = [m for m in earlier.members if not m.headline]
    after = [m for m in later.members if not m.headline]
    return (not {m.outlet for m in before}.isdisjoint(m.outlet for m in after)
            or not {m.source for m in before}.isdisjoint(m.source for m in after))


def _open_chains(rules: RuleSet) -> int:
    return max(1, int(rules.compare.get("open_chains", 1)))


def update_chains(dated: Sequence[Cluster], metric: Metric, open_chains: int
                  ) -> list[list[Cluster]]:
    """Dated clusters as lines of reporting, each a chain of updates.

    A figure that conflicts with the one just before it may still update an earlier line (one
    outlet's running count beside another's, a count beside an estimate): a cluster extends
    every open chain whose latest figure it moves on from, or starts a chain of its own. At
    most `open_chains` chains stay open, those extended last; with one, a chain is simply
    broken by the first figure that does not move on from the one before it."""
    chains: list[list[Cluster]] = [list(dated[:1])] if dated else []
    still_open = list(chains)
    for later in dated[1:]:
        extended = [chain for chain in still_open if moves_on(chain[-1], later, metric)]
        for chain in extended:
            chain.append(later)
        if not extended:
            chains.append([later])
            still_open.append(chains[-1])
        still_open.sort(key=lambda chain: chain[-1] is later)  # stable: oldest first
        del still_open[:-open_chains]
    return chains


def first_member(cluster: Cluster) -> Figure:
    """The member that dates a cluster: of those of its first date, an exact figure before a
    qualified one, then the first in time (the lead when no member is dated)."""
    first = cluster.first_date
    if first is None:
        return cluster.lead
    return min((m for m in cluster.members if m.date == first),
               key=lambda m: (not m.exact, time_key(m)))


def describe_cluster(cluster: Cluster) -> str:
    """A cluster as findings name it: `94 (source, 2024-01-11)`, figure, source and date all
    of one claim (the one that dates the cluster), never one claim's figure with another's
    date."""
    member = first_member(cluster)
    when = member.date.isoformat() if member.date else "unknown date"
    return f"{member.figure} ({member.source}, {when})"


def _finding(rule: FindingRule, story: str, metric: str, scope: str | None,
             clusters: Sequence[Cluster], **values: str) -> StoryFinding:
    groups = tuple(c.ids() for c in clusters)
    message = format_message(rule.message, metric=metric, **values)
    return StoryFinding(story=story, rule=rule.code, rule_name=rule.name,
                        severity=rule.severity, kind=rule.kind, metric=metric, scope=scope,
                        message=message, claim_ids=tuple(i for g in groups for i in g),
                        groups=groups)


def compare_group(figures: Sequence[Figure], metric: Metric, rules: RuleSet, story: str,
                  scope: str | None) -> list[StoryFinding]:
    """Findings for the claims of one story, metric and scope."""
    clusters = cluster_figures(figures, metric, rules)
    if len(clusters) < 2:
        return []
    clusters = [c.settled() for c in clusters]
    update_rule = rules.rule_for_kind("update")
    conflict_rule = rules.rule_for_kind("conflict")
    stale_rule = rules.rule_for_kind("stale")
    dated = sorted((c for c in clusters if c.first_date),
                   key=lambda c: (c.first_date, min(time_key(m)[1] for m in c.members
                                                    if m.date == c.first_date)))
    undated = [c for c in clusters if c.first_date is None]
    limit = message_figures(rules)
    # (position in `dated` of the finding's first cluster, finding), sorted at the end
    placed: list[tuple[tuple[int, int], StoryFinding]] = []
    rank = {id(c): n for n, c in enumerate(dated)}
    for earlier, later in pairwise(dated):
        if not moves_on(earlier, later, metric) and conflict_rule:
            sides = " vs ".join(describe_cluster(c) for c in (earlier, later))
            placed.append(((rank[id(earlier)], 1), _finding(
                conflict_rule, story, metric.name, scope, [earlier, later], sides=sides)))
    if update_rule:
        for chain in update_chains(dated, metric, _open_chains(rules)):
            if len(chain) > 1:
                placed.append(((rank[id(chain[0])], 0), _finding(
                    update_rule, story, metric.name, scope, chain,
                    chain=named_list(chain, describe_cluster, " → ", limit))))
    findings = [finding for _, finding in sorted(placed, key=lambda item: item[0])]
    if undated and conflict_rule:
        # One finding for the figures no date places, against every other: one each, naming
        # all the rest, grew as the square of an undated report's figures.
        undated_ids = {id(c) for c in undated}
        sides = [*undated, *(c for c in clusters if id(c) not in undated_ids)]
        findings.append(_finding(conflict_rule, story, metric.name, scope, sides,
                                 sides=named_list(sides, describe_cluster, " vs ", limit)))
    if stale_rule and dated:
        # The latest figure is named by the claim that dates it (the one the message names):
        # naming all of its claims in every stale finding grew as the square of the story.
        newest = Cluster([first_member(dated[-1])])
        for position, cluster in enumerate(dated[:-1]):
            superseded_on = dated[position + 1].first_date
            for member in cluster.members:
                if member.date and superseded_on and member.date > superseded_on \
                        and not member.superseded \
                        and not (metric.accumulates and (member.point or 0) > (
                            dated[position + 1].lead.point or 0)):
                    stale = Cluster([member])
                    findings.append(_finding(
                        stale_rule, story, metric.name, scope, [stale, newest],
                        stale=describe_cluster(stale), latest=describe_cluster(newest)))
    return findings


def detect(rows: Iterable[Mapping[str, Any]], rules: RuleSet) -> list[tuple[int, StoryFinding]]:
    """The figure findings of a claims table's rows, group by group (story, metric, scope, in
    the order of their first claim), each with the row position of that first claim."""
    found: list[tuple[int, StoryFinding]] = []
    for (story, metric, scope), figures in comparable_groups(rows, rules).items():
        found += [(figures[0].order, finding)
                  for finding in compare_group(figures, rules.metrics[metric], rules, story,
                                               scope)]
    return found


DETECTOR = Detector("figures", ("update", "conflict", "stale"), REPORT, detect,
                    relations={"update": "↓ later", "conflict": "≠ differs",
                               "stale": "↓ superseded by"})
