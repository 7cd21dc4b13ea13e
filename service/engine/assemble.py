"""Assemble stage: the one place that decides what is a pledge.

Runs the stages (sentences → money → donors → triggers → dates → categories) and turns
each amount that a donor commits into a Pledge; then merges repeated mentions of the same
pledge, drops a package total that the text splits into parts, and totals per donor.
"""
from __future__ import annotations

import re
import time
from bisect import bisect_left, insort
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Optional, Union

from . import attribution, categories, confidence, cues, triggers
from .data import load_yaml
from .dates import DateMention, DateResolver
from .donors import NATIONAL_SOCIETY, find_entities
from .layout import find_layout
from .money import find_money
from .numbers import parse_digits, scale_multiplier
from .sentences import split_sentences
from .types import Entity, Extraction, Money, Party, Pledge, Sentence, Span, Total


_CURRENCIES = load_yaml("donor_currencies.yaml")
# iso -> {donor country -> its own currency of the same family}
_FAMILY_OF: dict[str, dict[str, str]] = {
    iso: members for members in _CURRENCIES["families"].values() for iso in members.values()}
_DOLLAR_DECLARATION = re.compile(_CURRENCIES["dollar_declaration"], re.IGNORECASE)

# A date right after these words dates something else ("since the Oct. 7 attack").
_NOT_ANNOUNCEMENT = re.compile(r"(?:since|after|before|until|till|from|by|between|ended|began|start\w*|struck|hit|erupted|occurred|happened|killed|landed|made landfall)\s+(?:on\s+)?(?:the\s+|a\s+|its\s+)?$",
                               re.IGNORECASE)
_PART_OPENER = re.compile(r"[\"'“‘(]*(?:of (?:the|this|that|its|their) (?:total|money|sum|amount|package|funding|aid|pledge|contribution|grants?|loans?)|the (?:remaining|rest|balance|remainder))\b",
                          re.IGNORECASE)
_DATELINE = re.compile(r"[ \t]*[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,30})?\s*(?:\([^()\n]{1,30}\))?\s*[-—–]{1,2}\s")
# "including $100 million from Qatar": a part of a rejected sum that names its own giver.
_OWN_GIVER_AFTER = re.compile(r"\s+(?:each\s+)?(?:from|by)\s+(?:the\s+)?[A-Z]")
_AND_BEFORE_AMOUNT = re.compile(r"\b(?:and|plus|as well as)\s+(?:(?:a|an|another|the)\s+)?(?:(?:further|additional|extra|new)\s+)?$")
_INITIAL = re.compile(r"\b(?:initial(?:ly)?|first)\b[^,;]{0,30}$", re.IGNORECASE)
_LATER_MORE = re.compile(r"\b(?:further|additional|another|later|then|now|raising|increasing|topped up)\b", re.IGNORECASE)
# A promise still to be kept ("said on March 5 it would send ...") is new whenever it was made.
_PROMISE = re.compile(r"\b(?:will|would|is to|are to|plans? to|intends? to)\b", re.IGNORECASE)
_SUBORDINATE_OPENER = re.compile(r"\b(?:which|where|when|whose|after|since|before|until)\b", re.IGNORECASE)
# "In Lisbon the same day, ...": the day of the sentence before.
# What a disaster or an attack did: the day in its clause is the event's, not an announcement's.
_EVENT_VERB = re.compile(r"\b(?:hit|struck|killed|erupted|happened|occurred|landed|made landfall|ravaged|"
                         r"devastated|swept|battered|flooded|invaded|attacked)\b", re.IGNORECASE)
_SAME_DAY = re.compile(r"\b(?:(?:on\s+)?the same day|that day|later that day|the following day|a day later|the next day)\b", re.IGNORECASE)
_AMOUNT_LIST_JOINT = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|as well as\s+)")
# "C$20 million of the C$60 million", "part of the CHF 5 billion": the sum the previous amount came out of.
# "part of the previously announced NOK 500 million", "the second tranche of a $1.5 billion loan".
_PARENT_OF_PREVIOUS = re.compile(r"^\s*of\s+$|\bof\s+(?:the|its|their|his|her)\s+$|\b(?:part|tranches?|instal?ments?|share|portion|payments?|disbursements?)\s+"
                                 r"of\s+(?:the|its|their|an?|(?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*['’]s)\s+(?:[\w-]+\s+){0,3}?$", re.IGNORECASE)
# "Of the $1 billion pledged by Japan last year, $200 million will go to ...": the later
# amounts of the sentence are shares of the first, which is earlier money.
_OF_THE_AMOUNT = re.compile(r"[\"'“‘(]*of (?:the|its|their|this|that) (?=[$€£¥₹]|[A-Z]{1,3}\$|[A-Z]{3}\s?\d|\d)", re.IGNORECASE)
_BARE_SCALED = re.compile(r"(?<=\s)(?P<n>\d{1,3}(?:[.,]\d{1,3})?)\s+(?P<scale>million|billion|bn|mn|trillion)\b(?!\s+(?:of\s+)?(?:euros?|dollars?|pounds?|yen|francs?|crowns?|kroner|people|persons|tonnes|tons|doses|refugees|children|residents|litres|liters|barrels|households|families|hectares|acres|square|km|kilometres|miles|years)\b)")
_YEAR_IN = re.compile(r"\b(?:in|during)\s+((?:19|20)\d\d)\b(?!\s*(?:and|-|–|to)\s*(?:19|20)?\d\d)")
_SENTENCE_STOP = re.compile(r"[.!?;](?:\s|$)")
_CLOSING_BRACKET = re.compile(r"[^()\n]{0,20}\)")
# A sentence with more names than this reads, for each amount, only those within _NAME_REACH of it.
_FEW_NAMES = 24
# A package and the parts that split it lie within this many amounts, and sentences, of each other.
_PART_LOOKAHEAD = 60
_PART_SENTENCES = 2
_PART_CHARS = 600            # ... or this many characters, whatever short quotes stand between
_NAME_REACH = 400
# How many days before the article's news a stated day makes a "new" amount an earlier pledge.
_EARLIER_DAYS = 2
_SIGNATURE_LINE = re.compile(r"^[ \t]*[—–-][^\n]*\(@\w+\)[^\n]*$", re.MULTILINE)
_PLEDGE_VERB = re.compile(r"\b(?:pledg|commit|announc|allocat|approv|unveil|provid|donat|grant|earmark|contribut|releas|send|sent|giv|gave|offer|lend|lent)\w*", re.IGNORECASE)


@dataclass
class _Candidate:
    donor: Entity
    money: Money
    status: str
    category: str
    instrument: str
    own_date: Optional[date]
    date: Optional[date]
    recipient: Optional[Entity]
    recipient_explicit: bool
    sentence: Sentence
    donor_explicit: bool
    verb: bool
    part: bool = False            # a share of a package named before ("Of the total, $4m ...")
    foreign_named: bool = True    # its sentence names a place or organisation besides the donor
    in_row: bool = False          # read from a list item or table row
    crowded: bool = False         # three or more amounts in its sentence


def _party(e: Entity) -> Party:
    # One code stands for every national Red Cross or Red Crescent society: name each as written.
    name = e.text if e.code == NATIONAL_SOCIETY else e.name or e.text
    return Party(name=name, code=e.code, type="organisation" if e.kind == "organisation" else "country")


def _effective_end(text: str, m: Money) -> int:
    """End of the amount including a bracketed equivalent and its closing bracket."""
    end = m.equivalent.end if m.equivalent is not None and m.equivalent.end > m.end else m.end
    close = _CLOSING_BRACKET.match(text, end, end + 21)
    return close.end() if close and "(" in text[m.end:end] else end


def _in(items, starts: list[int], start: int, end: int):
    """Items (sorted by start, their starts in *starts*) with start in [start, end)."""
    return items[bisect_left(starts, start):bisect_left(starts, end)]


# A dateline before the story's first words: "BERLIN, June 11 (Reuters) -", "April 15, 2024 (PARIS) -".
_DATELINE_AFTER_DATE = re.compile(r"[^\S\n]*(?:\([^()\n]{1,40}\)[^\S\n]*)?[-—–]")
_DATELINE_BEFORE_DATE = re.compile(r"(?:^|\n)[^\S\n]*(?:[A-Z][A-Za-z.'’ -]{1,40},[^\S\n]*(?:\([^()\n]{1,30}\)[^\S\n]*)?)?$")
_STAMP_LINE_MAX = 100
_DATE_HEADER = re.compile(r"[ \t]?date[ \t]+\d{4}-\d\d-\d\d")


def _is_publication_stamp(text: str, d: DateMention) -> bool:
    """A date that says when the page was written, not when money was announced: a date
    header or time stamp line ("date 2024-05-20", "Posted May 20, 2024 by Staff", a date bar),
    or the date of a dateline. The conventions leave a pledge undated unless the story itself
    names its day."""
    line_start = text.rfind("\n", 0, d.start) + 1
    line_end = text.find("\n", d.end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    if len(line) <= _STAMP_LINE_MAX and not _PLEDGE_VERB.search(line) and not line.rstrip().endswith((".", "!", "?")) \
            and not _SENTENCE_STOP.search(line):
        return True
    if _DATE_HEADER.match(text, line_start) and d.start < _DATE_HEADER.match(text, line_start).end():
        return True     # the header's own date, not a day the story names later on its line
    return bool(_DATELINE_BEFORE_DATE.search(text, max(0, line_start - 1), d.start)
                and _DATELINE_AFTER_DATE.match(text, d.end))


def _announcement_dates(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """Mentions that can date an announcement: not the day of an event named in a
    subordinate clause ("Typhoon Gaemi, which swept across Luzon on July 24"), nor a page's
    own date (a header, time stamp or dateline)."""
    out = []
    for d in mentions:
        if d.value is None or d.kind == "month" or _NOT_ANNOUNCEMENT.search(text[max(0, d.start - 25): d.start]):
            continue
        if d.kind in ("explicit", "weekday") and _is_publication_stamp(text, d):
            continue
        before = text[max(0, d.start - 80): d.start]
        clause = before[max(before.rfind(","), before.rfind(";"), before.rfind("\n")) + 1:]
        if (_SUBORDINATE_OPENER.search(clause) or _EVENT_VERB.search(clause)) and not _PLEDGE_VERB.search(clause):
            continue    # "the earthquake that hit southern Turkey on 6 February": the event's day
        out.append(d)
    return out


def _signature_dates(text: str, resolver: DateResolver) -> dict[int, date]:
    """Tweets quoted in articles end with '— Name (@handle) February 28, 2022': that date is
    the day of the line(s) just above the signature.  Maps the quoted line's start to it."""
    out: dict[int, date] = {}
    for m in _SIGNATURE_LINE.finditer(text):
        found = [d.value for d in resolver.mentions(text, m.start(), m.end()) if d.value]
        if not found:
            continue
        prev_end = m.start() - 1
        prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
        if prev_end > prev_start:
            out[prev_start] = found[0]
    return out


def run(text: str, published_at: Union[None, str, date] = None) -> Extraction:
    started = time.perf_counter()
    resolver = DateResolver(text, published_at)
    sentences = split_sentences(text)
    monies = _declared_dollars(text, find_money(text))
    # Names in the dateline ("NAIROBI, Kenya (AP) -") say where the story was filed, not who gave.
    dateline = _DATELINE.match(text)
    entities = [e for e in find_entities(text, resolver.published or resolver.anchor_after) if not dateline or e.start >= dateline.end()]
    monies = _gapped_amounts(text, monies, entities)
    layout = find_layout(text, entities, monies)
    if layout.conversions:     # a table's US-dollar column converts the row's own amount
        monies = [m for m in monies if m.start not in layout.conversions]
    mentions = _announcement_dates(text, resolver.mentions(text))
    signatures = _signature_dates(text, resolver)
    event_date = mentions[0].value if mentions else None
    # The news's day dates the undated pledges near it: those of its own sentence and of the
    # few after it, or every one when the day stands in the lead (headline or first sentences).
    event_reach = _event_reach(sentences, mentions[0]) if mentions else None

    cue_text = _mask_names(text, [e for e in entities if e.code in cues.MASK_NAMES_OF or e.via == "body"])
    # Trigger, negative and status words are read with every name blanked out, so that
    # "European Investment Bank" is no investment and "... Humanitarian Aid Centre" no aid.
    plain_text = _mask_names(text, entities)
    lead = (sentences[0].start, sentences[0].end) if sentences else None
    cue_index = categories.CueIndex(cue_text)
    money_starts = [m.start for m in monies]
    mention_starts = [d.start for d in mentions]
    entity_starts = [e.start for e in entities]
    candidates: list[_Candidate] = []
    context_recipients: list[Entity] = []
    category_memo: dict = {"index": cue_index, "next": _described_next(sentences)}
    previous_span = None
    for i, s in enumerate(sentences):
        s_monies = _in(monies, money_starts, s.start, s.end)
        if s_monies:
            s_entities = _in(entities, entity_starts, s.start, s.end)
            last_subject = _last_subject(text, sentences, i, entities, entity_starts, layout)
            candidates.extend(_sentence_candidates(text, cue_text, plain_text, s, s_monies, s_entities, entities,
                                                   entity_starts, context_recipients, category_memo, mentions,
                                                   mention_starts, signatures,
                                                   event_date, last_subject, previous_span, lead, resolver.year,
                                                   layout, event_reach))
        previous_span = (s.start, s.end)

    _own_dollars(candidates, monies)
    candidates = _drop_conversions(candidates)
    candidates = _drop_equal_shares(text, candidates)
    if not context_recipients:
        lead_place = _lead_recipient(text, sentences, entities, entity_starts)
        if lead_place is not None:
            context_recipients.append(lead_place)
    _apply_default_recipient(candidates, context_recipients)
    candidates = _drop_domestic(candidates, _dateline_country(text, dateline))
    candidates = _drop_split_packages(candidates)
    _total_categories(candidates)
    pledges = _merge_repeats(text, candidates)
    totals = _totals(pledges)
    published = resolver.published.isoformat() if resolver.published else None
    return Extraction(
        pledges=tuple(pledges), totals=tuple(totals), published_at=published,
        meta={"amounts_found": len(monies), "sentences": len(sentences),
              "engine_ms": round((time.perf_counter() - started) * 1000, 3)},
    )


# A subordinate clause after the amount speaks of something else ("..., as Kyiv pressed for weapons").
_SUBORDINATE = re.compile(r",\s+(?:as|while|where|when|after|but|although|though|whereas|because|amid|even as)\b|;")


def _clause_end(text: str, start: int, end: int) -> int:
    m = _SUBORDINATE.search(text, start, end)
    return m.start() if m else end


def _mask_names(text: str, entities: list[Entity]) -> str:
    """The text with the given names replaced by a neutral word of the same length."""
    if not entities:
        return text
    parts, last = [], 0
    for e in entities:
        if e.start < last:
            continue
        parts.append(text[last:e.start])
        parts.append("Q" + "q" * (e.end - e.start - 1))
        last = e.end
    parts.append(text[last:])
    return "".join(parts)


def _gapped_amounts(text: str, monies: list[Money], entities: list[Entity]) -> list[Money]:
    """"Germany will give €427.5 million, Britain 327.6 million and France 309.2 million": a bare
    scaled number right after a donor, in a list that began with an amount, takes that amount's
    currency (recorded as assumed)."""
    if not monies:
        return monies
    entity_ends = [e.end for e in entities]
    money_starts = [x.start for x in monies]
    extra = []
    for m in _BARE_SCALED.finditer(text):
        k = bisect_left(money_starts, m.start() + 1) - 1          # the last amount starting before
        if k < 0:
            continue
        before = monies[k]
        if m.start() < before.end or m.start() - before.end >= 200 or before.currency is None \
                or _SENTENCE_STOP.search(text, before.end, m.start()):
            continue                          # inside an amount, too far, or in another sentence
        i = bisect_left(entity_ends, m.start() - 1)
        if not any(0 <= m.start() - e.end <= 2 for e in entities[max(0, i - 2): i + 1]) \
                and not _FROM_A_NAME.match(text, m.end()):     # "..., and 500 million from the EIB"
            continue
        value = parse_digits(m.group("n")) * scale_multiplier(m.group("scale"))
        if value == value.to_integral_value():
            value = value.to_integral_value()
        extra.append(Money(m.start("n"), m.end(), text[m.start("n"):m.end()], value=value,
                           currency=before.currency, currency_assumed=True))
    return sorted(monies + extra, key=lambda x: x.start) if extra else monies


_FROM_A_NAME = re.compile(r"[^\S\n]+(?:from|by)[^\S\n]+(?:the[^\S\n]+)?[A-Z]")


def _declared_dollars(text: str, monies: list[Money]) -> list[Money]:
    """Apply a declaration such as "(All figures are in Canadian dollars.)" to bare "$" amounts."""
    if "ollars" not in text and "OLLARS" not in text:     # cheap test before the pattern
        return monies
    m = _DOLLAR_DECLARATION.search(text)
    if not m:
        return monies
    iso = _CURRENCIES["declared_dollars"].get(m.group(1).lower())
    if not iso:
        return monies
    return [replace(x, currency=iso, currency_assumed=False) if x.currency_assumed and x.currency == "USD" else x
            for x in monies]


def _donor_currency(m: Money, donor: Entity) -> Money:
    """An assumed family currency ("crowns") becomes the donor's own one of that family."""
    if not m.currency_assumed:
        return m
    own = _FAMILY_OF.get(m.currency, {}).get(donor.code)
    return replace(m, currency=own) if own and own != m.currency else m


def _sentence_candidates(text, cue_text, plain_text, s, s_monies, s_entities, entities, entity_starts,
                         context_recipients, category_memo, mentions, mention_starts, signatures, event_date,
                         last_subject, previous_span, lead, reference_year, layout, event_reach) -> list[_Candidate]:
    out: list[_Candidate] = []
    sentence_dates = _in(mentions, mention_starts, s.start, s.end)
    # once per sentence, not per amount; a row of a pledge list or table is committed by its heading
    row = layout.row_at(s.start)
    in_row = row is not None
    crowded = len(s_monies) >= 3
    # Places that receive what the donor named before gives: rows under an allocating heading,
    # or a sentence "X is set to get $Y, Z $W" with no giver of its own.
    receiving = last_subject is not None and (
        (row is not None and row.receives)
        or (row is None and bool(_WILL_RECEIVE.search(plain_text, s.start, s.end)) and not _FROM_A_GIVER.search(s.text)))
    triggered = triggers.has_trigger(plain_text[s.start:s.end]) or in_row or receiving
    pledge_verb = bool(_PLEDGE_VERB.search(s.text))
    line_start = text.rfind("\n", 0, s.start) + 1
    signature_date = signatures.get(line_start)
    starts_anaphoric = bool(cues.ANAPHORA.match(s.text))
    previous: Optional[tuple] = None      # (accepted, donors, status, was_increase_target)
    respective = _respective_donors(text, s, s_monies, s_entities)
    places_of = _respective_places(text, s_monies, s_entities)
    conditional = bool(cues.NOT_PLEDGE_SENTENCE.search(plain_text, s.start, s.end))
    named_codes = {e.code for e in s_entities if e.kind != "company"}   # for foreign_named, once per sentence
    s_entity_starts = [e.start for e in s_entities]
    sentence_flags: dict = {}

    def sentence_has(pattern) -> bool:
        """Whether the sentence has *pattern*, read once per sentence however many amounts ask."""
        if pattern not in sentence_flags:
            sentence_flags[pattern] = bool(pattern.search(s.text))
        return sentence_flags[pattern]
    double_object = None     # "give Chad $40m, ...": the first amount's place stood right before it
    for k, m in enumerate(s_monies):
        left_start = _effective_end(text, s_monies[k - 1]) if k else s.start
        right_end = s_monies[k + 1].start if k + 1 < len(s_monies) else s.end
        m_end = _effective_end(text, m)
        # The names that can own or receive this amount: those of its sentence within reach, so
        # a run-on sentence of a thousand amounts costs a thousand small reads, not a million.
        near = s_entities if len(s_entities) <= _FEW_NAMES else \
            _in(s_entities, s_entity_starts, m.start - _NAME_REACH, m_end + _NAME_REACH)
        owner = attribution.bracket_owner(text, [e for e in near if e.end <= m.start], s.start, m.start)
        # "..., as Germany (EUR 50m), Sweden (SEK 185m) ...": a bracketed item's own clause
        # starts at its giver's name; what came before it describes the list, not the item.
        left = plain_text[max(left_start, owner.start) if owner is not None else left_start:m.start]
        right = plain_text[m_end:right_end]
        sc = triggers.scopes(left, right, plain_text[m_end:m_end + 60], first=(k == 0))
        continuation = k > 0 and triggers.is_continuation(left)
        increase_target = triggers.is_increase_target(left)

        def reject(donors=()):
            nonlocal previous
            previous = (False, donors, None, increase_target)

        if m.value is None or m.currency is None or m.value < cues.MIN_PLEDGE_VALUE or conditional:
            reject()
            continue
        if previous is not None and not previous[0] and not _OWN_GIVER_AFTER.match(text, m_end) \
                and not _PARENT_OF_PREVIOUS.search(left) \
                and owner is None and (
                continuation or not any(e.start >= left_start and attribution.names_a_subject(text, e, s.start)
                                        for e in near if e.end <= m.start)):
            # More money in the clause of a sum that is no pledge ("Donors pledged $4.4bn ...,
            # plus $3.4bn for 2019") is no pledge either, unless someone new gives it.
            reject()
            continue
        if triggers.negative_reason(sc):
            # The place a request or appeal is for is the article's likely recipient.
            context = attribution.choose_recipient(text, left_start, m.start, m_end, _clause_end(text, m_end, right_end),
                                                   near, set())
            if context.entity is not None:
                context_recipients.append(context.entity)
            reject()
            continue
        # A sentence about money already introduced ("Of the total, ...") needs no verb of its own.
        if not triggered and not (starts_anaphoric and last_subject):
            reject()
            continue

        place = _receiver_of(text, near, left_start, m.start) if receiving else None
        if place is None and k > 0 and double_object is not None and previous is not None and previous[0] \
                and _AMOUNT_LIST_JOINT.fullmatch(text, left_start, _gap_start(near, left_start, m.start)):
            # "Norway will give Chad $40m, Niger $20m and Mali $20m": the gapped names are
            # places like the first one, and the giver carries on.
            place = _receiver_right_before(text, near, left_start, m.start)
        first_recipient = attribution.RecipientChoice(place, True) if place is not None else \
            attribution.choose_recipient(text, left_start, m.start, m_end, _clause_end(text, m_end, right_end), near, set())
        exclude = first_recipient.entity.code if first_recipient.entity is not None else None
        inherited = previous[1] if previous is not None and previous[0] else ()
        choice = attribution.choose_donors(text, s.start, m.start, m_end, s.end, near, exclude,
                                           left_start=left_start, previous_donors=inherited,
                                           right_end=right_end)
        if (choice is None or not choice.entities) and exclude is not None:
            # The place the money seemed to be for is the only candidate giver: it is the giver
            # ("the Biden administration announced $4bn, a record for the United States").
            retry = attribution.choose_donors(text, s.start, m.start, m_end, s.end, near, None,
                                              left_start=left_start, previous_donors=inherited,
                                           right_end=right_end)
            choice = retry if retry is not None and retry.entities else choice
        if place is not None and not receiving:
            donors, explicit = previous[1], True
        elif place is not None:
            # "Albania: €180 million" under "allocated as follows:", "Tunisia is set to get
            # €600m, Jordan €200m": the places receive what the text's donor gives.
            donors, explicit = (last_subject,), False
        elif k in respective:
            donors, explicit = (respective[k],), True
        elif continuation and previous is not None and previous[0] and (choice is None or not choice.entities):
            donors, explicit = previous[1], True
        elif choice is not None and choice.blocked_by_company:
            reject()
            continue
        elif choice is not None and choice.entities:
            donors, explicit = choice.entities, True
        elif (speaker := attribution.quote_speaker(text, m_end, entities, entity_starts)) is not None:
            donors, explicit = (speaker,), True
        elif last_subject is not None and (starts_anaphoric or (pledge_verb and not any(
                attribution.names_a_subject(text, e, s.start) for e in near))):
            # "It will also send ...", "An initial $1m was announced on Sunday.": the donor of
            # the sentence before.
            donors, explicit = (last_subject,), False
        else:
            reject()
            continue

        previous_status = previous[2] if previous is not None and previous[0] else None
        increase_origin = triggers.is_increase_origin(left, bool(previous and previous[3]))
        status = triggers.status_of(sc, increase_origin)
        if status == "new" and triggers.is_parent_of_tranche(left, right):
            status = "previously_announced"
        year = _YEAR_IN.search(triggers.status_clause(left) + " " + triggers.clause_of(right))
        if status == "new" and year and reference_year and int(year.group(1)) < reference_year:
            # "which pledged $3 billion in 2014", in a 2019 story: earlier money.
            status = "previously_announced"
        if status == "new" and _INITIAL.search(triggers.status_clause(left)) \
                and _LATER_MORE.search(plain_text, m_end, s.end):
            # "sent an initial €1m and on Friday pledged a further €4m": the first was earlier.
            status = "previously_announced"
        if increase_target and status == "new":
            status = "total"
        if previous is not None and previous[2] == "total" and status == "new" \
                and triggers.comma_clause(left).strip().lower().startswith("including"):
            status = "total"
        previous = (True, donors, status, increase_target)
        if k == 0:
            first_place = _receiver_right_before(text, near, left_start, m.start)
            double_object = first_place if first_place is not None and cues.GIVE_VERB_BEFORE.search(
                text[max(left_start, first_place.start - 30):first_place.start]) else None

        # The amount's clause: cues before a comma or "and" describe the previous amount.
        window_start, window_end = m.start - len(triggers.comma_clause(left)), right_end
        joined = _AND_BEFORE_AMOUNT.search(left) if k else None
        if joined:          # "$40m for refugees and $20m for schools": the words before "and" are the $40m's
            window_start = left_start + joined.end()
        category = categories.category_in(category_memo["index"], (window_start, _clause_end(cue_text, m_end, window_end)),
                                          m.start, (s.start, s.end), previous_span, lead, category_memo)
        if category == "unspecified" and k == len(s_monies) - 1 and category_memo.get("next", {}).get(s.index):
            # "... a package worth $400m. The package included munitions for ...": what the
            # next sentence says the package holds.
            span = category_memo["next"][s.index]
            category = category_memo["index"].best(span, span[0], span[1], span[0]) or category
        instrument = triggers.instrument_of(text[window_start:window_end], m.start - window_start)
        if instrument == "unspecified" and len(s_monies) == 1:
            instrument = triggers.instrument_of(s.text, m.start - s.start)   # "The loan, worth $400m, was signed ..."
        recipient = first_recipient if place is not None else attribution.choose_recipient(
            text, left_start, m.start, m_end, _clause_end(text, m_end, right_end), near, {d.code for d in donors})
        if k in places_of:      # "$3m and $2m to Chad and Niger, respectively"
            recipient = attribution.RecipientChoice(places_of[k], True)
        if not recipient.explicit and choice is not None and choice.receiver is not None:
            recipient = attribution.RecipientChoice(choice.receiver, True)

        if status == "previously_announced":
            # Earlier money keeps a day only when its own clause states one.
            owned_end = m_end + len(triggers.clause_of(right).split(",")[0])
            clause_start = m.start - len(triggers.status_clause(left))
            own = _nearest([d for d in sentence_dates if clause_start <= d.start < owned_end], m.start)
        else:
            own = _own_clause_date(sentence_dates, m.start, m_end, m_end + len(triggers.clause_of(right)),
                                   triggers.status_clause(left))
            if own is not None and event_date is not None and status == "new" \
                    and (event_date - own).days >= _EARLIER_DAYS and not sentence_has(_PROMISE):
                # Money announced on a day written well before the article's news ("approved
                # on April 30" in a May 22 story) is an earlier pledge.
                status = "previously_announced"
            own = own or signature_date
            if own is None and sentence_has(_SAME_DAY):
                earlier = [d for d in mentions if d.start < s.start]
                own = earlier[-1].value if earlier else None
        if own is not None:
            day = own
        elif status == "previously_announced":
            day = None
        elif status == "total" and (triggers.relative_total(left) or triggers.unstated_total(left, s.text)):
            day = None
        else:
            day = event_date if event_reach is None or s.index <= event_reach else None
        verb = bool(_PLEDGE_VERB.search(left))
        # A share of a package: "Of the total, ...", "The remaining $2m", or "including $1m"
        # after a new pledge of the same sentence.
        of_the_amount = _OF_THE_AMOUNT.match(s.text)
        if of_the_amount and k == 0 and status == "new":
            status = "previously_announced"
        part = bool(_PART_OPENER.match(s.text)) or (bool(of_the_amount) and k > 0) or (
            k > 0 and previous_status == "new" and triggers.comma_clause(left).strip().lower().startswith("including"))
        places = attribution.each_recipients(text, m_end, right_end, near, {d.code for d in donors})
        if places and len(donors) == 1:
            # "$5 million each to Tonga and Fiji": one pledge per place.
            for place in places:
                out.append(_Candidate(donors[0], _donor_currency(m, donors[0]), status, category, instrument, own, day,
                                      place, True, s, explicit, verb, part,
                                      bool(named_codes - {donors[0].code}), in_row, crowded))
            continue
        for d in donors:
            out.append(_Candidate(d, _donor_currency(m, d), status, cues.DONOR_CATEGORY.get(d.code, category), instrument,
                                  own, day, recipient.entity,
                                  recipient.explicit, s, explicit, verb, part,
                                  bool(named_codes - {d.code}), in_row, crowded))
    return out


# A recipient told what it will get: "North Macedonia is set to get EUR 160 million".
_WILL_RECEIVE = re.compile(r"\b(?:(?:is|are)\s+(?:set|due|expected|slated|to)\s+(?:to\s+)?(?:get|receive)|will\s+(?:get|receive)|would\s+(?:get|receive))\b",
                           re.IGNORECASE)
_FROM_A_GIVER = re.compile(r"\b(?:from|by)\s+(?:the\s+)?[A-Z]")


def _receiver_of(text: str, near: list[Entity], left_start: int, money_start: int) -> Optional[Entity]:
    """The country named in the amount's own item, before it: "Albania EUR 180 million"."""
    for e in reversed(near):
        if e.end <= money_start and e.start >= left_start and e.kind == "country":
            return e
    return None


_GAP_TO_AMOUNT = re.compile(r"[ \u00a0]*$")


def _receiver_right_before(text: str, near: list[Entity], left_start: int, money_start: int) -> Optional[Entity]:
    """The country named right before the amount, with nothing but a space between."""
    for e in reversed(near):
        if e.end <= money_start:
            ok = e.start >= left_start and e.kind == "country" and not text[e.end:money_start].strip()
            return e if ok else None
    return None


def _gap_start(near: list[Entity], left_start: int, money_start: int) -> int:
    """Where the name before the amount starts (the list joint ends there)."""
    for e in reversed(near):
        if e.end <= money_start:
            return max(e.start, left_start)
    return left_start


_EVENT_REACH_SENTENCES = 3
_LEAD_SENTENCES = 3


def _event_reach(sentences: list[Sentence], mention: DateMention) -> Optional[int]:
    """The last sentence index the news's day may date (None: all of them)."""
    at = next((s.index for s in sentences if s.start <= mention.start < s.end), None)
    if at is None or at < _LEAD_SENTENCES:
        return None
    return at + _EVENT_REACH_SENTENCES


def _last_subject(text: str, sentences: list[Sentence], index: int, entities: list[Entity],
                  entity_starts: list[int], layout) -> Optional[Entity]:
    """The subject of the nearest earlier sentence that has one (looked up only when needed);
    the rows of an allocation list name recipients, not subjects, and are passed over."""
    for s in reversed(sentences[:index]):
        row = layout.row_at(s.start)
        if row is not None and row.receives:
            continue
        subject = attribution.sentence_subject(text, s.start, _in(entities, entity_starts, s.start, s.end))
        if subject is not None:
            return subject
    return None


def _amount_runs(text: str, s_monies: list[Money]) -> list[list[int]]:
    """Runs (two or more) of a sentence's amounts joined by commas or "and": "$1m, $2m and $3m"."""
    runs, k = [], 0
    while k < len(s_monies) - 1:
        run = [k]
        while run[-1] + 1 < len(s_monies) and _AMOUNT_LIST_JOINT.fullmatch(
                text, _effective_end(text, s_monies[run[-1]]), s_monies[run[-1] + 1].start):
            run.append(run[-1] + 1)
        if len(run) >= 2:
            runs.append(run)
        k = run[-1] + 1
    return runs


def _respective_donors(text: str, s: Sentence, s_monies: list[Money], s_entities: list[Entity]) -> dict[int, Entity]:
    """'A and B gave $1m and $2m (respectively)': a list of amounts pairs with a list of donors
    of the same length (with "respectively", or when the amounts are simply joined by "and")."""
    out: dict[int, Entity] = {}
    for run in _amount_runs(text, s_monies):
        pairs = attribution.respectively_donors(text, s.start, [s_monies[i] for i in run], s_entities)
        out.update({run[j]: donor for j, donor in pairs.items()})
    return out


def _respective_places(text: str, s_monies: list[Money], s_entities: list[Entity]) -> dict[int, Entity]:
    """Amount index -> its place, for a run of amounts followed by "to A and B, respectively"."""
    out: dict[int, Entity] = {}
    for run in _amount_runs(text, s_monies):
        places = attribution.respectively_places(text, _effective_end(text, s_monies[run[-1]]), len(run), s_entities)
        out.update({i: place for i, place in zip(run, places)})
    return out


def _own_clause_date(sentence_dates: list[DateMention], start: int, end: int, right_end: int,
                     left_clause: str) -> Optional[date]:
    """The day in the amount's own clause: after it (up to the next amount or a new
    clause), else in the clause before it, else the nearest in the sentence."""
    after = [d for d in sentence_dates if end <= d.start < right_end]
    if after:
        return after[0].value
    before = [d for d in sentence_dates if start - len(left_clause) <= d.start < start]
    if before:
        return before[-1].value
    return _nearest(sentence_dates, start)


def _nearest(sentence_dates: list[DateMention], position: int) -> Optional[date]:
    if not sentence_dates:
        return None
    return min(sentence_dates, key=lambda d: abs(d.start - position)).value


def _dateline_country(text: str, dateline: Optional[re.Match]) -> Optional[str]:
    """The country whose capital or seat the dateline names ("ROME (wire) -" -> ITA)."""
    if not dateline:
        return None
    city = re.split(r"[,(]", dateline.group())[0].strip().title()
    for e in find_entities(city):
        if e.kind == "country" and e.start == 0 and e.end == len(city):
            return e.code
    return None


def _drop_domestic(candidates: list[_Candidate], home: Optional[str]) -> list[_Candidate]:
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


def _total_categories(candidates: list[_Candidate]) -> None:
    """A running total that only says "aid" is for what all the donor's other pledges here are
    for ("bringing British aid to Sudan to £226m" after humanitarian pledges); with pledges of
    several kinds it stays unspecified."""
    kinds_of: dict[str, set[str]] = {}
    for o in candidates:
        if o.status != "total":
            kinds_of.setdefault(o.donor.code, set()).add(o.category)
    for c in candidates:
        if c.status != "total" or c.category != "unspecified":
            continue
        kinds = set(kinds_of.get(c.donor.code, ()))
        if len(kinds) == 1 and "unspecified" not in kinds:
            c.category = kinds.pop()


def _drop_conversions(candidates: list[_Candidate]) -> list[_Candidate]:
    """A headline's "US$1.4 billion" that the story gives as the conversion of the donor's
    "€1.3 billion (US$1.4 billion)" is that pledge in other money, not a second pledge."""
    with_equivalent = [c for c in candidates if c.money.equivalent is not None and c.money.equivalent.value is not None]
    if not with_equivalent:
        return candidates
    converted = {(c.donor.code, c.money.equivalent.currency, c.money.equivalent.value) for c in with_equivalent}
    # "$166,000 ... 10 million afghanis ($111,024) and 5 million afghanis ($55,512)": the sum of
    # the conversions of one donor's amounts (within rounding) is their total in other money.
    sums: dict[tuple[str, str], Decimal] = {}
    for c in with_equivalent:
        key = (c.donor.code, c.money.equivalent.currency)
        sums[key] = sums.get(key, Decimal(0)) + c.money.equivalent.value
    counts = {key: sum(1 for c in with_equivalent if (c.donor.code, c.money.equivalent.currency) == key) for key in sums}

    def is_conversion(c: _Candidate) -> bool:
        if c.money.equivalent is not None:
            return False
        if (c.donor.code, c.money.currency, c.money.value) in converted:
            return True
        total = sums.get((c.donor.code, c.money.currency))
        return bool(total and counts[(c.donor.code, c.money.currency)] >= 2
                    and abs(total - c.money.value) <= Decimal("0.01") * c.money.value)

    return [c for c in candidates if not is_conversion(c)]


_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
_EQUAL_SHARE = re.compile(r"[^\S\n]*(?:from\s+)?(?:each\s+of\s+(?:the\s+)?(?P<n>two|three|four|five)|(?P<both>both))\b", re.IGNORECASE)


def _drop_equal_shares(text: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """"a total contribution of 60 million euro - 30 million euro from each of the two
    ministries -": the equal shares inside one donor's pledge are not pledges of their own."""
    out = []
    for i, c in enumerate(candidates):
        m = _EQUAL_SHARE.match(text, _effective_end(text, c.money))
        if m and i > 0:
            n = _COUNTS[(m.group("n") or m.group("both")).lower()]
            whole = candidates[i - 1]
            if whole.donor.code == c.donor.code and whole.money.currency == c.money.currency \
                    and whole.money.value == c.money.value * n:
                continue
        out.append(c)
    return out


_OWN_DOLLAR = _CURRENCIES["own_dollar"]
_DOLLAR_CODES = {"USD", *_OWN_DOLLAR.values()}


# A sentence that says what the previous sentence's package holds.
_DESCRIBES_PACKAGE = re.compile(r"[\"'“‘(]*(?:the|this|that|its|the new|the latest)\s+(?:package|aid|assistance|support|funding|money|contribution)\s+"
                                r"(?:will\s+|would\s+)?(?:includes?|included|including|comprises?|comprised|consists?|consisted|covers?|covered|contains?|contained|is made up|was made up)\b",
                                re.IGNORECASE)


def _described_next(sentences: list[Sentence]) -> dict[int, tuple[int, int]]:
    """Sentence index -> the span of the sentence after it, when that one describes its package."""
    return {a.index: (b.start, b.end) for a, b in zip(sentences, sentences[1:]) if _DESCRIBES_PACKAGE.match(b.text)}


def _own_dollars(candidates: list[_Candidate], monies: list[Money]) -> None:
    """Canadian or Australian reporting of its own government's money writes a bare "$": when
    every assumed-dollar pledge is one such country's and the text writes no dollar out, the
    pledges are in that country's dollar."""
    bare = [c for c in candidates if c.money.currency_assumed and c.money.currency == "USD"]
    if not bare or any(m.currency in _DOLLAR_CODES and not m.currency_assumed for m in monies):
        return
    donors = {c.donor.code for c in bare}
    own = _OWN_DOLLAR.get(donors.pop()) if len(donors) == 1 else None
    if own is None:
        return
    for c in bare:
        c.money = replace(c.money, currency=own)


def _lead_recipient(text: str, sentences: list[Sentence], entities: list[Entity],
                    entity_starts: list[int]) -> Optional[Entity]:
    """The one country the article's opening (headline and lead) says the money is for
    ("Donors promised fresh money for Ukraine's recovery"), read like an amount's recipient."""
    for s in sentences[:2]:
        choice = attribution.choose_recipient(text, s.start, s.start, s.start, s.end,
                                              _in(entities, entity_starts, s.start, s.end), set())
        if choice.explicit:
            return choice.entity
    return None


def _apply_default_recipient(candidates: list[_Candidate], context: list[Entity]) -> None:
    """A pledge whose clause names no recipient goes to the article's one named recipient:
    the one named by its pledges (when more of them name it than name several places), or
    else the one its requests and appeals are for."""
    named = {c.recipient.code: c.recipient for c in candidates if c.recipient_explicit and c.recipient is not None}
    several = sum(1 for c in candidates if c.recipient_explicit and c.recipient is None)
    if not named and not several:
        named = {e.code: e for e in context}
    if len(named) != 1:
        return
    default = next(iter(named.values()))
    if several and sum(1 for c in candidates if c.recipient is not None and c.recipient.code == default.code) <= several:
        return
    for c in candidates:
        if not c.recipient_explicit and c.donor.code != default.code:
            c.recipient = default


def _other_places(package: _Candidate, parts: list[_Candidate]) -> bool:
    """A package for one named country has no parts only for others ("Jordan €200m, Kosovo
    €100m, Moldova €100m" are three allocations, not Jordan's split; "€5m to Lebanon (€3m) and
    Jordan (€2m)" is a split, its first place among the parts')."""
    if not (package.recipient_explicit and package.recipient is not None):
        return False
    places = {p.recipient.code for p in parts if p.recipient is not None}
    return bool(places) and package.recipient.code not in places


def _drop_split_packages(candidates: list[_Candidate]) -> list[_Candidate]:
    """A new package whose parts the text lists (amounts that add up to it).

    Parts for different categories or recipients are the pledges and the package goes;
    parts of one category and recipient (loans plus grants of one programme) stay one
    pledge at the package's amount.
    """
    drop, consumed = set(), set()
    for i, c in enumerate(candidates):
        if c.status != "new" or i in drop:
            continue
        parts, running = [], Decimal(0)
        # Candidates are in text order; parts follow within two sentences and within
        # _PART_LOOKAHEAD amounts, and once they add up to more than the package no longer
        # prefix of them can equal it.
        for j in range(i + 1, min(len(candidates), i + 1 + _PART_LOOKAHEAD)):
            p = candidates[j]
            if (p.sentence.index - c.sentence.index > _PART_SENTENCES and p.sentence.start - c.sentence.end > _PART_CHARS
                    and not p.in_row) or running > c.money.value:
                break       # (a list's rows count as one stretch of text, however many lines)
            if p.donor.code == c.donor.code and p.money.currency == c.money.currency \
                    and p.status == "new" and p.money.value < c.money.value:
                parts.append((j, p))
                running += p.money.value
        total = Decimal(0)
        for n, (j, p) in enumerate(parts, 1):
            total += p.money.value
            if total == c.money.value and n >= 2 and not _other_places(c, [p for _, p in parts[:n]]):
                chosen = parts[:n]
                kinds = {(p.category, p.recipient.code if p.recipient else None) for _, p in chosen}
                instruments = [p.instrument for _, p in chosen]
                one_programme = "unspecified" not in instruments and len(set(instruments)) > 1
                if len(kinds) > 1 and not one_programme:
                    drop.add(i)
                    consumed.update(j for j, _ in chosen)
                else:
                    drop.update(j for j, _ in chosen)
                break
            if total > c.money.value:
                break
    # Shares that do not add up to a package are allocations inside it, not pledges.
    drop.update(i for i, c in enumerate(candidates) if c.part and i not in consumed)
    return [c for i, c in enumerate(candidates) if i not in drop]


def _same_pledge(a: _Candidate, b: _Candidate) -> bool:
    if a.donor.code != b.donor.code or a.money.currency != b.money.currency or a.money.value != b.money.value:
        return False
    if (a.status == "previously_announced") != (b.status == "previously_announced"):
        return False
    if a.recipient_explicit and b.recipient_explicit and a.recipient and b.recipient and a.recipient.code != b.recipient.code:
        return False
    if "unspecified" not in (a.category, b.category) and a.category != b.category \
            and not (a.category in categories.MILITARY_FAMILY and b.category in categories.MILITARY_FAMILY):
        return False
    return a.sentence.index != b.sentence.index


def _merge_repeats(text: str, candidates: list[_Candidate]) -> list[Pledge]:
    groups: list[list[_Candidate]] = []
    # Only mentions of one amount can merge, and never two of one sentence: per key, the groups
    # a later sentence may join (in the order they were made, the first that fits wins) and the
    # groups the current sentence has touched, which wait until the next sentence begins.
    open_groups: dict[tuple, list[tuple[int, list[_Candidate]]]] = {}
    touched: list[tuple[tuple, int, list[_Candidate]]] = []
    sentence = None
    for c in candidates:          # in text order, so a sentence's candidates come together
        if c.sentence.index != sentence:
            for key, made, g in touched:
                insort(open_groups.setdefault(key, []), (made, g), key=lambda item: item[0])
            touched, sentence = [], c.sentence.index
        key = (c.donor.code, c.money.currency, c.money.value)
        waiting = open_groups.get(key, [])
        for n, (made, g) in enumerate(waiting):
            if _same_pledge(c, g[0]) and _same_pledge(c, g[-1]):
                g.append(c)
                del waiting[n]
                touched.append((key, made, g))
                break
        else:
            groups.append([c])
            touched.append((key, len(groups) - 1, groups[-1]))
    pledges = []
    for g in groups:
        head = g[0]
        status = "total" if any(c.status == "total" for c in g) else head.status
        dated = [c for c in g if c.own_date is not None]
        day = dated[0].own_date if dated else head.date
        named = [c.category for c in g if c.category != "unspecified"]
        # The most specific reading wins: "weapons" (lethal) over "military aid".
        category = min(named, key=lambda k: categories.MILITARY_FAMILY.index(k)
                       if k in categories.MILITARY_FAMILY else -1) if named else "unspecified"
        recipient = next((c.recipient for c in g if c.recipient_explicit), head.recipient)
        instrument = next((c.instrument for c in g if c.instrument != "unspecified"), "unspecified")
        evidence = tuple(Span(c.sentence.start, c.sentence.end, c.sentence.text) for c in g)
        pledges.append(Pledge(
            donor=_party(head.donor),
            recipient=Party(recipient.name or recipient.text, recipient.code) if recipient is not None else None,
            amount=head.money, category=category, date=day.isoformat() if day else None, status=status,
            instrument=instrument, evidence=evidence, confidence=confidence.score(g),
            signals=tuple(confidence.signals(g).items()),
        ))
    return pledges


def _totals(pledges: list[Pledge]) -> list[Total]:
    by_key: dict[tuple[str, str], dict] = {}
    for p in pledges:
        key = (p.donor.code, p.amount.currency)
        slot = by_key.setdefault(key, {"donor": p.donor, "sum": Decimal(0), "stated": None, "count": 0})
        if p.status == "total":
            slot["stated"] = max(slot["stated"] or Decimal(0), p.amount.value)
        else:
            slot["sum"] += p.amount.value
            slot["count"] += 1
    return [Total(donor=v["donor"], currency=cur, sum=v["sum"], stated_total=v["stated"], pledge_count=v["count"])
            for (code, cur), v in by_key.items()]
