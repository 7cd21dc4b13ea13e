"""Comparable amounts: USD and EUR equivalents from the ECB's historical reference rates.

The European Central Bank publishes every euro reference rate since 1999 as
eurofxref-hist.zip (one CSV inside, eurofxref-hist.csv): a ``Date`` column, then one column
per currency holding units of that currency per 1 EUR, ``N/A`` where it was not quoted, rows
newest first, only TARGET business days. A deployment downloads that file itself and points
``FX_RATES_FILE`` at it (the .csv or the .zip); the service never downloads anything.

Conversion rule (documented in the README, section "Comparable amounts"):

* the rate date is the pledge's ``date``, else the text's publication date, else there is no
  conversion;
* the rate is the one on that day or, when the file has no quote for it (weekend, holiday,
  currency not quoted that day), on the nearest earlier day in the file that quotes both
  the currency and USD, at most ``MAX_RATE_AGE_DAYS`` earlier; else no conversion;
* cross rates go through the euro: 1 unit of X = USD/X dollars (both per 1 EUR, same day);
* all arithmetic is Decimal; amounts are rounded to the cent (half up), per-unit rates to
  ``RATE_DIGITS`` significant digits.

Amounts and rates are pint Quantities in a registry with one dimension per currency
(``USD = [currency_USD]``), so adding dollars to euros raises pint's DimensionalityError and a
rate only converts the currency it is quoted in. pint is imported on first use (about 0.3 s),
so a service without FX_RATES_FILE never pays for it.
"""
from __future__ import annotations

import bisect
import csv
import io
import os
import re
import threading
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pint

MAX_RATE_AGE_DAYS = 7        # longest ECB closure (Christmas to New Year) is 4 business days
RATE_DIGITS = 10             # significant digits of the per-unit rates shown
_CENT = Decimal("0.01")
_WORK = Context(prec=34)     # intermediate precision: far beyond any amount's digits
_SHOWN = Context(prec=RATE_DIGITS, rounding=ROUND_HALF_UP)
_MISSING = {"", "N/A", "NA", "-"}


class FxRatesError(ValueError):
    """The rates file cannot be read as an ECB eurofxref-hist.csv."""


# ------------------------------------------------------------------ currencies as pint units

_CURRENCY_CODE = re.compile(r"[A-Z]{3}\Z")
_units: pint.UnitRegistry | None = None
_defined: set[str] = set()
_units_lock = threading.Lock()


def currency_units(codes: Iterable[str] = ()) -> pint.UnitRegistry:
    """The registry of currency units, built on first use, with each of *codes* (ISO 4217)
    defined as its own dimension. It holds no physical units and uses Decimal magnitudes."""
    global _units
    missing = [code for code in codes if code not in _defined]
    if _units is not None and not missing:
        return _units
    with _units_lock:
        if _units is None:
            import pint  # here, not at the top: about 0.3 s that only FX needs
            _units = pint.UnitRegistry(None, non_int_type=Decimal)   # None: no definitions file
        for code in missing:
            if code in _defined:
                continue
            if not _CURRENCY_CODE.match(code):
                raise ValueError(f"not an ISO 4217 currency code: {code!r}")
            _units.define(f"{code} = [currency_{code}]")
            _defined.add(code)
    return _units


def in_currency(value: Decimal | int | str, currency: str) -> pint.Quantity:
    """*value* of *currency* as a Quantity: ``in_currency(1, "USD") + in_currency(1, "EUR")`` raises
    pint.DimensionalityError."""
    return currency_units((currency,)).Quantity(Decimal(value), currency)


def _cents(quantity: pint.Quantity, currency: str) -> Decimal:
    """The magnitude of *quantity* in *currency* (an error if it is another currency), to the cent."""
    return quantity.m_as(currency).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Conversion:
    """One amount's equivalents and the rates behind them (all Decimal)."""
    usd: Decimal | None
    usd_upper: Decimal | None
    eur: Decimal | None
    eur_upper: Decimal | None
    usd_per_unit: Decimal
    eur_per_unit: Decimal
    rate_date: date
    date_basis: str            # "pledge_date" | "published_at"

    def as_dict(self) -> dict:
        """The amount's "fx" object (Decimals; the response schema writes them as numbers)."""
        return {"usd": self.usd, "usd_upper": self.usd_upper, "eur": self.eur,
                "eur_upper": self.eur_upper, "usd_per_unit": self.usd_per_unit,
                "eur_per_unit": self.eur_per_unit, "rate_date": self.rate_date.isoformat(),
                "date_basis": self.date_basis}


class RateTable:
    """Euro reference rates by day: ``per_eur(currency, day)`` is units of currency per 1 EUR."""

    def __init__(self, rates: Mapping[date, Mapping[str, Decimal]], source: str = ""):
        self.source = source
        self._days = sorted(rates)
        self._rates = {day: {**rates[day], "EUR": Decimal(1)} for day in self._days}
        self.currencies = frozenset(c for row in self._rates.values() for c in row)
        # units for every currency the file quotes, defined now rather than on a first request
        currency_units(c for c in self.currencies if _CURRENCY_CODE.match(c))

    @property
    def first_day(self) -> date | None:
        return self._days[0] if self._days else None

    @property
    def last_day(self) -> date | None:
        return self._days[-1] if self._days else None

    def quote(self, currency: str, day: date,
              max_age_days: int = MAX_RATE_AGE_DAYS) -> tuple[date, Decimal, Decimal] | None:
        """(rate day, currency per EUR, USD per EUR) on *day* or the nearest earlier day that
        quotes both, at most *max_age_days* earlier; None when there is none."""
        if currency not in self.currencies or "USD" not in self.currencies:
            return None
        oldest = day - timedelta(days=max_age_days)
        index = bisect.bisect_right(self._days, day) - 1
        while index >= 0 and self._days[index] >= oldest:
            row = self._rates[self._days[index]]
            if currency in row and "USD" in row:
                return self._days[index], row[currency], row["USD"]
            index -= 1
        return None

    def per_unit(self, currency: str, day: date) -> tuple[date, pint.Quantity, pint.Quantity] | None:
        """(rate day, USD per unit, EUR per unit) of *currency* at *day*'s rate, the rates as
        Quantities in USD/currency and EUR/currency; None when there is no usable rate."""
        currency = currency.upper()
        found = self.quote(currency, day) if _CURRENCY_CODE.match(currency) else None
        if found is None:
            return None
        return (found[0], *_per_unit(currency, found[1], found[2])[:2])

    def convert(self, value: Decimal | None, currency: str | None, day: date | None, *,
                upper: Decimal | None = None, date_basis: str = "pledge_date") -> Conversion | None:
        """*value* (and a range's *upper*) of *currency* in USD and EUR at *day*'s rate."""
        if value is None or not currency or day is None:
            return None
        currency = currency.upper()
        found = self.quote(currency, day) if _CURRENCY_CODE.match(currency) else None
        if found is None:
            return None
        rate_day, per_eur, usd_per_eur = found
        usd_per_unit, eur_per_unit, usd_shown, eur_shown = _per_unit(currency, per_eur, usd_per_eur)
        with localcontext(_WORK):
            lower = in_currency(value, currency)
            high = in_currency(upper, currency) if upper is not None else None
            return Conversion(
                usd=_cents(lower * usd_per_unit, "USD"),
                usd_upper=_cents(high * usd_per_unit, "USD") if high is not None else None,
                eur=_cents(lower * eur_per_unit, "EUR"),
                eur_upper=_cents(high * eur_per_unit, "EUR") if high is not None else None,
                usd_per_unit=usd_shown, eur_per_unit=eur_shown, rate_date=rate_day, date_basis=date_basis)


@lru_cache(maxsize=4096)
def _per_unit(currency: str, per_eur: Decimal,
              usd_per_eur: Decimal) -> tuple[pint.Quantity, pint.Quantity, Decimal, Decimal]:
    """USD and EUR per unit of *currency*, from one day's ECB quotes (units per 1 EUR): as rate
    Quantities in USD/currency and EUR/currency, and as shown to RATE_DIGITS digits (cached:
    a day's quotes repeat across pledges)."""
    units = currency_units((currency, "EUR", "USD"))
    with localcontext(_WORK):
        quoted = units.Quantity(per_eur, f"{currency} / EUR")
        usd_per_unit = units.Quantity(usd_per_eur, "USD / EUR") / quoted
        eur_per_unit = Decimal(1) / quoted
        return (usd_per_unit, eur_per_unit,
                _SHOWN.plus(usd_per_unit.m_as(f"USD / {currency}")).normalize(),
                _SHOWN.plus(eur_per_unit.m_as(f"EUR / {currency}")).normalize())


# ------------------------------------------------------------------ reading the ECB file

def parse_ecb_csv(text: str, source: str = "") -> RateTable:
    """Read eurofxref-hist.csv: header ``Date,USD,JPY,...`` (the ECB ends every line with a
    comma: an empty last column), dates YYYY-MM-DD, ``N/A`` for no quote."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header or header[0].strip().lstrip("\ufeff") != "Date":
        raise FxRatesError(f"{source or 'rates file'}: the first column must be 'Date' (ECB eurofxref-hist.csv)")
    columns = [name.strip().upper() for name in header[1:]]
    rates: dict[date, dict[str, Decimal]] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise FxRatesError(f"{source}:{line_no}: not a date: {row[0]!r}") from None
        quotes = {}
        for currency, cell in zip(columns, row[1:]):
            cell = cell.strip()
            if not currency or cell in _MISSING:
                continue
            try:
                rate = Decimal(cell)
            except InvalidOperation:
                raise FxRatesError(f"{source}:{line_no}: {currency} is not a number: {cell!r}") from None
            if not rate.is_finite() or rate <= 0:
                raise FxRatesError(f"{source}:{line_no}: {currency} must be a positive rate: {cell!r}")
            quotes[currency] = rate
        rates[day] = quotes
    if not rates:
        raise FxRatesError(f"{source or 'rates file'}: no rates in it")
    return RateTable(rates, source=source)


def _read_text(path: Path) -> str:
    """The CSV's text, from the .csv itself or from inside the ECB's .zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(names) != 1:
                raise FxRatesError(f"{path}: expected one .csv inside the zip, found {names}")
            return archive.read(names[0]).decode("utf-8-sig")
    return path.read_text(encoding="utf-8-sig")


_cache: dict[str, tuple[tuple[int, int], RateTable]] = {}
_cache_lock = threading.Lock()


def load_rates(path: str | os.PathLike) -> RateTable:
    """The table in *path*, read once and kept until the file's mtime or size changes
    (so a deployment can replace the file daily without a restart)."""
    resolved = Path(path).expanduser().resolve()
    try:
        stat = resolved.stat()
    except OSError as exc:
        raise FxRatesError(f"FX_RATES_FILE {path}: {exc.strerror or exc}") from None
    key = str(resolved)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    with _cache_lock:
        cached = _cache.get(key)
        if cached and cached[0] == stamp:
            return cached[1]
        table = parse_ecb_csv(_read_text(resolved), source=str(path))
        _cache[key] = (stamp, table)
        return table


def rates_for(path: str | os.PathLike | None) -> RateTable | None:
    """load_rates(path), or None when no file is configured (empty or None)."""
    if path is None or not str(path).strip():
        return None
    return load_rates(str(path).strip())


def rates_from_env(env: Mapping[str, str] | None = None) -> RateTable | None:
    """The table FX_RATES_FILE names, or None when it is unset."""
    env = os.environ if env is None else env
    return rates_for(env.get("FX_RATES_FILE"))


# ------------------------------------------------------------------ enriching a payload

def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _as_dict(obj: Any) -> dict:
    """A dataclass's own fields (not recursively) or a mapping's items, as a new dict."""
    if isinstance(obj, Mapping):
        return dict(obj)
    if is_dataclass(obj):
        return {f.name: getattr(obj, f.name) for f in fields(obj)}
    raise TypeError(f"cannot read {type(obj).__name__} as a record")


def _to_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def convert_pledge(pledge: Any, table: RateTable, published_at: Any = None) -> Conversion | None:
    """The pledge's amount at the rate of its date, else of the publication date."""
    amount = _get(pledge, "amount")
    day, basis = _to_date(_get(pledge, "date")), "pledge_date"
    if day is None:
        day, basis = _to_date(published_at), "published_at"
    return table.convert(_get(amount, "value"), _get(amount, "currency"), day,
                         upper=_get(amount, "upper"), date_basis=basis)


def sum_or_none(values: Iterable[Decimal | None]) -> Decimal | None:
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total


def enrich_payload(payload: dict, table: RateTable | None) -> dict:
    """Add the FX fields to an extraction payload (serialize.run_extraction's output: pledges
    and totals as engine dataclasses or dicts, before the response schema dumps them).

    Each pledge's amount gains ``fx`` (a Conversion as a dict, or None when it cannot be
    converted); each total gains ``sum_usd``; the payload gains ``totals_usd``, one entry per
    donor across its currencies. A USD sum is None unless every pledge in it was converted.
    With no *table* the payload is returned unchanged, so none of these fields appear.
    """
    if table is None:
        return payload
    published_at = _get(payload.get("meta") or {}, "published_at")
    pledges, usd_by_key = [], {}
    for pledge in payload.get("pledges", ()):
        conversion = convert_pledge(pledge, table, published_at)
        record = _as_dict(pledge)
        record["amount"] = {**_as_dict(record["amount"]),
                            "fx": conversion.as_dict() if conversion else None}
        pledges.append(record)
        if _get(pledge, "status") != "total":
            # The engine's totals add every pledge of a donor and currency that is not itself a total.
            key = (_get(_get(pledge, "donor"), "code"), _get(_get(pledge, "amount"), "currency"))
            usd_by_key.setdefault(key, []).append(conversion.usd if conversion else None)
    totals, by_donor = [], {}
    for total in payload.get("totals", ()):
        record = _as_dict(total)
        donor = record["donor"]
        counted = usd_by_key.get((_get(donor, "code"), record["currency"]), [])
        # Guard: if the engine's rule for what a total adds ever changes, say nothing rather than guess.
        record["sum_usd"] = sum_or_none(counted) if len(counted) == record.get("pledge_count") else None
        totals.append(record)
        entry = by_donor.setdefault(_get(donor, "code"), {
            "donor": donor, "sums": [], "currencies": [], "pledge_count": 0})
        entry["sums"].append(record["sum_usd"])
        entry["currencies"].append(record["currency"])
        entry["pledge_count"] += record.get("pledge_count") or 0
    totals_usd = [{"donor": e["donor"], "sum_usd": sum_or_none(e["sums"]),
                   "currencies": e["currencies"], "pledge_count": e["pledge_count"]}
                  for e in by_donor.values()]
    return {**payload, "pledges": pledges, "totals": totals, "totals_usd": totals_usd}
