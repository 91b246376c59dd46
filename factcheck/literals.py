"""Required literals: text any match of a rule pattern must contain, a cheap test before it runs."""

from __future__ import annotations

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
# A brace that is no count ({2}, {1,3}, {,4}) may open a fuzzy constraint ("{e<=1}").
_FUZZY = regex.compile(r"\{(?!\d*,?\d*\})")
_SHORTEST = 2  # a literal of one character rules out too little to be worth a test


def fold(text: str) -> str:
    """Text as `required_literals` compares it: case folded (so "Said" and "SAID" → "said")."""
    if "\u0130" in text or "\u0131" in text:
        text = text.translate(_DOTTED_I)
    return text.casefold()


def required_literals(pattern: regex.Pattern) -> Literals | None:
    """Folded strings one of which is inside every match of `pattern`, or None when the
    pattern's syntax does not tell (then the pattern must simply be run).

    Only the pattern's plain ASCII text counts, so the test is safe under any case rule;
    zero-width assertions, classes, optional and repeated parts count for nothing."""
    if _re_parser is None or pattern.flags & ~_KNOWN_FLAGS:
        return None
    source = pattern.pattern
    if not isinstance(source, str) or "[:" in source:  # POSIX classes: read differently
        return None
    source = _PROPERTY.sub(lambda m: m.group(0) if m.group(0) == "\\\\" else r"\w", source)
    if _FUZZY.search(source):  # fuzzy matching: a match may miss any of the pattern's text
        return None
    flags = 0
    for ours, theirs in ((regex.IGNORECASE, 2), (regex.MULTILINE, 8), (regex.DOTALL, 16),
                         (regex.VERBOSE, 64)):
        if pattern.flags & ours:
            flags |= theirs
    try:
        parsed = _re_parser.parse(source, flags)
    except Exception:  # syntax only the regex module knows (or a parser of another version)
        return None
    try:
        literals = _sequence(list(parsed))
    except (TypeError, ValueError, AttributeError):  # a parse tree of a shape we do not know
        return None
    if not literals or any(len(literal) < _SHORTEST for literal in literals):
        return None
    return literals


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
    """A printable ASCII character other than the braces of the regex module's fuzzy syntax."""
    return 0x20 <= code < 0x7F and chr(code) not in "{}"


def _better(candidate: Literals, best: Literals) -> bool:
    """Longer shortest literal first (rarer in text), then fewer literals (fewer tests)."""
    return (min(map(len, candidate)), -len(candidate)) > (min(map(len, best)), -len(best))
