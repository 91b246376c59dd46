"""Measure the numbers stage against peer test data (Recognizers-Text and quantulum3).

Reads `../shared/peer-specs/{recognizers-text,quantulum3}.jsonl` (see the README there) and
prints, per peer and per case kind, how many relevant cases the reader passes. A case is one of:

- a count: `find` must return a mention overlapping the peer's span with the same reading
  (the same `value` for a number, the same bounds and inclusive flags for an interval);
- a non-count by design (percentages, measures, money, years, dates, phone numbers): `find`
  must return nothing overlapping the span, because factcheck counts only counts;
- skipped, with the reason printed.

Usage: python bench/peer_specs.py [--peer-specs DIR] [--rules rules/numbers.yaml] [--failures]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.numbers import NumberMention, NumberReader, load_number_reader  # noqa: E402

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
}
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|US\$|\bRs\.?)\s*\Z")
_CURRENCY_AFTER = re.compile(r"\s*(?:dollars?|euros?|yuan|pounds?|rupees?|yen)\b", re.I)
_UNIT_AFTER = re.compile(
    r"\s*-?\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|kg|mg|ml|km|miles?|"
    r"meters?|metres?)\b",
    re.I,
)
_CODE_TOKEN = re.compile(r"[\w+]*\d[\w+]*(?:[./:\-][\w+]+){2,}|[A-Za-z]+-\d+|\+\d[\d/-]+")


@dataclass(frozen=True)
class Case:
    """One peer expectation, classified for our reader."""

    line: dict
    verdict: str  # count | none | skip
    reason: str = ""
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


def report(
    reader: NumberReader, peer: str, lines: list[dict], show_failures: bool
) -> tuple[int, int]:
    cases = classify(lines)
    rows: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    skipped: Counter[str] = Counter()
    failures: list[str] = []
    for case in cases:
        if case.verdict == "skip":
            skipped[case.reason] += 1
            continue
        key = (case.line["kind"], "count" if case.verdict == "count" else f"none: {case.reason}")
        passed, exact, found = judge(reader, case)
        row = rows[key]
        row[0] += 1
        row[1] += passed
        row[2] += exact
        if not passed:
            got = "; ".join(_describe(m) for m in found) or "nothing"
            failures.append(
                f"  [{key[0]}/{key[1]}] {case.line['text'][:90]!r} span={case.line['span']!r} "
                f"expect={case.line['expect']} got {got}"
            )
    total = sum(r[0] for r in rows.values())
    passed = sum(r[1] for r in rows.values())
    print(
        f"\n{peer}: {len(lines)} lines, {total} measured, "
        f"{passed} passed ({passed / max(total, 1):.1%})"
    )
    print(f"  {'kind':<16} {'expectation':<82} {'passed/relevant':>15} {'span exact':>10}")
    for (kind, expectation), (n, ok, exact) in sorted(rows.items()):
        reason = expectation
        if expectation.startswith("none: "):
            reason = "nothing: " + NONE_REASONS[expectation[6:]]
        print(f"  {kind:<16} {reason:<82} {f'{ok}/{n}':>15} {exact:>10}")
    for reason, n in sorted(skipped.items()):
        print(f"  skipped {n:>3} lines: {SKIP_REASONS[reason]}")
    closed = sum(1 for c in cases if c.closed)
    if closed:
        print(
            f"  note: {closed} standard-mode half-open ranges with no closed twin "
            "are compared as closed"
        )
    if show_failures and failures:
        print("  failures:")
        print("\n".join(failures))
    return total, passed


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
    grand_total = grand_passed = 0
    for peer in PEERS:
        path = args.peer_specs / f"{peer}.jsonl"
        if not path.is_file():
            print(f"\n{peer}: {path} not found, skipped")
            continue
        total, passed = report(reader, peer, _read_jsonl(path), args.failures)
        grand_total += total
        grand_passed += passed
    print(
        f"\nall peers: {grand_passed}/{grand_total} passed "
        f"({grand_passed / max(grand_total, 1):.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
