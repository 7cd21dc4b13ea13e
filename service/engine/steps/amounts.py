"""Candidate amounts: every amount of every sentence, read in its clause by the steps in order.

    not_pledge.reason → parties.donors → status.status_of → category.of → parties.recipient
    → dating.day_of → packages.share_of_package → one Candidate per donor (or per place:
    "$5 million each to Tonga and Fiji")

The context each step reads (the sentence's and the amount's) is in context.py.
Corpus: tests/engine/corpora/assemble.yaml (whole passages).
"""
from __future__ import annotations

from typing import Optional

from .. import cues
from ..document import Document
from ..types import Entity
from . import category, dating, not_pledge, packages, parties, status
from .context import AmountContext, Candidate, Previous, SentenceContext

__all__ = ["read", "read_amount", "Candidate"]


def read(doc: Document) -> tuple[list[Candidate], list[Entity]]:
    """Candidates of the whole document in text order, and the places its requests and appeals
    are for (the article's likely recipient)."""
    out: list[Candidate] = []
    context_recipients: list[Entity] = []
    previous_span = None
    for s in doc.sentences:
        monies = doc.money.within(s.start, s.end)
        if monies:
            sc = SentenceContext(doc, s, monies, previous_span)
            previous: Optional[Previous] = None
            for k in range(len(monies)):
                found, previous = read_amount(sc, AmountContext(sc, k), previous, context_recipients)
                out.extend(found)
        previous_span = (s.start, s.end)
    return out, context_recipients


def read_amount(sc: SentenceContext, a: AmountContext, previous: Optional[Previous],
                context_recipients: list[Entity]) -> tuple[list[Candidate], Previous]:
    """The steps for one amount: its candidates (none when it is no pledge) and what the next
    amount of the sentence sees of it."""
    rejected = Previous(False, (), None, a.increase_target)
    rule = not_pledge.reason(sc, a, previous, context_recipients)
    if rule is not None:
        sc.doc.rejected.append((a.money, rule.name))
        return [], rejected
    found = parties.donors(sc, a, previous)
    if found.rejected_by is not None:
        sc.doc.rejected.append((a.money, found.rejected_by.name))
        return [], rejected
    donors = found.donors
    previous_status = previous.status if previous is not None and previous.accepted else None
    state, status_rules = status.status_of(sc, a, previous)
    now = Previous(True, donors, state, a.increase_target)
    parties.note_double_object(sc, a)

    kind, instrument = category.of(sc, a)
    recipient = parties.recipient(sc, a, found)
    own, day, state, date_rules = dating.day_of(sc, a, state)
    verb = bool(cues.PLEDGE_VERB.search(a.left))
    state, part, package_rules = packages.share_of_package(sc, a, state, previous_status)
    rules = (found.rule.name, *status_rules, *date_rules, *package_rules)

    m = a.money
    places = parties.each_places(sc, a, {d.code for d in donors})
    if places and len(donors) == 1:
        # "$5 million each to Tonga and Fiji": one pledge per place.
        d = donors[0]
        return [Candidate(d, parties.donor_currency(m, d), state, kind, instrument, own, day, place, True, sc.s,
                          found.explicit, verb, part, bool(sc.named_codes - {d.code}), sc.in_row, sc.crowded,
                          rules + ("each-place",))
                for place in places], now
    return [Candidate(d, parties.donor_currency(m, d), state, cues.DONOR_CATEGORY.get(d.code, kind), instrument,
                      own, day, recipient.entity, recipient.explicit, sc.s, found.explicit, verb, part,
                      bool(sc.named_codes - {d.code}), sc.in_row, sc.crowded, rules)
            for d in donors], now
