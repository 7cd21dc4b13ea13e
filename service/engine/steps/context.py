"""What the steps read: one sentence with money, one amount in its clause, the candidates.

For each sentence with money a SentenceContext holds what all its amounts share; for each
amount an AmountContext holds its clause: the *left scope* (text between the previous amount of
the sentence, or the sentence start, and this amount) and the *right scope* (up to the next
amount or the sentence end), both read on the name-blanked text (doc.plain_text).  `Previous`
is what the sentence carries from one amount to the next ("$5m for A, and $2m for B": the
second inherits the first's donor; more money in the clause of a rejected sum is rejected).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Optional

from .. import attribution, cues, lists, triggers
from ..document import Document
from ..types import Entity, Money, Sentence

# A subordinate clause after the amount speaks of something else ("..., as Kyiv pressed for weapons").
_SUBORDINATE = re.compile(r",\s+(?:as|while|where|when|after|but|although|though|whereas|because|amid|even as)\b|;")
# A sentence with more names than this reads, for each amount, only those within NAME_REACH of it,
# so a run-on sentence of a thousand amounts costs a thousand small reads, not a million.
_FEW_NAMES = 24
_FROM_GIVER = re.compile(r"[^\S\n]+(?:each[^\S\n]+)?from[^\S\n]+(?:the[^\S\n]+)?")
_NAME_REACH = 400


def clause_end(text: str, start: int, end: int) -> int:
    """Where the amount's clause ends: before a subordinate clause, else at *end*."""
    m = _SUBORDINATE.search(text, start, end)
    return m.start() if m else end


@dataclass
class Candidate:
    """One donor's reading of one amount, before repeats are merged into a Pledge."""
    donor: Entity
    money: Money
    status: str
    category: str
    instrument: str
    own_date: Optional[date]      # a day its own clause states
    date: Optional[date]          # the day it gets (own, else the article's news day, else none)
    recipient: Optional[Entity]
    recipient_explicit: bool
    sentence: Sentence
    donor_explicit: bool
    verb: bool
    part: bool = False            # a share of a package named before ("Of the total, $4m ...")
    foreign_named: bool = True    # its sentence names a place or organisation besides the donor
    in_row: bool = False          # read from a list item or table row
    crowded: bool = False         # three or more amounts in its sentence
    rules: tuple = ()             # names of the rules that decided it (internal trace)


@dataclass(frozen=True)
class Previous:
    """The previous amount of the sentence, as the next amount sees it."""
    accepted: bool
    donors: tuple = ()
    status: Optional[str] = None
    increase_target: bool = False     # "increase its aid ... to <that amount>"


class SentenceContext:
    """What the steps know about one sentence with money."""

    def __init__(self, doc: Document, s: Sentence, monies: list[Money], previous_span: Optional[tuple[int, int]]):
        text, plain = doc.text, doc.plain_text
        self.doc, self.s, self.monies, self.previous_span = doc, s, monies, previous_span
        self.entities = doc.entities_of(s)
        self.entity_starts = [e.start for e in self.entities]
        self.dates = doc.dates.within(s.start, s.end)
        # A row of a pledge list or table is committed by its heading.
        self.row = doc.layout.row_at(s.start)
        self.in_row = self.row is not None
        self.crowded = len(monies) >= 3
        self.pledge_verb = bool(cues.PLEDGE_VERB.search(s.text))
        self.signature_date = doc.signatures.get(text.rfind("\n", 0, s.start) + 1)
        self.starts_anaphoric = bool(cues.ANAPHORA.match(s.text))
        self.respective = lists.respective_donors(text, s, monies, self.entities)
        self.places_of = lists.respective_places(text, monies, self.entities)
        self.conditional = bool(cues.NOT_PLEDGE_SENTENCE.search(plain, s.start, s.end))
        self.named_codes = {e.code for e in self.entities if e.kind != "company"}
        # Places that receive what the donor named before gives: rows under an allocating heading,
        # or a sentence "X is set to get $Y, Z $W" with no giver of its own.
        self.receiving = self.last_subject is not None and (
            (self.row is not None and self.row.receives)
            or (self.row is None and bool(lists.WILL_RECEIVE.search(plain, s.start, s.end))
                and not lists.FROM_A_GIVER.search(s.text)))
        self.triggered = triggers.has_trigger(plain[s.start:s.end]) or self.in_row or self.receiving
        self.double_object: Optional[Entity] = None   # "give Chad $40m, ...": the first amount's place
        self._flags: dict = {}

    def has(self, pattern: re.Pattern) -> bool:
        """Whether the sentence has *pattern*, read once per sentence however many amounts ask."""
        if pattern not in self._flags:
            self._flags[pattern] = bool(pattern.search(self.s.text))
        return self._flags[pattern]

    def near(self, start: int, end: int) -> list[Entity]:
        """The names of the sentence that can own or receive an amount at [start, end)."""
        if len(self.entities) <= _FEW_NAMES:
            return self.entities
        starts = self.entity_starts
        return self.entities[bisect_left(starts, start - _NAME_REACH):bisect_left(starts, end + _NAME_REACH)]

    @cached_property
    def last_subject(self) -> Optional[Entity]:
        """The subject of the nearest earlier sentence that has one; the rows of an allocation
        list name recipients, not subjects, and are passed over."""
        return self.last_subject_except(None)

    def last_subject_except(self, code: Optional[str]) -> Optional[Entity]:
        """last_subject, passing over names with *code* (the article's recipient)."""
        doc = self.doc
        for s in reversed(doc.sentences[:self.s.index]):
            row = doc.layout.row_at(s.start)
            if row is not None and row.receives:
                continue
            names = [e for e in doc.entities_of(s) if e.code != code] if code else doc.entities_of(s)
            subject = attribution.sentence_subject(doc.text, s.start, names)
            if subject is not None:
                return subject
        return None


class AmountContext:
    """One amount of a sentence in its clause."""

    def __init__(self, sc: SentenceContext, k: int):
        doc, s, monies = sc.doc, sc.s, sc.monies
        m = monies[k]
        self.sc, self.k, self.money = sc, k, m
        self.left_start = doc.amount_end(monies[k - 1]) if k else s.start
        self.right_end = monies[k + 1].start if k + 1 < len(monies) else s.end
        self.end = end = doc.amount_end(m)
        self.near = sc.near(m.start, end)
        self.owner = attribution.bracket_owner(doc.text, [e for e in self.near if e.end <= m.start], s.start, m.start)
        # "..., as Germany (EUR 50m), Sweden (SEK 185m) ...": a bracketed item's own clause
        # starts at its giver's name; what came before it describes the list, not the item.
        left_from = max(self.left_start, self.owner.start) if self.owner is not None else self.left_start
        self.left = doc.plain_text[left_from:m.start]
        self.right = doc.plain_text[end:self.right_end]
        self.scopes = triggers.scopes(self.left, self.right, doc.plain_text[end:end + 60], first=(k == 0))
        self.continuation = k > 0 and triggers.is_continuation(self.left)
        self.increase_target = triggers.is_increase_target(self.left)

    @cached_property
    def given_from(self) -> bool:
        """"$1.2 billion from the Gates Foundation" in a sentence about raising or giving funds."""
        sc, text = self.sc, self.sc.doc.text
        gap = _FROM_GIVER.match(text, self.end)
        return bool(gap and sc.has(cues.FROM_GIVER_CONTEXT) and any(
            e.start == gap.end() and attribution.can_donate(e, text) for e in self.near))

    @cached_property
    def clause_end(self) -> int:
        """End of the amount's clause (before a subordinate clause after it)."""
        return clause_end(self.sc.doc.text, self.end, self.right_end)

    def recipient_in_clause(self, exclude: set) -> attribution.RecipientChoice:
        """The place the amount's clause names as its recipient, none of *exclude*."""
        return attribution.choose_recipient(self.sc.doc.text, self.left_start, self.money.start, self.end,
                                            self.clause_end, self.near, exclude)
