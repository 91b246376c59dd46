"""Scoring against gold annotations (`gold.yaml` beside the reports), and against incident counts.

Two measurements, both pure functions of records (gold claims, claims and findings tables):

- `evaluate_gold`: a gold folder's claims found and missed, how each found claim was read
  (interval, source, date), out-of-scope figures taken as in scope, and whether the gold's
  discrepancy pairs come out of the findings. `factcheck eval` renders it.
- `score_incidents`: per incident, the largest killed and injured figure its articles state,
  against a reference count such as the Gun Violence Archive's (`bench/gva_eval.py`).

The gold format is described in the corpus README (`../shared/corpus/README.md`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pandas as pd
import regex
from rapidfuzz import fuzz

from .errors import InputError
from .extract.aliases import AliasTables
from .extract.model import is_missing
from .extract.named import ENTITY_TABLES
from .extract.numbers import NumberReader
from .extract.patterns import words_alternation
from .io.model import Document
from .ruleset.model import RuleSet
from .run.driver import load_rules
from .yamlio import line_of, load_yaml_file

DISCREPANCY_TYPES = ("update", "conflict", "compatible")
# Gold discrepancy types a finding should report: a pair of these is "found" when a finding
# puts its two claims in different groups. Compatible pairs are the ones that must not be split.
FLAGGED_TYPES = ("update", "conflict")


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


# --------------------------------------------------------------------------- the gold file


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


# --------------------------------------------------------------------------- matching


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


def _found_field(claim: Mapping[str, Any], field_name: str) -> str | None:
    found = claim.get(field_name)
    return None if is_missing(found) else str(found)


def field_correct(match: Match, field_name: str) -> bool:
    """Whether a found claim's `attributed_to` (same source) or `claim_date` is the gold's."""
    found = _found_field(match.claim, field_name)
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


# --------------------------------------------------------------------------- intervals


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


def _written(value: float) -> str:
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
        figure = _written(gold.value)
        for text in (f"{qualifier} {figure} people", f"{figure} {qualifier} people"):
            for mention in numbers.find(text):
                if mention.qualifier and mention.value == gold.value:
                    return Interval.of(mention.low, mention.high, mention.low_inclusive,
                                       mention.high_inclusive)
        return None
    if gold.low is not None or gold.high is not None:
        if not qualifier:
            return Interval.of(gold.low, gold.high, True, True)
        low, high = (_written(x) if x is not None else "" for x in (gold.low, gold.high))
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


# --------------------------------------------------------------------------- discrepancy pairs


@dataclass(frozen=True)
class PairCheck:
    """A pair of gold claims a discrepancy entry relates, and what the findings made of it."""

    metric: str
    type: str  # update | conflict | compatible
    gold_ids: tuple[str, str]
    claim_ids: tuple[str | None, str | None]  # the found claims matched to them (None: missed)
    # (finding id, kind) of every finding of the story and metric that puts the two found
    # claims in different groups
    separated_by: tuple[tuple[str, str], ...] = ()
    line: int | None = None

    @property
    def extracted(self) -> bool:
        return None not in self.claim_ids

    @property
    def found(self) -> bool:
        """An update or conflict pair some finding reports (claims in different groups)."""
        return bool(self.separated_by)

    @property
    def kind_matches(self) -> bool:
        """A finding that separates the pair has the gold's type as its kind."""
        return any(kind == self.type for _, kind in self.separated_by)

    @property
    def flagged_as_conflict(self) -> bool:
        """A compatible pair that a conflict finding puts in different groups."""
        return any(kind == "conflict" for _, kind in self.separated_by)


@dataclass(frozen=True)
class SkippedDiscrepancy:
    entry: GoldDiscrepancy
    reason: str


def check_pairs(gold: Gold, matches: Sequence[Match], findings: pd.DataFrame | Sequence[Mapping],
                metrics: Iterable[str]) -> tuple[list[PairCheck], list[SkippedDiscrepancy]]:
    """Each gold discrepancy pair against the findings.

    Gold claims are mapped to found claims through `matches`; a pair is separated by a finding
    of the same story and metric that has the two found claims in different groups (clusters of
    agreeing claims). Entries about metrics the rules do not extract ("other: crowd size",
    "named: cause") and sums of parts (`relation: sum`: parts are never compared with their
    total) are skipped and reported as such.
    """
    metrics = set(metrics)
    found_id = {m.gold.id: str(m.claim["claim_id"]) for m in matches}
    story = {str(m.claim["claim_id"]): str(m.claim.get("story") or "") for m in matches}
    rows = findings.to_dict("records") if isinstance(findings, pd.DataFrame) else list(findings)
    checks: list[PairCheck] = []
    skipped: list[SkippedDiscrepancy] = []
    for entry in gold.discrepancies:
        if entry.metric not in metrics:
            skipped.append(SkippedDiscrepancy(entry, "a metric the rules do not extract"))
            continue
        if entry.relation == "sum":
            skipped.append(SkippedDiscrepancy(
                entry, "a sum of parts (parts are not compared with their total)"))
            continue
        for first, second in entry.pairs():
            a, b = found_id.get(first), found_id.get(second)
            separated: list[tuple[str, str]] = []
            if a is not None and b is not None and story[a] == story[b]:
                for finding in rows:
                    if finding["metric"] != entry.metric or str(finding["story"] or "") != story[a]:
                        continue
                    group_of = {str(i): n for n, group in enumerate(finding["groups"])
                                for i in group}
                    if a in group_of and b in group_of and group_of[a] != group_of[b]:
                        separated.append((str(finding["finding_id"]), str(finding["kind"])))
            checks.append(PairCheck(entry.metric, entry.type, (first, second), (a, b),
                                    tuple(separated), entry.line))
    return checks, skipped


# --------------------------------------------------------------------------- named claims


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
        "recall": _ratio(len(matches), gold), "precision": _ratio(len(matches), found),
        "value_checked": checked, "value_correct": correct,
        "value_accuracy": _ratio(correct, checked),
        "attribution_accuracy": _ratio(attributed, len(matches)),
        "not_scored": sorted({k for s in scores for k in s.not_scored}),
        "missed": [f"{g.file} {g.id} {g.claim}: {_quote(g.quote, 80)}"
                   for s in scores for g in s.missed],
        "spurious": [f"{_claim_where(r)} {r['claim_id']} {r['metric']} "
                     f"{r.get('figure')} → {r.get('entity')}"
                     for s in scores for r in s.spurious],
    }


# --------------------------------------------------------------------------- one gold folder


@dataclass
class GoldEvaluation:
    """Everything measured on one gold folder."""

    name: str  # the gold folder as given
    gold: Gold
    score: Score
    intervals: list[IntervalCheck]
    pairs: list[PairCheck]
    skipped: list[SkippedDiscrepancy]
    documents: dict[str, Document]  # the reports beside the gold file, by file name
    problems: list[str] = field(default_factory=list)  # gold quotes not found in their report
    named: NamedScore | None = None


def evaluate_gold(name: str, gold: Gold, documents: Sequence[Document], claims: pd.DataFrame,
                  findings: pd.DataFrame, rules: RuleSet) -> GoldEvaluation:
    """Score the claims and findings of the reports of one gold folder."""
    named = score_named(documents, claims, gold, rules)
    if "kind" in claims.columns:
        claims = claims[claims["kind"] != "named"]
    result = score(documents, claims, gold, rules.metrics)
    by_name = gold_documents(documents, gold)
    numbers = NumberReader(rules.numbers)
    intervals = [IntervalCheck(m, gold_interval(m.gold, numbers), claim_interval(m.claim))
                 for m in result.matches]
    pairs, skipped = check_pairs(gold, result.matches, findings, rules.metrics)
    problems = []
    for g in [*gold.claims, *gold.out_of_scope]:
        document = by_name.get(g.file)
        if document is not None and not quote_spans(document.text, g.quote):
            problems.append(f"{gold.path}:{g.line}: quote not found in {g.file}: {g.quote!r}")
    return GoldEvaluation(name, gold, result, intervals, pairs, skipped, by_name, problems,
                          named)


# --------------------------------------------------------------------------- figures


def _ratio(part: int, whole: int) -> float | None:
    """A share, or None when there is nothing to share (shown as `–`, JSON null)."""
    return round(part / whole, 4) if whole else None


def evaluation_figures(evaluations: Sequence[GoldEvaluation]) -> dict[str, Any]:
    """The figures of one or more gold folders, from summed counts (not averaged ratios)."""
    matches = [m for e in evaluations for m in e.score.matches]
    missed = [g for e in evaluations for g in e.score.missed]
    spurious = [r for e in evaluations for r in e.score.spurious]
    out_taken = [r for e in evaluations for r in e.score.out_of_scope_taken]
    intervals = [c for e in evaluations for c in e.intervals]
    pairs = [p for e in evaluations for p in e.pairs]
    gold_total = sum(e.score.gold_total for e in evaluations)
    found_total = sum(e.score.found_total for e in evaluations)

    per_metric: dict[str, dict[str, Any]] = {}
    def count(metric: str, key: str) -> None:
        per_metric.setdefault(metric, {"gold": 0, "extracted": 0, "matched": 0})[key] += 1
    for m in matches:
        count(m.gold.metric, "gold")
        count(m.gold.metric, "extracted")
        count(m.gold.metric, "matched")
    for g in missed:
        count(g.metric, "gold")
    for row in [*spurious, *out_taken]:
        count(str(row["metric"]), "extracted")
    for counts in per_metric.values():
        counts["recall"] = _ratio(counts["matched"], counts["gold"])
        counts["precision"] = _ratio(counts["matched"], counts["extracted"])

    flagged_pairs = [p for p in pairs if p.type in FLAGGED_TYPES]
    compatible = [p for p in pairs if p.type == "compatible"]
    found = [p for p in flagged_pairs if p.found]
    attribution_correct = sum(field_correct(m, "attributed_to") for m in matches)
    date_correct = sum(field_correct(m, "claim_date") for m in matches)
    intervals_correct = sum(c.correct for c in intervals)
    flagged = sum(p.flagged_as_conflict for p in compatible)
    return {
        "gold_claims": gold_total,
        "extracted": found_total,
        "matched": len(matches),
        "recall": _ratio(len(matches), gold_total),
        "precision": _ratio(len(matches), found_total),
        "per_metric": dict(sorted(per_metric.items())),
        "interval_correct": intervals_correct,
        "interval_accuracy": _ratio(intervals_correct, len(intervals)),
        "attribution_correct": attribution_correct,
        "attribution_accuracy": _ratio(attribution_correct, len(matches)),
        "claim_date_correct": date_correct,
        "claim_date_accuracy": _ratio(date_correct, len(matches)),
        "out_of_scope_taken": len(out_taken),
        "out_of_scope_taken_claims": [
            {"where": _claim_where(r), "metric": r["metric"], "figure": _figure(r),
             "quote": " ".join(str(r["quote"]).split())} for r in out_taken],
        "named": named_figures([e.named for e in evaluations if e.named is not None]),
        "pairs": {
            "update_conflict": len(flagged_pairs),
            "found": len(found),
            "found_rate": _ratio(len(found), len(flagged_pairs)),
            "found_with_matching_kind": sum(p.kind_matches for p in found),
            "not_extracted": sum(not p.extracted for p in flagged_pairs),
            "compatible": len(compatible),
            "compatible_flagged_as_conflict": flagged,
            "compatible_flagged_rate": _ratio(flagged, len(compatible)),
            "compatible_split_by_any_finding": sum(p.found for p in compatible),
            "skipped_entries": sum(len(e.skipped) for e in evaluations),
        },
    }


def _quote(text: Any, limit: int = 110) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _figure(claim: Mapping[str, Any]) -> str:
    return " ".join(str(claim.get("figure") or "").split()) or "?"


def _gold_figure(gold: GoldClaim) -> str:
    if gold.value is not None:
        number = _written(gold.value)
        return f"{gold.qualifier} {number}" if gold.qualifier else number
    if gold.low is not None or gold.high is not None:
        return "–".join(_written(x) if x is not None else "?" for x in (gold.low, gold.high))
    return gold.vague or "?"


def _claim_where(claim: Mapping[str, Any]) -> str:
    """`file:line` of a found claim, the file named as in the gold (without its folder)."""
    return f"{Path(str(claim['doc'])).name}:{int(claim['line'])}"


def evaluation_details(evaluation: GoldEvaluation) -> list[dict[str, Any]]:
    """One record per thing gone wrong (`--verbose`): what, where (file:line), and the quote.

    `what` is one of: missed, spurious, out of scope taken, interval, attribution, date,
    pair not found, pair kind, compatible flagged, skipped entry.
    """
    details: list[dict[str, Any]] = []
    documents = evaluation.documents
    # Report files are named without their folder, as in a `file:` of the gold, and so is the
    # gold file: the gold folder heads the list.
    gold_file = Path(evaluation.gold.path or "gold.yaml").name

    def gold_where(g: GoldClaim) -> str:
        document = documents.get(g.file)
        spans = quote_spans(document.text, g.quote) if document else []
        return f"{g.file}:{line_at(document.text, spans[0][0])}" if spans else g.file

    def add(what: str, where: str, message: str, quote: Any) -> None:
        details.append({"what": what, "where": where, "message": message,
                        "quote": _quote(quote)})

    for g in evaluation.score.missed:
        add("missed", gold_where(g), f"{g.id} {g.metric} {_gold_figure(g)}", g.quote)
    for row in evaluation.score.spurious:
        add("spurious", _claim_where(row), f"{row['claim_id']} {row['metric']} {_figure(row)}",
            row["quote"])
    for row in evaluation.score.out_of_scope_taken:
        add("out of scope taken", _claim_where(row),
            f"{row['claim_id']} {row['metric']} {_figure(row)}", row["quote"])
    for check in evaluation.intervals:
        if not check.correct:
            g, claim = check.match.gold, check.match.claim
            expected = str(check.expected) if check.expected else (
                f"unreadable: the rules do not read {g.qualifier or g.vague!r}")
            add("interval", _claim_where(claim),
                f"{g.id} {_figure(claim)} read as {check.found}, gold {expected}", g.quote)
    for m in evaluation.score.matches:
        if not field_correct(m, "attributed_to"):
            add("attribution", _claim_where(m.claim),
                f"{m.gold.id} {_found_field(m.claim, 'attributed_to')!r}, "
                f"gold {m.gold.attributed_to!r}", m.gold.quote)
        if not field_correct(m, "claim_date"):
            add("date", _claim_where(m.claim),
                f"{m.gold.id} {_found_field(m.claim, 'claim_date') or 'unknown'}, "
                f"gold {m.gold.claim_date or 'unknown'}", m.gold.quote)
    gold_by_id = {g.id: g for g in evaluation.gold.claims}
    for pair in evaluation.pairs:
        first, second = (gold_by_id[i] for i in pair.gold_ids)
        names = f"{pair.type} {pair.metric} {pair.gold_ids[0]}→{pair.gold_ids[1]}"
        figures = f"{_gold_figure(first)} / {_gold_figure(second)}"
        where = f"{gold_file}:{pair.line}"
        if pair.type in FLAGGED_TYPES and not pair.found:
            why = "not extracted" if not pair.extracted else "not separated by any finding"
            add("pair not found", where, f"{names} ({figures}): {why}",
                f"{first.quote} / {second.quote}")
        elif pair.type in FLAGGED_TYPES and not pair.kind_matches:
            kinds = ", ".join(f"{f} {k}" for f, k in pair.separated_by)
            add("pair kind", where, f"{names} ({figures}): found as {kinds}",
                f"{first.quote} / {second.quote}")
        elif pair.type == "compatible" and pair.found:
            kinds = ", ".join(f"{f} {k}" for f, k in pair.separated_by)
            what = "compatible flagged" if pair.flagged_as_conflict else "compatible split"
            add(what, where, f"{names} ({figures}): {kinds}", f"{first.quote} / {second.quote}")
    for skipped in evaluation.skipped:
        entry = skipped.entry
        add("skipped entry", f"{gold_file}:{entry.line}",
            f"{entry.type} {entry.metric} {', '.join(entry.claims)}: {skipped.reason}", "")
    return details


@dataclass
class Evaluation:
    """The gold folders of one `factcheck eval` run, and the reports that could not be read."""

    golds: list[GoldEvaluation]
    problems: list[Any] = field(default_factory=list)  # skipped reports (`errors.Problem`)

    def figures(self) -> dict[str, Any]:
        """The figures over every gold folder together."""
        return evaluation_figures(self.golds)

    def to_dict(self, details: bool = True) -> dict[str, Any]:
        """Every figure, per gold folder and in total, as one JSON-ready document."""
        folders = []
        for evaluation in self.golds:
            entry = {"gold": evaluation.name, **evaluation_figures([evaluation])}
            if details:
                entry["details"] = evaluation_details(evaluation)
            entry["gold_problems"] = evaluation.problems
            folders.append(entry)
        return {"golds": folders, "total": self.figures(),
                "skipped_reports": [str(p) for p in self.problems]}

    def summary(self) -> pd.DataFrame:
        """One row per gold folder and a `total` row: the headline figures, for a notebook."""
        rows = []
        named = [(e.name, [e]) for e in self.golds] + [("total", self.golds)]
        for name, evaluations in named:
            figures = evaluation_figures(evaluations)
            pairs = figures["pairs"]
            rows.append({
                "gold": name, "recall": figures["recall"], "precision": figures["precision"],
                "interval_accuracy": figures["interval_accuracy"],
                "attribution_accuracy": figures["attribution_accuracy"],
                "claim_date_accuracy": figures["claim_date_accuracy"],
                "out_of_scope_taken": figures["out_of_scope_taken"],
                "pairs_found": pairs["found"], "pairs_total": pairs["update_conflict"],
                "compatible_flagged": pairs["compatible_flagged_as_conflict"],
                "compatible_total": pairs["compatible"],
            })
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------- incident counts

INCIDENT_METRICS = ("killed", "injured")


def incident_predictions(claims: pd.DataFrame, incident_column: str = "story") -> pd.DataFrame:
    """Per incident and metric (killed, injured): the largest in-scope figure its claims state.

    The figure of a claim is its `value`: the number as stated, so "at least 3" and "more than
    3" give 3, the conservative end of what they allow. Claims with no value, vague words
    ("dozens") and ranges ("15 to 20"), are left out: they state no single count, and so are
    figures an article gives as superseded history ("police first said seven"). Sub-counts
    ("including 2 children") are kept: they never exceed their total, and are the best figure
    left when the total was missed. Columns: incident, metric, predicted, claim_id, quote, doc.
    """
    columns = ["incident", "metric", "predicted", "claim_id", "quote", "doc"]
    if claims.empty:
        return pd.DataFrame(columns=columns)
    usable = claims[claims["in_scope"].astype(bool) & claims["metric"].isin(INCIDENT_METRICS)
                    & claims["value"].notna()]
    if "superseded" in usable:  # history the article itself corrects is not its count
        usable = usable[~usable["superseded"].fillna(False).astype(bool)]
    # The first claim stating the largest figure stands for the incident (stable order).
    best = (usable.assign(incident=usable[incident_column].astype(str))
            .sort_values(["incident", "metric", "value"], ascending=[True, True, False],
                         kind="stable")
            .drop_duplicates(["incident", "metric"]))
    return best.rename(columns={"value": "predicted"})[columns].reset_index(drop=True)


@dataclass
class IncidentScore:
    """Predicted killed/injured per incident against the reference counts.

    `incidents` has one row per reference incident: `incident_id`, `killed`, `injured` (the
    reference), `predicted_killed`, `predicted_injured` (0 when no claim states one), and the
    claim behind each prediction (`killed_claim_id`, `killed_quote`, `killed_doc`, and the same
    for injured; empty when the prediction is 0 for want of a claim).
    """

    incidents: pd.DataFrame

    def exact_rate(self, metric: str) -> float:
        frame = self.incidents
        return float((frame[f"predicted_{metric}"] == frame[metric]).mean()) if len(frame) else 0.0

    @property
    def killed_exact(self) -> float:
        return self.exact_rate("killed")

    @property
    def injured_exact(self) -> float:
        return self.exact_rate("injured")

    @property
    def over_count(self) -> float:
        """The share of incidents where either predicted figure exceeds the reference."""
        frame = self.incidents
        if not len(frame):
            return 0.0
        over = (frame["predicted_killed"] > frame["killed"]) | (
            frame["predicted_injured"] > frame["injured"])
        return float(over.mean())

    def error_classes(self) -> pd.DataFrame:
        """Incidents per metric and outcome: exact; under-count with no figure found, or with a
        lower one; over-count where the reference is 0, or above a non-zero reference."""
        rows = []
        for metric in INCIDENT_METRICS:
            truth = self.incidents[metric]
            predicted = self.incidents[f"predicted_{metric}"]
            classes = {
                "exact": predicted == truth,
                "under-count: no figure found": (predicted == 0) & (truth > 0),
                "under-count: lower figure": (predicted > 0) & (predicted < truth),
                "over-count: reference is 0": (predicted > 0) & (truth == 0),
                "over-count: higher figure": (predicted > truth) & (truth > 0),
            }
            for name, mask in classes.items():
                rows.append({"metric": metric, "outcome": name, "incidents": int(mask.sum()),
                             "share": round(float(mask.mean()), 4) if len(mask) else 0.0})
        return pd.DataFrame(rows)

    def worst(self, count: int) -> pd.DataFrame:
        """The `count` incidents furthest from the reference (killed and injured errors added)."""
        frame = self.incidents.assign(
            error=(self.incidents["predicted_killed"] - self.incidents["killed"]).abs()
            + (self.incidents["predicted_injured"] - self.incidents["injured"]).abs())
        frame = frame[frame["error"] > 0]
        return frame.sort_values(["error", "incident_id"], ascending=[False, True],
                                 kind="stable").head(count)

    def figures(self) -> dict[str, Any]:
        return {"incidents": len(self.incidents),
                "killed_exact": round(self.killed_exact, 4),
                "injured_exact": round(self.injured_exact, 4),
                "over_count": round(self.over_count, 4)}


def score_incidents(claims: pd.DataFrame, incidents: pd.DataFrame,
                    incident_column: str = "story") -> IncidentScore:
    """Score the claims of incident reports against reference killed/injured counts.

    `claims` is a claims table whose `incident_column` holds each claim's incident id (read a
    corpus with `group_by="incident_id"` and it is `story`); `incidents` has `incident_id`,
    `killed` and `injured`. Every reference incident is scored, with 0 predicted where its
    reports state no figure (see `incident_predictions` for how a figure is chosen).
    """
    for column in ("incident_id", *INCIDENT_METRICS):
        if column not in incidents.columns:
            raise ValueError(f"the incidents table needs a {column!r} column")
    frame = incidents.assign(incident_id=incidents["incident_id"].astype(str)).reset_index(
        drop=True)
    predictions = incident_predictions(claims, incident_column)
    for metric in INCIDENT_METRICS:
        chosen = predictions[predictions["metric"] == metric].set_index("incident")
        ids = frame["incident_id"]
        frame[f"predicted_{metric}"] = ids.map(chosen["predicted"]).fillna(0).astype(float)
        for key in ("claim_id", "quote", "doc"):
            frame[f"{metric}_{key}"] = ids.map(chosen[key])
        frame[metric] = frame[metric].astype(float)
    return IncidentScore(frame)
