"""Measure the numbers stage against peer test data (Recognizers-Text and quantulum3).

Reads `../shared/peer-specs/{recognizers-text,quantulum3}.jsonl` (see the README there) and
prints, per peer and per case kind, how many relevant cases the reader passes. A case is one of:

- a count: `find` must return a mention overlapping the peer's span with the same reading
  (the same `value` for a number, the same bounds and inclusive flags for an interval);
- a non-count by design (percentages, measures, money, years, dates, phone numbers, labels):
  `find` must return nothing overlapping the span, because factcheck counts only counts;
- skipped, with the reason printed.

Which of the three a case is depends only on the case (its kind, tags and the text around its
span), never on what the reader returns. `measure` is the importable core (tests/test_peer_specs.py
asserts floors with it); `main` prints its tables.

Usage: python bench/peer_specs.py [--peer-specs DIR] [--rules rules/numbers.yaml] [--failures]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.extract.numbers import NumberMention, NumberReader, load_number_reader  # noqa: E402

PEERS = ("recognizers-text", "quantulum3")

# Why whole groups of peer lines are not measured.
SKIP_REASONS = {
    "negative": "negative numbers: a count is never negative, and a leading '-' reads as a dash",
    "half_open_twin": "half-open [X,Y) standard range; its closed experimental twin is measured",
    "no_span": "the converter could not place the peer's span in the text",
}
# Why some lines expect nothing from us (the bench's own definitions, independent of the lexicon).
NONE_REASONS = {
    "percent": "percentages are not counts",
    "quantity": "a value with a unit (measure, money, duration) is not a count",
    "unit_range": "a range with a unit is a measure, not a count",
    "year_like": "years are not counts",
    "money": "money (currency symbol or word next to the figure) is not a count",
    "measure": "a duration or measure (unit word after the figure) is not a count",
    "code": "inside a date, IP address, phone number or code (5/17/2018, SCP-173)",
    "label": "a label naming an item, not a count (No. 5, nrs. 22,24, version two)",
}
# Why some lines the peer files under a non-count kind are measured as counts.
COUNT_REASONS = {
    "percent_base": "the figure after 'percent of' is the base of a percentage, a count",
}
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|US\$|\bRs\.?)\s*\Z")
_CURRENCY_AFTER = re.compile(r"\s*(?:dollars?|euros?|yuan|pounds?|rupees?|yen)\b", re.I)
_UNIT_AFTER = re.compile(
    r"\s*-?\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|kg|mg|ml|km|miles?|"
    r"meters?|metres?)\b",
    re.I,
)
_CODE_TOKEN = re.compile(r"[\w+]*\d[\w+]*(?:[./:\-][\w+]+){2,}|[A-Za-z]+-\d+|\+\d[\d/-]+")
# A label word right before the figure (or before the list it heads: "nrs. 22,24,26"). Like a code,
# the figure names an item; the peer reads it as a plain number because it reads every number.
_LABEL_BEFORE = re.compile(r"\b(?:(?:nos?|nrs?|nums?)\.|versions?)\s*(?:\d+\s*,\s*)*\Z", re.I)
# Recognizers-Text reads "percent of 10" and "per cent of twenty-two" as 10% and 22%. In English
# the percent word before "of" names a share of what follows, so the figure is a count (the
# base); the class is defined by the span opening with the percent word.
_PERCENT_FIRST = re.compile(r"(?:per\s*cents?|percents?|pct)\s+of\b", re.I)


@dataclass(frozen=True)
class Case:
    """One peer expectation, classified for our reader."""

    line: dict
    verdict: str  # count | none | skip
    reason: str = ""  # key of SKIP_REASONS, NONE_REASONS or COUNT_REASONS ("" for a plain count)
    closed: bool = False  # a half-open standard range compared as closed


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def _span(line: dict) -> tuple[int, int] | None:
    if line.get("start") is not None:
        return line["start"], line["end"]
    at = line["text"].find(line["span"])
    return (at, at + len(line["span"])) if at >= 0 else None


def _code_context(text: str, start: int, end: int) -> bool:
    return any(m.start() <= start and end <= m.end() for m in _CODE_TOKEN.finditer(text))


def classify(lines: list[dict]) -> list[Case]:
    """Decide, for each peer line, what our reader is expected to do."""
    experimental = {
        (x["text"], x["span"])
        for x in lines
        if x.get("variant") == "experimental" and x["kind"] == "range"
    }
    cases = []
    for line in lines:
        kind, tags, text, exp = line["kind"], set(line["tags"]), line["text"], line["expect"]
        span = _span(line)
        if "negative" in tags:
            cases.append(Case(line, "skip", "negative"))
        elif span is None:
            cases.append(Case(line, "skip", "no_span"))
        elif kind == "percent" and _PERCENT_FIRST.match(line["span"]):
            cases.append(Case(line, "count", "percent_base"))
        elif kind == "percent":
            cases.append(Case(line, "none", "percent"))
        elif kind == "quantity":
            cases.append(Case(line, "none", "quantity"))
        elif kind == "range" and line.get("unit"):
            cases.append(Case(line, "none", "unit_range"))
        elif "year_like" in tags:
            cases.append(Case(line, "none", "year_like"))
        elif _code_context(text, *span):
            cases.append(Case(line, "none", "code"))
        elif _LABEL_BEFORE.search(text, 0, span[0]):
            cases.append(Case(line, "none", "label"))
        elif _CURRENCY_BEFORE.search(text[: span[0]]) or _CURRENCY_AFTER.match(text, span[1]):
            cases.append(Case(line, "none", "money"))
        elif _UNIT_AFTER.match(text, span[1]):
            cases.append(Case(line, "none", "measure"))
        elif (
            kind == "range"
            and line.get("variant") == "standard"
            and exp["low_inclusive"]
            and not exp["high_inclusive"]
            and exp["high"] is not None
        ):
            if (text, line["span"]) in experimental:
                cases.append(Case(line, "skip", "half_open_twin"))
            else:
                cases.append(Case(line, "count", closed=True))
        else:
            cases.append(Case(line, "count"))
    return cases


def _overlaps(m: NumberMention, span: tuple[int, int]) -> bool:
    return m.start < span[1] and span[0] < m.end


def _same_reading(m: NumberMention, exp: dict, closed: bool) -> bool:
    if exp["value"] is not None:
        return m.value is not None and _close(m.value, exp["value"])
    high_inclusive = True if closed else exp["high_inclusive"]
    return (
        _close(m.low, exp["low"])
        and _close(m.high, exp["high"])
        and m.low_inclusive == exp["low_inclusive"]
        and m.high_inclusive == high_inclusive
    )


def judge(reader: NumberReader, case: Case) -> tuple[bool, bool, list[NumberMention]]:
    """(passed, span exact, mentions found) for one classified case."""
    line = case.line
    span = _span(line)
    assert span is not None
    found = [m for m in reader.find(line["text"]) if _overlaps(m, span)]
    if case.verdict == "none":
        return not found, not found, found
    hits = [m for m in found if _same_reading(m, line["expect"], case.closed)]
    exact = any((m.start, m.end) == span or (m.number_start, m.number_end) == span for m in hits)
    return bool(hits), exact, found


def _describe(m: NumberMention) -> str:
    low = "-inf" if m.low is None else f"{m.low:g}"
    high = "inf" if m.high is None else f"{m.high:g}"
    bracket = (
        ("[" if m.low_inclusive else "(") + f"{low},{high}" + ("]" if m.high_inclusive else ")")
    )
    return f"{m.text!r} {m.kind} value={m.value} {bracket}"


@dataclass
class PeerResult:
    """How the reader did on one peer's lines."""

    peer: str
    lines: int
    # (kind, expectation) -> [measured, passed, span exact]; expectation is "count",
    # "count: <reason>" or "none: <reason>"
    rows: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    closed: int = 0  # half-open standard ranges with no closed twin, compared as closed
    failures: list[str] = field(default_factory=list)

    @property
    def measured(self) -> int:
        return sum(row[0] for row in self.rows.values())

    @property
    def passed(self) -> int:
        return sum(row[1] for row in self.rows.values())

    @property
    def rate(self) -> float:
        return self.passed / max(self.measured, 1)


def measure(reader: NumberReader, peer: str, lines: list[dict]) -> PeerResult:
    """Classify and judge every line of one peer; nothing is printed."""
    cases = classify(lines)
    result = PeerResult(peer, len(lines), closed=sum(1 for c in cases if c.closed))
    for case in cases:
        if case.verdict == "skip":
            result.skipped[case.reason] += 1
            continue
        expectation = f"{case.verdict}: {case.reason}" if case.reason else case.verdict
        key = (case.line["kind"], expectation)
        passed, exact, found = judge(reader, case)
        row = result.rows.setdefault(key, [0, 0, 0])
        row[0] += 1
        row[1] += passed
        row[2] += exact
        if not passed:
            got = "; ".join(_describe(m) for m in found) or "nothing"
            result.failures.append(
                f"  [{key[0]}/{key[1]}] {case.line['text'][:90]!r} span={case.line['span']!r} "
                f"expect={case.line['expect']} got {got}"
            )
    return result


def measure_peers(reader: NumberReader, peer_specs: Path) -> dict[str, PeerResult]:
    """Measure every peer whose JSONL is in `peer_specs` (a missing file is left out)."""
    results = {}
    for peer in PEERS:
        path = peer_specs / f"{peer}.jsonl"
        if path.is_file():
            results[peer] = measure(reader, peer, _read_jsonl(path))
    return results


def report(result: PeerResult, show_failures: bool) -> None:
    print(
        f"\n{result.peer}: {result.lines} lines, {result.measured} measured, "
        f"{result.passed} passed ({result.rate:.1%})"
    )
    print(f"  {'kind':<16} {'expectation':<82} {'passed/relevant':>15} {'span exact':>10}")
    for (kind, expectation), (n, ok, exact) in sorted(result.rows.items()):
        verdict, _, reason = expectation.partition(": ")
        if verdict == "none":
            expectation = "nothing: " + NONE_REASONS[reason]
        elif reason:
            expectation = "count: " + COUNT_REASONS[reason]
        print(f"  {kind:<16} {expectation:<82} {f'{ok}/{n}':>15} {exact:>10}")
    for reason, n in sorted(result.skipped.items()):
        print(f"  skipped {n:>3} lines: {SKIP_REASONS[reason]}")
    if result.closed:
        print(
            f"  note: {result.closed} standard-mode half-open ranges with no closed twin "
            "are compared as closed"
        )
    if show_failures and result.failures:
        print("  failures:")
        print("\n".join(result.failures))


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(row) for row in handle if row.strip()]


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-specs", type=Path, default=REPO.parent / "shared" / "peer-specs")
    parser.add_argument("--rules", type=Path, default=REPO / "rules" / "numbers.yaml")
    parser.add_argument("--failures", action="store_true", help="list every failed case")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not args.peer_specs.is_dir():
        print(
            f"peer specs not found at {args.peer_specs}; nothing to measure "
            "(they live in ../shared/peer-specs beside the repository)"
        )
        return 0
    reader = load_number_reader(args.rules)
    results = measure_peers(reader, args.peer_specs)
    for peer in PEERS:
        if peer in results:
            report(results[peer], args.failures)
        else:
            print(f"\n{peer}: {args.peer_specs / f'{peer}.jsonl'} not found, skipped")
    grand_total = sum(r.measured for r in results.values())
    grand_passed = sum(r.passed for r in results.values())
    print(
        f"\nall peers: {grand_passed}/{grand_total} passed "
        f"({grand_passed / max(grand_total, 1):.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
