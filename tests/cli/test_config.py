"""One configuration for every command (`cli/config.py`), and `factcheck init` (`cli/init.py`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.app import app
from factcheck.cli.config import load_config
from factcheck.cli.init import TEMPLATE

runner = CliRunner()
FC101_OFF = "rules:\n  - code: FC101\n    enabled: false\n"


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A desk's folder: a rules layer that switches FC101 off, named by factcheck.toml."""
    (tmp_path / "desk-rules").mkdir()
    (tmp_path / "desk-rules" / "findings.yaml").write_text(FC101_OFF, encoding="utf-8")
    (tmp_path / "factcheck.toml").write_text('rules = ["desk-rules"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rules_in_report(*options: str, seeds: Path) -> set[str]:
    result = runner.invoke(app, ["report", str(seeds), "-f", "json", *options])
    assert result.exit_code == 0, result.output
    return {f["rule"] for f in json.loads(result.stdout)["findings"]}


def test_a_newsroom_layer_turning_fc101_off_removes_it_from_report(
        newsroom: Path, seeds_dir: Path) -> None:
    assert "FC101" not in _rules_in_report(seeds=seeds_dir)
    # the command line over the file: --no-config, or --rules naming other folders
    assert "FC101" in _rules_in_report("--no-config", seeds=seeds_dir)
    (newsroom / "other").mkdir()
    assert "FC101" in _rules_in_report("--rules", "other", seeds=seeds_dir)


def test_the_configuration_applies_to_rules_and_claims(newsroom: Path, seeds_dir: Path) -> None:
    (newsroom / "factcheck.toml").write_text(
        'rules = ["desk-rules"]\nseverity = { FC102 = "error" }\nignore = ["FC204"]\n'
        'group-by = "folder"\n', encoding="utf-8")
    listed = runner.invoke(app, ["rules", "list", "-f", "json"])
    rows = {r["id"]: r for r in json.loads(listed.stdout)["rules"]}
    assert rows["FC101"]["enabled"] is False and rows["FC204"]["enabled"] is False
    assert rows["FC102"]["severity"] == "error"
    shown = runner.invoke(app, ["rules", "show", "FC102"])
    assert "error" in shown.output
    plain = runner.invoke(app, ["rules", "list", "-f", "json", "--no-config"])
    assert {r["id"]: r for r in json.loads(plain.stdout)["rules"]}["FC101"]["enabled"] is True
    claims = runner.invoke(app, ["claims", str(seeds_dir), "-f", "json"])
    assert claims.exit_code == 0
    stories = {c["story"] for c in json.loads(claims.stdout)["claims"]}
    assert stories == {str(seeds_dir)}  # group-by = "folder" from the file
    given = runner.invoke(app, ["claims", str(seeds_dir), "-f", "json", "--group-by", "event"])
    assert {c["story"] for c in json.loads(given.stdout)["claims"]} != stories


def test_a_bad_group_by_names_the_file_and_line(newsroom: Path) -> None:
    (newsroom / "factcheck.toml").write_text('rules = []\ngroup-by = 3\n', encoding="utf-8")
    result = runner.invoke(app, ["rules", "list"])
    assert result.exception.exit_code == 2  # main() exits with it
    assert "factcheck.toml:2: 'group-by' must be" in str(result.exception)


def test_init_writes_a_commented_configuration_and_never_overwrites(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0 and result.output == "created factcheck.toml\n"
    assert (tmp_path / "factcheck.toml").read_text(encoding="utf-8") == TEMPLATE
    assert load_config(tmp_path / "factcheck.toml").path is not None  # all commented: valid
    (tmp_path / "factcheck.toml").write_text("mine\n", encoding="utf-8")
    again = runner.invoke(app, ["init"])
    assert again.exception.exit_code == 2 and "already exists" in str(again.exception)
    assert (tmp_path / "factcheck.toml").read_text(encoding="utf-8") == "mine\n"
    assert runner.invoke(app, ["init", "--force"]).exit_code == 0
    assert (tmp_path / "factcheck.toml").read_text(encoding="utf-8") == TEMPLATE


def test_every_key_of_the_template_is_valid_when_uncommented(tmp_path: Path) -> None:
    uncommented = re.sub(r"^# (\w[\w-]* = .*)$", r"\1", TEMPLATE, flags=re.MULTILINE)
    (tmp_path / "reference").mkdir()
    (tmp_path / "rules").mkdir()
    path = tmp_path / "factcheck.toml"
    path.write_text(uncommented, encoding="utf-8")
    config = load_config(path)
    assert config.group_by == "folder" and config.ignore == ("FC204",)
    assert config.severity == {"FC102": "error", "FC303": "warning"}
    assert config.format == "text" and config.fail_on == "error"
