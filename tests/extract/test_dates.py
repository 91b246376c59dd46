"""Reading and resolving date expressions."""

from __future__ import annotations

from datetime import date

import pytest

import factcheck
from factcheck.extract.dates import DateReader, infer_years


@pytest.fixture(scope="module")
def reader(rules: factcheck.RuleSet) -> DateReader:
    return DateReader(rules.dates)


@pytest.mark.parametrize(
    ("text", "published", "years", "expected"),
    [
        ("reported on January 7 that", date(2024, 1, 11), [], date(2024, 1, 7)),
        ("on Friday (January 5) evening", None, [2024], date(2024, 1, 5)),
        ("said Thursday", date(2024, 1, 11), [], date(2024, 1, 11)),
        ("said on Tuesday", date(2024, 6, 7), [], date(2024, 6, 4)),
        ("said on Tuesday", None, [2024], None),  # a weekday needs a report date
        ("on 6 September", date(2020, 9, 7), [], date(2020, 9, 6)),
        ("on December 30", date(2024, 1, 2), [], date(2023, 12, 30)),
        ("on January 3, 2020", None, [], date(2020, 1, 3)),
        ("yesterday", date(2020, 8, 5), [], date(2020, 8, 4)),
        ("on March 3", None, [2019, 2020], None),  # two candidate years: unknown
    ],
)
def test_resolve(reader: DateReader, text: str, published: date | None, years: list[int],
                 expected: date | None) -> None:
    mentions = reader.find(text)
    assert mentions, text
    assert reader.resolve(mentions[0], published, years) == expected


def test_an_undated_story_takes_the_year_its_weekday_fixes(reader: DateReader) -> None:
    text = "In 2022 there was another attack. The ministry on Friday (January 5) said 11 people."
    assert infer_years(reader, [text]) == [2024]


def test_no_weekday_fixes_no_year(reader: DateReader) -> None:
    assert infer_years(reader, ["In 2022 a fire. On January 5 officials spoke."]) == []
