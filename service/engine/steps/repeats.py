"""The same money said twice is one pledge.

    conversion          "€1.3 billion (US$1.4 billion)" and a headline's "US$1.4 billion": the
                        second is the first in other money (also a sum of conversions)
    equal-shares        "60 million euro - 30 million euro from each of the two ministries -"
    repeat              the same donor, currency and amount in another sentence, with
                        compatible status, recipient and category: one Pledge whose evidence
                        lists every mention; the most explicit reading of each field wins

Corpus: tests/engine/corpora/assemble.yaml (repeat and conversion cases).
"""
from __future__ import annotations

import re
from bisect import insort
from decimal import Decimal

from .. import categories, confidence
from ..document import Document
from ..evidence import passage
from ..types import Party, Pledge
from .context import Candidate
from .parties import party

_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
_EQUAL_SHARE = re.compile(r"[^\S\n]*(?:from\s+)?(?:each\s+of\s+(?:the\s+)?(?P<n>two|three|four|five)|(?P<both>both))\b", re.IGNORECASE)


def drop_conversions(candidates: list[Candidate]) -> list[Candidate]:
    """A headline's "US$1.4 billion" that the story gives as the conversion of the donor's
    "€1.3 billion (US$1.4 billion)" is that pledge in other money, not a second pledge."""
    with_equivalent = [c for c in candidates if c.money.equivalent is not None and c.money.equivalent.value is not None]
    if not with_equivalent:
        return candidates
    converted = {(c.donor.code, c.money.equivalent.currency, c.money.equivalent.value) for c in with_equivalent}
    # "$166,000 ... 10 million afghanis ($111,024) and 5 million afghanis ($55,512)": the sum of
    # the conversions of one donor's amounts (within rounding) is their total in other money.
    sums: dict[tuple[str, str], Decimal] = {}
    for c in with_equivalent:
        key = (c.donor.code, c.money.equivalent.currency)
        sums[key] = sums.get(key, Decimal(0)) + c.money.equivalent.value
    counts = {key: sum(1 for c in with_equivalent if (c.donor.code, c.money.equivalent.currency) == key) for key in sums}

    def is_conversion(c: Candidate) -> bool:
        if c.money.equivalent is not None:
            return False
        if (c.donor.code, c.money.currency, c.money.value) in converted:
            return True
        total = sums.get((c.donor.code, c.money.currency))
        return bool(total and counts[(c.donor.code, c.money.currency)] >= 2
                    and abs(total - c.money.value) <= Decimal("0.01") * c.money.value)

    return [c for c in candidates if not is_conversion(c)]


def drop_equal_shares(doc: Document, candidates: list[Candidate]) -> list[Candidate]:
    """"a total contribution of 60 million euro - 30 million euro from each of the two
    ministries -": the equal shares inside one donor's pledge are not pledges of their own."""
    out = []
    for i, c in enumerate(candidates):
        m = _EQUAL_SHARE.match(doc.text, doc.amount_end(c.money))
        if m and i > 0:
            n = _COUNTS[(m.group("n") or m.group("both")).lower()]
            whole = candidates[i - 1]
            if whole.donor.code == c.donor.code and whole.money.currency == c.money.currency \
                    and whole.money.value == c.money.value * n:
                continue
        out.append(c)
    return out


def same_pledge(a: Candidate, b: Candidate) -> bool:
    if a.donor.code != b.donor.code or a.money.currency != b.money.currency or a.money.value != b.money.value:
        return False
    if (a.status == "previously_announced") != (b.status == "previously_announced"):
        return False
    if a.recipient_explicit and b.recipient_explicit and a.recipient and b.recipient and a.recipient.code != b.recipient.code:
        return False
    if "unspecified" not in (a.category, b.category) and a.category != b.category \
            and not (a.category in categories.MILITARY_FAMILY and b.category in categories.MILITARY_FAMILY):
        return False
    return a.sentence.index != b.sentence.index


def group_repeats(candidates: list[Candidate]) -> list[list[Candidate]]:
    """The candidates grouped per pledge, in the order the pledges are first mentioned."""
    groups: list[list[Candidate]] = []
    # Only mentions of one amount can merge, and never two of one sentence: per key, the groups
    # a later sentence may join (in the order they were made, the first that fits wins) and the
    # groups the current sentence has touched, which wait until the next sentence begins.
    open_groups: dict[tuple, list[tuple[int, list[Candidate]]]] = {}
    touched: list[tuple[tuple, int, list[Candidate]]] = []
    sentence = None
    for c in candidates:          # in text order, so a sentence's candidates come together
        if c.sentence.index != sentence:
            for key, made, g in touched:
                insort(open_groups.setdefault(key, []), (made, g), key=lambda item: item[0])
            touched, sentence = [], c.sentence.index
        key = (c.donor.code, c.money.currency, c.money.value)
        waiting = open_groups.get(key, [])
        for n, (made, g) in enumerate(waiting):
            if same_pledge(c, g[0]) and same_pledge(c, g[-1]):
                g.append(c)
                del waiting[n]
                touched.append((key, made, g))
                break
        else:
            groups.append([c])
            touched.append((key, len(groups) - 1, groups[-1]))
    return groups


def pledge_of(g: list[Candidate]) -> Pledge:
    """One Pledge from the mentions of one group."""
    head = g[0]
    status = "total" if any(c.status == "total" for c in g) else head.status
    dated = [c for c in g if c.own_date is not None]
    day = dated[0].own_date if dated else head.date
    named = [c.category for c in g if c.category != "unspecified"]
    # The most specific reading wins: "weapons" (lethal) over "military aid".
    category = min(named, key=lambda k: categories.MILITARY_FAMILY.index(k)
                   if k in categories.MILITARY_FAMILY else -1) if named else "unspecified"
    recipient = next((c.recipient for c in g if c.recipient_explicit), head.recipient)
    instrument = next((c.instrument for c in g if c.instrument != "unspecified"), "unspecified")
    evidence = tuple(passage(c.sentence, c.money, c.donor) for c in g)
    return Pledge(
        donor=party(head.donor),
        recipient=Party(recipient.name or recipient.text, recipient.code) if recipient is not None else None,
        amount=head.money, category=category, date=day.isoformat() if day else None, status=status,
        instrument=instrument, evidence=evidence, confidence=confidence.score(g),
        signals=tuple(confidence.signals(g).items()),
    )
