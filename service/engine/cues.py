"""Compiled cue patterns built once from data/cues.yaml and data/categories.yaml."""
from __future__ import annotations

import re
from typing import Iterable

from .data import load_yaml

CUES = load_yaml("cues.yaml")
CATEGORY_CUES = load_yaml("categories.yaml")


def alternation(fragments: Iterable[str] | str) -> re.Pattern:
    """One case-insensitive, word-bounded alternation of the given fragments."""
    if isinstance(fragments, str):
        fragments = [fragments]
    body = "|".join(f"(?:{f})" for f in fragments)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


PLEDGE_TRIGGER = alternation(CUES["pledge_triggers"])
NOT_PLEDGE_BEFORE = alternation(CUES["not_pledge_before"])
NOT_PLEDGE_AFTER = re.compile(r"^[\s,]*(?:" + "|".join(f"(?:{f})" for f in CUES["not_pledge_after"]) + r")",
                              re.IGNORECASE)
NOT_PLEDGE_SENTENCE = alternation(CUES["not_pledge_sentence"])
NOT_PLEDGE_RIGHT = alternation(CUES["not_pledge_right"])
AGGREGATE_BEFORE = alternation(CUES["aggregate_before"])
TOTAL_AFTER = alternation(CUES["total_after"])
MIN_PLEDGE_VALUE = CUES["min_pledge_value"]
PREVIOUS = alternation(CUES["previously_announced"])
EARLIER_TIME = alternation(CUES["earlier_time"])
TOTAL = alternation(CUES["total"])
SINCE = alternation(CUES["since"])
INCREMENT = alternation(CUES["increment"])
INCREASE_TO_FROM = re.compile(
    rf"(?<![\w-])(?:{CUES['increase_verbs']})(?![\w-])[^.;]{{0,80}}?\bto\s*$", re.IGNORECASE)
ANAPHORA = re.compile(r"^[\"'“‘(]*(?:" + "|".join(f"(?:{f})" for f in CUES["anaphora"]) + r")(?![\w-])",
                      re.IGNORECASE)
INSTRUMENTS = [(name, alternation(frag)) for name, frag in CUES["instruments"].items()]
EMERGENCY_INSTRUMENTS = re.compile(CUES["emergency_instruments"], re.IGNORECASE)
# Up to two lower-case words may stand between the preposition and the place: "in northwest Syria".
_FUNCTION_WORD = r"(?:since|after|before|until|and|or|but|while|when|as|because|during|of|from|by|with|on|at|in|to|for|that|which|who)\b"
_MODIFIERS = rf"(?:the\s+|a\s+|an\s+)?(?:people\s+of\s+(?:the\s+)?)?(?:(?!{_FUNCTION_WORD})[a-z][\w-]*\s+){{0,2}}"
RECIPIENT_BEFORE = re.compile(rf"(?:^|\W)(?i:{CUES['recipient_before']}|{CUES['give_verbs']})\s+{_MODIFIERS}$")
GIVE_VERB_BEFORE = re.compile(rf"(?:^|\W)(?:{CUES['give_verbs']})\s+$", re.IGNORECASE)
OBJECT_BEFORE = re.compile(rf"(?:^|\W)(?i:{CUES['object_before']})\s+{_MODIFIERS}$")
GRATITUDE_BEFORE = re.compile(rf"(?:^|\W)(?:{CUES['gratitude_before']})[\s,]+(?:the\s+)?$", re.IGNORECASE)

# Category cues: (category, weight, pattern), heaviest first: where two cues start at the same
# word, the alternation takes the first, so "Pandemic Fund" (development, 4) is not read as
# "pandemic" (humanitarian, 3).
_CATEGORY_PARTS: list[tuple[str, int, str]] = sorted((
    (category, int(weight), "|".join(f"(?:{f})" for f in fragments))
    for category, weights in CATEGORY_CUES.items()
    if category not in ("generic", "mask_names_of", "ignore", "unspecified", "donor_category", "opening_funds")
    for weight, fragments in weights.items()), key=lambda part: -part[1])
# All category cues in one alternation (one named group per category and weight), so a text
# is scanned once instead of once per list.
CATEGORY_SCAN = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<c{i}>{body})" for i, (_, _, body) in enumerate(_CATEGORY_PARTS)) + r")(?![\w-])",
    re.IGNORECASE)
CATEGORY_OF_GROUP = {f"c{i}": (category, weight) for i, (category, weight, _) in enumerate(_CATEGORY_PARTS)}
GENERIC_AID = alternation(CATEGORY_CUES["generic"])
MASK_NAMES_OF = frozenset(CATEGORY_CUES["mask_names_of"])
DONOR_CATEGORY = dict(CATEGORY_CUES.get("donor_category") or {})
# "Adaptation Fund raises record sum": a fund named in the opening gives the story's pledges its kind.
OPENING_FUNDS = [(category, re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE))
                 for category, body in (CATEGORY_CUES.get("opening_funds") or {}).items()]
CATEGORY_IGNORE = alternation(CATEGORY_CUES["ignore"])
UNSPECIFIED = alternation(CATEGORY_CUES["unspecified"])
# "that aid", "the new money": a generic noun that points back to aid described earlier.
ANAPHORIC_GENERIC = re.compile(r"\b(?:that|this|these|those|the(?:\s+(?:new|additional|extra|fresh))?)\s+(?:money|aid|funds|funding|package|assistance)\b",
                               re.IGNORECASE)
# A verb of giving or committing anywhere in a stretch of text ("pledged", "will provide").
PLEDGE_VERB = re.compile(r"\b(?:pledg|commit|announc|allocat|approv|unveil|provid|donat|grant|earmark|contribut|releas|send|sent|giv|gave|offer|lend|lent)\w*",
                         re.IGNORECASE)
FROM_GIVER_CONTEXT = alternation(CUES["from_giver_context"])
