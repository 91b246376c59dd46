"""Score extraction against the gold annotations in ../shared (seeds and the dev corpus).

    python bench/eval_gold.py            # prints recall, precision and accuracies per gold file
"""

from __future__ import annotations

import sys
from pathlib import Path

import factcheck
from factcheck.api import claims_frame, read_claims
from factcheck.documents import load_documents
from factcheck.evaluate import load_gold, same_source, score

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    if not SHARED.is_dir():
        print(f"no shared material at {SHARED}; nothing to score")
        return 0
    rules = factcheck.load_rules()
    folders = [SHARED / "seeds", *sorted((SHARED / "corpus" / "dev").glob("*/"))]
    totals = {"gold": 0, "found": 0, "matched": 0}
    dev = {"gold": 0, "found": 0, "matched": 0}
    print(f"{'gold file':45} {'recall':>7} {'prec.':>7} {'attrib':>7} {'date':>7}"
          "  missed / spurious")
    for folder in folders:
        gold_path = folder / "gold.yaml"
        if not gold_path.is_file():
            continue
        documents = load_documents([folder]).documents
        claims = claims_frame(read_claims(documents, rules))
        result = score(documents, claims, load_gold(gold_path), rules.metrics)
        totals["gold"] += result.gold_total
        totals["found"] += result.found_total
        totals["matched"] += len(result.matches)
        if "corpus/dev" in folder.as_posix():
            dev["gold"] += result.gold_total
            dev["found"] += result.found_total
            dev["matched"] += len(result.matches)
        name = folder.relative_to(SHARED).as_posix()
        print(f"{name:45} {result.recall:7.2f} {result.precision:7.2f} "
              f"{result.accuracy('attributed_to'):7.2f} {result.accuracy('claim_date'):7.2f}"
              f"  {len(result.missed)} / {len(result.spurious)}"
              f" (out of scope taken: {len(result.out_of_scope_taken)})")
        if "-v" in sys.argv:
            for g in result.missed:
                print(f"    missed {g.id} {g.metric} {g.value}: {g.quote}")
            for row in result.spurious:
                print(f"    spurious {row['metric']} {row['figure']!r}: {row['quote']}")
            for m in result.matches:
                source = m.claim["attributed_to"]
                source = source if isinstance(source, str) else None
                if not same_source(m.gold.attributed_to, source) \
                        or str(m.claim["claim_date"] or None) != str(m.gold.claim_date):
                    print(f"    {m.gold.id}: attributed {m.claim['attributed_to']!r} "
                          f"(gold {m.gold.attributed_to!r}), date {m.claim['claim_date']} "
                          f"(gold {m.gold.claim_date})")
    for label, counts in (("dev (all events)", dev), ("all", totals)):
        recall = counts["matched"] / counts["gold"] if counts["gold"] else 1.0
        precision = counts["matched"] / counts["found"] if counts["found"] else 1.0
        print(f"{label:45} {recall:7.2f} {precision:7.2f}"
              f"  ({counts['matched']} of {counts['gold']} gold claims; {counts['found']} found)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
