"""Loading rule files: the shipped set, layering, and precise errors for broken files."""

from __future__ import annotations

import shutil
from pathlib import Path
from re import escape as regex_escape

import pytest

import factcheck
from factcheck.errors import RuleError


@pytest.fixture()
def rules_copy(tmp_path: Path, rules_dir: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir, target)
    return target


def test_shipped_rules_load(rules: factcheck.RuleSet) -> None:
    assert {"killed", "injured", "arrested", "missing", "displaced"} <= set(rules.metrics)
    from factcheck.compare.detectors import FINDING_KINDS

    assert {r.kind for r in rules.finding_rules.values()} == set(FINDING_KINDS)
    for rule in rules.finding_rules.values():
        assert rule.description and rule.example and rule.message


@pytest.mark.parametrize(
    ("file", "append", "expected"),
    [
        ("metrics/killed.yaml", "colour: red\n", "unknown key 'colour'"),
        ("metrics/killed.yaml", "enabled: sometimes\n", "'enabled' must be"),
        ("metrics/killed.yaml", "  - '(unclosed'\n", "bad regular expression"),
        ("findings.yaml", "  - {code: FC101, name: x, kind: update, severity: info, "
         "description: d, example: e, message: m}\n", "duplicate rule code FC101"),
        ("findings.yaml", "  - {code: FC199, name: x, kind: update, severity: loud, "
         "description: d, example: e, message: m}\n", "severity must be one of"),
        ("scope.yaml", "other_years: [\n", "invalid YAML"),
    ],
)
def test_broken_rule_file_names_its_line(rules_copy: Path, file: str, append: str,
                                         expected: str) -> None:
    path = rules_copy / file
    lines = path.read_text().count("\n")
    path.write_text(path.read_text() + append)
    with pytest.raises(RuleError) as caught:
        factcheck.analyse(None, [rules_copy])
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.line is not None and caught.value.line >= lines - 1


def test_later_rules_folder_overrides_by_file(rules_copy: Path, tmp_path: Path,
                                             rules_dir: Path) -> None:
    overlay = tmp_path / "newsroom"
    (overlay / "metrics").mkdir(parents=True)
    (overlay / "metrics" / "missing.yaml").write_text(
        (rules_dir / "metrics" / "missing.yaml").read_text() + "enabled: false\n")
    ruleset = factcheck.load_rules([rules_dir, overlay])
    assert "missing" not in ruleset.metrics and "killed" in ruleset.metrics


def test_a_metric_from_yaml_alone(rules_copy: Path) -> None:
    (rules_copy / "metrics" / "evacuated.yaml").write_text(
        "metric: evacuated\ndescription: People evacuated.\n"
        "example: About 3,000 residents were evacuated.\nkeywords: [evacuat]\n"
        "patterns:\n  - '{N}\\s+{WHO}{PAREN}{AUX}evacuated\\b'\n")
    ruleset = factcheck.load_rules([rules_copy])
    report = rules_copy / "report.txt"
    report.write_text("date 2024-02-01 Officials said 3,000 residents were evacuated.")
    claims = factcheck.extract_claims([report], ruleset)
    assert list(claims.metric) == ["evacuated"] and claims.value[0] == 3000


def test_unknown_macro_is_an_error(rules_copy: Path) -> None:
    path = rules_copy / "metrics" / "killed.yaml"
    path.write_text(path.read_text() + "  - '{N} {VICTIMS} died'\n")
    with pytest.raises(RuleError, match="unknown macro"):
        factcheck.analyse(None, [rules_copy])


def test_rules_load_from_inside_a_hidden_folder(tmp_path: Path, rules_dir: Path) -> None:
    # An installed wheel lives under .venv/…; only hidden names inside the rules folder count.
    target = tmp_path / ".venv" / "rules"
    shutil.copytree(rules_dir, target)
    assert "killed" in factcheck.load_rules([target]).metrics


# -- composition: the shipped rules first, then a newsroom's folders over them -------------

def _overlay(tmp_path: Path, files: dict[str, str]) -> Path:
    overlay = tmp_path / "newsroom"
    for name, text in files.items():
        (overlay / name).parent.mkdir(parents=True, exist_ok=True)
        (overlay / name).write_text(text)
    return overlay


def test_a_newsroom_folder_relevels_and_switches_off_shipped_rules(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"findings.yaml": (
        "rules:\n  - code: FC102\n    severity: error\n  - code: FC103\n    enabled: false\n")})
    ruleset = factcheck.load_rules([overlay])
    assert ruleset.finding_rules["FC102"].severity == "error"
    assert ruleset.finding_rules["FC102"].message  # the shipped keys stay
    assert ruleset.finding_rules["FC102"].source == str(overlay / "findings.yaml")
    assert not ruleset.finding_rules["FC103"].enabled
    assert ruleset.rule_for_kind("stale") is None
    assert ruleset.compare == factcheck.load_rules().compare  # no `compare:` keeps the shipped


def test_an_override_cannot_change_what_a_code_means(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"findings.yaml": "rules:\n  - code: FC101\n    kind: stale\n"})
    with pytest.raises(RuleError, match="never changes meaning") as caught:
        factcheck.load_rules([overlay])
    assert caught.value.line == 3


@pytest.mark.parametrize(("message", "expected"), [
    ("{nope} {0}", "unknown field {nope}"),
    ("{0}", "unknown field {0}"),
    ("{}", "unknown field {}"),
    ("{metric.__class__}", "unknown field"),
    ("{metric:>999999999}", "{metric} takes no format spec"),
    ("{figure!r}", "{figure} takes no format spec or conversion"),
    ("{metric", "message: "),
])
def test_a_message_names_only_known_fields_plainly(tmp_path: Path, message: str,
                                                   expected: str) -> None:
    """A message template is checked at load: an unknown field or a padding spec would
    crash or balloon every finding (`{metric:>999999999}` is a gigabyte a message)."""
    overlay = _overlay(tmp_path, {"findings.yaml": (
        f"rules:\n  - code: FC101\n    severity: info\n    message: '{message}'\n")})
    with pytest.raises(RuleError, match=regex_escape(expected)) as caught:
        factcheck.load_rules([overlay])
    assert caught.value.path == str(overlay / "findings.yaml") and caught.value.line == 4


def test_a_message_with_known_fields_and_literal_braces_loads(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"findings.yaml": (
        "rules:\n  - code: FC101\n    message: '{metric} {{sic}}: {chain}'\n")})
    assert factcheck.load_rules([overlay]).finding_rules["FC101"].message.startswith("{metric}")


def test_a_new_rule_must_be_complete(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"findings.yaml": "rules:\n  - code: FC190\n    severity: info\n"})
    with pytest.raises(RuleError, match="missing required key 'name'"):
        factcheck.load_rules([overlay])


def test_a_metric_relevelled_by_its_policy_keys_alone(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"metrics/injured.yaml": "metric: injured\ntolerance: 2\n"})
    injured = factcheck.load_rules([overlay]).metrics["injured"]
    assert injured.tolerance == 2 and injured.patterns == (
        factcheck.load_rules().metrics["injured"].patterns)


def test_a_metric_switched_off_by_name(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"metrics/off.yaml": "metric: missing\nenabled: false\n"})
    assert "missing" not in factcheck.load_rules([overlay]).metrics


def test_later_folders_win_in_order(tmp_path: Path) -> None:
    first = _overlay(tmp_path / "a", {"findings.yaml": (
        "rules:\n  - code: FC101\n    severity: warning\n")})
    second = _overlay(tmp_path / "b", {"findings.yaml": (
        "rules:\n  - code: FC101\n    severity: error\n")})
    assert factcheck.load_rules([first, second]).finding_rules["FC101"].severity == "error"
    assert factcheck.load_rules([second, first]).finding_rules["FC101"].severity == "warning"


# -- safety: a pattern that backtracks without end cannot hang a run ----------------------

def _slow_pattern_overlay(tmp_path: Path) -> Path:
    """A rules folder whose evacuated metric has a pattern that backtracks for long."""
    return _overlay(tmp_path, {"metrics/evacuated.yaml": (
        "metric: evacuated\ndescription: People evacuated.\n"
        "example: About 3,000 residents were evacuated.\nkeywords: [evacuat]\n"
        "patterns:\n  - '(?:a|aa)+!{N}'\n  - '{N}\\s+{WHO}{AUX}evacuated\\b'\n")})


def test_a_catastrophic_pattern_is_cut_short_and_reported(tmp_path: Path) -> None:
    # "(?:a|aa)+!" tries every way of splitting a long run of a's before it fails: about
    # 2^n steps. The regex timeout stops it; the run goes on and names the rule's line.
    overlay = _slow_pattern_overlay(tmp_path)
    report = tmp_path / "report.txt"
    report.write_text("date 2024-02-01 Some 3,000 residents were evacuated from Baa"
                      + "a" * 60 + " on Friday, officials said.\n")
    analysis = factcheck.analyse([report], [overlay])
    assert list(analysis.claims.metric) == ["evacuated"]  # the other pattern still ran
    [problem] = analysis.problems
    assert problem.path == str(overlay / "metrics" / "evacuated.yaml") and problem.line == 6
    assert "took longer than" in problem.message


def test_the_readme_documents_every_rule_key() -> None:
    from factcheck.ruleset.numbers import OPTIONAL_KEYS, REQUIRED_KEYS
    from factcheck.ruleset.schema import (
        ALIAS_ENTRY_SCHEMA,
        FILE_SCHEMAS,
        FINDING_RULE_SCHEMA,
        MATCHING_SCHEMA,
        METRIC_SCHEMA,
        NAMED_KIND_SCHEMA,
        NAMED_PATTERN_SCHEMA,
    )

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    reference = readme[readme.index("## Rule files"):readme.index("## Measuring extraction")]
    keys = {*METRIC_SCHEMA, *FINDING_RULE_SCHEMA, *REQUIRED_KEYS, *OPTIONAL_KEYS,
            *ALIAS_ENTRY_SCHEMA, *NAMED_KIND_SCHEMA, *NAMED_PATTERN_SCHEMA,
            *(f"matching.{key}" for key in MATCHING_SCHEMA)}
    for schema in FILE_SCHEMAS.values():
        keys |= set(schema)
    keys |= {f"compare.{key}" for key in factcheck.load_rules().compare}
    missing = sorted(k for k in keys if f"`{k}`" not in reference)
    assert not missing, f"README rule reference lacks: {missing}"


def test_a_newsroom_adds_houses_destroyed_without_python(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {
        "metrics/houses_destroyed.yaml": (
            "metric: houses_destroyed\n"
            "description: Homes destroyed by the event.\n"
            "example: The storm destroyed 120 houses.\n"
            "accumulates: true\n"
            "keywords: [destroy, flattened]\n"
            "patterns:\n"
            "  - '\\bdestroy(?:ed|ing)\\s+{N}\\s+(?:homes|houses|buildings)\\b'\n"
            "  - '{N}\\s+(?:homes|houses|buildings)\\s+{AUX}(?:destroyed|flattened)\\b'\n"),
        "metrics/houses_destroyed.cases.yaml": (
            "cases:\n  - name: active verb\n    text: The storm destroyed 120 houses.\n"
            "    claims:\n      - {metric: houses_destroyed, value: 120}\n")})
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "a.md").write_text("---\nsource: Radio A\ndate: 2024-03-01\n---\n"
                                  "The cyclone destroyed 120 houses, officials said.\n")
    (reports / "b.md").write_text("---\nsource: Paper B\ndate: 2024-03-03\n---\n"
                                  "At least 310 homes were flattened, the governor said.\n")
    analysis = factcheck.analyse([reports], [overlay])
    assert sorted(analysis.claims.value) == [120, 310]
    assert set(analysis.claims.metric) == {"houses_destroyed"}
    [finding] = analysis.findings.to_dict("records")
    assert (finding["metric"], finding["kind"], finding["rule"]) == (
        "houses_destroyed", "update", "FC101")


def test_one_folder_defines_a_metric_once(rules_copy: Path) -> None:
    (rules_copy / "metrics" / "deaths.yaml").write_text(
        (rules_copy / "metrics" / "killed.yaml").read_text())
    with pytest.raises(RuleError, match="'killed' is also defined in") as caught:
        factcheck.load_rules([rules_copy])
    assert caught.value.path == str(rules_copy / "metrics" / "killed.yaml")


# -- hostile and mistaken rule files (issue 16) -----------------------------------------------

def test_a_rule_file_ending_in_yml_is_an_error(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"findings.yml": "rules: []\n"})
    with pytest.raises(RuleError, match=r"end in \.yaml") as caught:
        factcheck.load_rules([overlay])
    assert caught.value.path == str(overlay / "findings.yml")


@pytest.mark.parametrize("name", ["finding.yaml", "metric/evac.yaml", "newsroom.yaml"])
def test_a_misnamed_rule_file_is_an_error_listing_the_names_read(tmp_path: Path,
                                                                 name: str) -> None:
    overlay = _overlay(tmp_path, {name: "rules: [\n"})  # malformed too: named, not parsed
    with pytest.raises(RuleError, match=f"unknown rule file '{name}'") as caught:
        factcheck.load_rules([overlay])
    assert caught.value.path == str(overlay / name)
    assert "findings.yaml" in caught.value.message and "metrics/*.yaml" in caught.value.message


def test_a_rule_file_nested_too_deep_names_its_file_and_line(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, {"dates.yaml": "a: 1\nx: " + "[" * 5000 + "]" * 5000 + "\n"})
    with pytest.raises(RuleError, match="nested more than 64 deep") as caught:
        factcheck.load_rules([overlay])
    assert (caught.value.path, caught.value.line) == (str(overlay / "dates.yaml"), 2)


def test_a_rule_file_alias_bomb_is_refused(tmp_path: Path) -> None:
    laughs = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        laughs += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    overlay = _overlay(tmp_path, {"scope.yaml": laughs})
    with pytest.raises(RuleError, match="aliases expand") as caught:
        factcheck.load_rules([overlay])
    assert caught.value.path == str(overlay / "scope.yaml")


_BAD = "'(a+)+$'"


@pytest.mark.parametrize(("file", "after", "insert", "key"), [
    ("metrics/killed.yaml", "patterns:\n", f"  - {_BAD}\n", "patterns"),
    ("metrics/killed.yaml", "", f"unless_report_mentions: {_BAD}\n"
     "conditional_patterns:\n  - '{N} died'\n", "unless_report_mentions"),
    ("findings.yaml", "revision_words: [", f"{_BAD}, ", "compare.revision_words"),
    ("grammar.yaml", "history_patterns:\n", f"  - {_BAD}\n", "history_patterns"),
    ("grammar.yaml", "constructions:\n",
     "  - {name: nested, pattern: '(\\w+\\s?)+{N}\\s+{PARTICIPLE}'}\n",
     "constructions"),
    ("scope.yaml", "other_period:\n", f"  nested: {_BAD}\n", "other_period.nested"),
    ("scope.yaml", "noise_lines:\n", f"  - {_BAD}\n", "noise_lines"),
])
def test_a_pattern_that_backtracks_without_end_is_refused_at_load(
        rules_copy: Path, file: str, after: str, insert: str, key: str) -> None:
    # Whatever key holds it, a nested repetition is a rule error at its file, line and key.
    path = rules_copy / file
    text = path.read_text()
    assert after in text
    at = text.index(after) + len(after)
    path.write_text(text[:at] + insert + text[at:])
    line = text[:at].count("\n") + 1
    with pytest.raises(RuleError) as caught:
        factcheck.analyse(None, [rules_copy])
    assert "exponential" in str(caught.value) and key in str(caught.value)
    assert caught.value.path == str(path) and caught.value.line == line


def test_a_pattern_out_of_time_is_skipped_for_the_report(tmp_path: Path) -> None:
    # A slow pattern is cut once, reported once, and not tried again in that report: 300
    # sentences cost one time-out, not 300.
    overlay = _slow_pattern_overlay(tmp_path)
    report = tmp_path / "report.txt"
    sentence = "Some 3,000 residents were evacuated from Baa" + "a" * 60 + " on Friday.\n\n"
    report.write_text("date 2024-02-01 " + sentence * 300)
    analysis = factcheck.analyse([report], [overlay])
    assert len(analysis.claims) == 300
    [problem] = analysis.problems
    assert "skipped for the rest of that report" in problem.message


def test_a_report_past_its_pattern_budget_stops_with_one_diagnostic(tmp_path: Path,
                                                                    rules_dir: Path) -> None:
    # A tiny budget (grammar.yaml's pattern_budget_seconds) over a long report: the report
    # ends early, with one diagnostic naming it, and the run goes on.
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir, rules)
    grammar = rules / "grammar.yaml"
    grammar.write_text(grammar.read_text().replace("pattern_budget_seconds: 30",
                                                   "pattern_budget_seconds: 0.000001"))
    report = tmp_path / "long.txt"
    report.write_text("date 2024-02-01 "
                      + "Police said 12 people were killed in the blast.\n\n" * 400)
    analysis = factcheck.analyse([report], [rules])
    assert 0 < len(analysis.claims) < 400
    [problem] = analysis.problems
    assert problem.path == str(report) and "pattern_budget_seconds" in problem.message


def test_a_revision_word_out_of_time_is_reported_at_its_line(tmp_path: Path) -> None:
    # compare.revision_words had no time limit: now one like every pattern, and its line.
    overlay = _overlay(tmp_path, {"findings.yaml": (
        "compare:\n  revision_words:\n    - '\\brevised\\b'\n    - '(?:a|aa)+!'\n")})
    report = tmp_path / "report.txt"
    report.write_text("date 2024-02-01 Police said 12 people were killed in Baa"
                      + "a" * 60 + " on Friday.\n\n" + "Police said 12 people were killed.\n\n")
    analysis = factcheck.analyse([report], [overlay])
    assert len(analysis.claims) == 2
    [problem] = analysis.problems
    assert problem.path == str(overlay / "findings.yaml") and problem.line == 4
    assert "took longer than" in problem.message
