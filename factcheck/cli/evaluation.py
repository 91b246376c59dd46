"""`eval`: extraction and comparison measured against gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import SkippedInputError
from ..report.console import make_console
from ..report.evaluation import evaluation_to_json, print_evaluation
from ..tools.evaluate.evaluation import evaluate
from .config import configured_rules, resolve_config
from .diagnostics import exit_if_skipped, strict_exit
from .options import (
    Color,
    ColorOption,
    ConfigOption,
    EvalFormat,
    NoConfigOption,
    RulesOption,
    StrictOption,
)


def eval_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="gold.yaml files, or folders with a gold.yaml beside the reports; "
                            "a folder without one stands for each subfolder that has one.",
                       show_default=False),
    ],
    rules: RulesOption = None,
    format: Annotated[EvalFormat, typer.Option("--format", "-f", help="Output format.")] = (
        EvalFormat.table),
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="List every missed, spurious, out-of-scope, misread, "
        "mis-attributed or mis-dated claim and every missed pair, one line each.")] = False,
    color: ColorOption = Color.auto,
    strict: StrictOption = False,
    config: ConfigOption = None,
    no_config: NoConfigOption = False,
) -> None:
    """Measure extraction against gold annotations: recall and precision (per metric), how
    figures, sources and dates were read, out-of-scope figures taken, and discrepancy pairs found.

    --format json prints every figure per gold file and in total, with the details.
    """
    try:
        evaluation = evaluate([str(p) for p in paths],
                              configured_rules(rules, resolve_config(config, no_config)),
                              strict=strict)
    except SkippedInputError as stopped:
        raise strict_exit(stopped) from None
    if format is EvalFormat.json:
        typer.echo(evaluation_to_json(evaluation.to_dict(details=True)))
    else:
        print_evaluation(make_console(color.value), evaluation.to_dict(details=verbose),
                         verbose=verbose)
    exit_if_skipped(evaluation.problems)
