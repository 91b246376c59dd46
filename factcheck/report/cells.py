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


def trim(text: str | None, limit: int = QUOTE_LIMIT, keep: str | None = None) -> str:
    """Whitespace collapsed, cut to `limit` characters at a word boundary with an ellipsis.

    `keep` (the figure a quote is shown for) is never cut off: when it lies past the cut, the
    quote is shortened around it instead ("… the toll rose to 84, said …").
    """
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    figure = " ".join((keep or "").split())
    at = flat.find(figure) if figure else -1
    if at < 0 and figure:
        at = flat.casefold().find(figure.casefold())
    if at < 0 or at + len(figure) <= limit - 1:
        return _cut_end(flat, limit)
    # Start a few words before the figure, so that it reads with what leads to it.
    start = max(0, at - limit // 3)
    space = flat.find(" ", start, at)
    if start and space >= 0:
        start = space + 1
    window = "…" + flat[start:]
    if len(window) <= limit:
        return window
    return _cut_end(window, limit, floor=at - start + 1 + len(figure))


def _cut_end(flat: str, limit: int, floor: int = 0) -> str:
    """`flat` cut to `limit` characters (the ellipsis included) at a word boundary past
    `floor`."""
    cut = flat[: max(limit - 1, floor)]
    space = cut.rfind(" ")
    if space > max(limit * 0.6, floor):
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def claim_source(claim: Mapping) -> str:
    """Who a claim is from: `attributed_to`, else the outlet, else the report's path."""
    for key in ("attributed_to", "outlet", "doc"):
        text = text_of(claim, key)
        if text:
            return text
    return UNKNOWN


def location(claim: Mapping) -> str:
    """`path:line` of a claim (`unknown` when the path is missing)."""
    doc = text_of(claim, "doc") or UNKNOWN
    line = as_float(value_of(claim, "line"))
    return f"{doc}:{int(line)}" if line is not None else doc


def claim_groups(finding: Mapping) -> list[list[str]]:
    """The finding's claims grouped by shared figure; claims outside every group come last."""
    raw = value_of(finding, "groups")
    if isinstance(raw, str):  # the CSV form, "c7 c5 | c11 c9"
        raw = [part.split() for part in raw.split("|")]
    groups = [[str(cid) for cid in as_list(group)] for group in as_list(raw)]
    groups = [group for group in groups if group]
    seen = {cid for group in groups for cid in group}
    rest = [str(cid) for cid in as_list(value_of(finding, "claim_ids")) if str(cid) not in seen]
    if rest:
        groups.append(rest)
    return groups
