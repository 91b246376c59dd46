"""The claims store at scale: a one-draft check against a stored reference, and a re-index.

1. Reference: a claims store of `--reports` reports (default 100,000) of `bench/speed.py`'s
   synthetic corpus (4 KB reports in stories of 10). Extracting 100k reports takes about ten
   minutes on a busy 2-core machine, so by default the store is filled by the fast path: a
   sample (`--sample`, default 1,000 reports) is extracted, and its stored claims are
   replicated under distinct report names, stories and content hashes until the store holds
   `--reports` reports; the output says so. `--full` extracts every report with
   `factcheck index` instead (and times that).
2. Check: a draft (one report of a stored story, with its `event` as front matter) checked
   against the store in a fresh process, timed end to end from process start: load the rules,
   extract the draft's claims, load the reference claims of the draft's story and metrics from
   the store (`factcheck.run.api.stored_claims`, through the store's indexes), and compare them
   (`find_discrepancies`). Printed against the 2 s target (the median of `--repeat` runs), with
   `factcheck check DRAFT --against STORE` when that command takes a store, and with
   `--no-story` the same draft against every claim of its metrics (a draft of no known story).
3. Re-index: `factcheck index` of a real synthetic corpus of `--reindex-size` reports (default
   2,000; every report extracted), then again after 1% of its reports changed: that run's time
   and counts (only the changed reports are re-extracted), and whether `factcheck claims
   --store` prints the same table as a plain `factcheck claims`.

Usage:
    python bench/store.py                           # 100k reference (fast path), 2k re-index
    python bench/store.py --reports 100000 --full   # extract all 100k (about ten minutes)
    python bench/store.py --reindex-size 100000     # the re-index at 100k (extracts 100k once)
    python bench/store.py --keep /tmp/store-bench   # keep the stores and corpora, reuse them
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

TARGET_SECONDS = 2.0
FACTCHECK = str(Path(sys.executable).with_name("factcheck"))


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(command: list[str], check: bool = True) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if check and done.returncode not in (0, 1):
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{' '.join(command)} failed (exit {done.returncode})")
    return seconds, done


# --- the reference store ----------------------------------------------------------------

def fill_by_replication(store: Path, corpus: Path, reports: int) -> dict[str, Any]:
    """Extract the sample corpus, then store its claims again and again under new names."""
    import factcheck
    from factcheck.run.api import claims_through_store
    from factcheck.run.driver import documents_of
    from factcheck.run.store import STORED_COLUMNS, ClaimStore, StoredReport, extractor_version

    rules = factcheck.load_rules()
    sample_store = store.with_name(store.stem + "-sample.db")
    if sample_store.exists():
        sample_store.unlink()
    documents, _ = documents_of([corpus], None)
    start = time.perf_counter()
    claims_through_store(documents, rules, sample_store, prune=True, frame=False)
    extract_s = time.perf_counter() - start
    with ClaimStore(sample_store) as sample:
        keys = sample.keys()
        rows = sample.report_rows([k.report_id for k in keys.values()])
        stored = {(r[0], r[1]): r for r in sample.connection.execute(
            "SELECT doc, occurrence, path, story, content_hash, context, id FROM reports "
            "ORDER BY position")}
    # a stored row is (seq, part_of_seq, stored columns…)
    story_at, doc_at = STORED_COLUMNS.index("story") + 2, STORED_COLUMNS.index("doc") + 2

    base = [StoredReport(doc, occurrence, path, story, digest, context, rows[report_id])
            for (doc, occurrence), (_, _, path, story, digest, context, report_id)
            in stored.items()]
    start = time.perf_counter()
    with ClaimStore(store, create=True) as target:
        copy, written = 0, 0
        while written < reports:
            batch = []
            for report in base[: reports - written]:
                doc, story = f"{report.doc}~{copy}", f"{report.story}~{copy}"
                digest = hashlib.sha256(f"{report.content_hash}~{copy}".encode()).hexdigest()
                rows = []
                for row in report.rows:
                    copied = list(row)
                    copied[story_at], copied[doc_at] = story, doc
                    rows.append(tuple(copied))
                batch.append(replace(report, doc=doc, story=story, content_hash=digest,
                                     rows=rows))
            target.write(extractor=extractor_version(rules), rules_version=rules.version,
                         reports=batch)
            written += len(batch)
            copy += 1
        summary = target.summary()
    sample_store.unlink()
    for suffix in ("-wal", "-shm"):
        Path(str(sample_store) + suffix).unlink(missing_ok=True)
    return {"how": f"fast path: {len(base):,} reports extracted in {extract_s:.1f} s, their "
                   f"claims replicated {copy} times under distinct names, stories and hashes",
            "fill_s": time.perf_counter() - start, **summary}


def fill_by_index(store: Path, corpus: Path) -> dict[str, Any]:
    seconds, done = run([FACTCHECK, "index", str(corpus), "--store", str(store)])
    note(done.stdout.strip())
    import factcheck.run.store as claim_store

    with claim_store.ClaimStore(store) as opened:
        summary = opened.summary()
    return {"how": "every report extracted (factcheck index)", "fill_s": seconds, **summary}


# --- the check, in a fresh process --------------------------------------------------------

def check_one(store: str, draft: str, by_story: bool) -> None:
    """What `factcheck check DRAFT --against STORE` does with the store: run in its own
    process by `time_check`, which times it from process start."""
    from factcheck.run import api

    rules = api.load_rules()
    draft_claims = api.extract_claims([draft], rules)
    metrics = sorted(set(draft_claims["metric"]))
    stories = sorted(set(draft_claims["story"])) if by_story else None
    reference = api.stored_claims(store, metrics=metrics, stories=stories, rules=rules)
    findings = api.find_discrepancies(
        api.pd.concat([reference, draft_claims], ignore_index=True), rules)
    print(json.dumps({"draft_claims": len(draft_claims), "reference_claims": len(reference),
                      "findings": len(findings)}))


def time_check(store: Path, draft: Path, by_story: bool, repeat: int) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--check-one", str(store),
               str(draft)] + (["--by-story"] if by_story else [])
    times, result = [], {}
    for _ in range(repeat):
        seconds, done = run(command)
        times.append(seconds)
        result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": statistics.median(times), **result}


def time_check_command(store: Path, draft: Path, repeat: int) -> float | None:
    """`factcheck check DRAFT --against STORE`, once the check command takes a store."""
    _, done = run([FACTCHECK, "check", str(draft), "--against", str(store)], check=False)
    if done.returncode not in (0, 1):
        return None
    return statistics.median(
        run([FACTCHECK, "check", str(draft), "--against", str(store)])[0]
        for _ in range(repeat))


def write_draft(path: Path, corpus: Path, story: str) -> None:
    """A draft of one stored story: a sample report's text with the story as its event."""
    record = json.loads(corpus.open(encoding="utf-8").readline())
    path.write_text(f"---\nevent: {story}\ndate: {record['date']}\n---\n\n{record['text']}\n",
                    encoding="utf-8")


# --- the re-index -------------------------------------------------------------------------

def reindex(folder: Path, size: int, seed: int) -> dict[str, Any]:
    from speed import write_corpus

    corpus = folder / "reindex" / "corpus.jsonl"
    store = folder / "reindex.db"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    original = folder / f"synthetic-{size}-seed{seed}.jsonl"
    if not original.exists():
        note(f"generating {size:,} reports ...")
        write_corpus(original, size, seed)
    shutil.copyfile(original, corpus)
    for path in (store, Path(f"{store}-wal"), Path(f"{store}-shm")):
        path.unlink(missing_ok=True)
    note(f"indexing {size:,} reports (every one extracted) ...")
    first_s, first = run([FACTCHECK, "index", str(corpus), "--store", str(store)])
    # 1% of the reports change: a sentence added to every hundredth one.
    lines = corpus.read_text(encoding="utf-8").splitlines()
    for number in range(0, len(lines), 100):
        record = json.loads(lines[number])
        record["text"] += "\n\nTwo more people were injured, the mayor's office said."
        lines[number] = json.dumps(record, ensure_ascii=False)
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    note("re-indexing after 1% changed ...")
    again_s, again = run([FACTCHECK, "index", str(corpus), "--store", str(store)])
    same = None
    if size <= 5000:  # a plain run extracts everything again: only where that is quick
        note("comparing claims --store with a plain run ...")
        _, stored = run([FACTCHECK, "claims", str(corpus), "--store", str(store), "-f", "csv"])
        _, plain = run([FACTCHECK, "claims", str(corpus), "-f", "csv"])
        same = stored.stdout == plain.stdout
    return {"size": size, "first_s": first_s, "first": first.stdout.strip(),
            "again_s": again_s, "again": again.stdout.strip(), "identical": same}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports in the reference")
    parser.add_argument("--sample", type=int, default=1000,
                        help="reports extracted for the fast path (default 1000)")
    parser.add_argument("--full", action="store_true",
                        help="extract every reference report instead of replicating a sample")
    parser.add_argument("--reindex-size", type=int, default=2000,
                        help="reports in the re-index test (default 2000; 0 skips it)")
    parser.add_argument("--no-story", action="store_true",
                        help="also time the draft against every claim of its metrics, all "
                        "stories (slow: the findings of hundreds of thousands of claims)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timed check")
    parser.add_argument("--seed", type=int, default=20240501, help="corpus seed")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="keep the corpora and stores here, and reuse the reference")
    parser.add_argument("--check-one", nargs=2, metavar=("STORE", "DRAFT"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--by-story", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check_one:
        check_one(*args.check_one, args.by_story)
        return 0

    from speed import write_corpus

    with tempfile.TemporaryDirectory(prefix="factcheck-store-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        size = args.reports if args.full else args.sample
        corpus = folder / f"synthetic-{size}-seed{args.seed}.jsonl"
        if not corpus.exists():
            note(f"generating {size:,} reports ...")
            write_corpus(corpus, size, args.seed)
        store = folder / f"reference-{args.reports}{'-full' if args.full else ''}.db"
        if store.exists() and args.keep:
            from factcheck.run.store import ClaimStore

            with ClaimStore(store) as opened:
                built = {"how": "kept from an earlier run", "fill_s": 0.0, **opened.summary()}
        else:
            note(f"building a reference of {args.reports:,} reports in {store} ...")
            built = (fill_by_index(store, corpus) if args.full
                     else fill_by_replication(store, corpus, args.reports))
        story = "e00000" if args.full else "e00000~0"
        draft = folder / "draft.md"
        write_draft(draft, corpus, story)
        size_mb = store.stat().st_size / 1e6
        print(f"reference: {built['reports']:,} reports, {built['claims']:,} claims, "
              f"{size_mb:,.0f} MB ({built['how']}; filled in {built['fill_s']:.1f} s)")
        by_story = time_check(store, draft, True, args.repeat)
        verdict = "meets" if by_story["seconds"] <= TARGET_SECONDS else "MISSES"
        print(f"check of one draft (story {story}), end to end in a fresh process: "
              f"{by_story['seconds']:.2f} s, median of {args.repeat} ({verdict} the "
              f"{TARGET_SECONDS:.0f} s target); {by_story['draft_claims']} draft claims, "
              f"{by_story['reference_claims']:,} reference claims, "
              f"{by_story['findings']} findings")
        if args.no_story:
            by_metric = time_check(store, draft, False, 1)
            print(f"same draft with no story filter (every claim of its metrics): "
                  f"{by_metric['seconds']:.2f} s; {by_metric['reference_claims']:,} reference "
                  f"claims, {by_metric['findings']:,} findings")
        command = time_check_command(store, draft, args.repeat)
        print("factcheck check DRAFT --against STORE: " + (
            f"{command:.2f} s" if command is not None else "not available in this version"))
        if args.reindex_size:
            result = reindex(folder, args.reindex_size, args.seed)
            print(f"index of {result['size']:,} reports: {result['first_s']:.1f} s "
                  f"({result['first']})")
            print(f"re-index after 1% changed: {result['again_s']:.1f} s ({result['again']})")
            if result["identical"] is not None:
                print("claims --store identical to a plain run: "
                      + ("yes" if result["identical"] else "NO"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
