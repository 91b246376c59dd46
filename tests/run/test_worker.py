"""What a worker process runs: whole stories read as the plain run reads them, and a start-up
that imports no pandas."""

from __future__ import annotations

import subprocess
import sys

import factcheck
from factcheck.extract.model import CLAIM_COLUMNS
from factcheck.io.documents import load_documents
from factcheck.resources import shipped_seeds_dir
from factcheck.run.driver import PART_OF, read_claims
from factcheck.run.engines import InProcess
from factcheck.run.worker import prepare_worker, read_stories


def test_a_worker_and_the_command_script_import_no_pandas() -> None:
    """A spawned worker imports the worker side and reruns the command's script: neither may
    pull in pandas (or the CLI), which took most of a worker's start-up."""
    code = ("import sys, factcheck.run.worker, factcheck.__main__\n"
            "print(sorted(m for m in ('pandas', 'factcheck.cli', 'factcheck.run.api')"
            " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"



def test_a_story_read_by_a_worker_has_the_plain_runs_claims(rules: factcheck.RuleSet) -> None:
    documents = load_documents([shipped_seeds_dir()]).documents
    story = list(enumerate(documents))
    engine = InProcess({"token": "seeds", "rules": rules})
    engine.prepare(prepare_worker)
    [results] = list(engine.map(read_stories, [[story]]))
    engine.close()
    [result] = results
    rows = [row for _, document_rows in result.documents for row in document_rows]
    plain = [claim.row() for claim in read_claims(documents, rules)]
    assert len(rows) == len(plain) > 0
    for row, expected in zip(rows, plain, strict=True):
        assert row[0] is None  # the parent numbers claims
        assert row[1:PART_OF] == [expected[c] for c in CLAIM_COLUMNS[1:PART_OF]]
    assert result.problems == []
