"""`pledges extract | batch | serve` through the real entry point, in subprocesses."""
from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest
from clitools import (
    FX_FIXTURE,
    GERMAN_PLEDGE,
    JAPANESE_PLEDGE,
    REPO,
    api_answer,
    pledges_command,
    run_pledges,
    without_timing,
)
from conftest import free_port, wait_ready


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(GERMAN_PLEDGE + " " + JAPANESE_PLEDGE + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ extract

def test_extract_prints_what_the_api_answers(article):
    done = run_pledges("extract", article, "--published-at", "2022-03-03")
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert {p["donor"]["code"] for p in printed["pledges"]} == {"DEU", "JPN"}
    assert without_timing(printed) == without_timing(api_answer(article.read_text(), "2022-03-03"))
    assert done.stderr == ""


def test_extract_reads_standard_input(article):
    from_file = run_pledges("extract", article)
    from_stdin = run_pledges("extract", "-", input=article.read_text())
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert without_timing(json.loads(from_stdin.stdout)) == without_timing(json.loads(from_file.stdout))


def test_extract_jsonl_is_one_pledge_per_line(article):
    whole = json.loads(run_pledges("extract", article).stdout)
    done = run_pledges("extract", article, "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line) for line in lines] == whole["pledges"]


def test_extract_csv_is_one_flat_row_per_pledge(article):
    done = run_pledges("extract", article, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["donor_code"], r["amount_value"], r["amount_currency"]) for r in rows] == [
        ("DEU", "100000000", "EUR"), ("JPN", "5000000000", "JPY")]
    assert rows[0]["recipient_code"] == "UKR"
    assert rows[0]["amount_currency_assumed"] == "false"
    assert rows[0]["evidence"] == GERMAN_PLEDGE
    assert "amount_usd" not in rows[0]  # no FX columns without a rates file


def test_extract_writes_to_a_file(article, tmp_path):
    out = tmp_path / "out.json"
    done = run_pledges("extract", article, "-o", out)
    assert done.returncode == 0 and done.stdout == ""
    assert len(json.loads(out.read_text())["pledges"]) == 2


@pytest.mark.parametrize("args, status, message", [
    (["extract", "does-not-exist.txt"], 66, "cannot open does-not-exist.txt"),
    (["extract", "ARTICLE", "--published-at", "1 March"], 2, "--published-at"),
    (["extract", "ARTICLE", "--format", "xml"], 2, "invalid choice"),
    (["extract"], 2, "FILE"),
    ([], 2, "COMMAND"),
    (["frobnicate"], 2, "invalid choice"),
    (["extract", "ARTICLE", "--fx-rates", "no-such-rates.csv"], 78, "no-such-rates.csv"),
    (["extract", "ARTICLE", "-o", "/no/such/dir/out.json"], 73, "cannot create"),
])
def test_extract_exit_codes(article, args, status, message):
    done = run_pledges(*[str(article) if a == "ARTICLE" else a for a in args])
    assert done.returncode == status, done.stderr
    assert message in done.stderr
    assert done.stdout == ""


def test_extract_refuses_empty_and_non_utf8_text(tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n")
    done = run_pledges("extract", blank)
    assert done.returncode == 65 and "no text" in done.stderr
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Frankreich gewährt 5 Mio. Euro".encode("latin-1"))
    done = run_pledges("extract", latin1)
    assert done.returncode == 65 and "not UTF-8" in done.stderr


@pytest.mark.parametrize("command, expected", [
    ([], ["extract", "batch", "serve", "exit status", "FX_RATES_FILE"]),
    (["extract"], ["FILE", "--published-at", "--format", "jsonl", "csv", "--fx-rates", "--output", "exit status"]),
    (["batch"], ["IN.jsonl", "--output", "--workers", "--chunk-size", "--progress", "--fx-rates", "error record"]),
    (["serve"], ["--host", "--port", "--workers", "--log-level", "--config", "exec", "WEB_CONCURRENCY"]),
])
def test_help_is_complete(command, expected):
    done = run_pledges(*command, "--help")
    assert done.returncode == 0
    for word in expected:
        assert word in done.stdout, word


def test_version():
    from service import __version__
    done = run_pledges("--version")
    assert done.returncode == 0 and __version__ in done.stdout


# ------------------------------------------------------------------ batch

def _corpus(path: Path) -> Path:
    lines = [
        json.dumps({"id": "de", "text": GERMAN_PLEDGE, "published_at": "2022-03-03"}),
        "{not json",
        json.dumps({"id": "no-text"}),
        "",                                                     # blank lines are skipped
        json.dumps({"id": 7, "text": JAPANESE_PLEDGE}),         # integer ids are fine
        json.dumps({"id": "bad-types", "text": 5, "published_at": "March"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "none", "text": "The weather in Kyiv was cold on Tuesday."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_batch_keeps_order_reports_bad_lines_and_goes_on(tmp_path):
    corpus, out = _corpus(tmp_path / "in.jsonl"), tmp_path / "out.jsonl"
    done = run_pledges("batch", corpus, "-o", out, "--workers", "2", "--chunk-size", "2")
    assert done.returncode == 1, done.stderr  # some records failed
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r["line"], r["ok"]) for r in records] == [
        ("de", 1, True), (None, 2, False), ("no-text", 3, False), (7, 5, True),
        ("bad-types", 6, False), (None, 7, False), ("none", 8, True)]

    assert [p["donor"]["code"] for p in records[0]["result"]["pledges"]] == ["DEU"]
    assert records[0]["result"]["meta"]["published_at"] == "2022-03-03"
    assert [p["amount"]["currency"] for p in records[3]["result"]["pledges"]] == ["JPY"]
    assert records[6]["result"]["pledges"] == []

    assert records[1]["error"]["status"] == 400 and "Not valid JSON" in records[1]["error"]["detail"]
    assert records[2]["error"]["errors"] == [{"pointer": "/text", "detail": "Missing data for required field."}]
    assert {e["pointer"] for e in records[4]["error"]["errors"]} == {"/text", "/published_at"}
    assert records[5]["error"]["errors"][0]["pointer"] == ""

    assert " 7 documents, " in done.stderr  # the blank line is not a document (the rate, "15.8 documents/s", may contain "8 documents")
    assert "7 documents, 3 ok, 4 errors, 2 pledges" in done.stderr


def test_batch_results_equal_single_extractions(tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": GERMAN_PLEDGE, "published_at": "2022-03-03"}) + "\n")
    done = run_pledges("batch", corpus, "--workers", "1")
    assert done.returncode == 0, done.stderr
    (record,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert without_timing(record["result"]) == without_timing(api_answer(GERMAN_PLEDGE, "2022-03-03"))
    assert "1 documents, 1 ok, 0 errors, 1 pledges" in done.stderr


def test_batch_reads_stdin_and_shows_progress_when_asked():
    lines = "".join(json.dumps({"id": f"d{i}", "text": GERMAN_PLEDGE}) + "\n" for i in range(5))
    done = run_pledges("batch", "-", "--progress", "--workers", "2", input=lines)
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [f"d{i}" for i in range(5)]
    assert "5doc" in done.stderr.replace(" ", "")     # tqdm's counter, e.g. "5 doc [00:00, ...]"
    assert "5 documents, 5 ok, 0 errors, 5 pledges" in done.stderr


def test_batch_without_a_terminal_shows_no_bar(tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": GERMAN_PLEDGE}) + "\n")
    done = run_pledges("batch", corpus, "--workers", "1")
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("pledges batch: 1 documents")


@pytest.mark.parametrize("args, status", [
    (["batch", "missing.jsonl"], 66),
    (["batch", "CORPUS", "--workers", "0"], 2),
    (["batch"], 2),
])
def test_batch_exit_codes(tmp_path, args, status):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": GERMAN_PLEDGE}) + "\n")
    done = run_pledges(*[str(corpus) if a == "CORPUS" else a for a in args])
    assert done.returncode == status, done.stderr


# ------------------------------------------------------------------ FX through the CLI

def test_extract_with_fx_rates(article):
    # Both pledges are dated 1 March 2022: EUR 100,000,000 x 1.1000 = 110,000,000.00 USD;
    # JPY 5,000,000,000 x 1.1000 / 128.00 = 42,968,750.00 USD and / 128 = 39,062,500.00 EUR.
    done = run_pledges("extract", article, "--published-at", "2022-03-03", env={"FX_RATES_FILE": str(FX_FIXTURE)})
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    german, japanese = (p["amount"]["fx"] for p in answer["pledges"])
    assert german == {"usd": 110000000, "usd_upper": None, "eur": 100000000, "eur_upper": None,
                      "usd_per_unit": 1.1, "eur_per_unit": 1, "rate_date": "2022-03-01",
                      "date_basis": "pledge_date"}
    assert (japanese["usd"], japanese["eur"], japanese["usd_per_unit"]) == (42968750, 39062500, 0.00859375)
    assert [t["sum_usd"] for t in answer["totals"]] == [110000000, 42968750]
    assert [(t["donor"]["code"], t["sum_usd"]) for t in answer["totals_usd"]] == [
        ("DEU", 110000000), ("JPN", 42968750)]
    # --fx-rates '' turns it off again, whatever the environment says.
    plain = json.loads(run_pledges("extract", article, "--fx-rates", "",
                                   env={"FX_RATES_FILE": str(FX_FIXTURE)}).stdout)
    assert "fx" not in plain["pledges"][0]["amount"] and "totals_usd" not in plain


def test_extract_csv_with_fx_columns(article):
    done = run_pledges("extract", article, "--format", "csv", "--fx-rates", FX_FIXTURE)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [(r["amount_usd"], r["amount_eur"], r["fx_rate_date"]) for r in rows] == [
        ("110000000", "100000000", "2022-03-01"), ("42968750", "39062500", "2022-03-01")]


def test_batch_with_fx_rates(tmp_path):
    corpus = tmp_path / "in.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": GERMAN_PLEDGE}) + "\n")
    done = run_pledges("batch", corpus, "--workers", "2", "--fx-rates", FX_FIXTURE)
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert record["result"]["pledges"][0]["amount"]["fx"]["usd"] == 110000000


# ------------------------------------------------------------------ serve

def test_serve_execs_gunicorn_which_takes_the_signals(tmp_path):
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:
        proc = subprocess.Popen([*pledges_command(), "serve", "--port", str(port), "--workers", "1",
                                 "--log-level", "warning"], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, proc)
        # exec: the pid we started is now gunicorn's master itself, no wrapper in between.
        cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"gunicorn" in cmdline and str(REPO / "gunicorn.conf.py").encode() in cmdline
        request = urllib.request.Request(url + "/v1/extract", data=json.dumps({"text": GERMAN_PLEDGE}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.load(response)["pledges"][0]["donor"]["code"] == "DEU"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_refuses_a_bad_rates_file_before_starting(tmp_path):
    bad = tmp_path / "rates.csv"
    bad.write_text("not,an,ecb,file\n")
    done = run_pledges("serve", "--port", str(free_port()), "--fx-rates", bad)
    assert done.returncode == 78 and "Date" in done.stderr  # refused: a started server would not exit
