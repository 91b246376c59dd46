"""Numbers stage: find the figures in a text and read each as a value or an interval.

The lexicon (qualifier words and their readings, vague counts, units, labels, months, number
words) lives in `rules/numbers.yaml`; this module compiles it once into a few regular
expressions and reads each match. `NumberReader.find` returns counts only: years, dates,
times, measures, money, percentages, ordinals and labels are recognised and dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from text_to_num import text2num

from ..ruleset.numbers import INCLUSIVE, NumberLexicon, norm, read_number_lexicon
from ..yamlio import load_yaml_file


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A figure as written ("at least 84"), with the interval it stands for."""

    start: int  # span in the text, qualifier words included
    end: int
    text: str  # the words as written, e.g. "at least forty-eight"
    # the figure as stated (84 for "at least 84"); None for ranges and vague words
    value: float | None
    low: float | None  # interval; None means unbounded on that side
    high: float | None
    low_inclusive: bool
    high_inclusive: bool
    qualifier: str | None  # the qualifier words as written ("at least", "Over"), else None
    kind: str  # exact | lower | upper | approx | range | vague
    number_start: int  # span of the number itself, without the qualifier
    number_end: int

    def contains(self, x: float) -> bool:
        """Whether the figure `x` lies in this mention's interval."""
        if self.low is not None and (x < self.low or (x == self.low and not self.low_inclusive)):
            return False
        return not (
            self.high is not None
            and (x > self.high or (x == self.high and not self.high_inclusive))
        )


KINDS = ("exact", "lower", "upper", "approx", "range", "vague")
_WS = re.compile(r"\s+")
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:\.(?=\w))?|\d[\d.,\u00a0\u2009\u202f ]*\d|\d|\.\d+")
# A digit token as written: thousands by commas (also Indian 12,34,567), by spaces, or none.
_DIGITS = (
    r"(?:\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d\d)+,\d{3}|\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+"
    r"|\d{1,3}(?: \d{3})+|\d+)(?!\d)(?:\.\d+)?|\.\d+"
)
# Characters a mention can follow. A literal set (no \W) lets the engine skip through words fast.
_LEADS = r" \t\n\r\f\v\u00a0\u2009\u202f(\[{\"'“‘«—–/:;,*_|<>~=+-"
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}
_GLUED_M = re.compile(r"\dm\Z")
_GLUED_SUFFIX = re.compile(r"(?<=\d)[^\W\d_]{1,2}\Z")
# A figure has at most this many parts (each scale below the one before: "4 million 3 thousand 2
# hundred and 1") and words ("nine hundred and ninety-nine thousand nine hundred and ninety-nine"
# is 11); the bounds keep a long run of number words from being read in quadratic time.
_MAX_PARTS = 8
_MAX_WORDS = 24
_WORD_COMMA = re.compile(r"[^\W\d_],")
# Where a figure written in parts may be split: a comma, "and", "&", or a space before digits.
_PART_SEPARATOR = re.compile(r",[^\S\n]+|[^\S\n]*&[^\S\n]*|[^\S\n]+and[^\S\n]+|[^\S\n]+(?=\d)")


@dataclass(frozen=True, slots=True)
class _Figure:
    """A number read from its words: value, and the scale it ends with ("two million" → 1e6)."""

    start: int
    end: int
    value: float
    trail: float
    plain_digits: bool  # written as bare digits, no grouping, decimal or scale ("2017")


# --------------------------------------------------------------------------------------------
# regex building


def _trie(phrases: Iterable[str], space: str = r"\s+") -> str:
    """A regex matching any of `phrases`, factored as a trie so a failing match fails fast.

    Spaces in a phrase match `space`. The longest phrase wins where several share a prefix.
    """
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for atom in (space if ch == " " else re.escape(ch) for ch in _WS.sub(" ", phrase.strip())):
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        terminal = "" in node
        branches = [atom + emit(child) for atom, child in node.items() if atom != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return f"(?:{body})?"
        return body

    return emit(root) if root else "(?!)"


def _round(x: float) -> float:
    return x if x.is_integer() else round(x, 9)


class NumberReader:
    """Finds count mentions in text; build it once with `from_config` and reuse it."""

    def __init__(self, lexicon: NumberLexicon) -> None:
        self.lexicon = lexicon
        self.path = lexicon.path
        self._compile()

    @classmethod
    def from_config(cls, config: Mapping[str, Any], path: str = "rules/numbers.yaml"
                    ) -> NumberReader:
        """Build a reader from parsed `numbers.yaml`; a malformed config raises `RuleError`."""
        return cls(read_number_lexicon(config, path))

    # ----------------------------------------------------------------------------------------
    # compiling

    def _compile(self) -> None:
        lex = self.lexicon
        ws = r"\s+"
        small = _trie(lex.small_words + list(lex.aliases))
        scale_words = list(lex.scales) + list(lex.multipliers)
        scale = _trie(scale_words)
        any_word = _trie(lex.small_words + list(lex.aliases) + scale_words)
        article = _trie(lex.articles)
        fraction = _trie(lex.fractions)
        end = r"(?![\w'’])"
        sp = r"[^\S\n]+"  # spaces within a line: a figure never runs on to the next line
        hyphen = r"[^\S\n]*[-‑][^\S\n]*"
        # "and" joins number words only after a scale: "two hundred and six", not "two and six".
        # One lookbehind per word length (a lookbehind has a fixed width): fewer to try.
        by_length: dict[int, list[str]] = {}
        for word in sorted(scale_words):
            by_length.setdefault(len(word), []).append(re.escape(word))
        after_scale = "(?:" + "|".join(f"(?<={'|'.join(w)})" for w in by_length.values()) + ")"
        and_join = rf"(?:{sp}and{sp}|[^\S\n]*&[^\S\n]*)"
        # A comma continues a figure only into a scaled part: "three million, two hundred", but
        # "of the three hundred, forty were hurt" is two figures.
        scaled_ahead = rf"(?=(?:(?:{small}|{article}){end}(?:{hyphen}|{sp}))+{scale}{end})"
        join_plain = rf"(?:{hyphen}|{sp})"
        join_scale = rf"{after_scale}(?:{and_join}|,{sp}{scaled_ahead})"
        # A fraction after a scale adds that part of it: "a million and a half", "one billion and
        # three quarters million".
        frac_cont = (
            rf"{after_scale}{and_join}(?:{article}|{small}){ws}{fraction}"
            rf"(?:(?:{ws}of)?(?:{ws}{article})?{ws}{scale})?{end}"
        )
        point = _trie(lex.decimal_points) if lex.decimal_points else "(?!)"
        # Spoken decimals: "two point three million", "nine point nought four".
        decimal_tail = (
            rf"(?:{ws}{point}{ws}{small}{end}(?:(?:{hyphen}|{sp}){small}{end})*"
            rf"(?:{ws}{scale}{end})*)?"
        )
        words_num = (
            rf"(?:{small}|{article}{ws}{scale}){end}"
            # a fraction before "and" + words, so "two million and one half" is not cut at "one"
            rf"(?:{join_plain}{any_word}{end}|{frac_cont}|{join_scale}{any_word}{end})*"
            rf"{decimal_tail}"
        )
        fraction_num = (
            rf"(?:(?:{article}|{small}){ws}(?:and{ws}(?:{article}|one){ws})?)?{fraction}"
            rf"(?:{ws}of)?(?:{ws}{article})?{ws}{scale}{end}"
        )
        abbrev = _trie(lex.abbreviations)
        # The main pattern runs over the lower-cased text (literal tries are much faster without
        # IGNORECASE); scales whose case matters ("10M" vs "700m") are checked on the original.
        suffix = "|".join(
            re.escape(s) for s in sorted({x.lower() for x in lex.suffixes}, key=len, reverse=True)
        )
        if lex.suffix_m:
            suffix = f"{suffix}|m" if suffix else "m"
        people = _trie(lex.people_nouns)
        digit_scales = rf"(?:{sp}|[^\S\n]*-[^\S\n]*){scale}{end}(?:{ws}{scale}{end})*"
        # After a scale, a figure goes on as it would in words: "4 thousand 3 hundred and 21",
        # "6 crore and two hundred", "3 million and a half". A bare number after "and" is the
        # remainder below a hundred or a thousand, so at most three digits (never a year).
        digit_cont = (
            rf"(?:{frac_cont}|{after_scale}(?:{and_join}(?:(?:{_DIGITS}){digit_scales}"
            rf"|\d{{1,3}}(?!\w|[.,]\d)|{words_num})"
            rf"|,{sp}{scaled_ahead}{words_num}|{sp}(?:{_DIGITS}){digit_scales}))"
        )
        digits_num = (
            rf"(?:{_DIGITS})(?:(?:{suffix or '(?!)'})(?!\w)|[^\S\n]?{abbrev}(?!\w)"
            rf"|{digit_scales}{digit_cont}*"
            rf"|{ws}and{ws}(?:a|one){ws}{fraction}{ws}{scale}{end})?"
        )
        # Not glued to a word, a currency sign or another number ("£2,000" must not yield "000").
        # Nor the minutes of "2:00" or the inches of a height written 5'7.
        guard_digits = r"(?<![\w.$€£¥₹#@])(?<!\d,)(?<!\d[:'’′])"
        guard_words = r"(?<![\w'’-])"
        tail = rf"(?:{guard_words}(?:{fraction_num}|{words_num}))"
        # Nor the feet of a height (5'7) or the hours of a time or the terms of a ratio ("2:00").
        guard_after = r"(?![\w]|\.\d|['’′:]\d)"
        num_b = rf"(?:{guard_digits}{digits_num}{guard_after}|{tail})"
        num = rf"(?:{guard_digits}(?<![^\W\d_][-‑]){digits_num}{guard_after}|{tail})"
        symbol_sep = [s for s in lex.range_separators if not s[0].isalnum()]
        word_sep = [s for s in lex.range_separators if s[0].isalnum()]
        # A suspended hyphen may precede a word separator: "five- to ten-year", "8- to 16-meter".
        sep = rf"(?:[^\S\n]*(?:{_trie(symbol_sep)})[^\S\n]*|[-‑]?{ws}{_trie(word_sep)}{ws})"
        opener_seps = sorted({s for seps in lex.openers.values() for s in seps})
        o_symbol = [s for s in opener_seps if not s[0].isalnum()]
        o_word = [s for s in opener_seps if s[0].isalnum()]
        opener_sep = rf"(?:[^\S\n]*(?:{_trie(o_symbol)})[^\S\n]*|[-‑]?{ws}{_trie(o_word)}{ws})"
        pre = _trie(lex.before)
        # An after-qualifier is not one when its closing words begin a before-qualifier of a
        # figure that follows: "200 or greater than 190", "5000 or equal to 6000", "10 and more
        # than 20" (but "200 or greater than." and "more than 5000 or equal to it" keep it).
        number_ahead = rf"{ws}(?:[\d.]|(?:{small}|{article}{ws}{scale}){end})"
        post_alts = []
        for phrase in sorted(lex.after, key=len, reverse=True):
            words = phrase.split()
            heads = {
                b[len(tail) :].strip()
                for tail in (" ".join(words[i:]) for i in range(1, len(words)))
                for b in lex.before
                if b == tail or b.startswith(tail + " ")
            }
            guard = ""
            if heads:
                ahead = "|".join(
                    (rf"{ws}{_trie([h])}(?![\w'’])" if h else "") + number_ahead
                    for h in sorted(heads)
                )
                guard = rf"(?!{ahead})"
            post_alts.append(_trie([phrase]) + guard)
        post = "(?:" + ("|".join(post_alts) or "(?!)") + ")"

        def followed(table: Mapping[str, Any], follow: Mapping[str, tuple[str, ...]]) -> str:
            alts = []
            for phrase in sorted(table, key=len, reverse=True):
                words = follow.get(phrase)
                tail = rf"(?={ws}(?:{'|'.join(map(re.escape, words))})\b)" if words \
                    else r"(?![\w'’-])"
                alts.append(_trie([phrase]) + tail)
            return "|".join(alts) or "(?!)"

        blocked = "|".join(f"(?:{p})" for p in lex.blocked)
        not_counts = _trie(lex.not_counts)
        # Where a match can start at all: a digit, a symbol qualifier, or a whole starting
        # phrase (so "a" only counts before "dozen", "few", "hundred"...). The lookahead keeps
        # the engine's work at every other position to one fast literal trie.
        word_starts = [
            *lex.before, *lex.vague, *lex.phrases, *lex.openers, *lex.not_counts,
            *lex.small_words, *lex.aliases, *lex.fractions, "http", "https", "www",
            *(f"{a} {w}" for a in lex.articles for w in [*scale_words, *lex.fractions]),
        ]  # fmt: skip
        symbol_starts = sorted({p[0] for p in lex.before if not p[0].isalnum()})
        trigger = (
            rf"(?=[\d.{''.join(re.escape(c) for c in symbol_starts)}]"
            rf"|(?<![\w-])(?<!\w['’]){_trie(w for w in word_starts if w[0].isalnum())}(?![\w'’]))"
        )
        alternatives = (
            rf"{trigger}(?:(?P<skip>(?<![\w.,])(?i:{blocked})|(?<![\w-]){not_counts}(?![\w-]))"
            rf"|(?<![\w-])(?P<vague>{followed(lex.vague, lex.vague_follow)})"
            rf"|(?<![\w-])(?P<phrase>{followed(lex.phrases, lex.phrase_follow)})"
            rf"|(?<!\w)(?P<opener>{_trie(lex.openers)}){ws}(?P<ra>{num})(?P<rsep>{opener_sep})(?P<rb>{num_b})"
            rf"|(?:(?P<pre>(?:(?<!\w)(?=\w)|(?=[^\w\s])){pre})(?:{ws}|(?<=[^\w\s])[^\S\n]*))?"
            rf"(?P<a>{num})(?:(?P<sep>{sep})(?P<b>{num_b}))?"
            rf"(?P<post>(?:[^\S\n]+|(?=[^\w\s])){post}(?![\w]))?)"
        )
        # Every match after the first starts just after a non-word character; consuming that
        # character lets the engine skip through words in C instead of trying each position.
        self._pattern = re.compile(rf"[{_LEADS}](?P<m>{alternatives})")
        self._head = re.compile(rf"(?P<m>{alternatives})")
        self._digits = re.compile(_DIGITS)
        units_ci = [u for u in lex.units if len(u) > 1 and u == u.lower()]
        units_cs = [u for u in lex.units if not (len(u) > 1 and u == u.lower())]
        fillers = _trie(lex.fillers) if lex.fillers else "(?!)"
        unit_end = r"(?:(?<=[^\w\s])|(?![\w]))"
        line_ws = r"[^\S\n]+"
        self._after_unit = re.compile(
            rf"[^\S\n]*(?:[-‑–][^\S\n]*)?(?:(?i:of|{fillers}){line_ws})?"
            rf"(?:(?i:{_trie(units_ci, line_ws)})|{_trie(units_cs, line_ws)}){unit_end}"
        )
        self._after_ordinal = re.compile(rf"[-‑](?i:{_trie(lex.ordinals)})\b")
        months = _trie(lex.months)
        self._after_month = re.compile(rf"(?:st|nd|rd|th)?\s*,?\s+(?:of\s+)?(?:{months})\b")
        self._months = set(lex.months)
        self._labels = {w.lower() for w in lex.labels_before}
        self._currency = set(lex.currency_before)
        self._people_labels = {w.lower() for w in lex.labels_then_people}
        self._after_people = re.compile(rf"[^\S\n]+(?i:{people})\b")
        joiners = "|".join(
            rf"[^\S\n]+{re.escape(j)}[^\S\n]+"
            if j[0].isalnum()
            else rf"[^\S\n]*{re.escape(j)}[^\S\n]*"
            for j in lex.range_joiners
        )
        self._joiner = re.compile(f"(?i:{joiners or '(?!)'})")
        self._token = _WORD_TOKEN
        self._scale_value = {**lex.scales, **lex.multipliers}
        self._points = set(lex.decimal_points)
        self._change = (
            re.compile(rf"(?<![\w'’])(?:{_trie(lex.change_before)}){sp}\Z")
            if lex.change_before
            else None
        )
        # "raised the toll from 40 to 46": a change verb a few words before "from"
        self._change_from = (
            re.compile(rf"(?<![\w'’])(?:{_trie(lex.change_verbs)})(?:\s+\S+){{0,5}}\s*\Z")
            if lex.change_verbs
            else None
        )

    # ----------------------------------------------------------------------------------------
    # reading numbers

    def _evaluate(self, text: str) -> tuple[float, float, bool] | None:
        """Value, trailing scale and bare-digits flag of a number as written, or None."""
        if text.isdigit():
            return float(text), 1.0, True
        # A comma between words splits the figure into parts that only _compound may join.
        split = "," in text and _WORD_COMMA.search(text) is not None
        read = None if split else self._evaluate_part(text)
        return read if read is not None else self._compound(text)

    def _evaluate_part(self, text: str) -> tuple[float, float, bool] | None:
        digits = self._digits.match(text)
        if digits:
            raw = digits.group()
            base = float(re.sub(r"[,\s\u00a0\u2009\u202f]", "", raw))
            rest = text[digits.end() :]
            plain = raw.isdigit() and not rest.strip()
            tokens = self._token.findall(rest)
            return self._apply_scales(base, tokens, plain)
        aliases = self.lexicon.aliases
        tokens = [aliases.get(t, t) for t in (tok.lower() for tok in self._token.findall(text))]
        if not tokens:
            return None
        if self._points and any(t in self._points for t in tokens):
            return self._decimal(tokens)
        if any(t in self.lexicon.fractions for t in tokens):
            return self._fraction(tokens)
        return self._words_value(tokens)

    def _compound(self, text: str) -> tuple[float, float, bool] | None:
        """A figure in parts joined after a scale: "4 thousand 3 hundred and 21", "6 crore and two
        hundred", "three million, two hundred & forty", "3 million and a half".

        Each part must be smaller than the scale before it ("3 hundred and 2.12 hundred" is two
        figures), and a part after a comma or a bare space must carry its own scale.
        """
        parts = [(joiner, text[s:e]) for joiner, s, e in self._parts(text)]
        if len(parts) < 2:
            return None
        first = self._evaluate_part(parts[0][1])
        if first is None or first[1] <= 1:
            return None
        total, trail = first[0], first[1]
        for joiner, part in parts[1:]:
            share = self._bare_fraction(part)
            if share is not None:
                if joiner == ",":
                    return None
                value, scale = share * trail, trail
            else:
                read = self._evaluate_part(part)
                if read is None:
                    return None
                value, scale = read[0], read[1]
                bare_digits = part[:1].isdigit() and scale <= 1
                if (joiner in (",", " ") and scale <= 1) or (
                    bare_digits and not (part.isdigit() and len(part) <= 3)
                ):
                    return None
            if not 0 < value < trail:
                return None
            total += value
            trail = scale
        return total, trail, False

    def _parts(self, text: str) -> list[tuple[str, int, int]]:
        """(joiner, start, end) of each part of a figure written in parts; the joiner (",",
        "and", "&" or " ") is "" for the first part. A part ends only with a scale word."""
        parts: list[tuple[str, int, int]] = []
        at, joiner = 0, ""
        for sep in _PART_SEPARATOR.finditer(text):
            before = text[at : sep.start()]
            last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
            if last in self._scale_value:
                parts.append((joiner, at, sep.start()))
                joiner, at = sep.group().strip() or " ", sep.end()
        parts.append((joiner, at, len(text)))
        return parts

    def _bare_fraction(self, text: str) -> float | None:
        """The share named by "a half", "one half", "three quarters", "two thirds", else None."""
        aliases = self.lexicon.aliases
        tokens = [aliases.get(t, t) for t in (tok.lower() for tok in self._token.findall(text))]
        if len(tokens) < 2 or tokens[-1] not in self.lexicon.fractions:
            return None
        head = tokens[:-1]
        if len(head) == 1 and head[0] in self.lexicon.articles:
            count = 1.0
        else:
            count_read = self._plain(head)
            if count_read is None:
                return None
            count = count_read
        return count * self.lexicon.fractions[tokens[-1]]

    def _decimal(self, tokens: list[str]) -> tuple[float, float, bool] | None:
        """Spoken decimals: each word after the point gives its digits as said ("point seventy-one"
        is .71, "point nought four" .04); a scale may follow ("two point three million")."""
        k = next(i for i, t in enumerate(tokens) if t in self._points)
        whole = self._words_value(tokens[:k]) if k else None
        if whole is None:
            return None
        digits = ""
        i = k + 1
        while i < len(tokens) and tokens[i] not in self._scale_value:
            value = self._plain([tokens[i]])
            if value is None:
                return None
            n = int(value)
            after = self._plain([tokens[i + 1]]) if i + 1 < len(tokens) else None
            if n >= 20 and n % 10 == 0 and after is not None and 0 < after < 10:
                n += int(after)  # "seventy-one" is the two digits 71
                i += 1
            digits += str(n)
            i += 1
        if not digits:
            return None
        scale = 1.0
        for tok in tokens[i:]:
            factor = self._scale_value.get(tok)
            if factor is None:
                return None
            scale *= factor
        return (whole[0] + float("0." + digits)) * scale, scale, False

    def _apply_scales(
        self, base: float, tokens: list[str], plain: bool
    ) -> tuple[float, float, bool] | None:
        value, trail = base, 1.0
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            factor = self.lexicon.suffixes.get(tok)
            if factor is None and tok == "m" and self.lexicon.suffix_m:
                factor = self.lexicon.suffix_m
            if factor is None:
                low = tok.lower()
                if (
                    low == "and"
                    and trail == 1.0
                    and i + 2 < len(tokens)
                    and tokens[i + 2].lower() in self.lexicon.fractions
                ):
                    # "3 and a half million": the fraction joins the figure before the scale
                    # ("3 million and a half" adds half the scale: that is _compound's)
                    value += self.lexicon.fractions[tokens[i + 2].lower()]
                    i += 3
                    continue
                factor = self.lexicon.abbreviations.get(low) or self._scale_value.get(low)
            if factor is None:
                return None
            value *= factor
            trail *= factor
            i += 1
        return value, trail, plain

    def _fraction(self, tokens: list[str]) -> tuple[float, float, bool] | None:
        k = next(i for i, t in enumerate(tokens) if t in self.lexicon.fractions)
        head = [t for t in tokens[:k] if t not in ("and",)]
        whole = 0.0
        numerator = 1.0
        if "and" in tokens[:k]:  # "five and a half million"
            split = tokens.index("and")
            whole_value = self._words_value(tokens[:split])
            if whole_value is None or whole_value[1] > 1:
                return None  # "one billion and a half million" adds parts: _compound's
            whole = whole_value[0]
            head = tokens[split + 1 : k]
        if head and head[-1] not in self.lexicon.articles:
            head_value = self._words_value(head)
            if head_value is None:
                return None
            numerator = head_value[0]
        scale = 1.0
        for tok in tokens[k + 1 :]:
            if tok in ("of", *self.lexicon.articles):
                continue
            factor = self._scale_value.get(tok)
            if factor is None:
                return None
            scale *= factor
        if scale == 1.0:
            return None
        return (whole + numerator * self.lexicon.fractions[tokens[k]]) * scale, scale, False

    def _words_value(self, tokens: Sequence[str]) -> tuple[float, float, bool] | None:
        """Read number words: text2num for the plain part, the reader's own multipliers after."""
        if tokens and tokens[0] in self.lexicon.articles:
            tokens = ["one", *tokens[1:]]
        total = 0.0
        group: float | None = None
        plain: list[str] = []
        for tok in tokens:
            if tok in self.lexicon.multipliers:
                base = group if group is not None and not plain else self._plain(plain)
                if base is None:
                    return None
                group = base * self.lexicon.multipliers[tok]
                plain = []
            elif tok == "and" and group is not None and not plain:
                total += group
                group = None
            else:
                plain.append(tok)
        if plain:
            rest = self._plain(plain)
            if rest is None:
                return None
            total += (group or 0.0) + rest
        elif group is not None:
            total += group
        else:
            return None
        last = tokens[-1]
        trail = self._scale_value.get(last, 1.0) if len(tokens) > 1 else 1.0
        return total, trail, False

    def _changed_from(self, m: re.Match[str], text: str, opener: str) -> bool:
        """Whether "from X to Y" follows a change verb: an old and a new level, two figures."""
        if self._change_from is None or norm(opener) != "from":
            return False
        start = m.start("m")
        return self._change_from.search(text[max(0, start - 60) : start].lower()) is not None

    @staticmethod
    def _plain(words: list[str]) -> float | None:
        # text2num reads "zero four" as 4; spoken digits ("three-nought-four") are each a figure.
        if not words or words[-1] == "and" or (len(words) > 1 and words[0] == "zero"):
            return None
        try:
            return float(text2num(" ".join(words), "en"))
        except ValueError:
            return None

    def _figures(self, text: str, start: int, end: int) -> list[_Figure]:
        """Read text[start:end] as one figure, or split number words that do not form one."""
        piece = text[start:end]
        if _GLUED_M.search(piece) and not self._after_people.match(text, end):
            return []  # "700m" is metres; "2.3m people" is millions
        glued = _GLUED_SUFFIX.search(piece) if piece[-1] in self.lexicon.suffix_units else None
        if glued and glued.group() in self.lexicon.suffix_units:
            digits = self._digits.match(piece)
            below = self.lexicon.suffix_units_below
            if digits and float(re.sub(r"[^\d.]", "", digits.group())) >= below:
                return []  # "1500b" is a unit (bits), not 1.5 trillion
        read = self._evaluate(piece)
        if read is not None:
            return [_Figure(start, end, read[0], read[1], read[2])]
        # Parts that do not add up ("3 hundred and 2 hundred"): the longest runs that do, so a
        # part is never cut in two ("3 hundred and 2" would be wrong).
        spans = [(start + s, start + e) for _, s, e in self._parts(piece)]
        if len(spans) == 1:
            return self._split_words(text, start, end)
        figures: list[_Figure] = []
        i = 0
        while i < len(spans):
            for j in range(min(len(spans), i + _MAX_PARTS), i, -1):
                s, e = spans[i][0], spans[j - 1][1]
                read = self._evaluate(text[s:e])
                if read is not None:
                    figures.append(_Figure(s, e, read[0], read[1], read[2]))
                    i = j
                    break
            else:
                figures.extend(self._split_words(text, *spans[i]))
                i += 1
        return figures

    def _split_words(self, text: str, start: int, end: int) -> list[_Figure]:
        """Number words that are several figures ("one two three"): the longest runs that read."""
        tokens = [(m.start(), m.end()) for m in self._token.finditer(text, start, end)]
        figures: list[_Figure] = []
        i = 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + _MAX_WORDS), i, -1):
                s, e = tokens[i][0], tokens[j - 1][1]
                read = self._evaluate(text[s:e]) if text[s:e].lower() != "and" else None
                if read is not None:
                    figures.append(_Figure(s, e, read[0], read[1], read[2]))
                    i = j
                    break
            else:
                i += 1
        return figures

    # ----------------------------------------------------------------------------------------
    # context

    def _is_year(self, fig: _Figure) -> bool:
        return (
            fig.plain_digits
            and fig.end - fig.start == 4
            and self.lexicon.year_from <= fig.value <= self.lexicon.year_to
        )

    @staticmethod
    def _is_day(fig: _Figure) -> bool:
        return fig.plain_digits and fig.end - fig.start <= 2 and 1 <= fig.value <= 31

    def _rejected(
        self, text: str, start: int, end: int, figs: Sequence[_Figure], limit: int
    ) -> bool:
        """Whether the figure span is a year, date, label, measure or money, not a count."""
        first, last = figs[0], figs[-1]
        if self._after_unit.match(text, end, limit) or self._after_ordinal.match(
            text, last.end, limit
        ):
            return True
        if any(self._is_year(f) for f in figs) and not self._after_people.match(text, end, limit):
            return True
        before = _previous_word(text, first.start)
        if self._is_day(first) and before.rstrip(".,") in self._months:
            return True
        if self._is_day(last) and self._after_month.match(text, last.end, limit):
            return True
        if before in self._currency or before[-1:] in self._currency:
            return True
        label = before.lower()
        return label in self._labels and not (
            label in self._people_labels and self._after_people.match(text, end, limit)
        )

    # ----------------------------------------------------------------------------------------
    # finding

    def find(self, text: str, start: int = 0, end: int | None = None,
             lowered: str | None = None) -> list[NumberMention]:
        """All count mentions within text[start:end], in text order; offsets index `text`.
        `lowered`: `self.lowered(text)`, when the caller reads one text a part at a time."""
        limit = len(text) if end is None else max(start, min(end, len(text)))
        mentions: list[NumberMention] = []
        lowered = self.lowered(text) if lowered is None else lowered
        head = self._head.match(lowered, start, limit)
        matches = self._pattern.finditer(lowered, head.end("m") if head else start, limit)
        for m in (head, *matches) if head else matches:
            if m.group("skip") is None:
                mentions.extend(self._read_match(m, text, limit))
        return self._join_bounds(mentions, text)

    @staticmethod
    def lowered(text: str) -> str:
        """The text in lower case, offset for offset, as `find` scans it."""
        lowered = text.lower()
        if len(lowered) != len(text):  # a few non-ASCII capitals lower to two characters
            lowered = text.translate(_ASCII_LOWER)
        return lowered

    def _read_match(self, m: re.Match[str], text: str, limit: int) -> Iterator[NumberMention]:
        if m.group("vague") is not None:
            if self._after_unit.match(text, m.end("m"), limit):
                return
            low, high = self.lexicon.vague[norm(m.group("vague"))]
            yield _whole_span(m, text, None, low, high, "vague")
            return
        if m.group("phrase") is not None:
            if self._after_unit.match(text, m.end("m"), limit):
                return
            v = self.lexicon.phrases[norm(m.group("phrase"))]
            yield _whole_span(m, text, v, v, v, "exact")
            return
        if m.group("opener") is not None:
            yield from self._range(
                m, text, limit, "ra", "rb", opener=text[m.start("opener") : m.end("opener")]
            )
            return
        if m.group("b") is not None:
            yield from self._range(m, text, limit, "a", "b", opener=None)
            return
        yield from self._single(m, text, limit)

    def _single(self, m: re.Match[str], text: str, limit: int) -> Iterator[NumberMention]:
        a_start, a_end = m.span("a")
        figs = self._figures(text, a_start, a_end)
        if not figs:
            return
        if len(figs) > 1 or figs[0].end != a_end or figs[0].start != a_start:
            # several numbers ("one two three"), or less than was matched ("7.62mm"): each
            # figure on its own, judged by what follows it
            for fig in figs:
                if not self._rejected(text, fig.start, fig.end, [fig], limit):
                    yield self._exact(text, fig)
            return
        fig = figs[0]
        if self._rejected(text, m.start("m"), m.end("m"), [fig], limit):
            return
        pre = text[m.start("pre") : m.end("pre")] if m.group("pre") is not None else None
        post = text[m.start("post") : m.end("post")] if m.group("post") is not None else None
        if pre and _previous_word(text, m.start("m")).lower() in self.lexicon.particles.get(
                norm(pre), ()):
            if not post:  # "has gone up to 34": the verb's particle, and the figure is exact
                yield self._exact(text, fig)
                return
            pre = None
        names = [self.lexicon.before[norm(pre)]] if pre else []
        end = m.end("m")
        if post:
            name = self.lexicon.after[norm(post.strip())]
            if name != INCLUSIVE:
                names.append(name)
            elif names and names[0] in self.lexicon.inclusive_turns:
                names[0] = self.lexicon.inclusive_turns[names[0]]  # "more than 5000 or equal to"
            else:  # "or equal" qualifies only a strict bound; here it is no part of the figure
                post, end = None, m.start("post")
        if not names:
            yield self._exact(text, fig)
            return
        # A bound beats an approximation ("about 500 or more" is at least 500); else the first.
        bounds = [n for n in names if self.lexicon.readings[n].kind in ("lower", "upper")]
        reading = self.lexicon.readings[bounds[0] if bounds else names[0]]
        qualifier = " ... ".join(q for q in (pre, post.strip() if post else None) if q)
        low, high = self._bound(reading.low, fig.value), self._bound(reading.high, fig.value)
        yield NumberMention(
            m.start("m"),
            end,
            text[m.start("m") : end],
            _round(fig.value),
            low,
            high,
            reading.low_inclusive,
            reading.high_inclusive,
            qualifier,
            reading.kind,
            fig.start,
            fig.end,
        )

    def _range(
        self, m: re.Match[str], text: str, limit: int, ga: str, gb: str, opener: str | None
    ) -> Iterator[NumberMention]:
        figs_a = self._figures(text, m.start(ga), m.end(ga))
        figs_b = self._figures(text, m.start(gb), m.end(gb))
        if opener is not None and norm(m.group("rsep")) not in self.lexicon.openers[norm(opener)]:
            opener = None  # "between 30 to 40": read the figures as a bare range
        if len(figs_a) != 1 or len(figs_b) != 1:
            for fig in figs_a + figs_b:
                if not self._rejected(text, fig.start, fig.end, [fig], limit):
                    yield self._exact(text, fig)
            return
        a, b = figs_a[0], figs_b[0]
        if self._rejected(text, m.start("m"), m.end("m"), [a, b], limit):
            return
        low = a.value
        if a.trail == 1.0 and b.trail > 1.0 and a.value * b.trail <= b.value:
            low = a.value * b.trail  # "5-10 million", "two to three hundred"
        if (opener is None and self._two_figures(m, text, low, b.value)) or (
                opener is not None and self._changed_from(m, text, opener)):
            for fig in (a, b):
                if not self._rejected(text, fig.start, fig.end, [fig], limit):
                    yield self._exact(text, fig)
            return
        if low > b.value:
            return  # "3-1" is a score or a label, not a range
        start = m.start("m") if opener is not None else a.start
        yield NumberMention(
            start,
            m.end("m"),
            text[start : m.end("m")],
            None,
            _round(low),
            _round(b.value),
            True,
            True,
            opener,
            "range",
            a.start,
            b.end,
        )

    def _two_figures(self, m: re.Match[str], text: str, low: float, high: float) -> bool:
        """Whether "X sep Y" with no opener is two figures, not a range: alternatives far apart
        ("10 bln or 10 tln"), or a change and its new level ("rose by two to 98")."""
        if m.group("sep") is None:
            return False
        sep = norm(m.group("sep")).lstrip("-‑ ")
        ratio = self.lexicon.alternatives.get(sep)
        if ratio is not None and not low < high < ratio * low:
            return True
        if self._change is None or sep != self.lexicon.change_separator:
            return False
        start = m.start("m")
        return self._change.search(text[max(0, start - 40) : start].lower()) is not None

    @staticmethod
    def _exact(text: str, fig: _Figure) -> NumberMention:
        v = _round(fig.value)
        return NumberMention(
            fig.start,
            fig.end,
            text[fig.start : fig.end],
            v,
            v,
            v,
            True,
            True,
            None,
            "exact",
            fig.start,
            fig.end,
        )

    def _bound(self, expression: str | None, v: float) -> float | None:
        if expression is None:
            return None
        if expression == "v*(1-band)":
            return _round(v * (1 - self.lexicon.band))
        if expression == "v*(1+band)":
            return _round(v * (1 + self.lexicon.band))
        return _round(v)

    def _join_bounds(self, mentions: list[NumberMention], text: str) -> list[NumberMention]:
        """Merge a lower and an upper bound joined by "and" into a range ("over 10, under 40")."""
        if len(mentions) < 2:
            return mentions
        out: list[NumberMention] = []
        for m in mentions:
            prev = out[-1] if out else None
            if (
                prev is not None
                and {prev.kind, m.kind} == {"lower", "upper"}
                and self._joiner.fullmatch(text, prev.end, m.start)
            ):
                lo, hi = (prev, m) if prev.kind == "lower" else (m, prev)
                low, high = lo.low, hi.high
                assert low is not None and high is not None
                if low < high or (low == high and lo.low_inclusive and hi.high_inclusive):
                    out[-1] = NumberMention(
                        prev.start,
                        m.end,
                        text[prev.start : m.end],
                        None,
                        low,
                        high,
                        lo.low_inclusive,
                        hi.high_inclusive,
                        f"{prev.qualifier} ... {m.qualifier}",
                        "range",
                        prev.number_start,
                        m.number_end,
                    )
                    continue
            out.append(m)
        return out


def _previous_word(text: str, start: int) -> str:
    """The word just before `start` ("Flight" in "Flight 370"), opening brackets stripped."""
    head = text[max(0, start - 24) : start]
    if not head[-1:].isspace():  # glued to what precedes it: the digit guards handled that
        return ""
    words = head.split()
    return words[-1].lstrip("([{\"'“‘") if words else ""


def load_number_reader(path: Path) -> NumberReader:
    """Load `numbers.yaml` from `path` and build a reader (a malformed file raises `RuleError`)."""
    return NumberReader.from_config(load_yaml_file(path), str(path))


__all__ = ["KINDS", "NumberMention", "NumberReader", "load_number_reader"]


def _whole_span(
    m: re.Match[str], text: str, value: float | None, low: float | None, high: float | None,
    kind: str,
) -> NumberMention:
    """A mention whose figure is the whole matched span, with no qualifier ("dozens")."""
    start, end = m.start("m"), m.end("m")
    return NumberMention(
        start, end, text[start:end], value, low, high, low is not None, high is not None,
        None, kind, start, end,
    )
