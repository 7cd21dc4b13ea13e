"""The passage a pledge is quoted from.

Evidence is the mention's sentence. A sentence longer than EVIDENCE_MAX_CHARS (a list of hundreds
of donors with no full stop, a table read as one line) is quoted as the window of at most that
many characters around the amount, taking in the donor's name when it is within reach, cut at
word boundaries. Without the cut, every pledge of a 200,000-character one-sentence list would
repeat the whole sentence: answers of more than a gigabyte for one request.
"""
from __future__ import annotations

from typing import Optional

from .types import Span

EVIDENCE_MAX_CHARS = 400
# Of the room left around the amount, the share given to the words before it (givers and verbs
# mostly come first: "Japan pledged $5 million").
_BEFORE_SHARE = 2 / 3


def passage(sentence: Span, amount: Span, donor: Optional[Span] = None,
            limit: int = EVIDENCE_MAX_CHARS) -> Span:
    """The evidence Span for an amount of a sentence: the sentence, or a window of it."""
    if sentence.end - sentence.start <= limit:
        return Span(sentence.start, sentence.end, sentence.text)
    lo, hi = amount.start, amount.end
    if donor is not None and sentence.start <= donor.start and donor.end <= sentence.end:
        # The donor comes into the window when the two fit in it together.
        if max(hi, donor.end) - min(lo, donor.start) <= limit:
            lo, hi = min(lo, donor.start), max(hi, donor.end)
    room = max(0, limit - (hi - lo))
    before = min(lo - sentence.start, int(room * _BEFORE_SHARE))
    after = min(sentence.end - hi, room - before)
    before = min(lo - sentence.start, room - after)      # give back what the end could not use
    start, end = lo - before, hi + after
    start, end = _at_words(sentence, start, end, lo, hi)
    offset = sentence.start
    return Span(start, end, sentence.text[start - offset:end - offset])


def _at_words(sentence: Span, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """Move a cut that falls inside a word out of it (inwards), never past the kept core."""
    text, offset = sentence.text, sentence.start
    if start > sentence.start and not text[start - offset - 1].isspace():
        while start < lo and not text[start - offset - 1].isspace():
            start += 1
    while start < lo and text[start - offset].isspace():
        start += 1
    if end < sentence.end and not text[end - offset].isspace():
        while end > hi and not text[end - offset].isspace():
            end -= 1
    while end > hi and text[end - offset - 1].isspace():
        end -= 1
    return start, end
