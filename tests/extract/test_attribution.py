"""Attribution frames: who a sentence says a figure comes from."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

import pytest

import factcheck
from factcheck.extract.attribution import AttributionReader, Frame, _bare, _word_pattern
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



def _walk_back(reader: AttributionReader, frame: Frame, history: list[Frame]) -> Frame:
    """The look-backs as they were: a walk back through every earlier frame (quadratic)."""
    words = frame.source.split()
    lowered = [_bare(w) for w in words]
    if len(words) == 1 and lowered[0] in reader._pronouns:
        frame = replace(frame, source="")
        for earlier in reversed(history):
            if lowered[0] in reader._person_pronouns and not reader._is_person(earlier.source):
                continue
            return replace(frame, source=earlier.source)
        return frame
    definite = lowered[0] in reader._determiners and not any(
        w[:1].isupper() for w in words[1:])
    if definite and lowered[-1] in reader._source_nouns:
        for earlier in reversed(history):
            if _word_pattern(lowered[-1]).search(earlier.source) \
                    and earlier.source.lower() != frame.source.lower():
                return replace(frame, source=earlier.source)
        return frame
    if len(words) == 1 and words[0][:1].isupper():
        for earlier in reversed(history):
            names = earlier.source.split()
            if len(names) > 1 and names[-1].strip(",.") == words[0]:
                return replace(frame, source=earlier.source)
    return frame


_SOURCES = ["Police", "the police", "county police", "Mahdi Bakhshi", "Prosecutor Mahdi Bakhshi",
            "the ministry", "Interior Ministry", "Anna Field", "officials", "he", "she", "Field",
            "Bakhshi", "the coroner", "the county coroner", "the agency", "the spokesman"]


def test_a_growing_history_resolves_as_a_walk_back_through_every_frame(
        reader: AttributionReader) -> None:
    """Sources looked up among the distinct earlier ones, kept as a report's history grows,
    give what a walk back through every earlier frame gave (random made-up histories)."""
    rng = random.Random(16)
    for _ in range(300):
        history: list[Frame] = []
        texts: list[str] = []
        for _ in range(rng.randint(1, 30)):
            frame = Frame(0, 1, rng.choice(_SOURCES))
            if history:
                resolved = reader.resolve(frame, history, texts)
                assert resolved == _walk_back(reader, frame, history), frame.source
                frame = resolved
            history.append(frame)
            texts.append("")


def test_a_long_report_of_many_frames_resolves_each_look_back(
        reader: AttributionReader) -> None:
    """20,000 frames of a few sources, every other one "the coroner" looked back for (with no
    earlier coroner). Its cost is measured by `bench/scale.py --only growth`, not here."""
    history: list[Frame] = []
    texts: list[str] = []
    for number in range(20_000):
        source = "the coroner" if number % 2 else ("officials" if number % 3 else "Police")
        history.append(reader.resolve(Frame(0, 1, source), history, texts))
        texts.append("")
    assert history[-1].source == "the coroner"
