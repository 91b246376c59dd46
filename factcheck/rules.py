"""Rules stage: load and validate the YAML rule files into one `RuleSet` the other stages use."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import regex

from .errors import RuleError
from .numbers import NumberReader
from .resources import shipped_rules_dir
from .yamlio import line_of, load_yaml_file

SEVERITIES = ("error", "warning", "info")
# update, conflict, stale: reports compared with each other (`report`); the named-claim kinds
# (different groups responsible, a denial against a claim, two values for one role, a group
# and its branch, places or dates of the event); draft-*: a draft's figures compared with a
# reference (`check`).
FINDING_KINDS = ("update", "conflict", "stale",
                 "responsibility", "denial", "role", "branch", "location", "event-date",
                 "draft-stale", "draft-conflict", "draft-unsupported")
CASES_SUFFIX = ".cases.yaml"
# Bounds a single pattern search so a pathological rule cannot hang a run.
PATTERN_TIMEOUT_SECONDS = 0.25

# Schemas: key -> (expected type(s), required). Kept small and explicit so errors can say
# what was expected.
_STR, _BOOL, _NUM = (str,), (bool,), (int, float)
_LIST, _MAP = (list,), (dict,)


class _TextList(tuple):
    """Schema type of a list whose entries must all be text (words, patterns)."""


_TEXTS = _TextList((list,))

METRIC_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "metric": (_STR, True),
    "description": (_STR, True),
    "example": (_STR, True),
    "accumulates": (_BOOL, False),
    "tolerance": (_NUM, False),
    "keywords": (_TEXTS, True),
    "patterns": (_TEXTS, True),
    "conditional_patterns": (_TEXTS, False),
    "unless_report_mentions": (_STR, False),
    "enabled": (_BOOL, False),
}
FINDING_RULE_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "code": (_STR, True),
    "name": (_STR, True),
    "kind": (_STR, True),
    "severity": (_STR, True),
    "description": (_STR, True),
    "example": (_STR, True),
    "message": (_STR, True),
    "enabled": (_BOOL, False),
}
FILE_SCHEMAS: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "grammar.yaml": {"macros": (_MAP, True), "people_nouns": (_TEXTS, True),
                     "person_nouns": (_TEXTS, True), "implicit_figures": (_LIST, True),
                     "figure": (_STR, True),
                     "part_patterns": (_TEXTS, True), "history_patterns": (_TEXTS, True),
                     "scope_patterns": (_TEXTS, True),
                     "enumerated_scope_patterns": (_TEXTS, True),
                     "breakdown_window_sentences": ((int,), True),
                     "max_quote_characters": ((int,), True)},
    "dates.yaml": {"months": (_MAP, True), "weekdays": (_MAP, True), "day_parts": (_TEXTS, True),
                   "relative_days": (_MAP, True), "state_markers": (_TEXTS, True),
                   "lead_words": (_TEXTS, True), "possessive_endings": (_TEXTS, True),
                   "weekday_window_days": ((int,), True), "future_days": ((int,), True),
                   "years_after_stated": ((int,), True)},
    "attribution.yaml": {"speech_verbs": (_TEXTS, True), "speech_phrases": (_TEXTS, True),
                         "verb_auxiliaries": (_TEXTS, True), "lead_phrases": (_MAP, True),
                         "possessive_phrases": (_TEXTS, True), "boundaries": (_TEXTS, True),
                         "leading_fillers": (_TEXTS, True), "source_nouns": (_TEXTS, True),
                         "document_nouns": (_TEXTS, True), "pronouns": (_TEXTS, True),
                         "person_pronouns": (_TEXTS, True), "determiners": (_TEXTS, True),
                         "organisation_words": (_TEXTS, True),
                         "not_names": (_TEXTS, True), "not_source_endings": (_TEXTS, True),
                         "trailing_words": (_TEXTS, True), "max_source_words": ((int,), True),
                         "max_posted_source_words": ((int,), True)},
    "scope.yaml": {"other_period": (_MAP, True), "other_event": (_MAP, True),
                   "other_years": (_BOOL, True), "noise_lines": (_TEXTS, True)},
    "findings.yaml": {"compare": (_MAP, True), "rules": (_LIST, True)},
    "named.yaml": {"matching": (_MAP, True), "macros": (_MAP, True), "kinds": (_MAP, True),
                   "relative_clause": (_STR, True), "name_particles": (_TEXTS, False)},
}
# Named claims (named.yaml) and the alias tables they resolve names against (aliases/*.yaml).
ALIAS_TABLES = ("groups", "countries", "places")
NAMED_ENTITIES = (*ALIAS_TABLES, "names", "dates")
NAMED_STANCES = ("claimed", "blamed", "denied", "not_claimed")
MATCHING_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "scorer": (_STR, True), "threshold": (_NUM, True), "min_length": ((int,), True),
    "tables": (_TEXTS, True),
}
NAMED_KIND_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "description": (_STR, True), "example": (_STR, True), "entities": (_STR, True),
    "keywords": (_TEXTS, True), "patterns": (_LIST, True), "enabled": (_BOOL, False),
}
NAMED_PATTERN_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "pattern": (_STR, True), "stance": (_STR, False), "role": (_STR, False),
}
ALIAS_ENTRY_SCHEMA: dict[str, tuple[tuple[type, ...], bool]] = {
    "aliases": (_TEXTS, False), "demonyms": (_TEXTS, False), "places": (_TEXTS, False),
    "branch_of": (_STR, False), "description": (_STR, False),
}
REQUIRED_FILES = ("numbers.yaml", *FILE_SCHEMAS)


def check_mapping(data: Any, schema: Mapping[str, tuple[tuple[type, ...], bool]], path: Path,
                  where: str = "") -> Mapping[str, Any]:
    """Check keys and value types of a rule-file mapping; raise RuleError naming the line."""
    label = f"{where}: " if where else ""
    if not isinstance(data, dict):
        raise RuleError(f"{label}expected a mapping of keys", path, line_of(data))
    for key, value in data.items():
        if key not in schema:
            allowed = ", ".join(schema)
            raise RuleError(f"{label}unknown key '{key}' (expected one of: {allowed})",
                            path, line_of(data, key))
        types, _ = schema[key]
        if (value is not None and not isinstance(value, types)) or (
                types == _NUM and isinstance(value, bool)):
            expected = " or ".join(t.__name__.replace("dict", "mapping").replace("str", "text")
                                   for t in types)
            raise RuleError(f"{label}'{key}' must be {expected}, not {type(value).__name__}",
                            path, line_of(data, key))
    for key, (_, required) in schema.items():
        if required and data.get(key) is None:
            raise RuleError(f"{label}missing required key '{key}'", path, line_of(data))
    for key, value in data.items():
        if isinstance(schema[key][0], _TextList) and isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, str):
                    # YAML reads on, off, yes and no as true/false unless they are quoted
                    raise RuleError(f"{label}'{key}' entries must be text, not "
                                    f"{type(item).__name__} {item!r} (quote it: '{item}')",
                                    path, line_of(value, index))
    return data


def words_alternation(words: Iterable[str]) -> str:
    """A regex alternation of rule-file words, longest first, any run of spaces matching."""
    return "|".join(regex.escape(str(w)).replace(r"\ ", r"\s+")
                    for w in sorted(set(words), key=len, reverse=True))


def compile_pattern(pattern: Any, path: Path, line: int | None,
                    flags: int = regex.IGNORECASE) -> regex.Pattern:
    """Compile a regular expression from a rule file; a bad one is a RuleError at its line."""
    if not isinstance(pattern, str):
        raise RuleError(f"a pattern must be text, not {type(pattern).__name__}", path, line)
    try:
        return regex.compile(pattern, flags | regex.VERSION0)
    except regex.error as exc:
        raise RuleError(f"bad regular expression {pattern!r}: {exc}", path, line) from None


@dataclass(frozen=True)
class Metric:
    """A numeric metric: its words, patterns and how its figures move over time."""

    name: str
    description: str
    example: str
    accumulates: bool
    tolerance: float
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]  # as written in the rule file, before macros are expanded
    source: str  # the rule file it came from
    pattern_lines: tuple[int | None, ...] = ()  # the line of each pattern in `source`
    enabled: bool = True
    # Patterns that count only in a report that never matches `unless_report_mentions`.
    conditional_patterns: tuple[str, ...] = ()
    conditional_lines: tuple[int | None, ...] = ()
    unless_report_mentions: str | None = None
    unless_line: int | None = None


@dataclass(frozen=True)
class FindingRule:
    """A finding rule: stable code, readable name, default severity and message template."""

    code: str
    name: str
    kind: str
    severity: str
    description: str
    example: str
    message: str
    source: str
    enabled: bool = True


@dataclass
class RuleSet:
    """Everything the extraction and comparison stages read from `rules/`."""

    dirs: tuple[Path, ...]
    numbers: NumberReader
    grammar: Mapping[str, Any]
    dates: Mapping[str, Any]
    attribution: Mapping[str, Any]
    scope: Mapping[str, Any]
    compare: Mapping[str, Any]
    metrics: dict[str, Metric]
    finding_rules: dict[str, FindingRule]
    files: dict[str, Path] = field(default_factory=dict)
    version: str = ""  # a hash of every rule file's content: stored claims are keyed by it
    named: Mapping[str, Any] = field(default_factory=dict)  # named.yaml, checked
    aliases: Any = None  # the alias tables (`aliases.AliasTables`) named claims resolve against

    def named_kinds(self) -> set[str]:
        """The named-claim kinds switched on (responsibility, nationality, …)."""
        kinds = self.named.get("kinds") or {}
        return {str(name) for name, kind in kinds.items() if kind.get("enabled", True)}

    def rule_for_kind(self, kind: str) -> FindingRule | None:
        for rule in self.finding_rules.values():
            if rule.kind == kind and rule.enabled:
                return rule
        return None


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


def _partial(schema: Mapping[str, tuple[tuple[type, ...], bool]]
             ) -> dict[str, tuple[tuple[type, ...], bool]]:
    """The same schema with every key optional: what an override may give."""
    return {key: (types, False) for key, (types, _) in schema.items()}


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
    for key in ("keywords", "patterns"):  # check_mapping saw that every entry is text
        if not data[key]:
            raise RuleError(f"'{key}' must list at least one entry", path, line_of(data, key))
    conditional = data.get("conditional_patterns") or []
    if conditional and not data.get("unless_report_mentions"):
        raise RuleError("'conditional_patterns' need 'unless_report_mentions' (a pattern)", path,
                        line_of(data, "conditional_patterns"))
    return Metric(
        name=data["metric"], description=data["description"], example=data["example"],
        accumulates=bool(data.get("accumulates", True)), tolerance=float(data.get("tolerance", 0)),
        keywords=tuple(k.lower() for k in data["keywords"]), patterns=tuple(data["patterns"]),
        source=str(path), enabled=bool(data.get("enabled", True)),
        pattern_lines=tuple(line_of(data["patterns"], i) for i in range(len(data["patterns"]))),
        conditional_patterns=tuple(conditional),
        conditional_lines=tuple(line_of(conditional, i) for i in range(len(conditional))),
        unless_report_mentions=data.get("unless_report_mentions"),
        unless_line=line_of(data, "unless_report_mentions"),
    )


def _load_finding_rules(data: Mapping[str, Any], path: Path,
                        earlier: Mapping[str, FindingRule] | None = None
                        ) -> dict[str, FindingRule]:
    """The finding rules of one findings file, merged over `earlier` ones by code: an entry
    with a known code changes only the keys it gives ("severity: error", "enabled: false")."""
    rules = dict(earlier or {})
    seen: set[str] = set()
    for index, item in enumerate(data.get("rules") or []):
        where = f"rules[{index}]"
        line = line_of(data["rules"], index)
        code = item.get("code") if isinstance(item, dict) else None
        known = rules.get(code) if isinstance(code, str) else None
        check_mapping(item, _partial(FINDING_RULE_SCHEMA) if known else FINDING_RULE_SCHEMA,
                      path, where)
        if "severity" in item and item["severity"] not in SEVERITIES:
            raise RuleError(f"{where}: severity must be one of {', '.join(SEVERITIES)}",
                            path, line_of(item, "severity"))
        if "kind" in item and item["kind"] not in FINDING_KINDS:
            raise RuleError(f"{where}: kind must be one of {', '.join(FINDING_KINDS)}",
                            path, line_of(item, "kind"))
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
    check_mapping(data, _partial(METRIC_SCHEMA), path)
    changes = {k: v for k, v in data.items() if k != "metric"}
    if "tolerance" in changes:
        changes["tolerance"] = float(changes["tolerance"])
    return replace(earlier, **changes)


def load_rules(dirs: Sequence[str | Path] | None = None) -> RuleSet:
    """Load the shipped rules, then each folder given over them (see `rule_folders`).

    A later folder's file replaces the file at the same path, except that finding rules are
    merged by code (an entry may only re-level or switch off a shipped rule) and metrics by
    name (a file with only policy keys changes just those).
    """
    folders = rule_folders(dirs)
    found = yaml_files(folders)
    files = dict(found)  # the last file at each path
    for name in REQUIRED_FILES:
        if name not in files:
            raise RuleError(f"rule file {name} is missing", folders[-1])
    loaded: dict[str, Mapping[str, Any]] = {}
    for name, schema in FILE_SCHEMAS.items():
        if name != "findings.yaml":
            loaded[name] = check_mapping(load_yaml_file(files[name]), schema, files[name])
    _check_implicit_figures(loaded["grammar.yaml"], files["grammar.yaml"])
    from .aliases import load_alias_tables  # they build on this module's checks
    from .named import check_named_rules
    check_named_rules(loaded["named.yaml"], files["named.yaml"])
    aliases = load_alias_tables(found, loaded["named.yaml"]["matching"], files["named.yaml"])
    numbers_path = files["numbers.yaml"]
    numbers = NumberReader.from_config(load_yaml_file(numbers_path), str(numbers_path))

    metrics: dict[str, Metric] = {}
    compare: dict[str, Any] = {}
    finding_rules: dict[str, FindingRule] = {}
    findings_files = [path for name, path in found if name == "findings.yaml"]
    for position, path in enumerate(findings_files):
        schema = FILE_SCHEMAS["findings.yaml"]
        data = check_mapping(load_yaml_file(path), schema if position == 0 else _partial(schema),
                             path)
        compare.update(data.get("compare") or {})
        finding_rules = _load_finding_rules(data, path, finding_rules)
    defined_in: dict[str, tuple[Path, Path]] = {}  # metric -> (folder, file) that last set it
    for name, path in found:
        if not name.startswith("metrics/"):
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
        named=loaded["named.yaml"], aliases=aliases,
    )
