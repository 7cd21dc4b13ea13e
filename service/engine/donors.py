"""Donor / entity recogniser: countries, organisations and companies named in news text.

    find_entities(text, published_at=None) -> [Entity, ...]   sorted, non-overlapping, longest match wins
    country_name("USA") -> "United States";  organisation_name("WB") -> "World Bank"
    lookup(code) -> Party | None;  can_donate(code) -> bool;  is_ambiguous(entity) -> bool

A state is recognised however the text names it: by name ("Japan", "U.S."), demonym
("Australian"), capital standing for its government ("Tokyo"), head of state or minister
("Morrison", "Prime Minister Johnson"), government body ("USAID", "Britain's Foreign Office",
"the Biden administration") or flag emoji. Organisations carry the fixed codes of the
conventions (EU, WB, IMF, UN, ...); companies and media are recognised so that they can never
become donors and so that "Israel Hayom" or "Bank of America" is not a country mention.

All names live in data/*.csv; at import they are compiled into ONE trie-shaped regular
expression (a literal trie: no nested quantifiers, linear scan), then every match is looked up
in a dict. A few context rules (titles before ambiguous surnames, "the" before "Commission",
ministries after a country) are applied to the matches only, never by rescanning the text.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import Optional

from .data import DATA_DIR, load_lines
from .types import Entity, Party

__all__ = [
    "Info",
    "can_donate",
    "country_name",
    "find_entities",
    "is_ambiguous",
    "lookup",
    "organisation_name",
    "party_name",
]


# --------------------------------------------------------------------------- data loading

@dataclass(frozen=True)
class Info:
    """What a code stands for (public; one per country, organisation or company)."""
    code: str
    name: str
    kind: str              # "country" | "organisation" | "company"
    donor_ok: bool = True  # False for alliances, forums, channels (NATO, G7, Gavi...) and companies
    type: str = ""         # organisation type / company sector


@dataclass(frozen=True)
class _Sense:
    """One meaning of a surface form."""
    code: str
    kind: str
    via: str
    ambiguous: bool = False
    needs: str = ""                    # "" | "title" (ambiguous surname) | "the" ("the Commission")
    years: tuple[int, int] | None = None   # leaders: term in that post
    blocked: bool = False              # blocklist phrase: consumes the span, yields nothing
    person: str = ""                   # leaders: who ("Boris Johnson"), to accept "Johnson" later on


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "ı": "i", "ß": "ss",
                       "æ": "ae", "Æ": "AE", "’": "'", "‘": "'"})


def _ascii_fold(s: str) -> str:
    """'Erdoğan' -> 'Erdogan', 'Støre' -> 'Store': news text often drops diacritics."""
    decomposed = unicodedata.normalize("NFKD", s.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WS = re.compile(r"\s+")


def _key(surface: str) -> str:
    """Lookup key of a surface form: single spaces, straight apostrophes."""
    return _WS.sub(" ", surface).replace("’", "'").replace("‘", "'")


INFO: dict[str, Info] = {}
_SENSES: dict[str, list[_Sense]] = {}
_ALPHA2: dict[str, str] = {}          # flag letters -> code
_NAME_OR_DEMONYM: set[str] = set()   # "U.S.", "UK": noun or adjective, decided in context


_FOLDED: list[tuple[str, _Sense]] = []   # ASCII-folded forms, added after every exact form


def _add(surface: str, sense: _Sense) -> None:
    surface = surface.removeprefix("the ")   # "the Netherlands": the article is not part of the name
    _add_form(_key(surface), sense)
    folded = _key(_ascii_fold(surface))
    if folded != _key(surface):
        _FOLDED.append((folded, sense))


def _add_form(key: str, sense: _Sense) -> None:
    senses = _SENSES.setdefault(key, [])
    # First sense of a form wins, except leaders, who may hold several posts over time.
    if sense in senses:
        return
    if not senses or (sense.via == "leader" and senses[0].via == "leader"
                      and sense.needs == senses[0].needs):
        senses.append(sense)


def _plural_demonym(demonym: str) -> Optional[str]:
    """The plural of a demonym that has one: "Afghan" -> "Afghans", "Somali" -> "Somalis"."""
    if not demonym[:1].isupper() or " " in demonym or "." in demonym:
        return None
    if demonym.endswith(("an", "i", "ino", "ite")):
        return demonym + "s"
    return None


def _load() -> None:
    # Order matters: the first file to claim a surface form keeps it.
    for row in _read_csv("blocklist.csv"):
        _add(row["phrase"], _Sense(code="", kind="", via="", blocked=True))

    for row in _read_csv("companies.csv"):
        INFO[row["name"]] = Info(row["name"], row["name"], "company", False, row["sector"])
        for alias in [row["name"]] + _split(row["aliases"]):
            _add(alias, _Sense(row["name"], "company", "name"))

    for row in _read_csv("organisations.csv"):
        code = row["code"]
        INFO[code] = Info(code, row["name"], "organisation", row["donor_ok"].lower() == "true",
                          row["type"])
        ambiguous, needs_the = set(_split(row["ambiguous"])), set(_split(row["needs_the"]))
        for alias in [row["name"]] + _split(row["aliases"]):
            _add(alias, _Sense(code, "organisation", "name", alias in ambiguous,
                               "the" if alias in needs_the else ""))
        for seat in _split(row["seats"]):
            _add(seat, _Sense(code, "organisation", "capital"))

    countries = _read_csv("countries.csv")
    for row in countries:
        INFO[row["code"]] = Info(row["code"], row["name"], "country")
        _ALPHA2[row["alpha2"]] = row["code"]

    for row in _read_csv("bodies.csv"):
        ambiguous = set(_split(row["ambiguous"]))
        for alias in [row["name"]] + _split(row["aliases"]):
            _add(alias, _Sense(row["code"], "country", "body", alias in ambiguous))

    for row in _read_csv("leaders.csv"):
        code = row["code"]
        kind = "country" if INFO.get(code, Info(code, "", "country")).kind == "country" else "organisation"
        years = (int(row["from"] or 0), int(row["to"] or 9999))
        for alias in _split(row["aliases"]):
            _add(alias, _Sense(code, kind, "leader", years=years, person=row["name"]))
        for alias in _split(row["needs_title"]):
            _add(alias, _Sense(code, kind, "leader", needs="title", years=years, person=row["name"]))

    for via, column in (("name", "name"), ("name", "aliases"), ("capital", "capitals"),
                        ("demonym", "demonyms")):
        for row in countries:
            ambiguous = set(_split(row["ambiguous"]))
            names = [row["name"]] if column == "name" else _split(row[column])
            for alias in names:
                if via == "demonym" and _SENSES.get(_key(alias), [_Sense("", "", "")])[0].code == row["code"]:
                    _NAME_OR_DEMONYM.add(_key(alias))   # "U.S." is both; also "New Zealand"
                _add(alias, _Sense(row["code"], "country", via, alias in ambiguous))
                plural = _plural_demonym(alias) if via == "demonym" else None
                if plural and _key(plural) not in _SENSES:
                    # "aid for Haitians", "Afghans in Pakistan": the people, read like the demonym
                    _add(plural, _Sense(row["code"], "country", via, alias in ambiguous))

    # "Støre" also as "Store", but an exact form ("Store", needing a title) keeps its own rule.
    for key, sense in _FOLDED:
        if key not in _SENSES or _SENSES[key][0].via == "leader" == sense.via:
            _add_form(key, sense)
    _ALPHA2.update({"EU": "EU", "UN": "UN"})   # 🇪🇺 and 🇺🇳 are regional-indicator pairs too


_load()


# --------------------------------------------------------------------------- the matcher

def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _char_pattern(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def _trie_regex(words: Iterable[str]) -> str:
    """One regex for many literals, factored as a trie so that the scan never backtracks far.

    Longer words are tried before a word that ends earlier on the same path, so the match at
    a position is the longest one. A word ending in a letter or digit must not be followed by
    one ("India" is not in "Indiana"); a word ending in "." or "$" needs no such guard.
    """
    guarded, bare = "\x01", "\x02"      # end-of-word markers, sorted after every real char
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[guarded if _is_word_char(word[-1]) else bare] = True

    def emit(node: dict) -> str:
        branches = []
        for ch in sorted(node, key=lambda c: (c in (guarded, bare), c == bare, c)):
            if ch == guarded:
                branches.append(r"(?!\w)")
            elif ch == bare:
                branches.append("")
            else:
                branches.append(_char_pattern(ch) + emit(node[ch]))
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


# The look-ahead on the first letters lets the regex engine skip most positions cheaply.
_FIRST_CHARS = "".join(sorted({re.escape(word[0]) for word in _SENSES}))
_PATTERN = re.compile(r"(?=[" + _FIRST_CHARS + r"])(?<!\w)" + _trie_regex(_SENSES))
_FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")   # regional-indicator pair: 🇯🇵


# Context rules, applied to the few matched spans only (never a rescan of the text).
TITLES = (r"President|Prime\s+Minister|PM|Premier|Chancellor|Secretary(?:-General)?|Minister"
           r"|Secretary\s+of\s+(?:State|Defen[cs]e|the\s+Treasury)|Gov\.|Rep\."
           r"|Administrator|Ambassador|Senator|Sen\.|Lord|Sir|Dame|Mr\.?|Mrs\.?|Ms\.?|Dr\.?"
           r"|Baroness|King|Queen|Emir|Sheikh|Prince|Taoiseach|T[áa]naiste|Commissioner|Director-General"
           r"|Chair|Governor|Envoy")
_TITLE_BEFORE = re.compile(r"(?:^|\W)(?:" + TITLES + r")\s+$")
_THE_BEFORE = re.compile(r"(?:^|\W)[Tt]he\s+(?:\d+-(?:nation|member|country|state)\s+)?$")
_OF_AFTER = re.compile(r"\s+(?:on|of|for)\s")

# "Norway's foreign ministry", "the Japanese Defence Ministry", "Japan's Ministry of Foreign
# Affairs", "the Australian government" -> one body mention; "Canada's development minister",
# "Australian Prime Minister" -> a leader mention (the person's name may follow separately).
_AREA = (r"[Ff]oreign(?:\s+[Aa]ffairs)?|[Dd]efen[cs]e|[Ff]inance|[Dd]evelopment|[Ee]conomy"
         r"|[Hh]ealth|[Ii]nterior|[Ee]mergenc(?:y|ies)(?:\s+[Ss]ituations)?|[Tt]rade"
         r"|[Aa]griculture|[Ss]tate|[Hh]ome|[Ee]xternal\s+[Aa]ffairs|[Ii]nternational\s+[Dd]evelopment")
_AFTER_COUNTRY = re.compile(
    # "the British Red Cross", "the Turkish Red Crescent": a national society, not the state.
    r"(?P<society>\s+(?:Arab\s+)?Red\s+(?:Cross|Crescent)(?:\s+Society)?(?!\w))"
    r"|(?:['’]s)?\s+(?:(?P<body>"
    r"(?:" + _AREA + r")\s+(?:[Mm]inistry|[Oo]ffice|[Dd]epartment)"
    r"|(?:[Mm]inistry|[Dd]epartment)\s+(?:of|for)\s+(?:" + _AREA + r")"
    r"|(?:[Ff]ederal\s+)?(?:[Gg]overnment|[Cc]ouncil)|[Cc]abinet|Treasury|[Pp]residency"
    r"|[Aa]dministration|[Pp]arliament|(?:[Aa]id|[Dd]evelopment)\s+[Aa]gency|[Ee]mbassy)"
    r"|(?P<leader>(?:(?:" + _AREA + r"|[Pp]rime|[Dd]eputy\s+[Pp]rime)\s+(?:[Mm]inister|[Ss]ecretary)"
    r"|[Ss]ecretary\s+of\s+(?:[Ss]tate|[Dd]efen[cs]e|the\s+Treasury)"
    r"|[Pp]resident|[Cc]hancellor|[Pp]remier|[Ee]mir|[Kk]ing|[Cc]rown\s+[Pp]rince)))(?!\w)")
_AFTER_COUNTRY_STARTS = frozenset(" \t\r\n\u00a0\u2009\u202f'’")   # cheap pre-check: ministry etc. follow a space or 's
# "Prime Minister of Japan", "Government of Canada", "the Ministry of Foreign Affairs of Japan"
_OF_BEFORE = re.compile(
    r"(?:(?P<leader>(?:(?:[Pp]rime|[Ff]oreign|[Dd]efen[cs]e|[Ff]inance|[Dd]evelopment)\s+)?[Mm]inister"
    r"|[Pp]resident|[Cc]hancellor|[Pp]remier|King|Queen|Emir|Sultan|Crown\s+Prince)"
    r"|(?P<body>[Gg]overnment|(?:[Ff]oreign|[Dd]efen[cs]e|[Ff]inance)\s+[Mm]inistry"
    r"|[Mm]inistry\s+of\s+(?:" + _AREA + r")|[Ee]mbassy))"
    r"\s+of\s+(?:the\s+)?$")
# "the Biden administration", "the Albanese government", "the Biden-Harris administration"
_ADMIN_AFTER = re.compile(r"(?:-[A-Z][\w'-]+)?\s+(?:[Aa]dministration|[Gg]overnment|[Cc]abinet)(?!\w)")
# A capital or an ambiguous country name inside a longer proper name is not the state.
_CAPITALISED_BEFORE = re.compile(r"(?:^|[^\w.])([A-Z][a-z]+)\s+$")
_CAPITALISED_AFTER = re.compile(r"\s+([A-Z][a-z]+)")
_FUNCTION_WORDS = frozenset(
    "The In To From And For With Of On At By As Like Including Neighbouring Neighboring Both "
    "Unlike While Via Into Towards Toward Between Against Over Under But Or Nor If When Where "
    "Meanwhile However Still Yet Now Then Today Also Later Earlier Even Only Since Until After "
    "Before Although Though Because Neither Either So Instead Separately Additionally Similarly "
    "Last This Next Thus Hence Officials Sources Analysts Critics Both Several Many Some "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December".split())
_NEXT_WORD = re.compile(r"\s+([a-z]+)(?!\w)")
# Words that follow a noun use of "U.S."/"UK" ("the U.S. and Japan", "U.S. said").
_NOT_A_NOUN_AFTER = frozenset(
    "and or but nor on in to for with has have had is was were are said says will would could "
    "can should may might also as at by from of since after before did does do pledged "
    "announced committed gave give gives provided provides sent sends approved promised "
    "agreed allocated offered plans plan wants took takes made makes than that which who "
    "into over under".split())
# "-made", "-based" ... describe origin or place, not the state acting ("-led", "-funded" do).
_DESCRIPTIVE_COMPOUND = re.compile(
    r"-(?:made|built|produced|manufactured|designed|developed|born|based|owned|flagged|registered"
    r"|speaking|style|era|language|origin)(?!\w)")
NATIONAL_SOCIETY = _NATIONAL_RCRC = "NATIONAL_RCRC"   # organisations.csv code for national Red Cross/Crescent societies
_WINDOW = 48   # chars looked at before a match for titles, "the", "... of"


def _pick(senses: list[_Sense], year: int | None) -> _Sense:
    """A name held by several people or posts: the one in office in *year*, else the first."""
    if year is not None and len(senses) > 1:
        for sense in senses:
            if sense.years and sense.years[0] <= year <= sense.years[1]:
                return sense
    return senses[0]


def _year(published_at: str | date | None) -> int | None:
    if isinstance(published_at, date):
        return published_at.year
    if isinstance(published_at, str) and len(published_at) >= 4 and published_at[:4].isdigit():
        return int(published_at[:4])
    return None


def _inside_proper_name(text: str, start: int, end: int) -> bool:
    """ "Michael Jordan", "Chad Smith", "George Washington", "Tokyo Stock Exchange": a capitalised
    word right before or after a city or an ambiguous country name makes it part of another name."""
    before = _CAPITALISED_BEFORE.search(text, max(0, start - 24), start)
    if before and before.group(1) not in _FUNCTION_WORDS:
        return True
    after = _CAPITALISED_AFTER.match(text, end)
    return bool(after and after.group(1) not in _FUNCTION_WORDS)


# Entity is a frozen dataclass whose __init__ costs ~1.3 µs (one object.__setattr__ per field);
# an article has ~100 mentions, so fill the instance dict directly (defaults first, so fields
# added to Entity later keep working). Falls back to the constructor if Entity gets __slots__.
_ENTITY_DEFAULTS = {f.name: f.default for f in fields(Entity)
                    if f.default is not MISSING
                    and f.name not in ("start", "end", "text", "code", "name", "kind", "via")}
_FAST_ENTITY = not hasattr(Entity, "__slots__")
_NAMES = {code: info.name for code, info in INFO.items()}


def _entity(text: str, start: int, end: int, code: str, kind: str, via: str, name: str = "") -> Entity:
    values = {"start": start, "end": end, "text": text[start:end], "code": code,
              "name": name or _NAMES.get(code, code), "kind": kind, "via": via}
    if _ENTITY_DEFAULTS:
        values.update(_ENTITY_DEFAULTS)
    if not _FAST_ENTITY:
        return Entity(**values)
    entity = object.__new__(Entity)
    object.__setattr__(entity, "__dict__", values)
    return entity


def find_entities(text: str, published_at: str | date | None = None) -> list[Entity]:
    """Every country, organisation and company mention in *text*, in order, non-overlapping.

    *published_at* (optional) picks the right post for people who held several (Rutte: the
    Netherlands until 2024, NATO after); without it the first row in leaders.csv wins.
    """
    year = _year(published_at)
    found: list[Entity] = []
    pos = 0                                  # end of the last accepted mention
    people: set[str] = set()                 # leaders named so far
    short_forms: set[int] = set()            # indices in found of "the <short name>" mentions
    matches = _PATTERN.finditer(text)
    for m in matches:
        start, end = m.span()
        if start < pos:                      # swallowed by an extended mention ("Britain's Foreign Office")
            continue
        surface = m.group()
        senses = _SENSES.get(surface) or _SENSES[_key(surface)]
        sense = _pick(senses, year) if len(senses) > 1 else senses[0]
        if sense.blocked:
            pos = end
            continue
        if sense.needs:
            rule = _TITLE_BEFORE if sense.needs == "title" else _THE_BEFORE
            # A bare "Johnson" is the leader once "Boris Johnson" has been named in the text.
            if not (sense.person in people or rule.search(text, max(0, start - _WINDOW), start)):
                continue
            if sense.needs == "the" and _OF_AFTER.match(text, end):
                continue                     # "the Commission on Human Rights", "the Fund for Peace"
        if text.startswith("-", end) and _DESCRIPTIVE_COMPOUND.match(text, end):
            continue                         # "U.S.-made missiles", "Kyiv-based analysts"
        if (sense.via == "capital" or sense.ambiguous and sense.kind == "country" and sense.via == "name") \
                and _inside_proper_name(text, start, end):
            continue
        via = sense.via
        if sense.kind == "country" and (via == "name" or via == "demonym"):
            if via == "name" and text.endswith(("of ", "of the "), 0, start):
                of = _OF_BEFORE.search(text, max(pos, start - _WINDOW), start)
                if of:
                    start, via = of.start(), ("leader" if of.group("leader") else "body")
            ext = _AFTER_COUNTRY.match(text, end) if text[end:end + 1] in _AFTER_COUNTRY_STARTS else None
            if ext:
                if ext.lastgroup == "society":
                    pos = ext.end()
                    found.append(_entity(text, start, pos, _NATIONAL_RCRC, "organisation", "name"))
                    continue
                end, via = ext.end(), ("body" if ext.group("body") else "leader")
            elif surface in _NAME_OR_DEMONYM:
                via = _noun_or_adjective(text, start, end)
        elif via == "leader":
            people.add(sense.person)
            ext = _ADMIN_AFTER.match(text, end)
            if ext:
                end, via = ext.end(), "body"
        pos = end
        if sense.needs == "the" and sense.ambiguous:
            short_forms.add(len(found))
        found.append(_entity(text, start, end, sense.code, sense.kind, via))
    if short_forms:
        # An ambiguous short name after "the" ("the Fund", "the bloc") stands for an organisation
        # only where the text names it in full too: in a story about the Adaptation Fund, "the
        # Fund" is no IMF.
        named = {e.code for i, e in enumerate(found) if i not in short_forms}
        found = [e for i, e in enumerate(found) if i not in short_forms or e.code in named]
    if _FLAG.search(text):
        found = sorted(found + _flags(text), key=lambda e: e.start)
    if _FOUNDATION_WORD.search(text):
        found = _with_named_foundations(text, found)
    return found


# A private giver the gazetteer does not list, named in full: "the Mohamed bin Zayed Foundation
# for Humanity", "Alwaleed Philanthropies", "the Al-Salam Society for Humanitarian Works". It gives
# in its own name, not its founder's state; the code is its name in capitals, cut to 16 characters
# (so two such bodies do not merge). The last words of such names are data (named_bodies.txt).
_BODY_WORDS = "|".join(re.escape(w).replace(r"\ ", r"[^\S\n]+") for w in load_lines("named_bodies.txt"))
_FOUNDATION_WORD = re.compile(rf"\b(?:{_BODY_WORDS})\b")
_NAME_WORD = rf"(?:(?!(?:{_BODY_WORDS})\b)[A-Z][\w&.'’-]*|bin|bint|ibn|al|el|de|da|van|von|der|and|&)"
_NAMED_FOUNDATION = re.compile(rf"""
    (?<![\w'’-])(?P<name>[A-Z][\w&.'’-]*(?:[^\S\n]+{_NAME_WORD}){{0,5}}         # its founder or name
    [^\S\n]+(?P<word>{_BODY_WORDS})\b
    (?:[^\S\n]+(?:for|of)[^\S\n]+(?:the[^\S\n]+)?[A-Z][\w-]*(?:[^\S\n]+(?:and[^\S\n]+|&[^\S\n]+)?[A-Z][\w-]*){{0,2}})?)  # "for Humanity", "of America"
    """, re.VERBOSE)
_MAX_CODE = 16
_NOT_A_NAME_START = frozenset({"The", "A", "An", "This", "That", "Its", "Their", "His", "Her", "Our", "And", "But", "In",
                               "On", "At", "By", "From", "With", "For", "Of", "To", "As", "New"})


def _with_named_foundations(text: str, found: list[Entity]) -> list[Entity]:
    for m in _NAMED_FOUNDATION.finditer(text):
        start, end = m.span("name")
        # The name starts after the last word that cannot be part of it: "Abu Dhabi-based The
        # Rockefeller ..." -> "Rockefeller ...".
        base = start
        for w in re.finditer(r"\S+", text[base:end]):
            if w.group() in _NOT_A_NAME_START or w.group().endswith("-based"):
                cut = base + w.end()
                start = cut + len(text[cut:end]) - len(text[cut:end].lstrip())
        words = text[start:end].split()
        if len(words) < 2:
            continue
        inside = [e for e in found if e.start < end and e.end > start]
        if any(e.kind == "organisation" and (e.via == "name" or (e.start <= start and e.end >= end)) for e in inside):
            continue                        # the gazetteer knows it ("Gates Foundation")
        word_start, word_end = m.span("word")
        if any(e.start <= word_start and e.end >= word_end for e in inside):
            continue                        # a known body ends in that word ("the Swiss Federal Council")
        name = text[start:end]
        code = re.sub(r"[^A-Z0-9]+", "_", _ascii_fold(name).upper()).strip("_")
        code = code[:_MAX_CODE].rstrip("_")      # codes are short (16 characters, as stored)
        entity = _entity(text, start, end, code, "organisation", "named_foundation", name=name)
        found = sorted([e for e in found if not (e.start < end and e.end > start)] + [entity], key=lambda e: e.start)
    return found


def _noun_or_adjective(text: str, start: int, end: int) -> str:
    """ "U.S. officials" (demonym) vs "the U.S. said", "aid from the U.S." (name)."""
    if text.endswith(("the ", "The "), 0, start):
        return "name"
    nxt = _NEXT_WORD.match(text, end)
    return "demonym" if nxt and nxt.group(1) not in _NOT_A_NOUN_AFTER else "name"


def _flags(text: str) -> list[Entity]:
    found = []
    for m in _FLAG.finditer(text):
        letters = "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in m.group())
        code = _ALPHA2.get(letters)
        if code:
            found.append(_entity(text, m.start(), m.end(), code, INFO[code].kind, "flag"))
    return found


# --------------------------------------------------------------------------- lookups

def country_name(code: str) -> str:
    """Display name of an ISO alpha-3 code ("USA" -> "United States"); the code if unknown."""
    info = INFO.get(code)
    return info.name if info and info.kind == "country" else code


def organisation_name(code: str) -> str:
    """Display name of an organisation code ("WB" -> "World Bank"); the code if unknown."""
    info = INFO.get(code)
    return info.name if info and info.kind == "organisation" else code


def party_name(code: str) -> str:
    """Display name of any country or organisation code."""
    info = INFO.get(code)
    return info.name if info else code


def lookup(code: str) -> Party | None:
    """The Party for a country or organisation code, or None (unknown code or a company)."""
    info = INFO.get(code)
    if info is None or info.kind == "company":
        return None
    return Party(name=info.name, code=info.code, type=info.kind)


def can_donate(code: str) -> bool:
    """False for companies, alliances, forums and channels (NATO, G7, Gavi, COVAX, Red Cross)."""
    info = INFO.get(code)
    return bool(info and info.donor_ok)


def is_ambiguous(entity: Entity) -> bool:
    """True when the surface form often means something else ("Georgia", "Congress", "WHO")."""
    core = _PATTERN.search(entity.text)      # "Georgia's president" -> "Georgia"
    senses = _SENSES.get(_key(core.group())) if core else None
    return bool(senses and senses[0].ambiguous)
