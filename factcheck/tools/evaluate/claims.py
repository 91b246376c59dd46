"""Claim scoring: found claims matched to gold claims, and how each was read.

Found claims matched to gold claims by report, metric, figure and place, and how each match was
read: its interval, source and date.

`score` counts matches, misses, spurious claims and out-of-scope figures taken as in scope;
`gold_interval` reads the gold's words with the rules' own lexicon, for the interval check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import regex
from rapidfuzz import fuzz

from ...extract.model import is_missing
from ...extract.numbers import NumberReader
from ...extract.patterns import words_alternation
from ...io.model import Document
from ...run.api import load_rules
from .gold import Gold, GoldClaim


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


def _float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def _value_matches(gold: GoldClaim, claim: Mapping[str, Any]) -> bool:
    value = _float(claim.get("value"))
    if gold.value is not None:
        return value is not None and abs(value - gold.value) < 1e-6
    if gold.low is not None or gold.high is not None:
        return _float(claim.get("low")) == gold.low and _float(claim.get("high")) == gold.high
    return value is None  # a vague count


@dataclass
class Match:
    gold: GoldClaim
    claim: Mapping[str, Any]


def found_field(claim: Mapping[str, Any], field_name: str) -> str | None:
    """A found claim's `attributed_to` or `claim_date` as text; None when it has none."""
    found = claim.get(field_name)
    return None if is_missing(found) else str(found)


def field_correct(match: Match, field_name: str) -> bool:
    """Whether a found claim's `attributed_to` (same source) or `claim_date` is the gold's."""
    found = found_field(match.claim, field_name)
    expected = getattr(match.gold, field_name)
    if field_name == "attributed_to":
        return same_source(expected, found)
    return found == expected


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
        return sum(field_correct(m, field_name) for m in self.matches) / len(self.matches)


def _doc_name(document: Document) -> str:
    return Path(document.path or document.doc).name


def gold_documents(documents: Iterable[Document], gold: Gold) -> dict[str, Document]:
    """The reports beside the gold file, by file name."""
    folder = gold.folder.resolve()
    return {_doc_name(d): d for d in documents
            if Path(d.path or d.doc).parent.resolve() == folder}


def score(documents: Sequence[Document], claims: pd.DataFrame, gold: Gold,
          metrics: Iterable[str]) -> Score:
    """Match extracted claims to gold claims by report, metric, figure and position.

    A found claim matches a gold claim when it is in the same report, its figure starts inside
    the gold quote, and metric and figure are the gold's. A found in-scope claim whose figure
    starts inside an out-of-scope quote counts as an out-of-scope figure taken, whatever its
    value: "9 policemen and 35 soldiers" is one out-of-scope entry of 44, read as two claims.
    """
    metrics = set(metrics)
    by_name = gold_documents(documents, gold)
    folder = gold.folder.resolve()
    rows = [r for r in claims.to_dict("records")
            if Path(str(r["doc"])).name in by_name
            and Path(str(r["doc"])).parent.resolve() == folder]
    starts = [offset_of(by_name[Path(str(r["doc"])).name].text, int(r["line"]), int(r["column"]))
              for r in rows]
    result = Score()
    taken: set[int] = set()

    def inside(g: GoldClaim, pool: Iterable[int]) -> list[int]:
        document = by_name.get(g.file)
        if document is None:
            return []
        spans = quote_spans(document.text, g.quote)
        return [i for i in pool if i not in taken and Path(str(rows[i]["doc"])).name == g.file
                and any(a <= starts[i] < b for a, b in spans)]

    def find(g: GoldClaim, pool: Iterable[int], check_metric: bool = True) -> int | None:
        for index in inside(g, pool):
            if (not check_metric or rows[index]["metric"] == g.metric) \
                    and _value_matches(g, rows[index]):
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
        for index in inside(g, in_scope_rows):
            taken.add(index)
            result.out_of_scope_taken.append(rows[index])
    counted = [i for i in in_scope_rows if rows[i]["metric"] in metrics]
    result.spurious = [rows[i] for i in counted if i not in taken]
    result.found_total = len(result.matches) + len(result.spurious) + len(
        result.out_of_scope_taken)
    for file, quote in gold.not_claims:
        spans = {name: quote_spans(d.text, quote) for name, d in by_name.items()
                 if not file or name == file}
        for index, row in enumerate(rows):
            name = Path(str(row["doc"])).name
            if any(a <= starts[index] < b for a, b in spans.get(name, ())):
                result.not_claims_taken.append(row)
    return result


def offset_of(text: str, line: int, column: int) -> int:
    position = 0
    for _ in range(line - 1):
        position = text.index("\n", position) + 1
    return position + column - 1


def line_at(text: str, offset: int) -> int:
    """The 1-based line of a character offset."""
    return text.count("\n", 0, offset) + 1


@dataclass(frozen=True)
class Interval:
    """The set of counts a figure stands for; None is unbounded on that side."""

    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool

    @classmethod
    def of(cls, low: float | None, high: float | None, low_inclusive: bool,
           high_inclusive: bool) -> Interval:
        # Inclusiveness of an unbounded side means nothing: drop it so equal sets compare equal.
        return cls(low, high, low_inclusive and low is not None,
                   high_inclusive and high is not None)

    def same(self, other: Interval) -> bool:
        def close(a: float | None, b: float | None) -> bool:
            if a is None or b is None:
                return a is b
            return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
        return (close(self.low, other.low) and close(self.high, other.high)
                and self.low_inclusive == other.low_inclusive
                and self.high_inclusive == other.high_inclusive)

    def __str__(self) -> str:
        def number(x: float) -> str:
            return f"{x:g}" if x != int(x) else f"{int(x):,}"
        if self.low is not None and self.low == self.high and self.low_inclusive \
                and self.high_inclusive:
            return number(self.low)
        left = ("[" if self.low_inclusive else "(") + (
            number(self.low) if self.low is not None else "−∞")
        right = (number(self.high) if self.high is not None else "∞") + (
            "]" if self.high_inclusive else ")")
        return f"{left}, {right}"


def claim_interval(claim: Mapping[str, Any]) -> Interval:
    """The interval a found claim stands for (`low`, `high` and their inclusiveness)."""
    return Interval.of(_float(claim.get("low")), _float(claim.get("high")),
                       bool(claim.get("low_inclusive")), bool(claim.get("high_inclusive")))


def written(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def gold_interval(gold: GoldClaim, numbers: NumberReader) -> Interval | None:
    """The interval the gold's figure stands for, read with the rules' own lexicon.

    A figure without a qualifier is exact ([v, v]) and a range is closed ([low, high]). A
    qualifier ("at least", "Almost", "or more") or a vague word ("dozens") is read by the
    number reader of the rules, as the extractor would read those words: the check is whether
    the extractor attached the right qualifier to the right figure, not whether the lexicon's
    readings are right (a newsroom sets those). None when the lexicon cannot read the gold's
    words; such a claim counts as read wrongly, since the extractor cannot read them either.
    """
    qualifier = " ".join((gold.qualifier or "").split())
    if gold.value is not None:
        if not qualifier:
            return Interval.of(gold.value, gold.value, True, True)
        figure = written(gold.value)
        for text in (f"{qualifier} {figure} people", f"{figure} {qualifier} people"):
            for mention in numbers.find(text):
                if mention.qualifier and mention.value == gold.value:
                    return Interval.of(mention.low, mention.high, mention.low_inclusive,
                                       mention.high_inclusive)
        return None
    if gold.low is not None or gold.high is not None:
        if not qualifier:
            return Interval.of(gold.low, gold.high, True, True)
        low, high = (written(x) if x is not None else "" for x in (gold.low, gold.high))
        for text in (f"{qualifier} {low} to {high} people", f"{qualifier} {low} and {high} people"):
            for mention in numbers.find(text):
                if mention.low == gold.low and mention.high == gold.high:
                    return Interval.of(mention.low, mention.high, mention.low_inclusive,
                                       mention.high_inclusive)
        return None
    vague = " ".join((gold.vague or "").split())
    for text in (f"{vague} of people", f"{vague} people"):
        mentions = [m for m in numbers.find(text) if m.kind == "vague"] if vague else []
        if len(mentions) == 1:
            m = mentions[0]
            return Interval.of(m.low, m.high, m.low_inclusive, m.high_inclusive)
    return None


@dataclass(frozen=True)
class IntervalCheck:
    """A matched claim's interval against the gold's reading of its figure."""

    match: Match
    expected: Interval | None  # None: the rules' lexicon cannot read the gold's words
    found: Interval

    @property
    def correct(self) -> bool:
        return self.expected is not None and self.expected.same(self.found)


def ratio(part: int, whole: int) -> float | None:
    """A share, or None when there is nothing to share (shown as `–`, JSON null)."""
    return round(part / whole, 4) if whole else None


def short_quote(text: Any, limit: int = 110) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def claim_where(claim: Mapping[str, Any]) -> str:
    """`file:line` of a found claim, the file named as in the gold (without its folder)."""
    return f"{Path(str(claim['doc'])).name}:{int(claim['line'])}"
