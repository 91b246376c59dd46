"""What a claim is read with besides its words: its story's years, its sentence's setting.

The story's years, and the setting every claim of a sentence shares (its source and date, its
period, its quote, the time-outs met).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..io.model import Document
from .attribution import AttributionReader
from .dates import DateReader, infer_years
from .model import QUOTE_TRIM, Sentence, clause_span
from .patterns import Timeouts
from .scope import ScopeReader


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


@dataclass(frozen=True)
class ClaimSetting:
    """How any claim of a sentence, a figure or a name, is set in place: dated and attributed
    (`attribution`, `dates`), judged in or out of the story's period and event (`scope`),
    quoted (at most `max_quote` characters of clause), its time-outs reported (`timeouts`)."""

    dates: DateReader
    attribution: AttributionReader
    scope: ScopeReader
    timeouts: Timeouts
    max_quote: int

    def quote(self, text: str, start: int, end: int, sentence: Sentence) -> str:
        """The words a claim at text[start:end] is quoted with: its clause of the sentence,
        or the matched words alone when that clause runs too long."""
        start, end = clause_span(text, start, end, sentence.start, sentence.end,
                                 self.max_quote)
        return text[start:end].strip(QUOTE_TRIM)
