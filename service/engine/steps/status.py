"""Status of an amount: new | previously_announced | total.

The cues around the amount decide first (triggers.status_of over cues.yaml: "previously
announced", "so far", "bringing its total to", "since ..."); then these rules, in order, may
turn a "new" reading into another one:

    parent-of-tranche   "the second tranche of a $1.5bn loan": the loan is earlier money
    earlier-year        "which pledged $3 billion in 2014", in a 2019 story
    initial-then-more   "sent an initial €1m and on Friday pledged a further €4m": the first
    increase-target     "increase its aid ... to $X": $X is a running total
    increased-pledge    "doubled its contribution to $X": $X is the new pledge's size (new);
                        with "to $X from $Y" $X stays a running total
    part-of-a-total     "..., including $4m" after a running total
    respective-status   "A and B reaffirmed their pledges of $X and $Y, respectively": $Y as $X

Two more are decided later, with the day (dating.py: a day well before the news) and the
package (packages.py: "Of the $1bn pledged last year, ...").
Corpus: tests/engine/corpora/triggers.yaml (status cases).
"""
from __future__ import annotations

import re
from typing import Optional

from .. import triggers
from .context import AmountContext, Previous, SentenceContext
from .rules import Rule

PARENT_OF_TRANCHE = Rule("parent-of-tranche", "a tranche or part named before the amount", "previously_announced")
EARLIER_YEAR = Rule("earlier-year", "'in 2014' in the amount's clause, before the story's year", "previously_announced")
INITIAL_THEN_MORE = Rule("initial-then-more", "'an initial ...' followed by 'further/additional ...'",
                         "previously_announced")
INCREASE_TARGET = Rule("increase-target", "'increase ... to' right before the amount", "total")
INCREASED_PLEDGE = Rule("increased-pledge", "'doubled its contribution (commitment, pledge) to $X'",
                        "new: $X is the size of the new pledge")
PART_OF_A_TOTAL = Rule("part-of-a-total", "'including' after a running total", "total")
RESPECTIVE_STATUS = Rule("respective-status", "'A and B reaffirmed their pledges of $X and $Y, respectively'",
                         "the first amount's status")

_YEAR_IN = re.compile(r"\b(?:in|during)\s+((?:19|20)\d\d)\b(?!\s*(?:and|-|–|to)\s*(?:19|20)?\d\d)")
_INITIAL = re.compile(r"\b(?:initial(?:ly)?|first)\b[^,;]{0,30}$", re.IGNORECASE)
_LATER_MORE = re.compile(r"\b(?:further|additional|another|later|then|now|raising|increasing|topped up)\b", re.IGNORECASE)


def status_of(sc: SentenceContext, a: AmountContext, previous: Optional[Previous]) -> tuple[str, tuple[str, ...]]:
    """The amount's status and the names of the rules that changed it."""
    left, right = a.left, a.right
    increase_origin = triggers.is_increase_origin(left, bool(previous and previous.increase_target))
    status = triggers.status_of(a.scopes, increase_origin)
    fired: list[Rule] = []
    if status == "new" and triggers.is_parent_of_tranche(left, right):
        status = "previously_announced"
        fired.append(PARENT_OF_TRANCHE)
    year = _YEAR_IN.search(triggers.status_clause(left) + " " + triggers.clause_of(right))
    reference_year = sc.doc.year
    if status == "new" and year and reference_year and int(year.group(1)) < reference_year:
        status = "previously_announced"
        fired.append(EARLIER_YEAR)
    if status == "new" and _INITIAL.search(triggers.status_clause(left)) \
            and _LATER_MORE.search(sc.doc.plain_text, a.end, sc.s.end):
        status = "previously_announced"
        fired.append(INITIAL_THEN_MORE)
    # (after an earlier amount of the sentence, "initially $50m, later raising its commitment to
    # $80m", the raise is measured from that amount: a running total)
    if status in ("new", "total") and a.increase_target and a.k == 0 and triggers.raises_a_pledge(left, right):
        status = "new"
        fired.append(INCREASED_PLEDGE)
    elif a.increase_target and status == "new":
        status = "total"
        fired.append(INCREASE_TARGET)
    if previous is not None and previous.status == "total" and status == "new" \
            and triggers.comma_clause(left).strip().lower().startswith("including"):
        status = "total"
        fired.append(PART_OF_A_TOTAL)
    if status == "new" and a.k in sc.respective and a.k > 0 and previous is not None and previous.accepted \
            and previous.status in ("previously_announced", "total"):
        # one verb governs every amount of a "respectively" list
        status = previous.status
        fired.append(RESPECTIVE_STATUS)
    return status, tuple(r.name for r in fired)
