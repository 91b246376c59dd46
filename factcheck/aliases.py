"""Alias tables: the canonical group, country or place a name as written stands for."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
from rapidfuzz import fuzz, process

from .errors import RuleError
from .literals import fold, matches_at
from .rules import ALIAS_ENTRY_SCHEMA, ALIAS_TABLES, MATCHING_SCHEMA, check_mapping
from .yamlio import line_of, load_yaml_file

ALIAS_FOLDER = "aliases/"
# A spelling in capitals this short is an acronym: "IS" must not match the verb "is".
_ACRONYM_LENGTH = 5
# Runs of capitalised words (with the small words names carry): candidates for fuzzy matching.
_CAPITALISED = regex.compile(
    r"(?<![\w-])\p{Lu}[\p{L}’'-]*(?:\s+(?:(?:al|el|ul|of|the|and|wa|fi|bin)[\s-]+)?\p{Lu}[\p{L}’'-]*){0,5}")


@dataclass(frozen=True)
class Entity:
    """A canonical name and every other way reports write it."""

    name: str
    table: str  # groups | countries | places
    spellings: tuple[str, ...]  # the name itself, its aliases and (countries) demonyms
    parent: str | None = None  # a group's parent (`branch_of`), a place's country
    source: str = ""
    line: int | None = None


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

    def __init__(self, entities: Mapping[str, Entity], matching: Mapping[str, Any],
                 source: str = "named.yaml"):
        self.entities = dict(entities)
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
        scorer_name = str(matching.get("scorer", "ratio"))
        scorer = getattr(fuzz, scorer_name, None)
        if scorer_name.startswith("_") or not callable(scorer):
            raise RuleError(f"matching scorer {scorer_name!r} is not a rapidfuzz.fuzz scorer",
                            source, line_of(matching, "scorer"))
        self._scorer = scorer
        self.threshold = float(matching.get("threshold", 90))
        self._min_length = int(matching.get("min_length", 6))
        tables = set(matching.get("tables") or ())
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
        found: list[Mention] = []
        if self._exact is not None:
            for match in self._exact_matches(text, start, end):
                entity = self._exact_entity(match.group(0))
                if entity is not None:
                    found.append(Mention(match.start(), match.end(), match.group(0), entity))
        if self._fuzzy_choices:
            for match in _CAPITALISED.finditer(text, start, end):
                if any(m.start < match.end() and match.start() < m.end for m in found):
                    continue
                best = self._best_window(text, match.start(), match.group(0))
                if best is not None:
                    found.append(best)
        return sorted(found, key=lambda m: m.start)

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

    def lineage(self, name: str) -> list[str]:
        """The entity and its parents, nearest first ("IS-K" → its name, "Islamic State")."""
        chain: list[str] = []
        while name and name not in chain:
            chain.append(name)
            entity = self.entities.get(name)
            name = entity.parent if entity is not None else None
        return chain

    def related(self, a: str, b: str) -> bool:
        """Whether one names the other or a branch (or a place) of it."""
        return a in self.lineage(b) or b in self.lineage(a)

    def country_of(self, name: str) -> str | None:
        """The country a place or country lies in; None for a name no table places."""
        for link in self.lineage(name):
            entity = self.entities.get(link)
            if entity is not None and entity.table == "countries":
                return entity.name
        return None


def _is_acronym(spelling: str) -> bool:
    letters = spelling.replace("-", "").replace(".", "")
    return len(letters) <= _ACRONYM_LENGTH and letters.isupper()


def _is_acronym_of(entity: Entity, written: str) -> bool:
    """Whether a lower-case `written` only matches an acronym of the entity ("is" for IS)."""
    return any(_is_acronym(s) and s.casefold() == written.casefold() and s != written
               for s in entity.spellings)


def load_alias_tables(files: Sequence[tuple[str, Path]], matching: Mapping[str, Any],
                      matching_source: Path | str) -> AliasTables:
    """The alias tables of every `aliases/*.yaml` of the rules folders, in layering order.

    An entry replaces an entry of the same name from an earlier folder; a spelling given to two
    entries of one folder is an error naming both; a later folder may take a spelling over.
    """
    check_mapping(matching, MATCHING_SCHEMA, Path(matching_source), "matching")
    entities: dict[str, Entity] = {}
    # (table, spelling) → (entity, file, rules folder) that gave it
    owner: dict[tuple[str, str], tuple[str, Path, Path]] = {}
    for name, path in files:
        if not name.startswith(ALIAS_FOLDER):
            continue
        folder = path.parents[len(Path(name).parts) - 1]
        data = load_yaml_file(path)
        if not isinstance(data, dict) or not data:
            raise RuleError(f"an alias file must map one of {', '.join(ALIAS_TABLES[:2])} to "
                            "its entries", path, line_of(data))
        for table, entries in data.items():
            if table not in ALIAS_TABLES[:2]:
                raise RuleError(f"unknown alias table '{table}' (expected one of: "
                                f"{', '.join(ALIAS_TABLES[:2])})", path, line_of(data, table))
            if not isinstance(entries, dict):
                raise RuleError(f"'{table}' must map each canonical name to its spellings",
                                path, line_of(data, table))
            for canonical, entry in entries.items():
                line = line_of(entries, canonical)
                check_mapping(entry if entry is not None else {}, ALIAS_ENTRY_SCHEMA, path,
                              f"{table}: {canonical}")
                entry = entry or {}
                if table == "groups" and ("demonyms" in entry or "places" in entry):
                    raise RuleError(f"{canonical}: a group has no demonyms or places", path, line)
                if table == "countries" and "branch_of" in entry:
                    raise RuleError(f"{canonical}: a country is no branch; give it places",
                                    path, line)
                made = [Entity(str(canonical), table,
                               (str(canonical), *entry.get("aliases", ()),
                                *entry.get("demonyms", ())),
                               entry.get("branch_of"), str(path), line)]
                made += [Entity(str(place), "places", (str(place),), str(canonical), str(path),
                                line_of(entry["places"], index))
                         for index, place in enumerate(entry.get("places", ()))]
                for entity in made:
                    _drop(entities, owner, entity.name)
                    for spelling in entity.spellings:
                        key = (entity.table, spelling.casefold())
                        earlier = owner.get(key)
                        if earlier and earlier[0] != entity.name and earlier[2] == folder:
                            raise RuleError(f"'{spelling}' is also a spelling of "
                                            f"'{earlier[0]}' in {earlier[1]}", path, entity.line)
                        if earlier and earlier[0] in entities:  # a later folder takes it over
                            old = entities[earlier[0]]
                            entities[old.name] = Entity(
                                old.name, old.table,
                                tuple(s for s in old.spellings if s.casefold() != key[1]),
                                old.parent, old.source, old.line)
                        owner[key] = (entity.name, path, folder)
                    entities[entity.name] = entity
    for entity in entities.values():
        if entity.parent is not None and entity.parent not in entities:
            raise RuleError(f"{entity.name}: branch_of '{entity.parent}' is not in an alias "
                            "table", entity.source, entity.line)
    return AliasTables(entities, matching, str(matching_source))


def _drop(entities: dict[str, Entity], owner: dict[tuple[str, str], tuple[str, Path, Path]],
          name: str) -> None:
    """Forget an earlier entry of this name (a later folder's entry replaces it whole)."""
    old = entities.pop(name, None)
    if old is not None:
        for spelling in old.spellings:
            if owner.get((old.table, spelling.casefold()), ("",))[0] == name:
                del owner[(old.table, spelling.casefold())]
