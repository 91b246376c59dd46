"""Renderers: pure functions that turn the claims and findings tables into terminal, CSV and JSON.

Records first, renderers second: nothing here extracts or judges claims. Every function reads the
two pandas DataFrames (claims, findings) and only formats them. Missing values may arrive as None,
pandas NA, NaN or NaT; all of them mean "missing" and are shown as `unknown` (terminal), an empty
cell (CSV) or `null` (JSON), never guessed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd
import yaml
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .fileio import replace_all, temporary_beside
from .ruleset.model import SEVERITIES

__all__ = [
    "claim_source",
    "evaluation_to_json",
    "format_figure",
    "format_interval",
    "make_console",
    "neutralise_cell",
    "print_claims",
    "print_evaluation",
    "print_report",
    "to_csv_text",
    "to_json",
    "write_csv",
    "write_outputs",
]

UNKNOWN = "unknown"
QUOTE_LIMIT = 100
NARROW_WIDTH = 72  # below this many columns, claims are listed as lines instead of tables
COLOR_CHOICES = ("auto", "always", "never")
SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "blue"}
# Between two groups of claims that share a figure: how the next group relates to the previous one.
GROUP_SEPARATOR = {"update": "↓ later", "conflict": "≠ differs", "stale": "↓ superseded by"}
# OWASP "CSV Injection": a cell starting with one of these may be run as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- values


def _is_missing(value: Any) -> bool:
    """True for None, pandas NA, NaN and NaT; False for lists and every other value."""
    if value is None:
        return True
    if isinstance(value, list | tuple | dict | set | np.ndarray):
        return False
    try:
        result = pd.isna(value)
    except (TypeError, ValueError):
        return False
    return isinstance(result, bool | np.bool_) and bool(result)


def _get(record: Mapping, key: str) -> Any:
    """The value of `key` in a claim or finding record, with every kind of missing as None."""
    value = record.get(key) if hasattr(record, "get") else None
    return None if _is_missing(value) else value


def _text(record: Mapping, key: str) -> str | None:
    """A text field, stripped; None when missing or blank."""
    value = _get(record, key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _as_float(value: Any) -> float | None:
    """A number as float; None when missing or not a number."""
    if _is_missing(value) or isinstance(value, bool | np.bool_):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _number(value: Any, grouping: bool = True) -> str:
    """84.0 → "84", 2300000 → "2,300,000" (with grouping), 2.5 → "2.5"."""
    number = _as_float(value)
    if number is None:
        return UNKNOWN
    if math.isinf(number):
        return "∞" if number > 0 else "−∞"
    if number.is_integer():
        return f"{int(number):,}" if grouping else str(int(number))
    return f"{number:,}" if grouping else repr(number)


def _iso(value: Any) -> str | None:
    """A date as ISO 8601 (`2024-01-11`); timestamps at midnight become plain dates."""
    if _is_missing(value):
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


def _records(df: pd.DataFrame | None) -> list[dict[str, Any]]:
    """The rows of a DataFrame as dicts in column order (an empty list for None)."""
    if df is None or len(df.index) == 0:
        return []
    columns = list(df.columns)
    return [dict(zip(columns, row, strict=True)) for row in df.itertuples(index=False, name=None)]


def _as_list(value: Any) -> list[Any]:
    """A list-like cell (list, tuple, array) as a list; a missing cell as []."""
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return list(value)
    if _is_missing(value):
        return []
    if isinstance(value, str):
        return value.split()
    return [value]


def _plural(count: int, word: str, plural: str | None = None) -> str:
    """`1 report`, `2 reports`."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


# --------------------------------------------------------------------------- claim fields


def claim_source(claim: Mapping) -> str:
    """Who a claim is from: `attributed_to`, else the outlet, else the report's path."""
    for key in ("attributed_to", "outlet", "doc"):
        text = _text(claim, key)
        if text:
            return text
    return UNKNOWN


def _display_source(claim: Mapping) -> str:
    """The source column of the report: attribution or outlet; `unknown` when neither is known.

    The report's path is already in the file:line column, so it is not repeated as a source.
    """
    return _text(claim, "attributed_to") or _text(claim, "outlet") or UNKNOWN


def format_named(claim: Mapping) -> str:
    """A named claim: the words as written, the canonical value beside them when it differs,
    and the stance or role ("ISIS → Islamic State (claimed)")."""
    written = " ".join((_text(claim, "figure") or "").split()) or UNKNOWN
    entity = _text(claim, "entity")
    shown = f"{written} → {entity}" if entity and entity.casefold() != written.casefold() \
        else written
    detail = _text(claim, "stance") or _text(claim, "role")
    return f"{shown} ({detail.replace('_', ' ')})" if detail else shown


def format_figure(claim: Mapping) -> str:
    """The figure as written ("at least 84", "30–40", "dozens"), else rebuilt from the numbers."""
    if _text(claim, "kind") == "named":
        return format_named(claim)
    figure = _text(claim, "figure")
    if figure:
        return " ".join(figure.split())
    qualifier = _text(claim, "qualifier")
    value, low, high = (_as_float(_get(claim, key)) for key in ("value", "low", "high"))
    if value is not None:
        return f"{qualifier} {_number(value)}" if qualifier else _number(value)
    if low is not None and high is not None:
        return f"{_number(low)}–{_number(high)}"
    if low is not None:
        word = "at least" if _get(claim, "low_inclusive") is not False else "over"
        return f"{qualifier or word} {_number(low)}"
    if high is not None:
        word = "at most" if _get(claim, "high_inclusive") is not False else "under"
        return f"{qualifier or word} {_number(high)}"
    return qualifier or UNKNOWN


def format_interval(claim: Mapping) -> str:
    """The interval a figure stands for: "[84, ∞)", "(90, ∞)", "[30, 40]", or "84" when exact;
    for a named claim, its canonical value."""
    if _text(claim, "kind") == "named":
        return _text(claim, "entity") or "none"
    value, low, high = (_as_float(_get(claim, key)) for key in ("value", "low", "high"))
    low_inclusive = bool(_get(claim, "low_inclusive")) and low is not None
    high_inclusive = bool(_get(claim, "high_inclusive")) and high is not None
    if low is None and high is None:
        return _number(value) if value is not None else UNKNOWN
    if low is not None and low == high and low_inclusive and high_inclusive:
        return _number(low)
    left = ("[" if low_inclusive else "(") + (_number(low) if low is not None else "−∞")
    right = (_number(high) if high is not None else "∞") + ("]" if high_inclusive else ")")
    return f"{left}, {right}"


def _location(claim: Mapping) -> str:
    """`path:line` of a claim (`unknown` when the path is missing)."""
    doc = _text(claim, "doc") or UNKNOWN
    line = _as_float(_get(claim, "line"))
    return f"{doc}:{int(line)}" if line is not None else doc


def _trim(text: str | None, limit: int = QUOTE_LIMIT) -> str:
    """Whitespace collapsed, cut to `limit` characters at a word boundary with an ellipsis."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def _date_cell(claim: Mapping, sep: str = "\n") -> Text:
    """The claim's date, or `unknown` (with the report's own date, labelled, when that is known)."""
    date = _iso(_get(claim, "claim_date"))
    if date:
        return Text(date)
    cell = Text(UNKNOWN, style="dim")
    published = _iso(_get(claim, "published"))
    if published:
        label = f"\nreport\n{published}" if sep == "\n" else f" (report {published})"
        cell.append(label, style="dim")
    return cell


def _figure_cell(claim: Mapping) -> Text:
    """The figure with its qualifier; a part of a total is marked `part of cN`."""
    cell = Text(format_figure(claim), style="bold")
    part_of = _text(claim, "part_of")
    if part_of:
        cell.append(f"\npart of {part_of}", style="dim")
    return cell


# --------------------------------------------------------------------------- console


def _isatty(file: IO[str] | None) -> bool:
    stream = file if file is not None else sys.stdout
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (ValueError, OSError):
        return False


def make_console(color: str = "auto", file: IO[str] | None = None) -> Console:
    """A rich Console for reports, following `--color auto|always|never`, NO_COLOR and FORCE_COLOR.

    `always` and `never` win over the environment. With `auto`, a non-empty NO_COLOR turns colour
    off (and FORCE_COLOR is then ignored), a non-empty FORCE_COLOR turns it on, and otherwise colour
    is used only when the output is a terminal: a file or pipe gets no ANSI codes.
    """
    choice = (color or "auto").strip().lower()
    if choice not in COLOR_CHOICES:
        raise ValueError(f"color must be one of {', '.join(COLOR_CHOICES)}, not {color!r}")
    common: dict[str, Any] = {"file": file, "highlight": False, "emoji": False}
    if choice == "never":
        return Console(color_system=None, force_terminal=False, no_color=True, **common)
    environ = os.environ
    if choice == "auto" and environ.get("NO_COLOR", "") != "":
        return Console(force_terminal=_isatty(file), no_color=True, **common)
    forced = choice == "always" or environ.get("FORCE_COLOR", "") != ""
    if not forced:
        return Console(force_terminal=_isatty(file), no_color=False, **common)
    console = Console(force_terminal=True, no_color=False, **common)
    if console.color_system is None:  # e.g. TERM=dumb: colour was asked for, so use the basic 8
        console = Console(force_terminal=True, no_color=False, color_system="standard", **common)
    return console


# --------------------------------------------------------------------------- terminal report


def _in_scope(claim: Mapping) -> bool:
    """A claim counts as in scope unless marked out of scope."""
    value = _get(claim, "in_scope")
    return True if value is None else bool(value)


def _claim_groups(finding: Mapping) -> list[list[str]]:
    """The finding's claims grouped by shared figure; claims outside every group come last."""
    raw = _get(finding, "groups")
    if isinstance(raw, str):  # the CSV form, "c7 c5 | c11 c9"
        raw = [part.split() for part in raw.split("|")]
    groups = [[str(cid) for cid in _as_list(group)] for group in _as_list(raw)]
    groups = [group for group in groups if group]
    seen = {cid for group in groups for cid in group}
    rest = [str(cid) for cid in _as_list(_get(finding, "claim_ids")) if str(cid) not in seen]
    if rest:
        groups.append(rest)
    return groups


def _quote_cell(claim: Mapping) -> Text:
    """The quote, trimmed, with the claim's `file:line` (and why it was set aside) below it."""
    cell = Text(_trim(_text(claim, "quote")), style="italic")
    cell.append("\n")
    cell.append(_location(claim), style="cyan")
    return cell


def _source_cell(claim: Mapping) -> Text:
    source = _display_source(claim)
    return Text(source, style="dim" if source == UNKNOWN else "")


def _stacked_claim(claim: Mapping, prefix: str = "") -> Text:
    """One claim as a few lines, for narrow terminals: figure, source, date; quote; file:line."""
    block = Text(prefix)
    block.append(format_figure(claim), style="bold")
    part_of = _text(claim, "part_of")
    if part_of:
        block.append(f" (part of {part_of})", style="dim")
    block.append(" · ")
    block.append_text(_source_cell(claim))
    block.append(" · ")
    block.append_text(_date_cell(claim, sep=" "))
    block.append("\n")
    block.append(_trim(_text(claim, "quote")), style="italic")
    block.append("\n")
    block.append(_location(claim), style="cyan")
    return block


def _is_narrow(console: Console) -> bool:
    return console.width < NARROW_WIDTH


def _finding_claims(finding: Mapping, claims: Mapping[str, Mapping], narrow: bool) -> Table | Group:
    """A finding's claims in time order, a separator between the groups that share a figure.

    Wide: a table of figure, source, date, and the quote with its `file:line` below it (paths are
    long; a column of their own would squeeze the quote to a few words at 100 columns).
    Narrow: each claim as a short block of lines.
    """
    separator = GROUP_SEPARATOR.get(str(_get(finding, "kind") or ""), "vs")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("figure", min_width=6, max_width=24)
    table.add_column("source", min_width=6, max_width=28)
    table.add_column("date", min_width=10, max_width=10)
    table.add_column("quote / file:line", min_width=10, ratio=1, overflow="fold")
    blocks: list[Text] = []
    for index, group in enumerate(_claim_groups(finding)):
        if index:
            table.add_row(Text(separator, style="dim"), "", "", "")
            blocks.append(Text(separator, style="dim"))
        for claim_id in group:
            claim = claims.get(claim_id)
            if claim is None:
                missing = Text(f"{claim_id}: not in the claims table", style="dim")
                table.add_row(Text(claim_id), Text(UNKNOWN, style="dim"), "", missing)
                blocks.append(missing)
                continue
            table.add_row(
                _figure_cell(claim), _source_cell(claim), _date_cell(claim), _quote_cell(claim)
            )
            blocks.append(_stacked_claim(claim))
    return Group(*blocks) if narrow else table


def _finding_heading(finding: Mapping) -> Text:
    severity = str(_get(finding, "severity") or "info")
    heading = Text()
    heading.append(severity, style=SEVERITY_STYLE.get(severity, ""))
    heading.append("  ")
    heading.append(str(_get(finding, "rule") or "?"), style="bold")
    name = _text(finding, "rule_name")
    if name:
        heading.append(f" {name}")
    kind = _text(finding, "kind")
    if kind:
        heading.append(f"  ({kind})", style="dim")
    scope = _text(finding, "scope")
    if scope:
        heading.append(f"  scope: {scope}", style="dim")
    finding_id = _text(finding, "finding_id")
    if finding_id:
        heading.append(f"  [{finding_id}]", style="dim")
    return heading


def _summary_line(claims: list[dict], findings: list[dict], documents: int) -> Text:
    in_scope = sum(1 for claim in claims if _in_scope(claim))
    line = Text()
    line.append("factcheck", style="bold")
    line.append(f": {_plural(documents, 'report')}, {_plural(len(claims), 'claim')} ")
    line.append(f"({len(claims) - in_scope} out of scope), ")
    line.append(_plural(len(findings), "finding"))
    counts = {s: sum(1 for f in findings if _get(f, "severity") == s) for s in SEVERITIES}
    # "2 errors, 3 warnings, 1 info": info has no plural
    parts = [(f"{n} {s}{'' if n == 1 or s == 'info' else 's'}", s)
             for s, n in counts.items() if n]
    if parts:
        line.append(" (")
        for index, (label, severity) in enumerate(parts):
            if index:
                line.append(", ")
            line.append(label, style=SEVERITY_STYLE[severity])
        line.append(")")
    return line


def _why(claim: Mapping) -> str:
    if _text(claim, "part_of") and _in_scope(claim):
        return "a part of a total: not compared on its own"
    return _text(claim, "scope_note") or "no reason given"


def _set_aside(claims: Sequence[Mapping], narrow: bool) -> Table | Group:
    """The out-of-scope claims: id, figure, metric, why, file:line."""
    if narrow:
        lines = []
        for claim in claims:
            line = Text(f"{_text(claim, 'claim_id') or ''} ", style="dim")
            line.append(format_figure(claim), style="bold")
            if _text(claim, "part_of"):
                line.append(f" (part of {_text(claim, 'part_of')})", style="dim")
            line.append(f" {_text(claim, 'metric') or UNKNOWN}: ")
            line.append(_why(claim))
            line.append(f" {_location(claim)}", style="cyan")
            lines.append(line)
        return Group(*lines)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("figure", min_width=6, max_width=24)
    table.add_column("metric", min_width=6, max_width=16)
    table.add_column("why", min_width=10, ratio=1)
    table.add_column("file:line", min_width=8, overflow="fold", style="cyan")
    for claim in claims:
        table.add_row(
            Text(_text(claim, "claim_id") or ""),
            _figure_cell(claim),
            Text(_text(claim, "metric") or UNKNOWN),
            Text(_why(claim)),
            Text(_location(claim)),
        )
    return table


def print_report(
    console: Console,
    claims: pd.DataFrame,
    findings: pd.DataFrame,
    *,
    documents: int | None = None,
    problems: Sequence[str] = (),
) -> None:
    """The editor's report: a summary line, findings by metric, set-aside claims, skipped input."""
    claim_rows = _records(claims)
    finding_rows = _records(findings)
    if documents is None:
        documents = len({doc for claim in claim_rows if (doc := _text(claim, "doc"))})
    by_id = {str(claim.get("claim_id")): claim for claim in claim_rows}
    narrow = _is_narrow(console)
    indent = 0 if narrow else 2

    console.print(_summary_line(claim_rows, finding_rows, documents))
    if not finding_rows:
        console.print()
        between = "in" if documents == 1 else "between"
        console.print(
            Text(
                f"No disagreements found {between} {_plural(documents, 'report')}.",
                style="bold green",
            )
        )

    metrics: dict[str, list[dict]] = {}
    for finding in finding_rows:
        metrics.setdefault(_text(finding, "metric") or UNKNOWN, []).append(finding)
    for metric, group in metrics.items():
        console.print()
        console.print(Rule(Text(metric, style="bold"), align="left"))
        for index, finding in enumerate(group):
            if index:
                console.print()
            console.print(_finding_heading(finding))
            message = _text(finding, "message")
            if message:
                console.print(Padding(Text(message), (0, 0, 0, indent), expand=False))
            claims_view = _finding_claims(finding, by_id, narrow)
            console.print(Padding(claims_view, (0, 0, 0, indent), expand=False))

    set_aside = [claim for claim in claim_rows
                 if not _in_scope(claim) or _text(claim, "part_of")]
    if set_aside:
        console.print()
        title = (f"Set aside: {_plural(len(set_aside), 'claim')} not compared "
                 "(out of scope, or part of a total)")
        console.print(Rule(Text(title, style="bold"), align="left"))
        console.print(_set_aside(set_aside, narrow))

    if problems:
        console.print()
        console.print(Rule(Text("Skipped input", style="bold"), align="left"))
        for problem in problems:
            console.print(Padding(Text(str(problem)), (0, 0, 0, indent), expand=False))


def print_claims(console: Console, claims: pd.DataFrame) -> None:
    """All claims: id, metric, figure, interval, source, date, in scope, quote with file:line."""
    rows = _records(claims)
    title = Text(_plural(len(rows), "claim"), style="bold")
    if _is_narrow(console):
        console.print(title)
        for claim in rows:
            block = Text(f"{_text(claim, 'claim_id') or ''} ", style="dim")
            block.append(
                f"{_text(claim, 'metric') or UNKNOWN} {format_interval(claim)}"
                f"{'' if _in_scope(claim) else ' (out of scope)'} · "
            )
            console.print(_stacked_claim(claim, prefix=block.plain))
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        expand=True,
        title=title,
        title_justify="left",
    )
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("metric", min_width=5, max_width=14)
    table.add_column("figure\ninterval", min_width=8, max_width=18)
    table.add_column("source\ndate", min_width=10, max_width=20)
    table.add_column("in\nscope", min_width=3, max_width=5)
    table.add_column("quote\nfile:line", min_width=10, ratio=1, overflow="fold")
    for claim in rows:
        figure = _figure_cell(claim)
        figure.append(f"\n{format_interval(claim)}", style="dim")
        source = _source_cell(claim)
        source.append("\n")
        source.append_text(_date_cell(claim, sep=" "))
        quote = _quote_cell(claim)
        scoped = Text("yes") if _in_scope(claim) else Text("no", style="yellow")
        note = _text(claim, "scope_note")
        if not _in_scope(claim) and note:
            quote.append(f"\nout of scope: {note}", style="yellow")
        table.add_row(
            Text(_text(claim, "claim_id") or ""),
            Text(_text(claim, "metric") or UNKNOWN),
            figure,
            source,
            scoped,
            quote,
        )
    console.print(table)


# --------------------------------------------------------------------------- JSON


def _jsonable(value: Any) -> Any:
    """A cell as a JSON value: ISO dates, null for missing, whole floats as ints, lists as lists."""
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if _is_missing(value):
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
        return _iso(value)
    if isinstance(value, str):
        return value
    return str(value)


def _json_rows(df: pd.DataFrame | None) -> list[dict[str, Any]]:
    return [{str(k): _jsonable(v) for k, v in record.items()} for record in _records(df)]


def to_json(claims: pd.DataFrame, findings: pd.DataFrame | None = None) -> str:
    """`{"claims": [...]}` or `{"claims": [...], "findings": [...]}`, keys in column order."""
    payload: dict[str, Any] = {"claims": _json_rows(claims)}
    if findings is not None:
        payload["findings"] = _json_rows(findings)
    return json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False)


# --------------------------------------------------------------------------- CSV


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
            text = " ".join(str(_jsonable(item)) for item in items)
        return _csv_text(neutralise_cell(text))
    if _is_missing(value):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return None  # as in JSON: an empty cell is "unbounded"
        return int(number) if number.is_integer() else number
    if isinstance(value, dt.date | pd.Timestamp | np.datetime64):
        return _iso(value)
    return _csv_text(neutralise_cell(value if isinstance(value, str) else str(value)))


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


def write_outputs(out_dir: Path, claims: pd.DataFrame, findings: pd.DataFrame | None) -> list[Path]:
    """Write `claims.csv` (and `findings.csv` when findings are given) into `out_dir`.

    Both are written in full before either replaces its old file, so a run that fails or is
    interrupted while writing leaves the old pair as it was: never new claims beside old
    findings whose `claim_ids` they do not match.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = [(claims, out_dir / "claims.csv")]
    if findings is not None:
        tables.append((findings, out_dir / "findings.csv"))
    written: list[tuple[Path, Path]] = []
    try:
        for df, path in tables:
            written.append((_write_temporary(df, path), path))
    except BaseException:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
        raise
    replace_all(written)
    return [path for _, path in tables]


# --------------------------------------------------------------------------- evaluation


def _share(value: Any) -> str:
    """A ratio as `0.93`; `–` when there was nothing to count."""
    number = _as_float(value)
    return "–" if number is None else f"{number:.2f}"


def _short_names(names: Sequence[str]) -> list[str]:
    """Gold folders by their own name (`seeds`, `beirut-port-explosion-2020`); by their path
    below the folder they share when two have the same name."""
    short = [Path(name).name or name for name in names]
    if len(set(short)) == len(short):
        return short
    try:
        common = os.path.commonpath([os.path.dirname(os.path.normpath(n)) for n in names])
    except ValueError:  # absolute and relative paths mixed
        return list(names)
    return [os.path.relpath(os.path.normpath(n), common) if common else n for n in names]


def _evaluation_row(name: str, figures: Mapping[str, Any]) -> list[str]:
    pairs = figures["pairs"]
    return [
        name,
        _share(figures["recall"]),
        _share(figures["precision"]),
        _share(figures["interval_accuracy"]),
        _share(figures["attribution_accuracy"]),
        _share(figures["claim_date_accuracy"]),
        str(figures["out_of_scope_taken"]),
        f"{pairs['found']}/{pairs['update_conflict']}",
        f"{pairs['compatible_flagged_as_conflict']}/{pairs['compatible']}",
    ]


def print_evaluation(console: Console, evaluation: Mapping[str, Any], verbose: bool = False
                     ) -> None:
    """`factcheck eval`: figures per gold folder and in total, per metric, then (verbose) every
    missed, spurious or misread claim and every missed pair, one line each.

    `evaluation` is the record `Evaluation.to_dict()` returns (also what `--format json` prints).
    """
    golds = evaluation["golds"]
    total = evaluation["total"]
    console.print(Text.assemble(
        ("factcheck eval", "bold"),
        f": {_plural(len(golds), 'gold file')}, {total['matched']} of "
        f"{_plural(total['gold_claims'], 'gold claim')} found, "
        f"{_plural(total['extracted'], 'claim')} extracted"))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    # Short headers (the README explains them) so that the gold names keep some width at 80
    # columns: the figures never wrap, a long gold name folds.
    headers = ("recall", "prec.", "interval", "source", "date", "out of\nscope", "pairs\nfound",
               "compat\nflagged")
    table.add_column("gold", overflow="fold", min_width=10, ratio=1)
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True,
                         min_width=max(len(part) for part in header.split("\n")))
    for name, gold in zip(_short_names([g["gold"] for g in golds]), golds, strict=True):
        table.add_row(*_evaluation_row(name, gold))
    if len(golds) > 1:
        table.add_row(*_evaluation_row("total", total), style="bold")
    console.print(table)

    console.print()
    metrics = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                    title=Text("Per metric (total)", style="bold"), title_justify="left")
    for header in ("metric", "gold", "extracted", "matched", "recall", "precision"):
        metrics.add_column(header, justify="left" if header == "metric" else "right")
    for metric, counts in total["per_metric"].items():
        metrics.add_row(metric, str(counts["gold"]), str(counts["extracted"]),
                        str(counts["matched"]), _share(counts["recall"]),
                        _share(counts["precision"]))
    console.print(metrics)

    pairs = total["pairs"]
    console.print()
    console.print(
        f"Discrepancy pairs: {pairs['found']} of {pairs['update_conflict']} update/conflict "
        f"pairs found ({pairs['found_with_matching_kind']} by a finding of the gold's kind, "
        f"{pairs['not_extracted']} with a claim not extracted); "
        f"{pairs['compatible_flagged_as_conflict']} of {pairs['compatible']} compatible pairs "
        f"flagged as a conflict; {_plural(pairs['skipped_entries'], 'gold entry', 'gold entries')}"
        " skipped (other metrics, sums of parts)."
    )
    named = total.get("named")
    if named and named["gold_claims"]:
        console.print(
            f"Named claims: {named['matched']} of {named['gold_claims']} found, "
            f"{named['extracted']} extracted: recall {_share(named['recall'])}, precision "
            f"{_share(named['precision'])}; canonical value {named['value_correct']} of "
            f"{named['value_checked']} checked, source {_share(named['attribution_accuracy'])}."
            + (f" Not scored (kinds factcheck does not read): {', '.join(named['not_scored'])}."
               if named["not_scored"] else ""))
        if verbose:
            for line in [*(f"missed    {m}" for m in named["missed"]),
                         *(f"spurious  {m}" for m in named["spurious"])]:
                console.print(Padding(Text(line), (0, 0, 0, 2), expand=False), overflow="fold")
    taken = [(gold["gold"], claim) for gold in golds
             for claim in gold["out_of_scope_taken_claims"]]
    if taken:
        console.print()
        console.print(Text("Out-of-scope figures taken as in scope:", style="bold yellow"))
        for folder, claim in taken:
            line = Text("  ")
            line.append(f"{Path(folder).name}/{claim['where']}", style="cyan")
            line.append(f"  {claim['metric']} {claim['figure']}  ")
            line.append(f"“{_trim(claim['quote'])}”", style="dim")
            console.print(line, overflow="fold")
    problems = [p for gold in golds for p in gold.get("gold_problems", [])]
    if problems:
        console.print()
        console.print(Text("Gold annotations that do not fit their reports:", style="bold yellow"))
        for problem in problems:
            console.print(Padding(Text(problem), (0, 0, 0, 2), expand=False))
    if not verbose:
        return
    for gold in golds:
        console.print()
        console.print(Rule(Text(gold["gold"], style="bold"), align="left"))
        details = gold.get("details") or []
        if not details:
            console.print(Padding(Text("nothing missed or misread"), (0, 0, 0, 2), expand=False))
        for detail in details:
            line = Text("  ")
            line.append(f"{detail['what']:<19}", style="yellow")
            line.append(f" {detail['where']}", style="cyan")
            line.append(f"  {detail['message']}")
            if detail["quote"]:
                line.append(f"  “{detail['quote']}”", style="dim")
            console.print(line, overflow="fold")


def evaluation_to_json(evaluation: Mapping[str, Any]) -> str:
    """The `Evaluation.to_dict()` record as JSON (ratios with no denominator are null)."""
    return json.dumps(_jsonable(evaluation), indent=2, ensure_ascii=False, allow_nan=False)


# -- rule tools -------------------------------------------------------------------------

def shown(path: str | Path) -> str:
    """A path as shown to people: relative to the working folder when it is inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


def _at(file: str, line: int | None) -> str:
    return f"{shown(file)}:{line}" if line else shown(file)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _flow(value: Any) -> str:
    """A case entry in YAML flow style, as it is written in a cases file."""
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=1_000_000).strip()


def _fields(rows: list[tuple[str, str | Text]]) -> Table:
    """Label and value rows; values fold to the console's width."""
    grid = Table.grid(padding=(0, 2), pad_edge=False)
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value if isinstance(value, Text) else Text(value))
    return grid


def print_rule_table(console: Console, table: pd.DataFrame) -> None:
    """`factcheck rules list`: one row per finding rule and metric."""
    view = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                 title=Text(f"{len(table)} rules", style="bold"), title_justify="left")
    view.add_column("id", no_wrap=True)
    view.add_column("name", overflow="fold", max_width=20)
    view.add_column("kind", no_wrap=True)
    view.add_column("severity", no_wrap=True)
    view.add_column("enabled", no_wrap=True)
    view.add_column("source", overflow="fold")
    for row in table.to_dict("records"):
        severity = row["severity"] if isinstance(row["severity"], str) else ""
        view.add_row(row["id"], row["name"] if isinstance(row["name"], str) else "",
                     row["kind"], Text(severity, style=SEVERITY_STYLE.get(severity, "")),
                     Text(_yes(row["enabled"]), style="" if row["enabled"] else "yellow"),
                     row["source"])
    console.print(view)


def print_rule(console: Console, rule: Mapping[str, Any]) -> None:
    """`factcheck rules show`: a finding rule or a metric, with every pattern and its file:line."""
    heading = Text(rule["id"], style="bold")
    if rule["type"] == "finding rule":
        heading.append(f"  {rule['name']}", style="bold")
        heading.append("  finding rule", style="dim")
        console.print(heading)
        console.print(_fields([
            ("kind", rule["kind"]),
            ("severity", Text(rule["severity"],
                              style=SEVERITY_STYLE.get(rule["severity"], ""))),
            ("enabled", _yes(rule["enabled"])), ("description", rule["description"]),
            ("example", rule["example"]), ("message", rule["message"]),
            ("source", shown(rule["source"]))]))
        return
    heading.append("  metric", style="dim")
    console.print(heading)
    console.print(_fields([
        ("description", rule["description"]), ("example", rule["example"]),
        ("accumulates", _yes(rule["accumulates"])
         + ("  (a later, lower figure is a conflict unless it is a revision)"
            if rule["accumulates"] else "  (any later figure may replace an earlier one)")),
        ("tolerance", str(rule["tolerance"])), ("enabled", _yes(rule["enabled"])),
        ("keywords", ", ".join(rule["keywords"])), ("source", shown(rule["source"]))]))

    def patterns(title: str, entries: list[dict[str, Any]]) -> None:
        console.print()
        console.print(Text(title, style="bold"))
        for entry in entries:
            console.print(Text(f"  {_at(entry['file'], entry['line'])}", style="cyan"))
            # Soft wrap: the pattern is one line, exactly as written, for the terminal to wrap;
            # rich's own wrapping would drop the space it breaks at.
            console.print(Text(f"    {entry['pattern']}"), soft_wrap=True)

    patterns(f"patterns ({len(rule['patterns'])})", rule["patterns"])
    if rule["conditional_patterns"]:
        # The condition first: it decides whether the patterns under it count at all.
        patterns("unless_report_mentions: a report it matches skips the conditional patterns",
                 [rule["unless_report_mentions"]])
        patterns(f"conditional patterns ({len(rule['conditional_patterns'])})",
                 rule["conditional_patterns"])


def _print_case(console: Console, case: Any) -> None:
    console.print()
    title = Text("FAIL", style="bold red")
    title.append(f"  {_at(case.file, case.line)}", style="cyan")
    title.append(f"  {case.name}")
    console.print(title, overflow="fold")
    rows: list[tuple[str, str | Text]] = []
    if case.kind == "claims":
        rows.append(("text", case.text or ""))
    else:
        rows.append(("reports", "\n".join(
            f"{n}. " + ", ".join(str(r[k]) for k in ("source", "date") if r.get(k))
            + (": " if r.get("source") or r.get("date") else "") + str(r.get("text", ""))
            for n, r in enumerate(case.reports, start=1))))
    nothing = f"(no {case.kind})"
    rows.append(("expected", "\n".join(_flow(e) for e in case.expected) or nothing))
    rows.append(("found", "\n".join(_flow(f) for f in case.found) or nothing))
    console.print(Padding(_fields(rows), (0, 0, 0, 2), expand=False))


def print_rule_tests(console: Console, run: Any) -> None:
    """`factcheck rules test`: the counts, then every failed case in full and every skipped one."""
    summary = Text("factcheck rules test", style="bold")
    summary.append(f": {run.run} cases run, ")
    summary.append(f"{run.passed} passed", style="green" if not run.failed else "")
    summary.append(", ")
    summary.append(f"{run.failed} failed", style="bold red" if run.failed else "")
    if run.skipped:
        summary.append(f", {len(run.skipped)} skipped", style="yellow")
    console.print(summary)
    console.print(Text(f"rules: {', '.join(shown(d) for d in run.dirs)}; "
                       f"{len(run.case_files)} cases files", style="dim"), overflow="fold")
    for case in run.failures:
        _print_case(console, case)
    if run.skipped:
        console.print()
        for case in run.skipped:
            line = Text("skipped", style="yellow")
            line.append(f"  {_at(case.file, case.line)}", style="cyan")
            line.append(f"  {case.name}: {case.skipped}")
            console.print(line, overflow="fold")
