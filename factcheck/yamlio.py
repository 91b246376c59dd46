"""Safe YAML loading that remembers the line of every mapping and key, for `path:line` errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError


class LineDict(dict):
    """A mapping from a YAML file that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from a YAML file that knows the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _LineLoader(yaml.SafeLoader):
    """SafeLoader (no object construction) whose mappings and sequences carry line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        key = str(key) if not isinstance(key, str) else key
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class _TextDateLoader(_LineLoader):
    """The line-numbering loader, but timestamps stay text for the caller to parse."""


_TextDateLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str)


def parse_yaml(text: str, path: str | Path, first_line: int = 1, error: type = RuleError,
               dates_as_text: bool = False) -> Any:
    """Parse YAML text safely; syntax errors become `error(path, line)`.

    `first_line` is the file line where `text` starts (front matter sits below a `---`).
    With `dates_as_text`, `date: 2024-13-45` stays text instead of failing the whole parse.
    """
    # Both loaders are SafeLoader subclasses: no Python objects are ever constructed.
    loader = _TextDateLoader if dates_as_text else _LineLoader
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"invalid YAML: {problem}", path, line) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, other controls)
        line = text.count("\n", 0, exc.position) + first_line
        character = exc.character if isinstance(exc.character, int) else ord(exc.character[:1])
        raise error(f"invalid YAML: character #x{character:04x} is not allowed", path,
                    line) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path) from None
    except ValueError as exc:  # PyYAML's timestamp constructor on an impossible date
        raise error(f"invalid YAML: {exc}", path) from None
    if first_line != 1:
        _shift_lines(data, first_line - 1)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, LineList):
        data.line += offset
        data.item_lines = [v + offset for v in data.item_lines]
        for value in data:
            _shift_lines(value, offset)


def load_yaml_file(path: Path, error: type = RuleError) -> Any:
    """Read and parse a UTF-8 YAML file; any failure is `error` naming the file (and line)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 text (byte {exc.start})", path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path) from None
    return parse_yaml(text, path, error=error)


def line_of(container: Any, key: str | int | None = None) -> int | None:
    """The line of `container[key]` (or of the container itself) when it came from YAML."""
    if isinstance(container, LineDict):
        return container.line_of(key) if isinstance(key, str) else container.line
    if isinstance(container, LineList):
        return container.line_of(key) if isinstance(key, int) else container.line
    return None
