"""Claims stage: attach each figure to a metric, a source, a date and a scope: one `Claim` each."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import regex

from ..errors import Problem, RuleError
from ..io.model import Document
from ..ruleset.model import RuleSet
from ..yamlio import line_of
from .aliases import AliasTables
from .attribution import AttributionReader, Frame
from .context import ClaimSetting, StoryContext
from .dates import DateReader
from .grammar import ClaimPattern, Grammar, Reading
from .invisible import Visible
from .lists import SLOT, PartReader
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
from .modality import ModalityReader
from .model import Claim, Sentence, clause_span, mask, position
from .named import NamedReader
from .numbers import NumberMention, NumberReader
from .patterns import PATTERN_TIMEOUT_SECONDS, Macros, Timeouts, compile_pattern, words_alternation
from .places import PlaceReader
from .scope import ScopeReader, latest_year
from .sentences import Segmenter

INCREMENT = "increment"  # the scope of a figure added to a count ("twelve more bodies")
# The key a figure's readings are ranked by: a preferred construction first, then the nearest
# trigger, the longest, the metric first spoken of.
Rank = tuple[bool, int, int, int]


class ClaimReader:
    """Compiled claim patterns, attribution and scope rules: reads claims from one document."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.numbers = NumberReader(rules.numbers)
        self.numbers_cap = rules.numbers.max_count  # a count above it is a diagnostic
        self.dates = DateReader(rules.dates, rules.files["dates.yaml"])
        grammar = rules.grammar
        macros = {name: str(body) for name, body in grammar["macros"].items()}
        macros["PEOPLE"] = words_alternation(grammar["people_nouns"])
        macros["PERSON"] = words_alternation(grammar["person_nouns"])
        # {N} is grammar.yaml's `figure` around the slot itself
        macros["SLOT"] = r"⟨(?P<n>\d+)⟩"
        figure = str(grammar["figure"])
        if "{SLOT}" not in figure:
            raise RuleError("'figure' must contain {SLOT}, the figure's place",
                            rules.files.get("grammar.yaml"), line_of(grammar, "figure"))
        macros["N"] = figure
        self.macros = Macros(macros)
        # Patterns that ran out of time: reported once each, the run goes on without them there.
        self.timeouts = Timeouts(float(grammar.get("pattern_budget_seconds", 30)))
        self.problems = self.timeouts.problems
        self._mentions: dict[str, bool] = {}  # per report: does it match an `unless` pattern
        self._literals: dict[regex.Pattern, Literals | None] = {}  # see `_may_match`
        self._leading: dict[regex.Pattern, Literals | None] = {}  # see `_matches`
        grammar_path = str(rules.files.get("grammar.yaml", "grammar.yaml"))
        self.grammar = Grammar(rules, self.macros, grammar_path)
        self.metrics = list(rules.metrics.values())
        self._metric_index = {m.name: i for i, m in enumerate(self.metrics)}
        # Each metric's keywords are found in one scan of a report, not one per sentence.
        keywords = [self.grammar.keywords[m.name] for m in self.metrics]
        self._keywords = [regex.compile(rf"\b(?:{words_alternation(words)})", regex.IGNORECASE)
                          for words in keywords]
        self._keyword_starts = [first_words(words) for words in keywords]
        self.modality = ModalityReader(grammar, grammar_path)
        self.parts = PartReader(grammar, self.macros, grammar_path)
        self.increment_patterns = [
            self._compile(p, grammar_path, line_of(grammar.get("increment_patterns"), i),
                          "increment_patterns")
            for i, p in enumerate(grammar.get("increment_patterns") or [])]
        self._breakdown_window = int(grammar["breakdown_window_sentences"])
        # Figures for "that figure", "the estimate", "it": they borrow a nearby claim's metric.
        self.anaphora_patterns = self._compile_list(grammar, "anaphora_patterns", grammar_path) \
            if grammar.get("anaphora_patterns") else []
        self._anaphora_window = int(grammar.get("anaphora_window_sentences") or 0)
        self._anaphora_reading = Reading("anaphora", grammar_path,
                                         line_of(grammar, "anaphora_patterns"))
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
        scope_path = str(rules.files.get("scope.yaml", "scope.yaml"))
        self.scope = ScopeReader(rules.scope, scope_path)
        line_sentences = grammar.get("line_sentences") or []
        self.segmenter = Segmenter(rules.scope, scope_path, [
            compile_pattern(p, grammar_path, line_of(line_sentences, i), key="line_sentences")
            for i, p in enumerate(line_sentences)])
        revision_words = rules.compare.get("revision_words", [])
        self._revision_where = [(str(rules.files["findings.yaml"]), line_of(revision_words, i))
                                for i in range(len(revision_words))]
        self.revision_words = [compile_pattern(p, rules.files["findings.yaml"],
                                               line_of(revision_words, i),
                                               key="compare.revision_words")
                               for i, p in enumerate(revision_words)]
        self.setting = ClaimSetting(self.dates, self.attribution, self.scope, self.timeouts,
                                    int(grammar["max_quote_characters"]))
        self.named = NamedReader(rules, self.setting) if rules.named else None
        self._revision_literals = [required_literals(p) for p in self.revision_words]
        self.places = PlaceReader(
            self.named.aliases if self.named else AliasTables(rules.aliases), rules.aliases,
            grammar.get("place_words") or [], grammar_path, grammar.get("country_words") or [],
            int(grammar.get("country_look_back_characters") or 1500))

    # -- patterns -------------------------------------------------------------------------
    def _compile(self, pattern: str, source: str, line: int | None = None,
                 key: str | None = None) -> regex.Pattern:
        if not isinstance(pattern, str):
            raise RuleError("a pattern must be text", source, line)
        compiled = self.macros.compile(pattern, source, line, key=key)
        if "n" not in compiled.groupindex:
            raise RuleError(f"pattern {pattern!r} has no {{N}} slot for the figure", source, line)
        return compiled

    def _compile_list(self, config: Mapping[str, Any], key: str, source: str,
                      figure: bool = True) -> list[regex.Pattern]:
        """The patterns of one list of grammar.yaml; `figure` patterns must have a {N} slot."""
        patterns = config[key]
        if figure:
            return [self._compile(p, source, line_of(patterns, i), key)
                    for i, p in enumerate(patterns)]
        return [self.macros.compile(p, source, line_of(patterns, i), key=key)
                for i, p in enumerate(patterns)]

    def _implicit_figures(self, items: Sequence[Mapping[str, Any]],
                          source: str) -> list[tuple[float, regex.Pattern]]:
        """(value, pattern) of each implicit figure; the rules stage checked their shape."""
        result = []
        for index, item in enumerate(items):
            line = line_of(items, index)
            result.append((float(item["value"]), self.macros.compile(
                item["pattern"], source, line, regex.IGNORECASE, key="implicit_figures")))
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

    def _keyword_positions(self, text: str, start: int,
                           folded: str | None = None) -> list[list[int]]:
        """For each metric, the offsets of its keywords in the text, in text order (each
        pattern tried only where a keyword's first word stands: `literals.word_offsets`)."""
        folded = fold(text) if folded is None else folded
        return [word_offsets(pattern, words, text, start, folded)
                for pattern, words in zip(self._keywords, self._keyword_starts, strict=True)]

    def _report_mentions(self, document: Document, sentence: Sentence,
                         claim_pattern: ClaimPattern) -> bool:
        """Whether the report's body matches a pattern's `unless`; asked once per report and
        pattern (`read` forgets the answers of the report before). One that runs out of time
        is reported and counts as matched: its conditional patterns are not tried."""
        pattern = claim_pattern.unless
        assert pattern is not None
        if pattern.pattern not in self._mentions:
            try:
                found = bool(pattern.search(document.text, document.body_start,
                                            timeout=PATTERN_TIMEOUT_SECONDS * 4))
            except TimeoutError:
                found = True
                self.timeouts.report(claim_pattern.reading.source, claim_pattern.unless_line,
                                     document, sentence)
            self._mentions[pattern.pattern] = found
        return self._mentions[pattern.pattern]

    def _search(self, pattern: regex.Pattern, text: str) -> regex.Match | None:
        """`pattern.search(text)` within the time-out; one that ran out of time before in
        this report is not tried again (a time-out is raised for the caller to report)."""
        if self.timeouts.skipped(pattern):
            return None
        try:
            return pattern.search(text, timeout=PATTERN_TIMEOUT_SECONDS)
        except TimeoutError:
            self.timeouts.skip(pattern)
            raise

    def _revision(self, document: Document, sentence: Sentence, sentence_text: str) -> bool:
        """Whether a sentence holds a revision word (findings.yaml's compare.revision_words);
        a pattern that runs out of time is reported and skipped for the rest of the report."""
        folded = fold(sentence_text)
        for p, literals, (source, line) in zip(self.revision_words, self._revision_literals,
                                               self._revision_where, strict=True):
            if not might_match(literals, folded):
                continue
            try:
                if self._search(p, sentence_text):
                    return True
            except TimeoutError:
                self.timeouts.report(source, line, document, sentence)
        return False

    def _matches(self, pattern: regex.Pattern, text: str, folded: str,
                 overlapped: bool = False) -> list[regex.Match]:
        """What `pattern.finditer(text, overlapped=overlapped)` gives, the pattern tried only
        where one of the literals every match begins with stands in `folded` (`fold(text)`).
        Each pattern's leading literals are read once."""
        if self.timeouts.skipped(pattern):
            return []
        try:
            return self._all_matches(pattern, text, folded, overlapped)
        except TimeoutError:  # the rest of the report goes without it
            self.timeouts.skip(pattern)
            raise

    def _all_matches(self, pattern: regex.Pattern, text: str, folded: str,
                     overlapped: bool) -> list[regex.Match]:
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

    def sentences(self, text: str, start: int, folded: str | None = None) -> list[Sentence]:
        """Sentences of the body, with paragraph numbers (see `Segmenter.sentences`)."""
        return self.segmenter.sentences(text, start, folded)

    # -- claims ---------------------------------------------------------------------------
    def read(self, document: Document, context: StoryContext | None = None) -> list[Claim]:
        """All claims of one document, in text order (ids are given by the caller).

        Invisible characters (`invisible.Visible`) are read as absent, and every position,
        figure and quote is given in the text as written."""
        visible = Visible(document.text)
        if not visible:
            return self._read(document, context)
        claims = self._read(visible.document(document), context)
        for claim in claims:
            visible.restore(claim)
        return claims

    def _read(self, document: Document, context: StoryContext | None = None) -> list[Claim]:
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
        self.timeouts.start()
        claims: list[Claim] = []
        history: list[Frame] = []
        history_text: list[str] = []
        source_dates: dict[str, date] = {}
        carried: Frame | None = None
        previous_paragraph = -1
        named: list[Claim] = []
        named_at = self.named.keyword_positions(text, document.body_start, folded) \
            if self.named else []
        # an undated report's own latest year stands for the event's
        latest_stated = 0 if years else latest_year(text, document.body_start)
        undated: date | None = None  # a running report's latest dateline ("5/8 – …")
        section_place: str | None = None  # the place a section heading names ("ZIMBABWE")
        for index, sentence in enumerate(sentences):
            sentence_text = text[sentence.start: sentence.end]
            if sentence.paragraph != previous_paragraph:
                carried, previous_paragraph = None, sentence.paragraph
                undated = self.dates.dateline(sentence_text, document.published,
                                              years) or undated
                section_place = self.places.heading(sentence_text) or section_place
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
            if not spoken_of and (borrowed := self._anaphoric_metric(
                    claims, index, sentence_text)) is not None:
                spoken_of.add(borrowed)
            if self.timeouts.exhausted():  # the report's pattern budget is spent
                spoken_of.clear()
            in_sentence = self.numbers.find(text, sentence.start, sentence.end, lowered) \
                if spoken_of else []
            with self.timeouts.charged(document, sentence):
                try:
                    # a part needs a total, and a total needs a metric
                    found = self._claims_in(document, sentence, sentence_text, in_sentence,
                                            index, [self.metrics[i] for i in sorted(spoken_of)]
                                            ) if spoken_of else []
                except TimeoutError:  # a grammar or scope pattern: the sentence gives none
                    self.timeouts.report(None, None, document, sentence)
                    found = []
            if found and self.numbers_cap is not None:
                found = self._plausible(document, found)
            if found:
                if dates is None:
                    dates = self.dates.find(text, sentence.start, sentence.end) \
                        if in_sentence else []
                self.attribution.attribute(found, frames, carried, dates, document.published,
                                           years, text, sentence, undated)
                spans = [(c.start - sentence.start, c.end - sentence.start) for c in found]
                note = self.scope.out_of_scope(sentence_text, spans, years, latest_stated)
                with self.timeouts.charged(document, sentence):
                    revision = self._revision(document, sentence, sentence_text)
                for claim in found:
                    claim.revision = claim.revision or revision
                    claim.headline = sentence.headline
                    claim.place = self.places.of_clause(text, *claim.clause) \
                        or self.places.named_before(text, *claim.clause, document.body_start) \
                        or section_place
                    if note:
                        claim.in_scope, claim.scope_note = False, note
                    if claim.scope == INCREMENT:  # "twelve more bodies": that day's count
                        day = claim.claim_date.isoformat() if claim.claim_date else "unknown"
                        claim.scope = f"{INCREMENT} on {day}"
                claims.extend(found)
            if named_at and self.named and not self.timeouts.exhausted() and (
                    candidates := self.named.candidates(named_at, sentence, sentence_text)):
                with self.timeouts.charged(document, sentence):
                    named.extend(self.named.claims_in(document, sentence, index, frames,
                                                      carried, years, candidates))
            history.extend(frames)
            history_text.extend(sentence_text for _ in frames)
            if frames:
                carried = frames[-1] if frames[-1].kind == "post" else None
        self._link_parts(claims)
        return claims + named

    def _anaphoric_metric(self, claims: list[Claim], index: int,
                          sentence_text: str) -> int | None:
        """The metric a sentence with no word of any metric may still speak of through "that
        figure" or "it": that of the latest claims, when they stand within the window and are
        all of one metric."""
        if not claims or not self.anaphora_patterns or \
                index - claims[-1].sentence > self._anaphora_window:
            return None
        latest = set()
        for claim in reversed(claims):  # only the latest sentence's: never the whole report
            if claim.sentence != claims[-1].sentence:
                break
            latest.add(claim.metric)
        folded = fold(sentence_text)
        if len(latest) != 1 or not any(self._may_match(p, folded)
                                       for p in self.anaphora_patterns):
            return None
        return self._metric_index.get(latest.pop())

    def _plausible(self, document: Document, found: list[Claim]) -> list[Claim]:
        """The claims whose figure is a plausible count; each other one is a diagnostic
        (`max_count` of numbers.yaml), never a claim with a value beyond any population."""
        cap = self.numbers_cap
        kept = []
        for claim in found:
            bounds = [b for b in (claim.value, claim.low, claim.high) if b is not None]
            if cap is None or not bounds or max(bounds) <= cap:
                kept.append(claim)
                continue
            line = document.text.count("\n", 0, claim.start) + 1
            self.problems.append(Problem(
                document.doc, f"'{claim.figure}' {claim.metric} is more than any plausible "
                f"count ({cap:,.0f}, max_count in numbers.yaml); not read as a claim", line))
        return kept

    def _claims_in(self, document: Document, sentence: Sentence, sentence_text: str,
                   mentions: list[NumberMention], index: int,
                   metrics: list[Any]) -> list[Claim]:
        """The claims of one sentence; `metrics` are those whose keywords it holds."""
        if not metrics:
            return []  # a part needs a total, and a total needs a metric
        mentions = self._with_implicit(sentence_text, sentence.start, mentions)
        if not mentions:
            return []
        masked, to_original = mask(document.text, sentence.start, sentence.end,
                                   [(m.start, m.end, SLOT.format(slot))
                                    for slot, m in enumerate(mentions)])
        folded = fold(masked)
        spoken = {metric.name: order for order, metric in enumerate(metrics)}
        best: dict[int, tuple[Rank, str, regex.Match, Reading]] = {}
        for claim_pattern in self.grammar.patterns:
            for match in self._claim_matches(claim_pattern, document, sentence, masked, folded):
                metric = claim_pattern.metric_of(match)
                if metric not in spoken:
                    continue
                slot = int(match.group("n"))
                rank = (not claim_pattern.reading.prefer, *_reach(match), spoken[metric])
                if slot not in best or rank < best[slot][0]:
                    best[slot] = (rank, metric, match, claim_pattern.reading)
        claims_by_slot: dict[int, Claim] = {}
        for slot in sorted(best):
            _, metric_name, match, reading = best[slot]
            claims_by_slot[slot] = self._claim(document, mentions[slot], metric_name, match,
                                               to_original, index, sentence, reading)
        for slot in sorted(best):
            _, _, match, reading = best[slot]
            if reading.part:
                self.parts.part(claims_by_slot, slot, match, masked)

        def borrowed(slot: int, match: regex.Match, how: str,
                     before_only: bool = False) -> Claim | None:
            """A claim for a figure that takes its metric from the nearest claim of the
            sentence (or, with none, from the one metric the sentence speaks of); `how`
            names the rule that brought it in, as its construction."""
            others = [s for s in claims_by_slot if s < slot or not before_only]
            if others:
                metric = claims_by_slot[min(others, key=lambda s: abs(s - slot))].metric
            elif len(metrics) == 1 and not before_only:
                metric = metrics[0].name
            else:
                return None
            claim = self._claim(document, mentions[slot], metric, match, to_original, index,
                                sentence)
            claim.construction = how
            return claim

        self.parts.lists(masked, mentions, claims_by_slot, borrowed)
        for pattern in self.part_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                totals = [s for s in claims_by_slot if s < slot]
                if slot in claims_by_slot or not totals:
                    continue
                part = borrowed(slot, match, "part", before_only=True)
                if part is not None:
                    part.total = claims_by_slot[max(totals)]
                    claims_by_slot[slot] = part
        for pattern in self.anaphora_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                if slot in claims_by_slot:
                    continue
                claim = borrowed(slot, match, "anaphora")
                if claim is not None:
                    self._read_as(claim, self._anaphora_reading, match)
                    claims_by_slot[slot] = claim
        history_figure = False
        for pattern in self.history_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                claim = claims_by_slot.get(slot) or borrowed(slot, match, "history")
                if claim is not None and claims_by_slot.keys() - {slot}:
                    claim.superseded = True  # history needs a current figure beside it
                    claims_by_slot[slot] = claim
                    history_figure = True
        # A sentence that only says its figures were the first word ("police had initially
        # said seven") is history as a whole, unless a figure-level pattern told which is.
        if not history_figure and any(self._may_match(p, folded) and self._search(p, masked)
                                      for p in self.sentence_history_patterns):
            for claim in claims_by_slot.values():
                claim.superseded = True
        self._scope(masked, folded, claims_by_slot, borrowed)
        self._increments(masked, folded, claims_by_slot)
        return [claims_by_slot[s] for s in sorted(claims_by_slot)]

    def _claim_matches(self, claim_pattern: ClaimPattern, document: Document,
                       sentence: Sentence, masked: str, folded: str) -> list[regex.Match]:
        """Every reading a claim pattern gives in a masked sentence, overlapping (none where
        the report rules it out, or where it cannot match); one that runs out of time is
        reported and gives none."""
        pattern = claim_pattern.pattern
        if claim_pattern.unless is not None and self._report_mentions(
                document, sentence, claim_pattern):
            return []
        if not self._may_match(pattern, folded):
            return []
        if self.timeouts.skipped(pattern):
            return []
        try:
            return self._matches(pattern, masked, folded, overlapped=True)
        except TimeoutError:
            reading = claim_pattern.reading
            self.timeouts.report(reading.source, reading.line, document, sentence)
            return []

    def _increments(self, masked: str, folded: str, claims_by_slot: dict[int, Claim]) -> None:
        """A figure added to a count ("twelve more bodies were found") is scoped as an
        increment, unless a claim of another metric comes before it: "nine died, and another
        30 were hurt" counts other people, not more of them."""
        for pattern in self.increment_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                claim = claims_by_slot.get(slot)
                if claim is not None and claim.scope is None and not claim.superseded and all(
                        claims_by_slot[s].metric == claim.metric
                        for s in claims_by_slot if s < slot):
                    claim.scope = INCREMENT

    def _scope(self, masked: str, folded: str, claims_by_slot: dict[int, Claim],
               borrowed: Callable[[int, regex.Match, str], Claim | None]) -> None:
        """Set the sub-place a figure covers; a scoped figure may bring in a new claim."""
        for pattern in self.scope_patterns:
            if not self._may_match(pattern, folded):
                continue
            for match in self._matches(pattern, masked, folded):
                slot = int(match.group("n"))
                claim = claims_by_slot.get(slot) or borrowed(slot, match, "scope")
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
                claim = claims_by_slot.get(slot) or borrowed(slot, match, "scope")
                if claim is not None and claim.scope is None:
                    claim.scope = " ".join(match.group("scope").split())
                    claims_by_slot[slot] = claim
        sentence_scope = next((" ".join(m.group("scope").split())
                               for p in self.sentence_scope_patterns if self._may_match(p, folded)
                               and (m := self._search(p, masked))), None)
        if sentence_scope:
            for claim in claims_by_slot.values():
                if claim.scope is None:
                    claim.scope = sentence_scope

    def _claim(self, document: Document, mention: NumberMention, metric: str,
               match: regex.Match, to_original: Callable[[int], int], index: int,
               sentence: Sentence, reading: Reading | None = None) -> Claim:
        text = document.text
        start = min(to_original(match.start()), mention.start)
        end = max(to_original(match.end()), mention.end)
        quote = self.setting.quote(text, start, end, sentence)
        subject = None
        if "who" in match.groupdict() and match.group("who"):
            subject = " ".join(match.group("who").split()) or None
        line, column = position(text, mention.start)
        claim = Claim(
            story=document.story, doc=document.doc, outlet=document.outlet,
            published=document.published, metric=metric, figure=mention.text,
            value=mention.value, low=mention.low, high=mention.high,
            low_inclusive=mention.low_inclusive, high_inclusive=mention.high_inclusive,
            qualifier=mention.qualifier, subject=subject,
            quote=quote, line=line, column=column,
            start=mention.start, end=mention.end, sentence=index,
            clause=clause_span(text, start, end, sentence.start, sentence.end, len(text)),
        )
        if reading is not None:
            self._read_as(claim, reading, match)
        return claim

    def _read_as(self, claim: Claim, reading: Reading, match: regex.Match) -> None:
        """Say how a claim was read (its construction and trigger), and what its words make
        of it: a new level ("the toll has climbed to 40"), a floor ("passed the 400 mark"),
        an estimate or a projection."""
        claim.construction = reading.name
        groups = match.re.groupindex
        if "trigger" in groups and match.start("trigger") >= 0:
            claim.trigger = " ".join(match.group("trigger").split())
        if "moved" in groups and match.start("moved") >= 0:
            claim.revision = True
        if reading.bound == "lower" and claim.value is not None and claim.high is not None:
            claim.low, claim.high, claim.high_inclusive = claim.value, None, None
        self.modality.read(claim, reading, match)

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


def _reach(match: regex.Match) -> tuple[int, int]:
    """How far a reading reaches from its figure to its trigger, and how long that trigger is
    (negated, the longer first): of two readings of a figure the nearer trigger wins, then the
    longer one ("missing and presumed dead" over "missing"). A pattern with no trigger reaches
    over its whole match."""
    if "trigger" in match.re.groupindex and match.start("trigger") >= 0:
        a, b = match.span("trigger")
        n_start, n_end = match.span("n")
        return max(a - n_end, n_start - b, 0), a - b
    return match.end() - match.start(), 0
