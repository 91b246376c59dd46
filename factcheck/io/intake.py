"""One load's intake: where what it skips is told, and how the reports it reads become documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import FactcheckError, Problem, nearest_names
from .metadata import GROUP_FIELDS, story_of
from .model import Document


@dataclass
class Intake:
    """The problems of one load, and the story its reports are grouped by (`group_by`)."""

    group_by: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # Whether `group_by` is a field some report states (always, for a standard one), and else
    # the metadata keys the reports do state, to suggest the nearest.
    grouped: bool = False
    keys: set[str] = field(default_factory=set)
    keys_seen: int = 0  # reports whose keys were looked at

    def __post_init__(self) -> None:
        by = self.group_by
        self.grouped = by is None or by == "folder" or by.lower() in GROUP_FIELDS

    def check_group_by(self) -> None:
        """After the load: a `group_by` no report states is a usage error (a mistyped field
        would put every report in one story without a word)."""
        if self.grouped or self.group_by is None or not self.keys_seen:
            return  # with no report at all, "no reports found" says what is wrong
        known = sorted({*self.keys, "folder", *GROUP_FIELDS})
        nearest = ", ".join(nearest_names(self.group_by, known)) or "none"
        raise FactcheckError(f"--group-by {self.group_by!r}: no report states a field or "
                             f"column of that name (nearest: {nearest}; 'folder' groups by "
                             "folder)")

    def problem(self, name: str, message: str, line: int | None = None) -> None:
        """An input skipped, or a metadata value dropped: `name:line: message`."""
        self.problems.append(Problem(name, message, line))

    def document(self, fields: dict[str, Any], folder: str, **known: Any) -> Document:
        """A report's document: `known` (doc, text, positions) and the metadata `fields` it
        states, in the story `group_by` puts it in (`folder` is its folder, or its corpus)."""
        story = story_of(fields, self.group_by, folder)
        if not self.grouped:
            metadata = fields.get("metadata", {})
            self.grouped = self.group_by in metadata
            self.keys.update(metadata)
            self.keys_seen += 1
        return Document(**known, **fields, story=story)
