"""Evaluation of gold folders: scores, figures, details, and `evaluate` itself.

One gold folder's claims and findings scored, the figures over several, the details of what
went wrong, and `evaluate`, what `factcheck eval` runs.

Pure functions of records (gold claims, claims and findings tables), but for `evaluate`, which
reads each gold folder's reports and runs them as a newsroom would run one story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import Problem, SkippedInputError
from ...extract.numbers import NumberReader
from ...io.documents import load_documents
from ...io.model import Document
from ...ruleset.model import RuleSet
from ...run.api import find_discrepancies
from ...run.driver import read_claims, ruleset_of
from ...run.frames import claims_frame
from .claims import (
    IntervalCheck,
    Score,
    claim_interval,
    claim_where,
    field_correct,
    found_field,
    gold_documents,
    gold_interval,
    line_at,
    quote_spans,
    ratio,
    score,
    short_quote,
    written,
)
from .gold import Gold, GoldClaim, find_gold_files, load_gold
from .named import NamedScore, named_figures, score_named
from .pairs import PairCheck, SkippedDiscrepancy, check_pairs

# Gold discrepancy types a finding should report: a pair of these is "found" when a finding
# puts its two claims in different groups. Compatible pairs are the ones that must not be split.
FLAGGED_TYPES = ("update", "conflict")


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
        counts["recall"] = ratio(counts["matched"], counts["gold"])
        counts["precision"] = ratio(counts["matched"], counts["extracted"])

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
        "recall": ratio(len(matches), gold_total),
        "precision": ratio(len(matches), found_total),
        "per_metric": dict(sorted(per_metric.items())),
        "interval_correct": intervals_correct,
        "interval_accuracy": ratio(intervals_correct, len(intervals)),
        "attribution_correct": attribution_correct,
        "attribution_accuracy": ratio(attribution_correct, len(matches)),
        "claim_date_correct": date_correct,
        "claim_date_accuracy": ratio(date_correct, len(matches)),
        "out_of_scope_taken": len(out_taken),
        "out_of_scope_taken_claims": [
            {"where": claim_where(r), "metric": r["metric"], "figure": _figure(r),
             "quote": " ".join(str(r["quote"]).split())} for r in out_taken],
        "named": named_figures([e.named for e in evaluations if e.named is not None]),
        "pairs": {
            "update_conflict": len(flagged_pairs),
            "found": len(found),
            "found_rate": ratio(len(found), len(flagged_pairs)),
            "found_with_matching_kind": sum(p.kind_matches for p in found),
            "not_extracted": sum(not p.extracted for p in flagged_pairs),
            "compatible": len(compatible),
            "compatible_flagged_as_conflict": flagged,
            "compatible_flagged_rate": ratio(flagged, len(compatible)),
            "compatible_split_by_any_finding": sum(p.found for p in compatible),
            "skipped_entries": sum(len(e.skipped) for e in evaluations),
        },
    }


def _figure(claim: Mapping[str, Any]) -> str:
    return " ".join(str(claim.get("figure") or "").split()) or "?"


def _gold_figure(gold: GoldClaim) -> str:
    if gold.value is not None:
        number = written(gold.value)
        return f"{gold.qualifier} {number}" if gold.qualifier else number
    if gold.low is not None or gold.high is not None:
        return "–".join(written(x) if x is not None else "?" for x in (gold.low, gold.high))
    return gold.vague or "?"


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
                        "quote": short_quote(quote)})

    for g in evaluation.score.missed:
        add("missed", gold_where(g), f"{g.id} {g.metric} {_gold_figure(g)}", g.quote)
    for row in evaluation.score.spurious:
        add("spurious", claim_where(row), f"{row['claim_id']} {row['metric']} {_figure(row)}",
            row["quote"])
    for row in evaluation.score.out_of_scope_taken:
        add("out of scope taken", claim_where(row),
            f"{row['claim_id']} {row['metric']} {_figure(row)}", row["quote"])
    for check in evaluation.intervals:
        if not check.correct:
            g, claim = check.match.gold, check.match.claim
            expected = str(check.expected) if check.expected else (
                f"unreadable: the rules do not read {g.qualifier or g.vague!r}")
            add("interval", claim_where(claim),
                f"{g.id} {_figure(claim)} read as {check.found}, gold {expected}", g.quote)
    for m in evaluation.score.matches:
        if not field_correct(m, "attributed_to"):
            add("attribution", claim_where(m.claim),
                f"{m.gold.id} {found_field(m.claim, 'attributed_to')!r}, "
                f"gold {m.gold.attributed_to!r}", m.gold.quote)
        if not field_correct(m, "claim_date"):
            add("date", claim_where(m.claim),
                f"{m.gold.id} {found_field(m.claim, 'claim_date') or 'unknown'}, "
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


def evaluate(paths: Sequence[str | Path],
             rules: RuleSet | Sequence[str | Path] | None = None,
             strict: bool = False) -> Evaluation:
    """Measure extraction and comparison against gold annotations: `factcheck eval`.

    `paths` are gold.yaml files or folders holding one beside the reports; a folder without one
    stands for every subfolder that has one. Each gold folder is read and compared on its own,
    as a newsroom would run one story: its reports (the files beside the gold file), their
    claims and findings are scored against the gold (see `factcheck.evaluate`). With `strict`,
    a report skipped raises `SkippedInputError` once every gold folder is loaded.
    """
    ruleset = ruleset_of(rules)
    golds = []
    problems: list[Problem] = []
    loaded_golds = []
    for gold_path in find_gold_files(paths):
        gold = load_gold(gold_path)  # a broken gold file stops the run before any extraction
        loaded = load_documents([gold.folder])
        problems.extend(loaded.problems)
        loaded_golds.append((gold_path, gold, loaded))
    if strict and problems:
        raise SkippedInputError(problems)
    for gold_path, gold, loaded in loaded_golds:
        folder = gold.folder.resolve()
        # Only the reports beside the gold file: a subfolder is another gold folder's business.
        documents = [d for d in loaded.documents
                     if Path(d.path or d.doc).parent.resolve() == folder]
        claims = claims_frame(read_claims(documents, ruleset))
        findings = find_discrepancies(claims, ruleset)
        # A gold folder is named by its folder; a gold file with another name by itself.
        named = gold_path.parent if gold_path.name == "gold.yaml" else gold_path
        name = named.as_posix()
        golds.append(evaluate_gold(name, gold, documents, claims, findings, ruleset))
    return Evaluation(golds, problems)


