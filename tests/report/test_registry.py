"""The check output-format registry: one list that `--format`, the configuration and the
emitter read, every format rendering the same record."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from factcheck.cli.config import KEYS, load_config
from factcheck.cli.options import CheckFormat
from factcheck.errors import FactcheckError
from factcheck.report.console import make_console
from factcheck.report.formats.base import CheckReport
from factcheck.report.formats.registry import (
    CHECK_FORMATS,
    DEFAULT_FORMAT,
    FORMAT_NAMES,
    check_format,
    formats_help,
)


def test_the_cli_and_the_configuration_offer_the_registered_formats(tmp_path: Path) -> None:
    assert [choice.value for choice in CheckFormat] == list(FORMAT_NAMES)
    assert KEYS["format"] == f"one of {', '.join(FORMAT_NAMES)}"
    assert formats_help().endswith(f"Default: {DEFAULT_FORMAT}.")
    for name in FORMAT_NAMES:
        (tmp_path / "factcheck.toml").write_text(f'format = "{name}"\n', encoding="utf-8")
        assert load_config(tmp_path / "factcheck.toml").format == name
    (tmp_path / "factcheck.toml").write_text('format = "html"\n', encoding="utf-8")
    with pytest.raises(FactcheckError, match="'format' must be one of"):
        load_config(tmp_path / "factcheck.toml")


@pytest.mark.parametrize("output_format", CHECK_FORMATS, ids=FORMAT_NAMES)
def test_every_format_renders_a_check_with_no_findings(output_format) -> None:
    report = CheckReport(findings=[], drafts=["draft.md"], reference_claims=3)
    assert check_format(output_format.name) is output_format
    assert (output_format.render is None) != (output_format.show is None)
    if output_format.render is not None:
        assert isinstance(output_format.render(report), str)
    else:
        buffer = io.StringIO()
        output_format.show(make_console("never", file=buffer), report)
        assert "1 draft against 3 reference claims" in buffer.getvalue()
