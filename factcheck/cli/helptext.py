"""How `--help` names values: conventional metavars instead of typer's type names.

typer 0.2x shows every option's Python type (`<bool>` after a flag, `<list[Path]>`) and a
required argument as `{DRAFT...}...`. Flags take no value, so they show none; a repeatable
option shows what one value is (`<path>`); an argument is `PATHS...` or `[PATHS]...`.
Help lines carry no trailing spaces. Applied once, when the app is built (typer offers no hook
for it).
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from typer import core, rich_utils

from ..report.console import TrimmedLines


def _value_label(param: Any, ctx: Any, original: Any) -> str | None:
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None  # a flag takes no value
    if param.metavar is not None:
        return param.metavar or None
    label = original(param, ctx)
    if isinstance(label, str) and label.startswith("<list[") and label.endswith("]>"):
        label = f"<{label[6:-2].lower()}>"  # one value of a repeatable option
    return label.removesuffix("...") if isinstance(label, str) else label


def _usage_name(param: Any) -> str:
    name = (param.metavar or param.name or "").removesuffix("...").upper()
    repeat = "..." if param.nargs != 1 else ""
    return f"{name}{repeat}" if param.required else f"[{name}]{repeat}"


def conventional_help() -> None:
    """Patch typer's parameter classes (idempotent)."""
    if getattr(core, "_factcheck_help", False):
        return
    option_type = core.TyperOption.display_type_rich
    argument_type = core.TyperArgument.display_type_rich
    core.TyperOption.display_type_rich = (  # type: ignore[method-assign]
        lambda self, ctx: _value_label(self, ctx, option_type))
    core.TyperArgument.display_type_rich = (  # type: ignore[method-assign]
        lambda self, ctx: None if self.metavar else _value_label(self, ctx, argument_type))
    core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
    make_console = rich_utils._get_rich_console

    def trimmed_console(stderr: bool = False) -> Console:
        # help lines without the spaces rich pads them with, as every other output
        console = make_console(stderr)
        console.file = TrimmedLines(console.file)
        return console

    rich_utils._get_rich_console = trimmed_console
    core._factcheck_help = True  # type: ignore[attr-defined]
