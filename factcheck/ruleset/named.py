"""named.yaml, checked past its top-level keys: each kind, its patterns' stances and slots."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import RuleError
from ..yamlio import line_of
from .schema import (
    NAMED_ENTITIES,
    NAMED_KIND_SCHEMA,
    NAMED_PATTERN_SCHEMA,
    NAMED_STANCES,
    check_mapping,
)

# The slot macro a pattern must hold for the value of its kind's `entities`: where the name
# (or date) the claim is about stands in the sentence.
SLOT_FOR_ENTITIES = {"groups": "GROUP", "countries": "COUNTRY", "places": "PLACE",
                     "dates": "DATE", "names": "NAME"}


def check_named_rules(config: Mapping[str, Any], path: Path) -> None:
    """Check named.yaml past its top-level keys: each kind, each pattern's stance or role."""
    for name, kind in config["kinds"].items():
        where = f"kinds: {name}"
        check_mapping(kind, NAMED_KIND_SCHEMA, path, where)
        if kind["entities"] not in NAMED_ENTITIES:
            raise RuleError(f"{where}: entities must be one of {', '.join(NAMED_ENTITIES)}",
                            path, line_of(kind, "entities"))
        for index, item in enumerate(kind["patterns"]):
            line = line_of(kind["patterns"], index)
            check_mapping(item, NAMED_PATTERN_SCHEMA, path, f"{where}: patterns[{index}]")
            stance = item.get("stance")
            if stance is not None and stance not in NAMED_STANCES:
                raise RuleError(f"{where}: stance must be one of {', '.join(NAMED_STANCES)}",
                                path, line_of(item, "stance"))
            slot = "{" + SLOT_FOR_ENTITIES[kind["entities"]] + "}"
            if slot not in item["pattern"] and stance != "not_claimed":
                raise RuleError(f"{where}: pattern has no {slot} slot (only a 'not_claimed' "
                                "pattern may name nobody)", path, line)
    for key, value in config["macros"].items():
        if not isinstance(value, str):
            raise RuleError(f"macro {key} must be text", path, line_of(config["macros"], key))
