"""Claims as records: the claim, its sentence, the claims table, the masked sentence.

A claim, the sentence it is read in, the claims table's columns and cells, and the masked
sentence that claim patterns run on.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from numbers import Number
from typing import Any

import regex

CLAIM_COLUMNS = [
    "claim_id", "story", "doc", "outlet", "published", "kind", "metric", "figure", "value",
    "low", "high", "low_inclusive", "high_inclusive", "qualifier", "subject", "scope", "part_of",
    "attributed_to", "claim_date", "in_scope", "scope_note", "revision", "superseded", "quote",
    "line", "column", "entity", "role", "stance", "modality", "construction", "trigger",
    "headline", "place",
]
COUNT = "count"  # a claim's modality unless its words make it an estimate or a projection
NUMERIC = "numeric"  # the claims table's `kind` of a figure
NAMED = "named"  # the claims table's `kind` of a named claim (who, where, when)


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
    kind: str = NUMERIC
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
    # How the figure was read: count, estimate or projection; the construction (or a rule
    # file's pattern) and the trigger words that made it a claim.
    modality: str = COUNT
    construction: str | None = None
    trigger: str | None = None
    headline: bool = False  # stated in a headline (a report's body may disagree with it)
    place: str | None = None  # the country its clause puts it in ("89 killed in Zimbabwe")
    # Not in the table: where the figure is, and what the comparison stage needs to know.
    start: int = 0
    end: int = 0
    sentence: int = 0
    clause: tuple[int, int] = (0, 0)  # the span of its clause in the text
    revision: bool = False  # the sentence says the figure is a revision ("lowered to 96")
    superseded: bool = False  # the report gives it as history ("up from 84 on Thursday")
    total: Claim | None = None  # the claim this one is a part of; its id goes in `part_of`

    def row(self) -> dict[str, Any]:
        return {column: getattr(self, column) for column in CLAIM_COLUMNS}


@dataclass(slots=True)
class Sentence:
    """A sentence of a report: its span in the text, its paragraph, whether it is a headline."""

    start: int
    end: int
    paragraph: int
    headline: bool = False


@functools.lru_cache(maxsize=4)
def _newlines(text: str) -> list[int]:
    """The offsets of a text's line breaks (kept for the few texts being read: a string
    caches its hash, so a lookup costs no pass over the text)."""
    return [match.start() for match in _NEWLINE.finditer(text)]


_NEWLINE = regex.compile("\n")


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset: a search of the text's line breaks,
    not a count from its start for every claim (quadratic in a long report)."""
    newlines = _newlines(text)
    before = bisect_left(newlines, offset)  # line breaks before the offset
    return before + 1, offset - (newlines[before - 1] + 1 if before else 0) + 1


QUOTE_TRIM = " \t\n,;:.“”\""
_CLAUSE_BREAK = regex.compile(r"[;:()“”\"]|,\s|\s[—–-]\s")


def clause_span(text: str, start: int, end: int, sentence_start: int, sentence_end: int,
                longest: int) -> tuple[int, int]:
    """Widen a matched span to the clause around it, unless that clause runs too long."""
    before = [m.end() for m in _CLAUSE_BREAK.finditer(text, sentence_start, start)]
    after = _CLAUSE_BREAK.search(text, end, sentence_end)
    clause_start = before[-1] if before else sentence_start
    clause_end = after.start() if after else sentence_end
    if clause_end - clause_start > longest:
        return start, end
    return clause_start, clause_end


def mask(text: str, start: int, end: int, slots: Iterable[tuple[int, int, str]]
         ) -> tuple[str, Callable[[int], int]]:
    """text[start:end] with each (slot start, slot end, token) span replaced by its token (a
    figure's or a name's numbered slot, in text order), and a map from a position in the
    masked text back to an offset of `text`: a position inside a token maps to the start or
    the end of the words it stands for."""
    pieces: list[str] = []
    # (masked start, original start, original length, token length or 0 for copied text)
    spans: list[tuple[int, int, int, int]] = []
    cursor, length = start, 0
    for slot_start, slot_end, token in slots:
        chunk = text[cursor:slot_start]
        pieces.append(chunk)
        spans.append((length, cursor, len(chunk), 0))
        length += len(chunk)
        pieces.append(token)
        spans.append((length, slot_start, slot_end - slot_start, len(token)))
        length += len(token)
        cursor = slot_end
    pieces.append(text[cursor:end])
    spans.append((length, cursor, end - cursor, 0))

    def to_original(masked_position: int) -> int:
        for masked_start, original_start, size, token_size in reversed(spans):
            if masked_position >= masked_start:
                if token_size:
                    return original_start + (size if masked_position >= masked_start + token_size
                                             else 0)
                return original_start + (masked_position - masked_start)
        return start

    return "".join(pieces), to_original


_NEVER_MISSING = frozenset({str, int, bool, date})


def is_missing(value: Any) -> bool:
    """Whether a claims-table cell is empty: None, NaN, pandas' NA or NaT, numpy's NaN or NaT.

    Lists and other containers are never missing. Plain values are told apart without pandas,
    so that the comparison stage (run in worker processes) never imports it."""
    if value is None:
        return True
    kind = type(value)
    if kind in _NEVER_MISSING:  # the common cells first: this runs for every cell compared
        return False
    if isinstance(value, float):
        return math.isnan(value)
    name = kind.__name__
    if name in {"NAType", "NaTType"}:
        return True
    if isinstance(value, Number) or (name != "ndarray" and hasattr(value, "dtype")
                                     and getattr(value, "ndim", None) == 0):
        # another number or a numpy scalar: NaN (and NaT) is the one value unequal to itself
        return bool(value != value)
    return False
