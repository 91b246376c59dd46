"""Runs through a claims store: stored claims reused, the others read and stored.

The claims of reports the store holds unchanged taken from it, the others read by the driver
and stored (`factcheck index`, `--store`, a stored reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import Problem, SkippedInputError
from ..extract.model import NUMERIC, Claim, is_missing
from ..extract.places import place_scopes
from ..io.model import Document
from ..ruleset.model import RuleSet
from .driver import Driver, documents_of, ruleset_of
from .store import (
    ClaimStore,
    DamagedStoreError,
    StoredReport,
    StoreError,
    claim_rows,
    claims_table,
    content_hash,
    context_key,
    extractor_version,
    remove_store,
    store_lock,
)


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
    damaged: str | None = None  # why the store was found damaged, and so rebuilt
    written: bool = True  # False: the store was left as it was


def claims_through_store(documents: Sequence[Document], rules: RuleSet, store: str | Path,
                         problems: list[Problem] | None = None, *, prune: bool = False,
                         frame: bool = True, strict: bool = False,
                         ) -> tuple[pd.DataFrame, StoreUpdate]:
    """What `_through_store` gives; a damaged store (SQLite finds it malformed, or a report's
    rows do not match their digest) is removed and built again from the reports, and the
    update says why (`StoreUpdate.damaged`): damaged claims are never given."""
    found: list[Problem] = []
    with store_lock(store):  # one run at a time: what it read is what it replaces
        try:
            table, update = _through_store(documents, rules, store, found, prune=prune,
                                           frame=frame, strict=strict)
        except DamagedStoreError as error:
            found.clear()
            remove_store(store)
            table, update = _through_store(documents, rules, store, found, prune=prune,
                                           frame=frame, strict=strict)
            update.damaged = error.message
    if problems is not None:
        problems.extend(found)
    return table, update


def _through_store(documents: Sequence[Document], rules: RuleSet, store: str | Path,
                   problems: list[Problem], *, prune: bool, frame: bool, strict: bool,
                   ) -> tuple[pd.DataFrame, StoreUpdate]:
    """The claims table of `documents`, taking each report's claims from the store when it
    holds them for the same text, metadata, story context and rules, and extracting the rest;
    identical to `claims_frame(read_claims(documents, rules))`, ids included (the claims of
    the reports extracted are read by the driver, in their story's context).

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
        driver = Driver(rules)
        contexts = driver.contexts(documents)
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
            before = len(driver.problems)
            claims = driver.read(document, contexts[document.story])
            extracted[index] = claims
            if len(driver.problems) > before:  # cut short: extract it again next time
                if known is not None:
                    remove.append(known.report_id)
                continue
            to_store.append(StoredReport(document.doc, key[1], document.path or document.doc,
                                         document.story, digest, context, claim_rows(claims)))
        problems.extend(driver.problems)
        if strict and driver.problems:
            raise SkippedInputError(driver.problems)
        if prune:
            in_run = set(keys)
            gone = [k.report_id for key, k in stored.items() if key not in in_run]
            update.removed = len(gone)
            remove += gone
        # the reused reports' rows, checked against their digests before anything is written
        rows = opened.report_rows(list(reused.values()))
        opened.verify((stored[keys[index]] for index in reused), rows)
        if update.written:
            opened.write(extractor=extractor, rules_version=rules.version, reports=to_store,
                         remove=remove, order=keys if prune else None,
                         replace_all=prune and update.other_rules is not None)
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
    table = claims_table(records)
    _scope_story_places(table, documents, driver)
    return table, update


def _scope_story_places(table: pd.DataFrame, documents: Sequence[Document],
                        driver: Driver) -> None:
    """Each story's figures scoped to their countries (`extract.places.place_scopes`), as the
    driver does after reading a story: a store holds each report's claims as read alone."""
    if table.empty:
        return
    for story, rows in table[table["kind"] == NUMERIC].groupby("story", sort=False):
        texts = [d.text[d.body_start:] for d in documents if d.story == story]
        places = [None if is_missing(p) else p for p in rows["place"]]
        scopes = [None if is_missing(s) else s for s in rows["scope"]]
        new = place_scopes(places, scopes, texts, driver.reader.places)
        if new != scopes:
            table.loc[rows.index, "scope"] = new


def index_reports(paths: Sequence[str | Path], store: str | Path,
                  rules: RuleSet | Sequence[str | Path] | None = None,
                  group_by: str | None = None, strict: bool = False,
                  exclude: Sequence[str] = ()) -> tuple[StoreUpdate, list[Problem]]:
    """Make the claims store at `store` hold exactly the claims of the reports under `paths`:
    `factcheck index`. Unchanged reports are kept, changed and new ones extracted, missing
    ones removed; what was done, and the inputs skipped, are returned. `exclude`: globs of
    files and folders not read (`io.exclude`)."""
    ruleset = ruleset_of(rules)
    documents, problems = documents_of(paths, group_by, exclude)
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
            ruleset = ruleset_of(rules)
            if opened.extractor != extractor_version(ruleset):
                raise StoreError(
                    f"claims store made with other rules ({opened.rules_version}; these are "
                    f"{ruleset.version}) or another factcheck: rebuild it with factcheck index",
                    store)
        return opened.claims(metrics, stories)
