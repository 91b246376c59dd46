"""What rule files may say: the schema of each file and mapping, and the check that applies it."""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..yamlio import line_of

Schema = dict[str, tuple[tuple[type, ...], bool]]

# Schemas: key -> (expected type(s), required). Kept small and explicit so errors can say
# what was expected.
_STR, _BOOL, _NUM = (str,), (bool,), (int, float)
_LIST, _MAP = (list,), (dict,)


class _TextList(tuple):
    """Schema type of a list whose entries must all be text (words, patterns)."""


_TEXTS = _TextList((list,))
TEXTS = _TEXTS  # for the schemas of other modules: a list of text

METRIC_SCHEMA: Schema = {
    "metric": (_STR, True),
    "description": (_STR, True),
    "example": (_STR, True),
    "accumulates": (_BOOL, False),
    "tolerance": (_NUM, False),
    "keywords": (_TEXTS, False),
    "lexicon": (_MAP, False),
    "patterns": (_TEXTS, False),
    "conditional_patterns": (_TEXTS, False),
    "unless_report_mentions": (_STR, False),
    "enabled": (_BOOL, False),
}
FINDING_RULE_SCHEMA: Schema = {
    "code": (_STR, True),
    "name": (_STR, True),
    "kind": (_STR, True),
    "severity": (_STR, True),
    "description": (_STR, True),
    "example": (_STR, True),
    "message": (_STR, True),
    "enabled": (_BOOL, False),
}
# The fields a finding rule's message may name: what the comparisons fill in (compare/).
MESSAGE_FIELDS = ("metric", "chain", "sides", "stale", "latest", "figure", "scope",
                  "reference", "role")
FILE_SCHEMAS: dict[str, Schema] = {
    "grammar.yaml": {"macros": (_MAP, True), "people_nouns": (_TEXTS, True),
                     "person_nouns": (_TEXTS, True), "implicit_figures": (_LIST, True),
                     "figure": (_STR, True),
                     "part_patterns": (_TEXTS, True), "history_patterns": (_TEXTS, True),
                     "scope_patterns": (_TEXTS, True),
                     "enumerated_scope_patterns": (_TEXTS, True),
                     "breakdown_window_sentences": ((int,), True),
                     "max_quote_characters": ((int,), True),
                     "constructions": (_LIST, False), "irregular_verbs": (_MAP, False),
                     "function_words": (_TEXTS, False), "modality": (_MAP, False),
                     "modality_not_after": (_TEXTS, False),
                     "modality_not_before": ((str,), False),
                     "projection_bounds": (_MAP, False), "increment_patterns": (_TEXTS, False),
                     "count_list": (_MAP, False), "line_sentences": (_TEXTS, False),
                     "place_words": (_TEXTS, False), "country_words": (_TEXTS, False),
                     "country_look_back_characters": ((int,), False),
                     "anaphora_patterns": (_TEXTS, False),
                     "anaphora_window_sentences": ((int,), False),
                     "pattern_budget_seconds": (_NUM, False)},
    "dates.yaml": {"months": (_MAP, True), "weekdays": (_MAP, True), "day_parts": (_TEXTS, True),
                   "relative_days": (_MAP, True), "state_markers": (_TEXTS, True),
                   "lead_words": (_TEXTS, True), "possessive_endings": (_TEXTS, True),
                   "weekday_window_days": ((int,), True), "future_days": ((int,), True),
                   "years_after_stated": ((int,), True), "datelines": (_TEXTS, False),
                   "reported_clause": ((str,), False),
                   "reported_clause_characters": ((int,), False)},
    "attribution.yaml": {"speech_verbs": (_TEXTS, True), "speech_phrases": (_TEXTS, True),
                         "verb_auxiliaries": (_TEXTS, True), "lead_phrases": (_MAP, True),
                         "possessive_phrases": (_TEXTS, True), "boundaries": (_TEXTS, True),
                         "leading_fillers": (_TEXTS, True), "source_nouns": (_TEXTS, True),
                         "document_nouns": (_TEXTS, True), "pronouns": (_TEXTS, True),
                         "person_pronouns": (_TEXTS, True), "determiners": (_TEXTS, True),
                         "organisation_words": (_TEXTS, True),
                         "not_names": (_TEXTS, True), "not_source_endings": (_TEXTS, True),
                         "trailing_words": (_TEXTS, True), "max_source_words": ((int,), True),
                         "max_posted_source_words": ((int,), True)},
    "scope.yaml": {"other_period": (_MAP, True), "other_event": (_MAP, True),
                   "other_years": (_BOOL, True), "noise_lines": (_TEXTS, True)},
    "findings.yaml": {"compare": (_MAP, True), "rules": (_LIST, True)},
    "named.yaml": {"matching": (_MAP, True), "macros": (_MAP, True), "kinds": (_MAP, True),
                   "relative_clause": (_STR, True), "name_particles": (_TEXTS, False)},
}
# Named claims (named.yaml) and the alias tables they resolve names against (aliases/*.yaml).
ALIAS_TABLES = ("groups", "countries", "places")
NAMED_ENTITIES = (*ALIAS_TABLES, "names", "dates")
NAMED_STANCES = ("claimed", "blamed", "denied", "not_claimed")
MATCHING_SCHEMA: Schema = {
    "scorer": (_STR, True), "threshold": (_NUM, True), "min_length": ((int,), True),
    "tables": (_TEXTS, True),
}
NAMED_KIND_SCHEMA: Schema = {
    "description": (_STR, True), "example": (_STR, True), "entities": (_STR, True),
    "keywords": (_TEXTS, True), "patterns": (_LIST, True), "enabled": (_BOOL, False),
}
NAMED_PATTERN_SCHEMA: Schema = {
    "pattern": (_STR, True), "stance": (_STR, False), "role": (_STR, False),
}
ALIAS_ENTRY_SCHEMA: Schema = {
    "aliases": (_TEXTS, False), "demonyms": (_TEXTS, False), "places": (_TEXTS, False),
    "branch_of": (_STR, False), "description": (_STR, False),
}


def check_mapping(data: Any, schema: Mapping[str, tuple[tuple[type, ...], bool]],
                  path: Path | str, where: str = "") -> Mapping[str, Any]:
    """Check keys and value types of a rule-file mapping; raise RuleError naming the line."""
    label = f"{where}: " if where else ""
    if not isinstance(data, dict):
        raise RuleError(f"{label}expected a mapping of keys", path, line_of(data))
    for key, value in data.items():
        if key not in schema:
            allowed = ", ".join(schema)
            raise RuleError(f"{label}unknown key '{key}' (expected one of: {allowed})",
                            path, line_of(data, key))
        types, _ = schema[key]
        if (value is not None and not isinstance(value, types)) or (
                types == _NUM and isinstance(value, bool)):
            expected = " or ".join(t.__name__.replace("dict", "mapping").replace("str", "text")
                                   for t in types)
            raise RuleError(f"{label}'{key}' must be {expected}, not {type(value).__name__}",
                            path, line_of(data, key))
    for key, (_, required) in schema.items():
        if required and data.get(key) is None:
            raise RuleError(f"{label}missing required key '{key}'", path, line_of(data))
    for key, value in data.items():
        if isinstance(schema[key][0], _TextList) and isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    # YAML reads on, off, yes and no as true/false unless they are quoted
                    raise RuleError(f"{label}'{key}' entries must be text, not "
                                    f"{type(item).__name__} {item!r} (quote it: '{item}')",
                                    path, line_of(value, index))
    return data


def partial(schema: Mapping[str, tuple[tuple[type, ...], bool]]) -> Schema:
    """The same schema with every key optional: what an override may give."""
    return {key: (types, False) for key, (types, _) in schema.items()}




def check_message(template: str, path: Path | str, line: int | None, where: str = "") -> None:
    """A finding rule's message: only `{field}`s of `MESSAGE_FIELDS`, with no format spec or
    conversion (`{metric:>999999999}` would pad a message to gigabytes; `{0}` or `{nope}` has
    no value); else RuleError naming the line."""
    label = f"{where}: " if where else ""
    known = ", ".join(MESSAGE_FIELDS)
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:  # an unmatched brace: "{metric"
        raise RuleError(f"{label}message: {error} (write a literal brace as {{{{ or }}}})",
                        path, line) from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in MESSAGE_FIELDS:
            raise RuleError(f"{label}message: unknown field {{{field}}} (known: {known})",
                            path, line)
        if spec or conversion:
            raise RuleError(f"{label}message: {{{field}}} takes no format spec or conversion "
                            f"(write {{{field}}})", path, line)
