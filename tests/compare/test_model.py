"""Comparing figures as an editor reads them (`findings.agree`)."""

from __future__ import annotations

import math

import pytest

from factcheck.compare.model import Figure, agree


def figure(text: str, value: float | None, low: float | None, high: float | None,
           low_inc: bool = True, high_inc: bool = True) -> Figure:
    return Figure(claim_id=text, value=value, low=low, high=high, low_inclusive=low_inc,
                  high_inclusive=high_inc, figure=text, date=None, source="s", revision=False,
                  order=0)


EXACT_94 = figure("94", 94, 94, 94)
OVER_90 = figure("over 90", 90, 90, None, low_inc=False, high_inc=False)
AT_LEAST_84 = figure("at least 84", 84, 84, None, high_inc=False)
EXACT_84 = figure("84", 84, 84, 84)
MORE_THAN_25 = figure("more than 25", 25, 25, None, low_inc=False, high_inc=False)
EXACT_25 = figure("25", 25, 25, 25)
ALMOST_100 = figure("almost 100", 100, 90, 100, high_inc=False)
AT_LEAST_95 = figure("at least 95", 95, 95, None, high_inc=False)
AS_MANY_AS_250K = figure("as many as 250,000", 250000, None, 250000, low_inc=False)
MORE_THAN_250K = figure("more than 250,000", 250000, 250000, None, low_inc=False,
                        high_inc=False)
MORE_THAN_160 = figure("more than 160", 160, 160, None, low_inc=False, high_inc=False)
AT_LEAST_169 = figure("at least 169", 169, 169, None, high_inc=False)
AT_LEAST_187 = figure("at least 187", 187, 187, None, high_inc=False)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (OVER_90, EXACT_94, True),  # a round figure with a qualifier covers the exact one
        (AT_LEAST_84, EXACT_84, True),  # the same figure
        (AT_LEAST_84, EXACT_94, False),  # 94 is a new figure, not what "at least 84" meant
        (AT_LEAST_84, OVER_90, False),
        (MORE_THAN_25, EXACT_25, False),  # disjoint on paper
        (ALMOST_100, AT_LEAST_95, True),
        (AS_MANY_AS_250K, MORE_THAN_250K, False),
        (MORE_THAN_160, AT_LEAST_169, True),
        (MORE_THAN_160, AT_LEAST_187, False),
        (AT_LEAST_169, AT_LEAST_187, False),  # two different floors
        (EXACT_84, EXACT_94, False),
    ],
    ids=lambda f: f.figure if isinstance(f, Figure) else str(f),
)
def test_agree(a: Figure, b: Figure, expected: bool) -> None:
    assert agree(a, b) is expected
    assert agree(b, a) is expected


def test_tolerance_lets_close_exact_figures_agree() -> None:
    assert agree(EXACT_84, figure("85", 85, 85, 85), tolerance=1)
    assert not agree(EXACT_84, figure("86", 86, 86, 86), tolerance=1)


def test_unbounded_interval_is_not_nan() -> None:
    assert not math.isnan(AT_LEAST_84.point or 0)
