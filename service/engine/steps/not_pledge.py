"""Reasons an amount is no pledge, tried in this order before anyone is asked who gives it.

    vague-or-conditional   no value or currency, below the minimum, or a sentence that only
                           supposes or asks ("if approved", "would need"): cues.yaml not_pledge_sentence
    more-of-a-rejected-sum more money in the clause of a sum that is no pledge, with no new giver
    request-or-appeal      an appeal, a request, a budget, a loss, an aggregate, a company's
                           money ... (triggers.negative_reason; cues.yaml not_pledge_*)
    no-pledge-word         a sentence with no pledge word, no list row and no anaphora, and no
                           "$X from <giver>" in a sentence about funds (cues.yaml from_giver_context)

Per document, after the donors are known:

    drop_domestic          a country paying for itself, or a government filed from its own
                           capital spending with nobody else named, is no aid

The words are data (data/cues.yaml); cases: tests/engine/corpora/triggers.yaml.
"""
from __future__ import annotations

import re
from typing import Optional

from .. import attribution, cues, triggers
from ..donors import find_entities
from ..types import Entity
from .context import AmountContext, Candidate, Previous, SentenceContext
from .rules import Rule

VAGUE_OR_CONDITIONAL = Rule("vague-or-conditional", "no value or currency, a value under cues.min_pledge_value, "
                            "or a conditional sentence", "no pledge")
REJECTED_SUM_CONTINUES = Rule("more-of-a-rejected-sum", "an amount in the clause of a rejected one with no giver "
                              "of its own", "no pledge")
REQUEST_OR_APPEAL = Rule("request-or-appeal", "negative cues around the amount (appeal, request, budget, loss, "
                         "aggregate, ...)", "no pledge; the place it is for is the article's likely recipient")
NO_PLEDGE_WORD = Rule("no-pledge-word", "a sentence with no trigger, no list row, no anaphora", "no pledge")
NO_GIVER = Rule("no-giver", "nobody who can give in reach", "no pledge")
COMPANY_MONEY = Rule("company-money", "the nearest giver is a company or owned by one", "no pledge")
JOINT_SUM = Rule("joint-sum", "several givers' combined sum ('together pledged', 'combined ... by A, B and C')", "no pledge")

# "including $100 million from Qatar": a part of a rejected sum that names its own giver.
_OWN_GIVER_AFTER = re.compile(r"\s+(?:each\s+)?(?:from|by)\s+(?:the\s+)?[A-Z]")
# "C$20 million of the C$60 million", "part of the CHF 5 billion": the sum the previous amount came out of.
# "part of the previously announced NOK 500 million", "the second tranche of a $1.5 billion loan".
PARENT_OF_PREVIOUS = re.compile(r"""
    ^\s*of\s+$                                                     # "$20m of $60m"
    |\bof\s+(?:the|its|their|his|her)\s+$                          # "... of the $60m"
    |\b(?:applied|drawn|taken)\s+(?:from|out\ of)\s+(?:the|its|their|an?)\s+$   # "$15m applied from its $53m"
    |\b(?:part|tranches?|instal?ments?|share|portion|payments?|disbursements?)\s+
      of\s+(?:the|its|their|an?|(?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*['’]s)\s+   # "part of the", "of Kenya's"
      (?:[\w-]+\s+){0,3}?$                                         # "previously announced"
    """, re.IGNORECASE | re.VERBOSE)


def reason(sc: SentenceContext, a: AmountContext, previous: Optional[Previous],
           context_recipients: list[Entity]) -> Optional[Rule]:
    """The rule that makes the amount no pledge, or None.  A request's or appeal's place is
    added to *context_recipients* (the article's likely recipient)."""
    text, s, m = sc.doc.text, sc.s, a.money
    if m.value is None or m.currency is None or m.value < cues.MIN_PLEDGE_VALUE or sc.conditional:
        return VAGUE_OR_CONDITIONAL
    if previous is not None and not previous.accepted and not _OWN_GIVER_AFTER.match(text, a.end) \
            and not PARENT_OF_PREVIOUS.search(a.left) \
            and a.owner is None and (
            a.continuation or not any(e.start >= a.left_start and attribution.names_a_subject(text, e, s.start)
                                      for e in a.near if e.end <= m.start)):
        # More money in the clause of a sum that is no pledge ("Donors pledged $4.4bn ...,
        # plus $3.4bn for 2019") is no pledge either, unless someone new gives it.
        return REJECTED_SUM_CONTINUES
    if triggers.negative_reason(a.scopes):
        context = a.recipient_in_clause(set())
        if context.entity is not None:
            context_recipients.append(context.entity)
        return REQUEST_OR_APPEAL
    # A sentence about money already introduced ("Of the total, ...") needs no verb of its own.
    if not sc.triggered and not a.given_from and not (sc.starts_anaphoric and sc.last_subject):
        return NO_PLEDGE_WORD
    return None


def dateline_country(dateline: Optional[re.Match]) -> Optional[str]:
    """The country whose capital or seat the dateline names ("ROME (wire) -" -> ITA)."""
    if not dateline:
        return None
    city = re.split(r"[,(]", dateline.group())[0].strip().title()
    for e in find_entities(city):
        if e.kind == "country" and e.start == 0 and e.end == len(city):
            return e.code
    return None


def drop_domestic(candidates: list[Candidate], home: Optional[str]) -> list[Candidate]:
    """Domestic spending is no aid: the article's recipient paying for itself, or a government
    filed from its own capital spending with nobody else named anywhere (no recipient in the
    article, no other country or organisation in the sentence)."""
    # The country the article's aid goes to, spending with no recipient of its own, is
    # paying for itself ("the government promised to find 2 billion pesos for relief").
    receivers = {c.recipient.code for c in candidates if c.recipient is not None and c.donor.code != c.recipient.code}
    candidates = [c for c in candidates
                  if not (c.donor.kind == "country" and c.donor.code in receivers
                          and (c.recipient is None or c.recipient.code == c.donor.code))]
    if home is None or any(c.recipient_explicit for c in candidates):
        return candidates
    return [c for c in candidates
            if not (c.donor.code == home and c.recipient is None and not c.foreign_named)]
