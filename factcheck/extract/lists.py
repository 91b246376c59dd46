"""Parts of a count: lists of counts, and the parts constructions name.

"81 men and 23 women were injured" is two parts, scoped "men" and "women"; "two teachers
were among the dead" a part scoped "teachers"."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import regex

from ..yamlio import line_of
from .model import Claim
from .numbers import NumberMention
from .patterns import PATTERN_TIMEOUT_SECONDS, Macros

SLOT = "⟨{}⟩"  # a figure's place in a masked sentence; patterns see {N} as this slot
_SLOT_NUMBER = regex.compile(r"⟨(\d+)⟩")

Borrow = Callable[[int, regex.Match, str], Claim | None]


class PartReader:
    """grammar.yaml's `count_list`: what one item of a list of counts is, and what joins two."""

    def __init__(self, grammar: Mapping[str, Any], macros: Macros, source: str):
        lists = grammar.get("count_list") or {}
        self.item = macros.compile(lists["item"], source, line_of(lists, "item"),
                                   key="count_list.item") if lists else None
        self.joint = macros.compile(lists["joint"], source, line_of(lists, "joint"),
                                    key="count_list.joint") if lists else None

    def lists(self, masked: str, mentions: Sequence[NumberMention],
              claims: dict[int, Claim], borrowed: Borrow) -> None:
        """A list of counts joined by commas and "and" where the figures that are claims are
        all of one metric: every figure of the list is a part of that metric, scoped to its
        own words ("men", "women"; "woman" for "a woman")."""
        if self.item is None or self.joint is None:
            return
        runs: list[list[regex.Match]] = []
        for item in self.item.finditer(masked, timeout=PATTERN_TIMEOUT_SECONDS):
            if runs and self.joint.fullmatch(masked, runs[-1][-1].end(), item.start()):
                runs[-1].append(item)
            else:
                runs.append([item])
        for run in runs:
            slots = [int(item.group("n")) for item in run]
            metrics = {claims[s].metric for s in slots if s in claims}
            if len(run) < 2 or len(metrics) != 1:
                continue
            for item, slot in zip(run, slots, strict=True):
                claim = claims.get(slot) or borrowed(slot, item, "count-list")
                if claim is None:
                    continue
                words = _words(item.group("who"))
                if not words and mentions[slot].kind == "implicit":  # "a woman": its noun
                    words = " ".join(mentions[slot].text.split()[1:])
                claim.scope = claim.scope or words or None
                claims[slot] = claim

    def part(self, claims: dict[int, Claim], slot: int, match: regex.Match,
             masked: str) -> None:
        """A part of the event's count a construction names: scoped to the people it names
        ("two teachers were among the dead"), and a part of the total the construction names
        beside it ("among the 140 injured")."""
        claim = claims[slot]
        who = match.group("who") if "who" in match.re.groupindex else None
        if not (who and who.strip()) and self.item is not None:
            item = self.item.match(masked, masked.find(SLOT.format(slot)))
            who = item.group("who") if item else None
        claim.scope = claim.scope or _words(who) or None
        inside = [int(n) for n in _SLOT_NUMBER.findall(match.group(0))]
        totals = [claims[n] for n in inside if n != slot and n in claims
                  and claims[n].metric == claim.metric]
        if totals:
            claim.total = totals[0]


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).strip(".,;:")
