"""The library API under the command line: paths in, pandas DataFrames out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .compare.detectors import compare_claims
from .compare.model import FINDING_COLUMNS
from .errors import Problem, SkippedInputError
from .evaluate import Evaluation, evaluate_gold, find_gold_files, load_gold
from .extract.claims import ClaimReader
from .extract.context import story_contexts
from .extract.model import CLAIM_COLUMNS, Claim
from .io.documents import load_documents
from .io.model import Document
from .resources import shipped_seeds_dir
from .ruleset.model import RuleSet
from .run.driver import load_rules
from .store import (
    ClaimStore,
    StoredReport,
    StoreError,
    claim_rows,
    claims_table,
    content_hash,
    context_key,
    extractor_version,
    is_store,
)


@dataclass
class Analysis:
    """The result of one run: the documents read, their claims and findings, what was skipped."""

    documents: list[Document]
    claims: pd.DataFrame
    findings: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    store: StoreUpdate | None = None  # what the run did with a claims store, when given one


def _rules(rules: RuleSet | Sequence[str | Path] | None) -> RuleSet:
    return rules if isinstance(rules, RuleSet) else load_rules(rules)


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
    for number, claim in enumerate(claims, start=1):
        claim.claim_id = f"c{number}"
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
            group_by: str | None = None, strict: bool = False,
            store: str | Path | None = None) -> Analysis:
    """Read reports, extract their claims and compare them: everything `factcheck report` shows.

    With `strict`, any input skipped raises `SkippedInputError` (its `problems` say what): at the
    end of loading, before a claim is read, or after reading for a rule pattern cut short.
    With `store` (a claims store file, made if missing), the claims of reports it holds
    unchanged are taken from it, and the others are extracted and added to it (see
    `claims_through_store`); the tables are the same as without it.
    """
    ruleset = _rules(rules)
    documents, problems = _documents(paths, group_by)
    if strict and problems:
        raise SkippedInputError(problems)
    update = None
    if store is None:
        claims = claims_frame(read_claims(documents, ruleset, problems))
    else:
        claims, update = claims_through_store(documents, ruleset, store, problems,
                                              strict=strict)
    if strict and problems:
        raise SkippedInputError(problems)
    return Analysis(documents, claims, find_discrepancies(claims, ruleset), problems, update)


def reference_claims(paths: Sequence[str | Path],
                     rules: RuleSet | Sequence[str | Path] | None = None,
                     problems: list[Problem] | None = None,
                     metrics: Collection[str] | None = None,
                     stories: Collection[str] | None = None) -> pd.DataFrame:
    """The claims of the reporting a desk trusts, that `check` compares drafts with: the
    claims table of the reports under `paths`, a story per `event` they state. A path that is
    a claims store (`factcheck index`) gives its stored claims instead, only those of
    `metrics` and of `stories` when given (a store without those stories gives those of all
    its stories). Inputs that cannot be read are skipped and added to `problems` when given."""
    ruleset = _rules(rules)
    reports = [p for p in paths if not is_store(p)]
    tables = []
    for path in paths:
        if is_store(path):
            wanted = sorted(metrics) if metrics is not None else None
            table = stored_claims(path, wanted, sorted(stories) if stories else None, ruleset)
            if stories and table.empty:
                table = stored_claims(path, wanted, None, ruleset)
            tables.append(table)
    if reports or not tables:
        documents, skipped = _documents(reports, None) if reports else ([], [])
        if problems is not None:
            problems.extend(skipped)
        tables.append(claims_frame(read_claims(documents, ruleset, problems)))
    return tables[0] if len(tables) == 1 else _joined_claims(tables)


def _joined_claims(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Claims tables of several references as one, numbered c1… again (each is numbered from
    c1 on its own), parts still pointing at their totals."""
    renumbered = []
    first = 0
    for table in tables:
        ids = {old: f"c{first + n}" for n, old in enumerate(table["claim_id"], start=1)}
        renumbered.append(table.assign(claim_id=table["claim_id"].map(ids),
                                       part_of=table["part_of"].map(ids)))
        first += len(table)
    return pd.concat(renumbered, ignore_index=True)


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


# --------------------------------------------------------------------------- claims store

@dataclass
class StoreUpdate:
    """What one run did with a claims store: reports added, reused, re-extracted, removed."""

    store: Path
    rules_version: str
    reports: int = 0  # the run's reports
    added: int = 0
    reused: int = 0
    reextracted: int = 0  # in the store, but changed (text, metadata or story context)
    removed: int = 0
    claims: int = 0  # the run's claims
    other_rules: str | None = None  # the rules version of a store built with other rules
    written: bool = True  # False: the store was left as it was


def claims_through_store(documents: Sequence[Document], rules: RuleSet, store: str | Path,
                         problems: list[Problem] | None = None, *, prune: bool = False,
                         frame: bool = True, strict: bool = False,
                         ) -> tuple[pd.DataFrame, StoreUpdate]:
    """The claims table of `documents`, taking each report's claims from the store when it
    holds them for the same text, metadata, story context and rules, and extracting the rest;
    identical to `claims_frame(read_claims(documents, rules))`, ids included.

    The reports extracted are written to the store in one transaction; with `prune` (as
    `factcheck index` does) the store is made exactly these reports, in this order: reports
    not among them are removed. A store made with other rules (or another version of the
    extraction code) is never reused: every report is extracted, and the store is rebuilt with
    `prune`, left as it was without. A report whose extraction had a rule pattern cut short
    is not stored. With `frame` False no table is built (an empty one is returned). With
    `strict`, a pattern cut short raises `SkippedInputError` before anything is written.
    """
    extractor = extractor_version(rules)
    update = StoreUpdate(Path(store), rules.version, reports=len(documents))
    with ClaimStore(store, create=True) as opened:
        if opened.extractor not in (None, extractor):
            update.other_rules = opened.rules_version or "unknown"
            update.written = prune
        stored = opened.keys()
        reader = ClaimReader(rules)
        contexts = story_contexts(documents, reader.dates)
        keys: list[tuple[str, int]] = []
        seen: dict[str, int] = {}
        reused: dict[int, int] = {}  # document index -> report id
        extracted: dict[int, list[Claim]] = {}
        to_store: list[StoredReport] = []
        remove: list[int] = []
        for index, document in enumerate(documents):
            key = (document.doc, seen.get(document.doc, 0))
            seen[document.doc] = key[1] + 1
            keys.append(key)
            digest = content_hash(document)
            context = context_key(contexts[document.story].years)
            known = stored.get(key)
            if known is not None and update.other_rules is None and (
                    known.content_hash, known.context) == (digest, context):
                reused[index] = known.report_id
                update.reused += 1
                continue
            if known is not None:
                update.reextracted += 1
            else:
                update.added += 1
            before = len(reader.problems)
            claims = reader.read(document, contexts[document.story])
            extracted[index] = claims
            if len(reader.problems) > before:  # cut short: extract it again next time
                if known is not None:
                    remove.append(known.report_id)
                continue
            to_store.append(StoredReport(document.doc, key[1], document.path or document.doc,
                                         document.story, digest, context, claim_rows(claims)))
        if problems is not None:
            problems.extend(reader.problems)
        if strict and reader.problems:
            raise SkippedInputError(reader.problems)
        if prune:
            in_run = set(keys)
            gone = [k.report_id for key, k in stored.items() if key not in in_run]
            update.removed = len(gone)
            remove += gone
        if update.written:
            opened.write(extractor=extractor, rules_version=rules.version, reports=to_store,
                         remove=remove, order=keys if prune else None,
                         replace_all=prune and update.other_rules is not None)
        rows = opened.report_rows(list(reused.values())) if frame else {}
    update.claims = sum(len(claims) for claims in extracted.values()) + sum(
        stored[keys[index]].claims for index in reused)
    if not frame:
        return claims_table([]), update
    records = []
    first = 0
    for index in range(len(documents)):
        document_rows = (rows[reused[index]] if index in reused
                         else claim_rows(extracted[index]))
        for seq, part_of, *values in document_rows:
            records.append((f"c{first + seq}",
                            f"c{first + part_of}" if part_of is not None else None, values))
        first += len(document_rows)
    return claims_table(records), update


def index_reports(paths: Sequence[str | Path], store: str | Path,
                  rules: RuleSet | Sequence[str | Path] | None = None,
                  group_by: str | None = None, strict: bool = False,
                  ) -> tuple[StoreUpdate, list[Problem]]:
    """Make the claims store at `store` hold exactly the claims of the reports under `paths`:
    `factcheck index`. Unchanged reports are kept, changed and new ones extracted, missing
    ones removed; what was done, and the inputs skipped, are returned."""
    ruleset = _rules(rules)
    documents, problems = _documents(paths, group_by)
    if strict and problems:
        raise SkippedInputError(problems)
    _, update = claims_through_store(documents, ruleset, store, problems, prune=True,
                                     frame=False, strict=strict)
    return update, problems


def stored_claims(store: str | Path, metrics: Sequence[str] | None = None,
                     stories: Sequence[str] | None = None,
                     rules: RuleSet | Sequence[str | Path] | None = None) -> pd.DataFrame:
    """The claims table kept in a claims store (made by `factcheck index`), in the order and
    with the ids of the indexed run; only the claims of `metrics` and `stories` when given.
    With `rules`, a store made with other rules is an error (`StoreError`), not a reference."""
    with ClaimStore(store) as opened:
        if rules is not None:
            ruleset = _rules(rules)
            if opened.extractor != extractor_version(ruleset):
                raise StoreError(
                    f"claims store made with other rules ({opened.rules_version}; these are "
                    f"{ruleset.version}) or another factcheck: rebuild it with factcheck index",
                    store)
        return opened.claims(metrics, stories)
