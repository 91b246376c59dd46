"""The claims and findings tables as pandas DataFrames: the documented columns, in order."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..compare.model import FINDING_COLUMNS, StoryFinding
from ..extract.model import CLAIM_COLUMNS, Claim


def claims_table(rows: Sequence[Mapping[str, Any]] | Sequence[Sequence[Any]]) -> pd.DataFrame:
    """The claims table of rows (mappings by column, or values in `CLAIM_COLUMNS` order);
    positions are whole numbers even when a column is empty."""
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    return frame.astype({"line": "int64", "column": "int64"}) if len(rows) else frame


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """Claims as the claims table: one row each."""
    return claims_table([claim.row() for claim in claims])


def findings_table(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The findings table of finding rows (`StoryFinding.row()`, with their ids)."""
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def findings_frame(findings: Iterable[StoryFinding]) -> pd.DataFrame:
    """Findings as the findings table: one row each."""
    return findings_table([finding.row() for finding in findings])
