"""The Document: one text, built once, and the layers the stages add to it.

    doc = stages.build_document(text, published_at)
    doc.money.within(s.start, s.end)        # the amounts of a sentence (two bisections)

Every stage (service/engine/stages.py) fills one or more layers; every decision step
(service/engine/steps/) reads them through the Document instead of being handed parallel lists
and arrays of start offsets.  A layer is a list of spans sorted by start together with those
starts, so "what lies in this span" is two bisections.

Layers, in the order the stages add them:

    sentences    list[Sentence]        sentences.split_sentences
    money        Layer[Money]          money.find_money, then a declaration of the dollar
                                       ("All figures are in Canadian dollars")
    dateline     re.Match | None       "NAIROBI, Kenya (AP) -": where the story was filed
    entities     Layer[Entity]         donors.find_entities (none inside the dateline)
    money        (again)               + the bare amounts of gapped lists (lists.gapped_amounts)
    layout       layout.Layout         list items, table rows, digest lines and their headings;
                                       a table's conversion column leaves the money layer
    dates        Layer[DateMention]    days that can date an announcement (not a page stamp,
                                       not an event's day); signatures of quoted tweets; how far
                                       the news's day reaches (event_reach)
    cue_text     str                   the text with some names blanked (category cues)
    plain_text   str                   the text with every name blanked (trigger/status cues)

The steps add one record of their own: `rejected`, the (amount, rule name) of every amount that
is no pledge (an internal trace; assemble.explain shows it).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, Iterator, Optional, Sequence, TypeVar

from .dates import DateMention, DateResolver
from .types import Entity, Money, Sentence

T = TypeVar("T")

# A closing bracket a little after an amount: "(about $550 million)".
_CLOSING_BRACKET = re.compile(r"[^()\n]{0,20}\)")


class Layer(Generic[T]):
    """Spans sorted by start, with the starts kept for bisection."""

    __slots__ = ("items", "starts")

    def __init__(self, items: Sequence[T] = ()):
        self.items: list[T] = list(items)
        self.starts: list[int] = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list[T]:
        """The items that start in [start, end), in text order."""
        return self.items[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __bool__(self) -> bool:
        return bool(self.items)


def amount_end(text: str, m: Money) -> int:
    """End of the amount including a bracketed equivalent and its closing bracket."""
    end = m.equivalent.end if m.equivalent is not None and m.equivalent.end > m.end else m.end
    close = _CLOSING_BRACKET.match(text, end, end + 21)
    return close.end() if close and "(" in text[m.end:end] else end


OPENING_SENTENCES = 3      # headline and lead


@dataclass
class Document:
    text: str
    resolver: DateResolver
    sentences: list[Sentence] = field(default_factory=list)
    dateline: Optional[re.Match] = None
    money: Layer[Money] = field(default_factory=Layer)
    entities: Layer[Entity] = field(default_factory=Layer)
    layout: Any = None                             # layout.Layout
    dates: Layer[DateMention] = field(default_factory=Layer)
    signatures: dict[int, date] = field(default_factory=dict)
    event_reach: Optional[int] = None              # last sentence index the news's day dates (None: all)
    cue_text: str = ""
    plain_text: str = ""
    cue_index: Any = None                          # categories.CueIndex over cue_text
    category_memo: dict = field(default_factory=dict)
    rejected: list = field(default_factory=list)   # (Money, rule name) of amounts that are no pledge
    step_memo: dict = field(default_factory=dict)  # what a step works out once per document

    def amount_end(self, m: Money) -> int:
        return amount_end(self.text, m)

    def entities_of(self, s: Sentence) -> list[Entity]:
        return self.entities.within(s.start, s.end)

    @property
    def published(self) -> Optional[date]:
        return self.resolver.published

    @property
    def year(self) -> Optional[int]:
        """The year the story is about (the reference for "in 2014" meaning earlier money)."""
        return self.resolver.year

    @property
    def event_date(self) -> Optional[date]:
        """The first day that can date an announcement: the day of the article's news."""
        return self.dates[0].value if self.dates else None

    @property
    def opening(self) -> Optional[tuple[int, int]]:
        """The span of the headline and lead (the first OPENING_SENTENCES sentences): what a
        table or list below them is about, and where the news's own day stands."""
        first = self.sentences[:OPENING_SENTENCES]
        return (first[0].start, first[-1].end) if first else None

    @property
    def lead(self) -> Optional[tuple[int, int]]:
        """The span of the first sentence."""
        return (self.sentences[0].start, self.sentences[0].end) if self.sentences else None
