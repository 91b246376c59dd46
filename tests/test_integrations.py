"""The GitHub Action and pre-commit hook in the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> object:
    path = ROOT / name
    if not path.exists():
        pytest.skip(f"{name} is not in this installation")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_action_is_composite_with_inputs_through_env() -> None:
    action = _load("action.yml")
    assert isinstance(action, dict) and action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert step.get("shell") == "bash", step["name"]
        # an input pasted into a script is a script injection; they go through env
        assert "${{" not in step["run"], step["name"]
    used = " ".join(str(v) for s in action["runs"]["steps"] for v in s.get("env", {}).values())
    for name in action["inputs"]:
        assert f"inputs.{name}" in used, f"input {name} is never passed on"


def test_pre_commit_hook() -> None:
    hooks = _load(".pre-commit-hooks.yaml")
    assert isinstance(hooks, list)
    hook, = hooks
    assert hook["entry"] == "factcheck check" and hook["language"] == "python"
    assert hook["types_or"] == ["markdown", "text"]


@pytest.mark.parametrize(("path", "checked"), [
    ("drafts/ferry.md", True), ("story/draft.txt", True), ("drafts/reference-notes.md", True),
    ("reference/2024-03-04.md", False), ("news/references/a.md", False),
    ("reporting/b.md", False), ("README.md", False), ("docs/CHANGELOG.md", False),
])
def test_pre_commit_hook_leaves_out_references_and_documents(path: str, checked: bool) -> None:
    """A reference report or a README staged with a draft is not checked as a draft."""
    import re

    hook, = _load(".pre-commit-hooks.yaml")  # type: ignore[misc]
    assert (re.search(hook["exclude"], path) is None) is checked


def test_readme_documents_the_hooks_files_and_exclude() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("**pre-commit**"):][:1500]
    assert "files: ^drafts/" in section and "exclude:" in section
