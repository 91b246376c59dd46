"""Golden outputs at 80 and 120 columns: `report` and `check` text on the seeds, `rules list`.

What a pipe, a CI log or a narrow terminal shows, byte for byte. After a deliberate change of
the output, remake the files and review the diff:

    FACTCHECK_UPDATE_GOLDEN=1 python -m pytest tests/report/test_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli.app import app

REPO = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden")
UPDATE = bool(os.environ.get("FACTCHECK_UPDATE_GOLDEN"))
NEWSROOM = "tests/fixtures/newsroom"
COMMANDS = {
    "report": ["report", "seeds"],
    "check": ["check", f"{NEWSROOM}/drafts", "--against", "seeds", "--no-config"],
    "rules-list": ["rules", "list"],
    "help-check": ["check", "--help"],
}
WIDTHS = (80, 120)
PLACE = re.compile(r"(?:seeds|tests)/[\w./-]+\.(?:txt|md):\d+")  # a file:line


def _output(name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(REPO)  # the paths as a user in the checkout sees them
    runner = CliRunner(env={"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"})
    result = runner.invoke(app, COMMANDS[name])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_golden_output(name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output(name, width, monkeypatch)
    golden = GOLDEN / f"{name}-{width}.txt"
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is meant, remake it with "
        "FACTCHECK_UPDATE_GOLDEN=1 and review the diff")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["report", "check", "rules-list"])
def test_text_reads_at_the_width(name: str, width: int, monkeypatch: pytest.MonkeyPatch
                                 ) -> None:
    """No trailing space, no line past the width, and every file:line whole on one line."""
    text = _output(name, width, monkeypatch)
    lines = text.splitlines()
    assert not [line for line in lines if line != line.rstrip()]
    assert max(len(line) for line in lines) <= width
    # every path on a line is whole: it ends in its suffix (and :line), never mid-name
    paths = [token for line in lines for token in re.findall(r"\S*(?:seeds|tests|metrics)/\S*",
                                                               line)]
    assert paths or name == "check"
    for token in paths:
        assert PLACE.search(token) or re.search(r"\.(?:txt|md|yaml)\W*$", token), token
    assert "/site-packages/" not in text and "<bool>" not in text


def test_rules_list_names_are_whole_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _output("rules-list", 80, monkeypatch)
    for name in ("responsibility-conflict", "draft-unsupported-figure", "findings.yaml",
                 "metrics/killed.yaml"):
        assert re.search(rf"(^|\s){re.escape(name)}(\s|$)", text, re.MULTILINE), name


@pytest.mark.parametrize("width", WIDTHS)
def test_a_shortened_quote_keeps_its_figure(width: int, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    joined = " ".join(_output("report", width, monkeypatch).split())
    assert "32 people related to the Kerman" in joined  # the prosecutor's 32
    assert "left 84 people dead" in joined  # IRNA's 84


def test_help_names_no_python_types(monkeypatch: pytest.MonkeyPatch) -> None:
    for command in (["report", "--help"], ["check", "--help"], ["rules", "list", "--help"],
                    ["eval", "--help"]):
        runner = CliRunner(env={"COLUMNS": "80", "NO_COLOR": "1"})
        text = runner.invoke(app, command).stdout
        assert "<bool>" not in text and "list[" not in text and "{" not in text.split("\n")[1]
        assert "sari\n" not in text and "sari f" not in text.replace("│", "")
