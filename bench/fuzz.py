"""Fuzz the document loader and the claim extractor for a fixed time.

Each input is a seed (the shipped reports, and JSONL, CSV, front-matter and manifest documents
made from them) mutated at random: bytes flipped, inserted, deleted, duplicated or spliced from
another seed; tokens that break parsers inserted (NUL, byte-order marks, `---`, quotes, YAML
tags, JSON escapes of lone surrogates, long runs of digits); the whole re-encoded (UTF-16,
UTF-32, Windows-1252, Latin-1). Hostile seeds and tokens stand for the classes of issue 16: data
nested hundreds deep (JSONL, front matter), YAML alias bombs, terminal escapes in the text; a
folder may be nested past the depth limit, hold a `.factcheckignore`, or hold the outputs a
previous `--out` wrote. It is written into a fresh folder with a random report or corpus
suffix, then run through what `factcheck report --out` does: `load_documents`, `read_claims`,
`find_discrepancies`, and both CSV renderers and the JSON one.

A crash is any exception other than the one the loader raises on purpose when nothing could be
read (`FactcheckError`, exit 2), a diagnostic that is not one line, or an input that takes longer
than `--timeout` seconds. Crashing inputs are saved with their traceback under `--crashes`.

With `--stores N`, N damaged claims stores as well: a store of the seeds with 8 bytes flipped
at a random offset, or its tail past the first page random, read as `--store` reads it. Each
must give the claims a fresh extraction gives, or a `StoreError` (exit 2); anything else, or
other claims, is a crash.

Usage: python bench/fuzz.py [--seconds 60] [--seed N] [--crashes DIR] [--timeout 20]
                            [--stores N]
"""

from __future__ import annotations

import argparse
import codecs
import csv
import io
import json
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.errors import FactcheckError  # noqa: E402
from factcheck.extract.claims import ClaimReader  # noqa: E402
from factcheck.io.documents import load_documents  # noqa: E402
from factcheck.io.exclude import IGNORE_FILE, mark_outputs  # noqa: E402
from factcheck.report.console import make_console  # noqa: E402
from factcheck.report.formats.markdown import to_markdown  # noqa: E402
from factcheck.report.tables import to_csv_text, to_json  # noqa: E402
from factcheck.report.terminal import print_report  # noqa: E402
from factcheck.ruleset.model import RuleSet  # noqa: E402
from factcheck.run.api import find_discrepancies, load_rules  # noqa: E402
from factcheck.run.driver import read_claims  # noqa: E402
from factcheck.run.frames import claims_frame  # noqa: E402
from factcheck.run.indexing import claims_through_store  # noqa: E402
from factcheck.run.store import StoreError  # noqa: E402

SUFFIXES = (".txt", ".md", ".jsonl", ".csv")
# Tokens that parsers of text, YAML front matter, JSON and CSV treat specially.
TOKENS = [
    b"\x00", b"\xff", b"\xfe", b"\xc3", b"\x81", b"\x93", b"\r", b"\n", b"\r\n", b"\t", b'"',
    b"'", b",", b"{", b"}", b"[", b"]", b":", b"---\n", b"...\n", b"\n---\n", b"# ",
    codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
    b"!!python/object/apply:os.system ['true']", b"&anchor ", b"*anchor", b"<<: ",
    b"date: 2024-13-45\n", b"date: next week\n", b"date 2024-01-11 ", b"date 2024-02-30 ",
    b'\\ud83d', b'\\u0000', b'"text": ', b'{"text": "', b'"}\n', b"9" * 40, b"1,000,000",
    b"at least ", b"more than ", b"dozens of ", b"forty-eight ", b"hundred ", b"million ",
    b" people were killed", b" were injured", b" were arrested", b" police said",
    b" on Friday", b" (January 5) ", b"\xe2\x80\x9c", b"\xe2\x80\x94", b"\xed\xa0\x80",
    "İ".encode(), "\u2028".encode(), "\u200b".encode(), "\u00ad".encode(), "\u2060".encode(),
    "\u200f".encode(), "\ufeff".encode(), "\x91".encode(), b"title: a\x1bb\n",
    b"=HYPERLINK(\"x\")", b"@SUM(A1)", b"-1", b"+1",
    b"\x1b[31m", b"\x1b[0m", b"\x1b]0;12 killed\x07", b"\x9b1m", b"[" * 600, b"{\"a\": " * 200,
]
ENCODINGS = ("utf-16", "utf-32", "cp1252", "latin-1", "utf-8-sig")


def seed_documents() -> list[tuple[str, bytes]]:
    """(suffix, bytes) seeds: the shipped reports and corpora made from their paragraphs."""
    texts = [path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds").glob("*.txt"))]
    paragraphs = [p for text in texts for p in text.split("\n\n") if p.strip()]
    seeds = [(".txt", text.encode()) for text in texts]
    seeds.append((".md", (
        "---\nsource: Wire\ndate: 2024-01-11\ntitle: Blasts\nevent: kerman\n---\n"
        + texts[0]).encode()))
    records = [{"id": f"r{i}", "source": "Agency", "date": f"2024-01-{i % 28 + 1:02d}",
                "title": f"Report {i}", "text": p} for i, p in enumerate(paragraphs[:12])]
    seeds.append((".jsonl", "".join(json.dumps(r, ensure_ascii=i % 2 == 0) + "\n"
                                    for i, r in enumerate(records)).encode()))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    seeds.append((".csv", buffer.getvalue().encode()))
    seeds.append(DUPLICATE_COLUMNS)
    seeds.extend(HOSTILE)
    return seeds


def _laughs(levels: int = 10) -> bytes:
    """YAML "billion laughs": each anchor nine aliases of the one before (9**levels values)."""
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for previous, name in zip("abcdefghijklmno", "bcdefghijklmnop"[:levels - 1], strict=False):
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    return text.encode()


# Inputs of the hostile classes: nesting past the limit, alias bombs, terminal escapes.
HOSTILE = [
    (".jsonl", b'{"text": "12 people were killed.", "x": ' + b"[" * 600 + b"]" * 600 + b"}\n"
     + b'{"text": "14 people were killed.", "incident_id": 2}\n'),
    (".md", b"---\ntitle: T\nx: " + b"[" * 600 + b"]" * 600 + b"\n---\n12 people were killed.\n"),
    (".md", b"---\n" + _laughs() + b"---\n12 people were killed.\n"),
    (".txt", b"\x1b[31m12\x1b[0m people were killed; \x1b]0;30 killed\x07 \x1b[5m wounded.\n"),
]


# A CSV corpus whose header names a column twice (a problem at line 1, never a silent read).
DUPLICATE_COLUMNS = (".csv", b"id,text,source,text\nr1,12 people were killed,Wire,x\n")

MANIFESTS = [
    ("sources.csv", b"file,source,date\nreport.txt,Wire,2024-01-05\ngone.txt,X,2024-01-06\n"),
    ("sources.yaml", b"report.txt:\n  source: Wire\n  date: 2024-01-05\nreport.md: {date: x}\n"),
]


def mutate(data: bytes, other: bytes, rng: random.Random) -> bytes:
    """One to eight random mutations of `data`; `other` is a seed to splice from."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(buffer))
        choice = rng.randrange(9)
        if choice == 0 and buffer:  # flip bits of a byte
            index = rng.randrange(len(buffer))
            buffer[index] ^= 1 << rng.randrange(8)
        elif choice == 1:  # random bytes
            buffer[at:at] = rng.randbytes(rng.randint(1, 16))
        elif choice == 2:  # delete a range
            del buffer[at:at + rng.randint(1, 64)]
        elif choice == 3 and buffer:  # duplicate a range
            start = rng.randrange(len(buffer))
            buffer[at:at] = buffer[start:start + rng.randint(1, 200)]
        elif choice == 4:  # splice from another seed
            start = rng.randint(0, len(other))
            buffer[at:at] = other[start:start + rng.randint(1, 400)]
        elif choice == 5:  # truncate
            del buffer[at:]
        else:  # a token parsers treat specially (the likeliest mutation)
            buffer[at:at] = rng.choice(TOKENS)
    if rng.random() < 0.08:  # the whole input in another encoding, where it can be
        encoding = rng.choice(ENCODINGS)
        text = bytes(buffer).decode("utf-8", errors="ignore")
        buffer = bytearray(text.encode(encoding, errors="ignore"))
    return bytes(buffer)


@dataclass
class Crash:
    kind: str
    where: str
    input_path: Path


@dataclass
class Tally:
    tried: int = 0
    loaded: int = 0
    claims: int = 0
    problems: int = 0
    nothing_readable: int = 0
    slowest: float = 0.0
    crashes: list[Crash] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)


class InputTimeout(Exception):
    """One input took longer than `--timeout`: a hang, counted as a crash."""


def _alarm(signum: int, frame: object) -> None:
    raise InputTimeout


def _one_line(diagnostic: str) -> None:
    if "\n" in diagnostic or "\r" in diagnostic:
        raise AssertionError(f"a diagnostic of more than one line: {diagnostic!r}")


# What no text output may print but the line break: C0, DEL, C1, bidi controls, surrogates.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                      "\u2066-\u2069\ud800-\udfff]")


def _no_control(output: str, what: str) -> None:
    found = _CONTROL.search(output)
    if found:
        raise AssertionError(f"{what} printed the control character {found.group()!r}")


def run_one(folder: Path, rules: RuleSet) -> tuple[int, int, int]:
    """What `factcheck report --out` does on `folder`: (documents, claims, problems)."""
    try:
        loaded = load_documents([folder])
    except FactcheckError as error:
        _one_line(str(error))
        raise
    for problem in loaded.problems:
        _one_line(str(problem))
    problems = list(loaded.problems)
    claims = claims_frame(read_claims(loaded.documents, rules, problems))
    findings = find_discrepancies(claims, rules)
    to_csv_text(claims).encode("utf-8")
    to_csv_text(findings).encode("utf-8")
    to_json(claims, findings).encode("utf-8")
    shown = io.StringIO()  # what a terminal would get: no escape sequence from the input
    print_report(make_console("never", file=shown), claims, findings,
                 problems=[str(problem) for problem in problems])
    _no_control(shown.getvalue(), "the report")
    _no_control(to_markdown(claims, findings), "the markdown report")
    return len(loaded.documents), len(claims), len(problems)


def where_from(error: BaseException) -> str:
    """The innermost frame of factcheck's own code: crashes there are one bug."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "factcheck" in f.filename]
    frame = frames[-1] if frames else traceback.extract_tb(error.__traceback__)[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} {frame.name}"


def fuzz(seconds: float, seed: int, crashes_dir: Path, timeout: int,
         report: Callable[[str], None] = print) -> Tally:
    rng = random.Random(seed)
    rules = load_rules()
    ClaimReader(rules)  # the rules' patterns compiled once, before the time that is measured
    seeds = seed_documents()
    tally = Tally()
    work = Path(tempfile.mkdtemp(prefix="factcheck-fuzz-"))
    warm = work / "warm-up"  # one clean seed first: imports and rendering set up, unmeasured
    warm.mkdir()
    suffix, data = seeds[0]
    (warm / f"report{suffix}").write_bytes(data)
    run_one(warm, rules)
    shutil.rmtree(warm, ignore_errors=True)
    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            folder = work / f"in{tally.tried}"
            folder.mkdir()
            suffix, data = rng.choice(seeds)
            if rng.random() < 0.2:
                suffix = rng.choice(SUFFIXES)  # a seed under another type's name
            _, other = rng.choice(seeds)
            name = "report" + suffix
            where = folder
            if rng.random() < 0.03:  # past the folder depth limit
                where = folder.joinpath(*["d"] * 80)
                where.mkdir(parents=True)
            (where / name).write_bytes(mutate(data, other, rng))
            if rng.random() < 0.05:  # a previous --out, and globs the walk leaves out
                (folder / "out").mkdir()
                (folder / "out" / "claims.csv").write_bytes(b"claim_id,text\nc1,9 killed\n")
                mark_outputs(folder / "out", ["claims.csv"])
                (folder / IGNORE_FILE).write_bytes(rng.choice(TOKENS) + b"\n*.md\n!x\n")
            if rng.random() < 0.15:
                manifest_name, manifest = rng.choice(MANIFESTS)
                manifest = mutate(manifest, data, rng) if rng.random() < 0.7 else manifest
                (folder / manifest_name).write_bytes(manifest)
            tally.tried += 1
            started = time.monotonic()
            try:
                if use_alarm:
                    signal.alarm(timeout)
                documents, claims, problems = run_one(folder, rules)
                tally.loaded += documents
                tally.claims += claims
                tally.problems += problems
            except FactcheckError:
                tally.nothing_readable += 1  # exit 2 by design: no report could be read
            except Exception as error:  # every other exception is a crash
                kind = type(error).__name__
                key = f"{kind} at {where_from(error)}"
                saved = crashes_dir / f"crash-{tally.tried}-{kind}"
                saved.mkdir(parents=True, exist_ok=True)
                for path in folder.iterdir():
                    shutil.copy(path, saved / path.name)
                (saved / "traceback.txt").write_text(traceback.format_exc(), encoding="utf-8")
                tally.crashes.append(Crash(kind, key, saved))
                if tally.kinds[key] == 0:
                    report(f"crash: {key}: {error!s:.200} (input saved in {saved})")
                tally.kinds[key] += 1
            finally:
                if use_alarm:
                    signal.alarm(0)
                tally.slowest = max(tally.slowest, time.monotonic() - started)
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tally


def fuzz_stores(trials: int, seed: int, report: Callable[[str], None] = print) -> list[str]:
    """`trials` damaged stores of the seeds, each read through the store as `--store` does:
    the crashes (an exception other than `StoreError`, or claims a fresh run would not give)."""
    rng = random.Random(seed)
    rules = load_rules()
    loaded = load_documents([REPO / "seeds"])
    fresh = claims_frame(read_claims(loaded.documents, rules, []))
    crashes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="factcheck-fuzz-store-") as work:
        store = Path(work) / "claims.db"
        claims_through_store(loaded.documents, rules, store)
        sound = store.read_bytes()
        for trial in range(trials):
            data = bytearray(sound)
            if rng.random() < 0.2:
                data[4096:] = rng.randbytes(len(data) - 4096)
            else:
                at = rng.randrange(len(data) - 8)
                data[at:at + 8] = bytes(b ^ rng.randrange(1, 256) for b in data[at:at + 8])
            for suffix in ("-wal", "-shm"):
                Path(f"{store}{suffix}").unlink(missing_ok=True)
            store.write_bytes(bytes(data))
            try:
                table, _ = claims_through_store(loaded.documents, rules, store)
                if not table.equals(fresh):
                    crashes.append(f"store trial {trial}: claims other than a fresh run's")
            except StoreError as error:
                _one_line(str(error))
            except Exception as error:  # every other exception is a crash
                crashes.append(f"store trial {trial}: {type(error).__name__} at "
                               f"{where_from(error)}: {error!s:.200}")
            if crashes and len(crashes) == 1:
                report(f"crash: {crashes[0]}")
    return crashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    parser.add_argument("--crashes", type=Path, default=Path(tempfile.gettempdir())
                        / "factcheck-fuzz-crashes", help="where crashing inputs are saved")
    parser.add_argument("--timeout", type=int, default=20,
                        help="seconds one input may take before it counts as a hang")
    parser.add_argument("--stores", type=int, default=0,
                        help="damaged claims stores to try as well (none by default)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int(time.time())
    started = time.monotonic()
    tally = fuzz(args.seconds, seed, args.crashes, args.timeout)
    elapsed = time.monotonic() - started
    print(f"seed {seed}: {tally.tried} inputs in {elapsed:.0f} s "
          f"({tally.tried / elapsed:.0f}/s); {tally.loaded} reports read, {tally.claims} claims, "
          f"{tally.problems} diagnostics, {tally.nothing_readable} inputs with nothing readable "
          f"(exit 2 by design); slowest input {tally.slowest:.2f} s")
    print(f"crashes: {len(tally.crashes)} ({len(tally.kinds)} distinct)")
    for key, count in tally.kinds.most_common():
        print(f"  {count:5}  {key}")
    store_crashes = fuzz_stores(args.stores, seed) if args.stores else []
    if args.stores:
        print(f"damaged stores: {args.stores} tried, {len(store_crashes)} crashes")
    return 1 if tally.crashes or store_crashes else 0


if __name__ == "__main__":
    sys.exit(main())
