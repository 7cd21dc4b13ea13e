"""Money stage: every monetary amount in a text, with exact value and ISO 4217 currency.

    find_money("Japan pledged ¥15.8 billion ($105 million) on Friday")
    -> [Money(text="¥15.8 billion", value=Decimal("15800000000"), currency="JPY",
              currency_assumed=True, equivalent=Money(text="$105 million", ...))]

A small grammar (currency prefix, number, scale, currency suffix) compiled once at import
from the data files (currencies.csv, scales.csv, number_words.csv ...). Context rules then
resolve ambiguous currencies ("$", "kr", "¥", "crowns", "rupees"), qualifiers ("about",
"more than", "up to"), ranges ("$1-2 million") and stated conversions ("€500 million
($550 million)"). find_quantities() reads in-kind counts ("1,000 anti-tank weapons").

Every pattern is linear: each repetition is either bounded or anchored at a start that
cannot occur inside the previous attempt, and all look-arounds are of fixed width.
"""
from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Optional

from .numbers import (
    SCALES, digit_number_pattern, parse_digits, parse_words, scale_multiplier, scale_pattern,
    word_number_pattern,
)
from .types import Money, Quantity

__all__ = ["find_money", "find_quantities", "CURRENCY_FORMS"]


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
    iso: str            # "" when ambiguous
    kind: str           # symbol | prefix | suffix | code | word
    family: str
    case_sensitive: bool
    flags: frozenset


CURRENCY_FORMS: list[CurrencyForm] = [
    CurrencyForm(r["surface"], r["iso"], r["kind"], r["family"], r["case"] == "cs",
                 frozenset(f for f in r["flags"].split("|") if f))
    for r in _read_csv("currencies.csv")
]

# family -> default iso ("" = unknown); family -> [(keyword, iso)]
_FAMILY_DEFAULT: dict[str, str] = {}
_FAMILY_KEYWORDS: dict[str, list[tuple[str, str]]] = {}
for _row in _read_csv("currency_context.csv"):
    if _row["keyword"] == "*":
        _FAMILY_DEFAULT[_row["family"]] = _row["iso"]
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


# ---------------------------------------------------------------------------- grammar

def _form_regex(form: CurrencyForm) -> str:
    if form.kind == "word":
        body = r"\s+".join(re.escape(part) for part in form.surface.split())
    else:
        body = r"[ \u00a0]?".join(re.escape(part) for part in form.surface.split(" "))
    if not form.case_sensitive:
        body = f"(?i:{body})"
    if form.surface[:1].isalpha():
        body = r"(?<![^\W\d_])" + body      # a letter form starts a word: never "kr" in "Kharkiv"
    if form.surface[-1:].isalpha():
        # ...and ends one (a code may touch its digits: "USD115", "115USD")
        body += r"(?!\w)" if form.kind == "word" else r"(?![^\W\d_])"
    return body


def _alternation(forms: list[CurrencyForm]) -> str:
    return "|".join(_form_regex(f) for f in sorted(forms, key=lambda f: -len(f.surface)))


def _form_key(surface: str) -> str:
    return re.sub(r"\s+", "", surface)


# written form (spaces removed, lower case) -> candidate rows
_FORMS_BY_KEY: dict[str, list[CurrencyForm]] = {}
for _form in CURRENCY_FORMS:
    _FORMS_BY_KEY.setdefault(_form_key(_form.surface).lower(), []).append(_form)

_PRE_KINDS = ("symbol", "prefix", "code")
_SUF_KINDS = ("symbol", "suffix", "code", "word")


def _lookup_form(written: str, kinds: tuple[str, ...]) -> Optional[CurrencyForm]:
    """The data row for a currency as written (the regex has already matched it)."""
    key = _form_key(written)
    for form in _FORMS_BY_KEY.get(key.lower(), ()):
        if form.kind in kinds and (not form.case_sensitive or _form_key(form.surface) == key):
            return form
    return None


_PRE_ALT = _alternation([f for f in CURRENCY_FORMS if f.kind in _PRE_KINDS])
_SUF_ALT = _alternation([f for f in CURRENCY_FORMS if f.kind in ("symbol", "suffix", "code")])
_WORD_ALT = _alternation([f for f in CURRENCY_FORMS if f.kind == "word"])

_NUM = digit_number_pattern()
_SCALE = scale_pattern()
_RSEP = r"(?:[ \u00a0]?[-\u2013\u2014][ \u00a0]?|\s+to\s+|\s+and\s+)"
_VAGUE = (r"(?i:(?:tens|dozens|hundreds)\s+of\s+(?:thousands|millions|billions|trillions)"
          r"|(?:several|a\s+few)\s+(?:hundred|thousand|million|billion|trillion)"
          r"|(?:thousands|millions|billions|trillions))(?!\w)")

_MONEY_RE = re.compile(
    # 1. currency first: "$50m", "US $50 million", "NOK 100 million", "$1-2 million"
    rf"(?:{_PRE_ALT})[ \u00a0]?(?P<n1>{_NUM})(?P<s1>{_SCALE})?"
    rf"(?:(?P<r1>{_RSEP})(?:(?:{_PRE_ALT})[ \u00a0]?)?(?P<n2>{_NUM})(?P<s2>{_SCALE})?)?"
    # 2. number first: "25 million euros", "3.5 billion USD", "100 €", "8 to 9 million dollars"
    rf"|(?<![\w.,\u00a3$\u20ac])(?P<n3>{_NUM})(?P<s3>{_SCALE})?"
    rf"(?:(?P<r3>{_RSEP})(?P<n4>{_NUM})(?P<s4>{_SCALE})?)?"
    rf"(?:[ \u00a0]?(?:{_SUF_ALT})(?![ \u00a0]?\d)|[\s-]{{1,3}}(?:{_WORD_ALT}))"
    # 3. number words: "half a billion dollars", "one hundred million euros"
    rf"|(?<![\w-])(?P<wn>{word_number_pattern()})[\s-]{{1,3}}(?:{_WORD_ALT})"
    # 4. vague: "tens of millions of dollars" (no exact value)
    rf"|(?<![\w-])(?P<vg>{_VAGUE})(?:\s+of)?\s+(?P<vc>{_WORD_ALT})"
)

_QUALIFIER_ALT = "|".join(r"\s+".join(re.escape(p) for p in q.split())
                          for q in sorted(_QUALIFIERS, key=len, reverse=True))
_QUALIFIER_RE = re.compile(rf"(?<!\w)(?i:({_QUALIFIER_ALT}))\s*(?:of\s+)?\Z")
_QUALIFIER_FULL_RE = re.compile(rf"(?i:({_QUALIFIER_ALT}))\s*")
_BETWEEN_RE = re.compile(r"(?i:\bbetween)\s+\Z")
_FROM_RE = re.compile(r"(?i:\bfrom)\s+\Z")
_EQUIV_OPEN_RE = re.compile(
    r"[ \u00a0]*(?:\(|\[|,[ \u00a0]*(?=(?i:or|about|around|roughly|approximately|some|nearly|"
    r"equivalent|the\s+equivalent)\b))[ \u00a0]*(?i:(?:or|equivalent\s+to|the\s+equivalent\s+of|"
    r"worth)\s+)?")
_POUND_WEIGHT_RE = re.compile(r"\s+of\s+([\w']+)|\s*\(\s*[\d.,]+\s*(?:kg|kilo)", re.I)
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n")
_DATELINE_RE = re.compile(r"\s*([A-Z][A-Z .'-]{1,30}?)\s*(?:\(|,|\s[-\u2013\u2014]\s)")


# ---------------------------------------------------------------------------- helpers

def _clean(value: Decimal) -> Decimal:
    """Exact value without float-like residue: 2.50E+9 -> 2500000000, 2.50 -> 2.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _matched_form(m: re.Match) -> tuple[Optional[CurrencyForm], Optional[CurrencyForm]]:
    """(prefix form, suffix form) of a match, read back from the matched text."""
    g = m.group
    if g("n1") is not None:
        return _lookup_form(m.string[m.start():m.start("n1")], _PRE_KINDS), None
    if g("vg") is not None:
        return None, _lookup_form(g("vc"), ("word",))
    if g("wn") is not None:
        return None, _lookup_form(m.string[m.end("wn"):m.end()].strip(" -\t\r\n\u00a0"), ("word",))
    last = max(m.end(k) for k in ("n3", "s3", "n4", "s4") if g(k) is not None)
    return None, _lookup_form(m.string[last:m.end()].strip(" -\t\r\n\u00a0"), _SUF_KINDS)


class _Context:
    """Per-call lazy context: sentence bounds and keyword positions."""

    def __init__(self, text: str):
        self.text = text
        self._bounds: Optional[list[int]] = None
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
            hits = []
            pattern = _FAMILY_KEYWORD_RE.get(family)
            if pattern is not None:
                for m in pattern.finditer(self.text):
                    hits.append((m.start(), _FAMILY_KEYWORD_ISO[family][m.group(0)]))
            self._keyword_hits[family] = hits
        return self._keyword_hits[family]

    def resolve_family(self, family: str, start: int, end: int) -> str:
        """The iso of the family member named nearest the amount: same sentence first,
        then the whole text, else the family default."""
        hits = self.keyword_hits(family)
        if hits:
            s0, s1 = self.sentence(start)
            in_sentence = [h for h in hits if s0 <= h[0] < s1]
            pool = in_sentence or hits
            return min(pool, key=lambda h: min(abs(h[0] - start), abs(h[0] - end)))[1]
        return _FAMILY_DEFAULT.get(family, "")


_FAMILY_KEYWORD_RE: dict[str, re.Pattern] = {}
_FAMILY_KEYWORD_ISO: dict[str, dict[str, str]] = {}
for _fam, _pairs in _FAMILY_KEYWORDS.items():
    _FAMILY_KEYWORD_ISO[_fam] = dict(_pairs)
    _FAMILY_KEYWORD_RE[_fam] = re.compile(
        r"\b(?:" + "|".join(re.escape(k) for k, _ in sorted(_pairs, key=lambda p: -len(p[0]))) + r")\b")


@dataclass
class _Raw:
    """A match before context resolution."""
    start: int
    end: int
    value: Optional[Decimal]
    upper: Optional[Decimal]
    form: CurrencyForm
    qualifier: Optional[str] = None


def _amount(num: str, scale: Optional[str]) -> Decimal:
    return parse_digits(num) * scale_multiplier(scale)


def _read(m: re.Match, text: str) -> tuple[Optional[_Raw], int]:
    """Interpret one regex match; returns the reading (or None) and where to resume."""
    pre, suf = _matched_form(m)
    form = pre or suf
    g = m.group
    if form is None:                      # cannot happen unless data and grammar disagree
        return None, m.end()
    if g("vg") is not None:
        return _Raw(m.start(), m.end(), None, None, form, "approximate"), m.end()
    if g("wn") is not None:
        value = parse_words(g("wn"))
        if value is None or ("strict" in form.flags and not _has_scale_word(g("wn"))):
            return None, m.end()
        return _weight_check(_Raw(m.start(), m.end(), value, None, form), text), m.end()

    if pre is not None:
        n1, s1, rsep, n2, s2 = g("n1"), g("s1"), g("r1"), g("n2"), g("s2")
        first_end = m.end("s1") if s1 else m.end("n1")
    else:
        n1, s1, rsep, n2, s2 = g("n3"), g("s3"), g("r3"), g("n4"), g("s4")
        first_end = m.end("s3") if s1 else m.end("n3")
    if "strict" in form.flags and not (s1 or s2):
        return None, m.end()
    value = _amount(n1, s1)
    upper = None
    if n2 is not None:
        upper = _amount(n2, s2)
        if not s1 and s2 and _amount(n1, s2) <= upper:
            value = _amount(n1, s2)          # "$1-2 million": the scale is shared
        if upper <= value or not _range_allowed(rsep, text, m.start()):
            # "$5 million and $6 million", "from $1bn to $2bn", "$100 million to 2025":
            # keep the first amount when its currency is written, read the rest again
            if pre is not None:
                return _Raw(m.start(), first_end, _amount(n1, s1), None, form), first_end
            return None, m.start("n4")
    raw = _Raw(m.start(), m.end(), value, upper, form, "range" if upper is not None else None)
    return (raw if pre is not None else _weight_check(raw, text)), m.end()


def _has_scale_word(words: str) -> bool:
    return any(w in SCALES for w in re.split(r"[\s-]+", words.lower()))


def _range_allowed(rsep: str, text: str, start: int) -> bool:
    sep = rsep.strip().lower()
    before = text[max(0, start - 12):start]
    if sep == "and":
        return bool(_BETWEEN_RE.search(before))
    if sep == "to":
        return not _FROM_RE.search(before)
    return True


def _weight_check(raw: _Raw, text: str) -> Optional[_Raw]:
    """Weights written in pounds are not money: "500 pounds of flour", "a 500-pound bomb"."""
    if "weight" not in raw.form.flags:
        return raw
    if re.search(r"\d-pound$", text[raw.start:raw.end], re.I):
        return None
    after = _POUND_WEIGHT_RE.match(text, raw.end)
    if after and (after.group(1) is None or after.group(1).lower() not in _POUND_MONEY_NOUNS):
        return None
    return raw


_DOLLAR_ISOS = frozenset({"USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD"})


def _dollar_locale(text: str, raws: list[_Raw]) -> Optional[tuple[str, list[str]]]:
    """A local-dollar convention: datelined in a dollar country, no explicit dollar forms."""
    m = _DATELINE_RE.match(text)
    if not m:
        return None
    locale = _DOLLAR_LOCALES.get(m.group(1).strip())
    if locale is None:
        return None
    if any(r.form.iso in _DOLLAR_ISOS for r in raws):
        return None
    return locale


def _resolve(raw: _Raw, ctx: _Context, locale) -> Money:
    form = raw.form
    value, upper = raw.value, raw.upper
    if "cent" in form.flags:
        value = value / 100 if value is not None else None
        upper = upper / 100 if upper is not None else None
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
    qualifier = raw.qualifier
    if qualifier is None:
        q = _QUALIFIER_RE.search(ctx.text, max(0, raw.start - 24), raw.start)
        if q:
            qualifier = _QUALIFIERS[re.sub(r"\s+", " ", q.group(1).lower())]
    return Money(
        start=raw.start, end=raw.end, text=ctx.text[raw.start:raw.end],
        value=_clean(value) if value is not None else None,
        currency=currency or None, currency_assumed=assumed and bool(currency),
        qualifier=qualifier,
        upper=_clean(upper) if upper is not None else None,
    )


def _scan(text: str) -> list[_Raw]:
    raws: list[_Raw] = []
    pos = 0
    search = _MONEY_RE.search
    while True:
        m = search(text, pos)
        if m is None:
            break
        raw, resume = _read(m, text)
        if raw is not None:
            raws.append(raw)
        pos = max(resume, m.start() + 1)
    return raws


def find_money(text: str) -> list[Money]:
    """Every monetary amount in *text*, sorted by start and non-overlapping."""
    if not text:
        return []
    raws = _scan(text)
    if not raws:
        return []
    ctx = _Context(text)
    locale = _dollar_locale(text, raws) if any(r.form.family == "dollar" for r in raws) else None
    return _link_equivalents([_resolve(r, ctx, locale) for r in raws], text)


def _link_equivalents(moneys: list[Money], text: str) -> list[Money]:
    """"€500 million ($550 million)": the bracketed amount becomes the first one's equivalent."""
    out: list[Money] = []
    i = 0
    while i < len(moneys):
        m = moneys[i]
        if i + 1 < len(moneys) and m.currency:
            nxt = moneys[i + 1]
            opener = _EQUIV_OPEN_RE.match(text, m.end)
            if (opener and nxt.currency and nxt.currency != m.currency
                    and _equiv_starts_at(text, opener.end(), nxt.start)):
                out.append(replace(m, equivalent=nxt))
                i += 2
                continue
        out.append(m)
        i += 1
    return out


def _equiv_starts_at(text: str, pos: int, start: int) -> bool:
    """The next amount starts right at pos, allowing only a qualifier in between."""
    if start == pos:
        return True
    return pos < start <= pos + 24 and _QUALIFIER_FULL_RE.fullmatch(text, pos, start) is not None


# ---------------------------------------------------------------------------- quantities

_UNIT_ALT = "|".join(r"\s+".join(re.escape(p) for p in u.split())
                     for u in sorted(_QUANTITY_UNITS, key=len, reverse=True))
_QUANTITY_RE = re.compile(
    rf"(?<![\w.,$\u00a3\u20ac\u00a5-])(?P<n>{_NUM})(?P<s>[\s-]{{1,3}}(?i:thousand|million|billion)(?!\w))?"
    rf"(?P<mods>(?:[ \u00a0]+(?!(?i:of|and|or|to|in|for|from|with)\b)[\w][\w-]*){{0,3}}?)"
    rf"[ \u00a0]+(?P<u>(?i:{_UNIT_ALT}))(?!\w)"
    r"(?P<of>\s+of\s+[\w-]+)?"
)


def find_quantities(text: str) -> list[Quantity]:
    """In-kind counts: "1,000 anti-tank weapons", "2,000 tonnes of food"."""
    money_spans = [(m.start, m.end) for m in find_money(text)]
    out = []
    for m in _QUANTITY_RE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in money_spans):
            continue
        qty = parse_digits(m.group("n")) * scale_multiplier(m.group("s"))
        unit_kind = _QUANTITY_UNITS.get(re.sub(r"\s+", " ", m.group("u").lower()), "item")
        end = m.end() if (unit_kind == "measure" and m.group("of")) else m.end("u")
        unit_start = m.end("s") if m.group("s") else m.end("n")
        unit = re.sub(r"\s+", " ", text[unit_start:end].strip())
        out.append(Quantity(start=m.start(), end=end, text=text[m.start():end],
                            quantity=_clean(qty), unit=unit))
    return out
