"""One amount written on its own ("1 234,56 €", "CHF 1'234.50", "12,50 zł"), as a Money.

    parse_amount_string("€ 1 234,56")
    -> Money(text="€ 1 234,56", value=Decimal("1234.56"), currency="EUR", ...)

The money stage reads amounts in running English text; a caller holding a single price
string often writes the number the continental way (decimal comma, spaces or apostrophes
between groups), which the stage either misses ("12,50 zł") or reads only in part
("€ 1 234,56" as "€ 1"). For such a string:

1. the money stage is asked first; its answer stands when it is one amount spanning the
   whole string;
2. otherwise price-parser reads the number (it is good at deciding which mark is the
   decimal separator in an isolated number), after checks that the string holds exactly
   one well-formed number and nothing else but the currency;
3. the currency as written is named by the money stage itself: the string with its number
   replaced by "1" ("€ 1", "1 zł", "1 million euros") must read as one amount spanning it,
   which gives the ISO 4217 code (from data/currencies.csv, with the stage's own rules for
   ambiguous forms such as "$") and the scale to multiply by.

No currency, no amount: "12,50" alone is not money.
"""
from __future__ import annotations

import re
from decimal import Decimal

from price_parser import Price

from .money import find_money
from .types import Money

__all__ = ["SHORT_AMOUNT_MAX_CHARS", "parse_amount_string", "parse_formatted_amount",
           "spans_whole_string"]

# Longer strings are sentences, not amount strings: price-parser is not meant for them.
SHORT_AMOUNT_MAX_CHARS = 64

_GROUP_MARKS = " .,'\u2019\u00a0\u202f\u2009"
_DECIMAL_MARKS = ".,"
# digits with single marks between them: "1 234,56", "1'234.50" (each step eats a digit: linear)
_NUMBER_RUN_RE = re.compile(rf"[0-9](?:[{_GROUP_MARKS}]?[0-9])*")
_MARK_RE = re.compile(rf"[{_GROUP_MARKS}]")


def _bounds(text: str) -> tuple[int, int]:
    """Start and end of *text* without its surrounding whitespace."""
    start = len(text) - len(text.lstrip())
    return start, len(text.rstrip())


def spans_whole_string(found: list[Money], text: str) -> bool:
    """True when *found* is one amount covering all of *text* but surrounding whitespace."""
    if len(found) != 1:
        return False
    return (found[0].start, found[0].end) == _bounds(text)


def parse_amount_string(text: str) -> Money | None:
    """The one amount *text* consists of (offsets into *text*, span = the stripped string),
    or None when it is not exactly one amount with a currency, or is longer than
    SHORT_AMOUNT_MAX_CHARS."""
    start, end = _bounds(text)
    if not 0 < end - start <= SHORT_AMOUNT_MAX_CHARS:
        return None
    found = find_money(text)
    if spans_whole_string(found, text):
        return found[0]
    return parse_formatted_amount(text)


def _fraction_digits(run: str) -> int | None:
    """How many decimals a well-formed number run has (0 when its last mark groups), or None
    when it is malformed: mixed group marks, groups not of three, a decimal mark that is a
    space or apostrophe ("1.234.56", "12.50,5", "5 10")."""
    groups = _MARK_RE.split(run)
    marks = _MARK_RE.findall(run)
    if not marks:
        return 0
    decimals = 0
    last_mark, last_group = marks[-1], groups[-1]
    if last_mark in _DECIMAL_MARKS and (len(last_group) != 3 or any(m != last_mark for m in marks[:-1])):
        decimals = len(last_group)
        marks, groups = marks[:-1], groups[:-1]
    if not marks:
        return decimals
    if len(set(marks)) != 1 or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None
    return decimals


def parse_formatted_amount(text: str) -> Money | None:
    """Steps 2-3 above, without asking the money stage about the whole string first."""
    start, end = _bounds(text)
    if not 0 < end - start <= SHORT_AMOUNT_MAX_CHARS:
        return None
    written = text[start:end]
    runs = list(_NUMBER_RUN_RE.finditer(written))
    if len(runs) != 1:
        return None                          # no number, or more than one ("€5 ($5.5)")
    run = runs[0]
    decimals = _fraction_digits(run.group())
    # price-parser knows the ASCII apostrophe as a group mark, not the typographic one
    amount = Price.fromstring(written.replace("\u2019", "'")).amount
    if decimals is None or amount is None or not amount.is_finite():
        return None
    # price-parser must have read this very number, with the same decimal mark we see
    exponent = amount.as_tuple().exponent
    read_digits = format(amount, "f").replace(".", "").lstrip("0")
    if read_digits != re.sub(r"\D", "", run.group()).lstrip("0") or max(0, -exponent) != decimals:
        return None
    probe = written[:run.start()] + "1" + written[run.end():]
    unit = find_money(probe)
    if not spans_whole_string(unit, probe):
        return None
    one = unit[0]
    # (a currency is written, or the stage would read no amount; it may be one the stage
    # leaves unnamed without context, like a lone "kr", exactly as find_money reports it)
    if one.value is None or one.upper is not None or one.equivalent is not None:
        return None
    value = amount * one.value               # "1 million euros" -> 10**6; "1 cents" -> 0.01
    value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return Money(start=start, end=end, text=written, value=value, currency=one.currency,
                 currency_assumed=one.currency_assumed, qualifier=one.qualifier)
