"""The library API under the command line: paths in, pandas DataFrames out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .claims import CLAIM_COLUMNS, Claim, ClaimReader, StoryContext
from .dates import DateReader, infer_years
from .documents import Document, load_documents
from .errors import Problem, SkippedInputError
from .evaluate import Evaluation, evaluate_gold, find_gold_files, load_gold
from .findings import FINDING_COLUMNS, compare_claims
from .resources import shipped_seeds_dir
from .rules import RuleSet, load_rules


@dataclass
class Analysis:
    """The result of one run: the documents read, their claims and findings, what was skipped."""

    documents: list[Document]
    claims: pd.DataFrame
    findings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def _rules(rules: RuleSet | Sequence[str | Path] | None) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else load_rules(rules)


def story_contexts(documents: Sequence[Document], dates: DateReader) -> dict[str, StoryContext]:
    """The years each story fixes: its reports' dates, else what its texts state."""
    by_story: dict[str, list[Document]] = {}
    for document in documents:
        by_story.setdefault(document.story, []).append(document)
    contexts = {}
    for story, members in by_story.items():
        years = sorted({d.published.year for d in members if d.published})
        if not years:
            years = infer_years(dates, (d.text[d.body_start:] for d in members))
        contexts[story] = StoryContext(years=years)
    return contexts


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """Claims as the claims table: one row each, the documented columns in order."""
    rows = [claim.row() for claim in claims]
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    return frame.astype({"line": "int64", "column": "int64"}) if rows else frame


def read_claims(documents: Sequence[Document], rules: RuleSet,
                problems: list[Problem] | None = None) -> list[Claim]:
    """Extract the claims of documents, numbered c1… in document order. A rule pattern that
    runs out of time is skipped where it did, and reported in `problems` when given."""
    reader = ClaimReader(rules)
    contexts = story_contexts(documents, reader.dates)
    claims: list[Claim] = []
    for document in documents:
        claims.extend(reader.read(document, contexts[document.story]))
    numbered: dict[str, int] = {}
    for claim in claims:  # figures are c1, c2, …; named claims n1, n2, … (as in gold files)
        prefix = "n" if claim.kind == "named" else "c"
        numbered[prefix] = numbered.get(prefix, 0) + 1
        claim.claim_id = f"{prefix}{numbered[prefix]}"
    for claim in claims:
        claim.part_of = claim.total.claim_id if claim.total is not None else None
    if problems is not None:
        problems.extend(reader.problems)
    return claims


def _documents(paths: Sequence[str | Path] | None, group_by: str | None
               ) -> tuple[list[Document], list[Problem]]:
    loaded = load_documents(list(paths) if paths else [shipped_seeds_dir()], group_by=group_by)
    return loaded.documents, loaded.problems


def extract_claims(paths: Sequence[str | Path] | None = None,
                   rules: RuleSet | Sequence[str | Path] | None = None,
                   group_by: str | None = None) -> pd.DataFrame:
    """The claims table of the reports under `paths` (default: the shipped sample reports)."""
    ruleset = _rules(rules)
    documents, _ = _documents(paths, group_by)
    return claims_frame(read_claims(documents, ruleset))


def find_discrepancies(claims: pd.DataFrame,
                       rules: RuleSet | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """The findings for a claims table (as returned by `extract_claims`)."""
    ruleset = _rules(rules)
    findings = compare_claims(claims.to_dict("records"), ruleset)
    return pd.DataFrame([f.row() for f in findings], columns=FINDING_COLUMNS)


def analyse(paths: Sequence[str | Path] | None = None,
            rules: RuleSet | Sequence[str | Path] | None = None,
            group_by: str | None = None, strict: bool = False) -> Analysis:
    """Read reports, extract their claims and compare them: everything `factcheck report` shows.

    With `strict`, any input skipped raises `SkippedInputError` (its `problems` say what): at the
    end of loading, before a claim is read, or after reading for a rule pattern cut short.
    """
    ruleset = _rules(rules)
    documents, problems = _documents(paths, group_by)
    if strict and problems:
        raise SkippedInputError(problems)
    claims = claims_frame(read_claims(documents, ruleset, problems))
    if strict and problems:
        raise SkippedInputError(problems)
    return Analysis(documents, claims, find_discrepancies(claims, ruleset), problems)


def evaluate(paths: Sequence[str | Path],
             rules: RuleSet | Sequence[str | Path] | None = None,
             strict: bool = False) -> Evaluation:
    """Measure extraction and comparison against gold annotations: `factcheck eval`.

    `paths` are gold.yaml files or folders holding one beside the reports; a folder without one
    stands for every subfolder that has one. Each gold folder is read and compared on its own,
    as a newsroom would run one story: its reports (the files beside the gold file), their
    claims and findings are scored against the gold (see `factcheck.evaluate`). With `strict`,
    a report skipped raises `SkippedInputError` once every gold folder is loaded.
    """
    ruleset = _rules(rules)
    golds = []
    problems: list[Problem] = []
    loaded_golds = []
    for gold_path in find_gold_files(paths):
        gold = load_gold(gold_path)  # a broken gold file stops the run before any extraction
        loaded = load_documents([gold.folder])
        problems.extend(loaded.problems)
        loaded_golds.append((gold_path, gold, loaded))
    if strict and problems:
        raise SkippedInputError(problems)
    for gold_path, gold, loaded in loaded_golds:
        folder = gold.folder.resolve()
        # Only the reports beside the gold file: a subfolder is another gold folder's business.
        documents = [d for d in loaded.documents
                     if Path(d.path or d.doc).parent.resolve() == folder]
        claims = claims_frame(read_claims(documents, ruleset))
        findings = find_discrepancies(claims, ruleset)
        # A gold folder is named by its folder; a gold file with another name by itself.
        named = gold_path.parent if gold_path.name == "gold.yaml" else gold_path
        name = named.as_posix()
        golds.append(evaluate_gold(name, gold, documents, claims, findings, ruleset))
    return Evaluation(golds, problems)
