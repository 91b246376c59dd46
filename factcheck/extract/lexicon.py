"""Metric lexicons: a metric's trigger words, inflected, as the shared constructions read them.

A metric file lists its triggers by kind (`lexicon:`): transitive verbs ("kill", "take * into
custody"), intransitive verbs ("die", "lose * lives"), states ("dead", "in custody"), nouns
that count it ("deaths"), nouns of the act ("the arrest of") and names of its tally ("death
toll"). A verb is given in its base form and inflected here (kill, kills, killed, killing);
`irregular_verbs` in grammar.yaml gives the forms no rule makes (hold: held).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import regex

from ..ruleset.grammar import GAP

# The lexicon macros of the constructions, and the lexicon kind each one reads.
LEXICON_MACROS = ("ACTIVE", "PARTICIPLE", "INTRANS", "STATE", "NOUN", "ACTION", "COUNT")
GAP_MACROS = ("GAP_HEAD", "GAP_TAIL")  # a verb whose object stands inside it, one at a time
_VOWELS = "aeiou"
_VOWEL_GROUP = regex.compile(r"[aeiouy]+")
_SHORT_GAP = r"(?:[\p{L}'’-]+\s+){0,3}?"  # a `*` inside a phrase: up to three words


@dataclass(frozen=True)
class VerbForms:
    """The forms of one verb: base, third person, past, past participle, present participle."""

    base: str
    third: str
    past: str
    participle: str
    gerund: str

    def finite(self) -> tuple[str, ...]:
        """Every form a verb takes before its object or after its subject."""
        return tuple(dict.fromkeys((self.base, self.third, self.past, self.participle,
                                    self.gerund)))


def _doubles(word: str) -> bool:
    """A one-syllable verb ending consonant-vowel-consonant doubles it: stab → stabbed."""
    return (len(word) >= 3 and len(_VOWEL_GROUP.findall(word)) == 1
            and word[-1] not in _VOWELS + "wxy" and word[-2] in _VOWELS
            and word[-3] not in _VOWELS)


def inflect(lemma: str, irregular: Mapping[str, Sequence[str]] | None = None) -> VerbForms:
    """The forms of a one-word verb by the regular rules of English, unless `irregular` gives
    its past and participle (and, third, its -ing form): `hold: [held, held]`."""
    word = lemma.lower()
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        third = word + "es"
    elif word.endswith("y") and word[-2:-1] not in _VOWELS:
        third = word[:-1] + "ies"
    else:
        third = word + "s"
    if word.endswith("ie"):
        gerund = word[:-2] + "ying"
    elif word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        gerund = word[:-1] + "ing"
    elif _doubles(word):
        gerund = word + word[-1] + "ing"
    else:
        gerund = word + "ing"
    if word.endswith("e"):
        past = word + "d"
    elif word.endswith("y") and word[-2:-1] not in _VOWELS:
        past = word[:-1] + "ied"
    elif _doubles(word):
        past = word + word[-1] + "ed"
    else:
        past = word + "ed"
    participle = past
    given = (irregular or {}).get(word)
    if given:
        past, participle = given[0], given[1] if len(given) > 1 else given[0]
        gerund = given[2] if len(given) > 2 else gerund
    return VerbForms(word, third, past, participle, gerund)


def _verb_word(phrase: str) -> tuple[str, str, str]:
    """A verb phrase as (adverbs before the verb, the verb, the rest): "fatally shoot" is
    ("fatally", "shoot", ""), "take into custody" is ("", "take", "into custody")."""
    words = phrase.split()
    at = next((i for i, w in enumerate(words) if not w.lower().endswith("ly")), 0)
    return " ".join(words[:at]), words[at], " ".join(words[at + 1:])


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def phrase_pattern(phrase: str) -> str:
    """One lexicon phrase as a regex: any run of spaces matches, a `*` is up to three words
    ("suffer * injuries" reads "suffered serious head injuries")."""
    pattern = ""
    for word in phrase.split():
        if word == GAP:
            pattern += (r"\s+" if pattern else "") + _SHORT_GAP
        else:
            joint = r"\s+" if pattern and not pattern.endswith("?") else ""
            pattern += joint + regex.escape(word)
    return pattern


def alternation(phrases: Iterable[str]) -> str:
    """A regex alternation of lexicon phrases, longest first ("" for none)."""
    return "|".join(phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """One metric's triggers, inflected, by the macro that reads them."""

    phrases: Mapping[str, tuple[str, ...]]  # macro name -> phrases (see LEXICON_MACROS)
    gaps: tuple[tuple[tuple[str, ...], str], ...]  # per gap verb: its head forms, its tail

    @classmethod
    def build(cls, lexicon: Mapping[str, Sequence[str]],
              irregular: Mapping[str, Sequence[str]] | None = None) -> Lexicon:
        """A metric file's `lexicon:` inflected. A transitive verb gives active forms ("killed
        12") and a participle ("12 were killed"); a verb with a `*` ("take * into custody")
        is read with its object inside it ("took six men into custody") and as a participle
        with the `*` dropped ("taken into custody")."""
        active: list[str] = []
        participles: list[str] = []
        gaps: list[tuple[tuple[str, ...], str]] = []
        for text in lexicon.get("verbs") or ():
            words = text.split()
            at = words.index(GAP) if GAP in words else len(words)
            head, tail = " ".join(words[:at]), " ".join(words[at + 1:])
            before, verb, rest = _verb_word(head)
            forms = inflect(verb, irregular)
            finite = tuple(_join(before, form, rest) for form in forms.finite())
            participles.append(_join(before, forms.participle, rest, tail))
            if at < len(words):
                gaps.append((finite, tail))
            else:
                active.extend(finite)
        intransitive: list[str] = []
        for text in lexicon.get("intransitive") or ():
            before, verb, rest = _verb_word(text)
            intransitive.extend(_join(before, form, rest)
                                for form in inflect(verb, irregular).finite())
        phrases = {
            "ACTIVE": tuple(active), "PARTICIPLE": tuple(participles),
            "INTRANS": tuple(intransitive), "STATE": tuple(lexicon.get("states") or ()),
            "NOUN": tuple(lexicon.get("nouns") or ()),
            "ACTION": tuple(lexicon.get("actions") or ()),
            "COUNT": tuple(lexicon.get("counts") or ()),
        }
        return cls(phrases, tuple(gaps))

    def keywords(self, function_words: Iterable[str] = ()) -> set[str]:
        """Words a sentence must hold one of for the metric to be read in it; any match of a
        trigger holds its keyword: the last word of each phrase that is not a function word
        ("killed"; "custody" for "taken into custody", "dead" for "confirmed dead",
        "missing" for "number of missing")."""
        skip = {w.lower() for w in function_words}
        words = set()
        for phrase in (*(p for ps in self.phrases.values() for p in ps),
                       *(tail for _, tail in self.gaps)):
            found = [w.lower() for w in phrase.split() if w != GAP]
            content = [w for w in found if w not in skip] or found
            if content:
                words.add(content[-1])
        return words
