"""What a worker process runs: whole stories read and compared, claims and findings each.

Kept apart from the parent's side (`pipeline`) and free of pandas, so that a spawned worker
imports only the extraction and comparison stages and is ready sooner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .compare.detectors import story_findings
from .compare.model import StoryFinding
from .engines import worker_state
from .errors import Problem
from .extract.claims import ClaimReader
from .extract.context import story_contexts
from .extract.model import CLAIM_COLUMNS
from .io.model import Document
from .ruleset.model import RuleSet

PART_OF = CLAIM_COLUMNS.index("part_of")  # its column in a claim row

Story = list[tuple[int, Document]]  # a story's reports with their positions in the run


@dataclass
class StoryResult:
    """One story read by a worker. Claim rows are in CLAIM_COLUMNS order with no `claim_id`,
    and `part_of` as the story-wide position of the total; findings name claims by their
    story-wide position, each with the position of its group's first claim."""

    story: str
    documents: list[tuple[int, list[list[Any]]]]
    findings: list[tuple[int, int, StoryFinding]]  # (detector, first claim, finding)
    problems: list[Problem] = field(default_factory=list)


_readers: dict[str, ClaimReader] = {}


def _reader() -> tuple[ClaimReader, RuleSet]:
    """This worker's claim reader, built once per rule set it is given."""
    state = worker_state()
    token, rules = state["token"], state["rules"]
    if token not in _readers:
        _readers.clear()
        _readers[token] = ClaimReader(rules)
    return _readers[token], rules


def prepare_worker() -> None:
    """Build this worker's claim reader before its first unit comes (`Engine.prepare`)."""
    _reader()


def read_stories(stories: list[Story]) -> list[StoryResult]:
    """Read and compare whole stories (runs in a worker)."""
    reader, rules = _reader()
    results = []
    for members in stories:
        documents = [document for _, document in members]
        story = documents[0].story
        context = story_contexts(documents, reader.dates)[story]
        before = len(reader.problems)
        per_document: list[tuple[int, list[list[Any]]]] = []
        table: list[dict[str, Any]] = []
        for index, document in members:
            claims = reader.read(document, context)
            for number, claim in enumerate(claims, start=len(table)):
                claim.claim_id = str(number)
            rows = []
            for claim in claims:
                row = claim.row()
                row["part_of"] = claim.total.claim_id if claim.total is not None else None
                table.append(row)
                cells = [row[column] for column in CLAIM_COLUMNS]
                cells[0] = None
                cells[PART_OF] = None if row["part_of"] is None else int(row["part_of"])
                rows.append(cells)
            per_document.append((index, rows))
        findings = story_findings(table, rules)
        results.append(StoryResult(story, per_document, findings, reader.problems[before:]))
    return results
