"""What commands say on stderr, one line each, and the exits that follow.

Inputs skipped, a `--strict` stop, a claims store made with other rules.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

from ..errors import ExitCode, Problem, SkippedInputError, one_line
from ..report.rulebook import shown
from ..run.indexing import StoreUpdate


def say_skipped(problems: Sequence[Problem]) -> None:
    """Name every input skipped, one line each: `factcheck: skipped PATH:LINE: why`."""
    for problem in problems:
        typer.echo(f"factcheck: skipped {problem}", err=True)


def say_note(note: str | None) -> None:
    """A note on stderr (`factcheck: note: …`) that changes nothing in the run."""
    if note:
        typer.echo(f"factcheck: note: {one_line(note)}", err=True)


def exit_if_skipped(problems: Sequence[Problem]) -> None:
    """Name every input skipped on stderr; any makes the exit status 3."""
    say_skipped(problems)
    if problems:
        raise typer.Exit(ExitCode.INPUT_SKIPPED)


def strict_exit(stopped: SkippedInputError) -> typer.Exit:
    """`--strict` stopped the run: every diagnostic, one line saying so, and the exit to raise."""
    say_skipped(stopped.problems)
    typer.echo(f"factcheck: error: {stopped}", err=True)
    return typer.Exit(stopped.exit_code)


def store_note(update: StoreUpdate) -> None:
    """Say so when a store's claims were not used: it was damaged, or other rules made them."""
    if update.damaged is not None:
        typer.echo(f"factcheck: warning: {shown(update.store)}: {update.damaged}; every report "
                   "re-extracted and the store rebuilt", err=True)
    if update.other_rules is None:
        return
    what = ("every report re-extracted and the store rebuilt" if update.written else
            "every report extracted; the store is left as it is (factcheck index rebuilds it)")
    typer.echo(f"factcheck: note: {shown(update.store)} holds claims made with other "
               f"rules ({update.other_rules}; these are {update.rules_version}) or another "
               f"factcheck: {what}", err=True)
