"""Incident scoring: killed and injured per incident against reference counts.

Per incident, the largest killed and injured figure its articles state, against a reference
count such as the Gun Violence Archive's (`bench/gva_eval.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

INCIDENT_METRICS = ("killed", "injured")


def incident_predictions(claims: pd.DataFrame, incident_column: str = "story") -> pd.DataFrame:
    """Per incident and metric (killed, injured): the largest in-scope figure its claims state.

    The figure of a claim is its `value`: the number as stated, so "at least 3" and "more than
    3" give 3, the conservative end of what they allow. Claims with no value, vague words
    ("dozens") and ranges ("15 to 20"), are left out: they state no single count, and so are
    figures an article gives as superseded history ("police first said seven"). Sub-counts
    ("including 2 children") are kept: they never exceed their total, and are the best figure
    left when the total was missed. Columns: incident, metric, predicted, claim_id, quote, doc.
    """
    columns = ["incident", "metric", "predicted", "claim_id", "quote", "doc"]
    if claims.empty:
        return pd.DataFrame(columns=columns)
    usable = claims[claims["in_scope"].astype(bool) & claims["metric"].isin(INCIDENT_METRICS)
                    & claims["value"].notna()]
    if "superseded" in usable:  # history the article itself corrects is not its count
        usable = usable[~usable["superseded"].fillna(False).astype(bool)]
    # The first claim stating the largest figure stands for the incident (stable order).
    best = (usable.assign(incident=usable[incident_column].astype(str))
            .sort_values(["incident", "metric", "value"], ascending=[True, True, False],
                         kind="stable")
            .drop_duplicates(["incident", "metric"]))
    return best.rename(columns={"value": "predicted"})[columns].reset_index(drop=True)


@dataclass
class IncidentScore:
    """Predicted killed/injured per incident against the reference counts.

    `incidents` has one row per reference incident: `incident_id`, `killed`, `injured` (the
    reference), `predicted_killed`, `predicted_injured` (0 when no claim states one), and the
    claim behind each prediction (`killed_claim_id`, `killed_quote`, `killed_doc`, and the same
    for injured; empty when the prediction is 0 for want of a claim).
    """

    incidents: pd.DataFrame

    def exact_rate(self, metric: str) -> float:
        frame = self.incidents
        return float((frame[f"predicted_{metric}"] == frame[metric]).mean()) if len(frame) else 0.0

    @property
    def killed_exact(self) -> float:
        return self.exact_rate("killed")

    @property
    def injured_exact(self) -> float:
        return self.exact_rate("injured")

    @property
    def over_count(self) -> float:
        """The share of incidents where either predicted figure exceeds the reference."""
        frame = self.incidents
        if not len(frame):
            return 0.0
        over = (frame["predicted_killed"] > frame["killed"]) | (
            frame["predicted_injured"] > frame["injured"])
        return float(over.mean())

    def error_classes(self) -> pd.DataFrame:
        """Incidents per metric and outcome: exact; under-count with no figure found, or with a
        lower one; over-count where the reference is 0, or above a non-zero reference."""
        rows = []
        for metric in INCIDENT_METRICS:
            truth = self.incidents[metric]
            predicted = self.incidents[f"predicted_{metric}"]
            classes = {
                "exact": predicted == truth,
                "under-count: no figure found": (predicted == 0) & (truth > 0),
                "under-count: lower figure": (predicted > 0) & (predicted < truth),
                "over-count: reference is 0": (predicted > 0) & (truth == 0),
                "over-count: higher figure": (predicted > truth) & (truth > 0),
            }
            for name, mask in classes.items():
                rows.append({"metric": metric, "outcome": name, "incidents": int(mask.sum()),
                             "share": round(float(mask.mean()), 4) if len(mask) else 0.0})
        return pd.DataFrame(rows)

    def worst(self, count: int) -> pd.DataFrame:
        """The `count` incidents furthest from the reference (killed and injured errors added)."""
        frame = self.incidents.assign(
            error=(self.incidents["predicted_killed"] - self.incidents["killed"]).abs()
            + (self.incidents["predicted_injured"] - self.incidents["injured"]).abs())
        frame = frame[frame["error"] > 0]
        return frame.sort_values(["error", "incident_id"], ascending=[False, True],
                                 kind="stable").head(count)

    def figures(self) -> dict[str, Any]:
        return {"incidents": len(self.incidents),
                "killed_exact": round(self.killed_exact, 4),
                "injured_exact": round(self.injured_exact, 4),
                "over_count": round(self.over_count, 4)}


def score_incidents(claims: pd.DataFrame, incidents: pd.DataFrame,
                    incident_column: str = "story") -> IncidentScore:
    """Score the claims of incident reports against reference killed/injured counts.

    `claims` is a claims table whose `incident_column` holds each claim's incident id (read a
    corpus with `group_by="incident_id"` and it is `story`); `incidents` has `incident_id`,
    `killed` and `injured`. Every reference incident is scored, with 0 predicted where its
    reports state no figure (see `incident_predictions` for how a figure is chosen).
    """
    for column in ("incident_id", *INCIDENT_METRICS):
        if column not in incidents.columns:
            raise ValueError(f"the incidents table needs a {column!r} column")
    frame = incidents.assign(incident_id=incidents["incident_id"].astype(str)).reset_index(
        drop=True)
    predictions = incident_predictions(claims, incident_column)
    for metric in INCIDENT_METRICS:
        chosen = predictions[predictions["metric"] == metric].set_index("incident")
        ids = frame["incident_id"]
        frame[f"predicted_{metric}"] = ids.map(chosen["predicted"]).fillna(0).astype(float)
        for key in ("claim_id", "quote", "doc"):
            frame[f"{metric}_{key}"] = ids.map(chosen[key])
        frame[metric] = frame[metric].astype(float)
    return IncidentScore(frame)
