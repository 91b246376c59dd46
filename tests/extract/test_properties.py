"""Properties of the number reader and the claim extractor on any text (hypothesis).

Two kinds of text: arbitrary Unicode, and text built from news-like fragments (figures,
qualifiers, people, metric verbs, sources, dates) so that claims actually occur. On both, reading
never raises, every interval is ordered, every position points at the words it names, and
reading is deterministic.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from factcheck.extract.aliases import AliasTables
from factcheck.extract.claims import ClaimReader
from factcheck.extract.model import Claim
from factcheck.extract.numbers import NumberMention, NumberReader
from factcheck.io.model import Document
from factcheck.ruleset.model import RuleSet
from factcheck.run.api import load_rules

# Enough examples to matter, few enough that the file runs in a few seconds.
PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

_RULES: list[RuleSet] = []


def rules() -> RuleSet:
    """The shipped rules, loaded once for the whole file (hypothesis reruns test bodies)."""
    if not _RULES:
        _RULES.append(load_rules())
    return _RULES[0]


# --------------------------------------------------------------------------- text strategies

QUALIFIERS = ["", "at least ", "more than ", "over ", "about ", "nearly ", "almost ", "up to ",
              "some ", "around ", "fewer than ", "an estimated ", "roughly ", "as many as "]
NUMBER_WORDS = ["three", "forty-eight", "a dozen", "dozens of", "hundreds of", "two hundred",
                "one million", "scores of", "1.5 million", "a few", "nine", "eleven", "a hundred"]
NOUNS = ["people", "civilians", "protesters", "children", "soldiers", "Afghan nationals",
         "migrants", "students", "others", "", "police officers"]
VERBS = ["were killed", "were injured", "were arrested", "are missing", "were displaced",
         "died", "were wounded", "were hurt", "were detained", "have been killed",
         "lost their lives", "were taken to hospital", "remain unaccounted for"]
SOURCES = ["", "police said", "officials said", "according to the ministry",
           "the prosecutor told reporters", "IRNA reported on January 7",
           "a spokesman said on Friday", "the army said in a statement"]
GLUE = [". ", ", ", "; ", " and ", " — ", ".\n", ".\n\n", " (", ") ", ": ", " \u201c", "\u201d ",
        "\r\n", "\n# ", " including ", " up from ", " not ", " in 2022 ", " on Thursday, ",
        # Characters that change length when lowered (İ), odd spaces and line breaks.
        " İstanbul ", "\u00a0", "\u2028", "\r", "\x0c", " ẞ ", "\t",
        # Invisible characters (read as absent; positions stay those of the text as written).
        "\u200b", "\u200d", "\u200e", "\u2060", "\ufeff", "\u00ad"]


@st.composite
def figures(draw: st.DrawFn) -> str:
    """A figure as reports write it: digits with separators, words, ranges, decimals."""
    kind = draw(st.sampled_from(["digits", "grouped", "words", "range", "decimal", "odd"]))
    if kind == "digits":
        return str(draw(st.integers(0, 10**6)))
    if kind == "grouped":
        return f"{draw(st.integers(1000, 10**8)):,}"
    if kind == "words":
        return draw(st.sampled_from(NUMBER_WORDS))
    if kind == "range":
        low = draw(st.integers(0, 500))
        joiner = draw(st.sampled_from([" to ", "-", "–", " and ", " or "]))
        return f"{low}{joiner}{low + draw(st.integers(0, 500))}"
    if kind == "decimal":
        return f"{draw(st.integers(0, 99))}.{draw(st.integers(0, 99))}"
    # Edge shapes: leading zeros, stray commas, signs, glued letters, huge numbers.
    return draw(st.sampled_from(["007", "1,2,3", "-5", "+12", "12m", "3rd", "10^9", "1e6",
                                 "99999999999999999999999", ",12", "12,", "1 000 000", "½",
                                 "١٢", "１２", "12\u00a0000", "0.5", "1,000,000,000,000",
                                 "1\u200b2", "\u20601,2\u00ad00", "3\u200c4\ufeff"]))


@st.composite
def news_sentences(draw: st.DrawFn) -> str:
    qualifier = draw(st.sampled_from(QUALIFIERS))
    sentence = f"{qualifier}{draw(figures())} {draw(st.sampled_from(NOUNS))} " \
               f"{draw(st.sampled_from(VERBS))}"
    source = draw(st.sampled_from(SOURCES))
    if source and draw(st.booleans()):
        sentence = f"{source.capitalize()} {sentence}" if draw(st.booleans()) \
            else f"{sentence}, {source}"
    return sentence[:1].upper() + sentence[1:]


news_text = st.lists(
    st.one_of(news_sentences(), st.sampled_from(GLUE), st.text(max_size=8)),
    min_size=1, max_size=14,
).map("".join)

any_text = st.text(max_size=400)
texts = st.one_of(any_text, news_text)


# --------------------------------------------------------------------------- checks


def assert_ordered(low: float | None, high: float | None, where: Any) -> None:
    if low is not None and high is not None:
        assert low <= high, where


def offset_of(text: str, line: int, column: int) -> int:
    """The offset of a 1-based line and column, lines ending at "\\n" as the claims table counts."""
    lines = text.split("\n")
    assert 1 <= line <= len(lines)
    assert 1 <= column <= len(lines[line - 1]) + 1
    return sum(len(previous) + 1 for previous in lines[: line - 1]) + column - 1


def read(text: str, reader: ClaimReader | None = None) -> list[Claim]:
    # one reader for the file: a new reader compiles its patterns on first use (a second or so)
    return (reader or shared_reader()).read(Document(doc="r.txt", text=text, path="r.txt"))


# --------------------------------------------------------------------------- number reader


@PROPERTY_SETTINGS
@given(texts)
def test_number_reader_spans_are_the_text_and_intervals_ordered(text: str) -> None:
    mentions: list[NumberMention] = NumberReader(rules().numbers).find(text)
    previous_start = -1
    for mention in mentions:
        assert 0 <= mention.start <= mention.number_start <= mention.number_end <= mention.end
        assert mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
        assert_ordered(mention.low, mention.high, mention)
        assert mention.start >= previous_start, "mentions come in text order"
        previous_start = mention.start


# --------------------------------------------------------------------------- extractor


@PROPERTY_SETTINGS
@given(texts)
def test_extractor_positions_point_at_the_figure_and_the_quote_is_in_the_text(text: str) -> None:
    cap = rules().numbers.max_count
    for claim in read(text):
        assert_ordered(claim.low, claim.high, claim)
        assert claim.quote and claim.quote in text, claim
        assert cap is None or all(b is None or b <= cap for b in (claim.low, claim.high)), claim
        at = offset_of(text, claim.line, claim.column)
        assert text[at:at + len(claim.figure)] == claim.figure, claim
        assert at == claim.start


# Fewer examples: each builds a new reader, which compiles its patterns afresh.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_extracting_twice_gives_identical_tables(text: str) -> None:
    reader = shared_reader()
    first = [claim.row() for claim in read(text, reader)]
    again = [claim.row() for claim in read(text, reader)]  # the same reader, after use
    fresh = [claim.row() for claim in read(text, ClaimReader(rules()))]  # a new reader
    assert first == again == fresh


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad"]


@PROPERTY_SETTINGS
@given(news_text, st.lists(st.tuples(st.integers(0, 400), st.sampled_from(INVISIBLE)),
                           max_size=6))
def test_invisible_characters_change_no_claim_and_positions_stay_true(
        text: str, inserts: list[tuple[int, str]]) -> None:
    """Invisible characters anywhere (in a figure, a trigger word, a source) are read as
    absent: the same claims, each at the place of its figure in the text as written."""
    marked = text
    for at, char in sorted(inserts, reverse=True):
        marked = marked[:at] + char + marked[at:]
    def key(claim: Claim) -> tuple[Any, ...]:
        return (claim.metric, claim.value, claim.low, claim.high, claim.claim_date,
                claim.figure.translate({ord(c): None for c in INVISIBLE}))
    plain = [key(claim) for claim in read(text)]
    claims = read(marked)
    assert [key(claim) for claim in claims] == plain
    for claim in claims:
        at = offset_of(marked, claim.line, claim.column)
        assert at == claim.start and marked[at:claim.end] == claim.figure, claim
        assert claim.quote in marked


# No shrinking: the minimal input is known (the explicit example), and shrinking costs seconds.
@settings(max_examples=50, deadline=None, database=None, phases=[Phase.explicit, Phase.generate])
@example("", "\ud83d", 0)
@given(texts, st.sampled_from(["\ud83d", "\udc00", "\udfff"]), st.integers(0, 400))
def test_extractor_never_raises_on_text_with_a_lone_surrogate(
    text: str, surrogate: str, at: int
) -> None:
    read(text[:at] + surrogate + text[at:])


def test_news_text_does_give_claims() -> None:
    """The news-like strategy is worth its name: such text yields claims of every kind."""
    found = read("At least 12 people were killed, police said. Some 30 protesters were "
                 "arrested.\nDozens of civilians were injured, according to the ministry.")
    assert {claim.metric for claim in found} >= {"killed", "arrested", "injured"}


# --------------------------------------------------------------------------- prefiltered scans

SPELLINGS = ["IS", "is", "ISIS-K", "Islamic State", "islamic  state", "Daesh", "Da’esh",
             "al-Qaeda", "Al-Qaida", "Tajik", "Tajikistan", "U.S.", "Türkiye", "TÜRKIYE"]
name_text = st.lists(
    st.one_of(st.sampled_from(SPELLINGS), st.sampled_from(GLUE), st.text(max_size=6)),
    min_size=1, max_size=12,
).map("".join)


@PROPERTY_SETTINGS
@given(name_text, st.integers(0, 20), st.integers(0, 200))
def test_alias_search_at_word_starts_finds_what_a_full_scan_finds(text: str, start: int,
                                                                    length: int) -> None:
    tables = AliasTables(rules().aliases)
    assert tables._exact is not None
    end = min(len(text), start + length)
    start = min(start, end)
    expected = [m.span() for m in tables._exact.finditer(text, start, end)]
    assert [m.span() for m in tables._exact_matches(text, start, end)] == expected


_READER: list[ClaimReader] = []


def shared_reader() -> ClaimReader:
    """One claim reader for the whole file (its pattern caches are what is under test)."""
    if not _READER:
        _READER.append(ClaimReader(rules()))
    return _READER[0]


@PROPERTY_SETTINGS
@given(texts)
def test_rule_patterns_tried_at_their_leading_words_find_what_a_full_scan_finds(
        text: str) -> None:
    """Each claim pattern runs only where a word it begins with stands (`_matches`); on any
    text, masked with figure slots or not, it finds what a scan of the whole text finds."""
    from factcheck.extract.claims import SLOT
    from factcheck.extract.literals import fold

    reader = shared_reader()
    masked = text.replace("7", SLOT.format(0)).replace("9", "“" + SLOT.format(1) + "”")
    for sample in (text, masked):
        folded = fold(sample)
        for claim_pattern in reader.grammar.patterns:
            pattern = claim_pattern.pattern
            expected = [m.span() for m in pattern.finditer(sample, overlapped=True)]
            found = reader._matches(pattern, sample, folded, overlapped=True)
            assert [m.span() for m in found] == expected, claim_pattern.reading.name
        for pattern in (*reader.part_patterns, *reader.history_patterns,
                        *reader.scope_patterns):
            expected = [m.span() for m in pattern.finditer(sample)]
            assert [m.span() for m in reader._matches(pattern, sample, folded)] == expected
