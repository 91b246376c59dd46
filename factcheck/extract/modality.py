"""Modality: whether a claim is a count, an estimate or a projection.

A projection's words may also bound its figure: "could reach 20,000" is at most 20,000."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import regex

from ..yamlio import line_of
from .grammar import Reading
from .model import Claim
from .patterns import compile_pattern, words_alternation

_WINDOW_WORDS = 4  # default words before a construction whose modal verb may govern it


class ModalityReader:
    """grammar.yaml's `modality` words and `projection_bounds`, read into each claim."""

    def __init__(self, grammar: Mapping[str, Any], source: str):
        modality = grammar.get("modality") or {}
        # "in May", "the will of", "May 3": a month or a noun, no modal verb
        not_after = grammar.get("modality_not_after") or []
        guard = rf"(?<!\b(?:{words_alternation(not_after)})\s+)" if not_after else ""
        not_before = grammar.get("modality_not_before")
        guard_after = f"(?!{not_before})" if not_before else ""
        self.markers = [(str(kind), compile_pattern(
            rf"{guard}\b(?:{words_alternation(words)})\b{guard_after}", source,
            line_of(modality, kind), key=f"modality.{kind}"))
            for kind, words in modality.items()]
        bounds = grammar.get("projection_bounds") or {}
        self.bounds = [(str(side), compile_pattern(
            rf"(?:{pattern})\s*$", source, line_of(bounds, side),
            key=f"projection_bounds.{side}"))
            for side, pattern in bounds.items()]
        self.window = int(grammar.get("modality_window_words", _WINDOW_WORDS))

    def read(self, claim: Claim, reading: Reading, match: regex.Match) -> None:
        """Set a claim's modality: its construction's, else that of the first modality words
        in the construction's words or the few words before them ("we may record more than
        1,000 dead"). A projection's figure with no qualifier takes the bound its words put on
        it, and those words as its qualifier ("could reach")."""
        if reading.modality:
            claim.modality = reading.modality
        else:
            before = match.string[:match.start()].split()[-self.window:] if self.window else []
            words = " ".join([*before, match.group(0)])
            claim.modality = next((kind for kind, markers in self.markers
                                   if markers.search(words)), claim.modality)
        if claim.modality != "projection" or claim.qualifier is not None \
                or claim.value is None:
            return
        before = match.string[match.start():match.start("n") - 1].rstrip("“\"‘«'")
        for side, pattern in self.bounds:
            bound = pattern.search(before)
            if bound is None:
                continue
            claim.qualifier = " ".join(bound.group(0).split())
            if side == "upper":
                claim.low, claim.high = None, claim.value
                claim.low_inclusive, claim.high_inclusive = False, True
            else:
                claim.low, claim.high = claim.value, None
                claim.low_inclusive, claim.high_inclusive = False, False
            return
