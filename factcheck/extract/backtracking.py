"""A static check of rule patterns for catastrophic backtracking, read from the parse tree.

A pattern is refused when a repetition without a useful bound holds a body that can match one
text in many ways: a repeated repetition whose neighbours it can swallow (`(a+)+`, `(.*)*`,
`(\\w+\\s?)+`) or two alternatives that match alike (`(a|a)*`, `(a|aa)+`). Time-outs still
bound every search; this check refuses at load what would only ever run out of time.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from .literals import parse_tree

# An outer repetition allowed more times than this is "unbounded": `(\w+ ?){0,30}` tries
# polynomially many ways of a high degree, as bad in practice as `+`.
_BOUND = 8
# Characters tried to tell whether two parts of a pattern can match the same character.
_SAMPLES = tuple(chr(c) for c in range(32, 127)) + tuple("\n\t\u00a0éßİ—–’“”⟨⟩日")
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT"}  # possessive repeats and atomic groups never backtrack
Item = tuple[object, object]
_CHARS: dict[int, frozenset[str]] = {}  # `_chars` of one part, during one check
_FOLDED: dict[str, frozenset[str]] = {}  # the samples that fold to one text
for _sample in _SAMPLES:
    _FOLDED[_sample.casefold()] = _FOLDED.get(_sample.casefold(), frozenset()) | {_sample}


def _name(op: object) -> str:
    """The name of a parse tree's operator (`LITERAL`, `MAX_REPEAT`, …)."""
    return getattr(op, "name", None) or str(op)


def catastrophic(pattern: regex.Pattern) -> str | None:
    """Why `pattern` may backtrack without end (the part that does, as the parser reads it),
    or None when no such part is seen or the pattern cannot be read by the standard parser."""
    tree = parse_tree(pattern)
    if tree is None:
        return None
    _CHARS.clear()
    try:
        return _scan(tree, bool(pattern.flags & regex.IGNORECASE))
    except RecursionError:  # nested deeper than the check goes: the time-outs still bound it
        return None
    finally:
        _CHARS.clear()


def _scan(items: Sequence[Item], fold: bool) -> str | None:
    """The first dangerous repetition in `items`, at any depth."""
    for op, av in items:
        name = _name(op)
        if name in _REPEATS:
            _, high, body = av  # type: ignore[misc]
            if high > _BOUND and (reason := _ambiguous(list(body), fold)):
                return reason
            if found := _scan(body, fold):
                return found
        for inner in _children(name, av):
            if found := _scan(inner, fold):
                return found
    return None


def _children(name: str, av: object) -> list[Sequence[Item]]:
    """The sub-sequences of one item (a group's body, each alternative, a look-around's)."""
    if name == "SUBPATTERN":
        return [av[-1]]  # type: ignore[index]
    if name == "BRANCH":
        return list(av[1])  # type: ignore[index]
    if name in ("ATOMIC_GROUP", "POSSESSIVE_REPEAT"):
        return [av if name == "ATOMIC_GROUP" else av[-1]]  # type: ignore[list-item,index]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [av[1]]  # type: ignore[index]
    if name == "GROUPREF_EXISTS":
        return [part for part in av[1:] if part is not None]  # type: ignore[index]
    return []


def _ambiguous(body: list[Item], fold: bool) -> str | None:
    """Whether a repeated body can match one text in many ways (see the module's doc)."""
    return _walk(body, [], fold)


def _walk(sequence: Sequence[Item], around: list[Item], fold: bool) -> str | None:
    for index, (op, av) in enumerate(sequence):
        name = _name(op)
        others = around + [it for i, it in enumerate(sequence) if i != index]
        if name in _REPEATS and av[1] > _BOUND:  # type: ignore[index]
            inner = _chars(av[2], fold)  # type: ignore[index]
            # every neighbour that must match can be swallowed by the inner repetition
            if inner and all(_nullable([o]) or _chars([o], fold) & inner for o in others):
                return "a repetition inside a repetition that can match the same text"
        elif name == "SUBPATTERN":
            if found := _walk(av[-1], others, fold):  # type: ignore[index]
                return found
        elif name == "BRANCH":
            branches = [list(b) for b in av[1]]  # type: ignore[index]
            if any(branches[i] == branches[j] or _alike(branches[i], branches[j], fold)
                   for i in range(len(branches)) for j in range(i)):
                return "alternatives inside a repetition that match the same text"
            for branch in branches:
                if found := _walk(branch, others, fold):
                    return found
    return None


def _alike(a: list[Item], b: list[Item], fold: bool) -> bool:
    """Two alternatives of which one is a run of the other's one character (`a|aa`)."""
    if not a or not b or len(a) == len(b):
        return False
    if not all(str(op) == "LITERAL" for op, _ in a + b):
        return False
    return len({_fold(chr(av), fold) for _, av in a + b}) == 1  # type: ignore[arg-type]


def _fold(char: str, fold: bool) -> str:
    return char.casefold() if fold else char


def _nullable(items: Sequence[Item]) -> bool:
    """Whether the sequence can match the empty text (a look-around or anchor matches none)."""
    for op, av in items:
        name = _name(op)
        if name in _REPEATS or name == "POSSESSIVE_REPEAT":
            if av[0] > 0 and not _nullable(av[2]):  # type: ignore[index]
                return False
        elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
            if not _nullable(av[-1] if name == "SUBPATTERN" else av):  # type: ignore[index,arg-type]
                return False
        elif name == "BRANCH":
            if not any(_nullable(b) for b in av[1]):  # type: ignore[index]
                return False
        elif name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            return False
    return True


def _chars(items: Sequence[Item], fold: bool) -> frozenset[str]:
    """The sample characters some match of the sequence may hold (each part's read once a
    check: the parse tree stands while it runs, so its parts' ids are theirs)."""
    if len(items) == 1 and (known := _CHARS.get(id(items[0]))) is not None:
        return known
    found: set[str] = set()
    for op, av in items:
        name = _name(op)
        if name == "LITERAL":  # the common case, read without trying every sample
            char = chr(av)  # type: ignore[arg-type]
            found.update(_FOLDED.get(char.casefold(), ()) if fold else
                         ((char,) if char in _SAMPLES else ()))
        elif name in ("NOT_LITERAL", "ANY", "IN"):
            found.update(c for c in _SAMPLES if _member(name, av, c, fold))
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            found.update(_SAMPLES)
        elif name not in ("ASSERT", "ASSERT_NOT"):
            for inner in _children(name, av) + ([av[2]] if name in _REPEATS else []):  # type: ignore[index]
                found |= _chars(inner, fold)
    result = frozenset(found)
    if len(items) == 1:
        _CHARS[id(items[0])] = result
    return result


def _member(name: str, av: object, char: str, fold: bool) -> bool:
    """Whether one character atom of the parse tree matches `char`."""
    if name == "ANY":
        return True
    if name in ("LITERAL", "NOT_LITERAL"):
        same = _fold(chr(av), fold) == _fold(char, fold)  # type: ignore[arg-type]
        return same if name == "LITERAL" else not same
    items = list(av)  # type: ignore[call-overload]
    negate = bool(items) and str(items[0][0]) == "NEGATE"
    hit = any(_in_item(str(op), arg, char, fold) for op, arg in items[negate:])
    return hit != negate


def _in_item(name: str, arg: object, char: str, fold: bool) -> bool:
    if name == "LITERAL":
        return _fold(chr(arg), fold) == _fold(char, fold)  # type: ignore[arg-type]
    if name == "RANGE":
        low, high = arg  # type: ignore[misc]
        return any(low <= ord(c) <= high for c in {char, char.lower(), char.upper()}
                   if len(c) == 1 and (fold or c == char))
    if name == "CATEGORY":
        kind = str(arg)
        tests = {"DIGIT": char.isdigit(), "SPACE": char.isspace(),
                 "WORD": char.isalnum() or char == "_"}
        for key, value in tests.items():
            if kind.endswith("NOT_" + key):
                return not value
            if kind.endswith(key):
                return value
    return True  # anything else the parser may hold: assume it can match
