"""`factcheck check`: drafts against reference reporting, on the newsroom fixture and the seeds."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from pathlib import Path
from unittest import mock

import jsonschema
import pytest

from factcheck.cli.app import main
from factcheck.resources import shipped_seeds_dir
from factcheck.run.check import check_drafts

NEWSROOM = Path(__file__).parents[1] / "fixtures" / "newsroom"
DRAFTS = NEWSROOM / "drafts"
REFERENCE = NEWSROOM / "reference"
SARIF_SCHEMA = Path(__file__).parents[1] / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (no configuration file above it that we did not write)."""
    (tmp_path / "factcheck.toml").write_text("", encoding="utf-8")  # stops the walk up
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return tmp_path


def run_all(*args: str) -> tuple[int, str, str]:
    """`factcheck check ARGS` through the entry point, in this process: exit code, stdout,
    stderr."""
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.object(sys, "argv", ["factcheck", "check", *args]), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main()
        except SystemExit as done:
            code = done.code
    return int(code or 0), out.getvalue(), err.getvalue()


def run(*args: str) -> tuple[int, str]:
    code, out, _ = run_all(*args)
    return code, out


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_output(output: str) -> list[tuple[str, str]]:
    """(file name, rule) of each `line` finding."""
    return [(Path(line.split(":")[0]).name, line.split(": ")[1].split()[0])
            for line in output.splitlines() if line.strip()]


# ------------------------------------------------------------------ kinds of finding

def test_each_kind_of_finding_on_the_newsroom_fixture(in_tmp: Path) -> None:
    result = check_drafts([DRAFTS], [REFERENCE])
    found = {(Path(f.path).name, f.rule, f.severity, f.figure) for f in result.findings}
    assert found == {
        ("stale.md", "FC301", "error", "at least 12"),
        ("conflict.md", "FC302", "error", "35"),
        ("unsupported.md", "FC303", "info", "4"),
        ("suppressed.md", "FC301", "error", "at least 12"),  # the paragraph no comment covers
    }
    assert result.suppressed == 2
    stale = next(f for f in result.findings if Path(f.path).name == "stale.md")
    assert [(r.figure, r.source, r.date) for r in stale.references] == [
        ("17", "prefect Hélène Dupré", "2024-03-04")]
    assert stale.quote == "said at least 12 people were killed"


def test_positions_count_characters_with_front_matter_accents_and_curly_quotes(in_tmp: Path
                                                                               ) -> None:
    for finding in check_drafts([DRAFTS], [REFERENCE]).findings:
        lines = Path(finding.path).read_text(encoding="utf-8").split("\n")
        text = lines[finding.line - 1]
        assert text[finding.column - 1:finding.end_column - 1] == finding.figure, finding
    stale = next(f for f in check_drafts([DRAFTS / "stale.md"], [REFERENCE]).findings)
    assert (stale.line, stale.column) == (7, 49)  # “Hélène … — said at least 12”: not bytes


def test_seeds_done_when(in_tmp: Path) -> None:
    """The issue's own test: 84 killed is stale against the seeds (cites 94 and its date);
    94 passes."""
    seeds = str(shipped_seeds_dir())
    write(in_tmp / "old.md", "At least 84 people were killed in the Kerman bombings.\n")
    write(in_tmp / "new.md", "The death toll from the Kerman bombings has risen to 94.\n")
    code, output = run("old.md", "--against", seeds, "--format", "json")
    assert code == 1
    finding, = json.loads(output)["findings"]
    assert finding["rule"] == "FC301" and finding["figure"] == "At least 84"
    assert ("94", "2024-01-11") in {(r["figure"], r["date"]) for r in finding["references"]}
    assert "94" in finding["message"] and "2024-01-11" in finding["message"]
    code, output = run("new.md", "--against", seeds, "--format", "line")
    assert (code, output) == (0, "")


def test_a_claims_store_as_reference_gives_the_same_findings(in_tmp: Path) -> None:
    """`check --against STORE` (made by `factcheck index`) finds what the reports give."""
    from factcheck.run.api import index_reports

    index_reports([REFERENCE], in_tmp / "reference.db")
    plain = run("--format", "json", str(DRAFTS), "--against", str(REFERENCE))
    stored = run("--format", "json", str(DRAFTS), "--against", "reference.db")
    assert plain[0] == stored[0] == 1
    findings = [json.loads(output)["findings"] for _, output in (plain, stored)]
    assert [(f["path"], f["line"], f["rule"]) for f in findings[0]] == [
        (f["path"], f["line"], f["rule"]) for f in findings[1]]
    mixed = run("--format", "json", str(DRAFTS), "--against", "reference.db",
                "--against", str(shipped_seeds_dir()))
    assert mixed[0] == 1


def test_an_event_the_reference_uses_limits_the_comparison(in_tmp: Path) -> None:
    reference = in_tmp / "reference"
    write(reference / "a.md", "---\nevent: fire\ndate: 2024-05-01\n---\n30 people were "
          "killed in the fire.\n")
    write(reference / "b.md", "---\nevent: flood\ndate: 2024-05-02\n---\n8 people were killed "
          "in the flood.\n")
    write(in_tmp / "fire.md", "---\nevent: fire\n---\n30 people were killed in the fire.\n")
    write(in_tmp / "any.md", "30 people were killed.\n")
    assert check_drafts(["fire.md"], [reference]).findings == []
    # No event: the whole reference, where 30 and 8 are two current figures: 30 agrees.
    assert check_drafts(["any.md"], [reference]).findings == []
    write(in_tmp / "flood.md", "---\nevent: flood\n---\n30 people were killed.\n")
    finding, = check_drafts(["flood.md"], [reference]).findings
    assert finding.rule == "FC302" and [r.figure for r in finding.references] == ["8"]


# ------------------------------------------------------------------ exit codes

def test_exit_codes(in_tmp: Path) -> None:
    ref = str(REFERENCE)
    assert run(str(DRAFTS / "current.md"), "--against", ref, "-f", "line") == (0, "")
    assert run(str(DRAFTS / "stale.md"), "--against", ref, "-f", "line")[0] == 1
    assert run(str(DRAFTS / "stale.md"), "--against", ref, "--exit-zero")[0] == 0
    # info only: passes by default, fails with --fail-on info
    assert run(str(DRAFTS / "unsupported.md"), "--against", ref, "-f", "line")[0] == 0
    assert run(str(DRAFTS / "unsupported.md"), "--against", ref, "--fail-on", "info")[0] == 1
    assert run(str(DRAFTS / "unsupported.md"), "--against", ref, "--fail-on", "warning")[0] == 0
    # usage and configuration errors
    assert run(str(DRAFTS / "stale.md"))[0] == 2  # no reference
    assert run(str(DRAFTS / "stale.md"), "--against", ref, "--format", "xml")[0] == 2
    assert run(str(DRAFTS / "stale.md"), "--against", ref, "--baseline", "nope.json")[0] == 2


def test_exit_codes_through_main(in_tmp: Path) -> None:
    """The installed entry point: an error is one line on stderr and exit 2, never a trace."""
    import subprocess

    command = [sys.executable, "-m", "factcheck", "check", str(DRAFTS / "stale.md")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=in_tmp,
                          env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 2
    assert done.stderr.startswith("factcheck: error: no reference") and "Traceback" not in (
        done.stderr)
    done = subprocess.run([*command, "--against", str(REFERENCE), "-f", "line"],
                          capture_output=True, text=True, cwd=in_tmp)
    assert done.returncode == 1 and "FC301" in done.stdout


# ------------------------------------------------------------------ formats, end to end

def test_every_format_from_the_command_line(in_tmp: Path) -> None:
    args = [str(DRAFTS), "--against", str(REFERENCE)]
    code, text = run(*args, "--color", "always")
    assert code == 1 and "FC301" in text and "Hélène Dupré" in text and "2024-03-04" in text
    for name in ("line", "json", "github", "sarif", "junit"):
        code, output = run(*args, "-f", name)
        assert code == 1, name
        assert "\x1b[" not in output, f"{name} has ANSI codes"
    code, output = run(*args, "-f", "line")
    assert line_output(output) == [("conflict.md", "FC302"), ("stale.md", "FC301"),
                                   ("suppressed.md", "FC301"), ("unsupported.md", "FC303")]
    code, output = run(*args, "-f", "sarif")
    jsonschema.validate(json.loads(output),
                        json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_output_file_is_written_whole(in_tmp: Path) -> None:
    target = in_tmp / "out" / "factcheck.sarif"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    code, output = run(str(DRAFTS), "--against", str(REFERENCE), "-f", "sarif", "-o",
                       str(target))
    assert code == 1 and output == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["factcheck.sarif"]  # no temp left


def test_github_appends_to_the_step_summary(in_tmp: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    summary = in_tmp / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, output = run(str(DRAFTS), "--against", str(REFERENCE), "-f", "github")
    assert code == 1
    assert output.startswith("::error file=")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### factcheck: 4 findings in 5 drafts")
    assert "| error | FC301 |" in text


# ------------------------------------------------------------------ configuration

def test_config_discovery_and_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    project = tmp_path / "desk"
    write(project / "pyproject.toml", f"""
[project]
name = "desk"

[tool.factcheck]
reference = ["{REFERENCE.as_posix()}"]
severity = {{ FC303 = "error" }}
format = "line"
""")
    stories = project / "stories" / "today"
    stories.mkdir(parents=True)
    monkeypatch.chdir(stories)  # found by walking up
    code, output = run(str(DRAFTS / "unsupported.md"))
    assert (code, line_output(output)) == (1, [("unsupported.md", "FC303")])
    # the command line wins: format, fail level, ignored rules, the reference itself
    code, output = run(str(DRAFTS / "unsupported.md"), "-f", "json")
    assert json.loads(output)["findings"][0]["severity"] == "error"
    assert run(str(DRAFTS / "unsupported.md"), "--ignore", "FC303")[0] == 0
    write(tmp_path / "other" / "a.md", "Police said 4 people were missing.\n")
    assert run(str(DRAFTS / "unsupported.md"), "--against", str(tmp_path / "other"))[0] == 0
    # factcheck.toml nearer than the pyproject wins
    write(stories / "factcheck.toml", f'reference = ["{REFERENCE.as_posix()}"]\n'
          'ignore = ["FC303"]\n')
    assert run(str(DRAFTS / "unsupported.md"))[0] == 0
    assert run(str(DRAFTS / "unsupported.md"), "--no-config", "--against",
               str(REFERENCE))[0] == 0
    # a broken configuration is exit 2, naming the file and line
    write(stories / "factcheck.toml", 'reference = ["x"]\nfail_on = "error"\n')
    code, output = run(str(DRAFTS / "unsupported.md"))
    assert code == 2


def test_a_bad_configuration_names_file_and_line(tmp_path: Path) -> None:
    import subprocess

    write(tmp_path / "factcheck.toml", 'reference = ["r"]\n\nseverity = { FC301 = "fatal" }\n')
    done = subprocess.run([sys.executable, "-m", "factcheck", "check", "x.md"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().endswith("factcheck.toml:3: severity: FC301 = 'fatal': expected "
                                        "a rule code (FC301) and one of error, warning, info")


# ------------------------------------------------------------------ suppression and baseline

def test_baseline_round_trip(in_tmp: Path) -> None:
    drafts = in_tmp / "drafts"
    write(drafts / "old.md", "At least 12 people were killed when the ferry capsized.\n")
    args = [str(drafts), "--against", str(REFERENCE), "-f", "line"]
    assert run(*args)[0] == 1
    code, _ = run(*args, "--write-baseline", "baseline.json")
    assert code == 0
    saved = json.loads((in_tmp / "baseline.json").read_text(encoding="utf-8"))
    assert [e["rule"] for e in saved["findings"]] == ["FC301"]
    assert run(*args, "--baseline", "baseline.json") == (0, "")
    # an edit above the accepted finding keeps it accepted; a new finding fails
    write(drafts / "old.md", "Update.\n\nAt least 12 people were killed when the ferry "
          "capsized.\n")
    assert run(*args, "--baseline", "baseline.json") == (0, "")
    write(drafts / "new.md", "Doctors said 35 people were injured.\n")
    code, output = run(*args, "--baseline", "baseline.json")
    assert (code, line_output(output)) == (1, [("new.md", "FC302")])
    # the configuration can name the baseline
    write(in_tmp / "factcheck.toml", 'baseline = "baseline.json"\n')
    code, output = run(*args)
    assert line_output(output) == [("new.md", "FC302")]


def test_unreadable_draft_is_named_and_fails(in_tmp: Path) -> None:
    (in_tmp / "bad.md").write_bytes(b"\x00\x01binary")
    write(in_tmp / "good.md", "The death toll has risen to 17.\n")
    code, _, errors = run_all("bad.md", "good.md", "--against", str(REFERENCE), "-f", "line")
    assert code == 3 and "skipped bad.md" in errors
