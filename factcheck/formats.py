"""Output formats of `check`: small pure functions from finding records to text (line, JSON,
GitHub workflow commands and step summary, SARIF 2.1.0, JUnit XML), and the terminal report."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote
from xml.etree import ElementTree

from rich.console import Console
from rich.text import Text

from . import __version__
from .compare.draft import DraftFinding
from .errors import one_line
from .ruleset.model import SEVERITIES, SEVERITY_RANK, FindingRule

SARIF_SCHEMA = \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
SEVERITY_STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _sorted(findings: Sequence[DraftFinding]) -> list[DraftFinding]:
    return sorted(findings, key=DraftFinding.sort_key)


def _counts(findings: Sequence[DraftFinding]) -> dict[str, int]:
    counted = Counter(f.severity for f in findings)
    return {level: counted.get(level, 0) for level in SEVERITIES}


# ------------------------------------------------------------------------------- line


def to_line(findings: Sequence[DraftFinding]) -> str:
    """`path:line:col: CODE message`, one finding a line, sorted: stable for golden tests."""
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.rule} {one_line(f.message)}\n"
                   for f in _sorted(findings))


# ------------------------------------------------------------------------------- JSON


def to_json(findings: Sequence[DraftFinding], drafts: int = 0, suppressed: int = 0,
            baselined: int = 0) -> str:
    """`{"findings": [...], "summary": {...}}`: every field of every finding."""
    rows = []
    for finding in _sorted(findings):
        rows.append(finding.row())
    summary = {"drafts": drafts, "findings": len(findings), **_counts(findings),
               "suppressed": suppressed, "baselined": baselined}
    return json.dumps({"findings": rows, "summary": summary}, indent=2,
                      ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------- GitHub


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _references_text(finding: DraftFinding) -> str:
    return "; ".join(f"{r.describe()} at {r.path}:{r.line}"
                     for r in finding.references)


def to_github(findings: Sequence[DraftFinding]) -> str:
    """GitHub Actions workflow commands, one annotation per finding:
    `::error file=F,line=L,col=C,endColumn=E,title=T::message` (`notice` for info)."""
    lines = []
    for f in _sorted(findings):
        properties = {"file": f.path, "line": str(f.line), "col": str(f.column),
                      "endLine": str(f.end_line), "endColumn": str(f.end_column),
                      "title": f"{f.rule} {f.rule_name}"}
        joined = ",".join(f"{k}={_escape_property(v)}" for k, v in properties.items())
        message = f.message
        if f.references:
            message += f"\nReference: {_references_text(f)}"
        lines.append(f"::{GITHUB_COMMANDS[f.severity]} {joined}::{_escape_data(message)}\n")
    return "".join(lines)


def _cell(value: str) -> str:
    """Text safe inside a Markdown table cell."""
    return one_line(value).replace("\\", "\\\\").replace("|", "\\|")


def github_summary(findings: Sequence[DraftFinding], drafts: int) -> str:
    """A Markdown summary for `$GITHUB_STEP_SUMMARY`: counts, then a table of every finding
    (GitHub shows only the first ten annotations of each level in a step)."""
    counts = _counts(findings)
    heading = (f"### factcheck: {len(findings)} finding{'s' * (len(findings) != 1)} in "
               f"{drafts} draft{'s' * (drafts != 1)}")
    parts = [heading, "", ", ".join(f"{n} {level}" for level, n in counts.items()), ""]
    if findings:
        parts += ["| severity | rule | where | draft says | message | reference |",
                  "|---|---|---|---|---|---|"]
        for f in _sorted(findings):
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


# ------------------------------------------------------------------------------- SARIF


def _uri(path: str) -> str:
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return url_quote(Path(path).as_posix(), safe="/")


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


def to_sarif(findings: Sequence[DraftFinding], rules: Mapping[str, FindingRule]) -> str:
    """A SARIF 2.1.0 log: one run, the finding rules as `tool.driver.rules` (those given and
    any a finding names), each finding a result with its draft location and the reference
    claims it contradicts as related locations."""
    codes = sorted({*rules, *(f.rule for f in findings)})
    descriptors = [_sarif_rule(rules[c]) if c in rules else {"id": c} for c in codes]
    index = {code: number for number, code in enumerate(codes)}
    results = []
    for f in _sorted(findings):
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
            "tool": {"driver": {"name": "factcheck", "version": __version__,
                                "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------- JUnit


def to_junit(findings: Sequence[DraftFinding], drafts: Sequence[str]) -> str:
    """JUnit XML: a test suite per draft, a failing test case per finding, and one passing
    case for a draft without findings (a report for CI dashboards; the exit code still rules)."""
    by_draft: dict[str, list[DraftFinding]] = {d: [] for d in drafts}
    for f in _sorted(findings):
        by_draft.setdefault(f.path, []).append(f)
    root = ElementTree.Element("testsuites", name="factcheck", tests="0", failures="0")
    total = failures = 0
    for draft in sorted(by_draft):
        found = by_draft[draft]
        suite = ElementTree.SubElement(root, "testsuite", name=draft,
                                       tests=str(max(len(found), 1)),
                                       failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ElementTree.SubElement(suite, "testcase", name="factcheck", classname=draft)
        for f in found:
            case = ElementTree.SubElement(suite, "testcase", classname=draft,
                                          name=f"{f.rule} {f.rule_name} at {f.line}:{f.column}",
                                          file=draft, line=str(f.line))
            failure = ElementTree.SubElement(case, "failure", message=one_line(f.message),
                                             type=f"{f.rule} ({f.severity})")
            details = [f"{draft}:{f.line}:{f.column}: {f.rule} {f.message}",
                       f"draft: {f.quote}"]
            details += [f"reference: {r.describe()} at {r.path}:{r.line}"
                        for r in f.references]
            failure.text = "\n".join(details)
        total += max(len(found), 1)
        failures += len(found)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# ------------------------------------------------------------------------------- text


def print_text(console: Console, findings: Sequence[DraftFinding], drafts: int,
               reference_claims: int, suppressed: int = 0, baselined: int = 0,
               fail_on: str = "error") -> None:
    """The report for people: each finding with its place, the draft's words and the
    reference claims it contradicts, then a summary line."""
    for f in _sorted(findings):
        heading = Text()
        heading.append(f"{f.path}:{f.line}:{f.column}", style="bold")
        heading.append("  ")
        heading.append(f"{f.severity:<7}", style=SEVERITY_STYLES[f.severity])
        heading.append(f" {f.rule} {f.rule_name}")
        console.print(heading, overflow="fold")
        console.print(Text(f"  {f.message}"), overflow="fold")
        if f.quote:
            console.print(Text(f"  draft:     “{f.quote}”", style="dim"), overflow="fold")
        for r in f.references:
            line = Text("  reference: ")
            line.append(f"{r.figure}", style="bold")
            line.append(f" ({r.source}, {r.date or 'unknown date'})  "
                        f"{r.path}:{r.line}")
            console.print(line, overflow="fold")
            if r.quote:
                console.print(Text(f"             “{r.quote}”", style="dim"), overflow="fold")
        console.print()
    counts = _counts(findings)
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


# ------------------------------------------------------------------------------- files
