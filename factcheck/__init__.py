"""factcheck: find where news reports disagree about figures, with their sources and dates.

    >>> import factcheck
    >>> claims = factcheck.extract_claims(["reports/"])      # a pandas DataFrame
    >>> findings = factcheck.find_discrepancies(claims)      # another one
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .resources import VERSION as __version__

if TYPE_CHECKING:
    from .errors import ExitCode, FactcheckError
    from .io.documents import load_documents
    from .io.model import Document
    from .ruleset.model import RuleSet
    from .run.api import Analysis, analyse, extract_claims, find_discrepancies, load_rules

# Each name is imported when first used: a worker process that reads claims never needs the
# API's pandas, which takes most of a start-up.
_EXPORTS = {
    "Analysis": "run.api", "analyse": "run.api", "extract_claims": "run.api",
    "find_discrepancies": "run.api",
    "Document": "io.model", "load_documents": "io.documents",
    "ExitCode": "errors", "FactcheckError": "errors",
    "RuleSet": "ruleset.model", "load_rules": "run.api",
}

__all__ = [
    "Analysis",
    "Document",
    "ExitCode",
    "FactcheckError",
    "RuleSet",
    "__version__",
    "analyse",
    "extract_claims",
    "find_discrepancies",
    "load_documents",
    "load_rules",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'factcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
