"""Declarative rule cases: report text in, expected claims out; shipped for rule authors to reuse.

A cases file sits beside the rule file it tests (`metrics/killed.cases.yaml` beside
`metrics/killed.yaml`) and reads:

    cases:
      - name: passive voice with a qualifier
        text: At least 84 people were killed in the blasts.
        published: 2024-01-04        # optional: the report's date
        claims:                      # every claim the text must give, and no other
          - {metric: killed, figure: at least 84, low: 84, high: null}

Only the keys a case lists are checked. `claims: []` says the text gives no claim. A cases
file checks the claims of one kind: numeric (figures) unless it says `kind: named` at its top.

Two other files hold cases of findings: `findings.cases.yaml` (a few reports in, the findings
their claims give out: `FindingCase`) and `check.cases.yaml` (reference reports and a draft in,
the draft's findings out: `CheckCase`). Every case is read by the driver, as a run reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ..compare.draft import compare_draft_claims
from ..errors import RuleError
from ..extract.claims import ClaimReader
from ..extract.context import StoryContext
from ..extract.model import CLAIM_COLUMNS, Claim
from ..io.metadata import parse_date
from ..io.model import Document
from ..ruleset.load import CASES_SUFFIX
from ..ruleset.model import RuleSet
from ..run.driver import Driver, number_claims, read_claims, shared_reader
from ..run.frames import claims_frame, findings_frame
from ..yamlio import line_of, load_yaml_file

FINDING_CASES_FILE = "findings.cases.yaml"  # reports in, findings out (see FindingCase)
CHECK_CASES_FILE = "check.cases.yaml"  # reference and a draft in, findings out (CheckCase)
CASE_KEYS = {"name", "text", "published", "source", "claims", "years"}


@dataclass(frozen=True)
class Case:
    """One declarative case: a report's text and the claims it must give."""

    file: str
    line: int | None
    name: str
    text: str
    expected: tuple[Mapping[str, Any], ...]
    published: date | None = None
    source: str | None = None
    years: tuple[int, ...] = ()
    kind: str = "numeric"  # the kind of claims the case checks (the file's `kind`)

    @property
    def id(self) -> str:
        return f"{Path(self.file).name.removesuffix(CASES_SUFFIX)}: {self.name}"


def load_cases(directory: Path) -> list[Case]:
    """Every case in the `*.cases.yaml` files under a rules folder, in file order."""
    cases: list[Case] = []
    for path in sorted(directory.rglob(f"*{CASES_SUFFIX}")):
        if path.name in (FINDING_CASES_FILE, CHECK_CASES_FILE):
            continue
        data = load_yaml_file(path)
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise RuleError("a cases file must have a 'cases' list", path, line_of(data))
        kind = str(data.get("kind", "numeric"))
        if kind not in ("numeric", "named"):
            raise RuleError("a cases file's kind is numeric or named", path,
                            line_of(data, "kind"))
        for index, item in enumerate(data["cases"]):
            line = line_of(data["cases"], index)
            if not isinstance(item, dict) or not {"name", "text", "claims"} <= set(item):
                raise RuleError("a case needs 'name', 'text' and 'claims'", path, line)
            unknown = set(item) - CASE_KEYS
            if unknown:
                raise RuleError(f"unknown key '{sorted(unknown)[0]}' in a case", path, line)
            for claim in item["claims"] or []:
                bad = set(claim) - set(CLAIM_COLUMNS)
                if bad:
                    raise RuleError(f"'{sorted(bad)[0]}' is not a claims-table column", path,
                                    line_of(claim) or line)
            published = parse_date(item["published"]) if item.get("published") else None
            cases.append(Case(str(path), line, str(item["name"]), str(item["text"]),
                              tuple(item["claims"] or ()), published, item.get("source"),
                              tuple(item.get("years") or ()), kind))
    return cases


def _same(expected: Any, found: Any) -> bool:
    if isinstance(expected, date) or isinstance(found, date):
        return str(expected) == str(found)
    if isinstance(expected, int | float) and not isinstance(expected, bool) and found is not None:
        return float(expected) == float(found)
    if isinstance(expected, str) and isinstance(found, str):
        return expected.casefold() == found.casefold()
    return expected == found


def _fits(expected: Mapping[str, Any], found: Mapping[str, Any]) -> bool:
    """Whether a found record says all an expected one does (lists: the same items)."""
    return all(sorted(map(str, v)) == sorted(map(str, found.get(k) or []))
               if isinstance(v, list) else _same(v, found.get(k))
               for k, v in expected.items())


def match_expected(expected: Sequence[Mapping[str, Any]], found: Sequence[Mapping[str, Any]]
                   ) -> tuple[list[str], list[int]]:
    """Each expected record matched to a found one of its own: the problems of those with
    none, and the positions of the found records left over."""
    unmatched = list(range(len(found)))
    problems = []
    for wanted in expected:
        match = next((i for i in unmatched if _fits(wanted, found[i])), None)
        if match is None:
            problems.append(f"expected {dict(wanted)}")
        else:
            unmatched.remove(match)
    return problems, unmatched


def case_document(name: str, report: Mapping[str, Any], story: str = "") -> Document:
    """A report written in a cases file (`text`, optional `source` and `date`) as a document."""
    return Document(doc=name, text=str(report["text"]), outlet=report.get("source"),
                    published=parse_date(report["date"]) if report.get("date") else None,
                    story=story)


def _describe(claim: Claim) -> str:
    interval = f"[{claim.low}, {claim.high}]"
    extra = "" if claim.in_scope else f", out of scope ({claim.scope_note})"
    if claim.kind == "named":
        detail = ", ".join(f"{k} {v}" for k, v in (("role", claim.role),
                                                    ("stance", claim.stance)) if v)
        return (f"{claim.metric} {claim.figure!r} = {claim.entity or '-'} ({detail or '-'}) "
                f"by {claim.attributed_to or '-'} on {claim.claim_date or '-'}{extra}")
    return (f"{claim.metric} {claim.figure!r} {interval} by {claim.attributed_to or '-'} "
            f"on {claim.claim_date or '-'}{extra}")


def run_case(case: Case, reader: ClaimReader) -> list[str]:
    """What is wrong with the claims read from a case's text; empty when the case passes."""
    document = Document(doc=case.id, text=case.text, outlet=case.source,
                        published=case.published)
    years = list(case.years) or ([case.published.year] if case.published else [])
    read = Driver(reader.rules, reader).read(document, StoryContext(years=years))
    claims = number_claims([c for c in read if c.kind == case.kind])
    values = [{**c.row(), "part_of": c.total.figure if c.total else None} for c in claims]
    problems, unmatched = match_expected(case.expected, values)
    problems += [f"unexpected {_describe(claims[i])}" for i in unmatched]
    if problems:
        problems.append("found: " + ("; ".join(_describe(c) for c in claims) or "no claims"))
    return problems


def run_cases(rules: RuleSet, directory: Path) -> list[tuple[Case, list[str]]]:
    """Run every case under a rules folder against a rule set: each case with its problems."""
    reader = shared_reader(rules)
    return [(case, run_case(case, reader)) for case in load_cases(directory)]


@dataclass(frozen=True)
class FindingCase:
    """A few reports in, the findings their claims must give."""

    file: str
    line: int | None
    name: str
    reports: tuple[Mapping[str, Any], ...]
    expected: tuple[Mapping[str, Any], ...]

    @property
    def id(self) -> str:
        return f"{Path(self.file).name.removesuffix(CASES_SUFFIX)}: {self.name}"


def load_finding_cases(path: Path) -> list[FindingCase]:
    """Cases of `findings.cases.yaml`: each lists `reports` and the `findings` expected."""
    data = load_yaml_file(path)
    cases = []
    for index, item in enumerate(data.get("cases") or []):
        line = line_of(data["cases"], index)
        if not isinstance(item, dict) or not {"name", "reports", "findings"} <= set(item):
            raise RuleError("a findings case needs 'name', 'reports' and 'findings'", path, line)
        cases.append(FindingCase(str(path), line, str(item["name"]), tuple(item["reports"]),
                                 tuple(item["findings"] or ())))
    return cases


def finding_case_results(case: FindingCase, rules: RuleSet
                         ) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """The claims a findings case's reports give, and every finding, in the shape cases
    compare: kind, metric, rule, severity and the figures (as written) it names."""
    documents = [case_document(f"report{n}", r) for n, r in enumerate(case.reports, start=1)]
    claims = claims_frame(read_claims(documents, rules))
    findings = findings_frame(Driver(rules).findings(claims.to_dict("records")))
    figures = dict(zip(claims["claim_id"], claims["figure"], strict=True))
    found = [
        {"kind": f["kind"], "metric": f["metric"], "rule": f["rule"],
         "severity": f["severity"],
         "figures": [figures[i] for i in f["claim_ids"]]}
        for f in findings.to_dict("records")
    ]
    return claims, found


def run_finding_case(case: FindingCase, rules: RuleSet) -> list[str]:
    """What is wrong with the findings for a case's reports; empty when the case passes."""
    claims, found = finding_case_results(case, rules)
    problems, unmatched = match_expected(case.expected, found)
    problems += [f"unexpected {found[i]}" for i in unmatched]
    if problems:
        claim_list = "; ".join(f"{r['claim_id']} {r['metric']} {r['figure']!r} "
                               f"({r['claim_date']})" for r in claims.to_dict("records"))
        problems.append(f"claims: {claim_list or 'none'}")
    return problems


# -- check cases: rules/check.cases.yaml ----------------------------------------------------------


@dataclass(frozen=True)
class CheckCase:
    """Reference reports and a draft in, the draft's findings out."""

    file: str
    line: int | None
    name: str
    reference: tuple[Mapping[str, Any], ...]
    draft: Mapping[str, Any]
    expected: tuple[Mapping[str, Any], ...]

    @property
    def id(self) -> str:
        return f"check: {self.name}"


def load_check_cases(path: Path) -> list[CheckCase]:
    """The cases of a `check.cases.yaml`; a malformed one is a rule error at its line."""
    data = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise RuleError("a check cases file must have a 'cases' list", path, line_of(data))
    cases = []
    for index, item in enumerate(data["cases"]):
        line = line_of(data["cases"], index)
        if not isinstance(item, dict) or not {"name", "reference", "draft", "findings"} <= set(
                item) or not isinstance(item["draft"], dict) or "text" not in item["draft"]:
            raise RuleError("a check case needs 'name', 'reference', 'draft' (with 'text') and "
                            "'findings'", path, line)
        cases.append(CheckCase(str(path), line, str(item["name"]), tuple(item["reference"]),
                               item["draft"], tuple(item["findings"] or ())))
    return cases


def check_case_findings(case: CheckCase, rules: RuleSet) -> list[dict[str, Any]]:
    """What a check case's draft gives, in the shape cases compare."""
    reference = [case_document(f"reference{n}", r) for n, r in enumerate(case.reference, 1)]
    draft = case_document("draft", case.draft, story="draft")
    found = compare_draft_claims(claims_frame(read_claims([draft], rules)).to_dict("records"),
                                 claims_frame(read_claims(reference, rules)).to_dict("records"),
                                 rules)
    return [{"kind": f.kind, "rule": f.rule, "severity": f.severity, "metric": f.metric,
             "figure": f.figure, "references": [r.figure for r in f.references]}
            for f in found]


def run_check_case(case: CheckCase, rules: RuleSet) -> list[str]:
    """What is wrong with the findings for a check case; empty when the case passes."""
    found = check_case_findings(case, rules)
    problems, unmatched = match_expected(case.expected, found)
    problems += [f"unexpected {found[i]}" for i in unmatched]
    return problems
