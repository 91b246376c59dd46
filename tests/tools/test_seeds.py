"""The user's sample reports against their hand annotation (../shared/seeds/gold.yaml)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import factcheck
from factcheck.io.documents import load_documents
from factcheck.run.driver import read_claims
from factcheck.run.frames import claims_frame
from factcheck.tools.evaluate.claims import offset_of, quote_spans, same_source, score
from factcheck.tools.evaluate.gold import load_gold

SEED_FILES = ["000_ec9eebed83796c36.txt", "004_e2a0f961c55ed4a7.txt"]


@pytest.fixture(scope="module")
def analysis(seeds_dir: Path, rules: factcheck.RuleSet) -> factcheck.Analysis:
    return factcheck.analyse([seeds_dir], rules)


def test_seeds_are_the_users_files_byte_for_byte(seeds_dir: Path, shared: Path) -> None:
    for name in SEED_FILES:
        assert (seeds_dir / name).read_bytes() == (shared / "seeds" / name).read_bytes()


def test_every_gold_claim_is_found_with_its_figure_source_and_date(
        shared: Path, rules: factcheck.RuleSet) -> None:
    documents = load_documents([shared / "seeds"]).documents
    claims = claims_frame(read_claims(documents, rules))
    gold = load_gold(shared / "seeds" / "gold.yaml")
    result = score(documents, claims, gold, rules.metrics)
    assert not result.missed, [g.id for g in result.missed]
    assert result.precision == 1.0, [r["quote"] for r in result.spurious]
    by_id = {c["claim_id"]: c for c in claims.to_dict("records")}
    for match in result.matches:
        g, found = match.gold, match.claim
        assert same_source(g.attributed_to, None if pd.isna(found["attributed_to"])
                           else found["attributed_to"]), (g.id, found["attributed_to"])
        assert (str(found["claim_date"]) if found["claim_date"] else None) == g.claim_date, g.id
        qualifier = (g.qualifier or "").lower()
        found_qualifier = "" if pd.isna(found["qualifier"]) else found["qualifier"]
        assert found_qualifier.lower() == qualifier, g.id
        if not qualifier:
            assert found["low"] == found["high"] == g.value, g.id
        else:
            assert found["low"] == g.value and pd.isna(found["high"]), g.id
            assert bool(found["low_inclusive"]) == (qualifier == "at least"), g.id
        if g.part_of is not None:
            assert by_id[found["part_of"]]["value"] == g.part_of, g.id
        else:
            assert pd.isna(found["part_of"]), g.id


def test_out_of_scope_figures_are_marked_and_not_claims_never_claims(
        shared: Path, rules: factcheck.RuleSet) -> None:
    documents = load_documents([shared / "seeds"]).documents
    claims = claims_frame(read_claims(documents, rules))
    gold = load_gold(shared / "seeds" / "gold.yaml")
    texts = {Path(d.doc).name: d.text for d in documents}
    rows = claims.to_dict("records")
    for item in gold.out_of_scope:
        spans = quote_spans(texts[item.file], item.quote)
        marked = [r for r in rows if Path(r["doc"]).name == item.file and r["value"] == item.value
                  and any(a <= offset_of(texts[item.file], r["line"], r["column"]) < b
                          for a, b in spans)]
        assert marked and not any(r["in_scope"] for r in marked), item.quote
    result = score(documents, claims, gold, rules.metrics)
    assert not result.not_claims_taken, [r["figure"] for r in result.not_claims_taken]
    assert not result.out_of_scope_taken


def _figures(finding: dict, claims: pd.DataFrame) -> set[tuple[float, str | None]]:
    rows = claims.set_index("claim_id").loc[finding["claim_ids"]]
    return {(row.value, None if row.claim_date is None else str(row.claim_date))
            for row in rows.itertuples()}


def test_findings_on_the_seeds(analysis: factcheck.Analysis) -> None:
    findings = analysis.findings.to_dict("records")
    claims = analysis.claims
    killed = [f for f in findings if f["metric"] == "killed"]
    assert len(killed) == 1 and killed[0]["kind"] == "update"
    figures = _figures(killed[0], claims)
    assert {(84.0, "2024-01-04"), (94.0, "2024-01-11")} <= figures
    arrested = [f for f in findings if f["metric"] == "arrested"]
    assert len(arrested) == 1 and arrested[0]["kind"] == "update"
    assert {(11.0, "2024-01-05"), (32.0, "2024-01-07"), (35.0, "2024-01-11")} <= _figures(
        arrested[0], claims)
    sources = claims.set_index("claim_id").loc[arrested[0]["claim_ids"], "attributed_to"]
    assert any("Ministry" in str(s) for s in sources) and any("Bakhshi" in str(s) for s in sources)
    assert not [f for f in findings if f["metric"] == "injured"], "284 agrees with 'over 280'"
    involved = {i for f in findings for i in f["claim_ids"]}
    out = claims[~claims.in_scope.astype(bool)]
    assert set(out.value) >= {15.0, 180.0, 23.0}
    assert not involved & set(out.claim_id)
