"""factcheck: find where news reports disagree about figures, with their sources and dates.

    >>> import factcheck
    >>> claims = factcheck.extract_claims(["reports/"])      # a pandas DataFrame
    >>> findings = factcheck.find_discrepancies(claims)      # another one
"""

from .api import Analysis, analyse, extract_claims, find_discrepancies
from .documents import Document, load_documents
from .errors import ExitCode, FactcheckError
from .rules import RuleSet, load_rules

__version__ = "0.1.0"

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
