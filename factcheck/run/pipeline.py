"""Runs at scale: a corpus streamed through the driver a story at a time.

A corpus streamed through extraction and comparison a story at a time, in this process, in N
processes or on a Dask cluster, giving exactly the tables `analyse` gives.

A run reads its inputs twice. The first pass counts each story's reports (and reports what it
cannot read); the second gathers a story's reports until the last one is read and sends the
whole story to a worker, which infers its years, reads its claims and compares them (a story's
year inference and findings need all its reports, and nothing else). The parent numbers the
claims c1… in document order as stories come back, writes them out at once, and keeps the
findings until the end only as a spool file and sort keys. Memory is what the stories open at
once hold: in a corpus sorted by story, one story per worker; in one that interleaves stories,
every story started and not finished.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ..compare.model import FINDING_COLUMNS
from ..errors import FactcheckError, Problem, SkippedInputError
from ..extract.model import CLAIM_COLUMNS
from ..fileio import finish, naming, open_beside, replace_all, temporary_beside
from ..io.documents import iter_documents, load_documents
from ..io.exclude import mark_outputs
from ..report.cells import claim_groups
from ..report.tables import FINDINGS_CSV_COLUMNS, csv_cell, finding_claim_rows
from ..ruleset.model import RuleSet
from .census import StoryCensus
from .driver import PART_OF, Story, StoryResult, report_paths, ruleset_of
from .engines import Engine, make_engine
from .frames import claims_table, findings_table
from .progress import RunProgress
from .worker import prepare_worker, read_stories

# A unit of work is whole stories adding up to at least this many reports: enough to make the
# cost of sending it to a worker small, few enough to keep every worker busy to the end.
UNIT_REPORTS = 32


# --------------------------------------------------------------------------- first pass

@dataclass
class StoryPlan:
    """What the first pass found: how many reports each story has, and what it skipped."""

    sizes: dict[str, int]
    reports: int
    problems: list[Problem]


def plan_stories(paths: Sequence[str | Path], group_by: str | None,
                 on_report: Callable[[int], None] | None = None,
                 exclude: Sequence[str] = (), census: StoryCensus | None = None) -> StoryPlan:
    """Count the reports of each story, reading the inputs a record at a time (but those
    `exclude` leaves out)."""
    problems: list[Problem] = []
    sizes: dict[str, int] = {}
    count = 0
    for document in iter_documents(paths, group_by, problems, exclude):
        sizes[document.story] = sizes.get(document.story, 0) + 1
        count += 1
        if census is not None:
            census.add(document)
        if on_report is not None and count % 1000 == 0:
            on_report(count)
    if not count:
        load_documents(paths, group_by, exclude)  # raises the plain run's "no reports found"
    return StoryPlan(sizes, count, problems)


def story_units(paths: Sequence[str | Path], group_by: str | None, plan: StoryPlan,
                unit_reports: int = UNIT_REPORTS, exclude: Sequence[str] = ()
                ) -> Iterator[list[Story]]:
    """The second pass: complete stories, in the order their last report is read, grouped into
    units of at least `unit_reports` reports."""
    open_stories: dict[str, Story] = {}
    unit: list[Story] = []
    size = 0
    index = -1
    for index, document in enumerate(iter_documents(paths, group_by, exclude=exclude)):
        members = open_stories.setdefault(document.story, [])
        members.append((index, document))
        if len(members) == plan.sizes.get(document.story, -1):
            del open_stories[document.story]
            unit.append(members)
            size += len(members)
            if size >= unit_reports:
                yield unit
                unit, size = [], 0
    if open_stories or index + 1 != plan.reports:
        raise FactcheckError("the input changed while it was being read; run again",
                             ", ".join(str(p) for p in paths))
    if unit:
        yield unit


# --------------------------------------------------------------------------- the parent

class Sink:
    """Where the numbered claims and findings go, in order."""

    def claims(self, rows: list[list[Any]]) -> None:
        ...

    def finding(self, key: tuple[int, int, int], row: dict[str, Any]) -> None:
        ...


@dataclass
class _OpenStory:
    result: StoryResult
    waiting: int  # reports not yet numbered
    # the run-wide claim number of each story position: reports are numbered in story order,
    # so positions come in order and a lookup is one index (not a search per finding claim)
    numbers: list[int] = field(default_factory=list)

    def number_of(self, position: int) -> int:
        return self.numbers[position]


class _Numbering:
    """Numbers claims c1… in document order as stories come back, in whatever order."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.next_report = 0
        self.next_claim = 1
        self._ready: dict[int, tuple[_OpenStory, int, list[list[Any]]]] = {}
        self._sequence = 0

    def add(self, result: StoryResult) -> None:
        story = _OpenStory(result, len(result.documents))
        position = 0
        for index, rows in result.documents:
            self._ready[index] = (story, position, rows)
            position += len(rows)
        while self.next_report in self._ready:
            self._number(*self._ready.pop(self.next_report))

    def _number(self, story: _OpenStory, position: int, rows: list[list[Any]]) -> None:
        first = self.next_claim
        story.numbers.extend(range(first, first + len(rows)))
        for offset, row in enumerate(rows):
            row[0] = f"c{first + offset}"
            if row[PART_OF] is not None:
                row[PART_OF] = f"c{first + row[PART_OF] - position}"
        self.next_claim += len(rows)
        self.next_report += 1
        self.sink.claims(rows)
        story.waiting -= 1
        if story.waiting == 0:
            self._findings(story)

    def _findings(self, story: _OpenStory) -> None:
        for part, group_first, finding in story.result.findings:
            row = finding.row()
            row["claim_ids"] = [f"c{story.number_of(int(i))}" for i in finding.claim_ids]
            row["groups"] = [[f"c{story.number_of(int(i))}" for i in group]
                             for group in finding.groups]
            self._sequence += 1
            self.sink.finding((part, story.number_of(group_first), self._sequence), row)

    @property
    def pending(self) -> bool:
        return bool(self._ready)


class TableSink(Sink):
    """The tables in memory, as `analyse` gives them."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.findings: list[tuple[tuple[int, int, int], dict[str, Any]]] = []

    def claims(self, rows: list[list[Any]]) -> None:
        self.rows.extend(rows)

    def finding(self, key: tuple[int, int, int], row: dict[str, Any]) -> None:
        self.findings.append((key, row))

    def claims_table(self) -> pd.DataFrame:
        return claims_table(self.rows)

    def findings_table(self) -> pd.DataFrame:
        rows = []
        for number, (_, row) in enumerate(sorted(self.findings, key=lambda f: f[0]), start=1):
            rows.append({**row, "finding_id": f"f{number}"})
        return findings_table(rows)


def _csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


class CsvSink(Sink):
    """claims.csv written as claims come, findings spooled and written sorted at the end: the
    same bytes `report.tables.write_outputs` writes for the whole tables."""

    def __init__(self, claims_file: IO[str], findings_file: IO[str], spool: IO[str],
                 claims_path: Path) -> None:
        self._claims_file = claims_file
        self._claims_path = claims_path  # read back at the end for the claims findings name
        self._claims = csv.writer(claims_file, lineterminator="\n")
        self._claims.writerow(CLAIM_COLUMNS)
        self._findings_file = findings_file
        self._spool = spool
        self._keys: list[tuple[tuple[int, int], int]] = []
        self.claim_count = 0

    def claims(self, rows: list[list[Any]]) -> None:
        self._claims.writerows(_csv_row(row) for row in rows)
        self.claim_count += len(rows)

    def finding(self, key: tuple[int, int, int], row: dict[str, Any]) -> None:
        self._keys.append((key, self._spool.tell()))
        self._spool.write(json.dumps(_csv_row(row[c] for c in FINDING_COLUMNS[1:]),
                                     ensure_ascii=False) + "\n")

    def _spooled(self) -> Iterator[dict[str, Any]]:
        """The spooled findings in the plain run's order, numbered f1…"""
        self._spool.flush()
        for number, (_, offset) in enumerate(self._keys, start=1):
            self._spool.seek(offset)
            cells = json.loads(self._spool.readline())
            yield {"finding_id": f"f{number}", **dict(zip(FINDING_COLUMNS[1:], cells,
                                                          strict=True))}

    def _named_claims(self) -> dict[str, dict[str, Any]]:
        """The claims some finding names, read back from claims.csv (only those: memory
        stays what the findings need), value, low and high as numbers again, as in the tables."""
        wanted = {claim_id for finding in self._spooled()
                  for group in claim_groups(finding) for claim_id in group}
        self._claims_file.flush()
        found: dict[str, dict[str, Any]] = {}
        with open(self._claims_path, encoding="utf-8-sig", newline="") as handle:
            for record in csv.DictReader(handle):
                if record["claim_id"] in wanted:
                    for key in ("value", "low", "high"):
                        record[key] = float(record[key]) if record[key] else None
                    found[record["claim_id"]] = record
        return found

    def finish(self) -> int:
        """Write findings.csv from the spool, in the plain run's order, each finding's claims
        beside it (`report.tables.findings_csv_table`); return the findings' count."""
        self._keys.sort()
        claims = self._named_claims() if self._keys else {}
        writer = csv.writer(self._findings_file, lineterminator="\n")
        writer.writerow(FINDINGS_CSV_COLUMNS)
        for finding in self._spooled():
            writer.writerows(_csv_row(row) for row in finding_claim_rows(finding, claims))
        return len(self._keys)


class _Tee(Sink):
    def __init__(self, sinks: Sequence[Sink]) -> None:
        self.sinks = sinks

    def claims(self, rows: list[list[Any]]) -> None:
        for sink in self.sinks:
            sink.claims(rows)

    def finding(self, key: tuple[int, int, int], row: dict[str, Any]) -> None:
        for sink in self.sinks:
            sink.finding(key, row)


def _run_units(paths: Sequence[str | Path], group_by: str | None, plan: StoryPlan,
               engine: Engine, sink: Sink, progress: RunProgress,
               exclude: Sequence[str] = ()) -> list[Problem]:
    """Every story through the engine, numbered into the sink; the pattern time-outs met."""
    numbering = _Numbering(sink)
    problems: list[Problem] = []
    seen: set[tuple[str, int | None]] = set()
    progress.reading(plan.reports)
    units = story_units(paths, group_by, plan, exclude=exclude)
    for results in engine.map(read_stories, units):
        for result in results:
            for problem in result.problems:
                # A pattern that ran out of time is reported once per run, as in one process.
                if (problem.path, problem.line) not in seen:
                    seen.add((problem.path, problem.line))
                    problems.append(problem)
            numbering.add(result)
            progress.advance(len(result.documents))
    if numbering.pending or numbering.next_report != plan.reports:
        raise FactcheckError("the input changed while it was being read; run again")
    return problems


# --------------------------------------------------------------------------- runs

@dataclass
class ScaleRun:
    """The result of a streamed run: counts always, tables only when asked to keep them."""

    reports: int
    claims: pd.DataFrame | None
    findings: pd.DataFrame | None
    problems: list[Problem]
    claim_count: int = 0
    finding_count: int = 0
    written: list[Path] = field(default_factory=list)
    hint: str | None = None  # reports read as one story that look like several (`census`)


def _name_target(error: OSError, written: Sequence[tuple[Path, Path]], out: Path) -> None:
    """An error of the `--out` files named as the user knows them: a temporary file's by its
    target, an unnamed one (the findings spool's, a full disk's) by the folder."""
    targets = {str(tmp): target for tmp, target in written}
    if not error.filename:
        naming(error, out)
    elif str(error.filename) in targets:
        naming(error, targets[str(error.filename)])


def run(paths: Sequence[str | Path] | None = None,
        rules: RuleSet | Sequence[str | Path] | None = None,
        group_by: str | None = None, *, out: str | Path | None = None,
        keep_tables: bool = True, jobs: int = 1, engine: str = "local",
        scheduler: str | None = None, strict: bool = False, compare: bool = True,
        progress: RunProgress | None = None,
        pages: Callable[[pd.DataFrame, pd.DataFrame], Mapping[str, str]] | None = None,
        exclude: Sequence[str] = ()) -> ScaleRun:
    """Read, compare and write a corpus of any size: what `analyse` and `write_outputs` do, with
    the same tables and files, streamed, in `jobs` processes or on a Dask cluster.

    `out`: write claims.csv and findings.csv there (both replaced together at the end, or not
    at all). `keep_tables`: also return the tables (memory grows with the corpus). `pages`:
    files made from the whole tables (name → text, such as report.html), written into `out`
    with the CSVs and replaced together with them; the tables are then kept. `exclude`:
    globs of files and folders not read (`io.exclude`). `compare` False: claims only, no
    comparison work (no findings; `claims` prints none).
    """
    ruleset = ruleset_of(rules)
    paths = report_paths(paths)
    progress = progress or RunProgress(False)
    state = {"token": uuid.uuid4().hex, "rules": ruleset, "compare": compare}
    with progress, contextlib.ExitStack() as running:
        progress.scanning()
        census = StoryCensus(ruleset, group_by)
        plan = plan_stories(paths, group_by, progress.scanned, exclude, census)
        if strict and plan.problems:
            raise SkippedInputError(plan.problems)
        # the workers are started once the stories are counted: never more than there are
        worker = running.enter_context(contextlib.closing(
            make_engine(engine, jobs, scheduler, state, len(plan.sizes))))
        worker.prepare(prepare_worker)
        sinks: list[Sink] = []
        tables = TableSink() if keep_tables or (pages and out is not None) else None
        if tables is not None:
            sinks.append(tables)
        written: list[tuple[Path, Path]] = []
        csv_sink = None
        with contextlib.ExitStack() as stack:
            if out is not None:
                folder = Path(out)
                folder.mkdir(parents=True, exist_ok=True)
                claims_file, claims_tmp = open_beside(folder / "claims.csv", "utf-8-sig")
                written.append((claims_tmp, folder / "claims.csv"))
                findings_file, findings_tmp = open_beside(folder / "findings.csv", "utf-8-sig")
                written.append((findings_tmp, folder / "findings.csv"))
                spool = stack.enter_context(tempfile.TemporaryFile(
                    "w+", encoding="utf-8", dir=folder, prefix=".findings-spool."))
                stack.callback(claims_file.close)
                stack.callback(findings_file.close)
                csv_sink = CsvSink(claims_file, findings_file, spool, claims_tmp)
                sinks.append(csv_sink)
            try:
                problems = _run_units(paths, group_by, plan, worker, _Tee(sinks), progress,
                                      exclude)
                if strict and problems:
                    raise SkippedInputError(problems)
                finding_count = 0
                if csv_sink is not None:
                    finding_count = csv_sink.finish()
                    for handle, (tmp, target) in zip((claims_file, findings_file), written,
                                                     strict=True):
                        finish(handle, tmp, target)
                    if pages is not None and tables is not None:
                        made = pages(tables.claims_table(), tables.findings_table())
                        for name, text in made.items():
                            target = Path(out) / name
                            written.append((temporary_beside(
                                target, lambda handle, t=text: handle.write(t)), target))
                    replace_all(written)
                    # a later run over a corpus that holds `out` reads none of them
                    mark_outputs(Path(out), [target.name for _, target in written])
            except BaseException as error:  # Ctrl-C and SIGTERM too: never leave a temporary file
                for tmp, _ in written:
                    tmp.unlink(missing_ok=True)
                if isinstance(error, OSError) and out is not None:
                    _name_target(error, written, Path(out))
                raise
    claims = tables.claims_table() if tables is not None else None
    findings = tables.findings_table() if tables is not None else None
    return ScaleRun(
        reports=plan.reports, claims=claims, findings=findings,
        problems=plan.problems + problems,
        claim_count=csv_sink.claim_count if csv_sink else len(tables.rows if tables else []),
        finding_count=finding_count if csv_sink else len(tables.findings if tables else []),
        written=[target for _, target in written], hint=census.hint(),
    )


def copy_csv(path: Path, stream: IO[str]) -> None:
    """A CSV written by `run` to `stream` as `to_csv_text` prints it: without the BOM."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        shutil.copyfileobj(handle, stream, io.DEFAULT_BUFFER_SIZE * 16)


def iter_claims(paths: Sequence[str | Path] | None = None,
                rules: RuleSet | Sequence[str | Path] | None = None,
                group_by: str | None = None, *, jobs: int = 1, engine: str = "local",
                scheduler: str | None = None, chunk: int = 10_000,
                unit_reports: int = UNIT_REPORTS) -> Iterator[pd.DataFrame]:
    """The claims table of `extract_claims`, a chunk of about `chunk` rows at a time, read
    with bounded memory (for notebooks and scripts over corpora too big to hold)."""
    ruleset = ruleset_of(rules)
    paths = report_paths(paths)
    state = {"token": uuid.uuid4().hex, "rules": ruleset, "compare": False}  # claims only
    chunk_sink = TableSink()
    numbering = _Numbering(chunk_sink)
    plan = plan_stories(paths, group_by)
    worker = make_engine(engine, jobs, scheduler, state, len(plan.sizes))
    try:
        worker.prepare(prepare_worker)
        units = story_units(paths, group_by, plan, unit_reports)
        for results in worker.map(read_stories, units):
            for result in results:
                numbering.add(result)
            chunk_sink.findings.clear()  # claims only
            if len(chunk_sink.rows) >= chunk:
                yield chunk_sink.claims_table()
                chunk_sink.rows = []
        if chunk_sink.rows:
            yield chunk_sink.claims_table()
    finally:
        worker.close()
