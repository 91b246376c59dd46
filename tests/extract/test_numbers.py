"""Tests of the numbers stage: the declarative cases in tests/cases/numbers.yaml, and invariants."""

from __future__ import annotations

import copy
import math
import random
import re
from pathlib import Path
from typing import Any

import pytest

from factcheck.errors import RuleError
from factcheck.extract.numbers import KINDS, NumberMention, NumberReader, load_number_reader
from factcheck.yamlio import load_yaml_file, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "rules" / "numbers.yaml"
CASES = Path(__file__).resolve().parents[1] / "cases" / "numbers.yaml"
_INTERVAL = re.compile(r"\s*([\[(])\s*(-?inf|[-\d.e+]+)\s*,\s*(-?inf|[-\d.e+]+)\s*([\])])\s*")


@pytest.fixture(scope="module")
def reader() -> NumberReader:
    return load_number_reader(RULES)


def _cases() -> list[Any]:
    cases = load_yaml_file(CASES)
    return [pytest.param(case, id=f"numbers_{case['id']}") for case in cases]


def parse_interval(text: str) -> tuple[float | None, float | None, bool, bool]:
    """Read "[84, inf)" as (84, None, True, False)."""
    match = _INTERVAL.fullmatch(text)
    if not match:
        raise ValueError(f"not an interval: {text!r}")
    left, low, high, right = match.groups()
    low_value = None if low.endswith("inf") else float(low)
    high_value = None if high.endswith("inf") else float(high)
    return (
        low_value,
        high_value,
        left == "[" and low_value is not None,
        right == "]" and high_value is not None,
    )


def _check(mention: NumberMention, expected: dict[str, Any]) -> None:
    for key, want in expected.items():
        if key == "interval":
            low, high, low_inc, high_inc = parse_interval(want)
            got = (mention.low, mention.high, mention.low_inclusive, mention.high_inclusive)
            assert got[2:] == (low_inc, high_inc), f"interval {want}: got {got}"
            for g, w in ((mention.low, low), (mention.high, high)):
                assert (g is None and w is None) or (
                    g is not None and w is not None and math.isclose(g, w, rel_tol=1e-9)
                ), f"interval {want}: got {got}"
        elif key in ("value", "low", "high") and want is not None:
            got_value = getattr(mention, key)
            assert got_value is not None and math.isclose(got_value, want, rel_tol=1e-9), (
                f"{key}: want {want}, got {got_value}"
            )
        else:
            assert getattr(mention, key) == (str(want) if key == "text" else want), (
                f"{key}: want {want!r}, got {getattr(mention, key)!r}"
            )


@pytest.mark.parametrize("case", _cases())
def test_case(reader: NumberReader, case: dict[str, Any]) -> None:
    mentions = reader.find(case["text"])
    expected = case["mentions"]
    assert len(mentions) == len(expected), f"got {[m.text for m in mentions]}"
    for mention, want in zip(mentions, expected, strict=True):
        _check(mention, want)


def test_every_case_has_an_id_and_text() -> None:
    cases = load_yaml_file(CASES)
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert all(isinstance(c["text"], str) and isinstance(c["mentions"], list) for c in cases)


def test_spans_point_at_the_text(reader: NumberReader) -> None:
    text = "At least 84 died, about 100 or so were hurt and between 30 and 40 are missing."
    for m in reader.find(text):
        assert text[m.start : m.end] == m.text
        assert m.start <= m.number_start < m.number_end <= m.end
        assert m.kind in KINDS


def test_find_respects_start_and_end(reader: NumberReader) -> None:
    text = "12 dead. At least 84 hurt. 9 missing."
    mentions = reader.find(text, 9, 26)
    assert [m.text for m in mentions] == ["At least 84"]
    assert text[mentions[0].start : mentions[0].end] == "At least 84"


def test_band_comes_from_the_config() -> None:
    config = load_yaml_file(RULES)
    config["band"] = 0.2
    reader = NumberReader.from_config(config, str(RULES))
    (m,) = reader.find("about 100 people")
    assert (m.low, m.high) == (80, 120)


def test_readings_come_from_the_config() -> None:
    config = copy.deepcopy(load_yaml_file(RULES))
    config["qualifiers"]["at_least"]["before"].append("a good")
    (m,) = NumberReader.from_config(config).find("a good 50 people")
    assert (m.kind, m.low, m.qualifier) == ("lower", 50, "a good")


def test_random_text_never_raises(reader: NumberReader) -> None:
    rng = random.Random(20240111)
    words = [
        "at",
        "least",
        "over",
        "about",
        "some",
        "nearly",
        "between",
        "and",
        "to",
        "or",
        "from",
        "dozens",
        "of",
        "a",
        "half",
        "quarter",
        "million",
        "bn",
        "k",
        "m",
        "84",
        "2,500",
        "1.5",
        "2020",
        "-",
        "–",
        ",",
        ".",
        "(",
        ")",
        "$",
        "€",
        "%",
        "11",
        "p.m.",
        "January",
        "3",
        "one",
        "two",
        "hundred",
        "thousand",
        "lakh",
        "crore",
        "twenty-three",
        "+",
        "plus",
        "so",
        "more",
        "fewer",
        "than",
        "up",
        "as",
        "many",
        "people",
        "killed",
    ]
    alphabet = "0123456789 ,.-–+$%()kKmMbB'’/:abcdefghijklmnopqrstuvwxyz\n"
    for _ in range(400):
        if rng.random() < 0.5:
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        else:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        mentions = reader.find(text)
        assert mentions == reader.find(text)  # deterministic
        previous_end = 0
        for m in mentions:
            assert text[m.start : m.end] == m.text
            assert m.start >= previous_end  # in order, non-overlapping
            previous_end = m.end
            if m.low is not None and m.high is not None:
                assert m.low <= m.high


def test_seed_reports_read_cleanly(reader: NumberReader) -> None:
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for m in reader.find(text):
            assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    ("yaml_text", "message", "line"),
    [
        ("band: 2\n", "`band` must be a number in [0, 1)", 1),
        ("readings:\n  at_least: {kind: sideways}\n", "`kind` must be exact", 2),
        ("readings:\n  at_least:\n    kind: lower\n    low: v*2\n", "`low` must be one of", 4),
        ("qualifiers:\n  mostly: {before: [mostly]}\n", "names no reading", 2),
        ("vague:\n  dozens: {high: 3}\n", "needs at least `low`", 2),
        ("blocked:\n  broken: '(['\n", "bad regular expression", 2),
        ("surprise: 1\n", "unknown key `surprise`", 1),
        (
            "inclusive_after:\n  words: [or equal]\n  turns: {more_than: nonsense}\n",
            "must map a reading to a reading",
            3,
        ),
    ],
)
def test_malformed_config_names_the_line(yaml_text: str, message: str, line: int) -> None:
    good = RULES.read_text(encoding="utf-8")
    key = yaml_text.split(":", 1)[0]
    # Replace (or add) the top-level key with the broken text, keeping the rest of the file.
    kept = re.sub(rf"(?ms)^{key}:.*?(?=^\S|\Z)", "", good)
    broken = yaml_text + kept
    config = parse_yaml(broken, "numbers.yaml")
    with pytest.raises(RuleError) as caught:
        NumberReader.from_config(config, "numbers.yaml")
    assert message in caught.value.message
    assert caught.value.path == "numbers.yaml"
    assert caught.value.line == line


def test_config_must_be_a_mapping() -> None:
    with pytest.raises(RuleError):
        NumberReader.from_config([], "numbers.yaml")  # type: ignore[arg-type]
