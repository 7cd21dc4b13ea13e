"""Attribution stage: which donor owns an amount, and which country receives it.

Entities come from the donor stage; this stage reads only their positions and the few
words around them: an entity after a preposition or a giving verb is an object (a
recipient or a place), one before the verb is a subject (a donor candidate).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from . import cues
from .donors import TITLES
from .donors import can_donate as _code_can_donate
from .types import Entity

_TITLE_OF = re.compile(r"(?:minister|president|government|prime minister|chancellor|king|emir|prince|people|republic|kingdom|state)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^['’]s?\b")
_COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?$")
# Places joined in one recipient phrase: "in eastern Chad and in South Sudan", "Mali, Niger and Chad".
_PLACE_COORDINATION = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+(?:and|or|as well as)\s+)(?:(?:in|to|for)\s+(?:the\s+)?(?:[a-z]+\s+)?|the\s+)?$")
_EACH_BEFORE_VERB = re.compile(r"(?:,[^,;.]{0,80},)?\s*(?:have\s+|had\s+|will\s+|would\s+|also\s+)?(?:each|both)\b", re.IGNORECASE)   # "A and B will both give"
_EACH_AFTER = re.compile(r"\s*(?:\([^()]{0,80}\)\s*)?each\b(?!\s+(?:from|by)\b)", re.IGNORECASE)
_EACH_TO = re.compile(r"\s*each\s+(?:to|for)\s+(?:the\s+)?", re.IGNORECASE)
_TO_PLACES = re.compile(r"[^.;,]{0,60}?\b(?:to|for)\s+(?:the\s+)?(?=[A-Z])")
_EACH_FROM = re.compile(r"\s*(?:\([^()]{0,80}\)\s*)?each\s+(?:from|by)\s+(?:the\s+)?", re.IGNORECASE)
_RIGHT_SUBJECT = re.compile(r"""
    \s*(?:had\s+|has\s+|have\s+|will\s+|would\s+|also\s+|then\s+)*      # auxiliaries
    (?:pledg|commit|announc|promis|approv|allocat|provid|gave|giv|sen[dt]|contribut|donat   # verbs of giving,
      |grant|earmark|releas|offer|said|says|unveil|sign|extend|lend|lent|disburs|agree     # saying, deciding
      |decid|launch|made|make|pa[iy]|transfer|channel|deliver|dispatch|rais|add|increas    # and adding more
      |doubl|boost|top|told|stated|confirm|urg|call)
    """, re.IGNORECASE | re.VERBOSE)
_AUXILIARY = re.compile(r"\s+(?:has|have|had|will|would|is|are|was|were|also|then|could|can|should|must|plans|agreed|decided)\b", re.IGNORECASE)
# "China pledged 3 billion yuan, and Japan $260 million": a subject whose verb is left out.
# "..., Germany $100m", "Germany, $100m", "Britain by 40 per cent to £1.8bn"
_GAPPED_AMOUNT = re.compile(r",?\s+(?:by\s+[\d.]+\s*(?:per\s*cent|percent|%)\s+to\s+)?"
                            r"(?:(?:about|around|nearly|almost|some|roughly|approximately|over|more\s+than|up\s+to|at\s+least|another|a\s+further|an\s+additional)\s+)?"
                            r"(?:[A-Z]{0,3}\s?[$€£¥₹₩]|[A-Z]{3}\s?\d|\d)")
# "Moroccan companies", "Saudi businessmen": a demonym that names private givers, not a state.
_PRIVATE_GIVERS = re.compile(r"""
    \s+(?:[a-z-]+\s+){0,2}
    (?:companies|company|firms?|businesses|businessm[ae]n|banks|investors|citizens|people     # private givers
      |residents|individuals|diaspora|philanthropists?|charities|donors|public|lenders|insurers
      |developers?|tycoons?|billionaires?|conglomerates?|groups?|contractors?|exporters?
      |manufacturers?|makers?
      |invasion|war|attack|offensive|shelling|strikes?|bombing|occupation|border|territory    # "the Russian invasion"
      |refugees|migrants|civilians|soldiers|troops|forces|opposition|rebels|militants         # people, not a state
      |media|press|newspapers?)\b
    """, re.VERBOSE)
# Between an amount and the subject of a relative clause about it: only names and titles.
_RELATIVE_SUBJECT_GAP = re.compile(r"[^\S\n]*(?:\([^()\n]{0,40}\)\s*)?(?:that\s+|which\s+)?(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,5}")
# "a $500 million programme of the Asian Development Bank": the owner after the noun.
_PROGRAMME_OF = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?(?:programme|program|package|loan|grant|facility|fund|pledge|contribution|aid|assistance|support|financing)\s+(?:of|from|by)\s+(?:the\s+)?$", re.IGNORECASE)
# "Sudanese refugees in Chad", "Syrians in Turkey, Lebanon and Jordan": people away from home;
# the host country receives the aid (people displaced at home leave their country the recipient).
_DISPLACED = re.compile(r"\s+(?i:refugees|migrants|asylum[- ]seekers|exiles)\b"
                        r"|\s+(?:(?:who\s+(?:have\s+)?fled|living|sheltering|staying|hosted)\s+)?(?:in|to|by)\s+(?:the\s+)?(?:[a-z]+\s+)?[A-Z]")
# "for the three countries", "for Sudan's neighbours": a recipient phrase naming several places.
# "X and the neighbouring countries", "X and for refugees in the region": several places.
_AND_SEVERAL = re.compile(rf"[^.;]{{0,40}}?\b(?:and|or|as well as)\s+(?:(?:for|to|in)\s+)?(?:(?![a-z]+ed\b)[A-Za-z'’-]+\s+){{0,4}}?(?:{cues.CUES['several_recipients']})\b")
_SEVERAL_PHRASE = re.compile(r"\s*(?:for|to)\s+(?:the\s+)?(?:two|three|four|five|six|several|many|neighbou?ring|affected|\w+\s+and\s+its)\s+(?:[a-z-]+\s+)?(?:countries|nations|states|neighbou?rs)\b", re.IGNORECASE)
# "EU members", "NATO allies", "the EU and its member states": the members, not the organisation.
_MEMBERS = re.compile(r"(?:['’]s)?\s+(?:member\s+(?:states|countries|governments)|members|countries|nations|partners|allies)\b"
                      r"|\s+and\s+(?:its|their|the)\s+(?:\d+\s+|[a-z]+\s+)?(?:member\s+(?:states|countries|governments)|members)\b")
# "The United States and other members of the Contact Group have committed $98bn": many givers.
_AND_OTHERS = re.compile(r"\s+and\s+(?:other|its\s+other|their\s+other|the\s+other)\s+(?:[a-z]+\s+){0,2}?(?:members|countries|allies|partners|donors|nations|governments)\b")
# Titles and names after a demonym: "Egyptian President Abdel Fattah al-Sisi announced".
_NAME_TAIL = re.compile(r"(?:\s+(?:[A-Z][\w.'’-]*|al-\w+|bin|de|van|von|der))*")
_WIDER_THAN = re.compile(r"\s+(?:crisis|conflict|response|region|regional|appeal)\b", re.IGNORECASE)
_REGION_WIDE = re.compile(r"\b(?i:across|throughout|in|for|around) the (?i:wider |whole |entire )?(?i:region)\b|\b(?i:regional|worldwide|global(?:ly)?)\b"
                          rf"|\b(?:for|to|in|across|throughout)\s+(?:{cues.CUES['regions']})\b")
# The recipient phrase: up to 80 characters, not past a subordinate clause.
_PHRASE = re.compile(r"(?:(?!,\s+(?:as|while|where|when|after|but|which|who|although)\b)[^.;]){0,80}")
_PRIVATE_BODY = re.compile(r"['’]s\s+(?:[\w'’-]+\s+){0,5}?(?:charity|charities|foundation|NGO|company|firm|conglomerate|association|(?:sovereign )?wealth fund|pension fund|central bank|billionaire|tycoon)\b")
# "pledged a combined $2bn", "... together": a sum of the coordinated givers, not a pledge.
_COLLECTIVE = re.compile(r"\b(?:combined|together|jointly|collectively|a total of|in total)\b", re.IGNORECASE)
_NAMED_FUND = re.compile(r"\s+(?:[A-Z][\w-]*\s+){0,3}(?:Fund|Facility|Trust|Programme|Program)\b")
# An organisation's name used for the meeting it holds: "a U.N. pledging conference".
_NAMES_AN_EVENT = re.compile(r"(?:\s+(?:[A-Z][\w.'’-]*|pledging|donors?['’]?|climate|change|high-level|humanitarian|general|annual"
                             r"|ministerial|leaders['’]?|replenishment|contributor))*\s+(?:[Cc]onference|[Ss]ummit|[Mm]eeting|[Ss]ession"
                             r"|[Dd]ialogue|[Ff]orum|[Aa]ssembly|[Gg]athering)s?\b")
_AGGRESSION_AFTER = re.compile(r"\s*" + cues.CUES["aggression_after_possessive"], re.IGNORECASE)
# A sum before its list of givers: "Combined, $1.2bn has been promised by A, B and C".
_SUM_BEFORE = re.compile(r"\b(?:combined|together|in total|in all|altogether|a total of|jointly|collectively)\b", re.IGNORECASE)
_THANKED_FOR = re.compile(r"[\s,]*(?:and\s+(?:[A-Z][\w.'’-]*\s+){1,5})?(?:(?:on|last|this|late|early)\s+[A-Z]?\w+\s+)?,?\s*for\b")
_GIVING_PARTICIPLE = re.compile(r"\s+(?:providing|giving|contributing|pledging|offering|sending|adding|committing|donating|lending)\b")
# "the reconstruction of Gaza", "the people of Afghanistan": the place the money is for.
_PURPOSE_OF = re.compile(r"\b(?!(?:behalf|support|help|part|members?|leaders?|minister|ministers|president|prime minister|king|emir|capital)\s)[a-z]+\s+of\s+(?:the\s+)?$")
_LISTED_BEFORE = re.compile(r"(?:,|\band|\bor)\s+(?:(?:in|to|for)\s+)?(?:the\s+)?(?:[a-z-]+\s+)?$")
# "to the Green Climate Fund", "for the Global Fund": a multilateral fund, no single country.
_NAMED_FUND_AFTER = re.compile(r"[^.;,]{0,25}?\b(?:to|for|into)\s+the\s+(?:[A-Z][\w'’-]*\s+){1,6}(?:Fund|Facility|Trust Fund|Window|Initiative)\b")
_RECEIVING_VERB = re.compile(r"\s+(?:has\s+|have\s+|had\s+)?(?:won|received|receives|secured|secures|obtained|got|gets|was granted|was given|will receive)\b", re.IGNORECASE)
# "pledged by Japan", "promised by Prime Minister Justin Trudeau" (a leader's title between).
_BY_OR_FROM = re.compile(r"(?:\bby|\bfrom|\bsaid|\bsays|\btold)\s+(?:the\s+)?(?:(?:[A-Z][\w'’-]+\s+){0,2}?(?:"
                         + TITLES + r")\s+)?$", re.IGNORECASE)
# The end of a quotation and the attribution after it: '... next month," Prime Minister X said'.
_QUOTE_CLOSE = re.compile(r"[\"”](?=[\s,.;:]|$)")
_SPEECH_VERB = re.compile(r"\b(?:said|says|told|added|wrote|tweeted|announced|stated|declared)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DonorChoice:
    entities: tuple[Entity, ...]
    explicit: bool        # named in the amount's own sentence (not carried over)
    blocked_by_company: bool = False     # a company owns the amount
    joint_sum: bool = False              # several givers' combined sum ("together pledged $1bn")
    receiver: Optional[Entity] = None    # the subject that receives ("Ghana won approval from the IMF")


def can_donate(e: Entity, text: str = "") -> bool:
    if e.kind == "company" or not (_code_can_donate(e.code) or e.via == "named_foundation"):
        return False
    if text and e.kind == "organisation" and _MEMBERS.match(text, e.end):
        return False    # "EU members", "NATO allies": the members, not the organisation
    if text and _AND_OTHERS.match(text, e.end):
        return False    # "X and other members of the group": a sum of many givers
    if text and e.kind == "country" and _NAMED_FUND.match(text, e.end):
        return False    # "the Ukraine Humanitarian Fund": a pooled fund named after the place
    if text and e.kind == "organisation" and _NAMES_AN_EVENT.match(text, e.end):
        return False    # "at a U.N. pledging conference", "the UN Climate Change Conference": a venue
    if e.via == "demonym" and e.text.endswith("s") and e.text[:1].isupper() and not e.text.endswith("ss"):
        return False    # "Lithuanians raised ...": people, not their government
    return not (text and e.via == "demonym" and _PRIVATE_GIVERS.match(text, e.end))


# An entity later in a list that a preposition opened: "for COVAX, the WHO and ...".
_OBJECT_LIST = re.compile(rf"(?:^|\W)(?:{cues.CUES['object_before']})\s+[^;.:]{{1,80}}?(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)(?:the\s+)?$",
                          re.IGNORECASE)


def _is_object(text: str, e: Entity, floor: int) -> bool:
    if text[e.start - 1:e.start] == "-" or text[e.end:e.end + 1] == "-":
        return True       # part of a compound ("the Turkey-Syria appeal", "a Kenyan-led mission")
    before = text[max(floor, e.start - 60): e.start]
    if _TITLE_OF.search(before):
        return False
    if cues.OBJECT_BEFORE.search(before):
        # "..., with Washington providing $50m": the subject of an absolute clause.
        return not _GIVING_PARTICIPLE.match(text, e.end) and not _after_opening_phrase(text, e, floor)
    # In a list only when nothing marks it as a new clause's subject ("..., and Germany said").
    return bool(_OBJECT_LIST.search(before)) and not _starts_clause(text, e)


# "In the session Finland pledged ...": a short phrase opening the sentence, then its subject.
_OPENING_PHRASE = re.compile(r"[^\S\n]*(?:[A-Z][a-z]+[^\S\n]+)?(?i:in|at|during|on|after)[^\S\n]+(?:the|a|an|this|that|its)[^\S\n]+(?:[a-z][\w-]*[^\S\n]+){1,3}$")
_VERB_THEN_BY = re.compile(r"\s*\w+\s+by\b")


def _after_opening_phrase(text: str, e: Entity, floor: int) -> bool:
    """The entity follows a short phrase that opens its sentence ("Later in the session") and
    a finite verb of giving follows it: the sentence's subject, not the phrase's object."""
    return bool(_OPENING_PHRASE.fullmatch(text, floor, e.start) and _RIGHT_SUBJECT.match(text, e.end)
                and not _VERB_THEN_BY.match(text, e.end))


def _starts_clause(text: str, e: Entity) -> bool:
    return bool(_RIGHT_SUBJECT.match(text, e.end) or _POSSESSIVE.match(text[e.end:e.end + 3])
                or _AUXILIARY.match(text, e.end) or _GAPPED_AMOUNT.match(text, e.end))


def names_a_subject(text: str, e: Entity, floor: int) -> bool:
    """The entity is not an object in its sentence (whether or not it can give money)."""
    return not _is_object(text, e, floor)


def is_subject_like(text: str, e: Entity, floor: int, entities: Sequence[Entity]) -> bool:
    return can_donate(e, text) and not _is_object(text, e, floor) and not _owned_by_company(text, e, entities)


def _is_gratitude_target(text: str, e: Entity) -> bool:
    """"thanks to Japan for", "Grateful to the Netherlands and Prime Minister X for"."""
    if not _THANKED_FOR.match(text, e.end):     # the anchored test first: it fails fast
        return False
    return bool(cues.GRATITUDE_BEFORE.search(text[max(0, e.start - 30): e.start]))


def _owned_by_company(text: str, e: Entity, entities: Sequence[Entity]) -> bool:
    """'Norway's Equinor', "South Africa's Gift of the Givers charity": the country only
    qualifies a company or a private body."""
    if not _POSSESSIVE.match(text[e.end:e.end + 3]):
        return False
    if _PRIVATE_BODY.match(text, e.end):
        return True
    return any(o.kind == "company" and 0 <= o.start - e.end <= 4 for o in entities)


def _coordinated_left(text: str, entities: Sequence[Entity], idx: int) -> list[Entity]:
    """Entities joined by commas/'and' ending at entities[idx], in text order."""
    group = [entities[idx]]
    j = idx
    while j > 0 and _COORDINATION.match(text[entities[j - 1].end: entities[j].start]):
        j -= 1
        group.insert(0, entities[j])
    return group


def _coordinated_right(text: str, entities: Sequence[Entity], idx: int,
                       joint: re.Pattern = _COORDINATION) -> list[Entity]:
    group = [entities[idx]]
    j = idx
    while j + 1 < len(entities) and joint.match(text[entities[j].end: entities[j + 1].start]):
        j += 1
        group.append(entities[j])
    return group


_NEW_CLAUSE = re.compile(r";|,\s+(?:of which|including|with|while|whereas|but|and|as)\b", re.IGNORECASE)
# The host of a meeting at which others gave: "X hosted the conference in Y, where $2bn was
# pledged", "X, which hosts the meeting, said participants pledged ...".
_HOST_OF_OTHERS = re.compile(r"[^.;]{0,40}?\b(?:hosted|hosts|co-hosted|co-hosts|hosting|co-hosting|convened|organi[sz]ed|chaired)\b"
                             r"[^.;]{0,120}?(?:\b(?:where|at which|during which|in which)\b|,\s+(?:said|says)\b)", re.IGNORECASE)
# A meeting's venue: "held in Tunisia", "a summit in Paris", "talks in Geneva".
_VENUE_BEFORE = re.compile(r"\b(?:held|hosted|taking place|took place|convened|meeting|met|gathered|gathering|conference|summit|"
                           r"talks|forum|session|event|ceremony|visit)\s+(?:\w+\s+)?in\s+(?:the\s+)?$", re.IGNORECASE)
# After an amount, its own phrase up to the giver: "in guarantees from", "of new loans by".
_AMOUNT_FROM = re.compile(r"[^\S\n]*(?:(?:in|of|worth)\s+(?:[a-z-]+\s+){0,3}?)?(?:from|by)\s+(?:the\s+)?(?=[A-Z])")
# The end of the previous item of a bracketed list: "...), and first-time contributor " before a name.
_LIST_ITEM_BEFORE = re.compile(r"\)[^\S\n]*(?:,[^\S\n]*(?:and[^\S\n]+)?|[^\S\n]+and[^\S\n]+)(?:the[^\S\n]+)?(?:[\w-]+,?[^\S\n]+){0,4}$")
_WHICH_CLAUSE = re.compile(r"['’]?s?,[^\S\n]+(?:which|who)[^\S\n]+[^,;:()\n]{0,120}")
_AS_DID = re.compile(r"[^.;:()\n]{0,60}?,[^\S\n]+as[^\S\n]+(?:did|had|has|have|will|would)[^\S\n]+(?:the[^\S\n]+)?")
# A fronted phrase naming the pledge before its giver: "With a USD 4.3 billion pledge, the United States ...".
_WITH_FRONT = re.compile(r"[\s\"“‘']*With[^\S\n]+(?:a|an|its|their|his|her)?[^\S\n]*(?:(?:new|fresh|further|total|record)[^\S\n]+)?", re.IGNORECASE)
_PLEDGE_NOUN_COMMA = re.compile(r"[^\S\n]+(?:[\w-]+[^\S\n]+){0,2}?(?:pledge|contribution|commitment|donation|grant|package|loan)s?[^\S\n]*,[^\S\n]*(?:the[^\S\n]+)?")
_OPEN_BRACKET_GAP = re.compile(r"[^\S\n]*\([^\S\n]*")
# A capitalised name right before a list item's bracket: "the Zeta Group (", "Acme & Co (".
_UNLISTED_ITEM_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w.'’-]*(?:[^\S\n]+(?:(?:of|for|and|&|the)[^\S\n]+)*[A-Z][\w.'’-]*){0,5}[^\S\n]*$")
# The preposition that opened a list of places: "to Chad ($40m), Niger ($30m) and ...".
_CO_GIVER_LIST_OPENER = re.compile(rf"(?:^|\W)(?:{cues.CUES['co_giver_list_opener']})\s+(?:by\s+)?(?:the\s+)?$", re.IGNORECASE)
_RECIPIENT_LIST_OPENER = re.compile(r"\b(?:to|for|in|into|towards?|across|benefit\w*|help\w*|support\w*|assist\w*)\s+(?:the\s+)?$",
                                    re.IGNORECASE)


def _bracketed_name(text: str, left: Sequence[Entity], money_start: int) -> Optional[Entity]:
    """The name right before the bracket the amount opens: "Korea ($80 million)"."""
    if not left or "(" not in text[max(0, money_start - 2): money_start]:
        return None
    e = left[-1]
    return e if _OPEN_BRACKET_GAP.fullmatch(text, e.end, money_start) else None


def _is_bracketed(text: str, e: Entity) -> bool:
    return text[e.end:e.end + 3].lstrip(" \u00a0")[:1] == "("


def _giver_before_list(text: str, left: Sequence[Entity], e: Entity, sentence_start: int,
                       list_start: Optional[int] = None) -> bool:
    """"The United States gave $90 million: Chad ($40 million), ...": a giver named before the
    bracketed list makes the bracketed names the places of the parts."""
    list_start = e.start if list_start is None else list_start
    return any(x.end <= list_start and not _is_bracketed(text, x) and is_subject_like(text, x, sentence_start, left)
               for x in left)


def _list_start(text: str, left: Sequence[Entity], e: Entity) -> int:
    """Where the bracketed list that *e* stands in begins: "Germany (EUR 50m), Sweden (SEK
    185m), ..., and first-time contributor Ireland (EUR 300,000)" begins at "Germany"."""
    start = e.start
    while True:
        prev = _LIST_ITEM_BEFORE.search(text, max(0, start - 90), start)
        if prev is None:
            return start
        close = prev.start()
        opening = text.rfind("(", max(0, close - 60), close)
        if opening < 0:
            return start
        owner = next((x for x in reversed(left) if x.end <= opening and _OPEN_BRACKET_GAP.fullmatch(text, x.end, opening + 1)), None)
        if owner is not None:
            start = owner.start
            continue
        # An item whose name the gazetteer lacks ("the Zeta Group ($4m)") still belongs to the list.
        unlisted = _UNLISTED_ITEM_NAME.search(text, max(0, opening - 60), opening)
        if unlisted is None:
            return start
        start = unlisted.start()


def _co_givers(text: str, sentence_start: int, first: int) -> bool:
    """"Pakistan pledged $154m, along with Germany ($62m), the US ($46m)": the bracketed
    names give beside the first giver; they are no places of its parts."""
    return bool(_CO_GIVER_LIST_OPENER.search(text, max(sentence_start, first - 30), first))


def bracket_owner(text: str, left: Sequence[Entity], sentence_start: int, money_start: int) -> Optional[Entity]:
    """The giver named right before the amount's bracket, when it owns the amount."""
    e = _bracketed_name(text, left, money_start)
    if e is None or not can_donate(e, text):
        return None
    first = _list_start(text, left, e)
    if _co_givers(text, sentence_start, first):
        return e
    if _RECIPIENT_LIST_OPENER.search(text, max(sentence_start, first - 40), first):
        return None
    return None if _giver_before_list(text, left, e, sentence_start, first) else e


def _unlisted_bracket_owner(text: str, left: Sequence[Entity], sentence_start: int, money_start: int) -> bool:
    """"..., the Zeta Group ($4 million) and ...": a list item whose capitalised name the
    gazetteer lacks owns its bracketed amount; no other giver of the sentence takes it."""
    opening = text.rfind("(", max(sentence_start, money_start - 3), money_start)
    if opening < 0 or _bracketed_name(text, left, money_start) is not None:
        return False
    name = _UNLISTED_ITEM_NAME.search(text, max(sentence_start, opening - 60), opening)
    return name is not None and _LIST_ITEM_BEFORE.search(text, max(sentence_start, name.start() - 90), name.start()) is not None


def _as_did(text: str, money_end: int, sentence_end: int, entities: Sequence[Entity], giver: Entity) -> tuple:
    """"The UAE pledged $500m, as did the Islamic Development Bank": the same amount from each."""
    m = _AS_DID.match(text, money_end, sentence_end)
    if m is None:
        return ()
    first = next((x for x in entities if x.start == m.end()), None)
    if first is None or not can_donate(first, text) or first.code == giver.code:
        return ()
    return tuple(x for x in _coordinated_right(text, entities, entities.index(first))
                 if can_donate(x, text) and x.code != giver.code)


def bracket_place(text: str, left: Sequence[Entity], sentence_start: int, money_start: int) -> Optional[Entity]:
    """The country right before the amount's bracket when it names the place of a part."""
    e = _bracketed_name(text, left, money_start)
    if e is None or e.kind != "country":
        return None
    first = _list_start(text, left, e)
    if _co_givers(text, sentence_start, first):
        return None
    if _RECIPIENT_LIST_OPENER.search(text, max(sentence_start, first - 40), first) \
            or _giver_before_list(text, left, e, sentence_start, first):
        return e
    return None


def choose_donors(text: str, sentence_start: int, money_start: int, money_end: int, sentence_end: int,
                  entities: Sequence[Entity], exclude_code: Optional[str],
                  left_start: Optional[int] = None, previous_donors: Sequence[Entity] = (),
                  right_end: Optional[int] = None) -> Optional[DonorChoice]:
    """Donor(s) of the amount at [money_start, money_end) from the entities of its sentence.

    left_start/previous_donors: where the text after the previous amount of the sentence
    starts and who owned that amount; with no new subject in between, the owner carries on
    ("X will give $1m for A, B and C, on top of the $2m it gave earlier").
    """
    left = [e for e in entities if e.end <= money_start]
    # A name after the next amount of the sentence belongs to that amount.
    right_end = sentence_end if right_end is None else right_end
    # 0. A relative clause naming its own subject: "the $500m that Egyptian President X announced".
    for e in entities:
        if e.start < money_end or e.start - money_end > 80:
            continue
        if _RELATIVE_SUBJECT_GAP.fullmatch(text, money_end, e.start) and can_donate(e, text) \
                and _RIGHT_SUBJECT.match(text, _NAME_TAIL.match(text, e.end).end(), sentence_end):
            return DonorChoice((e,), True)
        break
    # 0a. "$1 billion in guarantees from Japan", "a grant of $5m by Norway": the giver named
    # in the amount's own phrase, after it.
    own = _AMOUNT_FROM.match(text, money_end, sentence_end)
    if own is not None:
        for e in entities:
            if e.start == own.end() and e.start < right_end and can_donate(e, text) and e.code != exclude_code:
                return DonorChoice((e,), True)
            if e.start > own.end():
                break
    # 0b. "Korea ($80 million), Canada ($45 million)": the name right before the bracket owns
    # the amount, unless the list it stands in is one of places the money goes to.
    owner = bracket_owner(text, left, sentence_start, money_start)
    if owner is not None:
        return DonorChoice((owner,), True)
    if _unlisted_bracket_owner(text, left, sentence_start, money_start):
        return None
    # 0c. "..., led by Japan, which said it would give $50m": the name a relative clause hangs
    # on gives the clause's amount, whatever its own role in the sentence.
    for e in reversed(left):
        if _WHICH_CLAUSE.fullmatch(text, e.end, money_start) and cues.PLEDGE_TRIGGER.search(text, e.end, money_start):
            if can_donate(e, text) and e.code != exclude_code:
                return DonorChoice((e,), True)
            break
        if money_start - e.end > 100:
            break
    if previous_donors and left_start is not None and not any(
            e.start >= left_start and (e.kind == "company" or is_subject_like(text, e, sentence_start, entities))
            for e in left) and not _EACH_FROM.match(text, money_end, sentence_end):
        return DonorChoice(tuple(previous_donors), True)
    # 1. Gratitude: "thanks to Japan for ..." names the giver whatever its position.
    for e in reversed(left):
        if can_donate(e) and _is_gratitude_target(text, e):
            return DonorChoice((e,), True)
    # 2. "<amount> each from A and B"
    m = _EACH_FROM.match(text, money_end, sentence_end)
    if m:
        right = [e for e in entities if e.start >= m.end()]
        if right and right[0].start == m.end() and can_donate(right[0]):
            group = _coordinated_right(text, entities, entities.index(right[0]))
            return DonorChoice(tuple(x for x in group if can_donate(x)), True)
    # 3. Nearest subject-like entity on the left.
    for e in reversed(left):
        if e.kind == "company" and not _is_object(text, e, sentence_start):
            return DonorChoice((), True, blocked_by_company=True)
        if e.code == exclude_code or not is_subject_like(text, e, sentence_start, entities):
            continue
        if _is_bracketed(text, e) and _giver_before_list(text, left, e, sentence_start):
            continue        # a place in a bracketed list of parts, not their giver
        if _HOST_OF_OTHERS.match(text, e.end, money_start):
            continue        # "Saudi Arabia hosted the conference, where $2bn was pledged": the host
        if _RECEIVING_VERB.match(text, e.end):
            # "Egypt won approval from the IMF's board for a $12bn loan": the subject receives;
            # the giver is the one it got the money from.
            givers = [x for x in left if x.start > e.end and can_donate(x, text)
                      and re.search(r"\bfrom\s+(?:the\s+)?$", text[max(e.end, x.start - 12):x.start])]
            if givers:
                return DonorChoice((givers[0],), True, receiver=e if e.kind == "country" else None)
            return None     # "..., while Iraq will receive $1bn": who receives gives nothing, nor does a giver before it
        idx = entities.index(e)
        group = [x for x in _coordinated_left(text, entities, idx) if can_donate(x, text)]
        if _EACH_BEFORE_VERB.match(text, e.end, money_start) or _EACH_AFTER.match(text, money_end, sentence_end):
            return DonorChoice(tuple(group), True)
        if len(group) > 1 and (_COLLECTIVE.search(text, e.end, money_start)
                               or _COLLECTIVE.search(text[money_end:money_end + 40].split(",")[0])):
            return DonorChoice((), True, joint_sum=True)
        if len(group) > 1:
            # "JICA and Bangladesh signed ...": the agency or organisation is the giver.
            givers = [x for x in group if x.kind == "organisation" or x.via == "body"]
            if len(givers) == 1:
                return DonorChoice((givers[0],), True)
        also = _as_did(text, money_end, sentence_end, entities, e)
        return DonorChoice((e,) + also, True)
    # 4. A subject after the amount: "the $30 million the United States announced", "pledged by Japan".
    for e in entities:
        if e.start >= right_end or e.start > money_end and _NEW_CLAUSE.search(text, money_end, e.start):
            break           # "..., of which the Commission gives ...": another clause's subject
        if e.start < money_end or not can_donate(e, text) or e.code == exclude_code:
            continue
        before = text[max(money_end, e.start - 40): e.start]
        if _WITH_FRONT.fullmatch(text, sentence_start, money_start) and _PLEDGE_NOUN_COMMA.fullmatch(text, money_end, e.start):
            return DonorChoice((e,), True)      # "With a $4.3bn pledge, the United States keeps ..."
        if _RIGHT_SUBJECT.match(text, e.end, sentence_end) or _BY_OR_FROM.search(before) \
                or _PROGRAMME_OF.search(before):
            givers = [g for g in _coordinated_right(text, entities, entities.index(e), _COORDINATION) if can_donate(g, text)]
            if len(givers) > 1 and _BY_OR_FROM.search(before) and _SUM_BEFORE.search(text, max(sentence_start, money_start - 40), money_start):
                # "Combined, more than $1.2bn has been promised by Britain, the Netherlands and ...": their sum
                return DonorChoice((), True, joint_sum=True)
            return DonorChoice((e,), True)
    return None


def quote_speaker(text: str, money_end: int, entities: Sequence[Entity],
                  entity_starts: Sequence[int]) -> Optional[Entity]:
    """The speaker named after the quotation that contains the amount at *money_end*.

    Only when the amount is inside quotation marks of its paragraph; the speaker is the first
    donor-capable entity in the attribution clause after the closing mark.
    """
    para_start = text.rfind("\n", 0, money_end) + 1
    para_end = text.find("\n", money_end)
    para_end = len(text) if para_end < 0 else para_end
    before = text[para_start:money_end]
    if before.count('"') % 2 == 0 and before.count("“") <= before.count("”"):
        return None                        # not inside a quotation
    close = _QUOTE_CLOSE.search(text, money_end, para_end)
    if not close:
        return None
    clause_end = min(para_end, close.end() + 120)
    sentence_stop = re.search(r"[.!?](?:\s|$)", text[close.end():clause_end])
    if sentence_stop:
        clause_end = close.end() + sentence_stop.start()
    if not _SPEECH_VERB.search(text, close.end(), clause_end):
        return None
    from bisect import bisect_left
    for e in entities[bisect_left(entity_starts, close.end()):]:
        if e.start >= clause_end:
            break
        if can_donate(e, text):
            return e
    return None


def sentence_subject(text: str, sentence_start: int, entities: Sequence[Entity]) -> Optional[Entity]:
    """The first donor-capable entity of a sentence that is not an object: its likely subject."""
    for e in entities:
        if e.kind == "company" and not _is_object(text, e, sentence_start):
            return None
        if is_subject_like(text, e, sentence_start, entities):
            return e
    return None


@dataclass(frozen=True)
class RecipientChoice:
    entity: Optional[Entity]
    explicit: bool          # the text names the recipient (or names several: entity None)


def respectively_donors(text: str, sentence_start: int, monies, entities: Sequence[Entity]) -> dict[int, Entity]:
    """'A and B pledged $1m and $2m (respectively)': the i-th amount to the i-th donor, when the
    subject right before the list names as many donors as there are amounts."""
    left = [e for e in entities if e.end <= monies[0].start]
    for e in reversed(left):
        if not is_subject_like(text, e, sentence_start, entities):
            continue
        group = [g for g in _coordinated_left(text, entities, entities.index(e)) if can_donate(g, text)]
        if len(group) == len(monies) >= 2:
            return dict(enumerate(group))
        return {}
    return {}


_TO_LIST = re.compile(r"[^\S\n]*(?:\([^()\n]{0,40}\)[^\S\n]*)?(?:to|for)\s+(?:the\s+)?")
_RESPECTIVELY_AFTER = re.compile(r"[^\S\n]*,?[^\S\n]*respectively\b", re.IGNORECASE)


def respectively_places(text: str, last_money_end: int, count: int, entities: Sequence[Entity]) -> list[Entity]:
    """'$3m and $2m to Chad and Niger, respectively': the places, in order, when the list after
    the amounts names as many countries as there are amounts and says "respectively"."""
    m = _TO_LIST.match(text, last_money_end)
    if not m:
        return []
    first = next((i for i, e in enumerate(entities) if e.start == m.end() and e.kind == "country"), None)
    if first is None:
        return []
    group = _coordinated_right(text, entities, first, _PLACE_COORDINATION)
    if len(group) != count or not _RESPECTIVELY_AFTER.match(text, group[-1].end):
        return []
    return group


def each_recipients(text: str, money_end: int, window_end: int, entities: Sequence[Entity],
                    donor_codes: set[str]) -> list[Entity]:
    """"$5 million each to Tonga and Fiji": the places that each receive the amount."""
    m = _EACH_TO.match(text, money_end, window_end) or _TO_PLACES.match(text, money_end, window_end)
    if not m:
        return []
    first = next((e for e in entities if e.start == m.end() and e.kind == "country"), None)
    if first is None:
        return []
    group = [g for g in _coordinated_right(text, entities, entities.index(first), _PLACE_COORDINATION)
             if g.kind == "country" and g.code not in donor_codes]
    if m.re is _TO_PLACES and not (group and _EACH_AFTER.match(text, group[-1].end, window_end)):
        return []             # "to Turkey and Syria" without "each": one pledge for both
    return group if len({g.code for g in group}) > 1 else []


def choose_recipient(text: str, window_start: int, money_start: int, money_end: int, window_end: int,
                     entities: Sequence[Entity], donor_codes: set[str]) -> RecipientChoice:
    """The country the amount is for, read in the amount's clause."""
    place = bracket_place(text, [e for e in entities if e.end <= money_start], window_start, money_start)
    if place is not None and place.code not in donor_codes:
        return RecipientChoice(place, True)     # "$90 million: Chad ($40 million), ..."
    countries = [e for e in entities if e.kind == "country" and e.code not in donor_codes
                 and window_start <= e.start and e.end <= window_end]
    right = [e for e in countries if e.start >= money_end]
    left = [e for e in reversed(countries) if e.end <= money_start]
    for e in right + left:
        before = text[max(window_start, e.start - 30): e.start]
        if e.via == "demonym" and _DISPLACED.match(text, e.end):
            continue    # "Sudanese refugees in Chad": the host country receives the aid
        if text[e.end:e.end + 1] == "-":
            continue    # "a Czech-led initiative", "a Swiss-made system": not a place
        if _GIVING_PARTICIPLE.match(text, e.end):
            continue    # "..., with Saudi Arabia giving $500m": the giver of an absolute clause
        if _after_opening_phrase(text, e, window_start):
            continue    # "In the session Finland pledged $5m": the subject, not a place
        if _VENUE_BEFORE.search(text, max(window_start, e.start - 40), e.start):
            continue    # "at the conference held in Tunisia": where it was said, not who receives
        if _CO_GIVER_LIST_OPENER.search(before):
            continue    # "..., along with Germany ($62m)": another giver, not the receiver
        if e.via == "capital" and re.search(r"\b(?:in|at)\s+$", text[max(0, e.start - 4):e.start], re.IGNORECASE):
            continue    # "In Lisbon the same day, ...": where it happened, not who receives
        if _WIDER_THAN.match(text, e.end):
            return RecipientChoice(None, True)   # "the Syria crisis", "the Ukraine response"
        possessive_after = bool(_POSSESSIVE.match(text[e.end:e.end + 3]))
        if possessive_after and _AGGRESSION_AFTER.match(text, e.end + len(_POSSESSIVE.match(text[e.end:e.end + 3]).group(0))):
            continue    # "to end Russia's brutal invasion": the aggressor, not the recipient
        if not (cues.RECIPIENT_BEFORE.search(before) or cues.GIVE_VERB_BEFORE.search(before)
                or _PURPOSE_OF.search(before)
                or (possessive_after and re.search(r"(?:for|to|with)\s+(?:the\s+)?[^,;]{0,30}$", before))
                or (possessive_after and e.end <= money_start and re.search(r"\bof\s+$", before))):
            continue
        tail = text[e.end: min(window_end, e.end + 100)]
        idx = entities.index(e)
        group = [g for g in _coordinated_right(text, entities, idx, _PLACE_COORDINATION)
                 if g is e or (g.code not in donor_codes and not _starts_clause(text, g))]
        if len({g.code for g in group if g.kind == "country"}) > 1:
            return RecipientChoice(None, True)
        phrase = _PHRASE.match(tail).group(0)
        if _AND_SEVERAL.match(phrase):
            return RecipientChoice(None, True)
        # "for Syrians displaced inside Syria and in Jordan, Lebanon and Turkey": more places in
        # the same recipient phrase (not a new clause's subject) make it several.
        phrase_end = e.end + len(phrase)
        if any(o.kind == "country" and o.code != e.code and o.code not in donor_codes
               and e.end < o.start < phrase_end and not _starts_clause(text, o)
               and _LISTED_BEFORE.search(text, max(e.end, o.start - 30), o.start) for o in countries):
            return RecipientChoice(None, True)
        return RecipientChoice(e, True)
    if _SEVERAL_PHRASE.match(text, money_end, window_end) or _REGION_WIDE.search(text, money_end, window_end) \
            or _NAMED_FUND_AFTER.match(text, money_end, window_end):
        return RecipientChoice(None, True)
    return RecipientChoice(None, False)
