"""Numbers as news text writes them: digit strings with grouping, and English number words.

    parse_digits("1,250,000") == Decimal("1250000")
    parse_digits("1.500.000") == Decimal("1500000")      # euro-style grouping
    parse_words("half a billion") == Decimal("500000000")

Word and scale lists live in data/number_words.csv and data/scales.csv.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from importlib import resources

__all__ = [
    "NUMBER_WORDS",
    "SCALES",
    "digit_number_pattern",
    "parse_digits",
    "parse_words",
    "scale_multiplier",
    "scale_pattern",
]


def _read_csv(name: str) -> list[dict]:
    text = resources.files("service.engine.data").joinpath(name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


# word -> (value, kind)
NUMBER_WORDS: dict[str, tuple[Decimal, str]] = {
    row["word"]: (Decimal(row["value"]), row["kind"]) for row in _read_csv("number_words.csv")
}
# scale word/abbreviation (lower case) -> (multiplier, kind)
SCALES: dict[str, tuple[Decimal, str]] = {
    row["word"]: (Decimal(10) ** int(row["exponent"]), row["kind"]) for row in _read_csv("scales.csv")
}

_SPACE_GROUP = "\u00a0\u202f\u2009 "


def _alternation(words: Iterable[str]) -> str:
    # Longest first so "mln" wins over "m"; escaped because data may hold dots.
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def digit_number_pattern() -> str:
    """A digit number with optional grouping; the caller adds the left guard.

    Alternatives are tried in order; each ends where the number really ends, so a partial
    read ("1,0000" as "1,000") cannot succeed.
    """
    space = f"[{_SPACE_GROUP}]"
    return (
        r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"            # 1,234,567.89
        r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"         # Indian 12,34,567.89
        r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?"            # euro 1.500.000(,5)
        r"|\d{1,3}(?:\.\d{3})+,\d{1,2}"                # euro 1.500,50
        rf"|\d{{1,3}}(?:{space}\d{{3}})+(?:\.\d+)?"    # 1 500 000
        r"|\d{1,3},\d{1,2}(?=[ \u00a0-]?(?i:million|billion|trillion|milliards?|mn|bn|mln|bln|m|b)(?![^\W\d_]))"  # decimal comma: 1,2 billion
        r"|\d+(?:\.\d+)?"
        r"|\.\d+)"
        r"(?!\d|[.,]\d)"
    )


def scale_pattern() -> str:
    """A scale after a number: " million", "-billion", "bn", " mln", "-bln", "m" (tight only)."""
    words = [w for w, (_, k) in SCALES.items() if k == "word"]
    abbrs = [w for w, (_, k) in SCALES.items() if k == "abbr"]
    tight = [w for w in abbrs if len(w) == 1]          # "$50m" yes, "$50 m" no
    spaced = [w for w in abbrs if len(w) > 1]
    return (
        rf"(?:[\s-]{{0,3}}(?i:{_alternation(words)})"
        rf"|[ \u00a0-]?(?i:{_alternation(spaced)})"
        rf"|(?i:{_alternation(tight)}))(?!\w)"
    )


@lru_cache(maxsize=256)
def scale_multiplier(scale_text: str | None) -> Decimal:
    if not scale_text:
        return Decimal(1)
    word = scale_text.strip(" -\u00a0\t\r\n").lower()
    return SCALES[word][0]


_GROUP_SPACES = re.compile(f"[{_SPACE_GROUP}]")


_DECIMAL_COMMA = re.compile(r"\d{1,3},\d{1,2}")


@lru_cache(maxsize=4096)
def parse_digits(s: str) -> Decimal:
    """Value of a digit string matched by digit_number_pattern()."""
    s = _GROUP_SPACES.sub("", s)
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):        # 1.500,50: dots group, comma is the decimal
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif s.count(".") > 1:                     # 1.500.000
        s = s.replace(".", "")
    elif _DECIMAL_COMMA.fullmatch(s):          # 1,2 (before a scale word: no group has 1-2 digits)
        s = s.replace(",", ".")
    else:
        s = s.replace(",", "")
    return Decimal(s)


_WORD_SPLIT = re.compile(r"[\s-]+")


def parse_words(s: str) -> Decimal | None:
    """Value of a run of English number words, or None when it has no number in it
    (a lone article)."""
    total = Decimal(0)
    group = Decimal(0)
    seen_number = False
    prev_kind = ""
    for tok in _WORD_SPLIT.split(s.lower()):
        if not tok or tok in ("and", "of"):
            continue
        if tok in SCALES:
            total += (group or Decimal(1)) * SCALES[tok][0]
            group = Decimal(0)
            seen_number = True
            prev_kind = "scale"
            continue
        value, kind = NUMBER_WORDS[tok]
        if kind == "unit":
            group += value
            seen_number = True
        elif kind == "multiplier":
            group = (group or Decimal(1)) * value
            seen_number = True
        elif kind == "fraction":
            # "three quarters" multiplies; "half", "a quarter", "one and a half" add.
            group = group * value if prev_kind == "unit" else group + value
            seen_number = True
        elif kind == "article":
            pass
        else:  # vague words never reach here (not in the pattern)
            return None
        prev_kind = kind
    if not seen_number:
        return None
    return total + group
