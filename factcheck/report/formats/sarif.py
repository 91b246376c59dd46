"""`check --format sarif`: a SARIF 2.1.0 log of the findings.

A SARIF 2.1.0 log, the finding rules as its rules, each finding a result with the reference
claims as related locations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from ...compare.draft import DraftFinding
from ...errors import Problem
from ...resources import VERSION
from ...ruleset.model import FindingRule
from ..safetext import json_text
from .base import OutputFormat, sorted_findings

SARIF_SCHEMA = \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    posix = Path(path).as_posix()
    try:  # a name read from a file system that is not UTF-8: its own bytes
        raw = posix.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # any other lone surrogate: still a URI, never a crash
        raw = posix.encode("utf-8", "surrogatepass")
    quoted = url_quote(raw, safe="/")
    return f"file://{quoted}" if Path(path).is_absolute() else quoted


def _region(line: int, column: int, end_line: int, end_column: int,
            snippet: str | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": line, "startColumn": column,
                              "endLine": end_line, "endColumn": end_column}
    if snippet:
        region["snippet"] = {"text": snippet}
    return region


def _sarif_rule(rule: FindingRule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.name.replace("-", " ")},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.description} Example: {rule.example}"},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity],
                                 "enabled": rule.enabled},
        "properties": {"kind": rule.kind},
    }


def _notification(problem: Problem) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(problem.path)}}
    if problem.line:
        location["region"] = {"startLine": problem.line}
    return {"level": "error", "message": {"text": f"input skipped: {problem.message}"},
            "locations": [{"physicalLocation": location}]}


def to_sarif(findings: Sequence[DraftFinding], rules: Mapping[str, FindingRule],
             problems: Sequence[Problem] = ()) -> str:
    """A SARIF 2.1.0 log: one run, the finding rules as `tool.driver.rules` (those given and
    any a finding names), each finding a result with its draft location and the reference
    claims it contradicts as related locations; each input that could not be read a
    `toolExecutionNotification` of the run's invocation."""
    codes = sorted({*rules, *(f.rule for f in findings)})
    descriptors = [_sarif_rule(rules[c]) if c in rules else {"id": c} for c in codes]
    index = {code: number for number, code in enumerate(codes)}
    results = []
    for f in sorted_findings(findings):
        location = {"physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path)},
            "region": _region(f.line, f.column, f.end_line, f.end_column, f.quote or None)}}
        related = [
            {"id": number, "message": {"text": r.describe()},
             "physicalLocation": {"artifactLocation": {"uri": _uri(r.path)},
                                  "region": _region(r.line, r.column, r.line,
                                                    r.column + max(len(r.figure), 1),
                                                    r.quote or None)}}
            for number, r in enumerate(f.references)
        ]
        result: dict[str, Any] = {
            "ruleId": f.rule, "ruleIndex": index[f.rule], "level": SARIF_LEVELS[f.severity],
            "message": {"text": f.message}, "locations": [location],
            "partialFingerprints": {"factcheck/v1": f.fingerprint} if f.fingerprint else {},
        }
        if related:
            result["relatedLocations"] = related
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "factcheck", "version": VERSION,
                                "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            # the run went through, but an unreadable input was left out: say which, where
            "invocations": [{"executionSuccessful": not problems,
                             "toolExecutionNotifications": [_notification(p)
                                                            for p in problems]}],
            "results": results,
        }],
    }
    return json_text(log, indent=2) + "\n"


FORMAT = OutputFormat("sarif", "sarif (2.1.0)",
                      render=lambda report: to_sarif(report.findings, report.rules,
                                                     report.problems))
