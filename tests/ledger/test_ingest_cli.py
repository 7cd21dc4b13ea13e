"""`pledges ingest` and `pledges migrate` through the installed entry point, and the Python API
(ingest_partition) they share, on SQLite and PostgreSQL."""
import json

import pytest
from sqlalchemy import func, inspect, select

from service.ledger import db
from service.ledger.ingest import ingest_partition
from service.ledger.models import Article, Mention, Pledge
from tests.cli.clitools import run_pledges

A1 = "Australia pledged A$70 million (US$50 million) in humanitarian aid to Ukraine on Tuesday."
A2 = "Australia will send US$50 million in humanitarian aid to Ukraine, the government said on Tuesday."
A3 = "Canada pledged C$25 million in military aid to Ukraine on Monday."
LINES = [
    {"text": A1, "published_at": "2022-03-02", "url": "https://a.test/1"},
    {"text": A2, "published_at": "2022-03-02", "url": "https://b.test/2", "source": "B"},
    # a `pledges batch` corpus record: source_url is the url, id the external id
    {"id": 7, "text": A3, "published_at": "2022-03-01", "source_url": "https://c.test/3"},
]


def _counts(ledger):
    with ledger.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Article, Mention, Pledge))


def _corpus(path, lines, extra=()):
    path.write_text("\n".join([json.dumps(line) for line in lines] + list(extra)) + "\n", encoding="utf-8")
    return path


def test_a_corpus_goes_in_with_a_summary_and_bad_lines_named(ledger, tmp_path):
    corpus = _corpus(tmp_path / "corpus.jsonl", LINES, extra=["", "not json", json.dumps({"url": "https://x"})])
    done = run_pledges("ingest", corpus, "--db", ledger.url)
    assert done.returncode == 1, done.stderr  # some records failed
    assert f"{corpus}:5: Not valid JSON" in done.stderr
    assert f"{corpus}:6: The record is not valid; see errors. (/text: Missing data for required field.)" in done.stderr
    assert "pledges ingest: 5 records: 3 new, 0 revised, 0 already known (skipped), 2 errors; " \
           "2 ledger pledges touched" in done.stderr
    assert _counts(ledger) == (3, 3, 2)  # A1 and A2 are the same pledge
    with ledger.session() as s:
        canada = s.scalar(select(Article).where(Article.url == "https://c.test/3"))
        assert canada.external_id == "7"


def test_a_second_run_skips_what_is_known_so_an_interrupted_run_resumes(ledger, tmp_path):
    first_part = _corpus(tmp_path / "part.jsonl", LINES[:2])
    assert run_pledges("ingest", first_part, "--db", ledger.url).returncode == 0
    before = _counts(ledger)
    done = run_pledges("ingest", _corpus(tmp_path / "all.jsonl", LINES), "--db", ledger.url)
    assert done.returncode == 0, done.stderr
    assert "3 records: 1 new, 0 revised, 2 already known (skipped), 0 errors" in done.stderr
    assert _counts(ledger) == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_a_text_file_is_one_article_and_a_changed_text_a_revision(ledger, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(A3 + "\n", encoding="utf-8")
    args = ("ingest", article, "--db", ledger.url, "--published-at", "2022-03-01", "--url", "https://c.test/3")
    assert "1 new" in run_pledges(*args).stderr
    assert "1 already known" in run_pledges(*args).stderr
    article.write_text(A3.replace("25", "30") + "\n", encoding="utf-8")
    done = run_pledges(*args)
    assert done.returncode == 0 and "0 new, 1 revised" in done.stderr
    with ledger.session() as s:
        assert [p.value for p in s.scalars(select(Pledge))] == ["30000000"]
        assert s.scalar(select(Article.revision)) == 2


def test_an_unreachable_database_is_exit_69_without_the_password(tmp_path):
    corpus = _corpus(tmp_path / "corpus.jsonl", LINES[:1])
    done = run_pledges("ingest", corpus, "--db", "postgresql://user:s3cret@127.0.0.1:1/none")
    assert done.returncode == 69, done.stderr
    assert "cannot use the ledger at postgresql+psycopg://user:***@127.0.0.1:1/none" in done.stderr
    assert "s3cret" not in done.stderr


def test_migrate_creates_the_schema(database_url):
    engine = db.make_engine(database_url)
    if not database_url.startswith("sqlite"):
        db.downgrade(engine, "base")
    try:
        done = run_pledges("migrate", "--db", database_url)
        assert done.returncode == 0, done.stderr
        assert "is at revision 0001" in done.stderr
        assert {"articles", "pledges", "mentions", "donor_totals"} <= set(inspect(engine).get_table_names())
        assert run_pledges("migrate", "--db", database_url).returncode == 0  # idempotent
    finally:
        engine.dispose()


def test_ingest_partition_is_the_same_code_for_dask_or_spark(ledger):
    records = [json.dumps(LINES[0]), "", LINES[1], b"\xff not utf-8", LINES[0]]
    outcomes = list(ingest_partition(records, database_url=ledger.url))
    assert [o["status"] for o in outcomes] == ["created", "created", "error", "known"]
    assert outcomes[2]["error"]["status"] == 400
    assert outcomes[0]["pledges"] == outcomes[1]["pledges"] and outcomes[3]["article_id"] == outcomes[0]["article_id"]


@pytest.mark.parametrize("bad", [{"text": "   "}, {"text": A1, "published_at": "yesterday"}, [A1]])
def test_a_bad_record_is_its_own_error(ledger, bad):
    (outcome,) = ingest_partition([bad], database_url=ledger.url)
    assert outcome["status"] == "error" and outcome["error"]["status"] == 422
