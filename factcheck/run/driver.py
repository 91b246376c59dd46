"""The one driver of a run: the rule set it uses, a story's claims read and numbered, compared."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..compare.detectors import FINDING_KINDS
from ..ruleset.load import load_ruleset
from ..ruleset.model import RuleSet


def load_rules(dirs: Sequence[str | Path] | None = None) -> RuleSet:
    """The shipped rules with each folder of `dirs` laid over them (later ones win), each
    finding rule's kind one a detector finds (`compare.detectors`)."""
    return load_ruleset(dirs, finding_kinds=FINDING_KINDS)


def ruleset_of(rules: RuleSet | Sequence[str | Path] | None) -> RuleSet:
    """`rules` when it is a loaded rule set, else the rule set its folders give."""
    return rules if isinstance(rules, RuleSet) else load_rules(rules)
