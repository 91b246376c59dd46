"""The finding-kind registry: the kinds a finding rule may name are the detectors' kinds."""

from __future__ import annotations

import factcheck
from factcheck.compare.detectors import (
    DETECTORS,
    FINDING_KINDS,
    STORY_DETECTORS,
    compare_claims,
    kinds_of,
    relation,
    story_findings,
)
from factcheck.compare.model import CHECK, REPORT


def test_the_kinds_are_the_detectors_kinds_in_order() -> None:
    assert tuple(k for d in DETECTORS for k in d.kinds) == FINDING_KINDS
    assert len(set(FINDING_KINDS)) == len(FINDING_KINDS)  # a kind has one detector
    assert kinds_of(REPORT) + kinds_of(CHECK) == FINDING_KINDS
    assert all(d.stage == REPORT for d in STORY_DETECTORS)


def test_every_shipped_rule_names_a_detected_kind_and_every_kind_has_a_rule(
        rules: factcheck.RuleSet) -> None:
    assert {rule.kind for rule in rules.finding_rules.values()} == set(FINDING_KINDS)


def test_a_story_is_compared_detector_by_detector(rules: factcheck.RuleSet) -> None:
    rows = factcheck.extract_claims(None, rules).to_dict("records")
    found = story_findings(rows, rules)
    assert found and [number for number, _, _ in found] == sorted(n for n, _, _ in found)
    numbered = compare_claims(rows, rules)
    assert [f.finding_id for f in numbered] == [f"f{n}" for n in range(1, len(found) + 1)]
    assert [f.kind for f in numbered] == [finding.kind for _, _, finding in found]


def test_a_kind_says_how_its_groups_relate() -> None:
    assert relation("update") == "↓ later" and relation("responsibility") == "vs"
