"""Scoring against gold annotations and incident counts, on small hand-written material.

The scoring tests build the claims and findings tables by hand, so they test the scoring and
not the extractor; the command-line tests run the real extractor on two short reports and check
only what does not depend on how well it reads them.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

import factcheck
from factcheck.cli.app import app
from factcheck.errors import InputError
from factcheck.extract.numbers import NumberReader
from factcheck.io.model import Document
from factcheck.tools.evaluate.claims import Interval, gold_interval
from factcheck.tools.evaluate.evaluation import (
    evaluate,
    evaluate_gold,
    evaluation_details,
    evaluation_figures,
)
from factcheck.tools.evaluate.gold import GoldClaim, find_gold_files, load_gold
from factcheck.tools.evaluate.incidents import score_incidents

runner = CliRunner(env={"COLUMNS": "200"})

REPORT_1 = """\
At least 10 people were killed on Friday, officials said.
Another 20 people were injured.
A fire at the same warehouse in 2019 killed 7 people.
"""
REPORT_2 = """\
The death toll has risen to 12, the brigade said.
About 25 people were injured, hospitals said.
Ten people died on Friday, the mayor said.
Police arrested 3 people.
"""
GOLD = """\
claims:
  - {id: c1, file: r1.md, metric: killed, value: 10, qualifier: at least,
     attributed_to: officials, claim_date: 2024-03-01, quote: At least 10 people were killed}
  - {id: c2, file: r2.md, metric: killed, value: 12, qualifier: null,
     attributed_to: the brigade, claim_date: 2024-03-03, quote: The death toll has risen to 12}
  - {id: c3, file: r1.md, metric: injured, value: 20, qualifier: null,
     attributed_to: null, claim_date: 2024-03-01, quote: Another 20 people were injured}
  - {id: c4, file: r2.md, metric: injured, value: 25, qualifier: About,
     attributed_to: hospitals, claim_date: 2024-03-03, quote: About 25 people were injured}
  - {id: c5, file: r2.md, metric: killed, value: 10, qualifier: null,
     attributed_to: the mayor, claim_date: 2024-03-01, quote: Ten people died on Friday}
out_of_scope:
  - {file: r1.md, quote: A fire at the same warehouse in 2019 killed 7 people, value: 7}
discrepancies:
  - {metric: killed, type: update, claims: [c1, c2]}
  - {metric: injured, type: conflict, claims: [c3, c4]}
  - {metric: killed, type: compatible, claims: [c1, c5]}
  - {metric: killed, type: compatible, relation: sum, claims: [c5, c1]}
  - {metric: "named: cause", type: compatible, claims: [n1, n2]}
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "warehouse-fire"
    folder.mkdir()
    (folder / "r1.md").write_text(REPORT_1, encoding="utf-8")
    (folder / "r2.md").write_text(REPORT_2, encoding="utf-8")
    (folder / "gold.yaml").write_text(GOLD, encoding="utf-8")
    return folder


def _documents(folder: Path) -> list[Document]:
    return [Document(doc=str(folder / name), text=(folder / name).read_text(encoding="utf-8"),
                     path=str(folder / name), story="fire") for name in ("r1.md", "r2.md")]


def _claim(document: Document, words: str, claim_id: str, metric: str, low: float | None,
           high: float | None, **fields: Any) -> dict[str, Any]:
    """A claims-table row for the figure `words` in the document, placed where it stands."""
    offset = document.text.index(words)
    line = document.text.count("\n", 0, offset) + 1
    column = offset - (document.text.rfind("\n", 0, offset) + 1) + 1
    row = {"claim_id": claim_id, "story": "fire", "doc": document.doc, "metric": metric,
           "figure": words, "value": fields.pop("value", low), "low": low, "high": high,
           "low_inclusive": low is not None, "high_inclusive": high is not None,
           "in_scope": True, "attributed_to": None, "claim_date": None, "quote": words,
           "line": line, "column": column}
    row.update(fields)
    return row


def _claims(documents: list[Document]) -> pd.DataFrame:
    r1, r2 = documents
    return pd.DataFrame([
        _claim(r1, "At least 10", "k1", "killed", 10, None, attributed_to="officials",
               claim_date="2024-03-01"),
        _claim(r1, "20", "k3", "injured", 20, 20, claim_date="2024-03-01"),
        # Both figures of the other fire taken as this fire's: one entry of gold, two claims.
        _claim(r1, "2019", "k5", "killed", 2019, 2019),
        _claim(r1, "7 people", "k6", "killed", 7, 7),
        _claim(r2, "12", "k2", "killed", 12, 12, claim_date="2024-03-03"),
        # "About 25" read as exactly 25: the figure matches, the interval does not.
        _claim(r2, "25", "k4", "injured", 25, 25, attributed_to="hospitals",
               claim_date="2024-03-03"),
        _claim(r2, "Ten", "k7", "killed", 10, 10, attributed_to="the mayor",
               claim_date="2024-03-01"),
        _claim(r2, "3 people", "k8", "arrested", 3, 3),
    ])


FINDINGS = [
    {"finding_id": "f1", "story": "fire", "metric": "killed", "kind": "update",
     "groups": [["k1", "k7"], ["k2"]]},
    {"finding_id": "f2", "story": "fire", "metric": "killed", "kind": "conflict",
     "groups": [["k1"], ["k7"]]},
]


@pytest.fixture
def scored(story: Path, rules: factcheck.RuleSet) -> dict[str, Any]:
    documents = _documents(story)
    evaluation = evaluate_gold("warehouse-fire", load_gold(story / "gold.yaml"), documents,
                               _claims(documents), pd.DataFrame(FINDINGS), rules)
    return {"evaluation": evaluation, "figures": evaluation_figures([evaluation])}


def test_recall_and_precision_overall_and_per_metric(scored: dict[str, Any]) -> None:
    figures = scored["figures"]
    assert (figures["gold_claims"], figures["matched"], figures["extracted"]) == (5, 5, 8)
    assert figures["recall"] == 1.0 and figures["precision"] == round(5 / 8, 4)
    per_metric = figures["per_metric"]
    assert per_metric["killed"] == {"gold": 3, "extracted": 5, "matched": 3, "recall": 1.0,
                                    "precision": 0.6}
    assert per_metric["injured"]["precision"] == 1.0
    # A metric with no gold claim: recall has no denominator (null), precision is 0.
    assert per_metric["arrested"]["recall"] is None
    assert per_metric["arrested"]["precision"] == 0.0


def test_out_of_scope_figures_taken_are_counted_with_their_quotes(
        scored: dict[str, Any]) -> None:
    figures = scored["figures"]
    assert figures["out_of_scope_taken"] == 2
    assert [(c["where"], c["figure"]) for c in figures["out_of_scope_taken_claims"]] == [
        ("r1.md:3", "2019"), ("r1.md:3", "7 people")]


def test_interval_accuracy_reads_the_gold_qualifier(scored: dict[str, Any]) -> None:
    figures = scored["figures"]
    assert figures["interval_correct"] == 4 and figures["interval_accuracy"] == 0.8
    wrong = [c for c in scored["evaluation"].intervals if not c.correct]
    assert [c.match.gold.id for c in wrong] == ["c4"]
    assert str(wrong[0].expected) == "[22.5, 27.5]" and str(wrong[0].found) == "25"


def test_attribution_and_claim_date_accuracy(scored: dict[str, Any]) -> None:
    figures = scored["figures"]
    # c2's brigade and c3's null source: one wrong source (c2 found none).
    assert figures["attribution_correct"] == 4
    assert figures["claim_date_correct"] == 5


def test_discrepancy_pairs_found_flagged_and_skipped(scored: dict[str, Any]) -> None:
    pairs = scored["figures"]["pairs"]
    assert pairs["update_conflict"] == 2
    assert pairs["found"] == 1 and pairs["found_with_matching_kind"] == 1  # c1→c2 by f1
    assert pairs["not_extracted"] == 0  # c3/c4 were extracted but no finding separates them
    assert pairs["compatible"] == 1 and pairs["compatible_flagged_as_conflict"] == 1  # f2
    assert pairs["skipped_entries"] == 2  # the sum of parts and the named claims
    by_ids = {p.gold_ids: p for p in scored["evaluation"].pairs}
    assert by_ids[("c1", "c2")].separated_by == (("f1", "update"),)
    assert by_ids[("c1", "c5")].separated_by == (("f2", "conflict"),)
    assert not by_ids[("c3", "c4")].found


def test_a_pair_whose_claim_was_not_extracted_is_not_found(
        story: Path, rules: factcheck.RuleSet) -> None:
    documents = _documents(story)
    claims = _claims(documents)
    claims = claims[claims.claim_id != "k2"]  # 12 missed
    evaluation = evaluate_gold("fire", load_gold(story / "gold.yaml"), documents, claims,
                               pd.DataFrame(FINDINGS), rules)
    pairs = evaluation_figures([evaluation])["pairs"]
    assert pairs["found"] == 0 and pairs["not_extracted"] == 1


def test_a_finding_of_another_metric_or_story_does_not_count(
        story: Path, rules: factcheck.RuleSet) -> None:
    documents = _documents(story)
    elsewhere = [{**FINDINGS[0], "story": "other"}, {**FINDINGS[1], "metric": "injured"}]
    evaluation = evaluate_gold("fire", load_gold(story / "gold.yaml"), documents,
                               _claims(documents), pd.DataFrame(elsewhere), rules)
    pairs = evaluation_figures([evaluation])["pairs"]
    assert pairs["found"] == 0 and pairs["compatible_flagged_as_conflict"] == 0


def test_details_list_each_problem_with_file_line_and_quote(scored: dict[str, Any]) -> None:
    details = evaluation_details(scored["evaluation"])
    kinds = [d["what"] for d in details]
    assert kinds.count("out of scope taken") == 2 and kinds.count("spurious") == 1
    assert "interval" in kinds and "attribution" in kinds
    assert "pair not found" in kinds and "compatible flagged" in kinds
    interval = next(d for d in details if d["what"] == "interval")
    assert interval["where"] == "r2.md:2" and interval["quote"] == "About 25 people were injured"
    pair = next(d for d in details if d["what"] == "pair not found")
    assert pair["where"] == "gold.yaml:16" and "c3→c4" in pair["message"]


@pytest.mark.parametrize(("qualifier", "value", "expected"), [
    (None, 84, "84"),
    ("at least", 84, "[84, ∞)"),
    ("At least", 84, "[84, ∞)"),
    ("over", 90, "(90, ∞)"),
    ("Almost", 100, "[90, 100)"),
    ("as many as", 44, "(−∞, 44]"),
    ("or more", 84, "[84, ∞)"),  # a qualifier written after the figure
])
def test_gold_interval_is_read_with_the_rules_lexicon(
        rules: factcheck.RuleSet, qualifier: str | None, value: float, expected: str) -> None:
    gold = GoldClaim("c1", "r.md", "killed", float(value), None, None, qualifier, None, None, "")
    assert str(gold_interval(gold, NumberReader(rules.numbers))) == expected


def test_gold_ranges_vague_counts_and_unknown_qualifiers(rules: factcheck.RuleSet) -> None:
    def gold(**fields: Any) -> GoldClaim:
        base: dict[str, Any] = {"value": None, "low": None, "high": None, "qualifier": None}
        base.update(fields)
        return GoldClaim("c1", "r.md", "killed", base["value"], base["low"], base["high"],
                         base["qualifier"], None, None, "", vague=base.get("vague"))

    numbers = NumberReader(rules.numbers)
    assert gold_interval(gold(low=50.0, high=60.0), numbers) == Interval(50, 60, True, True)
    assert str(gold_interval(gold(vague="dozens"), numbers)) == "[24, ∞)"
    assert gold_interval(gold(value=5.0, qualifier="a grand total of"), numbers) is None


def test_find_gold_files_expands_a_folder_of_stories(story: Path, tmp_path: Path) -> None:
    second = tmp_path / "another-story"
    second.mkdir()
    (second / "gold.yaml").write_text("claims: []\n", encoding="utf-8")
    assert find_gold_files([tmp_path]) == [second / "gold.yaml", story / "gold.yaml"]
    assert find_gold_files([story / "gold.yaml", story]) == [story / "gold.yaml"]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match=r"no gold\.yaml"):
        find_gold_files([empty])


@pytest.mark.parametrize(("gold", "line", "message"), [
    ("claims:\n  - {id: c1, file: r1.md\n", 3, "invalid YAML"),
    ("claims:\n  - {id: c1, metric: killed, quote: x}\n", 2, "needs `file`"),
    ("claims:\n  - {id: c1, file: r9.md, metric: killed, quote: x}\n", 2, "r9.md"),
    ("claims:\n  - {id: c1, file: r1.md, metric: killed, quote: x, value: ten}\n", 2,
     "`value` must be a number"),
    ("claims:\n  - {id: c1, file: r1.md, metric: killed, quote: x}\n"
     "  - {id: c1, file: r1.md, metric: killed, quote: y}\n", 3, "used twice"),
    ("claims:\n  - {id: c1, file: r1.md, metric: killed, quote: x}\n"
     "discrepancies:\n  - metric: killed\n    type: update\n    claims: [c1, c7]\n", 6,
     "c7"),
    ("discrepancies:\n  - metric: killed\n    type: rise\n    claims: [c1, c2]\n", 3,
     "`type` must be one of"),
])
def test_a_broken_gold_file_names_its_line(story: Path, gold: str, line: int,
                                           message: str) -> None:
    path = story / "gold.yaml"
    path.write_text(gold, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        load_gold(path)
    assert caught.value.line == line and caught.value.path == str(path)


# --------------------------------------------------------------------------- the command


def test_eval_table_names_each_gold_and_the_total(story: Path, tmp_path: Path) -> None:
    second = tmp_path / "quiet-day"
    second.mkdir()
    (second / "r1.md").write_text("Nothing happened on Monday.\n", encoding="utf-8")
    (second / "gold.yaml").write_text("claims: []\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(tmp_path), "--color", "never"])
    assert result.exit_code == 0, result.output
    for text in ("2 gold files", "warehouse-fire", "quiet-day", "total", "recall", "Per metric",
                 "Discrepancy pairs"):
        assert text in result.output


def test_eval_verbose_lists_missed_claims_with_file_and_quote(story: Path) -> None:
    gold = story / "gold.yaml"
    # A figure the text only implies (`derived` in the gold format): no number to extract.
    (story / "r3.md").write_text("All the guards on duty died.\n", encoding="utf-8")
    gold.write_text(GOLD.replace("out_of_scope:", "  - {id: c6, file: r3.md, metric: killed, "
                                 "value: 3, derived: true, quote: All the guards on duty died}\n"
                                 "out_of_scope:"), encoding="utf-8")
    result = runner.invoke(app, ["eval", str(story), "--verbose", "--color", "never"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "c6 killed 3" in line)
    assert "missed" in line and "r3.md:1" in line and "All the guards" in line


def test_eval_json_has_every_figure_per_gold_and_in_total(story: Path) -> None:
    result = runner.invoke(app, ["eval", str(story / "gold.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert set(payload) == {"golds", "total", "skipped_reports"}
    (gold,) = payload["golds"]
    assert gold["gold"].endswith("warehouse-fire") and gold["gold_claims"] == 5
    for key in ("recall", "precision", "per_metric", "interval_accuracy", "attribution_accuracy",
                "claim_date_accuracy", "out_of_scope_taken", "out_of_scope_taken_claims",
                "pairs", "details"):
        assert key in gold
    assert payload["total"]["pairs"]["update_conflict"] == 2
    assert "\x1b[" not in result.output


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "factcheck", *args], capture_output=True,
                          text=True, check=False, env={"NO_COLOR": "1", "PATH": ""})


def test_eval_broken_gold_is_one_line_naming_file_and_line_and_exit_2(story: Path) -> None:
    (story / "gold.yaml").write_text("claims:\n  - {id: c1, metric: killed, quote: x}\n",
                                     encoding="utf-8")
    result = _run("eval", str(story))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"factcheck: error: {story / 'gold.yaml'}:2: a `claims` entry needs `file`"]


def test_eval_missing_path_or_gold_is_exit_2(tmp_path: Path) -> None:
    missing = _run("eval", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    no_gold = _run("eval", str(tmp_path))
    assert no_gold.returncode == 2 and "no gold.yaml" in no_gold.stderr
    assert "Traceback" not in missing.stderr + no_gold.stderr


def test_library_evaluate_summary_is_a_dataframe(story: Path) -> None:
    summary = evaluate([story]).summary()
    assert list(summary["gold"]) == [story.as_posix(), "total"]
    assert {"recall", "precision", "interval_accuracy", "pairs_found"} <= set(summary.columns)


# --------------------------------------------------------------------------- incident counts


def test_score_incidents_takes_the_largest_in_scope_figure() -> None:
    def row(incident: str, metric: str, value: float | None, in_scope: bool = True,
            claim_id: str = "") -> dict[str, Any]:
        return {"claim_id": claim_id or f"{incident}-{metric}-{value}", "story": incident,
                "doc": f"a.jsonl#{incident}", "metric": metric, "value": value,
                "in_scope": in_scope, "quote": f"{value} {metric}"}

    claims = pd.DataFrame([
        row("1", "killed", 1), row("1", "killed", 2), row("1", "injured", 3),
        row("1", "killed", 700, in_scope=False),  # a city's yearly toll, set aside
        row("2", "injured", None),  # "dozens": no single count
        row("3", "killed", 1), row("3", "injured", 5),
        row("9", "killed", 4),  # an incident the reference does not list
    ])
    incidents = pd.DataFrame({"incident_id": [1, 2, 3], "killed": [2, 0, 1],
                              "injured": [3, 2, 4]})
    result = score_incidents(claims, incidents)
    table = result.incidents.set_index("incident_id")
    assert list(table["predicted_killed"]) == [2, 0, 1]
    assert list(table["predicted_injured"]) == [3, 0, 5]
    assert table.loc["1", "killed_quote"] == "2 killed"
    assert pd.isna(table.loc["2", "injured_claim_id"])
    assert result.killed_exact == 1.0
    assert result.injured_exact == pytest.approx(1 / 3)
    assert result.over_count == pytest.approx(1 / 3)
    classes = result.error_classes().set_index(["metric", "outcome"])["incidents"]
    assert classes[("injured", "under-count: no figure found")] == 1
    assert classes[("injured", "over-count: higher figure")] == 1
    assert list(result.worst(1)["incident_id"]) == ["2"]


def test_score_incidents_names_a_missing_reference_column() -> None:
    with pytest.raises(ValueError, match="injured"):
        score_incidents(pd.DataFrame(), pd.DataFrame({"incident_id": [1], "killed": [0]}))


def test_eval_has_help() -> None:
    result = runner.invoke(app, ["eval", "--help"])
    assert result.exit_code == 0 and "gold.yaml" in result.output
