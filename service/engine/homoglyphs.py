"""Look-alike letters: English words written with a few Cyrillic letters mixed in.

Some pages (copied through obfuscating sites, or spam-proofed) write "Cаnаdа will prоvide
$40 milliоn" with Cyrillic а and о. Every cue, gazetteer name and scale word then fails to
match. fold() rewrites such mixed words with the Latin letters (one character for one, so
offsets are unchanged); words wholly in Cyrillic (Ukrainian, Russian text) are left as written.
"""
from __future__ import annotations

import re

from .data import load_yaml

_MAP = load_yaml("homoglyphs.yaml")["cyrillic_to_latin"]
_TABLE = str.maketrans(_MAP)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")


def fold(text: str) -> str:
    """*text* with every word that mixes Latin and look-alike Cyrillic letters made Latin."""
    if not _CYRILLIC.search(text):
        return text
    return _WORD.sub(_fold_word, text)


def _fold_word(m: re.Match) -> str:
    word = m.group(0)
    if not _CYRILLIC.search(word):
        return word
    folded = word.translate(_TABLE)
    if _CYRILLIC.search(folded):
        return word                 # a real Cyrillic word, or letters with no Latin twin
    if _LATIN.search(word) or len(word) == 1:
        return folded               # a mixed word, or a lone look-alike ("а" for "a")
    return word
