"""Killed and injured per incident against the Gun Violence Archive (../shared/corpus/gva).

Extracts the claims of every article (each incident's articles are one story: `--group-by
incident_id`), takes per incident the largest in-scope killed and injured figure its articles
state (0 when none; see `factcheck.tools.evaluate.incidents.incident_predictions`) and
compares them with GVA's counts: exact-match rate for killed and for injured, and the
over-count rate (incidents where either figure exceeds GVA's). The corpus is for internal
evaluation only: never copy its texts.

    python bench/gva_eval.py                 # the figures, against the issue's targets
    python bench/gva_eval.py --errors 20     # and the 20 worst incidents with their claims

Reference points from the issue: 0 everywhere scores 0.46 killed / 0.33 injured; a naive regex
0.56 / 0.50 with 15% over-count. Targets: killed >= 0.80, injured >= 0.70, over-count <= 0.03.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import regex

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from factcheck.io.documents import load_documents  # noqa: E402
from factcheck.io.model import Document  # noqa: E402
from factcheck.run.api import load_rules  # noqa: E402
from factcheck.run.driver import read_claims  # noqa: E402
from factcheck.run.frames import claims_frame  # noqa: E402
from factcheck.tools.evaluate.incidents import (  # noqa: E402
    INCIDENT_METRICS,
    IncidentScore,
    score_incidents,
)

GVA = REPO.parent / "shared" / "corpus" / "gva"
TARGETS = {"killed_exact": (">=", 0.80), "injured_exact": (">=", 0.70), "over_count": ("<=", 0.03)}
CLAIMS_SHOWN = 10  # per incident listed with --errors
# Words around which an article's text is shown when no claim gave a figure: where the
# extractor should have looked.
CASUALTY_WORDS = regex.compile(
    r"\b(?:kill|dead|die[ds]?|death|fatal|wound|injur|hurt|shot|gunshot|hospital)\w*",
    regex.IGNORECASE)


def _met(value: float, target: tuple[str, float]) -> str:
    sign, bound = target
    ok = value >= bound if sign == ">=" else value <= bound
    return "meets" if ok else "below" if sign == ">=" else "above"


def print_figures(result: IncidentScore, seconds: float, articles: int) -> None:
    figures = result.figures()
    print(f"{figures['incidents']} incidents, {articles} articles, extraction {seconds:.1f} s")
    for key, target in TARGETS.items():
        value = figures[key]
        print(f"  {key:14} {value:6.3f}   target {target[0]} {target[1]:.2f}: "
              f"{_met(value, target)}")
    print("\nError classes (incidents):")
    classes = result.error_classes()
    for row in classes.itertuples():
        print(f"  {row.metric:8} {row.outcome:30} {row.incidents:5}  {row.share:6.1%}")


def _snippets(text: str, limit: int) -> list[str]:
    found = []
    for match in CASUALTY_WORDS.finditer(text):
        start, end = max(0, match.start() - 90), min(len(text), match.end() + 90)
        found.append(" ".join(text[start:end].split()))
        if len(found) == limit:
            break
    return found


def print_worst(result: IncidentScore, claims: pd.DataFrame, documents: Sequence[Document],
                count: int) -> None:
    by_incident: dict[str, list[Document]] = {}
    for document in documents:
        by_incident.setdefault(document.story, []).append(document)
    print(f"\nThe {count} incidents furthest from GVA (|killed error| + |injured error|):")
    for row in result.worst(count).to_dict("records"):
        incident = row["incident_id"]
        where = ", ".join(str(row.get(k)) for k in ("date", "city", "state") if row.get(k))
        print(f"\n#{incident} ({where}): killed GVA {row['killed']:g} / predicted "
              f"{row['predicted_killed']:g}; injured GVA {row['injured']:g} / predicted "
              f"{row['predicted_injured']:g}")
        mine = claims[(claims["story"] == incident) & claims["metric"].isin(INCIDENT_METRICS)]
        chosen_ids = {row.get("killed_claim_id"), row.get("injured_claim_id")}
        # The claims behind the prediction first (*), then the others (o: out of scope).
        listed = sorted(mine.to_dict("records"), key=lambda c: c["claim_id"] not in chosen_ids)
        for claim in listed[:CLAIMS_SHOWN]:
            mark = "*" if claim["claim_id"] in chosen_ids else " " if claim["in_scope"] else "o"
            print(f"   {mark} {claim['metric']:7} {' '.join(str(claim['figure']).split()):16} "
                  f"{' '.join(str(claim['quote']).split())[:150]}")
        if len(listed) > CLAIMS_SHOWN:
            print(f"     (+{len(listed) - CLAIMS_SHOWN} more claims)")
        missing = [m for m in INCIDENT_METRICS
                   if row[f"predicted_{m}"] == 0 and row[m] > 0]
        if missing:
            for document in by_incident.get(incident, [])[:2]:
                title = " ".join(str(document.title or "").split())[:90]
                print(f"     no {'/'.join(missing)} claim; {document.doc.rsplit('#', 1)[-1][:8]} "
                      f"{title!r}")
                for snippet in _snippets(document.text, 3):
                    print(f"       … {snippet} …")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=GVA,
                        help="folder with articles.jsonl and incidents.csv")
    parser.add_argument("--rules", type=Path, action="append",
                        help="a rules folder (repeat to layer); default: the shipped rules")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also list the N worst incidents with the claims behind them")
    args = parser.parse_args(argv)
    if not (args.corpus / "articles.jsonl").is_file():
        print(f"no GVA corpus at {args.corpus}; nothing to score")
        return 0
    rules = load_rules(args.rules)
    started = time.perf_counter()
    documents = load_documents([args.corpus / "articles.jsonl"],
                               group_by="incident_id").documents
    claims = claims_frame(read_claims(documents, rules))
    seconds = time.perf_counter() - started
    incidents = pd.read_csv(args.corpus / "incidents.csv", dtype={"incident_id": str})
    result = score_incidents(claims, incidents)
    print_figures(result, seconds, len(documents))
    if args.errors:
        print_worst(result, claims, documents, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
