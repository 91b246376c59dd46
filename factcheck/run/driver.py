"""The one driver of a run: a story's claims read and numbered, then compared.

The rule set it uses, each story's claims read and numbered, and compared into findings. The
API, the workers, the store path, `check` and the rule cases all read claims through it, so
that every path gives the same claims, ids and findings.

Pandas-free on purpose: a `--jobs` worker imports it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compare.detectors import FINDING_KINDS, compare_claims, story_findings
from ..compare.model import StoryFinding
from ..errors import Problem
from ..extract.claims import ClaimReader
from ..extract.context import StoryContext, story_contexts
from ..extract.model import CLAIM_COLUMNS, Claim
from ..extract.places import scope_places
from ..io.documents import load_documents
from ..io.model import Document
from ..resources import shipped_seeds_dir
from ..ruleset.load import load_ruleset
from ..ruleset.model import RuleSet

PART_OF = CLAIM_COLUMNS.index("part_of")  # its column in a claim row

Story = list[tuple[int, Document]]  # a story's reports with their positions in the run


def load_rules(dirs: Sequence[str | Path] | None = None) -> RuleSet:
    """The shipped rules with each folder of `dirs` laid over them (later ones win), each
    finding rule's kind one a detector finds (`compare.detectors`)."""
    return load_ruleset(dirs, finding_kinds=FINDING_KINDS)


def ruleset_of(rules: RuleSet | Sequence[str | Path] | None) -> RuleSet:
    """`rules` when it is a loaded rule set, else the rule set its folders give."""
    return rules if isinstance(rules, RuleSet) else load_rules(rules)


def report_paths(paths: Sequence[str | Path] | None) -> list[str | Path]:
    """The paths a run reads: those given, or the shipped sample reports."""
    return list(paths) if paths else [shipped_seeds_dir()]


def documents_of(paths: Sequence[str | Path] | None, group_by: str | None = None,
                 exclude: Sequence[str] = ()) -> tuple[list[Document], list[Problem]]:
    """The reports under `paths` (default: the shipped sample reports) but those `exclude`
    leaves out (`io.exclude`), and what was skipped."""
    loaded = load_documents(report_paths(paths), group_by=group_by, exclude=exclude)
    return loaded.documents, loaded.problems


def number_claims(claims: list[Claim], first: int = 1, prefix: str = "c") -> list[Claim]:
    """Give claims their ids in order (`c1`, `c2`, …; a worker numbers by position, "0", "1",
    …), and each part of a total its total's id in `part_of`."""
    for number, claim in enumerate(claims, start=first):
        claim.claim_id = f"{prefix}{number}"
    for claim in claims:
        claim.part_of = claim.total.claim_id if claim.total is not None else None
    return claims


@dataclass
class StoryResult:
    """One story read by a worker. Claim rows are in CLAIM_COLUMNS order with no `claim_id`,
    and `part_of` as the story-wide position of the total; findings name claims by their
    story-wide position, each with its detector and the position of its group's first claim."""

    story: str
    documents: list[tuple[int, list[list[Any]]]]
    findings: list[tuple[int, int, StoryFinding]]  # (detector, first claim, finding)
    problems: list[Problem] = field(default_factory=list)


_SHARED: dict[int, tuple[RuleSet, ClaimReader]] = {}  # the last rule set's reader, by id


def shared_reader(rules: RuleSet) -> ClaimReader:
    """The claim reader of a rule set, compiled once in a process: compiling the grammar's
    constructions over every lexicon takes about a second, and `eval` reads a story at a time."""
    known = _SHARED.get(id(rules))
    if known is None or known[0] is not rules:
        _SHARED.clear()
        known = _SHARED[id(rules)] = (rules, ClaimReader(rules))
    return known[1]


class Driver:
    """Reads claims with one claim reader, story by story, and compares them with the rules.

    A rule pattern that runs out of time is skipped where it did, and reported once in
    `problems`."""

    def __init__(self, rules: RuleSet, reader: ClaimReader | None = None) -> None:
        self.rules = rules
        self._reader = reader

    @property
    def reader(self) -> ClaimReader:
        """The claim reader, compiled from the rules when first needed (comparing needs none),
        once per rule set in a process; the time-outs of an earlier run are forgotten."""
        if self._reader is None:
            self._reader = shared_reader(self.rules)
            self._reader.timeouts.clear()
        return self._reader

    @property
    def problems(self) -> list[Problem]:
        """The rule patterns that ran out of time so far, each once."""
        return self._reader.problems if self._reader is not None else []

    def contexts(self, documents: Sequence[Document]) -> dict[str, StoryContext]:
        """What each story fixes for its reports (the years of undated ones)."""
        return story_contexts(documents, self.reader.dates)

    def read(self, document: Document, context: StoryContext | None = None) -> list[Claim]:
        """The claims of one report, in text order, not yet numbered."""
        return self.reader.read(document, context)

    def read_reports(self, documents: Sequence[Document]) -> list[list[Claim]]:
        """Each report's claims, read in the context its story fixes; then each story's claims
        scoped to the countries they are put in, when a story speaks of several."""
        contexts = self.contexts(documents)
        reports = [self.read(document, contexts[document.story]) for document in documents]
        by_story: dict[str, list[Claim]] = {}
        for document, claims in zip(documents, reports, strict=True):
            by_story.setdefault(document.story, []).extend(claims)
        for story, claims in by_story.items():
            texts = (d.text[d.body_start:] for d in documents if d.story == story)
            scope_places(claims, texts, self.reader.places)
        return reports

    def claims(self, documents: Sequence[Document]) -> list[Claim]:
        """Every claim of the reports, numbered c1… in document order."""
        return number_claims([claim for claims in self.read_reports(documents)
                              for claim in claims])

    def findings(self, rows: Iterable[Mapping[str, Any]]) -> list[StoryFinding]:
        """The findings of a claims table's rows, numbered f1… (`compare.detectors`)."""
        return compare_claims(rows, self.rules)

    def story(self, members: Story, compare: bool = True) -> StoryResult:
        """A whole story read and compared, its claims numbered by position in the story (the
        parent numbers them over the run): what a worker sends back. With `compare` False the
        claims only, no findings (for `claims`, which prints none)."""
        documents = [document for _, document in members]
        before = len(self.problems)
        reports = self.read_reports(documents)
        number_claims([claim for claims in reports for claim in claims], first=0, prefix="")
        table: list[dict[str, Any]] = []
        per_document: list[tuple[int, list[list[Any]]]] = []
        for (index, _), claims in zip(members, reports, strict=True):
            rows = []
            for claim in claims:
                row = claim.row()
                table.append(row)
                cells = [row[column] for column in CLAIM_COLUMNS]
                cells[0] = None
                cells[PART_OF] = None if row["part_of"] is None else int(row["part_of"])
                rows.append(cells)
            per_document.append((index, rows))
        findings = story_findings(table, self.rules) if compare else []
        return StoryResult(documents[0].story, per_document, findings, self.problems[before:])


def read_claims(documents: Sequence[Document], rules: RuleSet,
                problems: list[Problem] | None = None) -> list[Claim]:
    """Extract the claims of documents, numbered c1… in document order. A rule pattern that
    runs out of time is skipped where it did, and reported in `problems` when given."""
    driver = Driver(rules)
    claims = driver.claims(documents)
    if problems is not None:
        problems.extend(driver.problems)
    return claims
