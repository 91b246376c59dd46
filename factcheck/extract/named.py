"""Named claims: who claimed or is blamed, who the attacker is, nationality, place and date.

The claims stage calls `NamedReader.claims_in` for each sentence holding a named-claim keyword,
with the attribution frames it has already read, so a named claim gets its source, date and
scope exactly as a figure does (through the sentence's `ClaimSetting`). `compare.named` turns
the named rows of a claims table into findings (FC2xx in `rules/findings.yaml`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import regex

from ..io.model import Document
from ..ruleset.model import RuleSet
from ..yamlio import line_of
from .aliases import AliasTables, Mention
from .attribution import Frame
from .context import ClaimSetting
from .dates import DateMention
from .literals import Literals, first_words, fold, might_match, required_literals, word_offsets
from .model import NAMED, Claim, Sentence, mask, position
from .patterns import PATTERN_TIMEOUT_SECONDS, Macros, compile_pattern, words_alternation

# Slots: each name in a sentence is replaced by one of these, its table's letter and number.
_TABLE_LETTER = {"groups": "g", "countries": "c", "places": "p", "dates": "d"}
SLOT_MACROS = {
    "GROUP": r"⟪g(?P<e>\d+)⟫",
    "COUNTRY": r"⟪c(?P<e>\d+)⟫",
    "ANY_COUNTRY": r"⟪c\d+⟫",
    "PLACE": r"⟪[pc](?P<e>\d+)⟫",
    "DATE": r"⟪d(?P<e>\d+)⟫",
    # {NAME}: built from `name_particles` (see `_name_slot`)
}
# A person's name: two to four capitalised words, a lower-case particle allowed between them.
_NAME_WORD = r"\p{Lu}[\p{Ll}’'-]+"
# The alias tables a kind's value is looked up in, by its `entities` ({PLACE} takes countries).
ENTITY_TABLES = {"groups": ("groups",), "countries": ("countries",),
                 "places": ("places", "countries")}


def _name_slot(particles: Sequence[str]) -> str:
    """{NAME}: capitalised words, with the lower-case particles of `name_particles` ("al",
    "bin", "van") allowed between them; matched with case, whatever the pattern's flags."""
    particle = rf"(?:(?:{words_alternation(particles)})[\s-]+)?" if particles else ""
    return rf"(?-i:(?P<name>{_NAME_WORD}(?:[\s-]+{particle}{_NAME_WORD}){{1,3}}))"


@dataclass(frozen=True)
class NamedPattern:
    kind: str
    entities: str
    pattern: regex.Pattern
    stance: str | None
    role: str | None
    line: int | None


class NamedReader:
    """Compiled named-claim patterns; reads the named claims of one sentence at a time."""

    def __init__(self, rules: RuleSet, setting: ClaimSetting) -> None:
        self.setting = setting
        self.aliases = AliasTables(rules.aliases)
        self.source = str(rules.files.get("named.yaml", "named.yaml"))
        config = rules.named
        macros = {**{k: str(v) for k, v in config["macros"].items()}, **SLOT_MACROS,
                  "NAME": _name_slot(config.get("name_particles") or ())}
        self.macros = Macros(macros)
        self.patterns: list[NamedPattern] = []
        self._needs: list[Literals | None] = []
        # the slots as any word: for the literals a pattern needs outside its names
        self._unmasked = Macros({**macros,
                                 **{name: r"(?:\w+)" for name in (*SLOT_MACROS, "NAME")}})
        keywords: set[str] = set()
        for name, kind in config["kinds"].items():
            if not kind.get("enabled", True):
                continue
            keywords |= {str(k).lower() for k in kind["keywords"]}
            for index, item in enumerate(kind["patterns"]):
                line = line_of(kind["patterns"], index)
                self.patterns.append(NamedPattern(
                    str(name), kind["entities"],
                    self.macros.compile(item["pattern"], self.source, line,
                                        key=f"{name}.patterns"),
                    item.get("stance"), item.get("role"), line))
                # The words the pattern needs besides its names and dates, which the sentence
                # holds as written before they are masked: none there, no claim of it there.
                self._needs.append(required_literals(
                    self._unmasked.compile(item["pattern"], self.source, line)))
        # patterns often need the same words: each distinct set is looked for once a sentence
        self._distinct_needs = list(dict.fromkeys(self._needs))
        self._need_of = [self._distinct_needs.index(needs) for needs in self._needs]
        self._relative = compile_pattern(config["relative_clause"], self.source,
                                         line_of(config, "relative_clause"),
                                         key="relative_clause")
        self._keywords = regex.compile(rf"\b(?:{words_alternation(keywords)})",
                                       regex.IGNORECASE) if keywords else None
        self._keyword_starts = first_words(keywords)

    def keyword_positions(self, text: str, start: int, folded: str | None = None) -> list[int]:
        """Offsets of every named-claim keyword of a report, in order (`folded`: the report
        as `literals.fold` gives it, where the keywords' first words are looked for)."""
        if self._keywords is None:
            return []
        return word_offsets(self._keywords, self._keyword_starts, text, start,
                            fold(text) if folded is None else folded)

    def candidates(self, positions: list[int], sentence: Sentence,
                   sentence_text: str) -> list[int]:
        """The patterns (indexes) that may match a sentence: none unless a keyword stands in
        it, then those whose needed words it holds (each distinct set of words tried once)."""
        at = bisect_left(positions, sentence.start)
        if at == len(positions) or positions[at] >= sentence.end:
            return []
        folded = fold(sentence_text)
        held = [might_match(needs, folded) for needs in self._distinct_needs]
        return [i for i, need in enumerate(self._need_of) if held[need]]

    def claims_in(self, document: Document, sentence: Sentence, index: int,
                  frames: list[Frame], carried: Frame | None, years: Sequence[int],
                  candidates: Sequence[int]) -> list[Claim]:
        """The named claims of one sentence, attributed, dated and scoped as figures are;
        `candidates`: the patterns that may match it (`candidates`)."""
        text = document.text
        dates = self.setting.dates.find(text, sentence.start, sentence.end)
        names = self.aliases.find(text, sentence.start, sentence.end)
        slots: list[Mention | DateMention] = [*names]
        slots += [d for d in dates if not any(n.start < d.end and d.start < n.end
                                              for n in names)]
        slots.sort(key=lambda m: m.start)
        masked, to_original = mask(text, sentence.start, sentence.end, [
            (slot.start, slot.end, _token(slot, number)) for number, slot in enumerate(slots)])
        best: dict[tuple[str, object], tuple[int, int, NamedPattern, regex.Match]] = {}
        for order in candidates:
            named = self.patterns[order]
            try:
                matches = list(named.pattern.finditer(masked, overlapped=True,
                                                      timeout=PATTERN_TIMEOUT_SECONDS))
            except TimeoutError:
                self.setting.timeouts.report(self.source, named.line, document, sentence)
                continue
            for match in matches:
                if named.entities == "names":
                    target: object = ("name", to_original(match.start("name")))
                elif "e" in match.groupdict() and match.group("e") is not None:
                    target = int(match.group("e"))
                else:
                    target = ("nobody", to_original(match.start()))
                key = (named.kind, target)
                rank = (match.end() - match.start(), order)
                if key not in best or rank < best[key][:2]:
                    best[key] = (*rank, named, match)
        found: list[Claim] = []
        # A subject's own verb ("IS claimed", "no group said", "Daesh has not said") is its
        # stance, not a source: only frames outside every matched claim attribute claims.
        matched = [(to_original(m.start()), to_original(m.end())) for *_, m in best.values()]
        outside = [f for f in frames if not any(f.start < b and a < f.end for a, b in matched)]
        for (_, target), (_, _, named, match) in sorted(best.items(), key=lambda i: str(i[0])):
            span = (to_original(match.start()), to_original(match.end()))
            written, entity, start, end = self._value(named, match, target, slots, document,
                                                      years, span)
            if written is None:
                continue
            quote = self.setting.quote(text, min(start, span[0]), max(end, span[1]), sentence)
            line, column = position(text, start)
            claim = Claim(
                story=document.story, doc=document.doc, outlet=document.outlet,
                published=document.published, metric=named.kind, figure=written,
                value=None, low=None, high=None, low_inclusive=None, high_inclusive=None,
                qualifier=None, subject=None,
                quote=quote, line=line, column=column, kind=NAMED,
                entity=entity, role=named.role, stance=named.stance,
                start=start, end=end, sentence=index)
            self.setting.attribution.attribute([claim], outside, carried, dates,
                                               document.published, years, text, sentence)
            note = self._out_of_scope(text, sentence, span[1], years)
            if note:
                claim.in_scope, claim.scope_note = False, note
            found.append(claim)
        return sorted(found, key=lambda c: (c.start, c.metric))

    def _out_of_scope(self, text: str, sentence: Sentence, match_end: int,
                      years: Sequence[int]) -> str | None:
        """Another period's or event's claim, by the scope rules the figures follow, read on
        the sentence up to the claim's words and on to a relative clause ("the suspect is a
        Tajik national who entered Iran in December" is about this event)."""
        tail = self._relative.search(text, match_end, sentence.end)
        end = tail.start() if tail else sentence.end
        return self.setting.scope.out_of_scope(text[sentence.start:end], [], years)

    def _value(self, named: NamedPattern, match: regex.Match, target: object,
               slots: Sequence[Mention | DateMention], document: Document,
               years: Sequence[int], span: tuple[int, int]
               ) -> tuple[str | None, str | None, int, int]:
        """The words as written, the canonical value and where the words are."""
        if named.entities == "names":
            written = " ".join(match.group("name").split())
            start = target[1] if isinstance(target, tuple) else span[0]
            return written, written, start, start + len(match.group("name"))
        if not isinstance(target, int):  # "nobody claimed": the words are the claim
            words = document.text[span[0]:span[1]]
            return " ".join(words.split()), None, span[0], span[1]
        slot = slots[target]
        if isinstance(slot, DateMention):
            day = self.setting.dates.resolve(slot, document.published, years)
            if day is None:
                return None, None, slot.start, slot.end
            return slot.text, day.isoformat(), slot.start, slot.end
        return " ".join(slot.text.split()), slot.entity.name, slot.start, slot.end


def _token(slot: Mention | DateMention, number: int) -> str:
    """A name's or a date's slot in a masked sentence: its table's letter and its number."""
    table = "dates" if isinstance(slot, DateMention) else slot.entity.table
    return f"⟪{_TABLE_LETTER[table]}{number}⟫"
