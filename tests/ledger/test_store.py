"""Ingest through the real engine: idempotency, revisions, deduplication across articles, retraction."""
from datetime import date

from sqlalchemy import func, select

from service.ledger import store
from service.ledger.models import Article, DonorTotal, Mention, Pledge

A1 = "Australia pledged A$70 million (US$50 million) in humanitarian aid to Ukraine on Tuesday."
A2 = "Australia will send US$50 million in humanitarian aid to Ukraine, the government said on Tuesday."
A3 = "Canada pledged C$25 million in military aid to Ukraine on Monday."


def _count(ledger, model):
    with ledger.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_same_article_twice_is_one_article(ledger):
    a, created, pledges = store.ingest_article(ledger, A3, date(2022, 3, 1), url="https://x.test/1")
    b, created2, pledges2 = store.ingest_article(ledger, A3, date(2022, 3, 1), url="https://x.test/1")
    assert created and not created2 and a.id == b.id
    assert [p.id for p in pledges] == [p.id for p in pledges2]
    assert _count(ledger, Article) == 1 and _count(ledger, Pledge) == 1


def test_conversion_reported_either_way_is_one_pledge(ledger):
    store.ingest_article(ledger, A1, date(2022, 3, 1), url="https://x.test/a")
    store.ingest_article(ledger, A2, date(2022, 3, 2), url="https://y.test/b")
    with ledger.session() as s:
        pledges = s.scalars(select(Pledge).where(Pledge.donor_code == "AUS")).all()
        assert len(pledges) == 1
        assert pledges[0].source_count == 2
        assert pledges[0].date == date(2022, 3, 1)


def test_revision_replaces_mentions_and_delete_retracts(ledger):
    article, _, _ = store.ingest_article(ledger, A3, date(2022, 3, 1), url="https://x.test/r")
    revised, created, _ = store.ingest_article(ledger, A3.replace("25", "30"), date(2022, 3, 1), url="https://x.test/r")
    assert created and revised.id == article.id and revised.revision == 2
    with ledger.session() as s:
        assert [p.value for p in s.scalars(select(Pledge))] == ["30000000"]
    assert store.delete_article(ledger, article.id)
    assert _count(ledger, Pledge) == 0 and _count(ledger, Mention) == 0
    assert not store.delete_article(ledger, article.id)
