"""Required literals: text any match of a rule pattern must contain, a cheap test before it runs."""

from __future__ import annotations

import functools
import unicodedata
import warnings
from collections.abc import Iterable, Sequence

import regex

try:  # the standard library's own regular-expression parser: it reads the syntax we share
    from re import _parser as _re_parser
except ImportError:  # pragma: no cover - another Python: no prefilter, every pattern runs
    _re_parser = None

Literals = tuple[str, ...]

# The regex module matches these two without case against "i" and "I", which str.casefold does
# not; `fold` maps them to "i" first so that a case-insensitive match is always a folded one.
_DOTTED_I = {0x130: "i", 0x131: "i"}
# Flags under which the standard parser reads a pattern as the regex module does (VERSION0).
_KNOWN_FLAGS = (regex.IGNORECASE | regex.MULTILINE | regex.DOTALL | regex.VERBOSE
                | regex.ASCII | regex.UNICODE | regex.VERSION0)
# \p{…} classes are the regex module's own; as far as literals go they are any class.
_PROPERTY = regex.compile(r"\\\\|\\[pP](?:\{[^}]*\}|[A-Za-z])")
# A named group's opening (not an escaped parenthesis before "?P<").
_NAMED_GROUP = regex.compile(r"(?<!\\)\(\?P<\w+>")
# A brace that is no count ({2}, {1,3}, {,4}) may open a fuzzy constraint ("{e<=1}").
_FUZZY = regex.compile(r"\{(?!\d*,?\d*\})")


def fold(text: str) -> str:
    """Text as `required_literals` compares it: case folded (so "Said" and "SAID" → "said")."""
    if "\u0130" in text or "\u0131" in text:
        text = text.translate(_DOTTED_I)
    return text.casefold()


def required_literals(pattern: regex.Pattern) -> Literals | None:
    """Folded strings one of which is inside every match of `pattern`, or None when the
    pattern's syntax does not tell (then the pattern must simply be run).

    Only the pattern's plain ASCII text and caseless punctuation and symbols count, so the test
    is safe under any case rule; zero-width assertions, classes, optional and repeated parts
    count for nothing. One character is enough (a "," spares a run as well as a word)."""
    parsed = parse_tree(pattern)
    if parsed is None:
        return None
    try:
        literals = _sequence(parsed)
    except (TypeError, ValueError, AttributeError):  # a parse tree of a shape we do not know
        return None
    return literals or None


def leading_literals(pattern: regex.Pattern) -> Literals | None:
    """Folded strings one of which every match of `pattern` begins with, or None when the
    pattern's syntax does not tell: then a match may begin anywhere."""
    parsed = parse_tree(pattern)
    if parsed is None:
        return None
    try:
        literals = _leading(parsed)
    except (TypeError, ValueError, AttributeError, RecursionError):
        return None
    if not literals:
        return None
    # a literal that begins with another adds no offsets of its own: keep the shorter
    kept = sorted(literals, key=len)
    return tuple(lit for i, lit in enumerate(kept) if not lit.startswith(tuple(kept[:i])))


def first_words(words: Iterable[str]) -> Literals | None:
    """What a match of `words_alternation(words)` begins with: each word's first word,
    folded. None when some word does not begin with plain ASCII (its folded form may not stand
    where it does) or with a space."""
    found = []
    for word in map(str, words):
        first = word.split(" ")[0]
        if not first or not first.isascii() or not first.isprintable():
            return None
        found.append(first.lower())
    kept = sorted(set(found), key=len)
    return tuple(w for i, w in enumerate(kept) if not w.startswith(tuple(kept[:i])))


def literal_starts(literals: Literals, folded: str) -> list[int]:
    """Every offset of `folded` where one of the literals begins, in order."""
    starts: set[int] = set()
    for literal in literals:
        at = folded.find(literal)
        while at >= 0:
            starts.add(at)
            at = folded.find(literal, at + 1)
    return sorted(starts)


def word_offsets(pattern: regex.Pattern, words: Literals | None, text: str, start: int,
                 folded: str) -> list[int]:
    """Where `pattern.finditer(text, start)` finds a match, when every match begins with one of
    `words` (`first_words` of the words the pattern alternates): those words are found by a
    plain substring search of `folded` (`fold(text)`) and the pattern is tried there only."""
    if words is None or len(folded) != len(text):  # offsets would not carry over
        return [m.start() for m in pattern.finditer(text, start)]
    places: set[int] = set()
    for word in words:
        at = folded.find(word, start)
        while at >= 0:
            places.add(at)
            at = folded.find(word, at + 1)
    found: list[int] = []
    cursor = start
    for at in sorted(places):
        if at >= cursor and (match := pattern.match(text, at)):
            found.append(at)
            cursor = max(match.end(), at + 1)
    return found


def matches_at(pattern: regex.Pattern, text: str, starts: Iterable[int],
               first: bool = False, overlapped: bool = False,
               timeout: float | None = None, pos: int = 0,
               endpos: int | None = None) -> list[regex.Match]:
    """What `pattern.finditer(text, pos, endpos, overlapped=overlapped)` gives when every match
    begins at one of `starts` (offsets in order, within pos..endpos, such as `literal_starts`
    of the pattern's leading literals on the folded text): the pattern is tried there only,
    skipping offsets inside the match before unless `overlapped`. With `first`, the first
    match only (what `search` gives). `timeout` bounds each try, as it bounds a `finditer`."""
    found: list[regex.Match] = []
    cursor = pos
    for at in starts:
        if at < cursor:
            continue
        match = pattern.match(text, at, endpos, timeout=timeout)
        if match is None:
            continue
        if match.end() == at:  # an empty match: only a full scan follows finditer's rules
            every = list(pattern.finditer(text, pos, endpos, overlapped=overlapped,
                                          timeout=timeout))
            return every[:1] if first else every
        found.append(match)
        if first:
            break
        if not overlapped:
            cursor = match.end()
    return found


@functools.lru_cache(maxsize=4096)  # read by several checks of one pattern: parse it once
def parse_tree(pattern: regex.Pattern) -> list[tuple[object, object]] | None:
    """The pattern as the standard library's parser reads it, or None when it may read it
    otherwise than the regex module does (never to be changed: it is shared)."""
    if _re_parser is None or pattern.flags & ~_KNOWN_FLAGS:
        return None
    source = pattern.pattern
    if not isinstance(source, str) or "[:" in source:  # POSIX classes: read differently
        return None
    source = _PROPERTY.sub(lambda m: m.group(0) if m.group(0) == "\\\\" else r"\w", source)
    # group names do not make literals, and the regex module lets one name stand twice
    source = _NAMED_GROUP.sub("(?:", source)
    if _FUZZY.search(source):  # fuzzy matching: a match may miss any of the pattern's text
        return None
    flags = 0
    for ours, theirs in ((regex.IGNORECASE, 2), (regex.MULTILINE, 8), (regex.DOTALL, 16),
                         (regex.VERBOSE, 64)):
        if pattern.flags & ours:
            flags |= theirs
    try:
        with warnings.catch_warnings():  # "possible nested set" and the like: not ours to say
            warnings.simplefilter("ignore")
            return list(_re_parser.parse(source, flags))
    except Exception:  # syntax only the regex module knows (or a parser of another version)
        return None


def might_match(literals: Literals | None, folded: str) -> bool:
    """False only when the folded text holds none of a pattern's required literals."""
    if literals is None:
        return True
    for literal in literals:  # noqa: SIM110 - a plain loop: any() over a generator is slower
        if literal in folded:
            return True
    return False


def _sequence(items: Sequence[tuple[object, object]]) -> Literals | None:
    """The best requirement among the parts of a sequence (runs of characters included)."""
    best: Literals | None = None
    run: list[str] = []

    def consider(candidate: Literals | None) -> None:
        nonlocal best
        if candidate and (best is None or _better(candidate, best)):
            best = candidate

    for op, argument in items:
        name = str(op)
        if name == "LITERAL" and isinstance(argument, int) and _plain(argument):
            run.append(chr(argument).lower())
            continue
        if run:
            consider(("".join(run),))
            run = []
        if name == "SUBPATTERN":
            consider(_sequence(list(argument[-1])))  # type: ignore[index]
        elif name == "ATOMIC_GROUP":
            consider(_sequence(list(argument)))  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = argument  # type: ignore[misc]
            if low >= 1:
                consider(_sequence(list(body)))
        elif name == "BRANCH":
            consider(_branches(argument[1]))  # type: ignore[index]
    if run:
        consider(("".join(run),))
    return best


def _branches(branches: Iterable[Sequence[tuple[object, object]]]) -> Literals | None:
    """Every alternative must give a requirement; the union is the requirement."""
    found: list[str] = []
    for branch in branches:
        literals = _sequence(list(branch))
        if not literals:
            return None
        found.extend(literals)
    # a literal that contains another is implied by it: keep the shorter
    kept = sorted(set(found), key=len)
    return tuple(lit for i, lit in enumerate(kept) if not any(k in lit for k in kept[:i]))


def _plain(code: int) -> bool:
    """A character a literal may hold: printable ASCII other than the braces of the regex
    module's fuzzy syntax, or punctuation or a symbol without case ("©", "⟨", "“"), which the
    regex module matches without case to itself only (a test checks every one) and `fold`
    leaves alone."""
    if 0x20 <= code < 0x7F:
        return chr(code) not in "{}"
    char = chr(code)
    return (code >= 0x80 and unicodedata.category(char)[0] in "PS"
            and char.lower() == char == char.upper() == char.casefold())


def _better(candidate: Literals, best: Literals) -> bool:
    """Longer shortest literal first (rarer in text), then fewer literals (fewer tests)."""
    return (min(map(len, candidate)), -len(candidate)) > (min(map(len, best)), -len(best))


_ZERO_WIDTH = {"AT", "ASSERT", "ASSERT_NOT", "END_OF_ROUND"}
_END_OF_ROUND = ("END_OF_ROUND", None)  # ends a run of text, matches nothing
_MOST_LEADING = 256  # more ways to begin than this: not worth the search


def _leading(items: list[tuple[object, object]]) -> set[str] | None:
    """The literal texts a match of this sequence begins with; None when it may begin with
    anything else (a class, a non-ASCII character) or be empty."""
    for index, (op, argument) in enumerate(items):
        name = str(op)
        rest = items[index + 1:]
        if name in _ZERO_WIDTH:
            continue
        if name == "LITERAL":
            run = []
            for op2, argument2 in items[index:]:
                if str(op2) != "LITERAL" or not isinstance(argument2, int) \
                        or not _plain(argument2):
                    break
                run.append(chr(argument2).lower())
            return {"".join(run)} if run else None
        if name == "IN":  # a set of plain characters ("[“\"‘]"), each of which may begin it
            if all(str(op2) == "LITERAL" and isinstance(code, int) and _plain(code)
                   for op2, code in argument):  # type: ignore[union-attr]
                return {chr(code).lower() for _, code in argument}  # type: ignore[union-attr]
            return None
        if name == "SUBPATTERN":
            return _leading(list(argument[-1]) + rest)  # type: ignore[index]
        if name == "ATOMIC_GROUP":
            return _leading(list(argument) + rest)  # type: ignore[call-overload]
        if name == "BRANCH":
            found: set[str] = set()
            for branch in argument[1]:  # type: ignore[index]
                leading = _leading(list(branch) + rest)
                if leading is None:
                    return None
                found |= leading
                if len(found) > _MOST_LEADING:
                    return None
            return found
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = argument  # type: ignore[misc]
            # another round may follow the body, so a run of text ends with it
            leading = _leading([*body, _END_OF_ROUND, *rest])
            if leading is None or low >= 1:
                return leading
            skipped = _leading(rest)
            if skipped is None or len(leading | skipped) > _MOST_LEADING:
                return None
            return leading | skipped
        return None  # a class, any character, a back reference: it may begin with anything
    return None  # the match may be empty here
