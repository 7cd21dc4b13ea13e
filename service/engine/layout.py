"""Layout stage: list items, table rows and digest lines that pair a donor with an amount.

News pages list pledges as often as they narrate them: "• Sweden: €40 million", a table of
donors with an amount column, one digest line per donor. Such a line has no verb, so the
trigger stage alone would pass it by. This stage finds the *rows* — a line that opens (after
an optional bullet) with a name that can give, then a separator, then an amount — groups
adjacent rows into blocks, and keeps the blocks whose heading (the line above, or a table's
header row) is about pledges and not about appeals, budgets or losses. A kept row is a
committed amount whose giver is the row's name (the attribution stage reads it as the subject);
under a heading that allocates ("allocated as follows:", "beneficiaries will receive:") the row's
name is the recipient and the giver is the donor the text named before the list.

A heading that gives a unit ("Pledge in donor currency (millions)") scales the rows' bare
figures ("AUD 266.0" is AUD 266 million); the row's Money carries the scaled value.

In a row with two amounts in two currencies, one of them US dollars (a table with a
US-dollar column beside the original currency), the US-dollar one is the conversion.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Sequence

from .attribution import can_donate
from .cues import alternation
from .data import load_yaml
from .types import Entity, Money

_CUES = load_yaml("layout.yaml")
_BULLET = re.compile(rf"[^\S\n]*(?:(?:{_CUES['bullet']})[^\S\n]*)?(?:{_CUES['row_date']})?(?:the\s+)?", re.IGNORECASE)
_SEPARATOR = re.compile(_CUES["separator"], re.IGNORECASE)
_HEADING_PLEDGE = alternation(_CUES["heading_pledge"])
_HEADING_NOT_PLEDGE = alternation(_CUES["heading_not_pledge"])
_HEADING_RECIPIENTS = alternation(_CUES["heading_recipients"])
_HEADING_SCALE = re.compile(_CUES["heading_scale"], re.IGNORECASE)
_SCALE_FACTOR = {k: Decimal(v) for k, v in _CUES["heading_scale_factor"].items()}
_WRITTEN_SCALE = re.compile(_CUES["written_scale"], re.IGNORECASE)
_LINE = re.compile(r"[^\n]+")
_MAX_HEADING_GAP = 2         # blank lines allowed between a heading and its first row
_MAX_ROW_CHARS = 300         # a longer line is a paragraph, not a row


@dataclass(frozen=True)
class Row:
    start: int               # the line's span
    end: int
    donor: Entity
    money: Money             # the row's pledge amount
    heading: tuple[int, int]  # the heading line's span
    receives: bool = False   # the row names the recipient ("allocated as follows:"), not the giver


@dataclass(frozen=True)
class Layout:
    rows: tuple[Row, ...] = ()
    conversions: frozenset[int] = frozenset()   # starts of amounts that only convert a row's pledge

    def __post_init__(self):
        object.__setattr__(self, "_starts", [r.start for r in self.rows])   # asked once per sentence

    def row_at(self, offset: int):
        """The kept row whose line holds *offset*, or None."""
        if not self.rows:
            return None
        i = bisect_left(self._starts, offset + 1) - 1
        return self.rows[i] if i >= 0 and self.rows[i].start <= offset < self.rows[i].end else None


def find_layout(text: str, entities: Sequence[Entity], monies: Sequence[Money]) -> Layout:
    """Rows of pledge lists and tables in *text* (entities and monies sorted by start)."""
    if "\n" not in text:
        return Layout()
    entity_starts = [e.start for e in entities]
    money_starts = [m.start for m in monies]
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text)]
    candidates = {}                      # line index -> (donor, [monies of the line])
    for n, (start, end) in enumerate(lines):
        if end - start > _MAX_ROW_CHARS:
            continue
        found = _row(text, start, end, entities, entity_starts, monies, money_starts)
        if found is not None:
            candidates[n] = found
    rows, conversions = [], set()
    for block in _blocks(text, lines, candidates):
        found = _heading(text, lines, block[0])
        if found is None:
            continue
        heading, receives = found
        factor = _heading_factor(text[heading[0]:heading[1]])
        for n in block:
            donor, line_monies = candidates[n]
            pledge, converted = _pledge_and_conversion(line_monies)
            if factor is not None and pledge.value is not None and not _WRITTEN_SCALE.search(text[pledge.start:pledge.end]):
                pledge = replace(pledge, value=_whole(pledge.value * factor))
            if converted is not None:
                conversions.add(converted.start)
            rows.append(Row(lines[n][0], lines[n][1], donor, pledge, heading, receives))
    return Layout(tuple(rows), frozenset(conversions))


def _row(text, start, end, entities, entity_starts, monies, money_starts):
    """(donor, monies of the line) when the line opens with a giver and then its amount."""
    opener = _BULLET.match(text, start, end)
    i = bisect_left(entity_starts, opener.end())
    if i >= len(entities) or entities[i].start != opener.end() or entities[i].end > end:
        return None
    donor = entities[i]
    if not can_donate(donor, text) and donor.kind != "country":
        return None
    j = bisect_left(money_starts, donor.end)
    line_monies = []
    while j < len(monies) and monies[j].start < end:
        line_monies.append(monies[j])
        j += 1
    if not line_monies:
        return None
    gap = _SEPARATOR.match(text, donor.end, line_monies[0].start)
    if gap is None or gap.end() != line_monies[0].start:
        # a separator that looks ahead at the amount ("Belgium EUR 30.0") needs to see it
        gap = _SEPARATOR.match(text, donor.end, end)
        if gap is None or gap.end() != line_monies[0].start:
            return None
    return donor, line_monies


def _blocks(text, lines, candidates):
    """Runs of row lines with nothing but blank lines between them."""
    blocks, current = [], []
    for n in sorted(candidates):
        if current and not _only_blank_between(text, lines[current[-1]][1], lines[n][0]):
            blocks.append(current)
            current = []
        current.append(n)
    if current:
        blocks.append(current)
    return blocks


def _only_blank_between(text: str, a: int, b: int) -> bool:
    return not text[a:b].strip()


def _heading(text, lines, first_row):
    """(the heading's span, whether its rows are recipients) when the line above a block is
    about pledges or allocations, else None."""
    n = first_row - 1
    if n < 0:
        return None
    start, end = lines[n]
    if text[lines[n][1]:lines[first_row][0]].count("\n") > _MAX_HEADING_GAP + 1:
        return None
    heading = text[start:end]
    if _HEADING_NOT_PLEDGE.search(heading):
        return None
    if _HEADING_RECIPIENTS.search(heading):
        return (start, end), True
    if _HEADING_PLEDGE.search(heading):
        return (start, end), False
    return None


def _whole(value: Decimal) -> Decimal:
    """266.0 × 10⁶ is 266000000, not 266000000.0."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _heading_factor(heading: str):
    """The unit a heading gives its table's bare figures ("Pledge (millions)"), or None."""
    found = _HEADING_SCALE.search(heading)
    return _SCALE_FACTOR[found.group(1).lower()] if found else None


def _pledge_and_conversion(line_monies):
    """The row's pledge, and the amount that only converts it (or None)."""
    if len(line_monies) == 2:
        a, b = line_monies
        if a.currency and b.currency and a.currency != b.currency and "USD" in (a.currency, b.currency):
            return (b, a) if a.currency == "USD" else (a, b)
    return line_monies[0], None
