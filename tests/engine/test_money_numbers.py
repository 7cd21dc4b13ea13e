"""Number parsing used by the money stage (digits with grouping, English number words)."""
from decimal import Decimal

import pytest

from service.engine.numbers import parse_digits, parse_words


@pytest.mark.parametrize("written,value", [
    ("7", 7), ("2.5", Decimal("2.5")), ("1,250,000", 1_250_000), ("1.500.000", 1_500_000),
    ("1.500,25", Decimal("1500.25")), ("12,34,567.89", Decimal("1234567.89")),
    ("1\u00a0250\u00a0000", 1_250_000), (".5", Decimal("0.5")),
])
def test_parse_digits(written, value):
    assert parse_digits(written) == value


@pytest.mark.parametrize("written,value", [
    ("half a billion", 500_000_000), ("a billion", 10**9), ("one hundred million", 10**8),
    ("three quarters billion", 750_000_000), ("one and a half billion", 1_500_000_000),
    ("a quarter of a million", 250_000), ("twenty-five", 25), ("a dozen", 12),
    ("one million two hundred thousand", 1_200_000), ("ninety nine", 99),
])
def test_parse_words(written, value):
    assert parse_words(written) == value


def test_article_alone_is_no_number():
    assert parse_words("a") is None
