"""A rule as a named value: its name (what a trace records), what it matches, what it decides.

Steps keep their rules as module-level Rule values, so that `grep -rn 'Rule("' service/engine`
lists the decisions the engine makes, and a candidate can say which rules made it
(Candidate.rules, an internal trace shown by assemble.explain; not part of the JSON answer).
The words most rules look for are data: service/engine/data/cues.yaml and categories.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str                     # short, stable id: "request-or-appeal"
    matches: str                  # what in the text it looks for
    decides: str                  # what it decides when it matches

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"
