"""Date stage: find date expressions and resolve them to calendar days.

Conventions (shared/eval/CONVENTIONS.md): an explicit date counts, one without a year takes
the publication year; a weekday is the most recent such day on or before the publication
date; with no publication date, the latest full date written in the text is the earliest the
article can be from, so a weekday is that day or the first such day after it.  Anything that
does not resolve to a day ("last month", "in November") is None.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional, Union

from .data import load_yaml
from .types import Span

_DATA = load_yaml("dates.yaml")
MONTHS: dict[str, int] = _DATA["months"]
WEEKDAYS: dict[str, int] = _DATA["weekdays"]
RELATIVE_DAYS: dict[str, int] = _DATA["relative_days"]
PREVIOUS_WEEK = set(_DATA["previous_week_words"])

_month = "|".join(sorted(MONTHS, key=len, reverse=True))
_weekday = "|".join(WEEKDAYS)
_relative = "|".join(RELATIVE_DAYS)

# One pattern, alternatives tried left to right at each position; no nested quantifiers.
_DATE = re.compile(
    rf"""
    (?P<iso>\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b)
  | (?P<mdy>\b(?P<m1>{_month})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?)
  | (?P<dmy>\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_month})\b\.?(?:,?\s+(?P<y2>\d{{4}})\b)?)
  | (?P<monthonly>\b(?:in|since|from|until|by|last|early|late|mid-?)\s+(?P<m3>{_month})\b\.?(?:\s+(?P<y3>\d{{4}})\b)?)
  | (?P<wd>\b(?:(?P<wprev>last|previous|this|next|on|late|early|earlier\s+on|later\s+on)\s+)?(?P<w>{_weekday})\b(?P<wposs>['’]s)?)
  | (?P<rel>\b(?P<r>{_relative})\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class DateMention(Span):
    """A date expression.  value is the resolved day, or None when it does not resolve."""
    value: Optional[date] = None
    kind: str = "explicit"        # explicit | weekday | relative | month


def parse_published_at(value: Union[None, str, date, datetime]) -> Optional[date]:
    """Accept a date, a datetime, 'YYYY-MM-DD' or an RFC 3339 date-time string."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> Optional[date]:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_dates(text: str) -> list[date]:
    """Dates written with day, month and year."""
    out = []
    for m in _DATE.finditer(text):
        d = _explicit(m, None)
        if d is not None and (m.group("iso") or m.group("y1") or m.group("y2")):
            out.append(d)
    return out


def _explicit(m: re.Match, year_from: Optional[int]) -> Optional[date]:
    if m.group("iso"):
        return _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m.group("mdy"):
        year = m.group("y1")
        year = int(year) if year else year_from
        return _safe_date(year, MONTHS[m.group("m1").lower()], int(m.group("d1"))) if year else None
    if m.group("dmy"):
        year = m.group("y2")
        year = int(year) if year else year_from
        return _safe_date(year, MONTHS[m.group("m2").lower()], int(m.group("d2"))) if year else None
    return None


class DateResolver:
    """Resolves the date expressions of one document against its reference day."""

    def __init__(self, text: str, published_at: Union[None, str, date, datetime] = None):
        self.published = parse_published_at(published_at)
        # Without a publication date, the latest full date in the text is the earliest the
        # article can be from: weekdays resolve forward from it.
        self.anchor_after: Optional[date] = None
        if self.published is None:
            found = full_dates(text)
            self.anchor_after = max(found) if found else None
        self.year = (self.published or self.anchor_after).year if (self.published or self.anchor_after) else None

    def resolve_weekday(self, weekday: int) -> Optional[date]:
        if self.published is not None:
            return self.published - timedelta(days=(self.published.weekday() - weekday) % 7)
        if self.anchor_after is not None:
            return self.anchor_after + timedelta(days=(weekday - self.anchor_after.weekday()) % 7)
        return None

    def mentions(self, text: str, start: int = 0, end: Optional[int] = None) -> list[DateMention]:
        end = len(text) if end is None else end
        out: list[DateMention] = []
        for m in _DATE.finditer(text, start, end):
            s, e = m.span()
            if m.group("iso") or m.group("mdy") or m.group("dmy"):
                out.append(DateMention(s, e, m.group(), _explicit(m, self.year), "explicit"))
            elif m.group("monthonly"):
                out.append(DateMention(s, e, m.group(), None, "month"))
            elif m.group("wd"):
                if m.group("w")[0].islower():      # "monday" in running text is unusual; ignore
                    continue
                if m.group("wposs"):               # "Monday's earthquake" names an event, not a day of announcement
                    continue
                prev = (m.group("wprev") or "").lower()
                value = None if prev in PREVIOUS_WEEK or prev == "next" else self.resolve_weekday(WEEKDAYS[m.group("w").lower()])
                out.append(DateMention(s, e, m.group(), value, "weekday"))
            elif m.group("rel"):
                back = RELATIVE_DAYS[m.group("r").lower()]
                value = self.published - timedelta(days=back) if self.published else None
                out.append(DateMention(s, e, m.group(), value, "relative"))
        return out
