"""Suppression for `check`: inline comments in a draft, and a baseline file of accepted findings."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import regex

from ..errors import FactcheckError

# `<!-- factcheck off -->`, `<!-- factcheck on FC301 -->`, `<!-- factcheck-disable FC302 -->`,
# and Vale's `<!-- factcheck FC301 = NO -->` / `= YES`.
_COMMENT = regex.compile(r"<!--\s*factcheck(?P<disable>-disable)?\b(?P<args>.*?)-->",
                         regex.DOTALL | regex.IGNORECASE)
_CODE = regex.compile(r"^FC\d{3}$")
_VALE = regex.compile(r"^\s*(?P<code>FC\d{3})\s*=\s*(?P<switch>YES|NO)\s*$", regex.IGNORECASE)
BASELINE_VERSION = 1


@dataclass(frozen=True)
class Span:
    """Lines `first`..`last` (1-based, inclusive; `last` None: to the end) where the rules
    `codes` (None: every rule) are switched off."""

    first: int
    last: int | None
    codes: frozenset[str] | None

    def covers(self, code: str, line: int) -> bool:
        return (self.first <= line and (self.last is None or line <= self.last)
                and (self.codes is None or code in self.codes))


@dataclass(frozen=True)
class InlineSuppressions:
    """The spans of a draft its comments switch rules off in."""

    spans: tuple[Span, ...] = ()

    def suppresses(self, code: str, line: int) -> bool:
        return any(span.covers(code, line) for span in self.spans)


def _codes(words: Sequence[str]) -> frozenset[str] | None:
    codes = frozenset(w.upper() for w in words if _CODE.match(w.upper()))
    return codes or None


def _paragraph_after(lines: Sequence[str], line: int, rest: str) -> tuple[int, int] | None:
    """The paragraph a `factcheck-disable` comment on `line` (1-based) applies to: the text
    after the comment on its own line, else the next block of non-blank lines."""
    first = line if rest.strip() else line + 1
    while first <= len(lines) and not lines[first - 1].strip():
        first += 1
    if first > len(lines):
        return None
    last = first
    while last < len(lines) and lines[last].strip():
        last += 1
    return first, last


def inline_suppressions(text: str) -> InlineSuppressions:
    """Read the suppression comments of a draft (Markdown or plain text).

    `<!-- factcheck off -->` … `<!-- factcheck on -->` switch every rule off between them (to
    the end when never switched on); with codes (`<!-- factcheck off FC303 -->`) only those.
    `<!-- factcheck-disable -->` or `<!-- factcheck-disable FC301 FC302 -->` switch rules off for
    the next paragraph. Vale's `<!-- factcheck FC301 = NO -->` and `= YES` work as off and on.
    """
    lines = text.split("\n")
    spans: list[Span] = []
    open_all: int | None = None  # the line where `factcheck off` (every rule) was given
    open_codes: dict[str, int] = {}
    for match in _COMMENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        end_line = text.count("\n", 0, match.end()) + 1
        args = match.group("args").strip()
        if match.group("disable"):
            newline = text.find("\n", match.end())
            rest = text[match.end():newline if newline != -1 else len(text)]
            paragraph = _paragraph_after(lines, end_line, rest)
            if paragraph:
                spans.append(Span(paragraph[0], paragraph[1], _codes(args.replace(",", " ")
                                                                     .split())))
            continue
        vale = _VALE.match(args)
        if vale:
            switch = "off" if vale.group("switch").upper() == "NO" else "on"
            words = [switch, vale.group("code")]
        else:
            words = args.replace(",", " ").split()
        if not words or words[0].lower() not in ("off", "on"):
            continue  # not a directive of ours
        codes = _codes(words[1:])
        if words[0].lower() == "off":
            if codes is None:
                open_all = line if open_all is None else open_all
            else:
                for code in codes:
                    open_codes.setdefault(code, line)
        elif codes is None:
            if open_all is not None:
                spans.append(Span(open_all, line, None))
            spans.extend(Span(start, line, frozenset({code}))
                         for code, start in open_codes.items())
            open_all, open_codes = None, {}
        else:
            for code in codes:
                if code in open_codes:
                    spans.append(Span(open_codes.pop(code), line, frozenset({code})))
    if open_all is not None:
        spans.append(Span(open_all, None, None))
    spans.extend(Span(start, None, frozenset({code})) for code, start in open_codes.items())
    return InlineSuppressions(tuple(spans))


# -------------------------------------------------------------------------- baseline


class Fingerprinted(Protocol):
    """What a finding record gives the baseline: its rule, file and fingerprint."""

    rule: str
    path: str
    fingerprint: str
    quote: str


def fingerprint(*parts: str | None) -> str:
    """A short stable hash of a finding's identity: its rule, file, metric, figure and words,
    never its line, so that an edit above it does not make it new."""
    joined = "\0".join(" ".join((part or "").split()).casefold() for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _key(path: str, fingerprint: str) -> tuple[str, str]:
    return Path(path).as_posix(), fingerprint


def baseline_document(findings: Iterable[Fingerprinted]) -> dict[str, Any]:
    """The baseline file's content for these findings (sorted, so that it diffs well)."""
    entries = sorted(({"rule": f.rule, "path": Path(f.path).as_posix(),
                       "fingerprint": f.fingerprint, "quote": f.quote} for f in findings),
                     key=lambda e: (e["path"], e["rule"], e["fingerprint"]))
    return {"factcheck_baseline": BASELINE_VERSION, "findings": entries}


def baseline_text(findings: Iterable[Fingerprinted]) -> str:
    return json.dumps(baseline_document(findings), indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Baseline:
    """Accepted findings: each (file, fingerprint) as many times as it was accepted."""

    counts: Counter[tuple[str, str]]

    def new_findings(self, findings: Sequence[Any]) -> tuple[list[Any], int]:
        """The findings not in the baseline, and how many were; a finding accepted once
        covers one occurrence, so a second copy of the same words is new."""
        left = Counter(self.counts)
        fresh = []
        for finding in findings:
            key = _key(finding.path, finding.fingerprint)
            if left[key] > 0:
                left[key] -= 1
            else:
                fresh.append(finding)
        return fresh, len(findings) - len(fresh)


def load_baseline(path: str | Path) -> Baseline:
    """Read a baseline file written by `--write-baseline`; a broken one is an error (exit 2)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FactcheckError("baseline file not found", path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise FactcheckError(f"cannot read baseline: {error}", path) from None
    except json.JSONDecodeError as error:
        raise FactcheckError(f"not a baseline file: {error.msg}", path, error.lineno) from None
    if not isinstance(data, dict) or data.get("factcheck_baseline") != BASELINE_VERSION \
            or not isinstance(data.get("findings"), list):
        raise FactcheckError("not a factcheck baseline (expected \"factcheck_baseline\": "
                             f"{BASELINE_VERSION} and a \"findings\" list)", path)
    counts: Counter[tuple[str, str]] = Counter()
    for number, entry in enumerate(data["findings"], start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) \
                or not isinstance(entry.get("fingerprint"), str):
            raise FactcheckError(f"baseline entry {number} needs 'path' and 'fingerprint'",
                                 path)
        counts[_key(entry["path"], entry["fingerprint"])] += 1
    return Baseline(counts)


_ANY_COMMENT = regex.compile(r"<!--.*?-->", regex.DOTALL)


def blank_comments(text: str) -> str:
    """`text` with every HTML comment turned into spaces (line breaks kept): a reader never sees
    a comment, so it is no part of a sentence, and every position stays where it was."""
    return _ANY_COMMENT.sub(lambda m: regex.sub(r"[^\n]", " ", m.group()), text)
