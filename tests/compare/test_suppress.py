"""Inline suppression comments and the baseline file."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.compare.suppress import blank_comments, inline_suppressions, load_baseline
from factcheck.errors import FactcheckError

DRAFT = """\
Line one, 10 killed.
<!-- factcheck off -->
Line three.
<!-- factcheck on -->
Line five.

<!-- factcheck-disable FC301, FC302 -->
Paragraph line eight
and line nine.

Line eleven. <!-- factcheck FC303 = NO -->
Line twelve.
<!-- factcheck FC303 = YES -->
<!-- factcheck off FC302 -->
Line fifteen to the end.
"""


def test_off_on_and_next_paragraph() -> None:
    comments = inline_suppressions(DRAFT)
    assert not comments.suppresses("FC301", 1)
    assert comments.suppresses("FC301", 3) and comments.suppresses("FC303", 3)
    assert not comments.suppresses("FC301", 5)
    assert comments.suppresses("FC301", 8) and comments.suppresses("FC302", 9)
    assert not comments.suppresses("FC303", 8)  # only the codes the comment names
    assert not comments.suppresses("FC301", 11)
    assert comments.suppresses("FC303", 12) and not comments.suppresses("FC301", 12)
    assert comments.suppresses("FC302", 15) and not comments.suppresses("FC301", 15)


def test_blanked_comments_keep_positions() -> None:
    blanked = blank_comments(DRAFT)
    assert len(blanked) == len(DRAFT) and blanked.count("\n") == DRAFT.count("\n")
    assert "factcheck" not in blanked and "Line eleven." in blanked


@pytest.mark.parametrize("content, message", [
    ("{", "not a baseline file"),
    ('{"findings": []}', "not a factcheck baseline"),
    ('{"factcheck_baseline": 1, "findings": [{"path": "a.md"}]}', "needs 'path' and"),
])
def test_a_broken_baseline_is_a_configuration_error(tmp_path: Path, content: str,
                                                    message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FactcheckError, match=message):
        load_baseline(path)
