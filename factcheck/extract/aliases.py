"""Alias tables: the canonical group, country or place a name as written stands for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex
from rapidfuzz import fuzz, process

from ..ruleset.aliases import Aliases, Entity
from ..ruleset.schema import ALIAS_TABLES
from .literals import fold, matches_at

# A spelling in capitals this short is an acronym: "IS" must not match the verb "is".
_ACRONYM_LENGTH = 5
# Runs of capitalised words (with the small words names carry): candidates for fuzzy matching.
_CAPITALISED = regex.compile(
    r"(?<![\w-])\p{Lu}[\p{L}’'-]*(?:\s+(?:(?:al|el|ul|of|the|and|wa|fi|bin)[\s-]+)?\p{Lu}[\p{L}’'-]*){0,5}")


@dataclass(frozen=True)
class Mention:
    """A name found in a text and the entity it stands for (score 100: an exact spelling)."""

    start: int
    end: int
    text: str
    entity: Entity
    score: float = 100.0


_FUZZY_MEMORY = 100_000  # spellings remembered (then forgotten all at once)
_WORD = regex.compile(r"\S+")
# A word where a spelling may begin (as the exact pattern's own boundary has it), and a
# spelling's first word
_WORD_START = regex.compile(r"(?<![\w-])\w+")
_FIRST_WORD = regex.compile(r"\w+")


class AliasTables:
    """Every alias table, with exact and fuzzy lookup of names."""

    def __init__(self, aliases: Aliases) -> None:
        self.entities = dict(aliases.entities)
        self._by_spelling: dict[tuple[str, str], Entity] = {}  # (table, spelling) → entity
        acronyms: dict[str, Entity] = {}
        for entity in self.entities.values():
            for spelling in entity.spellings:
                if _is_acronym(spelling):
                    acronyms[spelling] = entity
                self._by_spelling[(entity.table, spelling.casefold())] = entity
        self._acronyms = acronyms
        spellings = sorted({s for e in self.entities.values() for s in e.spellings},
                           key=len, reverse=True)
        alternatives = [
            ("(?-i:" + regex.escape(s) + ")" if _is_acronym(s) else
             regex.escape(s).replace(r"\ ", r"\s+").replace("’", "['’]").replace("'", "['’]"))
            for s in spellings]
        self._exact = regex.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])",
                                    regex.IGNORECASE) if alternatives else None
        # Every match begins a word with the first word of a spelling: the pattern is tried
        # only there (None: some spelling begins otherwise, and the text is scanned whole).
        leading = [_FIRST_WORD.match(s) for s in spellings]
        self._first_words = {fold(m.group(0)) for m in leading if m} \
            if all(leading) else None
        self._scorer = getattr(fuzz, aliases.scorer)  # the rule set checked it is one
        self.threshold = aliases.threshold
        self._min_length = aliases.min_length
        tables = aliases.fuzzy_tables
        self._fuzzy_choices = {
            s.casefold(): e for e in self.entities.values() if e.table in tables
            for s in e.spellings if len(s) >= self._min_length}
        self._fuzzy_spellings = list(self._fuzzy_choices)
        self._fuzzy_seen: dict[str, tuple[Entity, float] | None] = {}
        # a capitalised run's best window, as (start, end, entity, score) within the run
        self._windows_seen: dict[str, tuple[int, int, Entity, float] | None] = {}

    def lookup(self, spelling: str, tables: Iterable[str] = ALIAS_TABLES) -> Entity | None:
        """The entity a whole spelling names, exactly or by fuzzy match; None when none."""
        text = " ".join(spelling.split())
        if text in self._acronyms and self._acronyms[text].table in tables:
            return self._acronyms[text]
        for table in tables:
            found = self._by_spelling.get((table, text.casefold()))
            if found is not None and not _is_acronym_of(found, text):
                return found
        fuzzy = self._fuzzy(text)
        return fuzzy[0] if fuzzy and fuzzy[0].table in tables else None

    def _fuzzy(self, text: str) -> tuple[Entity, float] | None:
        if len(text) < self._min_length or not self._fuzzy_choices:
            return None
        # Capitalised runs repeat across a corpus (names of places, people, titles): each
        # spelling is scored against the table once.
        if text not in self._fuzzy_seen:
            if len(self._fuzzy_seen) > _FUZZY_MEMORY:
                self._fuzzy_seen.clear()
            best = process.extractOne(text.casefold(), self._fuzzy_spellings,
                                      scorer=self._scorer, score_cutoff=self.threshold)
            self._fuzzy_seen[text] = (self._fuzzy_choices[best[0]], float(best[1])) \
                if best else None
        return self._fuzzy_seen[text]

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """The names of every table in text[start:end], in order: exact spellings, then runs of
        capitalised words close enough to a spelling of a fuzzy-matched table."""
        end = len(text) if end is None else end
        found = self.exact(text, start, end)
        if self._fuzzy_choices:
            for match in _CAPITALISED.finditer(text, start, end):
                if any(m.start < match.end() and match.start() < m.end for m in found):
                    continue
                best = self._best_window(text, match.start(), match.group(0))
                if best is not None:
                    found.append(best)
        return sorted(found, key=lambda m: m.start)

    def exact(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """The names of text[start:end] spelled exactly as a table has them, in order."""
        end = len(text) if end is None else end
        found: list[Mention] = []
        if self._exact is not None:
            for match in self._exact_matches(text, start, end):
                entity = self._exact_entity(match.group(0))
                if entity is not None:
                    found.append(Mention(match.start(), match.end(), match.group(0), entity))
        return found

    def _exact_matches(self, text: str, start: int, end: int) -> list[regex.Match]:
        """What `self._exact.finditer(text, start, end)` gives, trying the pattern only at the
        words that begin a spelling (a set lookup is much cheaper than the alternation)."""
        assert self._exact is not None
        if self._first_words is None:
            return list(self._exact.finditer(text, start, end))
        starts = [word.start() for word in _WORD_START.finditer(text, start, end)
                  if fold(word.group(0)) in self._first_words]
        return matches_at(self._exact, text, starts, pos=start, endpos=end)

    def _exact_entity(self, written: str) -> Entity | None:
        flat = " ".join(written.replace("’", "'").split())
        if flat in self._acronyms:
            return self._acronyms[flat]
        for table in ALIAS_TABLES:
            entity = self._by_spelling.get((table, flat.casefold())) or self._by_spelling.get(
                (table, " ".join(written.split()).casefold()))
            if entity is not None:
                return entity
        return None

    def _best_window(self, text: str, offset: int, run: str) -> Mention | None:
        """The best-scoring run of consecutive words in a capitalised run ("The Islamic
        States" → "Islamic States"), longer runs winning ties."""
        # The same runs (names of people, places, titles) recur across a corpus: each is
        # searched once.
        if run not in self._windows_seen:
            if len(self._windows_seen) > _FUZZY_MEMORY:
                self._windows_seen.clear()
            self._windows_seen[run] = self._search_windows(run)
        window = self._windows_seen[run]
        if window is None:
            return None
        a, b, entity, score = window
        return Mention(offset + a, offset + b, run[a:b], entity, score)

    def _search_windows(self, run: str) -> tuple[int, int, Entity, float] | None:
        words = [(m.start(), m.end()) for m in _WORD.finditer(run)]
        best: tuple[float, int, int, int, Entity] | None = None
        for i in range(len(words)):
            for j in range(i, len(words)):
                a, b = words[i][0], words[j][1]
                scored = self._fuzzy(run[a:b])
                if scored is None:
                    continue
                key = (scored[1], b - a)
                if best is None or key > best[:2]:
                    best = (*key, a, b, scored[0])
        if best is None:
            return None
        score, _, a, b, entity = best
        return a, b, entity, score

def _is_acronym(spelling: str) -> bool:
    letters = spelling.replace("-", "").replace(".", "")
    return len(letters) <= _ACRONYM_LENGTH and letters.isupper()


def _is_acronym_of(entity: Entity, written: str) -> bool:
    """Whether a lower-case `written` only matches an acronym of the entity ("is" for IS)."""
    return any(_is_acronym(s) and s.casefold() == written.casefold() and s != written
               for s in entity.spellings)
