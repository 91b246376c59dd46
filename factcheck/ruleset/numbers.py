"""numbers.yaml, checked: the lexicon of figures as validated data.

Qualifier words and their readings, ranges, vague counts, number words and scales, units,
labels and what is never a count: each key checked (a malformed file is a `RuleError` naming
its line) and its words normalised, for `extract.numbers.NumberReader` to compile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from ..errors import RuleError
from ..yamlio import line_of

_BOUND_EXPRESSIONS = ("v", "v*(1-band)", "v*(1+band)", None)
REQUIRED_KEYS = (
    "band",
    "readings",
    "qualifiers",
    "ranges",
    "vague",
    "words",
    "multipliers",
    "fractions",
    "abbreviations",
    "suffixes",
    "years",
    "people_nouns",
    "units",
    "currency_before",
    "labels_before",
    "labels_then_people",
    "months",
    "ordinals",
    "not_counts",
    "blocked",
)
# Keys a config may leave out; each defaults to "no such convention".
OPTIONAL_KEYS = ("phrases", "suffix_m_before_people", "suffix_units", "inclusive_after",
                 "particles", "max_count")
# What an after-qualifier maps to when it only makes the bound before the figure inclusive.
INCLUSIVE = "<inclusive>"
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Reading:
    """How a qualifier reads a figure v: its kind, and the bounds as expressions of v."""

    kind: str
    low: str | None
    high: str | None
    low_inclusive: bool
    high_inclusive: bool



def norm(text: str) -> str:
    """Words as the lexicon keeps them: spaces collapsed, lower case."""
    return _WS.sub(" ", text.strip()).lower()


@dataclass(frozen=True, eq=False)
class NumberLexicon:
    """The lexicon of `numbers.yaml`, checked and normalised (see `read_number_lexicon`)."""

    path: str  # the file it came from
    abbreviations: dict[str, float]
    after: dict[str, str]
    aliases: dict[str, str]
    alternatives: dict[str, float]
    articles: list[str]
    band: float
    before: dict[str, str]
    blocked: list[str]
    change_before: list[str]
    change_separator: str | None
    change_verbs: list[str]
    currency_before: list[str]
    decimal_points: list[str]
    fillers: list[str]
    fractions: dict[str, float]
    inclusive_turns: dict[str, str]
    # qualifier words that are a verb's particle after one of these verbs: "gone up to 34"
    particles: dict[str, frozenset[str]]
    labels_before: list[str]
    labels_then_people: list[str]
    months: list[str]
    multipliers: dict[str, float]
    not_counts: list[str]
    openers: dict[str, list[str]]
    ordinals: list[str]
    people_nouns: list[str]
    phrase_follow: dict[str, tuple[str, ...]]
    phrases: dict[str, float]
    range_joiners: list[str]
    range_separators: list[str]
    readings: dict[str, Reading]
    scales: dict[str, float]
    small_words: list[str]
    suffix_m: float | None
    suffix_units: set[str]
    suffix_units_below: float
    suffixes: dict[str, float]
    units: list[str]
    vague: dict[str, tuple[float | None, float | None]]
    vague_follow: dict[str, tuple[str, ...]]
    year_from: float
    year_to: float
    # a count above it is beyond any plausible population: a diagnostic, never a claim
    max_count: float | None = None


def read_number_lexicon(config: Any, path: str = "rules/numbers.yaml") -> NumberLexicon:
    """The lexicon of a parsed `numbers.yaml`; a malformed one raises `RuleError` at its line."""
    if not isinstance(config, Mapping):
        raise RuleError("the numbers config must be a mapping", path, line_of(config))
    lex = SimpleNamespace()
    for key in REQUIRED_KEYS:
        if key not in config:
            raise RuleError(f"missing key `{key}`", path, line_of(config))
    unknown = sorted(set(config) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise RuleError(
            f"unknown key `{unknown[0]}` "
            f"(expected one of {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})",
            path,
            line_of(config, unknown[0]),
        )
    band = config["band"]
    if isinstance(band, bool) or not isinstance(band, int | float) or not 0 <= band < 1:
        raise RuleError(
            f"`band` must be a number in [0, 1), got {band!r}", path, line_of(config, "band")
        )
    lex.band = float(band)

    readings = _mapping(config, "readings", path)
    lex.readings = {}
    for name, spec in readings.items():
        if not isinstance(spec, Mapping):
            raise RuleError(
                f"reading `{name}` must be a mapping", path, line_of(readings, name)
            )
        kind = spec.get("kind")
        if kind not in ("exact", "lower", "upper", "approx"):
            raise RuleError(
                f"reading `{name}`: `kind` must be exact, lower, upper or approx, got {kind!r}",
                path,
                line_of(spec, "kind"),
            )
        for bound in ("low", "high"):
            if spec.get(bound) not in _BOUND_EXPRESSIONS:
                raise RuleError(
                    f"reading `{name}`: `{bound}` must be one of v, v*(1-band), v*(1+band) "
                    f"or null, got {spec.get(bound)!r}",
                    path,
                    line_of(spec, bound),
                )
        for flag in ("low_inclusive", "high_inclusive"):
            if not isinstance(spec.get(flag, False), bool):
                raise RuleError(
                    f"reading `{name}`: `{flag}` must be true or false",
                    path,
                    line_of(spec, flag),
                )
        lex.readings[name] = Reading(
            kind,
            spec.get("low"),
            spec.get("high"),
            bool(spec.get("low_inclusive", False)) and spec.get("low") is not None,
            bool(spec.get("high_inclusive", False)) and spec.get("high") is not None,
        )

    qualifiers = _mapping(config, "qualifiers", path)
    lex.before = {}
    lex.after = {}
    for name, spec in qualifiers.items():
        if name not in lex.readings:
            raise RuleError(
                f"qualifier group `{name}` names no reading "
                f"(readings: {', '.join(lex.readings)})",
                path,
                line_of(qualifiers, name),
            )
        if not isinstance(spec, Mapping) or not set(spec) <= {"before", "after"}:
            raise RuleError(
                f"qualifier group `{name}` must map `before` and/or `after` to word lists",
                path,
                line_of(qualifiers, name),
            )
        for side, table in (("before", lex.before), ("after", lex.after)):
            if side in spec:
                for phrase in _words_list(spec, side, path):
                    table[norm(phrase)] = name

    ranges = _mapping(config, "ranges", path)
    openers = _mapping(ranges, "openers", path)
    lex.openers = {
        norm(k): [norm(s) for s in _words_list(openers, k, path)] for k in openers
    }
    lex.range_separators = [norm(s) for s in _words_list(ranges, "separators", path)]
    lex.range_joiners = [norm(s) for s in _words_list(ranges, "joiners", path)]
    lex.alternatives = (
        {norm(k): v for k, v in _number_map(ranges, "alternatives", path).items()}
        if "alternatives" in ranges
        else {}
    )
    lex.change_separator = None
    lex.change_before = []
    lex.change_verbs = []
    if "change" in ranges:
        change = _mapping(ranges, "change", path)
        lex.change_separator = norm(str(change.get("separator", "")))
        lex.change_before = [norm(w) for w in _words_list(change, "before", path)]
        lex.change_verbs = ([norm(w) for w in _words_list(change, "verbs", path)]
                             if "verbs" in change else [])

    lex.inclusive_turns = {}
    if "inclusive_after" in config:
        inclusive = _mapping(config, "inclusive_after", path)
        turns = _mapping(inclusive, "turns", path)
        for strict, inclusive_name in turns.items():
            if strict not in lex.readings or inclusive_name not in lex.readings:
                raise RuleError(
                    f"inclusive_after: `{strict}: {inclusive_name}` must map a reading to a "
                    f"reading (readings: {', '.join(lex.readings)})",
                    path,
                    line_of(turns, strict),
                )
            lex.inclusive_turns[str(strict)] = str(inclusive_name)
        for phrase in _words_list(inclusive, "words", path):
            lex.after[norm(phrase)] = INCLUSIVE

    lex.particles = {}
    if "particles" in config:
        particles = _mapping(config, "particles", path)
        verbs = frozenset(norm(w) for w in _words_list(particles, "after", path))
        for phrase in _words_list(particles, "words", path):
            if norm(phrase) not in lex.before:
                raise RuleError(f"particles: `{phrase}` is not a qualifier of `qualifiers`",
                                path, line_of(particles, "words"))
            lex.particles[norm(phrase)] = verbs

    lex.vague = {}
    lex.vague_follow = {}
    vague = _mapping(config, "vague", path)
    for phrase, spec in vague.items():
        if not isinstance(spec, Mapping) or "low" not in spec:
            raise RuleError(
                f"vague `{phrase}` needs at least `low`", path, line_of(vague, phrase)
            )
        low = _number(spec, "low", path, positive=False)
        high = _number(spec, "high", path) if spec.get("high") is not None else None
        if high is not None and high < low:
            raise RuleError(
                f"vague `{phrase}`: `high` is below `low`", path, line_of(spec, "high")
            )
        lex.vague[norm(phrase)] = (low, high)
        if spec.get("followed_by"):
            lex.vague_follow[norm(phrase)] = _followers(spec, path)

    lex.phrases = {}
    lex.phrase_follow = {}
    phrases = config.get("phrases") or {}
    if not isinstance(phrases, Mapping):
        raise RuleError("`phrases` must be a mapping", path, line_of(config, "phrases"))
    for phrase, spec in phrases.items():
        if not isinstance(spec, Mapping):
            raise RuleError(
                f"phrase `{phrase}` must be a mapping", path, line_of(phrases, phrase)
            )
        lex.phrases[norm(phrase)] = _number(spec, "value", path, positive=False)
        if spec.get("followed_by"):
            lex.phrase_follow[norm(phrase)] = _followers(spec, path)

    words = _mapping(config, "words", path)
    lex.small_words = [
        norm(w) for w in _words_list(words, "units", path) + _words_list(words, "tens", path)
    ]
    lex.scales = _number_map(words, "scales", path)
    aliases = _mapping(words, "aliases", path)
    lex.aliases = {norm(k): norm(str(v)) for k, v in aliases.items()}
    lex.articles = [norm(w) for w in _words_list(words, "articles", path)]
    lex.decimal_points = (
        [norm(w) for w in _words_list(words, "decimal_points", path)]
        if "decimal_points" in words
        else []
    )
    lex.multipliers = _number_map(config, "multipliers", path)
    lex.max_count = _number(config, "max_count", path) if "max_count" in config else None
    lex.fractions = _number_map(config, "fractions", path)
    lex.abbreviations = _number_map(config, "abbreviations", path)
    lex.suffixes = {str(k): v for k, v in _number_map(config, "suffixes", path).items()}
    lex.suffix_m = (
        _number(config, "suffix_m_before_people", path)
        if "suffix_m_before_people" in config
        else None
    )
    lex.suffix_units = set()
    lex.suffix_units_below = 0.0
    if "suffix_units" in config:
        suffix_units = _mapping(config, "suffix_units", path)
        lex.suffix_units = set(_words_list(suffix_units, "letters", path))
        lex.suffix_units_below = _number(suffix_units, "below", path)
    years = _mapping(config, "years", path)
    lex.year_from = _number(years, "from", path)
    lex.year_to = _number(years, "to", path)
    lex.people_nouns = _words_list(config, "people_nouns", path)
    units = _mapping(config, "units", path)
    lex.fillers = _words_list(units, "fillers", path) if "fillers" in units else []
    lex.units = [
        u for group in units if group != "fillers" for u in _words_list(units, group, path)
    ]
    lex.currency_before = _words_list(config, "currency_before", path)
    lex.labels_before = _words_list(config, "labels_before", path)
    lex.labels_then_people = _words_list(config, "labels_then_people", path)
    lex.months = _words_list(config, "months", path)
    lex.ordinals = _words_list(config, "ordinals", path)
    lex.not_counts = _words_list(config, "not_counts", path)
    blocked = _mapping(config, "blocked", path)
    lex.blocked = []
    for name, pattern in blocked.items():
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise RuleError(
                f"blocked `{name}`: bad regular expression: {exc}", path, line_of(blocked, name)
            ) from None
        lex.blocked.append(str(pattern))
    return NumberLexicon(path=path, **vars(lex))


def _followers(spec: Mapping[str, Any], path: str) -> tuple[str, ...]:
    """`followed_by`: one word, or a list of the words a phrase counts before."""
    follow = spec["followed_by"]
    words = _words_list(spec, "followed_by", path) if isinstance(follow, list) else [str(follow)]
    return tuple(norm(w) for w in words)


def _words_list(parent: Mapping[str, Any], key: str, path: str) -> list[str]:
    items = parent.get(key)
    if not isinstance(items, list) or not all(isinstance(x, str | int | float) for x in items):
        raise RuleError(f"`{key}` must be a list of words", path, line_of(parent, key))
    return [str(x) for x in items]


def _number(container: Mapping[str, Any], key: str, path: str, *, positive: bool = True) -> float:
    value = container.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or (positive and value <= 0):
        raise RuleError(
            f"`{key}` must be a {'positive ' if positive else ''}number, got {value!r}",
            path,
            line_of(container, key),
        )
    return float(value)


def _mapping(container: Mapping[str, Any], key: str, path: str) -> Mapping[str, Any]:
    value = container.get(key)
    if not isinstance(value, Mapping):
        raise RuleError(f"`{key}` must be a mapping", path, line_of(container, key))
    return value


def _number_map(container: Mapping[str, Any], key: str, path: str) -> dict[str, float]:
    table = _mapping(container, key, path)
    return {str(word): _number(table, word, path) for word in table}


