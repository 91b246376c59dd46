"""`check --format line`: `path:line:col: CODE message`, one finding a line, sorted."""

from __future__ import annotations

from collections.abc import Sequence

from ...compare.draft import DraftFinding
from ...errors import one_line
from .base import OutputFormat, sorted_findings


def to_line(findings: Sequence[DraftFinding]) -> str:
    """`path:line:col: CODE message`, one finding a line, sorted: stable for golden tests."""
    return "".join(f"{one_line(f.path)}:{f.line}:{f.column}: {f.rule} {one_line(f.message)}\n"
                   for f in sorted_findings(findings))


FORMAT = OutputFormat("line", "line (path:line:col: CODE message)",
                      render=lambda report: to_line(report.findings), success_line=True)
