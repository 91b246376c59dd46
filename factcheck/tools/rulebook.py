"""Rule-set tools: list, describe, test and scaffold rules.

The library side of `factcheck rules …`: every function returns plain data or a pandas
DataFrame (the command line only renders), so a notebook or a CI script can do the same:

    >>> from factcheck import load_rules
    >>> from factcheck.tools import rulebook
    >>> rulebook.rule_table(load_rules())                  # one row per finding rule and metric
    >>> rulebook.describe_rule(load_rules(), "FC101")      # one rule, every key
    >>> rulebook.run_rule_tests(["newsroom-rules"]).failed  # the declarative cases, run
    >>> rulebook.scaffold_metric("evacuated", Path("newsroom-rules"))
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import FactcheckError, RuleError, nearest_names
from ..extract.claims import ClaimReader
from ..extract.context import StoryContext
from ..extract.model import Claim
from ..fileio import replace_all, temporary_beside
from ..io.model import Document
from ..resources import shipped_rules_dir
from ..ruleset.load import CASES_SUFFIX, same_folder, yaml_files
from ..ruleset.model import FindingRule, Metric, RuleSet
from ..run.api import load_rules
from ..yamlio import line_of, load_yaml_file
from .cases import (
    FINDING_CASES_FILE,
    Case,
    FindingCase,
    finding_case_results,
    load_cases,
    load_finding_cases,
    run_case,
    run_finding_case,
)

__all__ = [
    "RULE_COLUMNS",
    "CaseResult",
    "RuleTestRun",
    "Scaffold",
    "UnknownRuleError",
    "case_files",
    "default_rules_dir",
    "describe_rule",
    "find_rule",
    "nearest_rule_ids",
    "rule_table",
    "run_rule_tests",
    "scaffold_metric",
]

RULE_COLUMNS = ["id", "name", "kind", "severity", "enabled", "source"]
METRIC_KIND = "metric"
# Metric names become file names and claims-table values: keep them plain. A leading letter,
# because the scaffold's example sentence uses the name as words, and a figure there would be
# read as the count.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


# --------------------------------------------------------------------------- list and show


def rule_table(rules: RuleSet) -> pd.DataFrame:
    """One row per rule: finding rules by code, then metrics by name (`RULE_COLUMNS`).

    A metric is identified by its name, has kind `metric` and no severity (its figures are
    judged by the finding rules).
    """
    rows: list[dict[str, Any]] = [
        {"id": rule.code, "name": rule.name, "kind": rule.kind, "severity": rule.severity,
         "enabled": rule.enabled, "source": rule.source}
        for rule in sorted(rules.finding_rules.values(), key=lambda r: r.code)
    ]
    rows += [
        {"id": metric.name, "name": None, "kind": METRIC_KIND, "severity": None,
         "enabled": metric.enabled, "source": metric.source}
        for metric in sorted(rules.metrics.values(), key=lambda m: m.name)
    ]
    return pd.DataFrame(rows, columns=RULE_COLUMNS).astype({"enabled": bool})


class UnknownRuleError(FactcheckError):
    """An ID that names no finding rule or metric; the message lists the nearest known IDs."""


def _known_ids(rules: RuleSet) -> list[str]:
    """Every ID `find_rule` accepts: codes, finding-rule names and metric names."""
    ids = sorted(rules.finding_rules)
    ids += sorted(r.name for r in rules.finding_rules.values())
    ids += sorted(rules.metrics)
    return list(dict.fromkeys(ids))


def nearest_rule_ids(rules: RuleSet, rule_id: str, limit: int = 3) -> list[str]:
    """The known IDs closest to `rule_id` (see `nearest_names`)."""
    return nearest_names(rule_id, _known_ids(rules), limit)


def find_rule(rules: RuleSet, rule_id: str) -> FindingRule | Metric:
    """The finding rule (by code or name) or metric (by name) `rule_id` names, any case.

    Raises UnknownRuleError naming the nearest known IDs.
    """
    wanted = rule_id.strip().casefold()
    for rule in rules.finding_rules.values():
        if rule.code.casefold() == wanted:
            return rule
    for metric in rules.metrics.values():
        if metric.name.casefold() == wanted:
            return metric
    for rule in rules.finding_rules.values():
        if rule.name.casefold() == wanted:
            return rule
    nearest = ", ".join(nearest_rule_ids(rules, rule_id)) or "none"
    raise UnknownRuleError(f"no rule or metric '{rule_id}' (nearest: {nearest}; "
                           "`factcheck rules list` lists them all)")


def _pattern(pattern: str, source: str, line: int | None) -> dict[str, Any]:
    return {"pattern": pattern, "file": source, "line": line}


def describe_rule(rules: RuleSet, rule_id: str) -> dict[str, Any]:
    """Everything a rule file says about one finding rule or metric, as plain data.

    Finding rule: `type` "finding rule", code, name, kind, severity, enabled, description,
    example, message (the template), source. Metric: `type` "metric", name, description,
    example, accumulates, tolerance, enabled, keywords, source, its lexicon (the phrases of each
    kind), and each pattern of its own as written with its file and line (`patterns`;
    `conditional_patterns` with `unless_report_mentions`, the pattern that switches them off in
    a report).
    """
    rule = find_rule(rules, rule_id)
    if isinstance(rule, FindingRule):
        return {"type": "finding rule", "id": rule.code, "code": rule.code, "name": rule.name,
                "kind": rule.kind, "severity": rule.severity, "enabled": rule.enabled,
                "description": rule.description, "example": rule.example,
                "message": rule.message, "source": rule.source}
    metric = rule
    lines = metric.pattern_lines or (None,) * len(metric.patterns)
    conditional_lines = (metric.conditional_lines
                         or (None,) * len(metric.conditional_patterns))
    unless = (_pattern(metric.unless_report_mentions, metric.source, metric.unless_line)
              if metric.unless_report_mentions else None)
    return {
        "type": "metric", "id": metric.name, "name": metric.name,
        "description": metric.description, "example": metric.example,
        "accumulates": metric.accumulates, "tolerance": _plain(metric.tolerance),
        "enabled": metric.enabled, "keywords": list(metric.keywords), "source": metric.source,
        "lexicon": {kind: list(phrases) for kind, phrases in metric.lexicon.items() if phrases},
        "patterns": [_pattern(p, metric.source, line)
                     for p, line in zip(metric.patterns, lines, strict=True)],
        "conditional_patterns": [_pattern(p, metric.source, line) for p, line
                                 in zip(metric.conditional_patterns, conditional_lines,
                                        strict=True)],
        "unless_report_mentions": unless,
    }


# --------------------------------------------------------------------------- test


def _plain(value: Any) -> Any:
    """A value from a case file or a claim as plain JSON-ready data: dates as ISO text,
    whole floats as ints, an unbounded end (infinity) as None, YAML containers as dict/list."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() else value
    return value


@dataclass(frozen=True)
class CaseResult:
    """One declarative case, run: what it gave, what it expected, and why it failed.

    `kind` is `claims` (a sentence in, claims out: `text`) or `findings` (a few reports in,
    findings out: `reports`). `found` is what the rules gave, in the shape of the expected
    entries (only for a failed case); `problems` are the case runner's own lines (empty when
    the case passed); `skipped` says why a case was not judged.
    """

    kind: str
    file: str
    line: int | None
    name: str
    expected: list[dict[str, Any]]
    text: str | None = None
    reports: list[dict[str, Any]] = field(default_factory=list)
    found: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None

    @property
    def passed(self) -> bool:
        return not self.problems and self.skipped is None

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind, "file": self.file, "line": self.line,
                                  "name": self.name}
        if self.kind == "claims":
            record["text"] = self.text
        else:
            record["reports"] = self.reports
        record.update(expected=self.expected, found=self.found, problems=self.problems)
        if self.skipped is not None:
            record["skipped"] = self.skipped
        return record


@dataclass(frozen=True)
class RuleTestRun:
    """Every declarative case of a rule set, run (`factcheck rules test`)."""

    dirs: tuple[str, ...]  # the rules folders the rule set was loaded from, in layer order
    case_files: tuple[str, ...]  # the cases files run, after layering
    results: tuple[CaseResult, ...]

    @property
    def run(self) -> int:
        return sum(1 for r in self.results if r.skipped is None)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.failed)

    @property
    def failures(self) -> list[CaseResult]:
        return [r for r in self.results if r.failed]

    @property
    def skipped(self) -> list[CaseResult]:
        return [r for r in self.results if r.skipped is not None]

    def frame(self) -> pd.DataFrame:
        """One row per case: kind, file, line, name, passed, skipped, problems."""
        return pd.DataFrame(
            [{"kind": r.kind, "file": r.file, "line": r.line, "name": r.name,
              "passed": r.passed, "skipped": r.skipped, "problems": r.problems}
             for r in self.results],
            columns=["kind", "file", "line", "name", "passed", "skipped", "problems"])

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of `rules test --format json`: counts, then each failure and
        each skipped case in full."""
        return {"rules": list(self.dirs), "case_files": list(self.case_files),
                "run": self.run, "passed": self.passed, "failed": self.failed,
                "skipped": len(self.skipped),
                "failures": [r.to_dict() for r in self.failures],
                "skipped_cases": [r.to_dict() for r in self.skipped]}


def case_files(folders: Sequence[Path]) -> dict[str, Path]:
    """The `*.cases.yaml` files of rules folders by their path inside the folder; a later
    folder's file replaces an earlier one's at the same path, as rule files do (a newsroom
    that rewrites a metric gives its own cases for it)."""
    return dict(yaml_files(folders, cases=True))


class _RecordingReader(ClaimReader):
    """A ClaimReader that keeps the claims of its last read, so that a failed case shows
    exactly the claims the case runner judged (it reports only what did not match)."""

    last: list[Claim]

    def read(self, document: Document, context: StoryContext | None = None) -> list[Claim]:
        self.last = super().read(document, context)
        return self.last


def _found_claims(claims: Sequence[Claim], expected: Sequence[Mapping[str, Any]]
                  ) -> list[dict[str, Any]]:
    """The claims read, with the keys the case checks (metric and figure first), so that a
    failure reads side by side with what was expected."""
    keys = list(dict.fromkeys(["metric", "figure", *(k for e in expected for k in e)]))
    found = []
    for claim in claims:
        row = claim.row()
        # as run_case compares it: the figure of the total, not its id
        row["part_of"] = claim.total.figure if claim.total is not None else None
        found.append({key: _plain(row.get(key)) for key in keys})
    return found


def _found_findings(case: FindingCase, rules: RuleSet) -> list[dict[str, Any]]:
    """Every finding a findings case's reports give (the runner reports only the findings
    that did not match); asked for failed cases only."""
    return finding_case_results(case, rules)[1]


def _claims_skip(case: Case, rules: RuleSet) -> str | None:
    """Why a claims case cannot be judged: it expects a metric the rule set does not have
    (switched off by a newsroom, say). A misspelt metric lands here too, and is shown."""
    absent = sorted({str(e["metric"]) for e in case.expected
                     if e.get("metric") is not None and e["metric"] not in rules.metrics
                     and e["metric"] not in rules.named_kinds()})
    return f"metric {', '.join(absent)} not in the rule set" if absent else None


def _findings_skip(case: FindingCase, rules: RuleSet) -> str | None:
    """Why a findings case cannot be judged: it expects a finding of a rule switched off, of
    a kind no enabled rule gives, or of a metric the rule set does not have."""
    reasons: list[str] = []
    for expected in case.expected:
        code, kind, metric = expected.get("rule"), expected.get("kind"), expected.get("metric")
        rule = rules.finding_rules.get(str(code)) if code is not None else None
        if rule is not None and not rule.enabled:
            reasons.append(f"rule {code} is switched off")
        elif kind is not None and rules.rule_for_kind(str(kind)) is None:
            reasons.append(f"no enabled rule gives {kind} findings")
        if metric is not None and metric not in rules.metrics \
                and metric not in rules.named_kinds():
            reasons.append(f"metric {metric} not in the rule set")
    return "; ".join(dict.fromkeys(reasons)) or None


def _load_finding_cases(path: Path) -> list[FindingCase]:
    """`cases.load_finding_cases`, after checking the shape it relies on, so that a broken
    file is a rule error at its line rather than a crash."""
    data = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("cases", []), list):
        raise RuleError("a findings cases file must have a 'cases' list", path, line_of(data))
    for index, item in enumerate(data.get("cases") or []):
        reports = item.get("reports") if isinstance(item, dict) else None
        if not isinstance(reports, list):
            continue  # load_finding_cases names the missing key
        for number, report in enumerate(reports):
            if not isinstance(report, dict) or "text" not in report:
                raise RuleError("each report of a findings case needs 'text'", path,
                                line_of(reports, number) or line_of(data["cases"], index))
    return load_finding_cases(path)


def _claims_result(case: Case, reader: _RecordingReader, rules: RuleSet) -> CaseResult:
    expected = [_plain(e) for e in case.expected]
    skipped = _claims_skip(case, rules)
    if skipped:
        return CaseResult("claims", case.file, case.line, case.name, expected, text=case.text,
                          skipped=skipped)
    problems = run_case(case, reader)
    found = _found_claims(reader.last, case.expected) if problems else []
    return CaseResult("claims", case.file, case.line, case.name, expected, text=case.text,
                      found=found, problems=problems)


def _findings_result(case: FindingCase, rules: RuleSet) -> CaseResult:
    expected = [_plain(e) for e in case.expected]
    reports = [_plain(r) for r in case.reports]
    skipped = _findings_skip(case, rules)
    if skipped:
        return CaseResult("findings", case.file, case.line, case.name, expected,
                          reports=reports, skipped=skipped)
    try:
        problems = run_finding_case(case, rules)
        found = _found_findings(case, rules) if problems else []
    except ValueError as exc:  # a report date parse_date cannot read
        raise RuleError(f"case '{case.name}': {exc}", case.file, case.line) from None
    return CaseResult("findings", case.file, case.line, case.name, expected, reports=reports,
                      found=_plain(found), problems=problems)


def run_rule_tests(dirs: Sequence[str | Path] | None = None) -> RuleTestRun:
    """Load the rule set `dirs` give (as `--rules` does) and run every declarative case of
    the shipped rules and of `dirs` against it: claims cases (`*.cases.yaml`) and findings
    cases (`findings.cases.yaml`). A cases file at the same path in a later folder replaces
    the earlier one. A case about a metric or finding rule the rule set lacks or has switched
    off is skipped, with the reason. Raises RuleError for a broken rule or cases file.
    """
    rules = load_rules(list(dirs) if dirs else None)
    folders = list(rules.dirs)  # the shipped rules first, always (rules.rule_folders)
    files = case_files(folders)
    wanted = {path.resolve() for path in files.values()}
    reader = _RecordingReader(rules)
    results: list[CaseResult] = []
    # load_cases reads a whole folder; keep the cases of the files that won the layering.
    for folder in dict.fromkeys(f.resolve() for f in folders):
        try:
            cases = load_cases(folder)
        except ValueError as exc:  # a `published` date parse_date cannot read
            raise RuleError(f"a case has a bad date: {exc}", folder) from None
        for case in cases:
            if Path(case.file).resolve() in wanted:
                results.append(_claims_result(case, reader, rules))
    for rel, path in files.items():
        if Path(rel).name == FINDING_CASES_FILE:
            results.extend(_findings_result(case, rules) for case in _load_finding_cases(path))
    return RuleTestRun(tuple(str(d) for d in rules.dirs),
                       tuple(str(p) for p in files.values()), tuple(results))


# --------------------------------------------------------------------------- new


@dataclass(frozen=True)
class Scaffold:
    """The files `scaffold_metric` wrote, and the shipped metric file they override, if any."""

    name: str
    directory: Path
    metric_file: Path
    cases_file: Path
    overrides: Path | None = None


def default_rules_dir(cwd: Path | None = None) -> Path:
    """Where `factcheck rules new` writes: `rules/` in the working folder when there is one,
    else the shipped rules of a checkout. Never the copy inside an installed package: an
    upgrade would silently drop a newsroom's metric there."""
    local = (cwd or Path()) / "rules"  # relative, as people give it: for messages
    if local.is_dir():
        return local
    shipped = shipped_rules_dir()
    if "_shipped" in shipped.parts:
        raise FactcheckError("no rules/ folder here, and the shipped rules of an installed "
                             "package are not edited: give --dir DIR (a folder of your own, "
                             "then pass it to --rules)")
    return shipped


def _yaml_text(value: str) -> str:
    """A plain YAML scalar when YAML reads it back unchanged (`evacuated`), else quoted:
    a metric called `on` or `null` must stay text."""
    return value if yaml.safe_load(value) == value else "'" + value.replace("'", "''") + "'"


def _metric_template(name: str) -> tuple[str, str]:
    """The text of `metrics/NAME.yaml` and `metrics/NAME.cases.yaml`: a metric whose lexicon
    gives its example sentence one claim, and a case built from it."""
    words = name.replace("_", " ").strip()
    example = f"At least 12 people were {words}."
    quoted = _yaml_text(name)
    metric = f"""\
# A metric: one kind of count factcheck reads from reports (README, "A metric file").
# Edit every value below, then run `factcheck rules test` on this folder.

# The metric's name, as it appears in the claims table (`metric` column).
metric: {quoted}
# What is counted, in one sentence (`factcheck rules show {name}` prints it).
description: People {words}.
# A sentence from a report that gives one claim of this metric (the cases file checks it).
example: {example}
# true: the figure only grows (a later, lower figure is a conflict unless its report calls it
# a revision); false: any later figure may replace an earlier one, as for people missing.
accumulates: true
# How far apart two exact figures may be and still agree; 0: they must be the same.
tolerance: 0
# The metric's words, by the part they play. The shared constructions of grammar.yaml read
# them in every word order ("12 were {words}", "12 {words}", "the number {words} rose to 12").
# Give each verb in its base form ("evacuate": evacuates, evacuated, evacuating follow); a `*`
# marks where the object stands ("move * to safety": "moved 12 people to safety").
lexicon:
  # transitive verbs: "police evacuated 12", "12 were evacuated"
  verbs: []
  # intransitive verbs: "12 fled", "12 lost their homes" ("lose * homes")
  intransitive: []
  # states: "12 are {words}", "12 {words}"
  states: [{_yaml_text(words)}]
  # nouns that count it: "12 evacuees"
  nouns: []
  # nouns of the act before its count: "the evacuation of 12"
  actions: []
  # names of its tally: "the number of evacuees rose to 12"
  counts: []
"""
    cases = f"""\
# Cases for {name}.yaml: a report's text in, every claim it must give out (and no other).
# A claim lists only the claims-table columns to check; `claims: []` says the text gives none.
# Run them with: factcheck rules test FOLDER
cases:
  - name: the example sentence
    text: {example}
    claims:
      - {{metric: {quoted}, figure: At least 12, value: 12, low: 12, qualifier: At least}}
  # A sentence from a real report, with what it must give; `published` is the report's date.
  # - name: the active voice
  #   text: Police {words} 40 residents on Sunday, the mayor said.
  #   published: 2024-01-07
  #   claims:
  #     - {{metric: {quoted}, value: 40, attributed_to: the mayor}}
"""
    return metric, cases


def _writable(folder: Path) -> bool:
    """Whether files can be made in `folder`, or in the nearest folder above it that exists
    (where it would be created)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate.is_dir() and os.access(candidate, os.W_OK | os.X_OK)
    return False


def scaffold_metric(name: str, directory: Path | None = None, force: bool = False
                    ) -> Scaffold:
    """Write `metrics/NAME.yaml` and `metrics/NAME.cases.yaml` into a rules folder (default:
    `default_rules_dir()`), each atomically (a temporary file renamed into place).

    Raises FactcheckError (exit 2) when NAME is not lower-case letters, digits and underscores
    starting with a letter, when the folder cannot be written, or when a file exists and
    `force` is not given; nothing is written then.
    """
    if not NAME_PATTERN.fullmatch(name):
        raise FactcheckError(f"metric name '{name}': use lower-case letters, digits and "
                             "underscores, starting with a letter (e.g. evacuated)")
    folder = Path(directory) if directory is not None else default_rules_dir()
    metrics = folder / "metrics"
    if not _writable(metrics):
        hint = (" (the shipped rules: make a rules/ folder here, or give --dir)"
                if same_folder(folder, shipped_rules_dir()) else "")
        raise FactcheckError(f"folder is not writable{hint}", folder)
    metric_file = metrics / f"{name}.yaml"
    cases_file = metrics / f"{name}{CASES_SUFFIX}"
    if not force:
        for path in (metric_file, cases_file):
            if path.exists():
                raise FactcheckError("already exists; --force overwrites it", path)
    metrics.mkdir(parents=True, exist_ok=True)
    texts = _metric_template(name)
    # Both temporary files first, then both renames: a failure while writing leaves neither.
    temps: list[Path] = []
    try:
        for path, text in zip((metric_file, cases_file), texts, strict=True):
            temps.append(temporary_beside(path, lambda handle, t=text: handle.write(t),
                                          newline="\n"))
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    replace_all(list(zip(temps, (metric_file, cases_file), strict=True)))
    shipped = shipped_rules_dir() / "metrics" / f"{name}.yaml"
    overrides = shipped if shipped.is_file() and not same_folder(folder,
                                                                  shipped_rules_dir()) else None
    return Scaffold(name, folder, metric_file, cases_file, overrides)
