"""One story by default: whether a run given no `--group-by` looks like many stories as one.

Without `--group-by`, every report that states no `event` is compared with every other: right
for one story, wrong for an archive of many incidents (thousands of findings, messages of tens
of kilobytes). A corpus column that names a story (`findings.yaml`: `compare.story_columns`)
with more than one value, or one story past `compare.story_warning_reports` reports, is said
once, naming `--group-by`.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..io.model import Document
from ..ruleset.model import RuleSet

# When findings.yaml gives no threshold: a fast-moving story runs to tens of reports, rarely a
# few hundred; past this many, one story is far more likely many read together.
STORY_WARNING_REPORTS = 300


class StoryCensus:
    """Counts a run's reports by story, and the values of the columns that name a story."""

    def __init__(self, rules: RuleSet, group_by: str | None) -> None:
        self.active = group_by is None
        self.columns = frozenset(str(c).lower() for c in rules.compare.get("story_columns") or ())
        self.limit = int(rules.compare.get("story_warning_reports", STORY_WARNING_REPORTS))
        self.sizes: dict[str, int] = {}
        self.values: dict[str, set[str]] = {}  # column as written -> up to two of its values

    def add(self, document: Document) -> None:
        if not self.active:
            return
        self.sizes[document.story] = self.sizes.get(document.story, 0) + 1
        for key, value in document.metadata.items():
            if key.lower() in self.columns and value not in (None, ""):
                seen = self.values.setdefault(key, set())
                if len(seen) < 2:
                    seen.add(str(value))

    def add_all(self, documents: Iterable[Document]) -> StoryCensus:
        for document in documents:
            self.add(document)
        return self

    def hint(self) -> str | None:
        """What to say on stderr, once; None when the run looks like the stories it reads."""
        if not self.active:
            return None
        for column in sorted(self.values):
            if len(self.values[column]) > 1:
                return (f"the reports state '{column}' with different values but are compared "
                        f"as one story: --group-by {column} compares each {column} apart")
        biggest = max(self.sizes.values(), default=0)
        if biggest > self.limit:
            return (f"{biggest:,} reports are compared as one story (no --group-by): if they "
                    "cover several events, --group-by FIELD (a column that names the story) "
                    "or --group-by folder compares each apart")
        return None
