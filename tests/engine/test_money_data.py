"""The money data files are consistent: valid ISO 4217 codes, known families and flags."""
import csv
from importlib import resources

import pycountry

from service.engine.money import CURRENCY_FORMS

# currencies replaced by the euro (the lev in 2026) but still met in texts; withdrawn, so not
# in pycountry's current list
HISTORIC = {"FIM", "NLG", "ESP", "DEM", "FRF", "BEF", "ITL", "BGN"}
ISO_CODES = {c.alpha_3 for c in pycountry.currencies} | HISTORIC


def _rows(name):
    text = resources.files("service.engine.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(ln for ln in text.splitlines() if ln and not ln.startswith("#")))


def test_every_currency_form_has_a_valid_code_or_a_family():
    for form in CURRENCY_FORMS:
        assert form.iso in ISO_CODES or (not form.iso and form.family), form
        assert form.kind in {"symbol", "prefix", "suffix", "code", "word"}, form
        assert form.flags <= {"strict", "cent", "weight", "mega"}, form


def test_codes_are_written_as_their_own_code_or_a_million_of_it():
    for form in CURRENCY_FORMS:
        if form.kind == "code" and form.surface not in ("RMB", "SDR"):
            assert form.surface == form.iso or (
                "mega" in form.flags and form.surface == "M" + form.iso), form


def test_context_rows_resolve_to_valid_codes():
    families = {f.family for f in CURRENCY_FORMS if f.family}
    defaults = set()
    for row in _rows("currency_context.csv"):
        assert row["family"] in families, row
        assert not row["iso"] or row["iso"] in ISO_CODES, row
        if row["keyword"] == "*":
            defaults.add(row["family"])
    assert families <= defaults        # every ambiguous family has a default row ("*")


def test_dollar_locales_name_dollar_currencies():
    for row in _rows("dollar_locales.csv"):
        assert row["iso"] in ISO_CODES and row["keywords"], row


def test_no_duplicate_forms():
    seen = set()
    for form in CURRENCY_FORMS:
        key = (form.surface, form.kind)
        assert key not in seen, form
        seen.add(key)
