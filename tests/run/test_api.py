"""The library API a notebook user calls: paths in, DataFrames out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import factcheck
from factcheck.compare.model import FINDING_COLUMNS
from factcheck.extract.model import CLAIM_COLUMNS


def test_extract_and_compare_return_dataframes(seeds_dir: Path) -> None:
    claims = factcheck.extract_claims([seeds_dir])
    findings = factcheck.find_discrepancies(claims)
    assert isinstance(claims, pd.DataFrame) and list(claims.columns) == CLAIM_COLUMNS
    assert isinstance(findings, pd.DataFrame) and list(findings.columns) == FINDING_COLUMNS
    assert set(findings.claim_ids.explode()) <= set(claims.claim_id)


def test_extraction_is_deterministic(seeds_dir: Path) -> None:
    first = factcheck.extract_claims([seeds_dir])
    second = factcheck.extract_claims([seeds_dir])
    pd.testing.assert_frame_equal(first, second)


def test_quote_line_and_column_point_into_the_file(seeds_dir: Path) -> None:
    claims = factcheck.extract_claims([seeds_dir])
    for row in claims.itertuples():
        text = Path(row.doc).read_text(encoding="utf-8")
        assert row.quote in text
        line = text.split("\n")[row.line - 1]
        assert line[row.column - 1:].startswith(row.figure)


def test_stories_are_compared_separately(tmp_path: Path) -> None:
    for event, figure in (("fire", 10), ("flood", 30)):
        (tmp_path / f"{event}.md").write_text(
            f"---\nevent: {event}\ndate: 2023-04-0{1 if event == 'fire' else 2}\n---\n"
            f"{figure} people were killed.\n")
    analysis = factcheck.analyse([tmp_path])
    assert set(analysis.claims.story) == {"fire", "flood"}
    assert analysis.findings.empty
    together = factcheck.analyse([tmp_path], group_by="title")  # a field neither states
    assert len(together.findings) == 1
    with pytest.raises(factcheck.FactcheckError, match="nearest: event"):
        factcheck.analyse([tmp_path], group_by="evnt")  # a field no report states: a slip


def test_unknown_is_never_invented(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("Officials said 12 people were arrested.")
    row = factcheck.extract_claims([tmp_path]).iloc[0]
    assert row.published is None and row.outlet is None and row.claim_date is None
