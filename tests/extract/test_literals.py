"""Required literals: the cheap test must never rule out a text a pattern matches."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

import factcheck
from factcheck.extract.claims import ClaimReader
from factcheck.extract.literals import (
    first_words,
    fold,
    leading_literals,
    literal_starts,
    matches_at,
    might_match,
    required_literals,
)

REPO = Path(__file__).resolve().parents[2]


def literals_of(pattern: str, flags: int = regex.IGNORECASE) -> tuple[str, ...] | None:
    return required_literals(regex.compile(pattern, flags | regex.VERSION0))


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bsince (?:last |early )?(?:monday|june)\b", {"since "}),
        (r"\b(?:a|an|one)? ?(?:years?|decades?) ago\b", {" ago"}),  # one test, not two
        (r"\b(?:a|an|one)? ?(?:years?|decades?) (?:ago|later)\b", {"year", "decade"}),
        (r"(?:killed|\d+) people", {" people"}),  # one alternative needs no text
        (r"\b(?:a|an)\b", {"a"}),  # "an" holds "a"
        (r"\b\p{Lu}\w+,\s*\d+", {","}),
        (r"^\W*(?:copyright|©)", {"copyright", "©"}),  # a symbol without case counts
        (r"\b(?:days|weeks) ago\b|\bannually\b", {" ago", "annually"}),
        (r"\bSaid\b", {"said"}),  # folded
        (r"(?<!\byet )\banother\b", {"another"}),  # the lookbehind is no part of the match
        (r"\b(?:detained|held)\b[^.]{1,80}\s+at\s+", {"detained", "held"}),
        (r"(?:to)+\s+(?:toll)", {"toll"}),
        (r"[\p{L}]+\s+killed", {"killed"}),  # a \p{…} class is any class
    ],
)
def test_required_literals(pattern: str, expected: set[str]) -> None:
    assert set(literals_of(pattern) or ()) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        r"\d+\s+\w+",  # no text at all
        r"(?:killed)?\s+\d+",  # optional text is not needed
        r"(?:killed|\d+)\s+\w+",  # one alternative needs no text
        r"(?:killed){e<=1}",  # fuzzy: a match may differ from the text
        r"[[:alpha:]]+ said",  # POSIX class: read differently by the standard parser
        r"(?<name>said)",  # syntax only the regex module knows
        r"\p{Lu}\w+",
    ],
)
def test_no_requirement(pattern: str) -> None:
    assert literals_of(pattern) is None


def test_unknown_flags_give_no_requirement() -> None:
    assert literals_of("said", regex.IGNORECASE | regex.FULLCASE) is None
    assert required_literals(regex.compile("said", regex.VERSION1)) is None


def test_might_match() -> None:
    assert might_match(None, "anything")
    assert might_match(("said", "told"), fold("Police TOLD reporters"))
    assert not might_match(("said", "told"), fold("Police spoke"))


def test_fold_agrees_with_case_insensitive_matching() -> None:
    """Every character the regex module matches against printable ASCII without case folds to
    that ASCII character, so a folded text holds each literal a case-insensitive match holds."""
    printable = regex.compile(r"[\x20-\x7e]", regex.IGNORECASE | regex.VERSION0)
    for code in range(0x80, 0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if printable.fullmatch(char):
            twins = [c for c in map(chr, range(0x20, 0x7F))
                     if regex.fullmatch(regex.escape(c), char, regex.IGNORECASE | regex.VERSION0)]
            assert all(c.lower() in fold(char) for c in twins), (hex(code), twins)


def test_caseless_symbols_match_only_themselves() -> None:
    """Punctuation and symbols that literals may hold beyond ASCII (no case mapping) match no
    other character without case, and fold leaves them alone."""
    import unicodedata

    chars = [chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code <= 0xDFFF
             and unicodedata.category(chr(code))[0] in "PS"
             and chr(code).lower() == chr(code) == chr(code).upper() == chr(code).casefold()]
    assert "©" in chars and "⟨" in chars and "Ⓐ" not in chars
    every = regex.compile("[" + "".join(map(regex.escape, chars)) + "]",
                          regex.IGNORECASE | regex.VERSION0)
    members = set(chars)
    for code in range(0x110000):
        if not 0xD800 <= code <= 0xDFFF and chr(code) not in members:
            assert every.fullmatch(chr(code)) is None, hex(code)
    assert fold("".join(chars)) == "".join(chars)


def test_shipped_patterns_match_as_before(rules: factcheck.RuleSet) -> None:
    """On every sentence of the sample reports, a pattern the literals rule out has no match."""
    reader = ClaimReader(rules)
    patterns = [p for _, p in reader.scope.other] + reader.segmenter.noise + \
        reader.revision_words + [reader.attribution._verb, reader.attribution._lead] + [
        p for _, p in reader.implicit_figures]
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds").glob("*.txt"))]
    texts += ["In the past few weeks, three separate shootings; a year ago police said 4 died.",
              "The dead numbered SEVEN, Officials SAID, yet another attack."]
    sentences = [s for text in texts for s in regex.split(r"(?<=[.;!?])\s+|\n", text) if s]
    checked = 0
    for pattern in patterns:
        literals = required_literals(pattern)
        for sentence in sentences:
            if not might_match(literals, fold(sentence)):
                assert pattern.search(sentence) is None, (pattern.pattern, sentence)
                checked += 1
    assert checked


@pytest.mark.parametrize(
    "text",
    [
        "Police said 4 people were KILLED and 9 Injured; the death toll rose. Arrests followed.",
        "Killed\nkilled killedkilled unkilled medical\ncentre MEDICAL   CENTRES ſhot \u212aill",
        "İnjured and ınjured; the İ changes the length of the folded text: killed 3",
        "",
    ],
)
def test_keyword_positions_as_a_full_scan(rules: factcheck.RuleSet, text: str) -> None:
    """The substring search for where keywords begin finds what scanning the text finds."""
    reader = ClaimReader(rules)
    for start in (0, 3):
        expected = [[m.start() for m in p.finditer(text, start)] for p in reader._keywords]
        assert reader._keyword_positions(text, start) == expected


def test_keyword_positions_overlapping_keywords(rules: factcheck.RuleSet) -> None:
    from factcheck.extract.patterns import words_alternation

    reader = ClaimReader(rules)
    keywords = ["ab", "b c", "bc", "abcd", "c"]
    reader._keywords = [regex.compile(rf"\b(?:{words_alternation(keywords)})", regex.IGNORECASE)]
    reader._keyword_starts = [first_words(keywords)]
    text = "abc ab c b  c ABCD b\nC bc,c abcdc"
    assert reader._keyword_positions(text, 0) == [
        [m.start() for m in reader._keywords[0].finditer(text)]]
    assert first_words([" x"]) is None and first_words(["é"]) is None
    assert first_words(["jan", "january", "this morning"]) == ("jan", "this")


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b(?:(?:has|had)\s+)*(?P<verb>said|says|told)\b",
         {"ha", "said", "says", "told"}),  # the parser reads "has|had" as "ha[sd]"
        (r"(?:put|puts) the (?:toll|number)", {"put"}),  # "puts" begins with "put"
        (r"\bSaid\b", {"said"}),
        (r"(?:ab|cd)?ef", {"ab", "cd", "ef"}),
        (r"(?:ab)*ef", {"ab", "ef"}),  # not "abef": "ababef" begins with "abab"
        (r"[“\"‘]?⟨(?P<n>\d+)⟩", {"“", '"', "‘", "⟨"}),  # a set of plain characters
        (r"[AB]x", {"a", "b"}),
    ],
)
def test_leading_literals(pattern: str, expected: set[str]) -> None:
    assert set(leading_literals(regex.compile(pattern, regex.IGNORECASE)) or ()) == expected


@pytest.mark.parametrize("pattern", [r"\w+ said", r"(?:said)?", r"(?:said|\d+) x", r"é said",
                                     r"[^ab]x", r"[a-c]x", r"[aé]x"])
def test_no_leading_literals(pattern: str) -> None:
    assert leading_literals(regex.compile(pattern, regex.IGNORECASE)) is None


@pytest.mark.parametrize(
    "text",
    ["Police said, then had said and HAS SAID; hassaid saidsaid. Police say tOLD told",
     "", "nothing here", "ſaid and Said and İ said"],
)
def test_matches_at_as_finditer(text: str) -> None:
    pattern = regex.compile(r"\b(?:(?:has|had)\s+)*(?P<verb>said|says|say|told)\b",
                            regex.IGNORECASE)
    literals = leading_literals(pattern)
    assert literals is not None
    folded = fold(text)
    starts = literal_starts(literals, folded) if len(folded) == len(text) else None
    if starts is None:
        return
    expected = [m.span() for m in pattern.finditer(text)]
    assert [m.span() for m in matches_at(pattern, text, starts)] == expected
    assert [m.span() for m in matches_at(pattern, text, starts, first=True)] == expected[:1]


@pytest.mark.parametrize(
    "text",
    ["⟨0⟩ killed and “⟨1⟩” dead, ⟨2⟩ ⟨3⟩ killed", "", "no slot killed", "“⟨12⟩ killed"],
)
def test_matches_at_overlapped_as_finditer(text: str) -> None:
    """Tried only where a leading literal stands, an overlapped scan finds what a full one
    does (every start, matches that overlap included)."""
    pattern = regex.compile(r"[“\"]?⟨(?P<n>\d+)⟩[”\"]?(?:\s+⟨\d+⟩)*\s+(?:killed|dead)",
                            regex.IGNORECASE)
    literals = leading_literals(pattern)
    assert literals is not None
    starts = literal_starts(literals, fold(text))
    expected = [m.span() for m in pattern.finditer(text, overlapped=True)]
    found = matches_at(pattern, text, starts, overlapped=True, timeout=1.0)
    assert [m.span() for m in found] == expected
    assert [m.span() for m in matches_at(pattern, text, starts)] == [
        m.span() for m in pattern.finditer(text)]


def test_attribution_with_verb_starts(rules: factcheck.RuleSet) -> None:
    """has_frame and frames give the same with the report's verb offsets as without."""

    reader = ClaimReader(rules)
    attribution = reader.attribution
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds").glob("*.txt"))]
    checked = 0
    for text in texts:
        starts = attribution.verb_starts(text)
        assert starts is not None
        for sentence in reader.sentences(text, 0):
            local = [at - sentence.start for at in starts
                     if sentence.start <= at < sentence.end]
            sentence_text = text[sentence.start:sentence.end]
            assert attribution.has_frame(sentence_text, local) == attribution.has_frame(
                sentence_text)
            dates = reader.dates.find(text, sentence.start, sentence.end)
            assert attribution.frames(text, sentence, dates, None, [], local) == \
                attribution.frames(text, sentence, dates, None, [])
            checked += bool(attribution.has_frame(sentence_text))
    assert checked
