"""The terminal report and claims table, rendered from the claims and findings tables.

Findings by metric with their claims, set-aside claims and skipped input; every claim with its
figure, interval, source, date and place.

Records first, renderers second: nothing here extracts or judges claims. Every function reads
the claims and findings tables and only formats them; a missing value is shown as `unknown`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..compare.detectors import relation
from ..ruleset.model import SEVERITIES
from .cells import (
    UNKNOWN,
    as_float,
    claim_groups,
    iso_date,
    location,
    number_text,
    plural,
    records,
    text_of,
    trim,
    value_of,
)
from .safetext import safe_records, safe_text

# below this many columns, claims are listed as lines instead of tables: at 80 columns a
# table leaves the quote a few words a line and splits file:line
NARROW_WIDTH = 100
SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "blue"}


def _display_source(claim: Mapping) -> str:
    """The source column of the report: attribution or outlet; `unknown` when neither is known.

    The report's path is already in the file:line column, so it is not repeated as a source.
    """
    return text_of(claim, "attributed_to") or text_of(claim, "outlet") or UNKNOWN


def format_named(claim: Mapping) -> str:
    """A named claim: the words as written, the canonical value beside them when it differs,
    and the stance or role ("ISIS → Islamic State (claimed)")."""
    written = " ".join((text_of(claim, "figure") or "").split()) or UNKNOWN
    entity = text_of(claim, "entity")
    shown = f"{written} → {entity}" if entity and entity.casefold() != written.casefold() \
        else written
    detail = text_of(claim, "stance") or text_of(claim, "role")
    return f"{shown} ({detail.replace('_', ' ')})" if detail else shown


def format_figure(claim: Mapping) -> str:
    """The figure as written ("at least 84", "30–40", "dozens"), else rebuilt from the numbers."""
    if text_of(claim, "kind") == "named":
        return format_named(claim)
    figure = text_of(claim, "figure")
    if figure:
        return " ".join(figure.split())
    qualifier = text_of(claim, "qualifier")
    value, low, high = (as_float(value_of(claim, key)) for key in ("value", "low", "high"))
    if value is not None:
        return f"{qualifier} {number_text(value)}" if qualifier else number_text(value)
    if low is not None and high is not None:
        return f"{number_text(low)}–{number_text(high)}"
    if low is not None:
        word = "at least" if value_of(claim, "low_inclusive") is not False else "over"
        return f"{qualifier or word} {number_text(low)}"
    if high is not None:
        word = "at most" if value_of(claim, "high_inclusive") is not False else "under"
        return f"{qualifier or word} {number_text(high)}"
    return qualifier or UNKNOWN


def format_interval(claim: Mapping) -> str:
    """The interval a figure stands for: "[84, ∞)", "(90, ∞)", "[30, 40]", or "84" when exact;
    for a named claim, its canonical value."""
    if text_of(claim, "kind") == "named":
        return text_of(claim, "entity") or "none"
    value, low, high = (as_float(value_of(claim, key)) for key in ("value", "low", "high"))
    low_inclusive = bool(value_of(claim, "low_inclusive")) and low is not None
    high_inclusive = bool(value_of(claim, "high_inclusive")) and high is not None
    if low is None and high is None:
        return number_text(value) if value is not None else UNKNOWN
    if low is not None and low == high and low_inclusive and high_inclusive:
        return number_text(low)
    left = ("[" if low_inclusive else "(") + (number_text(low) if low is not None else "−∞")
    right = (number_text(high) if high is not None else "∞") + ("]" if high_inclusive else ")")
    return f"{left}, {right}"


def date_cell(claim: Mapping, sep: str = "\n") -> Text:
    """The claim's date, or `unknown` (with the report's own date, labelled, when that is known)."""
    date = iso_date(value_of(claim, "claim_date"))
    if date:
        return Text(date)
    cell = Text(UNKNOWN, style="dim")
    published = iso_date(value_of(claim, "published"))
    if published:
        label = f"\nreport\n{published}" if sep == "\n" else f" (report {published})"
        cell.append(label, style="dim")
    return cell


def figure_cell(claim: Mapping) -> Text:
    """The figure with its qualifier; a part of a total is marked `part of cN`."""
    cell = Text(format_figure(claim), style="bold")
    part_of = text_of(claim, "part_of")
    if part_of:
        cell.append(f"\npart of {part_of}", style="dim")
    return cell


def is_in_scope(claim: Mapping) -> bool:
    """A claim counts as in scope unless marked out of scope."""
    value = value_of(claim, "in_scope")
    return True if value is None else bool(value)


def _quote_cell(claim: Mapping) -> Text:
    """The quote, trimmed, with the claim's `file:line` (and why it was set aside) below it."""
    cell = Text(trim(text_of(claim, "quote"), keep=text_of(claim, "figure")), style="italic")
    cell.append("\n")
    cell.append(location(claim), style="cyan")
    return cell


def _source_cell(claim: Mapping) -> Text:
    source = _display_source(claim)
    return Text(source, style="dim" if source == UNKNOWN else "")


def _stacked_claim(claim: Mapping, prefix: str = "") -> Text:
    """One claim as a few lines, for narrow terminals: figure, source, date; quote; file:line."""
    block = Text(prefix)
    block.append(format_figure(claim), style="bold")
    part_of = text_of(claim, "part_of")
    if part_of:
        block.append(f" (part of {part_of})", style="dim")
    block.append(" · ")
    block.append_text(_source_cell(claim))
    block.append(" · ")
    block.append_text(date_cell(claim, sep=" "))
    block.append("\n")
    block.append(trim(text_of(claim, "quote"), keep=text_of(claim, "figure")), style="italic")
    block.append("\n")
    block.append(location(claim), style="cyan")
    return block


def _is_narrow(console: Console) -> bool:
    return console.width < NARROW_WIDTH


def _finding_claims(finding: Mapping, claims: Mapping[str, Mapping], narrow: bool) -> Table | Group:
    """A finding's claims in time order, a separator between the groups that share a figure.

    Wide: a table of figure, source, date, and the quote with its `file:line` below it (paths are
    long; a column of their own would squeeze the quote to a few words at 100 columns).
    Narrow: each claim as a short block of lines.
    """
    separator = relation(str(value_of(finding, "kind") or ""))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column("figure", min_width=6, max_width=24)
    table.add_column("source", min_width=6, max_width=28)
    table.add_column("date", min_width=10, max_width=10)
    where = [location(c) for group in claim_groups(finding) for cid in group
             if (c := claims.get(cid)) is not None]
    table.add_column("quote / file:line", min_width=max([10, *map(len, where)]), ratio=1,
                     overflow="fold")
    blocks: list[Text] = []
    for index, group in enumerate(claim_groups(finding)):
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
                figure_cell(claim), _source_cell(claim), date_cell(claim), _quote_cell(claim)
            )
            blocks.append(_stacked_claim(claim))
    return Group(*blocks) if narrow else table


def _finding_heading(finding: Mapping) -> Text:
    severity = str(value_of(finding, "severity") or "info")
    heading = Text()
    heading.append(severity, style=SEVERITY_STYLE.get(severity, ""))
    heading.append("  ")
    heading.append(str(value_of(finding, "rule") or "?"), style="bold")
    name = text_of(finding, "rule_name")
    if name:
        heading.append(f" {name}")
    kind = text_of(finding, "kind")
    if kind:
        heading.append(f"  ({kind})", style="dim")
    scope = text_of(finding, "scope")
    if scope:
        heading.append(f"  scope: {scope}", style="dim")
    finding_id = text_of(finding, "finding_id")
    if finding_id:
        heading.append(f"  [{finding_id}]", style="dim")
    return heading


def _summary_line(claims: list[dict], findings: list[dict], documents: int) -> Text:
    in_scope = sum(1 for claim in claims if is_in_scope(claim))
    line = Text()
    line.append("factcheck", style="bold")
    line.append(f": {plural(documents, 'report')}, {plural(len(claims), 'claim')} ")
    line.append(f"({len(claims) - in_scope} out of scope), ")
    line.append(plural(len(findings), "finding"))
    counts = {s: sum(1 for f in findings if value_of(f, "severity") == s) for s in SEVERITIES}
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
    if text_of(claim, "part_of") and is_in_scope(claim):
        return "a part of a total: not compared on its own"
    return text_of(claim, "scope_note") or "no reason given"


def _set_aside(claims: Sequence[Mapping], narrow: bool) -> Table | Group:
    """The out-of-scope claims: id, figure, metric, why, file:line."""
    if narrow:
        lines: list[Text | Padding] = []
        for claim in claims:
            line = Text(f"{text_of(claim, 'claim_id') or ''} ", style="dim")
            line.append(format_figure(claim), style="bold")
            if text_of(claim, "part_of"):
                line.append(f" (part of {text_of(claim, 'part_of')})", style="dim")
            line.append(f" · {text_of(claim, 'metric') or UNKNOWN} · ")
            line.append(location(claim), style="cyan")
            lines.append(line)
            lines.append(Padding(Text(_why(claim)), (0, 0, 0, 2)))
        return Group(*lines)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("id", no_wrap=True, style="dim")
    table.add_column("figure", min_width=6, max_width=24)
    table.add_column("metric", min_width=6, max_width=16)
    table.add_column("why", min_width=10, ratio=1)
    # as wide as the longest file:line, so that none is split
    table.add_column("file:line", min_width=max(len(location(c)) for c in claims),
                     overflow="fold", style="cyan")
    for claim in claims:
        table.add_row(
            Text(text_of(claim, "claim_id") or ""),
            figure_cell(claim),
            Text(text_of(claim, "metric") or UNKNOWN),
            Text(_why(claim)),
            Text(location(claim)),
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
    claim_rows = safe_records(records(claims))  # text from the input: no control characters
    finding_rows = safe_records(records(findings))
    if documents is None:
        documents = len({doc for claim in claim_rows if (doc := text_of(claim, "doc"))})
    by_id = {str(claim.get("claim_id")): claim for claim in claim_rows}
    narrow = _is_narrow(console)
    indent = 2  # wrapped lines keep it: each block is padded, not prefixed with spaces

    console.print(_summary_line(claim_rows, finding_rows, documents))
    if not finding_rows:
        console.print()
        between = "in" if documents == 1 else "between"
        console.print(
            Text(
                f"No disagreements found {between} {plural(documents, 'report')}.",
                style="bold green",
            )
        )

    metrics: dict[str, list[dict]] = {}
    for finding in finding_rows:
        metrics.setdefault(text_of(finding, "metric") or UNKNOWN, []).append(finding)
    for metric, group in metrics.items():
        console.print()
        console.print(Rule(Text(metric, style="bold"), align="left"))
        for index, finding in enumerate(group):
            if index:
                console.print()
            console.print(_finding_heading(finding))
            message = text_of(finding, "message")
            if message:
                console.print(Padding(Text(message), (0, 0, 0, indent), expand=False))
            claims_view = _finding_claims(finding, by_id, narrow)
            console.print(Padding(claims_view, (0, 0, 0, indent), expand=False))

    set_aside = [claim for claim in claim_rows
                 if not is_in_scope(claim) or text_of(claim, "part_of")]
    if set_aside:
        console.print()
        title = (f"Set aside: {plural(len(set_aside), 'claim')} not compared "
                 "(out of scope, or part of a total)")
        console.print(Rule(Text(title, style="bold"), align="left"))
        console.print(_set_aside(set_aside, narrow))

    if problems:
        console.print()
        console.print(Rule(Text("Skipped input", style="bold"), align="left"))
        for problem in problems:
            console.print(Padding(Text(safe_text(str(problem))), (0, 0, 0, indent), expand=False))


def print_claims(console: Console, claims: pd.DataFrame) -> None:
    """All claims: id, metric, figure, interval, source, date, in scope, quote with file:line."""
    rows = safe_records(records(claims))
    title = Text(plural(len(rows), "claim"), style="bold")
    if _is_narrow(console):
        console.print(title)
        for claim in rows:
            block = Text(f"{text_of(claim, 'claim_id') or ''} ", style="dim")
            block.append(
                f"{text_of(claim, 'metric') or UNKNOWN} {format_interval(claim)}"
                f"{'' if is_in_scope(claim) else ' (out of scope)'} · "
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
        figure = figure_cell(claim)
        figure.append(f"\n{format_interval(claim)}", style="dim")
        source = _source_cell(claim)
        source.append("\n")
        source.append_text(date_cell(claim, sep=" "))
        quote = _quote_cell(claim)
        scoped = Text("yes") if is_in_scope(claim) else Text("no", style="yellow")
        note = text_of(claim, "scope_note")
        if not is_in_scope(claim) and note:
            quote.append(f"\nout of scope: {note}", style="yellow")
        table.add_row(
            Text(text_of(claim, "claim_id") or ""),
            Text(text_of(claim, "metric") or UNKNOWN),
            figure,
            source,
            scoped,
            quote,
        )
    console.print(table)
