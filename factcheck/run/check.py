"""`check` orchestrated: drafts and reference read, compared, suppressed and baselined.

Each draft is read on its own, its comments blanked, and its claims compared with the
reference's (`compare.draft`): reports, folders, corpora or a claims store. Inline comments and
a baseline leave findings out; `CheckResult.report` is the record the output formats render.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..compare.detectors import kinds_of
from ..compare.draft import DraftFinding, compare_draft_claims, display_path
from ..compare.model import CHECK
from ..compare.suppress import Baseline, InlineSuppressions, blank_comments, inline_suppressions
from ..errors import FactcheckError, Problem
from ..io.documents import load_documents
from ..io.model import Document
from ..report.formats.base import CheckReport
from ..ruleset.model import SEVERITIES, SEVERITY_RANK, RuleSet
from .driver import documents_of, read_claims, ruleset_of
from .frames import claims_frame
from .indexing import stored_claims
from .store import is_store


@dataclass
class CheckResult:
    """What `check` found: the findings to show, and what was read, set aside and skipped."""

    findings: list[DraftFinding]
    drafts: list[Document]
    reference: pd.DataFrame
    rules: RuleSet
    problems: list[Problem] = field(default_factory=list)
    suppressed: int = 0  # by an inline comment
    baselined: int = 0  # accepted in the baseline file
    all_findings: list[DraftFinding] = field(default_factory=list)  # before the baseline

    def report(self, fail_on: str = "error") -> CheckReport:
        """The record every output format renders, failing at `fail_on`."""
        check_kinds = kinds_of(CHECK)
        return CheckReport(
            findings=self.findings, drafts=[display_path(d.doc) for d in self.drafts],
            reference_claims=len(self.reference), suppressed=self.suppressed,
            baselined=self.baselined, fail_on=fail_on,
            rules={code: rule for code, rule in self.rules.finding_rules.items()
                   if rule.kind in check_kinds}, problems=tuple(self.problems))

    def at_or_above(self, level: str) -> list[DraftFinding]:
        """The findings at `level` or more severe (`--fail-on`)."""
        floor = SEVERITY_RANK[level]
        return [f for f in self.findings if SEVERITY_RANK[f.severity] >= floor]


def _draft_documents(paths: Sequence[str | Path], problems: list[Problem]
                     ) -> tuple[list[Document], dict[str, InlineSuppressions]]:
    """The drafts, each its own story (a draft is compared with the reference, never with
    another draft), and the suppression comments of each, by its path as findings name it."""
    loaded = load_documents(list(paths))
    problems.extend(loaded.problems)
    comments = {display_path(d.doc): inline_suppressions(d.text) for d in loaded.documents}
    # Comments are invisible in a published story: blanked, they take no part in a sentence.
    documents = [dataclasses.replace(d, story=d.doc, text=blank_comments(d.text))
                 for d in loaded.documents]
    return documents, comments


def check_severity_overrides(severity: Mapping[str, str], where: str | None = None) -> None:
    """Reject a severity override that names no level we know (exit 2)."""
    for code, level in severity.items():
        if level not in SEVERITIES:
            raise FactcheckError(f"severity of {code} must be one of "
                                 f"{', '.join(SEVERITIES)}, not {level!r}", where)


def check_drafts(drafts: Sequence[str | Path], against: Sequence[str | Path],
                 rules: RuleSet | Sequence[str | Path] | None = None,
                 severity: Mapping[str, str] | None = None, ignore: Collection[str] = (),
                 baseline: Baseline | None = None,
                 reference: pd.DataFrame | None = None,
                 exclude: Sequence[str] = ()) -> CheckResult:
    """Check drafts against the reporting a desk trusts: `factcheck check`.

    `against` are reference reports, folders or corpora (or give `reference`, a claims table,
    to use claims from elsewhere). Inline comments in a draft switch rules off where they
    say; with a `baseline`, findings it accepts are left out (`all_findings` keeps them).
    `exclude`: globs of reference files and folders not read (`io.exclude`).
    """
    ruleset = ruleset_of(rules)
    check_severity_overrides(severity or {})
    problems: list[Problem] = []
    documents, comments = _draft_documents(drafts, problems)
    draft_claims = claims_frame(read_claims(documents, ruleset, problems))
    if reference is None:
        # A claims store is asked only for what the drafts can be compared with.
        events = {d.event for d in documents}
        reference = reference_claims(
            against, ruleset, problems, metrics=set(draft_claims["metric"].dropna()),
            stories=None if None in events or not events else {str(e) for e in events},
            exclude=exclude)
    found = compare_draft_claims(draft_claims.to_dict("records"), reference.to_dict("records"),
                                 ruleset, events={d.doc: d.event for d in documents},
                                 severity=severity, ignore=ignore)
    kept = [f for f in found if not comments[f.path].suppresses(f.rule, f.line)]
    fresh, baselined = baseline.new_findings(kept) if baseline else (kept, 0)
    return CheckResult(findings=fresh, drafts=documents, reference=reference, rules=ruleset,
                       problems=problems,
                       suppressed=len(found) - len(kept), baselined=baselined,
                       all_findings=kept)


def reference_claims(paths: Sequence[str | Path],
                     rules: RuleSet | Sequence[str | Path] | None = None,
                     problems: list[Problem] | None = None,
                     metrics: Collection[str] | None = None,
                     stories: Collection[str] | None = None,
                     exclude: Sequence[str] = ()) -> pd.DataFrame:
    """The claims of the reporting a desk trusts, that `check` compares drafts with: the
    claims table of the reports under `paths`, a story per `event` they state. A path that is
    a claims store (`factcheck index`) gives its stored claims instead, only those of
    `metrics` and of `stories` when given (a store without those stories gives those of all
    its stories). Inputs that cannot be read are skipped and added to `problems` when given."""
    ruleset = ruleset_of(rules)
    reports = [p for p in paths if not is_store(p)]
    tables = []
    for path in paths:
        if is_store(path):
            wanted = sorted(metrics) if metrics is not None else None
            table = stored_claims(path, wanted, sorted(stories) if stories else None, ruleset)
            if stories and table.empty:
                table = stored_claims(path, wanted, None, ruleset)
            tables.append(table)
    if reports or not tables:
        documents, skipped = documents_of(reports, None, exclude) if reports else ([], [])
        if problems is not None:
            problems.extend(skipped)
        tables.append(claims_frame(read_claims(documents, ruleset, problems)))
    return tables[0] if len(tables) == 1 else _joined_claims(tables)


def _joined_claims(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Claims tables of several references as one, numbered c1… again (each is numbered from
    c1 on its own), parts still pointing at their totals."""
    renumbered = []
    first = 0
    for table in tables:
        ids = {old: f"c{first + n}" for n, old in enumerate(table["claim_id"], start=1)}
        renumbered.append(table.assign(claim_id=table["claim_id"].map(ids),
                                       part_of=table["part_of"].map(ids)))
        first += len(table)
    return pd.concat(renumbered, ignore_index=True)
