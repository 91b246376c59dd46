"""Scoring against gold annotations (`gold.yaml` beside the reports): claims found and missed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import regex
from rapidfuzz import fuzz

from .documents import Document
from .errors import InputError
from .rules import load_rules, words_alternation
from .yamlio import load_yaml_file


@cache
def _attribution_noise() -> regex.Pattern:
    """Words of an attribution phrase that do not name the source ("according to", "said"),
    taken from the shipped attribution rules so gold phrases are read as the extractor reads."""
    config = load_rules().attribution
    words = {w for phrase in [*config["lead_phrases"], *config["possessive_phrases"]]
             for w in phrase.split()}
    words |= {*config["speech_verbs"], *config["determiners"], *config["not_names"],
              *config["not_source_endings"], *config["verb_auxiliaries"]}
    return regex.compile(rf"\b(?:{words_alternation(words)})\b|[’':,.]|\bs\b",
                         regex.IGNORECASE)


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


@dataclass
class Gold:
    """A gold file: claims, out-of-scope figures and numbers that are not claims."""

    folder: Path
    claims: list[GoldClaim]
    out_of_scope: list[GoldClaim]
    not_claims: list[tuple[str | None, str]]  # (file or None for any, quote)
    optional: list[GoldClaim] = field(default_factory=list)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _gold_claim(item: Mapping[str, Any], in_scope: bool, number: int) -> GoldClaim:
    low, high = _number(item.get("low")), _number(item.get("high"))
    value = _number(item.get("value"))
    return GoldClaim(
        id=str(item.get("id", f"o{number}")), file=str(item["file"]),
        metric=str(item.get("metric", "")), value=value, low=low, high=high,
        qualifier=item.get("qualifier"), attributed_to=item.get("attributed_to"),
        claim_date=str(item["claim_date"]) if item.get("claim_date") else None,
        quote=str(item.get("quote", "")), part_of=_number(item.get("part_of")),
        scope=item.get("scope"), in_scope=in_scope,
    )


def load_gold(path: Path) -> Gold:
    """Read a gold.yaml (format: corpus README); both `files:` lists and `documents:` maps."""
    data = load_yaml_file(path, error=InputError)
    if not isinstance(data, dict):
        raise InputError("a gold file must be a mapping", path)
    claims = [_gold_claim(c, True, n) for n, c in enumerate(data.get("claims") or [])]
    out = [_gold_claim(c, False, n) for n, c in enumerate(data.get("out_of_scope") or [])
           if c.get("file")]
    optional = [_gold_claim(c, True, n) for n, c in enumerate(data.get("optional") or [])]
    not_claims: list[tuple[str | None, str]] = []
    for item in data.get("not_claims") or []:
        not_claims.append((None, str(item)))
    for item in data.get("non_claim_numbers") or []:
        not_claims.append((str(item.get("file")), str(item.get("quote"))))
    return Gold(path.parent, claims, out, not_claims, optional)


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where a (whitespace-normalised) quote stands in a text."""
    words = quote.split()
    if not words:
        return []
    pattern = r"\s+".join(regex.escape(w) for w in words)
    return [(m.start(), m.end()) for m in regex.finditer(pattern, text)]


def same_source(expected: str | None, found: str | None) -> bool:
    """Whether two attribution phrases name the same source ("officials said" ~ "officials")."""
    if expected is None or found is None:
        return expected is None and found is None
    noise = _attribution_noise()
    a = " ".join(noise.sub(" ", expected).split()).lower()
    b = " ".join(noise.sub(" ", found).split()).lower()
    if not a or not b:
        return a == b
    return fuzz.token_set_ratio(a, b) >= 80 or fuzz.partial_ratio(a, b) >= 90


def _value_matches(gold: GoldClaim, claim: Mapping[str, Any]) -> bool:
    value = claim.get("value")
    value = None if pd.isna(value) else float(value)
    if gold.value is not None:
        return value is not None and abs(value - gold.value) < 1e-6
    if gold.low is not None or gold.high is not None:
        return claim.get("low") == gold.low and claim.get("high") == gold.high
    return value is None  # a vague count


@dataclass
class Match:
    gold: GoldClaim
    claim: Mapping[str, Any]


@dataclass
class Score:
    """Counts and the matched pairs; ratios are properties."""

    gold_total: int = 0
    found_total: int = 0
    matches: list[Match] = field(default_factory=list)
    missed: list[GoldClaim] = field(default_factory=list)
    spurious: list[Mapping[str, Any]] = field(default_factory=list)
    out_of_scope_taken: list[Mapping[str, Any]] = field(default_factory=list)
    not_claims_taken: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return len(self.matches) / self.gold_total if self.gold_total else 1.0

    @property
    def precision(self) -> float:
        return len(self.matches) / self.found_total if self.found_total else 1.0

    def accuracy(self, field_name: str) -> float:
        if not self.matches:
            return 1.0
        good = 0
        for match in self.matches:
            found = match.claim.get(field_name)
            found = None if found is None or (not isinstance(found, str) and pd.isna(found)) \
                else found
            expected = getattr(match.gold, field_name)
            if field_name == "attributed_to":
                good += same_source(expected, found)
            else:
                good += (str(found) if found is not None else None) == expected
        return good / len(self.matches)


def score(documents: Sequence[Document], claims: pd.DataFrame, gold: Gold,
          metrics: Iterable[str]) -> Score:
    """Match extracted claims to gold claims by report, metric, figure and position."""
    metrics = set(metrics)
    by_name = {Path(d.path or d.doc).name: d for d in documents
               if Path(d.path or d.doc).parent.resolve() == gold.folder.resolve()}
    rows = [r for r in claims.to_dict("records")
            if Path(str(r["doc"])).name in by_name
            and Path(str(r["doc"])).parent.resolve() == gold.folder.resolve()]
    result = Score()
    taken: set[int] = set()

    def find(g: GoldClaim, pool: Iterable[int], check_metric: bool = True) -> int | None:
        document = by_name.get(g.file)
        if document is None:
            return None
        spans = quote_spans(document.text, g.quote)
        for index in pool:
            row = rows[index]
            if Path(str(row["doc"])).name != g.file or index in taken:
                continue
            start = offset_of(document.text, int(row["line"]), int(row["column"]))
            if not any(a <= start < b for a, b in spans):
                continue
            if check_metric and row["metric"] != g.metric:
                continue
            if _value_matches(g, row):
                return index
        return None

    in_scope_rows = [i for i, r in enumerate(rows) if r["in_scope"]]
    for g in gold.claims:
        if g.metric not in metrics:
            continue
        result.gold_total += 1
        index = find(g, in_scope_rows)
        if index is None:
            result.missed.append(g)
        else:
            taken.add(index)
            result.matches.append(Match(g, rows[index]))
    for g in [*gold.optional, *gold.claims]:
        index = find(g, in_scope_rows, check_metric=False)
        if index is not None:
            taken.add(index)  # a figure the gold lists under another metric is not spurious
    for g in gold.out_of_scope:
        index = find(g, in_scope_rows, check_metric=False)
        if index is not None:
            taken.add(index)
            result.out_of_scope_taken.append(rows[index])
    counted = [i for i in in_scope_rows if rows[i]["metric"] in metrics]
    result.spurious = [rows[i] for i in counted if i not in taken]
    result.found_total = len(result.matches) + len(result.spurious) + len(
        result.out_of_scope_taken)
    for file, quote in gold.not_claims:
        spans = {name: quote_spans(d.text, quote) for name, d in by_name.items()
                 if not file or name == file}
        for row in rows:
            name = Path(str(row["doc"])).name
            start = offset_of(by_name[name].text, int(row["line"]), int(row["column"]))
            if any(a <= start < b for a, b in spans.get(name, ())):
                result.not_claims_taken.append(row)
    return result


def offset_of(text: str, line: int, column: int) -> int:
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position + column - 1
