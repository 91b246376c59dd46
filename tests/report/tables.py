"""Helpers shared by the HTML report's tests."""

from __future__ import annotations

import pandas as pd


def plottable(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims a chart draws: numeric, with a value or a bound."""
    numeric = claims[claims["kind"] != "named"]
    placed = numeric[["value", "low", "high"]].notna().any(axis=1)
    return numeric[placed]
