"""Configuration for every command: `factcheck.toml` or `[tool.factcheck]`, found walking up.

`factcheck.toml` or `[tool.factcheck]` in `pyproject.toml`, found by walking up from the
working folder. `rules`, `group-by`, `severity` and `ignore` apply to every command that reads
reports or rules (report, claims, index, check, eval, rules), `reference`, `fail-on`, `format`
and `baseline` to check; the precedence is the same everywhere: command line over file over
defaults.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import FactcheckError, nearest_names
from ..report.formats.registry import FORMAT_NAMES
from ..ruleset.model import SEVERITIES, RuleSet
from ..run.api import load_rules

CONFIG_NAMES = ("factcheck.toml", "pyproject.toml")  # in this order, in each folder
_CODE = re.compile(r"^FC\d{3}$")


@dataclass(frozen=True)
class Config:
    """What a configuration file says; paths resolved against the file's folder. `path` is
    None when no file was found (every value then its default)."""

    path: Path | None = None
    reference: tuple[Path, ...] = ()
    rules: tuple[Path, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    format: str | None = None
    baseline: Path | None = None
    group_by: str | None = None


# key -> what it must be (for the error message)
KEYS = {
    "reference": "a list of paths",
    "rules": "a list of folders",
    "severity": "a table of rule code = level",
    "ignore": "a list of rule codes",
    "fail-on": f"one of {', '.join(SEVERITIES)}",
    "format": f"one of {', '.join(FORMAT_NAMES)}",
    "baseline": "a path",
    "group-by": "'folder', or a metadata field or corpus column",
}


def _table(path: Path) -> Mapping[str, Any] | None:
    """The factcheck table of a config file (None: a pyproject.toml without one)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"at line (\d+)", str(error))
        raise FactcheckError(f"not valid TOML: {error}", path,
                             int(line.group(1)) if line else None) from None
    except (OSError, UnicodeDecodeError) as error:
        raise FactcheckError(f"cannot read configuration: {error}", path) from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("factcheck")
        if table is not None and not isinstance(table, dict):
            raise FactcheckError("[tool.factcheck] must be a table", path)
        return table
    return data.get("tool", {}).get("factcheck", data) if "tool" in data else data


def find_config(start: Path | None = None) -> Path | None:
    """The nearest configuration file from `start` (default: the working folder) upwards: in
    each folder `factcheck.toml`, else a `pyproject.toml` that has a `[tool.factcheck]` table."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _table(path) is not None):
                return path
    return None


def _line_of(path: Path, key: str) -> int | None:
    """The line a key is set on (tomllib keeps no positions): the first `key =` line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    # `key = …` on its own line, else inside an inline table (`severity = { FC301 = … }`)
    for pattern in (rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=",
                    rf"(?<![\w-])[\"']?{re.escape(key)}[\"']?\s*="):
        found = next((n for n, text in enumerate(lines, start=1) if re.search(pattern, text)),
                     None)
        if found:
            return found
    return None


def _paths(value: Any, key: str, path: Path) -> tuple[Path, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FactcheckError(f"'{key}' must be {KEYS[key]}", path, _line_of(path, key))
    return tuple(path.parent / v for v in value)


def load_config(path: Path) -> Config:
    """Read and validate one configuration file; a bad one is an error naming it (exit 2)."""
    table = _table(path)
    if table is None:
        raise FactcheckError("no [tool.factcheck] table", path)
    for key in table:
        if key not in KEYS:
            raise FactcheckError(f"unknown key '{key}' (expected one of: {', '.join(KEYS)})",
                                 path, _line_of(path, key))

    def bad(key: str) -> FactcheckError:
        return FactcheckError(f"'{key}' must be {KEYS[key]}", path, _line_of(path, key))

    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise bad("severity")
    for code, level in severity.items():
        if not _CODE.match(str(code)) or level not in SEVERITIES:
            raise FactcheckError(f"severity: {code} = {level!r}: expected a rule code (FC301) "
                                 f"and one of {', '.join(SEVERITIES)}", path,
                                 _line_of(path, str(code)))
    ignore = table.get("ignore", [])
    if not isinstance(ignore, list) or not all(
            isinstance(c, str) and _CODE.match(c) for c in ignore):
        raise bad("ignore")
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise bad("fail-on")
    output_format = table.get("format")
    if output_format is not None and output_format not in FORMAT_NAMES:
        raise bad("format")
    baseline = table.get("baseline")
    if baseline is not None and not isinstance(baseline, str):
        raise bad("baseline")
    group_by = table.get("group-by")
    if group_by is not None and (not isinstance(group_by, str) or not group_by.strip()):
        raise bad("group-by")
    return Config(
        path=path,
        reference=_paths(table.get("reference", []), "reference", path),
        rules=_paths(table.get("rules", []), "rules", path),
        severity=dict(severity), ignore=tuple(ignore), fail_on=fail_on, format=output_format,
        baseline=path.parent / baseline if baseline else None, group_by=group_by,
    )


def resolve_config(explicit: Path | None = None, isolated: bool = False,
                   start: Path | None = None) -> Config:
    """The configuration in force: `explicit` (`--config`), none with `isolated`
    (`--no-config`), else the nearest file found (see `find_config`), else the defaults."""
    if isolated:
        return Config()
    if explicit is not None:
        if not explicit.is_file():
            raise FactcheckError("configuration file not found", explicit)
        return load_config(explicit)
    found = find_config(start)
    return load_config(found) if found else Config()


def rule_layers(given: Sequence[Path] | None, config: Config) -> list[Path] | None:
    """The rules folders laid over the shipped rules: `--rules` when given, else the
    configuration's `rules` (None: the shipped rules alone)."""
    return list(given) if given else (list(config.rules) or None)


def configured_rules(given: Sequence[Path] | None, config: Config,
                     ignore: Collection[str] | None = None) -> RuleSet:
    """The rule set a command runs with: the layers `rule_layers` gives, finding rules
    re-levelled by the configuration's `severity` and switched off by `ignore` (the option's,
    which replaces the configuration's, else the configuration's)."""
    chosen = config.ignore if ignore is None else tuple(ignore)
    rules = load_rules(rule_layers(given, config))
    for code in (*chosen, *config.severity):
        if code not in rules.finding_rules:
            # a code mistyped would otherwise switch off or re-level nothing, silently
            nearest = ", ".join(nearest_names(code, sorted(rules.finding_rules))) or "none"
            raise FactcheckError(f"no finding rule {code!r} to ignore or re-level (nearest: "
                                 f"{nearest}; `factcheck rules list` lists them all)")
    return rules.with_overrides(config.severity, chosen)


def group_by_of(given: str | None, config: Config) -> str | None:
    """How reports split into stories: `--group-by`, else the configuration's `group-by`."""
    return given if given is not None else config.group_by
