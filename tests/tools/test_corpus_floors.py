"""The extraction floors (issues 3 and 15): measured on the dev and dev2 corpora together, and
on the GVA incidents.

Each floor is one test against the issue's target. A floor that extraction does not reach yet is
marked `xfail(strict=True)` with the figure measured when it was marked: the suite stays green,
and turns red the day the floor is met, so that the mark is removed and the floor then holds.
Skipped when ../shared (the evaluation corpora) is not beside the checkout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import factcheck
from factcheck.io.documents import load_documents
from factcheck.run.driver import read_claims
from factcheck.run.frames import claims_frame
from factcheck.tools.evaluate.evaluation import evaluate
from factcheck.tools.evaluate.incidents import IncidentScore, score_incidents

# Issue 15's targets, for dev/ and dev2/ together (`factcheck eval ../shared/corpus/dev
# ../shared/corpus/dev2`). Measured when set: recall 0.923, precision 0.972, attribution 0.900,
# claim date 0.959, pairs 74 of 86 (0.860), no compatible pair flagged, none out of scope taken;
# GVA killed 0.861, injured 0.755.
DEV_RECALL = 0.92
DEV_PRECISION = 0.95
DEV_OUT_OF_SCOPE_TAKEN = 0
DEV_ATTRIBUTION_ACCURACY = 0.90
DEV_CLAIM_DATE_ACCURACY = 0.90
DEV_PAIRS_FOUND = 0.85  # share of the gold's update and conflict pairs
DEV_COMPATIBLE_FLAGGED = 0  # compatible pairs a conflict finding splits
# The GVA exact-match floors stay; the over-count ceiling was dropped by issue 15.
GVA_KILLED_EXACT = 0.85
GVA_INJURED_EXACT = 0.75


def below(measured: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"below the issue-15 floor at {measured}")


@pytest.fixture(scope="module")
def dev(shared: Path) -> dict[str, Any]:
    return evaluate([shared / "corpus" / "dev", shared / "corpus" / "dev2"]).figures()


@pytest.fixture(scope="module")
def gva(shared: Path, rules: factcheck.RuleSet) -> IncidentScore:
    # Extraction over the 2,645 articles takes seconds: once per module, for the three floors.
    corpus = shared / "corpus" / "gva"
    documents = load_documents([corpus / "articles.jsonl"], group_by="incident_id").documents
    claims = claims_frame(read_claims(documents, rules))
    incidents = pd.read_csv(corpus / "incidents.csv", dtype={"incident_id": str})
    return score_incidents(claims, incidents)


def test_dev_recall(dev: dict[str, Any]) -> None:
    assert dev["recall"] >= DEV_RECALL


def test_dev_precision(dev: dict[str, Any]) -> None:
    assert dev["precision"] >= DEV_PRECISION


def test_dev_no_out_of_scope_figure_taken_in_scope(dev: dict[str, Any]) -> None:
    assert dev["out_of_scope_taken"] == DEV_OUT_OF_SCOPE_TAKEN, dev["out_of_scope_taken_claims"]


def test_dev_attribution_accuracy(dev: dict[str, Any]) -> None:
    assert dev["attribution_accuracy"] >= DEV_ATTRIBUTION_ACCURACY


def test_dev_claim_date_accuracy(dev: dict[str, Any]) -> None:
    assert dev["claim_date_accuracy"] >= DEV_CLAIM_DATE_ACCURACY


def test_dev_update_and_conflict_pairs_found(dev: dict[str, Any]) -> None:
    assert dev["pairs"]["found_rate"] >= DEV_PAIRS_FOUND


def test_dev_no_compatible_pair_flagged_as_conflict(dev: dict[str, Any]) -> None:
    assert dev["pairs"]["compatible_flagged_as_conflict"] == DEV_COMPATIBLE_FLAGGED


def test_gva_killed_exact(gva: IncidentScore) -> None:
    killed_exact = gva.killed_exact
    assert killed_exact >= GVA_KILLED_EXACT


def test_gva_injured_exact(gva: IncidentScore) -> None:
    injured_exact = gva.injured_exact
    assert injured_exact >= GVA_INJURED_EXACT


# Named claims (issue 5), measured on the seeds and the dev corpus together (dev alone: 4 of 4,
# precision 1.00, no gold value that is one name).
NAMED_RECALL = 1.00  # 9 of 9
NAMED_PRECISION = 0.90  # 9 of 10: the seeds' "role of the Islamic States group" is not in gold
NAMED_VALUE_ACCURACY = 1.00  # 5 of 5 gold values that are one known name


def test_named_claims_floor(shared: Path) -> None:
    named = evaluate([shared / "seeds", shared / "corpus" / "dev"]).figures()["named"]
    assert named["recall"] >= NAMED_RECALL and named["precision"] >= NAMED_PRECISION
    assert named["value_accuracy"] >= NAMED_VALUE_ACCURACY
    assert "cause" in named["not_scored"]  # free-form kinds are listed, not counted as misses
