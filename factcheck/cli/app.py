"""The `factcheck` command: the typer app, its commands, and the entry point.

The typer app, its commands in help order, and the entry point that turns every error into one
line on stderr and an exit code.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer

from ..errors import ExitCode, FactcheckError, one_line
from ..fileio import replaced_files
from ..resources import VERSION
from . import check, evaluation, init, reading, rules
from .diagnostics import say_skipped
from .helptext import conventional_help

conventional_help()

app = typer.Typer(
    name="factcheck",
    help="Find where news reports disagree about figures, showing the source and date of "
    "every claim involved.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion and --show-completion, typer's own
    # Markdown reflows docstring paragraphs to the terminal's width instead of keeping the
    # source's line breaks.
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {VERSION}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Find where news reports disagree about figures."""


app.command("report")(reading.report)
app.command("claims")(reading.claims)
app.command("index")(reading.index_command)
app.command("eval")(evaluation.eval_command)
app.command("check", no_args_is_help=True)(check.check_command)
app.add_typer(rules.rules_app, name="rules")
app.command("init")(init.init_command)


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: unwinds the run as KeyboardInterrupt would (every cleanup runs: an
    output being written is abandoned, its temporary file removed, the old file untouched),
    then `main` says so in one line."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _interrupted(signum: int, frame: object) -> None:
    # `kill` and CI timeouts send SIGTERM, a terminal SIGINT: both unwind the same way (not as
    # KeyboardInterrupt, which click turns into a bare "Aborted!" after a blank line).
    raise Interrupted(signum)


def _command() -> str:
    """The command being run, as typed: `factcheck report`, `factcheck rules test`."""
    words = [word for word in sys.argv[1:3] if not word.startswith("-")]
    return " ".join(["factcheck", *words[:2 if words[:1] == ["rules"] else 1]])


def interrupted_line(signum: int) -> str:
    """What an interrupted run tells: the signal, the command, and what it left changed."""
    done = replaced_files()
    left = (f"only {', '.join(one_line(str(path)) for path in done)} had been written; "
            "every other output is as it was" if done
            else "no output was replaced: the old files are intact")
    return (f"factcheck: interrupted ({signal.Signals(signum).name}): {_command()} stopped; "
            f"{left}")


def main() -> None:
    """Entry point: run the app; a usage or configuration error is one line and exit 2."""
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    try:
        code = app(standalone_mode=False)
    except Interrupted as stop:
        signal.signal(stop.signum, signal.SIG_IGN)  # a second Ctrl-C: no traceback on the way out
        typer.echo(interrupted_line(stop.signum), err=True)
        sys.exit(128 + stop.signum)
    except FactcheckError as error:
        say_skipped(error.problems)  # every input skipped, not just the first the error names
        typer.echo(f"factcheck: error: {error}", err=True)
        sys.exit(error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except BrokenPipeError:
        # the reader of our output went away (`factcheck report | head`): stop quietly
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the interpreter's flush
        sys.exit(ExitCode.OK)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo(interrupted_line(signal.SIGINT), err=True)
        sys.exit(130)
    except OSError as error:
        # the file the user named (fileio names the target, never its temporary file)
        where = f"{one_line(str(error.filename))}: " if error.filename else ""
        typer.echo(f"factcheck: error: {where}{one_line(error.strerror or str(error))}",
                   err=True)
        sys.exit(ExitCode.USAGE)
    except Exception as error:  # a click usage error and its exit code
        exit_code = getattr(error, "exit_code", None)
        show = getattr(error, "show", None)
        if exit_code is not None and show is not None:
            show()
            sys.exit(exit_code)
        if os.environ.get("FACTCHECK_DEBUG"):
            raise
        # A bug of ours, not the user's input: one line, and the way to see more.
        typer.echo(f"factcheck: internal error: {type(error).__name__}: {error} "
                   "(set FACTCHECK_DEBUG=1 for the traceback)", err=True)
        sys.exit(ExitCode.INTERNAL)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)
