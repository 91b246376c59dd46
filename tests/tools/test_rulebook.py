"""Rule-set tools: `factcheck rules list|show|test|new` and the library under them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import factcheck
from factcheck.cli.app import app
from factcheck.errors import FactcheckError
from factcheck.tools import rulebook

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})

FAILING_CLAIMS_CASE = """\
  - name: the wrong figure
    text: About 3,000 residents were quarantined on Sunday.
    claims:
      - {metric: quarantined, value: 2000, qualifier: About}
"""
FAILING_FINDINGS_CASES = """\
cases:
  - name: a rise called a conflict
    reports:
      - {source: Agency A, date: 2024-01-04, text: "At least 40 people were killed."}
      - {source: Agency B, date: 2024-01-06, text: "The death toll has risen to 52."}
    findings:
      - {kind: conflict, metric: killed, figures: [At least 40, "52"]}
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a subprocess: real exit codes and stderr."""
    return subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True,
                          text=True, check=False, cwd=cwd, env={"NO_COLOR": "1", "PATH": ""})


@pytest.fixture()
def scaffold(tmp_path: Path) -> Path:
    """A newsroom rules folder holding only a scaffolded `quarantined` metric."""
    folder = tmp_path / "newsroom"
    rulebook.scaffold_metric("quarantined", folder)
    return folder


# -- list --------------------------------------------------------------------------------

def test_list_gives_finding_rules_by_code_then_metrics_by_name(rules: factcheck.RuleSet
                                                               ) -> None:
    table = rulebook.rule_table(rules)
    assert list(table.columns) == ["id", "name", "kind", "severity", "enabled", "source"]
    codes = [i for i, k in zip(table.id, table.kind, strict=True) if k != "metric"]
    names = [i for i, k in zip(table.id, table.kind, strict=True) if k == "metric"]
    assert list(table.id) == codes + names
    assert codes == sorted(rules.finding_rules) and names == sorted(rules.metrics)
    killed = table.set_index("id").loc["killed"]
    assert killed.kind == "metric" and pd.isna(killed.severity) and bool(killed.enabled)
    assert killed.source.endswith("metrics/killed.yaml")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_list_formats(fmt: str) -> None:
    result = runner.invoke(app, ["rules", "list", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "json":
        rows = json.loads(result.output)["rules"]
        assert rows[0] == {"id": "FC101", "name": "figure-updated", "kind": "update",
                           "severity": "info", "enabled": True,
                           "source": rows[0]["source"]}
        assert next(r for r in rows if r["id"] == "killed")["severity"] is None
    elif fmt == "csv":
        assert result.output.splitlines()[0] == "id,name,kind,severity,enabled,source"
    else:
        assert "figure-conflict" in result.output and "killed" in result.output


def test_list_shows_a_newsroom_metric_and_where_it_comes_from(scaffold: Path) -> None:
    result = runner.invoke(app, ["rules", "list", "--rules", str(scaffold), "-f", "json"])
    rows = {r["id"]: r for r in json.loads(result.output)["rules"]}
    assert rows["quarantined"]["source"] == str(scaffold / "metrics" / "quarantined.yaml")


def test_list_table_fits_80_columns() -> None:
    narrow = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"})
    result = narrow.invoke(app, ["rules", "list"])
    assert result.exit_code == 0
    assert max(len(line) for line in result.output.splitlines()) <= 80


# -- show --------------------------------------------------------------------------------

def test_show_a_finding_rule_by_code_or_name(rules: factcheck.RuleSet) -> None:
    by_code = rulebook.describe_rule(rules, "fc102")
    assert by_code == rulebook.describe_rule(rules, "figure-conflict")
    assert by_code["code"] == "FC102" and by_code["severity"] == "warning"
    result = runner.invoke(app, ["rules", "show", "FC102"])
    assert result.exit_code == 0
    rule = rules.finding_rules["FC102"]
    for text in ("figure-conflict", "conflict", "warning", rule.message, rule.example,
                 "findings.yaml"):
        assert text in result.output


def test_show_a_metric_gives_every_pattern_with_file_and_line(rules: factcheck.RuleSet
                                                              ) -> None:
    metric = rules.metrics["injured"]
    described = rulebook.describe_rule(rules, "injured")
    assert [p["pattern"] for p in described["patterns"]] == list(metric.patterns)
    assert [p["line"] for p in described["patterns"]] == list(metric.pattern_lines)
    assert described["unless_report_mentions"]["pattern"] == metric.unless_report_mentions
    result = runner.invoke(app, ["rules", "show", "injured"])
    assert result.exit_code == 0
    for pattern, line in zip(metric.patterns, metric.pattern_lines, strict=True):
        assert pattern in result.output  # as written, unwrapped
        assert f"injured.yaml:{line}" in result.output
    for pattern in metric.conditional_patterns:
        assert pattern in result.output
    for text in ("unless_report_mentions", metric.unless_report_mentions, metric.example,
                 "accumulates", "tolerance", "injure, wound"):
        assert text in result.output


def test_show_an_unknown_id_names_the_nearest(rules: factcheck.RuleSet) -> None:
    with pytest.raises(rulebook.UnknownRuleError, match="nearest: killed"):
        rulebook.describe_rule(rules, "kiled")
    assert rulebook.nearest_rule_ids(rules, "FC1O1") == ["FC101"]
    result = run("rules", "show", "kiled")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "nearest: killed" in result.stderr


# -- test --------------------------------------------------------------------------------

def test_the_shipped_cases_pass() -> None:
    tests = rulebook.run_rule_tests()
    assert tests.run > 50 and tests.failed == 0 and not tests.skipped
    assert {r.kind for r in tests.results} == {"claims", "findings"}
    result = runner.invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert f"{tests.run} cases run, {tests.run} passed, 0 failed" in result.output


def test_a_scaffold_loads_and_its_cases_pass(scaffold: Path, rules_dir: Path) -> None:
    metrics = scaffold / "metrics"
    assert sorted(p.name for p in metrics.iterdir()) == ["quarantined.cases.yaml",
                                                         "quarantined.yaml"]  # no temp files
    # The shipped folder first, explicitly: the same rule set whether or not load_rules adds it.
    ruleset = factcheck.load_rules([rules_dir, scaffold])
    quarantined = ruleset.metrics["quarantined"]
    assert quarantined.source == str(metrics / "quarantined.yaml") and quarantined.example
    claims = factcheck.extract_claims([_report(scaffold.parent, quarantined.example)], ruleset)
    assert list(claims.metric) == ["quarantined"]  # the example really gives a claim
    result = runner.invoke(app, ["rules", "test", str(rules_dir), str(scaffold), "-f", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["failed"] == 0 and payload["passed"] == payload["run"] > 50
    assert str(metrics / "quarantined.cases.yaml") in payload["case_files"]


def _report(folder: Path, text: str) -> Path:
    path = folder / "report.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_a_failing_case_shows_its_sentence_expected_and_found(scaffold: Path,
                                                              rules_dir: Path) -> None:
    cases = scaffold / "metrics" / "quarantined.cases.yaml"
    lines = cases.read_text().splitlines()
    cases.write_text(cases.read_text() + FAILING_CLAIMS_CASE)
    (scaffold / "findings.cases.yaml").write_text(FAILING_FINDINGS_CASES)
    result = runner.invoke(app, ["rules", "test", str(rules_dir), str(scaffold)])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "2 failed" in out
    assert f"{cases}:{len(lines) + 1}" in out and "the wrong figure" in out
    assert "About 3,000 residents were quarantined on Sunday." in out
    assert "{metric: quarantined, value: 2000, qualifier: About}" in out
    assert "{metric: quarantined, figure: 'About 3,000', value: 3000, qualifier: About}" in out
    assert f"{scaffold / 'findings.cases.yaml'}:2" in out and "a rise called a conflict" in out
    assert "1. Agency A, 2024-01-04: At least 40 people were killed." in out
    assert "{kind: conflict, metric: killed, figures: [At least 40, '52']}" in out
    assert "{kind: update, metric: killed, rule: FC101" in out

    result = runner.invoke(app, ["rules", "test", str(rules_dir), str(scaffold), "-f", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.output)
    claims_failure = next(f for f in payload["failures"] if f["kind"] == "claims")
    assert claims_failure["line"] == len(lines) + 1
    assert claims_failure["expected"] == [{"metric": "quarantined", "value": 2000,
                                           "qualifier": "About"}]
    assert claims_failure["found"] == [{"metric": "quarantined", "figure": "About 3,000",
                                        "value": 3000, "qualifier": "About"}]
    assert claims_failure["problems"]


def test_a_later_cases_file_replaces_the_one_at_its_path(scaffold: Path) -> None:
    # The newsroom's findings cases stand in for the shipped ones, as its rule files do.
    (scaffold / "findings.cases.yaml").write_text(FAILING_FINDINGS_CASES)
    tests = rulebook.run_rule_tests([rulebook.shipped_rules_dir(), scaffold])
    findings = [r for r in tests.results if r.kind == "findings"]
    assert [r.name for r in findings] == ["a rise called a conflict"]


def test_a_case_about_a_metric_switched_off_is_skipped(tmp_path: Path, rules_dir: Path
                                                       ) -> None:
    folder = tmp_path / "newsroom"
    (folder / "metrics").mkdir(parents=True)
    (folder / "metrics" / "missing.yaml").write_text("metric: missing\nenabled: false\n")
    tests = rulebook.run_rule_tests([rules_dir, folder])
    assert tests.failed == 0 and tests.skipped
    assert all("missing" in r.skipped for r in tests.skipped)
    result = runner.invoke(app, ["rules", "test", str(rules_dir), str(folder)])
    assert result.exit_code == 0 and "skipped" in result.output


def test_a_broken_rule_file_is_exit_2(scaffold: Path, rules_dir: Path) -> None:
    metric = scaffold / "metrics" / "quarantined.yaml"
    metric.write_text(metric.read_text() + "colour: red\n")
    result = run("rules", "test", str(rules_dir), str(scaffold))
    assert result.returncode == 2
    assert f"{metric}:" in result.stderr and "colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_cases_file_is_exit_2(scaffold: Path, rules_dir: Path) -> None:
    (scaffold / "findings.cases.yaml").write_text("cases:\n  - name: x\n    reports: [{}]\n"
                                                  "    findings: []\n")
    result = run("rules", "test", str(rules_dir), str(scaffold))
    assert result.returncode == 2 and "findings.cases.yaml:3" in result.stderr


# -- new ---------------------------------------------------------------------------------

def test_new_writes_into_rules_here_and_says_what_to_run(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    (tmp_path / "rules").mkdir()
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["rules", "new", "rescued_at_sea"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "created rules/metrics/rescued_at_sea.yaml",
        "created rules/metrics/rescued_at_sea.cases.yaml",
        "next: edit both, then run: factcheck rules test rules",
    ]
    metric = (tmp_path / "rules" / "metrics" / "rescued_at_sea.yaml").read_text()
    for key in ("metric:", "description:", "example:", "accumulates:", "tolerance:",
                "lexicon:"):
        assert f"\n{key}" in metric
        # every key is explained by a comment just above it
        above = metric.split(f"\n{key}")[0].splitlines()[-1]
        assert above.startswith("#"), key
    cases = (tmp_path / "rules" / "metrics" / "rescued_at_sea.cases.yaml").read_text()
    assert "# - name:" in cases  # the commented-out template case


def test_new_never_overwrites_without_force(scaffold: Path) -> None:
    metric = scaffold / "metrics" / "quarantined.yaml"
    metric.write_text("# edited\n")
    result = run("rules", "new", "quarantined", "--dir", str(scaffold))
    assert result.returncode == 2 and f"{metric}: already exists" in result.stderr
    assert metric.read_text() == "# edited\n"
    assert run("rules", "new", "quarantined", "--dir", str(scaffold), "--force").returncode == 0
    assert metric.read_text().startswith("# A metric")


@pytest.mark.parametrize("name", ["Evacuated", "quarantined-people", "3dead", "", "a b"])
def test_new_refuses_a_bad_name(name: str, tmp_path: Path) -> None:
    with pytest.raises(FactcheckError, match="lower-case letters"):
        rulebook.scaffold_metric(name, tmp_path)
    assert not any(tmp_path.iterdir())


def test_new_quotes_a_name_yaml_would_read_as_a_boolean(tmp_path: Path, rules_dir: Path
                                                        ) -> None:
    rulebook.scaffold_metric("on", tmp_path)
    assert "on" in factcheck.load_rules([rules_dir, tmp_path]).metrics


def test_new_refuses_the_shipped_folder_when_it_is_not_writable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = tmp_path / "shipped"
    (shipped / "metrics").mkdir(parents=True)
    monkeypatch.setattr(rulebook, "shipped_rules_dir", lambda: shipped)
    monkeypatch.chdir(tmp_path)  # no rules/ here: the default is the shipped folder
    # os.access rather than chmod: the tests may run as root, who may write anywhere
    monkeypatch.setattr(rulebook.os, "access", lambda *args, **kwargs: False)
    with pytest.raises(FactcheckError, match=r"not writable.*--dir"):
        rulebook.scaffold_metric("quarantined")
    assert not any((shipped / "metrics").iterdir())


# -- help --------------------------------------------------------------------------------

@pytest.mark.parametrize(("command", "description"), [
    ("list", "List every finding rule"),
    ("show", "Describe one finding rule or metric"),
    ("test", "Run the declarative cases"),
    ("new", "Scaffold a new metric"),
])
def test_every_rules_command_has_help(command: str, description: str) -> None:
    result = runner.invoke(app, ["rules", command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
    assert description in result.output
    group = runner.invoke(app, ["rules", "--help"])
    assert group.exit_code == 0 and command in group.output


def test_new_never_writes_into_an_installed_package(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    installed = tmp_path / "site-packages" / "factcheck" / "_shipped" / "rules"
    (installed / "metrics").mkdir(parents=True)
    monkeypatch.setattr(rulebook, "shipped_rules_dir", lambda: installed)
    monkeypatch.chdir(tmp_path)  # no rules/ here
    with pytest.raises(FactcheckError, match="give --dir"):
        rulebook.scaffold_metric("quarantined")
    assert not any((installed / "metrics").iterdir())
