"""Big numbers: a figure past any plausible count (`max_count` in numbers.yaml) is a
diagnostic naming the report and line, never a claim with a rounded or truncated value; every
figure kept is an exact integer."""

from __future__ import annotations

import pytest

import factcheck
from factcheck.errors import RuleError
from factcheck.extract.claims import ClaimReader
from factcheck.io.model import Document
from factcheck.ruleset.numbers import read_number_lexicon
from factcheck.yamlio import load_yaml_file


@pytest.mark.parametrize("figure", [
    "999999999999999999999", "Nine hundred ninety nine quintillion", "12 quadrillion",
    "3 trillion", "20,000,000,000"])
def test_a_count_past_any_population_is_a_diagnostic_not_a_claim(
        rules: factcheck.RuleSet, figure: str) -> None:
    reader = ClaimReader(rules)
    text = f"Officials said 12 people were injured.\n{figure} people were killed, police said."
    claims = reader.read(Document(doc="r.txt", text=text, path="r.txt"))
    assert [(c.metric, c.value) for c in claims] == [("injured", 12)]
    assert [(p.path, p.line) for p in reader.problems] == [("r.txt", 2)]
    assert figure in reader.problems[0].message and "max_count" in reader.problems[0].message


@pytest.mark.parametrize("figure, value", [
    ("9,007,199,254", 9_007_199_254), ("Nine billion", 9_000_000_000),
    ("nine hundred ninety nine million", 999_000_000)])
def test_a_big_plausible_count_is_exact(rules: factcheck.RuleSet, figure: str,
                                         value: int) -> None:
    reader = ClaimReader(rules)
    claims = reader.read(Document(doc="r.txt", text=f"{figure} people were displaced.",
                                  path="r.txt"))
    assert [(c.value, c.low, c.high) for c in claims] == [(value, value, value)]
    assert all(float(c.value).is_integer() for c in claims) and not reader.problems


def test_max_count_must_be_a_positive_number(rules_dir) -> None:
    config = dict(load_yaml_file(rules_dir / "numbers.yaml"))
    assert read_number_lexicon(config).max_count == 10_000_000_000
    config["max_count"] = "lots"
    with pytest.raises(RuleError, match="max_count"):
        read_number_lexicon(config)
