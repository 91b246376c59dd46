"""Text renderers print no control character from the input: escapes in file names, quotes,
sources and messages are shown as text, never sent to the terminal (terminal injection)."""

from __future__ import annotations

import dataclasses
import io
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.report.console import make_console
from factcheck.report.formats.github import github_summary, to_github
from factcheck.report.formats.line import to_line
from factcheck.report.formats.markdown import to_markdown
from factcheck.report.formats.text import print_text
from factcheck.report.safetext import safe_finding, safe_text, write_out
from factcheck.report.terminal import print_claims, print_report

from .test_formats import INFO, STALE

# Every character no renderer may print but the line break: C0, DEL, C1, bidi, surrogates.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                       "\u2066-\u2069\ud800-\udfff]")
HOSTILE = ["\x1b]0;pwned\x07", "\x1b[31m", "\x9b2J", "\x00", "\x0b", "\r", "\t", "\u202e",
           "\u2066", "\u200f", "\ud800", "\x85", "\x7f", "\u2028"]

hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4)),
                        max_size=6).map("".join)


def test_escape_sequences_are_shown_as_text() -> None:
    assert safe_text("a\x1b]0;title\x07b") == "a\\x1b]0;title\\x07b"
    assert safe_text("x\u202ey\ud800") == "x\\u202ey\\ud800"
    assert safe_text("one\r\ntwo\tthree") == "one\ntwo three"
    assert safe_text("one\ntwo", newlines=False) == "one\\ntwo"


def _hostile_finding(text: str):
    reference = dataclasses.replace(STALE.references[0], source=text, quote=text, path=text)
    return dataclasses.replace(STALE, path=f"drafts/{text}.md", message=text, quote=text,
                               rule_name=text, references=(reference,))


def _console_text(show) -> str:
    buffer = io.StringIO()
    show(make_console("never", file=buffer))
    return buffer.getvalue()


@settings(max_examples=60, deadline=None)
@given(text=hostile_text)
def test_check_renderers_print_no_control_character(text: str) -> None:
    findings = [_hostile_finding(text), INFO]
    outputs = [to_line(findings), to_github(findings), github_summary(findings, 2),
               _console_text(lambda console: print_text(console, findings, 2, 3))]
    for output in outputs:
        assert not FORBIDDEN.search(output), repr(output)


def test_safe_finding_keeps_plain_text() -> None:
    assert safe_finding(STALE) == STALE


def _hostile_tables(claims: pd.DataFrame, findings: pd.DataFrame,
                    text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    claims, findings = claims.copy(), findings.copy()
    for column in ("quote", "source", "attributed_to", "doc", "path", "metric"):
        if column in claims:
            claims[column] = claims[column].astype(object) + text
    findings["message"] = findings["message"].astype(object) + text
    return claims, findings


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_text)
def test_report_renderers_print_no_control_character(mini_tables, text: str) -> None:
    claims, findings = _hostile_tables(*mini_tables, text)
    outputs = [_console_text(lambda console: print_report(console, claims, findings,
                                                          problems=[f"x{text}.md: bad"])),
               _console_text(lambda console: print_claims(console, claims)),
               to_markdown(claims, findings)]
    for output in outputs:
        assert not FORBIDDEN.search(output), repr(output)


def test_colour_keeps_only_its_own_styles(mini_tables) -> None:
    """With colour on, the only escapes are rich's SGR codes: none from the input."""
    claims, findings = _hostile_tables(*mini_tables, "\x1b]0;pwned\x07\x1b[5m")
    buffer = io.StringIO()
    print_report(make_console("always", file=buffer), claims, findings)
    output = re.sub(r"\x1b\[[0-9;]*m", "", buffer.getvalue())
    assert "pwned" in output and not FORBIDDEN.search(output)
    assert "\\x1b[5m" in output


@pytest.mark.parametrize("color", ["always", "never"])
def test_the_console_lets_through_no_control_but_its_own_styles(color: str) -> None:
    """The last guard, for renderers that print input as it is (rules show, eval): only
    rich's style codes reach the terminal."""
    from rich.text import Text

    buffer = io.StringIO()
    console = make_console(color, file=buffer)
    console.print(Text("title \x1b]0;pwned\x07 \x9b2J \u202eevil", style="bold"))
    console.print("open line \x1b[2J", end="")
    console.file.flush()
    output = buffer.getvalue()
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert not FORBIDDEN.search(plain), repr(output)
    assert "\\x1b]0;pwned" in plain and "\\x9b2J \\u202eevil" in plain
    assert "\\x1b[2J" in plain
    assert ("\x1b[1m" in output) is (color == "always")


class _Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_data_outputs_are_escaped_on_a_terminal_only(tty: bool) -> None:
    """CSV or JSON on a terminal shows control characters escaped; into a pipe or a file the
    data stays as it is."""
    data = 'id,quote\nc1,"said \x1b]0;pwned\x07 \u202e\x9b2J"\n'
    stream = _Terminal(tty)
    write_out(data, stream)
    if tty:
        assert stream.getvalue() == 'id,quote\nc1,"said \\x1b]0;pwned\\x07 \\u202e\\x9b2J"\n'
    else:
        assert stream.getvalue() == data


def test_a_stream_copied_in_pieces_is_escaped_on_a_terminal() -> None:
    import shutil

    from factcheck.report.safetext import terminal_safe

    stream = _Terminal(True)
    shutil.copyfileobj(io.StringIO("a\x1b[2J\nb\u202e\n" * 3), terminal_safe(stream), 5)
    assert stream.getvalue() == "a\\x1b[2J\nb\\u202e\n" * 3
    plain = _Terminal(False)
    assert terminal_safe(plain) is plain
