"""Sentence stage: split news text into sentences with character offsets.

News text is full of full stops that do not end a sentence ("U.S.", "Gen.", "Feb. 26",
"Mr.", "No. 10", "3.5"), and of lines that are sentences without a full stop (headlines,
tweet signatures, bylines).  A line break ends a sentence unless the line stops mid-sentence (a comma, "and", "of") and the
next line goes straight on in lower case or with an amount; a full stop, question or
exclamation mark ends one when followed by white space and a capital, digit or quote, unless
the word before it is a known abbreviation or a single capital initial.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .data import load_lines
from .types import Sentence

# Candidate boundary: terminal punctuation (plus closing quotes/brackets), then white space.
# Starts only at the first stop of a run, so a long run of dots is read once (linear).
_BOUNDARY = re.compile(r"(?<![.!?])[.!?]+[\"'”’)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9\u0400-\u04FF]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return frozenset(w.lower() for w in load_lines("abbreviations.txt"))


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at *dot* closes an abbreviation such as "U.S." or "Feb."."""
    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():          # an initial: "George W. Bush"
        return True
    if "." in word:                                 # "U.S", "U.N" (the final dot is ours)
        return True
    return word.lower() in _abbreviations()


# A line that ends mid-sentence (a comma, "and", "of" ...) goes on in the next line when that
# line follows at once and is no list item: text wrapped by a page's layout.
_UNFINISHED_LINE = re.compile(r"(?:,|\b(?:and|or|of|the|to|for|by|with|from|a|an|in|on|at|as|worth|totalling|totaling))[^\S\n]*$")
_CONTINUES = re.compile(r"\n[^\S\n]*(?![•·▪◦●■►*\-–—|])(?=[a-z0-9$€£¥₹]|[A-Z]{3}\s?\d)")


def _logical_lines(text: str):
    """(start, end) of each line, with wrapped lines joined to the line they continue."""
    start = end = None
    for line in _LINE.finditer(text):
        if start is not None and end == line.start() - 1 and _UNFINISHED_LINE.search(text, max(start, end - 12), end) \
                and _CONTINUES.match(text, end):
            end = line.end()
            continue
        if start is not None:
            yield start, end
        start, end = line.start(), line.end()
    if start is not None:
        yield start, end


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for start, end_of_line in _logical_lines(text):
        for b in _BOUNDARY.finditer(text, start, end_of_line):
            end = b.end()
            if not _NEXT_STARTS_SENTENCE.match(text, end, end_of_line):
                continue
            first_stop = b.start()
            if b.group().startswith(".") and len(b.group().rstrip("\"'”’)]")) == 1 and _is_abbreviation(text, first_stop):
                continue
            _append(sentences, text, start, end)
            start = end
        _append(sentences, text, start, end_of_line)
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(start, end, text[start:end], len(sentences)))
