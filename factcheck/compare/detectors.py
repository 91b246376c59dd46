"""The finding-kind registry: every detector and its kinds, and a story's comparison.

Every detector and the kinds it finds, and the comparison of a story's claims that runs the
report-stage detectors in order.

A new kind of finding is a detector module (a `Detector` with its `detect` function) listed in
`DETECTORS`, a finding rule in `rules/findings.yaml`, and its cases in
`rules/findings.cases.yaml`; a finding rule may only name a kind listed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..ruleset.model import RuleSet
from . import draft, figures, named
from .model import REPORT, Detector, StoryFinding, number_findings

# In the order findings come: a story's figure findings before its named ones.
DETECTORS: tuple[Detector, ...] = (figures.DETECTOR, named.DETECTOR, draft.DETECTOR)
FINDING_KINDS = tuple(kind for detector in DETECTORS for kind in detector.kinds)
STORY_DETECTORS = tuple(detector for detector in DETECTORS if detector.stage == REPORT)


def kinds_of(stage: str) -> tuple[str, ...]:
    """The finding kinds the detectors of one stage (`model.REPORT`, `model.CHECK`) find."""
    return tuple(kind for d in DETECTORS if d.stage == stage for kind in d.kinds)


def relation(kind: str) -> str:
    """How each group of claims of a finding of `kind` relates to the group before it, as the
    report shows it ("↓ later"); "vs" when its detector says nothing."""
    for detector in DETECTORS:
        if kind in detector.relations:
            return detector.relations[kind]
    return "vs"


def story_findings(rows: Iterable[Mapping[str, Any]], rules: RuleSet
                   ) -> list[tuple[int, int, StoryFinding]]:
    """Every report-stage finding of a claims table's rows, in the order they are numbered:
    (the detector's place in `STORY_DETECTORS`, the row position of the first claim of the
    group compared, the finding). Ids are given by the caller."""
    rows = list(rows)
    return [(number, first, finding)
            for number, detector in enumerate(STORY_DETECTORS)
            for first, finding in detector.detect(rows, rules)]


def compare_claims(rows: Iterable[Mapping[str, Any]], rules: RuleSet) -> list[StoryFinding]:
    """The findings of a claims table, numbered f1, f2, …: its comparable claims compared
    within each story by every report-stage detector (figures, then named claims)."""
    return number_findings([finding for *_, finding in story_findings(rows, rules)])
