"""The alias tables (aliases/*.yaml), checked: canonical names and their spellings.

Each canonical group, country and place with its other spellings, and how names are matched to
them (named.yaml's `matching`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..errors import RuleError
from ..yamlio import line_of, load_yaml_file
from .schema import ALIAS_ENTRY_SCHEMA, ALIAS_TABLES, MATCHING_SCHEMA, check_mapping

ALIAS_FOLDER = "aliases/"


@dataclass(frozen=True)
class Entity:
    """A canonical name and every other way reports write it."""

    name: str
    table: str  # groups | countries | places
    spellings: tuple[str, ...]  # the name itself, its aliases and (countries) demonyms
    parent: str | None = None  # a group's parent (`branch_of`), a place's country
    source: str = ""
    line: int | None = None


@dataclass(frozen=True, eq=False)
class Aliases:
    """Every entity of the alias tables by name, and the fuzzy-matching settings; how the
    entities relate (a branch of a group, a place in a country)."""

    entities: Mapping[str, Entity] = field(default_factory=dict)
    scorer: str = "ratio"  # a rapidfuzz.fuzz scorer, by name
    threshold: float = 90.0  # the least score a fuzzy match needs
    min_length: int = 6  # spellings shorter than this are matched exactly only
    fuzzy_tables: frozenset[str] = frozenset()  # the tables names are fuzzy-matched against

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


def load_aliases(files: Sequence[tuple[str, Path]], matching: Mapping[str, Any],
                 matching_source: Path | str) -> Aliases:
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
    scorer = str(matching.get("scorer", "ratio"))
    if scorer.startswith("_") or not callable(getattr(fuzz, scorer, None)):
        raise RuleError(f"matching scorer {scorer!r} is not a rapidfuzz.fuzz scorer",
                        str(matching_source), line_of(matching, "scorer"))
    return Aliases(entities, scorer, float(matching.get("threshold", 90)),
                   int(matching.get("min_length", 6)), frozenset(matching.get("tables") or ()))


def _drop(entities: dict[str, Entity], owner: dict[tuple[str, str], tuple[str, Path, Path]],
          name: str) -> None:
    """Forget an earlier entry of this name (a later folder's entry replaces it whole)."""
    old = entities.pop(name, None)
    if old is not None:
        for spelling in old.spellings:
            if owner.get((old.table, spelling.casefold()), ("",))[0] == name:
                del owner[(old.table, spelling.casefold())]
