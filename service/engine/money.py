"""Money stage: every monetary amount in a text, with exact value and ISO 4217 currency.

    find_money("Japan pledged ¥15.8 billion ($105 million) on Friday")
    -> [Money(text="¥15.8 billion", value=Decimal("15800000000"), currency="JPY",
              currency_assumed=True, equivalent=Money(text="$105 million", ...))]

How it reads (all word lists come from data/*.csv, loaded once at import):
1. Amounts written with digits are anchored on each run of digits: the currency written
   just before it ("$", "US $", "NOK", "kr.") or just after the number and its scale
   ("€", "USD", "euros", "Norwegian crowns") is looked up in a dict built from
   currencies.csv; one small regex reads the number, scale and an optional range tail.
2. Amounts written in words ("half a billion dollars", "tens of millions of dollars") are
   anchored on the currency word and read backwards over number words.
3. Context then resolves ambiguous currencies ("$", "kr", "¥", "crowns", "rupees"),
   qualifiers ("about", "more than", "up to"), ranges ("between $1m and $2m") and stated
   conversions ("€500 million ($550 million)").
Every step looks at a bounded window around its anchor, so the stage is linear in the
text length. find_quantities() reads in-kind counts ("1,000 anti-tank weapons").
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from importlib import resources

from .numbers import (
    NUMBER_WORDS,
    SCALES,
    digit_number_pattern,
    parse_digits,
    parse_words,
    scale_multiplier,
    scale_pattern,
)
from .types import Money, Quantity

__all__ = ["CURRENCY_FORMS", "CurrencyForm", "find_money", "find_quantities"]


# ---------------------------------------------------------------------------- data

def _data_text(name: str) -> str:
    return resources.files("service.engine.data").joinpath(name).read_text(encoding="utf-8")


def _read_csv(name: str) -> list[dict]:
    lines = [ln for ln in _data_text(name).splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


@dataclass(frozen=True)
class CurrencyForm:
    surface: str
    iso: str            # "" when ambiguous (resolved from context by family)
    kind: str           # symbol | prefix | suffix | code | word
    family: str
    case_sensitive: bool
    flags: frozenset


CURRENCY_FORMS: list[CurrencyForm] = [
    CurrencyForm(r["surface"], r["iso"], r["kind"], r["family"], r["case"] == "cs",
                 frozenset(f for f in r["flags"].split("|") if f))
    for r in _read_csv("currencies.csv")
]

_FAMILY_DEFAULT: dict[str, str] = {}
_FAMILY_SENTENCE_ONLY: set[str] = set()
_FAMILY_KEYWORDS: dict[str, list[tuple[str, str]]] = {}
for _row in _read_csv("currency_context.csv"):
    if _row["keyword"] == "*":
        _FAMILY_DEFAULT[_row["family"]] = _row["iso"]
        if _row["scope"] == "sentence":
            _FAMILY_SENTENCE_ONLY.add(_row["family"])
    else:
        _FAMILY_KEYWORDS.setdefault(_row["family"], []).append((_row["keyword"], _row["iso"]))

_DOLLAR_LOCALES = {
    r["dateline"]: (r["iso"], r["keywords"].split("|")) for r in _read_csv("dollar_locales.csv")
}
_QUALIFIERS = {r["phrase"].lower(): r["qualifier"] for r in _read_csv("money_qualifiers.csv")}
_POUND_MONEY_NOUNS = frozenset(
    ln.strip() for ln in _data_text("pound_money_nouns.txt").splitlines()
    if ln.strip() and not ln.startswith("#"))
_QUANTITY_UNITS = {r["unit"]: r["kind"] for r in _read_csv("quantity_units.csv")}


# ---------------------------------------------------------------------------- form lookup

def _symbol_key(written: str) -> str:
    """Symbols and codes compare without spaces: "US $" == "US$"."""
    return written.replace(" ", "").replace("\u00a0", "")


def _word_key(written: str) -> str:
    """Currency words compare with single spaces: "Norwegian\\ncrowns" == "Norwegian crowns"."""
    return " ".join(written.split())


def _index(kinds: tuple[str, ...], key) -> dict[str, list[CurrencyForm]]:
    table: dict[str, list[CurrencyForm]] = {}
    for form in CURRENCY_FORMS:
        if form.kind in kinds:
            table.setdefault(key(form.surface).lower(), []).append(form)
    return table


_PRE_TABLE = _index(("symbol", "prefix", "code"), _symbol_key)
_SUF_TABLE = _index(("symbol", "suffix", "code"), _symbol_key)
_WORD_TABLE = _index(("word",), _word_key)
_PRE_MAX_LEN = max(len(k) for k in _PRE_TABLE)
_WORD_FIRST = frozenset(k.split()[0] for k in _WORD_TABLE)
_WORD_MAX_WORDS = max(len(k.split()) for k in _WORD_TABLE)
# Anchors for amounts in words (str.find is far cheaper than a regex over every word):
# scale words, and the currency words common enough to be written with small numbers.
_SCALE_STEMS = ("illion", "thousand", "hundred", "dozen", "lakh", "crore")
_COMMON_CURRENCY_STEMS = ("dollar", "euro", "pound", "penn", "pence", "cent", "yen", "buck")


def _lookup(table: dict[str, list[CurrencyForm]], written: str, key) -> CurrencyForm | None:
    k = key(written)
    for form in table.get(k.lower(), ()):
        if not form.case_sensitive or key(form.surface) == k:
            return form
    return None


@lru_cache(maxsize=1024)
def _lookup_prefix(written: str) -> CurrencyForm | None:
    return _lookup(_PRE_TABLE, written, _symbol_key)


# ---------------------------------------------------------------------------- patterns

_NUM = digit_number_pattern()
_SCALE = scale_pattern()
_RSEP = r"(?:[ \u00a0]?[-\u2013\u2014][ \u00a0]?|\s+to\s+|\s+and\s+)"
_AMOUNT_RE = re.compile(
    rf"(?P<n1>{_NUM})(?P<s1>{_SCALE})?"
    rf"(?:(?P<r>{_RSEP})(?P<p2>[^\s\d]{{1,6}}[ \u00a0]?)??(?P<n2>{_NUM})(?P<s2>{_SCALE})?)?")
_SUF_TOKEN_RE = re.compile(r"[ \u00a0]?([^\s\d]{1,5})")
_WORD_SEP_RE = re.compile(r"[\s-]{1,3}")
_CAPITAL_WORD_RE = re.compile(r"[A-Z]{3,}\b")
_WORD_RE = re.compile(r"[^\W\d_]+(?:[.'\u2019][^\W\d_]+)*\.?")
_SCALE_RE = re.compile(_SCALE)
_SMALL_WORDS = "|".join(sorted((w for w, (v, k) in NUMBER_WORDS.items() if k == "unit" and v < 100),
                               key=len, reverse=True))
_CENTS_TAIL_RE = re.compile(
    rf"[ \u00a0]+(?:and[ \u00a0]+)?(?P<n>[0-9]{{1,2}}(?![0-9]|[.,][0-9])"
    rf"|(?i:(?:{_SMALL_WORDS})(?:[ -](?:{_SMALL_WORDS}))?)(?![^\W\d_]))"
    r"(?:[ \u00a0-]+(?P<unit>(?i:cents?|pence|p))(?![^\W\d_])|(?P<close>\s*(?:[.!?;]|\Z)))")
_INNER_SPACE_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")
# the first digit of each run (a leading character set lets the regex engine skip fast)
_DIGIT_RUN_RE = re.compile(r"[0-9](?<![0-9][0-9])")

_QUALIFIER_MAX_WORDS = max(len(q.split()) for q in _QUALIFIERS)
_QUALIFIER_SPAN = 24
_QUALIFIER_LAST_WORDS = frozenset(q.split()[-1] for q in _QUALIFIERS)
# Text that strips to one token (the only kind that can be a last word above); \s is str.isspace.
_ONE_TOKEN = re.compile(r"\s*\S+\s*")
_QUALIFIER_ALT = "|".join(r"\s+".join(re.escape(p) for p in q.split())
                          for q in sorted(_QUALIFIERS, key=len, reverse=True))
_QUALIFIER_FULL_RE = re.compile(rf"(?i:({_QUALIFIER_ALT}))\s*")
_RANGE_GAP_RE = re.compile(_RSEP)
_BETWEEN_RE = re.compile(r"(?<!\w)(?i:between)\s+\Z")
_FROM_RE = re.compile(r"(?<!\w)(?i:from)\s+\Z")
_EQUIV_OPEN_RE = re.compile(
    # "€500 million ($550 million)", "846 billion won, ($597 million)", "€500 million, or $550
    # million", and a relative clause
    # that converts: "the EUR 50 million pledge, which is equivalent to about US$ 58 million"
    r"(?:[ \u00a0]+[a-z]{3,15})?,?[ \u00a0]+(?i:which|that)[ \u00a0]+(?i:is|was|are|were)[ \u00a0]+(?i:equivalent|equal)[ \u00a0]+to[ \u00a0]+"
    r"|[ \u00a0]*(?:,[ \u00a0]*)?(?:\(|\[)|[ \u00a0]*(?:[\u2013\u2014]|,[ \u00a0]*(?=(?i:or|about|around|roughly|approximately|some|nearly|"
    r"equivalent|the\s+equivalent)\b))[ \u00a0]*(?i:(?:or|equivalent\s+to|the\s+equivalent\s+of|"
    r"worth)\s+)?")
_THEN_RE = re.compile(r"(?i:then|at the time|at today's rates?|at current rates?)[ \u00a0]+")
_EQUIV_FIRST = frozenset(" \u00a0([,\u2013\u2014")
_SPACES = frozenset(" \t\n\r\u00a0-")
_POUND_WEIGHT_RE = re.compile(r"\s+of\s+([\w']+)|\s*\(\s*[\d.,]+\s*(?:kg|kilo)", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n")
_DATELINE_RE = re.compile(r"\s*([A-Z][A-Z .'-]{1,30}?)\s*(?:\(|,|\s[-\u2013\u2014]\s)")
_VAGUE_RE = re.compile(
    r"(?:(?:tens|dozens|hundreds) of )?(?:thousands|millions|billions|trillions)(?: of)?"
    r"|(?:several|a few) (?:hundred|thousand|million|billion|trillion)")
_WALK_WORDS = frozenset(NUMBER_WORDS) | {w for w, (_, k) in SCALES.items() if k == "word"} | {
    "and", "of", "few"}


# ---------------------------------------------------------------------------- reading

@dataclass
class _Raw:
    """An amount as read, before context resolution."""
    start: int
    end: int
    value: Decimal | None
    upper: Decimal | None
    form: CurrencyForm
    qualifier: str | None = None


def _amount(num: str, scale: str | None) -> Decimal:
    return parse_digits(num) * scale_multiplier(scale)


def _prefix_before(text: str, p: int) -> tuple[int, CurrencyForm] | None:
    """The currency written right before the number at p: "$", "US $", "USD ", "kr. "."""
    i = p
    if i and text[i - 1] in " \u00a0":
        i -= 1
    j = i
    lo = max(0, i - _PRE_MAX_LEN)
    while j > lo and not text[j - 1].isspace() and not text[j - 1].isdigit():
        j -= 1
    if j == i:
        return None
    token = text[j:i]
    lowered = token.lower()
    for k in range(len(token)):
        if lowered[k:] not in _PRE_TABLE:
            continue
        cand = token[k:]
        if k and cand[0].isalpha() and token[k - 1].isalpha():
            continue                        # a form never starts inside a word ("Kharkiv")
        form = _lookup_prefix(cand)
        if form is None:
            continue
        if k == 0 and j >= 2 and text[j - 1] in " \u00a0" and not cand[0].isalpha():
            # "US $50", "C $ 16.4": a letter prefix one space before the symbol
            w = j - 1
            while w > max(0, j - 6) and not text[w - 1].isspace():
                w -= 1
            ext = _lookup_prefix(text[w:j - 1] + cand)
            if ext is not None and " " in ext.surface and (w == 0 or text[w - 1].isspace()):
                return w, ext
        return j + k, form
    return None


def _word_form_at(text: str, pos: int) -> tuple[int, CurrencyForm] | None:
    """The longest currency word form starting at pos ("Norwegian crowns", "euros")."""
    words = []
    for _ in range(_WORD_MAX_WORDS):
        w = _WORD_RE.match(text, pos)
        if w is None:
            break
        if not words and w.group().lower().rstrip(".") not in _WORD_FIRST:
            return None
        words.append(w)
        pos = _INNER_SPACE_RE.match(text, w.end()).end()
        if pos == w.end():
            break
    for k in range(len(words), 0, -1):
        written = text[words[0].start():words[k - 1].end()]
        form = _lookup(_WORD_TABLE, written, _word_key)
        if form is not None:
            return words[k - 1].end(), form
        if written.endswith("."):
            form = _lookup(_WORD_TABLE, written[:-1], _word_key)
            if form is not None:
                return words[k - 1].end() - 1, form
    return None


def _suffix_after(text: str, e: int, peek: bool = True) -> tuple[int, int, CurrencyForm] | None:
    """The currency written right after an amount ("100 €", "3.5 billion USD", "5 euros"):
    (start, end, form) or None."""
    m = _SUF_TOKEN_RE.match(text, e)
    if m:
        token, t0 = m.group(1), m.start(1)
        lowered = token.lower()
        for k in range(len(token), 0, -1):
            if lowered[:k] not in _SUF_TABLE:
                continue
            if k < len(token) and token[k - 1].isalpha() and token[k].isalpha():
                continue                     # "euros" is a word, not the code "EUR"
            form = _lookup(_SUF_TABLE, token[:k], _symbol_key)
            if form is None:
                continue
            end = t0 + k
            nxt = end + 1 if text[end:end + 1] in (" ", "\u00a0") else end
            # "2022 €5bn": the € belongs to the 5, unless the 5 has its own ("10 rmb 20 usd")
            if not text[nxt:nxt + 1].isdigit() or (peek and _has_own_symbol(text, nxt)):
                return t0, end, form
            break
    sep = _WORD_SEP_RE.match(text, e)
    if sep is None:
        # "20,000,000YEN": a currency word in capitals written against the number
        hit = _word_form_at(text, e) if _CAPITAL_WORD_RE.match(text, e) else None
        return (e, hit[0], hit[1]) if hit is not None else None
    hit = _word_form_at(text, sep.end())
    return (sep.end(), hit[0], hit[1]) if hit is not None else None


def _has_own_symbol(text: str, p: int) -> bool:
    am = _AMOUNT_RE.match(text, p)
    if am is None:
        return False
    suf = _suffix_after(text, am.end(), peek=False)
    return suf is not None and suf[2].kind != "word"


def _cents_tail(text: str, end: int) -> tuple[int, Decimal] | None:
    """"3 dollars 50 cents", "thirteen dollars and forty-five cents", "15 dollars 50.":
    the minor part after a whole amount, with its unit or closing the sentence."""
    m = _CENTS_TAIL_RE.match(text, end)
    if m is None or not (m.group("unit") or m.group("close") is not None):
        return None
    number = m.group("n")
    value = parse_digits(number) if number[0].isdigit() else parse_words(number)
    if value is None or value >= 100:
        return None
    return (m.end("unit") if m.group("unit") else m.end("n")), value / 100


# "since February 2022 to about 30 billion crowns": a year, not the low end of a range.
_YEAR_START = re.compile(r"(?:19|20)\d\d(?!\d)")
_YEAR_CONTEXT = re.compile(r"(?:\b(?:since|in|of|from|until|by)|[A-Z][a-z]{2,8}\.?)\s+$")


def _range_allowed(rsep: str, text: str, start: int) -> bool:
    sep = rsep.strip().lower()
    before = text[max(0, start - 12):start]
    if _YEAR_START.match(text, start) and _YEAR_CONTEXT.search(before):
        return False
    if sep == "and":
        return _BETWEEN_RE.search(before) is not None
    if sep == "to":
        return _FROM_RE.search(before) is None
    return True


def _read_digits(text: str, p: int, floor: int = 0) -> tuple[_Raw | None, int]:
    """The amount whose number starts at p, if a currency is written next to it
    (a prefix must start at or after floor, the end of the previous amount)."""
    if p:
        c = text[p - 1]
        if c in ".," and p > 1 and text[p - 2].isdigit():
            return None, p + 1               # the tail of a number already read ("1,000")
        pre = _prefix_before(text, p) if (c.isalpha() or not c.isalnum()) else None
        if pre is not None and pre[0] < floor:
            pre = None                       # "10 $ 30 $": that $ belongs to the 10
        if pre is None and (c.isalnum() or c == "_"):
            return None, p + 1               # "A320", "COVID19": not money unless a code
    else:
        pre = None
    am = _AMOUNT_RE.match(text, p)
    if am is None:
        return None, p + 1
    n1, s1, rsep, p2, n2, s2 = am.group("n1", "s1", "r", "p2", "n2", "s2")
    first_end = am.end("s1") if s1 else am.end("n1")
    start = pre[0] if pre else p
    if pre is not None:
        form = pre[1]
        end = am.end()
        if p2:
            second = _lookup_prefix(p2.strip())
            if second is None or (second.iso, second.family) != (form.iso, form.family):
                n2 = None                    # "€50 million – $54 million" is no range
    else:
        if n2 is not None:
            suf = _suffix_after(text, am.end())
            if suf is None:
                return None, am.start("n2")
        else:
            suf = _suffix_after(text, first_end)
        if suf is None:
            return None, first_end
        _, end, form = suf
    value = _amount(n1, s1)
    if pre is None and form.kind == "code" and not s1 and n2 is None:
        late_scale = _SCALE_RE.match(text, end)        # "75 USD million"
        if late_scale is not None:
            value *= scale_multiplier(late_scale.group())
            end, s1 = late_scale.end(), late_scale.group()
    upper = None
    if n2 is not None:
        upper = _amount(n2, s2)
        if not s1 and s2 and _amount(n1, s2) <= upper:
            value = _amount(n1, s2)          # "$1-2 million": the scale is shared
        if upper <= value or not _range_allowed(rsep, text, start):
            # "$5 million and $6 million", "from $1bn to $2bn", "$100 million to 2025":
            # keep the first amount when its currency is written before it
            if pre is None:
                return None, am.start("n2")
            upper, value, end = None, _amount(n1, s1), first_end
    elif pre is not None:
        end = first_end
    if "strict" in form.flags and not (s1 or (s2 and upper is not None)):
        return None, end
    if upper is None and not s1 and text[end:end + 1] in _SPACES:
        if pre is not None:
            # "$ 10 dollars": the same currency written on both sides
            sep = _WORD_SEP_RE.match(text, end)
            twice = _word_form_at(text, sep.end()) if sep is not None else None
            if twice is not None and (twice[1].iso, twice[1].family) == (form.iso, form.family):
                end = twice[0]
        if "cent" not in form.flags and value == value.to_integral_value():
            tail = _cents_tail(text, end)
            if tail is not None:
                end, value = tail[0], value + tail[1]
    raw = _Raw(start, end, value, upper, form, "range" if upper is not None else None)
    return _weight_check(raw, text), end


def _word_before(text: str, j: int) -> tuple[int, str] | None:
    """The word ending just before position j, skipping up to 3 spaces or hyphens."""
    k = j
    while k > 0 and j - k < 3 and text[k - 1] in " \t\n\u00a0-":
        k -= 1
    if k == j:
        return None
    w = k
    while w > 0 and k - w < 12 and text[w - 1].isalpha():
        w -= 1
    if w == k or (w > 0 and (text[w - 1].isalnum())):
        return None
    return w, text[w:k]


def _read_words(text: str, form_start: int, form_end: int, form: CurrencyForm) -> _Raw | None:
    """An amount in words ending at a currency word: walk back over number words."""
    tokens: list[tuple[int, str]] = []
    j = form_start
    for _ in range(10):
        wb = _word_before(text, j)
        if wb is None or wb[1].lower() not in _WALK_WORDS:
            break
        tokens.append((wb[0], wb[1].lower()))
        j = wb[0]
    tokens.reverse()
    words = [t[1] for t in tokens]
    for i in range(len(words)):                  # vague: longest tail that reads as vague
        if _VAGUE_RE.fullmatch(" ".join(words[i:])):
            return _Raw(tokens[i][0], form_end, None, None, form, "approximate")
    # "of" ends the number ("hundreds of ...", "one of") unless a fraction precedes it
    # ("a quarter of a million")
    cuts = [i + 1 for i, w in enumerate(words) if w == "of"
            and not (i and NUMBER_WORDS.get(words[i - 1], (0, ""))[1] == "fraction")]
    if cuts:
        tokens, words = tokens[cuts[-1]:], words[cuts[-1]:]
    while words and (words[0] == "and" or (
            words[0] in ("a", "an") and len(words) > 1 and words[1] != "dozen"
            and NUMBER_WORDS.get(words[1], (0, ""))[1] == "unit")):
        tokens, words = tokens[1:], words[1:]  # "a five-million-dollar fund": the article is not the number
    if not words or any(NUMBER_WORDS.get(w, (0, ""))[1] == "vague" or w == "few" for w in words):
        return None
    value = parse_words(" ".join(words))
    if value is None:
        return None
    has_scale = any(w in SCALES for w in words)
    if "strict" in form.flags and not has_scale:
        return None
    if not has_scale and "cent" not in form.flags and value == value.to_integral_value():
        tail = _cents_tail(text, form_end)      # "thirteen dollars and forty-five cents"
        if tail is not None:
            form_end, value = tail[0], value + tail[1]
    return _weight_check(_Raw(tokens[0][0], form_end, value, None, form), text)


def _weight_check(raw: _Raw, text: str) -> _Raw | None:
    """Weights written in pounds are not money: "500 pounds of flour", "a 500-pound bomb"."""
    if "weight" not in raw.form.flags:
        return raw
    if text[raw.start:raw.end].lower().endswith("-pound") and not re.search(
            r"(?i)illion|thousand", text[raw.start:raw.end]):
        return None
    after = _POUND_WEIGHT_RE.match(text, raw.end)
    if after and (after.group(1) is None or after.group(1).lower() not in _POUND_MONEY_NOUNS):
        return None
    return raw


def _scan(text: str) -> list[_Raw]:
    raws: list[_Raw] = []
    resume = 0
    for dm in _DIGIT_RUN_RE.finditer(text):
        p = dm.start()
        if p < resume:
            continue
        raw, resume = _read_digits(text, p, raws[-1].end if raws else 0)
        if raw is not None:
            raws.append(raw)
    # amounts in words, outside the amounts already read: anchored on scale words
    # ("half a billion dollars", "tens of millions of dollars") and on the common currency
    # words, for small numbers in words ("one penny", "five dollars")
    starts = [r.start for r in raws]
    lowered = text.lower()
    found: list[_Raw] = []

    def free(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i < 0 or raws[i].end <= pos

    for stem in _SCALE_STEMS:
        h = lowered.find(stem)
        walked = 0          # a walk covers the number words after it: never walk them twice
        while h != -1:
            if h >= walked and free(h):
                raw, walked = _read_scale_anchor(text, h)
                if raw is not None:
                    found.append(raw)
            h = lowered.find(stem, h + 1)
    for stem in _COMMON_CURRENCY_STEMS:
        h = lowered.find(stem)
        while h != -1:
            if (h == 0 or not lowered[h - 1].isalpha()) and free(h):
                raw = _read_word_anchor(text, h)
                if raw is not None:
                    found.append(raw)
            h = lowered.find(stem, h + 1)
    if found:
        raws = _drop_overlaps(sorted(raws + found, key=lambda r: (r.start, -r.end)))
    return _merge_ranges(raws, text)


def _read_scale_anchor(text: str, h: int) -> tuple[_Raw | None, int]:
    """A scale word at h ("million"): read on over number words to a currency word.
    Returns the amount (or None) and how far the walk went."""
    w = _WORD_RE.match(text, h)
    pos = w.end() if w else h + 1
    for _ in range(6):
        sep = _WORD_SEP_RE.match(text, pos)
        if sep is None:
            return None, pos
        w = _WORD_RE.match(text, sep.end())
        if w is not None and w.group().lower() in _WALK_WORDS:
            pos = w.end()                    # more of the number ("million of", "hundred")
            continue
        hit = _suffix_after(text, pos, peek=False)
        if hit is not None:
            return _read_words(text, hit[0], hit[1], hit[2]), hit[1]
        return None, sep.end()
    return None, pos


def _read_word_anchor(text: str, h: int) -> _Raw | None:
    """A currency word at h, with the words that may open its form ("New Zealand dollars")."""
    candidates = [h]
    j = h
    for _ in range(_WORD_MAX_WORDS - 1):
        wb = _word_before(text, j)
        if wb is None or text[wb[0] + len(wb[1]):j].strip(" \t\u00a0"):
            break
        candidates.append(wb[0])
        j = wb[0]
    for start in reversed(candidates):
        hit = _word_form_at(text, start)
        if hit is not None and hit[0] > h:
            return _read_words(text, start, hit[0], hit[1])
    return None


def _drop_overlaps(raws: list[_Raw]) -> list[_Raw]:
    out: list[_Raw] = []
    for r in raws:
        if out and r.start < out[-1].end:
            continue
        out.append(r)
    return out


def _merge_ranges(raws: list[_Raw], text: str) -> list[_Raw]:
    """"5 million euros to 10 million euros", "between $1m and $2m": one range."""
    out: list[_Raw] = []
    for r in raws:
        if out:
            prev = out[-1]
            gap = _RANGE_GAP_RE.fullmatch(text, prev.end, r.start)
            if (gap and prev.upper is None and r.upper is None and prev.value is not None
                    and r.value is not None and r.value > prev.value
                    and (prev.form.iso, prev.form.family) == (r.form.iso, r.form.family)
                    and _range_allowed(gap.group(), text, prev.start)):
                out[-1] = _Raw(prev.start, r.end, prev.value, r.value, prev.form, "range")
                continue
        out.append(r)
    return out


# ---------------------------------------------------------------------------- context

class _Context:
    """Per-call lazy context: sentence bounds and keyword positions."""

    def __init__(self, text: str):
        self.text = text
        self._bounds: list[int] | None = None
        self._keyword_hits: dict[str, list[tuple[int, str]]] = {}

    def sentence(self, pos: int) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = [m.end() for m in _SENTENCE_END_RE.finditer(self.text)]
        i = bisect.bisect_right(self._bounds, pos)
        start = self._bounds[i - 1] if i else 0
        end = self._bounds[i] if i < len(self._bounds) else len(self.text)
        return start, end

    def keyword_hits(self, family: str) -> list[tuple[int, str]]:
        if family not in self._keyword_hits:
            pattern = _FAMILY_KEYWORD_RE.get(family)
            self._keyword_hits[family] = [] if pattern is None else [
                (m.start(), _FAMILY_KEYWORD_ISO[family][m.group(0)])
                for m in pattern.finditer(self.text)]
        return self._keyword_hits[family]

    def resolve_family(self, family: str, start: int, end: int) -> str:
        """The iso of the family member named nearest the amount: same sentence first,
        then (unless the family looks only at its sentence) the whole text, else the
        family default."""
        hits = self.keyword_hits(family)
        if hits:
            s0, s1 = self.sentence(start)
            pool = [h for h in hits if s0 <= h[0] < s1]
            if not pool and family not in _FAMILY_SENTENCE_ONLY:
                pool = hits
            if pool:
                return min(pool, key=lambda h: min(abs(h[0] - start), abs(h[0] - end)))[1]
        return _FAMILY_DEFAULT.get(family, "")


_FAMILY_KEYWORD_RE: dict[str, re.Pattern] = {}
_FAMILY_KEYWORD_ISO: dict[str, dict[str, str]] = {}
for _fam, _pairs in _FAMILY_KEYWORDS.items():
    _FAMILY_KEYWORD_ISO[_fam] = dict(_pairs)
    _FAMILY_KEYWORD_RE[_fam] = re.compile(
        r"\b(?:" + "|".join(re.escape(k) for k, _ in sorted(_pairs, key=lambda p: -len(p[0])))
        + r")\b")

# flags that scale the amount: a hundredth ("50 cents"), a million ("30 MUSD")
_FLAG_FACTORS = {"cent": Decimal("0.01"), "mega": Decimal(10) ** 6}


def _dollar_locale(text: str, raws: list[_Raw]) -> tuple[str, list[str]] | None:
    """A local-dollar convention: datelined in a dollar country that the text never names
    explicitly as a currency (no "A$" in a Canberra story)."""
    m = _DATELINE_RE.match(text)
    if not m:
        return None
    locale = _DOLLAR_LOCALES.get(m.group(1).strip())
    # a text that writes the local dollar out ("A$110 million ($73.5 million)") keeps "$" for USD
    if locale is None or any(r.form.iso == locale[0] for r in raws):
        return None
    return locale


def _clean(value: Decimal) -> Decimal:
    """Exact value without exponent residue: 2.50E+9 -> 2500000000, 2.50 -> 2.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _resolve(raw: _Raw, ctx: _Context, locale) -> Money:
    form = raw.form
    value, upper = raw.value, raw.upper
    factor = _FLAG_FACTORS.get(next(iter(form.flags & _FLAG_FACTORS.keys()), ""))
    if factor is not None:
        value = value * factor if value is not None else None
        upper = upper * factor if upper is not None else None
    currency, assumed = form.iso, False
    if not currency and form.family:
        assumed = True
        if form.family == "dollar" and locale is not None:
            s0, s1 = ctx.sentence(raw.start)
            sentence = ctx.text[s0:s1]
            if any(re.search(r"\b" + re.escape(k) + r"\b", sentence) for k in locale[1]):
                currency = locale[0]
        if not currency:
            currency = ctx.resolve_family(form.family, raw.start, raw.end)
    qualifier = raw.qualifier or _qualifier_before(ctx.text, raw.start)
    return Money(
        start=raw.start, end=raw.end, text=ctx.text[raw.start:raw.end],
        value=_clean(value) if value is not None else None,
        currency=currency or None, currency_assumed=assumed and bool(currency),
        qualifier=qualifier,
        upper=_clean(upper) if upper is not None else None,
    )


def _qualifier_before(text: str, start: int) -> str | None:
    """The qualifier written right before an amount: "about", "more than", "up to"."""
    if text[start - 1:start] not in (" ", "\u00a0", "\n", "\t", "~"):
        return None
    last = text.rfind(" ", max(0, start - 16), start - 1)
    if last < 0 and not _ONE_TOKEN.fullmatch(text, 0, start):
        return None     # the last "word" would be the whole text so far: no qualifier word (they are single tokens)
    if text[last + 1:start].strip().lower().lstrip("([\"'\u201c") not in _QUALIFIER_LAST_WORDS:
        return None
    lo = max(0, start - _QUALIFIER_SPAN)
    words = text[lo:start].split()
    if lo and words and not text[lo - 1].isspace() and not text[lo].isspace():
        words = words[1:]                    # the window cut a word in two
    for k in range(min(_QUALIFIER_MAX_WORDS, len(words)), 0, -1):
        phrase = " ".join(words[-k:]).lower().lstrip("([\"'\u201c")
        if phrase in _QUALIFIERS:
            return _QUALIFIERS[phrase]
    return None


def _link_equivalents(moneys: list[Money], text: str) -> list[Money]:
    """"€500 million ($550 million)": the bracketed amount becomes the first one's equivalent."""
    out: list[Money] = []
    i = 0
    while i < len(moneys):
        m = moneys[i]
        if i + 1 < len(moneys) and m.currency and text[m.end:m.end + 1] in _EQUIV_FIRST:
            nxt = moneys[i + 1]
            opener = _EQUIV_OPEN_RE.match(text, m.end)
            if (opener and nxt.currency and (nxt.currency != m.currency or _local_then_us_dollar(m, nxt))
                    and _equiv_starts_at(text, opener.end(), nxt.start)):
                out.append(replace(m, equivalent=nxt))
                i += 2
                continue
        out.append(m)
        i += 1
    return out


def _local_then_us_dollar(m: Money, nxt: Money) -> bool:
    """"$150 million (US$99 million)": a bare dollar converted into US dollars is another dollar."""
    return m.currency == nxt.currency == "USD" and m.currency_assumed and not nxt.currency_assumed \
        and nxt.value is not None and m.value is not None and nxt.value != m.value


def _equiv_starts_at(text: str, pos: int, start: int) -> bool:
    """The next amount starts right at pos, allowing only a qualifier in between."""
    if start == pos:
        return True
    then = _THEN_RE.match(text, pos, start)       # "(then about US$28.3 million)": the rate of that day
    pos = then.end() if then else pos
    return start == pos or (pos < start <= pos + 24 and _QUALIFIER_FULL_RE.fullmatch(text, pos, start) is not None)


# ---------------------------------------------------------------------------- API

def find_money(text: str) -> list[Money]:
    """Every monetary amount in *text*, sorted by start and non-overlapping."""
    if not text:
        return []
    raws = _scan(text)
    if not raws:
        return []
    ctx = _Context(text)
    locale = _dollar_locale(text, raws) if any(r.form.family == "dollar" for r in raws) else None
    return _with_elliptical(_link_equivalents([_resolve(r, ctx, locale) for r in raws], text), text)


# "5.4 billion crowns for arms, 1.2 billion for civilian aid": a scaled number with no currency of
# its own, soon after an amount in one (the same paragraph, within _ELLIPSIS_REACH characters),
# is in that currency, unless a noun follows it ("3 million people") or it counts something
# ("a country of 40 million").
_ELLIPSIS_REACH = 250
_ELLIPTICAL_RE = re.compile(rf"(?<![\w.,$\u00a3\u20ac\u00a5%/-])(?P<n>{_NUM})[^\S\n]?(?P<s>million|billion|bn|mn)(?![\w-])", re.IGNORECASE)
_ELLIPSIS_NEXT = re.compile(r"[^\S\n]*(?:$|[,.;:)\n]|(?:to|for|towards?|toward|in|into|over|each|and|from|as|was|were|will|would|is|are|has|have|had|went|goes|go|on|under|with|while|but|respectively)\b)", re.IGNORECASE)
_ELLIPSIS_COUNTED = re.compile(r"(?:\bof|\bby|\bpopulation|\bpeople|\bresidents|\binhabitants|\bnearly|\bsome)[^\S\n]+$", re.IGNORECASE)


def _with_elliptical(moneys: list[Money], text: str) -> list[Money]:
    if not moneys:
        return moneys
    taken = sorted([(m.start, m.end) for m in moneys] + [(m.equivalent.start, m.equivalent.end) for m in moneys if m.equivalent])
    taken_starts = [a for a, _ in taken]
    with_currency = [m for m in moneys if m.currency and m.value is not None]
    ends = [m.end for m in with_currency]
    added: list[Money] = []
    for hit in _ELLIPTICAL_RE.finditer(text, moneys[0].end):
        start, end = hit.span()
        k = bisect.bisect_left(taken_starts, end)          # spans starting before this hit ends
        if k and taken[k - 1][1] > start:
            continue                                # inside (or overlapping) a found amount
        n = bisect.bisect_right(ends, start)
        if not n:
            continue
        prev = with_currency[n - 1]
        if start - prev.end > _ELLIPSIS_REACH or "\n\n" in text[prev.end:start]:
            continue
        if not _ELLIPSIS_NEXT.match(text, end) or _ELLIPSIS_COUNTED.search(text, max(0, start - 16), start):
            continue
        value = parse_digits(hit.group("n")) * scale_multiplier(hit.group("s"))
        added.append(Money(start=start, end=end, text=text[start:end], value=_clean(value),
                           currency=prev.currency, currency_assumed=True,
                           qualifier=_qualifier_before(text, start)))
    return sorted(moneys + added, key=lambda m: m.start) if added else moneys


_UNIT_ALT = "|".join(r"\s+".join(re.escape(p) for p in u.split())
                     for u in sorted(_QUANTITY_UNITS, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    rf"(?P<n>{_NUM})(?P<s>[\s-]{{1,3}}(?i:thousand|million|billion)(?!\w))?"
    rf"(?P<mods>(?:[ \u00a0]+(?!(?i:of|and|or|to|in|for|from|with)\b)[\w][\w-]*){{0,3}}?)"
    rf"[ \u00a0]+(?P<u>(?i:{_UNIT_ALT}))(?!\w)"
    r"(?P<of>\s+of\s+[\w-]+)?"
)


def find_quantities(text: str) -> list[Quantity]:
    """In-kind counts: "1,000 anti-tank weapons", "2,000 tonnes of food"."""
    money_spans = [(m.start, m.end) for m in find_money(text)]
    out: list[Quantity] = []
    resume = 0
    for dm in _DIGIT_RUN_RE.finditer(text):
        p = dm.start()
        if p < resume or (p and (text[p - 1].isalnum() or text[p - 1] in "_.,-$\u00a3\u20ac\u00a5")):
            continue
        m = _QUANTITY_RE.match(text, p)
        if m is None:
            continue
        if any(s < m.end() and p < e for s, e in money_spans):
            continue
        qty = parse_digits(m.group("n")) * scale_multiplier(m.group("s"))
        unit_kind = _QUANTITY_UNITS.get(" ".join(m.group("u").lower().split()), "item")
        end = m.end() if (unit_kind == "measure" and m.group("of")) else m.end("u")
        unit_start = m.end("s") if m.group("s") else m.end("n")
        out.append(Quantity(start=p, end=end, text=text[p:end], quantity=_clean(qty),
                            unit=" ".join(text[unit_start:end].split())))
        resume = end
    return out
