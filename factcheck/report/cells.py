"""Cells of claim and finding records as people read them.

Missing values (None, NA, NaN, NaT) told apart, numbers, dates and lists in one form, text
trimmed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..extract.model import is_missing

UNKNOWN = "unknown"
QUOTE_LIMIT = 100


def value_of(record: Mapping, key: str) -> Any:
    """The value of `key` in a claim or finding record, with every kind of missing as None."""
    value = record.get(key) if hasattr(record, "get") else None
    return None if is_missing(value) else value


def text_of(record: Mapping, key: str) -> str | None:
    """A text field, stripped; None when missing or blank."""
    value = value_of(record, key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def as_float(value: Any) -> float | None:
    """A number as float; None when missing or not a number."""
    if is_missing(value) or isinstance(value, bool | np.bool_):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def number_text(value: Any, grouping: bool = True) -> str:
    """84.0 → "84", 2300000 → "2,300,000" (with grouping), 2.5 → "2.5"."""
    number = as_float(value)
    if number is None:
        return UNKNOWN
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    if number.is_integer():
        return f"{int(number):,}" if grouping else str(int(number))
    return f"{number:,}" if grouping else repr(number)


def iso_date(value: Any) -> str | None:
    """A date as ISO 8601 (`2024-01-11`); timestamps at midnight become plain dates."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value).to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def records(df: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The rows of a DataFrame as dicts in column order (an empty list for None)."""
    if df is None or len(df.index) == 0:
        return []
    columns = list(df.columns)
    return [dict(zip(columns, row, strict=True)) for row in df.itertuples(index=False, name=None)]


def as_list(value: Any) -> list[Any]:
    """A list-like cell (list, tuple, array) as a list; a missing cell as []."""
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return list(value)
    if is_missing(value):
        return []
    if isinstance(value, str):
        return value.split()
    return [value]


def plural(count: int, word: str, plural: str | None = None) -> str:
    """`1 report`, `2 reports`."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def trim(text: str | None, limit: int = QUOTE_LIMIT) -> str:
    """Whitespace collapsed, cut to `limit` characters at a word boundary with an ellipsis."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"
