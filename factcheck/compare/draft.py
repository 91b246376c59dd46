"""Draft findings: a draft's claims judged against reference claims, for `check`.

A draft's claims judged against reference claims (FC301–FC303), and its named claims against
the reference's (FC2xx), into records every `check` format renders.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..extract.model import NAMED, is_missing
from ..ruleset.model import FindingRule, Metric, RuleSet
from .figures import cluster_figures, comparable, describe_cluster, moves_on
from .model import (
    CHECK,
    Cluster,
    Detector,
    Figure,
    agree,
    figure_of,
    format_message,
    message_figures,
    named_list,
    source_of,
)
from .named import compare_named
from .suppress import fingerprint

# The finding kinds of `check`, in the order a finding is decided (see `judge`).
STALE, CONFLICT, UNSUPPORTED = "draft-stale", "draft-conflict", "draft-unsupported"


@dataclass(frozen=True)
class ReferenceClaim:
    """A reference claim a finding cites: its figure, source, date and place."""

    figure: str
    source: str
    date: str | None  # ISO 8601, None when the reference does not fix one
    path: str
    line: int
    column: int
    quote: str

    def describe(self) -> str:
        return f"{self.figure} ({self.source}, {self.date or 'unknown date'})"


@dataclass(frozen=True)
class DraftFinding:
    """One finding about a draft, as every output format renders it.

    Generic on purpose: a rule code and severity, a message, where in which file (1-based line
    and column, in characters), the draft's words, and the reference claims it contradicts.
    Findings of other rules (named claims, say) can be made in the same shape.
    """

    rule: str
    rule_name: str
    severity: str
    kind: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int  # exclusive: the column just after the figure
    message: str
    quote: str
    metric: str | None = None
    figure: str | None = None
    references: tuple[ReferenceClaim, ...] = ()
    fingerprint: str = ""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (Path(self.path).as_posix(), self.line, self.column, self.rule)

    def row(self) -> dict[str, Any]:
        record = dataclasses.asdict(self)
        record["references"] = [dataclasses.asdict(r) for r in self.references]
        return record


def display_path(path: str | Path) -> str:
    """A file as findings name it: relative to the working folder when inside it, with
    forward slashes (so that a baseline written in one checkout matches in another)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def _scope(row: Mapping[str, Any]) -> str | None:
    return None if is_missing(row.get("scope")) else str(row.get("scope"))


def _iso(value: Any) -> str | None:
    if is_missing(value):
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _reference_claim(row: Mapping[str, Any], figure: Figure) -> ReferenceClaim:
    return ReferenceClaim(figure=str(row.get("figure") or ""), source=figure.source,
                          date=_iso(row.get("claim_date")),
                          path=str(row.get("doc") or ""),
                          line=int(row.get("line") or 0), column=int(row.get("column") or 0),
                          quote=str(row.get("quote") or ""))


@dataclass(frozen=True)
class Judgement:
    """How a draft figure stands against the reference: its kind (None: supported) and the
    reference clusters it contradicts."""

    kind: str | None
    cited: tuple[Cluster, ...] = ()


def _latest(cluster: Cluster, successor: Mapping[int, Cluster]) -> Cluster:
    while id(cluster) in successor:
        cluster = successor[id(cluster)]
    return cluster


def judge(draft: Figure, reference: Sequence[Figure], metric: Metric, rules: RuleSet
          ) -> Judgement:
    """Judge one draft figure against the reference figures of its metric and scope.

    The reference figures are grouped and ordered as `report` orders them: figures that agree
    form one cluster, and a later cluster that moves the way the metric moves (a rising toll,
    a revision) updates the one before it. As of the draft's date (every reference figure when
    the draft states none), the draft is supported when it agrees with a figure that nothing
    has updated, or with an undated one; stale when it agrees only with figures since updated;
    in conflict with the current figures otherwise. No reference figure: unsupported.
    """
    if not reference:
        return Judgement(UNSUPPORTED)
    round_reach = bool(rules.compare.get("round_figure_reach", True))
    clusters = cluster_figures(reference, metric, rules)
    if draft.date is not None:
        as_of = [c for c in clusters if c.first_date is None or c.first_date <= draft.date]
        if any(c.first_date is not None for c in as_of):
            clusters = as_of  # a figure published after the draft's date cannot make it stale
    dated = sorted((c for c in clusters if c.first_date),
                   key=lambda c: (c.first_date, c.lead.order))
    successor: dict[int, Cluster] = {}
    for earlier, later in pairwise(dated):
        if moves_on(earlier, later, metric):
            successor[id(earlier)] = later
    current = [c for c in clusters if id(c) not in successor]
    agreeing = [c for c in clusters
                if any(agree(draft, m, metric.tolerance, round_reach) for m in c.members)]
    if any(id(c) not in successor for c in agreeing):
        return Judgement(None)
    if agreeing:
        newest = max(agreeing, key=lambda c: (c.first_date or date.min, c.lead.order))
        return Judgement(STALE, (_latest(newest, successor),))
    return Judgement(CONFLICT, tuple(sorted(
        current, key=lambda c: (c.first_date or date.max, c.lead.order))))


def _end(line: int, column: int, figure: str) -> tuple[int, int]:
    """The position just after a figure that starts at (line, column)."""
    if "\n" not in figure:
        return line, column + len(figure)
    return line + figure.count("\n"), len(figure) - figure.rfind("\n")


def _finding(rule: FindingRule, severity: str, row: Mapping[str, Any],
             cited: Sequence[Cluster], rows: Mapping[str, Mapping[str, Any]],
             limit: int | None) -> DraftFinding:
    figure_text = str(row.get("figure") or "")
    metric = str(row["metric"])
    scope = _scope(row)
    message = format_message(
        rule.message, metric=metric, figure=figure_text, scope=f" for {scope}" if scope else "",
        latest=describe_cluster(cited[0]) if cited else "",
        reference=named_list(cited, describe_cluster, " or ", limit))
    references = tuple(_reference_claim(rows[m.claim_id], m)
                       for c in cited for m in sorted(c.members, key=_member_order))
    line, column = int(row["line"]), int(row["column"])
    end_line, end_column = _end(line, column, figure_text)
    quote = str(row.get("quote") or "")
    return DraftFinding(
        rule=rule.code, rule_name=rule.name, severity=severity, kind=rule.kind,
        path=display_path(str(row["doc"])), line=line, column=column, end_line=end_line,
        end_column=end_column, message=message, quote=quote, metric=metric,
        figure=figure_text, references=references,
        fingerprint=fingerprint(rule.code, metric, scope, figure_text, quote))


def _member_order(figure: Figure) -> tuple[int, date, int]:
    # the cluster's exact figures first, then by date
    return (0 if figure.exact else 1, figure.date or date.max, figure.order)


def compare_draft_claims(drafts: Sequence[Mapping[str, Any]],
                         reference: Sequence[Mapping[str, Any]], rules: RuleSet,
                         events: Mapping[str, str | None] | None = None,
                         severity: Mapping[str, str] | None = None,
                         ignore: Collection[str] = ()) -> list[DraftFinding]:
    """Findings for draft claims against reference claims (both the rows of claims tables).

    Each comparable draft claim is compared with the comparable reference claims of the same
    metric and scope: across the whole reference, unless its draft names an `event` (in
    `events`, by draft) that is also a story of the reference, then within that story.
    `severity` re-levels rules by code; rules in `ignore` and switched-off rules give nothing.
    """
    severity = dict(severity or {})
    all_reference = reference
    # Reference files as findings name them (a source is the file when nothing better is known).
    reference_rows = [{**r, "doc": display_path(str(r.get("doc") or ""))}
                      for r in all_reference if comparable(r, rules)]
    by_id = {str(r["claim_id"]): r for r in reference_rows}
    reference_stories = {str(r.get("story") or "") for r in reference_rows}
    figures = {str(r["claim_id"]): figure_of(r, order) for order, r in enumerate(reference_rows)}
    # The reference once by metric and scope, not once per draft claim.
    by_quantity: dict[tuple[str, str | None], list[Mapping[str, Any]]] = {}
    for r in reference_rows:
        by_quantity.setdefault((str(r["metric"]), _scope(r)), []).append(r)
    findings: list[DraftFinding] = []
    draft_rows = drafts
    for order, row in enumerate(draft_rows):
        if not comparable(row, rules):
            continue
        metric = rules.metrics[str(row["metric"])]
        event = (events or {}).get(str(row["doc"]))
        same = [r for r in by_quantity.get((metric.name, _scope(row)), ())
                if event not in reference_stories or r.get("story") == event]
        judgement = judge(figure_of(row, -1 - order), [figures[str(r["claim_id"])] for r in same],
                          metric, rules)
        if judgement.kind is None:
            continue
        rule = rules.rule_for_kind(judgement.kind)
        if rule is None or rule.code in ignore:
            continue
        findings.append(_finding(rule, severity.get(rule.code, rule.severity), row,
                                 judgement.cited, by_id, message_figures(rules)))
    findings += compare_draft_names(draft_rows, all_reference, rules, events, severity,
                                    ignore)
    return sorted(findings, key=DraftFinding.sort_key)


def _named_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [r for r in rows if r.get("kind") == NAMED and r.get("in_scope", True)
            and not is_missing(r.get("entity"))]


def compare_draft_names(draft_rows: Sequence[Mapping[str, Any]],
                        reference: Sequence[Mapping[str, Any]],
                        rules: RuleSet, events: Mapping[str, str | None] | None = None,
                        severity: Mapping[str, str] | None = None,
                        ignore: Collection[str] = ()) -> list[DraftFinding]:
    """Findings for a draft's named claims (who claimed it, a suspect's nationality, …) that
    the reference contradicts: the draft's claims and the reference's are compared as one
    story by `compare.named.compare_named`, and a finding is the draft's when the side its claim is
    on has no reference claim (a disagreement inside the reference is `report`'s)."""
    severity = dict(severity or {})
    reference_rows = [{**r, "doc": display_path(str(r.get("doc") or ""))}
                      for r in _named_rows(reference)]
    reference_stories = {str(r.get("story") or "") for r in reference_rows}
    by_id = {str(r["claim_id"]): r for r in reference_rows}
    findings: list[DraftFinding] = []
    drafts: dict[str, list[Mapping[str, Any]]] = {}
    for row in _named_rows(draft_rows):
        drafts.setdefault(str(row["doc"]), []).append(row)
    for doc, rows in drafts.items():
        event = (events or {}).get(doc)
        reference_side = [{**r, "story": "check"} for r in reference_rows
                          if event not in reference_stories or r.get("story") == event]
        # Draft ids are renamed: both tables number their claims from c1.
        draft_side = {f"draft:{r['claim_id']}": {**r, "story": "check",
                                                 "claim_id": f"draft:{r['claim_id']}"}
                      for r in rows}
        for finding in compare_named([*reference_side, *draft_side.values()], rules):
            rule = rules.finding_rules.get(finding.rule)
            if rule is None or rule.code in ignore:
                continue
            for group in finding.groups:
                if any(i not in draft_side for i in group):
                    continue  # a reference claim says the same: supported
                cited = [i for other in finding.groups if other is not group for i in other
                         if i in by_id]
                for claim_id in group:
                    findings.append(_named_finding(rule, severity.get(rule.code, rule.severity),
                                                   draft_side[claim_id], finding.message,
                                                   [by_id[i] for i in cited]))
    return findings


def _named_finding(rule: FindingRule, severity: str, row: Mapping[str, Any], message: str,
                   cited: Sequence[Mapping[str, Any]]) -> DraftFinding:
    written = str(row.get("figure") or "")
    line, column = int(row["line"]), int(row["column"])
    end_line, end_column = _end(line, column, written)
    quote = str(row.get("quote") or "")
    references = tuple(ReferenceClaim(
        figure=f"{r.get('figure')} → {r.get('entity')}", source=source_of(r),
        date=_iso(r.get("claim_date")), path=str(r.get("doc") or ""),
        line=int(r.get("line") or 0), column=int(r.get("column") or 0),
        quote=str(r.get("quote") or "")) for r in cited)
    metric = str(row["metric"])
    return DraftFinding(
        rule=rule.code, rule_name=rule.name, severity=severity, kind=rule.kind,
        path=display_path(str(row["doc"])), line=line, column=column, end_line=end_line,
        end_column=end_column, message=message, quote=quote, metric=metric, figure=written,
        references=references,
        fingerprint=fingerprint(rule.code, metric, None, written, quote))


DETECTOR = Detector("draft", (STALE, CONFLICT, UNSUPPORTED), CHECK, compare_draft_claims)
