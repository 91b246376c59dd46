"""The claims store: the same tables as a plain run, reuse of unchanged reports, and bad stores."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import factcheck
from factcheck.errors import Problem
from factcheck.extract.claims import ClaimReader
from factcheck.extract.context import StoryContext
from factcheck.extract.model import Claim
from factcheck.io.model import Document
from factcheck.run import api, driver
from factcheck.run.store import SCHEMA_VERSION, ClaimStore, StoredReport, StoreError, is_store


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed entry point in a subprocess: real exit codes and stderr."""
    return subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True,
                          text=True, check=False, env={"NO_COLOR": "1", "PATH": ""})


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def reports(tmp_path: Path, seeds_dir: Path) -> Path:
    """The seeds, and a story of two reports where the undated one takes its year from the
    other: whether its 2023 figure is of this story's time depends on that year."""
    folder = tmp_path / "reports"
    shutil.copytree(seeds_dir, folder / "seeds")
    write(folder / "fire" / "a.md", "---\nevent: fire\ndate: 2023-04-04\nsource: Ledger\n---\n"
          "At least 10 people were killed in the fire on Monday, police said.\n\n"
          "Officials said 4 people were arrested on April 3.\n")
    write(folder / "fire" / "b.md", "---\nevent: fire\n---\n"
          "The death toll rose to 12, the mayor said.\n\n"
          "Of the 12 dead, 7 were children and 5 were adults.\n\n"
          "In 2023, 3 people were killed in a fire at the same plant.\n")
    return folder


def records(frame: pd.DataFrame) -> list[dict]:
    return [{key: None if pd.isna(value) else value for key, value in row.items()}
            for row in frame.to_dict("records")]


class Reads:
    """Counts the reports the claims stage reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.docs: list[str] = []
        original = ClaimReader.read

        def counted(reader: ClaimReader, document: Document,
                    context: StoryContext | None = None) -> list[Claim]:
            self.docs.append(Path(document.doc).name)
            return original(reader, document, context)

        monkeypatch.setattr(ClaimReader, "read", counted)


def through_store(paths: list[Path], store: Path, rules: list[Path] | None = None,
                  **options: bool) -> tuple[pd.DataFrame, api.StoreUpdate]:
    documents, _ = driver.documents_of([str(p) for p in paths], None)
    return api.claims_through_store(documents, driver.ruleset_of(rules), store, **options)


def test_store_gives_the_plain_tables_first_time_and_after(reports: Path, tmp_path: Path,
                                                           rules: factcheck.RuleSet) -> None:
    store = tmp_path / "claims.db"
    plain = factcheck.analyse([reports], rules)
    assert plain.claims.part_of.notna().any()  # the breakdown of 12 into 7 and 5 is linked
    for _ in range(2):  # made, then reused
        stored = factcheck.analyse([reports], rules, store=store)
        pd.testing.assert_frame_equal(stored.claims, plain.claims)
        pd.testing.assert_frame_equal(stored.findings, plain.findings)
    assert stored.store is not None and stored.store.reused == len(plain.documents)
    pd.testing.assert_frame_equal(api.stored_claims(store), plain.claims)


def test_unchanged_reports_are_not_read_again(reports: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "claims.db"
    reads = Reads(monkeypatch)
    _, first = through_store([reports], store, prune=True)
    assert (first.added, first.reused, len(reads.docs)) == (4, 0, 4)
    reads.docs.clear()
    _, again = through_store([reports], store)
    assert (again.added, again.reused, again.reextracted, reads.docs) == (0, 4, 0, [])


def test_a_changed_report_and_its_story_are_read_again(reports: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "claims.db"
    through_store([reports], store, prune=True)
    reads = Reads(monkeypatch)
    seed = next((reports / "seeds").iterdir())
    seed.write_text(seed.read_text(encoding="utf-8") + "\nPolice said 3 people were arrested.\n",
                    encoding="utf-8")
    claims, update = through_store([reports], store, prune=True)
    assert reads.docs == [seed.name] and update.reextracted == 1
    # b.md is unchanged, but its story's year comes from a.md's date: both are read again
    reads.docs.clear()
    story = reports / "fire" / "a.md"
    story.write_text(story.read_text(encoding="utf-8").replace("2023-04-04", "2024-04-04"),
                     encoding="utf-8")
    claims, update = through_store([reports], store, prune=True)
    assert sorted(reads.docs) == ["a.md", "b.md"] and update.reextracted == 2
    plain = factcheck.extract_claims([reports])
    pd.testing.assert_frame_equal(claims, plain)
    earlier = plain[plain.doc.str.endswith("b.md") & plain.figure.eq("3")]
    assert list(earlier.scope_note) == ["other period: 2023"]  # in scope with 2023
    pd.testing.assert_frame_equal(api.stored_claims(store), plain)


def test_other_rules_are_never_reused(reports: Path, tmp_path: Path, rules_dir: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "claims.db"
    through_store([reports], store, prune=True)
    local = write(tmp_path / "local" / "scope.yaml",
                  (rules_dir / "scope.yaml").read_text(encoding="utf-8") + "\n# ours\n").parent
    reads = Reads(monkeypatch)
    claims, update = through_store([reports], store, [local])
    assert len(reads.docs) == 4 and update.other_rules and not update.written
    pd.testing.assert_frame_equal(claims, factcheck.extract_claims([reports], [local]))
    with pytest.raises(StoreError, match="other rules"):
        api.stored_claims(store, rules=[local])
    reads.docs.clear()
    _, update = through_store([reports], store, [local], prune=True)  # `index` rebuilds it
    assert len(reads.docs) == 4 and update.reextracted == 4 and update.written
    api.stored_claims(store, rules=[local])  # now made with these rules
    with ClaimStore(store) as opened:
        assert opened.rules_version == factcheck.load_rules([local]).version


def test_removed_reports_leave_the_store(reports: Path, tmp_path: Path) -> None:
    store = tmp_path / "claims.db"
    through_store([reports], store, prune=True)
    (reports / "fire" / "b.md").unlink()
    _, update = through_store([reports], store, prune=True)
    assert (update.removed, update.reused) == (1, 3)
    stored = api.stored_claims(store)
    assert not stored.doc.str.endswith("b.md").any()
    pd.testing.assert_frame_equal(stored, factcheck.extract_claims([reports]))


def test_a_report_cut_short_is_not_stored(reports: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "claims.db"
    original = ClaimReader.read

    def timing_out(reader: ClaimReader, document: Document,
                   context: StoryContext | None = None) -> list[Claim]:
        if document.doc.endswith("a.md"):
            reader.problems.append(Problem(document.doc, "a rule pattern took too long"))
        return original(reader, document, context)

    monkeypatch.setattr(ClaimReader, "read", timing_out)
    problems: list[Problem] = []
    documents, _ = driver.documents_of([str(reports)], None)
    api.claims_through_store(documents, driver.ruleset_of(None), store, problems, prune=True)
    assert len(problems) == 1
    assert not api.stored_claims(store).doc.str.endswith("a.md").any()
    with ClaimStore(store) as opened:
        assert len(opened.keys()) == 3


def test_stored_claims_filtered_by_metric_and_story(reports: Path, tmp_path: Path) -> None:
    store = tmp_path / "claims.db"
    factcheck.analyse([reports], store=store)
    whole = api.stored_claims(store)
    killed = api.stored_claims(store, metrics=["killed"])
    assert set(killed.metric) == {"killed"} and len(killed) < len(whole)
    fire = api.stored_claims(store, metrics=["killed", "arrested"], stories=["fire"])
    assert set(fire.story) == {"fire"} and set(fire.metric) <= {"killed", "arrested"}
    # the same rows as the whole table's, ids and all (a column of nothing but None is
    # inferred as object, as `claims_frame` infers it for these rows alone)
    expected = whole[whole.story.eq("fire") & whole.metric.isin(["killed", "arrested"])]
    assert records(fire) == records(expected) and len(fire) == 5
    assert api.stored_claims(store, stories=["no such story"]).empty


def test_an_interrupted_write_leaves_the_store_as_it_was(reports: Path, tmp_path: Path,
                                                         rules: factcheck.RuleSet) -> None:
    store = tmp_path / "claims.db"
    through_store([reports], store, prune=True)
    before = api.stored_claims(store)

    class Interrupted(list):
        def __iter__(self) -> Iterator[tuple]:
            yield self[0]
            raise KeyboardInterrupt  # Ctrl-C halfway through the claims

    with ClaimStore(store) as opened:
        keys = opened.keys()
        report_id = next(iter(keys.values())).report_id
        rows = Interrupted(opened.report_rows([report_id])[report_id] * 2)
        with pytest.raises(KeyboardInterrupt):
            opened.write(extractor="x", rules_version="x", remove=[report_id],
                         reports=[StoredReport("new", 0, "new", "", "h", "", rows)])
    pd.testing.assert_frame_equal(api.stored_claims(store), before)


def test_bad_stores_are_one_line_errors(tmp_path: Path, seeds_dir: Path) -> None:
    not_sqlite = write(tmp_path / "notes.db", "not a database\n")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    newer = tmp_path / "newer.db"
    assert run("index", str(seeds_dir), "--store", str(newer)).returncode == 0
    connection = sqlite3.connect(newer)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.commit()
    connection.close()
    for store, message in ((not_sqlite, "not an SQLite file"), (other, "another kind"),
                           (newer, "newer than this factcheck reads"),
                           (tmp_path, "a folder")):
        for command in ("index", "report", "claims"):
            done = run(command, str(seeds_dir), "--store", str(store))
            assert done.returncode == 2, done.stderr
            assert done.stderr.count("\n") == 1 and message in done.stderr
            assert "Traceback" not in done.stderr
    with pytest.raises(StoreError, match="not found"):
        api.stored_claims(tmp_path / "missing.db")
    assert not_sqlite.read_text() == "not a database\n"  # never overwritten


def test_is_store(tmp_path: Path, seeds_dir: Path) -> None:
    store = tmp_path / "reference"  # no suffix: known by its SQLite header
    factcheck.analyse([seeds_dir], store=store)
    assert is_store(store) and is_store(tmp_path / "missing.db")
    assert not is_store(seeds_dir) and not is_store(next(seeds_dir.iterdir()))


def test_index_command_says_what_it_did(reports: Path, tmp_path: Path, rules_dir: Path) -> None:
    store = tmp_path / "claims.db"
    first = run("index", str(reports), "--store", str(store))
    assert first.returncode == 0, first.stderr
    assert "4 reports (4 added, 0 reused, 0 re-extracted, 0 removed)" in first.stdout
    assert factcheck.load_rules().version in first.stdout
    (reports / "fire" / "b.md").unlink()
    again = run("index", str(reports), "--store", str(store))
    assert "3 reports (0 added, 3 reused, 0 re-extracted, 1 removed)" in again.stdout
    plain = run("claims", str(reports), "-f", "csv")
    stored = run("claims", str(reports), "-f", "csv", "--store", str(store))
    assert stored.stdout == plain.stdout and stored.stderr == ""
    local = write(tmp_path / "local" / "scope.yaml",
                  (rules_dir / "scope.yaml").read_text(encoding="utf-8") + "\n# ours\n").parent
    other = run("report", str(reports), "--store", str(store), "--rules", str(local))
    assert other.returncode == 0 and "other rules" in other.stderr
    assert "left as it is" in other.stderr


def test_index_leaves_out_what_exclude_matches(tmp_path: Path,
                                               rules: factcheck.RuleSet) -> None:
    write(tmp_path / "ref" / "a.txt", "Police said 12 people were killed.\n")
    write(tmp_path / "ref" / "drafts" / "b.txt", "Police said 14 people were killed.\n")
    store = tmp_path / "claims.db"
    update, problems = api.index_reports([tmp_path / "ref"], store, rules, exclude=["drafts/"])
    assert (update.reports, problems) == (1, [])


# -- damage: a store whose bytes changed is found out, said so, and built again -------------

def _damaged_run(documents: list[Document], rules: factcheck.RuleSet, store: Path,
                 data: bytes, fresh: pd.DataFrame, reference: pd.DataFrame) -> None:
    """One run over a store holding `data`: the fresh claims exactly (the damage found, and
    the store rebuilt, or none seen), or a `StoreError`, which the command prints as one line
    naming the store, with exit 2. Never another exception (exit 70). Read as a reference
    (`check --against`), the store gives its claims as written or a `StoreError`."""
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    store.write_bytes(data)
    try:
        assert records(api.stored_claims(store)) == records(reference)
    except StoreError as error:
        assert error.exit_code == 2 and error.path == str(store)
    store.write_bytes(data)
    try:
        table, _ = api.claims_through_store(documents, rules, store)
    except StoreError as error:
        assert error.exit_code == 2 and error.path == str(store)
        return
    assert records(table) == records(fresh)


def test_a_damaged_store_is_said_and_rebuilt(reports: Path, tmp_path: Path,
                                             rules: factcheck.RuleSet) -> None:
    reports = reports / "fire"
    store = tmp_path / "claims.db"
    assert run("index", str(reports), "--store", str(store)).returncode == 0
    sound = store.read_bytes()
    assert len(sound) > 8192
    # random bytes past the first page: SQLite finds the file malformed; the command says
    # so in one line, rebuilds the store, and prints the claims a fresh run prints
    rng = random.Random(16)
    store.write_bytes(sound[:4096] + bytes(rng.randrange(256) for _ in range(len(sound) - 4096)))
    done = run("claims", str(reports), "-f", "csv", "--store", str(store))
    assert done.returncode == 0 and done.stdout == run("claims", str(reports), "-f", "csv").stdout
    assert done.stderr.count("\n") == 1 and "damaged claims store" in done.stderr
    assert "rebuilt" in done.stderr and str(store) in done.stderr
    assert run("claims", str(reports), "--store", str(store)).stderr == ""  # sound again
    # one 8-byte flip at a time, across the whole file (header, schema, tables, indexes)
    documents, _ = driver.documents_of([str(reports)], None)
    fresh = api.analyse([str(reports)], rules).claims
    store.write_bytes(sound)
    reference = api.stored_claims(store)
    for offset in range(0, len(sound) - 8, 97):
        flipped = bytearray(sound)
        flipped[offset:offset + 8] = bytes(b ^ 0xFF for b in flipped[offset:offset + 8])
        _damaged_run(documents, rules, store, bytes(flipped), fresh, reference)


def test_a_changed_claim_row_fails_its_digest(reports: Path, tmp_path: Path) -> None:
    # A change SQLite cannot see (a well-formed value, another word) is caught by the digest:
    # a reference store is an error, a run with the reports builds the store again.
    store = tmp_path / "claims.db"
    assert run("index", str(reports), "--store", str(store)).returncode == 0
    connection = sqlite3.connect(store)
    connection.execute("UPDATE claims SET metric = 'arrerude' WHERE rowid = 1")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="do not match their digest"):
        api.stored_claims(store)
    table, update = through_store([reports], store)
    assert update.damaged and "arrerude" not in set(table.metric)
    assert "arrerude" not in set(api.stored_claims(store).metric)


def test_two_index_runs_into_one_new_store_leave_one_runs_reports(reports: Path,
                                                                  tmp_path: Path) -> None:
    # Started together, the second waits for the first and then makes the store exactly its
    # own reports: never the union of both.
    store = tmp_path / "new.db"
    first, second = reports / "fire", reports / "seeds"
    command = [sys.executable, "-m", "factcheck", "index"]
    runs = [subprocess.Popen([*command, str(paths), "--store", str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={"NO_COLOR": "1", "PATH": ""})
            for paths in (first, second)]
    for process in runs:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    with ClaimStore(store) as opened:
        paths = {key.path for key in opened.keys().values()}
    expected = [{str(p) for p in folder.rglob("*") if p.is_file()} for folder in (first, second)]
    assert paths in expected
