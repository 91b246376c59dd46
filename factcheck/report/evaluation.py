"""`factcheck eval` rendered, for people and as JSON.

Figures per gold folder and in total, per metric, and every claim missed, spurious or misread.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .cells import as_float, plural, trim
from .safetext import json_text
from .tables import jsonable


def _share(value: Any) -> str:
    """A ratio as `0.93`; `–` when there was nothing to count."""
    number = as_float(value)
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
        f": {plural(len(golds), 'gold file')}, {total['matched']} of "
        f"{plural(total['gold_claims'], 'gold claim')} found, "
        f"{plural(total['extracted'], 'claim')} extracted"))
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
        f"flagged as a conflict; {plural(pairs['skipped_entries'], 'gold entry', 'gold entries')}"
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
            line.append(f"“{trim(claim['quote'])}”", style="dim")
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
    return json_text(jsonable(evaluation), indent=2, allow_nan=False)
