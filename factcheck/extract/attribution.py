"""Attribution: who a report says a figure comes from, and when they said it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import regex

from .dates import DateMention, DateReader
from .literals import (
    fold,
    leading_literals,
    literal_starts,
    matches_at,
    might_match,
    required_literals,
)
from .model import Claim, Sentence
from .patterns import words_alternation


@dataclass(slots=True)
class Frame:
    """An attribution: who said it, and when, as found in one sentence."""

    start: int
    end: int
    source: str
    kind: str = "plain"  # plain | cited | post (source named after the verb)
    date: date | None = None
    date_mention: DateMention | None = None


_POSSESSIVE_END = regex.compile(r"(?:[’']s)?[,.;:]*$")
_SOURCE_END = regex.compile(r"[,.;:“”\"]|\bthat\b")
_SOURCE_START = regex.compile(r"[,;:“”\"]|\s[—–-]+\s")
_POSTED_SOURCE_END = regex.compile(r"[,.;:“”\"(]|\bthat\b|$")
_HEADLINE_SOURCE = regex.compile(r"\s*#*\s*(?P<src>[^:]{2,40}):\s")


@functools.lru_cache(maxsize=4096)
def _bare(word: str) -> str:
    """A word without its possessive and punctuation, lower case: "Ministry's," → "ministry"."""
    return _POSSESSIVE_END.sub("", word.lower())


@functools.lru_cache(maxsize=1024)
def _word_pattern(word: str) -> regex.Pattern:
    """The word on its own, any case (compiled once per word, not once per comparison)."""
    return regex.compile(rf"\b{regex.escape(word)}\b", regex.IGNORECASE)


class AttributionReader:
    """Finds attribution frames in sentences and resolves "the ministry" to an earlier source."""

    def __init__(self, config: Mapping[str, Any], dates: DateReader) -> None:
        self.dates = dates
        # the report history `_latest_sources` last saw, how much of it, and its sources
        self._history: list[Frame] | None = None
        self._seen = 0
        self._order: dict[str, None] = {}
        aux = words_alternation(config["verb_auxiliaries"])
        verbs = words_alternation(config["speech_verbs"])
        phrases = "|".join(config["speech_phrases"])
        self._verb = regex.compile(
            rf"\b(?:(?:{aux})\s+)*(?P<verb>{phrases}|{verbs})\b", regex.IGNORECASE)
        self._lead = regex.compile(
            rf"\b(?P<lead>{words_alternation(config['lead_phrases'])})\s+", regex.IGNORECASE)
        # has_frame runs the patterns only on sentences with one of the words they need
        self._verb_literals = required_literals(self._verb)
        # and frames() tries the verb pattern only where a word it begins with stands
        self._verb_leading = leading_literals(self._verb)
        self._lead_literals = required_literals(self._lead)
        self._lead_kind = {k.lower(): v for k, v in config["lead_phrases"].items()}
        self._possessive = regex.compile(
            rf"\bby\s+(?P<src>[^,.;]{{2,60}}?)[’']s\s+(?:{words_alternation(config['possessive_phrases'])})\b",
            regex.IGNORECASE)
        self._possessive_literals = required_literals(self._possessive)
        self._boundary_word = regex.compile(
            rf"\b(?:{words_alternation(config['boundaries'])})\b", regex.IGNORECASE)
        self._fillers = {w.lower() for w in config["leading_fillers"]}
        self._aux_words = {w.lower() for w in config["verb_auxiliaries"]} | {
            w.lower() for w in config["not_source_endings"]}
        self._person_pronouns = {w.lower() for w in config["person_pronouns"]}
        self._organisation = regex.compile(
            rf"\b(?:{words_alternation(config['organisation_words'])})\b", regex.IGNORECASE)
        self._determiners = {w.lower() for w in config["determiners"]}
        self._not_names = {w.lower() for w in config["not_names"]}
        self._trailing = {w.lower() for w in config["trailing_words"]}
        self._source_nouns = {w.lower() for w in config["source_nouns"]}
        self._document_nouns = {w.lower() for w in config["document_nouns"]}
        self._pronouns = {w.lower() for w in config["pronouns"]}
        self._max_words = int(config["max_source_words"])
        self._max_posted_words = int(config["max_posted_source_words"])

    def clean_source(self, text: str) -> str | None:
        """The source phrase, trimmed, or None when the words do not name anyone."""
        text = text.strip(" \t\n,;:—–-\"“”'‘’()")
        words = text.split()
        while words and words[0].lower().strip(",") in self._fillers:
            words = words[1:]
        if not words or len(words) > self._max_words:
            return None
        while words and words[-1].lower().strip("()") in self._trailing:
            words = words[:-1]
        if not words or words[-1].lower() in self._aux_words:
            return None
        text = " ".join(words).strip(" ,;:")
        lowered = [_bare(w) for w in words]
        if len(words) == 1 and lowered[0] in self._pronouns:
            return text
        capitalised = any(w[:1].isupper() for w in words[1:]) or (
            words[0][:1].isupper() and words[0].lower() not in self._not_names)
        if capitalised or any(w in self._source_nouns for w in lowered):
            return text
        return None

    def frames(self, text: str, sentence: Sentence, dates: list[DateMention],
                published: date | None, years: Sequence[int],
                verb_starts: Sequence[int] | None = None) -> list[Frame]:
        """Attribution frames of one sentence, in text order. `verb_starts`: where in the
        sentence a speech verb may begin (see `verb_starts`), when known."""
        start, end = sentence.start, sentence.end
        # Dates inside a source phrase ("the ministry Friday (January 5) evening released") are
        # the frame's date, not part of the source: blank them out before reading the source.
        plain = text[start:end]
        for mention in dates:
            a, b = mention.start - start, mention.end - start
            plain = f"{plain[:a]}{' ' * (b - a)}{plain[b:]}"
        frames: list[Frame] = []
        folded = fold(plain)
        leads = self._lead.finditer(plain) if might_match(self._lead_literals, folded) else ()
        for match in leads:
            rest = plain[match.end():]
            cut = _SOURCE_END.search(rest)
            source = self.clean_source(rest[: cut.start() if cut else len(rest)])
            if source:
                frames.append(Frame(start + match.start(), start + match.end() + len(source),
                                    source, self._lead_kind[match.group("lead").lower()]))
        possessives = self._possessive.finditer(plain) \
            if might_match(self._possessive_literals, folded) else ()
        for match in possessives:
            source = self.clean_source(match.group("src"))
            if source:
                frames.append(Frame(start + match.start(), start + match.end(), source))
        previous_end = 0
        if verb_starts is not None and not dates:  # else the blanks may have moved them
            verbs: Iterable[regex.Match] = matches_at(self._verb, plain, verb_starts)
        elif self._verb_leading is not None and len(folded) == len(plain):
            verbs = matches_at(self._verb, plain, literal_starts(self._verb_leading, folded))
        else:
            verbs = self._verb.finditer(plain)
        verbs = list(verbs)
        starts = {m.start() for m in verbs}
        for match in verbs:
            if any(at in starts for at in range(match.end() + 1, match.end() + 3)) \
                    and plain[match.end():match.end() + 1].isspace():
                continue  # "Early reports put the toll at": a noun, the next word the verb
            before = plain[previous_end: match.start()]
            cuts = [m.end() for m in _SOURCE_START.finditer(before)]
            cuts += [m.end() for m in self._boundary_word.finditer(before)]
            head = before[max(cuts) if cuts else 0:]
            previous_end = match.end()
            source, kind = None, "plain"
            if head.strip():
                source = self.clean_source(head)
            elif cuts:
                # ", said police." / ", says Interior Ministry": the source follows the verb,
                # and is all that is left of the clause
                source, kind = self._posted(plain[match.end():]), "post"
                if source is None and before.rstrip().endswith(","):
                    # "Olga Chemodanova, the ministry's spokeswoman, said": the subject stands
                    # in the comma-separated phrases before the verb
                    source, kind = self._apposition(before), "plain"
                    head = before[before.rstrip().rstrip(",").rfind(",") + 1:] \
                        if source else head
            if not source:
                continue
            frame = Frame(start + match.start() - len(head), start + match.end(), source, kind)
            frame.date_mention = self._frame_date(frame, dates, text)
            frames.append(frame)
        if sentence.headline:
            colon = _HEADLINE_SOURCE.match(plain)
            # Headlines are in title case, so a capital proves nothing: the phrase before the
            # colon must name a kind of source ("Health minister: 2500 hurt").
            if colon and (source := self.clean_source(colon.group("src"))) and any(
                    _bare(w) in self._source_nouns for w in source.split()):
                frames.append(Frame(start, start + colon.end(), source))
        for frame in frames:
            if frame.date_mention is not None:
                frame.date = self.dates.resolve(frame.date_mention, published, years)
        frames.sort(key=lambda f: f.start)
        return frames

    def attribute(self, claims: Sequence[Claim], frames: list[Frame], carried: Frame | None,
                  dates: list[DateMention], published: date | None, years: Sequence[int],
                  text: str, sentence: Sentence, undated: date | None = None) -> None:
        """Give each claim of a sentence its source and date: the frame that cites it, else the
        last frame before it, else the first after it, else the frame `carried` over from the
        sentence before; its date that of its own relative clause ("who were reported on
        Saturday"), else that frame's, else a date that pins the sentence ("by Friday"), else
        `undated` (a running report's dateline), else the report's."""
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
            own = self.dates.reported_with(text, claim.end, dates)
            if own is not None and (day := self.dates.resolve(own, published, years)):
                claim.claim_date = day  # its own clause says when it was reported
            elif dated:
                claim.claim_date = dated[0].date
            elif state and (pinned := self.dates.resolve(state[0], published, years)):
                claim.claim_date = pinned
            else:
                claim.claim_date = undated if undated is not None else published

    def _posted(self, after: str) -> str | None:
        """The source named after its verb when it ends the clause: "…, said police."."""
        stop = _POSTED_SOURCE_END.search(after)
        if stop.group(0) not in ("", ".", ",", ";", ":"):
            return None
        phrase = after[: stop.start()]
        if len(phrase.split()) > self._max_posted_words:
            return None
        return self.clean_source(phrase)

    def _apposition(self, before: str) -> str | None:
        """The subject of "Name, the title, said", or of "…, the title, said"."""
        phrases = [p.strip() for p in before.rstrip().rstrip(",").split(",")]
        last = self.clean_source(phrases[-1]) if phrases else None
        if last is None:
            return None
        if len(phrases) > 1 and _bare(last.split()[0]) in self._determiners:
            name = self.clean_source(phrases[-2])
            if name and all(w[:1].isupper() for w in name.split()):
                return f"{name}, {last}"
        return last

    def _frame_date(self, frame: Frame, dates: list[DateMention],
                    text: str) -> DateMention | None:
        verb_end = frame.end
        for mention in dates:
            if text.startswith(("'s", "’s"), mention.end):
                continue  # "Sunday's detentions": the day of the events, not of the statement
            # a date inside the source phrase, or right after the verb: "reported on January 7"
            if frame.start <= mention.start < verb_end:
                return mention
            if mention.start >= verb_end and self.dates.lead.fullmatch(
                    text, verb_end, mention.start):
                return mention
        return None

    def resolve(self, frame: Frame, history: list[Frame], sentences_text: list[str]) -> Frame:
        """Resolve "the ministry", "the statement", "he", "Bakhshi" to an earlier full source."""
        words = frame.source.split()
        lowered = [_bare(w) for w in words]
        if not history:
            return frame
        if len(words) == 1 and lowered[0] in self._pronouns:
            frame = replace(frame, source="")
            for source in self._latest_sources(history):
                if lowered[0] in self._person_pronouns and not self._is_person(source):
                    continue
                return replace(frame, source=source)
            return frame
        definite = lowered[0] in self._determiners and not any(
            w[:1].isupper() for w in words[1:])
        head = lowered[-1]
        if definite and head in self._document_nouns:
            for earlier, sentence_text in zip(reversed(history), reversed(sentences_text),
                                              strict=True):
                if head in sentence_text.lower():
                    return replace(frame, source=earlier.source, date=frame.date or earlier.date)
            return frame
        if definite and head in self._source_nouns:
            for source in self._latest_sources(history):
                if _word_pattern(head).search(source) and source.lower() != frame.source.lower():
                    return replace(frame, source=source)
            return frame
        if len(words) == 1 and words[0][:1].isupper():
            for source in self._latest_sources(history):
                names = source.split()
                if len(names) > 1 and names[-1].strip(",.") == words[0]:
                    return replace(frame, source=source)
        return frame

    def _latest_sources(self, history: list[Frame]) -> Iterator[str]:
        """The distinct sources of `history`, the latest first: what a walk back through every
        earlier frame finds first, since the tests above look at the source alone. Kept as the
        report's history grows (it is only appended to), so a long report of many frames of a
        few sources costs each look-back the sources, not every frame before it."""
        if self._history is not history or self._seen > len(history):
            self._history, self._seen, self._order = history, 0, {}
        order = self._order
        for earlier in history[self._seen:]:
            order.pop(earlier.source, None)
            order[earlier.source] = None  # to the end: the latest
        self._seen = len(history)
        return reversed(list(order))

    def _is_person(self, source: str) -> bool:
        """A full name ("Kerman Prosecutor Mahdi Bakhshi"), not an organisation."""
        names = [w for w in source.split() if w[:1].isupper()]
        return len(names) >= 2 and not self._organisation.search(source)

    def verb_starts(self, text: str, folded: str | None = None) -> list[int] | None:
        """The offsets of a whole text (a report; `folded` is `fold(text)`) where a speech verb
        may begin: where one of the words the verb pattern begins with stands. Give each
        sentence its share to `has_frame` and `frames`, which then try the pattern there only.
        None when the pattern's first words are not known, or folding moved offsets."""
        folded = fold(text) if folded is None else folded
        if self._verb_leading is None or len(folded) != len(text):
            return None
        return literal_starts(self._verb_leading, folded)

    def may_lead(self, folded_text: str) -> bool:
        """Whether a lead phrase ("according to") may stand anywhere in a folded text: when
        not, `has_frame` is False for each of its sentences where no speech verb may begin."""
        return might_match(self._lead_literals, folded_text)

    def has_frame(self, sentence_text: str, verb_starts: Sequence[int] | None = None) -> bool:
        """Whether a sentence may attribute anything (a cheap test before `frames`).
        `verb_starts`: where in the sentence a speech verb may begin, when known."""
        folded = fold(sentence_text)
        if verb_starts is not None:
            if matches_at(self._verb, sentence_text, verb_starts, first=True):
                return True
        elif might_match(self._verb_literals, folded) and self._verb.search(sentence_text):
            return True
        return bool(might_match(self._lead_literals, folded) and self._lead.search(sentence_text))
