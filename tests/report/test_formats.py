"""Snapshot tests of the `check` output formats: pure functions of finding records."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema

from factcheck.compare.draft import DraftFinding, ReferenceClaim
from factcheck.errors import Problem
from factcheck.report.formats.github import github_summary, problem_annotations, to_github
from factcheck.report.formats.json import to_json
from factcheck.report.formats.junit import to_junit
from factcheck.report.formats.line import to_line
from factcheck.report.formats.sarif import to_sarif
from factcheck.ruleset.model import FindingRule

SCHEMA = json.loads((Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json")
                    .read_text(encoding="utf-8"))
RULE = FindingRule(code="FC301", name="draft-stale-figure", kind="draft-stale", severity="error",
                   description="A superseded figure.", example="84 → 94",
                   message="{metric}: {figure}", source="rules/findings.yaml")
REFERENCE = ReferenceClaim(figure="17", source="prefect Hélène Dupré", date="2024-03-04",
                           path="reference/b.md", line=6, column=53,
                           quote="has risen to 17, prefect Hélène Dupré said")
STALE = DraftFinding(
    rule="FC301", rule_name="draft-stale-figure", severity="error", kind="draft-stale",
    path="drafts/ferry, day 2.md", line=7, column=49, end_line=7, end_column=60,
    message="killed: the draft's 'at least 12' is out of date; 100% sure\nsecond line",
    quote="said “at least 12” | people", metric="killed", figure="at least 12",
    references=(REFERENCE,), fingerprint="0123456789abcdef")
INFO = DraftFinding(
    rule="FC303", rule_name="draft-unsupported-figure", severity="info",
    kind="draft-unsupported", path="drafts/a.md", line=2, column=1, end_line=2, end_column=2,
    message="missing: no reference", quote="4 people were missing", metric="missing",
    figure="4", fingerprint="fedcba9876543210")


def test_line_is_sorted_and_one_line_each() -> None:
    assert to_line([STALE, INFO]) == (
        "drafts/a.md:2:1: FC303 missing: no reference\n"
        "drafts/ferry, day 2.md:7:49: FC301 killed: the draft's 'at least 12' is out of date; "
        "100% sure\\nsecond line\n")


def test_github_escapes_data_and_properties() -> None:
    assert to_github([STALE, INFO]) == (
        "::notice file=drafts/a.md,line=2,col=1,endLine=2,endColumn=2,"
        "title=FC303 draft-unsupported-figure::missing: no reference\n"
        "::error file=drafts/ferry%2C day 2.md,line=7,col=49,endLine=7,endColumn=60,"
        "title=FC301 draft-stale-figure::killed: the draft's 'at least 12' is out of date; "
        "100%25 sure%0Asecond line%0AReference: 17 (prefect Hélène Dupré, 2024-03-04) at "
        "reference/b.md:6\n")


def test_github_summary_is_a_markdown_table() -> None:
    summary = github_summary([STALE], drafts=2)
    assert summary.splitlines()[:5] == [
        "### factcheck: 1 finding in 2 drafts", "", "1 error, 0 warning, 0 info", "",
        "| severity | rule | where | draft says | message | reference |"]
    assert "said “at least 12” \\| people" in summary and "\\nsecond line" in summary


def test_json_has_every_field() -> None:
    data = json.loads(to_json([STALE], drafts=1, suppressed=2, baselined=3))
    assert data["summary"] == {"drafts": 1, "findings": 1, "error": 1, "warning": 0, "info": 0,
                               "suppressed": 2, "baselined": 3}
    assert data["findings"][0]["references"][0]["source"] == "prefect Hélène Dupré"
    assert data["findings"][0]["column"] == 49


def test_sarif_is_valid_2_1_0_with_rules_and_locations() -> None:
    log = json.loads(to_sarif([STALE, INFO], {"FC301": RULE}))
    jsonschema.validate(log, SCHEMA)
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["FC301", "FC303"]
    result = run["results"][1]
    assert result["ruleId"] == "FC301" and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "drafts/ferry%2C%20day%202.md"
    assert location["region"]["startColumn"] == 49 and location["region"]["endColumn"] == 60
    assert result["relatedLocations"][0]["message"]["text"] == (
        "17 (prefect Hélène Dupré, 2024-03-04)")
    assert run["results"][0]["level"] == "note"


def test_junit_has_a_suite_per_draft_and_a_failure_per_finding() -> None:
    root = ElementTree.fromstring(to_junit([STALE], ["drafts/ferry, day 2.md", "drafts/b.md"]))
    assert (root.get("tests"), root.get("failures")) == ("2", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert suites["drafts/b.md"].get("failures") == "0"
    failure = suites["drafts/ferry, day 2.md"].find("testcase/failure")
    assert failure is not None and failure.get("type") == "FC301 (error)"
    assert "reference: 17 (prefect Hélène Dupré, 2024-03-04)" in (failure.text or "")


# What a draft or a file name may hold that XML 1.0 forbids or UTF-8 cannot encode.
ILL_FORMED = "\x1b[31m\x0b\x00\ud800\ufffe\x85\u202e"


def _ill_formed_finding() -> DraftFinding:
    reference = dataclasses.replace(REFERENCE, quote=ILL_FORMED, source=ILL_FORMED)
    return dataclasses.replace(STALE, path=f"drafts/{ILL_FORMED}.md", message=ILL_FORMED,
                               quote=ILL_FORMED, references=(reference,))


def test_junit_is_well_formed_whatever_the_draft_holds() -> None:
    finding = _ill_formed_finding()
    text = to_junit([finding], [finding.path, f"b{ILL_FORMED}.md"])
    root = ElementTree.fromstring(text.encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "\\x1b[31m" in failure.get("message", "")
    assert "\\x00" in (failure.text or "")


def test_json_and_sarif_encode_and_parse_whatever_the_draft_holds() -> None:
    finding = _ill_formed_finding()
    for text in (to_json([finding]), to_sarif([finding], {"FC301": RULE})):
        parsed = json.loads(text.encode("utf-8"))
        assert "\\ud800" in json.dumps(parsed, ensure_ascii=False)


SKIPPED = Problem(path="drafts/bad, one.md", message="not text: NUL byte", line=3)


def test_sarif_notes_each_unreadable_input() -> None:
    log = json.loads(to_sarif([STALE], {"FC301": RULE}, [SKIPPED]))
    jsonschema.validate(log, SCHEMA)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "NUL byte" in note["message"]["text"]
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "drafts/bad%2C%20one.md"
    assert location["region"] == {"startLine": 3}
    clean = json.loads(to_sarif([STALE], {"FC301": RULE}))
    assert clean["runs"][0]["invocations"] == [{"executionSuccessful": True,
                                                "toolExecutionNotifications": []}]


def test_github_annotates_each_unreadable_input() -> None:
    assert problem_annotations([SKIPPED, Problem("b\x1b.md", "unreadable")]) == (
        "::error file=drafts/bad%2C one.md,line=3,title=factcheck%3A input skipped::"
        "not text: NUL byte\n"
        "::error file=b\\x1b.md,title=factcheck%3A input skipped::unreadable\n")
