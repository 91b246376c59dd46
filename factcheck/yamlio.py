"""Safe YAML loading that remembers the line of every mapping and key, for `path:line` errors.

It also bounds what a file can make: nesting deeper than `MAX_NESTING` (every reader of nested
data walks it recursively) and aliases that expand past `MAX_EXPANDED_NODES` (a "billion
laughs" of 600 bytes) are refused with the line where they start; front matter takes no
aliases at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import RuleError

# How deep any input's data may nest: YAML here, JSON records in `io`. News metadata is a level
# or two deep and rule files four or five; Python's recursion limit (1,000) is far above this.
MAX_NESTING = 64
# How many values a YAML document may stand for once its aliases are expanded: the biggest
# shipped rule file is a few thousand, and walking a million takes a second.
MAX_EXPANDED_NODES = 1_000_000


class LimitError(yaml.YAMLError):
    """A document past one of the bounds above: too deep, too big once expanded, or an alias
    where none is allowed."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.mark = mark


def nesting_depth(data: Any, limit: int = MAX_NESTING) -> int:
    """How deep lists and mappings nest in `data` (a scalar is 0), counting no further than
    `limit` + 1; iterative, so that any depth can be measured."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = list(value.values())
        elif isinstance(value, list | tuple):
            children = list(value)
        else:
            continue
        deepest = max(deepest, depth)
        if depth > limit:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


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
    """SafeLoader (no object construction) whose mappings and sequences carry line numbers,
    refusing documents past the bounds (`LimitError`)."""

    aliases = True  # whether an alias (`*name`) may stand for an anchored value

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) and not self.aliases:
            raise LimitError("aliases (*name) are not allowed here", event.start_mark)
        nests = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if nests:
            self.depth += 1
            if self.depth > MAX_NESTING:
                # PyYAML composes recursively: stop long before Python's recursion limit.
                raise LimitError(f"nested more than {MAX_NESTING} deep", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            if nests:
                self.depth -= 1

    def compose_document(self) -> Any:
        node = super().compose_document()
        if self.aliases and node is not None:
            _check_expansion(node)
        return node


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand past `MAX_EXPANDED_NODES` values or
    `MAX_NESTING` levels, or refer to themselves; one pass over its distinct nodes."""
    sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth) expanded
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = [item for pair in node.value for item in pair] \
            if isinstance(node, yaml.MappingNode) else \
            node.value if isinstance(node, yaml.SequenceNode) else []
        if done:
            open_nodes.discard(key)
            size = 1 + sum(sizes[id(child)][0] for child in children)
            depth = (1 + max((sizes[id(child)][1] for child in children), default=0)
                     if isinstance(node, yaml.CollectionNode) else 0)
            if size > MAX_EXPANDED_NODES:
                raise LimitError(f"its aliases expand to more than {MAX_EXPANDED_NODES:,} "
                                 "values", node.start_mark)
            if depth > MAX_NESTING:
                raise LimitError(f"nested more than {MAX_NESTING} deep once its aliases are "
                                 "expanded", node.start_mark)
            sizes[key] = (size, depth)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise LimitError("an alias refers to the value that holds it", node.start_mark)
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)


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


# (dates_as_text, aliases) -> loader
_LOADERS = {
    (dates, aliases): type("_Loader", (_TextDateLoader if dates else _LineLoader,),
                           {"aliases": aliases})
    for dates in (False, True) for aliases in (False, True)
}


def parse_yaml(text: str, path: str | Path, first_line: int = 1, error: type = RuleError,
               dates_as_text: bool = False, aliases: bool = True,
               limit_error: type | None = None) -> Any:
    """Parse YAML text safely; syntax errors become `error(path, line)`.

    `first_line` is the file line where `text` starts (front matter sits below a `---`).
    With `dates_as_text`, `date: 2024-13-45` stays text instead of failing the whole parse.
    Without `aliases`, an alias is refused. A document past the bounds (see `MAX_NESTING`)
    raises `limit_error` (default: `error`) at the line where it goes past.
    """
    # Every loader is a SafeLoader subclass: no Python objects are ever constructed.
    loader = _LOADERS[dates_as_text, aliases]
    try:
        data = yaml.load(text, Loader=loader)
    except LimitError as exc:
        line = exc.mark.line + first_line if exc.mark else None
        raise (limit_error or error)(f"YAML refused: {exc.problem}", path, line) from None
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
