"""Safe YAML with line numbers."""

from __future__ import annotations

import itertools

import pytest

from factcheck.errors import RuleError
from factcheck.yamlio import MAX_NESTING, line_of, nesting_depth, parse_yaml


def test_lines_of_keys_and_items() -> None:
    data = parse_yaml("a: 1\nb:\n  - x\n  - y\n", "f.yaml")
    assert line_of(data, "b") == 2
    assert line_of(data["b"], 1) == 4


def test_first_line_shifts_lines_for_front_matter() -> None:
    data = parse_yaml("source: Wire\ndate: 2024-01-02\n", "r.md", first_line=2)
    assert line_of(data, "date") == 3


def test_no_python_objects_are_built() -> None:
    with pytest.raises(RuleError, match="invalid YAML"):
        parse_yaml("x: !!python/object/apply:os.system ['echo hi']\n", "evil.yaml")


@pytest.mark.parametrize(("text", "line"), [("a: [1, 2\n", 2), ("a: 1\na: 2\n", 2)])
def test_syntax_errors_name_the_line(text: str, line: int) -> None:
    with pytest.raises(RuleError) as caught:
        parse_yaml(text, "bad.yaml")
    assert caught.value.line == line and caught.value.path == "bad.yaml"


def test_impossible_date_is_an_error_or_text() -> None:
    with pytest.raises(RuleError):
        parse_yaml("date: 2024-13-45\n", "r.yaml")
    assert parse_yaml("date: 2024-13-45\n", "r.yaml", dates_as_text=True)["date"] == "2024-13-45"


@pytest.mark.parametrize("text", ["a: 1\nb: \x00\n", "a: 1\nb: x\x07y\n"])
def test_forbidden_characters_are_one_line_with_the_line(text: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_yaml(text, "r.md", first_line=2)
    assert caught.value.line == 3
    assert "\n" not in str(caught.value)
    assert caught.value.message.startswith("invalid YAML: character #x00")


def _laughs() -> str:
    """A "billion laughs": each anchor nine aliases of the one before (9**10 values)."""
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for previous, name in itertools.pairwise("abcdefghij"):
        text += f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    return text


@pytest.mark.parametrize("depth", [MAX_NESTING + 1, 600, 5000])
def test_nesting_past_the_limit_names_the_line(depth: int) -> None:
    text = "a: 1\nx: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(RuleError, match=f"nested more than {MAX_NESTING} deep") as caught:
        parse_yaml(text, "deep.yaml")
    assert caught.value.line == 2


def test_nesting_within_the_limit_loads() -> None:
    depth = MAX_NESTING - 1
    assert nesting_depth(parse_yaml("x: " + "[" * depth + "]" * depth + "\n", "ok.yaml")) \
        == MAX_NESTING


def test_alias_bomb_is_refused_quickly() -> None:
    with pytest.raises(RuleError, match="expand to more than") as caught:
        parse_yaml(_laughs(), "bomb.yaml")
    assert caught.value.line is not None


def test_aliases_nesting_past_the_limit_once_expanded_are_refused() -> None:
    text = "a: &a " + "[" * 40 + "1" + "]" * 40 + "\nb: " + "[" * 40 + "*a" + "]" * 40 + "\n"
    with pytest.raises(RuleError, match="once its aliases are expanded"):
        parse_yaml(text, "deep.yaml")


def test_a_few_aliases_still_load() -> None:
    data = parse_yaml("base: &b {x: 1}\none: *b\ntwo: *b\n", "ok.yaml")
    assert data["two"] == {"x": 1}


def test_aliases_can_be_refused() -> None:
    with pytest.raises(RuleError, match="aliases") as caught:
        parse_yaml("base: &b 1\none: *b\n", "fm.md", first_line=2, aliases=False)
    assert caught.value.line == 3


def test_nesting_depth_is_iterative() -> None:
    value: list = []
    for _ in range(10_000):
        value = [value]
    assert nesting_depth(value) == MAX_NESTING + 1
    assert nesting_depth({"a": [1, {"b": 2}]}) == 3
    assert nesting_depth("text") == 0
