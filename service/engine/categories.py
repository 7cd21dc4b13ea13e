"""Category stage: what the money is for, from weighted word cues near the amount.

The strongest cue in the amount's own clause decides (ties go to the cue nearest the
amount); within the military family a lethal or non-lethal cue refines "military".  A clause
that only says "aid" or "support" is "unspecified"; a clause with no cue at all borrows the
sentence's, then the previous sentence's.
"""
from __future__ import annotations

from typing import Optional

from . import cues

MILITARY_FAMILY = ("military_lethal", "military_non_lethal", "military")


def _best(text: str, anchor: int) -> Optional[str]:
    best = None   # (weight, -distance, category)
    found = set()
    for category, weight, pattern in cues.CATEGORY_PATTERNS:
        for m in pattern.finditer(text):
            found.add(category)
            distance = min(abs(m.start() - anchor), abs(m.end() - anchor))
            key = (weight, -distance)
            if best is None or key > best[:2]:
                best = (weight, -distance, category)
    if best is None:
        return None
    category = best[2]
    if category in MILITARY_FAMILY:
        # Lethal beats non-lethal beats plain military when the clause names them.
        for refined in MILITARY_FAMILY:
            if refined in found:
                return refined
    return category


def category_of(window: str, anchor: int, sentence: str, sentence_anchor: int,
                previous_sentence: str = "") -> str:
    """Category for the amount at *anchor* in *window* (its clause)."""
    found = _best(window, anchor)
    if found:
        return found
    if cues.GENERIC_AID.search(cues.ANAPHORIC_GENERIC.sub(" ", window)):
        return "unspecified"
    found = _best(sentence, sentence_anchor)
    if found:
        return found
    if previous_sentence:
        found = _best(previous_sentence, len(previous_sentence))
        if found:
            return found
    return "unspecified"
