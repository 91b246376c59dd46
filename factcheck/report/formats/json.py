"""`check --format json`: every field of every finding, and the counts."""

from __future__ import annotations

from collections.abc import Sequence

from ...compare.draft import DraftFinding
from ..safetext import json_text
from .base import CheckReport, OutputFormat, severity_counts, sorted_findings


def to_json(findings: Sequence[DraftFinding], drafts: int = 0, suppressed: int = 0,
            baselined: int = 0) -> str:
    """`{"findings": [...], "summary": {...}}`: every field of every finding."""
    rows = []
    for finding in sorted_findings(findings):
        rows.append(finding.row())
    summary = {"drafts": drafts, "findings": len(findings), **severity_counts(findings),
               "suppressed": suppressed, "baselined": baselined}
    return json_text({"findings": rows, "summary": summary}, indent=2) + "\n"


def _render(report: CheckReport) -> str:
    return to_json(report.findings, len(report.drafts), report.suppressed, report.baselined)


FORMAT = OutputFormat("json", "json", render=_render)
