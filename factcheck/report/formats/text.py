"""`check --format text`: each finding for people, then a summary line.

Each finding with the draft's words and the reference claims it contradicts, then a summary
line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ...compare.draft import DraftFinding
from ...ruleset.model import SEVERITY_RANK
from ..safetext import safe_finding
from .base import CheckReport, OutputFormat, severity_counts, sorted_findings

SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def print_text(console: Console, findings: Sequence[DraftFinding], drafts: int,
               reference_claims: int, suppressed: int = 0, baselined: int = 0,
               fail_on: str = "error") -> None:
    """The report for people: each finding with its place, the draft's words and the
    reference claims it contradicts, then a summary line."""
    for f in map(safe_finding, sorted_findings(findings)):
        heading = Table.grid(padding=(0, 2, 0, 0))
        heading.add_column(no_wrap=True)  # the place: never split
        heading.add_column()
        rule = Text(f"{f.severity:<7}", style=SEVERITY_STYLES[f.severity])
        rule.append(f" {f.rule} {f.rule_name}", style="default")
        heading.add_row(Text(f"{f.path}:{f.line}:{f.column}", style="bold"), rule)
        console.print(heading)
        # A grid, not leading spaces: a wrapped line keeps its column (a label's, or the text's).
        body = Table.grid(padding=(0, 1, 0, 0))
        body.add_column(no_wrap=True)
        body.add_column()
        console.print(Padding(Text(f.message), (0, 0, 0, 2)))
        if f.quote:
            body.add_row(Text("draft:", style="dim"), Text(f"“{f.quote}”", style="dim"))
        for r in f.references:
            line = Text()
            line.append(f"{r.figure}", style="bold")
            line.append(f" ({r.source}, {r.date or 'unknown date'}) ")
            line.append(f"{r.path}:{r.line}")
            body.add_row(Text("reference:"), line)
            if r.quote:
                body.add_row(Text(""), Text(f"“{r.quote}”", style="dim"))
        if body.row_count:
            console.print(Padding(body, (0, 0, 0, 2)))
        console.print()
    counts = severity_counts(findings)
    failing = sum(1 for f in findings if SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on])
    summary = (f"factcheck check: {drafts} draft{'s' * (drafts != 1)} against "
               f"{reference_claims} reference claim{'s' * (reference_claims != 1)}: "
               + ", ".join(f"{n} {level}" for level, n in counts.items()))
    extra = [f"{suppressed} suppressed inline"] if suppressed else []
    extra += [f"{baselined} in the baseline"] if baselined else []
    if extra:
        summary += f" ({', '.join(extra)})"
    style = "bold red" if failing else "green"
    console.print(Text(summary, style=style), overflow="fold")


def _show(console: Console, report: CheckReport) -> None:
    print_text(console, report.findings, len(report.drafts), report.reference_claims,
               report.suppressed, report.baselined, report.fail_on)


FORMAT = OutputFormat("text", "text (for people)", show=_show)
