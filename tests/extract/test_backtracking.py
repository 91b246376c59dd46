"""The static check for patterns that backtrack without end: what it refuses and lets by."""

from __future__ import annotations

import pytest
import regex

from factcheck.extract.backtracking import catastrophic


@pytest.mark.parametrize("pattern", [
    r"(a+)+$", r"(.*)*x", r"(a|a)*$", r"(\w+\s?)+$", r"(x\w+)+y", r"((?:ab)+)+c",
    r"(?:\d+,?)+;", r"(?:a+|b)+c", r"(?:\w+ ?){0,30}!", r"(?i:(A+a)+)$",
])
def test_nested_repetitions_that_match_alike_are_refused(pattern: str) -> None:
    assert catastrophic(regex.compile(pattern, regex.IGNORECASE | regex.VERSION0))


@pytest.mark.parametrize("pattern", [
    r"(\w+\s)+", r"(?:\s+\w+)*", r"(?:[^,]+,)*", r"\d+\d+x", r"(?:\w+\W+){0,6}",
    r"(?:a|b)+", r"(?>a+)+b", r"(?:\p{L}+\s)+", r"\b(?:one|two|three)\b",
])
def test_repetitions_that_match_one_way_pass(pattern: str) -> None:
    assert catastrophic(regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)) is None


def test_no_shipped_pattern_backtracks_without_end(monkeypatch: pytest.MonkeyPatch) -> None:
    # A run skips the check for the shipped rule files (it costs time at every start): this
    # test is what makes that safe. Every pattern the shipped rules compile is checked here.
    from factcheck.extract import claims, patterns
    from factcheck.run.driver import load_rules

    checked: list[str] = []

    def check(pattern: regex.Pattern) -> str | None:
        checked.append(pattern.pattern)
        return catastrophic(pattern)

    monkeypatch.setattr(patterns, "_shipped", lambda path: False)
    monkeypatch.setattr(patterns, "catastrophic", check)
    claims.ClaimReader(load_rules())
    assert len(checked) > 100
