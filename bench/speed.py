"""Extraction and findings speed on synthetic corpora, against a plain regex scan.

Generates a deterministic synthetic corpus of news-like reports (about 4 KB each: casualty and
arrest sentences among filler prose, number words, qualifiers, dates and attributions; grouped
into stories of about ten reports by an `event` field so that findings have something to
compare) as JSONL, with `id`, `source`, `date`, `event` and `text` fields. For each size, and for
the Gun Violence Archive corpus (../shared/corpus/gva/articles.jsonl, grouped by `incident_id`)
with `--gva` when it is present, it measures in a fresh process:

- extraction: `load_documents` + `read_claims` + `claims_frame` (wall time): reports/s, MB/s;
- findings: `find_discrepancies` on that claims table (wall time);
- peak memory: `ru_maxrss` of that process (it includes the interpreter, pandas and the rules);
- a regex baseline: one compiled `re` pattern's `findall` over the same document texts, already
  in memory, in the same process: its reports/s, and the ratio extraction time / regex time
  (how many times slower the extractor is than a bare scan).

MB counts the UTF-8 bytes of the document texts. Every figure is from one process without
`--jobs`, so the rates are single-core rates (`bench/scale.py` measures `--jobs`).

Usage:
    python bench/speed.py                          # 1k and 10k reports
    python bench/speed.py --sizes 1000,10000,100000 --gva
    python bench/speed.py --json                   # the rows as JSON instead of the table
    python bench/speed.py --keep /tmp/corpora      # keep (and reuse) the generated corpora

100k reports take several minutes (an estimate is printed before that size runs).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GVA = REPO.parent / "shared" / "corpus" / "gva" / "articles.jsonl"
REPORT_BYTES = 4096
STORY_SIZE = 10

# The baseline: what a quick script would do instead of the extractor.
BASELINE = re.compile(
    r"\b(\d[\d,]*|[a-z]+-?[a-z]*)\s+(?:people|persons)\s+(?:were\s+)?(?:killed|injured|arrested)",
    re.IGNORECASE,
)

# --- the synthetic corpus -------------------------------------------------------------------

PLACES = [
    "Springfield", "the northern district", "Riverside", "the port city of Kessel", "Almora",
    "the capital", "Lake County", "the old market quarter", "Bellmont", "the border town of Tarun",
]
SOURCES = [
    "Daily Ledger", "Northern Herald", "Wire Service", "City Tribune", "Valley Post",
    "Evening Standard", "Coastal Times", "Metro News",
]
OFFICIALS = [
    "the police chief", "a hospital spokeswoman", "the regional governor", "fire officials",
    "the interior ministry", "a local council member", "emergency services", "the mayor's office",
]
NAMES = [
    "Maria Lopez", "James Okafor", "Chen Wei", "Anna Kowalski", "David Mensah", "Sara Haddad",
    "Peter Lindqvist", "Amina Yusuf", "Tom Brennan", "Lucia Ferreira",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
INCIDENTS = ["explosion", "fire", "shooting", "collapse", "flood", "crash", "storm"]
QUALIFIERS = ["at least", "more than", "about", "nearly", "some", "roughly", "", "", ""]

# Ordinary news prose without casualty or arrest words (numbers and dates are fine).
FILLER = [
    "The city council met on {weekday} to discuss the budget for the coming year.",
    "Officials said the new bridge would open to traffic by the end of {month}.",
    "Local businesses reported a busy weekend as visitors returned to the waterfront.",
    "The school board approved a {num}-page plan to renovate three buildings.",
    "Residents have long asked for better bus service along the main road.",
    "A spokesperson for the transport authority said the schedule would change in {month}.",
    "The region has seen steady growth in tourism over the past decade.",
    "Weather forecasters expect mild temperatures through the rest of the week.",
    "The library will extend its opening hours from {month} {day}.",
    "Analysts said the figures were broadly in line with expectations.",
    "Farmers in the valley said the harvest had been better than last year.",
    "The museum plans to reopen its east wing after {num} months of work.",
    "Traffic on the ring road was heavier than usual on {weekday} morning.",
    "The committee will publish its recommendations in {year}.",
    "Community groups organised a clean-up of the riverbank over the weekend.",
    "The hospital opened a new outpatient wing in {year}, funded by a regional grant.",
    "Shops along the high street said sales had picked up since the spring.",
    "The council has budgeted {num} million for road repairs this year.",
    "Volunteers handed out leaflets about the upcoming local elections.",
    "The regional airport announced {num} new routes for the summer season.",
    "Engineers are still assessing the state of the older buildings in the area.",
    "A public meeting is planned at the town hall on {weekday}, {month} {day}.",
    "The ministry said it would review its procedures before the end of {year}.",
    "Neighbours described the street as quiet and close-knit.",
]

ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(n: int) -> str:
    """English words for 0 <= n < 1000: 23 -> "twenty-three"."""
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{ONES[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")


def spell(rng: random.Random, n: int) -> str:
    """A figure as a report might write it: digits, digits with commas, or words."""
    if n < 100 and rng.random() < 0.35:
        return number_words(n)
    return f"{n:,}"


def qualified(rng: random.Random, n: int) -> str:
    qualifier = rng.choice(QUALIFIERS)
    return f"{qualifier} {spell(rng, n)}".strip()


def day_text(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def casualty_sentences(rng: random.Random, facts: dict[str, Any], day: date,
                       source: str) -> list[str]:
    """The figure-bearing sentences of one report, each report of a story drifting a little."""
    killed = max(0, facts["killed"] + rng.choice([0, 0, 0, 0, -1, 1, 2, 3]))
    injured = max(0, facts["injured"] + rng.choice([0, 0, 0, -2, 2, 5]))
    arrested = max(1, facts["arrested"] + rng.choice([0, 0, 0, 1, -1]))
    place, weekday = facts["place"], WEEKDAYS[facts["day"].weekday()]
    official = rng.choice(OFFICIALS)
    on_day = day_text(facts["day"])
    name = rng.choice(NAMES)
    incident = facts["incident"]
    pool = [
        f"At least {spell(rng, killed)} people were killed in {place} on {weekday}, "
        f"{source} said.",
        f"{capitalised(qualified(rng, injured))} others were injured, {official} told reporters.",
        f"Police arrested {spell(rng, arrested)} suspects on {on_day}.",
        f"The death toll rose to {spell(rng, killed)}, up from {spell(rng, max(0, killed - 2))}.",
        f"{name}, {rng.randint(19, 84)}, was pronounced dead at the scene.",
        f"{capitalised(spell(rng, facts['missing']))} people remain missing, "
        f"according to {official}.",
        f"About {spell(rng, facts['displaced'])} residents were displaced by the {incident}.",
        f"Authorities said {qualified(rng, injured)} people had been wounded in the {incident} "
        f"on {on_day}.",
        f"{capitalised(spell(rng, arrested))} people were taken into custody, "
        f"{official} said on {day_text(day)}.",
        f"The {incident} killed {qualified(rng, killed)} people and injured "
        f"{spell(rng, injured)}, the {source} reported.",
    ]
    count = rng.randint(4, 7)
    return [pool[0], *rng.sample(pool[1:], count - 1)]


def filler(rng: random.Random) -> str:
    return rng.choice(FILLER).format(
        weekday=rng.choice(WEEKDAYS), month=rng.choice(MONTHS), day=rng.randint(1, 28),
        num=rng.randint(2, 120), year=rng.randint(2015, 2026),
    )


def report_text(rng: random.Random, facts: dict[str, Any], day: date, source: str) -> str:
    """About `REPORT_BYTES` of paragraphs: figure sentences spread among filler."""
    figures = casualty_sentences(rng, facts, day, source)
    paragraphs = [figures.pop(0)]
    size = len(paragraphs[0])
    while size < REPORT_BYTES - 200:
        sentences = [filler(rng) for _ in range(rng.randint(2, 4))]
        if figures and rng.random() < 0.5:
            sentences.insert(rng.randrange(len(sentences) + 1), figures.pop(0))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    paragraphs.extend(figures)
    return "\n\n".join(paragraphs)


def synthetic_records(size: int, seed: int) -> Iterator[dict[str, Any]]:
    """`size` reports in stories of `STORY_SIZE`, the same for the same size and seed."""
    rng = random.Random(seed)
    facts: dict[str, Any] = {}
    for number in range(size):
        story = number // STORY_SIZE
        if number % STORY_SIZE == 0:
            facts = {
                "place": rng.choice(PLACES),
                "incident": rng.choice(INCIDENTS),
                "day": date(2022, 1, 1) + timedelta(days=rng.randrange(900)),
                "killed": rng.randint(1, 80),
                "injured": rng.randint(0, 150),
                "arrested": rng.randint(1, 15),
                "missing": rng.randint(1, 40),
                "displaced": rng.randint(50, 5000),
            }
        day = facts["day"] + timedelta(days=rng.randrange(4))
        source = rng.choice(SOURCES)
        yield {
            "id": f"r{number:06d}",
            "source": source,
            "date": day.isoformat(),
            "event": f"e{story:05d}",
            "text": report_text(rng, facts, day, source),
        }


def write_corpus(path: Path, size: int, seed: int) -> None:
    """Write the corpus as JSONL, a record at a time (so the parent holds none of it)."""
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        for record in synthetic_records(size, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    partial.replace(path)


# --- one measurement, in its own process ----------------------------------------------------

def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def measure(corpus: Path, label: str, group_by: str | None) -> dict[str, Any]:
    """Time extraction, findings and the regex baseline on one corpus, in this process."""
    sys.path.insert(0, str(REPO))
    import factcheck
    from factcheck.io.documents import load_documents
    from factcheck.run.api import find_discrepancies
    from factcheck.run.driver import read_claims
    from factcheck.run.frames import claims_frame

    rules = factcheck.load_rules()
    base_mb = rss_mb()

    start = time.perf_counter()
    loaded = load_documents([corpus], group_by=group_by)
    load_s = time.perf_counter() - start
    claims = claims_frame(read_claims(loaded.documents, rules))
    extraction = time.perf_counter() - start

    start = time.perf_counter()
    findings = find_discrepancies(claims, rules)
    findings_s = time.perf_counter() - start

    texts = [document.text for document in loaded.documents]
    start = time.perf_counter()
    matches = sum(len(BASELINE.findall(text)) for text in texts)
    regex_s = time.perf_counter() - start

    reports = len(texts)
    megabytes = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    return {
        "corpus": label,
        "reports": reports,
        "mb": round(megabytes, 2),
        "extraction_s": round(extraction, 3),
        "load_s": round(load_s, 3),
        "reports_per_s": round(reports / extraction, 1),
        "mb_per_s": round(megabytes / extraction, 3),
        "findings_s": round(findings_s, 3),
        "claims": len(claims),
        "findings": len(findings),
        "skipped": len(loaded.problems),
        "peak_mb": round(rss_mb(), 1),
        "base_mb": round(base_mb, 1),
        "regex_s": round(regex_s, 4),
        "regex_matches": matches,
        "regex_reports_per_s": round(reports / regex_s, 1),
        "regex_mb_per_s": round(megabytes / regex_s, 2),
        "ratio": round(extraction / regex_s, 1),
    }


def run_one(corpus: Path, label: str, group_by: str | None) -> dict[str, Any]:
    """`measure` in a fresh interpreter, so that each size has its own peak memory."""
    command = [sys.executable, str(Path(__file__).resolve()), "--one", str(corpus),
               "--label", label]
    if group_by:
        command += ["--group-by", group_by]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"measuring {label} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the table ------------------------------------------------------------------------------

COLUMNS = [  # heading, key, format
    ("corpus", "corpus", "{}"),
    ("reports", "reports", "{:,}"),
    ("MB", "mb", "{:.1f}"),
    ("extract s", "extraction_s", "{:.2f}"),
    ("reports/s", "reports_per_s", "{:,.0f}"),
    ("MB/s", "mb_per_s", "{:.2f}"),
    ("findings s", "findings_s", "{:.2f}"),
    ("claims", "claims", "{:,}"),
    ("findings", "findings", "{:,}"),
    ("peak MB", "peak_mb", "{:,.0f}"),
    ("regex reports/s", "regex_reports_per_s", "{:,.0f}"),
    ("ratio", "ratio", "{:,.0f}x"),
]


def table(rows: list[dict[str, Any]]) -> str:
    cells = [[fmt.format(row[key]) for _, key, fmt in COLUMNS] for row in rows]
    headings = [heading for heading, _, _ in COLUMNS]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headings)]
    lines = ["  ".join(h.rjust(w) if i else h.ljust(w)
                       for i, (h, w) in enumerate(zip(headings, widths, strict=True)))]
    for row in cells:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w)
                               for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    return "\n".join(lines)


def label_of(size: int) -> str:
    return f"synthetic {size // 1000}k" if size % 1000 == 0 else f"synthetic {size}"


def note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sizes_of(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of sizes: {text!r}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes are positive report counts")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes_of, default=[1000, 10000],
                        help="comma-separated report counts (default 1000,10000)")
    parser.add_argument("--gva", action="store_true",
                        help=f"also run the GVA corpus ({GVA}) when present")
    parser.add_argument("--seed", type=int, default=20240501, help="corpus seed")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="write the corpora here, keep them, and reuse them when present")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    parser.add_argument("--group-by", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one is not None:
        print(json.dumps(measure(args.one, args.label or args.one.name, args.group_by)))
        return 0

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="factcheck-speed-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            corpus = folder / f"synthetic-{size}-seed{args.seed}.jsonl"
            if not corpus.exists():
                note(f"generating {size:,} reports in {corpus} ...")
                write_corpus(corpus, size, args.seed)
            if rows and size >= 50_000:
                rate = rows[-1]["reports_per_s"]
                note(f"{size:,} reports: about {size / rate / 60:.0f} min of extraction "
                     f"at {rate:,.0f} reports/s, plus findings")
            elif size >= 50_000:
                note(f"{size:,} reports take several minutes")
            note(f"measuring {label_of(size)} ...")
            rows.append(run_one(corpus, label_of(size), None))
        if args.gva:
            if GVA.exists():
                note(f"measuring GVA ({GVA}) ...")
                rows.append(run_one(GVA, "gva", "incident_id"))
            else:
                note(f"no GVA corpus at {GVA}: skipped")

    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(table(rows))
        print("\nOne process each; extraction = load_documents + read_claims + claims_frame; "
              "ratio = extraction time / regex scan time on the same in-memory texts.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
