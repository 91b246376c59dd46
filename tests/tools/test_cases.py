"""Runs the declarative cases shipped beside the rule files: text in, claims or findings out."""

from __future__ import annotations

from pathlib import Path

import pytest

import factcheck
from factcheck.extract.claims import ClaimReader
from factcheck.resources import shipped_rules_dir
from factcheck.tools.cases import (
    load_cases,
    load_check_cases,
    load_finding_cases,
    run_case,
    run_check_case,
    run_finding_case,
)

RULES_DIR = shipped_rules_dir()
CHECK_CASES = load_check_cases(RULES_DIR / "check.cases.yaml")
CASES = load_cases(RULES_DIR)
FINDING_CASES = load_finding_cases(RULES_DIR / "findings.cases.yaml")


@pytest.fixture(scope="module")
def reader(rules: factcheck.RuleSet) -> ClaimReader:
    return ClaimReader(rules)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_claim_case(case, reader: ClaimReader) -> None:
    problems = run_case(case, reader)
    assert not problems, f"{case.file}:{case.line}: " + "\n".join(problems)


@pytest.mark.parametrize("case", FINDING_CASES, ids=[c.id for c in FINDING_CASES])
def test_finding_case(case, rules: factcheck.RuleSet) -> None:
    problems = run_finding_case(case, rules)
    assert not problems, f"{case.file}:{case.line}: " + "\n".join(problems)


@pytest.mark.parametrize("case", CHECK_CASES, ids=[c.id for c in CHECK_CASES])
def test_check_case(case, rules: factcheck.RuleSet) -> None:
    problems = run_check_case(case, rules)
    assert not problems, f"{case.file}:{case.line}: " + "\n".join(problems)


def test_every_metric_has_cases(rules: factcheck.RuleSet) -> None:
    covered = {Path(c.file).name.removesuffix(".cases.yaml") for c in CASES}
    for metric in rules.metrics.values():
        assert Path(metric.source).stem in covered, f"{metric.source} has no cases file"
        cases_file = f"{Path(metric.source).stem}.cases.yaml"
        metric_cases = [c for c in CASES if Path(c.file).name == cases_file]
        assert any(e.get("metric") == metric.name for c in metric_cases for e in c.expected), (
            f"no case of {metric.source} expects a {metric.name} claim")


def test_every_finding_rule_kind_has_a_case(rules: factcheck.RuleSet) -> None:
    kinds = {e.get("kind") for c in [*FINDING_CASES, *CHECK_CASES] for e in c.expected}
    for rule in rules.finding_rules.values():
        assert rule.kind in kinds, f"{rule.code} ({rule.kind}) has no findings case"


def test_every_rule_says_what_it_does(rules: factcheck.RuleSet) -> None:
    # `rules show` and the README are only as good as these: none may be left empty.
    for rule in rules.finding_rules.values():
        assert rule.name and rule.description and rule.example and rule.message, rule.code
    for metric in rules.metrics.values():
        assert metric.description and metric.example, metric.name


def test_every_metric_example_gives_a_claim_of_its_metric(rules: factcheck.RuleSet) -> None:
    from factcheck.extract.claims import ClaimReader
    from factcheck.io.model import Document

    reader = ClaimReader(rules)
    for metric in rules.metrics.values():
        claims = reader.read(Document(doc="example", text=metric.example))
        assert metric.name in {c.metric for c in claims}, (
            f"{metric.source}: the example {metric.example!r} gives no {metric.name} claim")
