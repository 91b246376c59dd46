"""Dates in report text: find date expressions and resolve them against the report and story."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import regex

from ..yamlio import line_of
from .patterns import compile_pattern, words_alternation


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression as written: any of day, month, year, weekday, or days back."""

    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # Monday = 0
    days_back: int | None = None  # "yesterday" = 1


class DateReader:
    """Reads the date words of `rules/dates.yaml` and resolves what it finds."""

    def __init__(self, config: Mapping[str, Any], source: Path | str = "dates.yaml") -> None:
        self.possessive_endings = tuple(str(e) for e in config["possessive_endings"])
        self._months: dict[str, int] = {}
        for number, (_, words) in enumerate(config["months"].items(), start=1):
            for word in words:
                self._months[str(word).lower()] = number
        self._weekdays: dict[str, int] = {}
        for number, (_, words) in enumerate(config["weekdays"].items()):
            for word in words:
                self._weekdays[str(word).lower()] = number
        self._relative = {str(k).lower(): int(v) for k, v in config["relative_days"].items()}
        self.window = int(config["weekday_window_days"])
        self.future_days = int(config["future_days"])
        self.years_after_stated = int(config["years_after_stated"])
        month = rf"(?:{words_alternation(self._months)})\.?"
        weekday = rf"(?:{words_alternation(self._weekdays)})\.?"
        part = rf"(?:\s+(?:{words_alternation(config['day_parts'])}))*"
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
        year = r"(?P<year>(?:19|20)\d\d)"
        # Every date starts with a digit or one of these words; testing that first, as one
        # plain alternation, makes the scan of a sentence several times faster.
        first_words = words_alternation([*self._months, *self._weekdays, *self._relative])
        self._pattern = regex.compile(
            rf"""\b(?=\d|(?:{first_words}))(?:
              (?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))
            | (?:(?P<wd>{weekday}){part}[,]?\s*\(?\s*)?
              (?:(?P<mon>{month})\s+{day}(?!\d)(?:\s*,?\s*{year})?
                |(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{month})(?:\s*,?\s*(?P<year2>(?:19|20)\d\d))?)
              \)?
            | (?P<wdonly>{weekday})(?!\s*\(?\s*(?:{month}|[0-3]?\d\b))
            | (?P<rel>{words_alternation(self._relative)})
            )(?!\w)""",
            regex.IGNORECASE | regex.VERBOSE,
        )
        # the rule file's own patterns: checked and named as every rule pattern is
        datelines = config.get("datelines") or []
        self._datelines = [compile_pattern(p, source, line_of(datelines, i), key="datelines")
                           for i, p in enumerate(datelines)]
        # "the 21 people who were reported on Saturday to have died": the words between a figure and
        # a date that is the figure's own (rules/dates.yaml `reported_clause`)
        clause = config.get("reported_clause")
        self.reported_clause = compile_pattern(
            clause, source, line_of(config, "reported_clause"), key="reported_clause"
        ) if clause else None
        self.reported_reach = int(config.get("reported_clause_characters") or 80)
        markers = words_alternation(config["state_markers"])
        parts = words_alternation(config["day_parts"])
        self._pin = regex.compile(rf"\b(?:{markers})\s+(?:(?:{parts})\s+)*$", regex.IGNORECASE)
        self.lead = regex.compile(
            rf"\s*(?:(?:{words_alternation(config['lead_words'])})\s+)*", regex.IGNORECASE)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
        """Every date expression in text[start:end], in order."""
        found = []
        for match in self._pattern.finditer(text, start, len(text) if end is None else end):
            found.append(self._mention(match))
        return [m for m in found if m is not None]

    def _mention(self, match: regex.Match) -> DateMention | None:
        text = match.group(0)
        if match.group("iso"):
            return DateMention(match.start(), match.end(), text, int(match.group("iy")),
                               int(match.group("im")), int(match.group("id")))
        if match.group("rel"):
            return DateMention(match.start(), match.end(), text,
                               days_back=self._relative[match.group("rel").lower()])
        if match.group("wdonly"):
            return DateMention(match.start(), match.end(), text,
                               weekday=self._weekday(match.group("wdonly")))
        month_word = match.group("mon") or match.group("mon2")
        day = match.group("day") or match.group("day2")
        year = match.group("year") or match.group("year2")
        if not month_word or not day or not 1 <= int(day) <= 31:
            return None
        weekday = self._weekday(match.group("wd")) if match.group("wd") else None
        return DateMention(match.start(), match.end(), text, int(year) if year else None,
                           self._months[month_word.rstrip(".").lower()], int(day), weekday)

    def _weekday(self, word: str) -> int:
        return self._weekdays[word.rstrip(".").lower()]

    def resolve(self, mention: DateMention, published: date | None,
                story_years: Iterable[int] = ()) -> date | None:
        """The calendar date a mention stands for, or None when the text does not fix it."""
        if mention.days_back is not None:
            return published - timedelta(days=mention.days_back) if published else None
        if mention.month is None:
            if mention.weekday is None or published is None:
                return None
            back = (published.weekday() - mention.weekday) % 7
            return published - timedelta(days=back) if back <= self.window else None
        if mention.year is not None:
            return _safe_date(mention.year, mention.month, mention.day or 1)
        if published is not None:
            # A day and month without a year take the publication year, or the year before
            # when that would put them well after publication ("December 30" in a 2 January report).
            year = published.year
            guess = _safe_date(year, mention.month, mention.day or 1)
            if guess and guess > published + timedelta(days=self.future_days):
                year -= 1
            candidates = [year]
        else:
            candidates = sorted(set(story_years), reverse=True)
            if mention.weekday is None and len(candidates) > 1:
                return None  # several story years and no weekday to choose between them
        for year in candidates:
            resolved = _safe_date(year, mention.month, mention.day or 1)
            if resolved and (mention.weekday is None or resolved.weekday() == mention.weekday):
                return resolved
        return None

    def dateline(self, paragraph: str, published: date | None,
                 story_years: Iterable[int] = ()) -> date | None:
        """The date a paragraph opens with, as a running report's entries do ("5/8 – …",
        "May 6, 2014 — …"), or None. A numeric day and month is read the way (month/day or
        day/month) that falls on or before the report's date, nearest to it."""
        for pattern in self._datelines:
            match = pattern.match(paragraph)
            if match is None:
                continue
            groups = match.groupdict()
            if groups.get("date"):
                found = self.find(groups["date"])
                return self.resolve(found[0], published, story_years) if found else None
            if published is None:
                return None
            first, second = int(groups["first"]), int(groups["second"])
            year = int(groups["year"]) if groups.get("year") else published.year
            year += 2000 if year < 100 else 0
            readings = [d for d in (_safe_date(year, first, second),
                                    _safe_date(year, second, first))
                        if d is not None and d <= published + timedelta(days=1)]
            return max(readings) if readings else None
        return None

    def reported_with(self, text: str, end: int, dates: Sequence[DateMention]
                      ) -> DateMention | None:
        """The date a relative clause right after a figure (ending at `end`) says it was
        reported on: "21 people who were reported on Saturday to have died"."""
        if self.reported_clause is None:
            return None
        for mention in dates:
            if end <= mention.start <= end + self.reported_reach and \
                    self.reported_clause.fullmatch(text, end, mention.start):
                return mention
        return None

    def pinned(self, text: str, mention: DateMention, floor: int = 0) -> bool:
        """Whether a date pins a figure to its moment: "by late Friday", "as of Monday".

        A possessive date names the event, not the moment ("killed by yesterday's blast")."""
        if text.startswith(self.possessive_endings, mention.end):
            return False
        return bool(self._pin.search(text, max(floor, mention.start - 40), mention.start))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def infer_years(reader: DateReader, texts: Iterable[str]) -> list[int]:
    """Years an undated story fixes: stated month-day-weekday triples that agree with a year.

    A stated "Friday (January 5)" fixes the year among the years the texts state and the few
    after the latest of them; with no weekday, the texts fix nothing.
    """
    stated: set[int] = set()
    weekday_dates: list[DateMention] = []
    for text in texts:
        for match in regex.finditer(r"\b(?:19|20)\d\d\b", text):
            stated.add(int(match.group(0)))
        weekday_dates.extend(m for m in reader.find(text)
                             if m.weekday is not None and m.month and m.year is None)
    if not weekday_dates or not stated:
        return []
    # Weekday and date repeat every few years, so look no further than the next match after the
    # latest year the text itself states.
    latest = max(stated)
    candidates = sorted(stated) + list(range(latest + 1, latest + reader.years_after_stated + 1))
    agreeing = [
        year for year in candidates
        if all((d := _safe_date(year, m.month, m.day or 1)) and d.weekday() == m.weekday
               for m in weekday_dates)
    ]
    stated_agreeing = [year for year in agreeing if year in stated]
    if stated_agreeing:
        return [max(stated_agreeing)]
    return [year for year in agreeing if year > max(stated)][:1]
