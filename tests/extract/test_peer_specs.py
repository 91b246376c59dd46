"""The numbers stage against other projects' English number suites (../shared/peer-specs).

The measuring is bench/peer_specs.py's own (`measure_peers`), so this test and the printed bench
cannot disagree. Skipped when the peer data is not beside the checkout.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from factcheck.extract.numbers import load_number_reader

ROOT = Path(__file__).resolve().parents[2]
# Floors from the issue, on the cases relevant to news counts (the bench's own definition).
FLOORS = {"recognizers-text": 0.95, "quantulum3": 0.90}


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    # bench/ is no package and stays out of factcheck: load the script by its path.
    spec = importlib.util.spec_from_file_location("peer_specs", ROOT / "bench" / "peer_specs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("peer_specs", module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def peer_specs(shared: Path) -> Path:
    folder = shared / "peer-specs"
    if not all((folder / f"{peer}.jsonl").is_file() for peer in FLOORS):
        pytest.skip("../shared/peer-specs is not beside this checkout")
    return folder


@pytest.fixture(scope="module")
def results(bench: ModuleType, peer_specs: Path) -> dict[str, Any]:
    reader = load_number_reader(ROOT / "rules" / "numbers.yaml")
    return bench.measure_peers(reader, peer_specs)


@pytest.mark.parametrize("peer", sorted(FLOORS))
def test_peer_floor(results: dict[str, Any], peer: str) -> None:
    result = results[peer]
    assert result.measured > 0
    failures = "\n".join(result.failures)
    assert result.rate >= FLOORS[peer], (
        f"{peer}: {result.passed}/{result.measured} ({result.rate:.1%}) is below the floor "
        f"{FLOORS[peer]:.0%}; failures:\n{failures}"
    )


def test_every_skip_and_expectation_has_a_reason(
    bench: ModuleType, results: dict[str, Any]
) -> None:
    for result in results.values():
        assert set(result.skipped) <= set(bench.SKIP_REASONS)
        for _, expectation in result.rows:
            reason = expectation.partition(": ")[2]
            assert not reason or reason in {**bench.NONE_REASONS, **bench.COUNT_REASONS}
