"""`check --format junit`: JUnit XML, a suite per draft and a failing case per finding.

JUnit XML, a suite per draft and a failing case per finding (for dashboards: the exit code, not
this report, is the verdict).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree

from ...compare.draft import DraftFinding
from ...errors import one_line
from ..safetext import xml_text
from .base import OutputFormat, sorted_findings


def to_junit(findings: Sequence[DraftFinding], drafts: Sequence[str]) -> str:
    """JUnit XML: a test suite per draft, a failing test case per finding, and one passing
    case for a draft without findings (a report for CI dashboards; the exit code still rules)."""
    by_draft: dict[str, list[DraftFinding]] = {d: [] for d in drafts}
    for f in sorted_findings(findings):
        by_draft.setdefault(f.path, []).append(f)
    # every text from the input through xml_text: a control character would make the XML
    # ill-formed (a draft's \x1b, \x0b or NUL)
    root = ElementTree.Element("testsuites", name="factcheck", tests="0", failures="0")
    total = failures = 0
    for draft in sorted(by_draft):
        found = by_draft[draft]
        shown = xml_text(one_line(draft))
        suite = ElementTree.SubElement(root, "testsuite", name=shown,
                                       tests=str(max(len(found), 1)),
                                       failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ElementTree.SubElement(suite, "testcase", name="factcheck", classname=shown)
        for f in found:
            case = ElementTree.SubElement(suite, "testcase", classname=shown,
                                          name=xml_text(f"{f.rule} {f.rule_name} at {f.line}:"
                                                        f"{f.column}"),
                                          file=shown, line=str(f.line))
            failure = ElementTree.SubElement(case, "failure", message=xml_text(one_line(f.message)),
                                             type=xml_text(f"{f.rule} ({f.severity})"))
            details = [f"{draft}:{f.line}:{f.column}: {f.rule} {f.message}",
                       f"draft: {f.quote}"]
            details += [f"reference: {r.describe()} at {r.path}:{r.line}"
                        for r in f.references]
            failure.text = xml_text("\n".join(details))
        total += max(len(found), 1)
        failures += len(found)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


FORMAT = OutputFormat("junit", "junit", render=lambda report: to_junit(report.findings,
                                                                    report.drafts))
