"""`check`'s conveniences: a success line for silent formats, --quiet; shell completion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.app import app

NEWSROOM = Path(__file__).resolve().parents[1] / "fixtures" / "newsroom"
runner = CliRunner()
CLEAN = ["check", str(NEWSROOM / "drafts" / "current.md"), "-a", str(NEWSROOM / "reference"),
         "--no-config"]
FAILING = ["check", str(NEWSROOM / "drafts" / "stale.md"), "-a", str(NEWSROOM / "reference"),
           "--no-config"]
SUCCESS = "factcheck check: no problems in 1 draft against 3 reference claims\n"


@pytest.mark.parametrize("output_format", ["line", "github"])
def test_a_silent_format_says_so_on_stderr_when_there_is_nothing(
        output_format: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = runner.invoke(app, [*CLEAN, "-f", output_format])
    assert result.exit_code == 0
    assert result.stdout == "" and result.stderr == SUCCESS
    quiet = runner.invoke(app, [*CLEAN, "-f", output_format, "--quiet"])
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    found = runner.invoke(app, [*FAILING, "-f", output_format])
    assert found.exit_code == 1 and found.stdout and "no problems" not in found.stderr


def test_other_formats_print_no_success_line() -> None:
    result = runner.invoke(app, [*CLEAN, "-f", "json"])
    assert json.loads(result.stdout)["findings"] == [] and result.stderr == ""


def test_quiet_prints_nothing_and_the_exit_status_tells(tmp_path: Path) -> None:
    result = runner.invoke(app, [*FAILING, "--quiet"])
    assert result.exit_code == 1 and result.stdout == "" and result.stderr == ""
    written = runner.invoke(app, [*FAILING, "-q", "-f", "line", "-o", str(tmp_path / "out")])
    assert written.exit_code == 1 and written.stdout == ""
    assert "FC301" in (tmp_path / "out").read_text(encoding="utf-8")


def test_shell_completion_is_typers() -> None:
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    script = runner.invoke(app, ["--show-completion", "bash"])
    assert script.exit_code == 0 and "_factcheck_completion" in script.stdout


@pytest.mark.parametrize(("code", "nearest"), [("FC999", "FC"), ("FC31", "FC3")])
def test_ignoring_an_unknown_code_is_a_usage_error_naming_the_nearest(code: str,
                                                                       nearest: str) -> None:
    result = runner.invoke(app, [*CLEAN, "--ignore", code])
    assert result.exception.exit_code == 2  # main() exits with it
    assert f"no finding rule '{code}'" in str(result.exception)
    assert f"nearest: {nearest}" in str(result.exception)


def test_exclude_leaves_reference_files_out(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    for path in (NEWSROOM / "reference").iterdir():
        (reference / path.name).write_bytes(path.read_bytes())
    stale = [*FAILING[:3], str(reference), "--no-config", "-f", "json"]
    assert json.loads(runner.invoke(app, stale).stdout)["findings"]
    # Without the later report, the stale draft's figure is current: nothing to find.
    later = sorted(p.name for p in reference.iterdir())[-1]
    result = runner.invoke(app, [*stale, "--exclude", later])
    assert result.exit_code == 0 and not json.loads(result.stdout)["findings"]
