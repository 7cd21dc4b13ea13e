"""FX conversion on a small file in the ECB's eurofxref-hist.csv format, with figures worked
out by hand (rates per 1 EUR; cross rates through the euro; amounts rounded to the cent)."""
from __future__ import annotations

import os
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from service import fx
from service.engine.types import Money, Party, Pledge, Total

FIXTURE = Path(__file__).with_name("eurofxref-hist-sample.csv")
D = Decimal


@pytest.fixture
def table():
    return fx.load_rates(FIXTURE)


# ------------------------------------------------------------------ reading the file

def test_reads_the_ecb_layout(table):
    assert table.first_day == date(2022, 2, 25)
    assert table.last_day == date(2022, 4, 19)
    assert {"USD", "JPY", "GBP", "RUB", "EUR"} <= table.currencies
    # Columns that are N/A on every row (retired currencies) and the trailing empty column are not currencies.
    assert "CYP" not in table.currencies and "" not in table.currencies
    assert table.quote("USD", date(2022, 3, 1)) == (date(2022, 3, 1), D("1.1000"), D("1.1000"))


def test_load_is_cached_until_the_file_changes(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(FIXTURE.read_text())
    first = fx.load_rates(path)
    assert fx.load_rates(path) is first
    path.write_text(FIXTURE.read_text().replace("2022-03-01,1.1000", "2022-03-01,1.2000"))
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    second = fx.load_rates(path)
    assert second is not first
    assert second.quote("USD", date(2022, 3, 1))[2] == D("1.2000")


def test_reads_the_zip_the_ecb_publishes(tmp_path):
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURE, "eurofxref-hist.csv")
    assert fx.load_rates(archive).quote("JPY", date(2022, 3, 1))[1] == D("128.00")


@pytest.mark.parametrize("content, message", [
    ("Day,USD\n2022-03-01,1.1\n", "first column must be 'Date'"),
    ("Date,USD,\n01/03/2022,1.1,\n", "not a date"),
    ("Date,USD,\n2022-03-01,abc,\n", "USD is not a number"),
    ("Date,USD,\n2022-03-01,0,\n", "positive"),
    ("Date,USD,\n", "no rates"),
])
def test_a_malformed_file_is_refused_with_its_line(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(fx.FxRatesError, match=message):
        fx.load_rates(path)


def test_a_missing_file_is_an_fx_error(tmp_path):
    with pytest.raises(fx.FxRatesError, match="FX_RATES_FILE"):
        fx.load_rates(tmp_path / "nope.csv")


def test_rates_from_env():
    assert fx.rates_from_env({}) is None
    assert fx.rates_from_env({"FX_RATES_FILE": "  "}) is None
    assert fx.rates_from_env({"FX_RATES_FILE": str(FIXTURE)}).last_day == date(2022, 4, 19)


# ------------------------------------------------------------------ hand-checked conversions

def test_euro_to_dollars(table):
    # 100 EUR at 1.1000 USD per EUR = 110.00 USD
    c = table.convert(D("100"), "EUR", date(2022, 3, 1))
    assert (c.usd, c.eur) == (D("110.00"), D("100.00"))
    assert (c.usd_per_unit, c.eur_per_unit) == (D("1.1"), D("1"))
    assert c.rate_date == date(2022, 3, 1)


def test_dollars_to_euro(table):
    # 50,000,000 USD / 1.1000 = 45,454,545.4545... EUR -> 45,454,545.45; 1 USD = 0.9090909091 EUR
    c = table.convert(D("50000000"), "USD", date(2022, 3, 1))
    assert c.usd == D("50000000.00")
    assert c.eur == D("45454545.45")
    assert c.eur_per_unit == D("0.9090909091")
    assert c.usd_per_unit == D("1")


def test_yen_to_dollars_through_the_euro(table):
    # 1 JPY = 1.1000 / 128.00 USD = 0.00859375 USD exactly; 1,000,000,000 JPY = 8,593,750.00 USD
    # and 1,000,000,000 / 128 = 7,812,500.00 EUR
    c = table.convert(D("1000000000"), "JPY", date(2022, 3, 1))
    assert c.usd_per_unit == D("0.00859375")
    assert c.usd == D("8593750.00")
    assert c.eur == D("7812500.00")


def test_pounds_round_half_up_to_the_cent(table):
    # 28 Feb: GBP 0.8350, USD 1.1200. 50,000,000 / 0.835 = 59,880,239.5209... EUR;
    # 50,000,000 x 1.12 / 0.835 = 67,065,868.2634... USD
    c = table.convert(D("50000000"), "GBP", date(2022, 2, 28))
    assert c.eur == D("59880239.52")
    assert c.usd == D("67065868.26")
    assert c.usd_per_unit == D("1.341317365")  # 1.12 / 0.835 = 1.3413173652... to 10 digits


def test_a_range_converts_both_ends(table):
    # 2 to 3 million EUR on 1 March: 2.2 to 3.3 million USD
    c = table.convert(D("2000000"), "EUR", date(2022, 3, 1), upper=D("3000000"))
    assert (c.usd, c.usd_upper, c.eur_upper) == (D("2200000.00"), D("3300000.00"), D("3000000.00"))


def test_weekend_uses_the_friday_before(table):
    # Sunday 6 March 2022 -> Friday 4 March (USD 1.0900): 100 EUR = 109.00 USD
    c = table.convert(D("100"), "EUR", date(2022, 3, 6))
    assert c.rate_date == date(2022, 3, 4)
    assert c.usd == D("109.00")


def test_easter_closure_uses_the_thursday_before(table):
    # Easter Monday 18 April 2022: the ECB published nothing on 15 or 18 April -> 14 April (USD 1.0900)
    c = table.convert(D("1000"), "JPY", date(2022, 4, 18))
    assert c.rate_date == date(2022, 4, 14)
    # 1000 x 1.09 / 137 = 7.9562... USD
    assert c.usd == D("7.96")


def test_a_currency_not_quoted_that_day_uses_its_last_quote_within_a_week(table):
    # RUB is N/A from 2 March; on 3 March the last quote is 1 March (RUB 120, USD 1.1):
    # 1,200,000,000 RUB = 10,000,000 EUR = 11,000,000 USD
    c = table.convert(D("1200000000"), "RUB", date(2022, 3, 3))
    assert c.rate_date == date(2022, 3, 1)
    assert (c.eur, c.usd) == (D("10000000.00"), D("11000000.00"))
    # By 19 April the last quote is seven weeks old: no conversion.
    assert table.convert(D("1"), "RUB", date(2022, 4, 19)) is None


def test_no_conversion_without_a_usable_rate(table):
    assert table.convert(D("1"), "UAH", date(2022, 3, 1)) is None          # not an ECB currency
    assert table.convert(D("1"), "EUR", date(2022, 2, 24)) is None         # before the file starts
    assert table.convert(D("1"), "EUR", date(2022, 5, 2)) is None          # file older than a week
    assert table.convert(D("1"), "EUR", None) is None                      # no date at all
    assert table.convert(None, "EUR", date(2022, 3, 1)) is None            # vague amount


# ------------------------------------------------------------------ enriching a payload

DEU = Party("Germany", "DEU")
JPN = Party("Japan", "JPN")
UKR = Party("Ukraine", "UKR")


def _pledge(donor, value, currency, day, status="new"):
    return Pledge(donor=donor, recipient=UKR, category="unspecified", date=day, status=status,
                  amount=Money(start=0, end=1, text="x", value=D(value), currency=currency))


def _payload(pledges, totals, published_at=None):
    return {"pledges": pledges, "totals": totals, "meta": {"published_at": published_at}}


def test_enrich_adds_fx_to_amounts_and_usd_totals(table):
    pledges = [_pledge(DEU, "100", "EUR", "2022-03-01"),
               _pledge(DEU, "50", "USD", "2022-03-06"),
               _pledge(JPN, "1000000000", "JPY", None)]           # dated by the publication day
    totals = [Total(DEU, "EUR", D("100"), pledge_count=1), Total(DEU, "USD", D("50"), pledge_count=1),
              Total(JPN, "JPY", D("1000000000"), pledge_count=1)]
    out = fx.enrich_payload(_payload(pledges, totals, "2022-03-01"), table)

    first, second, third = (p["amount"]["fx"] for p in out["pledges"])
    assert first == {"usd": D("110.00"), "usd_upper": None, "eur": D("100.00"), "eur_upper": None,
                     "usd_per_unit": D("1.1"), "eur_per_unit": D("1"), "rate_date": "2022-03-01",
                     "date_basis": "pledge_date"}
    # 50 USD on Sunday 6 March -> Friday's 1.09: 50 / 1.09 = 45.871... EUR
    assert (second["rate_date"], second["usd"], second["eur"]) == ("2022-03-04", D("50.00"), D("45.87"))
    assert (third["date_basis"], third["usd"]) == ("published_at", D("8593750.00"))
    # The pledge fields themselves are kept.
    assert out["pledges"][0]["amount"]["value"] == D("100") and out["pledges"][0]["donor"] == DEU

    assert [t["sum_usd"] for t in out["totals"]] == [D("110.00"), D("50.00"), D("8593750.00")]
    assert out["totals_usd"] == [
        {"donor": DEU, "sum_usd": D("160.00"), "currencies": ["EUR", "USD"], "pledge_count": 2},
        {"donor": JPN, "sum_usd": D("8593750.00"), "currencies": ["JPY"], "pledge_count": 1},
    ]


def test_a_usd_sum_is_null_unless_every_pledge_converts(table):
    pledges = [_pledge(DEU, "100", "EUR", "2022-03-01"), _pledge(DEU, "7", "UAH", "2022-03-01"),
               _pledge(DEU, "300", "EUR", None)]                   # no date, no publication date
    totals = [Total(DEU, "EUR", D("400"), pledge_count=2), Total(DEU, "UAH", D("7"), pledge_count=1)]
    out = fx.enrich_payload(_payload(pledges, totals), table)
    assert [p["amount"]["fx"] is None for p in out["pledges"]] == [False, True, True]
    assert [t["sum_usd"] for t in out["totals"]] == [None, None]
    assert out["totals_usd"][0]["sum_usd"] is None


def test_a_stated_total_is_converted_but_not_added(table):
    pledges = [_pledge(DEU, "100", "EUR", "2022-03-01"),
               _pledge(DEU, "1000", "EUR", "2022-03-01", status="total")]
    totals = [Total(DEU, "EUR", D("100"), stated_total=D("1000"), pledge_count=1)]
    out = fx.enrich_payload(_payload(pledges, totals), table)
    assert out["pledges"][1]["amount"]["fx"]["usd"] == D("1100.00")
    assert out["totals"][0]["sum_usd"] == D("110.00")


def test_without_a_table_nothing_changes():
    payload = _payload([_pledge(DEU, "100", "EUR", "2022-03-01")], [])
    assert fx.enrich_payload(payload, None) is payload


# ------------------------------------------------------------------ currencies as pint dimensions

def test_adding_one_currency_to_another_is_an_error():
    import pint
    assert fx.in_currency(D("1.25"), "USD") + fx.in_currency(D("2"), "USD") == fx.in_currency(D("3.25"), "USD")
    assert isinstance((fx.in_currency(D("1.25"), "USD") * 3).magnitude, Decimal)
    with pytest.raises(pint.DimensionalityError):
        fx.in_currency(D("1"), "USD") + fx.in_currency(D("1"), "EUR")
    with pytest.raises(pint.DimensionalityError):
        fx.in_currency(D("100"), "GBP").m_as("USD")        # no rate, no conversion


def test_a_rate_converts_only_the_currency_it_is_quoted_in(table):
    import pint
    # 28 Feb: GBP 0.8350, USD 1.1200 per EUR -> 1.12 / 0.835 USD per GBP
    day, usd_per_gbp, eur_per_gbp = table.per_unit("GBP", date(2022, 2, 28))
    assert day == date(2022, 2, 28)
    in_usd = (fx.in_currency(D("50000000"), "GBP") * usd_per_gbp).m_as("USD")
    assert in_usd.quantize(D("0.01")) == D("67065868.26")
    assert (fx.in_currency(D("835"), "GBP") * eur_per_gbp).m_as("EUR") == D("1000")
    with pytest.raises(pint.DimensionalityError):
        (fx.in_currency(D("1000"), "JPY") * usd_per_gbp).m_as("USD")
    assert table.per_unit("UAH", date(2022, 2, 28)) is None


def test_only_iso_codes_become_units():
    with pytest.raises(ValueError, match="ISO 4217"):
        fx.currency_units(["US dollar"])


def test_pint_is_imported_only_when_fx_is_used():
    import subprocess
    import sys
    root = Path(__file__).parents[2]
    probe = ("import sys; from service import create_app; "
             "create_app({'TESTING': True, 'WARM_UP': False}); before = 'pint' in sys.modules; "
             f"create_app({{'TESTING': True, 'WARM_UP': False, 'FX_RATES_FILE': {str(FIXTURE)!r}}}); "
             "print(before, 'pint' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "FX_RATES_FILE"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, capture_output=True,
                         text=True, check=True, timeout=60).stdout
    assert out.split()[-2:] == ["False", "True"]
