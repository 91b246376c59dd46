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


@pytest.mark.parametrize("output_format", ["junit", "sarif", "json"])
def test_output_is_well_formed_whatever_the_draft_holds(output_format: str,
                                                        tmp_path: Path) -> None:
    """A draft (and its name) holding what XML 1.0 forbids: the output still parses."""
    from xml.etree import ElementTree

    draft = tmp_path / "draft\x1b[31m.md"
    draft.write_text("---\nevent: ferry\n---\nPrefect H\x0bl said at least 12 people were "
                     "killed.\x85 \u202e\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["check", str(draft), "-a", str(NEWSROOM / "reference"),
                                 "--no-config", "-f", output_format, "-o", str(out)])
    assert result.exit_code == 1, result.output
    data = out.read_bytes()
    if output_format == "junit":
        assert ElementTree.fromstring(data).find("testsuite/testcase/failure") is not None
    else:
        json.loads(data)


def test_output_into_a_missing_folder_makes_it(tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder" / "check.txt"
    result = runner.invoke(app, [*FAILING, "-f", "line", "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert "FC301" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("where", ["under-a-file/check.txt", "a-folder"])
def test_an_output_that_cannot_be_written_names_the_users_path(tmp_path: Path,
                                                               where: str) -> None:
    import subprocess
    import sys

    (tmp_path / "under-a-file").write_text("")
    (tmp_path / "a-folder").mkdir()
    out = tmp_path / where
    done = subprocess.run([sys.executable, "-m", "factcheck", *FAILING, "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith(f"factcheck: error: {out}: "), done.stderr
    assert ".tmp" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "under-a-file"]


@pytest.mark.parametrize("output_format", ["sarif", "github"])
def test_an_unreadable_draft_is_in_the_output_too(output_format: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """CI shows the output, not stderr: an unreadable draft is a SARIF notification or a
    GitHub annotation as well as a line on stderr (exit 3), and no 'no problems' line."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01binary")
    result = runner.invoke(app, [*CLEAN, str(bad), "-f", output_format])
    assert result.exit_code == 3, result.output
    assert f"skipped {bad}" in result.stderr and "no problems" not in result.stderr
    if output_format == "sarif":
        [note] = json.loads(result.stdout)["runs"][0]["invocations"][0][
            "toolExecutionNotifications"]
        assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
            "/bad.md")
    else:
        assert result.stdout.startswith(f"::error file={bad},")
