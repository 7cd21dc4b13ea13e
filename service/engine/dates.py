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

# News capitalises months and weekdays: matching the capitalised forms only (case-sensitive)
# keeps "may" the verb out and lets the regex engine skip fast.
_month = "|".join(sorted((m.capitalize() for m in MONTHS), key=len, reverse=True))
_weekday = "|".join(w.capitalize() for w in WEEKDAYS)
_relative = "|".join(f"[{r[0].upper()}{r[0]}]{r[1:]}" for r in RELATIVE_DAYS)

# One pattern, alternatives tried left to right at each position; no nested quantifiers.
# One pattern whose every branch starts with a digit or a month, weekday or relative-day
# word, so the scan is a single linear pass; prepositions are read from the text before.
_DATE = re.compile(
    rf"""
    \b(?:
      (?P<iy>\d{{4}})-(?P<im>\d\d)-(?P<id>\d\d)(?!\d)
    | (?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_month})\b\.?(?:,?\s+(?P<y2>\d{{4}})\b)?
    | (?P<m1>{_month})\b\.?(?:\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}})\b)?)?
    | (?P<w>{_weekday})\b(?P<wposs>['’]s)?
    | (?P<r>{_relative})\b
    )
    """,
    re.VERBOSE,
)
# Fast finders: a scan for one literal-led pattern runs at C speed, where one alternation
# of every date form tried at every position is several times slower.  Each hit is then
# parsed with _DATE anchored at its start.
_FIND_MONTH = re.compile(rf"(?:{_month})\b")
_FIND_WEEKDAY = re.compile(rf"(?:{_weekday})\b")
_FIND_RELATIVE = re.compile("|".join(w for r in RELATIVE_DAYS for w in (r, r.capitalize())))
_FIND_ISO = re.compile(r"-\d\d-\d\d(?!\d)")
_DAY_BEFORE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+$")


def _scan(text: str) -> list[re.Match]:
    """Every date expression of *text*, in order, without overlaps."""
    starts = set()
    for m in _FIND_MONTH.finditer(text):
        day = _DAY_BEFORE.search(text, max(0, m.start() - 6), m.start())
        starts.add(day.start() if day else m.start())
    starts.update(m.start() for m in _FIND_WEEKDAY.finditer(text))
    starts.update(m.start() for m in _FIND_RELATIVE.finditer(text))
    starts.update(m.start() - 4 for m in _FIND_ISO.finditer(text) if m.start() >= 4)
    out, last_end = [], -1
    for pos in sorted(starts):
        if pos < last_end:
            continue
        m = _DATE.match(text, pos)
        if m:
            out.append(m)
            last_end = m.end()
    return out


_MONTH_PREFIX = re.compile(r"(?:\b(?:in|since|from|until|by|last|early|late)\s+|\bmid-)$", re.IGNORECASE)
_PREVIOUS_WEEK_PREFIX = re.compile(r"\b(?:last|previous|next)\s+$", re.IGNORECASE)


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
    for m in _scan(text):
        if m.group("iy") or m.group("y1") or m.group("y2"):
            d = _explicit(m, None)
            if d is not None:
                out.append(d)
    return out


def _explicit(m: re.Match, year_from: Optional[int]) -> Optional[date]:
    if m.group("iy"):
        return _safe_date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
    if m.group("d1"):
        year = m.group("y1")
        year = int(year) if year else year_from
        return _safe_date(year, MONTHS[m.group("m1").lower()], int(m.group("d1"))) if year else None
    if m.group("m2"):
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
        self.text = text
        self._matches = _scan(text)     # one scan, shared by every question below
        self.anchor_after: Optional[date] = None
        if self.published is None:
            found = [d for m in self._matches if m.group("iy") or m.group("y1") or m.group("y2")
                     for d in (_explicit(m, None),) if d is not None]
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
        matches = self._matches if text is self.text else _scan(text)
        for m in matches:
            s, e = m.span()
            if s < start or e > end:
                continue
            if m.group("iy") or m.group("d1") or m.group("m2"):
                out.append(DateMention(s, e, m.group(), _explicit(m, self.year), "explicit"))
            elif m.group("m1"):
                if _MONTH_PREFIX.search(text, max(0, s - 8), s):
                    out.append(DateMention(s, e, m.group(), None, "month"))
            elif m.group("w"):
                if m.group("wposs"):               # "Monday's earthquake" names an event, not a day of announcement
                    continue
                previous_week = _PREVIOUS_WEEK_PREFIX.search(text, max(0, s - 12), s)
                value = None if previous_week else self.resolve_weekday(WEEKDAYS[m.group("w").lower()])
                out.append(DateMention(s, e, m.group(), value, "weekday"))
            elif m.group("r"):
                back = RELATIVE_DAYS[m.group("r").lower()]
                value = self.published - timedelta(days=back) if self.published else None
                out.append(DateMention(s, e, m.group(), value, "relative"))
        return out
