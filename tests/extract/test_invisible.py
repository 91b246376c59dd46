"""Invisible characters inside or beside a figure or a trigger word: read as absent, with
positions, figures and quotes those of the text as written."""

from __future__ import annotations

import pytest

import factcheck
from factcheck.extract.claims import ClaimReader
from factcheck.extract.invisible import Visible
from factcheck.io.model import Document

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"]
PLAIN = "Police said on Friday that 12 people were killed.\nAbout 30 were arrested, police said."


def _read(rules: factcheck.RuleSet, text: str) -> list[factcheck.Claim]:
    return ClaimReader(rules).read(Document(doc="r.txt", text=text, path="r.txt"))


def _line_column(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(before) + 1 for before in lines[:line - 1]) + column - 1


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
@pytest.mark.parametrize("where", ["in the number", "beside the number", "in the trigger",
                                   "before the line", "everywhere"])
def test_an_invisible_character_hides_no_claim(rules: factcheck.RuleSet, char: str,
                                                where: str) -> None:
    text = {
        "in the number": PLAIN.replace("12", f"1{char}2").replace("30", f"3{char}0"),
        "beside the number": PLAIN.replace("12", f"{char}12{char}").replace("30", f"30{char}"),
        "in the trigger": PLAIN.replace("killed", f"kil{char}led").replace(
            "arrested", f"arrest{char}ed"),
        "before the line": char + PLAIN.replace("\n", "\n" + char),
        "everywhere": char.join(PLAIN),
    }[where]
    plain = {(c.metric, c.value, c.attributed_to) for c in _read(rules, PLAIN)}
    claims = _read(rules, text)
    assert {(c.metric, c.value, c.attributed_to) for c in claims} == plain
    for claim in claims:
        at = _line_column(text, claim.line, claim.column)
        assert at == claim.start and text[claim.start:claim.end] == claim.figure
        assert claim.figure.replace(char, "") in {"12", "About 30"}
        assert claim.quote in text


def test_offsets_map_back_to_the_text_as_written() -> None:
    visible = Visible("a\u200bb\u00ad\u00adc\u200b")
    assert visible.text == "abc"
    assert [visible.start(i) for i in range(4)] == [0, 2, 5, 7]
    assert [visible.end(i) for i in range(4)] == [0, 1, 3, 6]
    assert [visible.visible(i) for i in (0, 1, 2, 3, 5, 7)] == [0, 1, 1, 2, 2, 3]
    assert not Visible("plain text")


ESCAPES = ["\x1b[31m", "\x1b[0m", "\x1b[1;38;5;196m", "\x9b31m", "\x1b]0;12 killed\x07",
           "\x1b]8;;http://x.test/\x1b\\", "\x1b(B"]


@pytest.mark.parametrize("escape", ESCAPES, ids=[repr(e) for e in ESCAPES])
def test_a_terminal_escape_is_invisible_and_no_figure(rules: factcheck.RuleSet,
                                                      escape: str) -> None:
    text = f"{escape}Police said on Friday that {escape}12{escape} people were " \
           f"kil{escape}led.\nAbout 30 were arrested, police said.{escape}"
    plain = {(c.metric, c.value, c.attributed_to) for c in _read(rules, PLAIN)}
    claims = _read(rules, text)
    assert {(c.metric, c.value, c.attributed_to) for c in claims} == plain
    twelve = next(c for c in claims if c.value == 12)
    assert twelve.figure == "12"
    assert text[_line_column(text, twelve.line, twelve.column):].startswith("12")


def test_an_escape_s_parameters_are_no_figure(rules: factcheck.RuleSet) -> None:
    claims = _read(rules, "Police said \x1b[31m12 people were killed\x1b[0m and \x1b[5m "
                          "wounded.\n")
    assert [c.value for c in claims] == [12]
