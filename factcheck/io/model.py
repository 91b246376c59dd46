"""What a loaded report is: its text and the metadata it states, and what a load skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import Problem


@dataclass(frozen=True, slots=True)
class Document:
    """One report, its text and what its metadata states (None where it states nothing)."""

    doc: str  # the report's name as loaded: the path as given, or `corpus.jsonl#<id>` for a record
    text: str  # the whole text that positions refer to (for a file: the whole decoded file)
    body_start: int = 0  # offset in `text` where the report body starts (after front matter/date)
    outlet: str | None = None  # `source` in front matter, manifest or corpus column
    published: date | None = None
    title: str | None = None
    url: str | None = None
    event: str | None = None
    story: str = ""  # the story this report is compared within (see `metadata.story_of`)
    path: str = ""  # the file the report came from
    record: int | None = None  # 1-based line (JSONL) or row (CSV) of a corpus record
    metadata: dict[str, Any] = field(default_factory=dict)  # every other metadata key, kept


@dataclass
class LoadResult:
    """The reports that loaded, and one `Problem` per input skipped or metadata value dropped."""

    documents: list[Document]
    problems: list[Problem]
