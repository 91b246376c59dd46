"""`check --format github`: workflow commands, and a step summary table.

GitHub Actions workflow commands, and a Markdown table of every finding appended to
`$GITHUB_STEP_SUMMARY` when it is set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from ...compare.draft import DraftFinding
from ...errors import Problem, one_line
from ..safetext import safe_text
from .base import CheckReport, OutputFormat, severity_counts, sorted_findings

GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(value: str) -> str:
    # control characters shown as escapes first: a line break is then the command's own %0A
    return safe_text(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(one_line(value)).replace(":", "%3A").replace(",", "%2C")


def _references_text(finding: DraftFinding) -> str:
    return "; ".join(f"{r.describe()} at {r.path}:{r.line}"
                     for r in finding.references)


def to_github(findings: Sequence[DraftFinding]) -> str:
    """GitHub Actions workflow commands, one annotation per finding:
    `::error file=F,line=L,col=C,endColumn=E,title=T::message` (`notice` for info)."""
    lines = []
    for f in sorted_findings(findings):
        properties = {"file": f.path, "line": str(f.line), "col": str(f.column),
                      "endLine": str(f.end_line), "endColumn": str(f.end_column),
                      "title": f"{f.rule} {f.rule_name}"}
        joined = ",".join(f"{k}={_escape_property(v)}" for k, v in properties.items())
        message = f.message
        if f.references:
            message += f"\nReference: {_references_text(f)}"
        lines.append(f"::{GITHUB_COMMANDS[f.severity]} {joined}::{_escape_data(message)}\n")
    return "".join(lines)


def problem_annotations(problems: Sequence[Problem]) -> str:
    """An `::error file=F,line=L::message` annotation per input that could not be read: a CI
    run shows it on the file, not only in the log."""
    lines = []
    for problem in problems:
        properties = {"file": problem.path, **({"line": str(problem.line)} if problem.line else {}),
                      "title": "factcheck: input skipped"}
        joined = ",".join(f"{k}={_escape_property(v)}" for k, v in properties.items())
        lines.append(f"::error {joined}::{_escape_data(problem.message)}\n")
    return "".join(lines)


def _cell(value: str) -> str:
    """Text safe inside a Markdown table cell."""
    return one_line(value).replace("\\", "\\\\").replace("|", "\\|")


def github_summary(findings: Sequence[DraftFinding], drafts: int) -> str:
    """A Markdown summary for `$GITHUB_STEP_SUMMARY`: counts, then a table of every finding
    (GitHub shows only the first ten annotations of each level in a step)."""
    counts = severity_counts(findings)
    heading = (f"### factcheck: {len(findings)} finding{'s' * (len(findings) != 1)} in "
               f"{drafts} draft{'s' * (drafts != 1)}")
    parts = [heading, "", ", ".join(f"{n} {level}" for level, n in counts.items()), ""]
    if findings:
        parts += ["| severity | rule | where | draft says | message | reference |",
                  "|---|---|---|---|---|---|"]
        for f in sorted_findings(findings):
            where = f"{f.path}:{f.line}:{f.column}"
            parts.append(f"| {f.severity} | {f.rule} | {_cell(where)} | {_cell(f.quote)} | "
                         f"{_cell(f.message)} | {_cell(_references_text(f))} |")
    return "\n".join(parts) + "\n"


def append_step_summary(text: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append `text` to the file `$GITHUB_STEP_SUMMARY` names (never overwrite it: other
    steps write there too); None when the variable is not set."""
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    # One write call in append mode: the summary lands whole after what is already there.
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(text)
    return Path(target)


def _publish(report: CheckReport) -> Path | None:
    return append_step_summary(github_summary(report.findings, len(report.drafts)))


FORMAT = OutputFormat("github", "github (workflow commands and a step summary)",
                      render=lambda report: problem_annotations(report.problems)
                      + to_github(report.findings), publish=_publish,
                      success_line=True)
