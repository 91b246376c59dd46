"""One story by default: a run given no --group-by says when its reports look like several."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import factcheck
from factcheck.io.model import Document
from factcheck.run import pipeline
from factcheck.run.census import StoryCensus


def _docs(count: int, **metadata: object) -> list[Document]:
    return [Document(doc=f"c.jsonl#{i}", text="x", metadata=dict(metadata)) for i in range(count)]


def test_a_story_column_with_several_values_names_group_by(rules: factcheck.RuleSet) -> None:
    documents = _docs(2, Incident_ID=1) + _docs(1, Incident_ID=2)
    hint = StoryCensus(rules, None).add_all(documents).hint()
    assert hint is not None and "--group-by Incident_ID" in hint


def test_one_value_or_a_group_by_says_nothing(rules: factcheck.RuleSet) -> None:
    assert StoryCensus(rules, None).add_all(_docs(3, incident_id=1)).hint() is None
    several = _docs(2, incident_id=1) + _docs(1, incident_id=2)
    assert StoryCensus(rules, "incident_id").add_all(several).hint() is None
    assert StoryCensus(rules, None).add_all(_docs(3, desk="a") + _docs(1, desk="b")).hint() \
        is None  # not a column that names a story


def test_one_story_past_the_threshold_names_group_by(rules: factcheck.RuleSet) -> None:
    limit = int(rules.compare["story_warning_reports"])
    assert StoryCensus(rules, None).add_all(_docs(limit)).hint() is None
    hint = StoryCensus(rules, None).add_all(_docs(limit + 1)).hint()
    assert hint is not None and f"{limit + 1:,} reports" in hint and "--group-by" in hint
    split = [dataclasses.replace(d, story=str(i % 2)) for i, d in enumerate(_docs(limit + 1))]
    assert StoryCensus(rules, None).add_all(split).hint() is None  # stories by `event`


def test_the_streamed_run_gives_the_hint(tmp_path: Path, rules: factcheck.RuleSet) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"text": f"{n} people were killed.", "story": n % 2})
                              + "\n" for n in range(3, 7)))
    assert "--group-by story" in (pipeline.run([corpus], rules).hint or "")
    assert pipeline.run([corpus], rules, "story").hint is None
