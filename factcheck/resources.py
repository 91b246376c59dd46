"""Facts about this factcheck: its version, and where its shipped folders live.

Its version, and where its shipped `rules/` and `seeds/` live (in a checkout or in an installed
wheel).
"""

from __future__ import annotations

from pathlib import Path

VERSION = "0.1.0"  # the version of factcheck (pyproject.toml says the same)
_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    # An installed wheel carries the folders inside the package (see pyproject.toml);
    # a checkout or an editable install finds them at the top of the repository.
    for candidate in (_PACKAGE / "_shipped" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped folder {name}/ not found beside {_PACKAGE}")


def shipped_rules_dir() -> Path:
    return _shipped("rules")


def shipped_seeds_dir() -> Path:
    return _shipped("seeds")
