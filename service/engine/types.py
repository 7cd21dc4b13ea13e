"""Typed findings passed between the engine's stages.

Every stage takes the text (plus what earlier stages found) and returns these
frozen dataclasses; nothing here knows about HTTP or JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional


@dataclass(frozen=True)
class Span:
    """A slice of the input: text == input[start:end]."""
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence(Span):
    index: int = 0


@dataclass(frozen=True)
class Money(Span):
    """One monetary expression as written.

    value is None for vague amounts ("tens of millions of dollars").
    qualifier: None | "approximate" | "lower_bound" | "upper_bound" | "range".
    For a range, value is the low end and upper the high end.
    equivalent: the same amount stated in another currency right after it
    ("€500 million ($550 million)"): the bracketed one, linked here, and it is
    not reported as a separate Money by find_money.
    """
    value: Optional[Decimal] = None
    currency: Optional[str] = None          # ISO 4217
    currency_assumed: bool = False          # True when the currency was inferred ("$" -> USD)
    qualifier: Optional[str] = None
    upper: Optional[Decimal] = None
    equivalent: Optional["Money"] = None


@dataclass(frozen=True)
class Quantity(Span):
    """A counted in-kind item: "1,000 anti-tank weapons", "2,000 tonnes of food"."""
    quantity: Decimal = Decimal(0)
    unit: str = ""


@dataclass(frozen=True)
class Entity(Span):
    """A mention of a potential donor or recipient (or a blocker such as a company).

    kind: "country" | "organisation" | "company"
    via: how it was named: "name" | "demonym" | "capital" | "leader" | "body" | "code" | "flag"
    code: ISO 3166-1 alpha-3 for countries, fixed short code for organisations
    (EU, WB, IMF, ...), the company's name for companies.
    """
    code: str = ""
    name: str = ""
    kind: str = "country"
    via: str = "name"


@dataclass(frozen=True)
class Party:
    name: str
    code: str
    type: str = "country"   # "country" | "organisation"


@dataclass(frozen=True)
class Pledge:
    donor: Party
    recipient: Optional[Party]
    amount: Money
    category: str            # military_lethal | military_non_lethal | military | humanitarian | financial | development | unspecified
    date: Optional[str]      # YYYY-MM-DD
    status: str              # new | previously_announced | total
    instrument: str = "unspecified"   # grant | loan | guarantee | in_kind | unspecified
    evidence: tuple[Span, ...] = ()
    confidence: float = 0.5
    # What the confidence was computed from (confidence.SIGNALS -> value); not part of the API
    # answer, kept for calibration (scripts/calibrate_confidence.py).
    signals: tuple[tuple[str, float], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class Total:
    donor: Party
    currency: str
    sum: Decimal
    stated_total: Optional[Decimal] = None
    pledge_count: int = 0


@dataclass(frozen=True)
class Extraction:
    pledges: tuple[Pledge, ...] = ()
    totals: tuple[Total, ...] = ()
    published_at: Optional[str] = None
    meta: dict = field(default_factory=dict)
