"""Lists inside a sentence: amounts that pair with a list of givers or places.

Lists of lines (bullets, tables, digests) are layout.py's; this module reads the lists that run
inside one sentence:

    gapped amounts     "Germany will give €427.5 million, Britain 327.6 million": a bare number
                       after a giver takes the list's currency (a stage: it adds amounts)
    respectively       "A and B gave $1m and $2m (respectively)": the i-th giver of the i-th amount
    places             "$3m and $2m to Chad and Niger, respectively"; "give Chad $40m, Niger $20m"
    receiving places   "Tunisia is set to get €600m, Jordan €200m": places told what they get

Corpus: tests/engine/corpora/attribution.yaml and layout.yaml.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional

from . import attribution
from .document import amount_end
from .numbers import parse_digits, scale_multiplier
from .types import Entity, Money, Sentence

_BARE_SCALED = re.compile(r"""
    (?<=\s)(?P<n>\d{1,3}(?:[.,]\d{1,3})?)\s+(?P<scale>million|billion|bn|mn|trillion)\b
    (?!\s+(?:of\s+)?                          # a count of something else, not money
      (?:euros?|dollars?|pounds?|yen|francs?|crowns?|kroner           # (a written currency is money.py's)
        |people|persons|tonnes|tons|doses|refugees|children|residents|litres|liters|barrels
        |households|families|hectares|acres|square|km|kilometres|miles|years)\b)
    """, re.VERBOSE)
_SENTENCE_STOP = re.compile(r"[.!?;](?:\s|$)")
# "..., and 500 million from the EIB": a giver after the bare amount.
FROM_A_NAME = re.compile(r"[^\S\n]+(?:from|by)[^\S\n]+(?:the[^\S\n]+)?[A-Z]")
# The joint between two amounts of one list: ", ", ", and ", " and ", " as well as ".
AMOUNT_LIST_JOINT = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|as well as\s+)")
# A recipient told what it will get: "North Macedonia is set to get EUR 160 million".
WILL_RECEIVE = re.compile(r"""
    \b(?:(?:is|are)\s+(?:set|due|expected|slated|to)\s+(?:to\s+)?(?:get|receive)
       |will\s+(?:get|receive)
       |would\s+(?:get|receive))\b
    """, re.IGNORECASE | re.VERBOSE)
FROM_A_GIVER = re.compile(r"\b(?:from|by)\s+(?:the\s+)?[A-Z]")


def gapped_amounts(text: str, monies: list[Money], entities: list[Entity]) -> list[Money]:
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
                and not FROM_A_NAME.match(text, m.end()):
            continue
        value = parse_digits(m.group("n")) * scale_multiplier(m.group("scale"))
        if value == value.to_integral_value():
            value = value.to_integral_value()
        extra.append(Money(m.start("n"), m.end(), text[m.start("n"):m.end()], value=value,
                           currency=before.currency, currency_assumed=True))
    return sorted(monies + extra, key=lambda x: x.start) if extra else monies


def amount_runs(text: str, s_monies: list[Money]) -> list[list[int]]:
    """Runs (two or more) of a sentence's amounts joined by commas or "and": "$1m, $2m and $3m"."""
    runs, k = [], 0
    while k < len(s_monies) - 1:
        run = [k]
        while run[-1] + 1 < len(s_monies) and AMOUNT_LIST_JOINT.fullmatch(
                text, amount_end(text, s_monies[run[-1]]), s_monies[run[-1] + 1].start):
            run.append(run[-1] + 1)
        if len(run) >= 2:
            runs.append(run)
        k = run[-1] + 1
    return runs


def respective_donors(text: str, s: Sentence, s_monies: list[Money], s_entities: list[Entity]) -> dict[int, Entity]:
    """'A and B gave $1m and $2m (respectively)': a list of amounts pairs with a list of donors
    of the same length (with "respectively", or when the amounts are simply joined by "and")."""
    out: dict[int, Entity] = {}
    for run in amount_runs(text, s_monies):
        pairs = attribution.respectively_donors(text, s.start, [s_monies[i] for i in run], s_entities)
        out.update({run[j]: donor for j, donor in pairs.items()})
    return out


def respective_places(text: str, s_monies: list[Money], s_entities: list[Entity]) -> dict[int, Entity]:
    """Amount index -> its place, for a run of amounts followed by "to A and B, respectively"."""
    out: dict[int, Entity] = {}
    for run in amount_runs(text, s_monies):
        places = attribution.respectively_places(text, amount_end(text, s_monies[run[-1]]), len(run), s_entities)
        out.update({i: place for i, place in zip(run, places)})
    return out


def receiver_of(near: list[Entity], left_start: int, money_start: int) -> Optional[Entity]:
    """The country named in the amount's own item, before it: "Albania EUR 180 million"."""
    for e in reversed(near):
        if e.end <= money_start and e.start >= left_start and e.kind == "country":
            return e
    return None


def receiver_right_before(text: str, near: list[Entity], left_start: int, money_start: int) -> Optional[Entity]:
    """The country named right before the amount, with nothing but a space between."""
    for e in reversed(near):
        if e.end <= money_start:
            ok = e.start >= left_start and e.kind == "country" and not text[e.end:money_start].strip()
            return e if ok else None
    return None


def gap_start(near: list[Entity], left_start: int, money_start: int) -> int:
    """Where the name before the amount starts (the list joint ends there)."""
    for e in reversed(near):
        if e.end <= money_start:
            return max(e.start, left_start)
    return left_start
