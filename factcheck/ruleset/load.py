"""Loading a rule set: the rules folders in layers, each file checked, and their hash."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import regex

from ..errors import RuleError
from ..resources import shipped_rules_dir
from ..yamlio import line_of, load_yaml_file
from .aliases import ALIAS_FOLDER, load_aliases
from .grammar import check_lexicon, read_constructions
from .model import SEVERITIES, FindingRule, Metric, RuleSet
from .named import check_named_rules
from .numbers import read_number_lexicon
from .schema import (
    FILE_SCHEMAS,
    FINDING_RULE_SCHEMA,
    METRIC_SCHEMA,
    check_mapping,
    check_message,
    partial,
)

CASES_SUFFIX = ".cases.yaml"
REQUIRED_FILES = ("numbers.yaml", *FILE_SCHEMAS)
METRIC_FOLDER = "metrics/"
RULE_FOLDERS = (METRIC_FOLDER, ALIAS_FOLDER)  # any `.yaml` inside these is read


def check_file_names(found: Sequence[tuple[str, Path]]) -> None:
    """Every rule file is one that is read: a misnamed one (`finding.yaml`, `metric/x.yaml`)
    would otherwise be ignored without a word, and its rules never apply."""
    for name, path in found:
        if name in REQUIRED_FILES or name.startswith(RULE_FOLDERS):
            continue
        known = ", ".join([*REQUIRED_FILES, *(f"{folder}*.yaml" for folder in RULE_FOLDERS)])
        raise RuleError(f"unknown rule file {name!r}: rule files are {known} (and "
                        f"*{CASES_SUFFIX} for their cases)", path)


def yaml_files(dirs: Sequence[Path], cases: bool = False) -> list[tuple[str, Path]]:
    """The rule files (or, with `cases`, the `*.cases.yaml` files) of rules folders, as (path
    inside its folder, file), folder by folder; hidden folders inside a rules folder skipped."""
    found: list[tuple[str, Path]] = []
    for directory in dirs:
        if not directory.is_dir():
            raise RuleError("rules folder not found", directory)
        for path in sorted(directory.rglob("*.yaml")):
            relative = path.relative_to(directory)
            if path.name.endswith(CASES_SUFFIX) != cases or any(
                    p.startswith(".") for p in relative.parts):
                continue
            found.append((relative.as_posix(), path))
    return found


def rule_folders(dirs: Sequence[str | Path] | None = None) -> tuple[Path, ...]:
    """The shipped rules, then each folder given, in order; a folder given twice counts once,
    at its last place (so a copy of the shipped rules can be layered again on top)."""
    folders: list[Path] = []
    for folder in (shipped_rules_dir(), *(Path(d) for d in dirs or ())):
        folders = [f for f in folders if not same_folder(f, folder)] + [folder]
    return tuple(folders)


def same_folder(a: Path, b: Path) -> bool:
    """Whether two paths are one folder (a folder that cannot be resolved is no match)."""
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _check_implicit_figures(grammar: Mapping[str, Any], path: Path) -> None:
    """Each `implicit_figures` entry is exactly a `value` (a number >= 0) and a `pattern`."""
    items = grammar["implicit_figures"]
    for index, item in enumerate(items):
        line = line_of(items, index)
        if not isinstance(item, Mapping) or set(item) != {"value", "pattern"}:
            raise RuleError("an implicit figure needs exactly 'value' (a number) and "
                            "'pattern' (text)", path, line)
        value = item["value"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise RuleError(f"implicit figure value {value!r}: expected a number >= 0",
                            path, line)
        if not isinstance(item["pattern"], str):
            raise RuleError("an implicit figure's pattern must be text", path, line)


def _load_metric(path: Path, raw: Any) -> Metric:
    data = check_mapping(raw, METRIC_SCHEMA, path)
    lexicon = check_lexicon(data["lexicon"], path) if data.get("lexicon") is not None else {}
    if not any(lexicon.values()) and not data.get("patterns"):
        raise RuleError("a metric needs a 'lexicon' of its words (or 'patterns')", path,
                        line_of(data))
    patterns = data.get("patterns") or []
    conditional = data.get("conditional_patterns") or []
    if conditional and not data.get("unless_report_mentions"):
        raise RuleError("'conditional_patterns' need 'unless_report_mentions' (a pattern)", path,
                        line_of(data, "conditional_patterns"))
    return Metric(
        name=data["metric"], description=data["description"], example=data["example"],
        accumulates=bool(data.get("accumulates", True)), tolerance=float(data.get("tolerance", 0)),
        keywords=tuple(k.lower() for k in data.get("keywords") or ()),
        patterns=tuple(patterns), source=str(path), enabled=bool(data.get("enabled", True)),
        pattern_lines=tuple(line_of(patterns, i) for i in range(len(patterns))),
        lexicon=lexicon,
        conditional_patterns=tuple(conditional),
        conditional_lines=tuple(line_of(conditional, i) for i in range(len(conditional))),
        unless_report_mentions=data.get("unless_report_mentions"),
        unless_line=line_of(data, "unless_report_mentions"),
    )


def _check_message_figures(compare: Mapping[str, Any], path: Path) -> None:
    """`compare.message_figures`, when set: a whole number of at least 1."""
    if "message_figures" not in compare:
        return
    value = compare["message_figures"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleError(f"compare.message_figures {value!r}: expected a whole number >= 1",
                        path, line_of(compare, "message_figures"))


def _load_finding_rules(data: Mapping[str, Any], path: Path,
                        earlier: Mapping[str, FindingRule], kinds: Sequence[str]
                        ) -> dict[str, FindingRule]:
    """The finding rules of one findings file, merged over `earlier` ones by code: an entry
    with a known code changes only the keys it gives ("severity: error", "enabled: false").
    A rule's `kind` must be one of `kinds`."""
    rules = dict(earlier)
    seen: set[str] = set()
    for index, item in enumerate(data.get("rules") or []):
        where = f"rules[{index}]"
        line = line_of(data["rules"], index)
        code = item.get("code") if isinstance(item, dict) else None
        known = rules.get(code) if isinstance(code, str) else None
        check_mapping(item, partial(FINDING_RULE_SCHEMA) if known else FINDING_RULE_SCHEMA,
                      path, where)
        if "severity" in item and item["severity"] not in SEVERITIES:
            raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}",
                            path, line_of(item, "severity"))
        if "kind" in item and item["kind"] not in kinds:
            raise RuleError(f"{where}: kind must be one of {', '.join(kinds)}",
                            path, line_of(item, "kind"))
        if "message" in item:
            check_message(item["message"], path, line_of(item, "message"), where)
        if not regex.fullmatch(r"FC\d{3}", item["code"]):
            raise RuleError(f"{where}: code must look like FC101", path, line_of(item, "code"))
        if item["code"] in seen:
            raise RuleError(f"duplicate rule code {item['code']}", path, line)
        seen.add(item["code"])
        if known is not None:
            if "kind" in item and item["kind"] != known.kind:
                raise RuleError(f"{where}: {code} is a {known.kind} rule; a code never changes "
                                "meaning, so give a new code", path, line_of(item, "kind"))
            changes = {k: v for k, v in item.items() if k != "code"}
            if "description" in changes:
                changes["description"] = " ".join(changes["description"].split())
            rules[code] = replace(known, **changes, source=str(path))
            continue
        rules[item["code"]] = FindingRule(
            code=item["code"], name=item["name"], kind=item["kind"], severity=item["severity"],
            description=" ".join(item["description"].split()), example=item["example"],
            message=item["message"], source=str(path), enabled=bool(item.get("enabled", True)),
        )
    return rules


# Keys an override of a known metric may change on their own; anything else means the whole
# metric is given again.
METRIC_POLICY_KEYS = ("metric", "description", "example", "accumulates", "tolerance", "enabled")


def _metric_override(path: Path, data: Any, earlier: Metric) -> Metric | None:
    """A known metric re-levelled by a later folder's file with only policy keys, or None
    when the file gives the whole metric again."""
    if not isinstance(data, dict) or not set(data) <= set(METRIC_POLICY_KEYS):
        return None
    check_mapping(data, partial(METRIC_SCHEMA), path)
    changes = {k: v for k, v in data.items() if k != "metric"}
    if "tolerance" in changes:
        changes["tolerance"] = float(changes["tolerance"])
    return replace(earlier, **changes)


def load_ruleset(dirs: Sequence[str | Path] | None = None, *,
                 finding_kinds: Sequence[str]) -> RuleSet:
    """Load the shipped rules, then each folder given over them (see `rule_folders`).

    A later folder's file replaces the file at the same path, except that finding rules are
    merged by code (an entry may only re-level or switch off a shipped rule) and metrics by
    name (a file with only policy keys changes just those). `finding_kinds` are the kinds a
    finding rule may have: those the comparison stage can find (`compare.detectors`).
    """
    folders = rule_folders(dirs)
    found = yaml_files(folders)
    check_file_names(found)
    for folder in folders[1:]:  # `.yml` would be passed over as no rule file at all
        misspelt = next((p for p in sorted(folder.rglob("*.yml")) if not any(
            part.startswith(".") for part in p.relative_to(folder).parts)), None)
        if misspelt is not None:
            raise RuleError("rule files end in .yaml; rename this one or it is never read",
                            misspelt)
    files = dict(found)  # the last file at each path
    for name in REQUIRED_FILES:
        if name not in files:
            raise RuleError(f"rule file {name} is missing", folders[-1])
    loaded: dict[str, Mapping[str, Any]] = {}
    for name, schema in FILE_SCHEMAS.items():
        if name != "findings.yaml":
            loaded[name] = check_mapping(load_yaml_file(files[name]), schema, files[name])
    _check_implicit_figures(loaded["grammar.yaml"], files["grammar.yaml"])
    constructions = read_constructions(loaded["grammar.yaml"], files["grammar.yaml"])
    check_named_rules(loaded["named.yaml"], files["named.yaml"])
    aliases = load_aliases(found, loaded["named.yaml"]["matching"], files["named.yaml"])
    numbers_path = files["numbers.yaml"]
    numbers = read_number_lexicon(load_yaml_file(numbers_path), str(numbers_path))

    metrics: dict[str, Metric] = {}
    compare: dict[str, Any] = {}
    finding_rules: dict[str, FindingRule] = {}
    findings_files = [path for name, path in found if name == "findings.yaml"]
    for position, path in enumerate(findings_files):
        schema = FILE_SCHEMAS["findings.yaml"]
        data = check_mapping(load_yaml_file(path), schema if position == 0 else partial(schema),
                             path)
        compare.update(data.get("compare") or {})
        _check_message_figures(data.get("compare") or {}, path)
        finding_rules = _load_finding_rules(data, path, finding_rules, finding_kinds)
    defined_in: dict[str, tuple[Path, Path]] = {}  # metric -> (folder, file) that last set it
    for name, path in found:
        if not name.startswith(METRIC_FOLDER):
            continue
        folder = path.parents[len(Path(name).parts) - 1]
        raw = load_yaml_file(path)
        earlier = metrics.get(raw.get("metric")) if isinstance(raw, dict) else None
        if earlier is not None and defined_in[earlier.name][0] == folder:
            raise RuleError(f"metric '{earlier.name}' is also defined in "
                            f"{defined_in[earlier.name][1]}; one folder defines a metric once",
                            path, line_of(raw, "metric"))
        override = _metric_override(path, raw, earlier) if earlier is not None else None
        metric = override or _load_metric(path, raw)
        metrics[metric.name] = metric  # a later folder's metric of the same name wins
        defined_in[metric.name] = (folder, path)

    digest = hashlib.sha256()
    for name, path in found:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    files["findings.yaml"] = findings_files[-1]
    return RuleSet(
        dirs=folders, numbers=numbers, grammar=loaded["grammar.yaml"], dates=loaded["dates.yaml"],
        attribution=loaded["attribution.yaml"], scope=loaded["scope.yaml"],
        compare=compare, metrics={k: m for k, m in metrics.items() if m.enabled},
        finding_rules=finding_rules, files=files, version=digest.hexdigest()[:16],
        named=loaded["named.yaml"], aliases=aliases, constructions=constructions,
    )
