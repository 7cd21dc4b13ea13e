"""Why a text yielded no pledge, when the service can tell: `meta.warnings`.

The engine reads English news written in ordinary case. A caller who sends a French article,
a text in capitals or in lower case only, or a text with no amount of money gets an empty
answer; these checks say which, so the empty answer is not mistaken for "no pledge here".
They run only when the engine found no pledge, and only on texts long enough to judge; the
one exception says when look-alike Cyrillic letters inside English words were read as Latin.
"""
from __future__ import annotations

import re

from .engine import homoglyphs
from .engine.money import find_money

MIN_WORDS = 20                 # below this a text is too short to judge its language or case
MIN_ENGLISH_SHARE = 0.06       # English news has far more function words than this
ALL_CAPS_SHARE = 0.9           # of the letters that are cased

_WORD = re.compile(r"[^\W\d_]+")
# The commonest English function words: in English news they are a quarter of all words.
_ENGLISH = frozenset(
    "the of and to in a is that for on with as by at from it its was were are be has have had "
    "will would said this which an or but not their they he she his her who also after over "
    "into than more been about new".split())


def warnings_for(text: str, pledge_count: int) -> list[dict]:
    """A list of {code, detail} (empty when nothing can be said)."""
    out = []
    if homoglyphs.fold(text) != text:
        out.append({"code": "lookalike_letters", "detail": (
            "Some words mix Latin letters with look-alike Cyrillic ones (\"milli\u043en\"); they were "
            "read as Latin. Evidence quotes the text as sent.")})
    if pledge_count:
        return out
    words = _WORD.findall(text)
    if len(words) >= MIN_WORDS:
        english = sum(1 for w in words if w.lower() in _ENGLISH) / len(words)
        if english < MIN_ENGLISH_SHARE:
            out.append({"code": "not_english", "detail": (
                f"Only {english:.0%} of the words are common English words: the engine reads English "
                "text only.")})
        cased = [c for w in words for c in w if c.isupper() or c.islower()]
        upper = sum(1 for c in cased if c.isupper())
        if cased and upper / len(cased) >= ALL_CAPS_SHARE:
            out.append({"code": "all_caps", "detail": (
                "The text is in capital letters: names and sentences are read from ordinary case, "
                "so send it in its original case.")})
        elif cased and upper == 0:
            out.append({"code": "all_lowercase", "detail": (
                "The text has no capital letters: donors and places are recognised by their "
                "capitalised names, so send it in its original case.")})
    if not find_money(text):
        out.append({"code": "no_amount", "detail": "The text names no amount of money the engine can read."})
    return out
