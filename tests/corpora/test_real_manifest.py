"""The real-news manifest (tests/corpora/real/manifest.jsonl) holds annotations, never article
text: every line has the fields the scorer needs, ids and urls are unique, no reserved url is
used, every pledge has an anchor and well-formed fields. Anchors are checked against texts only
where they have been re-created (REAL_TEXTS or /tmp/realnews/texts)."""
from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "tests" / "corpora" / "real" / "manifest.jsonl"
RESERVED = ROOT.parent / "shared" / "eval" / "reserved-urls.sha256"
TEXTS = Path(os.environ.get("REAL_TEXTS", Path(os.environ.get("TMPDIR", "/tmp")) / "realnews" / "texts"))
LINES = [json.loads(line) for line in MANIFEST.read_text(encoding="utf-8").splitlines() if line.strip()]
CATEGORIES = {"military_lethal", "military_non_lethal", "military", "humanitarian", "financial", "development",
              "unspecified"}
STATUSES = {"new", "previously_announced", "total"}
LONGEST_NOTE_QUOTE = 200   # notes are the annotators' words: no long verbatim passage


def test_lines_have_the_scorers_fields_and_nothing_else_of_the_article():
    for line in LINES:
        assert set(line) == {"id", "query", "url", "published_at", "pledges", "notes"}, line["id"]
        assert line["published_at"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", line["published_at"])
        for quoted in re.findall(r"\"([^\"]*)\"|“([^”]*)”", line["notes"]):
            assert len("".join(quoted)) <= LONGEST_NOTE_QUOTE, line["id"]


def test_ids_and_urls_are_unique():
    assert len({line["id"] for line in LINES}) == len(LINES)
    assert len({line["url"] for line in LINES}) == len(LINES)


def test_no_url_reserved_for_acceptance():
    if not RESERVED.exists():
        pytest.skip(f"{RESERVED} not found (the shared folder is not beside this checkout)")
    reserved = {ln.strip() for ln in RESERVED.read_text().splitlines() if ln.strip() and not ln.startswith("#")}
    used = [line["id"] for line in LINES if hashlib.sha256(line["url"].strip().encode()).hexdigest() in reserved]
    assert not used


def test_pledges_are_well_formed():
    for line in LINES:
        for pledge in line["pledges"]:
            assert pledge["anchor"] and isinstance(pledge["amount"], (int, float)) and pledge["amount"] > 0
            assert re.fullmatch(r"[A-Z]{3}", pledge["currency"]), line["id"]
            assert pledge["category"] in CATEGORIES and pledge["status"] in STATUSES, line["id"]
            assert pledge["date"] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", pledge["date"])
            assert pledge["recipient"] is None or re.fullmatch(r"[A-Z]{3}", pledge["recipient"])
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*", pledge["donor"]), line["id"]


def test_anchors_are_in_the_recreated_texts():
    present = [line for line in LINES if (TEXTS / f"{line['id']}.txt").exists()]
    if not present:
        pytest.skip(f"no re-created texts in {TEXTS} (tests/corpora/real/README.md says how)")
    missing = [(line["id"], p["anchor"]) for line in present for p in line["pledges"]
               if p["anchor"] not in (TEXTS / f"{line['id']}.txt").read_text(encoding="utf-8")]
    assert not missing
