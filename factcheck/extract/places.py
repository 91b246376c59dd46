"""Places: the country each claim is in, and a story's claims scoped by country.

A claim's clause may put it in a country ("89 killed in Zimbabwe"), or a section heading may
("ZIMBABWE"); a story that speaks of several countries has its claims scoped to them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import regex

from ..ruleset.aliases import Aliases
from .aliases import AliasTables
from .literals import fold
from .model import NUMERIC, Claim
from .patterns import compile_pattern, words_alternation

_LIST_JOINT = regex.compile(r"\s*(?:,|and|,\s*and)\s*")
_PLACE_TABLES = ("countries", "places")
_HEADING_WORDS = 4  # a section heading that is a place is this short at most


class PlaceReader:
    """Finds the places of claims through the alias tables (countries and their places)."""

    def __init__(self, tables: AliasTables, aliases: Aliases, place_words: Sequence[str],
                 source: str, country_words: Sequence[str] = (), look_back: int = 1500):
        self.tables = tables
        self.aliases = aliases
        self.look_back = look_back  # characters before "the country" where its country is
        words = words_alternation(place_words or ['in'])
        self._lead = compile_pattern(rf"\b(?:{words})\s+(?:the\s+)?$", source, None,
                                     key="place_words")
        self._the_country = compile_pattern(
            rf"\b(?:{words})\s+(?:{words_alternation(country_words)})\b", source, None,
            key="country_words") if country_words else None

    def named_before(self, text: str, start: int, end: int, floor: int = 0) -> str | None:
        """The country "in the country" stands for in text[start:end]: the last country the
        text names before those words (within a few paragraphs, not before `floor`)."""
        found = self._the_country.search(text, start, end) if self._the_country else None
        if found is None:
            return None
        at = found.start()
        for mention in reversed(self.tables.exact(text, max(floor, at - self.look_back), at)):
            if mention.entity.table in _PLACE_TABLES and (
                    country := self.aliases.country_of(mention.entity.name)) is not None:
                return country
        return None

    def of_clause(self, text: str, start: int, end: int) -> str | None:
        """The country text[start:end] puts a claim in ("in Zimbabwe", "in Kathmandu"), or
        the countries joined ("Mozambique, Zimbabwe and Malawi") when it names several;
        None when it names none after a place word."""
        countries: list[str] = []
        last_end = start
        for mention in self.tables.exact(text, start, end):
            if mention.entity.table not in _PLACE_TABLES:
                continue
            lead = self._lead.search(text, max(start, mention.start - 16), mention.start)
            listed = countries and _LIST_JOINT.fullmatch(text, last_end, mention.start)
            if not (lead or listed):
                continue
            country = self.aliases.country_of(mention.entity.name)
            if country is not None and country not in countries:
                countries.append(country)
            last_end = mention.end
        if len(countries) > 1:
            return f"{', '.join(countries[:-1])} and {countries[-1]}"
        return countries[0] if countries else None

    def heading(self, line: str) -> str | None:
        """The country a line names when the line is nothing but a place's name, as a
        section heading is ("ZIMBABWE", "## Malawi")."""
        words = line.strip(" #*_:").split()
        if not words or len(words) > _HEADING_WORDS:
            return None
        name = " ".join(words)
        entity = self.tables.lookup(name.title(), _PLACE_TABLES)
        if entity is None or fold(name) not in {fold(s) for s in entity.spellings}:
            return None
        return self.aliases.country_of(entity.name)

    def main_country(self, texts: Iterable[str]) -> str | None:
        """The country a story's reports name most (with its places): the event's own."""
        named: dict[str, int] = {}
        for text in texts:
            for mention in self.tables.exact(text):
                country = self.aliases.country_of(mention.entity.name)
                if country is not None:
                    named[country] = named.get(country, 0) + 1
        return max(named, key=named.__getitem__) if named else None


def place_scopes(places: Sequence[str | None], scopes: Sequence[str | None],
                 texts: Iterable[str], reader: PlaceReader) -> list[str | None]:
    """The scopes of a story's figures (given with their `places` and current `scopes`) once
    each is scoped to the country its clause puts it in, when the story puts them in two or
    more ("89 killed in Zimbabwe", "56 in Malawi"): figures of the country the story's reports
    (`texts`) name most stay unscoped, being the event's own; a figure already scoped keeps
    its scope."""
    if len({p for p, s in zip(places, scopes, strict=True) if p and s is None}) < 2:
        return list(scopes)
    main = reader.main_country(texts)
    return [place if place and scope is None and place != main else scope
            for place, scope in zip(places, scopes, strict=True)]


def scope_places(claims: Sequence[Claim], texts: Iterable[str], reader: PlaceReader) -> None:
    """`place_scopes` applied to a story's claims (their figures; named claims keep theirs)."""
    figures = [c for c in claims if c.kind == NUMERIC]
    scopes = place_scopes([c.place for c in figures], [c.scope for c in figures], texts,
                          reader)
    for claim, scope in zip(figures, scopes, strict=True):
        claim.scope = scope
