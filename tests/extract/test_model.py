"""Claim records: a character offset's line and column."""

from __future__ import annotations

import random

from factcheck.extract.model import position


def _counted(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def test_a_position_is_the_counted_line_and_column() -> None:
    rng = random.Random(16)
    for _ in range(500):
        text = "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 40)))
        for offset in range(len(text) + 1):
            assert position(text, offset) == _counted(text, offset), (text, offset)


def test_positions_in_a_long_report_are_its_lines() -> None:
    """20,000 lines, a position on each (the cost: `bench/scale.py --only growth`)."""
    text = "".join(f"Line {n}: 12 people were hurt.\n" for n in range(20_000))
    offsets = range(0, len(text), len(text) // 20_000)
    found = [position(text, offset) for offset in offsets]
    assert found[-1][0] == 20_000 or found[-1][0] == 20_001
