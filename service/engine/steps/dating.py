"""The day of a pledge, from the dates layer (stages.dates: no page stamps, no events' days).

    own-clause-day      the day in the amount's own clause (after it, else before it, else the
                        nearest in the sentence); earlier money keeps a day only when its own
                        clause states one
    earlier-day         a "new" amount dated two or more days before the article's news, in a
                        sentence that promises nothing, is an earlier pledge
    tweet-day           the day of a quoted tweet's signature line
    same-day            "the same day", "later that day": the day named last before it
    news-day            an undated new pledge near the news's first day takes that day (all of
                        them when the day stands in the lead: stages.event_reach), and every
                        undated row of a pledge list or table
    no-day              earlier money, or a running total "to date", with no day of its own

Corpus: tests/engine/corpora/dates.yaml.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date
from operator import attrgetter
from typing import Optional

from .. import triggers
from ..dates import DateMention
from .context import AmountContext, SentenceContext
from .rules import Rule

OWN_CLAUSE_DAY = Rule("own-clause-day", "a day in the amount's clause or sentence", "that day")
EARLIER_DAY = Rule("earlier-day", "a stated day two or more days before the news, no promise", "previously_announced")
TWEET_DAY = Rule("tweet-day", "a quoted tweet's signature line", "its day")
SAME_DAY = Rule("same-day", "'the same day', 'later that day'", "the day named before")
NEWS_DAY = Rule("news-day", "an undated new pledge within reach of the news's day", "the news's day")

# How many days before the article's news a stated day makes a "new" amount an earlier pledge.
_EARLIER_DAYS = 2
# A promise still to be kept ("said on March 5 it would send ...") is new whenever it was made.
_PROMISE = re.compile(r"\b(?:will|would|is to|are to|plans? to|intends? to)\b", re.IGNORECASE)
# "In Lisbon the same day, ...": the day of the sentence before.
_SAME_DAY = re.compile(r"\b(?:(?:on\s+)?the same day|that day|later that day|the following day|a day later|the next day)\b",
                       re.IGNORECASE)


def day_of(sc: SentenceContext, a: AmountContext, status: str) -> tuple[Optional[date], Optional[date], str, tuple[str, ...]]:
    """(the day its own words state, the day it gets, its status, the rules that fired)."""
    doc, m, left, right = sc.doc, a.money, a.left, a.right
    fired: list[Rule] = []
    if status == "previously_announced":
        # Earlier money keeps a day only when its own clause states one.
        owned_end = a.end + len(triggers.clause_of(right).split(",")[0])
        clause_start = m.start - len(triggers.status_clause(left))
        dates = sc.dates
        own = nearest(dates[bisect_left(dates, clause_start, key=_start):bisect_left(dates, owned_end, key=_start)], m.start)
        if own is not None:
            fired.append(OWN_CLAUSE_DAY)
    else:
        own = own_clause_date(sc.dates, m.start, a.end, a.end + len(triggers.clause_of(right)),
                              triggers.status_clause(left))
        if own is not None:
            fired.append(OWN_CLAUSE_DAY)
        event_date = doc.event_date
        if own is not None and event_date is not None and status == "new" \
                and (event_date - own).days >= _EARLIER_DAYS and not sc.has(_PROMISE):
            # Money announced on a day written well before the article's news ("approved
            # on April 30" in a May 22 story) is an earlier pledge.
            status = "previously_announced"
            fired.append(EARLIER_DAY)
        if own is None and sc.signature_date is not None:
            own = sc.signature_date
            fired.append(TWEET_DAY)
        if own is None and sc.has(_SAME_DAY):
            earlier = doc.dates.within(0, sc.s.start)
            own = earlier[-1].value if earlier else None
            if own is not None:
                fired.append(SAME_DAY)
    if own is not None:
        day = own
    elif status == "previously_announced":
        day = None
    elif status == "total" and (triggers.relative_total(left) or triggers.unstated_total(left, sc.s.text)):
        day = None
    else:
        reach = doc.event_reach
        # The rows of a pledge list or table below the news report that news, however long.
        day = doc.event_date if reach is None or sc.s.index <= reach or sc.in_row else None
        if day is not None:
            fired.append(NEWS_DAY)
    return own, day, status, tuple(r.name for r in fired)


def own_clause_date(sentence_dates: list[DateMention], start: int, end: int, right_end: int,
                    left_clause: str) -> Optional[date]:
    """The day in the amount's own clause: after it (up to the next amount or a new
    clause), else in the clause before it, else the nearest in the sentence. The sentence's
    dates are in text order (a slice of the dates layer), so each is found by bisection: a
    sentence listing thousands of dated pledges is no quadratic scan."""
    after = bisect_left(sentence_dates, end, key=_start)
    if after < len(sentence_dates) and sentence_dates[after].start < right_end:
        return sentence_dates[after].value
    before = bisect_left(sentence_dates, start, key=_start) - 1
    if before >= 0 and sentence_dates[before].start >= start - len(left_clause):
        return sentence_dates[before].value
    return nearest(sentence_dates, start)


def nearest(sentence_dates: list[DateMention], position: int) -> Optional[date]:
    """The day nearest to *position* (the earlier one on a tie, as a scan in text order finds
    it) among dates in text order."""
    if not sentence_dates:
        return None
    i = bisect_left(sentence_dates, position, key=_start)
    if i == len(sentence_dates):
        i -= 1
    elif i > 0 and position - sentence_dates[i - 1].start <= sentence_dates[i].start - position:
        i -= 1
    if i > 0 and sentence_dates[i - 1].start == sentence_dates[i].start:
        i = bisect_left(sentence_dates, sentence_dates[i].start, 0, i, key=_start)
    return sentence_dates[i].value


_start = attrgetter("start")
