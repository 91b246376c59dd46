"""The library API: paths in, pandas DataFrames out (`factcheck.extract_claims` and friends).

A facade over the run stage: the driver reads and compares, `frames` makes the tables, and the
claims store, `check` and the rule set are reached from here by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem, SkippedInputError
from ..io.model import Document
from ..ruleset.model import RuleSet
from .check import check_drafts, reference_claims
from .driver import Driver, documents_of, load_rules, read_claims, ruleset_of
from .frames import claims_frame, findings_frame
from .indexing import StoreUpdate, claims_through_store, index_reports, stored_claims

__all__ = [
    "Analysis",
    "StoreUpdate",
    "analyse",
    "check_drafts",
    "claims_through_store",
    "extract_claims",
    "find_discrepancies",
    "index_reports",
    "load_rules",
    "reference_claims",
    "stored_claims",
]


@dataclass
class Analysis:
    """The result of one run: the documents read, their claims and findings, what was skipped."""

    documents: list[Document]
    claims: pd.DataFrame
    findings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    store: StoreUpdate | None = None  # what the run did with a claims store, when given one


def extract_claims(paths: Sequence[str | Path] | None = None,
                   rules: RuleSet | Sequence[str | Path] | None = None,
                   group_by: str | None = None) -> pd.DataFrame:
    """The claims table of the reports under `paths` (default: the shipped sample reports)."""
    ruleset = ruleset_of(rules)
    documents, _ = documents_of(paths, group_by)
    return claims_frame(read_claims(documents, ruleset))


def find_discrepancies(claims: pd.DataFrame,
                       rules: RuleSet | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """The findings for a claims table (as returned by `extract_claims`)."""
    ruleset = ruleset_of(rules)
    return findings_frame(Driver(ruleset).findings(claims.to_dict("records")))


def analyse(paths: Sequence[str | Path] | None = None,
            rules: RuleSet | Sequence[str | Path] | None = None,
            group_by: str | None = None, strict: bool = False,
            store: str | Path | None = None, exclude: Sequence[str] = (),
            compare: bool = True) -> Analysis:
    """Read reports, extract their claims and compare them: everything `factcheck report` shows.

    With `strict`, any input skipped raises `SkippedInputError` (its `problems` say what): at the
    end of loading, before a claim is read, or after reading for a rule pattern cut short.
    With `store` (a claims store file, made if missing), the claims of reports it holds
    unchanged are taken from it, and the others are extracted and added to it (see
    `claims_through_store`); the tables are the same as without it. `exclude`: globs of
    files and folders not read (`io.exclude`). `compare` False: the claims only, an empty
    findings table (no comparison work).
    """
    ruleset = ruleset_of(rules)
    documents, problems = documents_of(paths, group_by, exclude)
    if strict and problems:
        raise SkippedInputError(problems)
    update = None
    if store is None:
        claims = claims_frame(read_claims(documents, ruleset, problems))
    else:
        claims, update = claims_through_store(documents, ruleset, store, problems,
                                              strict=strict)
    if strict and problems:
        raise SkippedInputError(problems)
    findings = find_discrepancies(claims, ruleset) if compare else findings_frame([])
    return Analysis(documents, claims, findings, problems, update)
