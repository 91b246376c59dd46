"""`init`: a commented factcheck.toml written in the working folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import FactcheckError
from ..fileio import write_text_atomic
from ..report.rulebook import shown

TEMPLATE = """\
# factcheck configuration. Every command reads it (report, claims, index, check, eval,
# rules), found from the working folder upwards; an option on the command line wins over
# it, and it wins over the defaults. `--config FILE` names another file, `--no-config`
# ignores it. Paths are relative to this file. Uncomment what your desk needs.

# Rules folders laid over the shipped rules, later ones winning: a newsroom's metrics,
# or a findings.yaml that switches a rule off (`rules: [{code: FC101, enabled: false}]`).
# rules = ["rules"]

# How reports split into stories compared separately: "folder", or a metadata field or
# corpus column such as "event". Default: one story, split by "event" where reports say.
# group-by = "folder"

# A finding rule's level by its code: error, warning or info.
# severity = { FC102 = "error", FC303 = "warning" }

# Finding rules to leave out everywhere, by code (`check --ignore` replaces this list).
# ignore = ["FC204"]

# check: the reporting the desk trusts, checked against when --against is not given.
# reference = ["reference/"]

# check: the least severe level that fails the check (exit 1).
# fail-on = "error"

# check: the output format: text, line, json, github, sarif or junit.
# format = "text"

# check: findings this baseline file accepts are left out.
# baseline = "factcheck-baseline.json"
"""


def init_command(
    path: Annotated[Path, typer.Argument(
        metavar="FILE", help="Where to write it.", show_default=True)] = Path("factcheck.toml"),
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite the file when it exists.")] = False,
) -> None:
    """Write a commented factcheck.toml: every key, what it does, its default.

    Never overwrites a file without --force (exit 2 naming it).
    """
    if path.exists() and not force:
        raise FactcheckError("already exists (give --force to overwrite it)", path)
    write_text_atomic(path, TEMPLATE)
    typer.echo(f"created {shown(path)}")
