"""What a worker process runs: whole stories read and compared by the driver.

Whole stories read and compared by the driver, claims and findings each.

Kept apart from the parent's side (`pipeline`) and free of pandas, so that a spawned worker
imports only the extraction and comparison stages and is ready sooner.
"""

from __future__ import annotations

from .driver import Driver, Story, StoryResult
from .engines import worker_state

_drivers: dict[str, Driver] = {}


def _driver() -> Driver:
    """This worker's driver (and claim reader), built once per rule set it is given."""
    state = worker_state()
    token = state["token"]
    if token not in _drivers:
        _drivers.clear()
        _drivers[token] = Driver(state["rules"])
    return _drivers[token]


def prepare_worker() -> None:
    """Build this worker's claim reader before its first unit comes (`Engine.prepare`)."""
    _driver()


def read_stories(stories: list[Story]) -> list[StoryResult]:
    """Read and compare whole stories (runs in a worker); read only when the run's state says
    `compare` False."""
    driver = _driver()
    compare = bool(worker_state().get("compare", True))
    return [driver.story(members, compare) for members in stories]
