"""Category stage: what the money is for, from weighted word cues near the amount.

The strongest cue in the amount's own clause decides (ties go to the cue nearest the
amount); within the military family a lethal or non-lethal cue refines "military".  Two
strong cues of different families side by side ("relief and recovery assistance") make a
mixed package: "unspecified".  A clause that only calls the money "aid" or "support", or says
it did not specify, is "unspecified"; a clause with no cue at all borrows the sentence's, then
the previous sentence's, then the article lead's.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Optional

from . import cues

MILITARY_FAMILY = ("military_lethal", "military_non_lethal", "military")
_MIXED_REACH = 40          # characters between two strong cues joined by "and"
_STRONG = 3
_FIRST_CLAUSE = re.compile(r"^[^,;]*")


def _family(category: str) -> str:
    return "military" if category in MILITARY_FAMILY else category


def _strongest(found: dict, anchor_hits: dict):
    """(weight, -distance, category, start) of the strongest, then nearest, cue."""
    best = None
    for category in found:
        for weight, neg_distance, start in anchor_hits[category]:
            if best is None or (weight, neg_distance) > best[:2]:
                best = (weight, neg_distance, category, start)
    return best


_REACH = 600   # characters on each side of the amount that can describe it


class CueIndex:
    """The category cues of one text, read one sentence at a time and only for the sentences
    asked about (the amount's own, the one before it, the lead); the windows inside a sentence
    are then answered from its list of cues instead of scanning the text again."""

    def __init__(self, text: str):
        self.text = text
        self._by_span: dict[tuple[int, int], tuple[list, list]] = {}

    def _cues(self, span: tuple[int, int]):
        if span not in self._by_span:
            lo, hi = span
            piece = cues.CATEGORY_IGNORE.sub(lambda m: " " * len(m.group()), self.text[lo:hi])
            hits = [(lo + m.start(), lo + m.end(), *cues.CATEGORY_OF_GROUP[m.lastgroup])
                    for m in cues.CATEGORY_SCAN.finditer(piece)]
            self._by_span[span] = (hits, [h[0] for h in hits])
        return self._by_span[span]

    def best(self, span: tuple[int, int], lo: int, hi: int, anchor: int) -> Optional[str]:
        """The category the cues in text[lo:hi] (inside *span*) give to the amount at *anchor*."""
        lo, hi = max(lo, anchor - _REACH, span[0]), min(hi, anchor + _REACH, span[1])
        hits, starts = self._cues(span)   # a sentence's cues are read once, however many amounts it holds
        i = bisect_left(starts, lo)
        found: dict[str, list[tuple[int, int]]] = {}
        anchor_hits: dict[str, list[tuple[int, int, int]]] = {}
        while i < len(hits) and hits[i][0] < hi:
            start, end, category, weight = hits[i]
            i += 1
            if end > hi:
                continue
            found.setdefault(category, []).append((weight, end))
            distance = min(abs(start - anchor), abs(end - anchor))
            anchor_hits.setdefault(category, []).append((weight, -distance, start))
        return _decide(self.text, found, anchor_hits)


def _best(text: str, anchor: int) -> Optional[str]:
    return CueIndex(text).best((0, len(text)), 0, len(text), anchor)


def _decide(text: str, found: dict, anchor_hits: dict) -> Optional[str]:
    if "military_gear" in found:
        # Helmets or fuel are military gear only where the text also speaks of the military.
        gear, gear_hits = found.pop("military_gear"), anchor_hits.pop("military_gear")
        if any(_family(c) == "military" for c in found):
            found.setdefault("military_non_lethal", []).extend(gear)
            anchor_hits.setdefault("military_non_lethal", []).extend(gear_hits)
    best = _strongest(found, anchor_hits)
    if best is None:
        return None
    category = best[2]
    if best[0] >= _STRONG:
        for other, hits in found.items():
            if _family(other) == _family(category):
                continue
            for w, pos in hits:
                lo, hi = sorted((pos, best[3]))
                if w >= _STRONG and hi - lo <= _MIXED_REACH and " and " in text[lo:hi]:
                    return "unspecified"
    if category in MILITARY_FAMILY:
        # Lethal beats non-lethal beats plain military when the clause names them.
        for refined in MILITARY_FAMILY:
            if refined in found:
                return refined
    return category


def _says_nothing(window: str, anchor: int) -> bool:
    """The amount's own phrase names the money only generically, or says it is unspecified."""
    window = window[max(0, anchor - _REACH):anchor + _REACH]
    anchor = min(anchor, _REACH)
    if cues.UNSPECIFIED.search(window):
        return True
    phrase = _FIRST_CLAUSE.match(window[anchor:]).group(0)
    left = window[:anchor]
    cut = max(left.rfind(","), left.rfind(";"))
    phrase = left[cut + 1:] + phrase
    return bool(cues.GENERIC_AID.search(cues.ANAPHORIC_GENERIC.sub(" ", phrase)))


def category_of(window: str, anchor: int, sentence: str, sentence_anchor: int,
                previous_sentence: str = "", lead: str = "", memo: Optional[dict] = None) -> str:
    """Category for the amount at *anchor* in *window* (its clause).

    memo: a dict the caller keeps for one document, so the previous sentence and the lead,
    asked about for every amount, are read once.
    """
    found = _best(window, anchor)
    if found:
        return found
    if _says_nothing(window, anchor):
        return "unspecified"
    memo = {} if memo is None else memo
    for context, at in ((sentence, sentence_anchor), (previous_sentence, len(previous_sentence)), (lead, 0)):
        if context:
            key = (context, at)
            if key not in memo:
                memo[key] = _best(context, at)
            if memo[key]:
                return memo[key]
    return "unspecified"


def category_in(index: CueIndex, window: tuple[int, int], anchor: int, sentence: tuple[int, int],
                previous_sentence: Optional[tuple[int, int]], lead: Optional[tuple[int, int]],
                memo: dict) -> str:
    """category_of for spans of one document whose cues are in *index* (absolute offsets)."""
    found = index.best(sentence, window[0], window[1], anchor)
    if found:
        return found
    if _says_nothing(index.text[window[0]:window[1]], anchor - window[0]):
        return "unspecified"
    for span, at in ((sentence, anchor), (previous_sentence, previous_sentence and previous_sentence[1]),
                     (lead, lead and lead[0])):
        if span:
            key = (span, at)
            if key not in memo:
                memo[key] = index.best(span, span[0], span[1], at)
            if memo[key]:
                return memo[key]
    return "unspecified"
