"""The claims store: extracted claims kept in an SQLite file, keyed by report content and rules."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from pathlib import Path
from typing import Any

import pandas as pd

from .. import extract, ruleset
from ..errors import FactcheckError, one_line
from ..extract.model import CLAIM_COLUMNS, Claim
from ..io.model import Document
from ..resources import VERSION
from ..ruleset.model import RuleSet
from .frames import claims_table as table_of

# The layout of the file; a store of a higher version is refused, never guessed at.
SCHEMA_VERSION = 3  # 3: a digest of each report's stored rows
# SQLite's application id marks a file as a factcheck store ("FCKS").
APPLICATION_ID = 0x46434B53
# Names that say "a store" even when the file is missing or damaged, so that `check --against
# ref.db` reports a broken store instead of reading the file as a report.
STORE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
_SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite errors that say nothing of the file's content: another writer, or the disk.
_NOT_DAMAGE = ("locked", "busy", "disk I/O", "readonly", "unable to open", "full")
_APPLICATION_BYTES = APPLICATION_ID.to_bytes(4, "big")  # at offset 68 of the header
# The packages whose code decides what claims a report gives: a change to one of their modules
# makes stored claims stale, as a change to a rule file does.
_EXTRACTION_PACKAGES = (extract, ruleset)

# A claim as stored: its place in its report (`seq`, from 1) stands for its id, and the place
# of the claim it is a part of for `part_of`; ids are numbered over the whole run on reading.
STORED_COLUMNS = [c for c in CLAIM_COLUMNS if c not in ("claim_id", "part_of")]
_DATE_COLUMNS = ("published", "claim_date")
_BOOL_COLUMNS = ("low_inclusive", "high_inclusive", "in_scope", "revision", "superseded",
                 "headline")
_DATE_INDEXES = [STORED_COLUMNS.index(c) for c in _DATE_COLUMNS]
_BOOL_INDEXES = [STORED_COLUMNS.index(c) for c in _BOOL_COLUMNS]
# (claim_id, part_of, stored columns…) into the claims table's column order
_TABLE_ORDER = itemgetter(*(["claim_id", "part_of", *STORED_COLUMNS].index(c)
                            for c in CLAIM_COLUMNS))


class StoreError(FactcheckError):
    """A store file that cannot be used: not SQLite, damaged, or of a newer schema (exit 2)."""


class DamagedStoreError(StoreError):
    """A factcheck store (its header says so) whose content is damaged: SQLite finds it
    malformed, or a report's rows no longer match their digest. A run with the reports at
    hand rebuilds it; a reference store is an error."""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Claim columns carry no type, so that SQLite keeps each value as given (an int stays an int,
# a float a float): the table read back is the table extracted.
_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    occurrence INTEGER NOT NULL,
    path TEXT NOT NULL,
    story TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    context TEXT NOT NULL,
    position INTEGER NOT NULL,
    claims INTEGER NOT NULL,
    first_claim INTEGER NOT NULL DEFAULT 0,
    digest TEXT NOT NULL,
    UNIQUE (doc, occurrence)
);
CREATE INDEX reports_position ON reports (position);
CREATE INDEX reports_story ON reports (story);
CREATE TABLE claims (
    report_id INTEGER NOT NULL REFERENCES reports (id),
    seq INTEGER NOT NULL,
    part_of_seq INTEGER,
    {", ".join(_quoted(c) for c in STORED_COLUMNS)}
);
CREATE INDEX claims_report ON claims (report_id, seq);
CREATE INDEX claims_story_metric ON claims (story, metric);
CREATE INDEX claims_metric ON claims (metric);
"""


def is_store(path: str | Path) -> bool:
    """Whether `path` names a claims store: an SQLite file, or a name with a store suffix."""
    path = Path(path)
    if path.suffix.lower() in STORE_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def extractor_version(rules: RuleSet) -> str:
    """What stored claims depend on besides the reports: the rule files' contents (the rules'
    version) and the code of the extraction modules."""
    digest = hashlib.sha256(f"{rules.version}\0{VERSION}\0".encode())
    for package in _EXTRACTION_PACKAGES:
        folder = Path(package.__file__).parent
        for path in sorted(folder.glob("*.py")):
            name = f"{folder.name}/{path.name}"
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def content_hash(document: Document) -> str:
    """A digest of what extraction reads of a report: its text and the metadata claims carry."""
    parts = (document.doc, document.story, document.outlet or "",
             document.published.isoformat() if document.published else "",
             str(document.body_start), document.text)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def context_key(years: Sequence[int]) -> str:
    """The story context a report's claims were dated in, as stored."""
    return ",".join(str(year) for year in years)


@dataclass(frozen=True)
class StoredReport:
    """A report as the store keeps it, with its claims (rows as `claim_rows` makes them)."""

    doc: str
    occurrence: int  # 0 for the first report of this name in a run, 1 for a second, …
    path: str
    story: str
    content_hash: str
    context: str
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class StoredKey:
    """What the store knows of one report: enough to tell whether it is unchanged, and
    whether its rows are as they were written (`digest`)."""

    report_id: int
    content_hash: str
    context: str
    claims: int
    doc: str = ""
    occurrence: int = 0
    path: str = ""
    story: str = ""
    digest: str = ""


def rows_digest(doc: str, occurrence: int, path: str, story: str, digest: str, context: str,
                rows: Sequence[Sequence[Any]]) -> str:
    """A sha256 of one report as stored (its fields and rows, as SQLite gives them back):
    what tells a damaged store from a sound one."""
    # repr: exact for the values SQLite keeps (int, float, text, None), and fast
    text = repr((doc, occurrence, path, story, digest, context, [tuple(r) for r in rows]))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _stored_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def claim_rows(claims: Sequence[Claim]) -> list[tuple[Any, ...]]:
    """One report's claims as stored rows: (seq, part_of_seq, the stored columns…)."""
    place = {id(claim): seq for seq, claim in enumerate(claims, start=1)}
    rows = []
    for seq, claim in enumerate(claims, start=1):
        part_of = place.get(id(claim.total)) if claim.total is not None else None
        rows.append((seq, part_of, *(_stored_value(getattr(claim, c)) for c in STORED_COLUMNS)))
    return rows


class _Dates(dict):
    """ISO text to `date`, each distinct date parsed once (a store repeats few dates)."""

    def __missing__(self, key: str | None) -> date | None:
        value = date.fromisoformat(key) if key else None
        self[key] = value
        return value


def claims_table(records: Iterable[tuple[str, str | None, tuple[Any, ...]]]) -> pd.DataFrame:
    """The claims table (as `frames.claims_frame` makes it) from (claim_id, part_of, stored
    columns) records; the stored columns are as the store gives them back."""
    dates = _Dates()
    rows = []
    for claim_id, part_of, values in records:
        row = list(values)
        for index in _DATE_INDEXES:
            row[index] = dates[row[index]]
        for index in _BOOL_INDEXES:
            row[index] = None if row[index] is None else bool(row[index])
        rows.append(_TABLE_ORDER((claim_id, part_of, *row)))
    return table_of(rows)


class ClaimStore:
    """An open claims store. Reads check the file first; every write is one transaction."""

    def __init__(self, path: str | Path, create: bool = False) -> None:
        self.path = Path(path)
        self._ours = False
        self._check_file(create)
        try:
            # autocommit: transactions are begun and ended explicitly, one per write
            self.connection = sqlite3.connect(self.path, isolation_level=None)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise self._error(error) from None
        try:
            self.connection.execute("PRAGMA busy_timeout = 10000")
            self._check_schema(create)
            # A run that writes reads the whole file first (quick_check); a reference read
            # (`check --against`) checks only the reports it gives, by digest, to stay fast.
            if create and not self.is_new:
                problems = [row[0] for row in self.connection.execute("PRAGMA quick_check(3)")]
                if problems != ["ok"]:
                    raise self.damaged("; ".join(problems))
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            self.connection.close()
            raise self._error(error) from None
        except StoreError:
            self.connection.close()
            raise

    def _error(self, error: Exception) -> StoreError:
        message = str(error)
        if self._ours and not (isinstance(error, sqlite3.OperationalError)
                               and any(word in message for word in _NOT_DAMAGE)):
            return self.damaged(message)  # our store, and SQLite cannot read what it holds
        if "not a database" in message or "malformed" in message:
            if self._ours:
                return self.damaged(message)
            message = f"not a factcheck store, or a damaged one ({message})"
        return StoreError(f"claims store: {message}", self.path)

    def damaged(self, why: str) -> DamagedStoreError:
        """The error for damage found in this store."""
        return DamagedStoreError(f"damaged claims store ({one_line(why)})", self.path)

    def _check_file(self, create: bool) -> None:
        if self.path.is_dir():
            raise StoreError("claims store: a folder, not a store file", self.path)
        if not self.path.exists():
            if not create:
                raise StoreError("claims store not found (make one with factcheck index)",
                                 self.path)
            return
        with self.path.open("rb") as handle:
            first = handle.read(100)  # SQLite's file header
        header = first[:len(_SQLITE_HEADER)]
        # a file whose header names factcheck is ours to call damaged (and to rebuild)
        self._ours = header == _SQLITE_HEADER and first[68:72] == _APPLICATION_BYTES
        if header and header != _SQLITE_HEADER:
            raise StoreError("not a factcheck claims store (not an SQLite file)", self.path)

    def _check_schema(self, create: bool) -> None:
        connection = self.connection
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = connection.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
        if application == 0 and tables == 0:  # a new (or empty) file
            if not create:
                raise StoreError("claims store is empty (make one with factcheck index)",
                                 self.path)
            connection.execute("PRAGMA journal_mode = WAL")  # readers never wait on a writer
            return
        if application != APPLICATION_ID:
            raise StoreError("not a factcheck claims store (an SQLite file of another kind)",
                             self.path)
        if version > SCHEMA_VERSION:
            raise StoreError(f"claims store of schema version {version}, newer than this "
                             f"factcheck reads ({SCHEMA_VERSION}): upgrade factcheck, or rebuild "
                             "the store with factcheck index", self.path)
        if version < SCHEMA_VERSION:
            raise StoreError(f"claims store of an older schema ({version}): rebuild it with "
                             "factcheck index", self.path)

    @property
    def is_new(self) -> bool:
        return self._meta("schema_version") is None

    def _meta(self, key: str) -> str | None:
        try:
            row = self.connection.execute("SELECT value FROM meta WHERE key = ?",
                                          (key,)).fetchone()
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):  # no meta table yet: a new store
                return None
            raise self._error(error) from None
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise self._error(error) from None
        return row[0] if row else None

    @property
    def extractor(self) -> str | None:
        """The extractor version (rules and code) the stored claims were made with."""
        return self._meta("extractor")

    @property
    def rules_version(self) -> str | None:
        return self._meta("rules_version")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> ClaimStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self.connection
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise self._error(error) from None

    # -- reading --------------------------------------------------------------------------
    def keys(self) -> dict[tuple[str, int], StoredKey]:
        """Every stored report by (doc, occurrence)."""
        if self.is_new:
            return {}
        with self._reading() as connection:
            return {(doc, occurrence): StoredKey(report_id, content, context, claims, doc,
                                                 occurrence, path, story, digest)
                    for report_id, doc, occurrence, content, context, claims, path, story, digest
                    in connection.execute(
                        "SELECT id, doc, occurrence, content_hash, context, claims, path, story, "
                        "digest FROM reports")}

    def verify(self, keys: Iterable[StoredKey], rows: dict[int, list[tuple[Any, ...]]]) -> None:
        """Raise `DamagedStoreError` unless each report's rows are those written for it."""
        for key in keys:
            found = rows.get(key.report_id, [])
            if len(found) != key.claims or rows_digest(
                    key.doc, key.occurrence, key.path, key.story, key.content_hash,
                    key.context, found) != key.digest:
                raise self.damaged(f"the stored claims of {key.doc} do not match their digest")

    def report_rows(self, report_ids: Sequence[int], every: bool = False
                    ) -> dict[int, list[tuple[Any, ...]]]:
        """The stored rows (seq, part_of_seq, stored columns…) of reports, by report id
        (`every`: `report_ids` are all the store's, read in one scan)."""
        found: dict[int, list[tuple[Any, ...]]] = {report_id: [] for report_id in report_ids}
        if not report_ids:
            return found
        columns = ", ".join(f"c.{_quoted(c)}" for c in STORED_COLUMNS)
        with self._reading() as connection:
            if every:
                cursor = connection.execute(
                    f"SELECT c.report_id, c.seq, c.part_of_seq, {columns} FROM claims AS c "
                    "ORDER BY c.report_id, c.seq")
            else:
                cursor = connection.execute(
                    f"SELECT c.report_id, c.seq, c.part_of_seq, {columns} FROM claims AS c "
                    "JOIN json_each(?) AS wanted ON c.report_id = wanted.value "
                    "ORDER BY c.report_id, c.seq", (json.dumps(list(report_ids)),))
            for row in cursor:
                rows = found.get(row[0])
                if rows is None:  # claims of no report
                    raise self.damaged("claims of reports it does not hold")
                rows.append(row[1:])
        return found

    def claims(self, metrics: Sequence[str] | None = None,
               stories: Sequence[str] | None = None) -> pd.DataFrame:
        """The stored claims table, in stored report order, ids as the indexed run gave them;
        only those of `metrics` and `stories` when given (the reports of `stories` found
        through an index). Every report read is checked against its digest and its
        neighbours' numbering first: a damaged store is a `DamagedStoreError`, never claims."""
        if self.is_new:
            return claims_table([])
        wanted_metrics = None if metrics is None else set(metrics)
        metric = 2 + STORED_COLUMNS.index("metric")  # in a row (seq, part_of_seq, columns…)
        with self._reading() as connection:
            if stories is None:
                query, parameters = "SELECT * FROM reports", ()
            else:
                query = ("SELECT r.* FROM reports AS r JOIN json_each(?) AS wanted "
                         "ON r.story = wanted.value")
                parameters = (json.dumps(list(dict.fromkeys(stories))),)
            reports = sorted(connection.execute(
                f"SELECT id, content_hash, context, claims, doc, occurrence, path, story, "
                f"digest, position, first_claim FROM ({query})", parameters).fetchall(),
                key=itemgetter(9))
            keys = [StoredKey(*report[:9]) for report in reports]
            rows = self.report_rows([key.report_id for key in keys], every=stories is None)
            self.verify(keys, rows)
            self._verify_numbering(reports, whole=stories is None)
        return claims_table(
            (f"c{first + seq}", f"c{first + part_of}" if part_of is not None else None,
             row[2:])
            for report in reports for first in (report[10],)
            for row in rows[report[0]] for seq, part_of in (row[:2],)
            if wanted_metrics is None or row[metric] in wanted_metrics)

    def _verify_numbering(self, reports: Sequence[tuple[Any, ...]], whole: bool) -> None:
        """Each report's first claim number is the one after its predecessor's last: checked
        in one pass over `reports` when they are all the store's (`whole`), else for each
        against its neighbours, through the position index."""
        broken = self.damaged("the claim numbering of its reports does not add up")
        if whole:
            expected = 0
            for report in reports:
                if report[10] != expected:
                    raise broken
                expected += report[3]
            return
        for report in reports:
            position, first, claims = report[9], report[10], report[3]
            before = self.connection.execute(
                "SELECT first_claim + claims FROM reports WHERE position < ? "
                "ORDER BY position DESC LIMIT 1", (position,)).fetchone()
            after = self.connection.execute(
                "SELECT first_claim FROM reports WHERE position > ? ORDER BY position LIMIT 1",
                (position,)).fetchone()
            if first != (before[0] if before else 0) or (
                    after is not None and after[0] != first + claims):
                raise broken

    # -- writing --------------------------------------------------------------------------
    def write(self, *, extractor: str, rules_version: str, reports: Sequence[StoredReport],
              remove: Sequence[int] = (), order: Sequence[tuple[str, int]] | None = None,
              replace_all: bool = False) -> None:
        """In one transaction: add or replace `reports`, drop the reports of ids `remove`
        (everything first with `replace_all`), and put the reports in `order` when given (new
        ones go last otherwise). Interrupted, the store is left as it was."""
        connection = self.connection
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                self._write(extractor, rules_version, reports, remove, order, replace_all)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            raise self._error(error) from None

    def _write(self, extractor: str, rules_version: str, reports: Sequence[StoredReport],
               remove: Sequence[int], order: Sequence[tuple[str, int]] | None,
               replace_all: bool) -> None:
        connection = self.connection
        if self.is_new:
            # statement by statement: executescript would commit our transaction first
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("INSERT INTO meta VALUES ('schema_version', ?)",
                               (str(SCHEMA_VERSION),))
            connection.execute("INSERT INTO meta VALUES ('created_by', ?)",
                               (f"factcheck {VERSION}",))
        if replace_all:
            connection.execute("DELETE FROM claims")
            connection.execute("DELETE FROM reports")
        connection.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                               [("extractor", extractor), ("rules_version", rules_version)])
        stale = [*remove]
        known = {(doc, occurrence): report_id for report_id, doc, occurrence in
                 connection.execute("SELECT id, doc, occurrence FROM reports")}
        stale += [known[(r.doc, r.occurrence)] for r in reports if (r.doc, r.occurrence) in known]
        if stale:
            connection.execute("CREATE TEMP TABLE IF NOT EXISTS stale (id INTEGER PRIMARY KEY)")
            connection.execute("DELETE FROM temp.stale")
            connection.executemany("INSERT OR IGNORE INTO temp.stale VALUES (?)",
                                   [(i,) for i in stale])
            connection.execute("DELETE FROM claims WHERE report_id IN (SELECT id FROM temp.stale)")
            connection.execute("DELETE FROM reports WHERE id IN (SELECT id FROM temp.stale)")
        last = connection.execute("SELECT coalesce(max(position), 0) FROM reports").fetchone()[0]
        placeholders = ", ".join("?" * (len(STORED_COLUMNS) + 3))
        insert_claims = f"INSERT INTO claims VALUES ({placeholders})"
        for offset, report in enumerate(reports, start=1):
            cursor = connection.execute(
                "INSERT INTO reports (doc, occurrence, path, story, content_hash, context, "
                "position, claims, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report.doc, report.occurrence, report.path, report.story, report.content_hash,
                 report.context, last + offset, len(report.rows), rows_digest(
                     report.doc, report.occurrence, report.path, report.story,
                     report.content_hash, report.context, report.rows)))
            report_id = cursor.lastrowid
            connection.executemany(insert_claims, ((report_id, *row) for row in report.rows))
        if order is not None:
            connection.executemany(
                "UPDATE reports SET position = ? WHERE doc = ? AND occurrence = ?",
                ((position, doc, occurrence)
                 for position, (doc, occurrence) in enumerate(order, start=1)))
        # Each report's first claim number: the ids a plain run over the stored reports gives.
        connection.execute(
            "UPDATE reports SET first_claim = numbered.first FROM (SELECT id, "
            "coalesce(sum(claims) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING "
            "AND 1 PRECEDING), 0) AS first FROM reports) AS numbered "
            "WHERE reports.id = numbered.id AND reports.first_claim != numbered.first")

    def summary(self) -> dict[str, Any]:
        """Counts and versions, for `factcheck index` to print."""
        with self._reading() as connection:
            reports = connection.execute("SELECT count(*) FROM reports").fetchone()[0]
            claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
        return {"reports": reports, "claims": claims, "rules_version": self.rules_version}


@contextmanager
def store_lock(path: str | Path) -> Iterator[None]:
    """Hold the store's lock (an exclusive `flock` of `<store>.lock` beside it) for a whole
    run: read what it holds, extract, write. A second run waits, then sees the first's
    reports, so that `index` leaves exactly the reports of the run that ended last. Where
    there is no `flock` (Windows), no lock: SQLite's own keeps each write whole."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    if Path(path).is_dir():  # not a store: opening it says so
        yield
        return
    with open(f"{path}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_store(path: str | Path) -> None:
    """Delete a (damaged) store and SQLite's files beside it, to build it again."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def load_claims(path: str | Path, metrics: Sequence[str] | None = None,
                stories: Sequence[str] | None = None) -> pd.DataFrame:
    """The claims table kept in the store at `path` (see `ClaimStore.claims`)."""
    with ClaimStore(path) as store:
        return store.claims(metrics, stories)
