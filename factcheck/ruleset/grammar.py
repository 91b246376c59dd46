"""The grammar as validated data: metric lexicons and the shared constructions.

Each metric's lexicon of triggers (by kind), and grammar.yaml's constructions that compose
with every lexicon, checked when the rules load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..yamlio import line_of
from .schema import TEXTS, Schema, check_mapping

# A metric's triggers, by the part they play in a sentence (README: "The grammar").
LEXICON_KINDS = ("verbs", "intransitive", "states", "nouns", "actions", "counts")
MODALITIES = ("count", "estimate", "projection")  # the claims table's `modality`
BOUNDS = ("lower", "upper")
GAP = "*"  # in a lexicon phrase: where the object stands, or up to three words

LEXICON_SCHEMA: Schema = {kind: (TEXTS, False) for kind in LEXICON_KINDS}
CONSTRUCTION_SCHEMA: Schema = {
    "name": ((str,), True), "pattern": ((str,), True), "modality": ((str,), False),
    "bound": ((str,), False), "part": ((bool,), False), "prefer": ((bool,), False),
}


@dataclass(frozen=True)
class Construction:
    """A shared construction: a pattern written over the lexicon macros, and how it reads.

    `modality` fixes the claim's modality (else the modality words decide); `bound` makes the
    figure a floor or a ceiling ("passed the 400 mark"); `part` makes it a sub-count of the
    event ("among the dead were two teachers"); `prefer` lets it win over any other reading
    of the figure ("were injured and later died")."""

    name: str
    pattern: str
    line: int | None = None
    modality: str | None = None
    bound: str | None = None
    part: bool = False
    prefer: bool = False


def check_lexicon(data: Any, path: Path | str) -> dict[str, tuple[str, ...]]:
    """A metric's `lexicon:` mapping, checked: known kinds, lists of text, each phrase with
    at most two gaps and never only a gap."""
    checked = check_mapping(data, LEXICON_SCHEMA, path, "lexicon")
    lexicon: dict[str, tuple[str, ...]] = {}
    for kind, phrases in checked.items():
        for index, phrase in enumerate(phrases or ()):
            words = phrase.split()
            if not words or words == [GAP] or words.count(GAP) > 2:
                raise RuleError(f"lexicon {kind}: {phrase!r} must be words, with at most two "
                                f"'{GAP}'", path, line_of(phrases, index))
            if kind == "verbs" and words[0] == GAP:
                raise RuleError(f"lexicon verbs: {phrase!r} must start with its verb", path,
                                line_of(phrases, index))
        lexicon[kind] = tuple(" ".join(p.split()) for p in phrases or ())
    return lexicon


def read_constructions(grammar: Mapping[str, Any], path: Path | str
                       ) -> tuple[Construction, ...]:
    """grammar.yaml's `constructions`, checked: names unique, modality and bound known."""
    items = grammar.get("constructions") or []
    constructions: list[Construction] = []
    names: set[str] = set()
    for index, item in enumerate(items):
        where = f"constructions[{index}]"
        line = line_of(items, index)
        data = check_mapping(item, CONSTRUCTION_SCHEMA, path, where)
        if data["name"] in names:
            raise RuleError(f"{where}: a second construction named {data['name']!r}", path, line)
        names.add(data["name"])
        if data.get("modality") not in (None, *MODALITIES):
            raise RuleError(f"{where}: modality must be one of {', '.join(MODALITIES)}", path,
                            line_of(data, "modality"))
        if data.get("bound") not in (None, *BOUNDS):
            raise RuleError(f"{where}: bound must be one of {', '.join(BOUNDS)}", path,
                            line_of(data, "bound"))
        constructions.append(Construction(
            str(data["name"]), str(data["pattern"]), line, data.get("modality"),
            data.get("bound"), bool(data.get("part", False)), bool(data.get("prefer", False))))
    for kind in grammar.get("modality") or {}:
        if kind not in MODALITIES:
            raise RuleError(f"modality: {kind!r} is not one of {', '.join(MODALITIES)}", path,
                            line_of(grammar["modality"], kind))
    for side in grammar.get("projection_bounds") or {}:
        if side not in BOUNDS:
            raise RuleError(f"projection_bounds: {side!r} is not one of {', '.join(BOUNDS)}",
                            path, line_of(grammar["projection_bounds"], side))
    for verb, forms in (grammar.get("irregular_verbs") or {}).items():
        if not isinstance(forms, list) or not 1 <= len(forms) <= 3 or not all(
                isinstance(f, str) for f in forms):
            raise RuleError(f"irregular_verbs: {verb}: give [past, participle] (and optionally "
                            "the -ing form) as text", path,
                            line_of(grammar["irregular_verbs"], verb))
    lists = grammar.get("count_list")
    if lists is not None and set(lists) != {"item", "joint"}:
        raise RuleError("count_list needs exactly 'item' and 'joint' (patterns)", path,
                        line_of(grammar, "count_list"))
    return tuple(constructions)
