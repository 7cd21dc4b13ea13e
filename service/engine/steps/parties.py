"""Donor and recipient of an amount.

The readings of a sentence's structure (which name is a subject, which an object, a relative
clause's subject, "thanks to X for", "from A and B each", bracketed lists) are in
service/engine/attribution.py; the lists inside a sentence in lists.py.  This step chooses among
them, in this order (the first rule that applies decides):

    list-place             "give Chad $40m, Niger $20m": a gapped place; the giver carries on
    receiving-place        "Albania: €180 million" under "allocated as follows:", "Tunisia is
                           set to get €600m": the place receives what the text's donor gives
    respectively           "A and B gave $1m and $2m (respectively)": the i-th giver
    list-continues         "..., including $4m" with no giver of its own: the previous amount's
    company-money          a company's money: no pledge
    named-giver            the giver attribution.choose_donors reads in the sentence
    participle-giver       "... by CEPI, contributing $72m": the name right before the comma
    quote-speaker          "'We will give $5m,' the Norwegian minister said"
    giver-of-the-sentence-before  "It will also send ...": the previous sentence's subject
                        (never the recipient the article's opening names)
    no-giver               nobody: no pledge

The recipient: the place of the amount's own clause (attribution.choose_recipient), a place of
"to A and B, respectively", or the subject that receives ("Ghana won approval from the IMF for a
$3bn loan").  Per document, pledges that name none get the article's one named recipient.

Corpus: tests/engine/corpora/attribution.yaml and layout.yaml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Optional

from .. import attribution, cues, lists
from ..data import load_yaml
from ..donors import NATIONAL_SOCIETY
from ..document import Document
from ..types import Entity, Money, Party
from .context import AmountContext, Candidate, Previous, SentenceContext
from .not_pledge import COMPANY_MONEY, JOINT_SUM, NO_GIVER
from .rules import Rule

_CURRENCIES = load_yaml("donor_currencies.yaml")
# iso -> {donor country -> its own currency of the same family}
_FAMILY_OF: dict[str, dict[str, str]] = {
    iso: members for members in _CURRENCIES["families"].values() for iso in members.values()}
_OWN_DOLLAR = _CURRENCIES["own_dollar"]
_DOLLAR_CODES = {"USD", *_OWN_DOLLAR.values()}

LIST_PLACE = Rule("list-place", "a country right before the amount in a list after 'give Chad $40m, ...'",
                  "the place receives; the previous amount's givers give")
RECEIVING_PLACE = Rule("receiving-place", "a row under an allocating heading, or 'X is set to get $Y'",
                       "the place receives what the last named giver gives")
RESPECTIVELY = Rule("respectively", "a list of amounts after a list of as many givers", "the i-th giver")
LIST_CONTINUES = Rule("list-continues", "an amount continuing the previous one's list ('..., including $4m') "
                      "with no giver of its own", "the previous amount's donors")
NAMED_GIVER = Rule("named-giver", "a donor-capable subject of the amount's clause (attribution.choose_donors)",
                   "that giver (or the coordinated givers of 'each')")
QUOTE_SPEAKER = Rule("quote-speaker", "an amount inside a quotation followed by 'X said'", "the speaker")
PARTICIPLE_GIVER = Rule("participle-giver", "', contributing $X' right after a name", "the name before the comma")
GIVER_BEFORE = Rule("giver-of-the-sentence-before", "an anaphoric sentence ('It will also send ...') or a "
                    "giving verb with no subject of its own", "the previous sentence's subject")


@dataclass(frozen=True)
class Donors:
    donors: tuple = ()
    explicit: bool = False
    rule: Optional[Rule] = None
    rejected_by: Optional[Rule] = None
    choice: Optional[attribution.DonorChoice] = None
    place: Optional[Entity] = None                  # the place a list row or gapped list names
    first_recipient: Optional[attribution.RecipientChoice] = None


def donors(sc: SentenceContext, a: AmountContext, previous: Optional[Previous]) -> Donors:
    """The donor(s) of the amount, or the rule that makes it no pledge."""
    text, s, m, near = sc.doc.text, sc.s, a.money, a.near
    accepted_before = previous is not None and previous.accepted
    place = lists.receiver_of(near, a.left_start, m.start) if sc.receiving else None
    if place is None and a.k > 0 and sc.double_object is not None and accepted_before \
            and lists.AMOUNT_LIST_JOINT.fullmatch(text, a.left_start, lists.gap_start(near, a.left_start, m.start)):
        # "Norway will give Chad $40m, Niger $20m and Mali $20m": the gapped names are
        # places like the first one, and the giver carries on.
        place = lists.receiver_right_before(text, near, a.left_start, m.start)
    first_recipient = attribution.RecipientChoice(place, True) if place is not None else a.recipient_in_clause(set())
    exclude = first_recipient.entity.code if first_recipient.entity is not None else None
    inherited = previous.donors if accepted_before else ()
    choice = attribution.choose_donors(text, s.start, m.start, a.end, s.end, near, exclude,
                                       left_start=a.left_start, previous_donors=inherited, right_end=a.right_end)
    if (choice is None or not choice.entities) and exclude is not None:
        # The place the money seemed to be for is the only candidate giver: it is the giver
        # ("the Biden administration announced $4bn, a record for the United States").
        retry = attribution.choose_donors(text, s.start, m.start, a.end, s.end, near, None,
                                          left_start=a.left_start, previous_donors=inherited, right_end=a.right_end)
        choice = retry if retry is not None and retry.entities else choice
    found = dict(choice=choice, place=place, first_recipient=first_recipient)
    if place is not None and not sc.receiving:
        return Donors(previous.donors, True, LIST_PLACE, **found)
    if place is not None:
        return Donors((sc.last_subject,), False, RECEIVING_PLACE, **found)
    if a.k in sc.respective:
        return Donors((sc.respective[a.k],), True, RESPECTIVELY, **found)
    if a.continuation and accepted_before and (choice is None or not choice.entities):
        return Donors(previous.donors, True, LIST_CONTINUES, **found)
    if choice is not None and choice.blocked_by_company:
        return Donors(rejected_by=COMPANY_MONEY, **found)
    if choice is not None and choice.joint_sum:
        return Donors(rejected_by=JOINT_SUM, **found)
    if choice is not None and choice.entities:
        return Donors(choice.entities, True, NAMED_GIVER, **found)
    giver = _participle_giver(sc, a)
    if giver is not None:
        return Donors((giver,), True, PARTICIPLE_GIVER, **found)
    speaker = attribution.quote_speaker(text, a.end, sc.doc.entities.items, sc.doc.entities.starts)
    if speaker is not None:
        return Donors((speaker,), True, QUOTE_SPEAKER, **found)
    before = _giver_before(sc)
    if before is not None and (sc.starts_anaphoric or (sc.pledge_verb and not any(
            attribution.names_a_subject(text, e, s.start) for e in near))):
        # "It will also send ...", "An initial $1m was announced on Sunday.": the donor of
        # the sentence before.
        return Donors((before,), False, GIVER_BEFORE, **found)
    return Donors(rejected_by=NO_GIVER, **found)


def _giver_before(sc: SentenceContext) -> Optional[Entity]:
    """The subject of the sentences before; never the country the opening says the money is
    for ("... where Ukraine's war was the topic. The funds come from $500 million ...")."""
    subject = sc.last_subject
    lead = lead_recipient(sc.doc)
    if subject is None or lead is None or subject.code != lead.code:
        return subject
    return sc.last_subject_except(lead.code)


# "Funds came from the Coalition for Epidemic Preparedness, contributing $72 million": the amount
# of a giving participle after a comma belongs to the name right before the comma.
_PARTICIPLE_BEFORE = re.compile(r"(?P<comma>,)[^\S\n]*(?:also[^\S\n]+)?(?:contributing|providing|giving|pledging|offering|donating|"
                                r"committing|adding|granting)[^\S\n]+(?:an?[^\S\n]+|another[^\S\n]+|a further[^\S\n]+)?$",
                                re.IGNORECASE)


def _participle_giver(sc: SentenceContext, a: AmountContext) -> Optional[Entity]:
    text = sc.doc.text
    m = _PARTICIPLE_BEFORE.search(text, a.left_start, a.money.start)
    if m is None:
        return None
    comma = m.start("comma")
    before = [e for e in a.near if e.end <= comma and not text[e.end:comma].strip(" \u00a0)")]
    return before[-1] if before and attribution.can_donate(before[-1], text) else None


def note_double_object(sc: SentenceContext, a: AmountContext) -> None:
    """After the sentence's first accepted amount: was its place given right before it, after
    a verb of giving ("give Chad $40m")?  Then the gapped names after it are places too."""
    if a.k != 0:
        return
    text = sc.doc.text
    first_place = lists.receiver_right_before(text, a.near, a.left_start, a.money.start)
    sc.double_object = first_place if first_place is not None and cues.GIVE_VERB_BEFORE.search(
        text[max(a.left_start, first_place.start - 30):first_place.start]) else None


def recipient(sc: SentenceContext, a: AmountContext, found: Donors) -> attribution.RecipientChoice:
    """The recipient of the amount's clause, given its donors."""
    chosen = found.first_recipient if found.place is not None else \
        a.recipient_in_clause({d.code for d in found.donors})
    if a.k in sc.places_of:      # "$3m and $2m to Chad and Niger, respectively"
        chosen = attribution.RecipientChoice(sc.places_of[a.k], True)
    if not chosen.explicit and found.choice is not None and found.choice.receiver is not None:
        chosen = attribution.RecipientChoice(found.choice.receiver, True)
    return chosen


def each_places(sc: SentenceContext, a: AmountContext, donor_codes: set) -> list[Entity]:
    """"$5 million each to Tonga and Fiji": the places that each get the amount."""
    return attribution.each_recipients(sc.doc.text, a.end, a.right_end, a.near, donor_codes)


def donor_currency(m: Money, donor: Entity) -> Money:
    """An assumed family currency ("crowns") becomes the donor's own one of that family."""
    if not m.currency_assumed:
        return m
    own = _FAMILY_OF.get(m.currency, {}).get(donor.code)
    return replace(m, currency=own) if own and own != m.currency else m


def party(e: Entity) -> Party:
    # One code stands for every national Red Cross or Red Crescent society: name each as written.
    name = e.text if e.code == NATIONAL_SOCIETY else e.name or e.text
    return Party(name=name, code=e.code, type="organisation" if e.kind == "organisation" else "country")


# ------------------------------------------------------------------ per document

def own_dollars(candidates: list[Candidate], doc: Document) -> None:
    """Canadian or Australian reporting of its own government's money writes a bare "$": when
    every assumed-dollar pledge is one such country's and no pledge writes its dollar out ("US$",
    "C$"; a UN appeal "of US$2.7 billion", no pledge, does not count), the pledges are in
    that country's dollar. A bare "$150 million (US$99 million)" is never US dollars: it is the
    donor's own dollar whatever else the text writes."""
    bare = [c for c in candidates if c.money.currency_assumed and c.money.currency == "USD"]
    for c in bare:
        eq = c.money.equivalent
        own = _OWN_DOLLAR.get(c.donor.code)
        if own and eq is not None and eq.currency == "USD" and not eq.currency_assumed:
            c.money = replace(c.money, currency=own)
    bare = [c for c in bare if c.money.currency == "USD"]
    codes = {c.donor.code for c in bare}
    own = _OWN_DOLLAR.get(codes.pop()) if len(codes) == 1 else None
    if own is None:
        return
    if any(c.money.currency in _DOLLAR_CODES and not c.money.currency_assumed for c in candidates):
        return          # "Mexico added US$5 million": this text marks its dollars
    for c in bare:
        c.money = replace(c.money, currency=own)


def lead_recipient(doc: Document) -> Optional[Entity]:
    """The one country the article's opening (headline and lead) says the money is for
    ("Donors promised fresh money for Ukraine's recovery"), read like an amount's recipient."""
    if "lead_recipient" not in doc.step_memo:
        doc.step_memo["lead_recipient"] = _lead_recipient(doc)
    return doc.step_memo["lead_recipient"]


def _lead_recipient(doc: Document) -> Optional[Entity]:
    for s in doc.sentences[:2]:
        choice = attribution.choose_recipient(doc.text, s.start, s.start, s.start, s.end, doc.entities_of(s), set())
        if choice.explicit:
            return choice.entity
    return None


def apply_default_recipient(candidates: list[Candidate], context: list[Entity]) -> None:
    """A pledge whose clause names no recipient goes to the article's one named recipient:
    the one named by its pledges (when more of them name it than name several places), or
    else the one its requests and appeals are for."""
    named = {c.recipient.code: c.recipient for c in candidates if c.recipient_explicit and c.recipient is not None}
    several = sum(1 for c in candidates if c.recipient_explicit and c.recipient is None)
    named_by_pledges = bool(named)
    if not named and not several:
        named = {e.code: e for e in context}
    if len(named) != 1:
        return
    default = next(iter(named.values()))
    if not named_by_pledges and any(c.donor.code == default.code for c in candidates):
        return      # "COP28 opened in the UAE ... the UAE pledged $100m": the host, not the recipient
    if several and sum(1 for c in candidates if c.recipient is not None and c.recipient.code == default.code) <= several:
        return
    for c in candidates:
        if not c.recipient_explicit and c.donor.code != default.code:
            c.recipient = default
