"""The shipped rules and sample reports travel inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_wheel_carries_rules_and_seeds(tmp_path: Path) -> None:
    pytest.importorskip("hatchling")
    built = subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d",
                            str(tmp_path)], cwd=REPO, capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("factcheck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (REPO / "rules").rglob("*.yaml"):
        assert f"factcheck/_shipped/rules/{path.relative_to(REPO / 'rules').as_posix()}" in names
    for path in (REPO / "seeds").iterdir():
        assert f"factcheck/_shipped/seeds/{path.name}" in names


def test_installed_layout_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import factcheck.resources as resources

    package = tmp_path / "factcheck"
    shutil.copytree(REPO / "rules", package / "_shipped" / "rules")
    shutil.copytree(REPO / "seeds", package / "_shipped" / "seeds")
    monkeypatch.setattr(resources, "_PACKAGE", package)
    assert resources.shipped_rules_dir() == package / "_shipped" / "rules"
    assert resources.shipped_seeds_dir() == package / "_shipped" / "seeds"
