"""Named claims: the seeds' names resolve to one value per role, and a real disagreement on the
responsible group is a finding in every output format."""

from __future__ import annotations

import io
import json
from pathlib import Path

import factcheck
from factcheck.report.console import make_console
from factcheck.report.tables import to_csv_text, to_json
from factcheck.report.terminal import print_report

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _named(claims):
    return claims[(claims["kind"] == "named") & claims["in_scope"]]


def test_the_seeds_names_resolve_and_raise_no_finding(rules: factcheck.RuleSet) -> None:
    analysis = factcheck.analyse([SEEDS], rules)
    named = _named(analysis.claims)
    responsibility = named[named["metric"] == "responsibility"]
    assert {"Islamic State", "Daesh", "ISIS"} <= set(responsibility["figure"])
    assert set(responsibility["entity"]) == {"Islamic State"}
    nationality = named[named["metric"] == "nationality"]
    by_role = dict(zip(nationality["role"], nationality["entity"], strict=True))
    assert by_role == {"attacker": "Tajikistan", "suspect": "Tajikistan"}
    attacker = nationality[nationality["role"] == "attacker"].iloc[0]
    assert attacker["attributed_to"] == "Iran's Ministry of Intelligence"
    assert str(attacker["claim_date"]) == "2024-01-05"
    assert not any(str(rule).startswith("FC2") for rule in analysis.findings["rule"])


def test_different_groups_give_a_conflict_in_every_format(tmp_path: Path,
                                                          rules: factcheck.RuleSet) -> None:
    (tmp_path / "a.md").write_text("---\nsource: Agency A\ndate: 2024-01-04\n---\n"
                                   "Jaish al-Adl claimed responsibility for the bombing.\n")
    (tmp_path / "b.md").write_text("---\nsource: Agency B\ndate: 2024-01-05\n---\n"
                                   "The bombing was claimed by the Islamic State group.\n")
    analysis = factcheck.analyse([tmp_path], rules)
    [finding] = analysis.findings.to_dict("records")
    assert finding["rule"] == "FC201" and finding["severity"] == "warning"
    out = io.StringIO()
    print_report(make_console("never", out), analysis.claims, analysis.findings)
    assert "FC201" in out.getvalue() and "Jaish al-Adl" in out.getvalue()
    assert "→" in out.getvalue() and "(claimed)" in out.getvalue()  # canonical beside words
    assert "FC201" in to_csv_text(analysis.findings)
    document = json.loads(to_json(analysis.claims, analysis.findings))
    assert [f["rule"] for f in document["findings"]] == ["FC201"]
    assert {c["entity"] for c in document["claims"]} == {"Jaish al-Adl", "Islamic State"}


def test_a_newsroom_adds_a_group_alias(tmp_path: Path) -> None:
    overlay = tmp_path / "rules"
    (overlay / "aliases").mkdir(parents=True)
    (overlay / "aliases" / "local.yaml").write_text(
        "groups:\n  Baloch Liberation Army:\n    aliases: [BLA]\n")
    report = tmp_path / "r.md"
    report.write_text("The BLA claimed responsibility for the attack.\n")
    claims = factcheck.extract_claims([report], [overlay])
    assert list(_named(claims)["entity"]) == ["Baloch Liberation Army"]


def test_a_spelling_given_to_two_groups_in_one_folder_is_an_error(tmp_path: Path) -> None:
    import pytest

    from factcheck.errors import RuleError

    overlay = tmp_path / "rules"
    (overlay / "aliases").mkdir(parents=True)
    (overlay / "aliases" / "local.yaml").write_text(
        "groups:\n  Group A:\n    aliases: [GA]\n  Group B:\n    aliases: [GA]\n")
    with pytest.raises(RuleError, match="also a spelling"):
        factcheck.load_rules([overlay])
