"""Tables for the HTML report's tests: the seeds, and a small made-up story of four outlets."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import factcheck
from factcheck.resources import shipped_seeds_dir

# A made-up flood story: qualifiers ("At least", "up to", "Fewer than", "Hundreds"), a range
# ("Between 30 and 45"), a figure given as history ("up from 12": superseded), another
# period's figure ("In a 2019 flood": out of scope) and a report with no date (undated claims).
MINI_REPORTS = {
    "a.md": """---
source: Daily Planet
date: 2024-03-02
event: flood
---
At least 12 people were killed in the flooding, police said.
Officials said up to 40 people were injured.
""",
    "b.md": """---
source: Gazette
date: 2024-03-04
event: flood
---
The death toll rose to 19, the health ministry said, up from 12 on Saturday.
Between 30 and 45 people were injured, according to the Red Cross.
Hundreds were displaced.
In a 2019 flood, 7 people were killed.
""",
    "c.md": """---
source: Courier
event: flood
---
Rescuers said 21 people were killed. Fewer than 50 people were injured.
""",
}


@pytest.fixture(scope="session")
def seeds_analysis(rules: factcheck.RuleSet) -> factcheck.Analysis:
    """The seeds, named as `factcheck report seeds` names them when run from the checkout."""
    seeds = shipped_seeds_dir()
    relative = Path(os.path.relpath(seeds))
    return factcheck.analyse([seeds if relative.parts[:1] == ("..",) else relative],
                             rules=rules)


@pytest.fixture(scope="session")
def mini_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mini-corpus")
    for name, text in MINI_REPORTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def mini_tables(mini_corpus: Path, rules: factcheck.RuleSet) -> tuple[pd.DataFrame,
                                                                       pd.DataFrame]:
    """The made-up story's tables, with a `modality` column: the rescuers' 21 an estimate."""
    analysis = factcheck.analyse([mini_corpus], rules=rules)
    claims = analysis.claims.copy()
    claims["modality"] = "count"
    rescuers = claims["attributed_to"].eq("Rescuers") & claims["metric"].eq("killed")
    claims.loc[rescuers, "modality"] = "estimate"
    return claims, analysis.findings
