"""Findings as records, and the pieces comparisons are made of.

A story's finding (`StoryFinding`), a claim's comparable figure (`Figure`), clusters of figures
that agree (`Cluster`, `agree`), a finding's message, and the `Detector` every comparison
declares itself with.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..extract.model import is_missing

FINDING_COLUMNS = ["finding_id", "story", "rule", "rule_name", "severity", "kind", "metric",
                   "scope", "message", "claim_ids", "groups"]
REPORT = "report"  # a detector's stage: the claims of a story compared with each other
CHECK = "check"  # a detector's stage: a draft's claims compared with a reference's


@dataclass(frozen=True)
class StoryFinding:
    """A disagreement between the claims of a story: which rule, how severe, the claims involved
    (`groups`: the claims that share one figure, or one value, in time order)."""

    story: str
    rule: str
    rule_name: str
    severity: str
    kind: str
    metric: str
    scope: str | None
    message: str
    claim_ids: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    finding_id: str = ""

    def row(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in FINDING_COLUMNS}
        values["claim_ids"] = list(self.claim_ids)
        values["groups"] = [list(g) for g in self.groups]
        return values


@dataclass(frozen=True)
class Figure:
    """The comparable part of one claim."""

    claim_id: str
    value: float | None
    low: float | None
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    figure: str
    date: date | None
    source: str
    revision: bool
    order: int  # position in the claims table, to keep ties stable
    outlet: str = ""  # the outlet (else the report) that carried it
    headline: bool = False  # stated in a headline
    # place among the figures of its day: its table order, reversed within a report that
    # runs newest first (a timeline of daily counts)
    within_day: float | None = None
    superseded: bool = False  # its report gives it as history ("up to 34 from 16")

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    @property
    def point(self) -> float | None:
        """The figure to place in another claim's interval."""
        if self.value is not None:
            return self.value
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        return self.low if self.low is not None else self.high


@dataclass
class Cluster:
    """Claims that agree on one figure; the first member stands for them."""

    members: list[Figure] = field(default_factory=list)

    @property
    def lead(self) -> Figure:
        return self.members[0]

    @property
    def first_date(self) -> date | None:
        return _earliest(self.members)

    @property
    def revision(self) -> bool:
        return any(m.revision for m in self.members)

    def ids(self) -> tuple[str, ...]:
        return tuple(m.claim_id for m in sorted(self.members, key=time_key))

    def settled(self) -> Cluster:
        """The same cluster, its members final: `first_date` is computed once from now on."""
        return _SettledCluster(self.members)


class _SettledCluster(Cluster):
    """A cluster whose members no longer change (see `Cluster.settled`)."""

    @functools.cached_property
    def first_date(self) -> date | None:  # type: ignore[override]
        return _earliest(self.members)


def _earliest(members: Iterable[Figure]) -> date | None:
    dates = [m.date for m in members if m.date is not None]
    return min(dates) if dates else None


def time_key(figure: Figure) -> tuple[date, float]:
    within_day = figure.order if figure.within_day is None else figure.within_day
    return (figure.date or date.max, within_day)


def _step(value: float) -> float:
    """The place value of the last non-zero digit: 90 → 10, 284 → 1, 4,000 → 1,000."""
    if value <= 0 or value != int(value):
        return 1.0
    step = 1.0
    number = int(value)
    while number % 10 == 0:
        number //= 10
        step *= 10
    return step


def reading_interval(figure: Figure, round_reach: bool) -> tuple[float, float, bool, bool]:
    """The interval an editor reads a figure as: "over 90" reaches to 100, not to infinity."""
    low = -math.inf if figure.low is None else figure.low
    high = math.inf if figure.high is None else figure.high
    low_inc, high_inc = figure.low_inclusive, figure.high_inclusive
    if round_reach and figure.value is not None and not figure.exact:
        if figure.high is None:  # a floor: "at least 84", "over 90"
            high, high_inc = figure.value + _step(figure.value), False
        elif figure.low is None:  # a ceiling: "up to 44"
            low, low_inc = figure.value - _step(figure.value), False
    return low, high, low_inc, high_inc


def _inside(point: float, interval: tuple[float, float, bool, bool], tolerance: float) -> bool:
    low, high, low_inc, high_inc = interval
    low, high = low - tolerance, high + tolerance
    above = point >= low if low_inc or tolerance else point > low
    below = point <= high if high_inc or tolerance else point < high
    return above and below


def _overlap(a: Figure, b: Figure) -> bool:
    a_low = -math.inf if a.low is None else a.low
    a_high = math.inf if a.high is None else a.high
    b_low = -math.inf if b.low is None else b.low
    b_high = math.inf if b.high is None else b.high
    if a_high < b_low or b_high < a_low:
        return False
    if a_high == b_low:
        return a.high_inclusive and b.low_inclusive
    if b_high == a_low:
        return b.high_inclusive and a.low_inclusive
    return True


def agree(a: Figure, b: Figure, tolerance: float = 0.0, round_reach: bool = True) -> bool:
    """Whether an editor would read two figures as the same count.

    A qualified figure covers another one it plainly describes ("over 90" and 94), but across
    two known dates only as a later restatement: "over 280" after 284 repeats it, while 14
    after "at least 10" is a new count.
    """
    if a.exact and b.exact:
        return abs((a.low or 0) - (b.low or 0)) <= tolerance
    if a.value is not None and b.value is not None and abs(a.value - b.value) <= tolerance:
        return _overlap(a, b)  # "at least 84" and 84 agree; "more than 25" and 25 do not
    for loose, other in ((a, b), (b, a)):
        if loose.date and other.date and loose.date < other.date:
            continue
        point = other.point
        if not loose.exact and point is not None and _inside(
                point, reading_interval(loose, round_reach), tolerance):
            return True
    return False


class _Keep(dict):
    """Message values; a placeholder with no value stays as written (`{unknown}`)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_message(template: str, **values: str) -> str:
    """A finding rule's message template filled in (`{metric}`, `{chain}`, `{figure}`, …);
    a placeholder the finding has no value for is left as written."""
    return template.format_map(_Keep(values))


def message_figures(rules: Any) -> int | None:
    """How many figures a finding's message names at most (`compare.message_figures`;
    None: every one). The full list is always in the finding's `claim_ids` and groups."""
    limit = rules.compare.get("message_figures")
    return None if limit is None else max(1, int(limit))


def named_list(items: Sequence[Any], describe: Callable[[Any], str], separator: str,
               limit: int | None) -> str:
    """Items described and joined for a message, at most `limit` of them, then "… and K more":
    a message stays short however many figures a story has (only those named are described)."""
    shown = items if limit is None else items[:limit]
    text = separator.join(describe(item) for item in shown)
    hidden = len(items) - len(shown)
    return f"{text} … and {hidden} more" if hidden else text


def _number(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def source_of(row: Mapping[str, Any]) -> str:
    """Who a claim comes from, as findings name it: its attribution, else outlet, else file."""
    for key in ("attributed_to", "outlet", "doc"):
        value = row.get(key)
        if not is_missing(value) and (text := str(value)):
            return text
    return "unknown source"


def figure_of(row: Mapping[str, Any], order: int) -> Figure:
    """The comparable part of a claims-table row (`order` keeps ties in table order)."""
    get = row.get
    claim_date, revision = get("claim_date"), get("revision")
    return Figure(
        claim_id=str(row["claim_id"]), value=_number(get("value")), low=_number(get("low")),
        high=_number(get("high")), low_inclusive=bool(get("low_inclusive")),
        high_inclusive=bool(get("high_inclusive")), figure=str(get("figure") or ""),
        date=None if is_missing(claim_date) else claim_date, source=source_of(row),
        revision=False if is_missing(revision) else bool(revision),
        order=order, outlet=_first_text(row, ("outlet", "doc")),
        headline=not is_missing(get("headline")) and bool(get("headline")),
        superseded=get("superseded") is True,
    )


def _first_text(row: Mapping[str, Any], keys: Sequence[str]) -> str:
    """The first of `keys` a row has a value for, as text ("" for none)."""
    for key in keys:
        value = row.get(key)
        if not is_missing(value) and (text := str(value)):
            return text
    return ""


def number_findings(findings: list[StoryFinding]) -> list[StoryFinding]:
    """Give findings their ids f1, f2, … in order. They are new records no one has seen yet,
    so the id is set in place (a copy each, at a million claims, costs seconds)."""
    for number, finding in enumerate(findings, start=1):
        object.__setattr__(finding, "finding_id", f"f{number}")
    return findings


@dataclass(frozen=True)
class Detector:
    """A comparison that finds disagreements of the finding kinds it declares (a finding rule
    of `rules/findings.yaml` names one of them: `compare.detectors` lists every detector).

    `stage` REPORT: `detect(rows, rules)` compares the claims-table rows of stories with each
    other, and gives each finding with the row position of the first claim of the group it
    compared (the order findings are numbered in). `stage` CHECK: `detect` compares a draft's
    claims with a reference's (see `compare.draft.compare_draft_claims`). `relations`: how,
    for a finding of a kind, each group of claims relates to the group before it ("↓ later"),
    as the report shows them.
    """

    name: str
    kinds: tuple[str, ...]
    stage: str
    detect: Callable[..., Any]
    relations: Mapping[str, str] = field(default_factory=dict)
