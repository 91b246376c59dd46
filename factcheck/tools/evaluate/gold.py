"""Gold annotations: a `gold.yaml` read and checked, and the gold files under paths.

A `gold.yaml` beside the reports it annotates (format: the corpus README), read and checked,
and the gold files under a set of paths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from ...errors import InputError
from ...yamlio import line_of, load_yaml_file

DISCREPANCY_TYPES = ("update", "conflict", "compatible")


@dataclass(frozen=True)
class GoldClaim:
    """One annotated claim occurrence."""

    id: str
    file: str
    metric: str
    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None
    attributed_to: str | None
    claim_date: str | None
    quote: str
    part_of: float | None = None
    scope: str | None = None
    in_scope: bool = True
    vague: str | None = None  # the vague word ("dozens") of a count with no value
    line: int | None = None  # where the claim is in the gold file


@dataclass(frozen=True)
class GoldDiscrepancy:
    """One `discrepancies` entry: claims of one metric that update, conflict with or agree
    with one another."""

    metric: str
    type: str
    claims: tuple[str, ...]
    relation: str | None = None  # `sum`: the claims before the last are parts of the last
    line: int | None = None

    def pairs(self) -> list[tuple[str, str]]:
        """The pairs the entry states: each consecutive pair of an update (the ids are in time
        order), every pair of a conflict or of compatible figures."""
        if self.type == "update":
            return list(pairwise(self.claims))
        return list(combinations(self.claims, 2))


@dataclass
class Gold:
    """A gold file: claims, out-of-scope figures, numbers that are not claims, discrepancies."""

    folder: Path
    claims: list[GoldClaim]
    out_of_scope: list[GoldClaim]
    not_claims: list[tuple[str | None, str]]  # (file or None for any, quote)
    optional: list[GoldClaim] = field(default_factory=list)
    discrepancies: list[GoldDiscrepancy] = field(default_factory=list)
    path: Path | None = None
    named: list[GoldNamed] = field(default_factory=list)


@dataclass(frozen=True)
class GoldNamed:
    """One `named_claims` entry: a kind (`claim`), its value and the words it stands in."""

    id: str
    file: str
    claim: str  # responsibility, attacker_nationality, cause, …
    value: str | None
    quote: str
    attributed_to: str | None = None
    claim_date: str | None = None
    line: int | None = None


def _number(item: Mapping[str, Any], key: str, path: Path) -> float | None:
    value = item.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"`{key}` must be a number or null, got {value!r}", path,
                         line_of(item, key))
    return float(value)


def _text(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return None if value is None else str(value)


def _items(data: Mapping[str, Any], key: str, path: Path) -> list[Mapping[str, Any]]:
    """The entries of a list section; every entry must be a mapping."""
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise InputError(f"`{key}` must be a list", path, line_of(data, key))
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise InputError(f"each entry of `{key}` must be a mapping, got {item!r}", path,
                             line_of(items, index))
    return items


def _gold_claim(item: Mapping[str, Any], in_scope: bool, number: int, path: Path,
                section: str) -> GoldClaim:
    required = ("id", "file", "metric", "quote") if section == "claims" else ("file", "quote")
    for key in required:
        if not item.get(key):
            raise InputError(f"a `{section}` entry needs `{key}`", path, line_of(item))
    file = str(item["file"])
    if not (path.parent / file).is_file():
        raise InputError(f"`file: {file}` is not a report beside the gold file", path,
                         line_of(item, "file"))
    return GoldClaim(
        id=str(item.get("id", f"o{number}")), file=file,
        metric=str(item.get("metric", "")), value=_number(item, "value", path),
        low=_number(item, "low", path), high=_number(item, "high", path),
        qualifier=_text(item, "qualifier"), attributed_to=_text(item, "attributed_to"),
        claim_date=_text(item, "claim_date") if item.get("claim_date") else None,
        quote=str(item["quote"]), part_of=_number(item, "part_of", path),
        scope=_text(item, "scope"), in_scope=in_scope, vague=_text(item, "vague"),
        line=line_of(item),
    )


def _discrepancy(item: Mapping[str, Any], path: Path, claim_ids: set[str]) -> GoldDiscrepancy:
    metric, kind, ids = item.get("metric"), item.get("type"), item.get("claims")
    if not isinstance(metric, str) or not metric:
        raise InputError("a discrepancy needs a `metric`", path, line_of(item))
    if kind not in DISCREPANCY_TYPES:
        raise InputError(f"`type` must be one of {', '.join(DISCREPANCY_TYPES)}, got {kind!r}",
                         path, line_of(item, "type"))
    if not isinstance(ids, list) or len(ids) < 2:
        raise InputError("`claims` must list two or more claim ids", path,
                         line_of(item, "claims"))
    ids = [str(i) for i in ids]
    # Named claims (`named: …`) have ids of their own; every other entry names gold claims.
    unknown = [i for i in ids if i not in claim_ids]
    if unknown and not metric.startswith("named:"):
        raise InputError(f"`claims` names {unknown[0]}, which is not a gold claim id", path,
                         line_of(item, "claims"))
    return GoldDiscrepancy(metric, kind, tuple(ids), _text(item, "relation"), line_of(item))


def load_gold(path: Path) -> Gold:
    """Read a gold.yaml (format: corpus README); a malformed file raises `InputError` naming
    the file and line."""
    path = Path(path)
    data = load_yaml_file(path, error=InputError)
    if not isinstance(data, dict):
        raise InputError("a gold file must be a mapping", path, line_of(data))
    claims = [_gold_claim(c, True, n, path, "claims")
              for n, c in enumerate(_items(data, "claims", path))]
    seen: dict[str, GoldClaim] = {}
    for claim in claims:
        if claim.id in seen:
            raise InputError(f"claim id {claim.id} is used twice", path, claim.line)
        seen[claim.id] = claim
    out = [_gold_claim(c, False, n, path, "out_of_scope")
           for n, c in enumerate(_items(data, "out_of_scope", path)) if c.get("file")]
    optional = [_gold_claim(c, True, n, path, "optional")
                for n, c in enumerate(_items(data, "optional", path))]
    not_claims: list[tuple[str | None, str]] = []
    for item in data.get("not_claims") or []:
        not_claims.append((None, str(item)))
    for item in _items(data, "non_claim_numbers", path):
        not_claims.append((_text(item, "file"), str(item.get("quote"))))
    discrepancies = [_discrepancy(d, path, set(seen))
                     for d in _items(data, "discrepancies", path)]
    named = []
    for item in _items(data, "named_claims", path):
        for key in ("file", "claim", "quote"):
            if not item.get(key):
                raise InputError(f"a `named_claims` entry needs `{key}`", path, line_of(item))
        named.append(GoldNamed(
            str(item.get("id", "")), str(item["file"]), str(item["claim"]),
            _text(item, "value"), str(item["quote"]), _text(item, "attributed_to"),
            str(item["claim_date"]) if item.get("claim_date") else None, line_of(item)))
    return Gold(path.parent, claims, out, not_claims, optional, discrepancies, path, named)


def find_gold_files(paths: Sequence[str | Path]) -> list[Path]:
    """The gold files under `paths`: a gold.yaml given as a file, the gold.yaml of a folder,
    or, for a folder without one, the gold.yaml of every subfolder that has one (sorted)."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError("no such file or folder", path)
        if path.is_file():
            found.append(path)
            continue
        below = _gold_files_below(path)
        if not below:
            raise InputError("no gold.yaml in this folder or its subfolders", path)
        found.extend(below)
    return list(dict.fromkeys(found))  # a folder given twice is scored once


def _gold_files_below(folder: Path) -> list[Path]:
    if (folder / "gold.yaml").is_file():
        return [folder / "gold.yaml"]
    found: list[Path] = []
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.name.startswith("."):
            found.extend(_gold_files_below(child))
    return found
