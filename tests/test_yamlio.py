"""Safe YAML with line numbers."""

from __future__ import annotations

import pytest

from factcheck.errors import RuleError
from factcheck.yamlio import line_of, parse_yaml


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
