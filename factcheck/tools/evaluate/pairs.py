"""Pair checks: each discrepancy pair of the gold against the findings.

Each discrepancy pair of the gold (an update, a conflict, compatible figures) against the
findings: did a finding put the two found claims in different groups?
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from .claims import Match
from .gold import Gold, GoldDiscrepancy


@dataclass(frozen=True)
class PairCheck:
    """A pair of gold claims a discrepancy entry relates, and what the findings made of it."""

    metric: str
    type: str  # update | conflict | compatible
    gold_ids: tuple[str, str]
    claim_ids: tuple[str | None, str | None]  # the found claims matched to them (None: missed)
    # (finding id, kind) of every finding of the story and metric that puts the two found
    # claims in different groups
    separated_by: tuple[tuple[str, str], ...] = ()
    line: int | None = None

    @property
    def extracted(self) -> bool:
        return None not in self.claim_ids

    @property
    def found(self) -> bool:
        """An update or conflict pair some finding reports (claims in different groups)."""
        return bool(self.separated_by)

    @property
    def kind_matches(self) -> bool:
        """A finding that separates the pair has the gold's type as its kind."""
        return any(kind == self.type for _, kind in self.separated_by)

    @property
    def flagged_as_conflict(self) -> bool:
        """A compatible pair that a conflict finding puts in different groups."""
        return any(kind == "conflict" for _, kind in self.separated_by)


@dataclass(frozen=True)
class SkippedDiscrepancy:
    entry: GoldDiscrepancy
    reason: str


def check_pairs(gold: Gold, matches: Sequence[Match], findings: pd.DataFrame | Sequence[Mapping],
                metrics: Iterable[str]) -> tuple[list[PairCheck], list[SkippedDiscrepancy]]:
    """Each gold discrepancy pair against the findings.

    Gold claims are mapped to found claims through `matches`; a pair is separated by a finding
    of the same story and metric that has the two found claims in different groups (clusters of
    agreeing claims). Entries about metrics the rules do not extract ("other: crowd size",
    "named: cause") and sums of parts (`relation: sum`: parts are never compared with their
    total) are skipped and reported as such.
    """
    metrics = set(metrics)
    found_id = {m.gold.id: str(m.claim["claim_id"]) for m in matches}
    story = {str(m.claim["claim_id"]): str(m.claim.get("story") or "") for m in matches}
    rows = findings.to_dict("records") if isinstance(findings, pd.DataFrame) else list(findings)
    checks: list[PairCheck] = []
    skipped: list[SkippedDiscrepancy] = []
    for entry in gold.discrepancies:
        if entry.metric not in metrics:
            skipped.append(SkippedDiscrepancy(entry, "a metric the rules do not extract"))
            continue
        if entry.relation == "sum":
            skipped.append(SkippedDiscrepancy(
                entry, "a sum of parts (parts are not compared with their total)"))
            continue
        for first, second in entry.pairs():
            a, b = found_id.get(first), found_id.get(second)
            separated: list[tuple[str, str]] = []
            if a is not None and b is not None and story[a] == story[b]:
                for finding in rows:
                    if finding["metric"] != entry.metric or str(finding["story"] or "") != story[a]:
                        continue
                    group_of = {str(i): n for n, group in enumerate(finding["groups"])
                                for i in group}
                    if a in group_of and b in group_of and group_of[a] != group_of[b]:
                        separated.append((str(finding["finding_id"]), str(finding["kind"])))
            checks.append(PairCheck(entry.metric, entry.type, (first, second), (a, b),
                                    tuple(separated), entry.line))
    return checks, skipped
