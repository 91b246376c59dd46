"""Loading rule files: the shipped set, layering, and precise errors for broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

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
    assert {r.kind for r in rules.finding_rules.values()} == {"update", "conflict", "stale"}
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
