"""Named claims: who claimed or is blamed, who the attacker is, nationality, place and date.

The claims stage calls `NamedReader.claims_in` for each sentence holding a named-claim keyword,
with the attribution frames it has already read, so a named claim gets its source, date and
scope exactly as a figure does. `compare_named` turns the named rows of a claims table into
findings (FC2xx in `rules/findings.yaml`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import regex
from rapidfuzz import fuzz

from .aliases import AliasTables, Mention
from .attribution import Frame
from .dates import DateMention
from .errors import RuleError
from .literals import Literals, first_words, fold, might_match, required_literals, word_offsets
from .patterns import PATTERN_TIMEOUT_SECONDS, compile_pattern, words_alternation
from .ruleset.model import RuleSet
from .yamlio import line_of

if TYPE_CHECKING:
    from .claims import Claim, ClaimReader, Sentence
    from .findings import Finding
    from .io.model import Document

NAMED = "named"  # the claims table's `kind` of a named claim
_MACRO = regex.compile(r"(?<!\\[pP])\{([A-Z_]+)\}")
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

    def __init__(self, rules: RuleSet, claims: ClaimReader):
        self.claims = claims
        self.aliases = AliasTables(rules.aliases)
        self.source = str(rules.files.get("named.yaml", "named.yaml"))
        config = rules.named
        self._macros = {**{k: str(v) for k, v in config["macros"].items()}, **SLOT_MACROS,
                        "NAME": _name_slot(config.get("name_particles") or ())}
        self.patterns: list[NamedPattern] = []
        self._needs: list[Literals | None] = []
        # the slots as any word: for the literals a pattern needs outside its names
        self._unmasked = {**self._macros,
                          **{name: r"(?:\w+)" for name in (*SLOT_MACROS, "NAME")}}
        keywords: set[str] = set()
        for name, kind in config["kinds"].items():
            if not kind.get("enabled", True):
                continue
            keywords |= {str(k).lower() for k in kind["keywords"]}
            for index, item in enumerate(kind["patterns"]):
                line = line_of(kind["patterns"], index)
                expanded = self._expand(item["pattern"], line)
                self.patterns.append(NamedPattern(
                    str(name), kind["entities"], compile_pattern(expanded, self.source, line),
                    item.get("stance"), item.get("role"), line))
                # The words the pattern needs besides its names and dates, which the sentence
                # holds as written before they are masked: none there, no claim of it there.
                self._needs.append(required_literals(compile_pattern(
                    self._expand(item["pattern"], line, macros=self._unmasked),
                    self.source, line)))
        # patterns often need the same words: each distinct set is looked for once a sentence
        self._distinct_needs = list(dict.fromkeys(self._needs))
        self._need_of = [self._distinct_needs.index(needs) for needs in self._needs]
        self._relative = compile_pattern(config["relative_clause"], self.source,
                                         line_of(config, "relative_clause"))
        self._keywords = regex.compile(rf"\b(?:{words_alternation(keywords)})",
                                       regex.IGNORECASE) if keywords else None
        self._keyword_starts = first_words(keywords)

    def _expand(self, pattern: str, line: int | None, depth: int = 0,
                macros: Mapping[str, str] | None = None) -> str:
        macros = self._macros if macros is None else macros

        def substitute(match: regex.Match) -> str:
            name = match.group(1)
            if name not in macros:
                raise RuleError(f"unknown macro {{{name}}} in pattern {pattern!r}", self.source,
                                line)
            if depth > 4:
                raise RuleError(f"macro {{{name}}} refers to itself", self.source, line)
            return self._expand(macros[name], line, depth + 1, macros)
        return _MACRO.sub(substitute, pattern)

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
        from .claims import _QUOTE_TRIM, Claim, _clause

        text = document.text
        dates = self.claims.dates.find(text, sentence.start, sentence.end)
        names = self.aliases.find(text, sentence.start, sentence.end)
        slots: list[Mention | DateMention] = [*names]
        slots += [d for d in dates if not any(n.start < d.end and d.start < n.end
                                              for n in names)]
        slots.sort(key=lambda m: m.start)
        masked, to_original = _mask(text, sentence.start, sentence.end, slots)
        best: dict[tuple[str, object], tuple[int, int, NamedPattern, regex.Match]] = {}
        for order in candidates:
            named = self.patterns[order]
            try:
                matches = list(named.pattern.finditer(masked, overlapped=True,
                                                      timeout=PATTERN_TIMEOUT_SECONDS))
            except TimeoutError:
                self.claims._timeout(self.source, named.line, document, sentence)
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
            clause = _clause(text, min(start, span[0]), max(end, span[1]), sentence.start,
                             sentence.end, self.claims._max_quote)
            line = text.count("\n", 0, start) + 1
            claim = Claim(
                story=document.story, doc=document.doc, outlet=document.outlet,
                published=document.published, metric=named.kind, figure=written,
                value=None, low=None, high=None, low_inclusive=None, high_inclusive=None,
                qualifier=None, subject=None,
                quote=text[clause[0]:clause[1]].strip(_QUOTE_TRIM), line=line,
                column=start - (text.rfind("\n", 0, start) + 1) + 1, kind=NAMED,
                entity=entity, role=named.role, stance=named.stance,
                start=start, end=end, sentence=index)
            self.claims._attribute([claim], outside, carried, dates, document.published, years,
                                   text, sentence)
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
        return self.claims._out_of_scope(text[sentence.start:end], [], years)

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
            day = self.claims.dates.resolve(slot, document.published, years)
            if day is None:
                return None, None, slot.start, slot.end
            return slot.text, day.isoformat(), slot.start, slot.end
        return " ".join(slot.text.split()), slot.entity.name, slot.start, slot.end


def _mask(text: str, start: int, end: int, slots: Sequence[Mention | DateMention]
          ) -> tuple[str, Any]:
    """The sentence with each name replaced by its slot, and a map back to text offsets."""
    pieces: list[str] = []
    spans: list[tuple[int, int, int, int]] = []  # masked start, original start, lengths
    cursor, length = start, 0
    for number, slot in enumerate(slots):
        table = "dates" if isinstance(slot, DateMention) else slot.entity.table
        chunk = text[cursor: slot.start]
        pieces.append(chunk)
        spans.append((length, cursor, len(chunk), 0))
        length += len(chunk)
        token = f"⟪{_TABLE_LETTER[table]}{number}⟫"
        pieces.append(token)
        spans.append((length, slot.start, slot.end - slot.start, len(token)))
        length += len(token)
        cursor = slot.end
    pieces.append(text[cursor:end])
    spans.append((length, cursor, end - cursor, 0))

    def to_original(position: int) -> int:
        for masked_start, original_start, size, token_size in reversed(spans):
            if position >= masked_start:
                if token_size:
                    return original_start + (size if position >= masked_start + token_size
                                             else 0)
                return original_start + (position - masked_start)
        return start

    return "".join(pieces), to_original


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class _Named:
    """The comparable part of one named claim."""

    claim_id: str
    entity: str
    written: str
    stance: str | None
    source: str
    date: date | None
    order: int


def named_source(row: Mapping[str, Any]) -> str:
    """Who a named claim comes from, as findings name it."""
    from .findings import source_of

    return source_of(row)


def _named(row: Mapping[str, Any], order: int) -> _Named:
    from .findings import is_missing

    source = named_source(row)
    claim_date = row.get("claim_date")
    stance = row.get("stance")
    return _Named(str(row["claim_id"]), str(row["entity"]), str(row.get("figure") or ""),
                  None if is_missing(stance) else str(stance), source,
                  None if is_missing(claim_date) else claim_date, order)


def _describe(entity: str, members: Sequence[_Named]) -> str:
    first = min(members, key=lambda m: (m.date or date.max, m.order))
    when = first.date.isoformat() if first.date else "unknown date"
    written = "" if first.written.casefold() == entity.casefold() else f" “{first.written}”"
    stance = f" {first.stance.replace('_', ' ')}" if first.stance else ""
    return f"{entity}{written}{stance} ({first.source}, {when})"


def _group_ids(members: Iterable[_Named]) -> tuple[str, ...]:
    return tuple(m.claim_id for m in sorted(members, key=lambda m: (m.date or date.max,
                                                                     m.order)))


def compare_named(rows: Iterable[Mapping[str, Any]], rules: RuleSet) -> list[Finding]:
    """Findings for the named rows of a claims table (ids are given by the caller)."""
    return [finding for _, finding in named_findings(rows, rules)]


def named_findings(rows: Iterable[Mapping[str, Any]], rules: RuleSet
                   ) -> list[tuple[int, Finding]]:
    """`compare_named`'s findings, each with the row position of the first claim of its
    story, kind and role (the order they come in)."""
    from .findings import is_missing

    by_key: dict[tuple[str, str, str | None], list[_Named]] = {}
    for order, row in enumerate(rows):
        if row.get("kind") != NAMED or not row.get("in_scope", True) or is_missing(
                row.get("entity")):
            continue
        role = None if is_missing(row.get("role")) else str(row["role"])
        key = (str(row.get("story") or ""), str(row["metric"]), role)
        by_key.setdefault(key, []).append(_named(row, order))
    findings: list[tuple[int, Finding]] = []
    for (story, metric, role), members in by_key.items():
        if metric == "responsibility":
            found = _responsibility(story, metric, members, rules)
        elif metric == "location":
            found = _different(story, metric, role, members, rules, "location",
                               rules.aliases.country_of)
        elif metric == "event_date":
            found = _different(story, metric, role, members, rules, "event-date",
                               lambda entity: entity)
        else:
            found = _different(story, metric, role, members, rules, "role",
                               _same_name_key(members, rules))
        findings += [(members[0].order, finding) for finding in found]
    return findings


def _finding(rule_kind: str, rules: RuleSet, story: str, metric: str, scope: str | None,
             groups: Sequence[tuple[str, Sequence[_Named]]]) -> Finding | None:
    from .findings import Finding, _Messages

    rule = rules.rule_for_kind(rule_kind)
    if rule is None or len(groups) < 2:
        return None
    sides = " vs ".join(_describe(entity, members) for entity, members in groups)
    message = rule.message.format_map(_Messages(metric=metric, sides=sides,
                                                role=scope or "", chain=sides))
    ids = tuple(_group_ids(members) for _, members in groups)
    return Finding(story=story, rule=rule.code, rule_name=rule.name, severity=rule.severity,
                   kind=rule.kind, metric=metric, scope=scope, message=message,
                   claim_ids=tuple(i for g in ids for i in g), groups=ids)


def _responsibility(story: str, metric: str, members: list[_Named], rules: RuleSet
                    ) -> list[Finding]:
    """Different groups claimed or blamed (branches of one group are related, not in
    conflict); a group denying what it, or a branch of it, is said to have claimed."""
    aliases = rules.aliases
    positive = [m for m in members if m.stance in ("claimed", "blamed")]
    denied = [m for m in members if m.stance == "denied"]
    by_entity: dict[str, list[_Named]] = {}
    for member in positive:
        by_entity.setdefault(member.entity, []).append(member)
    # Families: the groups a branch relation joins. Different families conflict.
    families: list[list[str]] = []
    for entity in by_entity:
        joined = [f for f in families if any(aliases.related(entity, e) for e in f)]
        merged = [entity] + [e for f in joined for e in f]
        families = [f for f in families if f not in joined] + [merged]
    findings: list[Finding | None] = []
    if len(families) > 1:
        findings.append(_finding("responsibility", rules, story, metric, None, [
            (" / ".join(f), [m for e in f for m in by_entity[e]]) for f in families]))
    for family in families:
        if len(family) > 1:
            findings.append(_finding("branch", rules, story, metric, None,
                                     [(e, by_entity[e]) for e in family]))
    denials: dict[str, list[_Named]] = {}
    for member in denied:
        denials.setdefault(member.entity, []).append(member)
    for entity, deniers in denials.items():
        said = [m for m in positive if aliases.related(entity, m.entity)]
        if said:
            findings.append(_finding("denial", rules, story, metric, None,
                                     [(said[0].entity, said), (entity, deniers)]))
    return [f for f in findings if f is not None]


def _same_name_key(members: Sequence[_Named], rules: RuleSet) -> Any:
    """Names and countries: spellings close enough (the matching threshold) are one value."""
    threshold = rules.aliases.threshold
    keys: list[str] = []

    def key(entity: str) -> str:
        for known in keys:
            if fuzz.ratio(known.casefold(), entity.casefold()) >= threshold:
                return known
        keys.append(entity)
        return entity
    return key


def _different(story: str, metric: str, role: str | None, members: list[_Named],
               rules: RuleSet, rule_kind: str, key: Any) -> list[Finding]:
    """One finding when the claims of one role give more than one value."""
    by_value: dict[str, list[_Named]] = {}
    for member in sorted(members, key=lambda m: (m.date or date.max, m.order)):
        value = key(member.entity)
        if value is not None:
            by_value.setdefault(value, []).append(member)
    finding = _finding(rule_kind, rules, story, metric, role, list(by_value.items()))
    return [finding] if finding is not None else []
