"""What the money is for (category) and how it is given (instrument).

    clause-cues         category cues (data/categories.yaml) in the amount's clause: words
                        before a comma or "and" describe the previous amount
    package-described   "... a package worth $400m. The package included munitions ...": the
                        next sentence says what the package holds
    row-context         a row of a pledge table without cues of its own: its heading's, else
                        the article opening's ("Global Fund ..." above a table of donors)
    opening-fund        an amount with no kind of its own in a story whose opening names one
                        fund (categories.yaml opening_funds): that fund's kind
    donor-category      a donor whose money is always of one kind (the IMF: financial)
    total-category      a running total that only says "aid" takes the kind of the donor's
                        other pledges here (per document, total_categories)

The instrument (grant, loan, guarantee, ...) from cues.yaml instruments, in the clause, else in
the sentence when it holds one amount.  Corpus: tests/engine/corpora/categories.yaml.
"""
from __future__ import annotations

import re
from typing import Optional

from .. import categories, cues, triggers
from .context import AmountContext, Candidate, SentenceContext, clause_end

_AND_BEFORE_AMOUNT = re.compile(r"\b(?:and|plus|as well as)\s+(?:(?:a|an|another|the)\s+)?(?:(?:further|additional|extra|new)\s+)?$")


def of(sc: SentenceContext, a: AmountContext) -> tuple[str, str]:
    """(category, instrument) of the amount."""
    doc, s, m, left = sc.doc, sc.s, a.money, a.left
    memo = doc.category_memo
    # The amount's clause: cues before a comma or "and" describe the previous amount.
    window_start, window_end = m.start - len(triggers.comma_clause(left)), a.right_end
    joined = _AND_BEFORE_AMOUNT.search(left) if a.k else None
    if joined:          # "$40m for refugees and $20m for schools": the words before "and" are the $40m's
        window_start = a.left_start + joined.end()
    category = categories.category_in(memo["index"], (window_start, clause_end(doc.cue_text, a.end, window_end)),
                                      m.start, (s.start, s.end), sc.previous_span, doc.lead, memo)
    if category == "unspecified" and a.k == len(sc.monies) - 1 and memo.get("next", {}).get(s.index):
        # "... a package worth $400m. The package included munitions for ...": what the
        # next sentence says the package holds.
        span = memo["next"][s.index]
        category = memo["index"].best(span, span[0], span[1], span[0]) or category
    if category == "unspecified" and sc.row is not None:
        category = _row_category(sc, memo) or category
    if category == "unspecified":
        category = _opening_fund(doc) or category
    instrument = triggers.instrument_of(doc.text[window_start:window_end], m.start - window_start)
    if instrument == "unspecified" and len(sc.monies) == 1:
        instrument = triggers.instrument_of(s.text, m.start - s.start)   # "The loan, worth $400m, was signed ..."
    return category, instrument


def _opening_fund(doc) -> Optional[str]:
    """The kind of the one fund the story's opening names ("Adaptation Fund raises record sum"),
    or None: an amount that says nothing of its own is money for that fund."""
    if "opening_fund" not in doc.step_memo:
        opening = doc.opening
        text = doc.text[opening[0]:opening[1]] if opening else ""
        kinds = {category for category, pattern in cues.OPENING_FUNDS if pattern.search(text)}
        doc.step_memo["opening_fund"] = kinds.pop() if len(kinds) == 1 else None
    return doc.step_memo["opening_fund"]


def _row_category(sc: SentenceContext, memo: dict):
    """A row of a pledge table says nothing of what it funds: its heading does, or else the
    opening of the article ("Global Fund announces $11.3 billion in pledges" above a table of
    donors)."""
    doc = sc.doc
    for span in (sc.row.heading, doc.opening):
        if span is None:
            continue
        key = ("row-context", span)
        if key not in memo:
            memo[key] = memo["index"].best(span, span[0], span[1], span[0])
        if memo[key]:
            return memo[key]
    return None


def total_categories(candidates: list[Candidate]) -> None:
    """A running total that only says "aid" is for what all the donor's other pledges here are
    for ("bringing British aid to Sudan to £226m" after humanitarian pledges); with pledges of
    several kinds it stays unspecified."""
    kinds_of: dict[str, set[str]] = {}
    for o in candidates:
        if o.status != "total":
            kinds_of.setdefault(o.donor.code, set()).add(o.category)
    for c in candidates:
        if c.status != "total" or c.category != "unspecified":
            continue
        kinds = set(kinds_of.get(c.donor.code, ()))
        if len(kinds) == 1 and "unspecified" not in kinds:
            c.category = kinds.pop()
