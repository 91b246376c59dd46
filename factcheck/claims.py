"""Claims stage: attach each figure to a metric, a source, a date and a scope: one `Claim` each."""

from __future__ import annotations

import ctypes
import threading
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import blingfire
import regex

from .attribution import AttributionReader, Frame
from .dates import DateMention, DateReader, infer_years
from .errors import Problem, RuleError
from .io.encodings import without_lone_surrogates
from .io.model import Document
from .literals import (
    Literals,
    first_words,
    fold,
    leading_literals,
    literal_starts,
    matches_at,
    might_match,
    required_literals,
    word_offsets,
)
from .named import NamedReader
from .numbers import NumberMention, NumberReader
from .patterns import PATTERN_TIMEOUT_SECONDS, compile_pattern, words_alternation
from .ruleset.model import RuleSet
from .yamlio import line_of

CLAIM_COLUMNS = [
    "claim_id", "story", "doc", "outlet", "published", "kind", "metric", "figure", "value",
    "low", "high", "low_inclusive", "high_inclusive", "qualifier", "subject", "scope", "part_of",
    "attributed_to", "claim_date", "in_scope", "scope_note", "revision", "superseded", "quote",
    "line", "column", "entity", "role", "stance",
]
SLOT = "⟨{}⟩"  # a figure's place in a masked sentence; patterns see {N} as this slot
_MACRO = regex.compile(r"(?<!\\[pP])\{([A-Z_]+)\}")  # not \p{L}
_YEAR = regex.compile(r"(?<![\d,.])(?:19|20)\d\d(?!\d|,\d)")


@dataclass(slots=True)
class Claim:
    """One figure a report attaches to a metric, with its source, date, scope and position."""

    story: str
    doc: str
    outlet: str | None
    published: date | None
    metric: str
    figure: str
    value: float | None
    low: float | None
    high: float | None
    low_inclusive: bool | None
    high_inclusive: bool | None
    qualifier: str | None
    subject: str | None
    quote: str
    line: int
    column: int
    kind: str = "numeric"
    scope: str | None = None
    part_of: str | None = None
    attributed_to: str | None = None
    claim_date: date | None = None
    in_scope: bool = True
    scope_note: str | None = None
    claim_id: str = ""
    # Named claims (kind "named", see named.py): the canonical value, the role, the stance.
    entity: str | None = None
    role: str | None = None
    stance: str | None = None
    # Not in the table: where the figure is, and what the comparison stage needs to know.
    start: int = 0
    end: int = 0
    sentence: int = 0
    revision: bool = False  # the sentence says the figure is a revision ("lowered to 96")
    superseded: bool = False  # the report gives it as history ("up from 84 on Thursday")
    total: Claim | None = None  # the claim this one is a part of; its id goes in `part_of`

    def row(self) -> dict[str, Any]:
        return {column: getattr(self, column) for column in CLAIM_COLUMNS}


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    headline: bool = False


@dataclass
class StoryContext:
    """What the other reports of the story fix: the years an undated report belongs to."""

    years: list[int] = field(default_factory=list)


def story_contexts(documents: Sequence[Document], dates: DateReader) -> dict[str, StoryContext]:
    """The years each story fixes: its reports' dates, else what its texts state."""
    by_story: dict[str, list[Document]] = {}
    for document in documents:
        by_story.setdefault(document.story, []).append(document)
    contexts = {}
    for story, members in by_story.items():
        years = sorted({d.published.year for d in members if d.published})
        if not years:
            years = infer_years(dates, (d.text[d.body_start:] for d in members))
        contexts[story] = StoryContext(years=years)
    return contexts


class ClaimReader:
    """Compiled claim patterns, attribution and scope rules: reads claims from one document."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        self.numbers = NumberReader(rules.numbers)
        self.dates = DateReader(rules.dates)
        grammar = rules.grammar
        self._macros = {name: str(body) for name, body in grammar["macros"].items()}
        self._macros["PEOPLE"] = words_alternation(grammar["people_nouns"])
        self._macros["PERSON"] = words_alternation(grammar["person_nouns"])
        # {N} is grammar.yaml's `figure` around the slot itself
        self._macros["SLOT"] = r"⟨(?P<n>\d+)⟩"
        figure = str(grammar["figure"])
        if "{SLOT}" not in figure:
            raise RuleError("'figure' must contain {SLOT}, the figure's place",
                            rules.files.get("grammar.yaml"), line_of(grammar, "figure"))
        self._macros["N"] = figure
        self.metrics = []
        # Patterns that ran out of time: reported once each, the run goes on without them there.
        self.problems: list[Problem] = []
        self._timed_out: set[tuple[str, int | None]] = set()
        self._mentions: dict[str, bool] = {}  # per report: does it match an `unless` pattern
        self._literals: dict[regex.Pattern, Literals | None] = {}  # see `_may_match`
        self._leading: dict[regex.Pattern, Literals | None] = {}  # see `_matches`
        for metric in rules.metrics.values():
            lines = metric.pattern_lines or (None,) * len(metric.patterns)
            compiled = [(self._compile(p, metric.source, line), None, line)
                        for p, line in zip(metric.patterns, lines, strict=True)]
            if metric.conditional_patterns:
                unless = compile_pattern(
                    self._expand(metric.unless_report_mentions or "", metric.source,
                                 metric.unless_line), metric.source, metric.unless_line)
                lines = metric.conditional_lines or (None,) * len(metric.conditional_patterns)
                compiled += [(self._compile(p, metric.source, line), unless, line)
                             for p, line in zip(metric.conditional_patterns, lines, strict=True)]
            self.metrics.append((metric, compiled))
        # Each metric's keywords are found in one scan of a report, not one per sentence.
        self._keywords = [regex.compile(rf"\b(?:{words_alternation(m.keywords)})",
                                        regex.IGNORECASE) for m, _ in self.metrics]
        self._keyword_starts = [first_words(m.keywords) for m, _ in self.metrics]
        grammar_path = str(rules.files.get("grammar.yaml", "grammar.yaml"))
        self._breakdown_window = int(grammar["breakdown_window_sentences"])
        self._max_quote = int(grammar["max_quote_characters"])
        self.part_patterns = self._compile_list(grammar, "part_patterns", grammar_path)
        # Patterns with a {N} slot speak of one figure; those without, of the whole sentence.
        history = self._compile_list(grammar, "history_patterns", grammar_path, False)
        self.history_patterns = [p for p in history if "n" in p.groupindex]
        self.sentence_history_patterns = [p for p in history if "n" not in p.groupindex]
        scope = self._compile_list(grammar, "scope_patterns", grammar_path, False)
        self.scope_patterns = [p for p in scope if "n" in p.groupindex]
        self.sentence_scope_patterns = [p for p in scope if "n" not in p.groupindex]
        self.enumerated_scope_patterns = self._compile_list(
            grammar, "enumerated_scope_patterns", grammar_path)
        self.implicit_figures = self._implicit_figures(grammar["implicit_figures"],
                                                       grammar_path)
        self.attribution = AttributionReader(rules.attribution, self.dates)
        self._setup_scope(rules.scope, str(rules.files.get("scope.yaml", "scope.yaml")))
        self.revision_words = [compile_pattern(p, rules.files["findings.yaml"], None)
                               for p in rules.compare.get("revision_words", [])]
        self.named = NamedReader(rules, self) if rules.named else None
        self._revision_literals = [required_literals(p) for p in self.revision_words]

    # -- patterns -------------------------------------------------------------------------
    def _expand(self, pattern: str, source: str, line: int | None, depth: int = 0) -> str:
        def substitute(match: regex.Match) -> str:
            name = match.group(1)
            if name not in self._macros:
                raise RuleError(f"unknown macro {{{name}}} in pattern {pattern!r}", source, line)
            if depth > 4:
                raise RuleError(f"macro {{{name}}} refers to itself", source, line)
            return self._expand(self._macros[name], source, line, depth + 1)
        return _MACRO.sub(substitute, pattern)

    def _compile(self, pattern: str, source: str, line: int | None = None) -> regex.Pattern:
        if not isinstance(pattern, str):
            raise RuleError("a pattern must be text", source, line)
        compiled = compile_pattern(self._expand(pattern, source, line), source, line)
        if "n" not in compiled.groupindex:
            raise RuleError(f"pattern {pattern!r} has no {{N}} slot for the figure", source, line)
        return compiled

    def _compile_list(self, config: Mapping[str, Any], key: str, source: str,
                      figure: bool = True) -> list[regex.Pattern]:
        """The patterns of one list of grammar.yaml; `figure` patterns must have a {N} slot."""
        patterns = config[key]
        if figure:
            return [self._compile(p, source, line_of(patterns, i))
                    for i, p in enumerate(patterns)]
        return [compile_pattern(self._expand(p, source, line_of(patterns, i)), source,
                                line_of(patterns, i)) for i, p in enumerate(patterns)]

    def _implicit_figures(self, items: Sequence[Mapping[str, Any]],
                          source: str) -> list[tuple[float, regex.Pattern]]:
        """(value, pattern) of each implicit figure; the rules stage checked their shape."""
        result = []
        for index, item in enumerate(items):
            line = line_of(items, index)
            result.append((float(item["value"]), compile_pattern(
                self._expand(item["pattern"], source, line), source, line, regex.IGNORECASE)))
        return result

    def _with_implicit(self, sentence_text: str, offset: int,
                       mentions: list[NumberMention]) -> list[NumberMention]:
        """Written figures plus people counted without a numeral ("a man", "no one")."""
        found: list[NumberMention] = []
        folded = fold(sentence_text)
        for value, pattern in self.implicit_figures:
            if not self._may_match(pattern, folded):
                continue
            for match in pattern.finditer(sentence_text, timeout=PATTERN_TIMEOUT_SECONDS):
                start, end = offset + match.start(), offset + match.end()
                if any(f.start < end and start < f.end for f in found):
                    continue
                # A written figure at the phrase's start ("one man") is the figure; one
                # inside it is an age or a label ("a 13-year-old boy").
                if any(m.start == start or (m.start < start < m.end) or
                       (m.start < end < m.end) for m in mentions):
                    continue
                found.append(NumberMention(
                    start=start, end=end, text=match.group(0), value=value, low=value,
                    high=value, low_inclusive=True, high_inclusive=True, qualifier=None,
                    kind="implicit", number_start=start, number_end=end))
        if not found:
            return mentions
        kept = [m for m in mentions if not any(f.start <= m.start and m.end <= f.end
                                               for f in found)]
        return sorted([*kept, *found], key=lambda m: m.start)

    def _timeout(self, source: str | None, line: int | None, document: Document,
                 sentence: Sentence) -> None:
        """Report a pattern that ran out of time, once per pattern (or per report when the
        pattern is not known), naming the rule file and line where there is one."""
        key = (source or document.doc, line)
        if key in self._timed_out:
            return
        self._timed_out.add(key)
        text_line = document.text.count("\n", 0, sentence.start) + 1
        where = f"{document.doc}:{text_line}"
        if source is None:
            self.problems.append(Problem(document.doc, "a rule pattern took longer than "
                                         f"{PATTERN_TIMEOUT_SECONDS}s here; this sentence gave "
                                         "no claims", text_line))
        else:
            self.problems.append(Problem(source, f"pattern took longer than "
                                         f"{PATTERN_TIMEOUT_SECONDS}s on {where} and was skipped "
                                         "there (later time-outs are not reported)", line))

    def _keyword_positions(self, text: str, start: int,
                           folded: str | None = None) -> list[list[int]]:
        """For each metric, the offsets of its keywords in the text, in text order (each
        pattern tried only where a keyword's first word stands: `literals.word_offsets`)."""
        folded = fold(text) if folded is None else folded
        return [word_offsets(pattern, words, text, start, folded)
                for pattern, words in zip(self._keywords, self._keyword_starts, strict=True)]

    def _report_mentions(self, document: Document, pattern: regex.Pattern) -> bool:
        """Whether the report's body matches a pattern; asked once per report and pattern
        (`read` forgets the answers of the report before)."""
        if pattern.pattern not in self._mentions:
            self._mentions[pattern.pattern] = bool(pattern.search(
                document.text, document.body_start, timeout=PATTERN_TIMEOUT_SECONDS * 4))
        return self._mentions[pattern.pattern]

    def _matches(self, pattern: regex.Pattern, text: str, folded: str,
                 overlapped: bool = False) -> list[regex.Match]:
        """What `pattern.finditer(text, overlapped=overlapped)` gives, the pattern tried only
        where one of the literals every match begins with stands in `folded` (`fold(text)`).
        Each pattern's leading literals are read once."""
        leading = self._leading.get(pattern, ())
        if leading == ():
            leading = self._leading[pattern] = leading_literals(pattern)
        if leading is None or len(folded) != len(text):
            return list(pattern.finditer(text, overlapped=overlapped,
                                         timeout=PATTERN_TIMEOUT_SECONDS))
        return matches_at(pattern, text, literal_starts(leading, folded), overlapped=overlapped,
                          timeout=PATTERN_TIMEOUT_SECONDS)

    def _may_match(self, pattern: regex.Pattern, folded: str) -> bool:
        """False when `folded` (a text through `fold`) lacks every literal the pattern needs:
        then it cannot match, and need not run. Each pattern's literals are read once."""
        literals = self._literals.get(pattern, ())
        if literals == ():
            literals = self._literals[pattern] = required_literals(pattern)
        return might_match(literals, folded)

    # -- scope ----------------------------------------------------------------------------
    def _setup_scope(self, config: Mapping[str, Any], path: str) -> None:
        flags = regex.IGNORECASE | regex.MULTILINE
        self._other = [
            (f"{group.replace('_', ' ')}: {name}",
             compile_pattern(p, path, line_of(config[group], name), flags))
            for group in ("other_period", "other_event")
            for name, p in config[group].items()
        ]
        # A pattern runs only on text that holds one of the words it needs.
        self._other_literals = [required_literals(p) for _, p in self._other]
        self._other_years = bool(config["other_years"])
        noise = config["noise_lines"]
        self._noise = [compile_pattern(p, path, line_of(noise, i), flags)
                       for i, p in enumerate(noise)]
        self._noise_literals = [required_literals(p) for p in self._noise]

    def _out_of_scope(self, sentence_text: str, figure_spans: list[tuple[int, int]],
                      years: Sequence[int]) -> str | None:
        folded = fold(sentence_text)
        for (note, pattern), literals in zip(self._other, self._other_literals, strict=True):
            if might_match(literals, folded) and pattern.search(
                    sentence_text, timeout=PATTERN_TIMEOUT_SECONDS):
                return note
        if self._other_years:
            for match in _YEAR.finditer(sentence_text):
                if any(a <= match.start() < b for a, b in figure_spans):
                    continue
                year = int(match.group(0))
                if not years or year < min(years):
                    return f"other period: {year}"
        return None

    # -- segmentation ---------------------------------------------------------------------
    def sentences(self, text: str, start: int, folded: str | None = None) -> list[Sentence]:
        """Sentences of the body, with paragraph numbers; headlines and noise lines handled.
        `folded`: `fold(text)`, when the caller has it."""
        result: list[Sentence] = []
        # the noise patterns whose literals the report holds somewhere: the others cannot
        # match any of its lines
        folded = fold(text) if folded is None else folded
        noise = [(pattern, literals) for pattern, literals
                 in zip(self._noise, self._noise_literals, strict=True)
                 if might_match(literals, folded)]
        paragraph = 0
        block: list[tuple[int, int]] = []  # lines of the current paragraph

        def flush() -> None:
            nonlocal paragraph
            if not block:
                return
            first, last = block[0][0], block[-1][1]
            for a, b in _sentence_spans(text[first:last].replace("\n", " ")):
                result.append(Sentence(first + a, first + b, paragraph))
            block.clear()
            paragraph += 1

        position = start
        for line in text[start:].splitlines(keepends=True):
            line_start, line_end = position, position + len(line.rstrip("\r\n"))
            position += len(line)
            stripped = line.strip()
            if not stripped or (noise and _is_noise(stripped, noise)):
                flush()
                continue
            if stripped.startswith("#"):
                flush()
                offset = line_start + len(line) - len(line.lstrip(" \t#"))
                result.append(Sentence(offset, line_end, paragraph, headline=True))
                paragraph += 1
                continue
            block.append((line_start, line_end))
        flush()
        return result

    # -- claims ---------------------------------------------------------------------------
    def read(self, document: Document, context: StoryContext | None = None) -> list[Claim]:
        """All claims of one document, in text order (ids are given by the caller)."""
        context = context or StoryContext()
        text = document.text
        years = context.years or ([document.published.year] if document.published else [])
        # figures are read only in the sentences that speak of a metric (below)
        lowered = self.numbers.lowered(text)
        folded = fold(text)
        sentences = self.sentences(text, document.body_start, folded)
        # every metric keyword's offset with its metric, in text order: one bisect a sentence
        keywords = sorted((at, metric) for metric, starts in enumerate(
            self._keyword_positions(text, document.body_start, folded)) for at in starts)
        verb_starts = self.attribution.verb_starts(text, folded)
        leads = self.attribution.may_lead(folded)
        keyword_starts = [at for at, _ in keywords]
        self._mentions.clear()
        claims: list[Claim] = []
        history: list[Frame] = []
        history_text: list[str] = []
        source_dates: dict[str, date] = {}
        carried: Frame | None = None
        previous_paragraph = -1
        named: list[Claim] = []
        named_at = self.named.keyword_positions(text, document.body_start, folded) \
            if self.named else []
        for index, sentence in enumerate(sentences):
            if sentence.paragraph != previous_paragraph:
                carried, previous_paragraph = None, sentence.paragraph
            sentence_text = text[sentence.start: sentence.end]
            frames = []
            local_verbs = None if verb_starts is None else [
                at - sentence.start for at in verb_starts[
                    bisect_left(verb_starts, sentence.start):
                    bisect_left(verb_starts, sentence.end)]]
            if local_verbs == [] and not leads:  # no speech verb or lead phrase can stand here
                has_frame = sentence.headline
            else:
                has_frame = bool(self.attribution.has_frame(sentence_text, local_verbs)
                                 or sentence.headline)
            # Dates matter only where a source or a written figure may take one; for a figure,
            # only once it is a claim (below).
            dates = self.dates.find(text, sentence.start, sentence.end) if has_frame else None
            if has_frame:
                found_frames = self.attribution.frames(text, sentence, dates,
                                                       document.published, years, local_verbs)
                frames = [self.attribution.resolve(f, history, history_text)
                          for f in found_frames]
            for frame in frames:
                key = frame.source.lower()
                if frame.date is None and key in source_dates:
                    frame.date = source_dates[key]
                elif frame.date is not None:
                    source_dates[key] = frame.date  # the latest date this source was cited with
            probe = bisect_left(keyword_starts, sentence.start)
            spoken_of: set[int] = set()  # the metrics whose keywords the sentence holds
            while probe < len(keywords) and keywords[probe][0] < sentence.end:
                spoken_of.add(keywords[probe][1])
                probe += 1
            in_sentence = self.numbers.find(text, sentence.start, sentence.end, lowered) \
                if spoken_of else []
            try:
                # a part needs a total, and a total needs a metric
                found = self._claims_in(document, sentence, sentence_text, in_sentence, index,
                                        [self.metrics[i] for i in sorted(spoken_of)]
                                        ) if spoken_of else []
            except TimeoutError:  # a grammar or scope pattern: the sentence gives no claims
                self._timeout(None, None, document, sentence)
                found = []
            if found:
                if dates is None:
                    dates = self.dates.find(text, sentence.start, sentence.end) \
                        if in_sentence else []
                self._attribute(found, frames, carried, dates, document.published, years, text,
                                sentence)
                spans = [(c.start - sentence.start, c.end - sentence.start) for c in found]
                note = self._out_of_scope(sentence_text, spans, years)
                folded_sentence = fold(sentence_text)
                revision = any(might_match(literals, folded_sentence) and p.search(sentence_text)
                               for p, literals in zip(self.revision_words,
                                                      self._revision_literals, strict=True))
                for claim in found:
                    claim.revision = revision
                    if note:
                        claim.in_scope, claim.scope_note = False, note
                claims.extend(found)
            if named_at and self.named and (
                    candidates := self.named.candidates(named_at, sentence, sentence_text)):
                named.extend(self.named.claims_in(document, sentence, index, frames, carried,
                                                  years, candidates))
            history.extend(frames)
            history_text.extend(sentence_text for _ in frames)
            if frames:
                carried = frames[-1] if frames[-1].kind == "post" else None
        self._link_parts(claims)
        return claims + named

    def _claims_in(self, document: Document, sentence: Sentence, sentence_text: str,
                   mentions: list[NumberMention], index: int,
                   metrics: list[tuple[Any, list[Any]]]) -> list[Claim]:
        """The claims of one sentence; `metrics` are those whose keywords it holds."""
        if not metrics:
            return []  # a part needs a total, and a total needs a metric
        mentions = self._with_implicit(sentence_text, sentence.start, mentions)
        if not mentions:
            return []
        masked, to_original = _mask(sentence_text, sentence.start, mentions)
        folded = fold(masked)
        span = (sentence.start, sentence.end)
        best: dict[int, tuple[int, int, str, regex.Match]] = {}
        for order, (metric, patterns) in enumerate(metrics):
            for pattern, unless, line in patterns:
                if unless is not None and self._report_mentions(document, unless):
                    continue
                if not self._may_match(pattern, folded):
                    continue
                try:
                    matches = self._matches(pattern, masked, folded, overlapped=True)
                except TimeoutError:
                    self._timeout(metric.source, line, document, sentence)
                    continue
                for match in matches:
                    slot = int(match.group("n"))
                    key = (match.end() - match.start(), order)
                    if slot not in best or key < best[slot][:2]:
                        best[slot] = (*key, metric.name, match)
        claims_by_slot: dict[int, Claim] = {}
        for slot in sorted(best):
            _, _, metric_name, match = best[slot]
            claims_by_slot[slot] = self._claim(document, mentions[slot], metric_name, match,
                                               to_original, index, span)

        def borrowed(slot: int, match: regex.Match, before_only: bool = False) -> Claim | None:
            """A claim for a figure that takes its metric from the nearest claim of the
            sentence (or, with none, from the one metric the sentence speaks of)."""
            others = [s for s in claims_by_slot if s < slot or not before_only]
            if others:
                metric = claims_by_slot[min(others, key=lambda s: abs(s - slot))].metric
            elif len(metrics) == 1 and not before_only:
                metric = metrics[0][0].name
            else:
                return None
            return self._claim(document, mentions[slot], metric, match, to_original, index,
                               span)

        for pattern in self.part_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                totals = [s for s in claims_by_slot if s < slot]
                if slot in claims_by_slot or not totals:
                    continue
                part = borrowed(slot, match, before_only=True)
                if part is not None:
                    part.total = claims_by_slot[max(totals)]
                    claims_by_slot[slot] = part
        history_figure = False
        for pattern in self.history_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                claim = claims_by_slot.get(slot) or borrowed(slot, match)
                if claim is not None and claims_by_slot.keys() - {slot}:
                    claim.superseded = True  # history needs a current figure beside it
                    claims_by_slot[slot] = claim
                    history_figure = True
        # A sentence that only says its figures were the first word ("police had initially
        # said seven") is history as a whole, unless a figure-level pattern told which is.
        if not history_figure and any(self._may_match(p, folded) and p.search(
                masked, timeout=PATTERN_TIMEOUT_SECONDS) for p in self.sentence_history_patterns):
            for claim in claims_by_slot.values():
                claim.superseded = True
        self._scope(masked, folded, claims_by_slot, borrowed)
        return [claims_by_slot[s] for s in sorted(claims_by_slot)]

    def _scope(self, masked: str, folded: str, claims_by_slot: dict[int, Claim],
               borrowed: Callable[[int, regex.Match], Claim | None]) -> None:
        """Set the sub-place a figure covers; a scoped figure may bring in a new claim."""
        for pattern in self.scope_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                claim = claims_by_slot.get(slot) or borrowed(slot, match)
                if claim is not None:
                    claim.scope = " ".join(match.group("scope").split())
                    claims_by_slot[slot] = claim
        for pattern in self.enumerated_scope_patterns:
            if not self._may_match(pattern, folded):
                continue
            matches = self._matches(pattern, masked, folded)
            if len(matches) < 2:
                continue
            for match in matches:
                slot = int(match.group("n"))
                claim = claims_by_slot.get(slot) or borrowed(slot, match)
                if claim is not None and claim.scope is None:
                    claim.scope = " ".join(match.group("scope").split())
                    claims_by_slot[slot] = claim
        sentence_scope = next((" ".join(m.group("scope").split())
                               for p in self.sentence_scope_patterns if self._may_match(p, folded)
                               and (m := p.search(masked, timeout=PATTERN_TIMEOUT_SECONDS))), None)
        if sentence_scope:
            for claim in claims_by_slot.values():
                if claim.scope is None:
                    claim.scope = sentence_scope

    def _claim(self, document: Document, mention: NumberMention, metric: str,
               match: regex.Match, to_original: Any, index: int,
               sentence_span: tuple[int, int]) -> Claim:
        text = document.text
        start = min(to_original(match.start()), mention.start)
        end = max(to_original(match.end()), mention.end)
        start, end = _clause(text, start, end, *sentence_span, self._max_quote)
        quote = text[start:end].strip(_QUOTE_TRIM)
        subject = None
        if "who" in match.groupdict() and match.group("who"):
            subject = " ".join(match.group("who").split())
        line = text.count("\n", 0, mention.start) + 1
        column = mention.start - (text.rfind("\n", 0, mention.start) + 1) + 1
        return Claim(
            story=document.story, doc=document.doc, outlet=document.outlet,
            published=document.published, metric=metric, figure=mention.text,
            value=mention.value, low=mention.low, high=mention.high,
            low_inclusive=mention.low_inclusive, high_inclusive=mention.high_inclusive,
            qualifier=mention.qualifier, subject=subject,
            quote=quote, line=line, column=column,
            start=mention.start, end=mention.end, sentence=index,
        )

    def _attribute(self, claims: list[Claim], frames: list[Frame], carried: Frame | None,
                   dates: list[DateMention], published: date | None, years: Sequence[int],
                   text: str, sentence: Sentence) -> None:
        state = [d for d in dates if self.dates.pinned(text, d, sentence.start)]
        for claim in claims:
            before = [f for f in frames if f.end <= claim.start or f.start <= claim.start < f.end]
            after = [f for f in frames if f.start >= claim.end]
            cited = [f for f in before if f.kind == "cited"]
            chosen = cited[-1] if cited else before[-1] if before else (
                after[0] if after else carried)
            if chosen is not None:
                claim.attributed_to = chosen.source or None  # "" is a pronoun with no antecedent
            dated = [f for f in ([chosen] if chosen else []) + before[::-1] + after
                     if f is not None and f.date is not None]
            if dated:
                claim.claim_date = dated[0].date
            elif state and (pinned := self.dates.resolve(state[0], published, years)):
                claim.claim_date = pinned
            else:
                claim.claim_date = published

    def _link_parts(self, claims: list[Claim]) -> None:
        """A run of claims right after a total, same metric and source, that adds up to it."""
        for index, total in enumerate(claims):
            if total.value is None or total.low != total.high or total.total is not None:
                continue
            parts: list[Claim] = []
            for later in claims[index + 1:]:
                if later.metric != total.metric:
                    continue
                if later.sentence - total.sentence > self._breakdown_window \
                        or later.value is None \
                        or later.low != later.high or later.value >= total.value \
                        or later.attributed_to not in (None, total.attributed_to):
                    break
                parts.append(later)
                if len(parts) >= 2 and sum(p.value or 0 for p in parts) == total.value:
                    for part in parts:
                        part.total = total
                    break


def _is_noise(line: str, patterns: list[tuple[regex.Pattern, Literals | None]]) -> bool:
    """Whether a line matches one of the noise patterns (each tried only if the folded line
    holds one of its literals)."""
    folded = fold(line)
    for pattern, literals in patterns:
        if might_match(literals, folded) and pattern.search(line):
            return True
    return False


def _sentence_spans(chunk: str) -> list[tuple[int, int]]:
    """Sentence offsets in a paragraph. blingfire's own offsets are computed in slow Python,
    so locate its sentences in the text instead; fall back to them if one cannot be found."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    # blingfire takes UTF-8; a lone surrogate (possible in text a library caller passes) has
    # none, so it stands in as U+FFFD, one character for one, and offsets stay the same.
    chunk = without_lone_surrogates(chunk)
    for sentence in _text_to_sentences(chunk).split("\n"):
        if not sentence.strip():
            continue
        index = chunk.find(sentence, cursor)
        if index < 0:
            return [tuple(o) for o in blingfire.text_to_sentences_and_offsets(chunk)[1]]
        spans.append((index, index + len(sentence)))
        cursor = index + len(sentence)
    return spans


_breaker = threading.local()  # each thread's output buffer (ctypes lets other threads run)


def _text_to_sentences(chunk: str) -> str:
    """`blingfire.text_to_sentences(chunk)`: the same library call with the same arguments and
    result, but into an output buffer kept between calls (the wrapper allocates and zeroes a
    new one of twice the input on every call, which took longer than the split itself)."""
    data = chunk.encode("utf-8")
    size = len(data) * 2
    buffer = getattr(_breaker, "buffer", None)
    if not data:
        return blingfire.text_to_sentences(chunk)
    if buffer is None or len(buffer) < size:
        buffer = _breaker.buffer = ctypes.create_string_buffer(max(size, 1 << 14))
    length = blingfire.blingfire.TextToSentences(
        ctypes.c_char_p(data), ctypes.c_int(len(data)), ctypes.byref(buffer), ctypes.c_int(size))
    if length == -1 or length > size:
        return ""
    # the wrapper reads its zeroed buffer up to the first NUL: the same bytes as these
    return ctypes.string_at(buffer, length).split(b"\0", 1)[0].decode("utf-8")


_QUOTE_TRIM = " \t\n,;:.“”\""
_CLAUSE_BREAK = regex.compile(r"[;:()“”\"]|,\s|\s[—–-]\s")


def _clause(text: str, start: int, end: int, sentence_start: int, sentence_end: int,
            longest: int) -> tuple[int, int]:
    """Widen a matched span to the clause around it, unless that clause runs too long."""
    before = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence_start, start)]
    after = _CLAUSE_BREAK.search(text, end, sentence_end)
    clause_start = before[-1] if before else sentence_start
    clause_end = after.start() if after else sentence_end
    if clause_end - clause_start > longest:
        return start, end
    return clause_start, clause_end


def _mask(sentence_text: str, offset: int,
          mentions: Sequence[NumberMention]) -> tuple[str, Any]:
    """The sentence with each figure replaced by a numbered slot, and a map back to the text."""
    pieces: list[str] = []
    # (masked start, original start, original length, slot length or 0 for copied text)
    spans: list[tuple[int, int, int, int]] = []
    cursor = 0
    masked_length = 0
    for slot, mention in enumerate(mentions):
        a, b = mention.start - offset, mention.end - offset
        chunk = sentence_text[cursor:a]
        pieces.append(chunk)
        spans.append((masked_length, offset + cursor, len(chunk), 0))
        masked_length += len(chunk)
        token = SLOT.format(slot)
        pieces.append(token)
        spans.append((masked_length, offset + a, b - a, len(token)))
        masked_length += len(token)
        cursor = b
    pieces.append(sentence_text[cursor:])
    spans.append((masked_length, offset + cursor, len(sentence_text) - cursor, 0))

    def to_original(position: int) -> int:
        for masked_start, original_start, length, slot_length in reversed(spans):
            if position >= masked_start:
                if slot_length:  # a position inside a slot maps to the figure's start or end
                    return original_start + (length if position >= masked_start + slot_length
                                             else 0)
                return original_start + (position - masked_start)
        return offset

    return "".join(pieces), to_original
