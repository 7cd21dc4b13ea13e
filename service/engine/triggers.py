"""Trigger stage: is an amount a pledge, and is it new, earlier money or a running total?

Works on the clause around one amount: the *left scope* (text between the previous amount
of the sentence, or the sentence start, and this amount) and the *right scope* (text after
the amount up to the next amount, clause break or sentence end).
"""
from __future__ import annotations

from typing import Optional

import re
from dataclasses import dataclass

from . import cues

# A right scope that opens with a preposition belongs to the next amount ("$100 million to
# the already approved aid of $100 million"); one that opens a relative clause ("that
# Congress had already approved", "it had already announced") describes this amount.
_RIGHT_SCOPE_OWNED = re.compile(r"^(?![\s,]*(?:to|for|into|towards?|on top of|over|with|from|and)\b)", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|as|plus|where|when|after|since|because)\b|\s(?:and|but|plus)\s|,\s+(?=[a-z]+ing\b)|\s+which\b|\s+after\b")
_LEFT_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|plus)\s|\s+but\s")
# Status words belong to the clause of the amount: the text after the last comma or
# coordinating word before it ("..., on top of the $10m already committed, is made up of $4m").
_STATUS_CLAUSE_BREAK = re.compile(r"[,;:]|\s(?:and|but|plus|while)\s")
# "X said on Monday it had earmarked $20m": backshifted reported speech, a new announcement.
_REPORTED = re.compile(r"\b(?:said|says|announced|told|stated|confirmed|added)\b", re.IGNORECASE)
_TO_LEVEL = re.compile(r"\bto\s+(?:about\s+|more than\s+|nearly\s+|almost\s+|around\s+|over\s+|some\s+|roughly\s+)?$", re.IGNORECASE)
_RAISE_VERB = re.compile(r"\b(?:bring|brings|brought|bringing|rais(?:e|es|ed|ing)|tak(?:e|es|ing)|took|lift(?:s|ed|ing)?|push(?:es|ed|ing)?)\b[^.;]{0,160}$", re.IGNORECASE)
# "the £5 million it announced on Sunday": a relative clause telling an earlier announcement.
_ANNOUNCED_BEFORE = re.compile(r"\s*(?:that\s+|which\s+)?(?:it|they|he|she|the\s+\w+|Qq*|[A-Z][\w.]*)\s+(?:had\s+)?"
                               r"(?:announced|pledged|committed|promised|approved|gave|provided|allocated|earmarked|sent|donated)\b")
_MATCHING = re.compile(r"\bmatch(?:es|ed|ing)?\s+(?:the\s+)?(?:donations|contributions|funds|money|gifts)\b", re.IGNORECASE)
# "pledged a total of $500m", "a total contribution of 60 million euro": the size of one pledge.
_A_TOTAL_OF = re.compile(r"\ba total (?:(?:contribution|pledge|package|commitment|amount|sum|grant|donation)s?\s+)?of\s*$", re.IGNORECASE)
_RELATIVE_ASIDE = re.compile(r"\b(?:that|which|who|whose)\b[^,;]*(?=,\s+(?:said|says|announced|told|pledged|promised|added|confirmed)\b)",
                             re.IGNORECASE)
_SINCE_PHRASE = re.compile(r"\bsince\b[^,;]{0,40}", re.IGNORECASE)
_PERFECT = re.compile(r"\b(?:has|have|had)\b", re.IGNORECASE)
_PAST_PERFECT = re.compile(r"\bhad\s+(?:been\s+|already\s+|earlier\s+|previously\s+)*\w+(?:ed|en|t)\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"""
    ^[\s,;:]*(?:\([^()]{0,80}\)\s*)?[\s,;:]*                     # an aside in brackets
    (?:including|of\ which|and|plus|as\ well\ as|or|with)\s+       # the joint
    (?:(?:nearly|about|almost|some|around|roughly|over|more\ than|another|an\ additional|a\ further)\s+)?
    (?:the\s+)?$
    """, re.IGNORECASE | re.VERBOSE)
_RELATIVE_TOTAL = re.compile(r"\b(?:which|who|that)\s+(?:has|have|had)\b", re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:will|would|to be|plans? to|is to|are to)\b", re.IGNORECASE)
_LEFT_NEGATIVE_REACH = 70
_DISBURSEMENT = re.compile(r"disburs", re.IGNORECASE)
# "started the fundraising by pledging €1bn": the giver's own pledge comes after the cue.
_BY_GIVING = re.compile(r"\bby\s+(?:pledging|giving|committing|donating|providing|announcing|contributing|offering)\b",
                        re.IGNORECASE)
# "its largest package to date - $1.23bn", "the biggest so far": a record, not a running total.
_SUPERLATIVE_TO_DATE = re.compile(r"\b(?:largest|biggest|greatest|highest|most generous|first|single largest)\b[^,;]{0,60}?\b(?:to date|so far|yet|ever)\b",
                                  re.IGNORECASE)
# "Since the previous meeting in June, the US has pledged over $4 billion": a fronted "since".
_FRONTED_SINCE = re.compile(r"\s*[\"'“‘(]*(?:\w+\s+){0,3}?since\b[^,;]{0,80},", re.IGNORECASE)
# "has contributed $4.24 billion to date": the adverbial right after the amount (and its object).
_TOTAL_RIGHT_AFTER = re.compile(r"(?:\s+(?:in|of|for|to)\s+(?:[\w'’-]+\s+){0,4}?)?\s*(?:to date|so far|thus far|in total|overall|altogether|cumulatively)\b",
                                re.IGNORECASE)
# "To date, Britain has provided £4.6bn": a fronted running-total adverbial before the comma.
_FRONTED_TOTAL = re.compile(r"\s*[\"'“‘(]*(?:to date|so far|thus far|cumulatively|in total|overall|altogether|all told|in all)\s*,", re.IGNORECASE)


@dataclass(frozen=True)
class Scopes:
    left: str            # sentence text from the previous amount (or sentence start) to this amount
    right: str           # text after this amount to the next amount (or sentence end)
    right_owned: str     # the part of `right` that describes this amount (relative clause), or ""
    after: str = ""      # the text right after the amount, whatever follows (up to ~60 characters)
    first: bool = True   # the first amount of its sentence (so `left` starts at the sentence start)


# "$2bn that Congress had approved", "€7.5bn the Commission had recommended freezing".
_RELATIVE_CLAUSE = re.compile(r"\s*(?:that|which|it|they|the\s+[\w.]+|[A-Z][\w.]*)(?:\s+[\w.]+){0,3}?\s+(?:had|has|have|was|were|is|are|would|will)\b")


def scopes(left: str, right: str, after: str = "", first: bool = True) -> Scopes:
    owned = ""
    if _RIGHT_SCOPE_OWNED.match(right):
        cut = _CLAUSE_BREAK.search(right)
        owned = right[: cut.start()] if cut else right
        # A relative clause that starts later belongs to a later noun ("... at a conference
        # that raised far less than it had sought").
        if not re.match(r"\s*(?:that|which|in\s+(?:[\w-]+\s+){0,3}(?:that|which))\b", owned):
            later = re.search(r"\s(?:that|which|who)\s", owned)
            if later:
                owned = owned[: later.start()]
        owned = owned.split(",")[0]      # "..., on top of the $30m": the next amount's words
    return Scopes(left, right, owned, after or right, first)


def is_continuation(left: str) -> bool:
    """True when the amount continues a list opened by the previous amount ("..., including $4m")."""
    return bool(_CONTINUATION.match(left)) and not cues.PLEDGE_TRIGGER.search(left.replace("including", ""))


def negative_reason(sc: Scopes) -> str | None:
    """Why this amount is not a pledge (a request, a loss, an asset...), or None."""
    near_left = sc.left[-_LEFT_NEGATIVE_REACH:]
    cut = None
    for cut in _LEFT_CLAUSE_BREAK.finditer(near_left):
        pass
    if cut is not None:
        near_left = near_left[cut.end():]
    m = cues.AGGREGATE_BEFORE.search(near_left)
    if m and not _MATCHING.search(sc.left):     # "will match donations to the appeal, up to C$10m"
        return m.group(0)
    # Other cues only in the amount's own clause: "After talks on aid, Egypt pledged $10m".
    own_clause = comma_clause(near_left)
    m = cues.NOT_PLEDGE_BEFORE.search(own_clause)
    if m and not (_DISBURSEMENT.match(m.group(0)) and cues.EMERGENCY_INSTRUMENTS.search(clause_of(sc.right))) \
            and not _BY_GIVING.search(own_clause, m.end()):
        return m.group(0)
    m = cues.NOT_PLEDGE_RIGHT.search(clause_of(sc.right))
    if m:
        return m.group(0)
    m = cues.NOT_PLEDGE_AFTER.match(sc.after)
    if m:
        return m.group(0).strip()
    if sc.right_owned and _RELATIVE_CLAUSE.match(sc.right_owned):
        m = cues.NOT_PLEDGE_BEFORE.search(sc.right_owned)
        if m:
            return m.group(0)
    return None


def has_trigger(sentence_text: str) -> bool:
    return bool(cues.PLEDGE_TRIGGER.search(sentence_text))


def status_of(sc: Scopes, increase_from: bool) -> str:
    """new | previously_announced | total for one amount."""
    if increase_from:                       # "doubling its contribution to X from <this>"
        return "previously_announced"
    left_clause = status_clause(sc.left)
    own = left_clause + " " + sc.right_owned
    # Fronted time adverbials ("In December, JICA signed ...") date the whole clause.
    fronted = sc.left if sc.first else left_clause
    if cues.PREVIOUS.search(own) or _ANNOUNCED_BEFORE.match(sc.right_owned):
        return "previously_announced"
    increment = cues.INCREMENT.search(left_clause[-40:])
    phrase = comma_clause(sc.left)
    # "pledged a total of $500m" sizes one new pledge; "bringing its total to", "so far" do not.
    if not increment and (cues.TOTAL.search(_SUPERLATIVE_TO_DATE.sub(" ", _A_TOTAL_OF.sub(" ", phrase)))
                          or cues.TOTAL_AFTER.search(sc.right_owned)
                          or (sc.first and _FRONTED_TOTAL.match(sc.left))
                          or (_PERFECT.search(left_clause) and _TOTAL_RIGHT_AFTER.match(sc.right))):
        return "total"   # ... "has contributed $4.24bn to date"
    # "brought Latvia's payments into the fund, which ..., to €5.5m": "<raise verb> ... to" the amount.
    if _TO_LEVEL.search(sc.left) and _RAISE_VERB.search(sc.left):
        return "total"
    # "has committed £30m ... since the attack": a perfect tense plus "since" is a running total.
    if not increment and _PERFECT.search(left_clause) and (cues.SINCE.search(own) or cues.SINCE.search(clause_of(sc.right))
                                                           or cues.SINCE.search(sc.right)
                                                           or (sc.first and _FRONTED_SINCE.match(sc.left))):
        return "total"
    # A time before the news ("last month", "in March") — not inside a "since ..." phrase and
    # not the time of a promise still to be kept ("will provide $10m in December").
    # (relative clauses about other nouns carry their own times: "Sweden, one of the donors that
    # paused payments in January, said on Saturday it would give ...")
    timed = _SINCE_PHRASE.sub(" ", _RELATIVE_ASIDE.sub(" ", fronted) + " " + _own_words(clause_of(sc.right)))
    earlier = cues.EARLIER_TIME.search(timed)
    if earlier:
        future = _FUTURE.search(timed)
        if not future or future.start() > earlier.start():
            return "previously_announced"
    perfect = _PAST_PERFECT.search(own)
    if perfect and not _REPORTED.search(own[:perfect.start()]):
        return "previously_announced"
    return "new"


def _own_words(right_clause: str) -> str:
    """The right clause without a relative clause about a later noun ("a Congress that takes
    office in January")."""
    if re.match(r"\s*(?:that|which)\b", right_clause):
        return right_clause
    later = re.search(r"\s(?:that|which|who)\s", right_clause)
    return right_clause[: later.start()] if later else right_clause


def clause_of(right: str) -> str:
    """The right scope up to its first clause break, whatever word opens it."""
    cut = _CLAUSE_BREAK.search(right)
    return right[: cut.start()] if cut else right


def comma_clause(left: str) -> str:
    """The left scope after its last comma or semicolon ("and" does not cut it)."""
    cut = max(left.rfind(","), left.rfind(";"))
    return left[cut + 1:]


def status_clause(left: str) -> str:
    """The part of the left scope in the amount's own clause."""
    cut = None
    for cut in _STATUS_CLAUSE_BREAK.finditer(left):
        pass
    return left[cut.end():] if cut is not None else left


def is_increase_target(left: str) -> bool:
    """True for X in "increase/double its aid ... to X" (a new level, so a total)."""
    return bool(cues.INCREASE_TO_FROM.search(left[-120:]))


_PLEDGE_LEVEL = cues.alternation(cues.CUES["pledge_level_nouns"])
_FROM_LEVEL = re.compile(r"[\s,]*(?:\([^()]{0,80}\)[\s,]*)?from\b", re.IGNORECASE)
_TOTAL_WORD = re.compile(r"\b(?:total|overall|cumulative|so far|to date)\b", re.IGNORECASE)


def raises_a_pledge(left: str, right: str) -> bool:
    """True for X in "doubled its contribution to the fund to X": the increase sets the size
    of one new pledge (a replenishment), not a running total of aid. With the level it rose
    from ("to X from Y"), X is Y plus the new money: a running total."""
    if _FROM_LEVEL.match(right):
        return False
    m = cues.INCREASE_TO_FROM.search(left[-120:])
    return bool(m and _PLEDGE_LEVEL.search(m.group()) and not _TOTAL_WORD.search(m.group()))


def is_increase_origin(left: str, previous_was_target: bool) -> bool:
    """True for Y in "... to X from Y": the earlier level."""
    return previous_was_target and bool(re.fullmatch(
        r"[\s,]*(?:\([^()]{0,80}\))?[\s,]*from\s+(?:an?\s+|the\s+|its\s+)?(?:initial\s+|earlier\s+|previous\s+|original\s+)?",
        left, re.IGNORECASE))


def unstated_total(left: str, sentence: str) -> bool:
    """'Germany has given more than €400m since 2022': a running total in the present perfect
    that nobody is reported stating that day has no date."""
    return bool(re.search(r"\b(?:has|have)\s+(?:now\s+|so far\s+|already\s+)?\w+(?:ed|en)\b", status_clause(left))) \
        and not _REPORTED.search(sentence)


def relative_total(left: str) -> bool:
    """'Britain, which has committed £30m since...': a background total with no statement day."""
    return bool(_RELATIVE_TOTAL.search(left[-80:]))


def is_parent_of_tranche(left: str, right: str) -> bool:
    """'disbursed 20 million of its 50 million pledge': the second amount is the earlier pledge."""
    return bool(_TRANCHE_OF.search(left)) and bool(_EARLIER_MONEY_NOUN.match(right))


# "... 20 million of its", "part of the previously announced": the tranche's words before the parent.
_TRANCHE_OF = re.compile(r"""
    ^\s*of\s+$                                                      # "20 million of 50 million"
    |\bof\s+(?:its|their|his|her|the)\s+$                           # "of its"
    |\bof\s+(?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*['’]s\s+$             # "of Kenya's"
    |\b(?:applied|drawn|taken)\s+(?:from|out\ of)\s+(?:its|their|the|an?)\s+$   # "applied from its"
    |\b(?:part|tranche|instal?ment|share|portion|payment|disbursement)\s+of\s+
      (?:its|their|his|her|the|an?)\s+
      (?:(?:previously|already|earlier|originally)\s+(?:announced|pledged|approved|agreed)\s+)?$
    """, re.VERBOSE)
_EARLIER_MONEY_NOUN = re.compile(r"\s*(?:[\w-]+\s+){0,2}?(?:pledge|commitment|package|programme|program|loan|grant|facility)\b")


def instrument_of(text: str, anchor: Optional[int] = None) -> str:
    """The instrument the text states. With *anchor* (the amount's offset in *text*), the cue
    nearest the amount wins ("a $1.1 billion loan ..., financed by guarantees from Japan" is a
    loan); without it, or on a tie, the first in the data file's order."""
    if anchor is None:
        for name, pattern in cues.INSTRUMENTS:
            if pattern.search(text):
                return name
        return "unspecified"
    best = None
    for rank, (name, pattern) in enumerate(cues.INSTRUMENTS):
        for m in pattern.finditer(text):
            distance = m.start() - anchor if m.start() >= anchor else anchor - m.end()
            if best is None or (distance, rank) < best[:2]:
                best = (distance, rank, name)
    return best[2] if best else "unspecified"
