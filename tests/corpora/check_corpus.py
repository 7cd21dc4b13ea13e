#!/usr/bin/env python3
"""Validate tests/corpora/passages.jsonl: schema, codes, dates and tag coverage.

Run: python tests/corpora/check_corpus.py [path]   (exit status 1 on any error)
"""
import collections
import datetime as dt
import json
import re
import sys
from pathlib import Path

import pycountry

ORGANISATIONS = {"EU", "WB", "IMF", "ADB", "AIIB", "EIB", "EBRD", "ISDB", "UN", "GATES", "AHF"}
CATEGORIES = {"military_lethal", "military_non_lethal", "military", "humanitarian", "financial",
              "development", "unspecified"}
STATUSES = {"new", "previously_announced", "total"}
PLEDGE_KEYS = {"donor", "donor_aliases", "amount", "currency", "category", "date", "status", "recipient"}
PASSAGE_KEYS = {"id", "published_at", "text", "pledges", "notes", "covers"}
TAGS = set("""
money_symbol money_code money_words money_scale_abbrev money_range money_equivalent money_other_currency
donor_name donor_demonym donor_capital donor_leader donor_body donor_organisation company_not_donor
attribution_each attribution_respectively attribution_multi_donor_sentence attribution_pronoun
attribution_quote category_lethal category_non_lethal category_military category_humanitarian
category_financial category_development category_unspecified date_weekday date_explicit date_no_year
date_null date_no_published_at status_new status_previous status_total recipient_country recipient_null
dedup_repeat additional_on_top split_package not_pledge_request not_pledge_proposal not_pledge_aggregate
not_pledge_tranche not_pledge_company not_pledge_asset not_pledge_budget not_pledge_estimate
not_pledge_debt not_pledge_private no_pledge
""".split())
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
FULL_DATE_RES = [re.compile(rf"\b({MONTH_RE})\s+(\d{{1,2}}),\s+(\d{{4}})"),
                 re.compile(rf"\b(\d{{1,2}})\s+({MONTH_RE})\s+(\d{{4}})")]


def month_number(token):
    token = token.rstrip(".").lower()[:3]
    return [m.lower()[:3] for m in MONTHS].index(token) + 1


def full_dates(text):
    found = []
    for m in FULL_DATE_RES[0].finditer(text):
        found.append(dt.date(int(m.group(3)), month_number(m.group(1)), int(m.group(2))))
    for m in FULL_DATE_RES[1].finditer(text):
        found.append(dt.date(int(m.group(3)), month_number(m.group(2)), int(m.group(1))))
    return found


def date_is_anchored(date, text):
    """The date must be reachable from the text: its weekday named, or its day and month written."""
    if WEEKDAYS[date.weekday()] in text:
        return True
    month = MONTHS[date.month - 1]
    day = str(date.day)
    pats = [rf"\b{month[:3]}[a-z]*\.?\s+{day}\b", rf"\b{day}\s+{month[:3]}[a-z]*\b"]
    return any(re.search(p, text) for p in pats)


def amount_in_text(amount, text):
    """Significant digits of the amount appear in the text (digits only, separators removed)."""
    digits = re.sub(r"[^0-9]", "", text.replace(",", ""))
    sig = str(amount).rstrip("0") or "0"
    flat = re.sub(r"(?<=\d)[.,](?=\d)", "", text)
    return sig in re.sub(r"[^0-9 ]", " ", flat).replace(" ", "|") or sig in digits


def check(path):
    errors, warnings = [], []
    country_codes = {c.alpha_3 for c in pycountry.countries}
    currency_codes = {c.alpha_3 for c in pycountry.currencies}
    ids = set()
    tag_counts = collections.Counter()
    n_pledges = 0
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines, 1):
        p = json.loads(line)
        pid = p.get("id", f"line {lineno}")

        def err(msg):
            errors.append(f"{pid}: {msg}")

        if set(p) != PASSAGE_KEYS:
            err(f"keys {sorted(set(p) ^ PASSAGE_KEYS)}")
        if pid in ids:
            err("duplicate id")
        ids.add(pid)
        text = p["text"]
        pub = p["published_at"]
        pub_date = dt.date.fromisoformat(pub) if pub else None
        if pub_date and not dt.date(2015, 1, 1) <= pub_date <= dt.date(2026, 12, 31):
            err(f"published_at {pub} out of range")
        if not re.match(r"^[A-Z][A-Z .,'/-]+ \(wire\) - ", text):
            err("no dateline")
        words = len(text.split())
        if words < 60 or (250 < words < 400):
            warnings.append(f"{pid}: {words} words")
        for tag in p["covers"]:
            if tag not in TAGS:
                err(f"unknown tag {tag}")
        tag_counts.update(set(p["covers"]))
        if ("no_pledge" in p["covers"]) != (not p["pledges"]):
            err("no_pledge tag and empty pledges disagree")
        texts_full = full_dates(text)
        earliest = max(texts_full) if texts_full else None
        seen = set()
        for q in p["pledges"]:
            n_pledges += 1
            if set(q) != PLEDGE_KEYS:
                err(f"pledge keys {sorted(set(q) ^ PLEDGE_KEYS)}")
                continue
            if q["donor"] not in ORGANISATIONS and q["donor"] not in country_codes:
                err(f"donor code {q['donor']}")
            if not q["donor_aliases"] or not any(a in text for a in q["donor_aliases"]):
                err(f"no alias of {q['donor']} occurs in text")
            if q["currency"] not in currency_codes:
                err(f"currency {q['currency']}")
            if not isinstance(q["amount"], int) or q["amount"] <= 0:
                err(f"amount {q['amount']}")
            elif not amount_in_text(q["amount"], text):
                warnings.append(f"{pid}: amount {q['amount']} not found as digits (words?)")
            if q["category"] not in CATEGORIES:
                err(f"category {q['category']}")
            if q["status"] not in STATUSES:
                err(f"status {q['status']}")
            if q["recipient"] is not None and q["recipient"] not in country_codes:
                err(f"recipient {q['recipient']}")
            key = (q["donor"], q["amount"], q["currency"], q["status"], q["recipient"])
            if key in seen:
                err(f"duplicate pledge {key}")
            seen.add(key)
            if q["date"] is not None:
                d = dt.date.fromisoformat(q["date"])
                if pub_date and d > pub_date:
                    err(f"date {d} after published_at {pub}")
                if pub_date and (pub_date - d).days > 366:
                    warnings.append(f"{pid}: date {d} more than a year before publication")
                if not date_is_anchored(d, text):
                    err(f"date {d} ({WEEKDAYS[d.weekday()]}) not anchored in text")
                if pub is None and earliest is None:
                    err("published_at null and no full date, but a pledge has a date")
                if pub is None and earliest and d < earliest and d not in texts_full:
                    err(f"date {d} earlier than latest full date {earliest}")
                if pub is None and earliest and WEEKDAYS[d.weekday()] in text and d not in texts_full:
                    if (d - earliest).days > 6:
                        err(f"weekday date {d} more than 6 days after {earliest}")
    return errors, warnings, tag_counts, len(lines), n_pledges


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("passages.jsonl")
    errors, warnings, tags, n, n_pledges = check(path)
    print(f"{n} passages, {n_pledges} pledges")
    for tag in sorted(TAGS):
        flag = "" if tags[tag] >= 3 else "   <-- fewer than 3"
        print(f"  {tag:36s} {tags[tag]:3d}{flag}")
    for w in warnings:
        print("WARN", w)
    for e in errors:
        print("ERROR", e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
