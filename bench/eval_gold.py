"""Score extraction against the gold annotations in ../shared (seeds and the dev corpus).

A thin wrapper over `factcheck eval` with the shared corpora as its paths:

    python bench/eval_gold.py            # the figures per gold folder and in total
    python bench/eval_gold.py -v         # and every missed, spurious or misread claim
    python bench/eval_gold.py --format json

is `factcheck eval ../shared/seeds ../shared/corpus/dev [options]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from factcheck.cli.app import main as factcheck_main

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> int:
    if not SHARED.is_dir():
        print(f"no shared material at {SHARED}; nothing to score")
        return 0
    paths = [str(SHARED / "seeds"), str(SHARED / "corpus" / "dev")]
    sys.argv = ["factcheck", "eval", *paths, *sys.argv[1:]]
    factcheck_main()  # exits with the command's exit code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
