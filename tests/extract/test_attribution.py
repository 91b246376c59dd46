"""Attribution frames: who a sentence says a figure comes from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

import factcheck
from factcheck.extract.attribution import AttributionReader, Frame
from factcheck.extract.dates import DateReader


@dataclass
class Span:
    start: int
    end: int
    headline: bool = False


@pytest.fixture(scope="module")
def reader(rules: factcheck.RuleSet) -> AttributionReader:
    return AttributionReader(rules.attribution, DateReader(rules.dates))


def frames_of(reader: AttributionReader, text: str, published: date | None = None) -> list[Frame]:
    dates = reader.dates.find(text)
    return reader.frames(text, Span(0, len(text)), dates, published, [])


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        ("Police said 4 people died.", ["Police"]),
        ("Anna Field, the region's governor, said 4 people died.",
         ["Anna Field, the region's governor"]),
        ("“We found them,” read the statement.", ["the statement"]),
        ("Citing hospital staff, the agency reported 9 dead.", ["hospital staff", "the agency"]),
        ("As it had been reported earlier, 9 people died.", []),
        ("She said that the road was closed and that police had detained many people.", ["She"]),
        ("# Beirut blast: 100 dead", []),
        ("# Health minister: 100 dead", ["Health minister"]),
    ],
)
def test_sources(reader: AttributionReader, text: str, sources: list[str]) -> None:
    span = Span(0, len(text), headline=text.startswith("#"))
    found = reader.frames(text, span, reader.dates.find(text), None, [])
    assert [f.source for f in found] == sources


def test_frame_date_after_the_verb(reader: AttributionReader) -> None:
    found = frames_of(reader, "The agency reported on March 3 that 5 died.", date(2023, 3, 5))
    assert found[0].date == date(2023, 3, 3)


def test_possessive_day_is_not_the_statement_date(reader: AttributionReader) -> None:
    found = frames_of(reader, "The ministry put Sunday's detentions at 100.", date(2020, 9, 7))
    assert found[0].date is None


def test_anaphora(reader: AttributionReader) -> None:
    earlier = Frame(0, 10, "Iran's Ministry of Intelligence", date=date(2024, 1, 5))
    history, texts = [earlier], ["The ministry released a statement."]
    for phrase in ("the ministry", "the statement"):
        resolved = reader.resolve(Frame(0, 5, phrase), history, texts)
        assert resolved.source == "Iran's Ministry of Intelligence"
    assert reader.resolve(Frame(0, 5, "the statement"), history, texts).date == date(2024, 1, 5)
    assert reader.resolve(Frame(0, 5, "he"), [], []).source == "he"
    assert reader.resolve(Frame(0, 5, "he"), history, texts).source == ""  # no person named
