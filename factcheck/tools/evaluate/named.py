"""Named scoring: found named claims matched to the gold's, and their values checked.

Found named claims (who, where, when) matched to the gold's, and whether the canonical value is
the one the alias tables give the gold's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ...extract.aliases import AliasTables
from ...extract.model import is_missing
from ...extract.named import ENTITY_TABLES
from ...io.model import Document
from ...ruleset.model import RuleSet
from .claims import (
    claim_where,
    gold_documents,
    offset_of,
    quote_spans,
    ratio,
    same_source,
    short_quote,
)
from .gold import Gold, GoldNamed


@dataclass
class NamedScore:
    """Named claims of one gold folder: matched, missed and spurious, and the canonical value
    checked where the gold's value is one name the alias tables know."""

    matches: list[tuple[GoldNamed, Mapping[str, Any]]] = field(default_factory=list)
    missed: list[GoldNamed] = field(default_factory=list)
    spurious: list[Mapping[str, Any]] = field(default_factory=list)
    value_checked: int = 0
    value_correct: int = 0
    not_scored: set[str] = field(default_factory=set)  # gold kinds factcheck does not read


def named_kind(claim: str, rules: RuleSet) -> tuple[str, str | None] | None:
    """The (kind, role) a gold `claim` names: `responsibility`, `attacker_nationality` (role
    and kind); None for a kind factcheck does not read (`cause`, `origin of the cargo`)."""
    kinds = rules.named_kinds()
    if claim in kinds:
        return claim, None
    role, _, kind = claim.partition("_")
    roles = {str(p.get("role")) for p in (rules.named["kinds"].get(kind) or {}).get(
        "patterns", []) if p.get("role")} if kind in kinds else set()
    return (kind, role) if role in roles else None


def score_named(documents: Sequence[Document], claims: pd.DataFrame, gold: Gold,
                rules: RuleSet) -> NamedScore:
    """Match found named claims to the gold's: same report, same kind and role, the name's
    position inside the gold quote. Only the kinds this gold file annotates are counted; a
    found claim inside a matched gold quote of its kind is part of that entry, not spurious."""
    result = NamedScore()
    by_name = gold_documents(documents, gold)
    keys: dict[str, tuple[str, str | None]] = {}
    for g in gold.named:
        key = named_kind(g.claim, rules)
        if key is None:
            result.not_scored.add(g.claim)
        else:
            keys[g.id or g.quote] = key
    if "kind" not in claims.columns:
        rows: list[dict[str, Any]] = []
    else:
        rows = [r for r in claims[claims["kind"] == "named"].to_dict("records")
                if r["in_scope"] and Path(str(r["doc"])).name in by_name]

    def key_of(row: Mapping[str, Any]) -> tuple[str, str | None]:
        return str(row["metric"]), None if is_missing(row.get("role")) else str(row["role"])

    rows = [r for r in rows if key_of(r) in set(keys.values())]
    starts = [offset_of(by_name[Path(str(r["doc"])).name].text, int(r["line"]),
                        int(r["column"])) for r in rows]
    taken: set[int] = set()
    aliases = AliasTables(rules.aliases)
    for g in gold.named:
        key = keys.get(g.id or g.quote)
        if key is None:
            continue
        document = by_name.get(g.file)
        spans = quote_spans(document.text, g.quote) if document else []
        inside = [i for i, r in enumerate(rows) if Path(str(r["doc"])).name == g.file
                  and key_of(r) == key and any(a <= starts[i] < b for a, b in spans)]
        fresh = [i for i in inside if i not in taken]
        if not fresh:
            result.missed.append(g)
            continue
        taken.update(inside)
        row = rows[fresh[0]]
        result.matches.append((g, row))
        tables = ENTITY_TABLES.get(str(rules.named["kinds"][key[0]]["entities"]))
        expected = aliases.lookup(g.value, tables) if g.value and tables else None
        if expected is not None:
            result.value_checked += 1
            result.value_correct += expected.name == row.get("entity")
    result.spurious = [r for i, r in enumerate(rows) if i not in taken]
    return result


def named_figures(scores: Sequence[NamedScore]) -> dict[str, Any]:
    """Named-claim recall, precision and canonical-value accuracy, from summed counts."""
    matches = [m for s in scores for m in s.matches]
    gold = len(matches) + sum(len(s.missed) for s in scores)
    found = len(matches) + sum(len(s.spurious) for s in scores)
    checked = sum(s.value_checked for s in scores)
    correct = sum(s.value_correct for s in scores)
    attributed = sum(same_source(g.attributed_to, None if is_missing(r.get("attributed_to"))
                                 else str(r["attributed_to"])) for g, r in matches)
    return {
        "gold_claims": gold, "extracted": found, "matched": len(matches),
        "recall": ratio(len(matches), gold), "precision": ratio(len(matches), found),
        "value_checked": checked, "value_correct": correct,
        "value_accuracy": ratio(correct, checked),
        "attribution_accuracy": ratio(attributed, len(matches)),
        "not_scored": sorted({k for s in scores for k in s.not_scored}),
        "missed": [f"{g.file} {g.id} {g.claim}: {short_quote(g.quote, 80)}"
                   for s in scores for g in s.missed],
        "spurious": [f"{claim_where(r)} {r['claim_id']} {r['metric']} "
                     f"{r.get('figure')} → {r.get('entity')}"
                     for s in scores for r in s.spurious],
    }
