"""What every `check` output format renders, and how a format is declared.

A format is a module of `report/formats/` with a `FORMAT`: its name, its words in `--format`'s
help, and either `render` (the whole output as text, from the record) or `show` (for people:
onto a rich console), and, if it has one, `publish` (a side output, such as GitHub's step
summary). `registry.py` lists them; the CLI, the configuration and the emitter read that list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
from rich.console import Console

from ...compare.draft import DraftFinding
from ...errors import Problem
from ...ruleset.model import SEVERITIES, FindingRule


@dataclass(frozen=True)
class CheckReport:
    """One `check` run as its outputs render it: the findings to show and what they came from."""

    findings: Sequence[DraftFinding]
    drafts: Sequence[str]  # every draft checked, as findings name files
    reference_claims: int  # how many reference claims the drafts were compared with
    suppressed: int = 0  # findings left out by an inline comment
    baselined: int = 0  # findings left out because the baseline accepts them
    fail_on: str = "error"  # the least severe level that fails the check
    rules: Mapping[str, FindingRule] = field(default_factory=dict)  # the check's finding rules
    problems: Sequence[Problem] = ()  # inputs that could not be read (also said on stderr)


@dataclass(frozen=True)
class OutputFormat:
    """A `--format` of `check`: `render` or `show` it, and `publish` what goes elsewhere."""

    name: str
    help: str  # how `--format`'s help names it: "sarif (2.1.0)"
    render: Callable[[CheckReport], str] | None = None
    show: Callable[[Console, CheckReport], None] | None = None
    publish: Callable[[CheckReport], object] | None = None
    # prints nothing when there is nothing to report: say so on stderr (unless --quiet)
    success_line: bool = False


def sorted_findings(findings: Sequence[DraftFinding]) -> list[DraftFinding]:
    """Findings by path, line, column and rule: the order every format lists them in."""
    return sorted(findings, key=DraftFinding.sort_key)


def severity_counts(findings: Sequence[DraftFinding]) -> dict[str, int]:
    """How many findings of each severity, every severity named (most severe first)."""
    counted = Counter(f.severity for f in findings)
    return {level: counted.get(level, 0) for level in SEVERITIES}


@dataclass(frozen=True)
class ReportFormat:
    """A `--format` of `report` beyond the table, JSON and CSV: the whole output as text, from
    the claims and findings tables."""

    name: str
    help: str
    render: Callable[[pd.DataFrame, pd.DataFrame], str]


def success_text(report: CheckReport) -> str:
    """The line a silent format leaves on stderr when no finding is shown."""
    drafts = len(report.drafts)
    extra = [f"{report.suppressed} suppressed inline"] if report.suppressed else []
    extra += [f"{report.baselined} in the baseline"] if report.baselined else []
    return (f"factcheck check: no problems in {drafts} draft{'s' * (drafts != 1)} against "
            f"{report.reference_claims} reference claim{'s' * (report.reference_claims != 1)}"
            + (f" ({', '.join(extra)})" if extra else ""))
