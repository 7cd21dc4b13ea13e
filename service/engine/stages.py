"""The stages: each annotates the Document with a layer (see document.py).

    doc = build_document(text, published_at)

STAGES run in order; a stage reads the layers of the stages before it.  The finders the stages
call live in their own modules (sentences.py, money.py, donors.py, layout.py, dates.py) and keep
their public names (money.find_money is also the /v1/amounts endpoint's stage).
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Optional, Union

from . import categories, cues, homoglyphs, lists
from .data import load_yaml
from .dates import DateMention, DateResolver
from .document import OPENING_SENTENCES, Document, Layer
from .donors import find_entities
from .layout import find_layout
from .money import find_money
from .sentences import split_sentences
from .types import Entity, Money, Sentence

_CURRENCIES = load_yaml("donor_currencies.yaml")
_DOLLAR_DECLARATION = re.compile(_CURRENCIES["dollar_declaration"], re.IGNORECASE)

# "NAIROBI, Kenya (AP) -", "PORT VILA, March 14 (Wire) -": where (and when) the story was filed.
DATELINE = re.compile(r"""
    [ \t]*[A-Z][A-Z .'’/-]{1,40}              # the city in capitals: NAIROBI, PORT VILA
    (?:,\s*[A-Z][\w .'’-]{1,30})?             # , Kenya  /  , March 14
    \s*(?:\([^()\n]{1,30}\))?                 # (AP)
    \s*(?:[-—–]{1,2}|(?<=[A-Za-z]):)\s          # the dash (or colon: "DAKAR, Senegal:") before the story
    """, re.VERBOSE)

# "Tunis, 21 December, 2005 –", "Manila, Nov 14", "Dubai, United Arab Emirates (December 4,
# 2023) –": a paragraph that opens with the place and
# day it was filed (a press release's dateline, anywhere in a page of several).
_PLACE_DAY_OPENER = re.compile(r"""
    (?:^|\n)[ \t]*(?:date[ \t]+\d{4}-\d\d-\d\d[ \t]+)?   # an optional page date header
    (?P<place>[A-Z][\w.'’-]+(?:[ ][A-Z][\w.'’-]+){0,2})        # Tunis, Port Moresby
    (?:,[ \t]*(?P<country>[A-Z][\w.'’-]+(?:[ ][A-Z][\w.'’-]+){0,3}))?   # , United Arab Emirates
    [ \t]*[,(][ \t]*(?:\d{1,2}[ \t]+[A-Z][a-z]{2,8}\.?          # , 21 December  /  (4 December
             |[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}\b)                # , Nov 14  /  (December 4
    """, re.VERBOSE)

# A date right after these words dates something else ("since the Oct. 7 attack").
_NOT_ANNOUNCEMENT = re.compile(r"""
    (?:since|after|before|until|till|from|by|between          # a time relative to an event
      |ended|began|start\w*                                   # when something ran
      |struck|hit|erupted|occurred|happened|killed|landed|made\ landfall)   # the event's day
    \s+(?:on\s+)?(?:the\s+|a\s+|its\s+)?$
    """, re.IGNORECASE | re.VERBOSE)
_SUBORDINATE_OPENER = re.compile(r"\b(?:which|where|when|whose|after|since|before|until)\b", re.IGNORECASE)
# What a disaster or an attack did: the day in its clause is the event's, not an announcement's.
_EVENT_VERB = re.compile(r"\b(?:hit|struck|killed|erupted|happened|occurred|landed|made landfall|ravaged|"
                         r"devastated|swept|battered|flooded|invaded|attacked)\b", re.IGNORECASE)
# The signature line of a quoted tweet: "— Name (@handle) February 28, 2022".
_SIGNATURE_LINE = re.compile(r"^[ \t]*[—–-][^\n]*\(@\w+\)[^\n]*$", re.MULTILINE)
_SENTENCE_STOP = re.compile(r"[.!?;](?:\s|$)")

# A dateline before the story's first words: "BERLIN, June 11 (Reuters) -", "April 15, 2024 (PARIS) -".
# "BERLIN, June 11 -", "Katowice, Poland (December 12, 2018) —", "Dubai (December 4, 2023;
# updated Dec 6, 2023) –": the day a dateline gives, in or out of brackets.
_DATELINE_AFTER_DATE = re.compile(r"[^\S\n]*(?:\([^()\n]{1,40}\)[^\S\n]*|(?:[;,][^()\n]{0,80})?\)[^\S\n]*)?[-—–]")
_DATELINE_BEFORE_DATE = re.compile(r"(?:^|\n)[^\S\n]*(?:[A-Z][A-Za-z.'’ -]{1,40}(?:,[^\S\n]*[A-Z][A-Za-z.'’ -]{1,40})?(?:,|[^\S\n]*\()[^\S\n]*(?:\([^()\n]{1,30}\)[^\S\n]*)?)?$")
_STAMP_LINE_MAX = 100
_STAMPED_BEFORE = re.compile(r"\b(?:updated|posted|published|last modified|modified)(?:[^\S\n]+on)?[:\s]+$", re.IGNORECASE)
_DATE_HEADER = re.compile(r"[ \t]?date[ \t]+\d{4}-\d\d-\d\d")

# A sentence that says what the previous sentence's package holds.
_DESCRIBES_PACKAGE = re.compile(r"""
    [\"'“‘(]*(?:the|this|that|its|the\ new|the\ latest)\s+
    (?:package|aid|assistance|support|funding|money|contribution)\s+
    (?:will\s+|would\s+)?
    (?:includes?|included|including|comprises?|comprised|consists?|consisted|covers?|covered
      |contains?|contained|is\ made\ up|was\ made\ up)\b
    """, re.IGNORECASE | re.VERBOSE)

# The news's day dates the undated pledges near it: those of its own sentence and of the few
# after it, or every one when the day stands in the lead (headline or first sentences).
_EVENT_REACH_SENTENCES = 3


def sentences(doc: Document) -> None:
    doc.sentences = split_sentences(doc.text)


def money(doc: Document) -> None:
    doc.money = Layer(declared_dollars(doc.text, find_money(doc.text)))


def dateline(doc: Document) -> None:
    doc.dateline = DATELINE.match(doc.text)


def entities(doc: Document) -> None:
    """Countries, organisations and companies; names in the dateline ("NAIROBI, Kenya (AP) -")
    or opening a paragraph before its day ("Tunis, 21 December, 2005 –") say where the story
    was filed, not who gave."""
    found = find_entities(doc.text, doc.resolver.published or doc.resolver.anchor_after)
    line = doc.dateline
    filed_at = {m.start(g) for m in _PLACE_DAY_OPENER.finditer(doc.text) for g in ("place", "country") if m.group(g)}
    found = defined_abbreviations(doc.text, found)
    doc.entities = Layer([e for e in found if (not line or e.start >= line.end()) and e.start not in filed_at])


def listed_amounts(doc: Document) -> None:
    """Bare amounts of a gapped list ("€427.5 million, Britain 327.6 million") join the money layer."""
    doc.money = Layer(lists.gapped_amounts(doc.text, doc.money.items, doc.entities.items))


def layout(doc: Document) -> None:
    """List items, table rows and digest lines (layout.py); a table's US-dollar column converts
    the row's own amount and leaves the money layer, and a heading's unit ("(millions)")
    scales a row's bare figure in it."""
    doc.layout = find_layout(doc.text, doc.entities.items, doc.money.items)
    scaled = {r.money.start: r.money for r in doc.layout.rows}
    if doc.layout.conversions or any(m.start in scaled and scaled[m.start] != m for m in doc.money):
        doc.money = Layer([scaled.get(m.start, m) for m in doc.money if m.start not in doc.layout.conversions])


def dates(doc: Document) -> None:
    mentions = announcement_dates(doc.text, doc.resolver.mentions(doc.text))
    doc.dates = Layer(mentions)
    doc.signatures = signature_dates(doc.text, doc.resolver)
    doc.event_reach = event_reach(doc.sentences, mentions[0]) if mentions else None


def masks(doc: Document) -> None:
    """Trigger, negative and status words are read with every name blanked out (plain_text), so
    that "European Investment Bank" is no investment and "... Humanitarian Aid Centre" no aid;
    category cues with only the names data/categories.yaml lists, and bodies, blanked (cue_text)."""
    found = doc.entities.items
    doc.cue_text = mask_names(doc.text, [e for e in found if e.code in cues.MASK_NAMES_OF or e.via == "body"])
    doc.plain_text = mask_names(doc.text, found)
    doc.cue_index = categories.CueIndex(doc.cue_text)
    doc.category_memo = {"index": doc.cue_index, "next": described_next(doc.sentences)}


STAGES = (sentences, money, dateline, entities, listed_amounts, layout, dates, masks)


def build_document(text: str, published_at: Union[None, str, date] = None) -> Document:
    """The annotated document; English words written with look-alike Cyrillic letters are read
    as Latin (homoglyphs.fold keeps every offset)."""
    text = homoglyphs.fold(text)
    doc = Document(text, DateResolver(text, published_at))
    for stage in STAGES:
        stage(doc)
    return doc


# ------------------------------------------------------------------ helpers of the stages

def declared_dollars(text: str, monies: list[Money]) -> list[Money]:
    """Apply a declaration such as "(All figures are in Canadian dollars.)" to bare "$" amounts."""
    if "ollars" not in text and "OLLARS" not in text:     # cheap test before the pattern
        return monies
    m = _DOLLAR_DECLARATION.search(text)
    if not m:
        return monies
    iso = _CURRENCIES["declared_dollars"].get(m.group(1).lower())
    if not iso:
        return monies
    return [replace(x, currency=iso, currency_assumed=False) if x.currency_assumed and x.currency == "USD" else x
            for x in monies]


_ABBREVIATION_AFTER = re.compile(r"[^\S\n]*\([^\S\n]*$")


def defined_abbreviations(text: str, found: list[Entity]) -> list[Entity]:
    """"The African Development Bank (ADB) ...": an abbreviation the text defines in brackets
    after a full name stands for that name's organisation everywhere in the text, even where
    the gazetteer reads it as another one (ADB is the Asian Development Bank elsewhere)."""
    meaning: dict[str, Entity] = {}
    for full, short in zip(found, found[1:]):
        if (full.kind == "organisation" and short.kind == "organisation" and short.code != full.code
                and short.text.isupper() and len(full.text) > len(short.text)
                and _ABBREVIATION_AFTER.fullmatch(text, full.end, short.start) and text[short.end:short.end + 1] == ")"):
            meaning.setdefault(short.text, full)
    if not meaning:
        return found
    return [replace(e, code=meaning[e.text].code, name=meaning[e.text].name) if e.text in meaning else e for e in found]


def mask_names(text: str, found: list[Entity]) -> str:
    """The text with the given names replaced by a neutral word of the same length."""
    if not found:
        return text
    parts, last = [], 0
    for e in found:
        if e.start < last:
            continue
        parts.append(text[last:e.start])
        parts.append("Q" + "q" * (e.end - e.start - 1))
        last = e.end
    parts.append(text[last:])
    return "".join(parts)


def is_publication_stamp(text: str, d: DateMention) -> bool:
    """A date that says when the page was written, not when money was announced: a date
    header or time stamp line ("date 2024-05-20", "Posted May 20, 2024 by Staff", a date bar),
    or the date of a dateline. The conventions leave a pledge undated unless the story itself
    names its day."""
    line_start = text.rfind("\n", 0, d.start) + 1
    line_end = text.find("\n", d.end)
    line_end = len(text) if line_end < 0 else line_end
    if line_end - line_start <= _STAMP_LINE_MAX:   # (a long line is not copied for each of its dates)
        line = text[line_start:line_end]
        if not cues.PLEDGE_VERB.search(line) and not line.rstrip().endswith((".", "!", "?")) \
                and not _SENTENCE_STOP.search(line):
            return True
    if _STAMPED_BEFORE.search(text, max(0, d.start - 30), d.start):
        return True     # "updated June 6, 2024", "Published on 3 May 2024"
    header = _DATE_HEADER.match(text, line_start)
    if header and d.start < header.end():
        return True     # the header's own date, not a day the story names later on its line
    # The dateline can only start where the line does (its pattern opens with the text's start or
    # a line break), so it is matched there, not searched for along a long line.
    return bool(_DATELINE_BEFORE_DATE.match(text, max(0, line_start - 1), d.start)
                and _DATELINE_AFTER_DATE.match(text, d.end))


def announcement_dates(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """Mentions that can date an announcement: not the day of an event named in a
    subordinate clause ("Typhoon Gaemi, which swept across Luzon on July 24"), nor a page's
    own date (a header, time stamp or dateline)."""
    out = []
    for d in mentions:
        if d.value is None or d.kind == "month" or _NOT_ANNOUNCEMENT.search(text[max(0, d.start - 25): d.start]):
            continue
        if d.kind in ("explicit", "weekday") and is_publication_stamp(text, d):
            continue
        before = text[max(0, d.start - 80): d.start]
        clause = before[max(before.rfind(","), before.rfind(";"), before.rfind("\n")) + 1:]
        if (_SUBORDINATE_OPENER.search(clause) or _EVENT_VERB.search(clause)) and not cues.PLEDGE_VERB.search(clause):
            continue    # "the earthquake that hit southern Turkey on 6 February": the event's day
        out.append(d)
    return out


def signature_dates(text: str, resolver: DateResolver) -> dict[int, date]:
    """Tweets quoted in articles end with '— Name (@handle) February 28, 2022': that date is
    the day of the line(s) just above the signature.  Maps the quoted line's start to it."""
    out: dict[int, date] = {}
    for m in _SIGNATURE_LINE.finditer(text):
        found = [d.value for d in resolver.mentions(text, m.start(), m.end()) if d.value]
        if not found:
            continue
        prev_end = m.start() - 1
        prev_start = text.rfind("\n", 0, max(prev_end, 0)) + 1
        if prev_end > prev_start:
            out[prev_start] = found[0]
    return out


def event_reach(sentence_list: list[Sentence], mention: DateMention) -> Optional[int]:
    """The last sentence index the news's day may date (None: all of them)."""
    at = next((s.index for s in sentence_list if s.start <= mention.start < s.end), None)
    if at is None or at < OPENING_SENTENCES:
        return None
    return at + _EVENT_REACH_SENTENCES


def described_next(sentence_list: list[Sentence]) -> dict[int, tuple[int, int]]:
    """Sentence index -> the span of the sentence after it, when that one describes its package."""
    return {a.index: (b.start, b.end) for a, b in zip(sentence_list, sentence_list[1:]) if _DESCRIBES_PACKAGE.match(b.text)}
