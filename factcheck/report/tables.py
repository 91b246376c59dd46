"""The claims and findings tables as JSON and as formula-safe CSV.

ISO dates, null or empty for missing cells, whole floats as ints, lists joined; CSV cells
formula-safe, files with a BOM, written atomically.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..extract.model import is_missing
from ..fileio import replace_all, temporary_beside
from ..io.exclude import mark_outputs
from .cells import claim_groups, claim_source, iso_date, location, records, value_of
from .safetext import json_text

# OWASP "CSV Injection": a cell starting with one of these may be run as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def jsonable(value: Any) -> Any:
    """A cell as a JSON value: ISO dates, null for missing, whole floats as ints, lists as lists."""
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return None  # JSON has no infinity; null is "unbounded", as in the claims table
        return int(number) if number.is_integer() else number
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        return iso_date(value)
    if isinstance(value, str):
        return value
    return str(value)


def _json_rows(df: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [{str(k): jsonable(v) for k, v in record.items()} for record in records(df)]


def to_json(claims: pd.DataFrame, findings: pd.DataFrame | None = None) -> str:
    """`{"claims": [...]}` or `{"claims": [...], "findings": [...]}`, keys in column order."""
    payload: dict[str, Any] = {"claims": _json_rows(claims)}
    if findings is not None:
        payload["findings"] = _json_rows(findings)
    return json_text(payload, indent=2, allow_nan=False)


def neutralise_cell(value: str) -> str:
    """Prefix `'` to a text cell a spreadsheet would run as a formula (OWASP CSV injection).

    Only str cells are touched: numbers and other values come back unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value: Any) -> Any:
    """A cell for CSV: lists joined, dates ISO, whole floats as ints, text neutralised."""
    # Plain Python values first, as a streamed run's rows hold them: the same cells as below,
    # without asking pandas whether each is missing (most of the cost of a cell).
    kind = type(value)
    if value is None:
        return None
    if kind is str:
        return _csv_text(neutralise_cell(value))
    if kind is int or kind is bool:
        return value
    if kind is float:
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        items = list(value)
        if items and all(isinstance(i, list | tuple | np.ndarray | pd.Series) for i in items):
            text = " | ".join(" ".join(str(x) for x in group) for group in items)
        else:
            text = " ".join(str(jsonable(item)) for item in items)
        return _csv_text(neutralise_cell(text))
    # Any other value as in JSON (missing and unbounded are empty cells), text neutralised.
    plain = str(value) if isinstance(value, dict) else jsonable(value)
    return _csv_text(neutralise_cell(plain)) if isinstance(plain, str) else plain


def _csv_text(text: str) -> str:
    """A lone CR becomes LF: with LF line endings a bare CR would not be quoted and split a row."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` ready for CSV, every cell passed through `csv_cell`."""
    columns = list(df.columns)
    rows = [[csv_cell(value) for value in row] for row in df.itertuples(index=False, name=None)]
    return pd.DataFrame(rows, columns=columns, dtype=object)


# findings.csv: one row per finding and claim, so that it reads without claims.csv beside it
FINDING_PART = ["finding_id", "story", "rule", "rule_name", "severity", "kind", "metric",
                "scope", "message"]
CLAIM_PART = ["group", "claim_id", "figure", "value", "low", "high", "source", "date", "quote",
              "location"]
FINDINGS_CSV_COLUMNS = FINDING_PART + CLAIM_PART


def claim_cells(claim: Mapping[str, Any] | None, claim_id: str, group: int | None) -> list[Any]:
    """The claim half of a findings.csv row (`CLAIM_PART`); only the id when the claim is
    missing from the claims table."""
    if claim is None:
        return [group, claim_id, None, None, None, None, None, None, None, None]
    return [group, claim_id, value_of(claim, "figure"), value_of(claim, "value"),
            value_of(claim, "low"), value_of(claim, "high"), claim_source(claim),
            value_of(claim, "claim_date"), value_of(claim, "quote"), location(claim)]


def finding_claim_rows(finding: Mapping[str, Any],
                       claims: Mapping[str, Mapping[str, Any]]) -> list[list[Any]]:
    """A finding's rows of findings.csv: its fields, then each claim's, group by group in time
    order (`group` numbers the claims that share one figure); one row without a claim when
    it has none."""
    head = [finding.get(column) for column in FINDING_PART]
    rows = [head + claim_cells(claims.get(claim_id), claim_id, number)
            for number, group in enumerate(claim_groups(finding), start=1)
            for claim_id in group]
    return rows or [head + [None] * len(CLAIM_PART)]


def findings_csv_table(findings: pd.DataFrame, claims: pd.DataFrame | None) -> pd.DataFrame:
    """The findings table as findings.csv holds it: one row per finding and claim
    (`FINDINGS_CSV_COLUMNS`), each claim's figure, value, source, date, quote and file:line
    beside the finding's rule and message."""
    by_id = {str(record.get("claim_id")): record for record in records(claims)}
    rows = [row for finding in records(findings) for row in finding_claim_rows(finding, by_id)]
    return pd.DataFrame(rows, columns=FINDINGS_CSV_COLUMNS, dtype=object)


def to_csv_text(df: pd.DataFrame) -> str:
    """The table as CSV text for stdout: no BOM, formula-safe, lists joined, dates ISO."""
    return _csv_frame(df).to_csv(index=False, lineterminator="\n")


def _write_temporary(df: pd.DataFrame, path: Path) -> Path:
    """The table as CSV in a temporary file beside `path` (see `temporary_beside`)."""
    prepared = _csv_frame(df)
    return temporary_beside(path, lambda handle: prepared.to_csv(
        handle, index=False, lineterminator="\n"), encoding="utf-8-sig")


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write the table to `path` as UTF-8 CSV with a BOM (for spreadsheets), atomically.

    The CSV is written to a temporary file in the same folder and moved over `path` with
    `os.replace`, so a reader sees the old file or the complete new one, never half a file.
    On failure the temporary file is removed and the error is raised.
    """
    path = Path(path)
    replace_all([(_write_temporary(df, path), path)])


def write_outputs(out_dir: Path, claims: pd.DataFrame, findings: pd.DataFrame | None,
                  pages: Mapping[str, str] | None = None) -> list[Path]:
    """Write `claims.csv` (and `findings.csv` when findings are given: one row per finding
    and claim, see `findings_csv_table`) into `out_dir`, and each of `pages` (file name → text,
    such as report.html) beside them.

    Every file is written in full before any replaces its old file, so a run that fails or is
    interrupted while writing leaves the old set as it was: never new claims beside old
    findings whose `claim_ids` they do not match.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = [(claims, out_dir / "claims.csv")]
    if findings is not None:
        tables.append((findings_csv_table(findings, claims), out_dir / "findings.csv"))
    written: list[tuple[Path, Path]] = []
    try:
        for df, path in tables:
            written.append((_write_temporary(df, path), path))
        for name, text in (pages or {}).items():
            path = out_dir / name
            written.append((temporary_beside(path, lambda handle, t=text: handle.write(t)),
                            path))
    except BaseException:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise
    replace_all(written)
    mark_outputs(out_dir, [path.name for _, path in written])  # a later run reads none of them
    return [path for _, path in written]
