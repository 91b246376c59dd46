"""One load's intake: where what it skips is told, and how the reports it reads become documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from .metadata import story_of
from .model import Document


@dataclass
class Intake:
    """The problems of one load, and the story its reports are grouped by (`group_by`)."""

    group_by: str | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, name: str, message: str, line: int | None = None) -> None:
        """An input skipped, or a metadata value dropped: `name:line: message`."""
        self.problems.append(Problem(name, message, line))

    def document(self, fields: dict[str, Any], folder: str, **known: Any) -> Document:
        """A report's document: `known` (doc, text, positions) and the metadata `fields` it
        states, in the story `group_by` puts it in (`folder` is its folder, or its corpus)."""
        story = story_of(fields, self.group_by, folder)
        return Document(**known, **fields, story=story)
